"""The K3Cloud session layer: logins, the session cookie and header, re-login on MsgCode 1, outcome-unknown writes."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from core.errors import (
    BadResponseError,
    K3CloudAuthError,
    K3CloudError,
    OutcomeUnknownError,
    Text,
    TransportError,
)
from core.http import HttpClient, HttpResult, Redactor, Sink, Timeouts, http_status_error, not_found_error
from core.k3cloud import auth
from core.k3cloud.results import get_ci, maybe_json, msg_code_of, status_error, status_of
from core.secrets import not_stored

if TYPE_CHECKING:  # types only: the clients never need the store behind the profiles
    from core.profiles import Profile, ProfileSecrets

log = logging.getLogger("fxk3sync.k3cloud")

_PROBE = "Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery"
_CALL = Text("调用", "Call")  # the default ``action`` of ``K3Session.call``
#: Signed mode has no login call: one tiny query proves the identity (any answer but MsgCode 1 accepts it).
_PROBE_DATA = {"FormId": "ORG_Organizations", "FieldKeys": "FNumber", "FilterString": "", "OrderString": "",
               "TopRowCount": 1, "StartRow": 0, "Limit": 1, "SubSystemId": ""}


def _svc(name: str) -> str:
    return name + ".common.kdsvc"


class K3Session:
    """One K3Cloud account on one HTTP session: logins, the session cookie, re-login and the write-safety rules.

    Args:
        profile: the ``core.profiles.Profile`` (URL, data center, user, lcid, login mode, org, TLS, timeouts).
        secrets: the ``core.profiles.ProfileSecrets`` (password or app secret).
        sinks: receivers of every (redacted) exchange record.
        http: an existing ``HttpClient`` to use instead of a new one (its sinks and redactor are kept).
    """

    def __init__(self, profile: Profile, secrets: ProfileSecrets, *, sinks: Iterable[Sink] = (),
                 http: HttpClient | None = None) -> None:
        self.profile = profile
        self._password = secrets.k3_password or ""
        self._app_secret = secrets.k3_app_secret or ""
        self.mode = (profile.k3_auth or "password").lower()
        if self.mode not in auth.MODES:
            raise ValueError(f"unknown K3Cloud login mode {profile.k3_auth!r}")
        self._owns_http = http is None
        if http is None:
            http = HttpClient("k3cloud", profile.k3_url, ca_bundle=profile.ca_bundle or None, sinks=sinks,
                              timeouts=Timeouts(profile.connect_timeout or 10.0, profile.read_timeout or 60.0),
                              redactor=Redactor())
        else:
            http.sinks.extend(sinks)
        self.http = http
        for value in (self._password, self._app_secret, auth.split_app_id(profile.k3_app_id or "")[1]):
            self.http.redactor.add(value)
        self._sid: str | None = None
        self._logged_in = False
        #: what K3Cloud qualified the last login with (LoginResultType -5 / -2: logged in, with a warning), else None
        self.login_warning: Text | None = None
        self._generation = 0  # bumped by each login, so concurrent MsgCode 1 answers log in only once
        self._lock = threading.RLock()

    # -- lifecycle ------------------------------------------------------------------------------------------------

    def __enter__(self) -> K3Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._owns_http:
            self.http.close()

    @property
    def logged_in(self) -> bool:
        return self._logged_in

    def login(self) -> None:
        """Logs in (password: ValidateUser; appsecret: LoginByAppSecret); signed mode checks the identity by a probe.

        Raises:
            K3CloudAuthError: credentials refused (``field`` names the setting to fix).
            ConfigError: an app id that cannot be used to sign.
            TransportError: the server could not be reached.
        """
        with self._lock:
            self._login_locked()
            if self.mode == "signed":
                try:
                    self.call(_PROBE, {"data": json.dumps(_PROBE_DATA)}, action=Text("登录", "Login"))
                except K3CloudAuthError:
                    self._logged_in = False
                    raise

    def _login_locked(self) -> None:
        self._logged_in = False
        self._sid = None
        self.login_warning = None
        self.http.session.cookies.clear()
        p = self.profile
        if self.mode == "password" and not self._password:  # never send an empty password: it may lock the user
            raise not_stored("k3-password", Text("金蝶密码", "K3Cloud password"))
        if self.mode != "password" and not self._app_secret:
            raise not_stored("k3-app-secret", Text("金蝶应用密钥", "K3Cloud app secret"))
        if self.mode == "signed":
            auth.check_signed_config(p.k3_app_id or "", self._app_secret)
        else:
            service, body = auth.login_body(self.mode, acct_id=p.k3_acct_id, user=p.k3_user, password=self._password,
                                            app_id=p.k3_app_id or "", app_secret=self._app_secret, lcid=p.k3_lcid)
            res = self.http.post(_svc(service), body, codes=msg_code_of)
            obj = self._json(res, service)
            outcome = auth.parse_login(obj, res.cookies, mode=self.mode)
            for value in outcome.session_material:  # a UserToken or a second session id is masked like the sid
                self.http.redactor.add(value)
            self._set_sid(outcome.session_id)
            if outcome.warning is not None:
                self.login_warning = outcome.warning
                log.warning("%s | %s", outcome.warning.zh, outcome.warning.en)
        self._generation += 1
        self._logged_in = True

    def logout(self) -> None:
        """Ends the session (AuthService.Logout); errors are ignored, the local session is dropped either way."""
        with self._lock:
            if self._logged_in and self.mode != "signed":
                try:
                    self.http.post(_svc(auth.LOGOUT), {}, headers=self._headers(auth.LOGOUT), codes=msg_code_of)
                except TransportError:
                    pass
            self._logged_in = False
            self._sid = None
            self.http.session.cookies.clear()

    def data_centers(self) -> list[dict]:
        """GetDataCenterList (no authentication): ``[{"Id", "Name", "Number", ...}]``."""
        res = self.http.post(_svc(auth.DATA_CENTERS), {}, codes=msg_code_of)
        obj = maybe_json(self._json(res, auth.DATA_CENTERS))
        if isinstance(obj, dict):
            obj = maybe_json(get_ci(obj, "Result", get_ci(obj, "Data")))
        if not isinstance(obj, list):
            raise BadResponseError(Text("金蝶数据中心列表的格式不对。",
                                        "The K3Cloud data center list has the wrong shape."),
                                   Text("请检查金蝶地址是否正确（以 /K3Cloud/ 结尾）。",
                                        "Check the K3Cloud URL (it ends in /K3Cloud/)."),
                                   side="k3cloud", field="k3_url", raw=res.safe_text())
        return [d for d in obj if isinstance(d, dict)]

    # -- transport ------------------------------------------------------------------------------------------------

    def _set_sid(self, sid: str | None) -> None:
        if not sid:
            return
        self._sid = sid
        self.http.redactor.add(sid)
        host = urlsplit(self.http.base_url).hostname or ""
        if self.http.session.cookies.get(auth.SESSION_COOKIE) != sid:
            self.http.session.cookies.set(auth.SESSION_COOKIE, sid, domain=host, path="/")

    def _headers(self, service: str) -> dict[str, str]:
        if self.mode != "signed":
            return {auth.SESSION_COOKIE: self._sid} if self._sid else {}
        p = self.profile
        return auth.signed_headers(urlsplit(self.http.url_for(_svc(service))).path, acct_id=p.k3_acct_id,
                                   user=p.k3_user, app_id=p.k3_app_id or "", app_secret=self._app_secret,
                                   lcid=p.k3_lcid, org_num=p.k3_org or 0, timestamp=int(time.time()), sid=self._sid)

    def _json(self, res: HttpResult, service: str) -> Any:
        """The body as JSON; an HTTP error status is a typed error unless the body is K3Cloud's own answer."""
        if res.status == 404:
            raise not_found_error(res)
        if res.status == 200:
            return maybe_json(res.json())
        text = res.text.strip()
        if "thirty passport" in text.lower():  # signed mode, wrong data center: HTTP non-200 with this text
            raise K3CloudAuthError(
                Text("金蝶不认识这个数据中心 ID（Fail to verify thirty passport）。",
                     "K3Cloud does not know this data center id (Fail to verify thirty passport)."),
                Text("请核对配置里的数据中心 ID（账套 ID）。", "Check the data center id in the profile."),
                field="k3_acct_id", code=res.status, raw=res.safe_text(), exchange=res.exchange)
        try:
            obj = maybe_json(res.json())
        except BadResponseError:
            obj = None
        if status_of(obj) is not None or get_ci(obj, "LoginResultType") is not None:
            return obj  # K3Cloud's own envelope, whatever the status line said
        if text.lower().startswith("response_error:"):
            return maybe_json(res.json())  # raises the explained response_error
        raise http_status_error(res)

    def _send(self, service: str, body: dict, *, write: bool, keys: list[str], action: Text, form_id: str) -> Any:
        try:
            res = self.http.post(_svc(service), body, write=write, headers=self._headers(service), codes=msg_code_of)
        except TransportError as exc:
            if write and exc.sent:
                raise self._unknown(action, form_id, keys, exc) from exc
            raise
        sid = res.cookies.get(auth.SESSION_COOKIE)
        if sid and sid != self._sid:
            self._set_sid(sid)
        try:
            return self._json(res, service)
        except BadResponseError as exc:
            if write:
                raise self._unknown(action, form_id, keys, exc) from exc
            raise

    def _unknown(self, action: Text, form_id: str, keys: list[str], cause: Exception) -> OutcomeUnknownError:
        shown = ", ".join(keys[:5]) + (" …" if len(keys) > 5 else "")
        return OutcomeUnknownError(
            Text(f"金蝶{action.zh} {form_id} 的结果不确定：请求已发出，但没有收到明确答复（{shown}）。",
                 f"The outcome of K3Cloud {action.en.lower()} {form_id} is unknown: the request was sent but no clear "
                 f"answer came back ({shown})."),
            Text("不要直接重发：先按单号在金蝶中查询是否已经保存，再决定下一步（同步会自动这样做）。",
                 "Do not just send it again: first look the number up in K3Cloud, then decide (the sync does this "
                 "by itself)."),
            idem_keys=keys, side="k3cloud", exchange=getattr(cause, "exchange", None), raw=getattr(cause, "raw", None),
        )

    def _ensure_login(self) -> int:
        with self._lock:
            if not self._logged_in:
                self._login_locked()
            return self._generation

    def _relogin(self, generation: int) -> None:
        with self._lock:
            if self._generation == generation:
                self._login_locked()

    def call(self, service: str, body: dict, *, write: bool = False, idem_keys: list[str] | None = None,
             action: Text = _CALL, form_id: str = "") -> Any:
        """Posts one form-service call with the session; MsgCode 1 logs in again and retries a read once.

        A write that meets MsgCode 1, a dropped connection or an unreadable answer raises ``OutcomeUnknownError``
        carrying ``idem_keys``; it is never sent twice here.
        """
        keys = list(idem_keys or [])
        generation = self._ensure_login()
        obj = self._send(service, body, write=write, keys=keys, action=action, form_id=form_id)
        status = status_of(obj)
        if status is None or not status.session_lost:
            return obj
        if self.mode == "signed":
            raise auth.signed_auth_error(raw=json.dumps(obj, ensure_ascii=False)[:2000], errors=status.errors)
        if write:
            try:
                self._relogin(generation)
            except Exception as exc:  # the write's fate is what the caller must learn first
                raise self._unknown(action, form_id, keys, exc) from exc
            raise self._unknown(action, form_id, keys, K3CloudError(Text("会话丢失", "session lost"), msg_code=1))
        self._relogin(generation)
        obj = self._send(service, body, write=False, keys=keys, action=action, form_id=form_id)
        status = status_of(obj)
        if status is not None and status.session_lost:
            raise status_error(status, action, form_id, auth=True, field_name="k3_user")
        return obj
