"""The authoritative transcript after the call: poll each conversation until it is processed, then merge.

GET /v1/convai/conversations/{id} goes initiated → in-progress → processing → done (or failed). Each
conversation's turns carry `time_in_call_secs`; they are shifted by when that conversation started relative to
the live session, so several conversations (after reconnects) merge in time order.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from interview_tui.domain.models import Transcript, Turn

log = logging.getLogger(__name__)


def poll_conversation(client: Any, conversation_id: str, *, deadline: float, poll_initial_s: float = 0.5,
                      poll_max_s: float = 5.0) -> Any | None:
    """The conversation once `done`; None if it failed, stayed unprocessed past `deadline`, or REST failed."""
    delay = poll_initial_s
    while True:
        try:
            conv = client.conversational_ai.conversations.get(conversation_id)
            status = str(conv.status)
            if status == "done":
                return conv
            if status == "failed":
                log.warning("conversation %s failed server-side", conversation_id)
                return None
        except Exception as err:  # ApiError (404 until it exists, 5xx), network errors: retry until the deadline
            code = getattr(err, "status_code", None)
            if code in (401, 403):
                log.warning("transcript fetch refused (HTTP %s)", code)
                return None
            log.info("transcript fetch for %s failed (%s); retrying", conversation_id, code or err)
        if time.monotonic() + delay > deadline:
            log.warning("conversation %s not processed before the deadline", conversation_id)
            return None
        time.sleep(delay)
        delay = min(poll_max_s, delay * 1.6)


def fetch_merged_transcript(client: Any, conversation_ids: list[str], *, offsets: dict[str, float] | None = None,
                            session_started_at: float | None = None, deadline_s: float = 90.0,
                            poll_initial_s: float = 0.5) -> Transcript | None:
    """All conversations merged in time order, or None when any of them cannot be fetched (→ live transcript)."""
    ids = list(dict.fromkeys(cid for cid in conversation_ids if cid))
    if not ids:
        return None
    deadline = time.monotonic() + deadline_s
    offsets = offsets or {}
    turns: list[Turn] = []
    previous_end = 0.0
    for cid in ids:
        conv = poll_conversation(client, cid, deadline=deadline, poll_initial_s=poll_initial_s)
        if conv is None:
            return None
        offset = offsets.get(cid)
        if offset is None:
            start = getattr(getattr(conv, "metadata", None), "start_time_unix_secs", None)
            offset = max(0.0, start - session_started_at) if start and session_started_at else previous_end
        for item in conv.transcript or []:
            text = (item.message or "").strip()
            if not text or item.role not in ("agent", "user"):
                continue
            turns.append(Turn(role=item.role, text=text[:20_000], t=offset + float(item.time_in_call_secs or 0),
                              conversation_id=cid, interrupted=bool(getattr(item, "interrupted", False))))
        previous_end = max([offset, *(t.t for t in turns)])
    turns.sort(key=lambda t: t.t)  # stable: same-second turns keep the provider's order
    return Transcript(turns=turns, source="provider")
