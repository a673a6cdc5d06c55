"""What every command shares: lazy settings/store, one-line errors with exit code 2, JSON printing."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer

if TYPE_CHECKING:
    from interview_tui.service import SessionService
    from interview_tui.settings import Settings
    from interview_tui.store.db import Store

EXIT_USAGE = 2


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one line on stderr and exit (2 for anything the user can fix)."""
    typer.echo(f"interview: {message}", err=True)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False))


def iso(ts: float | None) -> str | None:
    from interview_tui.domain.clock import iso as _iso

    return _iso(ts)


@dataclass
class CliState:
    db: Path | None = None
    input_device: str | None = None
    output_device: str | None = None
    _store: Store | None = field(default=None, repr=False)
    _settings: Settings | None = field(default=None, repr=False)

    def settings(self) -> Settings:
        if self._settings is None:
            from interview_tui.paths import resolve_paths
            from interview_tui.settings import load_settings

            self._settings = load_settings(resolve_paths(self.db)).with_overrides(
                input_device=self.input_device, output_device=self.output_device)
        return self._settings

    def store(self) -> Store:
        if self._store is None:
            from interview_tui.store.db import Store

            self._store = Store.open(self.settings().paths.db_path)
        return self._store

    def service(self) -> SessionService:
        """A service for read/ledger commands (no planner or analyzer)."""
        from interview_tui.service import SessionService

        return SessionService(self.store())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _log_unexpected(state: CliState | None) -> str:
    """Write the traceback to the app's log file; return where it went."""
    try:
        target = state.settings().paths.log_file if state else None
    except Exception:
        target = None
    if target is None:
        return "stderr"
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = logging.FileHandler(target, encoding="utf-8")
        logger = logging.getLogger("interview_tui.cli")
        logger.addHandler(handler)
        logger.exception("unexpected error")
        logger.removeHandler(handler)
        handler.close()
        return str(target)
    except OSError:
        return "stderr"


def run_guarded(action: Callable[[], None], state: CliState | None) -> None:
    """Run a command body: our errors become one line + exit 2; anything else is logged, never shown raw."""
    from interview_tui.domain.errors import InterviewError

    try:
        action()
    except InterviewError as err:
        fail(str(err))
    except (typer.Exit, typer.Abort, SystemExit):
        raise
    except KeyboardInterrupt:
        raise
    except Exception as err:
        where = _log_unexpected(state)
        typer.echo(f"interview: unexpected error ({type(err).__name__}); details are in {where}.", err=True)
        raise typer.Exit(1) from None
    finally:
        if state is not None:
            state.close()
        sys.stdout.flush()


def state_of(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):  # invoked without the root callback (tests of a sub-app)
        obj = CliState()
        ctx.find_root().obj = obj
    return obj
