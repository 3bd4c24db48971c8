"""The bundle file: names, limits and the pieces shared by the writer and the reader.

See docs/sync-format.md. ``FORMAT`` changes only when an older reader could
misread a bundle; adding optional manifest keys or columns is covered by the
schema version, which a reader refuses when it is newer than its own.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from ocop_desktop.migrations import SYNCED_TABLES
from ocop_desktop.text import search_key

FORMAT = 2  # 2: incarnations and lineage (restores), see docs/sync-format.md
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
SUFFIX = ".zip"

# Limits checked before anything is decompressed.
MAX_FILE_BYTES = 2 * 1024**3 - 1  # the bundle file itself
MAX_TOTAL_BYTES = 4 * 1024**3  # all members, uncompressed
MAX_MANIFEST_BYTES = 16 * 1024**2
MAX_RATIO = 200  # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1024**2
MAX_MEMBERS = 200_000

_DATA = re.compile(r"^data/(" + "|".join(SYNCED_TABLES) + r")\.jsonl$")
_ATTACHMENT = re.compile(r"^attachments/([0-9a-f]{64})$")


def data_member(table: str) -> str:
    return f"data/{table}.jsonl"


def attachment_member(sha256: str) -> str:
    return f"attachments/{sha256}"


def member_kind(name: str) -> tuple[str, str] | None:
    """('data', table) or ('attachment', sha256) for an allowed member name, else None."""
    if m := _DATA.match(name):
        return "data", m.group(1)
    if m := _ATTACHMENT.match(name):
        return "attachment", m.group(1)
    return None


def slug(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", search_key(text or "")).strip("-")[:40] or "x"


def file_name(sender: str, recipient: str, number: int, when: datetime | None = None) -> str:
    """e.g. ``ocop-401-nga-son-to-tinh-38-20261122-003.zip``: office, recipient, date, number."""
    when = when or datetime.now(UTC)
    return f"ocop-{sender}-to-{recipient}-{when:%Y%m%d}-{number:03d}{SUFFIX}"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
