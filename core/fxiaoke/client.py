"""The Fxiaoke OpenAPI client (legacy body style): token, operator, paged queries, CRUD, describe, messages."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.errors import BadResponseError, ConfigError, FxiaokeAuthError, FxiaokeError, Text
from core.fxiaoke import query as q
from core.fxiaoke.answers import (
    TOKEN_TEXT,
    bad_token_answer,
    clip,
    codes_of,
    expires_in,
    page_meta,
    read_envelope,
    rows_of,
    scalar_text,
    shape_error,
    to_int,
)
from core.fxiaoke.codes import make_error
from core.fxiaoke.pacing import TOKEN_PATH, Pacer, PacingConfig, shared_pacer, waiting
from core.fxiaoke.tokens import Token, TokenCache, fingerprint
from core.http import HttpClient, Sink, Timeouts
from core.secrets import not_stored

if TYPE_CHECKING:  # types only: the clients never need the store behind the profiles
    from core.profiles import Profile, ProfileSecrets

RATE_CODES = frozenset({14001, 30004})
TOKEN_EXPIRED = 20016
MAX_RECIPIENTS = 500

#: operator_cache(key, resolve) -> openUserId: return a stored id for ``key`` or call ``resolve()`` and store it.
OperatorCache = Callable[[str, Callable[[], str]], str]


@dataclass
class RatePolicy:
    """How reads wait and retry when the server still says 14001/30004 (writes never retry on it)."""

    retries: int = 5
    base_s: float = 1.0
    cap_s: float = 20.0

    def delay(self, attempt: int) -> float:
        d = min(self.cap_s, self.base_s * (2 ** attempt))
        return d / 2 + random.uniform(0, d / 2)


def route(api_name: str, action: str) -> str:
    """``__c`` objects use the custom routes, the rest the preset ones."""
    return f"cgi/crm/custom/v2/data/{action}" if api_name.endswith("__c") else f"cgi/crm/v2/data/{action}"


class FxiaokeClient:
    """One Fxiaoke app of one profile.

    Args:
        profile: a ``core.profiles.Profile`` (fx_url, fx_app_id, fx_open_user_id | fx_admin_mobile, ca_bundle,
            timeouts).
        secrets: a ``core.profiles.ProfileSecrets`` (fx_app_secret, fx_permanent_code).
        sinks: receive every (redacted) exchange record.
        token_cache: shared token cache; default: one persisted in the keyring under the profile name.
        operator_cache: ``(key, resolve) -> openUserId`` to keep a looked-up operator between runs.
        http: an ``HttpClient`` to use (closed by its owner); default: one built from the profile.
        pacing: the client-side limits (default 100 calls / 20 s per endpoint), or ``pacer``: a ready pacer.
        rate_policy: how reads retry on a rate-limit answer.
    """

    def __init__(
        self, profile: Profile, secrets: ProfileSecrets | None, *, sinks: Iterable[Sink] = (),
        token_cache: TokenCache | None = None,
        operator_cache: OperatorCache | None = None, http: HttpClient | None = None,
        pacing: PacingConfig | None = None, pacer: Pacer | None = None, rate_policy: RatePolicy | None = None,
    ) -> None:
        self.profile = profile
        app_secret = getattr(secrets, "fx_app_secret", None)
        permanent_code = getattr(secrets, "fx_permanent_code", None)
        if not profile.fx_app_id:
            raise ConfigError(Text("配置缺少纷享销客 appId。", "The profile lacks the Fxiaoke appId."),
                              Text("请在“连接”页填写 appId。", "Enter the appId on the Connection page."),
                              field="fx_app_id")
        if not app_secret:
            raise not_stored("fx-app-secret", Text("纷享销客 appSecret", "Fxiaoke appSecret"))
        if not permanent_code:
            raise not_stored("fx-permanent-code", Text("纷享销客永久授权码", "Fxiaoke permanent code"))
        self._app_secret, self._permanent_code = app_secret, permanent_code
        self._own_http = http is None
        if http is None:
            http = HttpClient(
                "fxiaoke", profile.fx_url, ca_bundle=getattr(profile, "ca_bundle", None) or None, sinks=sinks,
                timeouts=Timeouts(getattr(profile, "connect_timeout", 10.0) or 10.0,
                                  getattr(profile, "read_timeout", 60.0) or 60.0),
            )
        else:
            http.sinks.extend(sinks)
        self.http = http
        self.http.redactor.add(app_secret)
        self.http.redactor.add(permanent_code)
        self._key = fingerprint(profile.fx_url, profile.fx_app_id, permanent_code)
        if token_cache is None:
            from core.secrets import default_store

            token_cache = TokenCache(default_store(), profile.name)
        self.tokens = token_cache
        self.pacer = pacer or shared_pacer(profile.fx_url, profile.fx_app_id, pacing)
        self.rate_policy = rate_policy or RatePolicy()
        self._operator_cache = operator_cache
        self._operator: str | None = getattr(profile, "fx_open_user_id", None) or None
        self._op_lock = threading.Lock()
        self._describe: dict[str, dict[str, dict[str, Any]]] = {}

    # -- lifecycle -------------------------------------------------------------------------------------------
    def close(self) -> None:
        if self._own_http:
            self.http.close()

    def __enter__(self) -> FxiaokeClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- identity --------------------------------------------------------------------------------------------
    def token(self, *, refresh: bool = False) -> tuple[str, str]:
        """(corpAccessToken, corpId), from the cache unless it is due (or ``refresh``)."""
        tok = self._token(refresh=refresh)
        return tok.value, tok.corp_id

    def _token(self, *, refresh: bool = False) -> Token:
        tok = self.tokens.get(self._key, self._fetch_token, force=refresh)
        self.http.redactor.add(tok.value)
        return tok

    def _fetch_token(self) -> tuple[str, str, float]:
        body = {"appId": self.profile.fx_app_id, "appSecret": self._app_secret, "permanentCode": self._permanent_code}
        data = self._exchange(TOKEN_PATH, body, write=False)
        token, corp_id = data.get("corpAccessToken"), data.get("corpId")
        if isinstance(token, str):
            self.http.redactor.add(token)
        if not isinstance(token, str) or not TOKEN_TEXT.match(token):
            raise bad_token_answer("corpAccessToken", Text("缺失或不是令牌文本", "is missing or not token text"))
        if isinstance(corp_id, bool) or not isinstance(corp_id, (str, int)) or not str(corp_id).strip():
            raise bad_token_answer("corpId", Text("缺失或不是文本", "is missing or not text"))
        return token, str(corp_id), expires_in(data.get("expiresIn"))

    def operator_id(self) -> str:
        """The ``currentOpenUserId``: from the profile, or looked up once by the admin mobile and cached."""
        if self._operator:
            return self._operator
        with self._op_lock:
            if self._operator:
                return self._operator
            mobile = getattr(self.profile, "fx_admin_mobile", None)
            if not mobile:
                raise ConfigError(Text("请在配置中填写操作人 openUserId 或管理员手机号。",
                                       "Set the operator openUserId or the admin mobile in the profile."),
                                  field="fx_open_user_id")
            resolve = lambda: self.user_by_mobile(mobile)["openUserId"]  # noqa: E731
            uid = self._operator_cache(f"mobile:{mobile}", resolve) if self._operator_cache else resolve()
            self._operator = uid
            return uid

    def user_by_mobile(self, mobile: str) -> dict[str, Any]:
        """The employee with this mobile number (``cgi/user/getByMobile``); none -> FxiaokeAuthError."""
        data = self.call("cgi/user/getByMobile", {"mobile": mobile}, crm=False)
        emps = data.get("empList") or []
        if not isinstance(emps, list) or not all(isinstance(e, dict) for e in emps):
            raise BadResponseError(Text("纷享销客按手机号查员工的答复格式不对（empList）。",
                                        "The Fxiaoke answer to the employee lookup by mobile has the wrong shape "
                                        "(empList)."),
                                   Text("请把日志导出给技术支持。", "Export the log for support."),
                                   side="fxiaoke", raw=json.dumps(data, ensure_ascii=False)[:2000])
        if emps and emps[0].get("openUserId") is not None and not isinstance(emps[0].get("openUserId"), str):
            raise shape_error(Text("纷享销客按手机号查员工的答复里 openUserId 不是文本。",
                                    "In the Fxiaoke answer to the employee lookup by mobile, openUserId is not text."),
                               data)
        if not emps or not emps[0].get("openUserId"):
            raise FxiaokeAuthError(
                Text(f"纷享销客中没有手机号为 {mobile} 的员工。",
                     f"No Fxiaoke employee has the mobile number {mobile}."),
                Text("请在配置中填写 CRM 管理员的手机号，或直接填写其 openUserId。",
                     "Set a CRM administrator's mobile number, or their openUserId, in the profile."),
                field="fx_admin_mobile", side="fxiaoke", trace_id=data.get("traceId"),
            )
        return emps[0]

    def get_user(self, open_user_id: str) -> dict[str, Any]:
        """One employee by openUserId (``cgi/user/get``)."""
        return self.call("cgi/user/get", {"openUserId": open_user_id}, crm=False)

    # -- queries ---------------------------------------------------------------------------------------------
    def query(
        self, api_name: str, *, filters: Iterable[q.FilterLike] | None = None,
        orders: Iterable[q.OrderLike] | None = None, fields: list[str] | None = None, page_size: int = 100,
        limit: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every matching row, each once, in a stable order (see ``core.fxiaoke.query.iterate``)."""

        def fetch(info: dict[str, Any], count: bool) -> q.Page:
            # The exact total only for the first page: it bounds the paging and costs the server one count.
            data = self.call(route(api_name, "query"), {"data": {
                "dataObjectApiName": api_name, "find_explicit_total_num": count, "search_query_info": info}})
            return q.Page(rows_of(data, api_name), page_meta(data, "total", api_name) if count else None,
                          page_meta(data, "offset", api_name))

        return q.iterate(fetch, filters=filters, orders=orders, fields=fields, page_size=page_size, limit=limit)

    def count(self, api_name: str, filters: Iterable[q.FilterLike] | None = None) -> int:
        """How many rows match (the server's exact total)."""
        info = q.search_query_info(filters=q.normalize_filters(filters), orders=[], fields=["_id"], limit=1, offset=0)
        data = self.call(route(api_name, "query"), {"data": {
            "dataObjectApiName": api_name, "find_explicit_total_num": True, "search_query_info": info}})
        total = page_meta(data, "total", api_name)
        return total or 0

    def modified_since(self, api_name: str, since_ms: int, *,
                       fields: list[str] | None = None) -> Iterator[dict[str, Any]]:
        """Rows changed at or after ``since_ms`` (epoch ms), oldest change first."""
        return self.query(api_name, filters=[("last_modified_time", "GTE", int(since_ms))],
                          orders=[("last_modified_time", True)], fields=fields)

    def get(self, api_name: str, record_id: str) -> dict[str, Any]:
        """One record by ``_id``."""
        data = self.call(route(api_name, "get"), {"data": {"dataObjectApiName": api_name, "objectDataId": record_id}})
        rec = data.get("data") or {}
        if not isinstance(rec, dict):
            raise shape_error(Text(f"纷享销客读取 {api_name} 记录的答复格式不对（data 不是记录）。",
                                    f"The Fxiaoke answer to reading a {api_name} record has the wrong shape (data is "
                                    f"not a record)."), data)
        # Some tenants wrap the record once more (data.data); accept both.
        return rec["data"] if isinstance(rec.get("data"), dict) else rec

    def get_many(self, api_name: str, ids: list[str], *, fields: list[str] | None = None) -> list[dict[str, Any]]:
        """Records by ``_id`` in the order asked, fetched 100 per ``IN`` query; unknown ids are left out."""
        wanted = list(dict.fromkeys(i for i in ids if i))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), q.MAX_PAGE):
            chunk = wanted[start:start + q.MAX_PAGE]
            for row in self.query(api_name, filters=[("_id", "IN", chunk)], fields=fields, limit=len(chunk)):
                found[row["_id"]] = row
        return [found[i] for i in wanted if i in found]

    # -- writes ----------------------------------------------------------------------------------------------
    def create(self, api_name: str, data: dict[str, Any],
               details: dict[str, list[dict[str, Any]]] | None = None) -> str:
        """Creates a record (with detail rows keyed by detail apiName); returns its ``_id``."""
        payload: dict[str, Any] = {"object_data": {**data, "dataObjectApiName": api_name}}
        if details:
            payload["details"] = details
        body = {"triggerApprovalFlow": False, "triggerWorkFlow": False, "data": payload}
        res = self.call(route(api_name, "create"), body, write=True)
        inner = _dict_at(res, "data")
        new_id = res.get("dataId") or inner.get("dataId") or inner.get("_id")
        if not isinstance(new_id, (str, int)) or isinstance(new_id, bool) or not str(new_id).strip():
            raise BadResponseError(Text("纷享销客创建成功，但没有返回记录 ID。",
                                        "Fxiaoke created the record but returned no id."),
                                   side="fxiaoke", sent=True, raw=json.dumps(res, ensure_ascii=False)[:2000])
        return str(new_id)

    def update(self, api_name: str, record_id: str, fields: dict[str, Any]) -> None:
        """Changes the given fields of one record (others are kept)."""
        body = {"triggerApprovalFlow": False, "triggerWorkFlow": False,
                "data": {"object_data": {**fields, "_id": record_id, "dataObjectApiName": api_name}}}
        self.call(route(api_name, "update"), body, write=True)

    def invalidate(self, api_name: str, record_id: str) -> None:
        """Voids (作废) one record."""
        self.call(route(api_name, "invalid"), {"data": {"dataObjectApiName": api_name, "object_data_id": record_id}},
                  write=True)

    def describe(self, api_name: str) -> dict[str, dict[str, Any]]:
        """``{field api_name: {label, type, is_required, options}}``, cached per object."""
        cached = self._describe.get(api_name)
        if cached is not None:
            return cached
        data = self.call("cgi/crm/v2/object/describe", {"apiName": api_name, "includeDetail": True})
        raw = _dict_at(data, "data", "describe", "fields")
        out = {
            name: {"label": f.get("label"), "type": f.get("type"), "is_required": bool(f.get("is_required")),
                   "options": list(f.get("options") or []) if isinstance(f.get("options"), list) else []}
            for name, f in raw.items() if isinstance(f, dict)
        }
        self._describe[api_name] = out
        return out

    def list_objects(self) -> list[dict[str, Any]]:
        """The tenant's objects (``describeApiName``, ``describeDisplayName``, ``defineType``, ``isActive``)."""
        data = self.call("cgi/crm/v2/object/list", {})
        objects = _dict_at(data, "data").get("objects")
        return [o for o in objects if isinstance(o, dict)] if isinstance(objects, list) else []

    def send_text(self, to_users: list[str], content: str) -> None:
        """A text message to employees (500 recipients per call)."""
        users = list(dict.fromkeys(u for u in to_users if u))
        for start in range(0, len(users), MAX_RECIPIENTS):
            self.call("cgi/message/send", {"toUser": users[start:start + MAX_RECIPIENTS], "msgType": "text",
                                           "text": {"content": content}}, crm=False, write=True)

    # -- the envelope ----------------------------------------------------------------------------------------
    def call(self, path: str, payload: dict[str, Any], *, write: bool = False, crm: bool = True) -> dict[str, Any]:
        """One authenticated call: token and operator added, 20016 refreshed once, rate limits waited out (reads)."""
        refreshed = False
        rate_tries = 0
        while True:
            tok = self._token()
            body: dict[str, Any] = {"corpAccessToken": tok.value, "corpId": tok.corp_id}
            if crm:
                body["currentOpenUserId"] = self.operator_id()
            body.update(payload)
            try:
                return self._exchange(path, body, write=write)
            except FxiaokeError as exc:
                code = to_int(exc.code)
                if code == TOKEN_EXPIRED and not refreshed:
                    # 20016 means the call was refused: nothing happened, so even a write may be sent again.
                    self.tokens.invalidate(self._key, tok.value)
                    refreshed = True
                    continue
                if code in RATE_CODES and not write and rate_tries < self.rate_policy.retries:
                    delay = self.rate_policy.delay(rate_tries)
                    waiting(delay, self.pacer.config.calls, self.pacer.config.window_s)
                    time.sleep(delay)
                    rate_tries += 1
                    continue
                raise

    def _exchange(self, path: str, body: dict[str, Any], *, write: bool) -> dict[str, Any]:
        """POST through the pacer; returns the envelope when errorCode is 0, else raises the typed error."""
        rate_tries = 0
        while True:
            with self.pacer.call(path):
                result = self.http.post(path, body, write=write, codes=codes_of)
            data = read_envelope(result, write)
            code = to_int(data.get("errorCode"))
            if code == 0:
                return data
            said = data.get("errorMessage") or data.get("errorDescription") or ""
            err = make_error(scalar_text(data.get("errorCode")) or "?", clip(said),
                             trace_id=scalar_text(data.get("traceId")), exchange=result.exchange, endpoint=path)
            # The token endpoint's own rate limit: wait it out here, as a token is needed for anything else.
            if path == TOKEN_PATH and code in RATE_CODES and rate_tries < self.rate_policy.retries:
                delay = self.rate_policy.delay(rate_tries)
                waiting(delay, self.pacer.config.token_calls, self.pacer.config.token_window_s)
                time.sleep(delay)
                rate_tries += 1
                continue
            raise err


def _dict_at(obj: dict[str, Any], *keys: str) -> dict[str, Any]:
    """``obj[k1][k2]...`` when every step is an object, else an empty one (an answer of the wrong shape reads as
    empty)."""
    for key in keys:
        value: Any = obj.get(key)
        obj = value if isinstance(value, dict) else {}
    return obj
