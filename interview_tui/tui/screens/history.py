"""History: past sessions (open any report), the score trend as a chart, and the credit ledger."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import SessionRecord
from interview_tui.domain.scoring import counts_in_history
from interview_tui.report_export import session_title
from interview_tui.tui.intents import GoBack, OpenReport, OpenSession
from interview_tui.tui.messages import BalanceChanged, HistoryLoaded, RecordLoaded, SessionsDeleted, WorkFailed
from interview_tui.tui.screens.base import BaseScreen
from interview_tui.tui.screens.modals import ConfirmDeleteDialog
from interview_tui.tui.text import literal, mmss, plural, when
from interview_tui.tui.widgets.score_bars import score_style
from interview_tui.tui.widgets.trend_chart import TrendChart

TREND_POINTS = 16


def trend_points(sessions: list[SessionRecord]) -> list[tuple[str, int]]:
    """(label, overall score) of assessable sessions, oldest first, the newest `TREND_POINTS` of them."""
    scored = [s for s in sorted(sessions, key=lambda r: r.created_at) if counts_in_history(s.report)]
    points = [(f"#{n}", s.report.overall_score) for n, s in enumerate(scored, 1)]  # type: ignore[union-attr]
    return points[-TREND_POINTS:]  # type: ignore[return-value]


def trend_summary(points: list[tuple[str, int]]) -> Text:
    if not points:
        return Text("")
    scores = [score for _, score in points]
    text = Text.assemble(("Sessions ", "dim"), str(len(scores)), ("   average ", "dim"),
                         f"{sum(scores) / len(scores):.0f}", ("   best ", "dim"), str(max(scores)),
                         ("   latest ", "dim"), str(scores[-1]))
    if len(scores) >= 2:
        change = scores[-1] - scores[-2]
        text.append(f"   ({change:+d} since the previous one)", style="green" if change >= 0 else "yellow")
    return text


def _status_cell(record: SessionRecord) -> Text:
    style = {Status.COMPLETE: "green", Status.FAILED: "red", Status.CANCELLED: "dim"}.get(record.status, "yellow")
    return Text(record.status.value, style=style)


def _score_cell(record: SessionRecord) -> Text:
    report = record.report
    if report is None:
        return Text("—", style="dim")
    if report.overall_score is None:
        return Text("n/a", style="dim")
    return Text(str(report.overall_score), style=f"bold {score_style(report.overall_score)}")


def _role_cell(record: SessionRecord) -> Text:
    title = session_title(record)
    if record.plan is not None and record.plan.role_title:
        title = f"{title} ({record.plan.domain_track.value})"
    return literal(title if len(title) <= 44 else title[:43] + "…")


class HistoryScreen(BaseScreen):
    """Three tabs: sessions, trend, credits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "open", "Open report", tooltip="Open the selected session's report", id="open-report"),
        Binding("d", "delete", "Delete", tooltip="Delete the selected session for good (with a confirmation)",
                id="delete-session"),
        Binding("s", "tab('sessions')", "Sessions", id="tab-sessions"),
        Binding("t", "tab('trend')", "Trend", id="tab-trend"),
        Binding("c", "tab('credits')", "Credits", id="tab-credits"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sessions: dict[str, SessionRecord] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="history-tabs", initial="sessions"):
            with TabPane("Sessions", id="sessions"):
                yield DataTable(id="sessions-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Trend", id="trend"):
                yield Static("", id="trend-summary")
                yield TrendChart("", id="trend-chart")
            with TabPane("Credits", id="credits"):
                yield Static("", id="ledger-balance")
                yield DataTable(id="ledger-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        sessions = self.query_one("#sessions-table", DataTable)
        sessions.add_columns("Date", "Role / track", "Status", "Score", "Charged", "Live")
        ledger = self.query_one("#ledger-table", DataTable)
        ledger.add_columns("Date", "Change", "Kind", "For", "Balance")
        sessions.focus()
        self.load()

    def on_screen_resume(self) -> None:
        if self.sessions:
            self.load()

    @on(BalanceChanged)
    def balance_changed(self) -> None:
        self.load()

    def load(self) -> None:
        self.call_service("history", "loading your history", self._load, done=lambda m: m)

    def _load(self) -> HistoryLoaded:
        service = self.iapp.service
        return HistoryLoaded(service.list_sessions(), list(service.ledger_history()), service.balance())

    @on(HistoryLoaded)
    def loaded(self, message: HistoryLoaded) -> None:
        self.sessions = {s.id: s for s in message.sessions}
        table = self.query_one("#sessions-table", DataTable)
        table.clear()
        for record in sorted(message.sessions, key=lambda r: r.created_at, reverse=True):
            table.add_row(Text(when(record.created_at)), _role_cell(record), _status_cell(record),
                          _score_cell(record), Text("15" if record.charged else "no",
                                                    style="bold" if record.charged else "dim"),
                          Text(mmss(record.duration_s)), key=record.id)
        if not message.sessions:
            table.add_row(Text("No interviews yet.", style="dim"), "", "", "", "", "")
        points = trend_points(message.sessions)
        self.query_one("#trend-summary", Static).update(trend_summary(points))
        self.query_one(TrendChart).set_points(points)
        self._fill_ledger(message.ledger, message.balance)

    def _fill_ledger(self, rows: list[Any], balance: int) -> None:
        self.query_one("#ledger-balance", Static).update(
            Text.assemble(("Balance ", "dim"), (plural(balance, "credit"), "bold"),
                          ("   top up with: interview credits add N", "dim")))
        table = self.query_one("#ledger-table", DataTable)
        table.clear()
        running = balance
        for row in rows:  # newest first
            if row.session_id and row.session_id in self.sessions:
                what = literal(session_title(self.sessions[row.session_id]))
            elif row.session_id:
                what = Text("deleted session", style="dim italic")
            else:
                what = literal(row.note or "", "dim")
            style = "green" if row.amount > 0 else "red"
            table.add_row(Text(when(row.created_at)), Text(f"{row.amount:+d}", style=style), Text(row.kind),
                          what, Text(str(running)))
            running -= row.amount

    @on(WorkFailed)
    def failed(self, message: WorkFailed) -> None:
        title = "Delete failed" if message.action == "delete" else "History unavailable"
        self.iapp.report_error(message.message, title=title)

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "sessions":
            self.query_one("#sessions-table").focus()
        elif tab == "credits":
            self.query_one("#ledger-table").focus()

    def action_open(self) -> None:
        table = self.query_one("#sessions-table", DataTable)
        if self.query_one(TabbedContent).active != "sessions" or table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        record = self.sessions.get(key or "")
        if record is None:
            return
        if record.status is Status.COMPLETE:
            self.call_service("open", "opening the report", self.iapp.service.get, record.id, done=RecordLoaded)
        elif record.status is Status.CANCELLED:
            self.notify("That session was discarded before it went live; it has no report.")
        else:
            self.go(OpenSession(record))

    @on(DataTable.RowSelected, "#sessions-table")
    def row_selected(self) -> None:
        self.action_open()

    @on(RecordLoaded)
    def open_report(self, message: RecordLoaded) -> None:
        self.go(OpenReport(message.record))

    def _selected(self) -> SessionRecord | None:
        table = self.query_one("#sessions-table", DataTable)
        if self.query_one(TabbedContent).active != "sessions" or table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self.sessions.get(key or "")

    def action_delete(self) -> None:
        record = self._selected()
        if record is None:
            return
        if self.iapp.service.is_live(record):
            self.notify("This interview is live right now. End it first, then delete it.", severity="warning")
            return
        files = self.iapp.files

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_service("delete", "deleting the session", self._erase, record,
                                  done=SessionsDeleted)

        self.app.push_screen(ConfirmDeleteDialog(record, files.recordings.size(record.id)), answered)

    def _erase(self, record: SessionRecord) -> str:
        return self.iapp.files.erase(self.iapp.service, [record]).summary()

    @on(SessionsDeleted)
    def deleted(self, message: SessionsDeleted) -> None:
        self.notify(message.summary, title="Deleted", markup=False)
        self.load()

    def action_back(self) -> None:
        self.go(GoBack())
