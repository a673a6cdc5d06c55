"""Making deleted rows unrecoverable from the database file itself, not just unlinked from the schema.

`DELETE` alone leaves the old bytes in free pages, in the free space of pages still in use (earlier versions of
rows that were updated many times, such as a live transcript), and in the write-ahead log. `scrub` turns on
`secure_delete` (freed content is overwritten with zeros from now on), rebuilds the file with `VACUUM` (only live
rows are copied; every page of the smaller file is rewritten), then checkpoints the WAL into the file and
truncates the WAL to zero bytes.
"""

from __future__ import annotations

import logging
import sqlite3
import time

from interview_tui.store.db import Store

log = logging.getLogger(__name__)


def scrub(store: Store, *, wait_s: float = 3.0) -> bool:
    """Rewrite the database file without free space, and empty its WAL.

    Returns False when another connection (another interview window) kept the WAL from being emptied within
    `wait_s`: the rows are gone from the database, but old copies may stay in the WAL until that window closes.
    """
    with store.lock:
        conn = store.conn
        conn.execute("PRAGMA secure_delete = ON")
        deadline = time.monotonic() + wait_s
        while True:
            try:
                conn.execute("VACUUM")
                busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            except sqlite3.OperationalError as err:
                if "locked" not in str(err).lower() and "busy" not in str(err).lower():
                    raise
                busy = 1
            if not busy:
                return True
            if time.monotonic() >= deadline:
                log.warning("another connection kept the WAL from being truncated after a delete")
                return False
            time.sleep(0.1)
