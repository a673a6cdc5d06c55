"""The config file's schema (pydantic): every known key with its type and bounds.

Imported only when a config file exists, so commands that never read settings stay fast. Unknown sections and keys
are allowed here and reported by `unknown_keys` (warned, then ignored), so a key added by a newer version does not
stop an older one. A new setting needs its key here as well as in `settings.Settings`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError

NonEmpty = Annotated[StrictStr, Field(min_length=1, max_length=1000, pattern=r"\S")]
HttpUrl = Annotated[StrictStr, Field(pattern=r"^https?://\S+$", max_length=2000)]
Seconds = Annotated[float, Field(strict=True, gt=0, le=3600, allow_inf_nan=False)]
Device = NonEmpty | Annotated[StrictInt, Field(ge=0, le=10_000)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class GeminiSection(_Section):
    api_key: NonEmpty | None = None
    base_url: HttpUrl | None = None
    model: NonEmpty | None = None
    timeout_s: Seconds | None = None


class ElevenLabsSection(_Section):
    api_key: NonEmpty | None = None
    agent_id: NonEmpty | None = None
    voice_id: NonEmpty | None = None
    base_url: HttpUrl | None = None


class AudioSection(_Section):
    input_device: Device | None = None
    output_device: Device | None = None
    answer_pause_s: Annotated[float, Field(strict=True, ge=1, le=15, allow_inf_nan=False)] | None = None


class ProfileSection(_Section):
    name: Annotated[StrictStr, Field(max_length=100)] | None = None


class RecordingsSection(_Section):
    enabled: bool | None = None
    keep_days: Annotated[float, Field(strict=True, ge=0, le=100_000, allow_inf_nan=False)] | None = None


class UiSection(_Section):
    theme: Annotated[StrictStr, Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")] | None = None


class ConfigFile(_Section):
    gemini: GeminiSection = GeminiSection()
    elevenlabs: ElevenLabsSection = ElevenLabsSection()
    audio: AudioSection = AudioSection()
    profile: ProfileSection = ProfileSection()
    recordings: RecordingsSection = RecordingsSection()
    ui: UiSection = UiSection()


_WHAT = {
    "timeout_s": "a finite number of seconds, more than 0 and at most 3600",
    "base_url": "an http:// or https:// URL",
    "input_device": "a device name or index", "output_device": "a device name or index",
    "answer_pause_s": "a number of seconds from 1 to 15",
    "name": "text of at most 100 characters",
    "enabled": "true or false", "keep_days": "a number of days, 0 or more",
    "theme": "a theme name such as \"textual-dark\" or \"textual-light\"",
}


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a table" if value else "an empty table"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def problem(err: ValidationError) -> str:
    """The first problem of a validation error as '<key> must be <what> (got <value>)'."""
    first = err.errors()[0]
    loc = [str(part) for part in first["loc"][:2]]  # section, key (deeper parts name union members)
    key, leaf = ".".join(loc), loc[-1] if loc else ""
    what = f"a table ([{leaf}] with key = value lines)" if len(loc) == 1 else _WHAT.get(leaf, "non-empty text")
    return f"{key} must be {what} (got {_shown(first.get('input'))})"


def validate(data: dict[str, Any]) -> ConfigFile:
    return ConfigFile.model_validate(data)


def unknown_keys(config: ConfigFile) -> list[str]:
    """Dotted names of the sections and keys this version does not know."""
    names = [f"[{name}]" for name in config.model_extra or {}]
    for section_name in ConfigFile.model_fields:
        section = getattr(config, section_name)
        names += [f"{section_name}.{key}" for key in section.model_extra or {}]
    return names
