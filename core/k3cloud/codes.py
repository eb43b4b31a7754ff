"""K3Cloud MsgCode and LoginResultType catalogues: what each value means and what a finance clerk should do."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import Text


@dataclass(frozen=True)
class CodeInfo:
    """One catalogue entry: meaning, advice, whether trying again later may help, the setting to fix (if any)."""

    meaning: Text
    advice: Text
    retryable: bool = False
    field: str | None = None


#: ResponseStatus.MsgCode values (K3Cloud WebAPI docs, the same table in every SDK model).
MSG_CODES: dict[int, CodeInfo] = {
    0: CodeInfo(
        Text("金蝶返回了业务错误（默认错误码）。", "K3Cloud reported a business error (default code)."),
        Text("请查看下方金蝶给出的具体原因，按提示修改数据后重试。",
             "Read K3Cloud's own message below, correct the data and try again."),
    ),
    1: CodeInfo(
        Text("金蝶会话已丢失或身份验证失败（上下文丢失）。",
             "The K3Cloud session was lost or authentication failed (context lost)."),
        Text("程序会自动重新登录一次；如果刚登录后仍出现，说明用户名、应用 ID、应用密钥或语言 ID（LCID）有误，"
             "或数据库恢复后 API 授权丢失，请联系金蝶管理员重新授权。",
             "The program logs in again once by itself; if it still happens right after a fresh login, the user name, "
             "app id, app secret or language id (LCID) is wrong, or the API authorisation was lost after a database "
             "restore: ask the K3Cloud administrator to authorise it again."),
        field="k3_user",
    ),
    2: CodeInfo(
        Text("金蝶用户没有这项操作的权限。", "The K3Cloud user has no permission for this operation."),
        Text("请金蝶管理员给集成用户授予该单据的查看/新增/提交/审核权限。",
             "Ask the K3Cloud administrator to grant the integration user view/create/submit/audit rights on "
             "this form."),
        field="k3_user",
    ),
    3: CodeInfo(
        Text("操作标识为空。", "The operation id is empty."),
        Text("这是程序请求的问题，请把日志导出给技术支持。",
             "This is a problem in the request; export the log for support."),
    ),
    4: CodeInfo(
        Text("金蝶处理时发生异常（例如单据类型不存在或过滤条件写错）。",
             "K3Cloud raised an exception (for example the form does not exist or a filter is wrong)."),
        Text("请查看金蝶给出的原因；若是表单或字段名不对，请检查映射配置。",
             "Read K3Cloud's message; if a form or field name is wrong, check the mapping."),
    ),
    5: CodeInfo(
        Text("单据标识（FormId）为空。", "The form id (FormId) is empty."),
        Text("请检查映射里的目标单据。", "Check the target form in the mapping."),
    ),
    6: CodeInfo(
        Text("金蝶数据库操作失败。", "The K3Cloud database operation failed."),
        Text("稍后重试；如果一直出现，请联系金蝶管理员检查服务器和数据库。",
             "Try again later; if it keeps happening, ask the K3Cloud administrator to check the server and database."),
        retryable=True,
    ),
    7: CodeInfo(
        Text("金蝶许可（License）错误。", "K3Cloud licence error."),
        Text("请联系金蝶管理员检查许可是否过期或站点数是否用完。",
             "Ask the K3Cloud administrator whether the licence has expired or all seats are used."),
    ),
    8: CodeInfo(
        Text("请求参数错误。", "A request parameter is wrong."),
        Text("请查看金蝶给出的原因；通常是映射里缺少必填字段。",
             "Read K3Cloud's message; usually a required field is missing in the mapping."),
    ),
    9: CodeInfo(
        Text("指定的字段或值不存在。", "A field or value does not exist."),
        Text("请检查映射里的字段名和基础资料编码（客户、物料、单位等）在金蝶中是否存在。",
             "Check that the mapping's field keys and base-data numbers (customer, material, unit...) exist in "
             "K3Cloud."),
    ),
    10: CodeInfo(
        Text("没有找到对应的数据。", "No matching data was found."),
        Text("请确认单据编号或内码是否正确，或者该单据已被删除。",
             "Check the bill number or internal id; the record may have been deleted."),
    ),
    11: CodeInfo(
        Text("数据校验失败（例如编码重复）。", "Validation failed (for example a duplicate number)."),
        Text("如果提示编码已被使用，说明金蝶里已有同号单据：先在金蝶中查一下它是不是之前同步过去的，不要重复新增。",
             "If the number is already in use, K3Cloud already has a record with it: check whether it came from an "
             "earlier sync before creating it again."),
    ),
    12: CodeInfo(
        Text("当前状态下不允许这项操作。", "The operation is not allowed in the record's current state."),
        Text("例如已审核的单据不能再保存或删除，请先在金蝶里反审核。",
             "For example an audited bill cannot be saved or deleted; unaudit it in K3Cloud first."),
    ),
    13: CodeInfo(
        Text("网络控制冲突：单据正被其他用户或进程占用。",
             "Lock conflict: another user or process is working on this record."),
        Text("请稍等片刻再试，或请同事先关闭正在编辑的单据。",
             "Wait a moment and try again, or ask colleagues to close the record they are editing."),
        retryable=True,
    ),
    14: CodeInfo(
        Text("超出金蝶接口调用限制。", "The K3Cloud API call limit was reached."),
        Text("请稍后再试，或减小每批数量；必要时请金蝶管理员把本机 IP 加入 WebAPI 白名单。",
             "Try again later or use smaller batches; if needed ask the K3Cloud administrator to whitelist this "
             "computer's IP for WebAPI."),
        retryable=True,
    ),
    15: CodeInfo(
        Text("金蝶禁止管理员账号通过接口登录。",
             "K3Cloud forbids the administrator account to log in through the API."),
        Text("请在配置里改用专门的集成用户（非 administrator）。",
             "Use a dedicated integration user (not administrator) in the profile."),
        field="k3_user",
    ),
}

_UNKNOWN = CodeInfo(
    Text("金蝶返回了未知错误码 {code}。", "K3Cloud returned an unknown error code {code}."),
    Text("请查看金蝶给出的原因；如果不明白，请把日志导出给技术支持。",
         "Read K3Cloud's message; if unclear, export the log for support."),
)

#: LoginResultType values (Kingdee.BOS LoginResultType enum as used by the official clients).
LOGIN_RESULTS: dict[int, CodeInfo] = {
    1: CodeInfo(Text("登录成功。", "Logged in."), Text("", "")),
    0: CodeInfo(
        Text("金蝶用户名或密码错误。", "Wrong K3Cloud user name or password."),
        Text("请核对配置里的金蝶用户名和密码（注意大小写和中文用户名）。",
             "Check the K3Cloud user name and password in the profile (case matters; Chinese names too)."),
        field="k3_password",
    ),
    -1: CodeInfo(
        Text("金蝶登录失败。", "K3Cloud login failed."),
        Text("请按金蝶给出的原因检查数据中心、用户名和密码或应用 ID/密钥。",
             "Check the data center, user name and password or app id/secret as K3Cloud's message says."),
    ),
    -2: CodeInfo(
        Text("密码不符合金蝶的密码策略（可选）。", "The password does not meet K3Cloud's password policy (optional)."),
        Text("请先在金蝶网页端登录并修改该用户的密码，然后更新配置。",
             "Log in to the K3Cloud web client, change this user's password, then update the profile."),
        field="k3_password",
    ),
    -3: CodeInfo(
        Text("密码不符合金蝶的密码策略，必须修改密码。",
             "The password violates K3Cloud's password policy and must be changed."),
        Text("请先在金蝶网页端登录并修改该用户的密码，然后更新配置。",
             "Log in to the K3Cloud web client, change this user's password, then update the profile."),
        field="k3_password",
    ),
    -4: CodeInfo(
        Text("金蝶登录警告（需要人工确认）。", "K3Cloud login warning (needs a person to confirm)."),
        Text("请先在金蝶网页端用该用户登录一次，处理提示后再试。",
             "Log in once with this user in the K3Cloud web client, deal with the prompt, then try again."),
        field="k3_user",
    ),
    -5: CodeInfo(
        Text("金蝶登录需要在界面上处理表单（常见于管理员账号）。",
             "K3Cloud login needs a form to be handled on screen (common for the administrator)."),
        Text("请改用专门的集成用户，或先在金蝶网页端登录处理提示。",
             "Use a dedicated integration user, or log in on the web client first and handle the prompt."),
        field="k3_user",
    ),
    -6: CodeInfo(
        Text("云通行证未绑定金蝶账号。", "The cloud passport is not bound to a K3Cloud account."),
        Text("请金蝶管理员为该用户绑定账号，或改用其他用户。",
             "Ask the administrator to bind the account, or use another user."),
        field="k3_user",
    ),
    -7: CodeInfo(
        Text("金蝶账号需要激活。", "The K3Cloud account must be activated."),
        Text("请先在金蝶网页端激活该用户。", "Activate this user in the K3Cloud web client first."),
        field="k3_user",
    ),
}


def info(msg_code: int | None) -> CodeInfo:
    """The catalogue entry for a MsgCode (a generic one for unknown codes)."""
    if msg_code is not None and msg_code in MSG_CODES:
        return MSG_CODES[msg_code]
    return CodeInfo(_UNKNOWN.meaning.format(code=msg_code), _UNKNOWN.advice)


def explain(msg_code: int | None) -> tuple[Text, Text]:
    """(meaning, advice) for the GUI log pane and error messages."""
    entry = info(msg_code)
    return entry.meaning, entry.advice


def login_info(result_type: int | None) -> CodeInfo:
    """The catalogue entry for a LoginResultType value."""
    if result_type is not None and result_type in LOGIN_RESULTS:
        return LOGIN_RESULTS[result_type]
    return CodeInfo(
        Text(f"金蝶登录失败（LoginResultType={result_type}）。",
             f"K3Cloud login failed (LoginResultType={result_type})."),
        LOGIN_RESULTS[-1].advice,
    )


def explain_login(result_type: int | None) -> tuple[Text, Text]:
    """(meaning, advice) for a LoginResultType."""
    entry = login_info(result_type)
    return entry.meaning, entry.advice


def is_retryable(msg_code: int | None) -> bool:
    """Whether a business error with this code may succeed later (lock conflict, call limit, database)."""
    return info(msg_code).retryable
