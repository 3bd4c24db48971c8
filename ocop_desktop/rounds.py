"""Council rounds (đợt đánh giá): a council scores the products submitted to it.

A round has a council of a level (a district council before 6 July 2025, the
province's, or the central one), a chair, members and a secretary, a date and
the products submitted. The chair and every member fill the Decision 148 sheet
of each product's set; the secretary keeps the minutes and does not score.

A product's result is read from its members' sheets:

- the points of each part, and the total, are the members' averages (the rank
  follows "tổng điểm trung bình", rounded to two decimals);
- **minimum requirements by majority**: a star class's minimum requirement on a
  criterion is met when more than half of the members who scored the product
  chose the required option or one scoring more; the class is allowed when all
  its requirements (and those of the classes below) are met that way;
- the stars are the lower of the band of the average total and the highest
  class allowed; below 3 stars the product is not recognised;
- a product ranked above what the council's level recognises is proposed
  upward: one reaching the 5-star band (90 points, from the star bands) with
  the 5-star requirements met goes from the province to the ministry, and the
  province recognises it 4 stars, "tiềm năng 5 sao" (before the reform, a
  district council proposed its 4- and 5-star products to the province).

Rounds are written by the province (or, before the reform, by the district
office whose council it was); offices receive them read-only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ocop_desktop import authority, clock, records, refdata, rubric
from ocop_desktop import validation as v
from ocop_desktop.db import transaction
from ocop_desktop.errors import UserError, ValidationError
from ocop_desktop.store import Store

TABLE = "rounds"
FIELDS = ("name", "round_date", "level", "chair", "members", "secretary", "place", "notes")
COUNCIL_LEVELS = (authority.DISTRICT, authority.PROVINCE, authority.CENTRAL)


@dataclass(frozen=True)
class MemberSheet:
    member: str
    parts: dict[str, float]
    total: float
    choices: dict[str, int]


@dataclass(frozen=True)
class ProductResult:
    product_id: str
    name: str
    producer: str
    address: str
    product_set: int | None
    scorers: int
    sheets: tuple[MemberSheet, ...]
    parts: dict[str, float]
    total: float
    stars_by_points: int
    stars_allowed: int
    stars: int
    # Requirements of the class above that a majority did not meet ("C4 ≥ 4★").
    unmet: tuple[str, ...]
    proposed: bool
    # The stars this council's level may recognise itself; None below 3 stars.
    recognised_stars: int | None
    rank: int = 0

    @property
    def complete(self) -> bool:
        return len(self.sheets) == self.scorers


@dataclass
class Round:
    id: str
    name: str
    round_date: str
    level: str
    chair: str
    members: list[str]
    secretary: str | None
    place: str | None
    notes: str | None
    product_ids: list[str] = field(default_factory=list)
    editable: bool = True

    @property
    def scorers(self) -> list[str]:
        """Who fills a sheet: the chair and the members."""
        return [self.chair, *self.members]


# ---- the round ---------------------------------------------------------------


def _clean(store: Store, data: dict[str, Any]) -> dict[str, Any]:
    unknown = set(data) - set(FIELDS) - {"products", "id"}
    if unknown:
        raise ValidationError("validation.unknown_fields", None, fields=", ".join(sorted(unknown)))
    out: dict[str, Any] = {}
    out["name"] = v.text(data.get("name"), "name", required=True, max_len=300)
    out["round_date"] = v.iso_date(
        data.get("round_date"),
        "round_date",
        required=True,
        not_after=clock.today(),
    )
    out["level"] = v.choice(data.get("level"), "level", COUNCIL_LEVELS, required=True)
    authority.check_evaluation_level(out["level"], out["round_date"], "round_date")
    out["chair"] = v.text(data.get("chair"), "chair", required=True, max_len=200)
    members = v.string_list(data.get("members"), "members") or []
    scorers = [out["chair"], *members]
    if len(set(scorers)) != len(scorers):
        raise ValidationError("round.member_twice", "members")
    if len(members) < 2:
        raise ValidationError("round.too_few_members", "members", count=len(scorers))
    out["members"] = json.dumps(members, ensure_ascii=False)
    out["secretary"] = v.text(data.get("secretary"), "secretary", max_len=200)
    out["place"] = v.text(data.get("place"), "place", max_len=200)
    out["notes"] = v.text(data.get("notes"), "notes")
    if not _may_write(store, out["level"]):
        raise UserError("round.read_only")
    return out


def _may_write(store: Store, level: str) -> bool:
    """The province writes rounds; an office only its own district council's (pre-reform)."""
    return store.node.is_province or level == authority.DISTRICT


def create(store: Store, data: dict[str, Any]) -> str:
    """A round with its council and, optionally, the products submitted (``products``)."""
    with transaction(store.db):
        values = _clean(store, data)
        round_id = records.insert(store, TABLE, values)
        for product_id in data.get("products") or []:
            _add_product(store, round_id, product_id)
        return round_id


def get(store: Store, round_id: str) -> Round:
    row = records.get(store, TABLE, round_id)
    ids = [
        r[0]
        for r in store.db.execute(
            "SELECT product_id FROM round_products WHERE round_id = ? AND deleted = 0 ORDER BY rid",
            [round_id],
        )
    ]
    return Round(
        id=row["id"],
        name=row["name"],
        round_date=row["round_date"],
        level=row["level"],
        chair=row["chair"],
        members=json.loads(row["members"]),
        secretary=row["secretary"],
        place=row["place"],
        notes=row["notes"],
        product_ids=ids,
        editable=_may_write(store, row["level"]),
    )


def list_(store: Store) -> list[dict[str, Any]]:
    cur = store.db.execute(
        "SELECT r.id, r.name, r.round_date, r.level, r.chair, "
        "(SELECT count(*) FROM round_products rp WHERE rp.round_id = r.id AND rp.deleted = 0) "
        "AS products, "
        "(SELECT group_concat(b.decision_no, ', ') FROM batch_decisions b "
        " WHERE b.round_id = r.id AND b.deleted = 0) AS decisions "
        "FROM rounds r WHERE r.deleted = 0 ORDER BY r.round_date DESC, r.rid DESC"
    )
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def _writable(store: Store, round_id: str) -> Round:
    r = get(store, round_id)
    if not r.editable:
        raise UserError("round.read_only")
    if decided(store, round_id):
        raise UserError("round.already_decided", name=r.name)
    return r


def decided(store: Store, round_id: str) -> bool:
    return (
        store.db.execute(
            "SELECT 1 FROM batch_decisions WHERE round_id = ? AND deleted = 0", [round_id]
        ).fetchone()
        is not None
    )


def _add_product(store: Store, round_id: str, product_id: Any) -> None:
    product_id = v.text(product_id, "product_id", required=True)
    row = store.db.execute(
        "SELECT commune_code, product_set FROM products WHERE id = ? AND deleted = 0", [product_id]
    ).fetchone()
    if row is None:
        raise ValidationError("validation.unknown_product", "product_id", id=product_id)
    if row[0] is not None and not store.in_area(row[0]):
        raise UserError("record.outside_area", id=product_id)
    if row[1] is None:
        raise ValidationError("rubric.no_product_set", "product_id")
    if store.db.execute(
        "SELECT 1 FROM round_products WHERE round_id = ? AND product_id = ? AND deleted = 0",
        [round_id, product_id],
    ).fetchone():
        raise ValidationError("round.product_twice", "product_id", id=product_id)
    records.insert(store, "round_products", {"round_id": round_id, "product_id": product_id})


def add_product(store: Store, round_id: str, product_id: str) -> None:
    with transaction(store.db):
        _writable(store, round_id)
        _add_product(store, round_id, product_id)


# ---- members' sheets -----------------------------------------------------------


def record_sheet(
    store: Store, round_id: str, product_id: str, member: str, options: Any
) -> dict[str, Any]:
    """Record (or replace) one member's sheet for one product of the round.

    ``options`` maps criterion keys to option keys on the sheet of the product's
    set (every criterion answered), as for an evaluation."""
    with transaction(store.db):
        r = _writable(store, round_id)
        if product_id not in r.product_ids:
            raise ValidationError("round.product_not_submitted", "product_id", id=product_id)
        member = v.text(member, "member", required=True, max_len=200) or ""
        if member not in r.scorers:
            raise ValidationError(
                "round.not_a_member", "member", member=member, members=", ".join(r.scorers)
            )
        if isinstance(options, dict) and "choices" in options:
            options = options["choices"]
        product_set = _product_set(store, product_id)
        sheet = rubric.sheet(product_set)
        choices = rubric.normalise_choices(sheet, options)
        score = rubric.score(sheet, choices)
        values = {
            "round_id": round_id,
            "product_id": product_id,
            "member": member,
            "options": json.dumps(
                {"product_set": product_set, "choices": choices}, ensure_ascii=False
            ),
            "points_a": score.parts.get("A", 0.0),
            "points_b": score.parts.get("B", 0.0),
            "points_c": score.parts.get("C", 0.0),
            "points": score.total,
            "stars": score.stars,
        }
        existing = store.db.execute(
            "SELECT id FROM member_sheets WHERE round_id = ? AND product_id = ? AND member = ? "
            "AND deleted = 0",
            [round_id, product_id, member],
        ).fetchone()
        if existing:
            records.update(store, "member_sheets", existing[0], values)
            sheet_id = existing[0]
        else:
            sheet_id = records.insert(store, "member_sheets", values)
        return {"id": sheet_id, "points": score.total, "stars": score.stars}


def _product_set(store: Store, product_id: str) -> int:
    row = store.db.execute("SELECT product_set FROM products WHERE id = ?", [product_id]).fetchone()
    if row is None or row[0] is None:
        raise ValidationError("rubric.no_product_set", "product_id")
    return int(row[0])


# ---- results -------------------------------------------------------------------


def allowed_by_majority(
    sheet: rubric.Sheet, member_choices: list[dict[str, int]]
) -> tuple[int, tuple[str, ...]]:
    """The highest star class whose minimum requirements a majority of members met,
    and the requirements of the next class that they did not (as "C4 ≥ 4★").

    A requirement is met when more than half of the members chose the required
    option or one scoring more; a tie is not a majority."""
    allowed = rubric.NOT_RECOGNISED
    for stars in rubric.STAR_CLASSES:
        unmet = []
        for req in rubric.requirements(sheet, stars):
            votes = sum(
                rubric.meets(req, req.criterion.option(c.get(req.criterion.key, -1)))
                for c in member_choices
            )
            if votes * 2 <= len(member_choices):
                unmet.append(f"{req.criterion.key} ≥ {stars}★")
        if unmet:
            return allowed, tuple(unmet)
        allowed = stars
    return allowed, ()


def results(store: Store, round_id: str) -> list[ProductResult]:
    """Every submitted product's result, ranked by average total (best first)."""
    r = get(store, round_id)
    out = [_product_result(store, r, product_id) for product_id in r.product_ids]
    out.sort(key=lambda x: (-x.total, x.name))
    return [ProductResult(**{**x.__dict__, "rank": i}) for i, x in enumerate(out, start=1)]


def _highest(r: Round) -> int | None:
    """The most stars the round's council level recognises on its date."""
    recogniser = authority.period_for(r.round_date).recogniser
    return max((s for s, lvl in recogniser.items() if lvl == r.level), default=None)


def _product_result(store: Store, r: Round, product_id: str) -> ProductResult:
    """One product's result (rank 0: the rank needs the whole round)."""
    info = store.db.execute(
        "SELECT p.name, p.product_set, coalesce(pr.name, ''), "
        "coalesce(p.commune_code, pr.commune_code), coalesce(pr.address, '') "
        "FROM products p LEFT JOIN producers pr ON pr.id = p.producer_id WHERE p.id = ?",
        [product_id],
    ).fetchone()
    name, product_set, producer, commune, street = info
    address = ", ".join(x for x in (street, refdata.load().commune_name(commune)) if x)
    rows = store.db.execute(
        "SELECT member, options, points_a, points_b, points_c, points FROM member_sheets "
        "WHERE round_id = ? AND product_id = ? AND deleted = 0",
        [r.id, product_id],
    ).fetchall()
    order = {m: i for i, m in enumerate(r.scorers)}
    sheets = tuple(
        sorted(
            (
                MemberSheet(
                    member=m,
                    parts={"A": a, "B": b, "C": c},
                    total=t,
                    choices=json.loads(o)["choices"],
                )
                for m, o, a, b, c, t in rows
                if m in order
            ),
            key=lambda s: order[s.member],
        )
    )
    return _result(r, product_id, name, producer, address, product_set, sheets, _highest(r))


def _result(
    r: Round,
    product_id: str,
    name: str,
    producer: str,
    address: str,
    product_set: int | None,
    sheets: tuple[MemberSheet, ...],
    highest: int | None,
) -> ProductResult:
    ref = refdata.load()
    n = len(sheets)
    if n == 0:
        parts = {"A": 0.0, "B": 0.0, "C": 0.0}
    else:
        parts = {p: round(sum(s.parts[p] for s in sheets) / n, 2) for p in ("A", "B", "C")}
    total = round(sum(s.total for s in sheets) / n, 2) if n else 0.0
    by_points = ref.stars_for_points(min(total, 100.0))
    allowed = rubric.NOT_RECOGNISED
    unmet: tuple[str, ...] = ()
    if n and product_set is not None:
        allowed, unmet = allowed_by_majority(
            rubric.sheet(int(product_set)), [s.choices for s in sheets]
        )
    stars = min(by_points, allowed)
    recognised, proposed = None, False
    if stars >= rubric.STAR_CLASSES[0] and highest is not None:
        if stars <= highest:
            recognised = stars
        else:
            # Above what this council's level recognises: proposed upward. The
            # province recognises such a product 4 stars, "tiềm năng 5 sao".
            proposed = True
            if r.level == authority.PROVINCE:
                recognised = highest
    return ProductResult(
        product_id=product_id,
        name=name,
        producer=producer,
        address=address,
        product_set=product_set,
        scorers=len(r.scorers),
        sheets=sheets,
        parts=parts,
        total=total,
        stars_by_points=by_points,
        stars_allowed=allowed,
        stars=stars,
        unmet=unmet if allowed < by_points else (),
        proposed=proposed,
        recognised_stars=recognised,
    )


def result_for(store: Store, round_id: str, product_id: str) -> ProductResult:
    """One product's result, without its rank (which needs the whole round)."""
    r = get(store, round_id)
    if product_id not in r.product_ids:
        raise ValidationError("round.product_not_submitted", "product_id", id=product_id)
    return _product_result(store, r, product_id)


def missing_sheets(store: Store, round_id: str) -> list[tuple[str, str]]:
    """(product name, member) of every sheet not yet recorded."""
    r = get(store, round_id)
    out = []
    for res in results(store, round_id):
        have = {s.member for s in res.sheets}
        out += [(res.name, m) for m in r.scorers if m not in have]
    return out


def conclude(store: Store, round_id: str) -> dict[str, str]:
    """One evaluation per product from the round's result (product id -> evaluation id),
    made once; every member's sheet must be in."""
    from ocop_desktop import evaluations

    with transaction(store.db):
        r = get(store, round_id)
        if not r.product_ids:
            raise UserError("round.no_products", name=r.name)
        missing = missing_sheets(store, round_id)
        if missing:
            shown = "; ".join(f"{p} – {m}" for p, m in missing[:4])
            raise UserError(
                "round.sheets_missing",
                count=len(missing),
                which=shown,
                more="…" * (len(missing) > 4),
            )
        out = {}
        for res in results(store, round_id):
            found = store.db.execute(
                "SELECT id FROM evaluations WHERE round_id = ? AND product_id = ? AND deleted = 0",
                [round_id, res.product_id],
            ).fetchone()
            if found:
                out[res.product_id] = found[0]
                continue
            values = evaluations.clean(
                store,
                {
                    "product_id": res.product_id,
                    "eval_date": r.round_date,
                    "level": r.level,
                    "round_id": round_id,
                    "council": r.name,
                },
            )
            out[res.product_id] = records.insert(store, evaluations.TABLE, values)
        return out


def as_dict(store: Store, round_id: str) -> dict[str, Any]:
    """The round and its results as plain data (``ocop rounds show --json``)."""
    r = get(store, round_id)
    return {
        "id": r.id,
        "name": r.name,
        "round_date": r.round_date,
        "level": r.level,
        "chair": r.chair,
        "members": r.members,
        "secretary": r.secretary,
        "place": r.place,
        "decided": decided(store, round_id),
        "results": [
            {
                "rank": x.rank,
                "product_id": x.product_id,
                "name": x.name,
                "producer": x.producer,
                "product_set": x.product_set,
                "sheets": f"{len(x.sheets)}/{x.scorers}",
                "members": {s.member: s.total for s in x.sheets},
                "parts": x.parts,
                "total": x.total,
                "stars_by_points": x.stars_by_points,
                "stars_allowed": x.stars_allowed,
                "stars": x.stars if x.stars >= 3 else None,
                "unmet": list(x.unmet),
                "recognised_stars": x.recognised_stars,
                "proposed_upward": x.proposed,
            }
            for x in results(store, round_id)
        ],
    }
