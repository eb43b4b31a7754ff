"""Token cache over real HTTP: re-use, 6600 s renewal, single flight under 8 threads, keyring persistence, 20016."""

from __future__ import annotations

import json
import threading

import pytest

from core.errors import FxiaokeAuthError
from core.fxiaoke.tokens import TokenCache
from core.secrets import SecretStore
from tests.helpers_core import FakeClock
from tests.helpers_fxiaoke import APP_SECRET, PERMANENT_CODE, fx_sandbox


def test_token_is_reused_across_calls():
    with fx_sandbox() as env, env.client() as fx:
        first = fx.token()
        list(fx.query("AccountObj", limit=5))
        fx.count("AccountObj")
        assert fx.token() == first
        assert env.token_calls() == 1


def test_eight_threads_on_one_client_make_one_token_call():
    with fx_sandbox() as env, env.client() as fx:
        barrier = threading.Barrier(8)
        results, errors = [], []

        def work() -> None:
            try:
                barrier.wait()
                results.append(len(list(fx.query("AccountObj", limit=3))))
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

        threads = [threading.Thread(target=work) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors and results == [3] * 8
        assert env.token_calls() == 1


def test_eight_clients_of_one_profile_in_eight_threads_make_one_token_call():
    with fx_sandbox() as env:
        clients = [env.client(token_cache=TokenCache(SecretStore(), env.profile.name)) for _ in range(8)]
        barrier = threading.Barrier(8)
        tokens: list[str] = []

        def work(fx) -> None:
            barrier.wait()
            tokens.append(fx.token()[0])

        threads = [threading.Thread(target=work, args=(c,)) for c in clients]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for c in clients:
            c.close()
        assert len(tokens) == 8 and len(set(tokens)) == 1
        assert env.token_calls() == 1


def test_token_persists_in_the_keyring_for_the_next_process_without_secrets(memory_keyring):
    with fx_sandbox() as env:
        with env.client(token_cache=TokenCache(SecretStore(), env.profile.name)) as fx:
            token, corp = fx.token()
        # a scheduled task starting again a minute later: new cache, same keyring
        with env.client(token_cache=TokenCache(SecretStore(), env.profile.name)) as fx:
            assert fx.token() == (token, corp)
            assert list(fx.query("AccountObj", limit=1))
        assert env.token_calls() == 1
    stored = memory_keyring.store[("fxk3sync", "fxtest:fx-token")]
    assert json.loads(stored)["value"] == token
    assert APP_SECRET not in stored and PERMANENT_CODE not in stored


def test_token_is_reused_until_6600_s_then_renewed():
    clock = FakeClock()
    with fx_sandbox(clock=clock) as env, env.client(token_cache=TokenCache(clock=clock)) as fx:
        first, _ = fx.token()
        clock.advance(6500)
        assert fx.token()[0] == first
        assert list(fx.query("AccountObj", limit=1))
        assert env.token_calls() == 1
        clock.advance(150)  # 6650 s after issue: the server hands out a new token now
        second, _ = fx.token()
        assert second != first and env.token_calls() == 2
        assert list(fx.query("AccountObj", limit=1))


def test_a_token_obtained_late_in_its_life_is_renewed_when_the_server_would_renew_it():
    clock = FakeClock()
    with fx_sandbox(clock=clock) as env:
        with env.client(token_cache=TokenCache(clock=clock)) as fx:
            fx.token()
        clock.advance(6000)  # another client (fresh cache) gets the same token with expiresIn 1200
        with env.client(token_cache=TokenCache(clock=clock)) as fx:
            old, _ = fx.token()
            clock.advance(599)
            assert fx.token()[0] == old
            clock.advance(2)  # 6601 s after the server issued it
            assert fx.token()[0] != old
        assert env.token_calls() == 3


def test_20016_mid_run_refreshes_once_and_the_paging_goes_on():
    with fx_sandbox(customers=250) as env, env.client() as fx:
        env.knobs(token_expire_after_calls=2)
        rows = list(fx.query("AccountObj", page_size=50))
        assert len({r["_id"] for r in rows}) == 250
        codes = [r.code for r in env.calls_to("data/query")]
        assert "20016" in codes
        assert env.token_calls() == 1 + codes.count("20016")


def test_20016_when_the_server_forgets_tokens_mid_run_refreshes_once_and_paging_goes_on():
    with fx_sandbox(customers=250) as env, env.client() as fx:
        def forget_after_second_page(record) -> None:
            if len(env.calls_to("data/query")) == 2:
                env.app.tokens.clear()

        fx.http.sinks.append(forget_after_second_page)
        rows = list(fx.query("AccountObj", page_size=50))
        assert len({r["_id"] for r in rows}) == 250
        assert [r.code for r in env.calls_to("data/query")].count("20016") == 1
        assert env.token_calls() == 2


def test_20016_on_a_write_is_retried_once_and_the_record_lands_once():
    with fx_sandbox() as env, env.client() as fx:
        fx.token()
        env.knobs(token_expire_after_calls=0)  # the cached token is now dead
        before = len(env.app.crm.all("AccountObj"))
        env.knobs(token_expire_after_calls=None)
        env.app.tokens.clear()  # server forgot every token: the next call gets 20016
        new_id = fx.create("AccountObj", {"name": "上海测试贸易有限公司", "account_no": "CUST-T1"})
        assert len(env.app.crm.all("AccountObj")) == before + 1
        assert [r.code for r in env.calls_to("data/create")] == ["20016", "0"]
        assert fx.get("AccountObj", new_id)["account_no"] == "CUST-T1"


def test_20016_again_after_the_refresh_is_an_auth_error():
    with fx_sandbox() as env, env.client() as fx:
        env.knobs(token_expire_after_calls=0)
        with pytest.raises(FxiaokeAuthError) as err:
            list(fx.query("AccountObj", limit=1))
        assert err.value.code == "20016" and err.value.trace_id.startswith("E-O.sandbox.")
        assert err.value.exchange is env.records[-1]
        assert env.token_calls() == 2  # one refresh, then give up


def test_invalidate_keeps_a_token_refreshed_by_another_thread():
    cache = TokenCache()
    n = iter(range(10))
    fetch = lambda: (f"tok-{next(n)}", "corp", 7200)  # noqa: E731
    first = cache.get("k", fetch)
    cache.invalidate("k", first.value)
    second = cache.get("k", fetch)
    cache.invalidate("k", first.value)  # a late 20016 for the old token must not drop the new one
    assert cache.get("k", fetch) == second and cache.fetches == 2
