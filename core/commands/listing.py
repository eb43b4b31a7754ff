"""CLI: ``fxk3sync list NAME customers|orders|payments [--limit N] [--lines] [--json]``: Fxiaoke records by their
number."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from typing import Any

from core.errors import ConfigError, Text
from core.workspace import Workspace

EXIT_OK = 0
#: The text mode's header row (tab-separated like the rows under it).
_HEADERS = {"customers": ["客户编号 Number", "名称 Name", "电话 Tel", "纷享ID Fxiaoke _id"],
            "orders": ["订单编号 Number", "客户 Customer", "金额 Amount", "纷享ID Fxiaoke _id"]}


def run(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 0:
        raise ConfigError(Text("--limit 不能为负数。", "--limit must not be negative."), field="limit")
    with Workspace.open(args.name) as ws:
        lines = bool(getattr(args, "lines", False))
        _print(ws.list_records(args.what, limit=args.limit, lines=lines), args.what, as_json=args.json, lines=lines)
    return EXIT_OK


def _print(rows: Iterable[dict[str, Any]], what: str, *, as_json: bool, lines: bool) -> None:
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(errors="replace")
    n = 0
    try:
        if not as_json:
            head = _HEADERS["customers" if what == "customers" else "orders"] + (["行数 Lines"] if lines else [])
            out.write("\t".join(head) + "\n")
        for row in rows:
            n += 1
            if as_json:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            elif what == "customers":
                out.write("\t".join(str(row.get(k) or "") for k in ("account_no", "name", "tel", "_id")) + "\n")
            elif what == "payments":
                keys = ("name", "account_id__r", "payment_amount", "order_id__r", "_id")
                cells = [str(row.get(k) or "") for k in keys]
                out.write("\t".join(cells) + "\n")
            else:
                customer = row.get("account_id__r") or row.get("account_id") or ""  # the name when the server gives it
                cells = [str(row.get("name") or ""), str(customer), str(row.get("order_amount") or ""),
                         str(row.get("_id") or "")]
                if lines:
                    cells.append(f"{len(row['lines'])} 行 lines")
                out.write("\t".join(cells) + "\n")
        out.flush()
    except BrokenPipeError:  # `fxk3sync list ... | head`: the reader left, nothing is wrong
        # Python's documented recipe: point stdout at devnull so the final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    if not as_json:
        print(f"共 {n} 条 / {n} records", file=sys.stderr)
