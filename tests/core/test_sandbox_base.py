"""The sandbox base: real loopback HTTP, scripted faults, TLS, the shared demo catalogue."""

from __future__ import annotations

import ssl

import pytest
import requests
import trustme

from core.sandbox.base import Fault, SimApp, SimRequest, SimResponse, SimServer, demo_catalog


class EchoApp(SimApp):
    """Counts the writes it applied, so a test can tell 'landed' from 'never arrived'."""

    name = "echo"
    base_path = "/Echo/"

    def __init__(self, **kw):
        super().__init__(**kw)
        self.writes = 0

    def handle(self, req: SimRequest) -> SimResponse:
        if req.path.endswith("boom"):
            raise RuntimeError("simulator bug")
        self.writes += 1
        resp = SimResponse.json({"path": req.path, "body": req.json() if req.body else None, "cookies": req.cookies})
        return resp.set_cookie("sid", "abc")


@pytest.fixture
def echo():
    app = EchoApp()
    with SimServer(app) as srv, requests.Session() as s:
        yield app, srv, s


def test_serves_json_over_loopback_with_cookies_and_keep_alive(echo):
    app, srv, s = echo
    assert srv.url.startswith("http://127.0.0.1:") and srv.url.endswith("/Echo/")
    r1 = s.post(srv.url + "save", json={"名": "值"}, timeout=5)
    r2 = s.post(srv.url + "save", json={}, timeout=5, headers={"Cookie": "Theme=standard;kdservice-sessionid=x1"})
    assert r1.json() == {"path": "/Echo/save", "body": {"名": "值"}, "cookies": {}}
    assert r1.cookies["sid"] == "abc"
    assert r2.json()["cookies"] == {"Theme": "standard", "kdservice-sessionid": "x1"}
    assert [c.status for c in app.calls_to("/echo/SAVE")] == [200, 200]
    assert app.calls[0].json() == {"名": "值"}


def test_drop_before_and_after_handling_differ_in_what_landed(echo):
    app, srv, s = echo
    app.faults.add(Fault("drop", "save"))
    with pytest.raises(requests.ConnectionError):
        s.post(srv.url + "save", json={}, timeout=5)
    assert app.writes == 0
    app.faults.add(Fault("drop_after", "save"))
    with pytest.raises(requests.ConnectionError):
        s.post(srv.url + "save", json={}, timeout=5)
    assert app.writes == 1
    assert s.post(srv.url + "save", json={}, timeout=5).ok  # faults used up; the session recovers
    assert [c.fault for c in app.calls] == ["drop", "drop_after", None]


def test_delay_after_times_out_the_client_but_the_write_lands(echo):
    app, srv, s = echo
    app.faults.add(Fault("delay_after", "save", seconds=0.5))
    with pytest.raises(requests.Timeout):
        s.post(srv.url + "save", json={}, timeout=(2, 0.2))
    assert app.writes == 1


def test_reply_fault_matches_path_and_predicate_and_counts_down(echo):
    app, srv, s = echo
    app.faults.add(Fault.reply(SimResponse.html_error(502, "Bad Gateway"), "query", times=2))
    app.faults.add(Fault("reply", "save", response=SimResponse.json({"errorCode": 30003}), when=lambda r: b"x" in r.body))
    assert s.post(srv.url + "query", json={}, timeout=5).status_code == 502
    assert s.post(srv.url + "query", json={}, timeout=5).status_code == 502
    assert s.post(srv.url + "query", json={}, timeout=5).status_code == 200
    assert s.post(srv.url + "save", json={"a": 1}, timeout=5).json()["path"] == "/Echo/save"
    assert s.post(srv.url + "save", json={"x": 1}, timeout=5).json() == {"errorCode": 30003}
    assert len(app.faults) == 0
    with pytest.raises(ValueError):
        Fault("explode")


def test_truncated_body_is_not_json(echo):
    app, srv, s = echo
    app.faults.add(Fault("truncate_after", "save"))
    with pytest.raises((requests.ConnectionError, requests.exceptions.ChunkedEncodingError)):
        s.post(srv.url + "save", json={"k": "v" * 100}, timeout=5).json()
    assert app.writes == 1


def test_a_simulator_bug_is_an_html_500_not_a_hang(echo, caplog):
    app, srv, s = echo
    r = s.post(srv.url + "boom", json={}, timeout=5)
    assert r.status_code == 500 and r.headers["Content-Type"].startswith("text/html")
    assert "simulator bug" in caplog.text


def test_https_with_a_test_ca_and_an_untrusted_client():
    ca = trustme.CA()
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(ctx)
    with SimServer(EchoApp(), ssl_context=ctx) as srv, ca.cert_pem.tempfile() as bundle:
        assert srv.url.startswith("https://")
        with requests.Session() as s:
            with pytest.raises(requests.exceptions.SSLError):
                s.post(srv.url + "x", json={}, timeout=5)
            assert s.post(srv.url + "x", json={}, timeout=5, verify=bundle).json()["path"] == "/Echo/x"


def test_clock_advances_for_expiry_tests():
    app = EchoApp()
    before = app.clock.time()
    app.clock.advance(7200)
    assert app.clock.time() - before >= 7200
    assert app.rng("orders").random() == EchoApp(seed=1).rng("orders").random() != EchoApp(seed=2).rng("orders").random()


def test_demo_catalog_is_deterministic_and_leaves_one_product_out_of_k3():
    a, b = demo_catalog(7), demo_catalog(7)
    assert a == b and a != demo_catalog(8)
    assert len(a.materials) == len(a.products) - 1
    assert set(a.missing_in_k3).isdisjoint(m.code for m in a.materials)
    assert len({c.number for c in a.customers}) == len(a.customers)
    assert set(a.customers_in_k3) <= {c.number for c in a.customers}
