"""The wheel built from this repository ships the data files and the console script."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.paths import ROOT


def test_wheel_contains_data_and_entry_point(tmp_path: Path) -> None:
    builder_mod = pytest.importorskip("hatchling.builders.wheel", reason="hatchling is a dev dependency")
    builder = builder_mod.WheelBuilder(str(ROOT))
    [wheel] = list(builder.build(directory=str(tmp_path), versions=["standard"]))
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.relative_to(ROOT / "data").as_posix() for p in (ROOT / "data").rglob("*") if p.is_file()}
    assert shipped, "data/ is empty"
    for rel in shipped:
        assert f"interview_tui/data/{rel}" in names
    assert "interview_tui/cli/__init__.py" in names and "interview_tui/tui/app.tcss" in names
    assert not any(n.startswith("tests/") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "interview = interview_tui.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
