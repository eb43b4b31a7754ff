"""core/http.py against real loopback sandbox servers: body kinds, retries, resets, TLS, the redacted exchange log."""

from __future__ import annotations

import json
import ssl
import threading
from typing import Any

import pytest
import requests

from core.errors import BadResponseError, ConnectError, RequestTimeoutError, TlsError
from core.http import ExchangeRecord, HttpClient, Redactor, RetryPolicy, Timeouts, not_found_error, trust_context
from core.sandbox.base import Request, Response, SandboxServer
from tests.helpers_core import tls_files

FAST = RetryPolicy(attempts=3, base=0.01, cap=0.02)
SECRET = "sk-9f8e7d6c5b4a"
TOKEN = "tok-0123456789abcdef"
FRESH_TOKEN = "9C1F0E2D3B4A59687766554433221100"
FRESH_SID = "6f1e2d3c-4b5a-4968-8776-655443322110"


class ScriptApp:
    """Answers by path; ``/flaky`` fails with 500 for its first ``fail_first`` calls; counts calls per path."""

    name = "script"

    def __init__(self) -> None:
        self.calls: dict[str, int] = {}
        self.fail_first = 2
        self.lock = threading.Lock()

    def handle(self, req: Request) -> Response:
        with self.lock:
            n = self.calls[req.path] = self.calls.get(req.path, 0) + 1
        kind = req.path.strip("/")
        if kind == "flaky":
            return Response.text("Internal Server Error", 500) if n <= self.fail_first else Response.json({"ok": n})
        if kind == "flaky_body":  # HTTP 200, but a K3-style exception text instead of JSON, for the first calls
            return Response.text("response_error: 超时已过期") if n <= self.fail_first else Response.json({"ok": n})
        if kind == "html":
            return Response.text("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", 502,
                                 "text/html")
        if kind == "response_error":
            return Response.text("response_error: 对象引用未设置到对象的实例")
        if kind == "truncated":
            return Response.text('{"errorCode": 0, "data": {"dataList": [{"_id": "a"', content_type="application/json")
        if kind == "empty":
            return Response(200, b"")
        if kind == "cut_token":  # a token answer cut short: the value is fresh, so only its key can give it away
            return Response.text('{"errorCode":0,"corpAccessToken":"' + FRESH_TOKEN + '","corpId":"FSCID_1","exp',
                                 content_type="application/json")
        if kind == "cut_login":
            return Response.text('{"LoginResultType":1,"KDSVCSessionId":"' + FRESH_SID + '","Context":{"SessionId":"'
                                 + FRESH_SID, content_type="application/json")
        if kind == "missing":
            return Response.json({"errorCode": 404, "errorMessage": "not found"}, 404)
        if kind == "echo":  # answers with the request body and a token, as a login would
            return Response.json({"got": req.json(), "corpAccessToken": TOKEN, "note": f"issued {TOKEN}"})
        return Response.json({"ok": True, "path": req.path})

    def is_write(self, req: Request) -> bool:
        return req.path.strip("/") == "save"

    def admin(self, action: str, payload: dict) -> dict:
        raise KeyError(action)

    def snapshot(self) -> dict:
        return {}

    def restore(self, state: dict) -> None:
        pass


@pytest.fixture
def served():
    app = ScriptApp()
    with SandboxServer(app) as srv:
        yield app, srv


def _client(url: str, records: list[ExchangeRecord], **kw: Any) -> HttpClient:
    return HttpClient("fxiaoke", url, sinks=[records.append], retry=FAST, **kw)


@pytest.mark.parametrize("kind, words", [
    ("html", "web page"), ("response_error", "server error"), ("truncated", "malformed or truncated"),
    ("empty", "empty response"),
])
def test_each_non_json_body_kind_becomes_bad_response_with_its_own_message(served, kind, words):
    app, srv = served
    records: list[ExchangeRecord] = []
    with _client(srv.url, records) as http:
        result = http.post(kind, {"q": 1})
        with pytest.raises(BadResponseError) as err:
            result.json()
    assert words in err.value.message.en
    assert err.value.exchange is records[-1]
    assert err.value.code == ("502" if kind == "html" else None)  # an HTTP 200 is no error code
    if kind == "html":
        assert "502 Bad Gateway" in err.value.message.en and err.value.code == "502"
    if kind == "response_error":
        assert "对象引用未设置到对象的实例" in err.value.message.zh


def test_reads_retry_5xx_until_an_answer_and_writes_do_not(served):
    app, srv = served
    records: list[ExchangeRecord] = []
    with _client(srv.url, records) as http:
        assert http.post("flaky", {}).json() == {"ok": 3}
        assert app.calls["/flaky"] == 3
        assert [r.status for r in records] == [500, 500, 200]
        app.fail_first = 99
        assert http.post("flaky", {}, write=True).status == 500
        assert app.calls["/flaky"] == 4  # the write went out exactly once


def test_unreadable_200_answers_are_asked_again_for_reads_but_never_for_writes(served):
    app, srv = served
    records: list[ExchangeRecord] = []
    with _client(srv.url, records) as http:
        assert http.post("flaky_body", {}).json() == {"ok": 3}
        assert app.calls["/flaky_body"] == 3 and [r.status for r in records] == [200, 200, 200]
        app.fail_first = 99
        with pytest.raises(BadResponseError):
            http.post("flaky_body", {}).json()
        assert app.calls["/flaky_body"] == 3 + FAST.attempts  # gave up after the policy's attempts
        with pytest.raises(BadResponseError):
            http.post("flaky_body", {}, write=True).json()
        assert app.calls["/flaky_body"] == 4 + FAST.attempts  # the write went out exactly once


def test_resets_are_retried_for_reads_then_raise_connect_error(served):
    app, srv = served
    srv.set_faults(reset_rate=1.0)
    records: list[ExchangeRecord] = []
    with _client(srv.url, records) as http:
        with pytest.raises(ConnectError) as err:
            http.post("query", {})
    assert len(records) == FAST.attempts and all(r.status is None and r.error for r in records)
    assert err.value.exchange is records[-1]
    assert app.calls == {}  # the app never saw them
    srv.set_faults(reset_rate=0.0)


def test_an_ambiguous_write_is_sent_once_and_reported_as_possibly_landed(served):
    app, srv = served
    srv.set_faults(ambiguous_writes=1)
    records: list[ExchangeRecord] = []
    with _client(srv.url, records) as http:
        with pytest.raises(ConnectError) as err:
            http.post("save", {"FNumber": "X1"}, write=True)
        assert err.value.sent is True
        assert app.calls["/save"] == 1 and len(records) == 1
        assert http.post("save", {}, write=True).json()["ok"] is True  # the session recovers


def test_read_timeout_is_typed_and_retried(served):
    app, srv = served
    srv.set_faults(latency_ms=300)
    records: list[ExchangeRecord] = []
    with _client(srv.url, records, timeouts=Timeouts(2, 0.1)) as http:
        with pytest.raises(RequestTimeoutError) as err:
            http.post("query", {})
    assert "0.1 s" in err.value.message.en and len(records) == FAST.attempts
    srv.set_faults(latency_ms=0)


def test_tls_self_signed_is_refused_without_ca_bundle_and_accepted_with_it(tmp_path):
    tls = tls_files(tmp_path)
    ca_file = tls.ca
    app = ScriptApp()
    with SandboxServer(app, tls=tls.server) as srv:
        assert srv.url.startswith("https://")
        records: list[ExchangeRecord] = []
        with _client(srv.url, records) as http:
            with pytest.raises(TlsError) as err:
                http.post("query", {})
        assert "CA bundle" in err.value.advice.en and len(records) == 1  # TLS failures are not retried
        with _client(srv.url, records, ca_bundle=ca_file) as http:
            assert http.post("query", {}).json() == {"ok": True, "path": "/query"}


def test_exchange_log_holds_every_call_and_no_secret(served):
    app, srv = served
    app.fail_first = 1
    records: list[ExchangeRecord] = []
    redactor = Redactor([SECRET])
    with _client(srv.url, records, redactor=redactor) as http:
        redactor.add(TOKEN)
        body = {"appSecret": SECRET, "password": "pw-123456", "data": {"note": f"key={SECRET}"},
                "corpAccessToken": TOKEN}
        http.post("echo", body)
        http.post("flaky", body)  # one 500 then success: two records
        http.post("save", body, write=True, headers={"Cookie": f"kdservice-sessionid={TOKEN}"})
    assert [r.endpoint for r in records] == ["echo", "flaky", "flaky", "save"]
    assert sum(app.calls.values()) == len(records)
    for r in records:
        blob = json.dumps([r.request_body, r.response_body, r.request_headers, r.url, r.error])
        for secret in (SECRET, TOKEN, "pw-123456"):
            assert secret not in blob
    echoed = json.loads(records[0].response_body)
    assert echoed["got"]["data"]["note"] == "key=***" and echoed["corpAccessToken"] == "***"
    assert records[3].request_headers["Cookie"] == "***"


@pytest.mark.parametrize("kind, secret", [("cut_token", FRESH_TOKEN), ("cut_login", FRESH_SID)])
def test_a_truncated_answer_holding_a_new_secret_leaks_it_nowhere(served, kind, secret):
    app, srv = served
    records: list[ExchangeRecord] = []
    with _client(srv.url, records) as http:  # a fresh redactor: the value was never registered
        result = http.post(kind, {})
        with pytest.raises(BadResponseError) as err:
            result.json()
    exc = err.value
    texts = [str(exc), repr(exc), exc.user_message, exc.raw or "", records[0].response_body]
    assert secret in result.text  # the test would be empty otherwise
    assert not any(secret in t for t in texts), texts
    assert "***" in exc.raw and "***" in records[0].response_body


def test_a_404_points_at_the_url_setting(served):
    app, srv = served
    with _client(srv.url, []) as http:
        err = not_found_error(http.post("missing", {}))
    assert (err.field, err.code, err.retryable) == ("fx_url", "404", False)
    assert "fx_url" in err.advice.en and "404" in err.message.zh


def test_a_ca_bundle_is_trusted_besides_the_public_authorities_not_instead_of_them(tmp_path, monkeypatch):
    public, private, stranger = (tls_files(tmp_path, name) for name in ("public", "private", "stranger"))
    # Stand-in for the public CAs: the bundle requests trusts by default now holds the "public" CA.
    monkeypatch.setattr(requests.utils, "DEFAULT_CA_BUNDLE_PATH", public.ca)
    app = ScriptApp()
    with SandboxServer(app, tls=public.server) as cloud, SandboxServer(app, tls=private.server) as in_house, \
            SandboxServer(app, tls=stranger.server) as unknown:
        for srv in (cloud, in_house):  # one profile's CA bundle must not break the other side's public server
            with _client(srv.url, [], ca_bundle=private.ca) as http:
                assert http.post("query", {}).json()["ok"] is True
        with _client(unknown.url, [], ca_bundle=private.ca) as http:
            with pytest.raises(TlsError):
                http.post("query", {})
    ctx = trust_context(private.ca)
    assert ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname


def test_read_retries_back_off_exponentially_with_jitter_up_to_the_cap():
    policy = RetryPolicy(attempts=8, base=0.2, cap=1.0)
    for attempt, ceiling in enumerate([0.2, 0.4, 0.8, 1.0, 1.0, 1.0]):
        delays = [policy.delay(attempt) for _ in range(200)]
        assert all(0 <= d <= ceiling for d in delays)
        assert max(delays) > ceiling * 0.8 and len(set(delays)) > 150  # spread over the range: jitter


def test_a_write_to_a_refused_port_is_tried_per_the_policy_and_raises_not_sent():
    import socket

    with socket.socket() as s:  # a port nobody listens on: every connection is refused, nothing is ever sent
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    records: list[ExchangeRecord] = []
    with _client(f"http://127.0.0.1:{port}/", records) as http:
        with pytest.raises(ConnectError) as err:
            http.post("save", {"FNumber": "X1"}, write=True)
    assert err.value.sent is False
    assert len(records) == FAST.attempts  # the policy's attempts, no more: the writer adds no rounds on top


def test_a_broken_sink_is_reported_once_per_kind_and_the_call_goes_on(served, caplog):
    app, _srv = served
    records: list[ExchangeRecord] = []

    def broken(_record: ExchangeRecord) -> None:
        raise RuntimeError("log pane closed")

    with HttpClient("fxiaoke", _srv.url, sinks=[broken, records.append], retry=FAST) as http:
        with caplog.at_level("WARNING", logger="core.http"):
            assert http.post("echo", {"a": 1}).status == 200
            http.post("echo", {"a": 2})
    warned = [r for r in caplog.records if "sink failed" in r.getMessage()]
    assert len(warned) == 1 and "log pane closed" in warned[0].getMessage()
    assert len(records) == 2  # the other sink still got every exchange
