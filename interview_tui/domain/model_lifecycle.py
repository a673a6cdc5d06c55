"""Known shutdowns of Gemini models: is a configured model retired, or about to be, and what replaces it.

Pure: the table (data/gemini_models.json, loaded by `providers.gemini_models`) and today's date are passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

_VERSION_SUFFIX = re.compile(r"(\d{3}|preview|exp|latest)\b")
"""What may follow a model's name and still be that model ("-002", "-preview-05-06"); not "-lite"."""

NEAR_DAYS = 30
"""A shutdown this many days away or fewer is flagged ahead of time."""


class Lifecycle(StrEnum):
    CURRENT = "current"  # no known shutdown
    NEAR = "near"  # shuts down within NEAR_DAYS
    PAST = "past"  # shut down already


@dataclass(frozen=True)
class Shutdown:
    model: str
    shutdown: date
    replacement: str
    source: str


@dataclass(frozen=True)
class ModelTable:
    checked_on: date
    default: str
    shutdowns: tuple[Shutdown, ...]

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> ModelTable:
        rows = tuple(Shutdown(str(r["model"]), date.fromisoformat(r["shutdown"]), str(r["replacement"]),
                              str(r.get("source", ""))) for r in doc["models"])
        return cls(date.fromisoformat(doc["checked_on"]), str(doc["default"]), rows)

    def find(self, model: str) -> Shutdown | None:
        """The row for `model` ("models/" prefix and version suffixes such as "-001" or "-preview-05-06" allowed)."""
        name = model.strip().removeprefix("models/")
        for row in self.shutdowns:
            if name == row.model or (name.startswith(row.model + "-")
                                     and _VERSION_SUFFIX.match(name[len(row.model) + 1:])):
                return row
        return None

    def successor(self, model: str, today: date) -> str:
        """Follow replacements until a model that is not shut down by `today` (cycles stop at the default)."""
        seen: set[str] = set()
        current = model
        while (row := self.find(current)) is not None and row.shutdown <= today and current not in seen:
            seen.add(current)
            current = row.replacement
        return self.default if current in seen else current


@dataclass(frozen=True)
class ModelStatus:
    model: str
    state: Lifecycle
    shutdown: date | None = None
    replacement: str | None = None
    source: str = ""

    def sentence(self, today: date) -> str:
        if self.shutdown is None:
            return f"{self.model}: no shutdown known"
        if self.state is Lifecycle.CURRENT:
            return f"{self.model}: shuts down on {self.shutdown.isoformat()} (replacement {self.replacement})"
        if self.state is Lifecycle.PAST:
            return (f"{self.model} was shut down on {self.shutdown.isoformat()}; Google routes or refuses its "
                    f"requests. Use {self.replacement}.")
        days = (self.shutdown - today).days
        when = "today" if days == 0 else ("tomorrow" if days == 1 else f"in {days} days")
        return f"{self.model} shuts down on {self.shutdown.isoformat()} ({when}). Switch to {self.replacement}."


def model_status(model: str, table: ModelTable, today: date, *, near_days: int = NEAR_DAYS) -> ModelStatus:
    """Where `model` stands on `today`: current, near its shutdown, or past it — with the replacement to use."""
    row = table.find(model)
    if row is None:
        return ModelStatus(model, Lifecycle.CURRENT)
    replacement = table.successor(model, max(today, row.shutdown))
    if today >= row.shutdown:
        return ModelStatus(model, Lifecycle.PAST, row.shutdown, replacement, row.source)
    if (row.shutdown - today).days <= near_days:
        return ModelStatus(model, Lifecycle.NEAR, row.shutdown, replacement, row.source)
    return ModelStatus(model, Lifecycle.CURRENT, row.shutdown, replacement, row.source)
