"""The interviewer agent this app expects on ElevenLabs: its configuration, checks, and the config-file update.

Pure data and text handling (no SDK import): `cli/agent.py` sends `agent_spec()` through
`elevenlabs_agents_api` and reports `check_agent()` findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from interview_tui.domain.billing import MAX_SESSION_S

MIN_MAX_DURATION_S = int(MAX_SESSION_S) + 120  # 15 minutes plus a margin for reconnects/greeting
MIN_TURN_TIMEOUT_S = 15

PROMPT = """You are a friendly, professional interviewer running a {{level}} {{track}} mock interview for the \
role "{{role_title}}". The candidate's name is {{candidate_name}}. Skills to probe: {{skills}}.

Ask these questions one at a time, in order, waiting for the full answer before moving on. You may ask one short \
follow-up when an answer is vague. Do not answer the questions yourself, do not give feedback or scores during \
the interview, and keep your own turns brief.

Questions:
{{questions}}

If the conversation is resumed after a connection problem, do not start over: continue with the next \
unanswered question. When all questions are answered (or about 15 minutes have passed), thank the candidate, \
say the interview is over, and end the call with the end_call tool."""

CLIENT_EVENTS = ["audio", "interruption", "agent_response", "user_transcript", "tentative_user_transcript",
                 "conversation_initiation_metadata", "ping", "agent_response_correction"]
"""The platform's default client events plus corrections (stored in place of the turn they correct)."""

FIRST_MESSAGE = ("Hello {{candidate_name}}, thanks for joining this mock interview for the {{role_title}} role. "
                 "I'll ask a few questions; take your time with each answer. Ready to begin?")


def agent_spec(name: str = "interview-tui interviewer", voice_id: str | None = None) -> dict[str, Any]:
    """The body for POST /v1/convai/agents/create."""
    tts: dict[str, Any] = {"agent_output_audio_format": "pcm_16000"}
    if voice_id:
        tts["voice_id"] = voice_id
    return {
        "name": name,
        "conversation_config": {
            "agent": {
                "first_message": FIRST_MESSAGE,
                "language": "en",
                "dynamic_variables": {"dynamic_variable_placeholders": {
                    "candidate_name": "there", "role_title": "software engineer"}},
                "prompt": {"prompt": PROMPT, "temperature": 0.3,
                           "built_in_tools": {"end_call": {"name": "end_call", "description": "",
                                                           "params": {"system_tool_type": "end_call"}}}},
            },
            "tts": tts,
            "asr": {"user_input_audio_format": "pcm_16000"},
            "turn": {"turn_timeout": 20, "turn_eagerness": "patient"},
            "conversation": {"max_duration_seconds": MIN_MAX_DURATION_S, "client_events": CLIENT_EVENTS},
        },
        "platform_settings": {
            "auth": {"enable_auth": True},
            "overrides": {"conversation_config_override": {"agent": {"first_message": True}}},
        },
    }


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _dig(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def check_agent(agent: dict[str, Any]) -> list[Finding]:
    """Each property this app relies on, with how to fix it."""
    cc = agent.get("conversation_config") or {}
    recreate = "run `interview agent create` (or change it in the ElevenLabs dashboard)"
    out: list[Finding] = []
    prompt = str(_dig(cc, "agent", "prompt", "prompt") or "")
    missing = [v for v in ("questions",) if "{{" + v + "}}" not in prompt.replace(" ", "")]
    out.append(Finding("prompt variables", not missing, "uses {{questions}}" if not missing
                       else f"prompt lacks {', '.join('{{' + m + '}}' for m in missing)}", "" if not missing
                       else f"Add the placeholders to the prompt, or {recreate}."))
    for label, key in (("input format", ("asr", "user_input_audio_format")),
                       ("output format", ("tts", "agent_output_audio_format"))):
        value = _dig(cc, *key) or "pcm_16000"  # the platform default
        ok = value == "pcm_16000"
        out.append(Finding(label, ok, str(value), "" if ok else f"Set it to pcm_16000, or {recreate}."))
    max_s = _dig(cc, "conversation", "max_duration_seconds") or 600
    ok = int(max_s) >= MAX_SESSION_S
    out.append(Finding("max duration", ok, f"{max_s} s", "" if ok else
                       f"A 15-minute interview would be cut: set it to ≥ {MIN_MAX_DURATION_S} s, or {recreate}."))
    timeout = _dig(cc, "turn", "turn_timeout") or 7
    ok = float(timeout) >= MIN_TURN_TIMEOUT_S
    out.append(Finding("turn timeout", ok, f"{timeout} s", "" if ok else
                       f"Candidates need time to think: set it to ≥ {MIN_TURN_TIMEOUT_S} s, or {recreate}."))
    tools = _dig(cc, "agent", "prompt", "built_in_tools") or {}
    has_end = bool(isinstance(tools, dict) and tools.get("end_call"))
    out.append(Finding("end_call tool", has_end, "enabled" if has_end else "missing",
                       "" if has_end else f"Enable the end_call system tool, or {recreate}."))
    auth = bool(_dig(agent, "platform_settings", "auth", "enable_auth"))
    out.append(Finding("authentication", auth, "private (signed URLs)" if auth else "public",
                       "" if auth else f"Enable authentication so only your key can start calls, or {recreate}."))
    return out


def store_agent_id(config_file: Path, agent_id: str) -> None:
    """Set [elevenlabs] agent_id in the TOML config, keeping everything else (comments and layout included, via
    tomlkit); written atomically, mode 0600."""
    from interview_tui.config_write import set_config_value

    if not re.fullmatch(r"[A-Za-z0-9_\-]{1,128}", agent_id):
        raise ValueError(f"unexpected agent id {agent_id!r}")
    set_config_value(config_file, "elevenlabs", "agent_id", agent_id)
