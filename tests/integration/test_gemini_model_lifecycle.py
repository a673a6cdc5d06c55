"""Gemini model lifecycle (issue 11, problem 8): the default is Google's recommended replacement for the retired
gemini-2.5-pro, sent with the 3.x thinking setting; a dated table of known shutdowns in data/ lets `doctor` flag a
configured model that is past or near its shutdown, with its replacement (today injected)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interview_tui.cli import app
from interview_tui.domain.model_lifecycle import Lifecycle, ModelTable, model_status
from interview_tui.paths import resolve_paths
from interview_tui.providers.gemini import GeminiPlanner
from interview_tui.providers.gemini_models import load_model_table
from interview_tui.resources import data_path
from interview_tui.settings import DEFAULT_GEMINI_MODEL, load_settings
from tests.fakes.gemini_server import FakeGeminiServer
from tests.paths import SAMPLE_JD_FILE

TODAY = date(2026, 11, 29)
runner = CliRunner()


def test_the_table_is_dated_sourced_and_consistent() -> None:
    doc = json.loads(data_path("gemini_models.json").read_text(encoding="utf-8"))
    table = load_model_table()
    assert table.default == DEFAULT_GEMINI_MODEL == "gemini-3.8-flash"
    assert len(table.shutdowns) == len(doc["models"]) >= 2
    for row in table.shutdowns:
        assert row.source.startswith("https://") and row.replacement != row.model
    pro = table.find("gemini-2.5-pro")
    assert pro is not None and (pro.shutdown, pro.replacement) == (date(2026, 12, 1), "gemini-3.8-flash")
    assert model_status(table.default, table, TODAY).state is Lifecycle.CURRENT


@pytest.mark.parametrize(("model", "today", "state", "replacement"), [
    ("gemini-2.5-pro", date(2026, 10, 1), Lifecycle.CURRENT, "gemini-3.8-flash"),
    ("gemini-2.5-pro", TODAY, Lifecycle.NEAR, "gemini-3.8-flash"),
    ("models/gemini-2.5-pro-002", TODAY, Lifecycle.NEAR, "gemini-3.8-flash"),
    ("gemini-2.5-pro", date(2026, 12, 1), Lifecycle.PAST, "gemini-3.8-flash"),
    ("gemini-2.5-flash", date(2027, 1, 5), Lifecycle.PAST, "gemini-3.5-flash-lite"),
    ("gemini-2.5-flash-lite", TODAY, Lifecycle.CURRENT, None),  # not deprecated; not a prefix match
    ("gemini-3.8-flash", date(2030, 1, 1), Lifecycle.CURRENT, None),
])
def test_model_status(model: str, today: date, state: Lifecycle, replacement: str | None) -> None:
    status = model_status(model, load_model_table(), today)
    assert status.state is state and status.replacement == replacement


def test_replacements_are_followed_past_retired_ones() -> None:
    table = ModelTable.from_json({"checked_on": "2026-11-29", "default": "gemini-3.8-flash", "models": [
        {"model": "gemini-1.5-pro", "shutdown": "2025-09-24", "replacement": "gemini-2.5-pro", "source": "x"},
        {"model": "gemini-2.5-pro", "shutdown": "2026-12-01", "replacement": "gemini-3.8-flash", "source": "x"}]})
    status = model_status("gemini-1.5-pro", table, date(2026, 12, 2))
    assert status.state is Lifecycle.PAST and status.replacement == "gemini-3.8-flash"
    assert model_status("gemini-1.5-pro", table, TODAY).replacement == "gemini-2.5-pro"  # still up, days left


@pytest.mark.parametrize(("model", "today", "ok", "says"), [
    ("gemini-2.5-pro", "2026-11-29", False, "shuts down on 2026-12-01 (in 2 days)"),
    ("gemini-2.5-pro", "2026-12-03", False, "was shut down on 2026-12-01"),
    (None, "2026-11-29", True, "gemini-3.8-flash: no shutdown known"),
])
def test_doctor_flags_a_retiring_model(monkeypatch: pytest.MonkeyPatch, model: str | None, today: str, ok: bool,
                                       says: str) -> None:
    if model:
        monkeypatch.setenv("GEMINI_MODEL", model)
    result = runner.invoke(app, ["doctor", "--json", "--today", today])
    assert result.exit_code in (0, 1) and "Traceback" not in result.output, result.output
    check = {c["name"]: c for c in json.loads(result.stdout)["checks"]}["gemini_model_lifecycle"]
    assert check["ok"] is ok and says in check["detail"]
    if not ok:
        assert check["fix"].startswith("export GEMINI_MODEL=gemini-3.8-flash")


def test_the_default_model_is_asked_with_its_thinking_level(gemini_server: FakeGeminiServer,
                                                            tmp_path: Path) -> None:
    settings = load_settings(resolve_paths(), env={"INTERVIEW_TUI_HOME": str(tmp_path),
                                                   "GEMINI_API_KEY": gemini_server.api_key,
                                                   "GEMINI_BASE_URL": gemini_server.url})
    assert settings.gemini_model == "gemini-3.8-flash"
    GeminiPlanner(settings).plan(SAMPLE_JD_FILE.read_text(encoding="utf-8"))
    [req] = gemini_server.generate_requests
    assert req.model == "gemini-3.8-flash"
    thinking = req.generation_config["thinkingConfig"]
    assert "thinking_level" in thinking or "thinkingLevel" in thinking
    assert not {"thinking_budget", "thinkingBudget"} & set(thinking)  # a 3.x model refuses a budget
