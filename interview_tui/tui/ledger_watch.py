"""Keeps shown balances live: polls the ledger's version and tells the current screen when it changed.

A top-up made in another terminal (`interview credits add`) is another process writing the same database, so
the app cannot be told; it asks, once a second, for the newest ledger row's id (a primary-key lookup) in a
thread worker, and posts `BalanceChanged` to the screen on top when that id moved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from textual.app import App

from interview_tui.tui.messages import BalanceChanged

log = logging.getLogger(__name__)


class LedgerWatch:
    def __init__(self, app: App[None], read_version: Callable[[], int], interval_s: float = 1.0) -> None:
        self.app = app
        self.read_version = read_version
        self.interval_s = interval_s
        self.version: int | None = None
        self._reading = False

    def start(self) -> None:
        self.app.set_interval(self.interval_s, self.poll, name="ledger-watch")
        self.poll()

    def poll(self) -> None:
        if self._reading:
            return
        self._reading = True
        self.app.run_worker(self._read, thread=True, group="ledger-watch", name="ledger-watch",
                            exit_on_error=False)

    def _read(self) -> None:
        try:
            version = self.read_version()
        except Exception:
            log.warning("reading the ledger version failed", exc_info=True)
            self._reading = False
            return
        try:
            self.app.call_from_thread(self._seen, version)
        except RuntimeError:
            pass  # the app is shutting down
        finally:
            self._reading = False

    def _seen(self, version: int) -> None:
        changed = self.version is not None and version != self.version
        self.version = version
        if changed:
            self.app.screen.post_message(BalanceChanged())
