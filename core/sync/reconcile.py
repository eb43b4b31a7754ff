"""Settle journal items a previous run left unfinished (crash, kill, unknown outcome) by asking K3Cloud by key."""

from __future__ import annotations

from typing import Any, Callable

from core.k3cloud.client import K3CloudClient
from core.mapping import Mapping
from core.sync import messages, reads
from core.sync.journal import Journal, LinkRow
from core.sync.model import STATUS_STAGE
from core.sync.writer import renumber_flag


def reconcile(k3: K3CloudClient, journal: Journal, mapping_for: Callable[[str], Mapping]) -> int:
    """Every 'pending'/'writing' item becomes what K3Cloud says: its stage if the key exists, else 'failed'.

    Returns how many items were settled. Read errors propagate (nothing is decided without an answer).
    """
    items = journal.unfinished()
    by_flow: dict[str, list[Any]] = {}
    for it in items:
        by_flow.setdefault(it.flow, []).append(it)
    settled = 0
    for flow, rows in by_flow.items():
        mapping = mapping_for(flow)
        found = reads.numbers(k3, mapping.form_id, mapping.key_field, [r.idem_key for r in rows])
        changes: list[tuple[int, dict[str, Any]]] = []
        links: list[LinkRow] = []
        renumbers = journal.watermark(renumber_flag(mapping.form_id))
        for r in rows:
            hit = found.get(r.idem_key)
            if hit is None:
                # A sent item not found by a number K3Cloud may have replaced proves nothing: a person must check.
                lost = messages.unverified(renumbers) if renumbers and r.state == "writing" else messages.interrupted()
                changes.append((r.id, {"state": "failed", "error": lost}))
                continue
            stage = STATUS_STAGE.get(str(hit.get("status") or ""), "saved")
            number = str(hit.get("number") or r.idem_key)
            k3_id = None if hit.get("id") in (None, "") else str(hit["id"])
            # A 'pending' item was never sent: the document someone else made is not ours to submit or audit.
            state = stage if r.state == "writing" else "skipped"
            changes.append((r.id, {"state": state, "k3_id": k3_id, "k3_number": number, "error": None}))
            links.append(LinkRow(r.source_id, k3_id, number, stage))
        journal.settle(changes)
        journal.upsert_links(mapping.source_object, mapping.form_id, links)
        settled += len(changes)
    return settled
