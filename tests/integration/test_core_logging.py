"""Secrets never reach the log file."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from interview_tui.logging_setup import configure_logging
from interview_tui.paths import resolve_paths
from interview_tui.settings import load_settings


def test_log_file_is_private_and_scrubbed(app_home: Path) -> None:
    key = "AIzaSy-very-secret-key-0123456789"
    settings = load_settings(resolve_paths(), env={"INTERVIEW_TUI_HOME": str(app_home), "GEMINI_API_KEY": key})
    assert key not in repr(settings)
    handler = configure_logging(settings)
    try:
        log = logging.getLogger("interview_tui.test")
        log.error("calling with key=%s", key)
        try:
            raise ValueError(f"bad request for {key}")
        except ValueError:
            log.exception("request failed")
        handler.flush()
        text = settings.paths.log_file.read_text()
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    assert key not in text
    assert text.count("********") == 2 and "ValueError: bad request for ********" in text
    assert os.stat(settings.paths.log_file).st_mode & 0o777 == 0o600
