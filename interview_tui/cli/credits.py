"""`interview credits add|balance|history` — the fast path: no pydantic models, no SDKs, no textual."""

from __future__ import annotations

import re
from typing import Annotated

import typer

from interview_tui.cli.common import MAX_LIMIT, fail, guarded, iso, one_line, print_json, say
from interview_tui.domain.billing import MAX_TOPUP

NOTE_MAX_CHARS = 200

credits_app = typer.Typer(help="Top up and inspect the credit balance.", no_args_is_help=True)


_AMOUNT = re.compile(r"\+?[0-9][0-9_]*")


def _parse_amount(raw: str) -> int:
    """A whole number of credits written with ASCII digits (`_` allowed between them); the sign, size and bounds
    are checked here before any conversion, so no spelling of a number can be mistaken for another."""
    text = raw.strip()
    if text.startswith("-") and _AMOUNT.fullmatch(text[1:]):
        fail("Amounts are positive: a top-up adds credits (there is no way to remove them here).")
    if not _AMOUNT.fullmatch(text) or text.endswith("_") or "__" in text:
        fail(f"The amount must be a whole number of credits written with the digits 0-9, not {one_line(raw)[:40]!r}.")
    digits = text.lstrip("+").replace("_", "").lstrip("0") or "0"
    if len(digits) > len(str(MAX_TOPUP)):
        fail(f"A single top-up is limited to {MAX_TOPUP:,} credits.")
    return int(digits)


@credits_app.command("add", context_settings={"ignore_unknown_options": True})
def add(
    ctx: typer.Context,
    amount: Annotated[str, typer.Argument(help=f"Credits to add (a whole number, 1 … {MAX_TOPUP:,}).")],
    note: Annotated[str | None, typer.Option("--note", help="A note stored with the top-up.")] = None,
    ref: Annotated[str | None, typer.Option(
        "--ref", help="The payment's reference (receipt or transfer id): the same one adds credits once.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Add credits to the balance."""
    with guarded(ctx) as state:
        value = _parse_amount(amount)
        if note is not None and len(note) > NOTE_MAX_CHARS:
            fail(f"The note is limited to {NOTE_MAX_CHARS} characters.")

        from interview_tui.domain.clock import SystemClock
        from interview_tui.store.ledger import Ledger

        ledger = Ledger(state.store())
        row, added = ledger.top_up_once(value, SystemClock().now(), note, ref)
        balance = ledger.balance()
        if as_json:
            data: dict[str, object] = {"added": value if added else 0, "balance": balance, "entry_id": row.id}
            if ref is not None:
                data["already_added"] = not added
            print_json(data)
        elif added:
            typer.echo(f"Added {value} credits. Balance: {balance}.")
        else:
            say(f"Already added: reference {one_line(ref or '')!r} was credited before (entry {row.id}, "
                f"{value} credits); nothing added this time. Balance: {balance}.")


@credits_app.command("balance")
def balance(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: {\"balance\": N}.")] = False,
) -> None:
    """Show the credit balance."""
    with guarded(ctx) as state:
        from interview_tui.store.ledger import Ledger

        value = Ledger(state.store()).balance()
        if as_json:
            print_json({"balance": value})
        else:
            typer.echo(str(value))


@credits_app.command("history")
def history(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    limit: Annotated[int | None, typer.Option("--limit", min=1, max=MAX_LIMIT, help="Newest N rows.")] = None,
) -> None:
    """List every ledger row, newest first."""
    with guarded(ctx) as state:
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


def register(app: typer.Typer) -> None:
    app.add_typer(credits_app, name="credits")
