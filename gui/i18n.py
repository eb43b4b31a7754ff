"""Translations: language choice, Qt translators (ours + Qt's own), translate() with explicit contexts.

A language switch retranslates the open window in place: installing a translator makes Qt send
``QEvent.LanguageChange`` to every widget (and to the QObject children of widgets, e.g. item models), once per
switch, after the event loop runs. Every widget class with texts therefore has a ``retranslate()`` that sets
them all again and calls it from ``changeEvent`` (see ``is_language_change``); nothing is rebuilt, so forms,
loaded tables, the API log and the status lights keep their state.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from core.errors import ErrorInfo, Fxk3Error, Text
from resources import resource_path

LANGUAGES = ("zh_CN", "en")
#: The language unless the user chose one (settings, ``--lang``): the users are Chinese finance staff, and a
#: machine's locale (often C/POSIX on a server or in a container, English on some office PCs) is no choice of theirs.
DEFAULT_LANGUAGE = "zh_CN"
_current = DEFAULT_LANGUAGE


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``QCoreApplication.translate`` under a short name lupdate still recognises (explicit context)."""
    return QCoreApplication.translate(context, text, disambiguation, n)


def is_language_change(event: QEvent) -> bool:
    """For ``changeEvent``/``event`` overrides: the installed translation changed, set every text again."""
    return event.type() == QEvent.Type.LanguageChange


def normalise(lang: str | None) -> str:
    """``zh``/``zh_CN``/``cn`` -> ``zh_CN``; ``en*`` -> ``en``; empty (no choice made) -> ``DEFAULT_LANGUAGE``."""
    value = (lang or "").strip().lower().replace("-", "_")
    if not value:
        return DEFAULT_LANGUAGE
    if value.startswith(("zh", "cn")):
        return "zh_CN"
    return "en"


def current_language() -> str:
    """The language installed last (``zh_CN`` or ``en``)."""
    return _current


def pick(text: Text | None) -> str:
    """One language of a core ``Text`` (the UI's current one)."""
    if text is None:
        return ""
    return text.zh if _current == "zh_CN" else text.en


def error_text(exc: BaseException | ErrorInfo) -> tuple[str, str]:
    """(message, advice) of an error in the UI language; unknown errors give their type and text."""
    if isinstance(exc, (Fxk3Error, ErrorInfo)):
        return pick(exc.message), pick(exc.advice)
    return f"{type(exc).__name__}: {exc}", ""


def qm_dir() -> Path:
    return resource_path("i18n")


class Translators:
    """Owns the installed translators so a language switch can replace them."""

    def __init__(self) -> None:
        self._installed: list[QTranslator] = []

    def install(self, lang: str | None) -> str:
        """Install ``lang`` (normalised); returns the language actually used."""
        global _current
        app = QCoreApplication.instance()
        lang = normalise(lang)
        self.remove()
        if app is not None:
            ours = QTranslator(app)
            if ours.load(f"fxk3sync_{lang}", str(qm_dir())):
                app.installTranslator(ours)
                self._installed.append(ours)
            if lang == "zh_CN":
                qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
                qt = QTranslator(app)
                if qt.load("qtbase_zh_CN", qt_dir):
                    app.installTranslator(qt)
                    self._installed.append(qt)
        _current = lang
        QLocale.setDefault(QLocale("zh_CN") if lang == "zh_CN"
                           else QLocale("en_US"))
        return lang

    def remove(self) -> None:
        app = QCoreApplication.instance()
        for tr in self._installed:
            if app is not None:
                app.removeTranslator(tr)
        self._installed.clear()
