"""The summary of a scope (an office's area, one former district, or the province).

Computed once, as pandas over plain SQL results, into one ``Summary`` that
``ocop summary --json``, the PDF report, the Excel workbook and the GUI all read,
so their numbers cannot disagree.

Definitions (the README documents them with the JSON keys):

- A product is *in scope* when it is live (not in the trash) and its commune is in
  the scope's area; a product whose commune is not known is in the node's own
  scope (counted under "Chưa rõ xã/phường") and in a former district's scope when
  its producer lies there. Producers likewise.
- A product's *certificate as of a date* is its latest live recognition decided on
  or before that date; its status (valid, expiring, expired, revoked) and star
  class come from ``cert_status``, the one rule every screen uses. *Certified*
  means in force: valid or expiring. For an as-of date from today on this is the
  ``current_recognition`` cache.
- Star classes are exclusive: ``5``, ``potential_5`` (4 stars proposed as potential
  5-star), ``4`` (the other 4-star), ``3``.
- The year's results count live recognitions decided from 1 January of the year to
  the as-of date (or 31 December) by kind; ``four_star`` and ``potential_five`` count
  new recognitions and upgrades reaching that class.
- Exports and e-commerce count products with a valid certificate.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from ocop_desktop import cert_status, clock, refdata
from ocop_desktop.cert_status import STAR_CLASSES
from ocop_desktop.errors import UserError
from ocop_desktop.store import Store
from ocop_desktop.text import search_key
from ocop_desktop.validation import PRODUCER_KINDS

if TYPE_CHECKING:
    import pandas as pd

RESULT_KEYS = ("new_products", "upgrades", "renewals", "four_star", "potential_five")
KIND_OF_RESULT = {"new_products": "new", "upgrades": "upgrade", "renewals": "renewal"}
# Decisions that bring a product into a star class (the year's four- and five-star results).
RAISING_KINDS = ("new", "upgrade")
UNKNOWN_COMMUNE = "Chưa rõ xã/phường"
UNKNOWN_DISTRICT = "Chưa rõ huyện cũ"
_PLACE_PREFIXES = ("Thành phố ", "Thị xã ", "Huyện ", "Quận ", "Tỉnh ")

Progress = Callable[[str, float], None]


def short_name(name: str) -> str:
    """'Huyện Nga Sơn' -> 'Nga Sơn', 'Tỉnh Thanh Hóa' -> 'Thanh Hóa'."""
    for prefix in _PLACE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


@dataclass
class Scope:
    kind: str  # "province" | "district" (one former district) | "area" (an office's communes)
    code: str  # "province", a former district code, or the office code
    name: str
    province: str
    place: str  # the place name written before the date
    communes: list[int]

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["communes"] = len(self.communes)
        return out


@dataclass
class Summary:
    scope: Scope
    as_of: str
    year: int
    products: dict[str, int]
    stars: dict[str, int]
    by_group: list[dict[str, Any]]
    by_product_set: list[dict[str, Any]]
    by_commune: list[dict[str, Any]]
    by_district: list[dict[str, Any]]
    producers: dict[str, Any]
    year_results: dict[str, Any]
    expiring: dict[str, Any]
    expired_without_renewal: dict[str, Any]
    export: dict[str, Any]
    ecommerce: dict[str, Any]
    _rows_loader: Callable[[], Any] | None = field(default=None, repr=False)
    _rows: Any = field(default=None, repr=False)

    @property
    def product_rows(self) -> pd.DataFrame:
        """One row per product in scope, for the PDF appendix and the workbook (not in
        the JSON): read on first use, so ``ocop summary --json`` never loads it."""
        if self._rows is None and self._rows_loader is not None:
            self._rows = self._rows_loader()
        return self._rows

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if not k.startswith("_")}
        out["scope"] = self.scope.to_dict()
        return out


def resolve_scope(store: Store, district: int | None = None) -> Scope:
    """The node's own area, or (province node) one former district of it."""
    ref = refdata.load()
    province = ref.provinces.get(store.node.province_code, "")
    if district is not None:
        communes = [
            c for c in ref.communes_of_former_district.get(district, []) if c in store.node.area
        ]
        if not communes:
            raise UserError("report.unknown_district", "district", code=district)
        name = ref.district_name(district)
        return Scope("district", str(district), name, province, short_name(name), communes)
    if store.node.is_province:
        return Scope(
            "province",
            "province",
            province,
            province,
            short_name(province),
            sorted(store.node.area),
        )
    code = store.node.office_code or "area"
    communes = sorted(store.node.area)
    if code.isdigit() and int(code) in ref.legacy_districts:
        return Scope(
            "district", code, store.node.name, province, short_name(store.node.name), communes
        )
    # An office for a cluster of communes dates its documents from the former
    # district most of its communes lie in.
    districts = Counter(ref.former_district_of.get(c) for c in communes)
    main = districts.most_common(1)[0][0] if districts else None
    place = short_name(ref.district_name(main)) if main else short_name(province)
    return Scope("area", code, store.node.name, province, place, communes)


def _frame(store: Store, sql: str, params: Any) -> pd.DataFrame:
    import pandas as pd

    cur = store.db.execute(sql, params)
    return pd.DataFrame.from_records(cur.fetchall(), columns=[d[0] for d in cur.description])


def _json_list(value: Any) -> list[str]:
    if not value:
        return []
    try:
        items = json.loads(value)
    except (TypeError, ValueError):
        return []
    return [str(x) for x in items if str(x).strip()] if isinstance(items, list) else []


def _stars(counts: Counter) -> dict[str, int]:
    return {k: int(counts.get(k, 0)) for k in STAR_CLASSES}


@dataclass(frozen=True)
class _Source:
    """The SQL every figure is counted from: the products in scope, each with the
    certificate in force on the as-of date (``cert``), and their parameters.

    Products whose commune is not known belong to the node's own scope (an
    imported list may give only a former district): they are counted, under
    "chưa rõ xã/phường", and in a former district's scope when their producer's
    commune or recorded former district lies in it."""

    products: str
    cert: str
    params: dict[str, Any]

    def select(self, columns: str, tail: str = "") -> str:
        return (
            f"WITH scoped AS ({self.products}), cert AS ({self.cert}) "
            f"SELECT {columns} FROM scoped s LEFT JOIN cert c ON c.product_id = s.id {tail}"
        )


def _source(store: Store, scope: Scope, at: cert_status.AsOf, district: int | None) -> _Source:
    params: dict[str, Any] = {**at.params(), "area": json.dumps(scope.communes)}
    in_area = "p.commune_code IN (SELECT value FROM json_each(:area))"
    if district is None:
        unknown = "p.commune_code IS NULL"
        params["unknown_producer"], params["district"] = 1, None
    else:
        params["district"] = district
        params["unknown_producer"] = 0
        unknown = (
            "p.commune_code IS NULL AND (pr.commune_code IN (SELECT value FROM json_each(:area)) "
            "OR (pr.commune_code IS NULL AND pr.legacy_district_code = :district))"
        )
    products = (
        "SELECT p.id, p.product_set, p.commune_code, p.producer_id, pr.kind AS producer_kind, "
        "COALESCE(p.commune_code, pr.commune_code) AS place, "
        "pr.legacy_district_code AS legacy_district, p.export_markets, p.ecommerce "
        "FROM products p LEFT JOIN producers pr ON pr.id = p.producer_id "
        f"WHERE p.deleted = 0 AND ({in_area} OR {unknown})"
    )
    columns = "product_id, recognition_id, stars, potential_5, expiry_date"
    later = store.db.execute(
        "SELECT 1 FROM current_recognition WHERE decision_date > :as_of LIMIT 1", params
    ).fetchone()
    if at.day >= clock.today() and later is None:
        # The cache holds every product's latest decision; none is later than the
        # as-of date, and no revocation is dated after today (cert_status).
        cert = f"SELECT {columns}, revoked FROM current_recognition"
    else:
        cert = (
            f"SELECT {columns}, revoked FROM ("
            "SELECT r.product_id, r.id AS recognition_id, r.stars, r.potential_5, "
            f"r.expiry_date, {cert_status.revoked_sql('r.revoked_date')} AS revoked, "
            "row_number() OVER (PARTITION BY r.product_id "
            "ORDER BY r.decision_date DESC, r.version DESC) AS k "
            "FROM recognitions r WHERE r.deleted = 0 AND r.decision_date <= :as_of"
            ") WHERE k = 1"
        )
    return _Source(products, cert, params)


# A producer is in scope by its commune; one whose commune is not known belongs to
# the node's own scope, and to a former district's by the district it was recorded under.
_PRODUCER_IN_SCOPE = (
    "commune_code IN (SELECT value FROM json_each(:area)) OR (commune_code IS NULL AND "
    "(:unknown_producer OR legacy_district_code = :district))"
)
_STATUS = (
    f"CASE WHEN c.product_id IS NULL THEN 'none' ELSE {cert_status.cached_status_sql('c')} END"
)
_CLASS = cert_status.star_class_sql("c.stars", "c.potential_5")
_IN_FORCE = f"c.product_id IS NOT NULL AND {cert_status.cached_condition_sql('in_force', 'c')}"


@dataclass
class _Cell:
    commune: int | None
    place: int | None
    legacy_district: int | None
    product_set: int | None
    status: str
    star_class: str | None
    n: int


def _cells(store: Store, source: _Source) -> list[_Cell]:
    """Products counted by commune, product set, status and star class: one GROUP BY
    that every count of the summary is added up from."""
    sql = source.select(
        f"s.commune_code, s.place, s.legacy_district, s.product_set, {_STATUS}, {_CLASS}, count(*)",
        "GROUP BY 1, 2, 3, 4, 5, 6",
    )
    return [_Cell(*row) for row in store.db.execute(sql, source.params).fetchall()]


def _district_of(ref: Any, cell: _Cell) -> int | None:
    """A product's former district: from its commune, else its producer's commune,
    else the former district its producer was recorded under."""
    place = cell.commune if cell.commune is not None else cell.place
    if place is not None and place in ref.former_district_of:
        return ref.former_district_of[place]
    return cell.legacy_district


def compute(
    store: Store,
    *,
    as_of: date | None = None,
    year: int | None = None,
    district: int | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Every figure of the reports for a scope, as of a date, for a reporting year.

    The counting is SQL (one GROUP BY over products and their certificate in
    force, a few more for producers, the year's decisions and the lists);
    Python only adds up the few hundred rows that come back. The per-product
    table of the appendix and the workbook is read when first asked for."""
    ref = refdata.load()
    as_of = as_of or clock.today()
    year = year or as_of.year
    if year > as_of.year:
        raise UserError("report.year_after_as_of", "year", year=year, as_of=as_of.isoformat())
    scope = resolve_scope(store, district)
    at = cert_status.as_of(store.db, as_of)
    source = _source(store, scope, at, district)
    if progress:
        progress("summary", 0.0)
    cells = _cells(store, source)
    if progress:
        progress("summary", 0.4)

    in_force = [c for c in cells if c.status in cert_status.IN_FORCE]
    by_status: Counter = Counter()
    for c in cells:
        by_status[c.status] += c.n
    product_counts = {
        "total": sum(by_status.values()),
        "certified": sum(c.n for c in in_force),
        "expired": by_status["expired"],
        "revoked": by_status["revoked"],
        "never_certified": by_status["none"],
        "unknown_commune": sum(c.n for c in cells if c.commune is None),
    }
    stars: Counter = Counter()
    set_stars: dict[Any, Counter] = {}
    for c in in_force:
        stars[c.star_class] += c.n
        set_stars.setdefault(c.product_set, Counter())[c.star_class] += c.n

    sets = ref.product_sets
    groups: dict[str, str] = {}
    for ps in sets.values():
        groups.setdefault(ps.group_code, ps.group)
    by_group = []
    for code, name in groups.items():
        part: Counter = Counter()
        for set_code, counts in set_stars.items():
            if set_code in sets and sets[set_code].group_code == code:
                part.update(counts)
        by_group.append(
            {
                "group_code": code,
                "group": name,
                "certified": sum(part.values()),
                "stars": _stars(part),
            }
        )
    by_set = [
        {
            "code": ps.code,
            "name": ps.name,
            "group_code": ps.group_code,
            "certified": sum(set_stars.get(ps.code, Counter()).values()),
        }
        for ps in sets.values()
    ]

    by_commune = _by_commune(ref, scope, cells)
    by_district: list[dict[str, Any]] = []
    if scope.kind == "province":
        by_district = _by_district(ref, store, scope, source, cells)
    if progress:
        progress("summary", 0.7)
    summary = Summary(
        scope=scope,
        as_of=as_of.isoformat(),
        year=year,
        products=product_counts,
        stars=_stars(stars),
        by_group=by_group,
        by_product_set=by_set,
        by_commune=by_commune,
        by_district=by_district,
        producers=_producers(store, source),
        year_results=_year_results(store, scope, source, as_of, year),
        expiring=_expiring(store, source, at),
        expired_without_renewal=_expired(store, source),
        export=_tally(store, source, "export_markets", "market"),
        ecommerce=_tally(store, source, "ecommerce", "platform"),
    )
    summary._rows_loader = lambda: _product_rows(store, source)
    return summary


def _place_counts(cells: list[_Cell], key: Callable[[_Cell], Any]) -> dict[Any, list]:
    """Per key: [products, {star class: products in force}]."""
    out: dict[Any, list] = {}
    for c in cells:
        entry = out.setdefault(key(c), [0, Counter()])
        entry[0] += c.n
        if c.status in cert_status.IN_FORCE:
            entry[1][c.star_class] += c.n
    return out


def _by_commune(ref: Any, scope: Scope, cells: list[_Cell]) -> list[dict[str, Any]]:
    counts = _place_counts(cells, lambda c: c.commune)
    out = []
    for code in scope.communes:
        products, part = counts.get(code, (0, Counter()))
        d = ref.former_district_of.get(code)
        out.append(
            {
                "code": code,
                "name": ref.commune_name(code),
                "former_district_code": d,
                "former_district": ref.district_name(d),
                "products": products,
                "certified": sum(part.values()),
                "stars": _stars(part),
            }
        )
    out.sort(key=lambda r: (search_key(r["former_district"]), search_key(r["name"])))
    if None in counts:
        products, part = counts[None]
        out.append(
            {
                "code": None,
                "name": UNKNOWN_COMMUNE,
                "former_district_code": None,
                "former_district": "",
                "products": products,
                "certified": sum(part.values()),
                "stars": _stars(part),
            }
        )
    return out


def _by_district(
    ref: Any, store: Store, scope: Scope, source: _Source, cells: list[_Cell]
) -> list[dict[str, Any]]:
    districts = sorted({ref.former_district_of[c] for c in scope.communes})
    counts = _place_counts(cells, lambda c: _district_of(ref, c))
    producer_counts: Counter = Counter()
    for commune, legacy, n in store.db.execute(
        "SELECT commune_code, legacy_district_code, count(*) FROM producers "
        f"WHERE deleted = 0 AND ({_PRODUCER_IN_SCOPE}) GROUP BY 1, 2",
        source.params,
    ):
        producer_counts[ref.former_district_of.get(commune, legacy)] += n
    out = []
    for d in districts:
        products, part = counts.get(d, (0, Counter()))
        name = ref.district_name(d)
        out.append(
            {
                "code": d,
                "name": name,
                "short_name": short_name(name),
                "products": products,
                "certified": sum(part.values()),
                "stars": _stars(part),
                "producers": producer_counts[d],
            }
        )
    # Ranked by certified products; equal counts share a rank (1, 2, 2, 4 …).
    out.sort(key=lambda r: (-r["certified"], search_key(r["short_name"])))
    for i, r in enumerate(out):
        same = i > 0 and out[i - 1]["certified"] == r["certified"]
        r["rank"] = out[i - 1]["rank"] if same else i + 1
    if None in counts:
        products, part = counts[None]
        out.append(
            {
                "code": None,
                "name": UNKNOWN_DISTRICT,
                "short_name": UNKNOWN_DISTRICT,
                "products": products,
                "certified": sum(part.values()),
                "stars": _stars(part),
                "producers": producer_counts[None],
                "rank": None,
            }
        )
    return out


def _producers(store: Store, source: _Source) -> dict[str, Any]:
    kinds = (*PRODUCER_KINDS, "unknown")
    by_kind: Counter = Counter()
    female = ethnic = 0
    for kind, n, f, e in store.db.execute(
        "SELECT COALESCE(kind, 'unknown'), count(*), "
        "sum(COALESCE(representative_female, 0) != 0), "
        "sum(COALESCE(representative_ethnic, 0) != 0) "
        f"FROM producers WHERE deleted = 0 AND ({_PRODUCER_IN_SCOPE}) GROUP BY 1",
        source.params,
    ):
        by_kind[kind if kind in kinds else "unknown"] += n
        female += f or 0
        ethnic += e or 0
    with_cert = Counter(
        dict(
            store.db.execute(
                source.select(
                    "COALESCE(s.producer_kind, 'unknown'), count(DISTINCT s.producer_id)",
                    f"WHERE s.producer_id IS NOT NULL AND {_IN_FORCE} GROUP BY 1",
                ),
                source.params,
            ).fetchall()
        )
    )
    return {
        "total": sum(by_kind.values()),
        "by_kind": {k: int(by_kind.get(k, 0)) for k in kinds},
        "representative_female": int(female),
        "representative_ethnic": int(ethnic),
        "with_certified_products": sum(with_cert.values()),
        "with_certified_products_by_kind": {k: int(with_cert.get(k, 0)) for k in kinds},
    }


def _year_results(
    store: Store, scope: Scope, source: _Source, as_of: date, year: int
) -> dict[str, Any]:
    from ocop_desktop.targets import get_target

    start = date(year, 1, 1).isoformat()
    end = min(date(year, 12, 31), as_of).isoformat()
    rows = store.db.execute(
        f"WITH scoped AS ({source.products}) "
        f"SELECT r.kind, {cert_status.star_class_sql()}, count(*) FROM recognitions r "
        "JOIN scoped s ON s.id = r.product_id "
        "WHERE r.deleted = 0 AND r.decision_date BETWEEN :start AND :end GROUP BY 1, 2",
        {**source.params, "start": start, "end": end},
    ).fetchall()
    kinds: Counter = Counter()
    raising: Counter = Counter()
    for kind, star_cls, n in rows:
        kinds[kind] += n
        if kind in RAISING_KINDS:
            raising[star_cls] += n
    achieved = {k: int(kinds.get(v, 0)) for k, v in KIND_OF_RESULT.items()}
    achieved["four_star"] = raising["4"]
    achieved["potential_five"] = raising["potential_5"]
    achieved["five_star"] = raising["5"]
    achieved["total"] = sum(kinds.values())
    office = "province" if scope.kind == "province" else scope.code
    row = get_target(store, year, office=office)
    target = {k: row.get(k) for k in RESULT_KEYS} if row else None
    percent = None
    if target:
        percent = {
            k: (round(100.0 * achieved[k] / target[k], 1) if target.get(k) else None)
            for k in RESULT_KEYS
        }
    return {
        "year": year,
        "from": start,
        "to": end,
        "achieved": achieved,
        "target": target,
        "percent": percent,
    }


_ITEM_COLUMNS = (
    "s.id, p.name, pr.name, p.commune_code, s.place, s.legacy_district, r.stars, "
    "r.potential_5, r.decision_no, r.decision_date, r.expiry_date"
)


def _items(store: Store, source: _Source, status: str) -> list[dict[str, Any]]:
    """The certificates in force on the as-of date whose status is ``status``,
    the soonest expiry first."""
    ref = refdata.load()
    sql = source.select(
        _ITEM_COLUMNS,
        "JOIN products p ON p.id = s.id LEFT JOIN producers pr ON pr.id = s.producer_id "
        "JOIN recognitions r ON r.id = c.recognition_id "
        f"WHERE {_STATUS} = :status ORDER BY r.expiry_date, p.name",
    )
    out = []
    for (
        pid,
        name,
        producer,
        commune,
        place,
        legacy,
        stars,
        pot,
        no,
        decided,
        expiry,
    ) in store.db.execute(sql, {**source.params, "status": status}):
        cell = _Cell(commune, place, legacy, None, status, None, 1)
        out.append(
            {
                "product_id": pid,
                "product": name,
                "producer": producer,
                "commune": ref.commune_name(commune) if commune is not None else UNKNOWN_COMMUNE,
                "former_district": ref.district_name(_district_of(ref, cell)),
                "stars": int(stars),
                "potential_5": bool(pot),
                "decision_no": no,
                "decision_date": decided,
                "expiry_date": expiry,
            }
        )
    return out


def _expiring(store: Store, source: _Source, at: cert_status.AsOf) -> dict[str, Any]:
    items = _items(store, source, "expiring")
    return {
        "days": at.warning_days,
        "until": at.soon.isoformat(),
        "count": len(items),
        "items": items,
    }


def _expired(store: Store, source: _Source) -> dict[str, Any]:
    items = _items(store, source, "expired")
    return {"count": len(items), "items": items}


def _tally(store: Store, source: _Source, column: str, label: str) -> dict[str, Any]:
    """Products in force by each market (or platform) their JSON list names, and how
    many products name at least one. A list that is not valid JSON names none."""
    listed = (
        f"CASE WHEN json_valid(s.{column}) AND json_type(s.{column}) = 'array' "
        f"THEN s.{column} ELSE '[]' END"
    )
    sql = source.select(
        "CAST(j.value AS TEXT) AS item, s.id",
        f", json_each({listed}) j WHERE {_IN_FORCE} AND trim(CAST(j.value AS TEXT)) != ''",
    )
    counts: Counter = Counter()
    products: set[str] = set()
    for item, pid in set(store.db.execute(sql, source.params).fetchall()):
        counts[item] += 1
        products.add(pid)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return {"products": len(products), label + "s": [{label: k, "products": n} for k, n in ranked]}


def _product_rows(store: Store, source: _Source) -> pd.DataFrame:
    """One row per product in scope with its certificate in force, in the order of
    the appendix: former district, commune, name (ignoring marks)."""
    ref = refdata.load()
    rows = _frame(
        store,
        source.select(
            "s.id, p.name, s.product_set, s.commune_code, s.place, s.legacy_district, "
            "s.export_markets, s.ecommerce, s.producer_id, pr.name AS producer_name, "
            "s.producer_kind, c.recognition_id, r.decision_no, r.decision_date, r.issuer, "
            "r.stars, r.potential_5, r.points, r.expiry_date, r.revoked_date, "
            f"{_STATUS} AS status, {_CLASS} AS star_class",
            "JOIN products p ON p.id = s.id LEFT JOIN producers pr ON pr.id = s.producer_id "
            "LEFT JOIN recognitions r ON r.id = c.recognition_id",
        ),
        source.params,
    )
    sets = ref.product_sets
    rows["group_code"] = [sets[x].group_code if x in sets else None for x in rows["product_set"]]
    rows["commune_name"] = [
        ref.commune_name(c) if c == c and c is not None else UNKNOWN_COMMUNE
        for c in rows["commune_code"]
    ]
    rows["district_code"] = [
        _district_of(ref, _Cell(_int(c), _int(pl), _int(lg), None, "", None, 1))
        for c, pl, lg in zip(
            rows["commune_code"], rows["place"], rows["legacy_district"], strict=True
        )
    ]
    rows["district_name"] = [ref.district_name(d) for d in rows["district_code"]]
    rows["markets"] = [_json_list(x) for x in rows["export_markets"]]
    rows["platforms"] = [_json_list(x) for x in rows["ecommerce"]]
    # Vietnamese order ignores marks and the kind of unit ("Huyện", "Thị xã" …)
    rows["_k1"] = [search_key(short_name(n)) for n in rows["district_name"]]
    rows["_k2"] = [search_key(n) for n in rows["commune_name"]]
    rows["_k3"] = [search_key(n) for n in rows["name"]]
    rows = rows.sort_values(["_k1", "_k2", "_k3"], kind="stable").drop(
        columns=["_k1", "_k2", "_k3", "place", "legacy_district"]
    )
    return rows.reset_index(drop=True)


def _int(value: Any) -> int | None:
    return None if value is None or value != value else int(value)
