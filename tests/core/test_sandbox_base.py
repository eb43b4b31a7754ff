"""The sandbox server: real loopback HTTP(S), fault knobs, admin and health endpoints."""

from __future__ import annotations

import threading
import time

import pytest
import requests

from core.sandbox.base import Request, Response, SandboxServer
from tests.helpers_core import tls_files


class CounterApp:
    """Counts the writes it applied, so a test can tell 'landed' from 'never arrived'."""

    name = "counter"

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.writes = 0

    def handle(self, req: Request) -> Response:
        if req.path == "/boom":
            raise RuntimeError("secret internals")
        with self.lock:
            if self.is_write(req):
                self.writes += 1
            body = {"path": req.path, "query": req.query, "json": req.json() if req.body else None,
                    "cookies": req.cookies, "writes": self.writes}
        return Response.json(body, headers=[("Set-Cookie", "sid=abc; path=/")])

    def is_write(self, req: Request) -> bool:
        return req.path.endswith("/save")

    def admin(self, action: str, payload: dict) -> dict:
        if action == "writes":
            return {"writes": self.writes}
        raise KeyError(action)

    def snapshot(self) -> dict:
        return {"writes": self.writes}

    def restore(self, state: dict) -> None:
        self.writes = state["writes"]


@pytest.fixture
def served():
    app = CounterApp()
    with SandboxServer(app) as srv, requests.Session() as s:
        yield app, srv, s


def test_json_cookies_query_and_keep_alive(served):
    app, srv, s = served
    assert srv.url == f"http://127.0.0.1:{srv.port}/"
    r1 = s.post(srv.url + "x/save?a=1", json={"名": "值"}, timeout=5)
    r2 = s.post(srv.url + "x/read", json={}, timeout=5, headers={"Cookie": "Theme=standard;kdservice-sessionid=k1"})
    assert r1.json() == {"path": "/x/save", "query": {"a": "1"}, "json": {"名": "值"}, "cookies": {}, "writes": 1}
    assert r1.cookies["sid"] == "abc"
    assert r2.json()["cookies"] == {"Theme": "standard", "kdservice-sessionid": "k1"}
    assert srv.requests_served == 2


def test_health_and_admin_endpoints_are_never_faulted(served):
    app, srv, s = served
    knobs = s.post(srv.url + "__sandbox__/faults", json={"reset_rate": 1.0}, timeout=5).json()
    assert knobs["reset_rate"] == 1.0 and knobs["latency_ms"] == 0
    health = s.get(srv.url + "__sandbox__/health", timeout=5).json()
    assert health == {"ok": True, "app": "counter", "requests_served": 0}
    assert s.post(srv.url + "__sandbox__/admin/writes", json={}, timeout=5).json() == {"writes": 0}
    assert s.post(srv.url + "__sandbox__/admin/nope", json={}, timeout=5).status_code == 404
    bad = s.post(srv.url + "__sandbox__/faults", json={"explode_rate": 1}, timeout=5)
    assert bad.status_code == 400 and "explode_rate" in bad.json()["error"]


def test_reset_happens_before_the_app_sees_the_request(served):
    app, srv, s = served
    srv.set_faults(reset_rate=1.0)
    with pytest.raises(requests.ConnectionError):
        s.post(srv.url + "x/save", json={}, timeout=5)
    assert app.writes == 0
    srv.set_faults(reset_rate=0)
    assert s.post(srv.url + "x/save", json={}, timeout=5).json()["writes"] == 1  # the session recovers


def test_ambiguous_write_commits_then_drops_and_spares_reads(served):
    app, srv, s = served
    s.post(srv.url + "__sandbox__/faults", json={"ambiguous_writes": 1}, timeout=5)
    assert s.post(srv.url + "x/read", json={}, timeout=5).ok  # a read does not use up the fault
    with pytest.raises(requests.ConnectionError):
        s.post(srv.url + "x/save", json={}, timeout=5)
    assert app.writes == 1  # it landed although the client got no answer
    assert srv.faults.ambiguous_writes == 0
    assert s.post(srv.url + "x/save", json={}, timeout=5).json()["writes"] == 2


def test_error_500_html_and_response_error_bodies(served):
    app, srv, s = served
    srv.set_faults(error_500_rate=1.0)
    r = s.post(srv.url + "x/read", json={}, timeout=5)
    assert r.status_code == 500 and r.text == "Internal Server Error"
    srv.set_faults(error_500_rate=0, html_error_rate=1.0)
    r = s.post(srv.url + "x/read", json={}, timeout=5)
    assert r.status_code == 502 and r.headers["Content-Type"].startswith("text/html") and "<html>" in r.text
    srv.set_faults(html_error_rate=0, response_error_rate=1.0)
    r = s.post(srv.url + "x/read", json={}, timeout=5)
    assert r.status_code == 200 and r.text.startswith("response_error:")
    assert app.writes == 0


def test_rates_are_seeded_and_mixed(served):
    app, srv, s = served

    def run() -> list[int]:
        s.post(srv.url + "__sandbox__/faults", json={"error_500_rate": 0.5, "seed": 11}, timeout=5)
        out = [s.post(srv.url + "x/read", json={}, timeout=5).status_code for _ in range(30)]
        return out

    first, second = run(), run()
    assert first == second and set(first) == {200, 500}


def test_latency_knob_delays_answers(served):
    app, srv, s = served
    srv.set_faults(latency_ms=300)
    t0 = time.monotonic()
    assert s.post(srv.url + "x/read", json={}, timeout=5).ok
    assert time.monotonic() - t0 >= 0.3
    with pytest.raises(requests.Timeout):
        s.post(srv.url + "x/read", json={}, timeout=(2, 0.1))


def test_an_app_crash_is_a_generic_500_without_internals(served, caplog):
    app, srv, s = served
    r = s.post(srv.url + "boom", json={}, timeout=5)
    assert r.status_code == 500 and "secret internals" not in r.text and "Traceback" not in r.text
    assert "secret internals" in caplog.text  # but the sandbox log has it


def test_https_with_a_trustme_certificate(tmp_path):
    tls = tls_files(tmp_path)
    bundle = tls.ca
    with SandboxServer(CounterApp(), tls=tls.server) as srv:
        assert srv.url.startswith("https://127.0.0.1:")
        with requests.Session() as s:
            with pytest.raises(requests.exceptions.SSLError):
                s.post(srv.url + "x/read", json={}, timeout=5)
            assert s.post(srv.url + "x/read", json={}, timeout=5, verify=bundle).json()["path"] == "/x/read"
