"""What the sync tells a finance clerk: every item error of the engine, built as an ``ErrorInfo`` value.

Each builder says what happened in the clerk's words, then what to do. Codes are stable: the inbox groups by them.
"""

from __future__ import annotations

from typing import Any

from core.errors import ErrorInfo, Fxk3Error, RowError, Text, join_sentences
from core.k3cloud.results import Status, status_error

#: Error code of a write whose outcome could not be checked by number: the record is not sent again by itself.
UNVERIFIED = "outcome_unverified"

#: How an object is named to a finance clerk.
OBJECT_NAMES = {"SalesOrderObj": Text("订单", "order"), "AccountObj": Text("客户", "customer"),
                "PaymentObj": Text("回款", "payment")}

_NUMBERING_ADVICE = Text("并请金蝶管理员在【编码规则】中允许手工录入单号（不按规则重新编号），以免再次发生。",
                         "Also ask the K3Cloud administrator to let the numbering rule (编码规则) keep manually "
                         "entered numbers, so this cannot happen again.")


def object_name(api: str) -> Text:
    return OBJECT_NAMES.get(api, Text(f"{api} 记录", f"{api} record"))


def of(exc: BaseException) -> ErrorInfo:
    """Any exception as an item error: ours carry their words; anything else is named as a local fault."""
    if isinstance(exc, Fxk3Error):
        return exc.info()
    return ErrorInfo(type(exc).__name__, "local", Text(f"本机出错：{exc}", f"Local error: {exc}"),
                     Text("请把日志发给技术支持。", "Send the log to support."))


def not_found(api: str, record_id: str) -> ErrorInfo:
    what = object_name(api)
    return ErrorInfo("not_found", "fxiaoke", Text(f"纷享销客中找不到{what.zh} {record_id}。",
                                                 f"Fxiaoke has no {what.en} {record_id}."),
                     Text("请检查记录 ID，或确认该记录未被删除。", "Check the record id, or whether it was deleted."))


def unknown(cause: BaseException | ErrorInfo | None) -> ErrorInfo:
    """A write whose outcome is unknown and could not be checked now: the next run checks it by number first."""
    info = cause if isinstance(cause, ErrorInfo) else (of(cause) if cause is not None else None)
    detail = Text(info.text("zh"), info.text("en")) if info is not None else Text("", "")
    return ErrorInfo("outcome_unknown", "k3cloud",
                     Text(f"写入金蝶的结果未知，且无法向金蝶核对。{detail.zh}",
                          f"The outcome of the write to K3Cloud is unknown and could not be checked with K3Cloud. "
                          f"{detail.en}".strip()),
                     Text("下次同步开始时会先按单号向金蝶核对，绝不会重复发送。",
                          "The next sync first checks it with K3Cloud by number; it is never sent twice."),
                     retryable=True)


def interrupted() -> ErrorInfo:
    return ErrorInfo("interrupted", "k3cloud",
                     Text("上次同步中断，金蝶中没有这张单据（未写入）。",
                          "The previous sync was interrupted and K3Cloud does not have this document (it was not "
                          "written)."),
                     Text("重新同步该记录即可，不会产生重复。", "Sync the record again; it cannot be duplicated."),
                     retryable=True)


def unverified(sample: str) -> ErrorInfo:
    """An unknown write on a form whose numbers K3Cloud replaces: it is not sent again until a person checks."""
    return ErrorInfo(
        UNVERIFIED, "k3cloud",
        Text(f"写入金蝶的结果未知。金蝶会按编码规则改写单号（如 {sample}），无法按单号核对这张单据是否已经存在，"
             "为避免重复，没有再次发送。",
             f"The outcome of the write to K3Cloud is unknown. K3Cloud replaces our numbers with its own ({sample}), "
             "so whether the document exists cannot be checked by number; to avoid a duplicate it was not sent again."),
        Text("请在金蝶中按客户和日期查找这张单据，然后在同步记录中把它标为“已处理”（如不存在，再重新同步）。"
             + _NUMBERING_ADVICE.zh,
             "Look for it in K3Cloud by customer and date, then mark it resolved in the sync history (if it is not "
             "there, sync it again afterwards). " + _NUMBERING_ADVICE.en))


def duplicate_risk(key: str, number: str) -> ErrorInfo:
    return ErrorInfo(
        "possible_duplicate", "k3cloud",
        Text(f"已写入金蝶，单号被金蝶改为 {number}。此前一次写入 {key} 的结果未知，金蝶中可能另有一份同样的单据。",
             f"Written to K3Cloud, which numbered it {number}. An earlier write of {key} had an unknown outcome, so "
             "K3Cloud may hold a second copy of this document."),
        Text("请在金蝶中按客户和日期查找，如有两份，删除多余的一份。" + _NUMBERING_ADVICE.zh,
             "Look in K3Cloud by customer and date and delete the extra copy if there are two. "
             + _NUMBERING_ADVICE.en))


def duplicate_key(source_id: str, other: str, key: str, key_field: str) -> ErrorInfo:
    """Two Fxiaoke records that map to one K3Cloud number would be one document: the later one fails."""
    return ErrorInfo(
        "duplicate_key", "mapping",
        Text(f"纷享销客记录 {source_id} 与 {other} 对应同一个金蝶编号 {key}，只能同步其中一条。",
             f"Fxiaoke records {source_id} and {other} map to the same K3Cloud number {key}; "
             "only one of them can be synced."),
        Text("请在纷享销客中改正重复的编号（如订单编号、客户编号），然后重试。",
             "Correct the duplicate number (order or customer number) in Fxiaoke, then retry."),
        {"field": key_field})


def refused(status: Status, action: Text, form: str) -> ErrorInfo:
    """A K3Cloud refusal of one row, in the clerk's words (the server's own message kept)."""
    return status_error(status, action, form).info()


def stage_failed(op: str, errors: list[RowError], res: Any, call_error: BaseException | None,
                 form: str) -> ErrorInfo:
    """Saved, but Submit or Audit did not finish: why (the server's words), and that a retry carries on."""
    action = Text("提交", "Submit") if op == "submit" else Text("审核", "Audit")
    if errors or res is not None:
        cause = refused(Status(False, getattr(res, "msg_code", None), list(errors), []), action, form)
    elif call_error is not None:
        cause = of(call_error)
    else:
        cause = ErrorInfo(None, "k3cloud", Text(f"金蝶{action.zh}失败。", f"K3Cloud {action.en.lower()} failed."))
    info = after_save(cause, Text(f"单据已保存到金蝶，但{action.zh}没有完成",
                                  f"Saved in K3Cloud, but the {action.en.lower()} did not finish"),
                      Text("按原因在金蝶中处理后，再同步一次该记录（或在同步记录中点“重试”）即可接着完成，不会重复创建。",
                           "Fix the cause in K3Cloud, then sync the record again (or use 'Retry' in the sync "
                           "history): it carries on from here and creates nothing twice."))
    return info.with_(details={**info.details, "unfinished": op})  # the inbox tells it from a write-back note


def writeback_failed(cause: BaseException | ErrorInfo) -> ErrorInfo:
    return after_save(cause if isinstance(cause, ErrorInfo) else of(cause),
                      Text("已写入金蝶，但回写纷享销客失败",
                           "Written to K3Cloud, but the write-back to Fxiaoke failed"),
                      Text("金蝶中的单据无误；下次同步时会再次回写。",
                           "The K3Cloud document is fine; the next sync writes back again."))


def after_save(cause: ErrorInfo, head: Text, advice: Text) -> ErrorInfo:
    """The error of a record whose document exists: what did not finish, why (the server's words), what to do."""
    return ErrorInfo(cause.code, cause.side, Text(f"{head.zh}：{cause.message.zh}", f"{head.en}: {cause.message.en}"),
                     advice, dict(cause.details))


def customer_failed(account: dict[str, Any], cause: ErrorInfo | None, api: str = "SalesOrderObj") -> ErrorInfo:
    """A record's customer could not be pushed first: the customer is the record's (order's, payment's) reason."""
    name = account.get("name") or account.get("_id") or "?"
    zh = cause.text("zh") if cause is not None else ""
    en = cause.text("en") if cause is not None else ""
    what = object_name(api)
    details = dict(cause.details) if cause is not None else {}
    details["customer"] = {"id": str(account.get("_id") or ""), "name": str(name)}  # the inbox groups by it
    return ErrorInfo((cause.code if cause is not None else None) or "customer_failed",
                     cause.side if cause is not None else "k3cloud",
                     Text(f"{what.zh}的客户「{name}」未能同步到金蝶：{zh}",
                          f"The {what.en}'s customer '{name}' could not be synced to K3Cloud: {en}"),
                     Text(f"请先处理该客户的问题，然后重试{what.zh}。",
                          f"Fix the customer first, then retry the {what.en}."),
                     details)


def stopped(cause: ErrorInfo, head: Text, note: Text, code: str) -> ErrorInfo:
    """An item a run stopped by ``cause`` had not settled: the cause's words, then what happens now."""
    return ErrorInfo(code, cause.side, Text(f"{head.zh}：{cause.message.zh}", f"{head.en}: {cause.message.en}"),
                     Text(join_sentences(cause.advice.zh, note.zh, "zh"), join_sentences(cause.advice.en, note.en,
                                                                                         "en")))


def claimed_elsewhere(key: str, host: str | None, user: str | None) -> ErrorInfo:
    """Another PC sharing the company store is writing this record right now: it is left to that PC."""
    who = " / ".join(x for x in (host, user) if x) or "?"
    return ErrorInfo("claimed_elsewhere", "local",
                     Text(f"{key} 正由另一台电脑（{who}）同步，本次没有发送，以免重复。",
                          f"{key} is being synced by another PC ({who}); it was not sent this time, to avoid a "
                          "duplicate."),
                     Text("等那台电脑同步完成后再看同步记录；如那台电脑已关机，下次同步会自动接手。",
                          "Check the sync history once that PC is done; if that PC was switched off, the next sync "
                          "takes it over by itself."), {"host": host, "user": user}, retryable=True)


def order_not_synced(record: dict[str, Any], order_name: str, number: str) -> ErrorInfo:
    """A payment names an order K3Cloud does not have yet: held until the order is synced (code order_not_synced)."""
    name = record.get("name") or record.get("_id") or "?"
    return ErrorInfo("order_not_synced", "k3cloud",
                     Text(f"回款「{name}」对应的订单「{order_name}」还没有同步到金蝶（金蝶中没有销售订单 {number}），"
                          "收款单暂不创建。",
                          f"The order '{order_name}' of payment '{name}' is not in K3Cloud yet (K3Cloud has no sales "
                          f"order {number}), so no receipt is made for now."),
                     Text("请先同步该订单；之后的同步会自动接着创建这张收款单。",
                          "Sync the order first; a later sync then makes this receipt by itself."),
                     {"order": order_name, "number": number}, retryable=True)


# -- a record's life: approval, changes, voids (issue 11) -------------------------------------------------------

#: Fxiaoke life_status values as a clerk knows them.
LIFE_STATUS_NAMES = {"under_review": Text("审核中", "under review"),
                     "ineffective": Text("未生效", "not effective (approval turned down)"),
                     "in_change": Text("变更中", "being changed"), "normal": Text("正常", "normal"),
                     "invalid": Text("作废", "voided")}
#: Item codes of records held for a person; the inbox groups by them.
NOT_APPROVED, K3_AUDITED, K3_IN_USE = "not_approved", "k3_audited", "k3_in_use"


def not_approved(api: str, record: dict[str, Any]) -> ErrorInfo:
    """A record still in approval (or turned down) in Fxiaoke: held, not sent, until it is approved."""
    status = str(record.get("life_status") or "")
    state = LIFE_STATUS_NAMES.get(status, Text(status or "?", status or "?"))
    name = record.get("name") or record.get("_id")
    what = object_name(api)
    return ErrorInfo(NOT_APPROVED, "fxiaoke",
                     Text(f"纷享销客中的{what.zh}「{name}」尚未审批通过（{state.zh}），暂不同步到金蝶。",
                          f"The Fxiaoke {what.en} '{name}' is not approved yet ({state.en}); it is not synced to "
                          "K3Cloud yet."),
                     Text("审批通过后，下次同步会自动同步它。如贵公司没有审批流程，可在配置中关闭“仅同步已审批记录”"
                          "（approval_gate）。",
                          "Once it is approved the next sync takes it by itself. A company without approval flows can "
                          "turn off 'sync approved records only' (approval_gate) in the profile."),
                     {"life_status": status})


def k3_audited(number: str, changes: list[dict[str, str]], summary: Text, downstream: list[str] | None = None,
               *, reaudit: bool = False) -> ErrorInfo:
    """The record changed in Fxiaoke but its K3Cloud document is audited: held with the difference."""
    if downstream:
        bills = "、".join(downstream)
        why = Text(f"且已有下游单据（{bills}），不能反审核", f"and downstream bills were made from it ({bills}), so it "
                   "cannot be un-audited")
    elif reaudit:
        why = Text("且反审核没有成功", "and un-auditing it did not succeed")
    else:
        why = Text("配置不允许同步时反审核", "and the profile does not allow the sync to un-audit it")
    return ErrorInfo(K3_AUDITED, "k3cloud",
                     Text(f"纷享销客中的记录已修改，但金蝶单据 {number} 已审核，{why.zh}。差异：{summary.zh}",
                          f"The record changed in Fxiaoke, but K3Cloud document {number} is audited {why.en}. "
                          f"Differences: {summary.en}"),
                     Text("请在金蝶中为它做变更单（或反审核后修改），然后在同步记录中点“重试”或标为“已处理”。"
                          "如允许同步自动反审核，可在配置中打开 reaudit。",
                          "Make a change order (变更单) for it in K3Cloud (or un-audit and edit it), then press "
                          "'Retry' or mark it resolved in the sync history. To let the sync un-audit documents itself, "
                          "turn on reaudit in the profile."),
                     {"diff": changes, "downstream": list(downstream or []), "number": number})


def k3_in_use(api: str, record: dict[str, Any], number: str, status: str, downstream: list[str] | None,
              *, deleted: bool) -> ErrorInfo:
    """A record voided (or deleted) in Fxiaoke whose K3Cloud document is audited or already used: held."""
    name = record.get("name") or record.get("_id")
    what = object_name(api)
    gone = Text("已删除", "deleted") if deleted else Text("已作废", "voided")
    if downstream:
        why = Text(f"已有下游单据（{'、'.join(downstream)}）",
                   f"downstream bills were made from it ({', '.join(downstream)})")
    else:
        why = Text("已审核", "it is audited") if status == "C" else Text(f"状态为 {status}", f"its status is {status}")
    return ErrorInfo(K3_IN_USE, "k3cloud",
                     Text(f"纷享销客中的{what.zh}「{name}」{gone.zh}，但金蝶单据 {number} {why.zh}，同步没有删除它。",
                          f"The Fxiaoke {what.en} '{name}' was {gone.en}, but K3Cloud document {number} was not "
                          f"deleted: {why.en}."),
                     Text("请在金蝶中处理这张单据（如反审核后作废或删除，或做变更单），然后在同步记录中标为“已处理”。",
                          "Deal with the document in K3Cloud (un-audit and cancel or delete it, or make a change "
                          "order), then mark it resolved in the sync history."),
                     {"number": number, "status": status, "downstream": list(downstream or []),
                      "deleted": deleted})


def already_gone(api: str, record: dict[str, Any], number: str | None) -> ErrorInfo:
    """A voided record whose K3Cloud document is not (or no longer) there: nothing to do; a note only."""
    name = record.get("name") or record.get("_id")
    what = object_name(api)
    doc = f" {number}" if number else ""
    return ErrorInfo("voided", "fxiaoke",
                     Text(f"纷享销客中的{what.zh}「{name}」已作废，金蝶中没有对应单据{doc}，无需处理。",
                          f"The Fxiaoke {what.en} '{name}' is voided and K3Cloud has no document{doc} for it; "
                          "nothing to do."),
                     Text("如确需同步，请先在纷享销客中恢复它。", "Restore it in Fxiaoke first if it must be synced."))


def update_unverified(number: str, cause: ErrorInfo | None) -> ErrorInfo:
    """An update whose outcome is unknown and whose read-back does not show it: the next sync compares again."""
    detail = f"{cause.text('zh')}" if cause is not None else ""
    detail_en = f"{cause.text('en')}" if cause is not None else ""
    return ErrorInfo("update_unknown", "k3cloud",
                     Text(f"更新金蝶单据 {number} 的结果未知，读回的内容与要写入的不一致。{detail}",
                          f"The outcome of the update of K3Cloud document {number} is unknown and what K3Cloud holds "
                          f"is not what was sent. {detail_en}".strip()),
                     Text("下次同步会重新读取金蝶中的单据并比较，只发送仍然不同的部分，不会重复新增明细。",
                          "The next sync reads the document again and compares: only what still differs is sent, no "
                          "line is added twice."), retryable=True)


def compare_failed(cause: ErrorInfo) -> ErrorInfo:
    """What K3Cloud holds could not be read back: the record is neither compared nor changed now."""
    return after_save(cause, Text("无法读取金蝶中的单据进行比较",
                                  "The K3Cloud document could not be read back to compare"),
                      Text("下次同步会再次比较，不会重复创建。",
                           "The next sync compares again; nothing is created twice."))


def update_refused(cause: ErrorInfo, number: str) -> ErrorInfo:
    """K3Cloud refused the update (or the step before it): the document keeps what it had."""
    return after_save(cause, Text(f"更新金蝶单据 {number} 失败", f"The update of K3Cloud document {number} failed"),
                      Text("按原因在金蝶中处理后，再同步一次该记录即可；金蝶中的单据保持原样。",
                           "Fix the cause in K3Cloud, then sync the record again; the K3Cloud document kept what it "
                           "had."))


def void_unfinished(number: str) -> ErrorInfo:
    """A delete interrupted before it was sent (or refused): the document is still in K3Cloud."""
    return ErrorInfo("interrupted", "k3cloud",
                     Text(f"上次同步中断，金蝶单据 {number} 还没有删除。",
                          f"The previous sync was interrupted; K3Cloud document {number} is not deleted yet."),
                     Text("再同步一次该记录即可。", "Sync the record again."), retryable=True)


def voided_kept(api: str, record: dict[str, Any]) -> ErrorInfo:
    """A voided record whose void does not reach K3Cloud (a customer other documents use): not synced, a note."""
    name = record.get("name") or record.get("_id")
    what = object_name(api)
    return ErrorInfo("voided", "fxiaoke",
                     Text(f"纷享销客中的{what.zh}「{name}」已作废，不再同步；金蝶中对应的资料（如有）保持不变。",
                          f"The Fxiaoke {what.en} '{name}' is voided and no longer synced; its K3Cloud record (if "
                          "any) is left as it is."),
                     Text("如确需同步，请先在纷享销客中恢复它。", "Restore it in Fxiaoke first if it must be synced."))
