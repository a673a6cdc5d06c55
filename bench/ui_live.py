"""The UI while live: event-loop lag, CPU and memory of the real Textual app during a (compressed) 5-minute session.

Run: .venv/bin/python bench/ui_live.py [--speedup 5] [--live-wall 60] [--idle-wall 10] [--turns 300] [--diagnose]
     [--record]

Each phase runs the real app (`make_app`) in a child process on a pseudo-terminal (Textual's real Linux driver,
100×32; this process drains and counts what it writes), on the Live screen of a session planned by `LocalPlanner`.
A `FakeClock` runs `--speedup` times faster than the wall clock, so 5 simulated minutes (the 2:00 charge included)
take `300 / speedup` wall seconds while the event loop, the audio and the sockets run for real.

* idle (baseline): a voice engine that never calls back — no audio, no level, no transcript. The timer, the
  charge indicator and `LiveSession.tick()` still run.
* live: the real `ElevenLabsVoice` + `SoundDeviceAudioInterface` against the fake ElevenLabs server (this process)
  through a private PulseAudio daemon (tests/fakes/pulse.py): the mic streams `user_audio_chunk` frames (20 ms
  blocks, 50/s) all the time, the level meter is fed at the block rate (level_interval_s=0.02, 5× the default),
  and this process plays synthetic answers (1 s tones with a moving envelope, then room noise) into the mic; the
  fake agent's VAD turns each into a `user_transcript` and replies with an `agent_response` and 1 s of audio,
  which the client plays. A turn every ~7 simulated seconds.
* memory: a synthetic engine (level at 50/s, `--turns` turns as fast as the UI takes them) under tracemalloc;
  Python heap after each 25 turns, least-squares growth per turn over the second half (after Rich's and
  Textual's bounded caches have mostly filled) beside the turn text's size.
--record runs the live phase a second time with recording on (the app's `SessionRecorder`, Ogg Opus, fed by the
audio layer's tap) and prints the two side by side, with the recording's size per minute.
--diagnose adds repaint/refresh/layout counts, paint and GC time per phase, and the largest heap growth by line;
--profile FILE records the live phase with py-spy (all threads, folded stacks; `pip install py-spy` in the venv).

Figures: lag = lateness of a 10 ms asyncio sleep on the app's loop (p50/p99/max); CPU = process CPU time over
wall time (% of one core; the UI thread's share beside it); RSS sampled each wall second.
Targets (issue 7): p99 lag ≤ 50 ms, CPU ≤ 15 % of one core, memory flat (no growth per turn beyond the text).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import os
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from _util import ROOT, median, pct, table

COLS, ROWS = 100, 32
WARMUP_WALL_S = 2.0
ANSWERS = [
    "In my last role I owned the payments ledger service. Duplicate charges reached customers during retries, so "
    "I added idempotency keys with a unique constraint in PostgreSQL and moved retries into a Kafka consumer.",
    "I would start with the consumer lag dashboard, check whether one partition is hot, then scale the consumer "
    "group and look at the slowest handler before touching the producers at all.",
    "We paired every afternoon for two weeks. I asked him to write the design first, then we reviewed it "
    "together, and by the end he led the incident review on his own.",
    "Mostly Python with FastAPI, some Go for the high-throughput parts, all on Kubernetes in AWS with Terraform, "
    "and Prometheus plus Grafana for the dashboards and alerts.",
]
REPLIES = [
    "Thanks. What would you measure first to know the change worked?",
    "Good. How would you explain that trade-off to a product manager?",
    "Understood. Tell me more about how you tested it before the release.",
]


# ================================================================================== child: runs the app

class IdleVoice:
    """A voice engine that starts and never calls back (the idle baseline)."""

    name = "idle (no audio)"
    text_input = False

    def start(self, context: Any, events: Any) -> None:
        pass

    def stop(self) -> None:
        pass

    def set_muted(self, muted: bool) -> None:
        pass

    def submit_text(self, text: str) -> None:
        pass

    def final_transcript(self, conversation_ids: list[str]) -> None:
        return None


class SyntheticVoice(IdleVoice):
    """Level at 50/s from its own thread; turns on request (`emit_turns`), from another thread."""

    name = "synthetic"

    def __init__(self) -> None:
        self.events: Any = None
        self._stop = threading.Event()

    def start(self, context: Any, events: Any) -> None:
        self.events = events
        threading.Thread(target=self._levels, daemon=True).start()

    def _levels(self) -> None:
        i = 0
        while not self._stop.wait(0.02):
            i += 1
            self.events.on_level(-30.0 + 10 * ((i % 50) / 50), -12.0)

    def emit_turns(self, first: int, count: int) -> None:
        from interview_tui.domain.models import Turn

        for n in range(first, first + count):
            role = "user" if n % 2 else "agent"
            text = ANSWERS[n // 2 % len(ANSWERS)] if role == "user" else REPLIES[n // 2 % len(REPLIES)]
            self.events.on_speaking(role)
            self.events.on_turn(Turn(role=role, text=text, t=float(n * 7)))  # type: ignore[arg-type]

    def stop(self) -> None:
        self._stop.set()


def _count_repaints(counts: dict[str, int]) -> None:
    """Diagnostics (--diagnose): count refreshes, content renders and screen layouts per widget."""
    from textual.app import App
    from textual.screen import Screen
    from textual.widget import Widget

    def counted(cls: Any, name: str, key: Any) -> None:
        original = getattr(cls, name)

        def wrapper(self: Any, *a: Any, **kw: Any) -> Any:
            k = key(self, kw)
            counts[k] = counts.get(k, 0) + 1
            return original(self, *a, **kw)

        setattr(cls, name, wrapper)

    def timed(cls: Any, name: str, key: str) -> None:
        original = getattr(cls, name)

        def wrapper(self: Any, *a: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return original(self, *a, **kw)
            finally:
                counts[key] = counts.get(key, 0) + round((time.perf_counter() - t) * 1e6)

        setattr(cls, name, wrapper)

    import gc

    from textual.message_pump import MessagePump

    from interview_tui.service import SessionService

    started: dict[str, float] = {}

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started["t"] = time.perf_counter()
        else:
            key = f"µs in gc generation {info['generation']}"
            counts[key] = counts.get(key, 0) + round((time.perf_counter() - started.get("t", 0)) * 1e6)
            counts[f"max µs of one gc generation {info['generation']}"] = max(
                counts.get(f"max µs of one gc generation {info['generation']}", 0),
                round((time.perf_counter() - started.get("t", 0)) * 1e6))

    gc.callbacks.append(on_gc)

    timed(SessionService, "ensure_charge", "µs in ensure_charge (UI thread)")
    timed(SessionService, "append_turn", "µs in append_turn (UI thread)")
    timed(SessionService, "heartbeat", "µs in heartbeat (UI thread)")
    timed(App, "notify", "µs in notify")
    timed(Screen, "_on_timer_update", "µs in screen updates (paint)")
    counted(Screen, "_on_timer_update", lambda w, kw: "screen updates")
    from textual._compositor import Compositor

    timed(Compositor, "_render_chops", "µs rendering chops")
    timed(App, "_display", "µs writing to the driver")
    timed(MessagePump, "_dispatch_message", "µs in message handlers")
    counted(MessagePump, "_dispatch_message", lambda w, kw: "messages dispatched")
    counted(Widget, "refresh", lambda w, kw: f"refresh {type(w).__name__}#{w.id} layout={kw.get('layout', False)}")
    counted(Widget, "_render_content", lambda w, kw: f"render {type(w).__name__}#{w.id}")
    counted(Screen, "_refresh_layout", lambda w, kw: "screen layout")


def _rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def child(args: argparse.Namespace) -> None:
    out = Path(args.out)
    try:
        out.write_text(json.dumps(_child(args)))
    except BaseException:
        out.write_text(json.dumps({"error": traceback.format_exc()}))


def _child(args: argparse.Namespace) -> dict[str, Any]:
    import asyncio
    import gc

    from interview_tui.bootstrap import make_app, open_runtime
    from interview_tui.domain.clock import FakeClock
    from interview_tui.engines import Engines
    from interview_tui.paths import AppPaths
    from interview_tui.providers.local_analyzer import LocalAnalyzer
    from interview_tui.providers.local_planner import LocalPlanner
    from interview_tui.settings import Settings
    from interview_tui.tui.screens.live import LiveScreen
    from interview_tui.tui.widgets.transcript import TranscriptLog

    tmp = Path(args.tmp)
    clock = FakeClock()
    level_calls = [0]
    voices: list[Any] = []

    def make_voice() -> Any:
        if args.child == "idle":
            voices.append(IdleVoice())
        elif args.child == "memory":
            voices.append(SyntheticVoice())
        else:
            from interview_tui.settings import Secret
            from interview_tui.voice.audio import SoundDeviceAudioInterface
            from interview_tui.voice.elevenlabs_engine import ElevenLabsVoice

            def audio(on_level: Any, **callbacks: Any) -> Any:
                def counted(rms: float, peak: float) -> None:
                    level_calls[0] += 1
                    on_level(rms, peak)

                return SoundDeviceAudioInterface("pulse", "pulse", level_interval_s=0.02, on_level=counted,
                                                 **callbacks)

            paths = AppPaths(data_dir=tmp, config_dir=tmp, db_path=tmp / "unused.sqlite")
            settings = Settings(paths=paths, elevenlabs_api_key=Secret(args.api_key),
                                elevenlabs_agent_id=args.agent_id, elevenlabs_base_url=args.base_url)
            voices.append(ElevenLabsVoice(settings, clock=clock, audio_factory=audio))
        return voices[-1]

    make_recorder = None
    if args.child == "live-rec":
        from interview_tui.voice.recording import SessionRecorder

        def make_recorder(session_id: str) -> Any:
            return SessionRecorder(tmp / f"recording-{session_id}.opus")

    engines = Engines(LocalPlanner(), LocalAnalyzer(), make_voice, [], make_recorder=make_recorder)
    runtime = open_runtime(Settings(paths=AppPaths(data_dir=tmp, config_dir=tmp, db_path=tmp / f"{args.child}.sqlite")),
                           clock=clock, engines=engines)
    service = runtime.service
    service.top_up(15, "bench")
    renders: dict[str, int] = {}
    if args.diagnose:
        _count_repaints(renders)
    jd = (ROOT / "tests/data/sample_jd.txt").read_text()
    app = make_app(runtime, export_dir=tmp, jd_text=jd)
    result: dict[str, Any] = {"phase": args.child}

    async def until(predicate: Any) -> None:
        deadline = time.monotonic() + 30
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError(f"the app did not reach the Live screen (on {type(app.screen).__name__})")
            await asyncio.sleep(0.01)

    async def scenario(pilot: Any) -> None:
        # The real flow: Start (JD loaded) → ctrl+s → Setup (LocalPlanner) → b → Live.
        await until(lambda: type(app.screen).__name__ == "StartScreen")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+s")
        await until(lambda: getattr(app.screen, "state", "") == "ready")
        await pilot.press("b")
        await until(lambda: isinstance(app.screen, LiveScreen) and voices != [])
        screen = app.screen
        log_widget = screen.query_one(TranscriptLog)
        if args.child == "memory":
            result.update(await _memory(pilot, voices[-1], log_widget, args.turns, args.diagnose))
        else:
            result.update(await _live(clock, log_widget, args, level_calls))
            recorder = getattr(getattr(screen, "live", None), "recorder", None)
            if recorder is not None:
                result["recording"] = {"path": str(recorder.path), "dropped_blocks": recorder.dropped_blocks}
        app.exit()

    app.run(auto_pilot=scenario)
    result["renders"] = renders
    runtime.close()
    gc.collect()
    return result


async def _live(clock: Any, log_widget: Any, args: argparse.Namespace, level_calls: list[int]) -> dict[str, Any]:
    """Run the compressed session; sample lag continuously and CPU/RSS/turns once per wall second."""
    import asyncio

    start_sim = clock.now()
    t0 = time.perf_counter()
    running = True
    lags: list[float] = []
    spikes: list[tuple[float, float]] = []

    async def advance() -> None:
        while running:
            clock.set(start_sim + (time.perf_counter() - t0) * args.speedup)
            await asyncio.sleep(0.02)

    async def probe() -> None:
        while running:
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            if measuring:
                lag = (time.perf_counter() - before - 0.01) * 1000
                lags.append(lag)
                if lag > 30:
                    spikes.append((round(clock.now() - start_sim, 1), round(lag, 1)))

    measuring = False
    tasks = [asyncio.create_task(advance()), asyncio.create_task(probe())]
    await asyncio.sleep(WARMUP_WALL_S)
    measuring = True
    samples = []
    end_wall = t0 + args.wall
    while time.perf_counter() < end_wall:
        samples.append({"wall": time.perf_counter() - t0, "sim": clock.now() - start_sim,
                        "cpu": time.process_time(), "ui_cpu": time.thread_time(), "rss": _rss_bytes(),
                        "turns": log_widget.turn_count, "levels": level_calls[0]})
        await asyncio.sleep(1.0)
    measuring = False
    running = False
    for task in tasks:
        task.cancel()
    return {"lags_ms": lags, "samples": samples, "spikes": spikes}


async def _memory(pilot: Any, voice: SyntheticVoice, log_widget: Any, turns: int, diagnose: bool) -> dict[str, Any]:
    import asyncio
    import gc
    import tracemalloc

    step = 25
    await asyncio.sleep(0.5)
    tracemalloc.start(1)
    snapshots = []
    points: list[tuple[int, int]] = []
    text_bytes: list[int] = []
    emitted = 0
    while True:
        while log_widget.turn_count < emitted:  # noqa: ASYNC110 - waiting for the UI to take the turns
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.3)  # the UI paints the new turns; level updates and timers keep running
        gc.collect()
        points.append((emitted, tracemalloc.get_traced_memory()[0]))
        if diagnose and emitted in (turns // 2, turns):
            snapshots.append(tracemalloc.take_snapshot())
        if emitted >= turns:
            break
        await asyncio.to_thread(voice.emit_turns, emitted, step)
        for n in range(emitted, emitted + step):
            role_user = n % 2
            text = ANSWERS[n // 2 % len(ANSWERS)] if role_user else REPLIES[n // 2 % len(REPLIES)]
            text_bytes.append(len(text.encode()))
        emitted += step
    tracemalloc.stop()
    top: list[str] = []
    if len(snapshots) == 2:
        per = turns - turns // 2
        for stat in snapshots[1].compare_to(snapshots[0], "lineno")[:15]:
            frame = stat.traceback[0]
            top.append(f"{stat.size_diff / per:8.0f} B/turn  {stat.count_diff / per:5.1f} blocks/turn  "
                       f"{'/'.join(Path(frame.filename).parts[-2:])}:{frame.lineno}")
    return {"points": points, "text_bytes_per_turn": sum(text_bytes) / len(text_bytes), "top": top}


# ================================================================================== parent: drives phases

def _spawn(phase: str, args: argparse.Namespace, tmp: Path, extra: list[str]) -> tuple[subprocess.Popen[bytes], int]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    env.pop("COLUMNS", None)
    env.pop("LINES", None)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", phase, "--tmp", str(tmp),
           "--out", str(tmp / f"{phase}.json"), "--speedup", str(args.speedup), "--turns", str(args.turns),
           "--wall", str(args.live_wall if phase.startswith("live") else args.idle_wall), *extra,
           *(["--diagnose"] if args.diagnose else [])]

    def controlling_tty() -> None:
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
                            preexec_fn=controlling_tty)
    os.close(slave)
    return proc, master


def _drain(master: int, counter: list[int]) -> None:
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            return
        if not data:
            return
        counter[0] += len(data)


def run_phase(phase: str, args: argparse.Namespace, tmp: Path, extra: list[str] | None = None,
              during: Any = None) -> dict[str, Any]:
    began = time.perf_counter()
    proc, master = _spawn(phase, args, tmp, extra or [])
    written = [0]
    reader = threading.Thread(target=_drain, args=(master, written), daemon=True)
    reader.start()
    try:
        if during is not None:
            during(proc)
        proc.wait(timeout=args.live_wall + 60)
    finally:
        if proc.poll() is None:
            proc.kill()
        reader.join(timeout=2)
        with contextlib.suppress(OSError):
            os.close(master)
    result = json.loads((tmp / f"{phase}.json").read_text())
    if "error" in result:
        raise SystemExit(f"{phase} phase failed in the child:\n{result['error']}")
    result["pty_bytes"] = written[0]
    result["phase_s"] = time.perf_counter() - began
    return result


def summarize(result: dict[str, Any]) -> dict[str, Any]:
    s = result["samples"]
    first, last = s[0], s[-1]
    wall = last["wall"] - first["wall"]
    turns = last["turns"] - first["turns"]
    rss_growth = last["rss"] - first["rss"]
    by_minute = {}
    for sample in s:
        by_minute.setdefault(int(sample["sim"] // 60), sample["rss"] / 2**20)
    return {
        "p50": median(result["lags_ms"]), "p99": pct(result["lags_ms"], 99), "max": max(result["lags_ms"]),
        "n": len(result["lags_ms"]),
        "cpu": 100 * (last["cpu"] - first["cpu"]) / wall, "ui_cpu": 100 * (last["ui_cpu"] - first["ui_cpu"]) / wall,
        "rss_start": first["rss"] / 2**20, "rss_end": last["rss"] / 2**20, "rss_growth": rss_growth,
        "turns": last["turns"], "sim_s": last["sim"], "wall": wall,
        "levels_per_s": (last["levels"] - first["levels"]) / wall,
        "pty_kib_per_s": result["pty_bytes"] / 1024 / max(wall, 1e-9),
        "rss_per_turn": rss_growth / turns if turns else float("nan"),
        "spikes": result["spikes"],
        "rss_by_minute": " ".join(f"{m}:{v:.1f}" for m, v in sorted(by_minute.items())),
    }


def synthetic_audio() -> tuple[bytes, bytes]:
    """One answer (1 s of a 220 Hz tone whose loudness moves every 20 ms, like speech) and the quiet room noise
    (-55 dBFS, under the fake agent's VAD threshold) that follows it, as 16 kHz s16le mono."""
    import numpy as np

    rng = np.random.default_rng(7)
    t = np.arange(16_000) / 16_000
    envelope = np.repeat(rng.uniform(0.15, 0.6, 50), 320)
    speech = (np.sin(2 * np.pi * 220 * t) * envelope * 32767).astype(np.int16).tobytes()
    noise = (rng.normal(0, 0.0018, int(16_000 * 1.8)) * 32767).astype(np.int16).tobytes()
    return speech, noise


def drive_conversation(fake: Any, devices: Any, stop_after: float, profile: str | None = None) -> Any:
    speech, noise = synthetic_audio()

    def during(proc: subprocess.Popen[bytes]) -> None:
        fake.wait_connection(1, timeout=30)
        if profile:
            subprocess.Popen(["py-spy", "record", "-p", str(proc.pid), "-d", str(int(stop_after - 15)), "-r", "200",
                              "-f", "raw", "-o", profile, "--nonblocking"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + stop_after
        while proc.poll() is None and time.monotonic() < deadline:
            # end-of-utterance silence (0.5 s), the agent's 1 s reply, a short gap: all under room noise
            devices.feed(speech + noise)
            devices.wait_fed(timeout=10)
    return during


def parent(args: argparse.Namespace) -> None:
    from tests.fakes.elevenlabs_server import API_KEY, DEFAULT_AGENT, FakeElevenLabs
    from tests.fakes.pulse import shared_pulse

    started = time.perf_counter()
    tmp = Path(tempfile.mkdtemp(prefix="bench-ui-live-"))
    print(f"phases: idle {args.idle_wall:.0f} s, live {args.live_wall:.0f} s wall at {args.speedup:g}× "
          f"(= {args.live_wall * args.speedup / 60:.1f} simulated min), memory {args.turns} turns", flush=True)
    idle = run_phase("idle", args, tmp)
    devices = shared_pulse()
    with FakeElevenLabs() as fake:
        fake.behaviour.first_message = "Hello, welcome to your interview. " + REPLIES[0]
        fake.behaviour.user_transcripts = ANSWERS * 40
        fake.behaviour.agent_replies = REPLIES * 60
        fake.behaviour.reply_audio_s = 1.0
        extra = ["--base-url", fake.base_url, "--api-key", API_KEY, "--agent-id", DEFAULT_AGENT]
        live = run_phase("live", args, tmp, extra, drive_conversation(fake, devices, args.live_wall + 10, args.profile))
        chunks = sum(len(c.chunks) for c in fake.connections)
        recorded = None
        if args.record:
            fake.connections.clear()
            recorded = run_phase("live-rec", args, tmp, extra, drive_conversation(fake, devices, args.live_wall + 10))
    memory = run_phase("memory", args, tmp)
    if args.diagnose:
        for name, res in (("idle", idle), ("live", live)):
            top = sorted(res["renders"].items(), key=lambda kv: -kv[1])[:20]
            print(f"\nrepaints over the whole {name} child (start-up included):\n  " +
                  "\n  ".join(f"{v:6d} {k}" for k, v in top))
    report(summarize(idle), summarize(live), memory, chunks)
    if recorded is not None:
        report_recording(summarize(live), summarize(recorded), recorded)
    if memory.get("top"):
        print("largest heap growth in the second half (tracemalloc, by line):\n  " + "\n  ".join(memory["top"]))
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s (idle {idle['phase_s']:.0f} s, live "
          f"{live['phase_s']:.0f} s, memory {memory['phase_s']:.0f} s)")


def slope(points: list[tuple[int, int]]) -> float:
    """Least-squares bytes per turn."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def report(idle: dict[str, Any], live: dict[str, Any], memory: dict[str, Any], chunks: int) -> None:
    def ratio(a: float, b: float) -> str:
        return f"{a / b:.1f}×" if b > 0 else "—"

    rows = [
        ("event-loop lag p50 (ms)", f"{idle['p50']:.2f}", f"{live['p50']:.2f}", ratio(live["p50"], idle["p50"])),
        ("event-loop lag p99 (ms)", f"{idle['p99']:.2f}", f"{live['p99']:.2f}", ratio(live["p99"], idle["p99"])),
        ("event-loop lag max (ms)", f"{idle['max']:.2f}", f"{live['max']:.2f}", ratio(live["max"], idle["max"])),
        ("CPU, whole process (% of a core)", f"{idle['cpu']:.1f}", f"{live['cpu']:.1f}",
         ratio(live["cpu"], idle["cpu"])),
        ("CPU, UI thread (% of a core)", f"{idle['ui_cpu']:.1f}", f"{live['ui_cpu']:.1f}",
         ratio(live["ui_cpu"], idle["ui_cpu"])),
        ("RSS (MiB) at simulated minute m", idle["rss_by_minute"], live["rss_by_minute"], ""),
        ("transcript turns at the end", f"{idle['turns']:.0f}", f"{live['turns']:.0f}", ""),
        ("mic level samples from the engine (/s)", f"{idle['levels_per_s']:.0f}", f"{live['levels_per_s']:.0f}",
         ""),
        ("terminal output (KiB/s)", f"{idle['pty_kib_per_s']:.1f}", f"{live['pty_kib_per_s']:.1f}",
         ratio(live["pty_kib_per_s"], idle["pty_kib_per_s"])),
        ("lag samples", f"{idle['n']}", f"{live['n']}", ""),
    ]
    table(f"UI while live: {live['sim_s'] / 60:.1f} simulated min in {live['wall']:.0f} s wall, {COLS}×{ROWS} pty",
          rows, ("figure", "idle (baseline)", "live", "ratio"))
    print(f"mic frames received by the fake server: {chunks}")
    if live["spikes"]:
        print("lags over 30 ms (simulated s, ms):", live["spikes"])
    points = memory["points"]
    text = memory["text_bytes_per_turn"]
    table("memory: Python heap (tracemalloc) after n turns; synthetic engine, level at 50/s",
          [(str(x), f"{y / 1024:.0f}") for x, y in points], ("turns", "heap KiB"))
    half = [p for p in points if p[0] >= points[-1][0] // 2]
    steady = slope(half)
    print(f"growth per turn: {steady:.0f} B over turns {half[0][0]}–{half[-1][0]} ({slope(points):.0f} B over all, "
          f"caches filling); turn text {text:.0f} B UTF-8")
    for name, ok in {"p99 lag ≤ 50 ms": live["p99"] <= 50, "CPU ≤ 15 % of one core": live["cpu"] <= 15}.items():
        print(f"{name}: {'OK' if ok else 'MISSED'}")


def report_recording(live: dict[str, Any], rec: dict[str, Any], raw: dict[str, Any]) -> None:
    """The same live phase without and with recording, and what the recording weighs."""
    import soundfile as sf

    info = raw.get("recording") or {}
    path = Path(info.get("path", ""))
    size = path.stat().st_size if path.is_file() else 0
    seconds = sf.info(str(path)).duration if size else 0.0

    def delta(a: float, b: float) -> str:
        return f"{b - a:+.1f}"

    rows = [
        ("CPU, whole process (% of a core)", f"{live['cpu']:.1f}", f"{rec['cpu']:.1f}", delta(live["cpu"], rec["cpu"])),
        ("CPU, UI thread (% of a core)", f"{live['ui_cpu']:.1f}", f"{rec['ui_cpu']:.1f}",
         delta(live["ui_cpu"], rec["ui_cpu"])),
        ("event-loop lag p50 (ms)", f"{live['p50']:.2f}", f"{rec['p50']:.2f}", delta(live["p50"], rec["p50"])),
        ("event-loop lag p99 (ms)", f"{live['p99']:.2f}", f"{rec['p99']:.2f}", delta(live["p99"], rec["p99"])),
        ("RSS at the end (MiB)", f"{live['rss_end']:.1f}", f"{rec['rss_end']:.1f}",
         delta(live["rss_end"], rec["rss_end"])),
    ]
    table("recording while live: the live phase without and with recording", rows,
          ("figure", "live (no recording)", "live + recording", "difference"))
    if seconds:
        print(f"recording: {size / 1024:.0f} KiB for {seconds:.0f} s of audio = {size / 1024 / seconds * 60:.0f} KiB "
              f"per minute (raw 16 kHz PCM: {16_000 * 2 * 60 / 1024:.0f} KiB per minute); "
              f"dropped blocks {info.get('dropped_blocks', 0)}")
    else:
        print("recording: no file was written")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--speedup", type=float, default=5.0)
    ap.add_argument("--live-wall", type=float, default=60.0)
    ap.add_argument("--idle-wall", type=float, default=10.0)
    ap.add_argument("--turns", type=int, default=300)
    ap.add_argument("--profile", help="folded stacks of the live phase (py-spy, all threads) to this file")
    ap.add_argument("--diagnose", action="store_true", help="count refreshes/renders/layouts per widget")
    ap.add_argument("--record", action="store_true", help="also run the live phase with recording on, and compare")
    ap.add_argument("--child", choices=("idle", "live", "live-rec", "memory"))
    ap.add_argument("--tmp")
    ap.add_argument("--out")
    ap.add_argument("--wall", type=float, default=60.0)
    ap.add_argument("--base-url")
    ap.add_argument("--api-key")
    ap.add_argument("--agent-id")
    args = ap.parse_args()
    if not args.child and min(args.idle_wall, args.live_wall) < WARMUP_WALL_S + 3:
        ap.error(f"--idle-wall and --live-wall need at least {WARMUP_WALL_S + 3:g} s")
    if args.child:
        child(args)
    else:
        parent(args)


if __name__ == "__main__":
    main()
