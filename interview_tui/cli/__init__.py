"""The `interview` command line (typer).

`interview` alone opens the TUI. Sub-commands live in sibling modules, each with `register(app)`. Modules here
import only typer and the standard library at the top: heavy dependencies are imported inside commands, so
`interview credits …` starts fast.
"""

from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interview_tui.cli.common import CliState, OneLineErrors, fail, guarded

if TYPE_CHECKING:
    from interview_tui.settings import Settings

app = typer.Typer(
    name="interview",
    cls=OneLineErrors,
    help="Practise a live voice job interview in your terminal, then read a scored report.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_SUBCOMMAND_MODULES = ("credits", "sessions", "doctor", "plan", "analyze", "agent")


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: Annotated[Path | None, typer.Option("--db", help="Database file (default: the user data dir).")] = None,
    jd: Annotated[Path | None, typer.Option("--jd", help="Load the job description from this text file.")] = None,
    text: Annotated[bool, typer.Option("--text", help="Type your answers instead of speaking.")] = False,
    input_device: Annotated[str | None, typer.Option("--input-device", help="Microphone name or index.")] = None,
    output_device: Annotated[str | None, typer.Option("--output-device", help="Speaker name or index.")] = None,
    record: Annotated[bool, typer.Option("--record", help="Record your microphone during voice interviews (kept "
                                         "on this computer, for playback in the report).")] = False,
) -> None:
    """Open the interview app (or run a sub-command)."""
    ctx.obj = CliState(db=db, input_device=input_device, output_device=output_device)
    if ctx.invoked_subcommand is not None:
        return

    with guarded(ctx, warnings_to_stderr=False) as state:
        settings = state.settings()
        try:
            importlib.import_module("interview_tui.tui.app")
        except ModuleNotFoundError as err:
            if err.name and err.name.startswith("interview_tui.tui"):
                fail("The interactive app is not available in this build; the `credits`, `sessions` and `plan` "
                     "commands work.")
            raise
        if not (text or settings.text_mode):
            _check_devices(state, settings)
        from interview_tui.bootstrap import run_app

        run_app(settings.with_overrides(text_mode=text or None, record=record or None), jd_file=jd, text_mode=text)


def _check_devices(state: CliState, settings: Settings) -> None:
    """A microphone or speaker asked for (by option, environment or config file) that is not there stops here,
    with one line naming it and listing the devices there are: the app would otherwise fall back to typing."""
    import os

    from interview_tui.voice.audio import unusable_devices

    def source(kind: str, option: str | None) -> str:
        if option is not None:
            return f"--{kind}-device"
        if os.environ.get(f"INTERVIEW_{kind.upper()}_DEVICE"):
            return f"INTERVIEW_{kind.upper()}_DEVICE"
        return f"{kind}_device under [audio] in {settings.paths.config_file}"

    errors = unusable_devices(settings.input_device, settings.output_device,
                              (source("input", state.input_device), source("output", state.output_device)))
    if errors:
        fail(" ".join(errors))


for _name in _SUBCOMMAND_MODULES:
    try:
        _module = importlib.import_module(f"interview_tui.cli.{_name}")
    except ModuleNotFoundError as _err:  # a command group not built yet
        if _err.name != f"interview_tui.cli.{_name}":
            raise
        continue
    _module.register(app)


def main() -> None:
    """Console-script entry point: never shows a traceback (details go to the log file)."""
    logging.getLogger().addHandler(logging.NullHandler())
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
