"""The session's recording in the Report screen: per-answer playback with the keyboard, a position indicator, the
answer's level sparkline, the recording's size, and export of one answer or the whole recording.

Self-contained: give it the recording's parts and the session; it reads, plays and saves in thread workers, and
never blocks the UI. Keys (when it has focus): space play/stop, ←/→ previous/next answer, a save this answer,
w save the whole recording.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Literal

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Sparkline, Static

from interview_tui.domain.answer_spans import AnswerSpan, answer_spans
from interview_tui.domain.errors import InterviewError
from interview_tui.domain.models import SessionRecord
from interview_tui.recordings import human_size
from interview_tui.tui.text import literal, mmss


def recording_turns(record: SessionRecord) -> list[Any]:
    return list(record.transcript.turns if record.transcript is not None else record.live_transcript)


def export_name(record: SessionRecord, what: str) -> str:
    stamp = datetime.fromtimestamp(record.started_at or record.created_at).strftime("%Y%m%d-%H%M")
    return f"interview-{stamp}-{record.id[:8]}-{what}.opus"


PlaybackStatus = Literal["ready", "loading", "playing"]
"""Stopped (or never started), decoding the file, playing."""


class RecordingPlayer(Vertical, can_focus=True):
    """Plays a session's recording answer by answer."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "play_stop", "Play/stop", tooltip="Play or stop the selected answer", id="play"),
        Binding("left", "step(-1)", "Prev answer", show=False, id="previous-answer"),
        Binding("right", "step(1)", "Next answer", show=False, id="next-answer"),
        Binding("a", "export_answer", "Save answer", tooltip="Save this answer's audio", id="save-answer"),
        Binding("w", "export_whole", "Save recording", tooltip="Save the whole recording", id="save-recording",
                show=False),
    ]

    DEFAULT_CSS = """
    RecordingPlayer { height: auto; padding: 0 1; border: round $primary 40%; }
    RecordingPlayer:focus-within, RecordingPlayer:focus { border: round $accent; }
    RecordingPlayer Sparkline { height: 2; margin: 0 0; }
    """

    def __init__(self, record: SessionRecord, parts: list[tuple[float, Path]], *,
                 output_device: str | int | None = None, export_dir: Path | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.record = record
        self.parts = parts
        """(session time, file) of each part of the recording (one, unless the interview was continued)."""
        self.output_device = output_device
        self.export_dir = export_dir or Path.cwd()
        self.file_bytes = sum(p.stat().st_size for _, p in parts if p.exists())
        self.total_s = float(record.duration_s or 0.0)
        self.spans: list[AnswerSpan] = answer_spans(recording_turns(record), self.total_s or 15 * 60.0)
        self.index = 0
        self._samples: Any = None
        self._loaded_index = -1
        self._player: Any = None
        self._timer: Timer | None = None
        self.status: PlaybackStatus = "ready"

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="recording-title")
        yield Static(self._answer_line(), id="recording-answer")
        yield Sparkline([], id="recording-levels")
        yield Static(Text("space play/stop · ←/→ answers · a save answer · w save recording", style="dim"),
                     id="recording-keys")

    def on_mount(self) -> None:
        self._load()

    def on_unmount(self) -> None:
        if self._player is not None:
            self._player.stop()

    # ------------------------------------------------------------------------------------ display
    def _title(self) -> Text:
        text = Text.assemble(("Your recording  ", "bold"), human_size(self.file_bytes), ("  ·  ", "dim"),
                             f"{len(self.spans)} answer{'s' if len(self.spans) != 1 else ''}",
                             ("  ·  kept only on this computer", "dim"))
        return text

    def _answer_line(self) -> Text:
        if not self.spans:
            return Text("No answers were found in the transcript to play; save the whole recording with w.",
                        style="dim")
        span = self.spans[self.index]
        position = self._player.position_s if self._player is not None and self._loaded_index == self.index else 0
        mark = "▶" if self.status == "playing" else "■"
        text = Text.assemble((f"Answer {self.index + 1} of {len(self.spans)}", "bold"),
                             (f"  {mmss(span.start_s)}–{mmss(span.end_s)}  ", "dim"),
                             (f"{mark} {mmss(position)} / {mmss(span.length_s)}", "bold cyan"))
        if self.status == "loading":
            text.append("  loading…", style="dim")
        if span.question:
            text.append("\n")
            text.append_text(literal(span.question[:160], "dim"))
        return text

    def _refresh_line(self) -> None:
        self.query_one("#recording-answer", Static).update(self._answer_line())

    # ------------------------------------------------------------------------------------ loading
    def _load(self) -> None:
        if not self.spans:
            return
        self.status = "loading"
        self._refresh_line()
        index = self.index
        self.run_worker(lambda: self._read(index), thread=True, group="recording-read", exclusive=True)

    def _read(self, index: int) -> None:
        from interview_tui.voice.playback import levels, read_parts

        span = self.spans[index]
        try:
            samples = read_parts(self.parts, span.start_s, span.end_s)
        except InterviewError as err:
            self.app.call_from_thread(self._failed, str(err))
            return
        curve = levels(samples)
        self.app.call_from_thread(self._loaded, index, samples, curve)

    def _loaded(self, index: int, samples: Any, curve: list[float]) -> None:
        if index != self.index:
            return
        self._samples, self._loaded_index = samples, index
        self.status = "ready"
        self.query_one(Sparkline).data = curve or [0.0]
        self._refresh_line()

    def _failed(self, message: str) -> None:
        self.status = "ready"
        self._refresh_line()
        self.notify(message, title="Recording", severity="error", markup=False)

    # ------------------------------------------------------------------------------------ actions
    def action_play_stop(self) -> None:
        if self.status == "playing":
            self._stop()
        elif self._samples is not None and self._loaded_index == self.index:
            self._play()

    def _play(self) -> None:
        from interview_tui.voice.playback import Player

        if self._player is None:
            self._player = Player(self.output_device)
        player, samples = self._player, self._samples
        self.status = "playing"
        self._refresh_line()

        def start() -> None:
            try:
                player.play(samples)
            except InterviewError as err:
                self.app.call_from_thread(self._failed, str(err))

        self.run_worker(start, thread=True, group="recording-play", exclusive=True)
        if self._timer is None:
            self._timer = self.set_interval(0.2, self._tick)

    def _tick(self) -> None:
        player = self._player
        if self.status == "playing" and player is not None and player.finished.is_set() and player.position_s > 0:
            self.status = "ready"
        self._refresh_line()
        if self.status != "playing" and self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _stop(self) -> None:
        if self._player is not None:
            self._player.stop()
        self.status = "ready"
        self._refresh_line()

    def action_step(self, delta: int) -> None:
        if not self.spans:
            return
        target = min(max(0, self.index + delta), len(self.spans) - 1)
        if target == self.index:
            return
        self._stop()
        self.index = target
        self._load()

    def action_export_answer(self) -> None:
        if not self.spans:
            return
        span = self.spans[self.index]
        self._export(export_name(self.record, f"answer{self.index + 1}"), span.start_s, span.end_s)

    def action_export_whole(self) -> None:
        self._export(export_name(self.record, "recording"), None, None)

    def _export(self, name: str, start_s: float | None, end_s: float | None) -> None:
        from interview_tui.voice.playback import export_span

        target = self.export_dir / name

        def save() -> None:
            try:
                export_span(self.parts, target, start_s, end_s)
            except InterviewError as err:
                self.app.call_from_thread(self._failed, str(err))
                return
            self.app.call_from_thread(self.notify, f"Saved {target}", title="Recording saved", markup=False)

        self.run_worker(save, thread=True, group="recording-export")
