"""Every Fxiaoke OpenAPI error code as data: meaning and advice in Chinese and English, retryable, kind."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.errors import (
    FxiaokeAuthError,
    FxiaokeError,
    FxiaokeQuotaError,
    FxiaokeRateLimitError,
    Text,
)

KINDS = ("auth", "quota", "rate", "param", "server", "notfound")


@dataclass(frozen=True)
class CodeInfo:
    """One catalogue entry; ``kind`` is one of ``KINDS``; ``field`` is the setting to fix, when one is at fault."""

    meaning_zh: str
    meaning_en: str
    advice_zh: str
    advice_en: str
    retryable: bool
    kind: str
    field: str | None = None


_CHECK_SECRET = ("请在配置中核对纷享销客的 appId、appSecret 和永久授权码（permanentCode）。",
                 "Check the Fxiaoke appId, appSecret and permanent code in the profile.")
_CHECK_OPERATOR = ("请在配置中填写 CRM 管理员的 openUserId（FSUID_ 开头）或管理员手机号。",
                   "Set the openUserId (FSUID_...) or the mobile number of a CRM administrator in the profile.")
_APP_ADMIN = ("请让纷享销客管理员在“应用管理”中启用本应用，并授权它访问 CRM 数据。",
              "Ask the Fxiaoke administrator to enable this app under App Management and grant it CRM data access.")
_BUG = ("这是请求格式问题，请导出日志发给技术支持。",
        "The request was malformed; export the log and send it to support.")
_LATER = ("纷享销客服务器暂时出错，请稍后重试。", "The Fxiaoke server had a temporary problem; try again later.")
_SLOW_DOWN = ("调用太频繁，程序会自动放慢并重试；如果经常出现，请减少同时运行的同步任务。",
              "Too many calls; the program slows down and retries. If it keeps happening, run fewer syncs at once.")


def _e(mzh: str, men: str, advice: tuple[str, str], retryable: bool, kind: str, field: str | None = None) -> CodeInfo:
    return CodeInfo(mzh, men, advice[0], advice[1], retryable, kind, field)


CODES: dict[int, CodeInfo] = {
    -2: _e("系统错误", "system error", _LATER, True, "server"),
    -1: _e("系统繁忙", "system busy", _LATER, True, "server"),
    0: _e("成功", "success", ("", ""), False, "param"),
    10001: _e("缺少 appId", "appId is missing", _CHECK_SECRET, False, "auth", "fx_app_id"),
    10002: _e("缺少 appSecret", "appSecret is missing", _CHECK_SECRET, False, "auth", "fx_app_secret"),
    10003: _e("缺少 appAccessToken", "appAccessToken is missing", _CHECK_SECRET, False, "auth"),
    10004: _e("缺少 redirectUri", "redirectUri is missing", _BUG, False, "param"),
    10005: _e("缺少 responseType", "responseType is missing", _BUG, False, "param"),
    10006: _e("appSecret 缺失或不正确", "appSecret is missing or wrong",
              ("请核对配置中的纷享销客 appSecret（在纷享开放平台的应用详情里）。",
               "Check the Fxiaoke appSecret in the profile (shown in the app details on the Fxiaoke open platform)."),
              False, "auth", "fx_app_secret"),
    10007: _e("缺少 state", "state is missing", _BUG, False, "param"),
    10008: _e("缺少 code", "code is missing", _BUG, False, "param"),
    10009: _e("缺少 appAccount", "appAccount is missing", _BUG, False, "param"),
    10010: _e("缺少 openUserId（操作人）", "openUserId (the operator) is missing", _CHECK_OPERATOR, False, "auth",
              "fx_open_user_id"),
    10012: _e("缺少永久授权码 permanentCode", "permanentCode is missing", _CHECK_SECRET, False, "auth",
              "fx_permanent_code"),
    10013: _e("缺少 corpAccessToken，或翻页位置超过 10000 行",
              "corpAccessToken is missing, or offset beyond 10000 rows",
              _BUG, False, "param"),
    10014: _e("缺少 corpId", "corpId is missing", _CHECK_SECRET, False, "auth"),
    10015: _e("缺少消息接收人 toUser", "the message recipients (toUser) are missing",
              ("请确认订单负责人在纷享销客中存在。", "Check that the order owner exists in Fxiaoke."), False, "param"),
    11001: _e("appId 不正确", "appId is invalid", _CHECK_SECRET, False, "auth", "fx_app_id"),
    11002: _e("appSecret 不正确", "appSecret is invalid", _CHECK_SECRET, False, "auth", "fx_app_secret"),
    11003: _e("appAccessToken 无效", "appAccessToken is invalid", _CHECK_SECRET, False, "auth"),
    11004: _e("redirectUri 无效", "redirectUri is invalid", _BUG, False, "param"),
    11005: _e("responseType 无效", "responseType is invalid", _BUG, False, "param"),
    11006: _e("scope 无效", "scope is invalid", _BUG, False, "param"),
    11007: _e("state 无效", "state is invalid", _BUG, False, "param"),
    11008: _e("openUserId（操作人）无效", "openUserId (the operator) is invalid", _CHECK_OPERATOR, False, "auth",
              "fx_open_user_id"),
    11009: _e("部门 ID 无效", "departmentId is invalid", _BUG, False, "param"),
    11010: _e("code 无效", "code is invalid", _BUG, False, "param"),
    11011: _e("appAccount 无效", "appAccount is invalid", _BUG, False, "param"),
    11013: _e("永久授权码 permanentCode 不正确", "permanentCode is invalid", _CHECK_SECRET, False, "auth",
              "fx_permanent_code"),
    11014: _e("corpAccessToken 无效", "corpAccessToken is invalid", _CHECK_SECRET, False, "auth"),
    11015: _e("corpId 无效", "corpId is invalid", _CHECK_SECRET, False, "auth"),
    11016: _e("消息接收人 toUser 无效", "the message recipients (toUser) are invalid",
              ("请确认接收人是纷享销客中在职的员工。", "Check that the recipients are active Fxiaoke employees."),
              False, "param"),
    11017: _e("消息类型 msgType 无效", "msgType is invalid", _BUG, False, "param"),
    11018: _e("模板 templateId 无效", "templateId is invalid", _BUG, False, "param"),
    12002: _e("登录状态错误", "login state error", _CHECK_SECRET, False, "auth"),
    12003: _e("不支持的消息类型", "unsupported message type", _BUG, False, "param"),
    12004: _e("POST 请求体为空", "empty POST body", _BUG, False, "param"),
    12005: _e("消息文本为空", "empty message text", _BUG, False, "param"),
    13002: _e("对象 apiName 无效", "invalid object apiName",
              ("请确认纷享销客中启用了该对象，或检查映射里的对象名。",
               "Check that the object is enabled in Fxiaoke, or the object name in the mapping."), False, "param"),
    14001: _e("接口调用超过限制", "call limit exceeded", _SLOW_DOWN, True, "rate"),
    15002: _e("参数不合法", "invalid parameter", _BUG, False, "param"),
    15003: _e("应用没有此接口的权限", "the app has no access to this interface", _APP_ADMIN, False, "auth"),
    20005: _e("appAccessToken 不存在或已过期", "appAccessToken missing or expired", _CHECK_SECRET, True, "auth"),
    20006: _e("appId 或 appSecret 不正确", "appId or appSecret is wrong", _CHECK_SECRET, False, "auth", "fx_app_id"),
    20010: _e("code 不存在或已过期", "code missing or expired", _BUG, False, "auth"),
    20012: _e("找不到该员工（openUserId 不存在）", "employee not found (unknown openUserId)", _CHECK_OPERATOR, False,
              "auth", "fx_open_user_id"),
    20014: _e("应用无权读取该员工", "the app may not read this employee", _APP_ADMIN, False, "auth", "fx_open_user_id"),
    20015: _e("永久授权码 permanentCode 不正确", "the permanent code is wrong",
              ("请在纷享开放平台重新获取永久授权码，并更新到配置中。",
               "Get the permanent code again on the Fxiaoke open platform and update the profile."),
              False, "auth", "fx_permanent_code"),
    20016: _e("corpAccessToken 不存在或已过期", "corpAccessToken missing or expired",
              ("程序会自动重新获取令牌；如果仍然失败，请核对 appId、appSecret 和永久授权码。",
               "The program fetches a new token automatically; if it still fails, check appId, appSecret "
               "and permanent code."),
              True, "auth"),
    20017: _e("企业 corpId 不存在或缺少授权信息", "corpId not found or no authorisation sent", _CHECK_SECRET, False,
              "auth"),
    20020: _e("应用无权访问本企业的数据", "the app has no rights to this company's data", _APP_ADMIN, False, "auth"),
    20021: _e("应用在本企业已停用", "the app is disabled in this company", _APP_ADMIN, False, "auth"),
    20022: _e("企业尚未授权此应用", "the company has not authorised this app", _APP_ADMIN, False, "auth"),
    20023: _e("应用没有该部门的权限", "the app has no rights to this department", _APP_ADMIN, False, "auth"),
    30002: _e("今日 OpenAPI 调用次数已用完（0 点重置）", "the daily OpenAPI call quota is used up (resets at 00:00)",
              ("请明天再同步，或联系纷享销客客户经理增购 OpenAPI 调用资源包。",
               "Sync again tomorrow, or ask your Fxiaoke account manager for a larger OpenAPI call package."),
              False, "quota"),
    30003: _e("企业没有购买 OpenAPI 调用资源包", "the company has not bought an OpenAPI call package",
              ("请联系纷享销客客户经理开通 OpenAPI 调用资源包（Open API 次数包），开通后再试。",
               "Ask your Fxiaoke account manager to enable an OpenAPI call package, then try again."),
              False, "quota"),
    30004: _e("每秒调用频率超过限制", "per-second call frequency exceeded", _SLOW_DOWN, True, "rate"),
    30007: _e("部门不存在", "department does not exist", _BUG, False, "notfound"),
    30027: _e("员工不存在", "employee does not exist", _CHECK_OPERATOR, False, "notfound", "fx_open_user_id"),
    32000: _e("参数错误", "parameter error", _BUG, False, "param"),
    40010: _e("模板 templateId 无效", "invalid templateId", _BUG, False, "param"),
    50009: _e("服务异常（例如超时）", "service exception (e.g. a timeout)", _LATER, True, "server"),
    301: _e("记录不存在", "record not found",
            ("该记录可能已被删除或作废，请在纷享销客中确认。",
             "The record may have been deleted or voided; check it in Fxiaoke."),
            False, "notfound"),
    600001: _e("请求参数为空", "request parameters are empty", _BUG, False, "param"),
}

_UNKNOWN = CodeInfo("未知错误", "unknown error", "请导出日志发给技术支持。", "Export the log and send it to support.",
                    False, "server")


class FxiaokeNotFoundError(FxiaokeError):
    """The record, employee or department asked for does not exist."""


class FxiaokeParamError(FxiaokeError):
    """The request was refused as malformed (a bug or an unsupported object/field)."""


_CLASSES: dict[str, type[FxiaokeError]] = {
    "auth": FxiaokeAuthError, "quota": FxiaokeQuotaError, "rate": FxiaokeRateLimitError,
    "notfound": FxiaokeNotFoundError, "param": FxiaokeParamError, "server": FxiaokeError,
}


def info(code: int | str | None) -> CodeInfo:
    """The catalogue entry of ``code`` (an unknown-error entry for codes not in the table)."""
    try:
        return CODES.get(int(code), _UNKNOWN)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return _UNKNOWN


def explain(code: int | str | None) -> tuple[Text, Text]:
    """(meaning, what to do) of a code, bilingual; used by the GUI log pane."""
    i = info(code)
    return Text(i.meaning_zh, i.meaning_en), Text(i.advice_zh, i.advice_en)


def make_error(
    code: int | str, server_message: str = "", *, trace_id: str | None = None, exchange: Any = None,
    endpoint: str = "",
) -> FxiaokeError:
    """The typed error for a non-zero ``errorCode``; the message names the code, its meaning and the server's words."""
    i = info(code)
    said = f"服务器原文：“{server_message}”。" if server_message else ""
    said_en = f' The server said: "{server_message}".' if server_message else ""
    where = f"（接口 {endpoint}）" if endpoint else ""
    where_en = f" (interface {endpoint})" if endpoint else ""
    message = Text(f"纷享销客返回错误 {code}：{i.meaning_zh}{where}。{said}",
                   f"Fxiaoke error {code}: {i.meaning_en}{where_en}.{said_en}")
    cls = _CLASSES.get(i.kind, FxiaokeError)
    return cls(message, Text(i.advice_zh, i.advice_en), code=code, trace_id=trace_id, exchange=exchange,
               field=i.field, retryable=i.retryable)
