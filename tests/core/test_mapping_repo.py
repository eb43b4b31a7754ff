"""Mappings are versioned per profile and flow in a real SQLite file; a bad import changes nothing."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timezone
from pathlib import Path

import pytest

from core.errors import ConfigError, MappingError
from core.mapping.defaults import load_default
from core.mapping.model import FieldRule
from core.mapping.repo import MappingRepo
from core.store import Database, Profile


@pytest.fixture
def db(tmp_path: Path):
    database = Database(tmp_path / "fxk3sync.db")
    yield database
    database.close()


def _profile(db: Database, name: str) -> int:
    with db.session() as s:
        row = Profile(name=name, settings_json="{}")
        s.add(row)
        s.flush()
        return row.id


def test_get_falls_back_to_the_default_then_returns_the_latest_version(db: Database):
    repo = MappingRepo(db)
    pid = _profile(db, "华东公司")
    assert repo.get(pid, "orders") == load_default("orders")
    assert repo.history(pid, "orders") == []

    edited = load_default("orders")
    edited.rules.append(FieldRule("FNote", "remark"))
    assert repo.save(pid, "orders", edited) == 1
    edited.rules.append(FieldRule("FSaleOrderEntry[].FEntryNote", "remark"))
    assert repo.save(pid, "orders", edited) == 2
    assert repo.get(pid, "orders") == edited
    assert repo.get_version(pid, "orders", 1).rules[-1].target == "FNote"
    assert repo.get(pid, "customers") == load_default("customers")
    history = repo.history(pid, "orders")
    assert [v for v, _ in history] == [1, 2]
    assert all(isinstance(at, datetime) and at.tzinfo is UTC for _, at in history)


def test_versions_are_per_profile_and_survive_reopening(db: Database, tmp_path: Path):
    repo = MappingRepo(db)
    a, b = _profile(db, "a"), _profile(db, "b")
    changed = load_default("customers")
    changed.rules[2] = FieldRule("FShortName", "account_no")
    assert repo.save(a, "customers", changed) == 1
    assert repo.save(b, "customers", load_default("customers")) == 1
    assert repo.save(a, "customers", changed) == 2
    db.close()
    with Database(tmp_path / "fxk3sync.db") as again:
        assert MappingRepo(again).get(a, "customers").rules[2].source == "account_no"
        assert MappingRepo(again).get(b, "customers").rules[2].source == "name"


def test_reset_saves_the_default_as_a_new_version(db: Database):
    repo = MappingRepo(db)
    pid = _profile(db, "p")
    changed = load_default("customers")
    changed.template["FCUSTID"] = 1
    repo.save(pid, "customers", changed)
    assert repo.reset(pid, "customers") == 2
    assert repo.get(pid, "customers") == load_default("customers")
    assert repo.get_version(pid, "customers", 1).template["FCUSTID"] == 1


def test_save_refuses_invalid_mappings_other_flows_and_unknown_profiles(db: Database):
    repo = MappingRepo(db)
    pid = _profile(db, "p")
    bad = load_default("orders")
    bad.rules[1].transform = "guess"
    with pytest.raises(MappingError) as info:
        repo.save(pid, "orders", bad)
    assert info.value.row == 2
    with pytest.raises(MappingError, match="this mapping is for flow orders"):
        repo.save(pid, "customers", load_default("orders"))
    with pytest.raises(ConfigError):
        repo.save(pid + 99, "orders", load_default("orders"))
    with pytest.raises(MappingError, match="no mapping version 7"):
        repo.get_version(pid, "orders", 7)
    assert repo.history(pid, "orders") == [] and repo.history(pid, "customers") == []


def test_export_then_import_round_trips_as_a_new_version(db: Database, tmp_path: Path):
    repo = MappingRepo(db)
    src, dst = _profile(db, "src"), _profile(db, "dst")
    changed = load_default("orders")
    changed.options["ValidateFlag"] = True
    repo.save(src, "orders", changed)
    path = tmp_path / "订单映射.json"
    repo.export_file(src, "orders", path)
    assert json.loads(path.read_text("utf-8"))["options"]["ValidateFlag"] is True
    assert repo.import_file(dst, "orders", path) == 1
    assert repo.get(dst, "orders") == changed


@pytest.mark.parametrize(("content", "needle"), [
    ("{broken", "not valid JSON"),
    (None, "unknown transform"),
    (b"\xff\xfe\x00garbage", "cannot read the mapping file"),
])
def test_invalid_import_changes_nothing(db: Database, tmp_path: Path, content, needle):
    repo = MappingRepo(db)
    pid = _profile(db, "p")
    repo.save(pid, "orders", load_default("orders"))
    path = tmp_path / "in.json"
    if content is None:
        data = json.loads(load_default("orders").to_json())
        data["rules"][3]["transform"] = "magic"
        path.write_text(json.dumps(data), "utf-8")
    elif isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, "utf-8")
    with pytest.raises(MappingError, match=needle) as info:
        repo.import_file(pid, "orders", path)
    if content is None:
        assert info.value.row == 4
    assert [v for v, _ in repo.history(pid, "orders")] == [1]
    with pytest.raises(MappingError, match="cannot read"):
        repo.import_file(pid, "orders", tmp_path / "missing.json")


def test_import_of_another_flow_is_refused(db: Database, tmp_path: Path):
    repo = MappingRepo(db)
    pid = _profile(db, "p")
    path = tmp_path / "customers.json"
    repo.export_file(pid, "customers", path)
    with pytest.raises(MappingError, match="for flow customers"):
        repo.import_file(pid, "orders", path)
    assert repo.history(pid, "orders") == []
