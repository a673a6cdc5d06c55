"""Real audio devices for tests: a private PulseAudio daemon, a null sink (speaker) and a pipe source (mic).

How it works
------------
* `pulse_daemon()` starts
  ``pulseaudio -n --daemonize=no --exit-idle-time=-1 --disallow-exit -F <script>`` with its own
  HOME / XDG_RUNTIME_DIR / PULSE_RUNTIME_PATH / PULSE_STATE_PATH in a temp dir (``-n`` skips the system
  default.pa, so nothing touches the host's sound setup). It works as root (PulseAudio only warns).
  The script loads:

  - ``module-native-protocol-unix`` on ``<tmp>/native`` with ``auth-anonymous=1`` (no cookie needed);
  - ``module-null-sink sink_name=test_speaker`` at 16 kHz mono s16le - whatever is played there can be
    recorded from ``test_speaker.monitor`` with ``parec`` (`PulseDevices.record()`);
  - ``module-pipe-source source_name=test_mic`` reading s16le 16 kHz mono from ``<tmp>/mic.fifo``.
    A feeder thread keeps the FIFO fed in real time (20 ms chunks of silence, replaced by whatever
    `PulseDevices.feed()` queued), so the mic behaves like a live microphone with a steady clock;
  - both are made the server's defaults;
  - a ``pacat`` playing silence at 10 ms latency into the sink: the null sink renders with up to 2 s
    latency while no low-latency stream plays, which would stall PortAudio's first output callbacks.

* It then sets ``PULSE_SERVER=unix:<tmp>/native`` in ``os.environ`` and re-initialises PortAudio
  (``sd._terminate(); sd._initialize()``) so sounddevice sees the ALSA devices ``pulse`` and ``default``,
  which libasound routes to this server through the ALSA pulse plugin (Debian package
  ``libasound2-plugins``, pulled in by ``pulseaudio``). The two ALSA devices reach the defaults above.

* Debian packages needed: ``pulseaudio pulseaudio-utils libasound2-plugins libportaudio2 espeak-ng sox``.

* `pulse_devices` (session-scoped pytest fixture) returns the process-wide `PulseDevices` from
  `shared_pulse()` (one daemon per test process even when several modules import the fixture); it skips,
  with the reason, only when PulseAudio (or PortAudio) cannot start here. At interpreter exit the daemon is
  terminated by its pid and the previous environment restored. Use it from a test module with
  ``from tests.fakes.pulse import pulse_devices  # noqa: F401`` (or register the module in conftest's
  ``pytest_plugins``).

`espeak_pcm(text)` renders speech as 16 kHz s16le mono bytes (espeak-ng → sox) for feeding the mic.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pytest

RATE = 16_000
CHUNK_S = 0.02
CHUNK_BYTES = int(RATE * CHUNK_S) * 2
SINK = "test_speaker"
SOURCE = "test_mic"

_SCRIPT = """\
load-module module-native-protocol-unix socket={socket} auth-anonymous=1
load-module module-null-sink sink_name={sink} rate={rate} channels=1 format=s16le \
sink_properties=device.description=TestSpeaker
load-module module-pipe-source source_name={source} file={fifo} rate={rate} channels=1 format=s16le \
source_properties=device.description=TestMic
set-default-sink {sink}
set-default-source {source}
"""


class PulseUnavailable(RuntimeError):
    """PulseAudio (or PortAudio through it) cannot run on this machine."""


@dataclass
class FeedMark:
    """When `feed()`'s bytes actually went into the FIFO (time.monotonic of the first byte)."""

    written_at: float | None = None
    done: threading.Event = field(default_factory=threading.Event)


class _Feeder(threading.Thread):
    """Writes the FIFO in real time: queued PCM first, silence otherwise."""

    def __init__(self, fifo: Path) -> None:
        super().__init__(name="pulse-mic-feeder", daemon=True)
        self._fifo = fifo
        self._lock = threading.Lock()
        self._pending: list[tuple[bytearray, FeedMark]] = []
        self._halt = threading.Event()

    def feed(self, pcm: bytes) -> FeedMark:
        mark = FeedMark()
        if len(pcm) % 2:
            pcm = pcm[:-1]
        with self._lock:
            self._pending.append((bytearray(pcm), mark))
        return mark

    def clear(self) -> None:
        with self._lock:
            for _, mark in self._pending:
                mark.done.set()
            self._pending.clear()

    def idle(self) -> bool:
        with self._lock:
            return not self._pending

    def _next_chunk(self) -> bytes:
        out = bytearray()
        with self._lock:
            while self._pending and len(out) < CHUNK_BYTES:
                buf, mark = self._pending[0]
                if mark.written_at is None:
                    mark.written_at = time.monotonic()
                take = CHUNK_BYTES - len(out)
                out += buf[:take]
                del buf[:take]
                if not buf:
                    mark.done.set()
                    self._pending.pop(0)
        return bytes(out) + b"\x00" * (CHUNK_BYTES - len(out))

    def run(self) -> None:
        fd = os.open(self._fifo, os.O_WRONLY)
        try:
            start = time.monotonic()
            n = 0
            while not self._halt.is_set():
                os.write(fd, self._next_chunk())
                n += 1
                delay = start + n * CHUNK_S - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
                elif delay < -1.0:  # we fell far behind (suspended machine): resync instead of bursting
                    start, n = time.monotonic(), 0
        except OSError:
            pass
        finally:
            os.close(fd)

    def stop(self) -> None:
        self._halt.set()


class Recording:
    """`parec` of the sink's monitor, running until `stop()`; returns raw 16 kHz s16le mono bytes."""

    def __init__(self, env: dict[str, str], device: str) -> None:
        self._proc = subprocess.Popen(
            ["parec", "-d", device, "--format=s16le", f"--rate={RATE}", "--channels=1", "--raw",
             "--latency-msec=20"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
        )
        self._chunks: list[bytes] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._proc.stdout is not None
        while chunk := self._proc.stdout.read1(4096):
            self._chunks.append(chunk)

    def snapshot(self) -> bytes:
        return b"".join(self._chunks)

    def stop(self) -> bytes:
        self._proc.terminate()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
        self._reader.join(timeout=5)
        return self.snapshot()

    def __enter__(self) -> Recording:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class PulseDevices:
    """What the tests use: PortAudio device names, the mic feed and the speaker recorder."""

    server: str
    env: dict[str, str]
    feeder: _Feeder
    pid: int = 0
    input_device: str = "pulse"
    output_device: str = "pulse"
    sink: str = SINK
    source: str = SOURCE

    @property
    def monitor(self) -> str:
        return f"{self.sink}.monitor"

    def feed(self, pcm: bytes) -> FeedMark:
        """Queue 16 kHz s16le mono PCM for the mic; it plays in real time after anything queued before."""
        return self.feeder.feed(pcm)

    def clear_feed(self) -> None:
        self.feeder.clear()

    def wait_fed(self, timeout: float = 30.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.feeder.idle():
                return True
            time.sleep(0.02)
        return False

    def record(self) -> Recording:
        """Start recording what is played on the speaker (the null sink's monitor)."""
        return Recording(self.env, self.monitor)

    def pactl(self, *args: str) -> str:
        return subprocess.run(["pactl", *args], env=self.env, capture_output=True, text=True, timeout=10,
                              check=True).stdout

    def kill(self) -> None:
        """SIGKILL the daemon: every device vanishes at once, as when a USB headset is pulled out."""
        os.kill(self.pid, signal.SIGKILL)

    def input_index(self) -> int:
        return _device_index(self.input_device, "input")

    def output_index(self) -> int:
        return _device_index(self.output_device, "output")


def _device_index(name: str, kind: str) -> int:
    import sounddevice as sd

    return int(sd.query_devices(name, kind)["index"])


def reinit_portaudio() -> None:
    """Make PortAudio rescan devices (it reads ALSA/Pulse configuration only when initialised)."""
    try:
        import sounddevice as sd
    except OSError as err:
        raise PulseUnavailable(f"PortAudio cannot be loaded: {err}") from None
    sd._terminate()
    sd._initialize()


@contextlib.contextmanager
def pulse_daemon(start_timeout: float = 10.0, warm_up: bool = True) -> Iterator[PulseDevices]:
    """Run a private PulseAudio daemon with the test devices; see the module docstring."""
    if not shutil.which("pulseaudio") or not shutil.which("parec"):
        raise PulseUnavailable("pulseaudio/pulseaudio-utils are not installed (apt-get install pulseaudio "
                               "pulseaudio-utils libasound2-plugins)")
    tmp = Path(tempfile.mkdtemp(prefix="pulse-test-"))
    runtime, home, state = tmp / "run", tmp / "home", tmp / "state"
    for d in (runtime, home, state):
        d.mkdir(mode=0o700)
    socket, fifo = tmp / "native", tmp / "mic.fifo"
    script = tmp / "test.pa"
    script.write_text(_SCRIPT.format(socket=socket, sink=SINK, source=SOURCE, fifo=fifo, rate=RATE))
    keys = ("PULSE_SERVER", "HOME", "XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH", "PULSE_STATE_PATH")
    saved = {k: os.environ.get(k) for k in keys}
    env = dict(os.environ)
    env.update(HOME=str(home), XDG_RUNTIME_DIR=str(runtime), PULSE_RUNTIME_PATH=str(runtime / "pulse"),
               PULSE_STATE_PATH=str(state))
    log = (tmp / "pulseaudio.log").open("wb")
    proc = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit", "--use-pid-file=no",
         "--log-target=stderr", "-F", str(script)],
        env=env, stdout=log, stderr=log, start_new_session=True,
    )
    env["PULSE_SERVER"] = f"unix:{socket}"
    feeder: _Feeder | None = None
    keepalive: subprocess.Popen[bytes] | None = None
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if proc.poll() is not None:
                raise PulseUnavailable(f"pulseaudio exited at start-up: {_tail(tmp / 'pulseaudio.log')}")
            ok = socket.exists() and fifo.exists() and subprocess.run(
                ["pactl", "info"], env=env, capture_output=True, timeout=5).returncode == 0
            if ok:
                break
            if time.monotonic() > deadline:
                raise PulseUnavailable(f"pulseaudio did not start in {start_timeout:.0f} s: "
                                       f"{_tail(tmp / 'pulseaudio.log')}")
            time.sleep(0.05)
        feeder = _Feeder(fifo)
        feeder.start()
        # The null sink renders with up to 2 s latency until a low-latency stream plays into it; keep one
        # playing silence so PortAudio's output callbacks run steadily from the start.
        keepalive = subprocess.Popen(
            ["pacat", "--playback", "--raw", "--format=s16le", f"--rate={RATE}", "--channels=1",
             "--latency-msec=10", "-d", SINK, "/dev/zero"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.environ["PULSE_SERVER"] = env["PULSE_SERVER"]
        for k in ("HOME", "XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH", "PULSE_STATE_PATH"):
            os.environ[k] = env[k]
        reinit_portaudio()
        if warm_up:
            _warm_up_output()
        yield PulseDevices(server=env["PULSE_SERVER"], env=env, feeder=feeder, pid=proc.pid)
    finally:
        if keepalive is not None:
            keepalive.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                keepalive.wait(timeout=5)
        if feeder is not None:
            feeder.stop()
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        if feeder is not None:
            feeder.join(timeout=2)
        log.close()
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        with contextlib.suppress(PulseUnavailable):
            reinit_portaudio()
        shutil.rmtree(tmp, ignore_errors=True)


def _warm_up_output(timeout: float = 5.0) -> None:
    """Run a PortAudio output stream until its callbacks come steadily, then close it.

    On a fresh daemon the first output stream's callbacks stall for ~1.9 s (the null sink still renders at its
    start-up latency); later streams do not. Paying that once here keeps it out of tests and benchmarks.
    """
    import sounddevice as sd

    ticks: list[float] = []

    def callback(outdata, frames, time_info, status):  # type: ignore[no-untyped-def]
        outdata[:] = b"\x00" * len(outdata)
        ticks.append(time.monotonic())

    try:
        with sd.RawOutputStream(samplerate=RATE, channels=1, dtype="int16", device="pulse",
                                blocksize=int(RATE * CHUNK_S), latency="low", callback=callback):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and len(ticks) < 15:
                time.sleep(0.02)
    except sd.PortAudioError as err:
        raise PulseUnavailable(f"PortAudio cannot play to the test sink: {err}") from None


def _tail(path: Path, n: int = 400) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    lines = [ln for ln in text.splitlines() if ln.startswith("E:")] or text.splitlines()
    return " | ".join(lines)[-n:]


@lru_cache(maxsize=32)
def espeak_pcm(text: str, rate: int = RATE) -> bytes:
    """Speech for `text` as s16le mono at `rate` (espeak-ng piped through sox)."""
    for tool in ("espeak-ng", "sox"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} is not installed (apt-get install espeak-ng sox)")
    wav = subprocess.run(["espeak-ng", "--stdout", text], capture_output=True, check=True, timeout=30).stdout
    return subprocess.run(["sox", "-t", "wav", "-", "-r", str(rate), "-c", "1", "-b", "16", "-e", "signed",
                           "-t", "raw", "-"], input=wav, capture_output=True, check=True, timeout=30).stdout


_shared_lock = threading.Lock()
_shared: PulseDevices | PulseUnavailable | None = None


def shared_pulse() -> PulseDevices:
    """The process-wide test devices, started on first use and stopped at exit; raises PulseUnavailable."""
    global _shared
    with _shared_lock:
        if _shared is None:
            stack = contextlib.ExitStack()
            try:
                _shared = stack.enter_context(pulse_daemon())
                atexit.register(stack.close)
            except PulseUnavailable as err:
                _shared = err
        if isinstance(_shared, PulseUnavailable):
            raise _shared
        return _shared


@pytest.fixture(scope="session")
def pulse_devices() -> PulseDevices:
    """PulseAudio test devices; skipped with the reason where PulseAudio cannot start."""
    try:
        devices = shared_pulse()
    except PulseUnavailable as err:
        pytest.skip(f"PulseAudio test devices unavailable: {err}")
    devices.clear_feed()
    return devices
