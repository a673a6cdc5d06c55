"""`interview sessions list|show|export`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from interview_tui.cli.common import MAX_LIMIT, fail, guarded, iso, one_line, print_json, say

if TYPE_CHECKING:
    from interview_tui.domain.models import SessionRecord

sessions_app = typer.Typer(help="List, show, export and delete sessions.", no_args_is_help=True)


def summary(record: SessionRecord) -> dict[str, Any]:
    """The stable one-line shape used by `sessions list --json`."""
    plan, report = record.plan, record.report
    return {
        "id": record.id,
        "status": record.status.value,
        "created_at": iso(record.created_at),
        "role": plan.role_title if plan else None,
        "track": plan.domain_track.value if plan else None,
        "level": plan.experience_level.value if plan else None,
        "duration_s": record.duration_s,
        "charged": record.charged,
        "score": report.overall_score if report else None,
        "error": record.error,
    }


def detail(record: SessionRecord) -> dict[str, Any]:
    """The full record for `sessions show --json`: the JSON export's shape (times as ISO-8601 UTC)."""
    from interview_tui.report_export import record_data

    return record_data(record)


@sessions_app.command("list")
def list_(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", min=1, max=MAX_LIMIT, help="Newest N sessions.")] = None,
) -> None:
    """List sessions, newest first."""
    with guarded(ctx) as state:
        records = state.service().list_sessions(limit)
        if as_json:
            print_json({"sessions": [summary(r) for r in records]})
            return
        if not records:
            typer.echo("No sessions yet. Run `interview` to start one.")
            return
        for r in records:
            s = summary(r)
            score = "-" if s["score"] is None else str(s["score"])
            charged = "charged" if s["charged"] else "free"
            role = one_line(s["role"] or s["track"] or "")
            say(f"{one_line(r.id)}  {s['created_at']}  {s['status']:<9}  score {score:>3}  {charged:<7}  {role}")


@sessions_app.command("show")
def show(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(help="Session id (or a unique prefix of 4+ characters).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one session and its report."""
    with guarded(ctx) as state:
        record = state.service().resolve(session_id)
        if as_json:
            print_json(detail(record))
            return
        from interview_tui.domain import figures

        s = summary(record)
        lines = [
            f"Session   {record.id}",
            f"Status    {s['status']}" + (f" — {one_line(record.error)}" if record.error else ""),
            f"Created   {s['created_at']}",
            f"Role      {one_line(s['role'] or '-')}  ({s['track'] or '-'}, {s['level'] or '-'})",
            f"Live      {'-' if record.duration_s is None else figures.clock(record.duration_s)}",
            f"Charged   {'yes' if record.charged else 'no'}",
            f"Score     {'-' if s['score'] is None else s['score']}",
        ]
        if record.report is not None:
            from interview_tui.report_text import report_text

            lines += ["", "Report", "", report_text(record.report).rstrip()]
        elif record.plan:
            lines.append("Questions")
            lines += [f"  {i}. {one_line(q.text)}" for i, q in enumerate(record.plan.questions, 1)]
        say("\n".join(lines))


@sessions_app.command("export")
def export(
    ctx: typer.Context,
    session_id: Annotated[str, typer.Argument(help="Session id (or a unique prefix).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="md or json.")] = "md",
) -> None:
    """Print a session's report as Markdown or JSON.

    Redirect it to a file to save it.
    """
    with guarded(ctx) as state:
        if fmt not in ("md", "json"):
            fail(f"--format must be md or json, not {fmt!r}.")

        from interview_tui.report_export import export_session

        record = state.service().resolve(session_id)
        if record.report is None:
            fail(f"Session {record.id} has no report yet (status: {record.status.value}).")
        from interview_tui.domain.textsafe import escape_json_text, safe_text

        text = export_session(record, fmt)  # to a terminal or a file: no escape sequence survives either way
        typer.echo(escape_json_text(text) if fmt == "json" else safe_text(text), nl=False)


def parse_before(raw: str) -> float:
    """`--before` as seconds since the epoch: an ISO date (local midnight) or date and time (local unless it
    has a UTC offset)."""
    from datetime import datetime

    try:
        when = datetime.fromisoformat(raw.strip())
    except ValueError:
        fail(f"--before must be a date like 2026-01-31 (or 2026-01-31T18:00), not {raw!r}.")
    return when.timestamp()  # naive → local time


@sessions_app.command("delete")
def delete(
    ctx: typer.Context,
    session_id: Annotated[str | None, typer.Argument(help="Session id (or a unique prefix of 4+ characters).")] = None,
    before: Annotated[str | None, typer.Option("--before", help="Delete every session created before this date "
                                               "(YYYY-MM-DD, local time).")] = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Delete sessions for good.

    Their plan, transcripts, report, recording and cached plan are removed; the ledger keeps its rows.
    """
    with guarded(ctx) as state:
        if (session_id is None) == (before is None):
            fail("Give a session id, or --before DATE (not both).")
        cutoff = parse_before(before) if before is not None else None

        from interview_tui.erasure import erase_sessions
        from interview_tui.providers.plan_cache import PlanCache
        from interview_tui.recordings import RecordingStore

        service = state.service()
        records = [service.resolve(session_id)] if session_id is not None else service.sessions_before(cutoff or 0)
        if not records:
            if as_json:
                print_json({"deleted": [], "recordings": 0, "cached_plans": 0, "scrubbed": True})
            else:
                typer.echo("No sessions match; nothing was deleted.")
            return
        if not yes:
            listing = "\n".join(f"  {r.id}  {iso(r.created_at)}  {summary(r)['role'] or r.status.value}"
                                 for r in records[:20])
            more = f"\n  … and {len(records) - 20} more" if len(records) > 20 else ""
            typer.echo(f"{listing}{more}", err=True)
            question = (f"Delete {'this session' if len(records) == 1 else f'these {len(records)} sessions'} "
                        "for good (transcripts, report, recording)?")
            try:
                confirmed = typer.confirm(question, default=False, err=True)
            except typer.Abort:  # no answer (end of input)
                confirmed = False
            if not confirmed:
                fail("Nothing was deleted (pass --yes to skip the question).", code=1)
        paths = state.settings().paths
        result = erase_sessions(service, records, recordings=RecordingStore(paths.recordings_dir),
                                plan_cache=PlanCache(paths.cache_dir))
        if as_json:
            print_json({"deleted": result.session_ids, "recordings": result.recordings,
                        "cached_plans": result.cached_plans, "scrubbed": result.scrubbed})
        else:
            typer.echo(result.summary())


def register(app: typer.Typer) -> None:
    app.add_typer(sessions_app, name="sessions")
