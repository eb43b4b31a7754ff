"""Start-up speed (issue 15): a CLI command reaches its first request without importing SQLAlchemy's ORM.

The profile is read from an up-to-date SQLite store through the standard library and the clients are built before
the journal, the mappings or the exchange log exist; those load the ORM when first used, and work then.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from core.profiles import Profile, ProfileRepo
from core.secrets import MemorySecretStore
from core.store import Database

ROOT = Path(__file__).resolve().parents[2]

_CHILD = """
import sys
from core.secrets import MemorySecretStore
from core.store.database import Database
import core.cli, core.commands.check, core.commands.listing
from core.workspace import Workspace

store = MemorySecretStore()
for key in ("fx-app-secret", "fx-permanent-code", "k3-password"):
    store.set("acme", key, "s3cret")
ws = Workspace(Database(sys.argv[1]), store, "acme")
fx, k3 = ws.fx, ws.k3                   # the clients a first request goes out on
before = sorted(m for m in sys.modules if m.split(".")[0] == "sqlalchemy")
print("profile", ws.profile.k3_org, ws.profile_id, ws.secrets.fx_app_secret)
print("sqlalchemy before", len(before))
print("history", ws.history())           # the journal: now the ORM loads, and works
print("sqlalchemy after", "sqlalchemy.orm" in sys.modules)
ws.close()
"""


def _child(db_path: Path) -> list[str]:
    r = subprocess.run([sys.executable, "-c", _CHILD, str(db_path)], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    return r.stdout.splitlines()


def test_workspace_reaches_its_clients_without_the_orm(tmp_path):
    path = tmp_path / "fxk3sync.db"
    db = Database(path)
    ProfileRepo(db, MemorySecretStore()).add(Profile(
        name="acme", fx_app_id="FSAID_1", fx_open_user_id="FSUID_1", k3_url="https://erp.example.com/K3Cloud/",
        k3_acct_id="a1", k3_user="u", k3_org="200"))
    db.close()
    assert _child(path) == ["profile 200 1 s3cret", "sqlalchemy before 0", "history []", "sqlalchemy after True"]


def test_an_unknown_profile_is_refused_without_the_orm_too(tmp_path):
    path = tmp_path / "fxk3sync.db"
    Database(path).close()
    code = ("import sys\nfrom core.store.database import Database\nfrom core.profiles import ProfileRepo\n"
            "from core.secrets import MemorySecretStore\nfrom core.errors import ConfigError\n"
            "try:\n    ProfileRepo(Database(sys.argv[1]), MemorySecretStore()).get('nobody')\n"
            "except ConfigError as exc:\n    print(exc.field, exc.message.en)\n"
            "print('sqlalchemy' in sys.modules)\n")
    r = subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["name There is no profile named 'nobody'.", "False"]
