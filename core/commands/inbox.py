"""CLI: ``fxk3sync inbox NAME [--json]``: what needs a person, grouped by cause, with the records; exit 0.

Text: one block per cause (its title in both languages, what to do, the records), then the command that sends the
group's records again once the cause is fixed. ``--json``: ``{"count": n, "groups": [...]}`` (see ``inbox_json``).
"""

from __future__ import annotations

import argparse
from typing import Any

from core.commands.output import error_json, one_line, print_json, safe_stdout
from core.errors import Text
from core.views import InboxGroup
from core.workspace import Workspace

EXIT_OK = 0
_STATES = {"failed": "失败 failed", "held": "待处理 held", "saved": "已保存 saved", "submitted": "已提交 submitted",
           "audited": "已审核 audited"}


def run(args: argparse.Namespace) -> int:
    with Workspace.open(args.name) as ws:
        groups = ws.inbox()
    if args.json:
        print_json(inbox_json(groups))
    else:
        _print_human(args.name, groups)
    return EXIT_OK


def inbox_json(groups: list[InboxGroup]) -> dict[str, Any]:
    """``{"count": records, "groups": [{"cause", "key", "side", "title", "advice", "count", "can_retry", "item_ids",
    "records": [{"item_id", "flow", "source_id", "number", "state", "k3_number", "run_id", "failures", "error"}]}]}``;
    texts bilingual on one line as everywhere in the CLI's JSON."""
    return {"count": len({(r.flow, r.source_id) for g in groups for r in g.records}), "groups": [{
        "cause": g.code, "key": g.key, "side": g.side, "title": one_line(g.title), "advice": one_line(g.advice),
        "count": g.count, "can_retry": g.can_retry, "item_ids": g.item_ids,
        "records": [{"item_id": r.item_id, "flow": r.flow, "source_id": r.source_id, "number": r.number,
                     "state": r.state, "k3_number": r.k3_number or None, "run_id": r.run_id, "failures": r.failures,
                     "error": error_json(r.error)} for r in g.records]} for g in groups]}


def _print_human(name: str, groups: list[InboxGroup]) -> None:
    out = safe_stdout()
    if not groups:
        print(one_line(Text("没有需要人工处理的记录。", "Nothing needs attention.")), file=out)
        return
    records = len({(r.flow, r.source_id) for g in groups for r in g.records})
    print(one_line(Text(f"待处理：{len(groups)} 类原因，{records} 条记录", f"Needs attention: {len(groups)} causes, "
                        f"{records} records")), file=out)
    for g in groups:
        print(file=out)
        print(g.title.zh, file=out)
        print(g.title.en, file=out)
        if g.advice.zh or g.advice.en:
            print(f"  → {one_line(g.advice)}", file=out)
        width = max(len(r.number) for r in g.records)
        for r in g.records:
            line = f"    {r.number:<{width}}  {_STATES.get(r.state, r.state)}"
            if r.k3_number:
                line += f"  {r.k3_number}"
            print(line + f"  ({r.source_id})", file=out)
        flows = sorted({r.flow for r in g.records})
        if g.can_retry:
            for flow in flows:
                ids = ",".join(r.source_id for r in g.records if r.flow == flow)
                print(f"  重试 / retry once fixed: fxk3sync sync {_quoted(name)} {flow} --ids {ids}", file=out)


def _quoted(name: str) -> str:
    return f'"{name}"' if any(c.isspace() for c in name) else name
