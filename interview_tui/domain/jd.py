"""Validation and cleaning of a job description before it reaches the database or a prompt."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from interview_tui.domain.errors import InvalidInput
from interview_tui.domain.text_bytes import UndecodableText, decode_text_bytes
from interview_tui.domain.textsafe import safe_text

JD_MIN_WORDS = 30
JD_MAX_CHARS = 20_000

JD_MAX_RAW_CHARS = 10 * JD_MAX_CHARS
"""Text longer than this is refused before any cleaning (pasted or read from a file)."""
JD_FILE_MAX_BYTES = 1_000_000
"""A JD file larger than this is refused without reading it whole (a few pages of text are ~20 kB)."""

_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Strip terminal escape sequences, control and invisible characters; normalise newlines and Unicode (NFC);
    drop trailing spaces on each line and collapse runs of blank lines. Linear in the length of `text`."""
    text = unicodedata.normalize("NFC", safe_text(text))
    text = "\n".join(line.rstrip(" \t") for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def decode_jd_bytes(data: bytes) -> str:
    """Decode a JD loaded from a file: UTF-8, or UTF-8/16/32 with a byte-order mark. Binary or other encodings
    are refused with a clear message."""
    try:
        return decode_text_bytes(data)
    except UndecodableText as err:
        enc = err.encoding.upper()
        if err.reason == "bad_bom":
            raise InvalidInput(f"That file starts as {enc} text but is not valid {enc} (bad bytes at position "
                               f"{err.position}). Save it as UTF-8 plain text and try again.") from None
        if err.reason == "binary":
            raise InvalidInput("That file looks binary (for example a PDF or Word file). Save the job description "
                               "as plain text and try again.") from None
        raise InvalidInput(f"That file is not UTF-8 text (bad byte at position {err.position}). Save it as UTF-8 "
                           "plain text and try again.") from None


def validate_jd(text: str) -> str:
    """Return the cleaned JD or raise `InvalidInput` saying exactly what is wrong."""
    if len(text) > JD_MAX_RAW_CHARS:
        raise InvalidInput(f"The job description is {len(text):,} characters; the limit is {JD_MAX_CHARS:,}. "
                           "Keep the role, responsibilities and requirements, and drop the rest.")
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
