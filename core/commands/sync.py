"""CLI: ``fxk3sync sync NAME customers|orders|payments|deliveries|products ...`` (output and exit codes per
cli-contract.md). A products run large enough to wait for Fxiaoke's rate limit says how long it takes on stderr
before its first write.

A connection, TLS, authentication or quota error before the run began writing prints only the error on stderr and
exits 3, as it always did. Once the run had begun writing, the same error ends it with the summary on stdout
(``--json``: the contract object; records the run had not settled are ``failed`` with codes ``stopped_not_sent``,
``stopped_unconfirmed`` or ``stopped_unfinished``), the error on stderr, and exit 1 if anything was created, updated
or skipped in the run, else 3.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core import diffs
from core.commands.output import error_line, one_line, print_json, safe_stdout, summary_json
from core.errors import ConfigError, Fxk3Error, Text
from core.sync.model import Progress, RunSummary, SyncRequest
from core.sync.products_plan import estimate_text, needs_notice
from core.views import RateWait
from core.workspace import Workspace

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_CONNECT = 0, 1, 2, 3
#: A date without a time zone is a day in China (where the companies using this tool keep their books).
LOCAL_TZ = ZoneInfo("Asia/Shanghai")

_STATUS = {"created": "已创建 created", "updated": "已更新 updated", "voided": "已作废 voided",
           "skipped": "无变化 skipped", "held": "待处理 held", "failed": "失败 failed"}
_WOULD = {"created": "将创建 would create", "updated": "将更新 would update", "voided": "将作废 would void",
          "skipped": "无变化 unchanged", "held": "将暂缓 would hold", "failed": "不能同步 would fail"}
_STAGE = {"saved": "已保存 saved", "submitted": "已提交 submitted", "audited": "已审核 audited"}
_ORDER = ("created", "updated", "voided", "skipped", "held", "failed")
_ZH = {"created": "创建", "updated": "更新", "voided": "作废", "skipped": "无变化", "held": "待处理", "failed": "失败"}


def parse_since(text: str) -> datetime:
    """``2026-11-01`` or ``2026-11-01T08:00[:00][+08:00]``; a naive value is Asia/Shanghai time."""
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ConfigError(Text(f"--since 的日期格式不对：{text}（应为 2026-11-01 或 2026-11-01T08:00）。",
                               f"--since is not a date: {text} (use 2026-11-01 or 2026-11-01T08:00)."),
                          field="since") from None
    return value if value.tzinfo is not None else value.replace(tzinfo=LOCAL_TZ)


def build_request(args: argparse.Namespace) -> SyncRequest:
    ids = None
    if getattr(args, "ids", None):
        ids = [i.strip() for i in args.ids.split(",") if i.strip()]
        if not ids:
            raise ConfigError(Text("--ids 不能为空。", "--ids must name at least one record."), field="ids")
    if args.what == "deliveries" and (ids or getattr(args, "all", False)):
        raise ConfigError(Text("发货同步只支持 --since。", "deliveries take only --since."), field="what")
    if args.what == "products" and ids:
        raise ConfigError(Text("产品同步只支持 --all 或 --since。", "products take only --all or --since."),
                          field="what")
    since = parse_since(args.since) if getattr(args, "since", None) else None
    return SyncRequest(args.what, ids=ids, all=bool(getattr(args, "all", False)), since=since,
                       dry_run=bool(getattr(args, "dry_run", False)))


def run(args: argparse.Namespace) -> int:
    try:
        return _run(args)
    except Fxk3Error as exc:  # nothing was written: with --json the contract's object still comes out
        if args.json:
            empty = RunSummary(None, dry_run=bool(getattr(args, "dry_run", False)), aborted=exc.info())
            print_json(summary_json(empty))
        raise


def _run(args: argparse.Namespace) -> int:
    request = build_request(args)
    cancel = threading.Event()
    previous = _install_sigint(cancel)
    messages: int | None = None
    try:
        with Workspace.open(args.name) as ws:
            show = None if args.json or not sys.stderr.isatty() else _progress_line
            if request.flow == "deliveries":
                report = ws.deliveries(request.since, cancel=cancel, on_progress=show, dry_run=request.dry_run)
                summary, messages = report.summary, report.messages_sent
            else:
                summary = ws.sync(request, cancel=cancel, on_progress=lambda p: _on_progress(p, show))
    finally:
        _restore_sigint(previous)
    if args.json:
        print_json(summary_json(summary))
    else:
        _print_human(summary)
        if messages is not None and not summary.dry_run:
            print(f"已向订单负责人发送 {messages} 条发货消息。 / {messages} shipment messages sent to the orders' "
                  "owners.", file=safe_stdout())
    if summary.aborted is not None:
        print(error_line(summary.aborted), file=sys.stderr)
        if summary.wrote:
            return EXIT_PARTIAL
        return EXIT_USAGE if summary.aborted.side == "local" else EXIT_CONNECT  # this PC (its store) vs a service
    # The contract knows 0/1/2/3 only: a cancelled run left records undone, like a run where some failed.
    return EXIT_PARTIAL if summary.cancelled or summary.has_problems else EXIT_OK


def _install_sigint(cancel: threading.Event) -> Any:
    """First Ctrl-C: stop after the current chunk (nothing half-sent); second: stop now."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum: int, frame: Any) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        print("正在停止（当前批次完成后）… / Stopping after the current batch …", file=sys.stderr)

    return signal.signal(signal.SIGINT, handler)


def _restore_sigint(previous: Any) -> None:
    if previous is not None:
        signal.signal(signal.SIGINT, previous)


def _on_progress(p: Progress | RateWait, show: Any) -> None:
    if isinstance(p, Progress) and p.phase == "plan":  # products: before the first write, how long a large run takes
        creates, updates = p.counts.get("created", 0), p.counts.get("updated", 0)
        if needs_notice(creates, updates):
            print(one_line(estimate_text(creates, updates)), file=sys.stderr, flush=True)
    if show is not None:
        show(p)


def _progress_line(p: Progress | RateWait) -> None:
    if isinstance(p, RateWait):
        print(f"\r等待纷享销客限流（每 {p.window_s:g} 秒 {p.calls} 次）{p.seconds:.0f} 秒 / waiting on Fxiaoke's limit "
              f"of {p.calls} calls per {p.window_s:g} s: {p.seconds:.0f} s", end="", file=sys.stderr, flush=True)
        return
    c = p.counts
    line = (f"{p.phase:<9} {p.done}/{p.total}  +{c.get('created', 0)} ~{c.get('updated', 0)} "
            f"={c.get('skipped', 0)} !{c.get('failed', 0)}")
    print("\r" + line.ljust(78), end="", file=sys.stderr, flush=True)
    if p.phase == "done":
        print(file=sys.stderr)


def _print_human(summary: RunSummary) -> None:
    out = safe_stdout()
    dry = summary.dry_run
    if dry:
        print("试运行：没有写入任何数据。 / Dry run: nothing was written.", file=out)
        for source_id, package in summary.previews.items():
            print(f"--- {source_id}", file=out)
            print(json.dumps(package, ensure_ascii=False, indent=2), file=out)
    names = _WOULD if dry else _STATUS
    for item in summary.items:
        line = f"{item.source_number or item.source_id}  {names.get(item.status, item.status)}"
        if item.k3_number:
            line += f"  {item.k3_number}"
        if item.stage:
            line += f"  [{_STAGE.get(item.stage, item.stage)}]"
        if item.diff and item.status != "held":  # a held item's reason already names the differences
            d = diffs.diff_text(item.diff)
            line += f"\n    {one_line(Text(f'差异：{d.zh}', f'Differences: {d.en}'))}"
        if item.error is not None:
            line += f"\n    {error_line(item.error)}"
        print(line, file=out)
    c = summary.counts
    zh = "、".join(f"{_ZH[k]} {c[k]}" for k in _ORDER if c[k] or k in ("created", "failed"))
    en = ", ".join(f"{k} {c[k]}" for k in _ORDER if c[k] or k in ("created", "failed"))
    tail = ("（已取消 / cancelled）" if summary.cancelled else "") + (
        "（同步中途停止 / stopped by an error）" if summary.aborted is not None else "")
    print(f"{'将' if dry else ''}{zh} / {'would be: ' if dry else ''}{en}{tail}", file=out)
