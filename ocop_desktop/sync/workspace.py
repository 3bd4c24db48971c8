"""Private working files for bundles: where a bundle's plain zip lies while it is
sealed (export) or opened (import), and how the sealed file reaches its place.

A bundle's zip holds producers' names and phone numbers in clear. It is never
written to the system temp folder (another account on a shared laptop, or a
"cleaner" program, reads it there) nor beside the output, which is often a USB
stick: it lies in the node's own data folder (``<database>.d/outgoing/`` or
``incoming/``) as ``.plain-<random>.zip``, created owner-only, and is removed as
soon as the bundle is sealed or applied. A process killed meanwhile leaves it
behind; :func:`sweep`, run at every export and import, removes such files once
they are an hour old (a younger one may belong to another export running now).

The sealed file is written beside the output as ``.<name>.<pid>.part`` and then
copied over the final name and synced (:func:`publish`): on Windows, a program
that holds the old file open (an antivirus, a chat app sending it) makes a
rename over it fail, while writing into it still works.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import time
from pathlib import Path

from ocop_desktop.keystore import protect
from ocop_desktop.store import Store

PREFIX = ".plain-"
SUFFIX = ".zip"
STALE_S = 3600.0
OUTGOING = "outgoing"
INCOMING = "incoming"
_COPY_CHUNK = 1 << 20
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def sweep(folder: Path, *, older_than: float = STALE_S) -> list[Path]:
    """Remove the plain working files in ``folder`` older than ``older_than`` seconds
    (left by a process that was killed); returns those removed."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    now = time.time()
    for path in entries:
        if not (path.name.startswith(PREFIX) and path.name.endswith(SUFFIX)):
            continue
        try:
            if now - path.stat().st_mtime < older_than:
                continue
            path.unlink()
        except OSError:
            continue  # gone meanwhile, or held open on Windows: the next sweep
        removed.append(path)
    return removed


def plain_file(store: Store, folder: str) -> Path:
    """A new, empty, owner-only file for a bundle's plain zip in the node's data
    folder (``folder``: :data:`OUTGOING` or :data:`INCOMING`), after sweeping what
    killed processes left there. The caller removes it when done."""
    where = store.data_dir / folder
    where.mkdir(parents=True, exist_ok=True)
    sweep(where)
    while True:
        path = where / f"{PREFIX}{secrets.token_hex(8)}{SUFFIX}"
        try:
            fd = os.open(path, _CREATE, 0o600)
        except FileExistsError:
            continue
        os.close(fd)
        break
    protect(path)  # 0600 is all on POSIX; an owner-only ACL on Windows
    return path


def part_path(out: Path) -> Path:
    """The file written beside ``out`` before it is published under its name."""
    return out.with_name(f".{out.name}.{os.getpid()}.part")


def copy_synced(src: Path, dst: Path) -> None:
    """Write ``src``'s bytes into ``dst`` (created or overwritten) and sync them.

    A copy cut short (a full stick, a pulled cable) leaves no half file at ``dst``;
    a ``dst`` that could not even be opened is left as it was.
    """
    with open(src, "rb") as fin:
        fout = open(dst, "wb")  # noqa: SIM115 - closed below, removed if the copy fails
        try:
            with fout:
                shutil.copyfileobj(fin, fout, _COPY_CHUNK)
                fout.flush()
                os.fsync(fout.fileno())
        except BaseException:
            with contextlib.suppress(OSError):
                dst.unlink()
            raise


def publish(part: Path, out: Path) -> None:
    """Give the finished ``part`` its final name ``out`` by copying (see above)."""
    copy_synced(part, out)
    part.unlink(missing_ok=True)
