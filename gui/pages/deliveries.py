"""从金蝶回写发货 on the Orders page: audited K3Cloud shipping bills and returns -> how far each Fxiaoke order shipped
(shipped / partly shipped) and one owner message per bill."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, QEvent, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QPushButton, QWidget

from gui import backend
from gui.deliveries import KEEP, STATE_CODES, DeliveryResult, run_deliveries, since_of
from gui.i18n import is_language_change, translate
from gui.icons import icon
from gui.tasks import DB
from gui.widgets.progress import RunProgress

CTX = "DeliveriesAction"
TASK = "deliveries-sync"
PHASES = {
    "select": QT_TRANSLATE_NOOP("RunProgress", "Reading audited shipping bills and returns from Kingdee"),
    "writeback": QT_TRANSLATE_NOOP("RunProgress", "Updating how far the Fxiaoke orders shipped and messaging their owners"),
}
SHOWN_FAILURES = 3


class DeliveriesAction(QWidget):
    """An optional “since” date and the button; runs in the DB lane with its own ``progress`` strip and Cancel.

    Args:
        ctx: the ``AppContext``; page: the orders ``RecordsPage`` (its rows; it places ``progress``).
    """

    finished = Signal(object)  # DeliveryResult

    def __init__(self, ctx: Any, page: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.page = ctx, page
        self.progress = RunProgress(phases=PHASES, open_unit=QT_TRANSLATE_NOOP("RunProgress", "{done} shipping bills done"),
                                    writeback_line=False)
        self.progress.cancel_requested.connect(self.cancel)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.since_box = QCheckBox()
        self.since_edit = QDateEdit(QDate.currentDate().addDays(-7))
        self.since_edit.setCalendarPopup(True)
        self.since_edit.setDisplayFormat("yyyy-MM-dd")
        self.since_edit.setEnabled(False)
        self.since_box.toggled.connect(self.since_edit.setEnabled)
        self.button = QPushButton(icon("sync"), "")
        self.button.clicked.connect(self.start)
        lay.addWidget(self.since_box)
        lay.addWidget(self.since_edit)
        lay.addWidget(self.button)
        ctx.profile_changed.connect(self._profile_changed)  # a bound method: disconnected when we are deleted
        self.retranslate()
        self.update_state()

    def retranslate(self) -> None:
        self.since_box.setText(translate("DeliveriesAction", "Since"))
        self.since_box.setToolTip(translate("DeliveriesAction", "Unticked: bills audited since the last run (the first run looks 30 days back). Tick it to look from a date of your choice; bills already reported are never messaged twice."))
        self.button.setText(translate("DeliveriesAction", "Sync deliveries from Kingdee"))
        self.button.setToolTip(translate("DeliveriesAction", "Read the audited shipping bills (the profile's form: sales out-stock or delivery notice) and sales returns from Kingdee, mark each Fxiaoke order shipped or partly shipped and send its owner one message per bill"))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if is_language_change(event):
            self.retranslate()
        super().changeEvent(event)

    def _profile_changed(self, _name: str) -> None:
        self.update_state()

    @property
    def running(self) -> bool:
        return self.ctx.tasks.is_running(TASK)

    def update_state(self) -> None:
        self.button.setEnabled(bool(self.ctx.profile_name) and not self.running)

    def cancel(self) -> None:
        if self.running:
            self.ctx.tasks.cancel(TASK)
            self.ctx.synced.emit("deliveries")  # History shows the run; what was done before the cancel stays
        self.progress.finish()
        self.update_state()

    def start(self) -> None:
        if not self.ctx.profile_name or self.running:
            return
        since = since_of(self.since_edit.date().toPython()) if self.since_box.isChecked() else None
        ctx = self.ctx
        connect = backend.connector(ctx)  # bound now: a profile switch meanwhile must not change the target
        self.progress.start(lambda: translate("DeliveriesAction", "Syncing deliveries from Kingdee…"), 0)

        def progress(event: Any) -> None:
            self.progress.event_received(event)

        def done(result: DeliveryResult) -> None:
            self.progress.finish()
            self._apply(result)
            self._announce(result)
            aborted = getattr(result.summary, "aborted", None)
            if aborted is not None:  # a connection/auth/quota error stopped it midway: that is what to fix
                ctx.report(aborted)
            self.update_state()
            ctx.synced.emit("deliveries")
            self.finished.emit(result)

        def failed(exc: BaseException) -> None:
            self.progress.finish()
            self.update_state()
            ctx.synced.emit("deliveries")
            ctx.report(exc)

        ctx.tasks.run(lambda t: run_deliveries(connect, since, t), done, failed, progress, lane=DB, name=TASK,
                      owner=self)
        self.update_state()

    def _apply(self, result: DeliveryResult) -> None:
        model = self.page.model
        for source_id, state in result.order_states.items():
            i = model.find(source_id)
            if i >= 0 and model.row(i).delivery not in KEEP and state in STATE_CODES:
                model.row(i).delivery = STATE_CODES[state]
                model.row_changed(i)

    def _announce(self, result: DeliveryResult) -> None:
        bar = getattr(self.window(), "message_bar", None)
        if bar is None:
            return
        s = result.summary
        states = list(result.order_states.values())
        if not s.items:
            bar.show_message("info", lambda: translate("DeliveriesAction", "No new audited shipping bills or returns in Kingdee."),
                             lambda: translate("DeliveriesAction", "Tick \"Since\" and pick an earlier date to look further back."))
            return

        def text() -> str:
            return translate("DeliveriesAction", "Deliveries from Kingdee: {updated} bills reported ({shipped} orders shipped, {partly} partly shipped), {sent} messages sent to their owners, {skipped} bills already reported or not from Fxiaoke, {failed} failed.").format(
                updated=s.updated, shipped=states.count("shipped"), partly=states.count("partly"),
                sent=result.messages_sent, skipped=s.skipped, failed=s.failed)

        def advice() -> str:
            reasons = "\n".join(f"{number}: {backend.error_message(reason) or '?'}"
                                 for number, reason in result.failures[:SHOWN_FAILURES])
            more = len(result.failures) - SHOWN_FAILURES
            if more > 0:
                reasons += "\n" + translate("DeliveriesAction", "… and {n} more (History page).").format(n=more)
            return translate("DeliveriesAction", "{reasons}\nFix the cause and run it again: the failed bills are read again, and no owner gets a message twice.").format(
                reasons=reasons)

        if result.failures:
            bar.show_message("warning", text, advice)
        else:
            bar.show_message("success", text)
