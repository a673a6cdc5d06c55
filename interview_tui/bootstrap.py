"""The composition root: the one place where the running app is put together.

settings → store → clock → engines (planner, analyzer, voice) → `SessionService` → the Textual app. `interview`
(`run_app`), the CLI commands (`cli.common.CliState`) and the tests all build through here, so the wiring that
runs in production is the wiring the tests run; tests swap only the outside world (engines, clock).

Imports are lazy: `interview credits …` must not pay for pydantic, the SDKs or textual.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from interview_tui.domain.clock import Clock
    from interview_tui.engines import Engines
    from interview_tui.providers.base import Analyzer, Planner
    from interview_tui.service import SessionService
    from interview_tui.settings import Settings
    from interview_tui.store.db import Store
    from interview_tui.tui.app import InterviewApp

log = logging.getLogger(__name__)


def open_store(settings: Settings) -> Store:
    """The database named by the settings (`--db`, `INTERVIEW_TUI_HOME` or the user data dir), migrated."""
    from interview_tui.store.db import Store

    return Store.open(settings.paths.db_path)


def make_service(store: Store, *, planner: Planner | None = None, analyzer: Analyzer | None = None,
                 clock: Clock | None = None) -> SessionService:
    """The session service over `store`. Without a planner and analyzer it can read, top up and settle, but not
    plan or analyse (what the CLI's read commands need)."""
    from interview_tui.service import SessionService

    return SessionService(store, planner=planner, analyzer=analyzer, clock=clock)


@dataclass
class Runtime:
    """Everything one run of the app holds. Close it (or use it as a context manager) to close the database."""

    settings: Settings
    clock: Clock
    store: Store
    engines: Engines
    service: SessionService

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Runtime:
        return self

    def __exit__(self, kind: type[BaseException] | None, err: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def open_runtime(settings: Settings, *, text_mode: bool = False, clock: Clock | None = None,
                 engines: Engines | None = None) -> Runtime:
    """Open the store and build the service around the engines this configuration allows (`engines.build_engines`:
    the real services when their keys are set, the offline ones otherwise). Tests pass their own `clock` and,
    where the outside world is not what they test, their own `engines`."""
    from interview_tui.domain.clock import SystemClock
    from interview_tui.engines import build_engines

    clock = clock or SystemClock()
    engines = engines or build_engines(settings, text_mode=text_mode, clock=clock)
    store = open_store(settings)
    service = make_service(store, planner=engines.planner, analyzer=engines.analyzer, clock=clock)
    return Runtime(settings, clock, store, engines, service)


def start_up(runtime: Runtime) -> None:
    """What runs before the first screen: settle sessions a crash left live (charged from their last heartbeat),
    and delete recordings older than the configured retention."""
    for record in runtime.service.recover():
        log.info("recovered interrupted session %s", record.id)
    keep_days = runtime.settings.recordings_keep_days
    if keep_days is not None:
        from interview_tui.recordings import RecordingStore

        RecordingStore(runtime.settings.paths.recordings_dir).expire(keep_days, runtime.clock.now())


def make_app(runtime: Runtime, **options: Any) -> InterviewApp:
    """The Textual app over `runtime`. Paths, log file, candidate name, output device and theme (saved back to the
    config file when changed) come from the settings;
    `options` are `InterviewApp`'s keyword arguments (jd_text, export_dir, tick_interval, theme, …) and override
    them."""
    from interview_tui.config_write import set_config_value
    from interview_tui.tui.app import DARK_THEME, InterviewApp

    settings = runtime.settings
    options = {"log_file": settings.paths.log_file, "candidate_name": settings.candidate_name,
               "paths": settings.paths, "output_device": settings.output_device,
               "theme": settings.theme or DARK_THEME,
               "save_theme": partial(set_config_value, settings.paths.config_file, "ui", "theme"), **options}
    return InterviewApp(runtime.service, runtime.engines, runtime.clock, **options)


def run_app(settings: Settings, *, jd_file: Path | None = None, text_mode: bool = False) -> None:
    """What `interview` runs: logging, the runtime, start-up recovery, then the app until it quits. The app's hints
    show commands as this installation can be run from a terminal (`invocation.cli_command`)."""
    from interview_tui.invocation import cli_command
    from interview_tui.jd_file import read_jd_file
    from interview_tui.logging_setup import configure_logging
    from interview_tui.native_stderr import native_stderr_to

    jd_text = read_jd_file(jd_file) if jd_file is not None else None
    handler = configure_logging(settings)
    try:
        with open_runtime(settings, text_mode=text_mode) as runtime:
            start_up(runtime)
            app = make_app(runtime, jd_text=jd_text, export_dir=Path.cwd(), cli_command=cli_command())
            with native_stderr_to(settings.paths.log_file):
                app.run()
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
