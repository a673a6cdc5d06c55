"""`interview analyze FILE [--jd JD | --plan PLAN.json] [--json]`: both transcript formats, plans from `interview
plan --json` or a JD, Gemini (fake server) or offline, and one-line errors for bad files. No session, no DB."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interview_tui.cli import app
from interview_tui.domain.errors import InvalidInput
from interview_tui.domain.models import AnswerStatus, Report
from interview_tui.domain.scoring import combine
from interview_tui.domain.transcript_file import MAX_FILE_BYTES, parse_transcript
from tests.fakes.gemini_server import FakeGeminiServer
from tests.paths import SAMPLE_JD_FILE

JD_FILE = SAMPLE_JD_FILE
runner = CliRunner()

FAILURE = ("At my last job I shipped a database migration without a rollback plan and it took checkout down for "
           "twenty minutes. I owned the incident, wrote the postmortem, and added staged rollouts with an "
           "automatic rollback, and since then we have had no failed migrations in two years.")
WEAKNESS = ("I used to take on too much work myself and then rush it. Now I write down what I commit to each week "
            "and review it with my lead on Mondays, and this quarter I missed no deadlines.")

TEXT = f"""Interviewer: Thanks for joining. Tell me about a time you failed.
Candidate: {FAILURE[:90]}
{FAILURE[90:]}

Q: What would you say are your weaknesses?
A: {WEAKNESS}
"""

JSON_DOC = {"turns": [
    {"role": "interviewer", "text": "Tell me about a time you failed.", "t": 0, "end_t": 3},
    {"role": "candidate", "text": FAILURE, "t": 4.5, "end_t": 30},
    {"role": "interviewer", "text": "What would you say are your weaknesses?", "t": 31, "end_t": 34},
    {"role": "candidate", "text": WEAKNESS, "t": 35, "end_t": 52},
]}


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def report_of(out: str) -> Report:
    doc = json.loads(out)
    assert set(doc) == {"report"}
    return Report.model_validate(doc["report"])


# ------------------------------------------------------------------------------------------------ parsing


def test_plain_text_labels_and_multi_line_answers() -> None:
    parsed = parse_transcript(TEXT.encode())
    roles = [(t.role, t.text[:20]) for t in parsed.transcript.turns]
    assert roles == [("agent", "Thanks for joining. "), ("user", FAILURE[:20]), ("agent", "What would you say ar"[:20]),
                     ("user", WEAKNESS[:20])]
    assert parsed.transcript.turns[1].text == FAILURE[:90] + "\n" + FAILURE[90:]
    assert not parsed.timed and parsed.format == "text"


def test_json_with_and_without_times() -> None:
    parsed = parse_transcript(json.dumps(JSON_DOC).encode())
    assert parsed.timed and parsed.transcript.turns[1].t == 4.5 and parsed.transcript.turns[1].end_t == 30
    untimed = {"turns": [{"role": t["role"], "text": t["text"]} for t in JSON_DOC["turns"]]}
    assert not parse_transcript(json.dumps(untimed).encode()).timed


@pytest.mark.parametrize(("content", "message"), [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"%PDF-1.7\x00\x00binary", "binary"),
    (b"abc \xfa\xfb not utf", "not UTF-8"),
    (b'{"turns": [', "not valid JSON"),
    (b'["a", "b"]', 'object with a "turns" list'),
    (b'{"turns": [{"role": "boss", "text": "hi"}]}', 'Turn 1: "role" must be'),
    (b'{"turns": [{"role": "candidate", "text": 5}]}', 'Turn 1: "text" must be a string'),
    (b'{"turns": [{"role": "candidate", "text": "hi", "t": -1}]}', "number of seconds"),
    (b'{"turns": [{"role": "candidate", "text": "hi", "t": 5, "end_t": 2}]}', "before"),
    (b'{"turns": [{"role": "candidate", "text": "hi", "t": 1}, {"role": "candidate", "text": "x"}]}', "no \"t\""),
    (b'{"turns": [{"role": "interviewer", "text": "Why?"}]}', "no candidate turns"),
    (b"Interviewer: Tell me about yourself.\n", "no candidate turns"),
    (b"Hello there\nCandidate: hi", "Line 1 has no speaker label"),
])
def test_bad_transcripts_are_one_clear_sentence(content: bytes, message: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_transcript(content)
    assert message in str(info.value) and "\n" not in str(info.value)


# ---------------------------------------------------------------------------------------------------- CLI


def test_plain_text_offline_json_report(tmp_path: Path, app_home: Path) -> None:
    code, out, err = run("analyze", str(write(tmp_path, "t.txt", TEXT)), "--json")
    assert code == 0, err
    report = report_of(out)
    assert report.engine == "local" and report.assessable
    assert [q.question for q in report.questions] == ["Tell me about a time you failed.",
                                                      "What would you say are your weaknesses?"]
    assert [q.kind.value for q in report.questions if q.kind] == ["behavioural", "motivation"]
    assert all(q.points and q.answer for q in report.questions)
    assert report.overall_score == combine(report.questions).overall
    assert all(e.t is None for q in report.questions for e in q.evidence)  # untimed: no fake 0:00 times
    assert not (app_home / "interview.db").exists()  # no session, no credits, no database


def test_json_transcript_text_output(tmp_path: Path) -> None:
    code, out, err = run("analyze", str(write(tmp_path, "t.json", json.dumps(JSON_DOC))))
    assert code == 0, err
    assert out.startswith("Summary")
    assert "1. Tell me about a time you failed." in out and "Talking points:" in out and "Your answer:" in out
    assert "Scored by local" in out
    assert "Scoring 2 question(s) with local" in err


def test_plan_from_interview_plan_json_matches_paraphrased_questions(tmp_path: Path) -> None:
    code, plan_json, err = run("plan", str(JD_FILE), "--json")
    assert code == 0, err
    plan = json.loads(plan_json)
    first = plan["questions"][0]
    doc = {"turns": [
        {"role": "interviewer", "text": "So, " + first["text"][0].lower() + first["text"][1:]},
        {"role": "candidate", "text": FAILURE},
        {"role": "interviewer", "text": "What would you say are your weaknesses?"},
        {"role": "candidate", "text": WEAKNESS},
    ]}
    plan_file = write(tmp_path, "plan.json", plan_json)
    code, out, err = run("analyze", str(write(tmp_path, "t.json", json.dumps(doc))), "--plan", str(plan_file),
                         "--json")
    assert code == 0, err
    report = report_of(out)
    assert [q.question_id for q in report.questions][:2] == [first["id"], "x1"]
    assert [q.question_id for q in report.questions if not q.asked] == [q["id"] for q in plan["questions"][1:]]
    assert report.questions[0].question == first["text"]  # the planned question, with its rubric


FIXED_PLAN = {"questions": [
    {"id": "q1", "text": "Tell me about a time you failed.", "kind": "behavioural", "skill": "Ownership"},
    {"id": "q2", "text": "How would you design a rate limiter for a public API?", "kind": "technical",
     "skill": "System design"},
    {"id": "q3", "text": "What would you say are your weaknesses?", "kind": "motivation", "skill": "Self-awareness"},
    {"id": "q4", "text": "Why do you want to leave your current job?", "kind": "motivation", "skill": "Motivation"},
], "experience_level": "mid", "domain_track": "backend", "role_title": "Backend Engineer"}


@pytest.mark.parametrize("as_text", [False, True])
def test_plan_questions_never_asked_are_listed_not_asked_and_count_zero(tmp_path: Path, as_text: bool) -> None:
    transcript = {"turns": [
        {"role": "interviewer", "text": "Tell me about a time you failed."},
        {"role": "candidate", "text": FAILURE},
        {"role": "interviewer", "text": "Why do you want to leave your current job?"},  # asked, no answer
        {"role": "interviewer", "text": "What would you say are your weaknesses?"},
        {"role": "candidate", "text": WEAKNESS},
    ]}
    plan_file = write(tmp_path, "plan.json", json.dumps(FIXED_PLAN))
    args = ["analyze", str(write(tmp_path, "t.json", json.dumps(transcript))), "--plan", str(plan_file)]
    code, out, err = run(*args) if as_text else run(*args, "--json")
    assert code == 0, err
    assert "Scoring 3 question(s)" in err and "1 question(s) of the plan were never asked" in err
    if as_text:
        assert "How would you design a rate limiter for a public API?\n   not asked" in out
        assert "Why do you want to leave your current job?\n   not answered · 0/100" in out
        return
    report = report_of(out)
    by_id = {q.question_id: q for q in report.questions}
    assert [q.question_id for q in report.questions] == ["q1", "q4", "q3", "q2"]  # asked order, then never asked
    assert by_id["q2"].status is AnswerStatus.NOT_ASKED and not by_id["q2"].asked
    assert by_id["q4"].status is AnswerStatus.NOT_ANSWERED and by_id["q4"].score == 0
    answered = [by_id["q1"].score, by_id["q3"].score]
    assert all(s is not None and s > 0 for s in answered)
    assert report.overall_score == round(sum(answered) / 4)  # both missing questions count as zero  # type: ignore[arg-type]
    assert report.overall_score == combine(report.questions).overall


def test_jd_plans_first(tmp_path: Path) -> None:
    code, out, err = run("analyze", str(write(tmp_path, "t.txt", TEXT)), "--jd", str(JD_FILE), "--json")
    assert code == 0, err
    assert report_of(out).assessable


def test_gemini_when_a_key_is_configured(tmp_path: Path, gemini_server: FakeGeminiServer,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", gemini_server.api_key)
    monkeypatch.setenv("GEMINI_BASE_URL", gemini_server.url)
    code, out, err = run("analyze", str(write(tmp_path, "t.json", json.dumps(JSON_DOC))), "--json")
    assert code == 0, err
    report = report_of(out)
    assert report.engine.startswith("gemini-") and report.engine_version == report.engine
    assert report.overall_score == combine(report.questions).overall
    assert len(gemini_server.generate_requests) == 3  # two questions in parallel, then the session part
    assert any(e.t == 4.5 for q in report.questions for e in q.evidence)  # timed: real times kept


@pytest.mark.parametrize(("name", "content", "message"), [
    ("empty.txt", "", "empty"),
    ("doc.pdf", b"%PDF\x00\x01\x02", "binary"),
    ("bad.json", "{not json", "not valid JSON"),
    ("shape.json", '{"questions": []}', '"turns" list'),
    ("nobody.txt", "Interviewer: Hello?\n", "no candidate turns"),
])
def test_bad_files_exit_2_with_one_line(tmp_path: Path, name: str, content: str | bytes, message: str) -> None:
    code, out, err = run("analyze", str(write(tmp_path, name, content)))
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1 and err.startswith("interview: ")


def test_missing_directory_and_huge_files(tmp_path: Path) -> None:
    code, _, err = run("analyze", str(tmp_path / "nope.txt"))
    assert code == 2 and "There is no file" in err
    code, _, err = run("analyze", str(tmp_path))
    assert code == 2 and "is a directory" in err
    huge = tmp_path / "huge.txt"
    huge.write_bytes(b"Candidate: " + b"word " * (MAX_FILE_BYTES // 5 + 10))
    code, _, err = run("analyze", str(huge))
    assert code == 2 and "larger than" in err and err.count("\n") == 1


def test_plan_and_jd_are_exclusive_and_bad_plans_are_refused(tmp_path: Path) -> None:
    transcript = str(write(tmp_path, "t.txt", TEXT))
    code, _, err = run("analyze", transcript, "--jd", str(JD_FILE), "--plan", str(JD_FILE))
    assert code == 2 and "not both" in err
    code, _, err = run("analyze", transcript, "--plan", str(write(tmp_path, "p.json", '{"questions": 3}')))
    assert code == 2 and "not a valid plan" in err and err.count("\n") == 1
    code, _, err = run("analyze", transcript, "--plan", str(JD_FILE))
    assert code == 2 and "is not a JSON plan" in err


def test_an_answer_without_its_question_is_scored_with_a_note(tmp_path: Path) -> None:
    code, out, err = run("analyze", str(write(tmp_path, "a.txt", f"A: {FAILURE}\n")), "--json")
    assert code == 0, err
    assert "No interviewer question" in err
    [question] = report_of(out).questions
    assert question.answer.startswith("At my last job")
