"""CLI: ``fxk3sync check NAME [--json]``: the credential doctor on both sides; exit 0 when both are fine, else 3."""

from __future__ import annotations

import argparse

from core.commands.output import SIDES, check_json, one_line, print_json, safe_stdout
from core.doctor_types import DoctorReport
from core.errors import Text
from core.workspace import Workspace

EXIT_OK, EXIT_CONNECT = 0, 3
_TITLES = {"fxiaoke": "纷享销客 Fxiaoke", "k3cloud": "金蝶云星空 K3Cloud"}


def run(args: argparse.Namespace) -> int:
    with Workspace.open(args.name) as ws:
        report = ws.doctor()
    if args.json:
        print_json(check_json(report))
    else:
        _print_human(report)
    return EXIT_OK if report.ok else EXIT_CONNECT


def _print_human(report: DoctorReport) -> None:
    out = safe_stdout()
    named = False
    for side in SIDES:
        print(_TITLES[side], file=out)
        for s in report.steps(side):
            mark = "✓" if s.ok else "✗"
            print(f"  {mark} {s.name:<10} {s.message.zh}", file=out)
            print(f"    {'':<10} {s.message.en}", file=out)
            if not s.ok:
                code = f"（错误码 code {s.code}）" if s.code else ""
                if s.field:
                    named = True
                    print(f"    {'':<10} → 请修改设置 setting to fix: {s.field}{code}", file=out)
                elif code:
                    print(f"    {'':<10} {code}", file=out)
    if report.ok:
        verdict = ("两边都正常。", "Both sides are fine.")
    elif named:
        verdict = ("有检查未通过，请按提示修改上面指出的设置。", "A check failed; fix the setting named above.")
    else:
        verdict = ("有检查未通过，请按上面的说明处理。", "A check failed; do what the message above says.")
    print(one_line(Text(*verdict)), file=out)
