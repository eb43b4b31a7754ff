"""Write-back: the K3Cloud number goes into the Fxiaoke record it came from (a custom field the implementer made)."""

from __future__ import annotations

from core.errors import Fxk3Error
from core.fxiaoke.client import FxiaokeClient
from core.sync import messages
from core.sync.slots import AUTH_ERRORS, Slot

#: Fxiaoke field that receives the K3Cloud number on write-back, per object.
WRITEBACK_FIELDS = {"AccountObj": "field_k3_no__c", "SalesOrderObj": "field_k3_no__c"}


def write_back(fx: FxiaokeClient, source_object: str, slots: list[Slot]) -> None:
    """Writes each slot's K3Cloud number into its Fxiaoke record unless it is there already.

    A failure is noted on the slot (its document in K3Cloud is fine) and the next run writes back again; refused
    credentials stop the run.
    """
    field = WRITEBACK_FIELDS.get(source_object)
    if not field:
        return
    for s in slots:
        number = s.number
        if not number or s.work.record.get(field) == number:
            continue
        try:
            fx.update(source_object, s.work.source_id, {field: number})
        except AUTH_ERRORS:
            raise
        except Fxk3Error as exc:
            if s.error is None:
                s.error = messages.writeback_failed(exc)
            continue
        s.work.record[field] = number
