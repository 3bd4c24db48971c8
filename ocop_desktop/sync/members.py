"""Reading a bundle's data members as streams, a batch of rows at a time.

A member is never held whole: it is hashed as it is decompressed, under its
declared size, and parsed a batch of lines at a time. Verification reads each
member twice (the hash first, then the rows), the import a third time (rows,
hashed again, so a file changed after it was checked is refused and the
transaction rolled back).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ocop_desktop.errors import UserError

BATCH = 5000
MAX_LINE = 4 * 1024**2  # one row: far more than any record, far less than memory


def _refuse(reason: str, **params: Any) -> UserError:
    return UserError(f"sync.refused.{reason}", **params)


def _lines(fh, name: str, limit: int) -> Iterator[bytes]:
    size = 0
    while True:
        line = fh.readline(MAX_LINE + 1)
        if not line:
            return
        size += len(line)
        if size > limit or (len(line) > MAX_LINE and not line.endswith(b"\n")):
            raise _refuse("bomb", name=name)
        yield line


def hash_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> str:
    """SHA-256 of a member, read in chunks, never past ``limit`` bytes."""
    digest = hashlib.sha256()
    size = 0
    with zf.open(info) as fh:
        while chunk := fh.read(1 << 20):
            size += len(chunk)
            if size > limit:
                raise _refuse("bomb", name=info.filename)
            digest.update(chunk)
    return digest.hexdigest()


def batches(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, meta: dict[str, Any], table: str
) -> Iterator[tuple[int, list[Any]]]:
    """``(first line number, rows)`` for each batch of a member's JSON lines. At the
    end the member's hash, size and row count must be those the manifest declares."""
    digest = hashlib.sha256()
    count = 0
    pending: list[bytes] = []
    with zf.open(info) as fh:
        for line in _lines(fh, info.filename, meta["size"]):
            digest.update(line)
            if line.strip():
                pending.append(line)
            if len(pending) >= BATCH:
                yield count + 1, _parse(pending, table, count)
                count += len(pending)
                pending = []
        if pending:
            yield count + 1, _parse(pending, table, count)
            count += len(pending)
    if digest.hexdigest() != meta["sha256"] or count != meta["rows"]:
        raise _refuse("bad_hash", name=info.filename)


def _parse(lines: list[bytes], table: str, before: int) -> list[Any]:
    try:
        return json.loads(b"[" + b",".join(lines) + b"]")
    except ValueError:
        for n, line in enumerate(lines, before + 1):
            try:
                json.loads(line)
            except ValueError:
                raise _refuse("bad_rows", table=table, line=n) from None
        raise _refuse("bad_rows", table=table, line=before + 1) from None


def reread(
    path: Path, meta: dict[str, Any], table: str, *, shown: str | None = None
) -> Iterator[list[dict[str, Any]]]:
    """The rows of a checked bundle's member again, for the import; refused (inside
    the import's transaction, so nothing stays) if the file changed since. ``shown``
    names the bundle in that message when ``path`` is its decrypted copy."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(meta["name"])
            for _, rows in batches(zf, info, meta, table):
                yield rows
    except (zipfile.BadZipFile, KeyError, OSError, UserError) as exc:
        raise _refuse("changed_meanwhile", name=shown or path.name) from exc
