"""Domain errors. Each carries a message written for the person at the keyboard."""

from __future__ import annotations


class InterviewError(Exception):
    """Base class: `str(err)` is a complete, human-readable sentence."""


class InvalidInput(InterviewError):
    """Input the user gave (a JD, an amount, an id) is not acceptable."""


class NotFound(InterviewError):
    """A session or other record does not exist."""


class IllegalTransition(InterviewError):
    """A lifecycle step was asked for in a status that does not allow it."""


class InsufficientCredits(InterviewError):
    """The balance is below the cost of a session."""


class SessionConflict(InterviewError):
    """Another unfinished session exists; it must be resumed or discarded first."""

    def __init__(self, message: str, session_id: str) -> None:
        super().__init__(message)
        self.session_id = session_id


class LiveElsewhere(InterviewError):
    """The session is live (or being started) in another window or process: only that one may run or end it."""


class StoreError(InterviewError):
    """The database cannot be opened or used (corrupt, locked, unreadable, too new)."""


class ProviderError(InterviewError):
    """A planner, analyzer or voice engine failed.

    `retryable` says whether trying again may help (timeouts, 429, 5xx) or not (a rejected key).
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable
