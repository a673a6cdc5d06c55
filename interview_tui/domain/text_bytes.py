"""Decoding a text file's bytes: UTF-8, or UTF-8/16/32 with a byte-order mark; binary refused.

One decoder for every file a user hands us (a job description, a transcript); each caller words its own message
from the `UndecodableText` it gets.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Literal

_BOMS = (  # longest first: the UTF-32-LE BOM begins with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class UndecodableText(Exception):
    """Why bytes are not text: a byte-order mark whose encoding fails, binary content, or invalid UTF-8."""

    reason: Literal["bad_bom", "binary", "not_utf8"]
    encoding: str = "utf-8"
    position: int = 0
    """Offset of the first bad byte in the whole input (byte-order mark included)."""


def decode_text_bytes(data: bytes) -> str:
    """The text in `data`; raises `UndecodableText` when it is not text we accept."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as err:
                raise UndecodableText("bad_bom", encoding, err.start + len(bom)) from None
    if b"\x00" in data[:8192]:
        raise UndecodableText("binary")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UndecodableText("not_utf8", "utf-8", err.start) from None
