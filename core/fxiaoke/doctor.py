"""The Fxiaoke half of the credential doctor: reachable + TLS -> token -> operator -> one-row query."""

from __future__ import annotations

import time
from typing import Any, Callable, Iterable

from core.doctor_types import Step
from core.errors import (
    ConfigError,
    Fxk3Error,
    FxiaokeAuthError,
    FxiaokeError,
    FxiaokeQuotaError,
    FxiaokeRateLimitError,
    Text,
    TlsError,
    TransportError,
)
from core.fxiaoke.client import FxiaokeClient
from core.http import Sink

SIDE = "fxiaoke"


def _explained(exc: Fxk3Error) -> Text:
    a = exc.advice
    return Text(f"{exc.message.zh} {a.zh}".strip(), f"{exc.message.en} {a.en}".strip())


def _transport_field(exc: TransportError) -> str:
    return "ca_bundle" if isinstance(exc, TlsError) else "fx_url"


class _Run:
    """Times each step and turns the first failure into a failed Step."""

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def step(self, name: str, fn: Callable[[], Text], *, field: str | None = None,
             field_of: Callable[[Fxk3Error], str | None] | None = None) -> bool:
        started = time.perf_counter()
        try:
            msg = fn()
        except Fxk3Error as exc:
            elapsed = (time.perf_counter() - started) * 1000
            fld = (field_of(exc) if field_of else None) or exc.field or field
            self.steps.append(Step(SIDE, name, False, _explained(exc), fld, exc.code, elapsed))
            return False
        self.steps.append(Step(SIDE, name, True, msg, None, None, (time.perf_counter() - started) * 1000))
        return True


def check_fxiaoke(profile: Any, secrets: Any, *, sinks: Iterable[Sink] = (), **client_kw: Any) -> list[Step]:
    """Runs the Fxiaoke checks in order and stops at the first failure; each failed step names the setting to fix.

    ``client_kw`` goes to ``FxiaokeClient`` (e.g. ``http``, ``token_cache``, ``pacing`` in tests).
    """
    run = _Run()
    try:
        client = FxiaokeClient(profile, secrets, sinks=sinks, **client_kw)
    except ConfigError as exc:
        run.steps.append(Step(SIDE, "token", False, _explained(exc), exc.field, exc.code))
        return run.steps
    with client:
        started = time.perf_counter()
        try:
            _, corp_id = client.token(refresh=True)  # always ask: the doctor must prove today's secrets work
        except TransportError as exc:
            elapsed = (time.perf_counter() - started) * 1000
            run.steps.append(Step(SIDE, "reachable", False, _explained(exc), _transport_field(exc), exc.code, elapsed))
            return run.steps
        except FxiaokeError as exc:
            elapsed = (time.perf_counter() - started) * 1000
            run.steps.append(Step(SIDE, "reachable", True, _reached(profile), None, None, elapsed))
            run.steps.append(Step(SIDE, "token", False, _explained(exc), exc.field or "fx_app_secret", exc.code, elapsed))
            return run.steps
        elapsed = (time.perf_counter() - started) * 1000
        run.steps.append(Step(SIDE, "reachable", True, _reached(profile), None, None, elapsed))
        run.steps.append(Step(SIDE, "token", True, Text(f"已获取访问令牌（企业 {corp_id}）。",
                                                         f"Got an access token (company {corp_id})."), None, None, elapsed))
        if not run.step("operator", lambda: _operator(client, profile), field_of=lambda e: _operator_field(e, profile)):
            return run.steps
        run.step("query", lambda: _one_row(client), field_of=lambda e: _query_field(e, profile))
    return run.steps


def _reached(profile: Any) -> Text:
    tls = "，TLS 证书验证通过" if str(profile.fx_url).startswith("https") else ""
    tls_en = ", TLS certificate verified" if tls else ""
    return Text(f"已连接 {profile.fx_url}{tls}。", f"Connected to {profile.fx_url}{tls_en}.")


def _operator(client: FxiaokeClient, profile: Any) -> Text:
    uid = getattr(profile, "fx_open_user_id", None)
    if uid:
        user = client.get_user(uid)
        if user.get("isStop") is True or str(user.get("status", "")).upper() in ("STOP", "STOPPED", "DISABLED"):
            raise ConfigError(Text(f"操作人 {uid}（{user.get('name', '')}）已停用。",
                                   f"The operator {uid} ({user.get('name', '')}) is disabled."),
                              Text("请换成一位在职的 CRM 管理员。", "Use an active CRM administrator."),
                              field="fx_open_user_id", code=None)
        name = user.get("name") or ""
        return Text(f"操作人 {uid} {name} 有效。", f"Operator {uid} {name} is valid.")
    uid = client.operator_id()
    return Text(f"按管理员手机号找到操作人 {uid}。", f"Found the operator {uid} by the admin mobile.")


def _operator_field(exc: Fxk3Error, profile: Any) -> str | None:
    if isinstance(exc, TransportError):
        return _transport_field(exc)
    if isinstance(exc, (FxiaokeQuotaError, FxiaokeRateLimitError)):
        return None  # the company's OpenAPI package, not a setting of ours
    return "fx_open_user_id" if getattr(profile, "fx_open_user_id", None) else "fx_admin_mobile"


def _one_row(client: FxiaokeClient) -> Text:
    rows = list(client.query("AccountObj", page_size=1, limit=1, fields=["_id", "name"]))
    return Text(f"客户（AccountObj）查询成功（读到 {len(rows)} 行）。", f"Customer (AccountObj) query works ({len(rows)} row read).")


def _query_field(exc: Fxk3Error, profile: Any) -> str | None:
    if isinstance(exc, TransportError):
        return _transport_field(exc)
    if exc.field:
        return exc.field
    if isinstance(exc, FxiaokeAuthError):  # the operator lacks rights to CRM data
        return _operator_field(exc, profile)
    return None  # quota (30002/30003) and others: no setting of ours can fix it
