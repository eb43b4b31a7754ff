"""core/http.py against real loopback sandbox servers: body kinds, retries, resets, TLS, the redacted exchange log."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
import trustme

from core.errors import BadResponseError, ConnectError, RequestTimeoutError, TlsError
from core.http import ExchangeRecord, HttpClient, Redactor, RetryPolicy, Timeouts
from core.sandbox.base import Request, Response, SandboxServer

FAST = RetryPolicy(attempts=3, base=0.01, cap=0.02)
SECRET = "sk-9f8e7d6c5b4a"
TOKEN = "tok-0123456789abcdef"


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
        if kind == "html":
            return Response.text("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", 502,
                                 "text/html")
        if kind == "response_error":
            return Response.text("response_error: 对象引用未设置到对象的实例")
        if kind == "truncated":
            return Response.text('{"errorCode": 0, "data": {"dataList": [{"_id": "a"', content_type="application/json")
        if kind == "empty":
            return Response(200, b"")
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
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    cert_file, key_file, ca_file = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    cert.cert_chain_pems[0].write_to_path(str(cert_file))
    for blob in cert.cert_chain_pems[1:]:
        blob.write_to_path(str(cert_file), append=True)
    cert.private_key_pem.write_to_path(str(key_file))
    ca.cert_pem.write_to_path(str(ca_file))
    app = ScriptApp()
    with SandboxServer(app, tls=(str(cert_file), str(key_file))) as srv:
        assert srv.url.startswith("https://")
        records: list[ExchangeRecord] = []
        with _client(srv.url, records) as http:
            with pytest.raises(TlsError) as err:
                http.post("query", {})
        assert "CA bundle" in err.value.advice.en and len(records) == 1  # TLS failures are not retried
        with _client(srv.url, records, ca_bundle=str(ca_file)) as http:
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
