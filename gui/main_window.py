"""The main window: nav list + stacked pages, profile switcher, status bar, message bar, demo banner, log dock."""

from __future__ import annotations

import logging
import traceback
from typing import Any

from PySide6.QtCore import QEvent, QLocale, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core import __version__, paths
from core.errors import ErrorInfo, Fxk3Error
from gui import messages, settings
from gui.context import AppContext, SideState
from gui.i18n import current_language, is_language_change, translate
from gui.icons import icon
from gui.log_pane import LogPane
from gui.tasks import NET, Cancelled
from gui.widgets.bars import DemoBanner, MessageBar, StatusIndicator
from gui.widgets.elided import ElidedLabel
from gui.widgets.page import INTRO, row_height

log = logging.getLogger("fxk3sync.gui")
CTX = "MainWindow"
PAGES = ("connections", "customers", "orders", "payments", "products", "inbox", "mappings", "history")
WRITE_TASKS = ("orders-sync", "customers-sync", "payments-sync", "products-sync", "history-action", "deliveries-sync",
               "ship-sim", "inbox-action")  # results must not be dropped
#: Logical pixels of available height below which the first start is laid out for a small screen (log pane
#: hidden, window maximised): 1366 x 768 at 100 % leaves about 728, at 150 % 512; a 1600 x 1000 screen about 960.
SMALL_SCREEN = 800


def make_page(key: str, ctx: AppContext) -> QWidget:
    """Builds one page. Each page module is imported here, when its page is first shown (start-up speed: the window
    opens with the page it shows; the others cost nothing until the clerk goes there)."""
    if key == "connections":
        from gui.pages.connections import ConnectionsPage

        return ConnectionsPage(ctx)
    if key in ("customers", "orders", "payments"):
        from gui.pages.records import RecordsPage

        return RecordsPage(ctx, key)
    if key == "products":
        from gui.pages.products import ProductsPage

        return ProductsPage(ctx)
    if key == "inbox":
        from gui.pages.inbox import InboxPage

        return InboxPage(ctx)
    if key == "mappings":
        from gui.pages.mappings import MappingsPage

        return MappingsPage(ctx)
    if key == "history":
        from gui.pages.history import HistoryPage

        return HistoryPage(ctx)
    raise KeyError(key)


class Pages(dict[str, Any]):
    """The window's pages by key, each built on first use (``window.pages["orders"]`` builds it if need be);
    ``built`` tells without building."""

    def __init__(self, build: Any) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> Any:
        if key not in PAGES:
            raise KeyError(key)
        page = self._build(key)
        self[key] = page
        return page

    def built(self, key: str) -> Any | None:
        return self.get(key)


class MainWindow(QMainWindow):
    """One window on one ``AppContext``; ``close()`` closes the context unless ``detach()`` was called.

    A language switch (``language_requested``; ``gui.app.Shell`` installs the translators) retranslates this
    window in place: every page keeps its state.
    """

    language_requested = Signal(str)

    def __init__(self, ctx: AppContext, ui: settings.UiSettings | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.ui = ui or settings.UiSettings()
        self._profile_set = False
        self._owns_ctx = True
        self.setWindowIcon(icon("app"))
        self.setMinimumSize(QSize(720, 460))  # fits 1366 x 768 at 150 % (911 x 512 logical)
        ctx.tasks.error_handler = self.handle_error
        ctx.error.connect(self.handle_error)
        self._build_corner()
        self._build_central()
        self._build_log()
        self._build_status()
        self._build_menu()
        ctx.side_changed.connect(self._side_changed)
        ctx.quota_changed.connect(self._quota_changed)
        ctx.profiles_changed.connect(self.reload_profiles)
        self.inbox_count = 0
        self.retranslate()
        self._restore()
        self.reload_profiles(select=self.ui.get(settings.LAST_PROFILE) or None)
        # The inbox page counts what needs a person for the navigation: built right after the window shows.
        QTimer.singleShot(0, self, self._build_inbox)

    def _build_inbox(self) -> None:
        self.pages["inbox"]  # noqa: B018 - builds the page (its count goes to the navigation)

    # -- building ---------------------------------------------------------------------------------
    def _build_corner(self) -> None:
        """The profile switcher and the log toggle at the right end of the menu bar (no toolbar row: height)."""
        corner = self.corner = QWidget(self.menuBar())  # parented: PySide would delete an unowned corner widget
        lay = QHBoxLayout(corner)
        lay.setContentsMargins(0, 2, 4, 2)
        self.profile_caption = QLabel()
        self.profile_box = QComboBox()
        # sized in characters (scales with the font and DPI); a very long profile name must not widen the window
        self.profile_box.setMinimumContentsLength(18)
        self.profile_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.profile_box.currentIndexChanged.connect(self._profile_picked)
        self.log_button = QToolButton()
        self.log_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.log_button.setAutoRaise(True)
        lay.addWidget(self.profile_caption)
        lay.addWidget(self.profile_box)
        lay.addSpacing(6)
        lay.addWidget(self.log_button)
        self.menuBar().setNativeMenuBar(False)  # a native (macOS) menu bar has no corner
        self.menuBar().setCornerWidget(corner, Qt.Corner.TopRightCorner)

    def _build_central(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.banner = DemoBanner() if self.ctx.demo else None
        if self.banner is not None:
            outer.addWidget(self.banner)
        body = QHBoxLayout()
        body.setSpacing(0)
        self.nav = QListWidget()
        self.nav.setObjectName("NavList")
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        self.pages = Pages(self._build_page)
        for key in PAGES:
            item = QListWidgetItem(icon(f"nav_{key}"), "")
            # six pages still fit beside the open API log on a 1366 x 768 screen at 150 %
            item.setSizeHint(QSize(0, row_height(self.nav, 14)))
            self.nav.addItem(item)
            self.stack.addWidget(QWidget())  # stands in for the page until it is first shown (see make_page)
        self.nav.currentRowChanged.connect(self._show_page)
        self.nav.currentRowChanged.connect(lambda _r: self.message_bar.dismiss_good_news())
        self.page_area = QWidget()
        area = QVBoxLayout(self.page_area)
        area.setContentsMargins(0, 0, 0, 0)
        area.addWidget(self.stack)
        # floats over the top of the pages (their title and hint): a message never pushes a page down
        self.message_bar = MessageBar()
        self.message_bar.float_over(self.page_area, self._header_bottom)
        self.message_bar.show_log_requested.connect(self.show_last_error_exchange)
        self.stack.currentChanged.connect(lambda _i: self.message_bar.place())  # that page's title and hint
        body.addWidget(self.nav)
        body.addWidget(self.page_area, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)

    def _build_page(self, key: str) -> QWidget:
        """Builds page ``key`` in its place in the stack and wires it to the window."""
        page = make_page(key, self.ctx)
        index = PAGES.index(key)
        stand_in = self.stack.widget(index)
        current = self.stack.currentIndex() == index
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(stand_in)
        stand_in.deleteLater()
        if current:
            self.stack.setCurrentIndex(index)
        if self.ctx.profile_name:  # built after the profile was chosen: it catches up as if it had heard the signal
            page._profile_changed(self.ctx.profile_name)
        if key == "connections":
            page.saved.connect(self._profile_saved)
            if self._profile_set:
                page.set_welcome(not self.ctx.profile_name)
                if not self.ctx.profile_name:
                    page.new_profile()
        elif key == "inbox":
            page.count_changed.connect(self._inbox_count)
        elif key == "history":
            page.calls_loaded.connect(self._show_run_calls)
        return page

    def _show_page(self, row: int) -> None:
        self.pages[PAGES[row]]  # noqa: B018 - builds the page on its first showing
        self.stack.setCurrentIndex(row)

    def _header_bottom(self) -> int:
        """Where the current page's title and hint end, in ``page_area``: the message bar covers them whole."""
        hint = self.stack.currentWidget().findChild(QLabel, INTRO)
        if hint is None or not hint.isVisible():
            return 0
        return hint.mapTo(self.page_area, hint.rect().bottomLeft()).y() + 4

    def _build_log(self) -> None:
        self.log_pane = LogPane(self, secrets=self._secret_values, profile=lambda: self.ctx.profile_name,
                                tasks=self.ctx.tasks)
        self.log_pane.exported.connect(self._exported)
        self.log_pane.export_failed.connect(lambda path, reason: self.message_bar.show_message(
            "error", lambda: translate("MainWindow", "The evidence bundle could not be saved to {path}: {reason}")
            .format(path=path, reason=reason),
            lambda: translate("MainWindow", "Choose a folder you may write to, e.g. Documents.")))
        self.ctx.bus.received.connect(self.log_pane.add)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.log_pane)
        self.log_action = self.log_pane.toggleViewAction()
        self.log_action.setIcon(icon("log"))
        self.log_action.setShortcut(QKeySequence("Ctrl+L"))
        self.log_button.setDefaultAction(self.log_action)

    def _build_status(self) -> None:
        status = self.statusBar()
        self.profile_label = ElidedLabel()
        self.fx_state = StatusIndicator(lambda: translate("MainWindow", "Fxiaoke"))
        self.k3_state = StatusIndicator(lambda: translate("MainWindow", "K3Cloud"))
        self.quota_label = QLabel()
        status.addWidget(self.profile_label, 1)
        status.addPermanentWidget(self.quota_label)
        status.addPermanentWidget(self.fx_state)
        status.addPermanentWidget(self.k3_state)

    def _build_menu(self) -> None:
        menu = self.menuBar()
        self.file_menu = menu.addMenu("")
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.view_menu = menu.addMenu("")
        self.view_menu.addAction(self.log_action)
        self.settings_menu = menu.addMenu("")
        self.language_menu = QMenu(self)
        self.settings_menu.addMenu(self.language_menu)
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for lang, text in (("zh_CN", "中文（简体）"), ("en", "English")):  # each in its own language
            action = QAction(text, self, checkable=True)
            action.triggered.connect(lambda _c=False, lg=lang: self.request_language(lg))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[lang] = action
        self.help_menu = menu.addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self._about)
        self.help_menu.addAction(self.about_action)
        self.folder_action = QAction(self)
        self.folder_action.setEnabled(False)
        self.help_menu.addAction(self.folder_action)

    # -- language -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        """Every text of the window itself; pages, the log pane, the bars and the models do their own."""
        title = translate("MainWindow", "FxK3 Sync 纷享金蝶同步")
        self.setWindowTitle(title + (translate("MainWindow", " — Demo") if self.ctx.demo else ""))
        self.profile_caption.setText(translate("MainWindow", "Profile:"))
        self.log_action.setText(translate("MainWindow", "API log"))
        self.log_action.setToolTip(translate("MainWindow", "Show or hide the API log (Ctrl+L)"))
        names = {
            "connections": translate("MainWindow", "Connections"), "customers": translate("MainWindow", "Customers"),
            "orders": translate("MainWindow", "Orders"), "payments": translate("MainWindow", "Payments"),
            "products": translate("MainWindow", "Products"), "mappings": translate("MainWindow", "Mappings"),
            "history": translate("MainWindow", "History"), "inbox": self._inbox_name(),
        }
        for row, key in enumerate(PAGES):
            self.nav.item(row).setText(names[key])
        self._inbox_count(self.inbox_count)
        # as wide as the longest page name in this language and font (+ icon, padding, marker), at least 150
        names["inbox"] += " (999)"  # room for the count, so the navigation does not jump when it changes
        widest = max(self.nav.fontMetrics().horizontalAdvance(names[k]) for k in PAGES)
        self.nav.setFixedWidth(max(150, widest + self.nav.iconSize().width() + 56))
        self.file_menu.setTitle(translate("MainWindow", "&File"))
        self.quit_action.setText(translate("MainWindow", "Quit"))
        self.view_menu.setTitle(translate("MainWindow", "&View"))
        self.settings_menu.setTitle(translate("MainWindow", "&Settings"))
        self.language_menu.setTitle(translate("MainWindow", "Language"))
        for lang, action in self.language_actions.items():
            action.setChecked(lang == current_language())
        self.help_menu.setTitle(translate("MainWindow", "&Help"))
        self.about_action.setText(translate("MainWindow", "About FxK3 Sync"))
        self.folder_action.setText(translate("MainWindow", "Data folder: {path}").format(path=paths.home_dir()))
        self._profile_text()
        self._quota_changed(self.ctx.quota)
        self.setLocale(QLocale())  # calendar popups and number formats follow the language (QLocale.setDefault)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def request_language(self, lang: str) -> None:
        """Switch the interface language; the window is retranslated in place, even while a sync runs."""
        if lang == current_language():
            return
        self.language_requested.emit(lang)

    # -- profiles ---------------------------------------------------------------------------------
    def reload_profiles(self, select: str | None = None) -> None:
        want = select or self.ctx.profile_name

        def done(names: list[str]) -> None:
            self.profile_box.blockSignals(True)
            self.profile_box.clear()
            for name in names:
                self.profile_box.addItem(name, name)
            self.profile_box.blockSignals(False)
            pick = want if want in names else (names[0] if names else "")
            if pick:
                self.profile_box.setCurrentIndex(self.profile_box.findData(pick))
            self._set_profile(pick)
            if not names:
                self.go("connections")

        self.ctx.tasks.run(lambda _t: self.ctx.profile_names(), done, lane=NET, name="profiles", owner=self,
                           replace=True)

    def _profile_picked(self, _index: int) -> None:
        self._set_profile(str(self.profile_box.currentData() or ""))

    def _set_profile(self, name: str) -> None:
        if name == self.ctx.profile_name and name:
            return
        self.ctx.set_profile(name)
        self.ui.set(settings.LAST_PROFILE, name)
        self._profile_text()
        self._profile_set = True
        conn = self.pages.built("connections")  # a page built later is told when it is built (_build_page)
        if conn is not None:
            conn.set_welcome(not name)
            if not name:
                conn.new_profile()

    def _profile_text(self) -> None:
        name = self.ctx.profile_name
        self.profile_label.setText(translate("MainWindow", "Profile: {name}").format(name=name) if name
                                   else translate("MainWindow", "No profile yet: fill in Connections and save."))

    def _profile_saved(self, name: str) -> None:
        if name != self.ctx.profile_name or self.profile_box.findData(name) < 0:
            self.reload_profiles(select=name)

    # -- state --------------------------------------------------------------------------------------
    def _side_changed(self, side: str, state: SideState) -> None:
        detail = self._quota_text(self.ctx.quota) if state.state == "refused" else state.detail
        (self.fx_state if side == "fxiaoke" else self.k3_state).set_state(state.state, detail)

    @staticmethod
    def _quota_text(quota: str) -> str:
        texts = {
            "": "", "ok": translate("MainWindow", "Fxiaoke API quota: OK"),
            "daily": translate("MainWindow", "Fxiaoke API quota: today's calls used up"),
            "none": translate("MainWindow", "Fxiaoke API quota: no OpenAPI package bought"),
            "rate": translate("MainWindow", "Fxiaoke API quota: calling too fast, slowing down"),
        }
        return texts.get(quota, quota)

    def _quota_changed(self, quota: str) -> None:
        self.quota_label.setText(self._quota_text(quota))
        self.quota_label.setStyleSheet("color: #b91c1c;" if quota in ("daily", "none") else "")
        state = self.ctx.sides["fxiaoke"]
        if state.state == "refused":
            self._side_changed("fxiaoke", state)

    @staticmethod
    def _inbox_name() -> str:
        """The Needs attention page in the navigation: short (English "Inbox"), as a 150 % laptop screen needs the
        navigation no wider than its other names for the orders' sync state to stay in view."""
        return translate("MainWindow", "Inbox")

    def _inbox_count(self, n: int) -> None:
        """The navigation says how many records need a person: 待处理 (14)."""
        self.inbox_count = n
        item = self.nav.item(PAGES.index("inbox"))
        name = self._inbox_name()
        item.setText(translate("MainWindow", "{page} ({n})").format(page=name, n=n) if n else name)
        font = item.font()
        font.setBold(bool(n))
        item.setFont(font)

    def go(self, page: str) -> None:
        self.nav.setCurrentRow(PAGES.index(page))

    def current_page(self) -> str:
        return PAGES[self.stack.currentIndex()]

    # -- errors -------------------------------------------------------------------------------------
    def handle_error(self, exc: BaseException | ErrorInfo) -> None:
        """Error tiers: cancelled -> silent; known -> message bar (+ log pane); unexpected -> crash dialog + log."""
        if isinstance(exc, Cancelled):
            return
        if isinstance(exc, (Fxk3Error, ErrorInfo)):
            log.warning("%s: %s", exc.code or type(exc).__name__, exc.message.en)
            self.message_bar.show_error(exc)
            return
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        log.error("unexpected error\n%s", details)
        messages.crash(self, f"{type(exc).__name__}: {exc}", details, str(paths.log_dir() / "fxk3sync-gui.log"))

    def show_error(self, exc: BaseException) -> None:
        self.handle_error(exc)

    def _show_run_calls(self, run_id: int, calls: list[Any]) -> None:
        """History's "API calls of the run": the log pane shows them, leaving the page most of a small window."""
        self.log_pane.show_run(run_id, calls)
        most = max(160, self.height() * 2 // 5)
        if self.log_pane.height() > most:
            self.resizeDocks([self.log_pane], [most], Qt.Orientation.Vertical)

    def show_last_error_exchange(self) -> None:
        self.log_pane.show()
        self.log_pane.raise_()
        self.log_pane.select_last_error()

    def _secret_values(self) -> list[str]:
        if not self.ctx.profile_name:
            return []
        try:
            s = self.ctx.profile_secrets()
        except Exception:  # noqa: BLE001 - the bundle is still redacted by the HTTP layer
            return []
        return [v for v in (s.fx_app_secret, s.fx_permanent_code, s.k3_password, s.k3_app_secret) if v]

    def _exported(self, path: str) -> None:
        self.message_bar.show_message(
            "success", lambda: translate("MainWindow", "Evidence bundle saved: {path}").format(path=path),
            lambda: translate("MainWindow", "Secrets were removed before anything was recorded."))

    def _about(self) -> None:
        messages.info(self, translate("MainWindow", "About FxK3 Sync"), translate(
            "MainWindow", "FxK3 Sync {version}\nSyncs Fxiaoke CRM customers and orders to Kingdee K3Cloud, exactly once.\nData folder: {path}").format(
            version=__version__, path=paths.home_dir()))

    # -- persistence --------------------------------------------------------------------------------
    def _restore(self) -> None:
        avail = self.screen().availableGeometry() if self.screen() else QRect(0, 0, 1280, 800)
        small = avail.height() < SMALL_SCREEN
        geometry = self.ui.get(settings.GEOMETRY)
        if geometry.isEmpty() or not self.restoreGeometry(geometry):
            # first start: 1280 x 820, but never larger than the screen; a small screen gets all of it
            self.resize(min(1280, avail.width() * 95 // 100), min(820, avail.height() * 92 // 100))
            if small:
                self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        state = self.ui.get(settings.WINDOW_STATE)
        if state.isEmpty() or not self.restoreState(state):
            self.resizeDocks([self.log_pane], [max(120, min(200, avail.height() // 4))], Qt.Orientation.Vertical)
            # on a small screen the log pane starts hidden (Ctrl+L shows it), so the tables keep their rows
            self.log_pane.setVisible(self.ui.get(settings.LOG_VISIBLE) and not small)
        else:
            self.log_pane.setVisible(self.ui.get(settings.LOG_VISIBLE))
        key = self.ui.get(settings.LAST_PAGE_KEY)
        if key not in PAGES:  # saved by an older version: its index into the pages it had
            index = self.ui.get(settings.LAST_PAGE)
            key = settings.LEGACY_PAGES[index] if 0 <= index < len(settings.LEGACY_PAGES) else PAGES[0]
        self.nav.setCurrentRow(PAGES.index(key))

    def save_state(self) -> None:
        self.ui.set(settings.GEOMETRY, self.saveGeometry())
        self.ui.set(settings.WINDOW_STATE, self.saveState())
        key = self.current_page()
        self.ui.set(settings.LAST_PAGE_KEY, key)
        self.ui.set(settings.LAST_PAGE, settings.LEGACY_PAGES.index(key) if key in settings.LEGACY_PAGES else 0)
        self.ui.set(settings.LOG_VISIBLE, self.log_pane.isVisible())
        self.ui.sync()

    def detach(self) -> None:
        """Closing this window will leave the context running (another window takes it over)."""
        self._owns_ctx = False
        self.ctx.error.disconnect(self.handle_error)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self._owns_ctx and any(self.ctx.tasks.is_running(name) for name in WRITE_TASKS) and not messages.ask(
                self, translate("MainWindow", "Quit while syncing?"),
                translate("MainWindow", "A sync is still running. Quit now? It stops after the current document; nothing is sent twice, and what is unfinished shows on the History page next time.")):
            event.ignore()
            return
        self.save_state()
        if self._owns_ctx:
            self.ctx.close()
        super().closeEvent(event)
