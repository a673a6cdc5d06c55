"""Locate the data files shipped with the app (question bank, skills taxonomy)."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent / "data"
_CHECKOUT = Path(__file__).resolve().parent.parent / "data"


def data_dir() -> Path:
    """The packaged copy inside an installed wheel, else the repository's `data/` (editable installs)."""
    return _PACKAGED if _PACKAGED.is_dir() else _CHECKOUT


def data_path(name: str) -> Path:
    return data_dir() / name
