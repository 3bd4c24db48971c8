"""The summary of a scope (an office's area, one former district, or the province).

Computed once, as pandas over plain SQL results, into one ``Summary`` that
``ocop summary --json``, the PDF report, the Excel workbook and the GUI all read,
so their numbers cannot disagree.

Definitions (the README documents them with the JSON keys):

- A product is *in scope* when it is live (not in the trash) and its commune is in
  the scope's area. Producers likewise.
- A product's *certificate as of a date* is its latest live recognition decided on
  or before that date. It is *valid* when it is not revoked (by that date) and not
  expired (expiry on or after the date; "expiring" counts as valid). For an as-of
  date after every decision this is the ``current_recognition`` cache.
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

from ocop_desktop import clock, refdata
from ocop_desktop.errors import UserError
from ocop_desktop.recognitions import add_months
from ocop_desktop.store import Store
from ocop_desktop.text import search_key
from ocop_desktop.validation import PRODUCER_KINDS

if TYPE_CHECKING:
    import pandas as pd

EXPIRING_MONTHS = 6
STAR_CLASSES = ("3", "4", "potential_5", "5")
RESULT_KEYS = ("new_products", "upgrades", "renewals", "four_star", "potential_five")
KIND_OF_RESULT = {"new_products": "new", "upgrades": "upgrade", "renewals": "renewal"}
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
    # Row-level tables for the PDF appendix and the workbook (not in the JSON).
    product_rows: Any = field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        out = {k: v for k, v in self.__dict__.items() if k != "product_rows"}
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


def _frame(store: Store, sql: str, params: list[Any]) -> pd.DataFrame:
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


def star_class(stars: Any, potential_5: Any) -> str | None:
    if stars is None or stars != stars:  # None or NaN
        return None
    stars = int(stars)
    if stars == 4 and potential_5:
        return "potential_5"
    return str(stars)


def _stars(frame: pd.DataFrame) -> dict[str, int]:
    counts = frame["star_class"].value_counts()
    return {k: int(counts.get(k, 0)) for k in STAR_CLASSES}


def compute(
    store: Store,
    *,
    as_of: date | None = None,
    year: int | None = None,
    district: int | None = None,
    progress: Progress | None = None,
) -> Summary:
    """Every figure of the reports for a scope, as of a date, for a reporting year."""

    ref = refdata.load()
    as_of = as_of or clock.today()
    year = year or as_of.year
    if year > as_of.year:
        raise UserError("report.year_after_as_of", "year", year=year, as_of=as_of.isoformat())
    scope = resolve_scope(store, district)
    area = json.dumps(scope.communes)
    if progress:
        progress("summary", 0.0)

    products = _frame(
        store,
        "SELECT p.id, p.name, p.product_set, p.commune_code, p.export_markets, p.ecommerce, "
        "p.producer_id, pr.name AS producer_name, pr.kind AS producer_kind "
        "FROM products p LEFT JOIN producers pr ON pr.id = p.producer_id "
        "WHERE p.deleted = 0 AND p.commune_code IN (SELECT value FROM json_each(?))",
        [area],
    )
    recognitions = _frame(
        store,
        "SELECT r.id, r.product_id, r.decision_no, r.decision_date, r.issuer, r.stars, "
        "r.potential_5, r.points, r.expiry_date, r.kind, r.revoked_date, r.version "
        "FROM recognitions r JOIN products p ON p.id = r.product_id "
        "WHERE r.deleted = 0 AND p.deleted = 0 "
        "AND p.commune_code IN (SELECT value FROM json_each(?))",
        [area],
    )
    producers = _frame(
        store,
        "SELECT id, kind, commune_code, representative_female, representative_ethnic "
        "FROM producers WHERE deleted = 0 AND commune_code IN (SELECT value FROM json_each(?))",
        [area],
    )
    if progress:
        progress("summary", 0.4)

    today = as_of.isoformat()
    # The certificate in force on the as-of date: the latest decision not after it.
    decided = recognitions[recognitions["decision_date"] <= today]
    in_force = (
        decided.sort_values(["decision_date", "version"])
        .groupby("product_id", sort=False)
        .tail(1)
        .set_index("product_id")
    )
    rows = products.join(
        in_force[
            [
                "id",
                "decision_no",
                "decision_date",
                "issuer",
                "stars",
                "potential_5",
                "points",
                "expiry_date",
                "revoked_date",
            ]
        ].rename(columns={"id": "recognition_id"}),
        on="id",
    )
    revoked = rows["revoked_date"].notna() & (rows["revoked_date"] <= today)
    has_cert = rows["recognition_id"].notna()
    expired = has_cert & ~revoked & (rows["expiry_date"] < today)
    valid = has_cert & ~revoked & ~expired
    rows["status"] = "none"
    rows.loc[valid, "status"] = "valid"
    rows.loc[expired, "status"] = "expired"
    rows.loc[has_cert & revoked, "status"] = "revoked"
    rows["star_class"] = [
        star_class(s, p) for s, p in zip(rows["stars"], rows["potential_5"], strict=True)
    ]
    sets = ref.product_sets
    rows["group_code"] = [sets[s].group_code if s in sets else None for s in rows["product_set"]]
    rows["commune_name"] = [ref.commune_name(c) for c in rows["commune_code"]]
    rows["district_code"] = [ref.former_district_of.get(c) for c in rows["commune_code"]]
    rows["district_name"] = [ref.district_name(d) for d in rows["district_code"]]
    rows["markets"] = [_json_list(x) for x in rows["export_markets"]]
    rows["platforms"] = [_json_list(x) for x in rows["ecommerce"]]
    # Vietnamese order ignores marks and the kind of unit ("Huyện", "Thị xã" …)
    rows["_k1"] = [search_key(short_name(n)) for n in rows["district_name"]]
    rows["_k2"] = [search_key(n) for n in rows["commune_name"]]
    rows["_k3"] = [search_key(n) for n in rows["name"]]
    rows = rows.sort_values(["_k1", "_k2", "_k3"], kind="stable").drop(
        columns=["_k1", "_k2", "_k3"]
    )
    certified = rows[rows["status"] == "valid"]

    product_counts = {
        "total": len(rows),
        "certified": len(certified),
        "expired": int(expired.sum()),
        "revoked": int((has_cert & revoked).sum()),
        "never_certified": int((~has_cert).sum()),
    }

    by_group = []
    groups: dict[str, str] = {}
    for s in sets.values():
        groups.setdefault(s.group_code, s.group)
    for code, name in groups.items():
        part = certified[certified["group_code"] == code]
        by_group.append(
            {"group_code": code, "group": name, "certified": len(part), "stars": _stars(part)}
        )
    set_counts = certified["product_set"].value_counts()
    by_set = [
        {
            "code": s.code,
            "name": s.name,
            "group_code": s.group_code,
            "certified": int(set_counts.get(s.code, 0)),
        }
        for s in sets.values()
    ]

    by_commune = []
    all_counts = rows["commune_code"].value_counts()
    for code in scope.communes:
        part = certified[certified["commune_code"] == code]
        d = ref.former_district_of.get(code)
        by_commune.append(
            {
                "code": code,
                "name": ref.commune_name(code),
                "former_district_code": d,
                "former_district": ref.district_name(d),
                "products": int(all_counts.get(code, 0)),
                "certified": len(part),
                "stars": _stars(part),
            }
        )
    by_commune.sort(key=lambda r: (search_key(r["former_district"]), search_key(r["name"])))

    by_district: list[dict[str, Any]] = []
    if scope.kind == "province":
        by_district = _by_district(ref, scope, rows, certified, producers)

    producer_summary = _producers(producers, certified)
    if progress:
        progress("summary", 0.7)
    year_results = _year_results(store, scope, recognitions, as_of, year)
    expiring, expired_list = _expiry(rows, as_of)
    return Summary(
        scope=scope,
        as_of=today,
        year=year,
        products=product_counts,
        stars=_stars(certified),
        by_group=by_group,
        by_product_set=by_set,
        by_commune=by_commune,
        by_district=by_district,
        producers=producer_summary,
        year_results=year_results,
        expiring=expiring,
        expired_without_renewal=expired_list,
        export=_tally(certified, "markets", "market"),
        ecommerce=_tally(certified, "platforms", "platform"),
        product_rows=rows.reset_index(drop=True),
    )


def _by_district(ref, scope: Scope, rows, certified, producers) -> list[dict[str, Any]]:
    districts = sorted({ref.former_district_of[c] for c in scope.communes})
    prod_district = [ref.former_district_of.get(c) for c in producers["commune_code"]]
    producer_counts = {d: prod_district.count(d) for d in districts}
    all_counts = rows["district_code"].value_counts()
    out = []
    for d in districts:
        part = certified[certified["district_code"] == d]
        name = ref.district_name(d)
        out.append(
            {
                "code": d,
                "name": name,
                "short_name": short_name(name),
                "products": int(all_counts.get(d, 0)),
                "certified": len(part),
                "stars": _stars(part),
                "producers": producer_counts[d],
            }
        )
    # Ranked by certified products; equal counts share a rank (1, 2, 2, 4 …).
    out.sort(key=lambda r: (-r["certified"], search_key(r["short_name"])))
    for i, r in enumerate(out):
        same = i > 0 and out[i - 1]["certified"] == r["certified"]
        r["rank"] = out[i - 1]["rank"] if same else i + 1
    return out


def _producers(producers, certified) -> dict[str, Any]:
    kinds = producers["kind"].fillna("unknown").value_counts()
    by_kind = {k: int(kinds.get(k, 0)) for k in (*PRODUCER_KINDS, "unknown")}
    with_cert_ids = set(certified["producer_id"].dropna())
    with_cert = producers[producers["id"].isin(with_cert_ids)]
    kinds_c = with_cert["kind"].fillna("unknown").value_counts()
    return {
        "total": len(producers),
        "by_kind": by_kind,
        "representative_female": int(
            producers["representative_female"].fillna(0).astype(bool).sum()
        ),
        "representative_ethnic": int(
            producers["representative_ethnic"].fillna(0).astype(bool).sum()
        ),
        "with_certified_products": len(with_cert),
        "with_certified_products_by_kind": {
            k: int(kinds_c.get(k, 0)) for k in (*PRODUCER_KINDS, "unknown")
        },
    }


def _year_results(store: Store, scope: Scope, recognitions, as_of: date, year: int) -> dict:
    from ocop_desktop.targets import get_target

    start = date(year, 1, 1).isoformat()
    end = min(date(year, 12, 31), as_of).isoformat()
    rec = recognitions[
        (recognitions["decision_date"] >= start) & (recognitions["decision_date"] <= end)
    ]
    kinds = rec["kind"].value_counts()
    raising = rec[rec["kind"].isin(["new", "upgrade"])]
    achieved = {k: int(kinds.get(v, 0)) for k, v in KIND_OF_RESULT.items()}
    achieved["four_star"] = int(((raising["stars"] == 4) & (raising["potential_5"] == 0)).sum())
    achieved["potential_five"] = int(
        ((raising["stars"] == 4) & (raising["potential_5"] != 0)).sum()
    )
    achieved["five_star"] = int((raising["stars"] == 5).sum())
    achieved["total"] = len(rec)
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


def _cert_item(r) -> dict[str, Any]:
    return {
        "product_id": r.id,
        "product": r.name,
        "producer": r.producer_name,
        "commune": r.commune_name,
        "former_district": r.district_name,
        "stars": int(r.stars),
        "potential_5": bool(r.potential_5),
        "decision_no": r.decision_no,
        "decision_date": r.decision_date,
        "expiry_date": r.expiry_date,
    }


def _expiry(rows, as_of: date) -> tuple[dict, dict]:
    until = add_months(as_of, EXPIRING_MONTHS).isoformat()
    valid = rows["status"] == "valid"
    soon = rows[valid & (rows["expiry_date"] <= until)].sort_values(["expiry_date", "name"])
    gone = rows[rows["status"] == "expired"].sort_values(["expiry_date", "name"])
    return (
        {
            "months": EXPIRING_MONTHS,
            "until": until,
            "count": len(soon),
            "items": [_cert_item(r) for r in soon.itertuples()],
        },
        {"count": len(gone), "items": [_cert_item(r) for r in gone.itertuples()]},
    )


def _tally(certified, column: str, label: str) -> dict[str, Any]:
    has = certified[certified[column].map(len) > 0]
    counts: dict[str, int] = {}
    for items in has[column]:
        for item in dict.fromkeys(items):
            counts[item] = counts.get(item, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    key = label + "s"
    return {"products": len(has), key: [{label: k, "products": n} for k, n in ranked]}
