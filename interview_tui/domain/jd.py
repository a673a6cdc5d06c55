"""Validation and cleaning of a job description before it reaches the database or a prompt."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from interview_tui.domain.errors import InvalidInput

JD_MIN_WORDS = 30
JD_MAX_CHARS = 20_000

# CSI / OSC / other ESC sequences, then any remaining C0/C1 control character except tab and newline.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Strip terminal escape sequences and control characters; normalise newlines and Unicode (NFC)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def decode_jd_bytes(data: bytes) -> str:
    """Decode a JD loaded from a file, refusing binary or non-UTF-8 content with a clear message."""
    if b"\x00" in data[:8192]:
        raise InvalidInput("That file looks binary (for example a PDF or Word file). Save the job description "
                           "as plain text and try again.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InvalidInput(f"That file is not UTF-8 text (bad byte at position {err.start}). Save it as UTF-8 "
                           "plain text and try again.") from None


def validate_jd(text: str) -> str:
    """Return the cleaned JD or raise `InvalidInput` saying exactly what is wrong."""
    cleaned = clean_text(text)
    if not cleaned:
        raise InvalidInput("The job description is empty. Paste the job ad's text, or load it from a file.")
    if len(cleaned) > JD_MAX_CHARS:
        raise InvalidInput(f"The job description is {len(cleaned):,} characters; the limit is {JD_MAX_CHARS:,}. "
                           "Keep the role, responsibilities and requirements, and drop the rest.")
    words = len(cleaned.split())
    if words < JD_MIN_WORDS:
        raise InvalidInput(f"The job description has only {words} words; at least {JD_MIN_WORDS} are needed to "
                           "tailor the questions. Paste the whole ad, with responsibilities and requirements.")
    letters = sum(ch.isalpha() for ch in cleaned)
    if letters < len(cleaned) * 0.5:
        raise InvalidInput("The job description does not look like prose (too few letters). Paste the job ad's "
                           "text itself.")
    return cleaned


def jd_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
