"""CLI: ``fxk3sync check NAME [--json]``: the credential doctor on both sides; exit 0 when both are fine, else 3."""

from __future__ import annotations

import argparse
import json
import sys

from core.doctor import run_doctor
from core.doctor_types import DoctorReport, Step
from core.profiles import open_repo
from core.store.exchange_log import ExchangeLogWriter

EXIT_OK, EXIT_CONNECT = 0, 3
_SIDES = (("fxiaoke", "纷享销客 Fxiaoke"), ("k3cloud", "金蝶云星空 K3Cloud"))


def run(args: argparse.Namespace) -> int:
    repo = open_repo()
    try:
        profile = repo.get(args.name)
        secrets = repo.secrets_for(args.name)
        report = run_doctor(profile, secrets, sinks=[ExchangeLogWriter(repo.db)])
    finally:
        repo.db.close()
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        _print_human(report)
    return EXIT_OK if report.ok else EXIT_CONNECT


def _print_human(report: DoctorReport) -> None:
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(errors="replace")  # a GBK console cannot show every mark; never crash on it
    for side, title in _SIDES:
        steps: list[Step] = getattr(report, side)
        print(title)
        for s in steps:
            mark = "✓" if s.ok else "✗"
            print(f"  {mark} {s.name:<10} {s.message.zh}")
            print(f"    {'':<10} {s.message.en}")
            if not s.ok:
                code = f"（错误码 code {s.code}）" if s.code else ""
                if s.field:
                    print(f"    {'':<10} → 请修改设置 setting to fix: {s.field}{code}")
                elif code:
                    print(f"    {'':<10} {code}")
    verdict = ("两边都正常。 / Both sides are fine." if report.ok
               else "有检查未通过，请按提示修改。 / A check failed; fix the setting named above.")
    print(verdict)
