"""The journal's bookkeeping costs one statement per chunk and stage, not one per item, on both backends (issue 15)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from core.errors import ErrorInfo, Text
from core.store import Database, Profile
from core.sync.journal import Journal, LinkRow, NewItem, load_error


def _journal(db: Database) -> Journal:
    with db.session() as s:
        p = Profile(name="acme")
        s.add(p)
        s.flush()
        return Journal(db, p.id)


@contextmanager
def _statements(db: Database) -> Iterator[list[str]]:
    """Every statement the database driver is asked to run (an executemany counts once) while the block runs."""
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _writes(seen: list[str]) -> list[str]:
    return [s for s in seen if s.lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]


def test_settling_a_chunk_is_one_statement_per_shape_whatever_its_size(store: Database) -> None:
    journal = _journal(store)
    run = journal.start_run("orders")
    ids = journal.add_items(run, "orders", [NewItem(f"src-{i}", f"SO-{i}") for i in range(200)])
    why = ErrorInfo("9", "k3cloud", Text("拒绝", "refused"), Text("改", "fix"))
    with _statements(store) as seen:
        journal.settle([(i, {"state": "saved", "k3_id": str(n), "k3_number": f"SO-{n}", "error": None})
                        for n, i in enumerate(ids[:150])])
    assert len(_writes(seen)) == 1, seen
    with _statements(store) as seen:
        journal.settle([(i, {"state": "failed", "error": why}) for i in ids[150:190]]
                       + [(i, {"state": "pending"}) for i in ids[190:]])
    assert len(_writes(seen)) == 2, "two shapes of change: two statements"
    items = {it.id: it for it in journal.items(ids)}
    assert [items[i].state for i in ids] == ["saved"] * 150 + ["failed"] * 40 + ["pending"] * 10
    assert (items[ids[7]].k3_id, items[ids[7]].k3_number, items[ids[7]].error_json) == ("7", "SO-7", None)
    assert load_error(items[ids[160]]) == why


def test_an_item_changed_twice_in_one_settle_ends_as_the_last_change_says(store: Database) -> None:
    journal = _journal(store)
    run = journal.start_run("orders")
    a, b = journal.add_items(run, "orders", [NewItem("a", "SO-a"), NewItem("b", "SO-b")])
    journal.settle([(a, {"state": "saved", "k3_number": "SO-a"}), (b, {"state": "writing"}),
                    (a, {"state": "submitted"}), (b, {"state": "audited", "k3_number": "X"})])
    items = {it.id: it for it in journal.items([a, b])}
    assert (items[a].state, items[a].k3_number) == ("submitted", "SO-a")
    assert (items[b].state, items[b].k3_number) == ("audited", "X")


def test_links_of_a_chunk_are_one_read_and_one_write_per_kind(store: Database) -> None:
    journal = _journal(store)
    first = [LinkRow(f"src-{i}", f"{i}", f"SO-{i}", "saved", 1000 + i) for i in range(120)]
    with _statements(store) as seen:
        journal.upsert_links("SalesOrderObj", "SAL_SaleOrder", first)
    assert len(_writes(seen)) == 1, "120 new links: one insert"
    again = [LinkRow(f"src-{i}", None, None, "audited", None) for i in range(100, 140)]
    with _statements(store) as seen:
        journal.upsert_links("SalesOrderObj", "SAL_SaleOrder", again)
    assert len(_writes(seen)) == 2, "20 known and 20 new links: one update and one insert"
    links = journal.links("SalesOrderObj", [f"src-{i}" for i in range(140)])
    assert len(links) == 140
    kept = links["src-110"]
    assert (kept.k3_id, kept.k3_number, kept.state, kept.source_modified_ms) == ("110", "SO-110", "audited", 1110)
    new = links["src-130"]
    assert (new.k3_id, new.k3_number, new.state, new.source_modified_ms) == (None, None, "audited", None)
    assert links["src-5"].state == "saved"


def test_journaling_a_chunk_is_one_insert_and_each_id_is_its_own_items(store: Database) -> None:
    journal = _journal(store)
    run = journal.start_run("orders")
    why = ErrorInfo("missing_base_data", "k3cloud", Text("缺", "missing"), Text("加", "add"))
    items = [NewItem(f"src-{i}", f"SO-{i}", "failed" if i % 7 == 0 else "pending", why if i % 7 == 0 else None)
             for i in range(300)]
    with _statements(store) as seen:
        ids = journal.add_items(run, "orders", items)
    assert len(_writes(seen)) == 1, "300 rows: one batched insert"
    rows = {it.id: it for it in journal.items(ids)}
    assert [(rows[i].source_id, rows[i].idem_key, rows[i].state) for i in ids] == \
        [(it.source_id, it.idem_key, it.state) for it in items]
    assert load_error(rows[ids[14]]) == why and rows[ids[15]].error_json is None
