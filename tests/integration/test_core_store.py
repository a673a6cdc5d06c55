"""Opening, migrating and protecting the database file."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from interview_tui.bootstrap import make_service
from interview_tui.domain.errors import SessionConflict, StoreError
from interview_tui.domain.lifecycle import Status
from interview_tui.store.db import SCHEMA_VERSION, Store


def test_new_database_is_private_and_configured(db_path: Path) -> None:
    store = Store.open(db_path)
    assert os.stat(db_path).st_mode & 0o777 == 0o600
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert store.schema_version == SCHEMA_VERSION
    store.close()


def test_v1_database_upgrades_in_place_and_keeps_its_data(db_path: Path, sample_jd: str) -> None:
    old = Store.open(db_path, migrate=False)
    old.migrate(target=1)
    assert old.schema_version == 1
    old.conn.execute("INSERT INTO credits_log (amount, kind, note, created_at) VALUES (50, 'topup', 'v1', 1.0)")
    old.conn.execute(
        "INSERT INTO interview_sessions (id, status, jd_text, jd_sha256, created_at, updated_at) "
        "VALUES ('old1', 'complete', 'an old jd', 'h', 1.0, 2.0)")
    old.close()

    store = Store.open(db_path)
    assert store.schema_version == SCHEMA_VERSION
    svc = make_service(store)
    assert svc.balance() == 50
    old_session = svc.get("old1")
    assert old_session.status is Status.COMPLETE and old_session.owner is None
    # the v2 guarantee now holds on the upgraded file
    svc.create(sample_jd)
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("INSERT INTO interview_sessions (id, status, jd_text, jd_sha256, created_at, updated_at)"
                           " VALUES ('x', 'created', 'jd', 'h', 1, 1)")
    with pytest.raises(SessionConflict):
        svc.create(sample_jd)
    store.close()


def test_corrupt_file_is_refused_and_left_untouched(db_path: Path) -> None:
    garbage = b"this is not a database\n" * 100
    db_path.write_bytes(garbage)
    with pytest.raises(StoreError, match="not an interview-tui database"):
        Store.open(db_path)
    assert db_path.read_bytes() == garbage


def test_newer_schema_is_refused(db_path: Path) -> None:
    store = Store.open(db_path)
    store.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    store.close()
    with pytest.raises(StoreError, match="newer interview-tui"):
        Store.open(db_path)


def test_directory_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="directory"):
        Store.open(tmp_path)


def test_locked_database_gives_a_clear_error(db_path: Path) -> None:
    store = Store.open(db_path)
    store.conn.execute("PRAGMA busy_timeout = 50")
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="locked"), store.transaction():
            pass
    finally:
        other.execute("ROLLBACK")
        other.close()
        store.close()
