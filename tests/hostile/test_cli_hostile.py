"""``check``, ``list`` and ``sync`` as CLI subprocesses against servers answering each hostile response of
``cases.CASES``: the exit code, no traceback, a message that explains in both languages, bounded time and memory,
and what K3Cloud holds afterwards.

All cases run first, three at a time (each with its own home, keyring file and pair of hostile servers in front of
one shared sandbox); each test then checks its own case's run.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from core.sandbox import start_sandbox
from tests.helpers_secrets import register_home, register_secrets, watch
from tests.hostile import server as hs
from tests.hostile.cases import CASES, HOSTILE_TOKEN, Case, Ctx
from tests.hostile.runner import PROFILE, Run, make_home, run_cli

#: Resident memory a run may reach: about 60 MB at rest, plus at most one capped answer being parsed.
MAX_RSS_MB = 300
FAST_S, SLOW_S = 25.0, 45.0
_CJK = re.compile("[\u4e00-\u9fff]")


def _args(case: Case, ctx: Ctx) -> list[str]:
    ids = lambda rows: ",".join(r["_id"] for r in rows)  # noqa: E731
    return {
        "check": lambda: ["check", PROFILE],
        "list": lambda: ["list", PROFILE, "customers"],
        "list-json": lambda: ["list", PROFILE, "customers", "--json"],
        "sync-customers": lambda: ["sync", PROFILE, "customers", "--ids", ids(ctx.customers), "--json"],
        "sync-orders": lambda: ["sync", PROFILE, "orders", "--ids", ids(ctx.orders), "--json"],
        "sync-deliveries": lambda: ["sync", PROFILE, "deliveries", "--json"],
    }[case.command]()


def _reserve(sb: Any) -> dict[str, tuple[list[dict], list[dict]]]:
    """Per case: (customers, orders) no other case touches; the customers are neither in K3Cloud yet nor the customer
    of any reserved order (an order's customer is pushed with it)."""
    records = lambda api: sb.fx_app.admin("records", {"api_name": api})["records"]  # noqa: E731
    orders = sorted((o for o in records("SalesOrderObj") if o.get("life_status") != "invalid"), key=lambda o: o["_id"])
    in_k3 = {str(r.get("FNumber")) for r in sb.k3_app.admin("records", {"form_id": "BD_Customer"})["records"]}
    by_case: dict[str, list[dict]] = {}
    for case in CASES:
        by_case[case.id], orders = orders[:case.orders], orders[case.orders:]
    taken = {o["account_id"] for mine in by_case.values() for o in mine}
    free = [r for r in records("AccountObj") if r["_id"] not in taken and r.get("account_no") not in in_k3]
    out = {}
    for case in CASES:
        out[case.id], free = (free[:case.customers], by_case[case.id]), free[case.customers:]
    return out


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, tuple[Ctx, Run]]]:
    with start_sandbox(seed=23, demo_sizes={"customers": 60, "orders": 120, "products": 12}) as sb:
        sb.fx_app.admin("knobs", {"token_calls_per_minute": 1_000_000, "rate_limit_on": False})
        watch(sb)
        register_secrets([HOSTILE_TOKEN])
        creds = sb.credentials()
        reserved = _reserve(sb)
        root = tmp_path_factory.mktemp("hostile")

        def run(case: Case) -> tuple[Ctx, Run]:
            customers, orders = reserved[case.id]
            with hs.HostileServer(sb.fx_url) as fx, hs.HostileServer(sb.k3_server.url) as k3, \
                    hs.HostileServer() as collector:
                home = make_home(root / case.id, fx.url("/"), k3.url("/K3Cloud/"), creds, **case.settings)
                register_home(home.path)
                ctx = Ctx(sb, fx, k3, collector, home, customers, orders)
                case.rules(ctx)
                limit = SLOW_S if case.slow else FAST_S
                return ctx, run_cli(home, *_args(case, ctx), limit_s=limit + 20)

        with ThreadPoolExecutor(max_workers=3) as pool:
            done = dict(zip((c.id for c in CASES), pool.map(run, CASES), strict=True))
        yield done


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=c.xfail)]
                                                if c.xfail else []) for c in CASES])
def test_a_hostile_answer_is_explained_in_bounded_time_and_memory(case: Case, results: dict[str, Any]) -> None:
    ctx, run = results[case.id]
    assert ctx.fx.errors == ctx.k3.errors == [], "a rule of the hostile server failed"
    assert not run.killed, f"still running after {run.seconds:.0f} s"
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    assert run.code in case.exits, (run.code, run.stderr[-2000:])
    if run.code != 0:
        assert _CJK.search(run.output) and re.search(r"[A-Za-z]{4,} [a-z]{2,}", run.output), run.output[-1500:]
    missing = [w for w in (*case.en, *case.zh) if w not in run.output]
    assert not missing, (missing, run.output[-2500:])
    assert run.seconds < (SLOW_S if case.slow else FAST_S), f"{run.seconds:.1f} s"
    if run.max_rss_mb is not None:
        assert run.max_rss_mb < MAX_RSS_MB, f"{run.max_rss_mb:.0f} MB"
    if case.after is not None:
        case.after(ctx, run)


def test_the_table_holds_at_least_sixty_hostile_answers() -> None:
    assert len(CASES) >= 60 and len({c.id for c in CASES}) == len(CASES)
    assert {c.command.split("-")[0] for c in CASES} >= {"check", "list", "sync"}
