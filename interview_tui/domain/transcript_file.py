"""Read an interview transcript from a file's bytes (for `interview analyze`). Pure: no I/O.

Two formats:

- JSON: `{"turns": [{"role": "interviewer" | "candidate", "text": "...", "t": 12.5, "end_t": 40.0}, ...]}`;
  `t` and `end_t` (seconds from the start) are optional, but when one turn has `t` every turn must.
- Plain text: lines starting with a speaker label — `Interviewer:` / `Candidate:` or `Q:` / `A:` (any case) —
  where a turn goes on over the following lines until the next label. Blank lines are kept inside a turn as
  paragraph breaks; text before the first label is an error (it is not clear who said it).

Every problem is an `InvalidInput` whose message is one line naming the place (turn number or line number) and
the fix. Untimed transcripts get `t = 0` on every turn and `timed = False`.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import dataclass
from typing import Any

from interview_tui.domain.errors import InvalidInput
from interview_tui.domain.jd import clean_text
from interview_tui.domain.models import Role, Transcript, Turn
from interview_tui.domain.text_bytes import UndecodableText, decode_text_bytes

MAX_FILE_BYTES = 2_000_000
"""A two-hour interview is about 200 kB of text; anything this large is not a transcript."""
MAX_TURNS = 2_000
MAX_TURN_CHARS = 20_000

FORMAT_HINT = ('Use JSON {"turns": [{"role": "interviewer" or "candidate", "text": "..."}]} or plain text lines '
               'starting "Interviewer:" / "Candidate:" (or "Q:" / "A:").')

_ROLES: dict[str, Role] = {"interviewer": "agent", "candidate": "user", "q": "agent", "a": "user"}
_LABEL = re.compile(r"^\s*(?:\*\*|__)?(interviewer|candidate|q|a)(?:\*\*|__)?\s*:(?:\*\*|__)?\s?(.*)$", re.I)


@dataclass(frozen=True)
class ParsedTranscript:
    transcript: Transcript
    timed: bool
    format: str  # "json" or "text"


def _decode(data: bytes) -> str:
    try:
        return decode_text_bytes(data)
    except UndecodableText as err:
        enc = err.encoding.upper()
        if err.reason == "bad_bom":
            raise InvalidInput(f"The transcript starts as {enc} text but is not valid {enc}. Save it as UTF-8 "
                               "text and try again.") from None
        if err.reason == "binary":
            raise InvalidInput("The transcript file looks binary (for example a PDF, Word or audio file). Save it "
                               "as UTF-8 text (JSON or plain text) and try again.") from None
        raise InvalidInput(f"The transcript is not UTF-8 text (bad byte at position {err.position}). Save it as "
                           "UTF-8 and try again.") from None


def parse_transcript(data: bytes) -> ParsedTranscript:
    """The transcript in `data` (JSON or labelled plain text), validated; raises `InvalidInput`."""
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInput(f"The transcript is larger than {MAX_FILE_BYTES // 1_000_000} MB; an interview "
                           "transcript is far smaller. Check that this is the right file.")
    text = _decode(data)
    if not text.strip():
        raise InvalidInput(f"The transcript file is empty. {FORMAT_HINT}")
    stripped = text.lstrip("\ufeff \t\r\n")
    parsed = _from_json(stripped) if stripped.startswith(("{", "[")) else _from_text(text)
    turns = parsed.transcript.turns
    if len(turns) > MAX_TURNS:
        raise InvalidInput(f"The transcript has {len(turns)} turns; at most {MAX_TURNS} are accepted.")
    if not any(t.role == "user" and t.text.strip() for t in turns):
        raise InvalidInput("The transcript has no candidate turns: there is nothing to score. Label the "
                           "candidate's answers with role \"candidate\" (JSON) or \"Candidate:\" / \"A:\" (text).")
    return parsed


def _clean_turn_text(text: str, where: str) -> str:
    cleaned = clean_text(text)
    if len(cleaned) > MAX_TURN_CHARS:
        raise InvalidInput(f"{where} is longer than {MAX_TURN_CHARS:,} characters; split it into turns.")
    return cleaned


# ---------------------------------------------------------------------------------------------------- JSON


def _from_json(text: str) -> ParsedTranscript:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        raise InvalidInput(f"The transcript is not valid JSON ({err.msg} at line {err.lineno}, column "
                           f"{err.colno}).") from None
    except RecursionError:
        raise InvalidInput("The transcript JSON is nested too deeply to be a transcript.") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("turns"), list):
        raise InvalidInput(f'The transcript JSON must be an object with a "turns" list. {FORMAT_HINT}')
    raw_turns: list[Any] = doc["turns"]
    if len(raw_turns) > MAX_TURNS:
        raise InvalidInput(f"The transcript has {len(raw_turns)} turns; at most {MAX_TURNS} are accepted.")
    turns: list[Turn] = []
    timed_flags = []
    for number, raw in enumerate(raw_turns, 1):
        where = f"Turn {number}"
        if not isinstance(raw, dict):
            raise InvalidInput(f'{where} must be an object with "role" and "text".')
        role = raw.get("role")
        if not isinstance(role, str) or role.strip().lower() not in ("interviewer", "candidate"):
            raise InvalidInput(f'{where}: "role" must be "interviewer" or "candidate", not {json.dumps(role)[:40]}.')
        text_value = raw.get("text")
        if not isinstance(text_value, str):
            raise InvalidInput(f'{where}: "text" must be a string.')
        t, end_t = _time(raw.get("t"), f'{where}: "t"'), _time(raw.get("end_t"), f'{where}: "end_t"')
        if t is not None and end_t is not None and end_t < t:
            raise InvalidInput(f'{where}: "end_t" ({end_t:g}) is before "t" ({t:g}).')
        timed_flags.append(t is not None)
        turns.append(Turn(role=_ROLES[role.strip().lower()], text=_clean_turn_text(text_value, where),
                          t=t or 0.0, end_t=end_t))
    if any(timed_flags) and not all(timed_flags):
        missing = timed_flags.index(False) + 1
        raise InvalidInput(f'Turn {missing} has no "t" while other turns do: give every turn a time, or none.')
    timed = bool(turns) and all(timed_flags)
    if timed and any(b.t < a.t for a, b in itertools.pairwise(turns)):
        raise InvalidInput('The turns\' "t" values go backwards: list the turns in the order they were said.')
    return ParsedTranscript(Transcript(turns=turns, source="provider"), timed, "json")


def _time(value: Any, where: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise InvalidInput(f"{where} must be a number of seconds (0 or more), not {json.dumps(value)[:40]}.")
    return float(value)


# ---------------------------------------------------------------------------------------------- plain text


def _from_text(text: str) -> ParsedTranscript:
    turns: list[tuple[Role, list[str], int]] = []
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        match = _LABEL.match(line)
        if match:
            turns.append((_ROLES[match.group(1).lower()], [match.group(2)], number))
        elif turns:
            turns[-1][1].append(line)
        elif line.strip():
            raise InvalidInput(f"Line {number} has no speaker label. {FORMAT_HINT}")
    result = []
    for role, lines, number in turns:
        body = clean_text("\n".join(lines))
        if body:
            result.append(Turn(role=role, text=_clean_turn_text(body, f"The turn at line {number}"), t=0.0))
    return ParsedTranscript(Transcript(turns=result, source="provider"), False, "text")
