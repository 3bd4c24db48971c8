"""Importing the spreadsheets officers keep (Excel .xlsx, .csv): producers, products
and certificates, with a preview of every row's outcome before anything is written.

    table = load_table(path)                  # sniff, read, find the header, map columns
    plan = plan_import(store, table)          # per-row outcome; reads only
    result = apply_plan(store, plan)          # one transaction, all rows or none
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ocop_desktop.errors import UserError
from ocop_desktop.importer.apply import ImportResult, apply_plan
from ocop_desktop.importer.plan import Plan, RowPlan, plan_import
from ocop_desktop.importer.reader import read_sheet, sheet_names
from ocop_desktop.importer.table import (
    FIELDS,
    Table,
    build_table,
    column_letter,
    detect_columns,
    find_header,
    label_key,
)
from ocop_desktop.store import Store

__all__ = [
    "FIELDS",
    "ImportResult",
    "Plan",
    "RowPlan",
    "Table",
    "apply_plan",
    "first_sheet_with_a_table",
    "list_sheets",
    "load_table",
    "plan_import",
    "parse_accept_sets",
    "read_map_file",
    "run_import",
    "sheet_names",
]


def load_table(
    path: Path | str,
    sheet: str | None = None,
    mapping: dict[int, str | None] | None = None,
    overrides: dict[str, str | None] | None = None,
) -> Table:
    """Read a sheet and find its table; ``overrides`` as in a --map file. Without a
    sheet named, the first sheet that holds a table (a workbook may open on a
    cover page or a summary)."""
    if sheet is None:
        sheet = first_sheet_with_a_table(Path(path))
    # Streamed: the sheet's rows become the table's as they are read.
    raw = read_sheet(Path(path), sheet, stream=True)
    header = find_header(raw)
    if overrides:
        probe = Table(raw.name, [h + 1 for h in header], detect_columns(raw, header), [], [])
        mapping = resolve_overrides(probe, overrides)
    return build_table(raw, mapping, header, consume=True)


def first_sheet_with_a_table(path: Path) -> str | None:
    """The first visible sheet that lists products, else the first sheet with any
    table; None for a CSV or a one-sheet workbook."""
    from ocop_desktop.importer.reader import sniff

    if sniff(path) == "csv":
        return None
    names = sheet_names(path)
    if len(names) < 2:
        return None
    lists = list_sheets(path)
    if lists:
        return lists[0]
    for name in names:
        if _sheet_columns(path, name) is not None:
            return name
    return None  # no sheet holds a table: the first one says why


def list_sheets(path: Path | str) -> list[str]:
    """The sheets of a workbook that list products, in order: visible, with a
    product-name column. A cover of figures by district and a hidden lookup sheet
    are not lists; a sheet per year or per district each is. Empty for a CSV."""
    from ocop_desktop.importer.reader import sniff

    path = Path(path)
    if sniff(path) == "csv":
        return []
    return [
        name
        for name in sheet_names(path, visible_only=True)
        if "product_name" in (_sheet_columns(path, name) or ())
    ]


def _sheet_columns(path: Path, name: str) -> list[str | None] | None:
    """The fields of a sheet's columns, or None when it holds no table."""
    from ocop_desktop.importer.table import MAX_HEADER_SCAN

    try:
        raw = read_sheet(path, name, head=MAX_HEADER_SCAN)
        return [c.field for c in detect_columns(raw, find_header(raw))]
    except UserError as exc:
        if exc.key in ("import.no_header", "import.sheet_empty"):
            return None
        raise


def resolve_overrides(table: Table, overrides: dict[str, str | None]) -> dict[int, str | None]:
    """{'Tên SP': 'product_name', 'G': 'stars', 'Ghi chú': null} -> {column index: field}."""
    mapping = table.mapping
    for key, field_name in overrides.items():
        if field_name not in (None, "") and field_name not in FIELDS:
            raise UserError("import.map_bad_field", name=field_name, fields=", ".join(FIELDS))
        index = _column_of(table, key)
        if index is None:
            raise UserError("import.map_bad_column", column=key)
        for i, f in list(mapping.items()):
            if field_name and f == field_name and i != index:
                mapping[i] = None
        mapping[index] = field_name or None
    return mapping


def _column_of(table: Table, key: str) -> int | None:
    key = str(key).strip()
    if key.isalpha() and key.isupper() and len(key) <= 3:
        for i in range(max(len(table.columns), 1) + 100):
            if column_letter(i) == key:
                return i
    wanted = label_key(key)
    for c in table.columns:
        if label_key(c.label) == wanted or any(
            label_key(part) == wanted for part in c.label.split(" / ")
        ):
            return c.index
    return None


def parse_accept_sets(value: str | None) -> bool | dict[int, int | None]:
    """--accept-sets: 'all' (every row's first proposal), or rows one by one:
    '12,15' (those rows' first proposal), '12=9' (set 9 for row 12)."""
    if not value:
        return False
    if value.strip().lower() == "all":
        return True
    from ocop_desktop import refdata

    sets = refdata.load().product_sets
    chosen: dict[int, int | None] = {}
    for part in value.split(","):
        row, _, code = part.strip().partition("=")
        if not row.isdigit() or (code and (not code.isdigit() or int(code) not in sets)):
            raise UserError("import.bad_accept_sets", value=part.strip())
        chosen[int(row)] = int(code) if code else None
    return chosen


def read_map_file(path: Path | str) -> dict[str, str | None]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError:
        raise UserError("import.file_missing", path=str(path)) from None
    except ValueError as exc:
        raise UserError("import.map_bad_json", path=str(path), detail=str(exc)) from None
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise UserError("import.map_bad_json", path=str(path), detail="{…}")
    return data


def run_import(
    store: Store,
    path: Path | str,
    *,
    sheet: str | None = None,
    overrides: dict[str, str | None] | None = None,
    incomplete: str = "import",
    accept_sets: bool | dict[int, int | None] = False,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Plan, ImportResult | None]:
    table = load_table(path, sheet, overrides=overrides)
    options = {
        "incomplete": incomplete,
        "accept_sets": accept_sets,
        "progress": progress,
        "release_rows": not dry_run,
    }
    plan = plan_import(store, table, **options)
    if dry_run:
        return plan, None
    try:
        return plan, apply_plan(store, plan, progress=progress)
    except UserError as exc:
        if exc.key != "import.changed_since_plan":
            raise
    # Someone wrote meanwhile (the same sheet imported twice at once): plan again.
    table = load_table(path, sheet, overrides=overrides)
    plan = plan_import(store, table, **options)
    return plan, apply_plan(store, plan, progress=progress)


def summary(plan: Plan, result: ImportResult | None) -> dict[str, Any]:
    out: dict[str, Any] = {"counts": plan.counts(), "dry_run": result is None}
    if result is not None:
        out.update(result.to_json())
    return out
