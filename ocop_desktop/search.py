"""Diacritic-insensitive search over producer and product names.

Names are kept as a normalised key (``text.search_key``) in a trigram FTS5
index, so "mam tom" finds "Mắm tôm Ba Làng" anywhere in the name without a
full scan. Words shorter than three letters cannot use trigrams; they are
matched with LIKE on the key (still only over rows the long words selected).
"""

from __future__ import annotations

import time
import weakref
from typing import Any

from ocop_desktop.store import Store
from ocop_desktop.text import search_key

_TABLES = ("producers", "products")


def _fts_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def match_ids(table: str, text: str) -> tuple[str, list[Any]]:
    """SQL selecting the ``rid`` of rows of ``table`` whose name matches every word of ``text``."""
    if table not in _TABLES:
        raise ValueError(table)
    words = search_key(text).split()
    if not words:
        return f"SELECT rid FROM {table}", []
    long_words = [w for w in words if len(w) >= 3]
    short_words = [w for w in words if len(w) < 3]
    params: list[Any] = []
    if long_words:
        sql = f"SELECT rowid AS rid FROM {table}_fts WHERE {table}_fts MATCH ?"
        params.append(" AND ".join(_fts_phrase(w) for w in long_words))
        for w in short_words:
            sql += " AND name_key LIKE ? ESCAPE '\\'"
            params.append(f"%{_like(w)}%")
    else:
        sql = f"SELECT rid FROM {table} WHERE " + " AND ".join(
            "name_key LIKE ? ESCAPE '\\'" for _ in short_words
        )
        params += [f"%{_like(w)}%" for w in short_words]
    return sql, params


def _like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(store: Store, text: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """Producers and products whose names match, best (shortest) names first."""
    out: list[dict[str, Any]] = []
    sub, params = match_ids("producers", text)
    for r in store.db.execute(
        f"SELECT id, name, kind, commune_code FROM producers WHERE deleted = 0 AND rid IN ({sub}) "
        "ORDER BY length(name_key), name_key LIMIT ?",
        [*params, limit],
    ).fetchall():
        out.append(
            {"type": "producer", "id": r[0], "name": r[1], "kind": r[2], "commune_code": r[3]}
        )
    sub, params = match_ids("products", text)
    for r in store.db.execute(
        "SELECT p.id, p.name, p.product_set, p.commune_code, p.producer_id, pr.name "
        "FROM products p LEFT JOIN producers pr ON pr.id = p.producer_id "
        f"WHERE p.deleted = 0 AND p.rid IN ({sub}) ORDER BY length(p.name_key), p.name_key LIMIT ?",
        [*params, limit],
    ).fetchall():
        out.append(
            {
                "type": "product",
                "id": r[0],
                "name": r[1],
                "product_set": r[2],
                "commune_code": r[3],
                "producer_id": r[4],
                "producer_name": r[5],
            }
        )
    return out


DENSE = 2000  # producers matching beyond which they are tested row by row

# Reading the product list in name order costs SQLite ~25 ns a step; starting from
# the matches of the long words and sorting them costs ~1.5 µs per product and ~6 µs
# per producer they match (measured at 100,000 products). In steps of the ordered read:
STEPS_PER_PRODUCT = 60
STEPS_PER_PRODUCER = 240
MATCHES_CAP = 5000  # products matching beyond which sorting them all never pays

_counts: weakref.WeakKeyDictionary[Any, dict[tuple, tuple[int, int, float]]] = (
    weakref.WeakKeyDictionary()
)
COUNTS_KEPT_S = 5.0


def _count(db: Any, sub: str, params: list[Any], cap: int) -> int:
    """Rows of ``sub``, counted up to ``cap``. Kept a few seconds per database: a
    keystroke asks twice (the plan, then its budget). A count only steers the plan,
    never which rows are found; kept longer, one taken before an import would steer
    later keystrokes to the slow plan."""
    seen = _counts.setdefault(db, {})
    key = (sub, tuple(params))
    now = time.monotonic()
    if key in seen:
        value, counted_to, at = seen[key]
        fresh = now - at < COUNTS_KEPT_S
        if fresh and (value < counted_to or counted_to >= cap):  # exact, or reaches cap
            return min(value, cap)
    value = db.execute(f"SELECT count(*) FROM ({sub} LIMIT {cap})", params).fetchone()[0]
    if len(seen) > 64:
        seen.clear()
    seen[key] = (value, cap, now)
    return value


def _many(db: Any, sub: str, params: list[Any]) -> bool:
    return _count(db, sub, params, DENSE) >= DENSE


def matches_first_budget(db: Any, text: str) -> int | None:
    """How many SQLite steps reading the product list in name order may take before
    starting from the matches instead (``from_matches``) is the cheaper way to the
    first screenful; None when that other way has no small bound (no word of three
    letters, thousands of matches).

    Which way is quicker depends on where the matches fall in name order, which no
    count tells: "tinh" matches 2% of the products, all of them late in the
    alphabet ("tinh dau …"), so the ordered read passes nearly every row before its
    first screenful, while another word as common has one at once. The list tries
    the ordered read for as long as sorting the matches would take, then sorts them:
    never much more than twice the better of the two.
    """
    long_words = " ".join(w for w in search_key(text).split() if len(w) >= 3)
    if not long_words:
        return None
    # The long words' matches (short words are tested on each of them): what sorting
    # them costs, and a count the trigram index gives without reading any name.
    own_sql, own_params = match_ids("products", long_words)
    by_sql, by_params = match_ids("producers", long_words)
    own = _count(db, own_sql, own_params, MATCHES_CAP)
    makers = _count(db, by_sql, by_params, DENSE)
    if own >= MATCHES_CAP or makers >= DENSE:
        return None
    return STEPS_PER_PRODUCT * own + STEPS_PER_PRODUCER * makers


def product_or_producer_match(
    text: str, prefix: str = "s", db: Any = None, *, from_matches: bool = False
) -> tuple[str, dict[str, Any]]:
    """SQL condition on a products row ``p``: its name or its producer's name matches
    every word of ``text``. Named parameters ``:<prefix>N``.

    Made for lists read in name order a screenful at a time (``LIMIT``):

    - a word of three letters or more: the trigram indexes give the matching
      products' ``rid``s, tested while the name index is read in order (``+p.rid``
      keeps SQLite from collecting and sorting every match first), so the first
      screenful comes after reading only as far as it reaches; a short word beside
      it is tested on the name being read, not on every match's text in the index.
      Producers matching are turned into their products' ``rid``s, unless there are
      thousands (say "hop tac xa"), when each row's producer is tested as the rows
      are read. With few matches (a typo, a rare name) SQLite starts from them
      instead. ``db`` lets these counts be taken (each stops at ``DENSE``);
    - only short words (the first keystrokes): tested row by row in list order.

    ``from_matches``: with a long word, always let SQLite start from the matches and
    sort them (see ``matches_first_budget``).
    """
    words = search_key(text).split()
    long_words = [w for w in words if len(w) >= 3]
    short_words = [w for w in words if len(w) < 3]
    params: dict[str, Any] = {}

    def name(value: str) -> str:
        key = f"{prefix}{len(params)}"
        params[key] = value
        return f":{key}"

    def named(sql: str, values: list[Any]) -> str:
        for value in values:
            sql = sql.replace("?", name(value), 1)
        return sql

    def likes(column: str, ws: list[str]) -> list[str]:
        return [f"{column} LIKE {name(f'%{_like(w)}%')} ESCAPE '\\'" for w in ws]

    if not words:
        return "1", params
    if not long_words:
        own = " AND ".join(likes("p.name_key", words))
        producer = " AND ".join(likes("x.name_key", words))
        return (
            f"(({own}) OR EXISTS (SELECT 1 FROM producers x "
            f"WHERE x.id = p.producer_id AND {producer}))"
        ), params

    def own_in_order() -> str:
        long_sql, long_params = match_ids("products", " ".join(long_words))
        return " AND ".join(
            [f"+p.rid IN ({named(long_sql, long_params)})", *likes("p.name_key", short_words)]
        )

    by_sql, by_params = match_ids("producers", text)
    if not from_matches and db is not None and _many(db, by_sql, by_params):
        # Thousands of producers: test each row's producer, short words inline.
        phrase = " AND ".join(_fts_phrase(w) for w in long_words)
        maker = [
            f"x.rid IN (SELECT rowid FROM producers_fts WHERE producers_fts MATCH {name(phrase)})",
            *likes("x.name_key", short_words),
        ]
        return (
            f"(({own_in_order()}) OR EXISTS (SELECT 1 FROM producers x "
            f"WHERE x.id = p.producer_id AND {' AND '.join(maker)}))"
        ), params
    own_sql, own_params = match_ids("products", text)
    maker_products = (
        "SELECT x.rid FROM products x WHERE x.producer_id IN "
        f"(SELECT id FROM producers WHERE rid IN ({named(by_sql, by_params)}))"
    )
    if from_matches or (db is not None and not _many(db, own_sql, own_params)):
        # Few matches (a typo, a rare name), or asked: SQLite starts from them, sorts them.
        return f"p.rid IN ({named(own_sql, own_params)} UNION ALL {maker_products})", params
    if not short_words:  # one list of ids to test each row against
        return f"+p.rid IN ({named(own_sql, own_params)} UNION ALL {maker_products})", params
    return f"(({own_in_order()}) OR +p.rid IN ({maker_products}))", params
