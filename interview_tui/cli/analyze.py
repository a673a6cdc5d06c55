"""`interview analyze FILE [--jd JD_FILE | --plan PLAN.json] [--json]` — score a transcript from elsewhere.

No session, no credits, no database writes. The questions are the interviewer's turns, matched to the plan's
questions where they match (`domain.question_match`); the others get the rubric of their kind. Gemini scores
when a key is configured, else the offline analyzer. Formats: see `domain.transcript_file` and the README.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from interview_tui.cli.common import fail, guarded, print_json, say

if TYPE_CHECKING:
    from collections.abc import Sequence

    from interview_tui.domain.models import InterviewPlan, Question, Report, Transcript
    from interview_tui.domain.question_match import AskedQuestion
    from interview_tui.domain.transcript_file import ParsedTranscript
    from interview_tui.providers.base import Analyzer
    from interview_tui.settings import Settings

MAX_PLAN_BYTES = 1_000_000
MAX_QUESTIONS = 20
"""A plan holds at most this many questions (`InterviewPlan`); the plan's own come first, then unplanned ones."""


def _read_bytes(file: Path, what: str, limit: int) -> bytes:
    if file.is_dir():
        fail(f"{file} is a directory, not a {what} file.")
    if not file.is_file():
        fail(f"There is no file {file}.")
    try:
        if file.stat().st_size > limit:
            fail(f"{file} is larger than {limit // 1_000_000} MB; that is not a {what} file.")
        return file.read_bytes()
    except OSError as err:
        fail(f"{file} cannot be read ({err.strerror or err}).")


def _read_transcript(file: Path) -> ParsedTranscript:
    from interview_tui.domain.transcript_file import MAX_FILE_BYTES, parse_transcript

    return parse_transcript(_read_bytes(file, "transcript", MAX_FILE_BYTES))


def _read_plan(file: Path) -> InterviewPlan:
    import json

    from pydantic import ValidationError

    from interview_tui.domain.models import InterviewPlan

    data = _read_bytes(file, "plan", MAX_PLAN_BYTES)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        fail(f"{file} is not a JSON plan. Make one with `interview plan JD_FILE --json > {file.name}`.")
    try:
        return InterviewPlan.model_validate(doc.get("plan", doc) if isinstance(doc, dict) else doc)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "plan"
        fail(f"{file} is not a valid plan ({where}: {first.get('msg', 'invalid')}). Make one with "
             f"`interview plan JD_FILE --json`.")


def _plan_from_jd(file: Path, settings: Settings) -> InterviewPlan:
    from interview_tui.cli.plan import _planner, _read_jd

    return _planner(settings).plan(_read_jd(file))


def asked_plan(transcript: Transcript, plan: InterviewPlan | None) -> InterviewPlan:
    """The plan to score against: the questions asked, in the order asked (plan questions with their rubrics, the
    interviewer's other questions with the rubric of their kind), then the plan's questions never asked, so they
    are reported "not asked" and count as the scoring model says; the plan's level, track and skills."""
    from interview_tui.domain.models import DomainTrack, ExperienceLevel, InterviewPlan
    from interview_tui.domain.question_match import segment

    asked = segment(transcript, plan.questions if plan else [])
    if not asked:
        fail("No question and no answer could be found in the transcript.")
    if plan is None:
        return InterviewPlan(questions=[a.question for a in asked][:MAX_QUESTIONS],
                             experience_level=ExperienceLevel.MID, domain_track=DomainTrack.GENERAL,
                             engine="transcript")
    never = _never_asked(asked, plan)
    room = MAX_QUESTIONS - len(never) - sum(a.matched for a in asked)
    kept = set([a.question.id for a in asked if not a.matched][:max(0, room)])
    questions = [a.question for a in asked if a.matched or a.question.id in kept] + never
    return plan.model_copy(update={"questions": questions})


def _never_asked(asked: Sequence[AskedQuestion], plan: InterviewPlan) -> list[Question]:
    ids = {a.question.id for a in asked}
    return [q for q in plan.questions if q.id not in ids]


def not_asked(transcript: Transcript, plan: InterviewPlan) -> list[Question]:
    """The plan's questions the transcript never asks."""
    from interview_tui.domain.question_match import segment

    return _never_asked(segment(transcript, plan.questions), plan)


UNNAMED_QUESTION = "Your answer (no question was found in the transcript)"


def with_unnamed_question(transcript: Transcript) -> Transcript:
    """A transcript of answers only, with one interviewer turn naming that the question is unknown, so that every
    analyzer sees one question and its answer."""
    from interview_tui.domain.models import Transcript, Turn

    first = transcript.turns[0].t if transcript.turns else 0.0
    return Transcript(turns=[Turn(role="agent", text=UNNAMED_QUESTION, t=first), *transcript.turns],
                      source=transcript.source)


def _analyzer(settings: Settings) -> Analyzer:
    if settings.gemini_configured:
        from interview_tui.providers.gemini_analyzer import GeminiAnalyzer

        return GeminiAnalyzer(settings)
    from interview_tui.providers.local_analyzer import LocalAnalyzer

    return LocalAnalyzer()


def untimed(report: Report) -> Report:
    """Times in a report of an untimed transcript are placeholders (0): drop them from the evidence."""
    def strip(ev: object) -> object:
        return ev.model_copy(update={"t": None}) if ev is not None else None  # type: ignore[attr-defined]

    questions = [q.model_copy(update={
        "evidence": [strip(e) for e in q.evidence],
        "points": [p.model_copy(update={"evidence": strip(p.evidence)}) for p in q.points]}) for q in report.questions]
    highlights = [h.model_copy(update={"evidence": strip(h.evidence)}) for h in report.highlights]
    return report.model_copy(update={"questions": questions, "highlights": highlights})


def register(app: typer.Typer) -> None:
    @app.command("analyze")
    def analyze_command(
        ctx: typer.Context,
        file: Annotated[Path, typer.Argument(help="The transcript: JSON {\"turns\": [...]} or plain text with "
                                                  "Interviewer:/Candidate: (or Q:/A:) lines.")],
        jd: Annotated[Path | None, typer.Option("--jd", help="The job description: plan it and match the "
                                                            "transcript's questions to the plan.")] = None,
        plan_file: Annotated[Path | None, typer.Option("--plan", help="A plan printed by `interview plan FILE "
                                                                      "--json`.")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print {\"report\": …} as JSON.")] = False,
    ) -> None:
        """Score an interview transcript.

        No session is created and no credits are used.
        """
        with guarded(ctx) as state:
            if jd is not None and plan_file is not None:
                fail("Give --jd or --plan, not both.")

            from interview_tui.report_text import report_text

            parsed = _read_transcript(file)
            settings = state.settings()
            plan = _read_plan(plan_file) if plan_file else _plan_from_jd(jd, settings) if jd else None
            transcript = parsed.transcript
            if not any(t.role == "agent" for t in transcript.turns):
                sys.stderr.write("No interviewer question in the transcript: the answer is judged against a generic "
                                 "rubric. Add the question as an \"Interviewer:\" line for a fair one.\n")
                transcript = with_unnamed_question(transcript)
            asked = asked_plan(transcript, plan)
            analyzer = _analyzer(settings)
            never_asked = len(not_asked(transcript, plan)) if plan else 0
            sys.stderr.write(f"Scoring {len(asked.questions) - never_asked} question(s) with {analyzer.name}…\n")
            if never_asked:
                sys.stderr.write(f"{never_asked} question(s) of the plan were never asked: they are listed as not "
                                 "asked and each counts as zero in the overall.\n")
            sys.stderr.flush()
            report = analyzer.analyze(transcript, asked)
            if not parsed.timed:
                report = untimed(report)
            if as_json:
                print_json({"report": report.model_dump(mode="json")})
            else:
                say(report_text(report).rstrip())
