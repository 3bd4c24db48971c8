"""Attachments: product photos and scanned certificates, stored by content.

A file is stored once under ``<data dir>/attachments/<sha256>`` however many
records point at it; each link is a synchronised row in ``attachments``
(owner table and id, hash, original name, type, size, kind). The type is read
from the file's first bytes, never from its name, so a renamed document cannot
pass as a PDF or a photo.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from ocop_desktop import records
from ocop_desktop.db import transaction
from ocop_desktop.errors import NotFound, UserError, ValidationError
from ocop_desktop.store import Store
from ocop_desktop.text import nfc

TABLE = "attachments"
MAX_BYTES = 20 * 1024 * 1024
OWNERS = ("producers", "products", "recognitions", "evaluations")
KINDS = ("photo", "certificate", "document")
PUBLIC = ("id", "owner_table", "owner_id", "sha256", "filename", "mime", "size", "kind")
# The types an officer stores (photos and scans), with the extension each is
# stored and opened under. Nothing else is accepted, whatever its name says.
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}
IMAGE_TYPES = ("image/jpeg", "image/png")
HEAD_BYTES = 1024
# Characters Windows refuses in file names, and the names it reserves for devices.
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.IGNORECASE)
MAX_NAME = 120


def sniff(head: bytes) -> str | None:
    """The MIME type the first bytes of a file announce, or None if not one we accept.

    A PDF must start with its header: a file that only contains "%PDF-" somewhere
    (a script with a PDF tail) is not taken for one."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def safe_name(name: str | None, mime: str) -> str:
    """A name to store and open a file under: the last part of ``name`` without
    characters Windows refuses, and always the extension of the type its content
    has (``Ảnh sản phẩm.jpg.bat`` holding a JPEG becomes ``Ảnh sản phẩm.jpg``)."""
    ext = EXTENSIONS[mime]
    base = nfc(str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("", base).strip(". ")
    stem, dot, last = base.rpartition(".")
    if dot and 0 < len(last) <= 5 and " " not in last:
        base = stem.rstrip(". ")
    base = base[:MAX_NAME].rstrip(". ")
    endings = (ext, ".jpeg") if mime == "image/jpeg" else (ext,)
    while base.lower().endswith(endings):
        base = base.rpartition(".")[0].rstrip(". ")
    if not base or _RESERVED.match(base.split(".")[0]):
        base = f"tep-{base}" if base else "tep"
    return base + ext


def file_type(path: Path | str) -> str | None:
    """The accepted type of a stored file, read from its content."""
    with Path(path).open("rb") as fh:
        return sniff(fh.read(HEAD_BYTES))


def view_name(name: str | None, path: Path | str) -> str:
    """The name a stored file is opened under: its content decides the extension,
    and a file that is not a photo or PDF is not handed to the system's opener."""
    mime = file_type(path)
    if mime is None:
        raise ValidationError("attachment.bad_type", "attachment", name=str(name or ""))
    return safe_name(name, mime)


def row_problem(row: dict[str, Any]) -> str | None:
    """The first field of an attachment row (from a bundle) a local save would not
    have written: owner, hash, type, name, size, kind."""
    if row.get("owner_table") not in OWNERS:
        return "owner_table"
    if not isinstance(row.get("owner_id"), str) or not row["owner_id"]:
        return "owner_id"
    sha = row.get("sha256")
    if not isinstance(sha, str) or len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
        return "sha256"
    if row.get("mime") not in EXTENSIONS:
        return "mime"
    # The name is only shown: files are opened under view_name(), from their content.
    if not isinstance(row.get("filename"), str) or not 0 < len(row["filename"]) <= 300:
        return "filename"
    size = row.get("size")
    if type(size) is not int or not 0 < size <= MAX_BYTES:
        return "size"
    if row.get("kind") not in KINDS:
        return "kind"
    return None


def check_file(path: Path | str) -> tuple[str, int]:
    """Refuse a file that is too large, empty or not an image/PDF; returns (mime, size)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(1024)
    except FileNotFoundError as exc:
        raise UserError("attachment.gone", "attachment", path=str(path)) from exc
    except OSError as exc:
        raise UserError(
            "attachment.unreadable", "attachment", path=str(path), detail=exc.strerror or str(exc)
        ) from exc
    if size == 0:
        raise ValidationError("attachment.empty", "attachment", name=path.name)
    if size > MAX_BYTES:
        raise ValidationError(
            "attachment.too_large",
            "attachment",
            name=path.name,
            size_mb=round(size / 1048576, 1),
            max_mb=MAX_BYTES // 1048576,
        )
    mime = sniff(head)
    if mime is None:
        raise ValidationError("attachment.bad_type", "attachment", name=path.name)
    return mime, size


def store_dir(store: Store) -> Path:
    d = store.data_dir / "attachments"
    d.mkdir(parents=True, exist_ok=True)
    return d


def blob_path(store: Store, sha256: str) -> Path:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise ValueError(f"not a sha256: {sha256!r}")
    return store_dir(store) / sha256


def _hash(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def store_blob(store: Store, path: Path | str) -> str:
    """Copy the file into the content store (once); returns its SHA-256."""
    path = Path(path)
    sha = _hash(path)
    target = blob_path(store, sha)
    if target.exists() and target.stat().st_size == path.stat().st_size:
        return sha
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, path.open("rb") as src:
            for chunk in iter(lambda: src.read(1 << 20), b""):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return sha


def _check_owner(store: Store, owner_table: str, owner_id: str) -> None:
    if owner_table not in OWNERS:
        raise ValueError(f"not an attachment owner: {owner_table}")
    row = store.db.execute(f"SELECT deleted FROM {owner_table} WHERE id = ?", [owner_id]).fetchone()
    if row is None or row[0]:
        raise NotFound("record.not_found", id=owner_id)


def add(
    store: Store, owner_table: str, owner_id: str, path: Path | str, *, kind: str = "photo"
) -> str:
    """Attach a file to a record; the same file on the same record is attached once."""
    if kind not in KINDS:
        raise ValidationError("validation.bad_choice", "kind", value=kind, options=", ".join(KINDS))
    path = Path(path)
    mime, size = check_file(path)
    sha = store_blob(store, path)
    with transaction(store.db):
        _check_owner(store, owner_table, owner_id)
        existing = store.db.execute(
            "SELECT id FROM attachments WHERE owner_table = ? AND owner_id = ? AND sha256 = ? "
            "AND deleted = 0",
            [owner_table, owner_id, sha],
        ).fetchone()
        if existing:
            return existing[0]
        values: dict[str, Any] = {
            "owner_table": owner_table,
            "owner_id": owner_id,
            "sha256": sha,
            "filename": safe_name(path.name, mime),
            "mime": mime,
            "size": size,
            "kind": kind,
        }
        return records.insert(store, TABLE, values)


def list_(store: Store, owner_table: str, owner_id: str) -> list[dict[str, Any]]:
    rows = store.db.execute(
        f"SELECT {', '.join(PUBLIC)} FROM attachments "
        "WHERE owner_table = ? AND owner_id = ? AND deleted = 0 ORDER BY rid",
        [owner_table, owner_id],
    ).fetchall()
    out = []
    for r in rows:
        row = dict(zip(PUBLIC, r, strict=True))
        row["path"] = blob_path(store, row["sha256"])
        out.append(row)
    return out


def remove(store: Store, attachment_id: str) -> None:
    """Unlink an attachment (a soft delete, like every record); the stored file stays."""
    with transaction(store.db):
        records.set_deleted(store, TABLE, attachment_id, True)


def is_image(mime: str | None) -> bool:
    return mime in IMAGE_TYPES
