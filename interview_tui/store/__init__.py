"""SQLite persistence: connection and migrations (`db`), sessions (`sessions`), the credit ledger (`ledger`)."""

from interview_tui.store.db import SCHEMA_VERSION, Store

__all__ = ["SCHEMA_VERSION", "Store"]
