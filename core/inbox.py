"""What needs a person: records held or failed for a cause a person must fix, grouped by cause (the 待处理 inbox).

One record's newest journal row says where it stands. It is inbox material when it is ``held`` (by definition it
waits for a person: not approved, an audited K3Cloud document that differs, another PC writing it ...), when it
``failed`` for a cause nobody but a person can remove (a material missing in K3Cloud, a mapping row that gives no
value, K3Cloud refusing the document, a write whose outcome could not be checked ...), or when a document was left
saved or submitted because Submit/Audit was refused.

Transient failures (a lost connection, a timeout, a run stopped part-way: ``retryable`` errors and the ``stopped_*``
codes) are not: the next run tries them again by itself. They enter the inbox only when the same record has failed
``KEEPS_FAILING`` runs in a row, because then something is wrong that waiting will not fix.

Records are grouped by cause, one group per missing base-data number, per customer that could not be synced, per
code; the title names the thing and counts the records (物料 MAT-9 在金蝶中不存在：14 张订单). A record missing two
materials is in both groups: fixing one leaves it waiting on the other, which its retry then says.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from core.errors import ErrorInfo, Text
from core.sync.journal import Journal, load_error
from core.sync.model import RETRY_FLOWS as SYNC_RETRY_FLOWS
from core.views import InboxGroup, InboxRecord

#: A record whose transient failure comes back this many runs in a row needs a person after all.
KEEPS_FAILING = 3
#: Flows whose records ``Workspace.retry`` can send again: exactly those ``SyncEngine.retry`` takes (customers,
#: orders, payments, products); deliveries are not retried by item, the next run reads the shipments again.
RETRY_FLOWS = SYNC_RETRY_FLOWS
#: Codes of failures that the next run clears by itself (the run was stopped or cut off, not the record refused).
TRANSIENT_CODES = frozenset({"stopped_not_sent", "stopped_unconfirmed", "stopped_unfinished", "interrupted",
                             "outcome_unknown"})

#: How a number of records of a flow reads: "14 张订单" / "14 orders".
_NOUNS: dict[str, tuple[str, str, str]] = {
    "orders": ("张订单", "order", "orders"), "customers": ("个客户", "customer", "customers"),
    "payments": ("张收款单", "payment", "payments"), "deliveries": ("张出库单", "shipment", "shipments"),
    "shipments": ("张出库单", "shipment", "shipments"), "products": ("个产品", "product", "products"),
}
_KINDS: dict[str, Text] = {
    "customer": Text("客户", "Customer"), "material": Text("物料", "Material"), "unit": Text("计量单位", "Unit"),
    "org": Text("组织", "Organisation"), "currency": Text("币别", "Currency"),
}
_SIDES = {"fxiaoke": Text("纷享销客", "Fxiaoke"), "k3cloud": Text("金蝶", "K3Cloud"),
          "mapping": Text("映射", "Mapping"), "local": Text("本机", "This PC")}


@dataclass(frozen=True)
class _Cause:
    key: str
    code: str | None
    side: str
    head: Text  # the title before the count, e.g. 物料 MAT-9 在金蝶中不存在
    advice: Text


def inbox(journal: Journal, flows: Iterable[str] | None = None) -> list[InboxGroup]:
    """The profile's open problems grouped by cause, the group with the most records first."""
    groups: dict[str, InboxGroup] = {}
    for flow in flows if flows is not None else journal.flows():
        items = [(i, load_error(i)) for i in journal.latest_items(flow).values()]
        items = [(i, e) for i, e in items if _open(i.state, e)]
        streaks = journal.failure_streaks(flow, [i.source_id for i, _e in items if i.state == "failed"])
        for item, error in items:
            failures = streaks.get(item.source_id, 0) or 1
            if item.state == "failed" and _transient(error) and failures < KEEPS_FAILING:
                continue  # the next run tries it again by itself
            record = InboxRecord(item.id, flow, item.source_id, item.idem_key or item.source_id, item.state, error,
                                 item.k3_number or "", item.run_id, item.updated_at, failures)
            for cause in causes(item.state, error, failures):
                group = groups.get(cause.key)
                if group is None:
                    group = groups[cause.key] = InboxGroup(cause.key, cause.code, cause.side, cause.head, cause.advice)
                group.records.append(record)
    out = list(groups.values())
    for g in out:
        g.records.sort(key=lambda r: (r.flow, r.number))
        g.title = _titled(g.title, g.records)
        g.can_retry = any(r.flow in RETRY_FLOWS for r in g.records)
    out.sort(key=lambda g: (-g.count, g.key))
    return out


def _open(state: str, error: ErrorInfo | None) -> bool:
    """Held or failed; or a document in K3Cloud whose Submit/Audit was refused, or that may have a twin there."""
    if state in ("failed", "held"):
        return True
    if state in ("saved", "submitted", "audited") and error is not None:
        return error.code == "possible_duplicate" or error.details.get("unfinished") in ("submit", "audit")
    return False


def _transient(error: ErrorInfo | None) -> bool:
    if error is None:
        return True  # a failure without a reason (an old row): give the next run its chance first
    return error.code in TRANSIENT_CODES or (error.retryable and error.code != "claimed_elsewhere")


def causes(state: str, error: ErrorInfo | None, failures: int = 1) -> list[_Cause]:
    """The groups one record belongs to (usually one; one per missing base-data number)."""
    if error is None:
        return [_Cause("unknown", None, "local", Text("同步失败，没有记录原因", "Failed, no reason recorded"),
                       Text("请重试；如仍失败，请把日志发给技术支持。",
                            "Retry; if it fails again, send the log to support."))]
    code, details, advice = error.code, error.details, error.advice
    customer = details.get("customer")
    if isinstance(customer, dict) and customer.get("id"):
        name = str(customer.get("name") or customer.get("id"))
        return [_Cause(f"customer:{customer['id']}", code, error.side,
                       Text(f"客户「{name}」未能同步到金蝶", f"The customer '{name}' could not be synced to K3Cloud"),
                       Text("请先处理该客户的问题（见下方原因），然后重试这些记录。",
                            "Fix the customer first (see the reason below), then retry these records."))]
    missing = details.get("missing")
    if code == "missing_base_data" and isinstance(missing, list) and missing:
        return [_missing(m, advice) for m in missing if isinstance(m, dict)] or [_by_code(error)]
    step = details.get("unfinished")
    if state != "failed" and step in ("submit", "audit"):
        what = Text("提交", "submit") if step == "submit" else Text("审核", "audit")
        return [_Cause(f"unfinished:{step}:{error.side}:{code}", code, error.side,
                       Text(f"已保存到金蝶，但{what.zh}没有完成",
                            f"Saved in K3Cloud, but the {what.en} did not finish"),
                       advice)]
    fixed = _FIXED.get(code or "")
    if fixed is not None:
        return [_Cause(code or "", code, error.side, fixed[0], advice or fixed[1])]
    if code == "claimed_elsewhere":
        host = str(details.get("host") or "?")
        return [_Cause(f"claimed_elsewhere:{host}", code, error.side,
                       Text(f"正由另一台电脑（{host}）同步", f"Being synced by another PC ({host})"), advice)]
    if error.side == "mapping" and details.get("field"):
        field = str(details["field"])
        return [_Cause(f"mapping:{code}:{field}", code, "mapping",
                       Text(f"映射规则 {field} 得不到值", f"The mapping row for {field} gives no value"), advice)]
    if failures >= KEEPS_FAILING and _transient(error):
        side = _SIDES.get(error.side, Text(error.side, error.side))
        code_zh, code_en = ("，错误码 " + code, ", code " + code) if code else ("", "")
        return [_Cause(f"keeps_failing:{error.side}:{code}", code, error.side,
                       Text(f"连续 {KEEPS_FAILING} 次以上同步失败（{side.zh}{code_zh}）",
                            f"Failed {KEEPS_FAILING} or more runs in a row ({side.en}{code_en})"),
                       Text(join(advice.zh, "反复出现时，请打开接口日志查看原因或联系技术支持。"),
                            join(advice.en, "As it keeps coming back, see the API log or contact support.", " ")))]
    return [_by_code(error)]


def _missing(ref: dict[str, object], advice: Text) -> _Cause:
    kind = str(ref.get("kind") or "")
    number = str(ref.get("number") or "")
    name = _KINDS.get(kind, Text(kind, kind))
    # pre-flight may say why a number cannot be used (issue 13): missing (default), disabled, not allocated
    reason = str(ref.get("reason") or ref.get("status") or "missing")
    if reason in ("disabled", "forbidden"):
        head = Text(f"{name.zh} {number} 在金蝶中已禁用", f"{name.en} {number} is disabled in K3Cloud")
    elif reason in ("not_allocated", "unallocated"):
        head = Text(f"{name.zh} {number} 在金蝶中未分配到本组织",
                    f"{name.en} {number} is not allocated to the organisation in K3Cloud")
    else:
        head = Text(f"{name.zh} {number} 在金蝶中不存在", f"{name.en} {number} does not exist in K3Cloud")
    return _Cause(f"missing:{kind}:{number}:{reason}", "missing_base_data", "k3cloud", head, advice)


def _by_code(error: ErrorInfo) -> _Cause:
    """Any other cause: grouped by side, code and the field K3Cloud named; titled by the first record's message."""
    rows = error.details.get("errors")
    field = ""
    if isinstance(rows, list) and rows and isinstance(rows[0], dict):
        field = str(rows[0].get("field") or "")
    field = field or str(error.details.get("field") or "")
    message = Text(_first_line(error.message.zh), _first_line(error.message.en))
    return _Cause(f"other:{error.side}:{error.code}:{field}:{message.en if not field else ''}", error.code,
                  error.side, message, error.advice)


#: Causes every record of which reads the same: (title, advice when the record has none).
_FIXED: dict[str, tuple[Text, Text]] = {
    "not_approved": (Text("尚未在纷享销客中审批通过", "Not approved in Fxiaoke yet"),
                     Text("审批通过后会自动同步；也可审批后点“重试”。",
                          "They are synced once approved; or retry them after approval.")),
    "k3_audited": (Text("金蝶中的单据已审核，且与纷享销客不同", "Audited in K3Cloud and different from Fxiaoke"),
                   Text("请在金蝶中反审核后重试，或在纷享销客中改回原内容。",
                        "Un-audit the document in K3Cloud and retry, or change the record back in Fxiaoke.")),
    "order_not_synced": (Text("对应的订单尚未同步到金蝶", "Their order is not in K3Cloud yet"),
                         Text("请先同步订单，然后重试。", "Sync the order first, then retry.")),
    "duplicate_key": (Text("两条纷享销客记录对应同一个金蝶编号", "Two Fxiaoke records map to the same K3Cloud number"),
                      Text("请在纷享销客中改正重复的编号，然后重试。",
                           "Correct the duplicate number in Fxiaoke, then retry.")),
    "outcome_unverified": (Text("写入金蝶的结果未知，需要人工核对", "Outcome unknown: check in K3Cloud by hand"),
                           Text("请在金蝶中查找这些单据，然后标为“已处理”或重试。",
                                "Look for them in K3Cloud, then mark them resolved or retry.")),
    "possible_duplicate": (Text("金蝶中可能有重复的单据", "K3Cloud may hold a duplicate"),
                           Text("请在金蝶中查找并删除多余的一份。", "Look in K3Cloud and delete the extra copy.")),
    "voided": (Text("已在纷享销客中作废", "Voided in Fxiaoke"),
               Text("不需要同步的，请标为“已处理”。", "If they need no sync, mark them resolved.")),
    "not_found": (Text("纷享销客中已找不到这些记录", "No longer in Fxiaoke"),
                  Text("如已删除，请标为“已处理”。", "If they were deleted, mark them resolved.")),
}


def _titled(head: Text, records: list[InboxRecord]) -> Text:
    """``head`` followed by how many records of which flows wait on it: "…：14 张订单" / "…: 14 orders"."""
    per_flow: dict[str, int] = {}
    for r in records:
        per_flow[r.flow] = per_flow.get(r.flow, 0) + 1
    zh, en = [], []
    for flow, n in sorted(per_flow.items()):
        noun = _NOUNS.get(flow, ("条记录", "record", "records"))
        zh.append(f"{n} {noun[0]}")
        en.append(f"{n} {noun[1] if n == 1 else noun[2]}")
    return Text(f"{head.zh}：{'、'.join(zh)}", f"{head.en}: {', '.join(en)}")


def _first_line(text: str) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line[:160].rstrip("。.：:;； ") if line else ""


def join(first: str, second: str, sep: str = "") -> str:
    return f"{first}{sep}{second}" if first else second

