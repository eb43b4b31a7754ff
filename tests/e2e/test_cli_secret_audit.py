"""Secret audit: check and list against the sandbox, then every byte under the home folder, every CLI output, every
exception and every log text is searched for every secret, including the tokens and session ids the servers issued
(the K3Cloud login's ``Context.UserToken`` among them; see tests/helpers_secrets.py)."""

from __future__ import annotations

import dataclasses
import json
import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.clients import ClientFactory
from core.doctor import run_doctor
from core.errors import Fxk3Error, OutcomeUnknownError
from core.fxiaoke.client import FxiaokeClient
from core.fxiaoke.pacing import Pacer, PacingConfig
from core.fxiaoke.tokens import TokenCache
from core.k3cloud.client import K3CloudClient
from core.profiles import Profile, ProfileSecrets, open_repo
from core.sandbox import start_sandbox
from core.secrets import MemorySecretStore
from core.store.exchange_log import ExchangeLogWriter
from tests.helpers_cli import add_sandbox_profile, cli
from tests.helpers_secrets import Issued, leaks


@pytest.fixture(scope="module")
def sandbox() -> Iterator[tuple[Any, Issued]]:
    issued = Issued()
    with start_sandbox(seed=6, demo_sizes={"customers": 40, "orders": 25, "products": 8}) as sb:
        sb.fx_app.admin("knobs", {"token_calls_per_minute": 1000})
        issued.watch(sb.fx_app)
        issued.watch(sb.k3_app)
        yield sb, issued


def _add(env: dict[str, str], sb: Any, name: str, mode: str, **wrong: str) -> None:
    add_sandbox_profile(env, sb, name, mode="password" if mode == "password" else "appsecret", **wrong)
    if mode == "signed":  # the CLI contract offers password|appsecret; the GUI also offers the SDK's signed headers
        repo = open_repo()
        try:
            repo.update(dataclasses.replace(repo.get(name), k3_auth="signed"))
        finally:
            repo.db.close()


def _configured_secrets(sb: Any) -> set[str]:
    c = sb.credentials()
    return {c["fxiaoke"]["app_secret"], c["fxiaoke"]["permanent_code"], c["k3cloud"]["password"],
            c["k3cloud"]["app_secret"]}


def _texts_of(exc: BaseException) -> list[str]:
    """Everything an error could show or store: message, repr, raw text, exchange record, and its causes'."""
    out: list[str] = []
    seen: BaseException | None = exc
    while seen is not None:
        out += [str(seen), repr(seen)]
        if isinstance(seen, Fxk3Error):
            out += [seen.user_message, seen.raw or "", json.dumps(seen.info().to_json(), ensure_ascii=False)]
            if dataclasses.is_dataclass(seen.exchange):
                out.append(json.dumps(dataclasses.asdict(seen.exchange), default=str, ensure_ascii=False))
        seen = seen.__cause__ or seen.__context__
    return out


def test_check_and_list_leave_no_secret_in_files_outputs_exceptions_or_logs(
        sandbox, cli_env: dict[str, str], home: Path, caplog: pytest.LogCaptureFixture) -> None:
    sb, issued = sandbox
    caplog.set_level(logging.DEBUG)
    env = {**cli_env, "PYTHONIOENCODING": "utf-8"}
    outputs: dict[str, str] = {}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        res = cli(env, *args)
        outputs[" ".join(args) + f" #{len(outputs)}"] = res.stdout + res.stderr
        return res

    # The CLI, as a clerk or a scheduled task runs it: every login style, reads, and refused credentials.
    for name, mode in (("pw", "password"), ("app", "appsecret"), ("signed", "signed")):
        _add(env, sb, name, mode)
        assert run("check", name, "--json").returncode == 0, outputs
    assert run("list", "pw", "customers", "--json").returncode == 0
    assert run("list", "pw", "orders").returncode == 0
    sb.fx_app.admin("knobs", {"token_expire_after_calls": 2})  # 20016 mid-run: a token is re-issued while paging
    sb.k3_app.admin("knobs", {"session_expire_after_calls": 1})  # and K3 sessions die after each call
    assert run("list", "pw", "customers").returncode == 0
    assert run("check", "pw").returncode == 0
    assert run("check", "signed").returncode == 0
    sb.fx_app.admin("knobs", {"token_expire_after_calls": None})
    sb.k3_app.admin("knobs", {"session_expire_after_calls": None})
    _add(env, sb, "wrong", "password", fx_app_secret="wrong-app-secret-1", k3_password="wrong-pass-2")
    assert run("check", "wrong", "--json").returncode == 3

    # In-process, to see the exceptions themselves: refused logins, lost sessions on a write, faults.
    errors: list[BaseException] = []
    repo = open_repo()
    try:
        profile = repo.get("pw")
        c = sb.credentials()
        secrets = ProfileSecrets(c["fxiaoke"]["app_secret"], c["fxiaoke"]["permanent_code"], c["k3cloud"]["password"])
        sink = ExchangeLogWriter(repo.db)
        errors += _in_process_failures(sb, profile, secrets, sink)
        wrong = ProfileSecrets(fx_app_secret="x-wrong-1", fx_permanent_code="x-wrong-2", k3_password="x-wrong-3")
        report = run_doctor(ClientFactory(profile, wrong, MemorySecretStore(), repo.db, repo.profile_id("pw"),
                                          [sink]))
    finally:
        repo.db.close()
    assert not report.ok and len(errors) == 5

    secrets_all = _configured_secrets(sb) | issued.values
    assert len(issued.values) >= 6, "tokens and session ids were issued and watched"
    assert issued.user_tokens and issued.user_tokens <= issued.values  # the K3 login's Context.UserToken too
    files = {str(p): p.read_bytes() for p in home.rglob("*") if p.is_file()}
    assert any(name.endswith("fxk3sync.db") for name in files)
    texts = {f"error {i}: {t[:60]}": t for i, e in enumerate(errors) for t in _texts_of(e)}
    texts.update({f"step {s.side}/{s.name}": f"{s.message.zh}\n{s.message.en}\n{s.field}\n{s.code}"
                  for s in report.fxiaoke + report.k3cloud})
    texts.update({f"log {r.name}": r.getMessage() + (r.exc_text or "") for r in caplog.records})
    assert leaks(secrets_all, {**files, **outputs, **texts}) == []


def _in_process_failures(sb: Any, profile: Profile, secrets: ProfileSecrets, sink: Any) -> list[BaseException]:
    errors: list[BaseException] = []

    def expect(exc_type: type[BaseException], fn: Any) -> None:
        with pytest.raises(exc_type) as err:
            fn()
        errors.append(err.value)

    wrong_fx = ProfileSecrets(fx_app_secret="wrong-app-secret-9", fx_permanent_code=secrets.fx_permanent_code)
    with FxiaokeClient(profile, wrong_fx, sinks=[sink], token_cache=TokenCache(),
                       pacer=Pacer(PacingConfig(calls=10_000))) as fx:
        expect(Fxk3Error, fx.token)
    with K3CloudClient(profile, dataclasses.replace(secrets, k3_password="wrong-pass-9"), sinks=[sink]) as k3:
        expect(Fxk3Error, k3.login)
    with K3CloudClient(profile, secrets, sinks=[sink]) as k3:
        k3.login()
        sb.k3_app.admin("expire_sessions", {})
        customer = {"FNumber": "AUDIT-1", "FName": "审计客户", "FCreateOrgId": {"FNumber": "100"},
                    "FUseOrgId": {"FNumber": "100"}}
        expect(OutcomeUnknownError, lambda: k3.save("BD_Customer", customer, idem_key="AUDIT-1"))
        sb.k3_server.set_faults(ambiguous_writes=1)
        expect(OutcomeUnknownError, lambda: k3.save("BD_Customer", {**customer, "FNumber": "AUDIT-2"},
                                                     idem_key="AUDIT-2"))
        sb.k3_server.set_faults(response_error_rate=1.0)
        try:
            k3.logout()
            expect(Fxk3Error, k3.login)  # a login answered by "response_error:" text
        finally:
            sb.k3_server.set_faults(response_error_rate=0.0)
    return errors
