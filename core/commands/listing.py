"""CLI: ``fxk3sync list NAME customers|orders [--limit N] [--json]``: Fxiaoke records, orders with their lines."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any, Iterable, Iterator

from core.errors import ConfigError, Text
from core.fxiaoke.client import FxiaokeClient
from core.fxiaoke.operator_store import db_operator_cache
from core.profiles import open_repo
from core.store.exchange_log import ExchangeLogWriter

EXIT_OK = 0
ORDER = "SalesOrderObj"
LINE = "SalesOrderProductObj"
CUSTOMER = "AccountObj"
#: orders per batch whose lines are fetched together with ``order_id IN``
BATCH = 100


def run(args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 0:
        raise ConfigError(Text("--limit 不能为负数。", "--limit must not be negative."), field="limit")
    repo = open_repo()
    try:
        profile = repo.get(args.name)
        secrets = repo.secrets_for(args.name)
        cache = db_operator_cache(repo.db, repo.profile_id(args.name))
        with FxiaokeClient(profile, secrets, sinks=[ExchangeLogWriter(repo.db)], operator_cache=cache) as fx:
            rows = (fx.query(CUSTOMER, limit=args.limit) if args.what == "customers"
                    else orders_with_lines(fx, limit=args.limit))
            _print(rows, args.what, as_json=args.json)
    finally:
        repo.db.close()
    return EXIT_OK


def orders_with_lines(fx: FxiaokeClient, *, limit: int | None = None, filters: Any = None) -> Iterator[dict[str, Any]]:
    """Orders, each with its SalesOrderProductObj rows under ``lines``; lines fetched per batch of orders."""
    batch: list[dict[str, Any]] = []
    for order in fx.query(ORDER, filters=filters, limit=limit):
        batch.append(order)
        if len(batch) >= BATCH:
            yield from _attach_lines(fx, batch)
            batch = []
    if batch:
        yield from _attach_lines(fx, batch)


def _attach_lines(fx: FxiaokeClient, orders: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    by_order: dict[str, list[dict[str, Any]]] = {o["_id"]: [] for o in orders}
    for line in fx.query(LINE, filters=[("order_id", "IN", list(by_order))]):
        by_order.setdefault(line.get("order_id"), []).append(line)
    for o in orders:
        yield {**o, "lines": by_order.get(o["_id"], [])}


def _print(rows: Iterable[dict[str, Any]], what: str, *, as_json: bool) -> None:
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(errors="replace")
    n = 0
    try:
        for row in rows:
            n += 1
            if as_json:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            elif what == "customers":
                out.write("\t".join(str(row.get(k) or "") for k in ("account_no", "name", "tel", "_id")) + "\n")
            else:
                customer = row.get("account_id__r") or row.get("account_id") or ""  # the name when the server gives it
                out.write("\t".join([str(row.get("name") or ""), str(customer), str(row.get("order_amount") or ""),
                                     str(row.get("_id") or ""), f"{len(row['lines'])} 行 lines"]) + "\n")
        out.flush()
    except BrokenPipeError:  # `fxk3sync list ... | head`: the reader left, nothing is wrong
        # Python's documented recipe: point stdout at devnull so the final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    if not as_json:
        print(f"共 {n} 条 / {n} records", file=sys.stderr)
