"""The hostile answers the CLI is run against: one table, each row a server behaviour and what must come of it."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.hostile import server as hs
from tests.hostile.runner import Home, Run

TOKEN = "corpAccessToken/get/V2"
GET_USER = "cgi/user/get"
LOGIN = "AuthService.ValidateUser"
CENTERS = "GetDataCenterList"
HTML_LOGIN = "<!DOCTYPE html><html><head><title>统一登录 Login</title></head><body>please log in</body></html>"
HTML_502 = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


@dataclass
class Ctx:
    """What a case's rules and checks may use."""

    sb: Any
    fx: hs.HostileServer  # in front of the Fxiaoke sandbox
    k3: hs.HostileServer  # in front of the K3Cloud sandbox
    collector: hs.HostileServer  # where redirects point: it must never see a request
    home: Home
    customers: list[dict] = field(default_factory=list)  # Fxiaoke customers reserved for this case
    orders: list[dict] = field(default_factory=list)  # Fxiaoke orders reserved for this case


@dataclass
class Case:
    id: str
    command: str  # check | list | sync-customers | sync-orders | sync-deliveries
    rules: Callable[[Ctx], Any]
    exits: tuple[int, ...] = (3,)
    en: tuple[str, ...] = ()  # must all appear in the output
    zh: tuple[str, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict)  # profile settings for the case
    slow: bool = False
    after: Callable[[Ctx, Run], None] | None = None
    xfail: str | None = None
    customers: int = 0
    orders: int = 0


# -- matchers ---------------------------------------------------------------------------------------------------

def query_of(api: str) -> Callable[[hs.Req], bool]:
    return lambda r: "data/query" in r.path and f'"{api}"'.encode() in r.body


def k3_op(op: str, form: str | None = None) -> Callable[[hs.Req], bool]:
    return lambda r: f"DynamicFormService.{op}." in r.path and (form is None or form.encode() in r.body)


def every(req: hs.Req) -> bool:
    return True


# -- Fxiaoke answers ---------------------------------------------------------------------------------------------

def fx_ok(**data: Any) -> dict[str, Any]:
    return {"errorCode": 0, "errorMessage": "OK", "traceId": "E-O.hostile", **data}


HOSTILE_TOKEN = "HOSTILE" + "0" * 25


def token_answer(**changes: Any) -> hs.Action:
    body = {"errorCode": 0, "errorMessage": "OK", "corpAccessToken": HOSTILE_TOKEN, "corpId": "FSCID_H",
            "expiresIn": 7200}
    body.update(changes)
    return hs.answer(200, body)


def fresh_rows(n: int, tag: str) -> list[dict[str, Any]]:
    return [{"_id": f"{tag}{uuid.uuid4().hex[:16]}", "name": f"客户{tag}{i}", "account_no": f"H-{tag}-{i}"}
            for i in range(n)]


def asked_offset(req: hs.Req) -> int:
    return int(req.json()["data"]["search_query_info"]["offset"])


def pages(make: Callable[[hs.Req], dict[str, Any]]) -> hs.Action:
    return lambda req, wire: wire.answer(200, json.dumps(make(req), ensure_ascii=False).encode("utf-8"))


SAME_PAGE = fresh_rows(100, "same")


def with_rows(change: Callable[[list[dict]], None]) -> Callable[[Any], Any]:
    def edit(body: Any) -> Any:
        change(body["data"]["dataList"])
        return body
    return edit


def break_utf8(raw: bytes) -> bytes:
    """The answer's first Chinese name with an invalid byte in it."""
    m = re.search(rb"[\xe4-\xe9][\x80-\xbf]{2}", raw)
    assert m is not None, "no Chinese text to break"
    return raw[: m.start()] + b"\xff\xfe" + raw[m.end():]


# -- K3Cloud answers --------------------------------------------------------------------------------------------

def k3_status(success: bool, errors: list[dict] | None = None, entities: list[dict] | None = None,
              msg_code: Any = 0) -> dict[str, Any]:
    return {"Result": {"ResponseStatus": {"ErrorCode": 0 if success else 500, "IsSuccess": success,
                                          "Errors": errors or [], "SuccessEntitys": entities or [],
                                          "SuccessMessages": [], "MsgCode": msg_code}}}


def nested_query_error(msg_code: Any, message: str) -> list:
    return [[k3_status(False, [{"FieldName": None, "Message": message, "DIndex": 0}], msg_code=msg_code)]]


def login_answer(**changes: Any) -> hs.Action:
    body = {"Message": None, "MessageCode": None, "LoginResultType": 1,
            "Context": {"SessionId": "ctx-" + uuid.uuid4().hex, "UserToken": uuid.uuid4().hex},
            "KDSVCSessionId": uuid.uuid4().hex, "Lcid": 2052, "IsSuccessByAPI": True}
    body.update(changes)
    return hs.answer(200, body)


def same_k3_page(req: hs.Req, wire: hs.Wire) -> None:
    data = json.loads(req.json()["data"])
    width = len(data["FieldKeys"].split(","))
    rows = [[f"OUT-{i}"] + ["2026-11-01T10:00:00"] * (width - 1) for i in range(int(data["Limit"]))]
    wire.answer(200, json.dumps(rows).encode())


def saved_without_entities(req: hs.Req, wire: hs.Wire) -> None:
    """The BatchSave goes through, but the answer names nothing saved."""
    status, headers, body = req.forward()
    obj = json.loads(body)
    obj["Result"]["ResponseStatus"]["SuccessEntitys"] = []
    wire.answer(status, json.dumps(obj, ensure_ascii=False).encode("utf-8"), headers, content_type=None)


# -- checks after a run -----------------------------------------------------------------------------------------

def nothing_collected(ctx: Ctx, run: Run) -> None:
    assert ctx.collector.seen == [], ctx.collector.seen


def no_cached_token(ctx: Ctx, run: Run) -> None:
    assert not [k for k in ctx.home.ring_entries() if k.endswith(":fx-token")], "a token with no time left was cached"


def lists_unique(n: int) -> Callable[[Ctx, Run], None]:
    def check(ctx: Ctx, run: Run) -> None:
        ids = [json.loads(line)["_id"] for line in run.stdout.splitlines() if line.strip()]
        assert len(ids) == len(set(ids)) == n, ids
    return check


def names_intact(ctx: Ctx, run: Run) -> None:
    names = {json.loads(line)["name"] for line in run.stdout.splitlines() if line.strip()}
    expected = {r["name"] for r in ctx.sb.fx_app.admin("records", {"api_name": "AccountObj"})["records"]}
    assert names and names <= expected, names - expected


def k3_customers(ctx: Ctx) -> dict[str, dict]:
    return {str(r.get("FNumber")): r for r in ctx.sb.k3_app.admin("records", {"form_id": "BD_Customer"})["records"]}


def k3_orders(ctx: Ctx) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in ctx.sb.k3_app.admin("records", {"form_id": "SAL_SaleOrder"})["records"]:
        counts[str(r.get("FBillNo"))] = counts.get(str(r.get("FBillNo")), 0) + 1
    return counts


def no_orders_in_k3(ctx: Ctx, run: Run) -> None:
    held = k3_orders(ctx)
    assert not [o["name"] for o in ctx.orders if held.get(o["name"])], "an order was written"


def orders_once(ctx: Ctx, run: Run) -> None:
    held = k3_orders(ctx)
    assert all(held.get(o["name"]) == 1 for o in ctx.orders), {o["name"]: held.get(o["name"]) for o in ctx.orders}


def _orders_of(out: dict) -> list[dict]:
    """The order items of a run's JSON (an order run also reports the customers it pushed, flow "customers")."""
    return [i for i in out["items"] if i.get("flow", "orders") == "orders"]


def none_created(ctx: Ctx, run: Run) -> None:
    out = run.json()
    assert out is not None and out["failed"] >= 1, out
    mine = _orders_of(out) if ctx.orders else out["items"]
    assert mine and all(i["status"] != "created" for i in mine), out


def created_each_once(ctx: Ctx, run: Run) -> None:
    out = run.json()
    assert out is not None and out["failed"] == 0, out
    assert [i["status"] for i in _orders_of(out)] == ["created"] * len(ctx.orders), out
    orders_once(ctx, run)


def counts_agree_with_exit(ctx: Ctx, run: Run) -> None:
    out = run.json()
    assert out is not None
    assert (run.code == 0) == (out["failed"] == 0), (run.code, {k: out[k] for k in ("created", "failed")})


def customer_failed_alone(field_name: str, words: str) -> Callable[[Ctx, Run], None]:
    def check(ctx: Ctx, run: Run) -> None:
        out = run.json()
        bad, good = ctx.customers[0], ctx.customers[1]
        items = {i["source_id"]: i for i in out["items"]}
        assert items[bad["_id"]]["status"] == "failed", items[bad["_id"]]
        assert field_name in items[bad["_id"]]["error"]["message"] and words in items[bad["_id"]]["error"]["message"]
        assert items[good["_id"]]["status"] == "created"
        held = k3_customers(ctx)
        assert bad["account_no"] not in held and good["account_no"] in held
    return check


def no_replacement_characters(ctx: Ctx, run: Run) -> None:
    held = k3_customers(ctx)
    assert not [c for c in ctx.customers if c["account_no"] in held], "a customer was written from a refused answer"
    assert not [n for n, r in held.items() if "\ufffd" in json.dumps(r, ensure_ascii=False)]


def names_in_k3_intact(ctx: Ctx, run: Run) -> None:
    held = k3_customers(ctx)
    for c in ctx.customers:
        assert held[c["account_no"]]["FName"] == c["name"], (held[c["account_no"]]["FName"], c["name"])


def both(*checks: Callable[[Ctx, Run], None]) -> Callable[[Ctx, Run], None]:
    def check(ctx: Ctx, run: Run) -> None:
        for c in checks:
            c(ctx, run)
    return check


# -- the table --------------------------------------------------------------------------------------------------

SLOW = {"read_timeout": 1.0}
_WEB = (("web page instead of data",), ("网页",))
_TRUNC = (("malformed or truncated",), ("不完整",))
_EMPTY = (("empty response",), ("空响应",))
_SERVER = (("server error",), ("服务器内部出错",))
_NO_CODE = (("without an error code",), ("无法识别",))
_TOKEN_TEXT = (("corpAccessToken", "not token text"), ("令牌",))
_SECONDS = (("expiresIn", "not a number of seconds"), ("秒数",))
_REDIRECT = (("redirected an API call",), ("重定向",))
_BIG = (("larger than 16 MB",), ("超过 16 MB",))
_SLOW = (("did not finish its answer within 3 s",), ("太慢",))
_STALL = (("stopped answering for 1 s",), ("没有继续答复",))
_DEEP = (("nested deeper than 64",), ("嵌套",))
_UTF8 = (("not valid UTF-8",), ("UTF-8",))
_DROPPED = (("dropped",), ("中断",))
_MID = (("dropped mid-answer",), ("答复中途断开",))
_SHAPE = (("wrong shape",), ("格式不对",))
_STUCK = (("does not advance",), ("没有进展",))


def c(id: str, command: str, rules: Callable[[Ctx], Any], words: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
      **kw: Any) -> Case:
    return Case(id, command, rules, en=words[0], zh=words[1], **kw)


def on_token(action: hs.Action) -> Callable[[Ctx], Any]:
    return lambda ctx: ctx.fx.on(TOKEN, action)


def on_query(action: hs.Action, api: str = "AccountObj") -> Callable[[Ctx], Any]:
    return lambda ctx: ctx.fx.on(query_of(api), action)


def on_k3(match: str | Callable[[hs.Req], bool], action: hs.Action) -> Callable[[Ctx], Any]:
    return lambda ctx: ctx.k3.on(match, action)


def redirect_to_collector(side: str, match: str, status: int) -> Callable[[Ctx], Any]:
    def rules(ctx: Ctx) -> None:
        server = ctx.fx if side == "fx" else ctx.k3
        server.on(match, hs.redirect(status, ctx.collector.url("/collect")))
    return rules


CASES: list[Case] = [
    # --- Fxiaoke token endpoint, seen by `check` -------------------------------------------------------------
    c("fx-token-html-200", "check", on_token(hs.answer(200, HTML_LOGIN, content_type="text/html")), _WEB),
    c("fx-token-html-502", "check", on_token(hs.answer(502, HTML_502, content_type="text/html")),
      (("web page instead of data (HTTP 502",), ("网页",))),
    c("fx-token-response-error", "check", on_token(hs.answer(200, "response_error: 对象引用未设置到对象的实例",
                                                             content_type="text/plain")), _SERVER),
    c("fx-token-truncated", "check", on_token(hs.answer(200, '{"errorCode":0,"corpAccessToken":"abc')), _TRUNC),
    c("fx-token-empty", "check", on_token(hs.answer(200, b"")), _EMPTY),
    c("fx-token-list-for-object", "check", on_token(hs.answer(200, [1, 2, 3])), _NO_CODE),
    c("fx-token-nulls", "check", on_token(token_answer(corpAccessToken=None, corpId=None, expiresIn=None)),
      _TOKEN_TEXT),
    c("fx-token-missing-keys", "check", on_token(hs.answer(200, {"errorCode": 0, "errorMessage": "OK"})), _TOKEN_TEXT),
    c("fx-token-object-for-token", "check", on_token(token_answer(corpAccessToken={"v": "x"})), _TOKEN_TEXT),
    c("fx-token-expires-text", "check", on_token(token_answer(expiresIn="soon")), _SECONDS),
    c("fx-token-expires-list", "check", on_token(token_answer(expiresIn=[7200])), _SECONDS),
    c("fx-token-errorcode-text", "check", on_token(hs.answer(200, {"errorCode": "E-TOKEN", "errorMessage": "坏了"})),
      (("Fxiaoke error E-TOKEN", "坏了"), ("纷享销客返回错误 E-TOKEN",))),
    c("fx-token-unknown-code", "check", on_token(hs.answer(200, {"errorCode": 99999, "errorMessage": "?"})),
      (("unknown error",), ("未知错误",))),
    c("fx-token-401", "check", on_token(hs.answer(401, {"message": "unauthorized"})),
      (("requires authentication (HTTP 401",), ("要求身份验证",))),
    c("fx-token-403-html", "check", on_token(hs.answer(403, "<html><title>Access Denied</title></html>",
                                                       content_type="text/html")),
      (("refused access (HTTP 403", "Access Denied"), ("拒绝访问",))),
    c("fx-token-404", "check", on_token(hs.answer(404, "Not Found", content_type="text/plain")),
      (("no such interface",), ("找不到这个接口",))),
    c("fx-token-500", "check", on_token(hs.answer(500, "Internal Server Error", content_type="text/plain")),
      (("server failed (HTTP 500",), ("服务器出错",))),
    c("fx-token-503-retry-after-3600", "check", on_token(hs.answer(503, "busy", content_type="text/plain",
                                                                   headers=[("Retry-After", "3600")])),
      (("unavailable (HTTP 503", "3600 s"), ("暂时不可用",))),
    c("fx-token-429-always", "check", on_token(hs.answer(429, {"message": "slow down"})),
      (("too many requests (HTTP 429",), ("请求过于频繁",))),
    c("fx-token-429-retry-after-2-then-ok", "check",
      on_token(hs.sequence(hs.answer(429, "slow", content_type="text/plain", headers=[("Retry-After", "2")]),
                           hs.forward)), exits=(0,), after=lambda ctx, run: _took_at_least(run, 2.0)),
    c("fx-token-redirect-307", "check", redirect_to_collector("fx", TOKEN, 307), _REDIRECT, after=nothing_collected),
    c("fx-token-redirect-302", "check", redirect_to_collector("fx", TOKEN, 302), _REDIRECT, after=nothing_collected),
    c("fx-token-redirect-301-to-https", "check",
      lambda ctx: ctx.fx.on(TOKEN, hs.redirect(301, lambda r: f"https://127.0.0.1:{ctx.fx.port}{r.path}")),
      (("redirected an API call", "wants https://"), ("重定向",))),
    c("fx-token-redirect-loop", "check", lambda ctx: ctx.fx.on(TOKEN, hs.redirect(308, lambda r: ctx.fx.url(r.path))),
      _REDIRECT),
    c("fx-token-reset", "check", on_token(hs.reset), _DROPPED),
    c("fx-token-reset-mid-body", "check", on_token(hs.reset_mid_body), _MID),
    c("fx-token-huge", "check", on_token(hs.answer(200, hs.huge_json(20))), _BIG),
    c("fx-token-endless-chunked", "check", on_token(hs.endless_chunked), _BIG),
    c("fx-token-gzip-bomb", "check", on_token(hs.gzip_bomb), _BIG),
    c("fx-token-trickle", "check", on_token(hs.trickle(0.3)), _SLOW, settings=SLOW, slow=True),
    c("fx-token-stall", "check", on_token(hs.stall), _STALL, settings=SLOW, slow=True),
    c("fx-token-deep-json", "check", on_token(hs.answer(200, hs.deep_json())), _DEEP),
    c("fx-token-invalid-utf8", "check", on_token(hs.answer(200, b'{"errorCode":0,"corpId":"\xff\xfe"}')), _UTF8),
    c("fx-token-wrong-content-type", "check", on_token(hs.rewrite(lambda b: b, content_type="image/png")), exits=(0,)),
    c("fx-token-gzipped", "check", on_token(lambda req, wire: hs.gzipped(json.loads(req.forward()[2]))(req, wire)),
      exits=(0,)),
    c("fx-token-expires-zero", "list", on_token(hs.rewrite(lambda b: {**b, "expiresIn": 0})), exits=(0,),
      after=no_cached_token),
    c("fx-token-expires-negative", "list", on_token(hs.rewrite(lambda b: {**b, "expiresIn": -60})), exits=(0,),
      after=no_cached_token),
    c("fx-user-list-for-object", "check", lambda ctx: ctx.fx.on(GET_USER, hs.answer(200, [])), _NO_CODE),
    # --- Fxiaoke query, seen by `list` -------------------------------------------------------------------------
    c("fx-query-html-200", "list", on_query(hs.answer(200, HTML_LOGIN, content_type="text/html")), _WEB),
    c("fx-query-datalist-object", "list", on_query(hs.answer(200, fx_ok(data={"dataList": {"a": 1}}))), _SHAPE),
    c("fx-query-data-null", "list", on_query(hs.answer(200, fx_ok(data=None))), _SHAPE),
    c("fx-query-record-without-id", "list",
      on_query(hs.rewrite(with_rows(lambda rows: rows[0].pop("_id")))), (("no valid _id",), ("_id",))),
    c("fx-query-id-as-list", "list", on_query(hs.rewrite(with_rows(lambda rows: rows[1].update(_id=["a"])))),
      (("no valid _id",), ("_id",))),
    c("fx-query-same-page-forever", "list",
      on_query(pages(lambda req: fx_ok(data={"dataList": SAME_PAGE, "total": 0, "offset": asked_offset(req)}))),
      (("does not advance", "already read"), ("没有进展",))),
    c("fx-query-offset-stuck", "list",
      on_query(pages(lambda req: fx_ok(data={"dataList": fresh_rows(100, "o"), "total": 0, "offset": 0}))),
      (("does not advance", "asked for rows from 100"), ("没有进展",))),
    c("fx-query-fresh-pages-beyond-total", "list",
      on_query(pages(lambda req: fx_ok(data={"dataList": fresh_rows(100, "t"), "total": 150,
                                             "offset": asked_offset(req)}))),
      (("does not advance", "announced 150 rows"), ("没有进展",))),
    c("fx-query-negative-total", "list", on_query(hs.rewrite(lambda b: {**b, "data": {**b["data"], "total": -5}})),
      (("not a whole number",), ("非负整数",))),
    c("fx-query-huge-total", "list", on_query(hs.rewrite(lambda b: {**b, "data": {**b["data"], "total": 10 ** 15}})),
      exits=(0,)),
    c("fx-query-duplicate-ids", "list-json",
      on_query(pages(lambda req: fx_ok(data={"dataList": SAME_PAGE[:1] * 3 + SAME_PAGE[1:2], "total": 2,
                                             "offset": asked_offset(req)}))),
      exits=(0,), after=lists_unique(2)),
    c("fx-query-invalid-utf8", "list-json", on_query(hs.rewrite(lambda b: b, raw=break_utf8)), _UTF8,
      after=lambda ctx, run: _no_fffd(run)),
    c("fx-query-latin1-header", "list-json",
      on_query(hs.rewrite(lambda b: b, content_type="application/json; charset=iso-8859-1")), exits=(0,),
      after=names_intact),
    c("fx-query-errorcode-text", "list", on_query(hs.answer(200, {"errorCode": "E_QUERY", "errorMessage": "炸了"})),
      (("Fxiaoke error E_QUERY", "炸了"), ("纷享销客返回错误",))),
    c("fx-query-503-retry-after-1-then-ok", "list",
      on_query(hs.sequence(hs.answer(503, "busy", content_type="text/plain", headers=[("Retry-After", "1")]),
                           hs.forward)), exits=(0,), after=lambda ctx, run: _took_at_least(run, 1.0)),
    c("fx-query-redirect-302", "list", redirect_to_collector("fx", "data/query", 302), _REDIRECT,
      after=nothing_collected),
    c("fx-query-gzip-bomb", "list", on_query(hs.gzip_bomb), _BIG),
    c("fx-query-trickle", "list", on_query(hs.trickle(0.3)), _SLOW, settings=SLOW, slow=True),
    c("fx-query-deep-json", "list", on_query(hs.answer(200, hs.deep_json())), _DEEP),
    c("fx-query-list-for-object", "list", on_query(hs.answer(200, [])), _NO_CODE),
    c("fx-query-missing-errorcode", "list", on_query(hs.answer(200, {"data": {"dataList": []}})), _NO_CODE),
    c("fx-query-success-with-500", "list", on_query(hs.answer(500, fx_ok(data={"dataList": []}))),
      (("server failed (HTTP 500",), ("服务器出错",))),
    # --- K3Cloud, seen by `check` ------------------------------------------------------------------------------
    c("k3-login-html-200", "check", on_k3(LOGIN, hs.answer(200, HTML_LOGIN, content_type="text/html")), _WEB),
    c("k3-login-response-error", "check", on_k3(LOGIN, hs.answer(200, "response_error: 超时已过期",
                                                                 content_type="text/plain")), _SERVER),
    c("k3-login-truncated", "check", on_k3(LOGIN, hs.answer(200, '{"LoginResultType":1,"KDSVCSessionId":"ab')),
      _TRUNC),
    c("k3-login-empty", "check", on_k3(LOGIN, hs.answer(200, b"")), _EMPTY),
    c("k3-login-list-for-object", "check", on_k3(LOGIN, hs.answer(200, [])),
      (("could not be understood",), ("看不懂",))),
    c("k3-login-nulls", "check", on_k3(LOGIN, hs.answer(200, {"Message": None, "LoginResultType": None,
                                                              "Context": None, "KDSVCSessionId": None})),
      (("could not be understood",), ("看不懂",))),
    c("k3-login-unknown-result-type", "check", on_k3(LOGIN, login_answer(LoginResultType=7, Message="???")),
      (("LoginResultType=7",), ("金蝶登录失败",))),
    c("k3-login-session-as-list", "check", on_k3(LOGIN, login_answer(KDSVCSessionId=["a", "b"])),
      (("session id in the K3Cloud login answer is not text",), ("会话 ID 不是文本",))),
    c("k3-login-redirect-307", "check", redirect_to_collector("k3", LOGIN, 307), _REDIRECT, after=nothing_collected),
    c("k3-login-redirect-302-elsewhere", "check",
      on_k3(LOGIN, hs.redirect(302, "http://sso.example.com/login?from=k3")),
      (("redirected an API call", "another host"), ("另一台主机",))),
    c("k3-login-401", "check", on_k3(LOGIN, hs.answer(401, "Unauthorized", content_type="text/plain")),
      (("requires authentication (HTTP 401",), ("要求身份验证",))),
    c("k3-login-403-html", "check", on_k3(LOGIN, hs.answer(403, "<html><title>403 Forbidden</title></html>",
                                                           content_type="text/html")),
      (("refused access (HTTP 403",), ("拒绝访问",))),
    c("k3-login-500-text", "check", on_k3(LOGIN, hs.answer(500, "Server Error in '/K3Cloud' Application.",
                                                           content_type="text/plain")),
      (("server failed (HTTP 500", "Server Error in"), ("服务器出错",))),
    c("k3-login-gzip-bomb", "check", on_k3(LOGIN, hs.gzip_bomb), _BIG),
    c("k3-login-trickle", "check", on_k3(LOGIN, hs.trickle(0.3)), _SLOW, settings=SLOW, slow=True),
    c("k3-centers-html-200", "check", on_k3(CENTERS, hs.answer(200, HTML_502, content_type="text/html")), _WEB),
    c("k3-query-nested-error", "check", on_k3(k3_op("ExecuteBillQuery", "BD_Customer"),
                                              hs.answer(200, nested_query_error(4, "GetRealExpress error at FX"))),
      (("GetRealExpress error at FX",), ("金蝶查询",))),
    c("k3-query-unknown-msgcode", "check", on_k3(k3_op("ExecuteBillQuery", "BD_Customer"),
                                                 hs.answer(200, nested_query_error(99, "奇怪的错误"))),
      (("unknown error code 99", "奇怪的错误"), ("未知错误码 99",))),
    c("k3-query-msgcode-text", "check", on_k3(k3_op("ExecuteBillQuery", "BD_Customer"),
                                              hs.answer(200, nested_query_error("9", "字段不存在 FX"))),
      (("字段不存在 FX",), ("金蝶查询",))),
    c("k3-query-wrong-width", "check", on_k3(k3_op("ExecuteBillQuery", "BD_Customer"),
                                             hs.answer(200, [["A", "B"], ["C"]])),
      (("row 1 has 2 values for 1 fields",), ("格式不对",))),
    c("k3-query-object-in-cell", "check", on_k3(k3_op("ExecuteBillQuery", "BD_Customer"),
                                                hs.answer(200, [[{"FNumber": "x"}]])),
      (("is not a single value",), ("不是单个值",))),
    c("k3-query-success-status-for-rows", "check", on_k3(k3_op("ExecuteBillQuery", "BD_Customer"),
                                                         hs.answer(200, [[k3_status(True)]])),
      (("is not a single value",), ("格式不对",))),
    # --- sync: what K3Cloud holds afterwards -------------------------------------------------------------------
    c("sync-save-unconfirmed-not-saved", "sync-orders",
      on_k3(k3_op("BatchSave", "SAL_SaleOrder"), hs.answer(200, k3_status(True))), exits=(1,),
      after=both(none_created, no_orders_in_k3), orders=2),
    c("sync-save-unconfirmed-but-saved", "sync-orders", on_k3(k3_op("BatchSave", "SAL_SaleOrder"),
                                                              saved_without_entities),
      exits=(0,), after=created_each_once, orders=2),
    c("sync-save-success-with-errors", "sync-orders",
      on_k3(k3_op("BatchSave", "SAL_SaleOrder"), hs.answer(200, k3_status(True, [
          {"FieldName": "FBillNo", "Message": "违反字段唯一性要求", "DIndex": 0}]))),
      exits=(1,), after=both(none_created, no_orders_in_k3), orders=2),
    c("sync-submit-refused-counts-agree", "sync-orders",
      on_k3(k3_op("Submit", "SAL_SaleOrder"), hs.answer(200, k3_status(False, [
          {"FieldName": None, "Message": "提交被拒绝（测试）", "DIndex": 0}], msg_code=11))),
      exits=(1,), after=both(counts_agree_with_exit, orders_once), orders=1),
    c("sync-customer-name-as-list", "sync-customers",
      lambda ctx: ctx.fx.on(query_of("AccountObj"), hs.rewrite(with_rows(lambda rows: [
          r.update(name=["甲公司", "乙公司"]) for r in rows if r["_id"] == ctx.customers[0]["_id"]]))),
      exits=(1,), after=customer_failed_alone("FName", "a list, not a single value"), customers=2),
    c("sync-customer-nulls-everywhere", "sync-customers",
      lambda ctx: ctx.fx.on(query_of("AccountObj"), hs.rewrite(with_rows(lambda rows: [
          r.update({k: None for k in r if k != "_id"}) for r in rows if r["_id"] == ctx.customers[0]["_id"]]))),
      exits=(1,), after=customer_failed_alone("FNumber", "required value is empty"), customers=2),
    c("sync-customer-invalid-utf8", "sync-customers", on_query(hs.rewrite(lambda b: b, raw=break_utf8)), _UTF8,
      after=no_replacement_characters, customers=2),
    c("sync-customer-latin1-header", "sync-customers",
      on_query(hs.rewrite(lambda b: b, content_type="application/json; charset=iso-8859-1")), exits=(0,),
      after=names_in_k3_intact, customers=2),
    c("sync-k3-login-redirect", "sync-orders", redirect_to_collector("k3", LOGIN, 307), _REDIRECT,
      after=both(nothing_collected, no_orders_in_k3), orders=1),
    c("sync-fx-query-gzip-bomb", "sync-orders", on_query(hs.gzip_bomb, "SalesOrderObj"), _BIG,
      after=no_orders_in_k3, orders=1),
    c("sync-deliveries-same-page-forever", "sync-deliveries", on_k3(k3_op("ExecuteBillQuery", "SAL_OUTSTOCK"),
                                                                    same_k3_page), _STUCK),
]


def _took_at_least(run: Run, seconds: float) -> None:
    assert run.seconds >= seconds, f"Retry-After {seconds} s was not waited for ({run.seconds:.2f} s)"


def _no_fffd(run: Run) -> None:
    assert "\ufffd" not in run.stdout
