"""Change detection: the freshly mapped payload against what K3Cloud holds, field by field.

What is compared: every field a mapping RULE fills (from the record, a look-up or the profile), never the
template's constants (changing a constant in the mapping must not rewrite every document) nor the key (the
document was found by it). Values are compared in a canonical form: numbers as decimals (``10``, ``10.0`` and
``"10.00"`` are equal), dates by their day (``2025-01-15`` = ``2025-01-15T00:00:00``), base data by number.
Entry rows are matched by material and sequence: the n-th row of material X in the payload is the n-th row of
material X in K3Cloud (by FSeq); rows left over are added or removed. A text field the payload leaves out while
K3Cloud holds text is compared as empty (and an update clears it); other fields left out are not compared.

An update is sent as the whole mapped payload plus the document's internal id and each matched row's FEntryID
(reference k3cloud-webapi.md §5: updates pass the internal id, entries their FEntryID, ``IsDeleteEntry`` true
drops the rows not sent). ``expected_hash`` is the canonical state K3Cloud should hold once the update landed;
``state_hash`` of a read-back equal to it proves it did (an unknown outcome is settled so, never by re-sending).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from core.k3cloud.client import K3CloudClient
from core.k3cloud.query import primary_key
from core.mapping import MappedPayload, Mapping
from core.mapping.model import parse_target
from core.sync import k3state
from core.sync.k3state import K3Doc, K3Entry

_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?)?")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.0+)?")
#: A diff entry: {"field": "FSaleOrderEntry[2].FQty", "k3": "10", "new": "12"} (canonical text, "" = empty).
Diff = list[dict[str, str]]


@dataclass(frozen=True)
class Compared:
    """One compared field: its path in the payload (head, or inside an entry row) and its query key."""

    path: tuple[str, ...]
    key: str

    @property
    def name(self) -> str:
        return ".".join(self.path)


@dataclass
class Spec:
    """What to read back and compare for one mapping."""

    form_id: str
    key_field: str
    pk: str
    head: list[Compared] = field(default_factory=list)
    entry_key: str | None = None
    entries: list[Compared] = field(default_factory=list)

    @property
    def material(self) -> Compared | None:
        """The entry field rows are matched by: the first base-data reference among the entry fields."""
        return next((c for c in self.entries if c.path[-1].lower() == "fnumber"), None)


def query_key(path: tuple[str, ...]) -> str | None:
    """The ExecuteBillQuery key of a payload path, or None when it cannot be read back reliably.

    ``FCustId.FNumber`` stays; a sub-header's field is flat in queries (``FSaleOrderFinance.FSettleCurrId.FNumber``
    -> ``FSettleCurrId.FNumber``, ``FSaleOrderFinance.FExchangeRate`` -> ``FExchangeRate``, §7 and §8.2); a
    reference by another key (``{"FStaffNumber": …}``) is left out.
    """
    if path[-1].lower() == "fnumber":
        return f"{path[-2]}.FNumber" if len(path) >= 2 else None
    if len(path) == 1:
        return path[0]
    if len(path) == 2 and not path[0].lower().endswith("id"):
        return path[1]
    return None


def spec_of(mapping: Mapping) -> Spec:
    """The fields a mapping's rules fill, as read-back keys (the key field and the internal id left out)."""
    pk = primary_key(mapping.form_id)
    spec = Spec(mapping.form_id, mapping.key_field, pk, entry_key=mapping.entry_key)
    skip = {mapping.key_field.lower(), pk.lower(), "fid"}
    for rule in mapping.rules:
        target = parse_target(rule.target)
        key = query_key(target.path)
        if key is None or ".".join(target.path).lower() in skip:
            continue
        if target.entry is None:
            spec.head.append(Compared(target.path, key))
        elif target.entry == mapping.entry_key:
            spec.entries.append(Compared(target.path, key))
    return spec


def read(k3: K3CloudClient, spec: Spec, numbers: list[str]) -> dict[str, K3Doc]:
    """The documents K3Cloud holds under these numbers, with the compared fields (``k3state.read``)."""
    return k3state.read(k3, spec.form_id, spec.key_field, numbers, head=[c.key for c in spec.head],
                        entry_key=spec.entry_key if spec.entries else None, entries=[c.key for c in spec.entries])


# -- canonical values ---------------------------------------------------------------------------------------------

def canon(value: Any) -> str:
    """A value as compared: numbers as plain decimals, dates by day, base data by number, empty as ""."""
    if isinstance(value, dict):
        number = next((v for k, v in value.items() if isinstance(k, str) and k.lower() == "fnumber"), None)
        return canon(number)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return _decimal(Decimal(str(value)))
    text = str(value).strip()
    if _NUMBER.fullmatch(text):
        return _decimal(Decimal(text))
    date = _DATE.fullmatch(text)
    if date:
        return date.group(1)
    stamp = _DATETIME.fullmatch(text)
    if stamp:
        return f"{stamp.group(1)}T{stamp.group(2) if len(stamp.group(2)) > 5 else stamp.group(2) + ':00'}"
    return text.lower() if text.lower() in ("true", "false") else text


def _decimal(d: Decimal) -> str:
    try:
        text = format(d.normalize(), "f")
    except InvalidOperation:
        return str(d)
    return "0" if text in ("-0", "") else text


def _get(obj: Any, path: tuple[str, ...]) -> tuple[bool, Any]:
    for part in path:
        if not isinstance(obj, dict):
            return False, None
        hit = next((k for k in obj if k.lower() == part.lower()), None)
        if hit is None:
            return False, None
        obj = obj[hit]
    return True, obj


def _clears(k3_value: Any) -> bool:
    """A field the payload leaves out is compared (as empty) only when K3Cloud holds text that an update can clear."""
    return isinstance(k3_value, str) and canon(k3_value) != "" and not _NUMBER.fullmatch(k3_value.strip())


def _wanted(row: dict, c: Compared, k3_value: Any) -> str | None:
    """The canonical value the payload wants for a field, or None when the field is not compared."""
    present, value = _get(row, c.path)
    if present:
        return canon(value)
    return "" if _clears(k3_value) else None


# -- entry matching -----------------------------------------------------------------------------------------------

def match_entries(spec: Spec, rows: list[dict], entries: list[K3Entry]) -> list[K3Entry | None]:
    """For each payload row, the K3Cloud row it updates (by material, then sequence), or None for a new row."""
    mat = spec.material
    if mat is None:  # nothing to match by: rows pair up by position
        return [entries[i] if i < len(entries) else None for i in range(len(rows))]
    pool: dict[str, list[K3Entry]] = {}
    for e in entries:
        pool.setdefault(canon(e.values.get(mat.key)), []).append(e)
    out: list[K3Entry | None] = []
    for row in rows:
        present, value = _get(row, mat.path)
        bucket = pool.get(canon(value) if present else "", [])
        out.append(bucket.pop(0) if bucket else None)
    return out


def _rows(spec: Spec, payload: MappedPayload) -> list[dict]:
    rows = payload.model.get(spec.entry_key) if spec.entry_key else None
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def _line(spec: Spec, values: Iterator[str]) -> str:
    return ", ".join(v for v in values if v)


# -- the diff -----------------------------------------------------------------------------------------------------

def diff(spec: Spec, payload: MappedPayload, doc: K3Doc) -> Diff:
    """Field by field, what differs between the payload and the document (empty: equal)."""
    out: Diff = []
    for c in spec.head:
        k3_value = doc.head.get(c.key)
        new = _wanted(payload.model, c, k3_value)
        if new is not None and new != canon(k3_value):
            out.append({"field": c.name, "k3": canon(k3_value), "new": new})
    if not spec.entries:
        return out
    rows = _rows(spec, payload)
    matched = match_entries(spec, rows, doc.entries)
    for n, (row, entry) in enumerate(zip(rows, matched, strict=True), start=1):
        where = f"{spec.entry_key}[{n}]"
        if entry is None:
            out.append({"field": where, "k3": "", "new": _line(spec, (canon(_get(row, c.path)[1]) for c in
                                                                        spec.entries))})
            continue
        for c in spec.entries:
            k3_value = entry.values.get(c.key)
            new = _wanted(row, c, k3_value)
            if new is not None and new != canon(k3_value):
                out.append({"field": f"{where}.{c.name}", "k3": canon(k3_value), "new": new})
    used = {id(e) for e in matched if e is not None}
    for e in doc.entries:
        if id(e) not in used:
            out.append({"field": f"{spec.entry_key}[-{e.seq or '?'}]",
                        "k3": _line(spec, (canon(e.values.get(c.key)) for c in spec.entries)), "new": ""})
    return out


def update_model(spec: Spec, payload: MappedPayload, doc: K3Doc) -> dict:
    """The Save model of the update: the payload with the internal id, each matched row's FEntryID, and the text
    fields it leaves out that K3Cloud holds cleared."""
    model: dict = {spec.pk: _id(doc.id)}
    model.update({k: v for k, v in payload.model.items() if k.lower() != spec.pk.lower()})
    for c in spec.head:
        if _wanted(model, c, doc.head.get(c.key)) == "" and not _get(model, c.path)[0]:
            _put(model, c.path, "")
    if spec.entry_key and spec.entry_key in model:
        rows = _rows(spec, payload)
        out = []
        for row, entry in zip(rows, match_entries(spec, rows, doc.entries), strict=True):
            new = {"FEntryID": entry.entry_id, **row} if entry is not None else dict(row)
            for c in spec.entries:
                if entry is not None and not _get(new, c.path)[0] and _clears(entry.values.get(c.key)):
                    _put(new, c.path, "")
            out.append(new)
        model[spec.entry_key] = out
    return model


def _put(obj: dict, path: tuple[str, ...], value: Any) -> None:
    for part in path[:-1]:
        obj = obj.setdefault(part, {})
    obj[path[-1]] = value


def _id(value: str) -> int | str:
    return int(value) if value.isdigit() else value


# -- the state an update leaves -----------------------------------------------------------------------------------

def state_hash(spec: Spec, doc: K3Doc) -> str:
    """A digest of what K3Cloud holds in the compared fields (entries as a multiset: rows keep their place)."""
    head = {c.key: canon(doc.head.get(c.key)) for c in spec.head}
    rows = sorted([canon(e.values.get(c.key)) for c in spec.entries] for e in doc.entries) if spec.entries else []
    return _digest(head, rows)


def expected_hash(spec: Spec, payload: MappedPayload, doc: K3Doc) -> str:
    """``state_hash`` of the document once the update of ``payload`` has landed on ``doc``."""
    head = {}
    for c in spec.head:
        k3_value = doc.head.get(c.key)
        new = _wanted(payload.model, c, k3_value)
        head[c.key] = canon(k3_value) if new is None else new
    rows: list[list[str]] = []
    if spec.entries:
        payload_rows = _rows(spec, payload)
        for row, entry in zip(payload_rows, match_entries(spec, payload_rows, doc.entries), strict=True):
            values = []
            for c in spec.entries:
                k3_value = entry.values.get(c.key) if entry is not None else None
                new = _wanted(row, c, k3_value)
                values.append(canon(k3_value) if new is None else new)
            rows.append(values)
    return _digest(head, sorted(rows))


def _digest(head: dict[str, str], rows: list[list[str]]) -> str:
    text = json.dumps({"head": head, "entries": rows}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
