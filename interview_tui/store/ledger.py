"""The credit ledger. Balance = the sum of its rows; one debit (and at most one refund) per session.

Plain `sqlite3` on purpose: these are the CLI's fast paths (`interview credits …`), and each write is one
`BEGIN IMMEDIATE` transaction whose correctness across processes rests on the unique indexes.
"""

from __future__ import annotations

import sqlite3

from interview_tui.domain.billing import MAX_TOPUP, LedgerKind, LedgerRow
from interview_tui.domain.errors import InvalidInput, StoreError
from interview_tui.domain.textsafe import safe_line
from interview_tui.store.db import Store

_COLUMNS = "id, amount, kind, session_id, note, created_at"
NOTE_MAX_CHARS = 200
REF_MAX_CHARS = 100


def check_topup(amount: int) -> None:
    """A top-up is a positive whole number of credits, at most `MAX_TOPUP` at once (guards against typos)."""
    if amount <= 0:
        raise InvalidInput("A top-up must be a positive number of credits.")
    if amount > MAX_TOPUP:
        raise InvalidInput(f"A single top-up is limited to {MAX_TOPUP:,} credits.")


def clean_note(note: str | None) -> str | None:
    """A note as stored: one line, no escape sequences, controls or invisible characters, at most 200 characters."""
    if note is None:
        return None
    return safe_line(note)[:NOTE_MAX_CHARS] or None


def clean_ref(ref: str | None) -> str | None:
    """A payment reference: one printable line of 1–100 characters (compared exactly, after trimming)."""
    if ref is None:
        return None
    cleaned = safe_line(ref)
    if not cleaned:
        raise InvalidInput("The reference (--ref) is empty; give the receipt or transfer id.")
    if len(cleaned) > REF_MAX_CHARS:
        raise InvalidInput(f"The reference (--ref) is limited to {REF_MAX_CHARS} characters.")
    return cleaned


class Ledger:
    def __init__(self, store: Store) -> None:
        self.store = store

    def balance(self) -> int:
        return self._integer("SELECT COALESCE(SUM(amount), 0) FROM credits_log")

    def last_id(self) -> int:
        """The newest row's id (0 when empty). Rows are only ever added, so it changes whenever the ledger does,
        whichever process wrote it; a primary-key lookup, cheap enough to poll every second."""
        return self._integer("SELECT COALESCE(MAX(id), 0) FROM credits_log")

    def _integer(self, sql: str) -> int:
        """The one value a whole-number aggregate query returns."""
        _, rows = self.store.query(sql)
        value = rows[0][0]
        if not isinstance(value, int):
            raise StoreError(f"The credit ledger holds a value that is not a whole number ({type(value).__name__}).")
        return value

    def history(self, limit: int | None = None) -> list[LedgerRow]:
        """Newest first."""
        sql = f"SELECT {_COLUMNS} FROM credits_log ORDER BY id DESC"
        params: tuple[int, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (limit,)
        return list(map(LedgerRow._make, self.store.query(sql, params)[1]))

    def deleted_sessions(self) -> set[str]:
        """Session ids the ledger names whose session was deleted (its rows stay: money history is never
        rewritten)."""
        _, rows = self.store.query(
            "SELECT DISTINCT session_id FROM credits_log WHERE session_id IS NOT NULL "
            "AND session_id NOT IN (SELECT id FROM interview_sessions)")
        return {str(r[0]) for r in rows}

    def top_up(self, amount: int, now: float, note: str | None = None) -> LedgerRow:
        """Add credits: a positive whole number, at most `MAX_TOPUP` at once (guards against typos)."""
        return self.top_up_once(amount, now, note)[0]

    def top_up_once(self, amount: int, now: float, note: str | None = None,
                    ref: str | None = None) -> tuple[LedgerRow, bool]:
        """Add credits, at most once per `ref` (a receipt or transfer id). Returns (row, added): the same ref again
        returns the first top-up and adds nothing; with a different amount it is refused. Committed with
        synchronous=FULL, so an acknowledged top-up survives a power loss."""
        check_topup(amount)
        note = clean_note(note)
        ref = clean_ref(ref)
        with self.store.transaction(durable=True) as conn:
            if ref is not None:
                existing = self.find_ref(conn, ref)
                if existing is not None:
                    if existing.amount != amount:
                        raise InvalidInput(f"The reference {ref!r} was already used for a top-up of "
                                           f"{existing.amount:,} credits (entry {existing.id}); nothing was added.")
                    return existing, False
            return self._insert(conn, amount, "topup", None, note, now, ref), True

    @staticmethod
    def find_ref(conn: sqlite3.Connection, ref: str) -> LedgerRow | None:
        row = conn.execute(f"SELECT {_COLUMNS} FROM credits_log WHERE ref = ? AND kind = 'topup'", (ref,)).fetchone()
        return LedgerRow(*row) if row else None

    def adjust(self, amount: int, now: float, note: str) -> LedgerRow:
        with self.store.transaction(durable=True) as conn:
            return self._insert(conn, amount, "adjust", None, clean_note(note), now)

    def debit_in(self, conn: sqlite3.Connection, session_id: str, amount: int, now: float,
                 note: str | None = None) -> tuple[LedgerRow, bool]:
        """Inside an open transaction: the session's debit, inserting it if absent. Returns (row, created)."""
        existing = self.find(conn, session_id, "debit")
        if existing is not None:
            return existing, False
        return self._insert(conn, -abs(amount), "debit", session_id, note, now), True

    def debit(self, session_id: str, amount: int, now: float, note: str | None = None) -> tuple[LedgerRow, bool]:
        """Idempotent: a second debit for the same session returns the first row."""
        with self.store.transaction(durable=True) as conn:
            return self.debit_in(conn, session_id, amount, now, note)

    def refund(self, session_id: str, now: float, note: str | None = None) -> tuple[LedgerRow, bool]:
        """Give a session's debit back, once. Raises `InvalidInput` if the session was never charged."""
        with self.store.transaction(durable=True) as conn:
            debit = self.find(conn, session_id, "debit")
            if debit is None:
                raise InvalidInput(f"Session {session_id} was never charged, so there is nothing to refund.")
            existing = self.find(conn, session_id, "refund")
            if existing is not None:
                return existing, False
            return self._insert(conn, -debit.amount, "refund", session_id, note, now), True

    @staticmethod
    def find(conn: sqlite3.Connection, session_id: str, kind: LedgerKind) -> LedgerRow | None:
        row = conn.execute(f"SELECT {_COLUMNS} FROM credits_log WHERE session_id = ? AND kind = ?",
                           (session_id, kind)).fetchone()
        return LedgerRow(*row) if row else None

    @staticmethod
    def _insert(conn: sqlite3.Connection, amount: int, kind: LedgerKind, session_id: str | None, note: str | None,
                now: float, ref: str | None = None) -> LedgerRow:
        cur = conn.execute(
            "INSERT INTO credits_log (amount, kind, session_id, note, created_at, ref) VALUES (?, ?, ?, ?, ?, ?)",
            (amount, kind, session_id, clean_note(note), now, ref),
        )
        return LedgerRow(int(cur.lastrowid or 0), amount, kind, session_id, note, now)
