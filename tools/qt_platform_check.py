"""Say which system libraries Qt's window plugin (xcb) lacks, by their package names.

When ``libqxcb.so`` cannot load, Qt's own message names ``libxcb-cursor0`` whatever
is really missing. This asks the dynamic linker instead (``ldd``), and turns each
missing ``libNAME.so.N`` into its Debian/Ubuntu package (``libNAMEN``, or
``libNAME-N`` when NAME ends in a digit), so the line to run is right.
Exit status 0 when nothing is missing (or this is not Linux / no xcb plugin), 1 otherwise.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

_LINE = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.MULTILINE)


def xcb_plugin() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "Qt/plugins/platforms/libqxcb.so"
    return path if path.exists() else None


def missing_libraries(ldd_output: str) -> list[str]:
    """Library file names ``ldd`` could not find, once each, in order."""
    return list(dict.fromkeys(_LINE.findall(ldd_output)))


def package_of(library: str) -> str:
    """``libxcb-icccm.so.4`` -> ``libxcb-icccm4``; ``libxkbcommon-x11.so.0`` -> ``libxkbcommon-x11-0``."""
    name, _, version = library.partition(".so")
    major = version.lstrip(".").split(".")[0]
    name = name.lower()
    return f"{name}-{major}" if name[-1:].isdigit() else f"{name}{major}"


def main() -> int:
    plugin = xcb_plugin()
    if not sys.platform.startswith("linux") or plugin is None or shutil.which("ldd") is None:
        return 0
    out = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True).stdout
    missing = missing_libraries(out)
    if not missing:
        return 0
    packages = " ".join(dict.fromkeys(package_of(m) for m in missing))
    print(
        f"Qt không mở được cửa sổ: máy thiếu thư viện {', '.join(missing)}.\n"
        f"Cài bằng lệnh: sudo apt-get install {packages}\n"
        f"Qt cannot open a window: missing system libraries {', '.join(missing)}.\n"
        f"Install them with: sudo apt-get install {packages}",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
