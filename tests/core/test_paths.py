"""core.paths: the home folder comes from FXK3SYNC_HOME at call time, else platformdirs; folders made on demand."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from core import paths


def test_home_follows_env_at_call_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a", tmp_path / "b" / "nested"
    monkeypatch.setenv("FXK3SYNC_HOME", str(first))
    assert paths.home_dir() == first.resolve()
    monkeypatch.setenv("FXK3SYNC_HOME", str(second))
    assert paths.home_dir() == second.resolve()
    assert second.is_dir(), "home is created on demand"


def test_files_live_under_home(home: Path) -> None:
    assert paths.db_path() == home.resolve() / "fxk3sync.db"
    folders = ((paths.log_dir(), "logs"), (paths.mappings_dir(), "mappings"), (paths.exports_dir(), "exports"))
    for folder, name in folders:
        assert folder == home.resolve() / name
        assert folder.is_dir()


def test_default_is_local_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FXK3SYNC_HOME")
    # Point platformdirs at a temp tree so the developer's real data dir is never created.
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    monkeypatch.setenv("HOME", str(tmp_path / "userhome"))
    expected = Path(platformdirs.user_data_dir("FxK3Sync", appauthor=False, roaming=False)).resolve()
    assert str(expected).startswith(str(tmp_path))
    assert paths.home_dir() == expected
    assert expected.is_dir()
