"""GUI test helpers: a small demo context over the sandbox, intercepted prompts, a leaked-window check."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from gui import messages
from gui.messages import Prompt

SIZES = {"orders": 24, "customers": 12, "products": 20}
MISSING_MATERIAL = "MAT-9999"


@dataclass
class Prompts:
    """Every prompt the app would have shown; ``answers`` by kind (question -> bool, open_file -> path...)."""

    shown: list[Prompt] = field(default_factory=list)
    answers: dict[str, Any] = field(default_factory=dict)

    def __call__(self, prompt: Prompt) -> Any:
        self.shown.append(prompt)
        answer = self.answers.get(prompt.kind)
        return answer(prompt) if callable(answer) else answer

    def kinds(self) -> list[str]:
        return [p.kind for p in self.shown]


@pytest.fixture
def prompts() -> Any:
    record = Prompts()
    previous = messages.set_interceptor(record)
    yield record
    messages.set_interceptor(previous)


@pytest.fixture
def no_leaks(qapp: Any) -> Any:
    """Fails a test that leaves a top-level widget alive (napari's topLevelWidgets diff)."""
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    before = {id(w) for w in QApplication.topLevelWidgets()}
    yield
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        QCoreApplication.processEvents()
    leaked = [w for w in QApplication.topLevelWidgets() if id(w) not in before and not _is_qt_internal(w)]
    names = [f"{type(w).__name__}({w.objectName() or w.windowTitle()!r})" for w in leaked]
    for w in leaked:
        w.close()
        w.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not names, f"leaked top-level widgets: {names}"


def _is_qt_internal(w: Any) -> bool:
    # Popups Qt creates lazily and keeps for reuse (completer/combo popups, tooltips) are not ours to delete.
    return type(w).__name__ in ("QComboBoxPrivateContainer", "QTipLabel", "QCompleterPrivate") or \
        w.metaObject().className() in ("QComboBoxPrivateContainer", "QTipLabel", "QMenu")


@pytest.fixture
def zh(qapp: Any) -> Any:
    """The app in Chinese (the default on a Chinese system)."""
    from gui.i18n import Translators

    tr = Translators()
    tr.install("zh_CN")
    yield tr
    tr.remove()


@pytest.fixture
def demo_ctx(qapp: Any, zh: Any) -> Any:
    """A demo context (sandbox in-process, temp DB, memory secrets) with a small company."""
    from gui.demo import start_demo

    ctx = start_demo(seed=1, demo_sizes=SIZES)
    yield ctx
    ctx.close()


@pytest.fixture
def window(qtbot: Any, demo_ctx: Any, tmp_path: Path, prompts: Prompts, no_leaks: Any) -> Any:
    """The main window on the demo context, shown, with its profile selected."""
    from gui.main_window import MainWindow
    from gui.settings import UiSettings

    win = MainWindow(demo_ctx, UiSettings(str(tmp_path / "gui.ini")))
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: demo_ctx.profile_name != "", timeout=5000)
    yield win
    demo_ctx.tasks.shutdown()


def wait_idle(qtbot: Any, ctx: Any, timeout: int = 20000) -> None:
    """Until no background task is running (results delivered)."""
    qtbot.waitUntil(lambda: not ctx.tasks.busy, timeout=timeout)


def add_order_with_missing_material(sandbox: Any, name: str = "20991231-BAD001") -> str:
    """A Fxiaoke order (dated today) whose only line's product has no material in K3Cloud; returns its _id."""
    fx = sandbox.fx_app
    product = fx.admin("add_records", {"api_name": "ProductObj", "records": [
        {"name": "未建档物料", "product_code": MISSING_MATERIAL, "unit": "1", "price": "10.00"}]})["ids"][0]
    account = fx.admin("records", {"api_name": "AccountObj"})["records"][0]
    now = int(time.time() * 1000)
    order = fx.admin("add_records", {"api_name": "SalesOrderObj", "records": [
        {"name": name, "account_id": account["_id"], "account_id__r": account["name"], "order_time": now,
         "order_amount": "20.00", "order_status": "7", "life_status": "normal"}]})["ids"][0]
    fx.admin("add_records", {"api_name": "SalesOrderProductObj", "records": [
        {"name": f"{name}-1", "order_id": order, "order_id__r": name, "product_id": product,
         "product_id__r": "未建档物料", "quantity": "2", "sales_price": "10.00", "subtotal": "20.00",
         "life_status": "normal"}]})
    return order


def select_rows(view: Any, rows: list[int]) -> None:
    """Select whole rows of a table view as a user would with Ctrl+click."""
    from PySide6.QtCore import QItemSelectionModel

    sel = view.selectionModel()
    sel.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in rows:
        sel.select(view.model().index(r, 0), flags)


def proxy_row_of(proxy: Any, pred: Callable[[Any], bool]) -> int:
    for r in range(proxy.rowCount()):
        if pred(proxy.source_rows([r])[0]):
            return r
    return -1


def click(qtbot: Any, widget: Any) -> None:
    """A left click on ``widget`` (it must be enabled)."""
    from PySide6.QtCore import Qt

    assert widget.isEnabled(), f"{widget.text() if hasattr(widget, 'text') else widget} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def load_page(qtbot: Any, window: Any, kind: str, days: int = 0) -> Any:
    """Go to the customers or orders page, widen its date range by ``days`` and load it from Fxiaoke (waited for)."""
    window.go(kind)
    page = window.pages[kind]
    if days:
        page.date_from.setDate(page.date_from.date().addDays(-days))
    click(qtbot, page.load_button)
    qtbot.waitUntil(lambda: page.loaded, timeout=20000)
    return page
