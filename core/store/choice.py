"""Where this PC keeps its store: the SQLite file in its home folder, or a company PostgreSQL database (team mode).

The choice belongs to the PC, not to a profile (profiles live inside the store), so it is a small file in the home
folder, ``store.json`` = ``{"url": "postgresql+psycopg://user@host/db"}``. The URL never carries a password: the
password goes to the OS keyring (account ``@store``, one entry per server and user), never to that file, the
store, a log or a message. ``--db`` / ``FXK3SYNC_DB`` still win over the saved choice.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core import paths
from core.errors import ConfigError, Fxk3Error, SecretStoreError, Text
from core.secrets import SecretStore
from core.store.database import POSTGRESQL, SQLITE, Database

if TYPE_CHECKING:
    from sqlalchemy.engine import URL

log = logging.getLogger("fxk3sync.store")

CHOICE_FILE = "store.json"
#: Keyring account of the store's password; its keys ("db-password:...") never clash with a profile's fixed key names.
SECRET_ACCOUNT = "@store"


@dataclass(frozen=True)
class StoreChoice:
    """This PC's store: ``url`` None is the SQLite file in the home folder; else a PostgreSQL URL without password."""

    url: str | None = None

    @property
    def shared(self) -> bool:
        return self.url is not None


def _parse(text: str) -> URL:
    """SQLAlchemy's reading of a database URL; ``ValueError`` when it is none. Imported here, not at the top: the
    start-up of a PC on its own file never parses a server URL (issue 15)."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(text)
    except ArgumentError as exc:
        raise ValueError(str(exc)) from None


def _bad(value: str, zh: str, en: str) -> ConfigError:
    return ConfigError(
        Text(f"公司数据库地址“{value}”无法使用：{zh}。", f"The company database URL '{value}' cannot be used: {en}."),
        Text("请填写 postgresql://用户名@服务器:5432/数据库名（密码填在单独的密码框里）。",
             "Enter postgresql://user@server:5432/database (the password goes in its own field)."),
        field="db_url",
    )


def server_url(text: str) -> str:
    """The PostgreSQL URL as stored (``postgresql+psycopg://user@host[:port]/db``), checked; never with a password.

    Raises:
        ConfigError: not a PostgreSQL URL, no user or database, or a password written into it (the password is
            then NOT echoed back).
    """
    value = text.strip()
    try:
        url = _parse(value)
    except ValueError:
        raise _bad(value, "格式不对", "it is not a valid URL") from None
    shown = url.render_as_string(hide_password=True)
    if url.password is not None:
        raise _bad(shown, "地址里不能写密码，请把密码填在密码框里（它只保存在系统密钥环中）",
                   "a password must not be written into the URL; enter it in the password field (it is kept only "
                   "in the system keyring)")
    if url.get_backend_name() != POSTGRESQL or url.get_driver_name() not in ("psycopg", "postgresql"):
        raise _bad(shown, "只支持 PostgreSQL", "only PostgreSQL is supported")
    if not url.username or not url.database:
        raise _bad(shown, "需要用户名和数据库名", "it needs a user name and a database name")
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


def password_key(url: str) -> str:
    """The keyring key of the password of ``url``'s user on ``url``'s server (one entry per server and user)."""
    u = _parse(url)
    return f"db-password:{u.username}@{u.host or ''}:{u.port or ''}/{u.database}"


def _choice_path(home: Path | None) -> Path:
    return (home or paths.home_dir()) / CHOICE_FILE


def load_choice(home: Path | None = None) -> StoreChoice:
    """The saved choice; the SQLite file when none was saved or the file cannot be read (logged)."""
    path = _choice_path(home)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        url = data.get("url") if isinstance(data, dict) else None
        return StoreChoice(server_url(url) if isinstance(url, str) and url.strip() else None)
    except FileNotFoundError:
        return StoreChoice()
    except (OSError, ValueError, ConfigError) as exc:
        log.warning("the saved data store choice %s cannot be used (%s); using this PC's file", path,
                    type(exc).__name__)
        return StoreChoice()


def save_choice(choice: StoreChoice, home: Path | None = None) -> None:
    """Writes the choice (atomically); the URL is checked first and never holds a password."""
    url = server_url(choice.url) if choice.url is not None else None
    path = _choice_path(home)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"url": url}, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)


def get_password(secrets: SecretStore, url: str) -> str | None:
    """The keyring's password for ``url``; None when none is stored or the keyring cannot be read (then libpq's own
    ways, PGPASSWORD or a pgpass file, still apply)."""
    try:
        return secrets.get(SECRET_ACCOUNT, password_key(url))
    except SecretStoreError as exc:
        log.warning("the data store password could not be read from the keyring: %s", exc.message.en)
        return None


def set_password(secrets: SecretStore, url: str, password: str) -> None:
    """Stores (or, when empty, removes) the password of ``url`` in the keyring."""
    if password:
        secrets.set(SECRET_ACCOUNT, password_key(url), password)
    else:
        secrets.delete(SECRET_ACCOUNT, password_key(url))


def env_override() -> str | None:
    """The store ``--db`` / ``FXK3SYNC_DB`` names, which wins over the saved choice (None when unset)."""
    return paths.db_url()


def current_target(home: Path | None = None) -> str | None:
    """The server URL this PC opens: ``--db`` / ``FXK3SYNC_DB`` first, then the saved choice; None: the file."""
    return paths.db_url() or load_choice(home).url


def open_database(secrets: SecretStore) -> Database:
    """The store this PC uses (``current_target``), with the keyring's password when its URL has none.

    Raises:
        the ``Database`` errors; when the saved choice is what failed, the advice also says how to go back to this
        PC's file (delete ``store.json``), so a company database that went away never locks the user out.
    """
    target = current_target()
    if target is None or "://" not in target:
        return Database(target)
    try:
        return _open_server(secrets, target)
    except Fxk3Error as exc:
        if env_override() is None:
            path = _choice_path(None)
            exc.advice = Text(
                f"{exc.advice.zh}这是在“连接”页“数据存储”里选择的公司数据库；"
                f"如需暂时改用本机的数据文件，请删除 {path} 后重新启动。",
                f"{exc.advice.en} This is the company database chosen under Data store on the Connections page; to "
                f"use this PC's own file instead, delete {path} and start again.")
            exc.args = (exc.user_message,)
        raise


def _open_server(secrets: SecretStore, target: str) -> Database:
    try:
        url: URL | None = _parse(target)
    except ValueError:
        url = None  # Database says what is wrong with it
    password = None
    if url is not None and url.get_backend_name() != SQLITE and url.password is None:
        password = get_password(secrets, target)
    return Database(target, password=password)
