"""core.paths: the home folder comes from FXK3SYNC_HOME at call time, else platformdirs; folders made on demand."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import platformdirs.windows
import pytest

from core import paths
from core.errors import ConfigError


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


def test_on_windows_the_data_lives_in_local_appdata_not_the_roaming_profile(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FXK3SYNC_HOME")
    local, roaming = tmp_path / "Local", tmp_path / "Roaming"
    monkeypatch.setenv("LOCALAPPDATA", str(local))
    monkeypatch.setenv("APPDATA", str(roaming))
    # platformdirs' Windows rules on any OS; without the Windows API they read the two folders from the environment.
    monkeypatch.setattr(platformdirs, "PlatformDirs", platformdirs.windows.Windows)
    monkeypatch.setattr(platformdirs.windows, "get_win_folder", platformdirs.windows.get_win_folder_from_env_vars)
    assert paths.home_dir() == (local / "FxK3Sync").resolve()


@pytest.mark.parametrize("kind", ["file", "inside-a-file"])
def test_an_unusable_home_is_a_config_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      kind: str) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", "utf-8")
    monkeypatch.setenv("FXK3SYNC_HOME", str(blocker if kind == "file" else blocker / "home"))
    with pytest.raises(ConfigError) as err:
        paths.db_path()
    assert err.value.field == "home" and "--home" in err.value.user_message
    assert str(blocker) in err.value.message.en
