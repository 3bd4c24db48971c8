"""Who may write which record, checked against the row the receiver holds.

A signature proves who sent a bundle, not that the sender may write what it
carries. The rules (docs/sync-format.md, "Authority"):

- An office owns the producers and products of its area and what hangs on
  them: evaluations below the province's council, attachments, and the
  decisions its district issued (3 stars, before 6 July 2025).
- The province owns the decisions it issues (4 stars before 6 July 2025, every
  3 and 4 stars since, and the 5-star and "potential 5-star" decisions of the
  ministry it records: the levels come from ``ocop_desktop.authority``, the one
  place the rules of each period are read), the evaluations of its council and
  the centre's, the council rounds with their members' sheets and batch
  decisions, and the targets.

An office's bundle may create or change only what it owns; a record it holds is
never moved to another owner (another product, another area). An office's new
record or change that the province owns is not applied: it is kept as a
proposal for the province to accept or reject.
"""

from __future__ import annotations

from typing import Any

PROVINCE_LEVELS = ("province", "central")
# Council rounds, their members' sheets and batch decisions: the province's alone.
ROUND_TABLES = ("rounds", "round_products", "member_sheets", "batch_decisions")

# The columns that tie a record to its owner: changing them moves it.
OWNER_KEYS: dict[str, tuple[str, ...]] = {
    "evaluations": ("product_id",),
    "recognitions": ("product_id",),
    "attachments": ("owner_table", "owner_id"),
    "targets": ("office_code",),
    "round_products": ("round_id", "product_id"),
    "member_sheets": ("round_id", "product_id"),
    "batch_decisions": ("round_id",),
}

# What the receiver reads of a stored row to decide (besides its place).
AUTHORITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "producers": ("commune_code",),
    "products": ("commune_code", "producer_id"),
    "evaluations": ("product_id", "level"),
    "recognitions": ("product_id", "decision_date", "stars", "potential_5"),
    "targets": ("office_code",),
    "attachments": ("owner_table", "owner_id"),
    "rounds": ("level",),
    "round_products": ("round_id", "product_id"),
    "member_sheets": ("round_id", "product_id"),
    "batch_decisions": ("round_id",),
}


def province_owns(table: str, row: dict[str, Any]) -> bool:
    """Whether the province owns a record as ``row`` describes it."""
    if table == "targets" or table in ROUND_TABLES:
        return True
    if table == "evaluations":
        return row.get("level") in PROVINCE_LEVELS
    if table == "recognitions":
        from ocop_desktop import authority

        try:
            level = authority.recognising_level(int(row.get("stars")), row.get("decision_date"))
        except (TypeError, ValueError, KeyError):
            return True  # no readable date or stars: nobody below the province decides it
        return level != authority.DISTRICT
    return False


def moved_owner(table: str, stored: dict[str, Any], row: dict[str, Any]) -> list[str]:
    """The owner columns an incoming row changes (empty when it stays with its owner)."""
    return [k for k in OWNER_KEYS.get(table, ()) if k in row and row[k] != stored.get(k)]
