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
from ocop_desktop.db import small_cache
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
    _source: Any = field(default=None, repr=False)

    def in_scope_sql(self) -> tuple[str, str, dict[str, Any]]:
        """The scope this summary counts, for lists that must show the same records:
        a condition on ``products p``, one on ``producers pr``, and their parameters.
        Records without a commune are in the node's own scope (see ``_Source``)."""
        source = self._source
        return source.in_scope, _producer_in_scope("pr"), dict(source.params)

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
    """What every figure is counted from: the products in scope (``in_scope``, a
    condition on ``products p``), each with the certificate in force on the as-of
    date (``cert``: the current-recognition cache, or a subquery for an earlier
    date, joined as ``c``), and the parameters of both.

    Products whose commune is not known belong to the node's own scope (an
    imported list may give only a former district): they are counted, under
    "Chưa rõ xã/phường", and in a former district's scope when the former district
    recorded with them, or else their producer's commune or former district, lies
    in it."""

    in_scope: str
    cert: str
    params: dict[str, Any]
    whole: bool  # the node's own scope: (nearly) every row, read in one scan

    def select(self, columns: str, joins: str = "", tail: str = "") -> str:
        """Products in scope with their certificate (``c``) and further ``joins``."""
        scan = "NOT INDEXED " if self.whole else ""
        return (
            f"SELECT {columns} FROM products p {scan}LEFT JOIN {self.cert} c "
            f"ON c.product_id = p.id {joins} WHERE p.deleted = 0 AND {self.in_scope} {tail}"
        )


def _producer_in_scope(alias: str = "") -> str:
    """A producer is in scope by its commune; one whose commune is not known belongs to
    the node's own scope, and to a former district's by the district it was recorded
    under."""
    x = f"{alias}." if alias else ""
    return (
        f"({x}commune_code IN (SELECT value FROM json_each(:area)) OR ({x}commune_code IS NULL "
        f"AND (:unknown_producer OR {x}legacy_district_code = :district)))"
    )


_STATUS = (
    f"CASE WHEN c.product_id IS NULL THEN 'none' ELSE {cert_status.cached_status_sql('c')} END"
)
_CLASS = cert_status.star_class_sql("c.stars", "c.potential_5")
# Where a product without a commune lies: its producer's commune or recorded former district.
_PLACE = (
    "CASE WHEN p.commune_code IS NULL THEN "
    "(SELECT x.commune_code FROM producers x WHERE x.id = p.producer_id) END"
)
_LEGACY = (
    "CASE WHEN p.commune_code IS NULL THEN COALESCE(p.legacy_district_code, "
    "(SELECT x.legacy_district_code FROM producers x WHERE x.id = p.producer_id)) END"
)
# The products of one summary, with what its figures need, read once (see _scoped).
_SCOPED_NAME = "summary_scoped"
_SCOPED = f"temp.{_SCOPED_NAME}"
_IN_FORCE = "s.status IN ('valid', 'expiring')"


def _source(store: Store, scope: Scope, at: cert_status.AsOf, district: int | None) -> _Source:
    params: dict[str, Any] = {**at.params(), "area": json.dumps(scope.communes)}
    if district is None:
        in_scope = (
            "(p.commune_code IN (SELECT value FROM json_each(:area)) OR p.commune_code IS NULL)"
        )
        params["unknown_producer"], params["district"] = 1, None
    else:
        params["unknown_producer"], params["district"] = 0, district
        in_scope = (
            "(p.commune_code IN (SELECT value FROM json_each(:area)) OR (p.commune_code IS NULL "
            "AND (p.legacy_district_code = :district OR (p.legacy_district_code IS NULL "
            f"AND p.producer_id IN (SELECT id FROM producers WHERE {_producer_in_scope()})))))"
        )
    cert = cert_status.certificates_on(store.db, at)
    return _Source(in_scope, cert, params, whole=district is None)


def _scoped(store: Store, source: _Source) -> None:
    """Read the products in scope once into a table of this connection's own (it
    works on a read-only file too): id, producer, where it lies, set, status, star
    class, certificate and the export and e-commerce lists. Every figure is then a
    GROUP BY over these narrow rows instead of another pass over the products."""
    store.db.execute(f"DROP TABLE IF EXISTS {_SCOPED}")
    # In memory (a few MB at 100,000 products), appended in the order read: no index
    # to keep, since every later query reads it whole or drives a look-up from it.
    store.db.execute("PRAGMA temp_store = MEMORY")
    store.db.execute(
        f"CREATE TABLE {_SCOPED} (id TEXT, name TEXT, producer_id TEXT, commune INTEGER, "
        "place INTEGER, legacy INTEGER, product_set INTEGER, status TEXT, star_class TEXT, "
        "recognition_id TEXT, stars INTEGER, potential_5 INTEGER, decision_no TEXT, "
        "decision_date TEXT, expiry_date TEXT, markets TEXT, platforms TEXT)"
    )
    store.db.execute(
        f"INSERT INTO {_SCOPED} "
        + source.select(
            f"p.id, p.name, p.producer_id, p.commune_code, {_PLACE}, {_LEGACY}, p.product_set, "
            f"{_STATUS}, {_CLASS}, c.recognition_id, c.stars, c.potential_5, c.decision_no, "
            "c.decision_date, c.expiry_date, "
            "CASE WHEN p.export_markets NOT IN ('', '[]') THEN p.export_markets END, "
            "CASE WHEN p.ecommerce NOT IN ('', '[]') THEN p.ecommerce END"
        ),
        source.params,
    )
    # The year's decisions are found by scanning the decisions once and looking each
    # product up here, not by one index search per product in scope.
    store.db.execute(f"CREATE INDEX {_SCOPED}_id ON {_SCOPED_NAME}(id)")


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
    that the product figures of the summary are added up from."""
    sql = (
        "SELECT commune, place, legacy, product_set, status, star_class, count(*) "
        f"FROM {_SCOPED} GROUP BY 1, 2, 3, 4, 5, 6"
    )
    return [_Cell(*row) for row in store.db.execute(sql).fetchall()]


def _district_of(ref: Any, commune: Any, place: Any, legacy: Any) -> int | None:
    """A product's former district: from its commune, else its producer's commune,
    else the former district its producer was recorded under."""
    where = commune if commune is not None else place
    if where is not None and where in ref.former_district_of:
        return ref.former_district_of[where]
    return legacy


def compute(
    store: Store,
    *,
    as_of: date | None = None,
    year: int | None = None,
    district: int | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Every figure of the reports for a scope, as of a date, for a reporting year.

    The counting is SQL: one GROUP BY over the products and their certificate in
    force, one over the producers, one over the year's decisions, and the lists;
    Python adds up the few hundred rows that come back. The per-product table of
    the appendix and the workbook is read when first asked for."""
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
    # The summary reads each page of its scope about once.
    with small_cache(store.db):
        _scoped(store, source)
        try:
            return _compute(store, ref, scope, at, source, year, progress)
        finally:
            store.db.execute(f"DROP TABLE IF EXISTS {_SCOPED}")


def _compute(
    store: Store,
    ref: Any,
    scope: Scope,
    at: cert_status.AsOf,
    source: _Source,
    year: int,
    progress: Progress | None,
) -> Summary:
    as_of = at.day
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
        # Ranked: the product holds a star rank, in force or expired (an imported list
        # of older decisions is ranked although its certificates have run out).
        "ranked": sum(c.n for c in in_force) + by_status["expired"],
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
    producers, producers_by_district = _producers(store, source)
    listed = _items(store)
    export, ecommerce = _tallies(store, source)
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
        by_commune=_by_commune(ref, scope, cells),
        by_district=(
            _by_district(ref, scope, cells, producers_by_district)
            if scope.kind == "province"
            else []
        ),
        producers=producers,
        year_results=_year_results(store, scope, source, as_of, year),
        expiring=_expiring(listed["expiring"], at),
        expired_without_renewal=_expired(listed["expired"]),
        export=export,
        ecommerce=ecommerce,
    )
    summary._rows_loader = lambda: _product_rows(store, source)
    summary._source = source
    return summary


def _place_counts(cells: list[_Cell], key: Callable[[_Cell], Any]) -> dict[Any, list]:
    """Per key: [products, Counter of star class → products in force]."""
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
    ref: Any, scope: Scope, cells: list[_Cell], producer_counts: Counter
) -> list[dict[str, Any]]:
    districts = sorted({ref.former_district_of[c] for c in scope.communes})
    counts = _place_counts(
        cells, lambda c: _district_of(ref, c.commune, c.place, c.legacy_district)
    )
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
    unknown = {k: v for k, v in counts.items() if k not in districts}
    if unknown or producer_counts.get(None):
        products = sum(v[0] for v in unknown.values())
        part = sum((v[1] for v in unknown.values()), Counter())
        out.append(
            {
                "code": None,
                "name": UNKNOWN_DISTRICT,
                "short_name": UNKNOWN_DISTRICT,
                "products": products,
                "certified": sum(part.values()),
                "stars": _stars(part),
                "producers": producer_counts.get(None, 0),
                "rank": None,
            }
        )
    return out


def _producers(store: Store, source: _Source) -> tuple[dict[str, Any], Counter]:
    """The producers in scope by kind, with those holding a product in force, and
    how many lie in each former district, in one pass over the producers."""
    ref = refdata.load()
    kinds = (*PRODUCER_KINDS, "unknown")
    scan = "NOT INDEXED " if source.whole else ""
    by_kind: Counter = Counter()
    with_cert: Counter = Counter()
    by_district: Counter = Counter()
    female = ethnic = 0
    for commune, legacy, kind, f, e, has, n in store.db.execute(
        "SELECT pr.commune_code, pr.legacy_district_code, COALESCE(pr.kind, 'unknown'), "
        "COALESCE(pr.representative_female, 0) != 0, COALESCE(pr.representative_ethnic, 0) != 0, "
        f"pr.id IN (SELECT s.producer_id FROM {_SCOPED} s WHERE {_IN_FORCE}), count(*) "
        f"FROM producers pr {scan}WHERE pr.deleted = 0 AND {_producer_in_scope('pr')} "
        "GROUP BY 1, 2, 3, 4, 5, 6",
        source.params,
    ):
        kind = kind if kind in kinds else "unknown"
        by_kind[kind] += n
        female += n if f else 0
        ethnic += n if e else 0
        if has:
            with_cert[kind] += n
        by_district[_district_of(ref, commune, None, legacy)] += n
    figures = {
        "total": sum(by_kind.values()),
        "by_kind": {k: int(by_kind.get(k, 0)) for k in kinds},
        "representative_female": female,
        "representative_ethnic": ethnic,
        "with_certified_products": sum(with_cert.values()),
        "with_certified_products_by_kind": {k: int(with_cert.get(k, 0)) for k in kinds},
    }
    return figures, by_district


def _counted(decided: int, revoked: int, when: str) -> str:
    return (
        f"SELECT r.kind, {cert_status.star_class_sql()} AS cls, {decided} AS decided, "
        f"{revoked} AS revoked FROM recognitions r CROSS JOIN {_SCOPED} s "
        f"ON s.id = r.product_id WHERE r.deleted = 0 AND {when}"
    )


# The decisions made in the year, and the revocations counted by the date of the
# revoking decision, each read from its own index (schema 9; the decisions' is keyed
# by their year first): one made and revoked in the year counts in both.
_MADE = (
    "substr(r.decision_date, 1, 4) = :year AND r.decision_date BETWEEN :start AND :end "
    f"AND {cert_status.dated_sql()}"
)
_YEAR_SQL = (
    f"SELECT kind, cls, sum(decided), sum(revoked) FROM ({_counted(1, 0, _MADE)} UNION ALL "
    f"{_counted(0, 1, 'r.revoked_date BETWEEN :start AND :end')}) GROUP BY 1, 2"
)


def _year_results(
    store: Store, scope: Scope, source: _Source, as_of: date, year: int
) -> dict[str, Any]:
    from ocop_desktop.targets import get_target

    start = date(year, 1, 1).isoformat()
    end = min(date(year, 12, 31), as_of).isoformat()

    rows = store.db.execute(
        _YEAR_SQL, {**source.params, "start": start, "end": end, "year": f"{year:04d}"}
    ).fetchall()
    kinds: Counter = Counter()
    raising: Counter = Counter()
    revocations = 0
    for kind, star_cls, decided, revoked in rows:
        kinds[kind] += decided
        revocations += revoked or 0
        if kind in RAISING_KINDS:
            raising[star_cls] += decided
    achieved = {k: int(kinds.get(v, 0)) for k, v in KIND_OF_RESULT.items()}
    achieved["four_star"] = raising["4"]
    achieved["potential_five"] = raising["potential_5"]
    achieved["five_star"] = raising["5"]
    # A downgrade is its own kind, never a re-recognition; revocations are counted
    # by the date of the revoking decision.
    achieved["downgrades"] = int(kinds.get("downgrade", 0))
    achieved["revocations"] = revocations
    achieved["total"] = sum(kinds.values())
    office = "province" if scope.kind == "province" else scope.code
    row = get_target(store, year, office=office)
    target = {k: row.get(k) for k in RESULT_KEYS} if row else None
    percent = {k: _percent(achieved[k], target.get(k)) for k in RESULT_KEYS} if target else None
    return {
        "year": year,
        "from": start,
        "to": end,
        "achieved": achieved,
        "target": target,
        "percent": percent,
    }


_LISTED = ("expiring", "expired")


def _items(store: Store) -> dict[str, list[dict[str, Any]]]:
    """The certificates in force on the as-of date that expire soon, and those
    expired, each list the soonest expiry first. The producers' names come from
    one scan of the producers joined to the listed products, not one look-up per
    product (a random page, decrypted, for each)."""
    ref = refdata.load()
    listed = f"status IN {_LISTED!r}"  # ('expiring', 'expired')
    store.db.execute(
        f"CREATE INDEX {_SCOPED}_producer ON {_SCOPED_NAME}(producer_id) WHERE {listed}"
    )
    columns = (
        "s.status, s.id, s.name, {producer}, s.commune, s.place, s.legacy, s.stars, "
        "s.potential_5, s.decision_no, s.decision_date, s.expiry_date"
    )
    sql = (
        f"SELECT {columns.format(producer='pr.name')} FROM producers pr NOT INDEXED "
        f"CROSS JOIN {_SCOPED} s ON s.producer_id = pr.id AND s.{listed} "
        f"UNION ALL SELECT {columns.format(producer='NULL')} FROM {_SCOPED} s WHERE s.{listed} "
        "AND (s.producer_id IS NULL OR s.producer_id NOT IN (SELECT id FROM producers)) "
        "ORDER BY 1, 12, 3"
    )
    out: dict[str, list[dict[str, Any]]] = {status: [] for status in _LISTED}
    for (
        status,
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
    ) in store.db.execute(sql):
        out[status].append(
            {
                "product_id": pid,
                "product": name,
                "producer": producer,
                "commune": ref.commune_name(commune) if commune is not None else UNKNOWN_COMMUNE,
                "former_district": ref.district_name(_district_of(ref, commune, place, legacy)),
                "stars": int(stars),
                "potential_5": bool(pot),
                "decision_no": no,
                "decision_date": decided,
                "expiry_date": expiry,
            }
        )
    return out


def _expiring(items: list[dict[str, Any]], at: cert_status.AsOf) -> dict[str, Any]:
    return {
        "days": at.warning_days,
        "until": at.soon.isoformat(),
        "count": len(items),
        "items": items,
    }


def _expired(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"count": len(items), "items": items}


def _tallies(store: Store, source: _Source) -> tuple[dict[str, Any], dict[str, Any]]:
    """Products in force by each export market and each e-commerce platform their
    JSON lists name, and how many products name at least one; a list that is not
    valid JSON names none. One pass: the lists are grouped in SQL (few distinct
    lists), then read once each."""
    sql = (
        f"SELECT markets, platforms, count(*) FROM {_SCOPED} s "
        f"WHERE (markets IS NOT NULL OR platforms IS NOT NULL) AND {_IN_FORCE} GROUP BY 1, 2"
    )
    counts: tuple[Counter, Counter] = (Counter(), Counter())
    products = [0, 0]
    for *lists, n in store.db.execute(sql):
        for i, text in enumerate(lists):
            items = list(dict.fromkeys(_json_list(text)))
            if items:
                products[i] += n
                for item in items:
                    counts[i][item] += n
    out = []
    for i, label in enumerate(("market", "platform")):
        ranked = sorted(counts[i].items(), key=lambda kv: (-kv[1], kv[0]))
        out.append(
            {"products": products[i], label + "s": [{label: k, "products": v} for k, v in ranked]}
        )
    return out[0], out[1]


def _product_rows(store: Store, source: _Source) -> pd.DataFrame:
    """One row per product in scope with its certificate in force, in the order of
    the appendix: former district, commune, name (ignoring marks)."""
    ref = refdata.load()
    sql = source.select(
        "p.id, p.name, p.product_set, p.commune_code, "
        f"{_PLACE} AS place, {_LEGACY} AS legacy_district, "
        "p.export_markets, p.ecommerce, p.producer_id, pr.name AS producer_name, "
        "pr.kind AS producer_kind, c.recognition_id, r.decision_no, r.decision_date, "
        "r.issuer, r.stars, r.potential_5, r.points, r.expiry_date, r.revoked_date, "
        f"{_STATUS} AS status, {_CLASS} AS star_class",
        "LEFT JOIN producers pr ON pr.id = p.producer_id "
        "LEFT JOIN recognitions r ON r.id = c.recognition_id",
    )
    rows = _frame(store, sql, source.params)
    sets = ref.product_sets
    rows["group_code"] = [sets[x].group_code if x in sets else None for x in rows["product_set"]]
    communes = [_int(c) for c in rows["commune_code"]]
    rows["commune_name"] = [
        ref.commune_name(c) if c is not None else UNKNOWN_COMMUNE for c in communes
    ]
    rows["district_code"] = [
        _district_of(ref, c, _int(pl), _int(lg))
        for c, pl, lg in zip(communes, rows["place"], rows["legacy_district"], strict=True)
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


def _percent(done: int, planned: Any) -> float | None:
    return round(100.0 * done / planned, 1) if planned else None


def _int(value: Any) -> int | None:
    return None if value is None or value != value else int(value)
