"""`SessionService`: the one place the session lifecycle and the billing rules are carried out
(docs/ARCHITECTURE.md §2–3).

The TUI and the CLI call this; it calls the store and the providers. Every step checks the lifecycle in a
database transaction, so a step asked for twice, or from two processes, cannot happen twice.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import TYPE_CHECKING

from interview_tui.domain import billing
from interview_tui.domain.billing import LedgerRow
from interview_tui.domain.clock import Clock, SystemClock
from interview_tui.domain.errors import (
    IllegalTransition,
    InsufficientCredits,
    LiveElsewhere,
    ProviderError,
    SessionConflict,
)
from interview_tui.domain.jd import jd_sha256, validate_jd
from interview_tui.domain.lifecycle import Status, check_transition
from interview_tui.domain.models import SessionRecord, Transcript, Turn, VoiceStop
from interview_tui.store.ledger import Ledger
from interview_tui.store.sessions import SessionRepo

if TYPE_CHECKING:
    from interview_tui.providers.base import Analyzer, Planner
    from interview_tui.store.db import Store

log = logging.getLogger(__name__)

STALE_HEARTBEAT_S = 3 * billing.HEARTBEAT_EVERY_S
"""An `active` session whose heartbeat is older than this (and whose process is gone) is recovered."""



LIVE_ELSEWHERE = ("This interview is live in another window. Finish it there; if that window is gone, it can be "
                  "continued or ended here once its heartbeat stops (within about 15 seconds).")
STARTING_ELSEWHERE = "This interview is being started in another window. Use that window, or close it first."


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def owner_alive(owner: str | None, last_seen: float | None, now: float, me: str) -> bool:
    """Whether the holder `owner` ("host:pid[:token]") of a session still runs it.

    Same host: a process that no longer exists is dead at once. The same pid with another token (a second app in
    this process, or a dead process whose pid was reused) and other hosts are judged by their heartbeat.
    """
    if not owner:
        return False
    if owner == me:
        return True
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    fresh = last_seen is not None and now - last_seen < STALE_HEARTBEAT_S
    if host != socket.gethostname() or not pid.isdigit():
        return fresh
    if int(pid) == os.getpid():
        return fresh and ":" in rest  # a token-less owner with our pid is an earlier process: dead
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OverflowError:
        return False
    return True


class SessionService:
    def __init__(self, store: Store, *, planner: Planner | None = None, analyzer: Analyzer | None = None,
                 clock: Clock | None = None) -> None:
        self.store = store
        self.sessions = SessionRepo(store)
        self.ledger = Ledger(store)
        self.planner = planner
        self.analyzer = analyzer
        self.clock: Clock = clock or SystemClock()
        self.owner = f"{this_process()}:{uuid.uuid4().hex[:8]}"
        """Who this service is when it claims a live session: host, pid and a token (two apps in one process
        are two owners)."""

    # -------------------------------------------------------------------------------------- credits

    def balance(self) -> int:
        return self.ledger.balance()

    def top_up(self, amount: int, note: str | None = None) -> LedgerRow:
        return self.ledger.top_up(amount, self.clock.now(), note)

    def ledger_version(self) -> int:
        """Changes whenever the ledger does (a top-up from another terminal included)."""
        return self.ledger.last_id()

    def ledger_history(self, limit: int | None = None) -> list[LedgerRow]:
        return self.ledger.history(limit)

    # ------------------------------------------------------------------------------------- sessions

    def get(self, session_id: str) -> SessionRecord:
        return self.sessions.get(session_id)

    def resolve(self, id_or_prefix: str) -> SessionRecord:
        return self.sessions.resolve(id_or_prefix)

    def list_sessions(self, limit: int | None = None) -> list[SessionRecord]:
        return self.sessions.recent(limit)

    def unfinished(self) -> SessionRecord | None:
        return self.sessions.unfinished()

    def create(self, jd_text: str) -> SessionRecord:
        """Validate the JD and open a session, if the balance allows and no other session is unfinished."""
        jd = validate_jd(jd_text)
        other = self.sessions.unfinished()
        if other is not None:
            raise SessionConflict("Another interview is unfinished. Resume it or discard it first.", other.id)
        balance = self.balance()
        if balance < billing.SESSION_COST:
            raise InsufficientCredits(
                f"A session costs {billing.SESSION_COST} credits and the balance is {balance}. Top up with "
                f"`interview credits add {billing.SESSION_COST - balance}`.")
        return self.sessions.insert(uuid.uuid4().hex[:12], jd, jd_sha256(jd), self.clock.now())

    def run_setup(self, session_id: str) -> SessionRecord:
        """Plan the interview from the JD: → setup → ready, or → failed with the error stored."""
        if self.planner is None:
            raise RuntimeError("SessionService has no planner")
        record = self.sessions.get(session_id)
        if record.went_live:
            raise IllegalTransition("This interview has already gone live; its plan cannot change.")
        self.sessions.transition(session_id, Status.SETUP, self.clock.now(), error=None)
        attempt = self.sessions.earlier_attempts_at_jd(record)
        try:
            plan = self.planner.plan(record.jd_text, attempt=attempt)
        except ProviderError as err:
            self.fail(session_id, str(err))
            raise
        except Exception as err:  # a bug in a provider must still leave the session retryable
            log.exception("planner crashed")
            self.fail(session_id, f"Planning failed unexpectedly ({type(err).__name__}). Try again.")
            raise ProviderError(f"Planning failed unexpectedly ({type(err).__name__}). Try again.") from err
        return self.sessions.transition(session_id, Status.READY, self.clock.now(), plan=plan,
                                        planner=self.planner.name)

    def held_elsewhere(self, record: SessionRecord) -> bool:
        """Whether another live process holds `record` (claimed while ready, or running it while active)."""
        if record.status not in (Status.READY, Status.ACTIVE) or not record.owner or record.owner == self.owner:
            return False
        seen = record.last_heartbeat_at if record.last_heartbeat_at is not None else record.updated_at
        return owner_alive(record.owner, seen, self.clock.now(), self.owner)

    def claim(self, session_id: str) -> SessionRecord:
        """Make this process the only one that may take `session_id` live (it stays `ready` until mic on).

        Checked and written in one transaction (BEGIN IMMEDIATE), so of two windows pressing Begin at once
        exactly one wins; the other gets `LiveElsewhere` before it has touched anything.
        """
        record = self.sessions.get(session_id)
        if record.status is Status.ACTIVE and not record.interrupted and not self.held_elsewhere(record) \
                and record.owner != self.owner:
            # its process died and nobody recovered it yet: pause it at its last heartbeat first
            self.interrupt(session_id, at=record.last_heartbeat_at or record.started_at, recovering=True)
        now = self.clock.now()
        with self.store.transaction() as conn:
            record = self._locked_record(conn, session_id)
            self._check_claimable(record, now)
            self.sessions.update_in(conn, session_id, now, owner=self.owner, last_heartbeat_at=now)
        return self.sessions.get(session_id)

    def release(self, session_id: str) -> None:
        """Give up a claim on a session that did not go live (it stays `ready` for anyone)."""
        now = self.clock.now()
        with self.store.transaction() as conn:
            conn.execute("UPDATE interview_sessions SET owner = NULL, last_heartbeat_at = NULL, updated_at = ? "
                         "WHERE id = ? AND status = 'ready' AND owner = ?", (now, session_id, self.owner))
            conn.execute("UPDATE interview_sessions SET owner = NULL, updated_at = ? "  # an interrupted one stays so
                         "WHERE id = ? AND status = 'active' AND ended_at IS NOT NULL AND owner = ?",
                         (now, session_id, self.owner))

    def _locked_record(self, conn: object, session_id: str) -> SessionRecord:
        return self.sessions.get(session_id)  # the open BEGIN IMMEDIATE holds the write lock: nobody moves it

    def _check_claimable(self, record: SessionRecord, now: float) -> None:
        if record.status is Status.ACTIVE:
            if record.owner == self.owner or record.interrupted:
                return
            raise LiveElsewhere(LIVE_ELSEWHERE)
        if record.status is not Status.READY:
            raise IllegalTransition(f"A session that is {record.status.value} cannot go live.")
        if record.plan is None:
            raise IllegalTransition("This session has no interview plan yet.")
        if self.held_elsewhere(record):
            raise LiveElsewhere(STARTING_ELSEWHERE)

    def start_active(self, session_id: str, *, voice: str, mic_on_at: float | None = None) -> SessionRecord:
        """Mic on: the live session starts now (or at `mic_on_at`), owned by this process.

        Refused with `LiveElsewhere` when another live process has claimed or is running the session.
        """
        now = self.clock.now()
        started = mic_on_at if mic_on_at is not None else now
        with self.store.transaction() as conn:
            record = self._locked_record(conn, session_id)
            if record.status is Status.ACTIVE and record.owner == self.owner and record.ended_at is not None:
                # Continuing an interrupted interview: the clock resumes where it stopped (the pause is free).
                assert record.started_at is not None
                before = record.ended_at - record.started_at
                self.sessions.update_in(conn, session_id, now, voice=voice, started_at=started - before,
                                        ended_at=None, last_heartbeat_at=now)
                return self.sessions.get(session_id)
            if record.status is Status.ACTIVE and record.owner != self.owner:
                raise LiveElsewhere(LIVE_ELSEWHERE)
            self._check_claimable(record, now)
            check_transition(record.status, Status.ACTIVE)
            self.sessions.update_in(conn, session_id, now, status=Status.ACTIVE.value, voice=voice,
                                    mic_on_at=mic_on_at, started_at=started, last_heartbeat_at=now,
                                    owner=self.owner)
        return self.sessions.get(session_id)

    def interrupt(self, session_id: str, *, at: float | None = None, recovering: bool = False) -> SessionRecord:
        """Pause a live session (the app quit or crashed): its live time stops at `at` (now; recovery passes the
        last heartbeat), the charge is settled for that time, nobody owns it. It can then be continued — a new
        conversation, the same session, still one charge — or ended and analysed."""
        record = self.sessions.get(session_id)
        if record.status is not Status.ACTIVE or record.started_at is None:
            raise IllegalTransition(f"A session that is {record.status.value} cannot be paused.")
        if record.interrupted:
            return record
        if not recovering and record.owner not in (None, self.owner):
            raise LiveElsewhere(LIVE_ELSEWHERE)
        stop = at if at is not None else self.clock.now()
        stop = min(max(stop, record.started_at), record.started_at + billing.MAX_SESSION_S)
        self.ensure_charge(session_id, live_seconds=stop - record.started_at)
        with self.store.transaction() as conn:
            current = self._locked_record(conn, session_id)
            if current.status is not Status.ACTIVE or current.owner != record.owner or current.interrupted:
                return current
            self.sessions.update_in(conn, session_id, self.clock.now(), ended_at=stop, owner=None)
        log.info("session %s paused at %.0f s live", session_id, stop - record.started_at)
        return self.sessions.get(session_id)

    def heartbeat(self, session_id: str) -> bool:
        """Record that this process still runs the session. False when it no longer does (the session was
        settled or taken over elsewhere): the caller must stop its engine."""
        now = self.clock.now()
        with self.store.transaction() as conn:
            cur = conn.execute("UPDATE interview_sessions SET last_heartbeat_at = ?, updated_at = ? "
                               "WHERE id = ? AND status = 'active' AND ended_at IS NULL AND owner = ?",
                               (now, now, session_id, self.owner))
            return cur.rowcount == 1

    def append_turn(self, session_id: str, turn: Turn) -> None:
        self.sessions.append_turn(session_id, turn, self.clock.now())

    def add_conversation_id(self, session_id: str, conversation_id: str) -> None:
        self.sessions.append_json(session_id, "conversation_ids", conversation_id, self.clock.now(), unique=True)

    def record_voice_stop(self, session_id: str, stop: VoiceStop) -> None:
        """Note that the voice stopped (and what followed); the report will say so."""
        self.sessions.append_json(session_id, "voice_stops", stop, self.clock.now())

    def ensure_charge(self, session_id: str, *, live_seconds: float | None = None) -> bool:
        """Debit the session once if its live time has reached the threshold. Returns whether it is charged."""
        record = self.sessions.get(session_id)
        if record.charged:
            return True
        live = record.live_seconds(self.clock.now()) if live_seconds is None else live_seconds
        if record.started_at is None or not billing.is_chargeable(live):
            return False
        now = self.clock.now()
        with self.store.transaction(durable=True) as conn:  # a charge survives a power loss
            row, created = self.ledger.debit_in(conn, session_id, billing.SESSION_COST, now,
                                                note=f"interview session {session_id}")
            self.sessions.update_in(conn, session_id, now, charged=1, charged_at=row.created_at)
        if created:
            log.info("charged session %s %d credits", session_id, billing.SESSION_COST)
        return True

    def end(self, session_id: str, *, ended_at: float | None = None, recovering: bool = False) -> SessionRecord:
        """Finish the live part: duration fixed (at most 15:00), charge settled, → analyzing.

        Only the process that runs the session may end it (`LiveElsewhere` otherwise); recovery, which has
        checked that the owner is gone, passes `recovering=True`.
        """
        record = self.sessions.get(session_id)
        if record.status is not Status.ACTIVE:
            raise IllegalTransition(f"A session that is {record.status.value} cannot be ended.")
        if not recovering and record.owner not in (None, self.owner):
            raise LiveElsewhere(LIVE_ELSEWHERE)
        assert record.started_at is not None
        if ended_at is None:
            ended_at = record.ended_at if record.ended_at is not None else self.clock.now()  # paused: its stop
        end = min(max(ended_at, record.started_at), record.started_at + billing.MAX_SESSION_S)
        duration = end - record.started_at
        self.ensure_charge(session_id, live_seconds=duration)
        with self.store.transaction() as conn:
            current = self._locked_record(conn, session_id)
            if current.status is not Status.ACTIVE or current.owner != record.owner:
                raise IllegalTransition(f"A session that is {current.status.value} cannot be ended.")
            self.sessions.update_in(conn, session_id, self.clock.now(), status=Status.ANALYZING.value,
                                    ended_at=end, duration_s=round(duration, 3), owner=None)
        return self.sessions.get(session_id)

    def run_analysis(self, session_id: str, transcript: Transcript | None = None) -> SessionRecord:
        """Score the transcript (the live one when none is given): → complete, or → failed with the error."""
        if self.analyzer is None:
            raise RuntimeError("SessionService has no analyzer")
        record = self.sessions.get(session_id)
        if record.failed_after_going_live:
            record = self.sessions.transition(session_id, Status.ANALYZING, self.clock.now(), error=None)
        if record.status is not Status.ANALYZING:
            raise IllegalTransition(f"A session that is {record.status.value} cannot be analysed.")
        if record.plan is None:
            raise IllegalTransition("This session has no interview plan to analyse against.")
        if transcript is None:
            transcript = record.transcript or Transcript(turns=record.live_transcript, source="live")
        try:
            report = self.analyzer.analyze(transcript, record.plan)
        except ProviderError as err:
            self.sessions.update(session_id, self.clock.now(), transcript=transcript)
            self.fail(session_id, str(err))
            raise
        except Exception as err:
            log.exception("analyzer crashed")
            message = f"Analysis failed unexpectedly ({type(err).__name__}). Try again."
            self.fail(session_id, message)
            raise ProviderError(message) from err
        if record.voice_stops:
            report = report.model_copy(update={"voice_stops": record.voice_stops})
        now = self.clock.now()
        return self.sessions.transition(session_id, Status.COMPLETE, now, transcript=transcript, report=report,
                                        analyzer=self.analyzer.name, report_generated_at=now, error=None)

    def fail(self, session_id: str, message: str) -> SessionRecord:
        return self.sessions.transition(session_id, Status.FAILED, self.clock.now(), error=message[:2000])

    def cancel(self, session_id: str) -> SessionRecord:
        """Discard an unfinished session that is not live. A charge already made stands."""
        record = self.sessions.get(session_id)
        if self.held_elsewhere(record):
            raise LiveElsewhere(STARTING_ELSEWHERE if record.status is Status.READY else LIVE_ELSEWHERE)
        return self.sessions.transition(session_id, Status.CANCELLED, self.clock.now(), owner=None)

    # -------------------------------------------------------------------------------------- deletion

    def is_live(self, record: SessionRecord) -> bool:
        """Whether `record` is being interviewed (or started) right now, in this process or another one."""
        if record.status is Status.ACTIVE and record.owner == self.owner:
            return True
        return self.held_elsewhere(record)

    def sessions_before(self, when: float) -> list[SessionRecord]:
        """Sessions created before `when` (seconds since the epoch), oldest first."""
        return self.sessions.created_before(when)

    def delete_sessions(self, session_ids: list[str]) -> int:
        """Delete sessions' rows, refusing (and deleting none) if one of them is live. The ledger keeps its rows.

        This removes the rows only; `interview_tui.erasure` also scrubs the file and removes the session's files.
        """

        def refuse(record: SessionRecord) -> str | None:
            if self.is_live(record):
                return (f"Session {record.id} is live in an interview window right now. End it there first, then "
                        "delete it.")
            return None

        return self.sessions.delete(session_ids, refuse)

    # ------------------------------------------------------------------------------------- recovery

    def recover(self) -> list[SessionRecord]:
        """Pause `active` sessions whose process died, at their last heartbeat (docs/ARCHITECTURE.md §3):
        charged iff that reached 120 s (idempotent, so running recovery twice never charges twice). The app then
        offers to continue each one or to end and analyse it."""
        now = self.clock.now()
        paused = []
        for record in self.sessions.with_status(Status.ACTIVE):
            if record.interrupted or record.owner == self.owner or self.held_elsewhere(record):
                continue  # already paused, or still running (here, or in another process)
            assert record.started_at is not None
            last = record.last_heartbeat_at or record.started_at or now
            try:
                paused.append(self.interrupt(record.id, at=last, recovering=True))
            except IllegalTransition:
                continue  # settled by another process meanwhile
            log.warning("recovered session %s from its heartbeat (%.0f s live)", record.id, last - record.started_at)
        return paused
