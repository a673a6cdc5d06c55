"""Messages workers and voice-engine threads post to screens. Posting is thread-safe; handling is not,
so widgets are only changed in the handlers, on the UI thread."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from textual.message import Message

from interview_tui.domain.billing import LedgerRow
from interview_tui.domain.models import SessionRecord, Turn
from interview_tui.providers.base import Speaker, VoiceStatus

WorkAction = Literal["start-info", "create", "load-file", "conflict", "discard", "end-paused", "setup", "begin",
                     "end", "analysis", "history", "open", "delete", "export"]
"""The background steps screens run (`BaseScreen.call_service`); a `WorkFailed` names the one that failed."""


@dataclass
class WorkFailed(Message):
    """A background step failed. `message` is a full sentence for the user; `action` names the step."""

    action: WorkAction
    message: str
    retryable: bool = True
    error: BaseException | None = None


@dataclass
class StartInfo(Message):
    """The Start screen's facts: balance and any unfinished session."""

    balance: int
    unfinished: SessionRecord | None


@dataclass
class SessionCreated(Message):
    record: SessionRecord


@dataclass
class SetupDone(Message):
    record: SessionRecord


@dataclass
class LiveBegan(Message):
    record: SessionRecord | None


@dataclass
class TurnReceived(Message):
    turn: Turn


@dataclass
class StatusChanged(Message):
    status: VoiceStatus


@dataclass
class LevelChanged(Message):
    """A microphone level sample; only the newest queued one is painted."""

    rms_dbfs: float
    peak_dbfs: float

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, LevelChanged)


@dataclass
class SpeakerChanged(Message):
    who: Speaker


@dataclass
class EngineEnded(Message):
    """The voice engine or the live session ended the interview by itself."""

    reason: str


@dataclass
class LiveEnded(Message):
    """`LiveSession.end` finished: the session is now analysing."""

    reason: str


@dataclass
class AnalysisStep(Message):
    step: int


@dataclass
class AnalysisDone(Message):
    record: SessionRecord


@dataclass
class RecordLoaded(Message):
    record: SessionRecord


@dataclass
class HistoryLoaded(Message):
    sessions: list[SessionRecord]
    ledger: list[LedgerRow]
    balance: int


@dataclass
class Charged(Message):
    """The session reached 2:00 live and was charged."""


@dataclass
class ExportSaved(Message):
    path: Path


class BalanceChanged(Message, bubble=False):
    """The credit ledger changed (in this app or another process): refresh any balance shown."""


@dataclass
class SessionsDeleted(Message):
    """Sessions were erased; `summary` says what went."""

    summary: str
