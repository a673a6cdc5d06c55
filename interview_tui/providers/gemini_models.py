"""Load the dated table of Gemini model shutdowns shipped in data/gemini_models.json."""

from __future__ import annotations

import json
from functools import lru_cache

from interview_tui.domain.model_lifecycle import ModelTable
from interview_tui.resources import data_path

TABLE_FILE = "gemini_models.json"


@lru_cache(maxsize=1)
def load_model_table() -> ModelTable:
    with data_path(TABLE_FILE).open(encoding="utf-8") as fh:
        return ModelTable.from_json(json.load(fh))
