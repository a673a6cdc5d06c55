"""`invocation.cli_command`: the command the app's hints show is one the user can run, for each way of installing
and starting it (PATH variations over real files: scripts, links and interpreters laid out as installers do)."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest

from interview_tui.invocation import cli_command


def _environment(root: Path) -> tuple[Path, Path]:
    """A virtual environment's bin folder as pip lays it out: an interpreter and the `interview` console script
    whose #! line names it. Returns (interpreter, script)."""
    bin_dir = root / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.write_text("")
    python.chmod(0o755)
    script = bin_dir / "interview"
    script.write_text(f"#!{python}\nfrom interview_tui.cli import main\nmain()\n")
    script.chmod(0o755)
    return python, script


@pytest.fixture
def venv(tmp_path: Path) -> tuple[Path, Path]:
    return _environment(tmp_path / "home" / "app" / ".venv")


@pytest.fixture
def home(tmp_path: Path) -> str:
    return str(tmp_path / "home")


def test_the_interview_on_path_that_is_this_installation_is_named_plainly(venv: tuple[Path, Path],
                                                                         home: str) -> None:
    python, script = venv
    assert cli_command(path=str(script.parent), argv0=str(script), executable=str(python), home=home) == \
        "interview"


def test_make_run_without_interview_on_path_names_the_script(venv: tuple[Path, Path], home: str,
                                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    python, script = venv
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    assert cli_command(path=str(empty), argv0=str(script), executable=str(python), home=home) == \
        "~/app/.venv/bin/interview"
    # A relative argv[0] (`.venv/bin/interview` typed in the project folder) is named absolutely: any terminal.
    monkeypatch.chdir(Path(home) / "app")
    assert cli_command(path="", argv0=".venv/bin/interview", executable=str(python), home="/elsewhere") == \
        str(script)


def test_another_installation_first_on_path_is_not_the_one_shown(venv: tuple[Path, Path], home: str,
                                                                 tmp_path: Path) -> None:
    python, script = venv
    _other_python, other_script = _environment(tmp_path / "old-install")
    path = os.pathsep.join([str(other_script.parent), str(script.parent)])
    assert cli_command(path=path, argv0=str(script), executable=str(python), home=home) == \
        "~/app/.venv/bin/interview"


def test_a_tool_install_linked_onto_path_is_this_installation(venv: tuple[Path, Path], home: str,
                                                              tmp_path: Path) -> None:
    """pipx and uv link the tool's script into ~/.local/bin; a copy whose #! names this interpreter counts too."""
    python, script = venv
    linked = tmp_path / "home" / ".local" / "bin"
    linked.mkdir(parents=True)
    (linked / "interview").symlink_to(script)
    assert cli_command(path=str(linked), argv0=str(linked / "interview"), executable=str(python), home=home) == \
        "interview"
    copied = tmp_path / "copied-bin"
    copied.mkdir()
    (copied / "interview").write_bytes(script.read_bytes())
    (copied / "interview").chmod(0o755)
    assert cli_command(path=str(copied), argv0=str(script), executable=str(python), home=home) == "interview"


def test_python_dash_m_uses_the_environments_script_or_the_interpreter(venv: tuple[Path, Path], home: str,
                                                                       tmp_path: Path) -> None:
    python, script = venv
    main_py = str(tmp_path / "src" / "interview_tui" / "__main__.py")
    # An activated environment: its bin folder is on PATH.
    assert cli_command(path=str(script.parent), argv0=main_py, executable=str(python), home=home) == "interview"
    # Not activated: the environment's own script.
    assert cli_command(path="", argv0=main_py, executable=str(python), home=home) == "~/app/.venv/bin/interview"
    # No script installed (a source checkout): the interpreter itself, quoted where the shell needs it.
    bare = tmp_path / "Program Files" / "python3"
    bare.parent.mkdir()
    bare.write_text("")
    command = cli_command(path="", argv0=main_py, executable=str(bare), home=home)
    assert command == f"{shlex.quote(str(bare))} -m interview_tui"
    assert shlex.split(command) == [str(bare), "-m", "interview_tui"]


def test_a_path_that_needs_quoting_is_quoted(tmp_path: Path) -> None:
    python, script = _environment(tmp_path / "my projects" / ".venv")
    command = cli_command(path="", argv0=str(script), executable=str(python), home=str(tmp_path))
    assert shlex.split(command) == [str(script)]


def test_commands_quoted_in_messages_are_shown_as_runnable() -> None:
    from interview_tui.tui.text import runnable

    message = "The interview could not start. Check `interview doctor --audio`, or run `interview`."
    assert runnable(message, "~/app/.venv/bin/interview") == (
        "The interview could not start. Check `~/app/.venv/bin/interview doctor --audio`, or run "
        "`~/app/.venv/bin/interview`.")
    assert runnable(message, "interview") == message
    assert runnable("`interview_tui.erasure` and `interviews`", "/x/interview") == \
        "`interview_tui.erasure` and `interviews`"
