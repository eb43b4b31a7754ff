"""CLI: ``fxk3sync sandbox``: both simulators until interrupted; one JSON line of credentials on stdout."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading

from core.errors import ConfigError, Text

EXIT_OK = 0


def run(args: argparse.Namespace) -> int:
    from core.sandbox import start_sandbox

    try:
        sandbox = start_sandbox(args.seed, fx_port=args.fx_port, k3_port=args.k3_port, state_file=args.state)
    except OSError as exc:
        raise ConfigError(
            Text(f"模拟服务器无法启动：{exc.strerror or exc}", f"The sandbox could not start: {exc.strerror or exc}"),
            Text("换一个端口（--fx-port / --k3-port），或用 0 自动选择。",
                 "Pick other ports (--fx-port / --k3-port), or 0 for any."),
            field="port",
        ) from exc
    except ValueError as exc:  # a state file of another seed
        raise ConfigError(Text(f"状态文件不可用：{exc}", f"Unusable state file: {exc}"),
                          Text("用同一个 --seed，或换一个 --state 文件。",
                               "Use the same --seed, or another --state file."),
                          field="state") from exc

    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        print(json.dumps(sandbox.credentials(), ensure_ascii=False), flush=True)
        print(f"sandbox running: Fxiaoke {sandbox.fx_url}  K3Cloud {sandbox.k3_url}  (Ctrl+C to stop / 按 Ctrl+C 停止)",
              file=sys.stderr, flush=True)
        while not stop.wait(0.5):  # a timed wait keeps the main thread responsive to signals on Windows
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sandbox.stop()
        print("sandbox stopped / 模拟服务器已停止", file=sys.stderr, flush=True)
    return EXIT_OK
