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
OBJECT_NAMES = {"SalesOrderObj": Text("订单", "order"), "AccountObj": Text("客户", "customer")}

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


def voided(api: str, record: dict[str, Any]) -> ErrorInfo:
    name = record.get("name") or record.get("_id")
    what = object_name(api)
    return ErrorInfo("voided", "fxiaoke", Text(f"纷享销客中的{what.zh}「{name}」已作废，不同步到金蝶。",
                                              f"The Fxiaoke {what.en} '{name}' is voided; it is not synced to K3Cloud."),
                     Text("如确需同步，请先在纷享销客中恢复它。", "Restore it in Fxiaoke first if it must be synced."))


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
                     Text("上次同步中断，金蝶中没有这张单据（未写入）。", "The previous sync was interrupted and K3Cloud "
                          "does not have this document (it was not written)."),
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
                      Text("已写入金蝶，但回写纷享销客失败", "Written to K3Cloud, but the write-back to Fxiaoke failed"),
                      Text("金蝶中的单据无误；下次同步时会再次回写。",
                           "The K3Cloud document is fine; the next sync writes back again."))


def after_save(cause: ErrorInfo, head: Text, advice: Text) -> ErrorInfo:
    """The error of a record whose document exists: what did not finish, why (the server's words), what to do."""
    return ErrorInfo(cause.code, cause.side, Text(f"{head.zh}：{cause.message.zh}", f"{head.en}: {cause.message.en}"),
                     advice, dict(cause.details))


def customer_failed(account: dict[str, Any], cause: ErrorInfo | None) -> ErrorInfo:
    """An order's customer could not be pushed first: the customer is the order's reason."""
    name = account.get("name") or account.get("_id") or "?"
    zh = cause.text("zh") if cause is not None else ""
    en = cause.text("en") if cause is not None else ""
    details = dict(cause.details) if cause is not None else {}
    details["customer"] = {"id": str(account.get("_id") or ""), "name": str(name)}  # the inbox groups by it
    return ErrorInfo((cause.code if cause is not None else None) or "customer_failed",
                     cause.side if cause is not None else "k3cloud",
                     Text(f"订单的客户「{name}」未能同步到金蝶：{zh}",
                          f"The order's customer '{name}' could not be synced to K3Cloud: {en}"),
                     Text("请先处理该客户的问题，然后重试订单。", "Fix the customer first, then retry the order."),
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
