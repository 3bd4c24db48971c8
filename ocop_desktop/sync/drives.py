"""Removable drives (USB sticks) to offer in the save dialog: folders under
/media and /run/media on Linux, removable drive letters on Windows."""

from __future__ import annotations

import os
import string
import sys
from pathlib import Path

MOUNT_ROOTS = (Path("/media"), Path("/run/media"))


def removable_drives(roots: tuple[Path, ...] = MOUNT_ROOTS) -> list[Path]:
    if sys.platform == "win32":
        return _windows_drives()
    found: list[Path] = []
    for root in roots:
        for entry in _subdirs(root):
            # udisks mounts at /media/<user>/<label> (or /run/media/<user>/<label>);
            # some systems mount straight at /media/<label>.
            mounts = [entry] if os.path.ismount(entry) else _subdirs(entry)
            found += [m for m in mounts if os.access(m, os.W_OK)]
    return found


def _subdirs(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return []


def _windows_drives() -> list[Path]:  # pragma: no cover - exercised on Windows only
    import ctypes

    kernel = ctypes.windll.kernel32  # type: ignore[attr-defined]
    drives = []
    mask = kernel.GetLogicalDrives()
    for i, letter in enumerate(string.ascii_uppercase):
        if mask & (1 << i):
            root = f"{letter}:\\"
            if kernel.GetDriveTypeW(root) == 2:  # DRIVE_REMOVABLE
                drives.append(Path(root))
    return drives
