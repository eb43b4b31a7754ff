"""K3Cloud authentication: login bodies, login-response checks and the official SDK's per-request signed headers."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import string
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from core.errors import BadResponseError, ConfigError, K3CloudAuthError, Text
from core.http import Redactor
from core.k3cloud import codes
from core.k3cloud.results import get_ci, maybe_json, status_error, status_of, to_int

STUB = "Kingdee.BOS.WebApi.ServicesStub."
VALIDATE_USER = STUB + "AuthService.ValidateUser"
LOGIN_BY_APP_SECRET = STUB + "AuthService.LoginByAppSecret"
LOGOUT = STUB + "AuthService.Logout"
DATA_CENTERS = "Kingdee.BOS.ServiceFacade.ServicesStub.Account.AccountService.GetDataCenterList"
SESSION_COOKIE = "kdservice-sessionid"
MODES = ("password", "appsecret", "signed")

#: The XOR key of the SDK's DecodeAppSecret (the SDK builds it by rot13; the Go SDK hard-codes it).
XOR_KEY = b"0054f397c6234378b09ca7d3e5debce7"
SDK_USER_AGENT = "Kingdee/Python WebApi SDK 7.3 (compatible; MSIE 6.0; Windows NT 5.1;SV1)"
_B64_CHARS = frozenset(string.ascii_letters + string.digits + "+/")


def decode_app_secret(encoded: str) -> str:
    """The SDK's ``DecodeAppSecret``: base64-decode, XOR with the fixed key, base64-encode; '' when malformed."""
    if len(encoded) != 32 or any(c not in _B64_CHARS for c in encoded):
        return ""
    try:
        raw = base64.b64decode(encoded)
    except binascii.Error:
        return ""
    return base64.b64encode(bytes(b ^ XOR_KEY[i] for i, b in enumerate(raw))).decode("ascii")


def split_app_id(app_id: str) -> tuple[str, str]:
    """(client id, encoded secret) of an app id in the SDK's ``<clientId>_<encodedSecret>`` form, else ('', '')."""
    parts = (app_id or "").split("_")
    return (parts[0], parts[1]) if len(parts) == 2 else ("", "")


def hmac_sha256_b64hex(content: str, key: str) -> str:
    """Base64 over the ASCII of the lowercase hex HMAC-SHA256 (the SDK's ``HmacSHA256``)."""
    digest = hmac.new(key.encode("utf-8"), content.encode("utf-8"), hashlib.sha256).hexdigest()
    return base64.b64encode(digest.encode("utf-8")).decode("ascii")


def signed_headers(
    url_path: str, *, acct_id: str, user: str, app_id: str, app_secret: str, lcid: int, org_num: str | int = 0,
    timestamp: int, nonce: str | None = None, sid: str | None = None, cookies: dict[str, str] | None = None,
) -> dict[str, str]:
    """The headers the official SDK 8.2.0 ``BuildHeader`` sends for one request.

    Args:
        url_path: the URL path after the host, e.g. ``/K3Cloud/Kingdee.BOS....Save.common.kdsvc``.
        timestamp: Unix seconds; the SDK also uses it as the nonce.
        sid: the ``kdservice-sessionid`` the server issued, if one is held.
        cookies: cookies to send the SDK way (``Theme=standard;name=value``); None when a cookie jar sends them.
    """
    path = quote(url_path, encoding="utf-8").replace("/", "%2F")
    ts = str(timestamp)
    nonce = ts if nonce is None else nonce
    client_id, encoded = split_app_id(app_id)
    client_sec = decode_app_secret(encoded) if client_id else ""
    api_sign = f"POST\n{path}\n\nx-api-nonce:{nonce}\nx-api-timestamp:{ts}\n"
    app_data = f"{acct_id},{user},{lcid},{org_num}"
    headers = {
        "X-Api-ClientID": client_id,
        "X-Api-Auth-Version": "2.0",
        "x-api-timestamp": ts,
        "x-api-nonce": nonce,
        "x-api-signheaders": "x-api-timestamp,x-api-nonce",
        "X-Api-Signature": hmac_sha256_b64hex(api_sign, client_sec),
        "X-Kd-Appkey": app_id,
        "X-Kd-Appdata": base64.b64encode(app_data.encode("utf-8")).decode("ascii"),
        "X-Kd-Signature": hmac_sha256_b64hex(app_id + app_data, app_secret),
    }
    if sid:
        headers[SESSION_COOKIE] = sid
    if cookies:
        headers["Cookie"] = "Theme=standard" + "".join(f";{k}={v}" for k, v in cookies.items())
    headers["Accept-Charset"] = "utf-8"
    headers["User-Agent"] = SDK_USER_AGENT
    headers["Content-Type"] = "application/json"
    return headers


def check_signed_config(app_id: str, app_secret: str) -> None:
    """Raises ``ConfigError`` when the app id or secret cannot produce a valid signature (caught before any call)."""
    client_id, encoded = split_app_id(app_id)
    if not client_id or not decode_app_secret(encoded):
        raise ConfigError(
            Text("金蝶应用 ID 格式不对：应为“客户端ID_32位密文”，例如 204399_72epSbtEQMC92Vwt2d3LRa9LRqSc1tqJ。",
                 "The K3Cloud app id has the wrong form: expected '<clientId>_<32-character code>', "
                 "e.g. 204399_72epSbtEQMC92Vwt2d3LRa9LRqSc1tqJ."),
            Text("请从金蝶“第三方系统登录授权”里复制完整的应用 ID。",
                 "Copy the full app id from K3Cloud's third-party system login authorisation page."),
            field="k3_app_id", side="k3cloud",
        )
    if not app_secret:
        raise ConfigError(Text("没有设置金蝶应用密钥。", "The K3Cloud app secret is not set."),
                          Text("请在配置里填写应用密钥。", "Enter the app secret in the profile."),
                          field="k3_app_secret", side="k3cloud")


def login_body(mode: str, *, acct_id: str, user: str, password: str = "", app_id: str = "", app_secret: str = "",
               lcid: int = 2052) -> tuple[str, dict[str, Any]]:
    """(service, body) of a session login; named keys so the HTTP layer masks the secret by key."""
    if mode == "password":
        return VALIDATE_USER, {"acctID": acct_id, "username": user, "password": password, "lcid": lcid}
    if mode == "appsecret":
        return LOGIN_BY_APP_SECRET, {"acctid": acct_id, "username": user, "appid": app_id, "appsecret": app_secret,
                                     "lcid": lcid}
    raise ValueError(f"no session login for mode {mode!r}")


@dataclass
class LoginOutcome:
    session_id: str | None
    lcid: int | None
    message: str | None
    #: every piece of session material in the answer (session ids, UserToken, access tokens), to be masked from now on
    session_material: list[str] = field(default_factory=list)
    #: a login that worked but that K3Cloud qualified (LoginResultType -5 / -2): what to tell the user, else None
    warning: Text | None = None


#: LoginResultType values that still hand out a working session: logged in, with a warning. A Kingdee tutorial on
#: ValidateUser (G:51913959763, quoted by the sandbox's k3cloud_auth) lists the Kingdee.BOS enum and says
#: "管理员登陆可能出现返回-5的情况，这种情况在api验证时也可认为是允许的" (-5 DealWithForm is allowed);
#: -2 PWInvalid_Optional is the optional half of the password policy (-3 is the forced one). Reference
#: k3cloud-webapi.md §2.2 documents only 1/0/-1 and notes one guide accepts ``IsSuccessByAPI`` too, so a warning
#: type counts only when the answer carries a session id in its body (a Set-Cookie alone proves nothing, §2.4).
WARNING_TYPES: dict[int, Text] = {
    -5: Text("金蝶登录成功，但金蝶提示需要在界面上处理一个表单（LoginResultType -5，常见于管理员账号）；接口会话可用。"
             "建议改用专门的集成用户，或用该用户在金蝶网页端登录一次处理提示。",
             "Logged in to K3Cloud, but K3Cloud says a form must be handled on screen (LoginResultType -5, common "
             "for the administrator); the API session works. Prefer a dedicated integration user, or log in once "
             "with this user in the K3Cloud web client and deal with the prompt."),
    -2: Text("金蝶登录成功，但该用户的密码不符合金蝶的密码策略（例如即将过期，LoginResultType -2）。"
             "请尽快在金蝶网页端修改密码，然后更新配置里的金蝶密码，以免密码过期后同步中断。",
             "Logged in to K3Cloud, but this user's password does not meet K3Cloud's password policy (for example it "
             "is about to expire, LoginResultType -2). Change it soon in the K3Cloud web client and update the "
             "profile's K3Cloud password, or syncing stops when it expires."),
}
#: The MessageCode of K3Cloud's password-policy check: a real success carries it too (G:51913959763, with
#: LoginResultType 1), so it only means "password expired / must change" on a FAILED login (issue 13, from
#: peers' reports; the exact failure shape is unverified: the sandbox answers -3 with this code).
PASSWORD_POLICY = "CheckPasswordPolicy"
#: LoginResultType values that mean the password policy refused the login (Kingdee.BOS enum: PWInvalid_Required).
PASSWORD_POLICY_TYPES = (-3,)
_WRONG_PASSWORD_WORDS = ("用户名或密码错误", "密码错误", "wrong password", "incorrect password")


#: Where a login answer (reference k3cloud-webapi.md §2.2) carries session material: top level and ``Context``.
SESSION_KEYS = ("KDSVCSessionId", "AccessToken", "KdAccessResult")
CONTEXT_SESSION_KEYS = ("SessionId", "UserToken")


def session_material(obj: Any) -> list[str]:
    """The session ids and tokens of a login answer, wherever the §2.2 shape puts them (text values only)."""
    context = get_ci(obj, "Context")
    found = [get_ci(obj, k) for k in SESSION_KEYS] + [get_ci(context, k) for k in CONTEXT_SESSION_KEYS]
    out: list[str] = []
    for value in found:
        if isinstance(value, dict):  # KdAccessResult may be an object holding a token
            out += [v for v in value.values() if isinstance(v, str)]
        elif isinstance(value, str) and value:
            out.append(value)
    return out


def parse_login(obj: Any, cookies: dict[str, str], *, mode: str) -> LoginOutcome:
    """Checks a login response; only ``LoginResultType == 1`` counts (a Set-Cookie alone proves nothing).

    Raises:
        K3CloudAuthError: with the server's message and the profile field to fix.
    """
    obj = maybe_json(obj)
    if isinstance(obj, dict) and get_ci(obj, "LoginResultType") is None:
        inner = maybe_json(get_ci(obj, "Result"))
        if isinstance(inner, dict) and get_ci(inner, "LoginResultType") is not None:
            obj = inner
    if not isinstance(obj, dict) or get_ci(obj, "LoginResultType") is None:
        status = status_of(obj)
        if status is not None and not status.is_success:
            raise status_error(status, Text("登录", "Login"), auth=True, field_name=_default_field(mode))
        raise K3CloudAuthError(
            Text("金蝶登录接口的答复看不懂（没有 LoginResultType）。",
                 "The K3Cloud login answer could not be understood (no LoginResultType)."),
            Text("请检查金蝶地址是否指向 K3Cloud 站点（以 /K3Cloud/ 结尾）。",
                 "Check that the K3Cloud URL points at the K3Cloud site (ending in /K3Cloud/)."),
            field="k3_url", raw=Redactor().text(json.dumps(obj, ensure_ascii=False, default=str)[:500]),
        )
    result_type = to_int(get_ci(obj, "LoginResultType"))
    message = get_ci(obj, "Message") or get_ci(obj, "MessageCode")
    message = _short_text(message) if message else None
    context = get_ci(obj, "Context")
    body_sid = get_ci(obj, "KDSVCSessionId") or get_ci(context, "SessionId")
    warning = WARNING_TYPES.get(result_type) if result_type is not None and body_sid else None
    if result_type != 1 and warning is None:
        if _password_expired(result_type, get_ci(obj, "MessageCode"), message):
            raise password_expired_error(mode, result_type, message)
        entry = codes.login_info(result_type)
        field_name = login_field(mode, result_type, message)
        said = Text(f"金蝶的说明：“{message}”。", f' K3Cloud said: "{message}".') if message else Text("", "")
        raise K3CloudAuthError(
            Text(entry.meaning.zh + said.zh, entry.meaning.en + said.en),
            entry.advice if entry.field else FIELD_ADVICE.get(field_name, entry.advice),
            code=f"LoginResultType {result_type}", field=field_name,
        )
    material = session_material(obj)
    sid = body_sid or cookies.get(SESSION_COOKIE)
    if sid is not None and not isinstance(sid, str):
        raise BadResponseError(
            Text("金蝶登录答复里的会话 ID 不是文本。", "The session id in the K3Cloud login answer is not text."),
            Text("请检查金蝶地址是否指向 K3Cloud 站点（以 /K3Cloud/ 结尾）；如果一直出现，请把日志导出给技术支持。",
                 "Check that the K3Cloud URL points at the K3Cloud site (ending in /K3Cloud/); if it keeps happening, "
                 "export the log for support."),
            side="k3cloud", field="k3_url", raw=None)
    lcid = to_int(get_ci(obj, "Lcid")) or to_int(get_ci(context, "UserLocale"))
    if not sid and not cookies:
        raise K3CloudAuthError(Text("金蝶登录没有返回会话。", "The K3Cloud login returned no session."),
                               Text("请联系金蝶管理员。", "Ask the K3Cloud administrator."), field=_default_field(mode))
    return LoginOutcome(sid or None, lcid, message, material, warning)


def _password_expired(result_type: int | None, message_code: Any, message: str | None) -> bool:
    """Whether a refused login is K3Cloud's password policy (expired / must change) rather than a wrong password."""
    if result_type in PASSWORD_POLICY_TYPES:
        return True
    if str(message_code or "").strip().lower() != PASSWORD_POLICY.lower() or result_type == 0:
        return False
    low = (message or "").lower()
    return not any(w in low for w in _WRONG_PASSWORD_WORDS)


def password_expired_error(mode: str, result_type: int | None, message: str | None) -> K3CloudAuthError:
    """The clerk's message for a login the password policy refused: change it in K3Cloud, then in the profile."""
    said = Text(f"金蝶的说明：“{message}”。", f' K3Cloud said: "{message}".') if message else Text("", "")
    if mode == "password":
        advice = Text("请用该用户登录金蝶网页端修改密码，然后更新本配置的金蝶密码（k3_password）："
                      "在“连接”页重新填写，或运行 fxk3sync secret set 配置名 k3-password。",
                      "Log in to the K3Cloud web client with this user and change the password, then update this "
                      "profile's K3Cloud password (k3_password): re-enter it on the Connections page, or run "
                      "fxk3sync secret set NAME k3-password.")
        field_name = "k3_password"
    else:
        advice = Text("请用该用户登录金蝶网页端修改密码（密码策略也会拦住应用登录），然后再试。",
                      "Log in to the K3Cloud web client with this user and change the password (the password policy "
                      "blocks app logins too), then try again.")
        field_name = "k3_user"
    return K3CloudAuthError(
        Text("金蝶密码已过期或不符合密码策略，金蝶要求先修改密码才能登录。" + said.zh,
             "The K3Cloud password has expired or no longer meets K3Cloud's password policy: K3Cloud requires "
             "it to be changed before anyone can log in." + said.en),
        advice, code=f"LoginResultType {result_type}", field=field_name,
    )


def _short_text(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[:limit] + "…"


#: What to check when a login failed and the server's words point at one setting.
FIELD_ADVICE: dict[str, Text] = {
    "k3_password": Text("请核对配置里的金蝶用户名和密码（注意大小写）；"
                        "密码用 fxk3sync secret set 配置名 k3-password 重新保存。",
                        "Check the K3Cloud user name and password (case matters); store the password again with "
                        "fxk3sync secret set NAME k3-password."),
    "k3_user": Text("请核对配置里的金蝶用户名（k3_user），它必须是金蝶里存在且已启用的用户。",
                    "Check the K3Cloud user name (k3_user); it must be an existing, enabled K3Cloud user."),
    "k3_acct_id": Text("请核对配置里的数据中心 ID（k3_acct_id），可在金蝶登录页或管理中心查到。",
                       "Check the data center id (k3_acct_id); the K3Cloud login page or management center shows it."),
    "k3_lcid": Text("请把语言 ID 设为 2052（简体中文）、1033（英文）或 3076（繁体中文）。",
                    "Set the language id to 2052 (Simplified Chinese), 1033 (English) or 3076 (Traditional Chinese)."),
    "k3_app_id": Text("请核对配置里的金蝶应用 ID（k3_app_id），与金蝶“第三方系统登录授权”页面上的一致。",
                      "Check the K3Cloud app id (k3_app_id) against K3Cloud's third-party system login "
                      "authorisation page."),
    "k3_app_secret": Text("请核对金蝶应用密钥，用 fxk3sync secret set 配置名 k3-app-secret 重新保存。",
                          "Check the K3Cloud app secret and store it again with fxk3sync secret set NAME "
                          "k3-app-secret."),
}

_FIELD_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("语言", "lcid", "language", "locale"), "k3_lcid"),
    (("数据中心", "账套", "data center", "datacenter", "acct", "thirty passport"), "k3_acct_id"),
    (("密钥", "secret", "appsec"), "k3_app_secret"),
    (("应用", "appid", "app id", "application"), "k3_app_id"),
    (("密码", "password"), "k3_password"),
    (("用户", "user"), "k3_user"),
)


def login_field(mode: str, result_type: int | None, message: str | None) -> str:
    """The profile field a failed login points at: from the server's words, else the LoginResultType, else the mode."""
    low = (message or "").lower()
    for words, field_name in _FIELD_HINTS:
        if any(w in low for w in words):
            if field_name == "k3_password" and mode != "password":
                continue
            if field_name in ("k3_app_secret", "k3_app_id") and mode == "password":
                continue
            return field_name
    entry = codes.login_info(result_type)
    if entry.field and not (entry.field == "k3_password" and mode != "password"):
        return entry.field
    return _default_field(mode)


def _default_field(mode: str) -> str:
    return {"password": "k3_password", "appsecret": "k3_app_secret", "signed": "k3_app_secret"}.get(mode, "k3_user")


def signed_auth_error(raw: str | None = None, errors: list | None = None) -> K3CloudAuthError:
    """MsgCode 1 in signed-header mode: the server rejected the identity, not a session."""
    return K3CloudAuthError(
        Text("金蝶拒绝了签名身份：用户名、应用 ID、应用密钥或语言 ID（LCID）有误。",
             "K3Cloud rejected the signed identity: the user name, app id, app secret or language id (LCID) is wrong."),
        Text("请核对配置里的金蝶用户名、应用 ID、应用密钥和 LCID（与金蝶“第三方系统登录授权”一致）；"
             "如果刚恢复过数据库，请让管理员重新授权。",
             "Check the K3Cloud user name, app id, app secret and LCID in the profile against K3Cloud's third-party "
             "login authorisation; after a database restore ask the administrator to authorise it again."),
        msg_code=1, errors=errors, field="k3_app_secret", raw=raw,
    )
