"""Profiles: a company's non-secret settings (in SQLite) and its secrets (in the keyring)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from core.errors import ConfigError, Text
from core.secrets import SECRET_KEYS, SecretStore, default_store
from core.store.database import Database
from core.url_safety import url_warning as url_warning  # re-exported: profile add, the GUI form
from core.url_safety import warnings as warnings

if TYPE_CHECKING:
    from core.store import models

LCIDS = (2052, 1033, 3076)
K3_AUTH_MODES = ("password", "appsecret", "signed")
#: The K3Cloud form whose audited bills mean "shipped" (cli-contract: --k3-shipment-form).
SHIPMENT_FORMS = ("SAL_OUTSTOCK", "SAL_DELIVERYNOTICE")
_BAD_NAME_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_MOBILE = re.compile(r"^\d{6,20}$")
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}

def _bad(field: str, zh: str, en: str, **kw: Any) -> ConfigError:
    label = Text("设置项“{f}”：", "Setting '{f}': ").format(f=field)
    msg = Text(zh, en).format(**kw)
    return ConfigError(Text(label.zh + msg.zh, label.en + msg.en), field=field)


def _check_url(field: str, value: str) -> None:
    try:
        parts = urlsplit(value or "")
        has_login = parts.username is not None or parts.password is not None
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts, has_login = None, False
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise _bad(field, "应为以 http:// 或 https:// 开头的网址，当前为“{v}”。",
                   "must be an http:// or https:// URL, got '{v}'.", v=value)
    if has_login:  # the settings are stored in plain text: a password in the URL would end up on disk
        raise _bad(field, "网址里不能带用户名或密码（user:password@）；密码请用 fxk3sync secret set 保存。",
                   "the URL must not contain a user name or password (user:password@); store passwords with "
                   "fxk3sync secret set.")


#: The most K3Cloud requests a profile may keep in flight at once.
K3_IN_FLIGHT_MAX = 8


#: Settings that must be text, and those that may also be left empty (None).
_TEXT_FIELDS = ("name", "fx_url", "fx_app_id", "k3_url", "k3_acct_id", "k3_user", "k3_auth", "k3_org",
                "k3_shipment_form", "receipt_bill_type", "receipt_settle_type", "receipt_purpose")
_OPTIONAL_TEXT_FIELDS = ("fx_open_user_id", "fx_admin_mobile", "k3_app_id", "ca_bundle")


@dataclass
class Profile:
    """Where a company's Fxiaoke and K3Cloud are and how to talk to them; no secrets."""

    name: str
    fx_url: str = "https://open.fxiaoke.com"
    fx_app_id: str = ""
    fx_open_user_id: str | None = None
    fx_admin_mobile: str | None = None
    k3_url: str = ""
    k3_acct_id: str = ""
    k3_user: str = ""
    k3_lcid: int = 2052
    k3_auth: str = "password"  # password | appsecret | signed
    k3_app_id: str | None = None
    k3_org: str = "100"
    ca_bundle: str | None = None
    connect_timeout: float = 10.0
    read_timeout: float = 60.0
    batch_size: int = 20  # Kingdee advises at most 20 records per BatchSave; benchmarks/batch_size.py measures it
    #: K3Cloud requests a sync keeps in flight at once (K3Cloud sites are often small servers: a few, never more
    #: than K3_IN_FLIGHT_MAX; 1 sends one request after the other).
    k3_in_flight: int = 3
    submit: bool = True
    audit: bool = True
    # Off by default: write-back needs a custom field (field_k3_no__c) the implementer creates in Fxiaoke first.
    writeback: bool = False
    demo: bool = False
    #: Seconds a sync waits for another sync of the profile (another PC of a shared store, a scheduled run) to end.
    lock_wait: float = 3.0
    # Shipments: the form whose audited bills mean shipped (SHIPMENT_FORMS); returns (SAL_RETURNSTOCK) always count.
    k3_shipment_form: str = "SAL_OUTSTOCK"
    # Payments -> AR_RECEIVEBILL (cli-contract defaults; reference §8.6): bill type 销售收款单, settlement type,
    # purpose (收款用途). The default payments mapping reads them with the "profile" transform.
    receipt_bill_type: str = "SKDLX01_SYS"
    receipt_settle_type: str = "JSFS04_SYS"
    receipt_purpose: str = "SFKYT01_SYS"
    #: Sync only records approved in Fxiaoke (life_status normal); others are held 'not_approved'. Off for
    #: companies without approval flows.
    approval_gate: bool = True
    #: An audited K3Cloud document whose Fxiaoke record changed may be un-audited, saved and audited again (only
    #: when no downstream bill names it); off: it is held 'k3_audited' for a person (a change order, 变更单).
    reaudit: bool = False

    def validate(self) -> None:
        """Raise ConfigError (``field`` = the attribute name) for the first wrong setting."""
        for field in (*_TEXT_FIELDS, *_OPTIONAL_TEXT_FIELDS):
            value = getattr(self, field)
            if not isinstance(value, str) and not (value is None and field in _OPTIONAL_TEXT_FIELDS):
                raise _bad(field, "应为文本，当前为 {v}。", "must be text; got {v}.", v=json.dumps(value, default=str))
        name = self.name
        if not name.strip():
            raise _bad("name", "名称不能为空。", "the name must not be empty.")
        if name != name.strip() or name.endswith(".") or _BAD_NAME_CHARS.search(name) or len(name) > 64:
            raise _bad("name", "名称“{v}”不能包含 < > : \" / \\ | ? * 或控制字符，"
                       "不能以空格或句点开头结尾，最长 64 个字符。",
                       "the name '{v}' must not contain < > : \" / \\ | ? * or control characters, start or end with "
                       "a space or a dot, or exceed 64 characters.", v=name)
        if name.startswith(".") or name.split(".")[0].upper() in _WINDOWS_RESERVED:
            raise _bad("name", "名称“{v}”不能以句点开头，也不能是 Windows 保留名（CON、NUL、COM1 等）。",
                       "the name '{v}' must not start with a dot or be a Windows reserved name (CON, NUL, COM1 ...).",
                       v=name)
        _check_url("fx_url", self.fx_url)
        if not (self.fx_app_id or "").strip():
            raise _bad("fx_app_id", "纷享销客 appId 不能为空。", "the Fxiaoke appId must not be empty.")
        has_user, has_mobile = bool(self.fx_open_user_id), bool(self.fx_admin_mobile)
        if has_user == has_mobile:
            field = "fx_open_user_id" if not has_user else "fx_admin_mobile"
            raise _bad(field, "请在操作人 openUserId 和管理员手机号中二选一填写（恰好一项）。",
                       "give exactly one of the operator openUserId (fx_open_user_id) and the admin mobile "
                       "(fx_admin_mobile).")
        if has_mobile and not _MOBILE.match(str(self.fx_admin_mobile)):
            raise _bad("fx_admin_mobile", "手机号只能包含数字（6–20 位），当前为“{v}”。",
                       "the mobile number must be 6-20 digits, got '{v}'.", v=self.fx_admin_mobile)
        _check_url("k3_url", self.k3_url)
        if not self.k3_url.lower().endswith("/k3cloud/"):
            raise _bad("k3_url", "金蝶云星空地址必须以 /K3Cloud/ 结尾，例如 https://erp.example.com/K3Cloud/，当前为“{v}”。",
                       "the K3Cloud URL must end with /K3Cloud/, e.g. https://erp.example.com/K3Cloud/; got '{v}'.",
                       v=self.k3_url)
        for field, label_zh, label_en in (("k3_acct_id", "数据中心 ID", "data center id"),
                                          ("k3_user", "用户名", "user name"),
                                          ("k3_org", "组织编码", "organisation number")):
            if not str(getattr(self, field) or "").strip():
                raise _bad(field, f"金蝶{label_zh}不能为空。", f"the K3Cloud {label_en} must not be empty.")
        if type(self.k3_lcid) is not int or self.k3_lcid not in LCIDS:
            raise _bad("k3_lcid", "语言 ID 应为 2052（简体中文）、1033（英文）或 3076（繁体中文），当前为 {v}。",
                       "the language id must be 2052 (Simplified Chinese), 1033 (English) or 3076 (Traditional "
                       "Chinese); got {v}.", v=self.k3_lcid)
        if self.k3_auth not in K3_AUTH_MODES:
            raise _bad("k3_auth", "登录方式应为 password、appsecret 或 signed，当前为“{v}”。",
                       "the login mode must be password, appsecret or signed; got '{v}'.", v=self.k3_auth)
        if self.k3_auth != "password" and not (self.k3_app_id or "").strip():
            raise _bad("k3_app_id", "登录方式 {m} 需要填写金蝶应用 ID（k3_app_id）。",
                       "login mode {m} needs the K3Cloud app id (k3_app_id).", m=self.k3_auth)
        from core.http_tls import check_ca_bundle  # brings requests: only when a profile is checked (start-up speed)

        check_ca_bundle(self.ca_bundle)  # a file holding at least one certificate, not garbage or only a key
        if isinstance(self.lock_wait, bool) or not isinstance(self.lock_wait, (int, float)) or self.lock_wait < 0:
            raise _bad("lock_wait", "等待时间不能为负数，当前为 {v}。", "the wait must not be negative; got {v}.",
                       v=self.lock_wait)
        for field in ("connect_timeout", "read_timeout"):
            value = getattr(self, field)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
                raise _bad(field, "超时时间必须大于 0 秒，当前为 {v}。",
                           "the timeout must be more than 0 seconds; got {v}.", v=value)
        if type(self.batch_size) is not int or not 1 <= self.batch_size <= 500:
            raise _bad("batch_size", "批量大小应在 1 到 500 之间，当前为 {v}。",
                       "the batch size must be 1 to 500; got {v}.", v=self.batch_size)
        if type(self.k3_in_flight) is not int or not 1 <= self.k3_in_flight <= K3_IN_FLIGHT_MAX:
            raise _bad("k3_in_flight", "同时发往金蝶的请求数应在 1 到 {m} 之间，当前为 {v}。",
                       "the K3Cloud requests in flight must be 1 to {m}; got {v}.", m=K3_IN_FLIGHT_MAX,
                       v=self.k3_in_flight)
        for field in ("submit", "audit", "writeback", "demo", "approval_gate", "reaudit"):
            if not isinstance(getattr(self, field), bool):
                raise _bad(field, "应为 true 或 false。", "must be true or false.")
        if self.k3_shipment_form not in SHIPMENT_FORMS:
            raise _bad("k3_shipment_form",
                       "发货单据应为 SAL_OUTSTOCK（销售出库单）或 SAL_DELIVERYNOTICE（发货通知单），当前为“{v}”。",
                       "the shipment form must be SAL_OUTSTOCK (sales out-stock) or SAL_DELIVERYNOTICE (delivery "
                       "notice); got '{v}'.", v=self.k3_shipment_form)
        for field in ("receipt_bill_type", "receipt_settle_type", "receipt_purpose"):
            if not str(getattr(self, field)).strip():
                raise _bad(field, "不能为空（默认值见说明）。", "must not be empty (see the defaults in the manual).")

    def to_dict(self) -> dict[str, Any]:
        """Every field as plain JSON-able values (no secrets: the dataclass holds none)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        """The inverse of ``to_dict``; unknown keys or a missing name -> ConfigError. Does not validate."""
        if not isinstance(data, dict):
            raise _bad("profile", "配置应为 JSON 对象。", "a profile must be a JSON object.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise _bad(unknown[0], "未知的设置项：{v}。", "unknown setting(s): {v}.", v=", ".join(map(str, unknown)))
        if "name" not in data:
            raise _bad("name", "缺少名称。", "the name is missing.")
        return cls(**data)


@dataclass
class ProfileSecrets:
    """A profile's secrets as read from the keyring (None = not stored)."""

    fx_app_secret: str | None = None
    fx_permanent_code: str | None = None
    k3_password: str | None = None
    k3_app_secret: str | None = None

    def __repr__(self) -> str:  # never print the values
        set_ = [f.name for f in fields(self) if getattr(self, f.name)]
        return f"ProfileSecrets(set={set_})"


def _unknown_profile(name: str) -> ConfigError:
    return ConfigError(Text("没有名为“{n}”的配置。", "There is no profile named '{n}'.").format(n=name),
                       Text("用 fxk3sync profile list 查看已有配置。", "See fxk3sync profile list."), field="name")


class ProfileRepo:
    """Profiles in the database, their secrets in a SecretStore.

    Args:
        db: the local database.
        secrets: where the secrets live (the keyring, or memory in demo mode).
    """

    def __init__(self, db: Database, secrets: SecretStore) -> None:
        self.db = db
        self.secrets = secrets

    @staticmethod
    def _settings(profile: Profile) -> str:
        data = profile.to_dict()
        data.pop("name")
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @staticmethod
    def _load(name: str, settings_json: str | None) -> Profile:
        try:
            data = json.loads(settings_json or "{}")
        except ValueError as exc:
            raise _bad("settings_json", "数据库中配置“{n}”的内容已损坏。", "the stored settings of '{n}' are corrupt.",
                       n=name) from exc
        return Profile.from_dict({**data, "name": name})

    def _row(self, s: Any, name: str) -> models.Profile:
        # The ORM only where a profile is written or removed; reads go through Database.read (start-up speed).
        from sqlalchemy import select

        from core.store import models

        row = s.scalar(select(models.Profile).where(models.Profile.name == name))
        if row is None:
            raise _unknown_profile(name)
        return row

    def _read(self, name: str) -> tuple[int, str | None]:
        """(id, settings JSON) of the profile called ``name``; missing -> ConfigError."""
        rows = self.db.read("SELECT id, settings_json FROM profiles WHERE name = :name", {"name": name})
        if not rows:
            raise _unknown_profile(name)
        return int(rows[0][0]), rows[0][1]

    def add(self, profile: Profile) -> None:
        """Store a new profile; invalid or a duplicate name -> ConfigError."""
        profile.validate()
        from sqlalchemy import select  # the ORM only where profiles are written (start-up speed)

        from core.store import models

        with self.db.session() as s:
            if s.scalar(select(models.Profile.id).where(models.Profile.name == profile.name)) is not None:
                raise ConfigError(
                    Text("已存在名为“{n}”的配置。", "A profile named '{n}' already exists.").format(n=profile.name),
                    Text("请换一个名称，或先删除旧配置。", "Choose another name or remove the old one first."),
                    field="name",
                )
            s.add(models.Profile(name=profile.name, settings_json=self._settings(profile)))

    def update(self, profile: Profile) -> None:
        """Replace the settings of an existing profile (found by name)."""
        profile.validate()
        with self.db.session() as s:
            self._row(s, profile.name).settings_json = self._settings(profile)

    def read(self, name: str) -> tuple[int, Profile]:
        """(database id, profile) of ``name`` in one read; missing -> ConfigError."""
        pid, settings = self._read(name)
        return pid, self._load(name, settings)

    def get(self, name: str) -> Profile:
        """The profile called ``name``; missing -> ConfigError."""
        return self._load(name, self._read(name)[1])

    def list(self) -> list[Profile]:
        """All profiles, by name."""
        rows = self.db.read("SELECT name, settings_json FROM profiles ORDER BY name", {})
        return [self._load(name, settings) for name, settings in rows]

    def profile_id(self, name: str) -> int:
        """The database id of the profile (for the other tables' ``profile_id``)."""
        return self._read(name)[0]

    def remove(self, name: str) -> None:
        """Delete the profile, everything stored for it, and its secrets."""
        self.profile_id(name)
        # Secrets first: if the keyring refuses, nothing is removed and the user can retry.
        self.secrets.delete_profile(name)
        with self.db.session() as s:
            s.delete(self._row(s, name))

    def secrets_for(self, name: str) -> ProfileSecrets:
        """The profile's secrets from the store (None where nothing is stored)."""
        self.profile_id(name)
        return ProfileSecrets(**{k.replace("-", "_"): self.secrets.get(name, k) for k in SECRET_KEYS})

    def set_secret(self, name: str, key: str, value: str) -> None:
        """Store one of SECRET_KEYS for an existing profile."""
        if key not in SECRET_KEYS:
            raise ConfigError(Text("未知的密钥名称“{k}”，可用：{all}。", "Unknown secret '{k}'; use one of {all}.")
                              .format(k=key, all=", ".join(SECRET_KEYS)), field="key")
        self.profile_id(name)
        self.secrets.set(name, key, value)

    def export_json(self, name: str) -> str:
        """The profile as JSON, without any secret."""
        return json.dumps(self.get(name).to_dict(), ensure_ascii=False, indent=2)

    def import_json(self, text: str, *, name: str | None = None) -> Profile:
        """Add a profile from ``export_json`` text (optionally renamed); bad input -> ConfigError, nothing changed."""
        try:
            data = json.loads(text)
        except (ValueError, TypeError) as exc:
            raise ConfigError(Text("导入的内容不是有效的 JSON：{e}", "The imported text is not valid JSON: {e}")
                              .format(e=getattr(exc, "msg", type(exc).__name__)), field="json") from exc
        if isinstance(data, dict) and name is not None:
            data = {**data, "name": name}
        try:
            profile = Profile.from_dict(data)
        except TypeError as exc:  # pragma: no cover - from_dict checks keys; kept as a guard
            raise _bad("profile", "配置内容无效。", "the profile is invalid.") from exc
        self.add(profile)
        return profile


def open_repo(*, demo_store: SecretStore | None = None) -> ProfileRepo:
    """The repo on the default database, with the keyring (or ``demo_store`` in demo mode)."""
    secrets = demo_store if demo_store is not None else default_store()
    from core.store.choice import open_database  # start-up speed: the choice module needs SQLAlchemy's URL parser

    return ProfileRepo(open_database(secrets), secrets)
