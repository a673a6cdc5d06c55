"""Opening the database: file mode 0600, pragmas, integrity checks and migrations.

The connection runs in autocommit mode; multi-statement writes use `Store.transaction()` (BEGIN IMMEDIATE), so
two processes writing at once serialise on SQLite's lock instead of interleaving.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from interview_tui.domain.errors import StoreError
from interview_tui.store.migrations import MIGRATIONS

if TYPE_CHECKING:
    import sqlite_utils

SCHEMA_VERSION = len(MIGRATIONS)
BUSY_TIMEOUT_MS = 10_000
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _create_private_file(path: Path) -> None:
    """Create an empty database file readable only by its owner (0600), before SQLite opens it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as err:
        raise StoreError(f"The database {path} cannot be read ({err.strerror}). Check its permissions.") from None
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{path} is not an interview-tui database (or it is corrupt). It was left untouched: "
                         "move it away, or pass --db with another path.")


def _describe(err: sqlite3.Error, path: Path) -> StoreError:
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        return StoreError(f"The database {path} is locked by another program. Close other interview windows "
                          "and try again.")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(f"The database {path} is corrupt. It was left untouched: move it away, or pass --db "
                          "with another path.")
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StoreError(f"The database {path} cannot be written. Check the file and folder permissions.")
    return StoreError(f"The database {path} cannot be used: {err}.")


class Store:
    """One open database. Repositories (`sessions`, `ledger`) share its connection."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._db: sqlite_utils.Database | None = None
        self.lock = threading.RLock()
        """Serialises use of the one connection across threads (UI thread, workers)."""

    # ---------------------------------------------------------------------------------------- opening

    @classmethod
    def open(cls, path: Path | str, *, migrate: bool = True) -> Store:
        """Open (creating with mode 0600 if missing) and bring the schema up to date."""
        path = Path(path)
        if path.is_dir():
            raise StoreError(f"{path} is a directory; --db needs a file path.")
        if not path.exists():
            try:
                _create_private_file(path)
            except FileExistsError:
                pass
            except OSError as err:
                raise StoreError(f"The database {path} cannot be created ({err.strerror}).") from None
        _check_header(path)
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as err:
            raise _describe(err, path) from None
        store = cls(conn, path)
        if version > SCHEMA_VERSION:
            conn.close()
            raise StoreError(f"The database {path} was written by a newer interview-tui (schema {version}; this "
                             f"version knows {SCHEMA_VERSION}). Upgrade interview-tui.")
        if version < SCHEMA_VERSION and migrate:
            store.migrate()
        return store

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def db(self) -> sqlite_utils.Database:
        """A sqlite-utils view of the same connection (imported lazily: the ledger's fast path avoids it)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    @property
    def schema_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # ------------------------------------------------------------------------------------ transactions

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error): the write lock is taken up front."""
        with self.lock:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as err:
                raise _describe(err, self.path) from None
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")

    def query(self, sql: str, params: tuple[object, ...] = ()) -> tuple[list[str], list[tuple[object, ...]]]:
        """Run a read and return (column names, rows), holding the connection lock."""
        with self.lock:
            cur = self.conn.execute(sql, params)
            return [d[0] for d in cur.description], cur.fetchall()

    def migrate(self, target: int = SCHEMA_VERSION) -> None:
        """Apply the missing migrations up to `target`, each in its own transaction."""
        while (current := self.schema_version) < target:
            step = MIGRATIONS[current]
            with self.transaction():
                if self.schema_version != current:  # another process migrated meanwhile
                    continue
                step(self.db)
                self.conn.execute(f"PRAGMA user_version = {current + 1}")
