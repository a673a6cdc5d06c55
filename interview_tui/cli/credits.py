"""`interview credits add|balance|history` — the fast path: no pydantic models, no SDKs, no textual."""

from __future__ import annotations

from typing import Annotated

import typer

from interview_tui.cli.common import fail, iso, print_json, run_guarded, state_of

credits_app = typer.Typer(help="Top up and inspect the credit balance.", no_args_is_help=True)


def _parse_amount(raw: str) -> int:
    """A whole number; the ledger itself refuses zero, negative and absurdly large top-ups."""
    text = raw.strip().replace("_", "")
    if not text.lstrip("+-").isdigit():
        fail(f"The amount must be a whole number of credits, not {raw!r}.")
    return int(text)


@credits_app.command("add")
def add(
    ctx: typer.Context,
    amount: Annotated[str, typer.Argument(help="Credits to add (a positive whole number).")],
    note: Annotated[str | None, typer.Option("--note", help="A note stored with the top-up.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Add credits to the balance."""
    state = state_of(ctx)
    value = _parse_amount(amount)
    if note is not None and len(note) > 200:
        fail("The note is limited to 200 characters.")

    def body() -> None:
        from interview_tui.domain.clock import SystemClock
        from interview_tui.store.ledger import Ledger

        ledger = Ledger(state.store())
        row = ledger.top_up(value, SystemClock().now(), note)
        balance = ledger.balance()
        if as_json:
            print_json({"added": value, "balance": balance, "entry_id": row.id})
        else:
            typer.echo(f"Added {value} credits. Balance: {balance}.")

    run_guarded(body, state)


@credits_app.command("balance")
def balance(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: {\"balance\": N}.")] = False,
) -> None:
    """Show the credit balance."""
    state = state_of(ctx)

    def body() -> None:
        from interview_tui.store.ledger import Ledger

        value = Ledger(state.store()).balance()
        if as_json:
            print_json({"balance": value})
        else:
            typer.echo(str(value))

    run_guarded(body, state)


@credits_app.command("history")
def history(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", min=1, max=1_000_000, help="Newest N rows.")] = None,
) -> None:
    """List every ledger row, newest first."""
    state = state_of(ctx)

    def body() -> None:
        from interview_tui.store.ledger import Ledger

        ledger = Ledger(state.store())
        rows = ledger.history(limit)
        deleted = ledger.deleted_sessions()
        if as_json:
            print_json({"entries": [{**row.as_dict(), "created_at": iso(row.created_at),
                                     "session_deleted": row.session_id in deleted} for row in rows]})
            return
        if not rows:
            typer.echo("No ledger entries yet. Top up with `interview credits add 15`.")
            return
        for row in rows:
            session = f"  session {row.session_id}" if row.session_id else ""
            if row.session_id in deleted:
                session += " (deleted)"
            note = f"  {row.note}" if row.note and not row.session_id else ""
            typer.echo(f"{iso(row.created_at)}  {row.kind:<7} {row.amount:+6d}{session}{note}")

    run_guarded(body, state)


def register(app: typer.Typer) -> None:
    app.add_typer(credits_app, name="credits")
