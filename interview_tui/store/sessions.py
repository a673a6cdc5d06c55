"""The `interview_sessions` table: rows in, `SessionRecord`s out; status changes are checked transactions."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from interview_tui.domain.errors import InvalidInput, NotFound, SessionConflict, StoreError
from interview_tui.domain.lifecycle import TERMINAL, Status, check_transition
from interview_tui.domain.models import InterviewPlan, Report, SessionRecord, Transcript, Turn
from interview_tui.domain.textsafe import safe_line
from interview_tui.store.db import Store

log = logging.getLogger(__name__)

ID_MIN_PREFIX = 4
ID_MAX_CHARS = 64
_ID_CHARS = re.compile(r"[A-Za-z0-9_-]+")

TABLE = "interview_sessions"
_JSON_LIST_COLUMNS = ("conversation_ids", "live_transcript", "voice_stops")
_TERMINAL_VALUES = tuple(s.value for s in TERMINAL)


def _decode(row: dict[str, Any]) -> SessionRecord:
    """A row as a record, or `DamagedRow` naming the column that cannot be read."""
    data = dict(row)
    column = "status"
    try:
        for column, model in (("plan", InterviewPlan), ("report", Report), ("transcript", Transcript)):
            data[column] = model.model_validate_json(data[column]) if data.get(column) else None
        for column in _JSON_LIST_COLUMNS:
            data[column] = json.loads(data[column] or "[]")
        column = "record"
        data["charged"] = bool(data.get("charged"))
        return SessionRecord.model_validate(data)
    except (ValueError, TypeError) as err:  # pydantic's ValidationError and JSONDecodeError are ValueErrors
        raise DamagedRow(str(row.get("id")), column, err) from None


class DamagedRow(StoreError):
    """A session row that cannot be read (invalid JSON, an unknown status…): reported, never fatal to a list."""

    def __init__(self, session_id: str, column: str, err: Exception) -> None:
        errors = getattr(err, "errors", None)
        if callable(errors) and errors():
            first = errors()[0]
            where = ".".join(str(p) for p in first.get("loc", ())) or column
            reason = f"{where}: {first.get('msg', 'invalid')}"
        else:
            reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        self.session_id = safe_line(session_id)[:64]
        super().__init__(f"Session {self.session_id} cannot be read ({column}: {safe_line(reason)[:160]}). It was "
                         "left as it is; the other sessions are unaffected.")


def encode(value: Any) -> Any:
    """Pydantic models become JSON text; lists become JSON arrays; everything else is stored as is."""
    if hasattr(value, "model_dump_json"):
        return value.model_dump_json()
    if isinstance(value, list):
        return json.dumps([v.model_dump(mode="json") if hasattr(v, "model_dump") else v for v in value])
    return value


class SessionRepo:
    def __init__(self, store: Store) -> None:
        self.store = store

    def _select(self, where: str = "", params: tuple[Any, ...] = (), suffix: str = "", *,
                strict: bool = False) -> list[SessionRecord]:
        """Matching rows as records. A damaged row is skipped with a warning naming it (or raised, if `strict`)."""
        names, rows = self.store.query(f"SELECT * FROM {TABLE} {where} {suffix}", params)
        records = []
        for row in rows:
            try:
                records.append(_decode(dict(zip(names, row, strict=True))))
            except DamagedRow as err:
                if strict:
                    raise
                log.warning("skipped session %s: %s", err.session_id, err)
        return records

    def insert(self, session_id: str, jd_text: str, jd_sha: str, now: float) -> SessionRecord:
        try:
            with self.store.lock:
                self.store.db.table(TABLE).insert({
                    "id": session_id, "status": Status.CREATED.value, "jd_text": jd_text, "jd_sha256": jd_sha,
                    "charged": 0, "conversation_ids": "[]", "live_transcript": "[]",
                    "created_at": now, "updated_at": now,
                })
        except sqlite3.IntegrityError:
            other = self.unfinished()
            raise SessionConflict("Another interview is unfinished. Resume it or discard it first.",
                                  other.id if other else "") from None
        return self.get(session_id)

    def get(self, session_id: str) -> SessionRecord:
        rows = self._select("WHERE id = ?", (session_id,), strict=True)
        if not rows:
            raise NotFound(f"There is no session {session_id!r}. `interview sessions list` shows them.")
        return rows[0]

    def resolve(self, prefix: str) -> SessionRecord:
        """A session by its id or a unique prefix of it (at least `ID_MIN_PREFIX` characters)."""
        text = prefix.strip()
        if not text:
            raise InvalidInput("Give a session id; `interview sessions list` shows them.")
        if len(text) > ID_MAX_CHARS:
            raise InvalidInput(f"A session id has at most {ID_MAX_CHARS} characters; that one has {len(text):,}.")
        if not _ID_CHARS.fullmatch(text):
            raise NotFound(f"There is no session {safe_line(text)[:40]!r}: ids are letters, digits, - and _. "
                           "`interview sessions list` shows them.")
        exact = self._select("WHERE id = ?", (text,), strict=True)
        if exact:
            return exact[0]
        if len(text) < ID_MIN_PREFIX:
            raise InvalidInput(f"Session ids need at least {ID_MIN_PREFIX} characters to match ({text!r} has "
                               f"{len(text)}); `interview sessions list` shows them.")
        escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        _, rows = self.store.query(f"SELECT id FROM {TABLE} WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 11",
                                   (escaped + "%",))
        ids = [str(row[0]) for row in rows]
        if len(ids) > 1:
            shown = ", ".join(safe_line(i)[:ID_MAX_CHARS] for i in ids[:10]) + (", …" if len(ids) > 10 else "")
            raise InvalidInput(f"{text!r} is ambiguous: it matches {shown}. Give more characters.")
        return self.get(ids[0] if ids else text)

    def recent(self, limit: int | None = None) -> list[SessionRecord]:
        """All sessions, newest first (the newest `limit` of them, if given)."""
        suffix = "ORDER BY created_at DESC, id" + (f" LIMIT {int(limit)}" if limit else "")
        return self._select(suffix=suffix)

    def unfinished(self) -> SessionRecord | None:
        placeholders = ", ".join("?" for _ in _TERMINAL_VALUES)
        rows = self._select(f"WHERE status NOT IN ({placeholders})", _TERMINAL_VALUES, "LIMIT 1")
        return rows[0] if rows else None

    def with_status(self, status: Status) -> list[SessionRecord]:
        return self._select("WHERE status = ?", (status.value,))

    def earlier_attempts_at_jd(self, record: SessionRecord) -> int:
        """How many other sessions with the same JD (same cleaned text) went live before `record` was created: the
        attempt number a retry is planned with (one discarded before it went live was no attempt)."""
        _, rows = self.store.query(f"SELECT COUNT(*) FROM {TABLE} WHERE jd_sha256 = ? AND id != ? "
                                   "AND started_at IS NOT NULL AND created_at <= ?",
                                   (record.jd_sha256, record.id, record.created_at))
        count = rows[0][0]
        return count if isinstance(count, int) else 0

    def created_before(self, when: float) -> list[SessionRecord]:
        return self._select("WHERE created_at < ?", (when,), "ORDER BY created_at")

    def delete(self, session_ids: list[str], refuse: Callable[[SessionRecord], str | None]) -> int:
        """Delete sessions' rows (plan, transcripts and report go with them) in one transaction, unless `refuse`
        returns a reason for one of them (checked on the rows as they are inside the transaction), which is then
        raised as `SessionConflict` and nothing is deleted. Returns how many rows were deleted.

        The ledger is not touched: its rows keep the session id, which then names a deleted session."""
        with self.store.transaction() as conn:
            deleted = 0
            for sid in session_ids:
                cur = conn.execute(f"SELECT * FROM {TABLE} WHERE id = ?", (sid,))
                row = cur.fetchone()
                if row is None:
                    continue
                record = _decode(dict(zip([d[0] for d in cur.description], row, strict=True)))
                reason = refuse(record)
                if reason:
                    raise SessionConflict(reason, sid)
                deleted += conn.execute(f"DELETE FROM {TABLE} WHERE id = ?", (sid,)).rowcount
            return deleted

    # ------------------------------------------------------------------------------------------ writes

    def current_status(self, conn: sqlite3.Connection, session_id: str) -> Status:
        row = conn.execute(f"SELECT status FROM {TABLE} WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            raise NotFound(f"There is no session {session_id!r}.")
        try:
            return Status(row[0])
        except ValueError:
            raise StoreError(f"Session {session_id} has an unknown status {safe_line(str(row[0]))[:40]!r} (written "
                             "by a newer interview-tui?); it was left as it is.") from None

    def update_in(self, conn: sqlite3.Connection, session_id: str, now: float, **fields: Any) -> None:
        """Inside an open transaction: set columns (models/lists encoded to JSON) and `updated_at`."""
        fields["updated_at"] = now
        assignments = ", ".join(f"{name} = ?" for name in fields)
        conn.execute(f"UPDATE {TABLE} SET {assignments} WHERE id = ?",
                     (*(encode(v) for v in fields.values()), session_id))

    def transition(self, session_id: str, target: Status, now: float, *,
                   allowed_from: frozenset[Status] | None = None, **fields: Any) -> SessionRecord:
        """Move to `target` if the lifecycle (and `allowed_from`, when given) allows it, setting `fields`."""
        with self.store.transaction() as conn:
            current = self.current_status(conn, session_id)
            if allowed_from is not None and current not in allowed_from and current != target:
                check_transition(current, current)  # raises with the standard message
            check_transition(current, target)
            self.update_in(conn, session_id, now, status=target.value, **fields)
        return self.get(session_id)

    def update(self, session_id: str, now: float, **fields: Any) -> None:
        with self.store.transaction() as conn:
            self.current_status(conn, session_id)
            self.update_in(conn, session_id, now, **fields)

    def append_json(self, session_id: str, column: str, item: Any, now: float, *, unique: bool = False) -> None:
        """Append one item to a JSON list column (live transcript, conversation ids) in one transaction."""
        if column not in _JSON_LIST_COLUMNS:
            raise ValueError(column)
        value = item.model_dump(mode="json") if isinstance(item, BaseModel) else item

        def add(items: list[Any]) -> bool:
            if unique and value in items:
                return False
            items.append(value)
            return True

        self._edit_list(session_id, column, now, add)

    def append_turn(self, session_id: str, turn: Turn, now: float) -> None:
        """Add a turn to the live transcript. An agent correction (interrupted, same `t` and conversation as the
        last agent turn) replaces that turn instead of adding a second version of it."""
        value = turn.model_dump(mode="json")

        def add(items: list[Any]) -> bool:
            if turn.role == "agent" and turn.interrupted:
                last = next((i for i in range(len(items) - 1, -1, -1) if items[i]["role"] == "agent"), None)
                if last is not None and (items[last]["t"], items[last].get("conversation_id")) == \
                        (turn.t, turn.conversation_id):
                    items[last] = value
                    return True
            items.append(value)
            return True

        self._edit_list(session_id, "live_transcript", now, add)

    def _edit_list(self, session_id: str, column: str, now: float, edit: Callable[[list[Any]], bool]) -> None:
        """Read a JSON list column, let `edit` change it in place, write it back if it says it changed."""
        with self.store.transaction() as conn:
            row = conn.execute(f"SELECT {column} FROM {TABLE} WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise NotFound(f"There is no session {session_id!r}.")
            items = json.loads(row[0] or "[]")
            if edit(items):
                conn.execute(f"UPDATE {TABLE} SET {column} = ?, updated_at = ? WHERE id = ?",
                             (json.dumps(items), now, session_id))
