"""A file cache of interview plans keyed by (JD sha256, planner/model name, prompt version, attempt).

The same JD planned again with the same model and prompts costs no API call; a retry of the JD (attempt > 0) has
its own entry, so the cache never hands a retry the first attempt's questions. Entries are JSON files in
`settings.paths.cache_dir` (directory 0700, files 0600), written atomically; an unreadable or stale entry is
ignored and replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from interview_tui.domain.jd import jd_sha256
from interview_tui.domain.models import InterviewPlan
from interview_tui.paths import ensure_private_dir
from interview_tui.providers.base import Planner

log = logging.getLogger(__name__)

CACHE_FORMAT = 1


class PlanCache:
    """Plans stored as `plan-<key>.json` under one private directory."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    @staticmethod
    def key(jd_text: str, model: str, prompt_version: str, attempt: int = 0) -> str:
        """The entry's key; attempt 0 keeps the key of caches written before retries had their own plans."""
        retry = [attempt] if attempt else []
        material = json.dumps([CACHE_FORMAT, jd_sha256(jd_text), model, prompt_version, *retry])
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def path_for(self, jd_text: str, model: str, prompt_version: str, attempt: int = 0) -> Path:
        return self.directory / f"plan-{self.key(jd_text, model, prompt_version, attempt)}.json"

    def get(self, jd_text: str, model: str, prompt_version: str, attempt: int = 0) -> InterviewPlan | None:
        path = self.path_for(jd_text, model, prompt_version, attempt)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("jd_sha256") != jd_sha256(jd_text) or data.get("model") != model:
                return None
            return InterviewPlan.model_validate(data["plan"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, ValidationError) as err:
            log.warning("ignoring unreadable plan cache entry %s: %s", path.name, type(err).__name__)
            return None

    def put(self, jd_text: str, model: str, prompt_version: str, plan: InterviewPlan, attempt: int = 0) -> None:
        """Store a plan; a cache that cannot be written only costs a future API call, so errors are logged."""
        try:
            self._ensure_dir()
            target = self.path_for(jd_text, model, prompt_version, attempt)
            payload = json.dumps({"format": CACHE_FORMAT, "jd_sha256": jd_sha256(jd_text), "model": model,
                                  "prompt_version": prompt_version, "plan": plan.model_dump(mode="json")})
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".plan-", suffix=".tmp")  # mode 0600
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(payload)
                os.chmod(tmp, 0o600)
                os.replace(tmp, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError as err:
            log.warning("could not write the plan cache in %s: %s", self.directory, err)

    def forget(self, jd_sha: str) -> int:
        """Delete every cached plan of the JD with this sha256 (any model or prompt version). Returns how many."""
        removed = 0
        if not self.directory.is_dir():
            return 0
        for path in self.directory.glob("plan-*.json"):
            try:
                if json.loads(path.read_text(encoding="utf-8")).get("jd_sha256") != jd_sha:
                    continue
            except (OSError, ValueError, AttributeError):
                continue
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                removed += 1
        return removed

    def _ensure_dir(self) -> None:
        ensure_private_dir(self.directory)
        os.chmod(self.directory, 0o700)


class CachedPlanner:
    """Wraps any planner: answers from the cache when it can, else asks `inner` and stores the plan.

    The key uses `inner.name` (the model) and `inner.prompt_version` when the planner has one ("" otherwise).
    """

    def __init__(self, inner: Planner, cache: PlanCache) -> None:
        self.inner = inner
        self.cache = cache
        self.name = inner.name
        self.last_from_cache = False

    @property
    def prompt_version(self) -> str:
        return str(getattr(self.inner, "prompt_version", "") or "")

    def plan(self, jd_text: str, attempt: int = 0) -> InterviewPlan:
        cached = self.cache.get(jd_text, self.name, self.prompt_version, attempt)
        self.last_from_cache = cached is not None
        if cached is not None:
            log.info("plan cache hit for planner %s", self.name)
            return cached
        plan = self.inner.plan(jd_text, attempt=attempt)
        self.cache.put(jd_text, self.name, self.prompt_version, plan, attempt)
        return plan
