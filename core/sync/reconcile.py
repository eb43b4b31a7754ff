"""Settle journal items a previous run left unfinished (crash, kill, unknown outcome) by asking K3Cloud.

A creation is settled by its key (the document exists or not); an update by reading the document back and
comparing it with the state the update was to leave (``changes.state_hash`` against the journaled hash); a void by
whether the document is still there. Nothing is ever sent here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.k3cloud.client import K3CloudClient
from core.mapping import Mapping
from core.store import SyncItem
from core.sync import changes, messages, reads
from core.sync.journal import Journal, LinkRow
from core.sync.model import STATUS_STAGE
from core.sync.writer import renumber_flag

Change = tuple[int, dict[str, Any]]


def reconcile(k3: K3CloudClient, journal: Journal, mapping_for: Callable[[str], Mapping]) -> int:
    """Every 'pending'/'writing' item becomes what K3Cloud says; returns how many items were settled.

    Read errors propagate (nothing is decided without an answer).
    """
    items = journal.unfinished()
    by_flow: dict[str, list[SyncItem]] = {}
    for it in items:
        by_flow.setdefault(it.flow, []).append(it)
    settled = 0
    for flow, rows in by_flow.items():
        mapping = mapping_for(flow)
        found = reads.numbers(k3, mapping.form_id, mapping.key_field, [r.idem_key for r in rows])
        changes_: list[Change] = []
        links: list[LinkRow] = []
        renumbers = journal.watermark(renumber_flag(mapping.form_id))
        updates = [r for r in rows if r.action == "update" and r.state == "writing" and r.idem_key in found]
        spec = changes.spec_of(mapping)
        docs = changes.read(k3, spec, [r.idem_key for r in updates]) if updates else {}
        for r in rows:
            hit = found.get(r.idem_key)
            if r.action == "void":
                _void(r, hit, changes_, links)
                continue
            if hit is None:
                # A sent item not found by a number K3Cloud may have replaced proves nothing: a person must check.
                lost = messages.unverified(renumbers) if renumbers and r.state == "writing" else messages.interrupted()
                changes_.append((r.id, {"state": "failed", "error": lost}))
                continue
            stage = STATUS_STAGE.get(str(hit.get("status") or ""), "saved")
            number = str(hit.get("number") or r.idem_key)
            k3_id = None if hit.get("id") in (None, "") else str(hit["id"])
            if r.action == "update" and r.state == "writing":
                doc = docs.get(r.idem_key)
                if doc is None or changes.state_hash(spec, doc) != r.payload_hash:
                    changes_.append((r.id, {"state": "failed", "error": messages.update_unverified(number, None)}))
                    continue
                changes_.append((r.id, {"state": stage, "k3_id": k3_id, "k3_number": number, "error": None}))
                continue  # the link keeps the version it had: the next run compares the record again
            # A 'pending' item was never sent: the document someone else made is not ours to submit or audit.
            state = stage if r.state == "writing" else "skipped"
            changes_.append((r.id, {"state": state, "k3_id": k3_id, "k3_number": number, "error": None}))
            links.append(LinkRow(r.source_id, k3_id, number, stage))
        journal.settle(changes_)
        journal.upsert_links(mapping.source_object, mapping.form_id, links)
        settled += len(changes_)
    return settled


def _void(item: SyncItem, hit: dict[str, Any] | None, out: list[Change], links: list[LinkRow]) -> None:
    """A delete that was sent (or about to be): gone = voided; still there = not done, the next run tries again."""
    if item.state == "writing" and hit is None:
        out.append((item.id, {"state": "voided", "error": None}))
        links.append(LinkRow(item.source_id, item.k3_id, item.idem_key, "voided"))
    else:
        out.append((item.id, {"state": "failed", "error": messages.void_unfinished(item.idem_key)}))
