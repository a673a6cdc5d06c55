"""The billing rules users must be able to trust (docs/ARCHITECTURE.md §3)."""

from __future__ import annotations

from typing import Literal, NamedTuple

SESSION_COST = 15
"""Credits one session costs."""

CHARGE_AFTER_S = 120.0
"""Live seconds after which the session is charged; ending earlier costs nothing."""

MAX_SESSION_S = 15 * 60.0
"""A live session ends itself at 15:00."""

END_WARNING_S = 60.0
"""How long before the auto-end the user is warned."""

CHARGE_WARNING_S = 105.0
"""At this much live time with no answer yet, the candidate is told the charge comes at 2:00 (ending is free)."""

HEARTBEAT_EVERY_S = 5.0
"""How often a live session records that it is still alive."""

MAX_TOPUP = 100_000
"""The largest single top-up accepted (guards against typos such as 1500000)."""


def is_chargeable(live_seconds: float) -> bool:
    """A session is charged once its live time has reached the threshold."""
    return live_seconds >= CHARGE_AFTER_S


LedgerKind = Literal["topup", "debit", "refund", "adjust"]
"""What a ledger row records: credits added, a session's charge, that charge given back, a manual correction."""


class LedgerRow(NamedTuple):
    """One row of the credit ledger, the one shape the store, the CLI and History use (a tuple: a 100,000-row
    history materialises several times faster than with dataclasses or models)."""

    id: int
    amount: int
    kind: LedgerKind
    session_id: str | None
    note: str | None
    created_at: float

    def as_dict(self) -> dict[str, object]:
        return self._asdict()
