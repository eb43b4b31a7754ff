"""Pre-flight: every base-data number the payloads reference is looked up in K3Cloud in batched queries."""

from __future__ import annotations

from collections.abc import Iterable

from core.errors import MissingRef, PreflightError, Text
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

_ADVICE: dict[str, Text] = {
    "material": Text("请先在金蝶中新增该物料并分配到销售组织，或在纷享销客中改正产品编码，然后重试。",
                     "Create the material in K3Cloud and allocate it to the sales organisation, or correct the "
                     "product code in Fxiaoke, then retry."),
    "customer": Text("请先同步该客户，或在金蝶中新增该客户，然后重试。",
                     "Sync the customer first, or create it in K3Cloud, then retry."),
    "org": Text("请检查配置中的组织编码（k3_org）。", "Check the organisation number (k3_org) in the profile."),
}
_DEFAULT_ADVICE = Text("请先在金蝶中补齐该基础资料，或修改映射，然后重试。",
                       "Add this base data in K3Cloud or change the mapping, then retry.")


def missing_error(missing: list[MissingRef]) -> PreflightError:
    """One bilingual message naming every missing number, e.g. 物料 MAT-9 在金蝶中不存在."""
    zh = "；".join(f"{KIND_NAMES.get(m.kind, Text(m.kind, m.kind)).zh} {m.number} 在金蝶中不存在" for m in missing)
    en = "; ".join(f"{KIND_NAMES.get(m.kind, Text(m.kind, m.kind)).en} {m.number} does not exist in K3Cloud"
                   for m in missing)
    return PreflightError(Text(zh, en), _ADVICE.get(missing[0].kind, _DEFAULT_ADVICE), missing=missing,
                          code="missing_base_data", side="k3cloud")


def check(k3: K3CloudClient, works: Iterable[Work], *, known: dict[str, set[str]] | None = None) -> int:
    """Marks every work whose payload references a number K3Cloud lacks as failed; returns how many failed.

    ``known`` holds numbers already known to exist per form id (e.g. customers pushed in this run).
    """
    todo = [w for w in works if w.payload is not None and w.error is None]
    wanted: dict[str, set[str]] = {}
    for w in todo:
        assert w.payload is not None
        for ref in w.payload.refs:
            wanted.setdefault(ref.form_id, set()).add(ref.number)
    present: dict[str, set[str]] = {f: set(v) for f, v in (known or {}).items()}
    for form_id, numbers in wanted.items():
        have = present.setdefault(form_id, set())
        have.update(str(n) for n in reads.numbers(k3, form_id, "FNumber", sorted(numbers - have)))
    failed = 0
    for w in todo:
        missing: list[MissingRef] = []
        seen: set[tuple[str, str]] = set()
        for ref in w.payload.refs if w.payload is not None else []:
            if ref.number not in present.get(ref.form_id, set()) and (ref.form_id, ref.number) not in seen:
                seen.add((ref.form_id, ref.number))
                missing.append(MissingRef(ref.kind, ref.number, ref.form_id))
        if missing:
            w.error = missing_error(missing).info()
            failed += 1
    return failed
