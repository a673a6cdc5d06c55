"""One sanitiser for untrusted text that reaches a terminal or the database.

Removes what a terminal would obey instead of print: escape sequences (CSI, OSC such as clipboard writes or
window titles, DCS/APC/PM strings and lone ESC pairs), C0/C1 control characters, and the invisible Unicode
characters that reorder or hide text (bidi overrides and isolates, zero-width characters). Every pattern here is
linear in the length of the text; callers that accept arbitrary input cap its length first anyway.
"""

from __future__ import annotations

import re

# CSI (ESC [ … final); OSC/DCS/SOS/PM/APC strings up to BEL or ST (ESC \ or 0x9c), or to the end when
# unterminated; C1 CSI (0x9b); any other two-character ESC sequence.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x9b[0-?]*[ -/]*[@-~]?"
    r"|[\x1b][\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
)
# Bidi embeddings/overrides/isolates and marks, zero-width characters, word joiner and invisible operators, BOM,
# line/paragraph separators (terminals treat them unpredictably).
_INVISIBLE = "\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
_CONTROLS_KEEP_LINES = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_INVISIBLE}]")
_CONTROLS_ALL = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_INVISIBLE}]")
_UNSAFE_JSON = re.compile(f"[\\x7f-\\x9f{_INVISIBLE}]")
_URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]+@")
_URL_SECRET_PARAMS = re.compile(r"(?i)([?&](?:key|api_key|apikey|token|access_token|xi-api-key|sig)=)[^&\s#]+")


def safe_text(text: str) -> str:
    """Multi-line text safe to print or store: escapes, controls and invisible characters removed; newlines
    (normalised to \\n) and tabs kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS_KEEP_LINES.sub("", _ESCAPES.sub("", text))


def safe_line(text: str) -> str:
    """One line safe to print or store: like `safe_text`, with every run of whitespace (newlines, tabs)
    collapsed to one space."""
    text = _ESCAPES.sub("", text.replace("\n", " ").replace("\r", " ").replace("\t", " "))
    return " ".join(_CONTROLS_ALL.sub("", text).split())


def escape_json_text(text: str) -> str:
    """JSON text whose strings carry DEL, C1 and invisible characters as \\uXXXX escapes (the data is unchanged;
    a terminal shown the JSON sees no raw control character). `json.dumps` already escapes C0 controls."""
    return _UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def redact_urls(text: str) -> str:
    """Hide credentials written into URLs: `https://user:pass@host` and `?key=…`-style query parameters."""
    return _URL_SECRET_PARAMS.sub(r"\1********", _URL_CREDENTIALS.sub(r"\1********@", text))
