"""The profile settings on the command line, each spelt one way: option ``--k3-acct-id`` is setting ``k3_acct_id``.

``profile add`` and ``profile set`` take the same options; ``profile show`` prints them back in this spelling, so a
line of its output can be given to ``profile set`` as it is. The setting's own name (``--k3_acct_id``, what an error
message or ``--json`` names) is accepted too.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

from core.profiles import K3_AUTH_MODES, LCIDS, SHIPMENT_FORMS, Profile

_TRUE, _FALSE = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


def parse_bool(text: str) -> bool:
    low = text.strip().lower()
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise argparse.ArgumentTypeError(f"应为 true 或 false | expected true or false, got {text!r}")


@dataclass(frozen=True)
class Option:
    """One setting: its parser (``str``, ``int`` ...), whether ``profile add`` needs it, its choices."""

    setting: str
    convert: Callable[[str], Any] = str
    required: bool = False
    choices: tuple[Any, ...] | None = None
    help: str = ""

    @property
    def flag(self) -> str:
        return "--" + self.setting.replace("_", "-")


#: Every setting the command line sets, in the order ``profile show`` prints them (``demo`` is the app's own).
OPTIONS: tuple[Option, ...] = (
    Option("fx_url", help="Fxiaoke gateway root (default https://open.fxiaoke.com)"),
    Option("fx_app_id", required=True),
    Option("fx_open_user_id", help="operator openUserId (or --fx-admin-mobile)"),
    Option("fx_admin_mobile", help="admin mobile to look the operator up by (or --fx-open-user-id)"),
    Option("k3_url", required=True, help="K3Cloud site root ending in /K3Cloud/"),
    Option("k3_acct_id", required=True, help="data centre id"),
    Option("k3_user", required=True),
    Option("k3_lcid", int, choices=LCIDS),
    Option("k3_auth", choices=K3_AUTH_MODES),
    Option("k3_app_id"),
    Option("k3_org", help="organisation number (default 100)"),
    Option("ca_bundle", help="CA bundle file for a company certificate authority"),
    Option("connect_timeout", float, help="seconds"),
    Option("read_timeout", float, help="seconds"),
    Option("batch_size", int, help="documents per K3Cloud batch (1-500)"),
    Option("k3_in_flight", int, help="K3Cloud requests a sync keeps in flight at once (1-8, default 3)"),
    Option("submit", parse_bool, help="true|false: submit documents after saving"),
    Option("audit", parse_bool, help="true|false: audit documents after submitting"),
    Option("writeback", parse_bool, help="true|false: write the K3Cloud number back to Fxiaoke"),
    Option("k3_shipment_form", choices=SHIPMENT_FORMS, help="the K3Cloud bills whose audit means shipped"),
    Option("receipt_bill_type", help="K3Cloud receipt bill type number for payments (default SKDLX01_SYS)"),
    Option("receipt_settle_type", help="settlement type number for payments (default JSFS04_SYS)"),
    Option("receipt_purpose", help="receipt purpose number for payments (default SFKYT01_SYS)"),
    Option("approval_gate", parse_bool, help="true|false: only orders approved in Fxiaoke are synced"),
    Option("reaudit", parse_bool, help="true|false: unaudit, update and audit again an audited document that "
                                       "differs (default: hold it for a person)"),
    Option("lock_wait", float, help="seconds to wait for another sync of this profile to finish"),
)
#: Text settings that may be left empty (given as "" they are cleared).
OPTIONAL = ("fx_open_user_id", "fx_admin_mobile", "k3_app_id", "ca_bundle")
_WHO = ("fx_open_user_id", "fx_admin_mobile")
_DEFAULTS = {f.name: f.default for f in fields(Profile)}


def add_profile_options(parser: argparse.ArgumentParser, *, adding: bool) -> None:
    """The options of ``profile add`` (required ones required, defaults filled) or ``profile set`` (none required,
    only those given end up in the namespace; both operator settings may be given, one of them "", as ``profile
    show`` prints them)."""
    who = parser.add_mutually_exclusive_group(required=True) if adding else parser
    for opt in OPTIONS:
        target = who if opt.setting in _WHO else parser
        kw: dict[str, Any] = {"dest": opt.setting, "type": opt.convert, "help": opt.help or None}
        if opt.choices is not None:
            kw["choices"] = opt.choices
        if adding:
            if opt.required:
                kw["required"] = True
            elif opt.setting not in _WHO:
                kw["default"] = _DEFAULTS[opt.setting]
        else:
            kw["default"] = argparse.SUPPRESS
        target.add_argument(opt.flag, "--" + opt.setting, **kw)


def given(args: argparse.Namespace) -> dict[str, Any]:
    """The settings in ``args`` (``profile set``: only those given), "" of an optional one meaning "clear it"."""
    out: dict[str, Any] = {}
    for opt in OPTIONS:
        if opt.setting in vars(args):
            value = getattr(args, opt.setting)
            out[opt.setting] = None if opt.setting in OPTIONAL and value in ("", None) else value
    return out


def apply_changes(profile: Profile, changes: dict[str, Any]) -> Profile:
    """``profile`` with ``changes``; giving one of openUserId / admin mobile clears the other (exactly one holds)."""
    for key, value in changes.items():
        setattr(profile, key, value)
    for key, other in (_WHO, _WHO[::-1]):
        if changes.get(key) and other not in changes:
            setattr(profile, other, None)
    return profile


def shown(value: Any) -> str:
    """A setting as ``profile show`` prints it, ready to be given back: booleans true/false, empty as ""."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None or value == "":
        return '""'
    text = str(value)
    return f'"{text}"' if any(c.isspace() for c in text) else text
