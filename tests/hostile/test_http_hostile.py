"""core.http against a raw hostile server: redirects never followed, bodies capped after decompression, a total
deadline, strict UTF-8, bounded nesting, Retry-After, and the K3 login's session material kept out of records."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from core.errors import BadResponseError, ConfigError, ConnectError, RedirectError, RequestTimeoutError
from core.http import ExchangeRecord, HttpClient, RetryPolicy, Timeouts
from tests.hostile import server as hs

FAST = RetryPolicy(attempts=3, base=0.01, cap=0.02)
FAST.retry_after_cap = 3.0


@pytest.fixture
def hostile():
    with hs.HostileServer() as srv:
        yield srv


def client(srv: hs.HostileServer, records: list[ExchangeRecord], side: str = "fxiaoke", **kw: Any) -> HttpClient:
    kw.setdefault("retry", FAST)
    return HttpClient(side, srv.url("/"), sinks=[records.append], **kw)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_is_never_followed_and_names_both_urls(hostile, status):
    secret = "app-secret-0123456789"
    with hs.HostileServer() as collector:
        hostile.on("token", hs.redirect(status, collector.url("/steal")))
        records: list[ExchangeRecord] = []
        with client(hostile, records) as http:
            with pytest.raises(RedirectError) as err:
                http.post("cgi/corpAccessToken/get/V2", {"appSecret": secret})
        assert collector.seen == []  # the secret went nowhere else
    exc = err.value
    assert hostile.url("/cgi/corpAccessToken/get/V2") in exc.message.en and collector.url("/steal") in exc.message.en
    assert "another host" not in exc.message.en and "redirected an API call" in exc.message.en
    assert "重定向" in exc.message.zh and exc.field == "fx_url" and exc.code == str(status)
    assert exc.retryable is False and len(records) == 1  # not asked again
    assert records[0].status == status and records[0].error and secret not in json.dumps(records[0].request_body)


def test_a_redirect_loop_is_a_redirect_not_a_dropped_connection(hostile):
    hostile.on("query", hs.redirect(302, lambda req: hostile.url(req.path)))
    with client(hostile, []) as http:
        with pytest.raises(RedirectError) as err:
            http.post("query", {})
    assert "dropped" not in err.value.message.en and hostile.seen == ["/query"]


@pytest.mark.parametrize("location, cause", [
    ("https://127.0.0.1:1/K3Cloud/x", "wants https://"),
    ("http://login.example.com/portal", "another host"),
])
def test_a_redirect_explains_its_likely_cause(hostile, location, cause):
    hostile.on("K3Cloud", hs.redirect(307, location))
    with client(hostile, [], side="k3cloud") as http:
        with pytest.raises(RedirectError) as err:
            http.post("K3Cloud/Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc", {})
    assert cause in err.value.advice.en and err.value.field == "k3_url"


@pytest.mark.parametrize("action, words", [
    (hs.answer(200, hs.huge_json(20)), "larger than 16 MB"),
    (hs.endless_chunked, "larger than 16 MB"),
    (hs.gzip_bomb, "larger than 16 MB"),
])
def test_a_body_over_the_decoded_cap_stops_reading(hostile, action, words):
    hostile.on("query", action)
    started = time.monotonic()
    with client(hostile, []) as http:
        with pytest.raises(BadResponseError) as err:
            http.post("query", {})
    assert words in err.value.message.en and "MB" in err.value.message.zh
    assert err.value.retryable is False and len(hostile.seen) == 1  # asking again would get the same
    assert time.monotonic() - started < 20


def test_a_gzipped_answer_within_the_cap_is_read():
    with hs.HostileServer() as srv:
        srv.on("query", hs.gzipped({"errorCode": 0, "names": ["上海某某"] * 1000}))
        with client(srv, []) as http:
            assert http.post("query", {}).json()["names"][0] == "上海某某"


def test_a_trickled_body_ends_at_the_total_deadline(hostile):
    hostile.on("query", hs.trickle(0.2))
    started = time.monotonic()
    with client(hostile, [], timeouts=Timeouts(2, 1.0, total=1.5)) as http:
        with pytest.raises(RequestTimeoutError) as err:
            http.post("query", {})
    elapsed = time.monotonic() - started
    assert len(hostile.seen) == 1  # not asked again: it would take as long again
    assert 1.4 < elapsed < 3.5, elapsed  # each byte came within the read timeout: only the deadline could end it
    assert "1.5 s" in err.value.message.en and "太慢" in err.value.message.zh


def test_a_body_that_stops_coming_is_a_read_timeout(hostile):
    hostile.on("query", hs.stall)
    with client(hostile, [], timeouts=Timeouts(2, 0.3), retry=RetryPolicy(attempts=1)) as http:
        with pytest.raises(RequestTimeoutError) as err:
            http.post("query", {})
    assert "stopped answering for 0.3 s" in err.value.message.en


def test_a_connection_reset_mid_body_is_a_dropped_connection(hostile):
    hostile.on(lambda req: True, hs.reset_mid_body)
    records: list[ExchangeRecord] = []
    with client(hostile, records) as http:
        with pytest.raises(ConnectError) as err:
            http.post("query", {})
        with pytest.raises(ConnectError):
            http.post("save", {}, write=True)
    assert "mid-answer" in err.value.message.en and err.value.sent is True
    assert len(records) == FAST.attempts + 1 and all(r.status == 200 and r.error for r in records)


def test_invalid_utf8_is_refused_and_never_replaced(hostile):
    body = '{"errorCode":0,"name":"上海'.encode() + b"\xff\xfe" + '公司"}'.encode()
    hostile.on("query", hs.answer(200, body))
    with client(hostile, []) as http:
        with pytest.raises(BadResponseError) as err:
            http.post("query", {}).json()
    assert "not valid UTF-8" in err.value.message.en and "0xff" in err.value.message.en


def test_json_is_utf8_whatever_the_charset_header_says(hostile):
    hostile.on("query", hs.answer(200, {"name": "杭州某某贸易"}, content_type="application/json; charset=iso-8859-1"))
    hostile.on("gbk", hs.answer(200, {"name": "南京"}, content_type="text/plain; charset=gbk"))
    with client(hostile, []) as http:
        assert http.post("query", {}).json() == {"name": "杭州某某贸易"}
        assert http.post("gbk", {}).json() == {"name": "南京"}


def test_json_nested_without_end_is_refused_without_recursion_error(hostile):
    hostile.on("deep", hs.answer(200, hs.deep_json()))
    hostile.on("fairly", hs.answer(200, b"[" * 70 + b"]" * 70))
    records: list[ExchangeRecord] = []
    with client(hostile, records) as http:
        for path in ("deep", "fairly"):
            with pytest.raises(BadResponseError) as err:
                http.post(path, {}).json()
            assert "nested deeper than 64" in err.value.message.en
    assert len(records) == 2 * FAST.attempts  # the record was made (no RecursionError on the way)


def test_retry_after_is_waited_for_within_the_cap(hostile):
    arrivals: list[float] = []
    hostile.on("query", hs.timed(hs.sequence(
        hs.answer(429, {"error": "slow down"}, headers=[("Retry-After", "1")]),
        hs.answer(503, "busy", content_type="text/plain", headers=[("Retry-After", "1")]),
        hs.answer(200, {"ok": True})), arrivals))
    with client(hostile, []) as http:
        assert http.post("query", {}).json() == {"ok": True}
    gaps = [b - a for a, b in zip(arrivals, arrivals[1:], strict=False)]
    assert len(gaps) == 2 and all(0.95 <= g < 2.0 for g in gaps), gaps


def test_a_retry_after_beyond_the_cap_is_reported_at_once(hostile):
    hostile.on("query", hs.answer(429, {"error": "later"}, headers=[("Retry-After", "3600")]))
    with client(hostile, []) as http:
        result = http.post("query", {})
    assert result.status == 429 and len(hostile.seen) == 1


def test_a_bad_ca_bundle_names_the_setting(tmp_path):
    for content in (b"", b"garbage\n", b"-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"):
        bundle = tmp_path / "ca.pem"
        bundle.write_bytes(content)
        with pytest.raises(ConfigError) as err:
            HttpClient("k3cloud", "https://127.0.0.1:1/K3Cloud/", ca_bundle=str(bundle))
        assert err.value.field == "ca_bundle" and "ca_bundle" in err.value.message.en
        assert "no usable certificate" in err.value.message.en and "证书" in err.value.message.zh
    with pytest.raises(ConfigError) as err:
        HttpClient("k3cloud", "https://127.0.0.1:1/K3Cloud/", ca_bundle=str(tmp_path / "gone.pem"))
    assert err.value.field == "ca_bundle" and "does not exist" in err.value.message.en
