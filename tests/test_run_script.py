"""tools/run.sh on a first start: it says what it does, and names the missing libraries right."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import qt_platform_check as check  # noqa: E402

LDD = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
"""


def test_the_missing_libraries_are_the_ones_ldd_cannot_find():
    assert check.missing_libraries(LDD) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]


@pytest.mark.parametrize(
    ("library", "package"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxcb-render-util.so.0", "libxcb-render-util0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libdbus-1.so.3", "libdbus-1-3"),
        ("libEGL.so.1", "libegl1"),
        ("libfontconfig.so.1.12.0", "libfontconfig1"),
    ],
)
def test_each_library_is_named_by_its_package(library, package):
    assert check.package_of(library) == package


def test_the_check_runs_on_this_machine():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "qt_platform_check.py")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode:
        assert "sudo apt-get install libxcb" in result.stderr
        assert "libxcb-cursor0" not in result.stderr or "libxcb-cursor.so" in result.stderr
    else:
        assert result.stderr == ""


def test_run_sh_says_what_it_does_on_the_first_run():
    text = (ROOT / "tools" / "run.sh").read_text(encoding="utf-8")
    first_run = text[text.index("if [ ! -x") : text.index("fi\n")]
    assert first_run.index("First run: setting up") < first_run.index("python3 -m venv")
    assert "qt_platform_check.py" in text
