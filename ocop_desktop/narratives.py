"""The typed parts of a periodic OCOP report: assessment (strengths, shortcomings,
causes), tasks for the next period and proposals. The figures' sentences are
generated; these an officer writes.

They are saved with the report's number and year, so printing report 125 again
shows what was typed for it; a new report starts from the last one saved (last
year's tasks are this year's starting point).
"""

from __future__ import annotations

import json
import unicodedata
from datetime import datetime
from typing import Any

from ocop_desktop.db import transaction
from ocop_desktop.errors import UserError
from ocop_desktop.store import Store

SECTIONS = ("strengths", "shortcomings", "causes", "tasks", "proposals")
MAX_CHARS = 20_000


def report_key(year: int, number: str) -> str:
    """'2026/125': a report is its number within its year ('2026/' when unnumbered)."""
    number = unicodedata.normalize("NFC", number or "").strip()
    return f"{year}/{number.split('/')[0].strip()}"


def empty() -> dict[str, str]:
    return dict.fromkeys(SECTIONS, "")


def clean(sections: dict[str, Any]) -> dict[str, str]:
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise UserError("validation.unknown_fields", None, fields=", ".join(sorted(unknown)))
    out = empty()
    for key in SECTIONS:
        text = unicodedata.normalize("NFC", str(sections.get(key) or "")).replace("\r\n", "\n")
        text = "\n".join(line.rstrip() for line in text.strip().splitlines())
        if len(text) > MAX_CHARS:
            raise UserError("narrative.too_long", key, max=MAX_CHARS)
        out[key] = text
    return out


def get(store: Store, year: int, number: str) -> dict[str, str] | None:
    """What was saved for this report, or None."""
    row = store.db.execute(
        "SELECT sections FROM report_narratives WHERE report_key = ?", [report_key(year, number)]
    ).fetchone()
    return _parse(row[0]) if row else None


def starting_point(store: Store, year: int, number: str) -> dict[str, str]:
    """This report's sections if saved, else the last report's, else empty ones."""
    saved = get(store, year, number)
    if saved is not None:
        return saved
    row = store.db.execute(
        "SELECT sections FROM report_narratives ORDER BY updated_at DESC, report_key DESC LIMIT 1"
    ).fetchone()
    return _parse(row[0]) if row else empty()


def save(store: Store, year: int, number: str, sections: dict[str, Any]) -> dict[str, str]:
    cleaned = clean(sections)
    key = report_key(year, number)
    with transaction(store.db):
        store.db.execute(
            "INSERT INTO report_narratives (report_key, year, number, sections, updated_at, "
            "updated_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(report_key) DO UPDATE SET "
            "sections = excluded.sections, updated_at = excluded.updated_at, "
            "updated_by = excluded.updated_by",
            [
                key,
                year,
                key.split("/", 1)[1],
                json.dumps(cleaned, ensure_ascii=False),
                _now(),
                store.officer,
            ],
        )
    return cleaned


def saved_reports(store: Store) -> list[dict[str, Any]]:
    rows = store.db.execute(
        "SELECT year, number, updated_at FROM report_narratives ORDER BY updated_at DESC"
    ).fetchall()
    return [{"year": r[0], "number": r[1], "updated_at": r[2]} for r in rows]


def _parse(raw: str) -> dict[str, str]:
    try:
        data = json.loads(raw)
    except ValueError:
        return empty()
    return empty() | {k: str(v) for k, v in data.items() if k in SECTIONS}


def _now() -> str:
    return datetime.now().isoformat(timespec="microseconds")
