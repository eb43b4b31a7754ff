"""The task runner: results come back on the GUI thread, cancelled work is silent, the DB lane is serial."""

from __future__ import annotations

import threading
import time

import pytest

from gui.tasks import DB, NET, TaskRunner


@pytest.fixture
def runner(qapp):
    r = TaskRunner()
    yield r
    r.shutdown()
    r.deleteLater()


def test_result_and_progress_arrive_on_the_gui_thread(qtbot, runner):
    main = threading.get_ident()
    seen: dict[str, object] = {"progress": []}

    def work(task):
        seen["worker"] = threading.get_ident()
        for i in range(3):
            task.progress(i)
        return 42

    runner.run(work, lambda r: seen.update(result=r, done_thread=threading.get_ident()),
               on_progress=lambda p: seen["progress"].append((p, threading.get_ident())))
    qtbot.waitUntil(lambda: "result" in seen, timeout=5000)
    assert seen["result"] == 42 and seen["done_thread"] == main and seen["worker"] != main
    assert [p for p, _ in seen["progress"]] == [0, 1, 2]
    assert {t for _, t in seen["progress"]} == {main}
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)


def test_cancelled_task_is_silent(qtbot, runner):
    calls: list[str] = []
    release = threading.Event()

    def work(task):
        release.wait(5)
        task.check()  # raises Cancelled
        return "late"

    handle = runner.run(work, lambda r: calls.append("done"), lambda e: calls.append("error"), name="load")
    assert runner.is_running("load")
    handle.cancel()
    release.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert calls == []


def test_errors_go_to_on_error_or_the_default_handler(qtbot, runner):
    got: list[BaseException] = []
    runner.run(lambda t: 1 / 0, on_error=got.append)
    qtbot.waitUntil(lambda: len(got) == 1, timeout=5000)
    assert isinstance(got[0], ZeroDivisionError)
    runner.error_handler = got.append
    runner.run(lambda t: {}["missing"])
    qtbot.waitUntil(lambda: len(got) == 2, timeout=5000)
    assert isinstance(got[1], KeyError)


def test_db_lane_runs_one_task_at_a_time_and_net_lane_in_parallel(qtbot, runner):
    active, peak = [0], {DB: 0, NET: 0}
    lock = threading.Lock()

    def work_in(lane):
        def work(task):
            with lock:
                active[0] += 1
                peak[lane] = max(peak[lane], active[0])
            time.sleep(0.05)
            with lock:
                active[0] -= 1
        return work

    for _ in range(3):
        runner.run(work_in(DB), lane=DB)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    for _ in range(3):
        runner.run(work_in(NET), lane=NET)
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert peak[DB] == 1 and peak[NET] > 1


def test_replace_cancels_the_previous_task_of_the_same_name(qtbot, runner):
    results: list[int] = []
    gate = threading.Event()

    def slow(task):
        gate.wait(5)
        return 1

    runner.run(slow, results.append, name="orders-load", replace=True)
    runner.run(lambda t: 2, results.append, name="orders-load", replace=True)
    gate.set()
    qtbot.waitUntil(lambda: not runner.busy, timeout=5000)
    assert results == [2]
