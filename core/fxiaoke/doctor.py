"""The Fxiaoke half of the credential doctor: reachable + TLS -> token -> operator -> one-row query."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from core.doctor_types import Step, StepRunner, with_warning
from core.errors import (
    ConfigError,
    FxiaokeAuthError,
    FxiaokeError,
    FxiaokeQuotaError,
    FxiaokeRateLimitError,
    Fxk3Error,
    Text,
    TransportError,
)
from core.fxiaoke.client import FxiaokeClient
from core.http import Sink
from core.url_safety import url_warning

if TYPE_CHECKING:
    from core.profiles import Profile, ProfileSecrets

SIDE = "fxiaoke"


def check_fxiaoke(profile: Profile, secrets: ProfileSecrets | None = None, *, sinks: Iterable[Sink] = (),
                  build: Callable[[], FxiaokeClient] | None = None, **client_kw: Any) -> list[Step]:
    """Runs the Fxiaoke checks in order and stops at the first failure; each failed step names the setting to fix.
    Plain http:// to a public host is reported in the first step's message.

    ``build`` makes the client (the application service passes its factory's); otherwise one is made from
    ``secrets``, ``sinks`` and ``client_kw`` (e.g. ``http``, ``token_cache``, ``pacing`` in tests).
    """
    return with_warning(_checks(profile, secrets, sinks, build, client_kw), url_warning(profile, "fx_url"))


def _checks(profile: Profile, secrets: ProfileSecrets | None, sinks: Iterable[Sink],
            build: Callable[[], FxiaokeClient] | None, client_kw: dict[str, Any]) -> list[Step]:
    run = StepRunner(SIDE, "fx_url")
    try:
        client = build() if build is not None else FxiaokeClient(profile, secrets, sinks=sinks, **client_kw)
    except ConfigError as exc:
        run.failed("token", exc, exc.field)
        return run.steps
    with client:
        started = time.perf_counter()
        try:
            _, corp_id = client.token(refresh=True)  # always ask: the doctor must prove today's secrets work
        except TransportError as exc:
            run.failed("reachable", exc, None, (time.perf_counter() - started) * 1000)
            return run.steps
        except FxiaokeError as exc:
            elapsed = (time.perf_counter() - started) * 1000
            run.passed("reachable", _reached(profile), elapsed)
            run.failed("token", exc, exc.field or "fx_app_secret", elapsed)
            return run.steps
        elapsed = (time.perf_counter() - started) * 1000
        run.passed("reachable", _reached(profile), elapsed)
        run.passed("token", Text(f"已获取访问令牌（企业 {corp_id}）。", f"Got an access token (company {corp_id})."),
                   elapsed)
        if not run.step("operator", lambda: _operator(client, profile), field_of=lambda e: _operator_field(e, profile)):
            return run.steps
        run.step("query", lambda: _one_row(client), field_of=lambda e: _query_field(e, profile))
    return run.steps


def _reached(profile: Profile) -> Text:
    tls = "，TLS 证书验证通过" if str(profile.fx_url).startswith("https") else ""
    tls_en = ", TLS certificate verified" if tls else ""
    return Text(f"已连接 {profile.fx_url}{tls}。", f"Connected to {profile.fx_url}{tls_en}.")


def _operator(client: FxiaokeClient, profile: Profile) -> Text:
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


def _operator_field(exc: Fxk3Error, profile: Profile) -> str | None:
    if isinstance(exc, (FxiaokeQuotaError, FxiaokeRateLimitError)):
        return None  # the company's OpenAPI package, not a setting of ours
    return "fx_open_user_id" if getattr(profile, "fx_open_user_id", None) else "fx_admin_mobile"


def _one_row(client: FxiaokeClient) -> Text:
    rows = list(client.query("AccountObj", page_size=1, limit=1, fields=["_id", "name"]))
    return Text(f"客户（AccountObj）查询成功（读到 {len(rows)} 行）。",
                f"Customer (AccountObj) query works ({len(rows)} row read).")


def _query_field(exc: Fxk3Error, profile: Profile) -> str | None:
    if exc.field:
        return exc.field
    if isinstance(exc, FxiaokeAuthError):  # the operator lacks rights to CRM data
        return _operator_field(exc, profile)
    return None  # quota (30002/30003) and others: no setting of ours can fix it
