"""Client-side pacing and rate-limit handling against the simulator's per-endpoint limit (short window)."""

from __future__ import annotations

import threading
import time

import pytest

from core.errors import FxiaokeRateLimitError
from core.fxiaoke.client import RatePolicy
from core.fxiaoke.pacing import Pacer, PacingConfig
from tests.helpers_fxiaoke import fx_sandbox

CALLS, WINDOW = 20, 0.5
BURST = 150


def _burst(fx, n: int, threads: int = 5) -> list[BaseException]:
    errors: list[BaseException] = []
    per = n // threads

    def work() -> None:
        for _ in range(per):
            try:
                list(fx.query("AccountObj", page_size=1, limit=1))
            except Exception as exc:  # noqa: BLE001 - collected and asserted by the test
                errors.append(exc)

    ts = [threading.Thread(target=work) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return errors


def test_pacing_keeps_a_burst_of_150_queries_free_of_rate_limit_errors():
    with fx_sandbox() as env:
        env.knobs(rate_limit_on=True, rate_limit_calls=CALLS, rate_limit_window_s=WINDOW)
        with env.client(pacing=PacingConfig(calls=CALLS, window_s=WINDOW), rate_policy=RatePolicy(retries=0)) as fx:
            fx.token()
            started = time.monotonic()
            errors = _burst(fx, BURST)
            elapsed = time.monotonic() - started
        queries = env.calls_to("data/query")
        assert not errors
        assert len(queries) == BURST and all(r.code == "0" for r in queries)
        assert elapsed >= (BURST / CALLS - 1) * WINDOW  # it really waited for the window
        assert fx.pacer.waited_s > 0


def test_without_pacing_the_same_burst_meets_the_limit_and_reads_retry_through_it():
    with fx_sandbox() as env:
        env.knobs(rate_limit_on=True, rate_limit_calls=CALLS, rate_limit_window_s=WINDOW)
        with env.client(rate_policy=RatePolicy(retries=0)) as fx:
            errors = _burst(fx, 60)
        assert errors and all(isinstance(e, FxiaokeRateLimitError) for e in errors)
        assert errors[0].code == "14001" and errors[0].retryable and "接口调用超过限制" in errors[0].message.zh
        env.records.clear()
        with env.client(rate_policy=RatePolicy(retries=6, base_s=WINDOW / 2, cap_s=WINDOW)) as fx:
            assert not _burst(fx, 60)
        codes = [r.code for r in env.calls_to("data/query")]
        assert "14001" in codes and codes.count("0") == 60


def test_a_write_refused_by_the_rate_limit_is_not_sent_again():
    with fx_sandbox() as env:
        env.knobs(rate_limit_on=True, rate_limit_calls=1, rate_limit_window_s=30)
        with env.client(rate_policy=RatePolicy(retries=3, base_s=0.01)) as fx:
            fx.create("AccountObj", {"name": "杭州一号五金有限公司"})
            with pytest.raises(FxiaokeRateLimitError):
                fx.create("AccountObj", {"name": "杭州二号五金有限公司"})
        assert [r.code for r in env.calls_to("data/create")] == ["0", "14001"]


def test_the_pacer_counts_running_calls_and_releases_by_window():
    p = Pacer(PacingConfig(calls=2, window_s=0.2, margin_s=0))
    p.acquire("a")
    p.acquire("a")
    p.acquire("b")  # another endpoint has its own window
    t0 = time.monotonic()
    done = threading.Event()

    def third() -> None:
        p.acquire("a")
        done.set()

    th = threading.Thread(target=third)
    th.start()
    assert not done.wait(0.1)  # both slots are still running
    p.release("a")
    assert done.wait(1.0)
    th.join()
    assert time.monotonic() - t0 >= 0.2  # admitted one window after the first answer


def test_the_token_endpoint_is_paced_at_its_own_limit():
    p = Pacer(PacingConfig(token_calls=2, token_window_s=0.3, margin_s=0))
    for _ in range(2):
        with p.call("cgi/corpAccessToken/get/V2"):
            pass
    t0 = time.monotonic()
    with p.call("cgi/corpAccessToken/get/V2"):
        pass
    assert time.monotonic() - t0 >= 0.25
