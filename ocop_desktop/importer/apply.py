"""Writing a plan: every new record through the entity services, in one transaction.

All rows or none: a failure on any row rolls everything back and says which row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ocop_desktop import producers, products, recognitions, records
from ocop_desktop.db import get_meta, small_cache, transaction
from ocop_desktop.errors import UserError
from ocop_desktop.importer.plan import ERROR, SKIPPED, Entity, Plan
from ocop_desktop.store import Store


@dataclass
class ImportResult:
    producers: int = 0
    products: int = 0
    recognitions: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    # Existing records an import filled in, by table.
    updated: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "created": {
                "producers": self.producers,
                "products": self.products,
                "recognitions": self.recognitions,
            },
            "updated": self.updated,
            "counts": self.counts,
        }


def apply_plan(
    store: Store, plan: Plan, progress: Callable[[int, int], None] | None = None
) -> ImportResult:
    result = ImportResult(counts=plan.counts())
    touched: list[str] = []
    pending: list[tuple[str, int, Entity]] = []
    filling: list[tuple[int, Entity]] = []
    total = len(plan.rows)
    current_row = 0
    try:
        with small_cache(store.db), transaction(store.db):
            # Under the write lock: another import (or any edit) since the plan was made
            # would turn its "new" rows into duplicates.
            if plan.seq is not None and int(get_meta(store.db, "seq") or 0) != plan.seq:
                raise UserError("import.changed_since_plan")
            for n, row in enumerate(plan.rows):
                current_row = row.row
                if row.status in (ERROR, SKIPPED):
                    continue
                producer = row.producer_ref
                if producer is not None and producer.id is None:
                    _create_producer(store, producer)
                    result.producers += 1
                product = row.product_ref
                if product is not None and product.id is None:
                    _create_product(store, product)
                    result.products += 1
                for entity in (producer, product):
                    if entity is not None and _fill(store, entity, row.row):
                        result.updated[entity.table] = result.updated.get(entity.table, 0) + 1
                rec = row.recognition_ref
                if rec is not None and rec.id is None:
                    pending.append((rec.values["decision_date"], row.row, rec))
                elif rec is not None and rec.updates and rec.update_row == row.row:
                    filling.append((row.row, rec))
                if progress and n % 200 == 0:
                    progress(n, total)
            # Oldest decision first, so a later one reads as an upgrade or a
            # re-recognition whatever the order of the rows in the sheet.
            for _, row_number, rec in sorted(pending, key=lambda p: (p[0], p[1])):
                current_row = row_number
                _create_recognition(store, rec)
                touched.append(rec.values["product_id"])
                result.recognitions += 1
            for row_number, rec in filling:
                current_row = row_number
                if _fill(store, rec, row_number):
                    result.updated["recognitions"] = result.updated.get("recognitions", 0) + 1
            if touched:
                recognitions.refresh_current(store, sorted(set(touched)))
    except UserError as exc:
        _forget(plan)
        if exc.key == "import.changed_since_plan":
            raise
        raise UserError("import.row_failed", row=current_row, detail=exc.message()) from exc
    except BaseException:
        _forget(plan)
        raise
    if progress:
        progress(total, total)
    return result


def _forget(plan: Plan) -> None:
    """After a rollback nothing was created: the plan can be applied again."""
    for row in plan.rows:
        for e in (row.producer_ref, row.product_ref, row.recognition_ref):
            if e is not None:
                e.created_id = None


def _create_producer(store: Store, entity: Entity) -> None:
    data = dict(entity.values)
    entity.created_id = producers.add(store, data, allow_incomplete=True)


def _create_product(store: Store, entity: Entity) -> None:
    data = dict(entity.values)
    producer = entity.parent
    if producer is not None:
        data["producer_id"] = producer.id
        data["commune_code"] = None  # products take their producer's commune
    entity.created_id = products.add(
        store, {k: v for k, v in data.items() if v is not None}, allow_incomplete=True
    )


def _create_recognition(store: Store, entity: Entity) -> None:
    product = entity.parent
    assert product is not None, "a certificate to add belongs to a product"
    data = dict(entity.values)
    data["product_id"] = product.id
    entity.values["product_id"] = product.id
    values = recognitions.clean(store, data, allow_incomplete=bool(data.get("incomplete")))
    entity.created_id = records.insert(store, recognitions.TABLE, values)


_SERVICES = {"producers": producers, "products": products, "recognitions": recognitions}


def _fill(store: Store, entity: Entity, row: int) -> bool:
    """Write what this row fills in on a record an earlier import brought in."""
    if not entity.existing_id or not entity.fills or entity.update_row != row:
        return False
    changes = dict(entity.updates)
    producer = entity.fill_parent
    if producer is not None:
        changes["producer_id"] = producer.id
    return bool(_SERVICES[entity.table].edit(store, entity.existing_id, changes))
