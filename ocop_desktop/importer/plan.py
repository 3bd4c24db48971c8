"""From table rows to a plan: what each row would add, match or lack, and why.

Planning reads the database but never writes, so the dry run, the CLI's --json
and the wizard's preview all show exactly what the import will do. Matching:
producers by tax code, else by normalised name and commune; products by
normalised name and producer; certificates by decision number and product — so
a second import of the same file adds nothing.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ocop_desktop import clock, producers, products, refdata
from ocop_desktop.db import get_meta
from ocop_desktop.errors import UserError, ValidationError
from ocop_desktop.i18n import tr
from ocop_desktop.importer import address as addr
from ocop_desktop.importer import certificates as cert
from ocop_desktop.importer import values as val
from ocop_desktop.importer.certificates import DATA_LANG
from ocop_desktop.importer.table import SHARED_TEXT, Conversion, DataRow, Table
from ocop_desktop.store import Store
from ocop_desktop.text import producer_key, search_key

NEW, EXISTS, INCOMPLETE, ERROR, SKIPPED = "new", "exists", "incomplete", "error", "skipped"
UPDATE = "update"  # fills in what an earlier import of the same records lacked
STATUSES = (NEW, UPDATE, EXISTS, INCOMPLETE, ERROR, SKIPPED)


@dataclass(slots=True)  # one per record a row refers to: 100,000s of them
class Entity:
    """A producer, product or certificate that a row refers to: existing or to add."""

    table: str
    values: dict[str, Any]  # the record's own fields, as stored or to add
    existing_id: str | None = None
    first_row: int = 0
    created_id: str | None = None
    # Fields an existing record lacks that this file fills in, and the row that did.
    updates: dict[str, Any] = field(default_factory=dict)
    update_row: int = 0
    # The record this one belongs to when it is added (a product's producer, a
    # certificate's product), which may itself be added by this file.
    parent: Entity | None = None
    # A producer this file gives an existing product that had none.
    fill_parent: Entity | None = None
    key: str = ""  # a certificate's decision number, normalised for matching

    def __post_init__(self) -> None:
        # A list repeats its places, dates, decision numbers and issuers: one string
        # each, not one per row (the plan of 100,000 rows is held until it is applied).
        for name, value in self.values.items():
            if isinstance(value, str) and len(value) <= SHARED_TEXT:
                self.values[name] = sys.intern(value)

    @property
    def id(self) -> str | None:
        return self.existing_id or self.created_id

    @property
    def fills(self) -> bool:
        """This file fills something in on the record."""
        return bool(self.updates) or self.fill_parent is not None


@dataclass(slots=True)
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
    # Sequences a row rarely has default to one shared empty tuple (100,000s of rows).
    conversions: list[Conversion] | tuple = ()
    # Product sets proposed from the name and group (never taken without the officer).
    proposal: list[int] | tuple = ()
    proposal_accepted: bool = False
    # What the row's certificate lacks, flagged on it ("cần bổ sung"): (key, params).
    missing_parts: list[tuple[str, dict[str, Any]]] | tuple = ()
    stars: int | None = None

    def messages(self, lang: str | None = None) -> list[str]:
        return [tr(k, lang, **p) for k, p in self.reasons]

    @property
    def certificate_missing(self) -> list[str]:
        """What the certificate lacks, in words (made when asked: a plan holds
        100,000s of rows)."""
        return [tr(k, DATA_LANG, **p) for k, p in self.missing_parts]

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
            "stars": self.stars,
            "certificate_missing": self.certificate_missing,
            "product_set_proposal": self.proposal,
            "product_set_proposal_accepted": self.proposal_accepted,
            "updates": {
                e.table: sorted(e.updates)
                for e in (self.producer_ref, self.product_ref, self.recognition_ref)
                if e is not None and e.fills and e.update_row == self.row
            },
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

    def ranked_not_recorded(self) -> list[RowPlan]:
        """Rows that carry a star rank but will not give a ranked product, with why:
        refused or skipped rows, and rows whose certificate cannot be recorded (a
        date after today …) though their product is."""
        return [
            r
            for r in self.rows
            if r.stars and (r.status in (ERROR, SKIPPED) or r.recognition_ref is None)
        ]

    def expired_certificates(self) -> list[tuple[RowPlan, str]]:
        """Certificates this import adds that have already run out (the summary
        counts those products as expired, not as ranked), with their expiry."""
        from ocop_desktop.recognitions import VALID_MONTHS, add_months

        today = clock.today().isoformat()
        out = []
        for r in self.rows:
            rec = r.recognition_ref
            if r.actions.get("recognition") != NEW or rec is None or r.status in (ERROR, SKIPPED):
                continue
            if rec.first_row != r.row:
                continue
            expiry = (
                rec.values.get("expiry_date")
                or add_months(
                    date.fromisoformat(rec.values["decision_date"]), VALID_MONTHS
                ).isoformat()
            )
            if expiry < today:
                out.append((r, expiry))
        return out

    def to_json(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "sheet": self.table.sheet,
            "header_rows": self.table.header_rows,
            "columns": [
                {"column": c.letter, "label": c.label, "field": c.field} for c in self.table.columns
            ],
            "unmapped_columns": [
                {"column": c.letter, "label": c.label}
                for c in self.table.columns
                if c.field is None and c.label
            ],
            "ranked_rows": sum(1 for r in self.rows if r.stars),
            "ranked_not_recorded": [
                {"row": r.row, "product": r.product, "reasons": r.messages(lang)}
                for r in self.ranked_not_recorded()
            ],
            "ranked_expired": [
                {"row": r.row, "product": r.product, "expiry_date": expiry}
                for r, expiry in self.expired_certificates()
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
        cur = db.execute(
            "SELECT id, name, name_key, commune_code, tax_code, kind, phone, representative, "
            "village, address, incomplete FROM producers WHERE deleted = 0"
        )
        names = [d[0] for d in cur.description]
        for row in cur:
            data = dict(zip(names, row, strict=True))
            e = Entity("producers", data, existing_id=data["id"])
            key = producer_key(data["name_key"])
            self._add_producer(e, key, data["commune_code"], data["tax_code"])
        self.products: dict[tuple[str, str | None, int | None], Entity] = {}
        cur = db.execute(
            "SELECT id, name_key, producer_id, commune_code, product_set, incomplete, "
            "legacy_district_code FROM products WHERE deleted = 0"
        )
        names = [d[0] for d in cur.description]
        for row in cur:
            data = dict(zip(names, row, strict=True))
            e = Entity("products", data, existing_id=data["id"])
            producer_id, commune = data["producer_id"], data["commune_code"]
            self.products[(data["name_key"], producer_id, None if producer_id else commune)] = e
        # Certificates by product (its id, or "new:…" for one this file adds).
        self.recognitions: dict[str, list[Entity]] = {}
        cur = db.execute(
            "SELECT id, product_id, decision_no, decision_date, date_basis, stars, points, "
            "issuer, incomplete FROM recognitions WHERE deleted = 0"
        )
        names = [d[0] for d in cur.description]
        for row in cur:
            data = dict(zip(names, row, strict=True))
            e = Entity("recognitions", data, existing_id=data["id"])
            e.key = val.decision_key(data["decision_no"] or "")
            self.recognitions.setdefault(data["product_id"], []).append(e)

    def find_recognition(self, product: Entity, number: str | None, stars: int) -> Entity | None:
        """The same certificate: the same decision number, or one recorded without a
        number (an earlier, thinner list) for the same stars."""
        recs = self.recognitions.get(_ref_key(product), [])
        key = val.decision_key(number) if number else ""
        if key:
            same = [e for e in recs if e.key == key]
            if same:
                return same[0]
        blank = [e for e in recs if e.values.get("stars") == stars and not e.key]
        if blank:
            return blank[0]
        if not key:
            same_stars = [e for e in recs if e.values.get("stars") == stars]
            if same_stars:
                return max(same_stars, key=lambda e: e.values.get("decision_date") or "")
        return None

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


def _ref_key(entity: Entity) -> str:
    return entity.id or f"new:{id(entity)}"


def plan_import(
    store: Store,
    table: Table,
    *,
    incomplete: str = "import",
    accept_sets: bool | dict[int, int | None] = False,
    progress: Callable[[int, int], None] | None = None,
    release_rows: bool = False,
) -> Plan:
    """``accept_sets``: the officer's answer to the product-set proposals: True for
    every row's first proposal, or {row: set code, or None for its first proposal}."""
    if incomplete not in ("import", "skip"):
        raise UserError("import.bad_incomplete_policy", value=incomplete)
    seq = int(get_meta(store.db, "seq") or 0)
    index = _Index(store)
    conversions_by_row: dict[int, list[Conversion]] = {}
    for c in table.conversions:
        conversions_by_row.setdefault(c.row, []).append(c)
    context: dict[str, Any] = {}
    default_district = _office_district(store) or _table_district(table, store)
    expects_recognition = any(
        table.has(f) for f in ("stars", "stars_3", "stars_4", "stars_5", "decision_no")
    )
    context["decision_dates"] = cert.decision_dates(table)
    context["decision_conflicts"] = cert.decision_conflicts(table)
    context["sheet_decision"] = cert.title_decision(table)
    context["accept_sets"] = accept_sets
    plans: list[RowPlan] = []
    total = len(table.rows)
    for n, row in enumerate(table.rows):
        if row.heading is not None:
            if not row.repeat:
                _update_context(context, row.heading, store)
            plans.append(
                RowPlan(
                    row.number,
                    SKIPPED,
                    product=row.heading,
                    reasons=[("import.header_again" if row.repeat else "import.heading_row", {})],
                    conversions=conversions_by_row.get(row.number, ()),
                )
            )
            continue
        if row.number in table.hidden_rows:
            # Hidden in Excel (a struck or filtered-out entry), like a hidden sheet:
            # left out, and said on the row so it can be shown and imported again.
            name = val.clean_name(row.values.get("product_name"))
            plans.append(
                RowPlan(row.number, SKIPPED, product=name, reasons=[("import.hidden_row", {})])
            )
            continue
        plan = _plan_row(store, index, row, context, default_district, expects_recognition)
        if release_rows:  # the plan now holds what the row said (a large sheet, once)
            row.values = {}
        plan.conversions = conversions_by_row.get(row.number, ())
        plans.append(plan)
        if progress and n % 200 == 0:
            progress(n, total)
    # Every certificate the write would add or fill in, through the write's own
    # checks: what they refuse is said on its row now, not found half-way through
    # the import (which would undo the whole file).
    check_certificates(store, plans)
    for plan in plans:
        if plan.status == INCOMPLETE and incomplete == "skip":
            plan.status = SKIPPED
            plan.reasons.insert(0, ("import.skipped_incomplete", {}))
    if progress:
        progress(total, total)
    return Plan(table, plans, incomplete, seq)


def check_certificates(store: Store, plans: list[RowPlan]) -> None:
    """Run ``recognitions.clean`` on each certificate the plan adds or fills in, as
    ``apply_plan`` will; a certificate it refuses is left out, and its row says why
    and becomes incomplete (its product and producer are still imported).

    A certificate of a product this file adds is checked against a stand-in for
    that product (its commune is what the rules read), in a temporary view of the
    products that lives only on this connection: planning writes nothing."""
    from ocop_desktop import recognitions

    checks: list[tuple[RowPlan, Entity]] = []
    for plan in plans:
        rec = plan.recognition_ref
        if rec is None or plan.status in (ERROR, SKIPPED):
            continue
        if rec.existing_id is None and rec.first_row == plan.row:
            checks.append((plan, rec))
        elif rec.existing_id and rec.updates and rec.update_row == plan.row:
            checks.append((plan, rec))
    if not checks:
        return
    # One number of one issuer in one year is one decision with one date; the
    # database's decisions are checked by clean, this file's own rows here.
    dated: dict[tuple[str, str, str], str] = {}
    with _stand_ins(store) as stand_in:
        for plan, rec in checks:
            try:
                if rec.existing_id is None:
                    data = {k: v for k, v in rec.values.items() if k != "_missing"}
                    data["product_id"] = _product_id(rec.parent, stand_in)
                    out = recognitions.clean(
                        store, data, allow_incomplete=bool(data.get("incomplete"))
                    )
                    _one_date_in_file(dated, out)
                else:
                    current = recognitions.get(store, rec.existing_id)
                    merged = recognitions.edited(current, dict(rec.updates))
                    recognitions.clean(
                        store,
                        merged,
                        record_id=rec.existing_id,
                        allow_incomplete=bool(merged.get("incomplete")),
                    )
            except UserError as exc:
                _refuse_certificate(plans, plan, rec, exc)


def _one_date_in_file(dated: dict[tuple[str, str, str], str], cert: dict[str, Any]) -> None:
    """Refuse a certificate whose decision another row of the file dates otherwise."""
    number, issuer, decided = cert["decision_no"], cert["issuer"], cert["decision_date"]
    if not number or not issuer or cert.get("date_basis") in ("year", "unknown"):
        return
    from ocop_desktop import recognitions

    first = dated.setdefault(recognitions.one_decision(number, issuer, decided), decided)
    if first != decided:
        raise recognitions.dated_otherwise(number, issuer, first)


def _product_id(product: Entity | None, stand_in: Callable[[int | None], str]) -> str:
    assert product is not None, "a certificate to add belongs to a product"
    if product.existing_id:
        return product.existing_id
    producer = product.parent
    commune = (
        producer.values.get("commune_code")
        if producer is not None
        else product.values.get("commune_code")
    )
    return stand_in(commune)


class _stand_ins:  # noqa: N801 - used as a context manager, like a function
    """Stand-in products by commune, seen only by this connection while planning."""

    _TABLE = "temp.ocop_plan_products"

    def __init__(self, store: Store) -> None:
        self.db = store.db
        self.ids: dict[int | None, str] = {}

    def __enter__(self) -> Callable[[int | None], str]:
        columns = [r[1] for r in self.db.execute("PRAGMA main.table_info(products)")]
        self.db.execute("DROP VIEW IF EXISTS temp.products")
        self.db.execute(f"DROP TABLE IF EXISTS {self._TABLE}")
        self.db.execute(f"CREATE TABLE {self._TABLE} (id TEXT, commune_code INTEGER)")
        shown = ", ".join(
            c if c in ("id", "commune_code") else ("0" if c == "deleted" else "NULL")
            for c in columns
        )
        self.db.execute(
            "CREATE VIEW temp.products AS SELECT * FROM main.products UNION ALL "
            f"SELECT {shown} FROM {self._TABLE}"
        )
        return self.get

    def get(self, commune: int | None) -> str:
        if commune not in self.ids:
            self.ids[commune] = f"plan:{len(self.ids)}"
            self.db.execute(
                f"INSERT INTO {self._TABLE} VALUES (?, ?)", [self.ids[commune], commune]
            )
        return self.ids[commune]

    def __exit__(self, *exc: object) -> None:
        self.db.execute("DROP VIEW IF EXISTS temp.products")
        self.db.execute(f"DROP TABLE IF EXISTS {self._TABLE}")


def _refuse_certificate(
    plans: list[RowPlan], plan: RowPlan, rec: Entity, detail: UserError
) -> None:
    """Leave out a certificate the write would refuse, and say why on its row."""
    reason: Issue = ("import.certificate_invalid", {"detail": detail})
    if rec.existing_id is None:
        for other in plans:
            if other.recognition_ref is rec:
                other.recognition_ref = None
                other.actions.pop("recognition", None)
        product = rec.parent
        if product is not None and product.existing_id is None and product.first_row == plan.row:
            text = tr(reason[0], DATA_LANG, **reason[1])
            before = product.values.get("incomplete")
            product.values["incomplete"] = sys.intern(f"{before}; {text}" if before else text)
    else:
        rec.updates.clear()
        plan.actions["recognition"] = EXISTS
    plan.reasons = [
        r for r in plan.reasons if r[0] not in ("import.certificate_flagged", "import.fills_in")
    ]
    plan.reasons.append(reason)
    fills = _fills_reason(plan, plan.row)
    if fills is not None:
        plan.reasons.insert(0, fills)
    plan.status = INCOMPLETE


def _office_district(store: Store) -> int | None:
    code = store.node.office_code
    if code and code.isdigit() and int(code) in refdata.load().legacy_districts:
        return int(code)
    return None


_DISTRICT_WORDS = re.compile(r"\b(?:huyen|thi xa|thanh pho|quan)\s+\S.*$")


def _table_district(table: Table, store: Store) -> int | None:
    """The former district a whole list is about, named by its sheet ("Nghi Xuân")
    or a line above it ("DANH SÁCH SẢN PHẨM OCOP HUYỆN THỌ XUÂN (CŨ)"): where a
    row names only its commune, the commune is looked for there first."""
    province = store.node.province_code
    for text, bare_ok in ((table.sheet, True), *((t, False) for t in table.titles)):
        key = search_key(addr.unwrap(text or ""))
        m = _DISTRICT_WORDS.search(key)
        for words in ([m.group(0).split()] if m else []) + ([key.split()] if bare_ok else []):
            for n in range(len(words), 1, -1):  # "huyen nghi loc nam 2025" -> "huyen nghi loc"
                found = addr.find_districts(" ".join(words[:n]), province)
                if len(found) == 1:
                    return found[0]
    return None


def _update_context(context: dict[str, Any], heading: str, store: Store) -> None:
    """'I. HUYỆN NGA SƠN' sets the district, 'Sản phẩm 4 sao' the stars, for rows below."""

    from ocop_desktop.importer.set_proposals import group_sets

    group = group_sets(heading)
    if group:
        context["group"] = group
    key = search_key(heading)
    key = re.sub(r"^([ivx]+|[a-d]|\d+)[.)]?\s+(?!sao\b)", "", key)  # not the 3 of "3 sao"
    m = re.search(r"([345])\s*sao", key)
    if m:
        context["stars"] = int(m.group(1))
    if key.startswith(("huyen ", "thi xa ", "thanh pho ")):
        found = addr.find_districts(key, store.node.province_code)
        if len(found) == 1:
            context["district"] = found[0]


def _text(values: dict[str, Any], name: str) -> str | None:
    return val.clean_text(values.get(name))


Issue = tuple[str, dict[str, Any]]  # a catalogue key and its parameters


class _Refused(Exception):
    """The row cannot be imported; ``reason`` says why, on the row."""

    def __init__(self, key: str, params: dict[str, Any] | None = None) -> None:
        super().__init__(key)
        self.reason: Issue = (key, params or {})


@dataclass(slots=True)
class _Where:
    """Where the row's producer is: the commune, or the possible ones in the area."""

    place: addr.Resolution
    candidates: list[int]
    issues: list[Issue]  # what is unclear about the place


@dataclass(slots=True)
class _ProducerStep:
    ref: Entity | None
    action: str | None
    issues: list[Issue]  # said on the row when this row adds the producer
    notices: list[Issue] = field(default_factory=list)  # said on the row in any case


@dataclass(slots=True)
class _SetStep:
    product_set: int | None
    known: bool  # a set is known: read, accepted or the existing product's own
    proposal: list[int] | tuple
    accepted: bool
    issues: list[Issue]


@dataclass(slots=True)
class _ProductStep:
    ref: Entity
    action: str


@dataclass(slots=True)
class _CertificateStep:
    ref: Entity
    action: str


def _plan_row(
    store: Store,
    index: _Index,
    row: DataRow,
    context: dict[str, Any],
    default_district: int | None,
    expects_recognition: bool,
) -> RowPlan:
    """One row in steps: where, producer, product set, certificate, product, the
    certificate's record, then the row's status and reasons. Each step's result is
    kept on the plan as it comes, so a refused row still shows what was found."""
    values = row.values
    product_name = val.clean_name(values.get("product_name"))
    producer_name, with_address = addr.split_name_address(_text(values, "producer_name"))
    if with_address and not _text(values, "address"):
        values = {**values, "address": with_address}
    plan = RowPlan(row.number, NEW, product=product_name, producer=producer_name)
    try:
        if not product_name:
            raise _Refused("import.no_product_name")
        where = _where(store, values, context.get("district", default_district))
        product_issues: list[Issue] = []
        if producer_name:
            producer = _producer_step(store, index, row, values, producer_name, where)
        else:  # what is unclear about the place is then the product's
            product_issues += [("import.no_producer", {}), *where.issues]
            producer = _ProducerStep(None, None, [])
        plan.producer_ref = producer.ref
        if producer.action:
            plan.actions["producer"] = producer.action

        product_commune = None if producer.ref else where.place.commune_code
        key = _Index.product_key(search_key(product_name), producer.ref, product_commune)
        existing = index.products.get(key)
        chosen = _set_step(values, context, row.number, product_name, existing)
        plan.proposal, plan.proposal_accepted = chosen.proposal, chosen.accepted
        product_issues += chosen.issues

        recognition, rec_issues, missing = cert.read_certificate(
            values, context, expects_recognition, row.number, chosen.known
        )
        plan.stars = recognition["stars"] if recognition else cert.stars_only(values, context)
        if missing:
            plan.missing_parts = missing
        product_issues += rec_issues

        district = None if where.place.resolved else where.place.district_code
        if existing is None:
            data = {
                "name": product_name,
                "product_set": chosen.product_set,
                "notes": _text(values, "notes"),
                "commune_code": product_commune,
                "legacy_district_code": district,
            }
            product = _new_product(
                store, index, row.number, key, data, producer.ref, product_issues
            )
        else:
            filled, parent = _product_fills(existing, chosen.product_set, producer.ref, district)
            product = _ProductStep(existing, _record_fills(existing, filled, row.number, parent))
        plan.product_ref = product.ref
        plan.actions["product"] = product.action

        if recognition is not None:
            certificate = _certificate_step(index, row.number, recognition, product.ref)
            plan.recognition_ref = certificate.ref
            plan.actions["recognition"] = certificate.action
    except _Refused as refused:
        plan.status = ERROR
        plan.reasons.append(refused.reason)
        return plan
    _conclude(plan, row.number, producer.issues, product_issues, rec_issues, missing)
    plan.reasons += producer.notices
    return plan


def _where(store: Store, values: dict[str, Any], district: int | None) -> _Where:
    """The row's commune in the office's area, or the candidates left; refused when
    it lies outside the area."""
    place = addr.resolve(
        store.node.province_code,
        commune=_text(values, "commune"),
        district=_text(values, "district"),
        address=_text(values, "address"),
        default_district=district,
    )
    area = store.node.area
    if place.resolved and place.commune_code not in area:
        raise _outside(place.commune_code, store)
    candidates = [c for c in place.candidates if c in area]
    issues: list[Issue] = []
    if not place.resolved:
        if place.candidates and not candidates:
            label = place.params.get("district") or place.params.get("name")
            raise _outside(place.candidates[0], store, label)
        params = dict(place.params)
        if place.candidates:
            from ocop_desktop.communes import describe

            params["candidates"] = "; ".join(describe(c) for c in candidates)
        where = _text(values, "address") or _text(values, "commune") or _text(values, "district")
        params.setdefault("name", where or "")
        issues.append((place.problem or "import.no_commune", params))
    return _Where(place, candidates, issues)


def _producer_step(
    store: Store, index: _Index, row: DataRow, values: dict[str, Any], name: str, where: _Where
) -> _ProducerStep:
    """The row's producer (``values`` may hold an address split off its name)."""
    issues = list(where.issues)
    notices: list[Issue] = []
    ref, problem = _producer(
        store, index, row, values, name, where.place, where.candidates, issues, notices
    )
    if problem:
        raise _Refused(*problem)
    assert ref is not None
    if ref.existing_id:
        action = UPDATE if ref.update_row == row.number else EXISTS
    else:
        action = NEW if ref.first_row == row.number else EXISTS
    return _ProducerStep(ref, action, issues, notices)


def _set_step(
    values: dict[str, Any],
    context: dict[str, Any],
    row: int,
    product_name: str,
    existing: Entity | None,
) -> _SetStep:
    """The product set: read from the row, else the existing product's, else one the
    officer accepted among those proposed from the name and the group."""
    issues: list[Issue] = []
    product_set = None
    group = list(context.get("group") or [])
    try:
        product_set = val.parse_product_set(values.get("product_set"))
    except val.Unclear as exc:
        if exc.key == "import.product_set_choose":
            group = exc.params.get("codes") or group
        else:
            issues.append((exc.key, exc.params))
    if values.get("product_group") not in (None, ""):
        try:  # a group column that names a set ("Rượu trắng") gives it
            product_set = product_set or val.parse_product_set(values.get("product_group"))
        except val.Unclear as exc:
            group = exc.params.get("codes") or group
    known_set = product_set or (existing.values.get("product_set") if existing else None)
    proposal: list[int] | tuple = ()
    accepted = False
    if known_set is None:
        from ocop_desktop.importer import set_proposals

        proposal = set_proposals.propose(product_name, group)
        chosen = _accepted_set(context.get("accept_sets"), row, proposal)
        if chosen:
            product_set, accepted = chosen, True
        elif proposal:
            issues.append(
                ("import.product_set_proposed", {"sets": set_proposals.describe(proposal)})
            )
        elif group:
            issues.append(
                ("import.product_set_choose_group", {"sets": set_proposals.describe(group)})
            )
        elif not any(k == "import.bad_product_set" for k, _ in issues):
            issues.append(("import.product_set_missing", {}))
    known = (product_set or known_set) is not None
    return _SetStep(product_set, known, proposal, accepted, issues)


def _new_product(
    store: Store,
    index: _Index,
    row: int,
    key: tuple[str, str | None, int | None],
    data: dict[str, Any],
    producer: Entity | None,
    issues: list[Issue],
) -> _ProductStep:
    """A product this row adds, checked as the product form would; a field it gets
    wrong goes into ``issues`` (and the product's "incomplete" note), a wrong name
    refuses the row."""
    try:
        products.clean(store, dict(data), allow_incomplete=True)
    except ValidationError as exc:
        if exc.field in ("name",):
            raise _Refused("import.invalid_value", {"detail": exc}) from None
        issues.append(("import.invalid_value", {"detail": exc}))
        data.pop(exc.field or "", None)
    except UserError as exc:
        raise _Refused("import.invalid_value", {"detail": exc}) from None
    data["incomplete"] = _join(issues)
    entity = Entity("products", _compact(data), first_row=row, parent=producer)
    index.products[key] = entity
    return _ProductStep(entity, NEW)


def _certificate_step(
    index: _Index, row: int, recognition: dict[str, Any], product: Entity
) -> _CertificateStep:
    """The row's certificate: the same one already known (what it fills in), or new."""
    number = recognition["decision_no"] or None
    existing = index.find_recognition(product, number, recognition["stars"])
    if existing is None:
        entity = Entity("recognitions", _compact(recognition), first_row=row, parent=product)
        entity.key = val.decision_key(number or "")
        index.recognitions.setdefault(_ref_key(product), []).append(entity)
        return _CertificateStep(entity, NEW)
    filled = (
        cert.certificate_fills(existing.values | existing.updates, recognition)
        if existing.existing_id
        else {}
    )
    return _CertificateStep(existing, _record_fills(existing, filled, row))


def _conclude(
    plan: RowPlan,
    row: int,
    producer_issues: list[Issue],
    product_issues: list[Issue],
    rec_issues: list[Issue],
    missing: list[tuple[str, dict[str, Any]]],
) -> None:
    """The row's status and reasons from what its steps found."""
    product_ref = plan.product_ref
    assert product_ref is not None
    if not any(a in (NEW, UPDATE) for a in plan.actions.values()):
        plan.status = EXISTS
        if product_ref.existing_id is None:
            plan.reasons = [("import.same_as_row", {"row": product_ref.first_row})]
        else:
            plan.reasons = [("import.matches_existing", {})]
        return
    new_producer = plan.actions.get("producer") == NEW
    if product_ref.first_row == row:
        plan.reasons = (producer_issues if new_producer else []) + product_issues
    else:
        plan.reasons = list(rec_issues)
    if plan.actions.get("recognition") == NEW and missing:
        plan.reasons.append(("import.certificate_flagged", {"parts": cert.describe_parts(missing)}))
    # What the import worked out (a date from the decision's other rows) is said,
    # but does not make the row incomplete.
    notices = [r for r in plan.reasons if r[0] in _NOTICES]
    plan.reasons = [r for r in plan.reasons if r[0] not in _NOTICES] + notices
    if len(notices) < len(plan.reasons):
        plan.status = INCOMPLETE
    elif not any(a == NEW for a in plan.actions.values()):
        plan.status = UPDATE
    fills = _fills_reason(plan, row)
    if fills is not None:
        plan.reasons.insert(0, fills)


def _fills_reason(plan: RowPlan, row: int) -> Issue | None:
    """ "bổ sung cho bản ghi đã có: …" with the fields the row fills in, if any."""
    if not any(a == UPDATE for a in plan.actions.values()):
        return None
    fills = sorted(
        {
            tr(f"import.field.{_FILL_LABELS.get(k, k)}", DATA_LANG)
            for e in (plan.producer_ref, plan.product_ref, plan.recognition_ref)
            if e is not None and e.update_row == row
            for k in [*e.updates, *(["producer_id"] if e.fill_parent else [])]
            if k not in ("incomplete", "date_basis", "legacy_commune_code", "expiry_date")
        }
    )
    return ("import.fills_in", {"fields": ", ".join(fills) or "—"})


_NOTICES = ("import.date_inferred",)
_FILL_LABELS = {
    "kind": "producer_kind",
    "commune_code": "commune",
}


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """A record to add, without its empty fields (they are the default) nor the
    planning notes: a plan holds one per row, 100,000s of them."""
    return {k: v for k, v in data.items() if v is not None and k != "_missing"}


def _accepted_set(
    accept: bool | dict[int, int | None] | None, row: int, proposal: list[int]
) -> int | None:
    """The set the officer accepted for a row: the first proposal, or one chosen."""
    if not accept:
        return None
    if isinstance(accept, dict):
        if row not in accept:
            return None
        return accept[row] or (proposal[0] if proposal else None)
    return proposal[0] if proposal else None


def _record_fills(
    entity: Entity, filled: dict[str, Any], row: int, parent: Entity | None = None
) -> str:
    """Note what this row fills in on an existing record (its fields, and ``parent``,
    the producer a product lacked): UPDATE the first time."""
    new = {k: v for k, v in filled.items() if k not in entity.updates}
    new_parent = parent if entity.fill_parent is None else None
    if not new and new_parent is None:
        return EXISTS
    entity.updates.update(new)
    if new_parent is not None:
        entity.fill_parent = new_parent
    if not entity.update_row:
        entity.update_row = row
    return UPDATE if entity.update_row == row else EXISTS


def _product_fills(
    product: Entity, product_set: int | None, producer: Entity | None, district: int | None
) -> tuple[dict[str, Any], Entity | None]:
    """What a fuller row adds to a product an earlier list brought in: its fields,
    and the producer it lacked (or None)."""
    if product.existing_id is None:
        return {}, None
    have = product.values | product.updates
    out: dict[str, Any] = {}
    if have.get("product_set") is None and product_set is not None:
        out["product_set"] = product_set
    parent = None
    if have.get("producer_id") is None and product.fill_parent is None and producer is not None:
        parent = producer
    if have.get("legacy_district_code") is None and district is not None:
        out["legacy_district_code"] = district
    if have.get("incomplete") and (out or parent is not None):
        has_set = (out.get("product_set") or have.get("product_set")) is not None
        has_producer = have.get("producer_id") is not None or producer is not None
        if has_set and has_producer:
            out["incomplete"] = None
    return out, parent


_FILLABLE_PRODUCER_FIELDS = ("kind", "phone", "tax_code", "representative", "village", "address")


def _producer_fills(
    producer: Entity, data: dict[str, Any], issues: list[tuple[str, dict]]
) -> dict[str, Any]:
    """What a fuller row adds to a producer an earlier list brought in."""
    have = producer.values | producer.updates
    out = {f: data[f] for f in _FILLABLE_PRODUCER_FIELDS if have.get(f) is None and data.get(f)}
    if have.get("commune_code") is None and data.get("commune_code") is not None:
        out["commune_code"] = data["commune_code"]
        out["legacy_commune_code"] = data.get("legacy_commune_code")
    if have.get("incomplete") and out:
        merged = have | out
        if merged.get("kind") and merged.get("commune_code") is not None:
            out["incomplete"] = None
    return out


def _outside(code: int, store: Store, district: str | None = None) -> _Refused:
    from ocop_desktop.communes import describe

    return _Refused(
        "import.outside_area", {"commune": district or describe(code), "office": store.node.name}
    )


def _join(issues: list[tuple[str, dict]]) -> str | None:
    if not issues:
        return None
    # Interned: many rows carry the same reasons, and a plan holds them all.
    return sys.intern("; ".join(tr(k, DATA_LANG, **p) for k, p in issues))


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
    notices: list[Issue],
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
                return None, ("import.invalid_value", {"detail": exc})
            issues.append(("import.invalid_value", {"detail": exc}))
            data[exc.field] = None
    name_key = producer_key(name)
    found = index.find_producer(name_key, data["commune_code"], data["tax_code"], candidates)
    if found is not None:
        other = found.values.get("name")
        if search_key(other) != search_key(name) and producer_key(other) == name_key:
            # "HTX Cói Nga Tiến" and "Hợp tác xã Cói Nga Tiến": one producer, said on the row
            notices.append(("import.producer_same_as", {"name": other}))
        if found.existing_id:
            _record_fills(found, _producer_fills(found, data, issues), row.number)
        return found, None
    data["incomplete"] = _join(issues)
    entity = Entity("producers", _compact(data), first_row=row.number)
    index._add_producer(entity, name_key, data["commune_code"], data["tax_code"])
    return entity, None
