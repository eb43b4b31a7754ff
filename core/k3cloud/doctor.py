"""The K3Cloud half of the credential doctor: reachable + TLS -> data center -> login -> permission -> org."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from core.doctor_types import Step, StepRunner, with_warning
from core.errors import ConfigError, K3CloudError, Text
from core.http import Sink
from core.k3cloud.client import K3CloudClient
from core.k3cloud.results import get_ci
from core.url_safety import url_warning

if TYPE_CHECKING:
    from core.profiles import Profile, ProfileSecrets

SIDE = "k3cloud"
LCIDS = (2052, 1033, 3076)
_LOGIN_FIELD = {"password": "k3_password", "appsecret": "k3_app_secret", "signed": "k3_app_secret"}


def check_k3cloud(profile: Profile, secrets: ProfileSecrets | None = None, *, sinks: Iterable[Sink] = (),
                  build: Callable[[], K3CloudClient] | None = None, **client_kw: Any) -> list[Step]:
    """Runs the K3Cloud checks in order and stops at the first failure.

    Steps: ``reachable`` (URL, TLS) -> ``datacenter`` (the id is in GetDataCenterList) -> ``login`` ->
    ``permission`` (a one-row BD_Customer query) -> ``org`` (the organisation number exists).
    ``build`` makes the client (the application service passes its factory's); otherwise one is made from
    ``secrets``, ``sinks`` and ``client_kw`` (e.g. ``http`` in tests). Plain http:// to a public host is reported in
    the first step's message.
    """
    return with_warning(_checks(profile, secrets, sinks, build, client_kw), url_warning(profile, "k3_url"))


def _checks(profile: Profile, secrets: ProfileSecrets | None, sinks: Iterable[Sink],
            build: Callable[[], K3CloudClient] | None, client_kw: dict[str, Any]) -> list[Step]:
    run = StepRunner(SIDE, "k3_url")
    try:
        client = build() if build is not None else _client(profile, secrets, sinks, client_kw)
    except ConfigError as exc:
        run.failed("login", exc, exc.field or "k3_auth")
        return run.steps
    except ValueError as exc:
        run.steps.append(Step(SIDE, "login", False, Text(str(exc), str(exc)), "k3_auth"))
        return run.steps
    with client:
        centers: list[dict] = []

        def reachable() -> Text:
            centers.extend(client.data_centers())
            url = profile.k3_url
            if str(url).lower().startswith("https"):
                return Text(f"已连接 {url}，TLS 证书验证通过。", f"Connected to {url}, TLS certificate verified.")
            return Text(f"已连接 {url}。", f"Connected to {url}.")

        if not run.step("reachable", reachable, field="k3_url"):
            return run.steps
        if not run.step("datacenter", lambda: _datacenter(profile, centers), field="k3_acct_id"):
            return run.steps
        if not run.step("login", lambda: _login(client, profile), field=_LOGIN_FIELD.get(client.mode)):
            return run.steps
        if not run.step("permission", lambda: _permission(client), field="k3_user"):
            return run.steps
        run.step("org", lambda: _org(client, profile), field="k3_org")
    return run.steps


def _datacenter(profile: Profile, centers: list[dict]) -> Text:
    acct = str(profile.k3_acct_id or "").strip()
    if not centers:
        return Text("服务器没有列出数据中心，跳过此项检查。",
                    "The server lists no data centers; this check is skipped.")
    for c in centers:
        if str(get_ci(c, "Id", "")).strip().lower() == acct.lower():
            name = get_ci(c, "Name") or get_ci(c, "Number") or ""
            return Text(f"数据中心 {acct}（{name}）存在。", f"Data center {acct} ({name}) exists.")
    valid = "; ".join(f"{get_ci(c, 'Id')} ({get_ci(c, 'Name') or get_ci(c, 'Number') or ''})" for c in centers[:20])
    raise ConfigError(
        Text(f"数据中心 ID “{acct}”不在金蝶的数据中心列表里。可用的有：{valid}",
             f"The data center id '{acct}' is not in K3Cloud's list. Valid ones: {valid}"),
        Text("请把配置里的数据中心 ID 改成上面列出的某一个。", "Set the profile's data center id to one listed above."),
        field="k3_acct_id", side=SIDE,
    )


def _login(client: K3CloudClient, profile: Profile) -> Text:
    if profile.k3_lcid not in LCIDS:  # the server answers a bad lcid like a bad password; say it plainly
        raise ConfigError(
            Text(f"语言 ID（LCID）{profile.k3_lcid} 无效。", f"The language id (LCID) {profile.k3_lcid} is not valid."),
            Text("请填 2052（简体中文）、1033（英文）或 3076（繁体中文）。",
                 "Use 2052 (Simplified Chinese), 1033 (English) or 3076 (Traditional Chinese)."),
            field="k3_lcid", side=SIDE,
        )
    client.login()
    how = {"password": Text("用户名和密码", "user name and password"),
           "appsecret": Text("应用 ID 和密钥", "app id and secret"),
           "signed": Text("签名请求头（SDK 方式）", "signed headers (SDK style)")}[client.mode]
    done = Text(f"以 {profile.k3_user} 登录成功，方式：{how.zh}。", f"Logged in as {profile.k3_user} ({how.en}).")
    warning = client.login_warning
    return done if warning is None else Text(f"{done.zh} {warning.zh}", f"{done.en} {warning.en}")


def _permission(client: K3CloudClient) -> Text:
    rows = client.query("BD_Customer", ["FNumber"], limit=1)
    return Text(f"客户（BD_Customer）查询成功（读到 {len(rows)} 行）。",
                f"Customer (BD_Customer) query works ({len(rows)} row read).")


def _org(client: K3CloudClient, profile: Profile) -> Text:
    org = str(profile.k3_org or "").strip()
    found = client.existing_numbers("ORG_Organizations", "FNumber", [org])
    if org in found:
        return Text(f"组织 {org} 存在。", f"Organisation {org} exists.")
    try:
        some = client.query("ORG_Organizations", ["FNumber", "FName"], limit=20)
    except K3CloudError:
        some = []
    listed = "; ".join(f"{n} ({name})" for n, name in some)
    raise ConfigError(
        Text(f"金蝶里没有编码为“{org}”的组织。" + (f"已有的组织：{listed}" if listed else ""),
             f"K3Cloud has no organisation numbered '{org}'." + (f" Existing ones: {listed}" if listed else "")),
        Text("请把配置里的组织编码改成金蝶里的组织编码（常见为 100）。",
             "Set the profile's organisation number to one K3Cloud has (often 100)."),
        field="k3_org", side=SIDE,
    )


def _client(profile: Profile, secrets: ProfileSecrets | None, sinks: Iterable[Sink],
            kw: dict[str, Any]) -> K3CloudClient:
    if secrets is None:
        raise TypeError("check_k3cloud needs the profile's secrets or a client factory (build)")
    return K3CloudClient(profile, secrets, sinks=sinks, **kw)
