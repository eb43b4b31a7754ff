"""Deliveries: audited K3Cloud out-stock bills -> the Fxiaoke order's delivery status and one message to its owner.

The status update is idempotent and may be repeated. The message is sent at most once per out-stock bill: its
``DeliveryNotice`` row is committed before sending, and a bill that has a row is never messaged again. If the
process dies between the commit and the send, that one message is lost rather than sent twice; a send that was
refused for sure (nothing reached Fxiaoke, or Fxiaoke answered with an error) removes the row so the next run
sends it.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update

from core.errors import FxiaokeError, Fxk3Error, Text, TransportError
from core.fxiaoke.client import FxiaokeClient
from core.k3cloud.client import K3CloudClient
from core.store import Database, DeliveryNotice, utcnow
from core.sync.journal import Journal, NewItem
from core.sync.model import ItemResult
from core.sync import messages
from core.sync.slots import AUTH_ERRORS

FORM = "SAL_OUTSTOCK"
ORDER_OBJECT = "SalesOrderObj"
WATERMARK = "deliveries.approve_date"
LOOKBACK = timedelta(days=30)
OVERLAP = timedelta(minutes=5)
K3_TZ = ZoneInfo("Asia/Shanghai")
FIELDS = ["FID", "FBillNo", "FApproveDate", "FSoorDerno"]
IN_CHUNK = 100

Event = tuple[str, ItemResult | None]


@dataclass
class DeliveryConfig:
    """Which Fxiaoke order field gets which value when a shipment is audited; values in ``keep`` are not lowered."""

    status_field: str = "logistics_status"
    shipped_value: str = "3"  # 已发货
    keep: tuple[str, ...] = ("3", "4")  # 已发货, 已收货


@dataclass
class Bill:
    fid: str | None
    number: str
    approved: str
    orders: list[str] = field(default_factory=list)


def _k3_time(dt: datetime) -> str:
    if dt.tzinfo is not None:
        dt = dt.astimezone(K3_TZ).replace(tzinfo=None)
    return dt.strftime("%Y-%m-%d %H:%M:%S")


def _parse_k3_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace(" ", "T")[:19])
    except ValueError:
        return None


def since_text(journal: Journal, since: datetime | None) -> str:
    """The FApproveDate lower bound: ``--since``, else the watermark minus an overlap, else 30 days back."""
    if since is not None:
        return _k3_time(since)
    stored = journal.watermark(WATERMARK)
    parsed = _parse_k3_time(stored) if stored else None
    if parsed is not None:
        return _k3_time(parsed - OVERLAP)
    return _k3_time(datetime.now(timezone.utc) - LOOKBACK)


def fetch_bills(k3: K3CloudClient, since: str) -> list[Bill]:
    """Audited out-stock bills approved at or after ``since``, oldest first, with their source order numbers."""
    flt = f"FDocumentStatus='C' AND FApproveDate>='{since}'"
    bills: dict[str, Bill] = {}
    for row in k3.query_all(FORM, FIELDS, filter=flt, order="FApproveDate ASC"):
        number = str(row.get("FBillNo") or "")
        if not number:
            continue
        bill = bills.setdefault(number, Bill(None if row.get("FID") in (None, "") else str(row["FID"]), number,
                                             str(row.get("FApproveDate") or "")))
        order_no = str(row.get("FSoorDerno") or "").strip()
        if order_no and order_no not in bill.orders:
            bill.orders.append(order_no)
    return sorted(bills.values(), key=lambda b: (b.approved, b.number))


def _message(bill: Bill, orders: list[dict[str, Any]]) -> str:
    names = "、".join(str(o.get("name")) for o in orders)
    names_en = ", ".join(str(o.get("name")) for o in orders)
    day = bill.approved[:10]
    return (f"您的订单 {names} 已发货（金蝶销售出库单 {bill.number}，{day} 审核）。\n"
            f"Your order {names_en} has shipped (K3Cloud out-stock bill {bill.number}, approved {day}).")


class DeliverySync:
    """One deliveries run. ``run()`` yields (phase, item) and returns the items."""

    def __init__(self, *, k3: K3CloudClient, fx: FxiaokeClient, db: Database, journal: Journal, run_id: int, dry_run: bool,
                 config: DeliveryConfig | None = None) -> None:
        self.k3, self.fx, self.db, self.journal, self.run_id = k3, fx, db, journal, run_id
        self.dry_run = dry_run
        self.config = config or DeliveryConfig()
        self.new_watermark: str | None = None

    def run(self, since: datetime | None, cancel: threading.Event | None = None) -> Generator[Event, None, list[ItemResult]]:
        yield "select", None
        bills = fetch_bills(self.k3, since_text(self.journal, since))
        notices = self._notices([b.number for b in bills])
        names = list(dict.fromkeys(n for b in bills if b.number not in notices for n in b.orders))
        by_name = self._orders(names)
        results: list[ItemResult] = []
        journal_rows: list[tuple[NewItem, ItemResult]] = []
        hold_back: str | None = None  # approve time of the first failed bill: the watermark must not pass it
        yield "writeback", None
        try:
            for bill in bills:
                if cancel is not None and cancel.is_set():
                    break
                item = self._one(bill, notices.get(bill.number), by_name)
                if item.status == "failed" and hold_back is None:
                    hold_back = bill.approved
                results.append(item)
                state = {"updated": "saved", "skipped": "skipped", "failed": "failed"}[item.status]
                journal_rows.append((NewItem(item.source_id, bill.number, state, item.error), item))
                yield "writeback", item
        finally:  # also when a fatal error stops the run: what was done is in the run's history
            if not self.dry_run and journal_rows:
                ids = self.journal.add_items(self.run_id, "deliveries", [n for n, _ in journal_rows])
                for (_, item), item_id in zip(journal_rows, ids):
                    item.item_id = item_id
        if not self.dry_run and journal_rows:
            done = [b.approved for b in bills[:len(results)] if b.approved]
            if hold_back is not None:
                self.new_watermark = hold_back
            elif done:
                self.new_watermark = max(done)
        return results

    def _one(self, bill: Bill, notice: DeliveryNotice | None, by_name: dict[str, dict[str, Any]]) -> ItemResult:
        orders = [by_name[n] for n in bill.orders if n in by_name]
        # The shipment is the source record of this flow: it is named by its K3Cloud number on every run.
        res = ItemResult(bill.number, "updated", bill.fid, bill.number, None, None, flow="deliveries",
                         source_number=bill.number, fx_ids=tuple(str(o["_id"]) for o in orders))
        if notice is not None:
            res.status = "skipped"  # reported before (status set; the message was sent or is never re-sent)
            return res
        if not orders:
            res.status = "skipped"  # not an order that came from Fxiaoke
            return res
        if self.dry_run:
            return res
        try:
            self._update_status(orders)
            self._claim_and_message(bill, orders)
        except AUTH_ERRORS:
            raise
        except Fxk3Error as exc:
            res.status, res.error = "failed", messages.of(exc)
        return res

    def _update_status(self, orders: list[dict[str, Any]]) -> None:
        cfg = self.config
        for o in orders:
            if str(o.get(cfg.status_field) or "") in cfg.keep:
                continue
            self.fx.update(ORDER_OBJECT, o["_id"], {cfg.status_field: cfg.shipped_value})
            o[cfg.status_field] = cfg.shipped_value

    def _claim_and_message(self, bill: Bill, orders: list[dict[str, Any]]) -> None:
        now = utcnow()
        with self.db.session() as s:  # committed BEFORE the message: at most once
            s.add(DeliveryNotice(profile_id=self.journal.profile_id, outstock_number=bill.number,
                                 order_source_id=orders[0]["_id"], status_updated_at=now))
        owners = list(dict.fromkeys(u for o in orders for u in (o.get("owner") or []) if isinstance(u, str)))
        if not owners:
            return
        try:
            self.fx.send_text(owners, _message(bill, orders))
        except (TransportError, FxiaokeError) as exc:
            if isinstance(exc, FxiaokeError) or not exc.sent:
                with self.db.session() as s:  # surely not sent: let the next run send it
                    s.execute(delete(DeliveryNotice).where(DeliveryNotice.profile_id == self.journal.profile_id,
                                                           DeliveryNotice.outstock_number == bill.number))
                raise
            raise Fxk3Error(
                Text(f"发货消息可能已发出，但没有收到纷享销客的答复（{bill.number}）。",
                     f"The shipment message may have been sent, but Fxiaoke did not answer ({bill.number})."),
                Text("为避免重复提醒，不会再次发送；如负责人未收到，请手动告知。",
                     "To avoid a duplicate it is not sent again; tell the owner yourself if it did not arrive."),
                side="fxiaoke", code="message_outcome_unknown") from exc
        self._mark_sent(bill.number)

    def _mark_sent(self, number: str) -> None:
        with self.db.session() as s:
            s.execute(update(DeliveryNotice).where(DeliveryNotice.profile_id == self.journal.profile_id,
                                                   DeliveryNotice.outstock_number == number)
                      .values(message_sent_at=utcnow()))

    def _notices(self, numbers: list[str]) -> dict[str, DeliveryNotice]:
        out: dict[str, DeliveryNotice] = {}
        with self.db.session() as s:
            for i in range(0, len(numbers), 500):
                for row in s.scalars(select(DeliveryNotice).where(
                        DeliveryNotice.profile_id == self.journal.profile_id,
                        DeliveryNotice.outstock_number.in_(numbers[i:i + 500]))):
                    out[row.outstock_number] = row
        return out

    def _orders(self, names: list[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for i in range(0, len(names), IN_CHUNK):
            for rec in self.fx.query(ORDER_OBJECT, filters=[("name", "IN", names[i:i + IN_CHUNK])]):
                if rec.get("life_status") != "invalid":
                    out.setdefault(str(rec.get("name")), rec)
        return out



def messages_sent(db: Database, profile_id: int, numbers: list[str]) -> int:
    """How many of these shipment bills have their owner message recorded as sent."""
    sent = 0
    with db.session() as s:
        for i in range(0, len(numbers), 500):
            q = select(DeliveryNotice.id).where(DeliveryNotice.profile_id == profile_id,
                                                DeliveryNotice.outstock_number.in_(numbers[i:i + 500]),
                                                DeliveryNotice.message_sent_at.is_not(None))
            sent += len(s.scalars(q).all())
    return sent
