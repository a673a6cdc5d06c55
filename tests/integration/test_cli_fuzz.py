"""Property: no argument list given to the `interview` command line produces a traceback or an "unexpected error".

Hypothesis builds argument lists from every command path, every option name and arbitrary text (anything a shell
can pass: no NUL). Each must end with exit 0, or exit 2 and exactly one line on stderr (a bare command group prints
its help instead). Commands that reach the network, the microphone or delete data are left out; everything runs in
a private temporary home and working directory.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from interview_tui.cli import app

runner = CliRunner()

COMMANDS = [
    ("credits", "add"), ("credits", "balance"), ("credits", "history"), ("credits",),
    ("sessions", "list"), ("sessions", "show"), ("sessions", "export"), ("sessions",), ("plan",), ("analyze",),
]
OPTIONS = ["--json", "--limit", "--note", "--ref", "--format", "-f", "--help", "-h", "--", "-5", "--5", "+-5", "--plan",
           "-", "--db", "--text", "--jd", "--input-device", "=", "--limit=", "--note=x", "0", "100000", "100001"]
ARG_TEXT = st.text(alphabet=st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=40)
NUMBERS = st.one_of(st.integers(min_value=-(10**30), max_value=10**30).map(str),
                    st.tuples(st.sampled_from(["", "-", "+", "--", "+-"]), st.text(alphabet="0123456789_", min_size=1,
                                                                                    max_size=6000)).map("".join))
TOKENS = st.one_of(st.sampled_from(OPTIONS), ARG_TEXT, NUMBERS,
                   st.sampled_from(["²", "①", "٥", "５", "1e3", "nan", "inf", "9" * 5000, "\x1b]52;c;aGk=\x07"]))


def _safe_db(argv: list[str]) -> list[str]:
    """`--db` values stay inside the temporary working directory (never an absolute path)."""
    out, i = [], 0
    while i < len(argv):
        out.append(argv[i])
        if argv[i] == "--db" and i + 1 < len(argv):
            out.append("fuzzdb-" + argv[i + 1].replace("/", "_").lstrip("."))
            i += 1
        i += 1
    return out


@pytest.mark.timeout(600)
@settings(max_examples=300, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(prefix=st.sampled_from(COMMANDS), rest=st.lists(TOKENS, max_size=5),
       global_db=st.one_of(st.none(), ARG_TEXT))
def test_no_argument_list_produces_a_traceback(app_home: Path, tmp_path: Path, prefix: tuple[str, ...],
                                               rest: list[str], global_db: str | None) -> None:
    argv = ([] if global_db is None else ["--db", global_db]) + list(prefix) + rest
    argv = _safe_db(argv)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = runner.invoke(app, argv)
    finally:
        os.chdir(cwd)
    out, err = result.stdout, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), (argv, result.exception)
    assert "Traceback" not in out + err and "unexpected error" not in err, (argv, err)
    assert result.exit_code in (0, 2), (argv, result.exit_code, err)
    if result.exit_code == 2 and not err.startswith("Usage:"):
        assert len(err.splitlines()) == 1 and err.startswith("interview: "), (argv, err)
