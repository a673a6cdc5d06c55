"""The CLI says things one way: times in every JSON view, help summaries that end where their sentence ends,
and the clear messages for the commonest slips (issue 14, item 10)."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from interview_tui.cli import app
from interview_tui.report_export import TIME_FIELDS
from tests.doubles import finished_session
from tests.fakes.report_samples import feedback_report

runner = CliRunner()


def _finished_session(db: Path, jd: str) -> str:
    return finished_session(db, jd, feedback_report())


def test_export_json_times_are_iso_like_show_json(app_home: Path, sample_jd: str) -> None:
    session_id = _finished_session(app_home / "interview.db", sample_jd)
    exported = runner.invoke(app, ["sessions", "export", session_id, "--format", "json"])
    shown = runner.invoke(app, ["sessions", "show", session_id, "--json"])
    assert exported.exit_code == shown.exit_code == 0, exported.output + shown.output
    export, show = json.loads(exported.stdout), json.loads(shown.stdout)
    assert {"created_at", "started_at", "ended_at", "charged_at", "report_generated_at"} <= set(TIME_FIELDS)
    for key in TIME_FIELDS:
        assert export[key] == show[key], key
        if export[key] is not None:
            assert isinstance(export[key], str) and datetime.fromisoformat(export[key]).utcoffset() is not None
    assert export["started_at"] is not None and export["charged_at"] is not None
    export.pop("export_version")
    assert export == show  # one formatter: the export is `show --json` plus its version


def test_sessions_show_text_includes_the_report(app_home: Path, sample_jd: str) -> None:
    session_id = _finished_session(app_home / "interview.db", sample_jd)
    shown = runner.invoke(app, ["sessions", "show", session_id])
    assert shown.exit_code == 0, shown.output
    assert "Report" in shown.stdout and "Your answer, stronger:" in shown.stdout


@pytest.mark.parametrize(("argv", "says"), [
    (["credits", "add", "-5"], "Amounts are positive"),
    (["sessions", "show", "ab"], "at least 4 characters"),
])
def test_common_slips_get_a_clear_line(argv: list[str], says: str) -> None:
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and says in result.stderr and "No such option" not in result.stderr


def _groups(command: typer.Typer) -> list[list[str]]:
    """Every command path with sub-commands: the root and each group."""
    import typer.main

    root = typer.main.get_command(command)
    paths: list[list[str]] = [[]]
    for name, sub in getattr(root, "commands", {}).items():
        if getattr(sub, "commands", None):
            paths.append([name])
    return paths


def _summaries(help_text: str) -> dict[str, str]:
    """The `Commands:` section of a help page as {name: summary} (wrapped summaries joined)."""
    section = help_text.split("Commands:\n", 1)[1]
    found: dict[str, str] = {}
    last = ""
    for line in section.splitlines():
        entry = re.match(r"^  (\S+)\s{2,}(.*)$", line)
        if entry:
            last = entry.group(1)
            found[last] = entry.group(2).strip()
        elif line.startswith(" ") and last:
            found[last] += " " + line.strip()
    return found


@pytest.mark.parametrize("width", [80, 60])
def test_every_help_summary_is_a_whole_sentence(width: int) -> None:
    """click shortens a command's summary to fit the terminal and marks the cut with '...'; each summary must be
    the full first sentence of its command's help, ending with its full stop."""
    import typer.main

    root = typer.main.get_command(app)
    seen = 0
    for path in _groups(app):
        result = runner.invoke(app, [*path, "--help"], terminal_width=width)
        assert result.exit_code == 0, result.output
        group = root
        for name in path:
            group = group.commands[name]  # type: ignore[attr-defined]
        for name, summary in _summaries(result.stdout).items():
            full = " ".join((group.commands[name].help or "").split("\n\n")[0].split())  # type: ignore[attr-defined]
            first_sentence = full[: full.index(".") + 1] if "." in full else full
            assert not summary.endswith(("...", "…")), (path, name, summary)
            assert summary.endswith("."), (path, name, summary)
            assert summary == first_sentence, (path, name, summary, first_sentence)
            seen += 1
    assert seen >= 15  # six at the top, and the commands of credits (3), sessions (4) and agent (2)
