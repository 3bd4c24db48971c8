"""A round's batch decision (quyết định công nhận): one decision, many products.

Provinces publish one decision per round with an annex listing every product it
recognises (name, producer, address, set, stars, points). Recording it creates
every product's recognition in one step, in one transaction: if one product
cannot be recognised (a duplicate number, an issuer that may not recognise its
stars on that date), nothing is recorded.
"""

from __future__ import annotations

from typing import Any

from ocop_desktop import authority, clock, recognitions, records, rounds
from ocop_desktop import validation as v
from ocop_desktop.db import transaction
from ocop_desktop.errors import UserError, ValidationError
from ocop_desktop.store import Store

TABLE = "batch_decisions"
FIELDS = ("decision_no", "decision_date", "issuer", "signer", "signer_title", "notes")


def record(store: Store, round_id: str, data: dict[str, Any]) -> str:
    """Record the decision that closes ``round_id``; returns its id."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError("validation.unknown_fields", None, fields=", ".join(sorted(unknown)))
    with transaction(store.db):
        r = rounds.get(store, round_id)
        if not r.editable:
            raise UserError("round.read_only")
        if rounds.decided(store, round_id):
            raise UserError("round.already_decided", name=r.name)
        decision_no = v.decision_no(data.get("decision_no"))
        decided = v.iso_date(
            data.get("decision_date"),
            "decision_date",
            required=True,
            not_after=clock.today(),
        )
        assert decided is not None
        if decided < r.round_date:
            raise ValidationError("batch.before_round", "decision_date", round=r.round_date)
        evaluation_of = rounds.conclude(store, round_id)
        chosen = [x for x in rounds.results(store, round_id) if x.recognised_stars]
        if not chosen:
            raise UserError("batch.nothing_to_recognise", name=r.name)
        issuer = v.text(data.get("issuer"), "issuer", max_len=300)
        if issuer is None:
            issuer = authority.default_issuer(
                decided,
                chosen[0].recognised_stars or 3,
                province_code=store.node.province_code,
                district_code=_district(store),
            )
        values = {
            "round_id": round_id,
            "decision_no": decision_no,
            "decision_date": decided,
            "issuer": issuer,
            "signer": v.text(data.get("signer"), "signer", max_len=200),
            "signer_title": v.text(data.get("signer_title"), "signer_title", max_len=200),
            "notes": v.text(data.get("notes"), "notes"),
        }
        batch_id = records.insert(store, TABLE, values)
        for res in chosen:
            rec = recognitions.clean(
                store,
                {
                    "product_id": res.product_id,
                    "decision_no": decision_no,
                    "decision_date": decided,
                    "issuer": issuer,
                    "stars": res.recognised_stars,
                    "points": res.total,
                    "potential_5": 1 if res.proposed and res.recognised_stars == 4 else 0,
                    "evaluation_id": evaluation_of[res.product_id],
                    "batch_id": batch_id,
                },
            )
            if store.db.execute(
                "SELECT 1 FROM recognitions WHERE product_id = ? AND decision_no = ? AND deleted = 0",
                [res.product_id, decision_no],
            ).fetchone():
                raise ValidationError(
                    "validation.duplicate_decision", "decision_no", decision=decision_no
                )
            records.insert(store, recognitions.TABLE, rec)
        recognitions.refresh_current(store, [x.product_id for x in chosen])
        return batch_id


def _district(store: Store) -> int | None:
    code = store.node.office_code
    return int(code) if code and code.isdigit() else None


def get(store: Store, batch_id: str) -> dict[str, Any]:
    row = records.get(store, TABLE, batch_id)
    out = {k: row.get(k) for k in ("id", "round_id", *FIELDS)}
    out["recognitions"] = annex(store, batch_id)
    return out


def for_round(store: Store, round_id: str) -> dict[str, Any] | None:
    found = store.db.execute(
        "SELECT id FROM batch_decisions WHERE round_id = ? AND deleted = 0", [round_id]
    ).fetchone()
    return get(store, found[0]) if found else None


def annex(store: Store, batch_id: str) -> list[dict[str, Any]]:
    """The annex rows, best points first: the recognitions the decision made."""
    from ocop_desktop import refdata

    ref = refdata.load()
    cur = store.db.execute(
        "SELECT r.id, r.product_id, p.name AS product, coalesce(pr.name, '') AS producer, "
        "coalesce(pr.address, '') AS street, coalesce(p.commune_code, pr.commune_code) AS commune, "
        "p.product_set, r.stars, r.potential_5, r.points, r.kind, r.expiry_date "
        "FROM recognitions r JOIN products p ON p.id = r.product_id "
        "LEFT JOIN producers pr ON pr.id = p.producer_id "
        "WHERE r.batch_id = ? AND r.deleted = 0 ORDER BY r.points DESC, p.name_key",
        [batch_id],
    )
    names = [d[0] for d in cur.description]
    out = []
    for row in cur.fetchall():
        d = dict(zip(names, row, strict=True))
        d["address"] = ", ".join(x for x in (d.pop("street"), ref.commune_name(d["commune"])) if x)
        d["product_set_name"] = (
            ref.product_sets[d["product_set"]].name if d["product_set"] in ref.product_sets else ""
        )
        out.append(d)
    return out
