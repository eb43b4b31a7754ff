"""The ``fxk3sync`` command line (see shared/cli-contract.md); never imports Qt."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import datetime

from core import __version__
from core.commands.options import add_profile_options
from core.errors import Fxk3Error, is_service_error
from core.paths import log_dir

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, EXIT_CONNECT = 0, 1, 2, 3

SECRET_KEYS = ("fx-app-secret", "fx-permanent-code", "k3-password", "k3-app-secret")


def _build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="fxk3sync", description="FxK3 Sync 纷享金蝶同步")
    p.add_argument("--version", action="version", version=f"fxk3sync {__version__}")
    p.add_argument("--home", metavar="DIR", help="data folder (env FXK3SYNC_HOME)")
    p.add_argument("--db", metavar="URL", help="shared store, e.g. postgresql+psycopg://user@host/fxk3sync "
                   "(env FXK3SYNC_DB; default: the SQLite file in the data folder)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    prof = sub.add_parser("profile", help="manage profiles")
    psub = prof.add_subparsers(dest="action", metavar="ACTION")
    add = psub.add_parser("add", help="add a profile")
    add.add_argument("name")
    add_profile_options(add, adding=True)
    st = psub.add_parser("set", help="change the options given; everything else (and every secret) is kept")
    st.add_argument("name")
    add_profile_options(st, adding=False)
    show = psub.add_parser("show", help="every setting of a profile (never a secret)")
    show.add_argument("name")
    show.add_argument("--json", action="store_true")
    lst = psub.add_parser("list", help="list profiles")
    lst.add_argument("--json", action="store_true")
    rm = psub.add_parser("remove", help="remove a profile and its secrets")
    rm.add_argument("name")

    sec = sub.add_parser("secret", help="store a secret in the OS keyring")
    ssub = sec.add_subparsers(dest="action", metavar="ACTION")
    sset = ssub.add_parser("set", help="value is read from stdin")
    sset.add_argument("name")
    sset.add_argument("key", choices=SECRET_KEYS)

    chk = sub.add_parser("check", help="log in to both sides and report each")
    chk.add_argument("name")
    chk.add_argument("--json", action="store_true")

    ls = sub.add_parser("list", help="list Fxiaoke records")
    ls.add_argument("name")
    ls.add_argument("what", choices=("customers", "orders", "payments"))
    ls.add_argument("--limit", type=int)
    ls.add_argument("--lines", action="store_true", help="orders: with their lines")
    ls.add_argument("--json", action="store_true")

    inbox = sub.add_parser("inbox", help="what needs a person, grouped by cause, with the records")
    inbox.add_argument("name")
    inbox.add_argument("--json", action="store_true")

    sy = sub.add_parser("sync", help="sync records")
    sy.add_argument("name")
    sy.add_argument("what", choices=("customers", "orders", "payments", "deliveries", "products"))
    sel = sy.add_mutually_exclusive_group()  # none given: incremental (since the stored watermark + open failures)
    sel.add_argument("--ids", help="Fxiaoke _ids or the records' own numbers (order name, customer account_no), mixed")
    sel.add_argument("--all", action="store_true", help="every record")
    sel.add_argument("--since", help="records modified since this date (Asia/Shanghai unless a zone is given)")
    sy.add_argument("--dry-run", action="store_true")
    sy.add_argument("--json", action="store_true")

    sb = sub.add_parser("sandbox", help="run both simulators until interrupted")
    sb.add_argument("--fx-port", type=int, default=0)
    sb.add_argument("--k3-port", type=int, default=0)
    sb.add_argument("--seed", type=int, default=1)
    sb.add_argument("--state", metavar="FILE", help="keep the simulators' state in FILE between runs")
    _globals_after_subcommand(p, ("--home", "DIR"), ("--db", "URL"))
    return p


def _globals_after_subcommand(parser: argparse.ArgumentParser, *options: tuple[str, str]) -> None:
    """Lets global options follow the subcommand too (``fxk3sync sync NAME orders --all --home DIR``).

    Added to every (nested) subcommand with a suppressed default, so a value given before the subcommand is kept
    unless the same option is given again after it.
    """
    for action in parser._actions:  # noqa: SLF001 - argparse has no public walk over subparsers
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for child in action.choices.values():
                for flag, metavar in options:
                    if not any(flag in a.option_strings for a in child._actions):  # noqa: SLF001
                        child.add_argument(flag, metavar=metavar, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
                _globals_after_subcommand(child, *options)


_HANDLERS = {
    "profile": "core.commands.profile",
    "secret": "core.commands.profile",
    "check": "core.commands.check",
    "list": "core.commands.listing",
    "sync": "core.commands.sync",
    "inbox": "core.commands.inbox",
    "sandbox": "core.commands.sandbox",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script; returns the process exit code."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    if not args.command or (args.command in ("profile", "secret") and not args.action):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    if args.home:
        os.environ["FXK3SYNC_HOME"] = args.home
    if args.db:
        os.environ["FXK3SYNC_DB"] = args.db  # read by core.paths.db_url() when the store is opened
    module = importlib.import_module(_HANDLERS[args.command])
    try:
        return int(module.run(args))
    except KeyboardInterrupt:  # a second Ctrl-C: stopped at once; the journal settles what was in flight next time
        print("已中断，未完成的记录下次同步时会先向金蝶核对。 / "
              "Interrupted; unfinished records are checked with K3Cloud on the next sync.", file=sys.stderr)
        return EXIT_PARTIAL
    except Fxk3Error as exc:
        print(exc.user_message, file=sys.stderr)
        return EXIT_CONNECT if is_service_error(exc) else EXIT_USAGE
    except Exception:  # a defect of ours: a bilingual line and where the details are, never a traceback
        print(_unexpected(), file=sys.stderr)
        return EXIT_PARTIAL


def _unexpected() -> str:
    """Writes the traceback of an unexpected error to the log folder; returns the line telling the user."""
    where = "-"
    try:
        path = log_dir() / "cli-errors.log"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as f:
            f.write(f"--- {datetime.now().isoformat(timespec='seconds')} {' '.join(sys.argv[1:2])}\n")
            f.write(traceback.format_exc())
        where = str(path)
    except OSError:
        pass
    return (f"发生意外错误，已停止。详细信息在 {where}，请发给技术支持；未完成的记录下次同步时会先向金蝶核对。 | "
            f"An unexpected error stopped the command. Details are in {where}; send them to support. Unfinished "
            "records are checked with K3Cloud on the next sync.")


if __name__ == "__main__":
    sys.exit(main())
