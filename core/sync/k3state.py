"""What K3Cloud holds for a batch of documents, read back by number: head fields and entry rows in one query.

One ExecuteBillQuery per chunk of numbers (paged), mixing head keys and entry keys, answers one row per entry row
with the head values repeated (a document without entry rows answers one row, its entry keys empty): reference
k3cloud-webapi.md §7 (``<EntryKey>_FEntryId`` / ``<EntryKey>_FSeq`` give entry ids and row numbers; dotted paths
such as ``FMaterialId.FNumber`` reach into base data). Used for change detection and for settling an update whose
outcome is unknown (``core.sync.changes``); a read-back after Save (issue 13) can use it as it is::

    docs = read(k3, "SAL_SaleOrder", "FBillNo", ["SO-1", "SO-2"], head=["FCustId.FNumber", "FDate"],
                entry_key="FSaleOrderEntry", entries=["FMaterialId.FNumber", "FQty", "FTaxPrice"])
    docs["SO-1"].entries[0].values["FQty"], docs["SO-1"].entries[0].entry_id, docs["SO-1"].status

Values are returned as K3Cloud answered them (numbers, ``2025-01-15T00:00:00`` dates, base data by the number the
key asks for); comparing them is the caller's business. Read errors propagate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.k3cloud.client import K3CloudClient
from core.k3cloud.query import in_filter, primary_key

#: Numbers per query: an order has a handful of lines, so a chunk stays within one or two 2,000-row pages.
CHUNK = 100
PAGE = 2000
STATUS_FIELD = "FDocumentStatus"


@dataclass
class K3Entry:
    """One entry row of a document: its internal id (FEntryID), its row number and the fields asked for."""

    entry_id: int | None
    seq: int | None
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class K3Doc:
    """One document as K3Cloud holds it: internal id, number, status (Z/A/B/C/D), head fields, entry rows."""

    id: str
    number: str
    status: str
    head: dict[str, Any] = field(default_factory=dict)
    entries: list[K3Entry] = field(default_factory=list)


def read(k3: K3CloudClient, form_id: str, key_field: str, numbers: Iterable[str], *, head: Sequence[str] = (),
         entry_key: str | None = None, entries: Sequence[str] = (), chunk: int = CHUNK) -> dict[str, K3Doc]:
    """number -> the document K3Cloud holds under it (the first by internal id when several share a number).

    ``head`` and ``entries`` are query field keys (``FDate``, ``FCustId.FNumber``; entry ones without the entry
    prefix: ``FQty``); ``entry_key`` names the entry list whose rows are read (None: head only).
    """
    wanted = list(dict.fromkeys(str(n) for n in numbers if n not in (None, "")))
    pk = primary_key(form_id)
    head_keys = [k for k in dict.fromkeys(head) if k.lower() not in (pk.lower(), key_field.lower(),
                                                                     STATUS_FIELD.lower())]
    entry_keys = list(dict.fromkeys(entries)) if entry_key else []
    id_keys = [f"{entry_key}_FEntryId", f"{entry_key}_FSeq"] if entry_key else []
    keys = [pk, key_field, STATUS_FIELD, *head_keys, *id_keys, *entry_keys]
    found: dict[str, K3Doc] = {}
    seen_entries: dict[str, set[int]] = {}
    for start in range(0, len(wanted), max(1, chunk)):
        part = wanted[start:start + chunk]
        order = f"{pk} ASC" + (f",{entry_key}_FSeq ASC" if entry_key else "")
        for row in k3.query_all(form_id, keys, filter=in_filter(key_field, part), order=order, page_size=PAGE):
            number = str(row.get(key_field))
            rid = _text(row.get(pk))
            doc = found.get(number)
            if doc is None:
                doc = found[number] = K3Doc(rid, number, str(row.get(STATUS_FIELD) or ""),
                                            {k: row.get(k) for k in head_keys})
            elif doc.id != rid:
                continue  # a second document under the same number: the first (by internal id) is the one read
            if not entry_key:
                continue
            entry_id = _int(row.get(id_keys[0]))
            if entry_id is None or entry_id in seen_entries.setdefault(number, set()):
                continue  # no entry rows (one row of head values), or a row a second page repeated
            seen_entries[number].add(entry_id)
            doc.entries.append(K3Entry(entry_id, _int(row.get(id_keys[1])), {k: row.get(k) for k in entry_keys}))
    for doc in found.values():
        doc.entries.sort(key=lambda e: (e.seq if e.seq is not None else 1 << 30, e.entry_id or 0))
    return found


def _int(value: Any) -> int | None:
    try:
        number = int(str(value).strip()) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number else None


def _text(value: Any) -> str:
    return "" if value is None else str(value)
