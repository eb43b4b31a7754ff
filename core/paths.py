"""The one place that knows where FxK3 Sync keeps its files (database, logs, mappings, exports)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from core.errors import ConfigError, Text

APP_NAME = "FxK3Sync"
HOME_ENV = "FXK3SYNC_HOME"
DB_ENV = "FXK3SYNC_DB"


def _ensure(path: Path) -> Path:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why = (Text("这是一个文件，不是文件夹", "it is a file, not a folder") if path.is_file()
               else Text(exc.strerror or type(exc).__name__, exc.strerror or type(exc).__name__))
        raise ConfigError(
            Text(f"无法使用数据文件夹 {path}：{why.zh}。", f"The data folder {path} cannot be used: {why.en}."),
            Text("请用 --home 或环境变量 FXK3SYNC_HOME 指定一个可写的文件夹。",
                 "Choose a writable folder with --home or the FXK3SYNC_HOME environment variable."),
            field="home",
        ) from exc
    return path


def home_dir() -> Path:
    """The data folder: ``$FXK3SYNC_HOME`` (read at call time, set by ``--home``) else the local user data dir."""
    env = os.environ.get(HOME_ENV, "").strip()
    if env:
        base = Path(env).expanduser()
    else:
        # roaming=False: on Windows the database belongs in %LOCALAPPDATA%, never in a roaming profile.
        base = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))
    return _ensure(base.resolve())


def db_path() -> Path:
    """The SQLite database file."""
    return home_dir() / "fxk3sync.db"


def db_url() -> str | None:
    """The shared store's SQLAlchemy URL: ``$FXK3SYNC_DB`` (read at call time, set by ``--db``); None: the file."""
    return os.environ.get(DB_ENV, "").strip() or None


def log_dir() -> Path:
    """Folder for rotating log files."""
    return _ensure(home_dir() / "logs")


def mappings_dir() -> Path:
    """Folder for user-edited mapping files."""
    return _ensure(home_dir() / "mappings")


def exports_dir() -> Path:
    """Default folder for exported logs and profiles."""
    return _ensure(home_dir() / "exports")
