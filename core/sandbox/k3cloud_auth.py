"""K3Cloud authentication for the sandbox: app credentials, the official SDK's signed headers, sessions, logins.

Login answers (§2.2): ``LoginResultType`` runs from −7 to 1 (``LOGIN_RESULT_TYPES``). A real success looks like
the one quoted in G:51913959763 (``MessageCode: "CheckPasswordPolicy"``, ``Lcid: 0``, Context with ``UserToken``).
Knobs of ``K3CloudApp``: ``login_result_type`` makes an otherwise valid login answer that type (−5 DealWithForm
and −2 keep a working session, the others refuse); ``password_expired`` refuses with −3 (PWInvalid_Required) and
``MessageCode: "CheckPasswordPolicy"`` (issue 13: an expired password comes back as CheckPasswordPolicy on a
failed login; the type is a [sandbox choice]).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import string
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

# The SDK assembles this XOR key through rot13 plus random padding (util/encode_util.py); this is its value.
XOR_KEY = b"0054f397c6234378b09ca7d3e5debce7"
LCIDS = (2052, 1033, 3076)
SESSION_LOST = "会话信息已丢失，请重新登录"
BAD_PASSPORT = "Fail to verify thirty passport"
WRONG_PASSWORD = "用户名或密码错误"
WRONG_APP = "应用ID或应用密钥错误，第三方系统登录授权验证失败"
_B64 = set(string.ascii_letters + string.digits + "+/")


def decode_app_secret(encoded: str) -> str:
    """The HMAC key hidden in an app id's second half, exactly as the SDK's ``DecodeAppSecret`` derives it."""
    if len(encoded) != 32 or not set(encoded) <= _B64:
        return ""
    raw = base64.b64decode(encoded)
    # the 24 decoded bytes meet a 32-byte key: only the key's first 24 bytes are used
    return base64.b64encode(bytes(b ^ k for b, k in zip(raw, XOR_KEY, strict=False))).decode("ascii")


def sdk_hmac(content: str, key: str) -> str:
    """The SDK's ``HmacSHA256``: Base64 over the ASCII of the lower-case hex digest."""
    digest = hmac.new(key.encode("utf-8"), content.encode("utf-8"), hashlib.sha256).hexdigest()
    return base64.b64encode(digest.encode("ascii")).decode("ascii")


def make_app_credentials(seed: int) -> tuple[str, str]:
    """A deterministic ``("<clientId>_<32-char encoded secret>", "<32-hex app secret>")`` pair for a seed."""
    material = hashlib.sha256(f"fxk3sync-sandbox-k3-app:{seed}".encode()).digest()
    client_id = str(200000 + int.from_bytes(material[:4], "big") % 800000)
    encoded = base64.b64encode(material[4:28]).decode("ascii")  # 24 bytes -> 32 chars, no padding
    secret = hashlib.sha256(b"secret:" + material).hexdigest()[:32]
    return f"{client_id}_{encoded}", secret


@dataclass(frozen=True)
class Identity:
    """The one integration user the sandbox knows."""

    acct_id: str
    acct_name: str
    username: str
    password: str
    app_id: str
    app_secret: str
    lcid: int = 2052


@dataclass
class Session:
    sid: str
    username: str
    lcid: int
    last_used: float
    calls: int = 0


class Sessions:
    """Live sessions by SID; the caller holds the app lock."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self._by_sid: dict[str, Session] = {}

    def create(self, username: str, lcid: int) -> Session:
        s = Session(new_sid(), username, lcid, self.clock())
        self._by_sid[s.sid] = s
        return s

    def get(self, sid: str | None, idle_seconds: float, max_calls: int | None) -> Session | None:
        """The live session for ``sid``; an idle or used-up session is dropped and gives None."""
        s = self._by_sid.get(sid or "")
        if s is None:
            return None
        if self.clock() - s.last_used > idle_seconds or (max_calls is not None and s.calls >= max_calls):
            del self._by_sid[s.sid]
            return None
        return s

    def touch(self, s: Session) -> None:
        s.last_used = self.clock()
        s.calls += 1

    def drop(self, sid: str | None) -> bool:
        return self._by_sid.pop(sid or "", None) is not None

    def expire_all(self) -> int:
        n = len(self._by_sid)
        self._by_sid.clear()
        return n

    def __len__(self) -> int:
        return len(self._by_sid)


def new_sid() -> str:
    return str(uuid.UUID(bytes=secrets.token_bytes(16)))


def session_cookies(sid: str) -> list[tuple[str, str]]:
    """The two cookies a K3Cloud login sets (also on failure: a cookie proves nothing, KKM-EXP §7)."""
    aspnet = secrets.token_hex(12)
    # No "expires": the official SDK splits Set-Cookie on "," and an expires date would cut it (§2.4).
    return [("Set-Cookie", f"kdservice-sessionid={sid}; path=/; HttpOnly"),
            ("Set-Cookie", f"ASP.NET_SessionId={aspnet}; path=/; HttpOnly")]


def is_signed(headers: dict[str, str]) -> bool:
    return any(h in headers for h in ("x-kd-appkey", "x-kd-signature", "x-api-signature"))


def check_signed(method: str, path: str, headers: dict[str, str], ident: Identity,
                 check_api_signature: bool) -> tuple[str, int]:
    """Verify the SDK's per-request headers: ("ok" | "bad" | "acct", lcid).

    "acct" is a wrong data centre (the real server answers HTTP non-200 「Fail to verify thirty passport」);
    "bad" is any other wrong credential (MsgCode 1). The timestamp window, the nonce and OrgNum are not
    checked, as observed on a real server (KKM-EXP §5-6).
    """
    app_key = headers.get("x-kd-appkey", "")
    try:
        app_data = base64.b64decode(headers.get("x-kd-appdata", ""), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return "bad", 0
    parts = app_data.split(",")
    if len(parts) != 4:
        return "bad", 0
    acct, user, lcid_text, _org = parts
    if acct != ident.acct_id:
        return "acct", 0
    try:
        lcid = int(lcid_text)
    except ValueError:
        return "bad", 0
    expected = sdk_hmac(app_key + app_data, ident.app_secret)
    if (app_key != ident.app_id or user != ident.username or lcid not in LCIDS
            or not hmac.compare_digest(headers.get("x-kd-signature", ""), expected)):
        return "bad", lcid
    if check_api_signature and not _api_signature_ok(method, path, headers, ident.app_id):
        return "bad", lcid
    return "ok", lcid


def _api_signature_ok(method: str, path: str, headers: dict[str, str], app_id: str) -> bool:
    client_id, _, encoded = app_id.partition("_")
    if headers.get("x-api-clientid", "") != client_id:
        return False
    names = [n.strip().lower() for n in headers.get("x-api-signheaders", "").split(",") if n.strip()]
    if not names or any(n not in headers for n in names):
        return False
    # The SDK signs the headers in alphabetical order (nonce before timestamp) whatever x-api-signheaders says.
    canonical = f"{method.upper()}\n{quote(path, encoding='utf-8').replace('/', '%2F')}\n\n"
    canonical += "".join(f"{n}:{headers[n]}\n" for n in sorted(names))
    expected = sdk_hmac(canonical, decode_app_secret(encoded))
    return hmac.compare_digest(headers.get("x-api-signature", ""), expected)


#: LoginResultType values, named as in the Kingdee.BOS enum quoted by public clients (G:10164902988,
#: G:66203235717, G:56290078055, G:51913959763 [C 4]); the refusal texts are a [sandbox choice].
LOGIN_RESULT_TYPES: dict[int, tuple[str, str | None]] = {
    1: ("Success", None),
    0: ("PWError", "用户名或密码错误"),
    -1: ("Failure", "登录失败"),
    -2: ("PWInvalid_Optional", None),
    -3: ("PWInvalid_Required", "密码不符合密码策略，必须修改密码后才能登录"),
    -4: ("Wanning", "登录警告，请在客户端登录处理"),
    -5: ("DealWithForm", None),
    -6: ("EntryCloudUnBind", "云通行证未绑定Cloud账号"),
    -7: ("Activation", "用户需要激活后才能登录"),
}
#: Types whose login still hands out a working session: -5 is what administrator logins get and a Kingdee
#: tutorial treats as success (G:51913959763 "管理员登陆可能出现返回-5的情况…也可认为是允许的"); -2 is an optional
#: password change [sandbox choice].
WORKING_TYPES = (1, -2, -5)
PASSWORD_EXPIRED = "您的密码已过期，请修改密码后重新登录"


def login_ok(ident: Identity, session: Session, result_type: int = 1) -> dict:
    """A login answer with a working session, shaped like the real one quoted by G:51913959763.

    That real success carries ``MessageCode: "CheckPasswordPolicy"`` and ``Lcid: 0`` even with lcid 2052, and its
    Context has the session (``SessionId``) and a ``UserToken``; ``KDSVCSessionId`` is the cookie value (§2.4).
    """
    locale = "zh-CN" if session.lcid == 2052 else "en-US" if session.lcid == 1033 else "zh-TW"
    zone = {"OffsetTicks": 288000000000, "StandardName": "(UTC+08:00)北京，重庆，香港特别行政区，乌鲁木齐",
            "Id": 230, "Number": "1078_SYS", "CanBeUsed": True}
    return {
        "Message": None, "MessageCode": "CheckPasswordPolicy", "LoginResultType": result_type,
        "Context": {
            "UserLocale": locale, "LogLocale": locale, "DBid": ident.acct_id, "DatabaseType": 3,
            "SessionId": session.sid,
            "UseLanguages": [{"LocaleId": 2052, "LocaleName": "中文(简体)", "Alias": "CN", "LicenseType": 0}],
            "UserId": 100008, "UserName": ident.username, "CustomName": ident.acct_name,
            "DisplayVersion": "9.0.553.10", "DataCenterName": ident.acct_name, "UserToken": new_sid(),
            "CurrentOrganizationInfo": {"ID": 1, "AcctOrgType": "1", "Name": ident.acct_name,
                                        "FunctionIds": [101, 102, 103, 104, 106, 107, 108, 109, 110]},
            "IsCH_ZH_AutoTrans": False, "ClientType": 32, "UTimeZone": zone, "STimeZone": zone,
            "GDCID": "", "Gsid": secrets.token_hex(10)[:19], "TRLevel": 1, "ProductEdition": 0,
            "DataCenterNumber": ident.acct_id, "ContextResultType": 0, "TenantId": "", "IsDeployAsPublicCloud": False,
        },
        "KDSVCSessionId": session.sid, "FormId": None, "RedirectFormParam": None, "FormInputObject": None,
        "ErrorStackTrace": None, "Lcid": 0, "AccessToken": None,
        "CustomParam": {"FChkGUIOldMainConsle": False, "FSystemTipsRule": "0"},
        "KdAccessResult": None, "IsSuccessByAPI": True,
    }


def login_failed(message: str, lcid: int = 2052, result_type: int = -1, message_code: str | None = None) -> dict:
    """The §2.2 login answer for a refused login (HTTP 200, LoginResultType -1 unless told)."""
    return {
        "Message": message, "MessageCode": message_code, "LoginResultType": result_type, "Context": None,
        "KDSVCSessionId": None, "FormId": None, "RedirectFormParam": None, "FormInputObject": None,
        "ErrorStackTrace": None, "Lcid": lcid, "AccessToken": None, "CustomParam": {},
        "KdAccessResult": None, "IsSuccessByAPI": False,
    }
