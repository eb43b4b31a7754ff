"""Writes fxk3sync-v1.sqlite: a schema-version-1 database (as FxK3 Sync 0.0 wrote it) for the migration test."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

V1_SCHEMA = """
CREATE TABLE profiles (
	id INTEGER NOT NULL, name VARCHAR(64) NOT NULL, settings_json TEXT NOT NULL,
	created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,
	PRIMARY KEY (id), UNIQUE (name)
);
CREATE TABLE exchanges (
	id INTEGER NOT NULL, at DATETIME NOT NULL, side VARCHAR(16) NOT NULL, method VARCHAR(8) NOT NULL,
	endpoint VARCHAR(255) NOT NULL, url TEXT NOT NULL, status INTEGER, code VARCHAR(64), trace_id VARCHAR(128),
	elapsed_ms FLOAT NOT NULL, request_text TEXT, response_text TEXT, error_text TEXT, run_id INTEGER,
	PRIMARY KEY (id)
);
CREATE INDEX ix_exchanges_side ON exchanges (side);
CREATE INDEX ix_exchanges_at ON exchanges (at);
CREATE TABLE mappings (
	id INTEGER NOT NULL, profile_id INTEGER NOT NULL, flow VARCHAR(16) NOT NULL, version INTEGER NOT NULL,
	body_json TEXT NOT NULL, created_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_mappings_profile_flow_version UNIQUE (profile_id, flow, version),
	FOREIGN KEY(profile_id) REFERENCES profiles (id) ON DELETE CASCADE
);
CREATE TABLE links (
	id INTEGER NOT NULL, profile_id INTEGER NOT NULL, object VARCHAR(64) NOT NULL, source_id VARCHAR(64) NOT NULL,
	k3_form VARCHAR(64) NOT NULL, k3_id VARCHAR(64), k3_number VARCHAR(128), state VARCHAR(16) NOT NULL,
	synced_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	CONSTRAINT uq_links_profile_object_source UNIQUE (profile_id, object, source_id),
	FOREIGN KEY(profile_id) REFERENCES profiles (id) ON DELETE CASCADE
);
CREATE TABLE sync_runs (
	id INTEGER NOT NULL, profile_id INTEGER NOT NULL, flow VARCHAR(16) NOT NULL, started_at DATETIME NOT NULL,
	finished_at DATETIME, status VARCHAR(16) NOT NULL, dry_run BOOLEAN NOT NULL, counts_json TEXT NOT NULL,
	host VARCHAR(255), pid INTEGER,
	PRIMARY KEY (id),
	FOREIGN KEY(profile_id) REFERENCES profiles (id) ON DELETE CASCADE
);
CREATE TABLE watermarks (
	profile_id INTEGER NOT NULL, name VARCHAR(64) NOT NULL, value TEXT NOT NULL, updated_at DATETIME NOT NULL,
	PRIMARY KEY (profile_id, name),
	FOREIGN KEY(profile_id) REFERENCES profiles (id) ON DELETE CASCADE
);
CREATE TABLE operator_cache (
	profile_id INTEGER NOT NULL, "key" VARCHAR(64) NOT NULL, open_user_id VARCHAR(128) NOT NULL,
	updated_at DATETIME NOT NULL,
	PRIMARY KEY (profile_id, "key"),
	FOREIGN KEY(profile_id) REFERENCES profiles (id) ON DELETE CASCADE
);
CREATE TABLE sync_items (
	id INTEGER NOT NULL, run_id INTEGER NOT NULL, profile_id INTEGER NOT NULL, flow VARCHAR(16) NOT NULL,
	source_id VARCHAR(64) NOT NULL, idem_key VARCHAR(128) NOT NULL, state VARCHAR(16) NOT NULL,
	attempts INTEGER NOT NULL, k3_id VARCHAR(64), k3_number VARCHAR(128), error_json TEXT,
	created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL,
	PRIMARY KEY (id),
	FOREIGN KEY(run_id) REFERENCES sync_runs (id) ON DELETE CASCADE,
	FOREIGN KEY(profile_id) REFERENCES profiles (id) ON DELETE CASCADE
);
CREATE INDEX ix_sync_items_profile_flow_idem ON sync_items (profile_id, flow, idem_key);
"""

SETTINGS = {
    "fx_url": "https://open.fxiaoke.com", "fx_app_id": "FSAID_v1", "fx_open_user_id": "FSUID_V1",
    "fx_admin_mobile": None,
    "k3_url": "https://erp.example.com/K3Cloud/", "k3_acct_id": "5f0c", "k3_user": "admin", "k3_lcid": 2052,
    "k3_auth": "password", "k3_app_id": None, "k3_org": "100", "ca_bundle": None, "connect_timeout": 10.0,
    "read_timeout": 60.0, "batch_size": 50, "submit": True, "audit": True, "writeback": True, "demo": False,
}
T = "2026-10-01 08:00:00.000000"


def main(target: Path) -> None:
    target.unlink(missing_ok=True)
    conn = sqlite3.connect(target)
    conn.executescript(V1_SCHEMA)
    conn.execute("INSERT INTO profiles VALUES (1, '华东公司-正式', ?, ?, ?)", (json.dumps(SETTINGS), T, T))
    conn.execute("INSERT INTO links VALUES (1, 1, 'AccountObj', 'acc-1', 'BD_Customer', '100001', 'CUST0001', "
                 "'audited', ?)", (T,))
    conn.execute("INSERT INTO sync_runs VALUES (1, 1, 'customers', ?, ?, 'done', 0, '{\"created\": 1}', 'pc-1', 42)",
                 (T, T))
    conn.execute("INSERT INTO sync_items VALUES (1, 1, 1, 'customers', 'acc-1', 'CUST0001', 'audited', 1, '100001', "
                 "'CUST0001', NULL, ?, ?)", (T, T))
    conn.execute("INSERT INTO exchanges VALUES (1, ?, 'k3cloud', 'POST', 'Save', 'https://erp.example.com/K3Cloud/x', "
                 "200, '0', NULL, 182.5, '{}', '{}', NULL, 1)", (T,))
    conn.execute("INSERT INTO watermarks VALUES (1, 'deliveries', '2026-09-30T00:00:00', ?)", (T,))
    conn.execute("INSERT INTO operator_cache VALUES (1, '13800000000', 'FSUID_V1', ?)", (T,))
    conn.execute("PRAGMA user_version=1")
    conn.commit()
    conn.execute("VACUUM")
    conn.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("fxk3sync-v1.sqlite"))
