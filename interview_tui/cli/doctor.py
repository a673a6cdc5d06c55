"""`interview doctor [--audio] [--json]`: what is configured, what is missing, and how to fix each."""

from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

import typer

from interview_tui.cli.common import guarded, one_line, print_json


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _settings_check(state: Any) -> tuple[Any, Check]:
    """The settings, and a check of the config file and environment: a bad setting is one failed check (the
    other checks then run on the environment alone, or the defaults)."""
    from interview_tui.domain.errors import InvalidInput
    from interview_tui.settings import Settings, load_settings

    paths = state.paths()
    try:
        settings = state.settings()
    except InvalidInput as err:
        try:
            fallback = load_settings(paths, use_config_file=False)
        except InvalidInput:
            fallback = Settings(paths=paths)
        return fallback, Check("settings", False, str(err), "correct that setting (or move the config file away), "
                               "then run `interview doctor` again")
    where = str(paths.config_file) if paths.config_file.exists() else "no config file; environment and defaults"
    warned = f" ({len(settings.warnings)} unknown setting(s) ignored)" if settings.warnings else ""
    return settings, Check("settings", True, where + warned)


def _checks(state: Any, today: date) -> list[Check]:
    settings, settings_check = _settings_check(state)
    checks = [
        settings_check,
        Check("gemini_key", settings.gemini_configured,
              "set (Gemini plans and scores interviews)" if settings.gemini_configured else "not set",
              "" if settings.gemini_configured else "export GEMINI_API_KEY=… to use Gemini; the offline planner "
              "and analyzer are used until then"),
        _gemini_model_check(settings),
        _gemini_lifecycle_check(settings.gemini_model, today),
        *_elevenlabs_checks(settings),
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


def _gemini_lifecycle_check(model: str, today: date) -> Check:
    """The configured model against the dated table of known shutdowns: past or near → not ok, with the
    replacement (works offline; no key needed)."""
    from interview_tui.domain.model_lifecycle import Lifecycle, model_status
    from interview_tui.providers.gemini_models import load_model_table

    table = load_model_table()
    status = model_status(model, table, today)
    detail = status.sentence(today) + f" [known shutdowns as of {table.checked_on.isoformat()}]"
    if status.state is Lifecycle.CURRENT:
        return Check("gemini_model_lifecycle", True, detail)
    return Check("gemini_model_lifecycle", False, detail,
                 f"export GEMINI_MODEL={status.replacement} (or set model under [gemini] in the config file)")


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


def _elevenlabs_checks(settings: Any) -> list[Check]:
    """The key and the agent, checked against the ElevenLabs API when both are set (GET the agent): a rejected
    key or an unknown agent is a failure with its fix; when it could not be checked, the detail says so."""
    key, agent = settings.elevenlabs_api_key, settings.elevenlabs_agent_id
    key_fix = ("export ELEVENLABS_API_KEY=… for the ElevenLabs voice interviewer; offline voice or text mode is "
               "used until then")
    agent_fix = "run `interview agent create` (needs ELEVENLABS_API_KEY)"
    if not key:
        return [Check("elevenlabs_key", False, "not set", key_fix),
                Check("elevenlabs_agent", bool(agent), f"{agent} (not checked: no key)" if agent else "not set",
                      "" if agent else agent_fix)]
    if not agent:
        return [Check("elevenlabs_key", True, "set (not checked: there is no agent id to check it with)"),
                Check("elevenlabs_agent", False, "not set", agent_fix)]
    from interview_tui.voice.elevenlabs_agents_api import probe_agent

    code, problem = probe_agent(settings, agent)
    if code in (401, 403):
        return [Check("elevenlabs_key", False, f"set, but ElevenLabs rejected it (HTTP {code})",
                      "check ELEVENLABS_API_KEY (copy it again from the ElevenLabs dashboard)"),
                Check("elevenlabs_agent", True, f"{agent} (not checked: the key was rejected)")]
    if code == 404:
        return [Check("elevenlabs_key", True, "set, accepted by ElevenLabs"),
                Check("elevenlabs_agent", False, f"{agent}: ElevenLabs does not know this agent (HTTP 404)",
                      "check ELEVENLABS_AGENT_ID, or run `interview agent create`")]
    if problem:
        return [Check("elevenlabs_key", True, f"set (not checked: {problem})"),
                Check("elevenlabs_agent", True, f"{agent} (not checked: {problem})")]
    return [Check("elevenlabs_key", True, "set, accepted by ElevenLabs"),
            Check("elevenlabs_agent", True, f"{agent}, found")]


def _audio_checks(settings: Any) -> list[Check]:
    try:
        import sounddevice as sd
    except OSError:
        return [Check("portaudio", False, "not found", "sudo apt-get install libportaudio2 (or use --text)")]
    from interview_tui.voice.audio import device_option, device_problem

    checks = [Check("portaudio", True, sd.get_portaudio_version()[1])]
    for kind, chosen in (("input", settings.input_device), ("output", settings.output_device)):
        problem = device_problem(sd, chosen, kind)
        if problem is not None:  # the device asked for is not there: named, with the list of those there are
            checks.append(Check(f"{kind}_device", False, problem, f"choose one by name or index with "
                                                                   f"{device_option(kind)} (or use --text)"))
            continue
        try:
            wanted = int(chosen) if chosen and chosen.strip().isdigit() else chosen
            dev = sd.query_devices(wanted, kind=kind)
            checks.append(Check(f"{kind}_device", True, str(dev["name"])))
        except (ValueError, sd.PortAudioError) as err:
            fix = ("plug in a microphone or pick one with --input-device (or use --text)" if kind == "input"
                   else "pick a speaker with --output-device")
            checks.append(Check(f"{kind}_device", False, f"none usable ({err})", fix))
    return checks


def _audio_rows(result: dict[str, Any]) -> list[tuple[str, str]]:
    """What the audio check measured, as (label, value) rows; what was not measured is said in words."""
    rms, peak = result.get("input_rms_dbfs"), result.get("input_peak_dbfs")
    level = (f"{rms:.1f} dBFS average, {peak:.1f} dBFS peak (about -60 or lower is silence)"
             if rms is not None and peak is not None else "not measured")
    return [("microphone", str(result.get("input_device") or "not opened")),
            ("microphone level", level),
            ("speaker", str(result.get("output_device") or "not opened")),
            ("test tone", "played" if result.get("tone_played") else "not played")]


def _audio(state: Any, as_json: bool) -> None:
    """`doctor --audio`: each step announced on stderr while it runs (stdout stays clean for --json), the
    measurements, then the verdict; exit 1 unless audio works."""
    from interview_tui.voice.audio_check import audio_verdict, run_audio_check

    def step(text: str) -> None:
        typer.echo(one_line(text), err=True)

    result = run_audio_check(state.settings(), on_step=step)
    ok, verdict = audio_verdict(result)
    if as_json:
        print_json({**result, "ok": ok, "verdict": verdict})
    else:
        for label, value in _audio_rows(result):
            typer.echo(f"{label:<17} {one_line(value)}")
        typer.echo(f"verdict: {one_line(verdict)}")
    if not ok:
        raise typer.Exit(1)


def doctor(
    ctx: typer.Context,
    audio: Annotated[bool, typer.Option("--audio", help="Record 2 s from the microphone, play a tone, and say "
                                        "whether audio works.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    today: Annotated[datetime | None, typer.Option("--today", formats=["%Y-%m-%d"], hidden=True,
                                                   help="Judge model shutdowns as of this date.")] = None,
) -> None:
    """Check keys, audio, espeak-ng and the database.

    Each problem comes with its fix; keys are shown only as set or not set. With --audio: record from the
    microphone for a few seconds, play a tone, and say whether audio works.
    """
    with guarded(ctx) as state:
        if audio:
            _audio(state, as_json)
            return
        from interview_tui.domain.textsafe import redact_urls

        found = _checks(state, today.date() if today else datetime.now(UTC).date())
        checks = [Check(c.name, c.ok, redact_urls(c.detail), redact_urls(c.fix)) for c in found]
        ok = all(c.ok for c in checks)
        if as_json:
            print_json({"checks": [asdict(c) for c in checks], "ok": ok})
        else:
            for c in checks:  # details come from servers and files: printed as one safe line each
                mark = "ok  " if c.ok else "MISS"
                typer.echo(f"[{mark}] {c.name:<17} {one_line(c.detail)}")
                if c.fix:
                    typer.echo(f"       fix: {one_line(c.fix)}")
        if not ok:
            raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("doctor")(doctor)
