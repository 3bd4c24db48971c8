"""The big lists: producers, products, certificates, evaluations (columns and SQL)."""

from __future__ import annotations

import json
from typing import Any

from ocop_desktop import evaluations, producers, products, recognitions, search
from ocop_desktop.cert_status import cached_status_sql
from ocop_desktop.gui import formatting as f
from ocop_desktop.gui.lazy_model import Column, ListSpec
from ocop_desktop.store import Store


def _rid_list(rids: list[int]) -> str:
    return json.dumps(rids)


class ProducerSpec(ListSpec):
    name = "producers"
    table = "producers"
    default_order = "name_key"
    columns = (
        Column("name", "field.name", "pr.name", "name_key"),
        Column("kind", "field.kind", "pr.kind", "kind, name_key", fmt=f.kind),
        Column(
            "commune",
            "field.commune_code",
            "pr.commune_code",
            "commune_code, name_key",
            fmt=f.commune,
        ),
        Column("representative", "field.representative", "pr.representative"),
        Column("phone", "field.phone", "pr.phone"),
        Column("tax_code", "field.tax_code", "pr.tax_code"),
        Column(
            "products",
            "list.col.products",
            "(SELECT count(*) FROM products x WHERE x.producer_id = pr.id AND x.deleted = 0)",
            numeric=True,
        ),
        Column("village", "field.village", "pr.village", hidden=True),
        Column("founded_year", "field.founded_year", "pr.founded_year", numeric=True, hidden=True),
        Column(
            "workers_total",
            "field.workers_total",
            "pr.workers_total",
            numeric=True,
            fmt=f.number,
            hidden=True,
        ),
        Column("incomplete", "field.incomplete", "pr.incomplete", hidden=True),
    )

    def ids_query(self, store: Store, filters: dict[str, Any], order: str) -> tuple[str, Any]:
        if order.endswith(" DESC"):  # "kind, name_key DESC" -> "kind DESC, name_key"
            first, _, rest = order.removesuffix(" DESC").partition(",")
            order = f"{first} DESC" + (f",{rest}" if rest else "")
        return producers.query(
            store,
            search=filters.get("search"),
            commune=filters.get("commune"),
            kind=filters.get("kind"),
            order=order,
            columns="rid",
        )

    def rows_query(self, store: Store, rids: list[int]) -> tuple[str, Any]:
        cols = ", ".join(c.expr for c in self.columns)
        return (
            f"SELECT pr.rid, pr.id, {cols} FROM producers pr "
            "WHERE pr.rid IN (SELECT value FROM json_each(?))",
            [_rid_list(rids)],
        )


class ProductSpec(ListSpec):
    name = "products"
    table = "products"
    default_order = "p.name_key"
    columns = (
        Column("name", "field.name", "p.name", "p.name_key"),
        Column("producer", "field.producer_id", "pr.name", "pr.name_key"),
        Column("commune", "field.commune_code", "p.commune_code", "p.commune_code", fmt=f.commune),
        Column(
            "product_set", "field.product_set", "p.product_set", "p.product_set", fmt=f.product_set
        ),
        Column("stars", "field.stars", "c.stars", "c.stars", fmt=f.stars, numeric=True),
        Column("expiry", "field.expiry_date", "c.expiry_date", "c.expiry_date", fmt=f.iso_date),
        Column(
            "status",
            "field.status",
            f"CASE WHEN c.product_id IS NULL THEN 'none' ELSE {cached_status_sql('c')} END",
            fmt=f.status,
        ),
        Column("kind", "field.kind", "pr.kind", fmt=f.kind, hidden=True),
        Column("price", "field.price", "p.price", fmt=f.number, numeric=True, hidden=True),
        Column("unit", "field.unit", "p.unit", hidden=True),
        Column("incomplete", "field.incomplete", "p.incomplete", hidden=True),
    )

    def ids_query(self, store: Store, filters: dict[str, Any], order: str) -> tuple[str, Any]:
        return products.query(store, order=order, columns="p.rid", **filters)

    def ids_plans(
        self, store: Store, filters: dict[str, Any], order: str
    ) -> list[tuple[tuple[str, Any], int | None]]:
        budget = search.matches_first_budget(store.db, filters.get("search") or "")
        if budget is None:
            return super().ids_plans(store, filters, order)
        return [
            (self.ids_query(store, filters, order), budget),
            (self.ids_query(store, {**filters, "search_from_matches": True}, order), None),
        ]

    def whole_count(self, store: Store) -> int:
        return products.count_live(store)

    def rows_query(self, store: Store, rids: list[int]) -> tuple[str, Any]:
        cols = ", ".join(c.expr for c in self.columns)
        params: dict[str, Any] = {"rids": _rid_list(rids), **recognitions.status_params(store.db)}
        return (
            f"SELECT p.rid, p.id, {cols} FROM products p "
            "LEFT JOIN producers pr ON pr.id = p.producer_id "
            "LEFT JOIN current_recognition c ON c.product_id = p.id "
            "WHERE p.rid IN (SELECT value FROM json_each(:rids))",
            params,
        )


class CertificateSpec(ListSpec):
    name = "certificates"
    table = "recognitions"
    default_order = "r.expiry_date DESC"
    columns = (
        Column("decision_no", "field.decision_no", "r.decision_no", "r.decision_no"),
        Column(
            "decision_date",
            "field.decision_date",
            "r.decision_date",
            "r.decision_date",
            fmt=f.iso_date,
        ),
        Column("product", "field.product_id", "p.name", "p.name_key"),
        Column("producer", "field.producer_id", "pr.name", "pr.name_key"),
        Column("commune", "field.commune_code", "p.commune_code", "p.commune_code", fmt=f.commune),
        Column("stars", "field.stars", "r.stars", "r.stars", fmt=f.stars, numeric=True),
        Column("expiry", "field.expiry_date", "r.expiry_date", "r.expiry_date", fmt=f.iso_date),
        Column("status", "field.status", recognitions.status_column_sql(), fmt=f.status),
        Column("points", "field.points", "r.points", fmt=f.number, numeric=True, hidden=True),
        Column("kind", "list.col.rkind", "r.kind", fmt=f.rkind, hidden=True),
        Column("issuer", "field.issuer", "r.issuer", hidden=True),
    )

    def ids_query(self, store: Store, filters: dict[str, Any], order: str) -> tuple[str, Any]:
        return recognitions.query(store, order=order, columns="r.rid", **filters)

    def rows_query(self, store: Store, rids: list[int]) -> tuple[str, Any]:
        cols = ", ".join(c.expr for c in self.columns)
        params: dict[str, Any] = {"rids": _rid_list(rids), **recognitions.status_params(store.db)}
        return (
            f"SELECT r.rid, r.id, {cols} FROM recognitions r "
            "JOIN products p ON p.id = r.product_id "
            "LEFT JOIN producers pr ON pr.id = p.producer_id "
            "LEFT JOIN current_recognition c ON c.product_id = r.product_id AND c.recognition_id = r.id "
            "WHERE r.rid IN (SELECT value FROM json_each(:rids))",
            params,
        )


class EvaluationSpec(ListSpec):
    name = "evaluations"
    table = "evaluations"
    default_order = "e.eval_date DESC"
    columns = (
        Column("eval_date", "field.eval_date", "e.eval_date", "e.eval_date", fmt=f.iso_date),
        Column("product", "field.product_id", "p.name", "p.name_key"),
        Column("producer", "field.producer_id", "pr.name", "pr.name_key"),
        Column("commune", "field.commune_code", "p.commune_code", "p.commune_code", fmt=f.commune),
        Column("level", "field.level", "e.level", "e.level", fmt=f.level),
        Column("points", "field.points", "e.points", "e.points", fmt=f.number, numeric=True),
        Column("stars", "field.stars", "e.stars", "e.stars", fmt=f.stars, numeric=True),
        Column("points_a", "field.points_a", "e.points_a", fmt=f.number, numeric=True, hidden=True),
        Column("points_b", "field.points_b", "e.points_b", fmt=f.number, numeric=True, hidden=True),
        Column("points_c", "field.points_c", "e.points_c", fmt=f.number, numeric=True, hidden=True),
        Column("council", "field.council", "e.council", hidden=True),
    )

    def ids_query(self, store: Store, filters: dict[str, Any], order: str) -> tuple[str, Any]:
        return evaluations.query(store, order=order, columns="e.rid", **filters)

    def whole_count(self, store: Store) -> int:
        return evaluations.count_live(store)

    def rows_query(self, store: Store, rids: list[int]) -> tuple[str, Any]:
        cols = ", ".join(c.expr for c in self.columns)
        return (
            f"SELECT e.rid, e.id, {cols} FROM evaluations e "
            "JOIN products p ON p.id = e.product_id "
            "LEFT JOIN producers pr ON pr.id = p.producer_id "
            "WHERE e.rid IN (SELECT value FROM json_each(:rids))",
            {"rids": _rid_list(rids)},
        )


SPECS = {s.name: s for s in (ProducerSpec(), ProductSpec(), CertificateSpec(), EvaluationSpec())}
