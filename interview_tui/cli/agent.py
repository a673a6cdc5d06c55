"""`interview agent create|show`: provision and check the ElevenLabs interviewer agent."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from interview_tui.cli.common import fail, guarded, print_json

agent_app = typer.Typer(help="Provision and check the ElevenLabs interviewer agent.", no_args_is_help=True)


def _client(settings: Any) -> Any:
    if not settings.elevenlabs_api_key:
        fail("ELEVENLABS_API_KEY is not set: export it (or add api_key under [elevenlabs] in the config file).")
    from elevenlabs.client import ElevenLabs

    kwargs: dict[str, Any] = {"api_key": settings.elevenlabs_api_key.reveal(), "timeout": 30.0}
    if settings.elevenlabs_base_url:
        kwargs["base_url"] = settings.elevenlabs_base_url
    return ElevenLabs(**kwargs)


def _api_error(err: Exception, what: str) -> str:
    code = getattr(err, "status_code", None)
    if code in (401, 403):
        return f"ElevenLabs rejected the API key while trying to {what} (HTTP {code}); check ELEVENLABS_API_KEY."
    if code == 404:
        return f"ElevenLabs could not find it while trying to {what} (HTTP 404); check ELEVENLABS_AGENT_ID."
    if code:
        return f"ElevenLabs refused to {what} (HTTP {code}); try again later."
    return f"Could not reach ElevenLabs to {what} ({type(err).__name__}); check the network or ELEVENLABS_BASE_URL."


@agent_app.command("create")
def create(ctx: typer.Context,
           name: Annotated[str, typer.Option(help="The agent's name on ElevenLabs.")] = "interview-tui interviewer",
           as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Create the interviewer agent and store its id in the config file ([elevenlabs] agent_id)."""
    with guarded(ctx) as state:
        from interview_tui.voice.elevenlabs_agent import agent_spec, store_agent_id

        settings = state.settings()
        client = _client(settings)
        spec = agent_spec(name, settings.elevenlabs_voice_id)
        try:
            created = client.conversational_ai.agents.create(
                conversation_config=spec["conversation_config"], platform_settings=spec["platform_settings"],
                name=spec["name"])
        except Exception as err:
            fail(_api_error(err, "create the agent"))
        store_agent_id(settings.paths.config_file, created.agent_id)
        if as_json:
            print_json({"agent_id": created.agent_id, "config_file": str(settings.paths.config_file)})
        else:
            typer.echo(f"Created agent {created.agent_id}; saved as [elevenlabs] agent_id in "
                       f"{settings.paths.config_file}.")


@agent_app.command("show")
def show(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Fetch the configured agent and check what this app relies on, each with its fix."""
    with guarded(ctx) as state:
        from dataclasses import asdict

        from interview_tui.voice.elevenlabs_agent import check_agent

        settings = state.settings()
        if not settings.elevenlabs_agent_id:
            fail("No agent is configured: run `interview agent create` or set ELEVENLABS_AGENT_ID.")
        client = _client(settings)
        try:
            agent = client.conversational_ai.agents.get(settings.elevenlabs_agent_id)
        except Exception as err:
            fail(_api_error(err, f"fetch agent {settings.elevenlabs_agent_id}"))
        data = agent.model_dump(mode="json", exclude_none=True) if hasattr(agent, "model_dump") else dict(agent)
        findings = check_agent(data)
        ok = all(f.ok for f in findings)
        if as_json:
            print_json({"agent_id": settings.elevenlabs_agent_id, "name": data.get("name", ""), "ok": ok,
                        "checks": [asdict(f) for f in findings]})
        else:
            typer.echo(f"Agent {settings.elevenlabs_agent_id} ({data.get('name', '')})")
            for f in findings:
                typer.echo(f"[{'ok  ' if f.ok else 'FIX '}] {f.name:<17} {f.detail}")
                if f.fix:
                    typer.echo(f"       fix: {f.fix}")
        if not ok:
            raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(agent_app, name="agent")
