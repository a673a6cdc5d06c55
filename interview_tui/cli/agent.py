"""`interview agent create|show`: provision and check the ElevenLabs interviewer agent."""

from __future__ import annotations

from typing import Annotated

import typer

from interview_tui.cli.common import fail, guarded, print_json

agent_app = typer.Typer(help="Set up and check the ElevenLabs agent.", no_args_is_help=True)


@agent_app.command("create")
def create(ctx: typer.Context,
           name: Annotated[str, typer.Option(help="The agent's name on ElevenLabs.")] = "interview-tui interviewer",
           as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Create the interviewer agent on ElevenLabs.

    Its id is saved in the config file ([elevenlabs] agent_id).
    """
    with guarded(ctx) as state:
        from interview_tui.voice.elevenlabs_agent import agent_spec, store_agent_id
        from interview_tui.voice.elevenlabs_agents_api import create_agent

        settings = state.settings()
        agent_id = create_agent(settings, agent_spec(name, settings.elevenlabs_voice_id))
        store_agent_id(settings.paths.config_file, agent_id)
        if as_json:
            print_json({"agent_id": agent_id, "config_file": str(settings.paths.config_file)})
        else:
            typer.echo(f"Created agent {agent_id}; saved as [elevenlabs] agent_id in "
                       f"{settings.paths.config_file}.")


@agent_app.command("show")
def show(ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Check the configured agent.

    Fetch it and check what this app relies on, each with its fix.
    """
    with guarded(ctx) as state:
        from dataclasses import asdict

        from interview_tui.voice.elevenlabs_agent import check_agent
        from interview_tui.voice.elevenlabs_agents_api import fetch_agent

        settings = state.settings()
        if not settings.elevenlabs_agent_id:
            fail("No agent is configured: run `interview agent create` or set ELEVENLABS_AGENT_ID.")
        data = fetch_agent(settings, settings.elevenlabs_agent_id)
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
