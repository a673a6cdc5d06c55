"""The app's log file: private (0600), rotated, and scrubbed of every configured secret."""

from __future__ import annotations

import io
import logging
import logging.handlers
from collections.abc import Iterable
from pathlib import Path

from interview_tui.domain.textsafe import redact_urls
from interview_tui.paths import ensure_private_dir, private_file
from interview_tui.settings import Settings

MASK = "********"
NOISY_LOGGERS = ("httpx", "httpcore", "websockets", "google_genai", "google.genai", "elevenlabs", "urllib3")
"""SDK and HTTP client loggers kept at WARNING (their INFO/DEBUG lines carry URLs and headers)."""


class RedactSecrets(logging.Filter):
    """Replace any configured key that reaches a log record (message, args or traceback) with a mask, and hide
    credentials written into URLs (`https://user:pass@host`, `?key=…`)."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 4]

    def _scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, MASK)
        return redact_urls(text)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            record.msg = self._scrub(record.getMessage())
        except Exception:  # a malformed record: keep the raw message, scrubbed
            record.msg = self._scrub(str(record.msg))
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            import traceback

            record.exc_text = self._scrub("".join(traceback.format_exception(*record.exc_info)))
            record.exc_info = None
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files (the current one and each new one after a rollover) are created 0600."""

    def _open(self) -> io.TextIOWrapper:
        private_file(Path(self.baseFilename))
        return super()._open()


def secret_values(settings: Settings) -> list[str]:
    return [s.reveal() for s in (settings.gemini_api_key, settings.elevenlabs_api_key) if s]


def configure_logging(settings: Settings, level: int = logging.INFO) -> logging.Handler:
    """Send the `interview_tui` loggers (and the SDKs' warnings) to the app's log file: private (folder 0700,
    files 0600, looser modes tightened), rotated, secrets and URL credentials redacted. Returns the handler."""
    path = settings.paths.log_file
    ensure_private_dir(path.parent)
    private_file(path)
    handler = PrivateRotatingFileHandler(path, maxBytes=2_000_000, backupCount=2, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secret_values(settings)))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level) if root.level else level)
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler
