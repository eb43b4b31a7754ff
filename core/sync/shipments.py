"""Shipments (the ``deliveries`` flow): audited K3Cloud shipping bills and returns -> how far each Fxiaoke order
shipped, and one message to its owner per bill.

The profile's ``k3_shipment_form`` says which bills mean shipped (SAL_OUTSTOCK, the default, or SAL_DELIVERYNOTICE);
audited returns (SAL_RETURNSTOCK) lower what shipped. For every order a new bill names, the quantities shipped are
summed per order line from every audited bill of that form linked to the order, less the returns
(``shipment_bills``): all lines in full -> shipped, some -> partly shipped, nothing -> not shipped. The order field
and its option values come from the shipments' mapping (``ship_status``), checked against the order's describe
before the first write; a value a person set that is none of the three (e.g. 已收货) is left alone.

The status update is idempotent and may be repeated. The message is sent at most once per bill: its
``DeliveryNotice`` row (keyed by the bill number) is committed before sending, and a bill that has a row is never
messaged again. If the process dies between the commit and the send, that one message is lost rather than sent twice;
a send that was refused for sure (nothing reached Fxiaoke, or Fxiaoke answered with an error) removes the row so the
next run sends it. The message names the order's lines and how many of each shipped (by this bill and in all).

Bills are read from a watermark on their approval time less an overlap, else 30 days back (cli-contract); a failed
bill holds the watermark back so the next run reads it again.
"""

from __future__ import annotations

import threading
from collections.abc import Generator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select, update

from core.errors import ErrorInfo, FxiaokeError, Fxk3Error, Text, TransportError
from core.fxiaoke.client import FxiaokeClient
from core.k3cloud.client import K3CloudClient
from core.store import Database, DeliveryNotice, utcnow
from core.sync import messages
from core.sync.journal import Journal, NewItem
from core.sync.model import ItemResult
from core.sync.ship_status import ORDER_OBJECT, ShipStatusMapping, check
from core.sync.shipment_bills import FORMS, OUT_STOCK, RETURN_STOCK, Bill, BillReader, LineProgress, progress, state_of
from core.sync.slots import AUTH_ERRORS

WATERMARK = "deliveries.approve_date"  # of SAL_OUTSTOCK (the first wave's name); other forms add their id
LOOKBACK = timedelta(days=30)
OVERLAP = timedelta(minutes=5)
K3_TZ = ZoneInfo("Asia/Shanghai")
IN_CHUNK = 100

Event = tuple[str, ItemResult | None]


def watermark_name(form_id: str) -> str:
    return WATERMARK if form_id == OUT_STOCK else f"deliveries.{form_id}.approve_date"


def _k3_time(dt: datetime) -> str:
    if dt.tzinfo is not None:
        dt = dt.astimezone(K3_TZ).replace(tzinfo=None)
    return dt.strftime("%Y-%m-%d %H:%M:%S")


def _parse_k3_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(str(text).replace(" ", "T")[:19])
    except ValueError:
        return None


def since_text(journal: Journal, since: datetime | None, form_id: str = OUT_STOCK) -> str:
    """The FApproveDate lower bound: ``--since``, else the watermark minus an overlap, else 30 days back."""
    if since is not None:
        return _k3_time(since)
    stored = journal.watermark(watermark_name(form_id))
    parsed = _parse_k3_time(stored) if stored else None
    if parsed is not None:
        return _k3_time(parsed - OVERLAP)
    return _k3_time(datetime.now(UTC) - LOOKBACK)


def _qty(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")


_HEAD = {
    "shipped": Text("您的订单 {n} 已发货", "Your order {n} has shipped"),
    "partly": Text("您的订单 {n} 部分发货", "Your order {n} has partly shipped"),
    "none": Text("您的订单 {n} 目前未发货", "Your order {n} has nothing shipped now"),
}


def message_text(bill: Bill, orders: list[tuple[str, str, list[LineProgress]]]) -> str:
    """The owner's message about one bill: per order (name, state, its lines as of this bill), both languages."""
    day = bill.approved[:10]
    zh: list[str] = []
    en: list[str] = []
    for name, state, lines in orders:
        how = Text(f"金蝶{bill.form.name.zh} {bill.number}，{day} 审核", f"K3Cloud {bill.form.name.en} {bill.number}, "
                   f"approved {day}")
        head = _HEAD[state].format(n=name)
        zh.append(f"{head.zh}（{how.zh}）：")
        en.append(f"{head.en} ({how.en}):")
        for ln in lines:
            label = " ".join(x for x in (ln.material, ln.name) if x) or f"#{ln.seq}"
            verb_zh, verb_en = ("退回", "returned") if bill.form.returns else ("发货", "shipped")
            zh.append(f"  {label}：本次{verb_zh} {_qty(ln.this_bill)}，累计已发 {_qty(ln.net)} / {_qty(ln.ordered)}")
            en.append(f"  {label}: {_qty(ln.this_bill)} {verb_en} by this bill, {_qty(ln.net)} of "
                      f"{_qty(ln.ordered)} shipped in all")
    return "\n".join(zh) + "\n" + "\n".join(en)


class ShipmentSync:
    """One deliveries run. ``run()`` yields (phase, item) and returns the items.

    Args:
        form_id: the profile's shipment form (SAL_OUTSTOCK or SAL_DELIVERYNOTICE).
        status: the order field and options to write (the shipments' mapping).
    """

    def __init__(self, *, k3: K3CloudClient, fx: FxiaokeClient, db: Database, journal: Journal, run_id: int,
                 dry_run: bool, form_id: str = OUT_STOCK, status: ShipStatusMapping | None = None) -> None:
        self.k3, self.fx, self.db, self.journal, self.run_id = k3, fx, db, journal, run_id
        self.dry_run = dry_run
        self.form = FORMS[form_id]
        self.status = status or ShipStatusMapping()
        self.reader = BillReader(k3)
        self.new_watermark: str | None = None
        self._checked: ErrorInfo | None | bool = False  # False: the describe was not read yet
        self.states: dict[str, str] = {}  # Fxiaoke order _id -> state written (or that would be written)

    def run(self, since: datetime | None, cancel: threading.Event | None = None) -> Generator[Event, None,
                                                                                                list[ItemResult]]:
        yield "select", None
        since_at = since_text(self.journal, since, self.form.form_id)
        bills = sorted(self.reader.approved_since(self.form, since_at)
                       + self.reader.approved_since(FORMS[RETURN_STOCK], since_at), key=lambda b: b.sort_key)
        notices = self._notices([b.number for b in bills])
        fresh = [b for b in bills if b.number not in notices]
        affected = list(dict.fromkeys(n for b in fresh for n in b.orders))
        all_bills = (self.reader.naming(self.form, affected) + self.reader.naming(FORMS[RETURN_STOCK], affected)
                     if affected else [])
        lines = self.reader.order_lines(affected) if affected else {}
        by_name = self._orders(affected)
        results: list[ItemResult] = []
        journal_rows: list[tuple[NewItem, ItemResult]] = []
        hold_back: str | None = None  # approve time of the first failed bill: the watermark must not pass it
        yield "writeback", None
        try:
            for bill in bills:
                if cancel is not None and cancel.is_set():
                    break
                item = self._one(bill, notices.get(bill.number), by_name, all_bills, lines)
                if item.status == "failed" and hold_back is None:
                    hold_back = bill.approved
                results.append(item)
                state = {"updated": "saved", "skipped": "skipped", "failed": "failed"}[item.status]
                journal_rows.append((NewItem(item.source_id, bill.number, state, item.error), item))
                yield "writeback", item
        finally:  # also when a fatal error stops the run: what was done is in the run's history
            if not self.dry_run and journal_rows:
                ids = self.journal.add_items(self.run_id, "deliveries", [n for n, _ in journal_rows])
                for (_, item), item_id in zip(journal_rows, ids, strict=True):
                    item.item_id = item_id
        if not self.dry_run and journal_rows:
            done = [b.approved for b in bills[:len(results)] if b.approved]
            if hold_back is not None:
                self.new_watermark = hold_back
            elif done:
                self.new_watermark = max(done)
        return results

    def _one(self, bill: Bill, notice: DeliveryNotice | None, by_name: dict[str, dict[str, Any]],
             all_bills: list[Bill], lines: dict[str, list[LineProgress]]) -> ItemResult:
        orders = [by_name[n] for n in bill.orders if n in by_name]
        # The shipment is the source record of this flow: it is named by its K3Cloud number on every run.
        res = ItemResult(bill.number, "updated", bill.fid, bill.number, None, None, flow="deliveries",
                         source_number=bill.number, fx_ids=tuple(str(o["_id"]) for o in orders))
        if notice is not None or not orders:
            res.status = "skipped"  # reported before, or not an order that came from Fxiaoke
            return res
        known = list(bills_of(all_bills, bill))
        per_order: list[tuple[str, str, list[LineProgress]]] = []
        finals: list[tuple[dict[str, Any], str]] = []
        for o in orders:
            number = str(o["_k3_number"])
            mine = [b for b in known if number.casefold() in {n.casefold() for n in b.orders}]
            order_lines = lines.get(number, [])
            now = progress(order_lines, mine, number, upto=bill)
            shipped_now = any(e.qty for b in mine if b.sort_key <= bill.sort_key and not b.form.returns
                              for e in b.entries)
            per_order.append((str(o.get("name") or number), state_of(now, shipped_now), now))
            final = progress(order_lines, mine, number)
            finals.append((o, state_of(final, any(not b.form.returns for b in mine))))
        for o, state in finals:
            self.states[str(o["_id"])] = state
        if self.dry_run:
            return res
        try:
            self._check_describe()
            self._update_status(finals)
            self._claim_and_message(bill, orders, message_text(bill, per_order))
        except AUTH_ERRORS:
            raise
        except Fxk3Error as exc:
            res.status, res.error = "failed", messages.of(exc)
        return res

    def _check_describe(self) -> None:
        """Before the first write: the order object must have the mapped field and options (named if not)."""
        if self._checked is False:
            self._checked = check(self.fx.describe(ORDER_OBJECT), self.status)
        if isinstance(self._checked, ErrorInfo):
            raise Fxk3Error.raising(self._checked)

    def _update_status(self, finals: list[tuple[dict[str, Any], str]]) -> None:
        field = self.status.field
        for o, state in finals:
            current = o.get(field)
            if current not in (None, "") and self.status.state_of(current) is None:
                continue  # a value a person set (e.g. received): not ours to change
            value = self.status.value(state)
            if str(current or "") != value:
                self.fx.update(ORDER_OBJECT, o["_id"], {field: value})
                o[field] = value

    def _claim_and_message(self, bill: Bill, orders: list[dict[str, Any]], text: str) -> None:
        now = utcnow()
        with self.db.session() as s:  # committed BEFORE the message: at most once
            s.add(DeliveryNotice(profile_id=self.journal.profile_id, outstock_number=bill.number,
                                 order_source_id=orders[0]["_id"], status_updated_at=now))
        owners = list(dict.fromkeys(u for o in orders for u in (o.get("owner") or []) if isinstance(u, str)))
        if not owners:
            return
        try:
            self.fx.send_text(owners, text)
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
        with self.db.session() as s:
            s.execute(update(DeliveryNotice).where(DeliveryNotice.profile_id == self.journal.profile_id,
                                                   DeliveryNotice.outstock_number == bill.number)
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

    def _orders(self, numbers: list[str]) -> dict[str, dict[str, Any]]:
        """K3Cloud order number -> its Fxiaoke order (by the sync's link, else by the order's name), ``_k3_number``
        added; voided orders are left out."""
        return fx_orders(self.fx, self.journal, numbers)


def bills_of(all_bills: list[Bill], bill: Bill) -> list[Bill]:
    """Every known bill, with ``bill`` itself included even when the order query missed it."""
    if any(b.number == bill.number and b.form == bill.form for b in all_bills):
        return all_bills
    return [*all_bills, bill]


def fx_orders(fx: FxiaokeClient, journal: Journal, numbers: list[str]) -> dict[str, dict[str, Any]]:
    """K3Cloud order number -> the Fxiaoke order it came from (``_k3_number`` added); voided orders left out."""
    out: dict[str, dict[str, Any]] = {}
    if not numbers:
        return out
    linked = journal.sources_by_number(ORDER_OBJECT, numbers)
    by_id = {str(r["_id"]): r for r in fx.get_many(ORDER_OBJECT, list(dict.fromkeys(linked.values())))}
    for number, source_id in linked.items():
        rec = by_id.get(source_id)
        if rec is not None and rec.get("life_status") != "invalid":
            out[number] = {**rec, "_k3_number": number}
    rest = [n for n in numbers if n not in out]
    for i in range(0, len(rest), IN_CHUNK):
        for rec in fx.query(ORDER_OBJECT, filters=[("name", "IN", rest[i:i + IN_CHUNK])]):
            name = str(rec.get("name"))
            if rec.get("life_status") != "invalid" and name not in out:
                out[name] = {**rec, "_k3_number": name}
    return out


def order_progress(k3: K3CloudClient, form_id: str, number: str) -> list[LineProgress]:
    """The lines of K3Cloud sales order ``number`` with what every audited bill of ``form_id`` shipped and every
    audited return took back (the simulate-shipment dialog and the faces' views of one order)."""
    reader = BillReader(k3)
    bills = reader.naming(FORMS[form_id], [number]) + reader.naming(FORMS[RETURN_STOCK], [number])
    return progress(reader.order_lines([number]).get(number, []), bills, number)


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
