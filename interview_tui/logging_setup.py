"""The app's log file: private (0600), rotated, and scrubbed of every configured secret."""

from __future__ import annotations

import logging
import logging.handlers
import os
from collections.abc import Iterable

from interview_tui.settings import Settings

MASK = "********"


class RedactSecrets(logging.Filter):
    """Replace any configured key that reaches a log record (message, args or traceback) with a mask."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 4]

    def _scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        record.msg = self._scrub(record.getMessage())
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            import traceback

            record.exc_text = self._scrub("".join(traceback.format_exception(*record.exc_info)))
            record.exc_info = None
        return True


def secret_values(settings: Settings) -> list[str]:
    return [s.reveal() for s in (settings.gemini_api_key, settings.elevenlabs_api_key) if s]


def configure_logging(settings: Settings, level: int = logging.INFO) -> logging.Handler:
    """Send the `interview_tui` loggers (and the SDKs' warnings) to the app's log file. Returns the handler."""
    path = settings.paths.log_file
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if not path.exists():
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=2, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secret_values(settings)))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level) if root.level else level)
    for noisy in ("httpx", "httpcore", "websockets", "google_genai", "elevenlabs"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler
