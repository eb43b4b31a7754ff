"""Start-up of the desktop app: arguments, logging, crash handler, translations, style, demo and smoke modes."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from typing import Any

log = logging.getLogger("fxk3sync.gui")
LOG_FILE = "fxk3sync-gui.log"


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="fxk3sync-gui", description="FxK3 Sync 纷享金蝶同步 (desktop)")
    p.add_argument("--demo", action="store_true", help="run against the built-in simulated servers (演示模式)")
    p.add_argument("--smoke", action="store_true",
                   help="offscreen self-test: demo sandbox, load orders, sync three, exit 0 (or non-zero + error)")
    p.add_argument("--lang", choices=("zh", "zh_CN", "en"), help="interface language (default: settings / system)")
    p.add_argument("--home", metavar="DIR", help="data folder (env FXK3SYNC_HOME)")
    return p.parse_args(argv)


def setup_logging() -> str:
    """Log to a rotating file in the data folder, and to stderr when there is a console."""
    from core import paths

    path = str(paths.log_dir() / LOG_FILE)
    root = logging.getLogger("fxk3sync")
    root.setLevel(logging.INFO)
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        if sys.stderr is not None:
            console = logging.StreamHandler(sys.stderr)
            console.setLevel(logging.WARNING)
            root.addHandler(console)
    return path


def install_excepthook(show: Callable[[str, str], None]) -> None:
    """Unexpected exceptions (GUI thread or any thread) are logged and shown with copyable details."""

    def hook(exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.critical("unhandled exception\n%s", details)
        try:
            show(f"{exc_type.__name__}: {exc}", details)
        except Exception:  # noqa: BLE001 - never raise from the hook
            log.exception("could not show the crash dialog")

    sys.excepthook = hook
    threading.excepthook = lambda a: hook(a.exc_type, a.exc_value, a.exc_traceback)  # type: ignore[arg-type]


def _qt_messages() -> None:
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    qt_log = logging.getLogger("fxk3sync.qt")
    levels = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
              QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
              QtMsgType.QtFatalMsg: logging.CRITICAL}
    qInstallMessageHandler(lambda kind, _ctx, msg: qt_log.log(levels.get(kind, logging.INFO), "%s", msg))


def make_application(argv: Sequence[str]) -> Any:
    """The QApplication with High-DPI rounding, Fusion + our style sheet, app icon and a CJK-friendly font."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
    from PySide6.QtWidgets import QApplication

    from resources import resource_path

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(list(argv))
    app.setApplicationName("FxK3 Sync")
    app.setOrganizationName("FxK3Sync")
    app.setApplicationDisplayName("FxK3 Sync 纷享金蝶同步")
    from gui.icons import icon
    from gui.widgets.style import AppStyle

    app.setStyle(AppStyle())  # Fusion, with sort arrows as Windows shows them

    app.setWindowIcon(icon("app"))
    families = set(QFontDatabase.families())
    for family in ("Microsoft YaHei UI", "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC"):
        if family in families:
            font = QFont(family)
            font.setPointSizeF(max(9.0, app.font().pointSizeF()))
            app.setFont(font)
            break
    qss = resource_path("app.qss")
    if qss.is_file():
        app.setStyleSheet(qss.read_text("utf-8"))
    return app


class Shell:
    """Owns the main window and the translators; a language switch installs the other translation, and the window
    retranslates itself in place (``QEvent.LanguageChange``), keeping every page's state."""

    def __init__(self, ctx: Any, translators: Any, ui: Any) -> None:
        self.ctx, self.translators, self.ui = ctx, translators, ui
        self.window: Any = None

    def show(self) -> Any:
        from gui.main_window import MainWindow

        self.window = MainWindow(self.ctx, self.ui)
        self.window.language_requested.connect(self.switch_language)
        self.window.show()
        return self.window

    def switch_language(self, lang: str) -> None:
        from gui import settings

        self.ui.set(settings.LANGUAGE, lang)
        self.ui.sync()
        self.translators.install(lang)


def open_context(demo: bool) -> Any:
    """The normal context (keyring, data folder database) or the demo one."""
    if demo:
        from gui.demo import start_demo

        return start_demo()
    from core.secrets import default_store
    from core.store.choice import open_database
    from gui.context import AppContext

    secrets = default_store()
    return AppContext(open_database(secrets), secrets)


def main(argv: Sequence[str] | None = None) -> int:
    """Console/GUI entry point ``fxk3sync-gui``."""
    started = time.perf_counter()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.home:
        os.environ["FXK3SYNC_HOME"] = args.home
    if args.smoke:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from gui.smoke import run_smoke

        return run_smoke(lang=args.lang)
    from gui.platform_check import platform_problem

    problem = platform_problem()
    if problem:  # Qt would abort the process: say why, before anything is written to the data folder
        print(problem, file=sys.stderr)
        return 2
    app = make_application(sys.argv[:1])
    log_file = setup_logging()  # after Qt started: a start that cannot open a window leaves no folders behind
    _qt_messages()
    from gui import messages, settings
    from gui.i18n import Translators

    install_excepthook(lambda summary, details: messages.crash(None, summary, details, log_file))
    ui = settings.UiSettings()
    translators = Translators()
    translators.install(args.lang or ui.get(settings.LANGUAGE) or None)
    try:
        ctx = open_context(args.demo)
    except Exception as exc:  # noqa: BLE001 - e.g. a database from a newer version: say so and stop
        from gui.i18n import error_text

        text, advice = error_text(exc)
        log.exception("start-up failed")
        messages.error(None, "FxK3 Sync", f"{text}\n{advice}".strip(), traceback.format_exc())
        return 2
    shell = Shell(ctx, translators, ui)
    shell.show()
    log.info("main window shown after %.0f ms", (time.perf_counter() - started) * 1000)
    if os.environ.get("FXK3SYNC_EXIT_AFTER_SHOW"):  # benchmarks/gui_startup.py: report the first paint, then quit
        from PySide6.QtCore import QTimer

        idle_s = float(os.environ.get("FXK3SYNC_IDLE_SECONDS") or 0)

        def idle() -> None:
            print(f"idle {_rss_mb():.1f} MB after {idle_s:g} s", flush=True)
            shell.window.close()

        def shown() -> None:
            print(f"shown {(time.perf_counter() - started) * 1000:.0f} ms after main(), cpu {time.process_time():.3f} s",
                  flush=True)
            if idle_s:
                QTimer.singleShot(int(idle_s * 1000), idle)  # memory once the start-up work has settled
            else:
                shell.window.close()

        QTimer.singleShot(0, shown)
    code = app.exec()
    return int(code)


def _rss_mb() -> float:
    """This process's resident memory (Linux: /proc; elsewhere the peak from ``resource`` or 0), for the benchmark."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


if __name__ == "__main__":
    sys.exit(main())
