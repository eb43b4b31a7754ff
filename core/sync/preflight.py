"""Pre-flight: every base-data number the payloads reference is checked in K3Cloud in batched queries, before
anything is saved.

A number must exist; customers and materials must also be audited (FDocumentStatus C), not forbidden (FForbidStatus
A) and allocated to the profile's organisation (a row with that FUseOrgId): K3Cloud treats a forbidden record as
non-existent and, with ``IsVerifyBaseDataField`` false, would silently drop an order line whose material does not
resolve (reference k3cloud-webapi.md §5; issue 13). Each failure is named: 物料 MAT-9 已禁用 / 未分配到组织 100.
"""

from __future__ import annotations

from collections.abc import Iterable

from core.errors import Fxk3Error, MissingRef, PreflightError, Text
from core.k3cloud.client import K3CloudClient
from core.sync import reads
from core.sync.plan import Work

#: How each kind of base data is named to a finance clerk.
KIND_NAMES: dict[str, Text] = {
    "customer": Text("客户", "customer"),
    "material": Text("物料", "material"),
    "unit": Text("计量单位", "unit"),
    "org": Text("组织", "organisation"),
    "currency": Text("币别", "currency"),
}
#: Kinds whose audit state, forbid state and allocation are checked, not only their existence.
STATEFUL = {"customer", "material"}

_ADVICE: dict[str, Text] = {
    "material": Text("请先在金蝶中新增该物料并分配到销售组织，或在纷享销客中改正产品编码，然后重试。",
                     "Create the material in K3Cloud and allocate it to the sales organisation, or correct the "
                     "product code in Fxiaoke, then retry."),
    "customer": Text("请先同步该客户，或在金蝶中新增该客户，然后重试。",
                     "Sync the customer first, or create it in K3Cloud, then retry."),
    "org": Text("请检查配置中的组织编码（k3_org）。", "Check the organisation number (k3_org) in the profile."),
}
_STATE_ADVICE: dict[str, Text] = {
    "forbidden": Text("请金蝶管理员在金蝶中反禁用该资料（或改用其他可用的编码），然后重试。",
                      "Ask the K3Cloud administrator to enable it again (or use another code that is in use), "
                      "then retry."),
    "unaudited": Text("请在金蝶中审核该资料，然后重试。", "Audit it in K3Cloud, then retry."),
    "not_allocated": Text("请在金蝶中把该资料分配到该组织（基础资料 → 分配），然后重试。",
                          "Allocate it to that organisation in K3Cloud (base data -> Allocate), then retry."),
}
_DEFAULT_ADVICE = Text("请先在金蝶中补齐该基础资料，或修改映射，然后重试。",
                       "Add this base data in K3Cloud or change the mapping, then retry.")


def _what(m: MissingRef) -> Text:
    kind = KIND_NAMES.get(m.kind, Text(m.kind, m.kind))
    if m.reason == "forbidden":
        return Text(f"{kind.zh} {m.number} 在金蝶中已禁用", f"{kind.en} {m.number} is forbidden (禁用) in K3Cloud")
    if m.reason == "unaudited":
        return Text(f"{kind.zh} {m.number} 在金蝶中未审核", f"{kind.en} {m.number} is not audited in K3Cloud")
    if m.reason == "not_allocated":
        return Text(f"{kind.zh} {m.number} 未分配到组织 {m.org}",
                    f"{kind.en} {m.number} is not allocated to organisation {m.org}")
    return Text(f"{kind.zh} {m.number} 在金蝶中不存在", f"{kind.en} {m.number} does not exist in K3Cloud")


def missing_error(missing: list[MissingRef]) -> PreflightError:
    """One bilingual message naming every unusable number, e.g. 物料 MAT-9 在金蝶中不存在；物料 MAT-7 已禁用."""
    parts = [_what(m) for m in missing]
    first = missing[0]
    advice = _ADVICE.get(first.kind, _DEFAULT_ADVICE) if first.reason == "missing" else _STATE_ADVICE[first.reason]
    code = "missing_base_data" if any(m.reason == "missing" for m in missing) else "base_data_unusable"
    return PreflightError(Text("；".join(p.zh for p in parts), "; ".join(p.en for p in parts)), advice,
                          missing=missing, code=code, side="k3cloud")


def check(k3: K3CloudClient, works: Iterable[Work], *, org: str = "", known: dict[str, set[str]] | None = None) -> int:
    """Marks every work whose payload references base data K3Cloud cannot use as failed; returns how many failed.

    ``org``: the organisation the documents are for (customers and materials must be allocated to it).
    ``known`` holds numbers already known to be usable per form id (e.g. customers this run pushes first).
    """
    todo = [w for w in works if w.payload is not None and w.error is None]
    wanted: dict[tuple[str, str], set[str]] = {}
    for w in todo:
        for ref in w.payload.refs if w.payload is not None else []:
            wanted.setdefault((ref.kind, ref.form_id), set()).add(ref.number)
    problems: dict[tuple[str, str], MissingRef] = {}
    for (kind, form_id), numbers in wanted.items():
        ask = sorted(numbers - (known or {}).get(form_id, set()))
        if ask:
            problems.update(((form_id, m.number), m) for m in _unusable(k3, kind, form_id, ask, org))
    failed = 0
    for w in todo:
        bad: list[MissingRef] = []
        for ref in w.payload.refs if w.payload is not None else []:
            m = problems.get((ref.form_id, ref.number))
            if m is not None and m not in bad:
                bad.append(m)
        if bad:
            w.error = missing_error(bad).info()
            failed += 1
    return failed


def _unusable(k3: K3CloudClient, kind: str, form_id: str, numbers: list[str], org: str) -> list[MissingRef]:
    """The numbers of one form that K3Cloud cannot use for ``org``, each with why."""
    if kind not in STATEFUL or not org:
        present = reads.numbers(k3, form_id, "FNumber", numbers)
        return [MissingRef(kind, n, form_id) for n in numbers if n not in present]
    try:
        states = reads.base_states(k3, form_id, numbers)
    except Fxk3Error as exc:
        if getattr(exc, "msg_code", None) != 9:  # 9: a state field this tenant's form lacks -> existence only
            raise
        present = reads.numbers(k3, form_id, "FNumber", numbers)
        return [MissingRef(kind, n, form_id) for n in numbers if n not in present]
    out: list[MissingRef] = []
    for n in numbers:
        rows = states.get(n, [])
        mine = [r for r in rows if r.use_org == org] or ([r for r in rows if not r.use_org])
        if not rows:
            out.append(MissingRef(kind, n, form_id))
        elif not mine:
            out.append(MissingRef(kind, n, form_id, "not_allocated", org))
        elif all(r.forbid == "B" for r in mine):
            out.append(MissingRef(kind, n, form_id, "forbidden", org))
        elif all(r.status != "C" for r in mine):
            out.append(MissingRef(kind, n, form_id, "unaudited", org))
    return out
