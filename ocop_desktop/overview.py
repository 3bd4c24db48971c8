"""The figures of the dashboard: counts for cards and charts, and records needing attention.

Qt-free, so the same numbers can be checked in tests and printed by the CLI.
Products "in force" are those whose current recognition is neither revoked nor
expired on the as-of date.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ocop_desktop import clock, refdata, targets
from ocop_desktop.cert_status import (
    STAR_CLASSES,
    cached_condition_sql,
    dated_sql,
    star_class,
    warning_days,
)
from ocop_desktop.db import Database, open_connection
from ocop_desktop.recognitions import status_params
from ocop_desktop.store import Store, read_node
from ocop_desktop.validation import PRODUCER_KINDS


@dataclass
class Overview:
    as_of: date
    # products in force by exclusive class (cert_status.STAR_CLASSES)
    stars: dict[str, int] = field(default_factory=dict)
    producers_by_kind: dict[str, int] = field(default_factory=dict)  # kind or "" -> count
    expiring: int = 0  # certificates expiring within the warning window
    warning_days: int = 90
    expired: int = 0
    new_this_year: int = 0
    target_new: int | None = None
    products_by_group: list[tuple[str, str, int]] = field(default_factory=list)  # code, name, n
    products_by_commune: list[tuple[int | None, int]] = field(default_factory=list)
    products_total: int = 0
    producers_total: int = 0


# Every product-dependent figure of the dashboard over the products whose id meets
# a condition ({on_…} is that condition on each table's product column), with
# producers by kind and the trash, in one statement: at start-up a thread counts
# these while the window is built, and each statement is one more wait for
# Python's interpreter lock, which the window's building holds most of the time.
_FIGURES_SQL = """
SELECT
  (SELECT json_group_array(json_array(stars, potential_5, n)) FROM (
     SELECT stars, potential_5, count(*) AS n FROM current_recognition c
     WHERE {in_force} AND {on_certificate} GROUP BY 1, 2)),
  (SELECT count(*) FROM current_recognition c WHERE {expiring} AND {on_certificate}),
  (SELECT count(*) FROM current_recognition c WHERE {expired} AND {on_certificate}),
  (SELECT count(*) FROM recognitions r
     WHERE r.deleted = 0 AND r.kind = 'new' AND {on_recognition}
     AND r.decision_date BETWEEN :year_start AND :year_end AND {dated}),
  (SELECT json_group_array(json_array(product_set, n)) FROM (
     SELECT product_set, count(*) AS n FROM products WHERE {on_product} GROUP BY 1)),
  (SELECT json_group_array(json_array(commune_code, n)) FROM (
     SELECT commune_code, count(*) AS n FROM products WHERE {on_product} GROUP BY 1)),
  {producers},
  (SELECT json_group_array(id) FROM products WHERE deleted = 1)
"""
_PRODUCERS_SQL = """(SELECT json_group_array(json_array(kind, n)) FROM (
     SELECT kind, count(*) AS n FROM producers WHERE deleted = 0 GROUP BY kind))"""


@dataclass
class _Counts:
    classes: Counter  # (stars, potential_5) -> products in force
    expiring: int
    expired: int
    new_this_year: int
    by_set: Counter
    by_commune: Counter
    kinds: dict[str, int]
    trashed: list[str]  # ids of the products in the trash

    def __isub__(self, other: _Counts) -> _Counts:
        self.classes -= other.classes
        self.expiring -= other.expiring
        self.expired -= other.expired
        self.new_this_year -= other.new_this_year
        self.by_set.subtract(other.by_set)
        self.by_commune.subtract(other.by_commune)
        return self


def _counts(db, params: dict, products: str | None) -> _Counts:
    """The figures over every product (``products`` None; the trash included) with
    producers by kind, or over the products in the JSON list that the parameter
    named ``products`` holds."""
    if products is None:
        on = {
            "on_certificate": "1",
            "on_recognition": "1",
            "on_product": "1",
            "producers": _PRODUCERS_SQL,
        }
    else:
        listed = f"IN (SELECT value FROM json_each(:{products}))"
        on = {
            "on_certificate": f"product_id {listed}",
            "on_recognition": f"r.product_id {listed}",
            "on_product": f"id {listed}",
            "producers": "'[]'",
        }
    conditions = {w: cached_condition_sql(w) for w in ("in_force", "expiring", "expired")}
    row = db.execute(_FIGURES_SQL.format(**on, **conditions, dated=dated_sql()), params).fetchone()
    classes, expiring, expired, new, by_set, by_commune, kinds, trashed = row
    return _Counts(
        classes=Counter({(s, p): n for s, p, n in json.loads(classes)}),
        expiring=expiring,
        expired=expired,
        new_this_year=new,
        by_set=Counter(dict(json.loads(by_set))),
        by_commune=Counter(dict(json.loads(by_commune))),
        kinds={k or "": n for k, n in json.loads(kinds)},
        trashed=json.loads(trashed),
    )


def compute(store: Store, as_of: date | None = None, top_communes: int = 12) -> Overview:
    """The dashboard's figures. Every count comes from an index (schema v3); the few
    products in the trash are counted separately and taken off. ~25 ms at 100,000
    products."""
    as_of = as_of or clock.today()
    db = store.db
    params = {
        **status_params(db, as_of),
        "year_start": f"{as_of.year}-01-01",
        "year_end": f"{as_of.year}-12-31",
    }
    out = Overview(as_of=as_of, warning_days=warning_days(db))
    counts = _counts(db, params, None)
    trashed = counts.trashed
    if trashed:
        counts -= _counts(db, {**params, "trashed": json.dumps(trashed)}, "trashed")
    by_class: Counter = Counter()
    for (stars, potential), n in counts.classes.items():
        by_class[star_class(stars, potential)] += n
    out.stars = {k: by_class[k] for k in STAR_CLASSES}
    out.expiring, out.expired = counts.expiring, counts.expired
    out.new_this_year = counts.new_this_year
    kinds = counts.kinds
    out.producers_by_kind = {k: kinds.get(k, 0) for k in PRODUCER_KINDS}
    if kinds.get(""):
        out.producers_by_kind[""] = kinds[""]
    out.producers_total = sum(kinds.values())
    target = targets.get_target(store, as_of.year)
    out.target_new = target.get("new_products") if target else None
    by_set, by_commune = counts.by_set, counts.by_commune
    ref = refdata.load()
    by_group: Counter = Counter()
    for product_set, n in by_set.items():
        ps = ref.product_sets.get(product_set) if product_set is not None else None
        by_group[ps.group_code if ps else ""] += n
    group_names = {s.group_code: s.group for s in ref.product_sets.values()}
    out.products_by_group = [
        (code, group_names.get(code, ""), by_group[code])
        for code in sorted(by_group)
        if by_group[code]
    ]
    out.products_total = sum(by_group.values())
    ranked = sorted(
        ((code, n) for code, n in by_commune.items() if n > 0),
        key=lambda kv: (-kv[1], kv[0] is None, kv[0] or 0),
    )
    out.products_by_commune = ranked[:top_communes]
    return out


def attention(store: Store, as_of: date | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Records a person should look at: certificates expiring within the warning window (soonest
    first) and expired ones (latest first), then records marked incomplete or missing
    required fields.

    Each item: table, id, label, reason ("expired", "expiring", "incomplete",
    "missing"), detail (the expiry date, the incomplete note or the missing fields).
    """
    db = store.db
    status = status_params(db, as_of)
    today, soon = status["as_of"], status["soon"]
    items: list[dict[str, Any]] = []
    certificate_sql = (
        "SELECT c.recognition_id, p.name, c.decision_no, c.expiry_date "
        "FROM current_recognition c JOIN products p ON p.id = c.product_id "
        "WHERE p.deleted = 0 AND c.revoked = 0 AND "
    )
    # Expiring soonest first (there is still time to act), then the most recently expired.
    for reason, where, bounds, order in (
        ("expiring", "c.expiry_date BETWEEN ? AND ?", [today, soon], "c.expiry_date"),
        ("expired", "c.expiry_date < ?", [today], "c.expiry_date DESC"),
    ):
        for rid, name, decision, expiry in db.execute(
            f"{certificate_sql}{where} ORDER BY {order} LIMIT ?",
            [*bounds, limit - len(items)],
        ).fetchall():
            items.append(
                {
                    "table": "recognitions",
                    "id": rid,
                    "label": f"{name} – {decision}",
                    "reason": reason,
                    "detail": expiry,
                }
            )
    for table, missing_sql, fields in (
        ("producers", "kind IS NULL OR commune_code IS NULL", ("kind", "commune_code")),
        ("products", "producer_id IS NULL OR product_set IS NULL", ("producer_id", "product_set")),
    ):
        if len(items) >= limit:
            break
        cur = db.execute(
            f"SELECT id, name, incomplete, {', '.join(fields)} FROM {table} "
            f"WHERE deleted = 0 AND (incomplete IS NOT NULL OR {missing_sql}) "
            "ORDER BY updated_at DESC LIMIT ?",
            [limit - len(items)],
        )
        for rec_id, name, note, *values in cur.fetchall():
            missing = [f for f, val in zip(fields, values, strict=True) if val is None]
            items.append(
                {
                    "table": table,
                    "id": rec_id,
                    "label": name,
                    "reason": "incomplete" if note else "missing",
                    "detail": note or ", ".join(missing),
                    "missing": missing,
                }
            )
    return items


class Counting(threading.Thread):
    """The dashboard's figures counted on a thread with its own read-only connection,
    so the desktop app can start counting before its window is built (SQLite runs
    outside Python's interpreter lock). ``figures()`` waits for them; None means the
    count failed (say the file still needs its schema upgraded), and the caller
    counts again itself, where the error can be shown."""

    def __init__(self, path: Path) -> None:
        super().__init__(name="overview-figures", daemon=True)
        self.path = Path(path)
        self._figures: tuple[Overview, list[dict[str, Any]]] | None = None
        self.start()

    def run(self) -> None:
        try:
            conn = open_connection(self.path, readonly=True)
            try:
                db = Database(conn)
                node = read_node(db)
                if node is not None:
                    reader = Store(db=db, path=self.path, node=node)
                    self._figures = compute(reader), attention(reader)
            finally:
                conn.close()
        except Exception:  # noqa: BLE001 - counted again by the caller, which reports it
            self._figures = None

    def figures(self) -> tuple[Overview, list[dict[str, Any]]] | None:
        self.join()
        return self._figures
