"""What every command shares: lazy settings/store, one-line errors with exit code 2, JSON printing."""

from __future__ import annotations

import contextlib
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from interview_tui.paths import AppPaths
    from interview_tui.service import SessionService
    from interview_tui.settings import Settings
    from interview_tui.store.db import Store

EXIT_USAGE = 2
MAX_LIMIT = 1_000_000
"""The largest `--limit` any listing accepts."""


def one_line(message: str) -> str:
    """A message as one terminal-safe line: no escape sequences, controls or invisible characters, and no
    credentials written into URLs."""
    from interview_tui.domain.textsafe import redact_urls, safe_line

    return redact_urls(safe_line(message))


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one line on stderr and exit (2 for anything the user can fix)."""
    typer.echo(f"interview: {one_line(message)}", err=True)
    raise typer.Exit(code)


def warn(message: str) -> None:
    typer.echo(f"interview: warning: {one_line(message)}", err=True)


def say(text: str) -> None:
    """Print text for a person (untrusted parts included) with escape sequences and controls removed."""
    from interview_tui.domain.textsafe import safe_text

    typer.echo(safe_text(text))


def print_json(data: Any) -> None:
    """JSON on stdout; DEL, C1 and invisible characters inside strings are written as \\u escapes."""
    from interview_tui.domain.textsafe import escape_json_text

    typer.echo(escape_json_text(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False)))


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

    def paths(self) -> AppPaths:
        """Where the files are; the data dir is made private (0700) here, before anything is written to it."""
        from interview_tui.paths import ensure_private_dir, resolve_paths

        paths = resolve_paths(self.db)
        try:
            ensure_private_dir(paths.data_dir)
            if paths.config_dir != paths.data_dir and paths.config_dir.is_dir():
                ensure_private_dir(paths.config_dir)
        except OSError as err:
            from interview_tui.domain.errors import InvalidInput

            raise InvalidInput(f"The data folder {paths.data_dir} cannot be created or used ({err.strerror or err})."
                               " Set INTERVIEW_TUI_HOME to a writable folder.") from None
        return paths

    def settings(self) -> Settings:
        if self._settings is None:
            from interview_tui.settings import load_settings

            settings = load_settings(self.paths()).with_overrides(
                input_device=self.input_device, output_device=self.output_device)
            for message in settings.warnings:
                warn(message)
            self._settings = settings
        return self._settings

    def store(self) -> Store:
        """The database (its path needs no settings: a broken config file does not stop `credits`)."""
        if self._store is None:
            from interview_tui.store.db import Store

            self._store = Store.open(self.paths().db_path)
        return self._store

    def service(self) -> SessionService:
        """A service for read/ledger commands (no planner or analyzer)."""
        from interview_tui.bootstrap import make_service

        return make_service(self.store())

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _log_unexpected(state: CliState) -> str:
    """Write the traceback to the app's private, rotated, redacted log; return where it went, or '' if nowhere."""
    try:
        settings = state.settings()
    except Exception:
        return ""
    from interview_tui.logging_setup import configure_logging

    try:
        handler = configure_logging(settings)
    except OSError:
        return ""
    try:
        logging.getLogger("interview_tui.cli").exception("unexpected error")
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    return str(settings.paths.log_file)


class _WarningsToStderr(logging.Handler):
    """Warnings from our own loggers (a skipped damaged row, an ignored setting) as one line each on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:  # errors are reported by guarded() itself, once
            warn(record.getMessage())


def _db_path(state: CliState) -> Path:
    if state._store is not None:
        return state._store.path
    try:
        return state.paths().db_path
    except Exception:
        return state.db or Path("the database")


@contextlib.contextmanager
def guarded(ctx: typer.Context, *, warnings_to_stderr: bool = True) -> Iterator[CliState]:
    """Every command's body runs inside `with guarded(ctx) as state:`. It gives the command's lazily opened
    state; our errors become one line on stderr + exit 2; anything else is logged, never shown raw (exit 1);
    the store is closed at the end, whatever happened."""
    import sqlite3

    from interview_tui.domain.errors import InterviewError

    state = state_of(ctx)
    ours = logging.getLogger("interview_tui")
    handler = _WarningsToStderr(logging.WARNING) if warnings_to_stderr else None
    if handler is not None:
        ours.addHandler(handler)
        if ours.getEffectiveLevel() > logging.WARNING:
            ours.setLevel(logging.WARNING)
    try:
        yield state
    except InterviewError as err:
        fail(str(err))
    except sqlite3.Error as err:
        from interview_tui.store.db import describe

        fail(str(describe(err, _db_path(state))))
    except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as err:
        where = _log_unexpected(state)
        if where:
            detail = f"{type(err).__name__}); details are in {where}."
        else:
            detail = f"{type(err).__name__}: {err}); no log file could be written."
        typer.echo(f"interview: unexpected error ({one_line(detail)}", err=True)
        raise typer.Exit(1) from None
    finally:
        if handler is not None:
            ours.removeHandler(handler)
        with contextlib.suppress(Exception):
            state.close()
        sys.stdout.flush()  # a closed pipe (`| head`) surfaces here, inside the root's EPIPE handling


class OneLineErrors(TyperGroup):
    """The root command: usage errors (a bad option, a missing argument, a value out of range) are one line on
    stderr with exit code 2, like every other error, instead of click's usage block."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, windows_expand_args: bool = True,
             **extra: Any) -> Any:
        logging.raiseExceptions = False  # a full disk must not print logging's own tracebacks
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False,
                                windows_expand_args=windows_expand_args, **extra)
        except typer.TyperException as err:  # typer's (vendored) click usage errors derive from it
            code = getattr(err, "exit_code", EXIT_USAGE)
            if type(err).__name__ == "NoArgsIsHelpError":  # a group run bare: its help, as click shows it
                err.show()  # type: ignore[attr-defined]
                return code if not standalone_mode else sys.exit(code)
            where = getattr(err, "ctx", None)
            hint = f" See `{where.command_path} --help`." if where is not None else ""
            typer.echo(f"interview: {one_line(err.format_message())}{hint}", err=True)
        except typer.Abort:
            typer.echo("interview: aborted.", err=True)
            code = 1
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


def state_of(ctx: typer.Context) -> CliState:
    obj = ctx.find_root().obj
    if not isinstance(obj, CliState):  # invoked without the root callback (tests of a sub-app)
        obj = CliState()
        ctx.find_root().obj = obj
    return obj
