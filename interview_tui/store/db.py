"""Opening the database: file mode 0600, pragmas, integrity checks and migrations.

The connection runs in autocommit mode; multi-statement writes use `Store.transaction()` (BEGIN IMMEDIATE), so
two processes writing at once serialise on SQLite's lock instead of interleaving.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from interview_tui.domain.errors import StoreError
from interview_tui.store.migrations import MIGRATIONS

if TYPE_CHECKING:
    import sqlite_utils

SCHEMA_VERSION = len(MIGRATIONS)
BUSY_TIMEOUT_MS = 10_000
APPLICATION_ID = 0x49545549
"""`PRAGMA application_id` of our databases ("ITUI"): marks a file as interview-tui's before anything is written."""
OUR_TABLES = frozenset({"interview_sessions", "credits_log"})
_SQLITE_MAGIC = b"SQLite format 3\x00"
_KINDS = {stat.S_IFDIR: "is a directory", stat.S_IFIFO: "is a named pipe (FIFO)", stat.S_IFCHR: "is a device",
          stat.S_IFBLK: "is a device", stat.S_IFSOCK: "is a socket"}


def _create_private_file(path: Path) -> None:
    """Create an empty database file readable only by its owner (0600), its missing folders 0700."""
    from interview_tui.paths import ensure_private_dir

    if not path.parent.exists():
        ensure_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)


def _refuse_non_regular(path: Path) -> int:
    """Stat `path` without opening it (a FIFO would block); refuse anything but a regular file. Returns its size."""
    try:
        info = path.stat()
    except OSError as err:
        raise StoreError(f"The database {path} cannot be read ({err.strerror or err}). Check the path and its "
                         "permissions.") from None
    if not stat.S_ISREG(info.st_mode):
        what = _KINDS.get(stat.S_IFMT(info.st_mode), "is not a regular file")
        raise StoreError(f"{path} {what}; --db needs the path of a database file (a new one is created if it "
                         "does not exist).")
    return info.st_size


def _check_header(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            head = fh.read(16)
    except OSError as err:
        raise StoreError(f"The database {path} cannot be read ({err.strerror}). Check its permissions.") from None
    if head and head != _SQLITE_MAGIC:
        raise StoreError(f"{path} is not an interview-tui database (or it is corrupt). It was left untouched: "
                         "move it away, or pass --db with another path.")


def _identify(path: Path) -> None:
    """Read-only look at an existing SQLite file: accept it only if it is ours (marked, or an older database of
    ours with our tables) or empty, at a schema version this build knows. Nothing is written to a refused file."""
    wal = path.with_name(path.name + "-wal")
    try:
        in_use = wal.stat().st_size > 0
    except OSError:
        in_use = False
    # Without a WAL to read, `immutable` reads the file alone: no lock, no -shm or -wal created beside it.
    uri = "file:" + quote(str(path.absolute()), safe="/") + ("?mode=ro" if in_use else "?immutable=1")
    try:
        probe = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as err:
        raise describe(err, path) from None
    try:
        app_id = probe.execute("PRAGMA application_id").fetchone()[0]
        version = probe.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in probe.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    except sqlite3.Error as err:
        raise describe(err, path) from None
    finally:
        probe.close()
    empty = not tables and version == 0 and app_id == 0
    ours = app_id == APPLICATION_ID or (app_id == 0 and version > 0 and tables >= OUR_TABLES)
    if not (empty or ours):
        raise StoreError(f"{path} is another program's database, not interview-tui's. It was left untouched: "
                         "pass --db with another path.")
    if version < 0:
        raise StoreError(f"The database {path} has an unknown schema version ({version}). It was left untouched: "
                         "move it away, or pass --db with another path.")
    if version > SCHEMA_VERSION:
        raise StoreError(f"The database {path} was written by a newer interview-tui (schema {version}; this "
                         f"version knows {SCHEMA_VERSION}). It was left untouched: upgrade interview-tui.")


def _tighten(path: Path) -> None:
    """Our database and its WAL files are private: a mode looser than 0600 found on them is tightened."""
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            mode = candidate.stat().st_mode
            if stat.S_ISREG(mode) and mode & 0o077:
                candidate.chmod(stat.S_IMODE(mode) & 0o600)


def describe(err: sqlite3.Error, path: Path) -> StoreError:
    """An SQLite error as one sentence with its fix."""
    text = str(err).lower()
    if "locked" in text or "busy" in text:
        return StoreError(f"The database {path} is locked by another program. Close other interview windows "
                          "and try again.")
    if "full" in text:
        return StoreError(f"The disk holding the database {path} is full; nothing was saved. Free some space and "
                          "try again.")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(f"The database {path} is corrupt. It was left untouched: move it away, or pass --db "
                          "with another path.")
    if "readonly" in text or "read-only" in text or "unable to open" in text or "permission" in text:
        return StoreError(f"The database {path} cannot be written. Check the file and folder permissions.")
    if "i/o" in text:
        return StoreError(f"A disk error stopped reading or writing the database {path}. Check the disk, then "
                          "try again.")
    return StoreError(f"The database {path} cannot be used ({err}).")


_describe = describe


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
        if not path.exists() and not path.is_symlink():
            try:
                _create_private_file(path)
            except FileExistsError:
                pass
            except OSError as err:
                raise StoreError(f"The database {path} cannot be created ({err.strerror or err}). Check the "
                                 "folder and its permissions.") from None
        if _refuse_non_regular(path):
            _check_header(path)
            _identify(path)
        _tighten(path)
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as err:
            raise describe(err, path) from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            if conn.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as err:
            conn.close()
            raise describe(err, path) from None
        store = cls(conn, path)
        if not 0 <= version <= SCHEMA_VERSION:  # changed by another process since it was identified
            conn.close()
            raise StoreError(f"The database {path} has a schema this version does not know ({version}). "
                             "Upgrade interview-tui.")
        if version < SCHEMA_VERSION and migrate:
            try:
                store.migrate()
            except BaseException:
                conn.close()
                raise
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
    def transaction(self, *, durable: bool = False) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT (ROLLBACK on error): the write lock is taken up front. A failed COMMIT is
        rolled back, so the connection is never left inside a transaction. SQLite errors become `StoreError`
        (constraint violations stay `sqlite3.IntegrityError` for the caller). `durable` commits with
        `synchronous=FULL` (the ledger: a top-up or charge survives a power loss, not only a crash)."""
        with self.lock:
            if durable:
                self._synchronous("FULL")
            try:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                except sqlite3.Error as err:
                    raise describe(err, self.path) from None
                try:
                    yield self.conn
                    self.conn.execute("COMMIT")
                except sqlite3.IntegrityError:
                    self._rollback()
                    raise
                except sqlite3.Error as err:
                    self._rollback()
                    raise describe(err, self.path) from None
                except BaseException:
                    self._rollback()
                    raise
            finally:
                if durable:
                    self._synchronous("NORMAL")

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute("ROLLBACK")

    def _synchronous(self, level: str) -> None:
        try:
            self.conn.execute(f"PRAGMA synchronous = {level}")
        except sqlite3.Error as err:
            raise describe(err, self.path) from None

    def query(self, sql: str, params: tuple[object, ...] = ()) -> tuple[list[str], list[tuple[object, ...]]]:
        """Run a read and return (column names, rows), holding the connection lock."""
        with self.lock:
            try:
                cur = self.conn.execute(sql, params)
                return [d[0] for d in cur.description], cur.fetchall()
            except sqlite3.Error as err:
                raise describe(err, self.path) from None

    def migrate(self, target: int = SCHEMA_VERSION) -> None:
        """Apply the missing migrations up to `target`, each in its own transaction."""
        while (current := self.schema_version) < target:
            step = MIGRATIONS[current]
            with self.transaction():
                if self.schema_version != current:  # another process migrated meanwhile
                    continue
                step(self.db)
                self.conn.execute(f"PRAGMA user_version = {current + 1}")
