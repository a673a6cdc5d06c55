"""`interview doctor [--audio] [--json]`: what is configured, what is missing, and how to fix each."""

from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass
from typing import Annotated, Any

import typer

from interview_tui.cli.common import print_json, run_guarded, state_of


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _checks(state: Any) -> list[Check]:
    settings = state.settings()
    checks = [
        Check("gemini_key", settings.gemini_configured,
              "set (Gemini plans and scores interviews)" if settings.gemini_configured else "not set",
              "" if settings.gemini_configured else "export GEMINI_API_KEY=… to use Gemini; the offline planner "
              "and analyzer are used until then"),
        _gemini_model_check(settings),
        Check("elevenlabs_key", bool(settings.elevenlabs_api_key),
              "set" if settings.elevenlabs_api_key else "not set",
              "" if settings.elevenlabs_api_key else "export ELEVENLABS_API_KEY=… for the ElevenLabs voice "
              "interviewer; offline voice or text mode is used until then"),
        Check("elevenlabs_agent", bool(settings.elevenlabs_agent_id),
              settings.elevenlabs_agent_id or "not set",
              "" if settings.elevenlabs_agent_id else "run `interview agent create` (needs ELEVENLABS_API_KEY)"),
    ]
    espeak = shutil.which("espeak-ng")
    checks.append(Check("espeak_ng", espeak is not None, espeak or "not found",
                        "" if espeak else "sudo apt-get install espeak-ng (offline interviewer voice)"))
    checks.extend(_audio_checks(settings))
    try:
        store = state.store()
        from interview_tui.store.db import SCHEMA_VERSION

        checks.append(Check("database", True, f"{store.path} (schema {store.schema_version} of {SCHEMA_VERSION})"))
    except Exception as err:  # a StoreError carries its own fix
        checks.append(Check("database", False, str(settings.paths.db_path), str(err)))
    return checks


def _gemini_model_check(settings: Any) -> Check:
    """With a key: ask Gemini whether the key works and the model exists (retired models get their fix)."""
    if not settings.gemini_configured:
        return Check("gemini_model", True, f"{settings.gemini_model} (not checked: no key)")
    from interview_tui.domain.errors import ProviderError
    from interview_tui.providers.gemini_client import GeminiCaller

    try:
        return Check("gemini_model", True, GeminiCaller(settings).check_model())
    except ProviderError as err:
        return Check("gemini_model", False, settings.gemini_model, str(err))


def _audio_checks(settings: Any) -> list[Check]:
    try:
        import sounddevice as sd
    except OSError:
        return [Check("portaudio", False, "not found", "sudo apt-get install libportaudio2 (or use --text)")]
    checks = [Check("portaudio", True, sd.get_portaudio_version()[1])]
    for kind, chosen in (("input", settings.input_device), ("output", settings.output_device)):
        try:
            dev = sd.query_devices(chosen, kind=kind)
            checks.append(Check(f"{kind}_device", True, str(dev["name"])))
        except (ValueError, sd.PortAudioError) as err:
            fix = ("plug in a microphone or pick one with --input-device (or use --text)" if kind == "input"
                   else "pick a speaker with --output-device")
            checks.append(Check(f"{kind}_device", False, f"none usable ({err})", fix))
    return checks


def doctor(
    ctx: typer.Context,
    audio: Annotated[bool, typer.Option("--audio", help="Record 2 s from the mic and play a tone.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check keys (never printing them), audio, espeak-ng and the database, each with its fix."""
    state = state_of(ctx)

    def body() -> None:
        if audio:
            from interview_tui.voice.audio_check import run_audio_check

            result = run_audio_check(state.settings())
            if as_json:
                print_json(result)
            else:
                for key, value in result.items():
                    typer.echo(f"{key:<18} {value}")
            if result.get("error"):
                raise typer.Exit(1)
            return
        checks = _checks(state)
        if as_json:
            print_json({"checks": [asdict(c) for c in checks], "ok": all(c.ok for c in checks)})
            return
        for c in checks:
            mark = "ok  " if c.ok else "MISS"
            typer.echo(f"[{mark}] {c.name:<17} {c.detail}")
            if c.fix:
                typer.echo(f"       fix: {c.fix}")

    run_guarded(body, state)


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
