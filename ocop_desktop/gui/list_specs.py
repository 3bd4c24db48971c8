"""The big lists as shown: producers, products, certificates, evaluations.

Each list's queries are the core's (``ocop_desktop.listing``); here are only the
columns' titles, formats, alignment and which start hidden.
"""

from __future__ import annotations

from ocop_desktop import listing
from ocop_desktop.gui import formatting as f
from ocop_desktop.gui.lazy_model import Column, ListSpec


class ProducerSpec(ListSpec):
    query = listing.LISTS["producers"]
    columns = (
        Column("name", "field.name"),
        Column("kind", "field.kind", fmt=f.kind),
        Column("commune", "field.commune_code", fmt=f.commune),
        Column("representative", "field.representative"),
        Column("phone", "field.phone"),
        Column("tax_code", "field.tax_code"),
        Column("products", "list.col.products", numeric=True),
        Column("village", "field.village", hidden=True),
        Column("founded_year", "field.founded_year", numeric=True, hidden=True),
        Column("workers_total", "field.workers_total", numeric=True, fmt=f.number, hidden=True),
        Column("incomplete", "field.incomplete", hidden=True),
    )


class ProductSpec(ListSpec):
    query = listing.LISTS["products"]
    columns = (
        Column("name", "field.name"),
        Column("producer", "field.producer_id"),
        Column("commune", "field.commune_code", fmt=f.commune),
        Column("product_set", "field.product_set", fmt=f.product_set),
        Column("stars", "field.stars", fmt=f.stars, numeric=True),
        Column("expiry", "field.expiry_date", fmt=f.iso_date),
        Column("status", "field.status", fmt=f.status),
        Column("kind", "field.kind", fmt=f.kind, hidden=True),
        Column("price", "field.price", fmt=f.number, numeric=True, hidden=True),
        Column("unit", "field.unit", hidden=True),
        Column("incomplete", "field.incomplete", hidden=True),
    )


class CertificateSpec(ListSpec):
    query = listing.LISTS["certificates"]
    columns = (
        Column("decision_no", "field.decision_no"),
        Column("decision_date", "field.decision_date", fmt=f.iso_date),
        Column("product", "field.product_id"),
        Column("producer", "field.producer_id"),
        Column("commune", "field.commune_code", fmt=f.commune),
        Column("stars", "field.stars", fmt=f.stars, numeric=True),
        Column("expiry", "field.expiry_date", fmt=f.iso_date),
        Column("status", "field.status", fmt=f.status),
        Column("points", "field.points", fmt=f.number, numeric=True, hidden=True),
        Column("kind", "list.col.rkind", fmt=f.rkind, hidden=True),
        Column("issuer", "field.issuer", hidden=True),
    )


class EvaluationSpec(ListSpec):
    query = listing.LISTS["evaluations"]
    columns = (
        Column("eval_date", "field.eval_date", fmt=f.iso_date),
        Column("product", "field.product_id"),
        Column("producer", "field.producer_id"),
        Column("commune", "field.commune_code", fmt=f.commune),
        Column("level", "field.level", fmt=f.level),
        Column("points", "field.points", fmt=f.number, numeric=True),
        Column("stars", "field.stars", fmt=f.stars, numeric=True),
        Column("points_a", "field.points_a", fmt=f.number, numeric=True, hidden=True),
        Column("points_b", "field.points_b", fmt=f.number, numeric=True, hidden=True),
        Column("points_c", "field.points_c", fmt=f.number, numeric=True, hidden=True),
        Column("council", "field.council", hidden=True),
    )


SPECS = {s.name: s for s in (ProducerSpec(), ProductSpec(), CertificateSpec(), EvaluationSpec())}
