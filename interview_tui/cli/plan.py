"""`interview plan FILE [--json]` — print the interview plan for a JD file.

No session is created and no credits are touched. The planner is Gemini when a key is configured, else the
offline planner; plans are cached by (JD, model, prompt version), so the same JD again costs no API call.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interview_tui.cli.common import fail, guarded, print_json

if TYPE_CHECKING:
    from interview_tui.domain.models import InterviewPlan
    from interview_tui.providers.base import Planner
    from interview_tui.settings import Settings

def _planner(settings: Settings) -> Planner:
    from interview_tui.providers.plan_cache import CachedPlanner, PlanCache

    inner: Planner
    if settings.gemini_configured:
        from interview_tui.providers.gemini import GeminiPlanner

        inner = GeminiPlanner(settings)
    else:
        try:
            from interview_tui.providers.local_planner import LocalPlanner
        except ImportError:
            fail("No Gemini key is configured and the offline planner is not available in this build. Set "
                 "GEMINI_API_KEY and try again.")
        inner = LocalPlanner()
    return CachedPlanner(inner, PlanCache(settings.paths.cache_dir))


def _read_jd(file: Path) -> str:
    from interview_tui.domain.jd import validate_jd
    from interview_tui.jd_file import read_jd_file

    return validate_jd(read_jd_file(file))


def _plain(text: str) -> str:
    """One line of untrusted text, control characters and escape sequences removed."""
    from interview_tui.domain.textsafe import safe_line

    return safe_line(text)


def render_plan(plan: InterviewPlan, planner_name: str, cached: bool) -> str:
    """The plan as plain text (nothing in it is interpreted as markup)."""
    title = _plain(plan.role_title) or "the role"
    source = f"{planner_name}{', from cache' if cached else ''}"
    lines = [
        f"Interview plan for {title}",
        f"Level: {plan.experience_level.value}   Track: {plan.domain_track.value}   Planner: {_plain(source)}",
        "Skills: " + (", ".join(_plain(s) for s in plan.detected_skills) or "none detected"),
        "",
    ]
    width = len(str(len(plan.questions)))
    for number, question in enumerate(plan.questions, start=1):
        lines.append(f"{number:>{width}}. [{question.kind.value}; {_plain(question.skill)}] {_plain(question.text)}")
    return "\n".join(lines)


def register(app: typer.Typer) -> None:
    @app.command("plan")
    def plan_command(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="A plain-text (UTF-8) job description file.")],
        as_json: Annotated[bool, typer.Option("--json", help="Print the plan as JSON.")] = False,
    ) -> None:
        """Plan the interview for a job description.

        No session is created and no credits are used.
        """
        with guarded(ctx) as state:
            jd_text = _read_jd(file)
            planner = _planner(state.settings())
            plan = planner.plan(jd_text)
            cached = bool(getattr(planner, "last_from_cache", False))
            if as_json:
                print_json(plan.model_dump(mode="json"))
            else:
                typer.echo(render_plan(plan, planner.name, cached))
