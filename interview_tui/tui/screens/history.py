"""History: past sessions (open any report, compare two), the score trend with dates and per dimension, and the
credit ledger. Sessions that are not assessable are listed but never counted in the trend."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Header, Static, TabbedContent, TabPane

from interview_tui.domain.billing import LedgerRow
from interview_tui.domain.compare import compare_sessions, dimension_series
from interview_tui.domain.lifecycle import Status
from interview_tui.domain.models import SessionRecord
from interview_tui.domain.scoring import counts_in_history
from interview_tui.report_export import session_title
from interview_tui.tui.intents import GoBack, OpenReport, OpenSession
from interview_tui.tui.messages import BalanceChanged, HistoryLoaded, RecordLoaded, SessionsDeleted, WorkFailed
from interview_tui.tui.screens.base import BaseScreen
from interview_tui.tui.screens.modals import ConfirmDeleteDialog, ConfirmDeleteManyDialog
from interview_tui.tui.text import literal, mmss, plural, when
from interview_tui.tui.widgets.history_views import comparison_view, dimension_trend, mode_label
from interview_tui.tui.widgets.score_bars import score_style
from interview_tui.tui.widgets.trend_chart import TrendChart

TREND_POINTS = 16


def trend_points(sessions: list[SessionRecord]) -> list[tuple[str, int]]:
    """(label, overall score) of assessable sessions, oldest first, the newest `TREND_POINTS` of them."""
    points: list[tuple[str, int]] = []
    for s in sorted(sessions, key=lambda r: r.created_at):
        if s.report is not None and s.report.overall_score is not None and counts_in_history(s.report):
            points.append((date_label(s.created_at), s.report.overall_score))
    return points[-TREND_POINTS:]


def date_label(ts: float) -> str:
    """A session's day under its trend bar: MM-DD (local time)."""
    return when(ts)[5:10]


def trend_summary(points: list[tuple[str, int]], not_counted: int = 0) -> Text:
    skipped = Text(f"   ({not_counted} not assessable, not counted)", style="dim") if not_counted else Text("")
    if not points:
        return skipped
    scores = [score for _, score in points]
    text = Text.assemble(("Scored sessions ", "dim"), str(len(scores)), ("   average ", "dim"),
                         f"{sum(scores) / len(scores):.0f}", ("   best ", "dim"), str(max(scores)),
                         ("   latest ", "dim"), str(scores[-1]))
    if len(scores) >= 2:
        change = scores[-1] - scores[-2]
        text.append(f"   ({change:+d} since the previous one)", style="green" if change >= 0 else "yellow")
    text.append_text(skipped)
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
        Binding("d", "delete", "Delete", tooltip="Delete the marked sessions, or else the selected one, for good "
                "(one confirmation)", id="delete-session"),
        Binding("space", "mark", "Mark", tooltip="Mark or unmark the selected session: to compare another with it "
                "(v), or to delete all marked at once (d)", id="mark-session"),
        Binding("v", "compare", "Compare", tooltip="Compare the selected session with the marked one (or the one "
                "before it)", id="compare-sessions"),
        # The tabs name their keys; the footer keeps room for the actions.
        Binding("s", "tab('sessions')", "Sessions", show=False, id="tab-sessions"),
        Binding("t", "tab('trend')", "Trend", show=False, id="tab-trend"),
        Binding("c", "tab('credits')", "Credits", show=False, id="tab-credits"),
        Binding("escape", "back", "Back", id="back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sessions: dict[str, SessionRecord] = {}
        self.marked: list[str] = []
        """Sessions marked with space, in the order marked: the last one is compared with (v); all are deleted
        together (d)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(id="history-tabs", initial="sessions"):
            with TabPane("Sessions (s)", id="sessions"):
                yield DataTable(id="sessions-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Trend (t)", id="trend"), VerticalScroll():
                yield Static("", id="trend-summary")
                yield TrendChart("", id="trend-chart")
                yield Static("", id="dimension-trend")
            with TabPane("Compare (v)", id="compare"), VerticalScroll(id="compare-body"):
                yield Static(Text("Mark a session with space, move to another and press v (or press v to compare "
                                  "the selected session with the one before it).", style="dim"),
                             id="compare-hint")
            with TabPane("Credits (c)", id="credits"):
                yield Static("", id="ledger-balance")
                yield DataTable(id="ledger-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        sessions = self.query_one("#sessions-table", DataTable)
        # The distinguishing columns first: at 60 columns the role (often the same) is what gets cut.
        sessions.add_columns(" ", "Date", "Score", "Mode", "Live", "Status", "Charged", "Role / track")
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
        return HistoryLoaded(service.list_sessions(), service.ledger_history(), service.balance())

    @on(HistoryLoaded)
    def loaded(self, message: HistoryLoaded) -> None:
        self.sessions = {s.id: s for s in message.sessions}
        self.marked = [key for key in self.marked if key in self.sessions]
        table = self.query_one("#sessions-table", DataTable)
        table.clear()
        for record in sorted(message.sessions, key=lambda r: r.created_at, reverse=True):
            table.add_row(self._marker(record.id),
                          Text(when(record.created_at)), _score_cell(record), Text(mode_label(record)),
                          Text(mmss(record.duration_s)), _status_cell(record),
                          Text("15" if record.charged else "no", style="bold" if record.charged else "dim"),
                          _role_cell(record), key=record.id)
        if not message.sessions:
            table.add_row("", Text("No interviews yet.", style="dim"), "", "", "", "", "", "")
        points = trend_points(message.sessions)
        not_counted = sum(1 for s in message.sessions if s.report is not None and not counts_in_history(s.report))
        self.query_one("#trend-summary", Static).update(trend_summary(points, not_counted))
        self.query_one(TrendChart).set_points(points)
        self.query_one("#dimension-trend", Static).update(dimension_trend(dimension_series(message.sessions)))
        self._fill_ledger(message.ledger, message.balance)

    def _fill_ledger(self, rows: list[LedgerRow], balance: int) -> None:
        self.query_one("#ledger-balance", Static).update(
            Text.assemble(("Balance ", "dim"), (plural(balance, "credit"), "bold"),
                          (f"   top up with: {self.iapp.command('credits add N')}", "dim")))
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
        """Delete the marked sessions (one confirmation for all), or the selected one when none is marked."""
        marked = [self.sessions[key] for key in self.marked if key in self.sessions]
        selected = self._selected()
        records = marked or ([selected] if selected is not None else [])
        if not records or self.query_one(TabbedContent).active != "sessions":
            return
        if any(self.iapp.service.is_live(record) for record in records):
            which = "This interview is" if len(records) == 1 else "A marked interview is"
            self.notify(f"{which} live right now. End it first, then delete it.", severity="warning")
            return
        recordings = self.iapp.files.recordings

        def answered(yes: bool | None) -> None:
            if yes:
                self.call_service("delete", "deleting the sessions" if len(records) > 1 else "deleting the session",
                                  self._erase, records, done=SessionsDeleted)

        if len(records) == 1:
            dialog: ConfirmDeleteDialog | ConfirmDeleteManyDialog = ConfirmDeleteDialog(
                records[0], recordings.size(records[0].id))
        else:
            dialog = ConfirmDeleteManyDialog(records, sum(recordings.size(r.id) or 0 for r in records))
        self.app.push_screen(dialog, answered)

    def _erase(self, records: list[SessionRecord]) -> str:
        return self.iapp.files.erase(self.iapp.service, records).summary()

    @on(SessionsDeleted)
    def deleted(self, message: SessionsDeleted) -> None:
        self.notify(message.summary, title="Deleted", markup=False)
        self.load()

    def action_mark(self) -> None:
        """Mark the selected session, or unmark it if it is marked."""
        record = self._selected()
        if record is None:
            return
        if record.id in self.marked:
            self.marked.remove(record.id)
        else:
            self.marked.append(record.id)
        table = self.query_one("#sessions-table", DataTable)
        table.update_cell(record.id, table.ordered_columns[0].key, self._marker(record.id))

    def _marker(self, key: str) -> Text:
        return Text("●" if key in self.marked else " ", style="bold cyan")

    def action_compare(self) -> None:
        record = self._selected()
        if record is None:
            return
        other = next((self.sessions[key] for key in reversed(self.marked)
                      if key != record.id and key in self.sessions), None)
        if other is None:
            older = [s for s in self.sessions.values() if s.created_at < record.created_at and s.report is not None]
            other = max(older, key=lambda s: s.created_at, default=None)
        if other is None or record.report is None or other.report is None:
            self.notify("Pick two sessions that have a report: mark one with space, then press v on the other.",
                        severity="warning")
            return
        body = self.query_one("#compare-body", VerticalScroll)
        body.remove_children()
        body.mount_all([Static(part, classes="compare-part") for part in comparison_view(
            compare_sessions(record, other))])
        self.query_one(TabbedContent).active = "compare"

    def action_back(self) -> None:
        self.go(GoBack())
