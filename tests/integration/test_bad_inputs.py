"""Issue 12: every bad input or fault ends with one clear line (exit 2, no traceback, no hang), foreign files are
left byte-for-byte unchanged, and nothing printed can drive the terminal. One table per class of problem.

The CLI runs in-process (typer's runner) where that is faithful, and as a real process where the class is about
the process itself (FIFOs, broken pipes, locales, resource limits, kill -9)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from interview_tui.bootstrap import make_service
from interview_tui.cli import app
from interview_tui.domain.clock import FakeClock
from interview_tui.domain.errors import StoreError
from interview_tui.domain.jd import clean_text, validate_jd
from interview_tui.domain.textsafe import safe_line, safe_text
from interview_tui.store.db import APPLICATION_ID, SCHEMA_VERSION, Store
from tests.doubles import ScriptedAnalyzer, ScriptedPlanner
from tests.paths import ROOT, SAMPLE_JD_FILE

runner = CliRunner()
JD_FILE = SAMPLE_JD_FILE
# What a terminal would obey: ESC, C1 controls, BEL, bidi overrides/isolates, zero-width characters.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
HOSTILE = ("\x1b]52;c;cm0gLXJmIH4=\x07"  # OSC 52: write to the clipboard
           "\x1b[2J\x1b[H"  # clear the screen
           "\x9b31m"  # C1 CSI
           "\x1b]0;pwned title\x1b\\"  # window title, ST-terminated
           "\u202egnp.exe\u202c\u200b\u2066x\u2069\x07\x00\x08")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def one_clear_line(code: int, out: str, err: str, expect: int = 2) -> str:
    """The contract for a bad input: the expected exit code, exactly one line on stderr, no traceback."""
    assert code == expect, (code, out, err)
    assert "Traceback" not in out + err and "unexpected error" not in err
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("interview: "), err
    assert not FORBIDDEN.search(err)
    return lines[0]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli_process(*args: str, env: dict[str, str] | None = None, timeout: float = 60,
                preexec: Callable[[], None] | None = None, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "interview_tui", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, preexec_fn=preexec,
                          cwd=ROOT, **kw)  # type: ignore[call-overload]


# ------------------------------------------------------------------------------ 1. quadratic cleaning

@pytest.mark.timeout(20)
@pytest.mark.parametrize("text", [
    " " * 200_000 + "x",  # the 54-second case
    " " * 990_000 + "x",  # the 20-minute case
    "\t \t" * 300_000 + "\n",
    ("word " + " " * 60 + "\n") * 15_000,
    "\x1b[" + "0" * 900_000,  # an unterminated CSI
    "\x1b]" * 300_000,  # unterminated OSCs
    "\n" * 900_000,
    "\r\n" * 400_000,
], ids=["200k-spaces", "990k-spaces", "tabs", "trailing-spaces-per-line", "csi", "osc", "newlines", "crlf"])
def test_cleaning_is_linear(text: str) -> None:
    started = time.perf_counter()
    cleaned = clean_text(text)
    assert len(cleaned) <= len(text.strip()) and "\x1b" not in cleaned
    assert time.perf_counter() - started < 5  # quadratic would take minutes; the timeout marks a hang
    with pytest.raises(Exception, match=r"characters|words|empty|prose"):
        validate_jd(text)


@pytest.mark.timeout(30)
@pytest.mark.parametrize(("content", "message", "commands"), [
    # under the 1 MB file cap, over the text cap: refused before any cleaning, also by `interview --jd`
    (b" " * 990_000 + b"x", "990,001 characters", ("plan", "--jd")),
    (b"a " * 600_000, "limit is 1,000 kB", ("plan", "--jd")),
    (b"\n" * 999_999, "characters", ("plan", "--jd")),
    (b"word " * 5_000, "characters; the limit is", ("plan",)),  # 25,000 characters of words
])
def test_big_jd_files_are_refused_quickly(tmp_path: Path, content: bytes, message: str,
                                          commands: tuple[str, ...]) -> None:
    jd = tmp_path / "jd.txt"
    jd.write_bytes(content)
    for command in commands:
        line = one_clear_line(*run(command, str(jd)))
        assert message in line


# ------------------------------------------------------------------------- 2. another program's files

def _foreign_rollback(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO photos (name) VALUES ('holiday.jpg')")
    conn.close()


def _foreign_wal(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.commit()
    conn.close()


def _foreign_app_id(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")  # marked by another program, no tables yet
    conn.commit()
    conn.close()


def _foreign_with_version(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 2")  # same version number as ours, different tables
    conn.execute("CREATE TABLE interview_sessions_backup (x)")
    conn.commit()
    conn.close()


def _our_tables_other_app(path: Path) -> None:
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 42")
    conn.commit()
    conn.close()


def _newer_schema(path: Path) -> None:
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()


def _negative_version(path: Path) -> None:
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = -1")
    conn.commit()
    conn.close()


def _garbage(path: Path) -> None:
    path.write_bytes(b"not a database at all\n" * 200)


def _header_only(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 84)


@pytest.mark.parametrize(("make", "message"), [
    (_foreign_rollback, "another program's database"),
    (_foreign_wal, "another program's database"),
    (_foreign_app_id, "another program's database"),
    (_foreign_with_version, "another program's database"),
    (_our_tables_other_app, "another program's database"),
    (_newer_schema, "newer interview-tui"),
    (_negative_version, "unknown schema version"),
    (_garbage, "not an interview-tui database"),
    (_header_only, "corrupt"),
])
@pytest.mark.parametrize("command", [("credits", "add", "5"), ("credits", "balance"), ("sessions", "list")])
def test_foreign_databases_are_left_byte_for_byte(tmp_path: Path, make: Callable[[Path], None], message: str,
                                                  command: tuple[str, ...]) -> None:
    db = tmp_path / "other.sqlite"
    make(db)
    before, siblings = sha(db), sorted(p.name for p in tmp_path.iterdir())
    line = one_clear_line(*run("--db", str(db), *command))
    assert message in line and "untouched" in line
    assert sha(db) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == siblings  # no -wal, -shm or -journal left behind


@pytest.mark.parametrize("make", ["zero-bytes", "blank-sqlite", "old-ours-without-app-id"])
def test_empty_files_and_our_older_databases_are_adopted(tmp_path: Path, make: str) -> None:
    db = tmp_path / "x.db"
    if make == "zero-bytes":
        db.touch()
    elif make == "blank-sqlite":
        sqlite3.connect(db).execute("VACUUM").connection.close()
    else:  # a database of ours from before application_id: v2, our tables, app id 0
        old = Store.open(db, migrate=False)
        old.migrate(target=2)
        old.conn.execute("PRAGMA application_id = 0")
        old.conn.execute("INSERT INTO credits_log (amount, kind, created_at) VALUES (9, 'topup', 1.0)")
        old.close()
    code, _, err = run("--db", str(db), "credits", "add", "5")
    assert code == 0, err
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()
    assert run("--db", str(db), "credits", "balance")[1] == ("14\n" if make.startswith("old") else "5\n")


# ------------------------------------------------------------------------------ 3. terminal injection

def test_notes_are_stored_and_printed_without_control_sequences() -> None:
    assert run("credits", "add", "5", "--note", "welcome " + HOSTILE)[0] == 0
    code, out, err = run("credits", "history")
    assert code == 0 and not FORBIDDEN.search(out + err) and "welcome" in out and "gnp.exe" in out
    code, out, _ = run("credits", "history", "--json")
    assert code == 0 and not FORBIDDEN.search(out)
    note = json.loads(out)["entries"][0]["note"]
    assert not FORBIDDEN.search(note) and note.startswith("welcome")  # stored sanitised, not only printed so


def test_every_printed_error_is_sanitised(tmp_path: Path) -> None:
    evil = tmp_path / ("jd" + HOSTILE.replace("\x00", "").replace("/", ""))
    evil.mkdir()
    for args in (("plan", str(evil)), ("sessions", "show", "abcd" + HOSTILE), ("credits", "add", HOSTILE),
                 ("--db", str(evil), "credits", "balance"), ("credits", "add", "5", "--ref", HOSTILE * 20),
                 ("sessions", "export", "x" + HOSTILE, "--format", HOSTILE), ("nosuch" + HOSTILE,)):
        one_clear_line(*run(*args))  # asserts: one line, nothing a terminal would obey


def test_gemini_error_text_is_printed_safely(gemini_server, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from tests.fakes.gemini_server import Reply

    monkeypatch.setenv("GEMINI_API_KEY", gemini_server.api_key)
    monkeypatch.setenv("GEMINI_BASE_URL", gemini_server.url)
    monkeypatch.setenv("GEMINI_TIMEOUT_S", "2")
    gemini_server.enqueue(*[Reply.error(400, "bad request " + HOSTILE)] * 3)
    one_clear_line(*run("plan", str(JD_FILE)))


def test_doctor_prints_a_hostile_model_name_safely(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fakes.gemini_server import FakeGeminiServer

    evil = "gemini-9\u202e\u200bx\u2066"  # the server echoes the model's name as its display name
    with FakeGeminiServer(models=(evil,)) as server:
        monkeypatch.setenv("GEMINI_API_KEY", server.api_key)
        monkeypatch.setenv("GEMINI_BASE_URL", server.url)
        monkeypatch.setenv("GEMINI_MODEL", evil)
        code, out, err = run("doctor")
        assert code in (0, 1) and "gemini_model" in out
        assert not FORBIDDEN.search(out + err)
        code, out, _ = run("doctor", "--json")
        assert not FORBIDDEN.search(out) and json.loads(out)["checks"]


@pytest.mark.parametrize(("raw", "line", "text"), [
    ("a\x1b[31mred\x1b[0m", "ared", "ared"),
    ("x\x1b]52;c;aGk=\x07y", "xy", "xy"),
    ("x\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\y", "xlinky", "xlinky"),
    ("tab\there\nline", "tab here line", "tab\there\nline"),
    ("\u202eevil\u202c \u200bzw\u2060", "evil zw", "evil zw"),
    ("c1\x9b2Jcsi \x9d0;t\x9c", "c1csi", "c1csi "),
    ("café ✓ 日本", "café ✓ 日本", "café ✓ 日本"),
])
def test_sanitiser(raw: str, line: str, text: str) -> None:
    assert safe_line(raw) == line and safe_text(raw) == text


# ------------------------------------------------------------------------ 4. SQLite faults after open

def _read_only(path: Path, on: bool) -> None:
    """Make a file or folder read-only. Root ignores modes, so as root the immutable attribute is used."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i" if on else "-i", str(path)], check=True, capture_output=True)
    else:
        path.chmod((0o444 if path.is_file() else 0o555) if on else (0o644 if path.is_file() else 0o755))


@pytest.mark.parametrize("fault", ["read-only-file", "read-only-dir"])
def test_read_only_database(tmp_path: Path, fault: str) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "interview.db"
    store = Store.open(db)
    ledger_add(store, 7)
    store.close()
    target = db if fault == "read-only-file" else folder
    before = sha(db)
    _read_only(target, True)
    try:
        line = one_clear_line(*run("--db", str(db), "credits", "add", "5"))
    finally:
        _read_only(target, False)
    assert "cannot be written" in line
    assert sha(db) == before


@pytest.mark.timeout(60)
def test_read_only_filesystem(tiny_disk: Path) -> None:
    db = tiny_disk / "interview.db"
    store = Store.open(db)
    ledger_add(store, 7)
    store.close()
    before = sha(db)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    line = one_clear_line(*run("--db", str(db), "credits", "add", "5"))
    assert "cannot be written" in line and sha(db) == before


def ledger_add(store: Store, amount: int) -> None:
    from interview_tui.store.ledger import Ledger

    Ledger(store).top_up(amount, 1.0)


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.fixture
def tiny_disk() -> Iterator[Path]:
    """A 512 kB tmpfs (needs root, as in CI); skipped where mounting is not allowed."""
    import tempfile

    mount_point = Path(tempfile.mkdtemp(prefix="interview-tiny-"))
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(mount_point)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        mount_point.rmdir()
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
        mount_point.rmdir()


def _fill(folder: Path) -> Path:
    filler = folder / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while os.write(fd, b"\0" * 4096):
            pass
    except OSError:  # ENOSPC: the disk is full
        pass
    finally:
        os.close(fd)
    return filler


@pytest.mark.timeout(60)
def test_disk_full_at_commit_is_one_line_and_rolled_back(tiny_disk: Path) -> None:
    db = tiny_disk / "interview.db"
    store = Store.open(db)
    ledger_add(store, 7)
    store.close()
    holder = sqlite3.connect(db)  # keeps -wal/-shm in place, so the disk fills up at the commit itself
    holder.execute("SELECT COUNT(*) FROM credits_log").fetchone()
    filler = _fill(tiny_disk)
    try:
        proc = cli_process("--db", str(db), "credits", "add", "5", "--note", "x" * 200,
                           env={"INTERVIEW_TUI_HOME": str(tiny_disk / "home")})
    finally:
        filler.unlink()
    line = one_clear_line(proc.returncode, proc.stdout, proc.stderr)
    assert "full" in line or "cannot be created" in line
    assert holder.execute("SELECT SUM(amount) FROM credits_log").fetchone()[0] == 7
    holder.close()
    assert run("--db", str(db), "credits", "balance")[1] == "7\n"


@pytest.mark.timeout(60)
def test_file_size_limit_at_commit_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "interview.db"
    store = Store.open(db)
    ledger_add(store, 7)
    store.close()
    holder = sqlite3.connect(db)
    holder.execute("SELECT COUNT(*) FROM credits_log").fetchone()
    proc = cli_process("--db", str(db), "credits", "add", "5", preexec=_limit_file_size(1024),
                       env={"INTERVIEW_TUI_HOME": str(tmp_path)})
    holder.close()
    line = one_clear_line(proc.returncode, proc.stdout, proc.stderr)
    assert "disk" in line
    assert run("--db", str(db), "credits", "balance")[1] == "7\n"


def test_corrupt_pages_are_one_line(tmp_path: Path) -> None:
    db = tmp_path / "interview.db"
    store = Store.open(db)
    for i in range(400):
        store.conn.execute("INSERT INTO credits_log (amount, kind, note, created_at) VALUES (1, 'topup', ?, 1.0)",
                           ("n" * 200 + str(i),))
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(db.read_bytes())
    page = 4096
    data[3 * page: 6 * page] = b"\xa5" * (3 * page)  # pages 4-6 overwritten, header intact
    db.write_bytes(bytes(data))
    before = sha(db)
    for command in (("credits", "history"), ("credits", "balance"), ("credits", "add", "5")):
        line = one_clear_line(*run("--db", str(db), *command))
        assert "corrupt" in line
    assert sha(db) == before


@pytest.mark.parametrize("target", ["/dev/null", "/dev/zero", "directory"])
def test_device_or_folder_as_database(tmp_path: Path, target: str) -> None:
    path = str(tmp_path) if target == "directory" else target
    line = one_clear_line(*run("--db", path, "credits", "balance"))
    assert ("is a device" in line) or ("is a directory" in line)


def test_home_of_an_unknown_user(monkeypatch: pytest.MonkeyPatch) -> None:
    line = one_clear_line(*run("--db", "~no-such-user-here/x.db", "credits", "balance"))
    assert "no user 'no-such-user-here'" in line
    monkeypatch.setenv("INTERVIEW_TUI_HOME", "~no-such-user-here")
    assert "no user" in one_clear_line(*run("credits", "balance"))


@pytest.mark.timeout(60)
def test_database_busy_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The lock outlasts the busy timeout whatever its length: 1 s here instead of the app's 10 s, only to save time.
    monkeypatch.setattr("interview_tui.store.db.BUSY_TIMEOUT_MS", 1_000)
    db = tmp_path / "interview.db"
    Store.open(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program keeps the write lock past our busy timeout
    try:
        line = one_clear_line(*run("--db", str(db), "credits", "add", "5"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked by another program" in line


def test_a_failed_commit_is_rolled_back(store: Store) -> None:
    """A COMMIT that fails (here a deferred foreign-key check) must not leave the connection in a transaction."""
    store.conn.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    store.conn.execute("CREATE TABLE child (pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)")
    with pytest.raises(sqlite3.IntegrityError), store.transaction() as conn:
        conn.execute("INSERT INTO child VALUES (99)")
    assert not store.conn.in_transaction
    with store.transaction() as conn:  # the connection is usable again
        conn.execute("INSERT INTO parent VALUES (1)")
    assert store.query("SELECT COUNT(*) FROM child")[1] == [(0,)]


# ----------------------------------------------------------------------------------------- 5. amounts

BAD_AMOUNTS = [
    ("²", "digits 0-9"), ("①", "digits 0-9"), ("+-5", "digits 0-9"), ("--5", "digits 0-9"), ("٥", "digits 0-9"),
    ("５", "digits 0-9"), ("1.5", "digits 0-9"), ("1e3", "digits 0-9"), ("0x10", "digits 0-9"), ("ten", "digits 0-9"),
    ("", "digits 0-9"), (" ", "digits 0-9"), ("5_", "digits 0-9"), ("1__0", "digits 0-9"), ("5 5", "digits 0-9"),
    ("\x1b[2J5", "digits 0-9"), ("NaN", "digits 0-9"), ("inf", "digits 0-9"),
    ("9" * 5000, "limited"), ("100001", "limited"), ("0" * 30 + "100001", "limited"),
    ("0", "positive"), ("000", "positive"), ("-5", "positive"), ("-0", "positive"), ("-" + "9" * 5000, "positive"),
]


@pytest.mark.parametrize(("amount", "message"), BAD_AMOUNTS)
def test_bad_amounts(amount: str, message: str) -> None:
    line = one_clear_line(*run("credits", "add", "--", amount))
    assert message in line
    assert run("credits", "balance")[1] == "0\n"


def test_negative_amount_without_separator_says_positive() -> None:
    line = one_clear_line(*run("credits", "add", "-5"))
    assert "Amounts are positive" in line


@pytest.mark.parametrize(("amount", "value"), [("+7", 7), ("1_000", 1000), ("007", 7), ("100000", 100_000)])
def test_good_amounts(amount: str, value: int) -> None:
    code, out, _ = run("credits", "add", "--json", "--", amount)
    assert code == 0 and json.loads(out)["added"] == value


# ---------------------------------------------------------------------------------------- 6. settings

BAD_CONFIGS = [
    ('[gemini]\ntimeout_s = "abc"\n', "gemini.timeout_s"),
    ("[gemini]\ntimeout_s = inf\n", "gemini.timeout_s"),
    ("[gemini]\ntimeout_s = nan\n", "gemini.timeout_s"),
    ("[gemini]\ntimeout_s = -1\n", "gemini.timeout_s"),
    ("[gemini]\ntimeout_s = 0\n", "gemini.timeout_s"),
    ('[gemini]\nmodel = ""\n', "gemini.model"),
    ('[gemini]\nmodel = "   "\n', "gemini.model"),
    ("[gemini]\nmodel = 5\n", "gemini.model"),
    ("[gemini]\napi_key = 123\n", "gemini.api_key"),
    ('[gemini]\nbase_url = "ftp://example.com"\n', "gemini.base_url"),
    ("[elevenlabs]\nagent_id = [1, 2]\n", "elevenlabs.agent_id"),
    ('gemini = "not a table"\n', "gemini must be a table"),
    ("audio = 3\n", "audio must be a table"),
    ("[audio]\ninput_device = true\n", "audio.input_device"),
    ("[audio]\noutput_device = -1\n", "audio.output_device"),
    (f'[profile]\nname = "{"n" * 500}"\n', "profile.name"),
    ("[recordings]\nkeep_days = -3\n", "recordings.keep_days"),
    ('[recordings]\nenabled = "perhaps"\n', "recordings.enabled"),
    ("[gemini\nmodel = 1\n", "not valid TOML"),
    ("model = = 1\n", "not valid TOML"),
    (b"[gemini]\nmodel = \"caf\xe9\"\n", "not UTF-8"),
    (b"\xff\xfe[\x00g\x00", "not UTF-8"),
]


@pytest.mark.parametrize(("content", "message"), BAD_CONFIGS)
def test_bad_config_files(app_home: Path, content: str | bytes, message: str) -> None:
    config = app_home / "config.toml"
    config.write_bytes(content if isinstance(content, bytes) else content.encode())
    line = one_clear_line(*run("plan", str(JD_FILE)))
    assert message in line and str(config) in line
    code, out, err = run("doctor", "--json")  # doctor: one failed check, the rest still reported, exit 1
    assert code == 1 and "Traceback" not in out + err
    checks = {c["name"]: c for c in json.loads(out)["checks"]}
    assert not checks["settings"]["ok"] and message in checks["settings"]["detail"]
    assert "database" in checks and "espeak_ng" in checks
    assert run("credits", "balance")[0] == 0  # the ledger does not depend on the config file


@pytest.mark.parametrize(("name", "value"), [
    ("GEMINI_TIMEOUT_S", "nan"), ("GEMINI_TIMEOUT_S", "inf"), ("GEMINI_TIMEOUT_S", "abc"),
    ("GEMINI_TIMEOUT_S", "-5"), ("GEMINI_TIMEOUT_S", "1e400"), ("GEMINI_BASE_URL", "file:///etc/passwd"),
    ("INTERVIEW_RECORD", "maybe"),
])
def test_bad_environment(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    line = one_clear_line(*run("plan", str(JD_FILE)))
    assert name in line or "keep_days" in line


def test_config_file_that_is_a_folder(app_home: Path) -> None:
    (app_home / "config.toml").mkdir()
    line = one_clear_line(*run("plan", str(JD_FILE)))
    assert "not a regular file" in line


def test_unknown_settings_are_warned_not_fatal(app_home: Path) -> None:
    (app_home / "config.toml").write_text('[gemini]\nmodle = "typo"\n[colour]\ntheme = "dark"\n')
    code, out, err = run("plan", str(JD_FILE))
    assert code == 0 and "Interview plan for" in out
    assert err.count("\n") == 2 and "gemini.modle" in err and "[colour]" in err and "warning" in err


# ------------------------------------------------------------------------------- 7. non-regular paths

@pytest.mark.timeout(20)
def test_fifo_as_database_does_not_hang(tmp_path: Path) -> None:
    fifo = tmp_path / "db.fifo"
    os.mkfifo(fifo)
    proc = cli_process("--db", str(fifo), "credits", "balance", timeout=15,
                       env={"INTERVIEW_TUI_HOME": str(tmp_path)})
    assert "named pipe" in one_clear_line(proc.returncode, proc.stdout, proc.stderr)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("kind", ["fifo", "directory", "/dev/zero", "/dev/null", "/dev/urandom", "socket",
                                  "missing", "dangling-link", "unknown-user"])
@pytest.mark.parametrize("how", ["plan", "--jd"])
def test_non_regular_jd_files(tmp_path: Path, kind: str, how: str) -> None:
    import socket

    path = tmp_path / "jd"
    sock = None
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "directory":
        path.mkdir()
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(path))
    elif kind == "dangling-link":
        path.symlink_to(tmp_path / "nowhere")
    elif kind.startswith("/dev"):
        path = Path(kind)
    elif kind == "unknown-user":
        path = Path("~no-such-user-here/jd.txt")  # `~user` for a user that does not exist
    args = ("plan", str(path)) if how == "plan" else ("--jd", str(path))
    try:
        line = one_clear_line(*run(*args))
    finally:
        if sock is not None:
            sock.close()
    expected = {"fifo": "named pipe", "directory": "folder", "socket": "socket", "missing": "There is no file",
                "dangling-link": "There is no file", "unknown-user": "There is no file"}.get(kind, "device")
    assert expected in line


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-8"])
def test_jd_files_with_a_byte_order_mark_are_text(tmp_path: Path, encoding: str) -> None:
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff", "utf-32-le": b"\xff\xfe\x00\x00",
           "utf-32-be": b"\x00\x00\xfe\xff", "utf-8": b"\xef\xbb\xbf"}[encoding]
    jd = tmp_path / "jd.txt"
    jd.write_bytes(bom + JD_FILE.read_text(encoding="utf-8").encode(encoding))
    code, out, err = run("plan", str(jd))
    assert code == 0, err
    assert out.startswith("Interview plan for")


def test_a_broken_utf16_file_is_one_line(tmp_path: Path) -> None:
    jd = tmp_path / "jd.txt"
    jd.write_bytes(b"\xff\xfe" + b"\x00\xd8" * 3 + b"a")  # lone surrogates, odd length
    assert "UTF-16-LE" in one_clear_line(*run("plan", str(jd)))


# ----------------------------------------------------------------------------------- 8. private files

def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_plan_first_makes_a_private_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "fresh" / "home"
    monkeypatch.setenv("INTERVIEW_TUI_HOME", str(home))
    assert run("plan", str(JD_FILE))[0] == 0
    assert _mode(home) == 0o700 and _mode(home / "cache") == 0o700
    assert all(_mode(p) == 0o600 for p in (home / "cache").iterdir())


def test_loose_modes_are_tightened(app_home: Path) -> None:
    assert run("credits", "add", "5")[0] == 0
    db = app_home / "interview.db"
    app_home.chmod(0o755)
    db.chmod(0o644)
    assert run("credits", "balance")[0] == 0
    assert _mode(app_home) == 0o700 and _mode(db) == 0o600
    assert all(_mode(p) == 0o600 for p in app_home.glob("interview.db*"))
    config = app_home / "config.toml"
    config.write_text('[gemini]\nmodel = "gemini-2.5-pro"\n')
    config.chmod(0o644)
    assert run("plan", str(JD_FILE))[0] == 0
    assert _mode(config) == 0o600


def test_log_is_private_rotated_and_redacted(app_home: Path) -> None:
    import logging

    from interview_tui.logging_setup import configure_logging
    from interview_tui.paths import resolve_paths
    from interview_tui.settings import load_settings

    log_file = app_home / "interview.log"
    log_file.write_text("old\n")
    log_file.chmod(0o644)
    settings = load_settings(resolve_paths())
    handler = configure_logging(settings)
    try:
        log = logging.getLogger("interview_tui.test")
        log.warning("calling https://user:hunter2@gw.example/v1?key=AIzaSECRET&x=1")
        for _ in range(40):
            log.warning("filler %s", "y" * 60_000)  # 2.4 MB: past the 2 MB rotation size
        assert logging.getLogger("httpx").getEffectiveLevel() >= logging.WARNING
        assert logging.getLogger("google_genai").getEffectiveLevel() >= logging.WARNING
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    logs = sorted(app_home.glob("interview.log*"))
    assert len(logs) >= 2 and all(_mode(p) == 0o600 for p in logs)
    text = "".join(p.read_text() for p in logs)
    assert "hunter2" not in text and "AIzaSECRET" not in text and "gw.example" in text


def test_credentials_in_base_urls_are_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", "AIza-test-key-0000")
    monkeypatch.setenv("GEMINI_BASE_URL", "http://alice:s3cret-pw@127.0.0.1:9/?key=qwerty123")
    monkeypatch.setenv("GEMINI_TIMEOUT_S", "2")
    line = one_clear_line(*run("plan", str(JD_FILE)))
    assert "127.0.0.1" in line and "s3cret-pw" not in line and "qwerty123" not in line
    for args in (("doctor",), ("doctor", "--json")):
        code, out, err = run(*args)
        assert code == 1 and "s3cret-pw" not in out + err and "qwerty123" not in out + err


def test_exports_are_private_and_named_safely(tmp_path: Path, sample_jd: str) -> None:
    from interview_tui.paths import write_private
    from interview_tui.tui.screens.report import export_filename

    store = Store.open(tmp_path / "x.db")
    svc = make_service(store, planner=ScriptedPlanner(), analyzer=ScriptedAnalyzer(), clock=FakeClock())
    svc.top_up(30)
    record = svc.create(sample_jd)
    store.close()
    for crafted in ("../../../etc/passwd", "..", "a/b\\c", "\x1b]0;x\x07"):
        name = export_filename(record.model_copy(update={"id": crafted}), "md")
        assert "/" not in name and "\\" not in name and not name.startswith(".") and not FORBIDDEN.search(name)
        target = tmp_path / "out" / name
        target.parent.mkdir(exist_ok=True)
        write_private(target, "report")
        assert target.parent == tmp_path / "out" and _mode(target) == 0o600
    loose = tmp_path / "out" / "loose.md"
    loose.write_text("x")
    loose.chmod(0o644)
    write_private(loose, "y")
    assert _mode(loose) == 0o600


# -------------------------------------------------------------------------------------- 9. bad rows

def _insert_raw(db: Path, session_id: str, status: str, plan: str | None) -> None:
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO interview_sessions (id, status, jd_text, jd_sha256, plan, created_at, updated_at) "
                 "VALUES (?, ?, 'jd', 'h', ?, 5.0, 5.0)", (session_id, status, plan))
    conn.commit()
    conn.close()


@pytest.mark.parametrize(("status", "plan"), [
    ("complete", "{not json"),
    ("complete", '{"role_title": 5}'),
    ("zombie", None),
    ("complete", '"just a string"'),
    ("active", "[]"),
])
def test_one_bad_row_never_breaks_everything(db_path: Path, sample_jd: str, status: str, plan: str) -> None:
    store = Store.open(db_path)
    svc = make_service(store, planner=ScriptedPlanner(), analyzer=ScriptedAnalyzer(), clock=FakeClock())
    svc.top_up(30)
    good = svc.create(sample_jd).id
    svc.cancel(good)
    store.close()
    _insert_raw(db_path, "bad0session", status, plan)
    for args in (("sessions", "list"), ("sessions", "list", "--json")):
        code, out, err = run(*args)
        assert code == 0 and good in out and "bad0session" not in out
        assert err.count("\n") == 1 and "bad0session" in err and "warning" in err
    line = one_clear_line(*run("sessions", "show", "bad0session"))
    assert "bad0session" in line and "cannot be read" in line
    store = Store.open(db_path)  # start-up recovery and History use the same reads
    svc = make_service(store, planner=ScriptedPlanner(), analyzer=ScriptedAnalyzer(), clock=FakeClock())
    assert svc.recover() == []
    assert [r.id for r in svc.list_sessions()] == [good]
    store.close()


# ------------------------------------------------------------------------------------ 10. ids, limits

def test_ids_and_limits(db_path: Path, sample_jd: str) -> None:
    Store.open(db_path).close()
    for sid in ("abcd1111aaaa", "abcd2222bbbb"):
        _insert_raw(db_path, sid, "cancelled", None)
    cases = [
        (("sessions", "show", "abcd"), "ambiguous"),
        (("sessions", "export", "abcd"), "ambiguous"),
        (("sessions", "show", "abc"), "at least 4"),
        (("sessions", "show", "a" * 5000), "at most 64"),
        (("sessions", "show", "../../etc"), "There is no session"),
        (("sessions", "show", "%%%%"), "There is no session"),
        (("sessions", "show", "____"), "There is no session"),
        (("sessions", "show", "zzzz"), "There is no session"),
        (("sessions", "show", ""), "Give a session id"),
        (("sessions", "list", "--limit", "0"), "--limit"),
        (("sessions", "list", "--limit", "-1"), "--limit"),
        (("sessions", "list", "--limit", str(10**30)), "--limit"),
        (("sessions", "list", "--limit", "abc"), "--limit"),
        (("credits", "history", "--limit", "1000001"), "--limit"),
        (("sessions", "export", "abcd1111", "--format", "pdf"), "md or json"),
    ]
    for args, message in cases:
        line = one_clear_line(*run(*args))
        assert message in line, (args, line)
    line = one_clear_line(*run("sessions", "show", "abcd"))
    assert "abcd1111aaaa" in line and "abcd2222bbbb" in line
    assert run("sessions", "show", "ABCD1111")[0] == 0  # a unique prefix, any case


def test_negative_user_version_is_refused_untouched(db_path: Path) -> None:
    _negative_version(db_path)
    before = sha(db_path)
    with pytest.raises(StoreError, match="unknown schema version"):
        Store.open(db_path)
    assert sha(db_path) == before


# ------------------------------------------------------------------------------- 11. idempotent refs

def test_the_same_ref_adds_once() -> None:
    assert run("credits", "add", "15", "--ref", "rcpt-001")[0] == 0
    code, out, err = run("credits", "add", "15", "--ref", "rcpt-001")
    assert code == 0 and "Already added" in out and err == ""
    code, out, _ = run("credits", "add", "15", "--ref", "rcpt-001", "--json")
    assert json.loads(out) == {"added": 0, "balance": 15, "entry_id": 1, "already_added": True}
    line = one_clear_line(*run("credits", "add", "20", "--ref", "rcpt-001"))
    assert "already used" in line
    assert run("credits", "add", "15", "--ref", "rcpt-002")[0] == 0
    assert run("credits", "balance")[1] == "30\n"
    for bad in ("", "   ", "r" * 101):
        one_clear_line(*run("credits", "add", "5", "--ref", bad))


@pytest.mark.timeout(120)
def test_concurrent_adds_with_one_ref_credit_once(app_home: Path) -> None:
    Store.open(app_home / "interview.db").close()
    procs = [subprocess.Popen([sys.executable, "-m", "interview_tui", "credits", "add", "5", "--ref", "same"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(8)]
    results = [(p.wait(timeout=100), p.stdout.read(), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    assert all(code == 0 and err == "" for code, _, err in results)
    assert sum("Added 5" in out for _, out, _ in results) == 1
    assert run("credits", "balance")[1] == "5\n"


@pytest.mark.timeout(120)
def test_a_killed_retried_add_never_double_credits(app_home: Path) -> None:
    Store.open(app_home / "interview.db").close()
    rounds = 12
    for i in range(rounds):
        proc = subprocess.Popen([sys.executable, "-m", "interview_tui", "credits", "add", "5", "--ref", f"r{i}"],
                                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.05 * (i % 6))  # killed before, during or after its write
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        code, _, err = run("credits", "add", "5", "--ref", f"r{i}")  # the retry
        assert code == 0, err
    assert run("credits", "balance")[1] == f"{5 * rounds}\n"
    conn = sqlite3.connect(app_home / "interview.db")
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


# ------------------------------------------------------------------------------ 12. pipes and locales

@pytest.mark.timeout(60)
@pytest.mark.parametrize("args", [("credits", "history"), ("credits", "history", "--json"), ("--help",)])
def test_output_into_a_closed_pipe_ends_quietly(app_home: Path, args: tuple[str, ...]) -> None:
    store = Store.open(app_home / "interview.db")
    store.conn.executemany("INSERT INTO credits_log (amount, kind, note, created_at) VALUES (1, 'topup', ?, 1.0)",
                           [(f"note {i}",) for i in range(20_000)])
    store.close()
    proc = subprocess.Popen([sys.executable, "-m", "interview_tui", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # like `| head -1`
    err = proc.stderr.read().decode()
    proc.wait(timeout=30)
    assert err == "", err


@pytest.mark.parametrize("locale", ["C", "POSIX"])
def test_non_ascii_notes_under_the_c_locale(app_home: Path, locale: str) -> None:
    env = {"LC_ALL": locale, "LANG": locale, "PYTHONUTF8": "", "PYTHONIOENCODING": ""}
    env = {k: v for k, v in {**os.environ, **env}.items() if v != "" or k not in ("PYTHONUTF8", "PYTHONIOENCODING")}
    add = subprocess.run([sys.executable, "-m", "interview_tui", "credits", "add", "5", "--note", "café ✓ 日本"],
                         cwd=ROOT, capture_output=True, env=env, timeout=60)
    assert add.returncode == 0, add.stderr
    hist = subprocess.run([sys.executable, "-m", "interview_tui", "credits", "history"], cwd=ROOT,
                          capture_output=True, env=env, timeout=60)
    assert hist.returncode == 0 and hist.stderr == b""
    assert "café ✓ 日本" in hist.stdout.decode("utf-8")




def test_the_app_shows_untrusted_text_without_bidi_or_zero_width_characters() -> None:
    from interview_tui.tui.text import literal

    shown = literal("name\u202eexe.pdf\u200b \x1b[2J").plain
    assert shown == "name" + "exe.pdf" + " ␛[2J" and not FORBIDDEN.search(shown)
