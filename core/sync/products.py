"""Products (K3Cloud 物料 BD_MATERIAL -> Fxiaoke 产品 ProductObj): an upsert by product code, incremental and
resumable. What is read and written is in ``products_plan``; this module runs it.

- Which materials: ``--all`` every one; ``--since`` those K3Cloud modified at or after it; otherwise (incremental)
  those modified since the watermark (``products.modify_date``, K3Cloud's FModifyDate) less an overlap, plus every
  material whose last item failed or was held. With no watermark yet, every material (the large first run).
- Materials are written oldest change first and the watermark follows the writes: it is stored after each chunk as
  the change time of the first material not yet done, so a run that stops part-way (cancelled, killed, quota used
  up) carries on from there next time; what it had written compares equal and is skipped.
- Exactly once without an idempotency key on Fxiaoke's side: every product is looked up by its code just before the
  plan is made, and a create whose answer was lost is looked up again before anything else happens to it.
- Rate limit: the client keeps each endpoint under 100 calls / 20 s; a rate-limit answer to a write (another
  program using the same app) waits a window and tries again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.errors import FxiaokeError, Fxk3Error, TransportError
from core.fxiaoke.client import RATE_CODES, FxiaokeClient
from core.fxiaoke.pacing import DEFAULT_WINDOW_S
from core.k3cloud.client import K3CloudClient
from core.sync import messages
from core.sync.journal import Journal, LinkRow, NewItem
from core.sync.model import ItemResult, SyncRequest
from core.sync.products_plan import MATERIAL_FORM, PRODUCT_OBJECT, Plan, fx_products, plan, read_materials
from core.sync.slots import AUTH_ERRORS, pause

FLOW = "products"
WATERMARK = "products.modify_date"
OVERLAP = timedelta(minutes=5)
K3_TZ = ZoneInfo("Asia/Shanghai")
CHUNK = 50  # items journaled (and the watermark moved) together
RATE_TRIES = 3
_STATE = {"created": "created", "updated": "updated", "skipped": "skipped", "held": "held", "failed": "failed"}

#: (phase, settled item or None); phase "plan" comes once with the planned writes in ``planned``.
Event = tuple[str, ItemResult | None]


def _k3_time(dt: datetime) -> str:
    if dt.tzinfo is not None:
        dt = dt.astimezone(K3_TZ).replace(tzinfo=None)
    return dt.strftime("%Y-%m-%d %H:%M:%S")


def since_text(journal: Journal, request: SyncRequest) -> str | None:
    """The FModifyDate lower bound: none for ``--all`` or a first run, ``--since``, else the watermark less an
    overlap (materials changed in the same second are read again; equal ones are skipped)."""
    if request.all:
        return None
    if request.since is not None:
        return _k3_time(request.since)
    stored = journal.watermark(WATERMARK)
    try:
        return _k3_time(datetime.fromisoformat(stored.replace(" ", "T")[:19]) - OVERLAP) if stored else None
    except ValueError:
        return None


class ProductSync:
    """One products run; ``run()`` yields (phase, item) and returns the items. ``planned`` = (creates, updates)."""

    def __init__(self, *, k3: K3CloudClient, fx: FxiaokeClient, journal: Journal, run_id: int, org: str,
                 dry_run: bool) -> None:
        self.k3, self.fx, self.journal, self.run_id, self.org = k3, fx, journal, run_id, org
        self.dry_run = dry_run
        self.planned = (0, 0)
        self.total = 0
        self.cancelled = False

    def select(self, request: SyncRequest) -> list[Plan]:
        """Read both sides and plan every material of the request (only reads)."""
        if request.ids:
            materials = read_materials(self.k3, self.org, numbers=[i.strip() for i in request.ids if i.strip()])
        else:
            materials = read_materials(self.k3, self.org, since=since_text(self.journal, request))
            if not request.all and request.since is None:
                have = {m.number for m in materials}
                retry = [n for n in self.journal.open_failures(FLOW) if n not in have]
                if retry:
                    materials = sorted(materials + read_materials(self.k3, self.org, numbers=retry),
                                       key=lambda m: (m.modified, m.number))
        products = fx_products(self.fx, [m.number for m in materials])
        plans = plan(materials, products, self.fx.describe(PRODUCT_OBJECT))
        self.planned = (sum(p.action == "create" for p in plans), sum(p.action == "update" for p in plans))
        self.total = len(plans)
        return plans

    def run(self, request: SyncRequest, cancel: threading.Event | None = None) -> Generator[Event, None,
                                                                                             list[ItemResult]]:
        yield "select", None
        plans = self.select(request)
        yield "plan", None
        results: list[ItemResult] = []
        pending: list[tuple[Plan, ItemResult]] = []
        try:
            for n, p in enumerate(plans):
                if cancel is not None and cancel.is_set():
                    self.cancelled = True
                    break
                item = self._one(p, cancel)
                results.append(item)
                pending.append((p, item))
                yield "write", item
                if len(pending) >= CHUNK:
                    self._flush(pending, plans, n + 1, request)
                    pending = []
        finally:  # also when a fatal error stops the run: what was written is journaled and the watermark kept
            self._flush(pending, plans, len(results), request)
        return results

    def _one(self, p: Plan, cancel: threading.Event | None) -> ItemResult:
        m = p.material
        item = ItemResult(m.number, "skipped", m.id or None, m.number, p.error, None, flow=FLOW,
                          source_number=m.number, fx_ids=(p.product_id,) if p.product_id else ())
        if p.action == "hold":
            item.status = "held"
            return item
        if p.action == "skip":
            return item
        item.status = "created" if p.action == "create" else "updated"
        if self.dry_run:
            return item
        try:
            if p.action == "create":
                item.fx_ids = (self._create(p, cancel),)
            else:
                assert p.product_id is not None
                self._write(lambda: self.fx.update(PRODUCT_OBJECT, str(p.product_id), p.data), cancel)
        except AUTH_ERRORS:
            raise
        except TransportError:
            raise  # the run stops; the journal has what was done, the next run looks each product up again
        except Fxk3Error as exc:
            item.status, item.error = "failed", messages.of(exc)
        return item

    def _create(self, p: Plan, cancel: threading.Event | None) -> str:
        try:
            return str(self._write(lambda: self.fx.create(PRODUCT_OBJECT, p.data), cancel))
        except TransportError as exc:
            if not exc.sent:
                raise
            found = fx_products(self.fx, [p.material.number]).get(p.material.number)  # did the lost create land?
            if found:
                return str(found[0]["_id"])
            raise

    def _write(self, call: Callable[[], object], cancel: threading.Event | None) -> object:
        """One write; a rate-limit answer (the call was refused, nothing happened) waits a window and tries again."""
        for attempt in range(RATE_TRIES):
            try:
                return call()
            except FxiaokeError as exc:
                if str(exc.code) not in {str(c) for c in RATE_CODES} or attempt == RATE_TRIES - 1:
                    raise
                if pause(DEFAULT_WINDOW_S, cancel):
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _flush(self, pending: list[tuple[Plan, ItemResult]], plans: list[Plan], done: int,
               request: SyncRequest) -> None:
        """Journal these items, link their products, move the watermark to the first material not done."""
        if self.dry_run:
            return
        if pending:
            ids = self.journal.add_items(self.run_id, FLOW, [
                NewItem(i.source_id, p.material.number, _STATE[i.status], i.error) for p, i in pending])
            for (_, item), item_id in zip(pending, ids, strict=True):
                item.item_id = item_id
            self.journal.upsert_links(PRODUCT_OBJECT, MATERIAL_FORM, [
                LinkRow(i.fx_ids[0], p.material.id or None, p.material.number, "audited")
                for p, i in pending if i.fx_ids and i.status in ("created", "updated", "skipped")])
        if request.ids:
            return  # a pick of materials says nothing about the others
        mark = plans[done].material.modified if done < len(plans) else max(
            (p.material.modified for p in plans), default="")
        old = self.journal.watermark(WATERMARK)
        if mark and (not old or mark > old):
            self.journal.set_watermark(WATERMARK, mark)
