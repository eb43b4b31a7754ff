"""Start-up speed (issue 15): the window builds the page it shows (and the inbox, whose count the navigation shows);
every other page is built the first time it is shown, loads the current profile's data and speaks the language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent

from gui.i18n import translate
from gui.main_window import PAGES
from tests.helpers_gui import wait_idle


def test_only_the_shown_page_and_the_inbox_are_built_at_start(qtbot, window, demo_ctx):
    qtbot.waitUntil(lambda: window.pages.built("inbox") is not None, timeout=5000)
    assert set(window.pages) == {window.current_page(), "inbox"}
    assert window.stack.count() == len(PAGES)


def test_a_page_built_later_loads_the_profile_and_is_in_the_current_language(qtbot, window, demo_ctx, zh):
    assert window.pages.built("history") is None
    window.go("history")
    page = window.pages.built("history")
    assert page is not None and window.stack.currentWidget() is page
    wait_idle(qtbot, demo_ctx)
    assert page.count_label.text() == translate("HistoryPage", "{n} runs").format(n=0) != "0 runs"
    zh.install("en")
    QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
    window.go("mappings")  # built after the switch: English from the start
    maps = window.pages["mappings"]
    qtbot.waitUntil(lambda: maps.base is not None, timeout=10000)  # it read the profile's mapping by itself
    assert maps.save_button.text() == "Save"
    assert page.count_label.text() == "0 runs"
