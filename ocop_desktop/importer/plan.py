"""From table rows to a plan: what each row would add, match or lack, and why.

Planning reads the database but never writes, so the dry run, the CLI's --json
and the wizard's preview all show exactly what the import will do. Matching:
producers by tax code, else by normalised name and commune; products by
normalised name and producer; certificates by decision number and product — so
a second import of the same file adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from ocop_desktop import clock, producers, products, refdata
from ocop_desktop import validation as v
from ocop_desktop.db import get_meta
from ocop_desktop.errors import UserError, ValidationError
from ocop_desktop.i18n import tr
from ocop_desktop.importer import address as addr
from ocop_desktop.importer import values as val
from ocop_desktop.importer.table import Conversion, DataRow, Table
from ocop_desktop.store import Store
from ocop_desktop.text import search_key

NEW, EXISTS, INCOMPLETE, ERROR, SKIPPED = "new", "exists", "incomplete", "error", "skipped"
STATUSES = (NEW, EXISTS, INCOMPLETE, ERROR, SKIPPED)
DATA_LANG = "vi"  # reasons stored in the records' ``incomplete`` column


@dataclass
class Entity:
    """A producer, product or certificate that a row refers to: existing or to add."""

    table: str
    values: dict[str, Any]
    existing_id: str | None = None
    first_row: int = 0
    created_id: str | None = None

    @property
    def id(self) -> str | None:
        return self.existing_id or self.created_id


@dataclass
class RowPlan:
    row: int
    status: str
    product: str | None = None
    producer: str | None = None
    reasons: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    producer_ref: Entity | None = None
    product_ref: Entity | None = None
    recognition_ref: Entity | None = None
    actions: dict[str, str | None] = field(default_factory=dict)
    conversions: list[Conversion] = field(default_factory=list)

    def messages(self, lang: str | None = None) -> list[str]:
        return [tr(k, lang, **p) for k, p in self.reasons]

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "row": self.row,
            "status": self.status,
            "product": self.product,
            "producer": self.producer,
            "reasons": self.messages(lang),
            "producer_action": self.actions.get("producer"),
            "product_action": self.actions.get("product"),
            "recognition_action": self.actions.get("recognition"),
            "conversions": [
                {"column": c.column, "from": c.original, "to": c.converted, "encoding": c.encoding}
                for c in self.conversions
            ],
        }


@dataclass
class Plan:
    table: Table
    rows: list[RowPlan]
    incomplete_policy: str = "import"
    # The database's change counter when the plan was made: "new" means new as of then.
    seq: int | None = None

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for r in self.rows:
            out[r.status] += 1
        return out

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "sheet": self.table.sheet,
            "header_rows": self.table.header_rows,
            "columns": [
                {"column": c.letter, "label": c.label, "field": c.field} for c in self.table.columns
            ],
            "encoding": self.table.encoding,
            "counts": self.counts(),
            "rows": [r.to_json(lang) for r in self.rows],
        }


class _Index:
    """Existing live records, loaded once, plus the ones this file adds."""

    def __init__(self, store: Store) -> None:
        db = store.db
        self.by_tax: dict[str, Entity] = {}
        self.by_name: dict[tuple[str, int | None], Entity] = {}
        self.names: dict[str, list[Entity]] = {}
        for pid, name_key, commune, tax in db.execute(
            "SELECT id, name_key, commune_code, tax_code FROM producers WHERE deleted = 0"
        ):
            e = Entity("producers", {"commune_code": commune}, existing_id=pid)
            self._add_producer(e, name_key, commune, tax)
        self.products: dict[tuple[str, str | None, int | None], Entity] = {}
        for pid, name_key, producer_id, commune in db.execute(
            "SELECT id, name_key, producer_id, commune_code FROM products WHERE deleted = 0"
        ):
            e = Entity("products", {}, existing_id=pid)
            self.products[(name_key, producer_id, None if producer_id else commune)] = e
        self.recognitions: dict[tuple[str, str], Entity] = {}
        for rid, product_id, number in db.execute(
            "SELECT id, product_id, decision_no FROM recognitions WHERE deleted = 0"
        ):
            self.recognitions[(product_id, val.decision_key(number))] = Entity(
                "recognitions", {}, existing_id=rid
            )

    def _add_producer(self, e: Entity, name_key: str, commune: int | None, tax: str | None) -> None:
        if tax:
            self.by_tax.setdefault(tax, e)
        self.by_name.setdefault((name_key, commune), e)
        self.names.setdefault(name_key, []).append(e)

    def find_producer(
        self, name_key: str, commune: int | None, tax: str | None, candidates: list[int]
    ) -> Entity | None:
        if tax and tax in self.by_tax:
            return self.by_tax[tax]
        found = self.by_name.get((name_key, commune))
        if found or commune is not None:
            return found
        # Commune not known from the file: the same name in one of the possible
        # communes (or still without one) is the same producer.
        near = [
            e
            for e in self.names.get(name_key, [])
            if not candidates
            or e.values.get("commune_code") is None
            or e.values.get("commune_code") in candidates
        ]
        return near[0] if len(near) == 1 else None

    @staticmethod
    def product_key(name_key: str, producer: Entity | None, commune: int | None):
        if producer is None:
            return (name_key, None, commune)
        return (name_key, producer.id or f"new:{id(producer)}", None)


def plan_import(
    store: Store,
    table: Table,
    *,
    incomplete: str = "import",
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    if incomplete not in ("import", "skip"):
        raise UserError("import.bad_incomplete_policy", value=incomplete)
    seq = int(get_meta(store.db, "seq") or 0)
    index = _Index(store)
    conversions_by_row: dict[int, list[Conversion]] = {}
    for c in table.conversions:
        conversions_by_row.setdefault(c.row, []).append(c)
    context: dict[str, Any] = {}
    default_district = _office_district(store)
    expects_recognition = any(
        table.has(f) for f in ("stars", "stars_3", "stars_4", "stars_5", "decision_no")
    )
    plans: list[RowPlan] = []
    total = len(table.rows)
    for n, row in enumerate(table.rows):
        if row.heading is not None:
            _update_context(context, row.heading, store)
            plans.append(
                RowPlan(
                    row.number,
                    SKIPPED,
                    product=row.heading,
                    reasons=[("import.heading_row", {})],
                    conversions=conversions_by_row.get(row.number, []),
                )
            )
            continue
        plan = _plan_row(store, index, row, context, default_district, expects_recognition)
        plan.conversions = conversions_by_row.get(row.number, [])
        if plan.status == INCOMPLETE and incomplete == "skip":
            plan.status = SKIPPED
            plan.reasons.insert(0, ("import.skipped_incomplete", {}))
        plans.append(plan)
        if progress and n % 200 == 0:
            progress(n, total)
    if progress:
        progress(total, total)
    return Plan(table, plans, incomplete, seq)


def _office_district(store: Store) -> int | None:
    code = store.node.office_code
    if code and code.isdigit() and int(code) in refdata.load().legacy_districts:
        return int(code)
    return None


def _update_context(context: dict[str, Any], heading: str, store: Store) -> None:
    """'I. HUYỆN NGA SƠN' sets the district, 'Sản phẩm 4 sao' the stars, for rows below."""
    import re

    key = search_key(heading)
    key = re.sub(r"^([ivx]+|[a-d]|\d+)[.)]?\s+", "", key)
    m = re.search(r"([345])\s*sao", key)
    if m:
        context["stars"] = int(m.group(1))
    if key.startswith(("huyen ", "thi xa ", "thanh pho ")):
        found = addr.find_districts(key, store.node.province_code)
        if len(found) == 1:
            context["district"] = found[0]


def _text(values: dict[str, Any], name: str) -> str | None:
    return val.clean_text(values.get(name))


def _plan_row(
    store: Store,
    index: _Index,
    row: DataRow,
    context: dict[str, Any],
    default_district: int | None,
    expects_recognition: bool,
) -> RowPlan:
    values = row.values
    product_name = _text(values, "product_name")
    producer_name = _text(values, "producer_name")
    plan = RowPlan(row.number, NEW, product=product_name, producer=producer_name)
    if not product_name:
        plan.status = ERROR
        plan.reasons.append(("import.no_product_name", {}))
        return plan
    product_issues: list[tuple[str, dict]] = []
    producer_issues: list[tuple[str, dict]] = []

    # ---- where ----
    place = addr.resolve(
        store.node.province_code,
        commune=_text(values, "commune"),
        district=_text(values, "district"),
        address=_text(values, "address"),
        default_district=context.get("district", default_district),
    )
    area = store.node.area
    if place.resolved and place.commune_code not in area:
        return _outside(plan, place.commune_code, store)
    candidates = [c for c in place.candidates if c in area]
    if not place.resolved:
        if place.candidates and not candidates:
            label = place.params.get("district") or place.params.get("name")
            return _outside(plan, place.candidates[0], store, label)
        params = dict(place.params)
        if place.candidates:
            from ocop_desktop.communes import describe

            params["candidates"] = "; ".join(describe(c) for c in candidates)
        where = _text(values, "address") or _text(values, "commune") or _text(values, "district")
        params.setdefault("name", where or "")
        producer_issues.append((place.problem or "import.no_commune", params))

    # ---- producer ----
    producer_ref = None
    if producer_name:
        producer_ref, problem = _producer(
            store, index, row, values, producer_name, place, candidates, producer_issues
        )
        if problem:
            plan.status = ERROR
            plan.reasons.append(problem)
            return plan
    else:
        product_issues.append(("import.no_producer", {}))
        product_issues += producer_issues
        producer_issues = []
    plan.producer_ref = producer_ref
    if producer_ref is not None:
        plan.actions["producer"] = (
            EXISTS if producer_ref.existing_id or producer_ref.first_row != row.number else NEW
        )

    # ---- product ----
    product_set = None
    try:
        product_set = val.parse_product_set(values.get("product_set"))
    except val.Unclear as exc:
        product_issues.append((exc.key, exc.params))
    if product_set is None and not any(
        k in ("import.product_set_choose", "import.bad_product_set") for k, _ in product_issues
    ):
        product_issues.append(("import.product_set_missing", {}))
    recognition, rec_issues = _recognition(values, context, expects_recognition)
    product_issues += rec_issues
    name_key = search_key(product_name)
    product_commune = None if producer_ref else place.commune_code
    key = _Index.product_key(name_key, producer_ref, product_commune)
    product_ref = index.products.get(key)
    if product_ref is None:
        data = {
            "name": product_name,
            "product_set": product_set,
            "notes": _text(values, "notes"),
            "commune_code": product_commune,
        }
        try:
            products.clean(store, dict(data), allow_incomplete=True)
        except ValidationError as exc:
            if exc.field in ("name",):
                plan.status = ERROR
                plan.reasons.append(("import.invalid_value", {"detail": exc.message(DATA_LANG)}))
                return plan
            product_issues.append(("import.invalid_value", {"detail": exc.message(DATA_LANG)}))
            data.pop(exc.field or "", None)
        except UserError as exc:
            plan.status = ERROR
            plan.reasons.append(("import.invalid_value", {"detail": exc.message(DATA_LANG)}))
            return plan
        issues_text = _join(product_issues)
        data["incomplete"] = issues_text
        product_ref = Entity("products", data, first_row=row.number)
        product_ref.values["_producer"] = producer_ref
        index.products[key] = product_ref
        plan.actions["product"] = NEW
    else:
        plan.actions["product"] = EXISTS
    plan.product_ref = product_ref

    # ---- certificate ----
    if recognition is not None:
        number = recognition["decision_no"]
        rkey = (product_ref.id or f"new:{id(product_ref)}", val.decision_key(number))
        existing = index.recognitions.get(rkey)
        if existing is None:
            entity = Entity("recognitions", recognition, first_row=row.number)
            entity.values["_product"] = product_ref
            index.recognitions[rkey] = entity
            plan.recognition_ref = entity
            plan.actions["recognition"] = NEW
        else:
            plan.actions["recognition"] = EXISTS

    if not any(a == NEW for a in plan.actions.values()):
        plan.status = EXISTS
        if product_ref.existing_id is None:
            plan.reasons = [("import.same_as_row", {"row": product_ref.first_row})]
        else:
            plan.reasons = [("import.matches_existing", {})]
        return plan
    new_producer = plan.actions.get("producer") == NEW
    if product_ref.first_row == row.number:
        plan.reasons = (producer_issues if new_producer else []) + product_issues
    else:
        plan.reasons = rec_issues
    if plan.reasons:
        plan.status = INCOMPLETE
    return plan


def _outside(plan: RowPlan, code: int, store: Store, district: str | None = None) -> RowPlan:
    from ocop_desktop.communes import describe

    plan.status = ERROR
    plan.reasons.append(
        ("import.outside_area", {"commune": district or describe(code), "office": store.node.name})
    )
    return plan


def _join(issues: list[tuple[str, dict]]) -> str | None:
    if not issues:
        return None
    return "; ".join(tr(k, DATA_LANG, **p) for k, p in issues)


_OPTIONAL_PRODUCER_FIELDS = ("phone", "tax_code", "representative", "village", "kind")


def _producer(
    store: Store,
    index: _Index,
    row: DataRow,
    values: dict[str, Any],
    name: str,
    place: addr.Resolution,
    candidates: list[int],
    issues: list[tuple[str, dict]],
) -> tuple[Entity | None, tuple[str, dict] | None]:
    kind = None
    try:
        kind = val.parse_kind(values.get("producer_kind"))
    except val.Unclear as exc:
        issues.append((exc.key, exc.params))
    kind = kind or val.kind_from_name(name)
    if kind is None and not any(k == "import.bad_kind" for k, _ in issues):
        issues.append(("import.kind_unknown", {"name": name}))
    tax = val.digits_text(values.get("tax_code"))
    if isinstance(values.get("tax_code"), (int, float)) and tax and len(tax) == 9:
        tax = "0" + tax  # typed as a number, the leading zero was lost
    phone = val.digits_text(values.get("phone"))
    if phone and phone.isdigit() and len(phone) == 9:
        phone = "0" + phone  # typed as a number, the leading zero was lost
    data = {
        "name": name,
        "kind": kind,
        "commune_code": place.commune_code,
        "legacy_commune_code": place.legacy_commune_code,
        "village": _text(values, "village") or place.village,
        "address": _text(values, "address"),
        "representative": _text(values, "representative"),
        "phone": phone,
        "tax_code": tax,
    }
    for _ in range(len(_OPTIONAL_PRODUCER_FIELDS) + 1):
        try:
            producers.clean(store, data, allow_incomplete=True)
            break
        except ValidationError as exc:
            if exc.field not in _OPTIONAL_PRODUCER_FIELDS:
                return None, ("import.invalid_value", {"detail": exc.message(DATA_LANG)})
            issues.append(("import.invalid_value", {"detail": exc.message(DATA_LANG)}))
            data[exc.field] = None
    name_key = search_key(name)
    found = index.find_producer(name_key, data["commune_code"], data["tax_code"], candidates)
    if found is not None:
        return found, None
    data["incomplete"] = _join(issues)
    entity = Entity("producers", data, first_row=row.number)
    index._add_producer(entity, name_key, data["commune_code"], data["tax_code"])
    return entity, None


def _recognition(
    values: dict[str, Any], context: dict[str, Any], expected: bool
) -> tuple[dict[str, Any] | None, list[tuple[str, dict]]]:
    """The certificate a row records, or why it cannot be recorded yet."""
    issues: list[tuple[str, dict]] = []
    stars = None
    try:
        stars = val.parse_stars(values.get("stars"))
        if stars is None:
            for n in (3, 4, 5):
                mark = values.get(f"stars_{n}")
                if mark not in (None, "") and search_key(str(mark)) not in ("0", "-", "khong"):
                    stars = val.Stars(n)
        if stars is None and context.get("stars"):
            stars = val.Stars(context["stars"])
    except val.Unclear as exc:
        issues.append((exc.key, exc.params))
    number = decided = None
    try:
        number, decided = val.parse_decision(values.get("decision_no"))
    except val.Unclear as exc:
        issues.append((exc.key, exc.params))
    try:
        when = val.parse_date(values.get("decision_date"))
        decided = when or decided
    except val.Unclear as exc:
        issues.append((exc.key, exc.params))
    expiry = None
    try:
        expiry = val.parse_date(values.get("expiry_date"))
    except val.Unclear as exc:
        issues.append(("import.expiry_unclear", {"detail": tr(exc.key, DATA_LANG, **exc.params)}))
    points = None
    try:
        points = val.parse_number(values.get("points"))
    except val.Unclear as exc:
        issues.append((exc.key, exc.params))
    if stars is None and number is None and not issues:
        if expected:
            issues.append(("import.no_stars", {}))
        return None, issues
    if stars is None and not any(
        k.startswith("import.bad_stars") or k == "import.stars_not_recognised" for k, _ in issues
    ):
        issues.append(("import.no_stars", {}))
    if (
        number is None
        and stars is not None
        and not any(k == "import.bad_decision" for k, _ in issues)
    ):
        issues.append(("import.no_decision", {"stars": stars.stars}))
    if (
        decided is None
        and number is not None
        and not any(
            k in ("import.year_only", "import.month_only", "import.bad_date") for k, _ in issues
        )
    ):
        issues.append(("import.no_decision_date", {"decision": number}))
    if issues or stars is None or number is None or decided is None:
        if stars is not None or number is not None:
            issues.append(("import.certificate_pending", _read_so_far(values, stars, number)))
        return None, issues
    data = {
        "decision_no": number,
        "decision_date": decided.isoformat(),
        "stars": stars.stars,
        "potential_5": int(stars.potential_5),
        "points": points,
        "expiry_date": expiry.isoformat() if expiry else None,
        "issuer": val.clean_text(values.get("issuer")),
    }
    problem = _check_recognition(data)
    if problem:
        return None, [problem]
    return data, []


def _read_so_far(values: dict[str, Any], stars: val.Stars | None, number: str | None) -> dict:
    """What the sheet said about the certificate, kept in the reason so nothing is lost."""
    parts = []
    if stars is not None:
        parts.append(f"{stars.stars} sao" + (" (tiềm năng 5 sao)" if stars.potential_5 else ""))
    if number:
        parts.append(number)
    raw_date = val.clean_text(values.get("decision_date"))
    if raw_date:
        parts.append(raw_date)
    return {"detail": ", ".join(parts)}


def _check_recognition(data: dict[str, Any]) -> tuple[str, dict] | None:
    """The certificate rules of recognitions.clean that need no product row."""
    ref = refdata.load()
    try:
        v.decision_no(data["decision_no"])
        v.iso_date(
            data["decision_date"], "decision_date", not_after=clock.today() + timedelta(days=1)
        )
        pts = v.points(data["points"])
        if pts is not None and data["stars"] > ref.stars_for_points(pts):
            raise ValidationError(
                "validation.stars_above_points",
                "stars",
                stars=data["stars"],
                points=pts,
                band=ref.stars_for_points(pts),
            )
        if data["potential_5"] and (data["stars"] < 4 or (pts is not None and pts < 90)):
            raise ValidationError("validation.potential_5_needs_90", "potential_5")
        if data["expiry_date"] and data["expiry_date"] <= data["decision_date"]:
            raise ValidationError("validation.expiry_before_decision", "expiry_date")
    except (ValidationError, ValueError) as exc:
        detail = exc.message(DATA_LANG) if isinstance(exc, ValidationError) else str(exc)
        return ("import.certificate_invalid", {"detail": detail})
    return None
