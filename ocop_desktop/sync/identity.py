"""Who an office node is: its area, and computers claiming the same office.

An office node's area is never taken from what its bundle claims: it comes
from its office code (a former district of this province, in the reference
data), or from the area the province assigned to that code
(``ocop sync assign-area``) for offices organised by commune clusters.

A new key presenting an office code that already has a trusted computer is
either a second laptop of that office or a replacement of the old one: a
person says which (the import dialog, or ``--as second|replacement``), seeing
both fingerprints.
"""

from __future__ import annotations

import json
from typing import Any

from ocop_desktop import db as dbmod
from ocop_desktop import refdata
from ocop_desktop.errors import UserError
from ocop_desktop.store import Store
from ocop_desktop.sync import peers
from ocop_desktop.sync.peers import Peer

CHOICES = ("second", "replacement")


def _assigned_key(office_code: str) -> str:
    return f"office_area:{office_code}"


def office_area(store: Store, office_code: str | None) -> frozenset[int] | None:
    """The area this node holds for ``office_code``, or None if it has none."""
    if not office_code:
        return None
    ref = refdata.load()
    if office_code.isdigit():
        district = ref.legacy_districts.get(int(office_code))
        if district is not None and district.province_code == store.node.province_code:
            return frozenset(ref.communes_of_former_district.get(int(office_code)) or ())
    assigned = dbmod.get_meta(store.db, _assigned_key(office_code))
    return frozenset(json.loads(assigned)) if assigned else None


def assign_area(store: Store, office_code: str, communes: list[int]) -> frozenset[int]:
    """The province assigns an area to an office code that is not a former district."""
    if not store.node.is_province:
        raise UserError("sync.assign_province_only")
    ref = refdata.load()
    outside = [c for c in communes if c not in store.node.area or c not in ref.communes]
    if not communes or outside:
        raise UserError(
            "node.unknown_communes", "communes", codes=", ".join(map(str, outside)) or "-"
        )
    area = frozenset(communes)
    with dbmod.transaction(store.db):
        dbmod.set_meta(store.db, _assigned_key(office_code), json.dumps(sorted(area)))
        store.db.execute(
            "UPDATE sync_peers SET area = ? WHERE role = 'office' AND office_code = ?",
            [json.dumps(sorted(area)), office_code],
        )
    return area


def same_office(store: Store, sender: Peer) -> list[Peer]:
    """Trusted computers of the office a new sender says it is."""
    if sender.role != "office" or not sender.office_code:
        return []
    return [
        p
        for p in peers.all_peers(store)
        if p.role == "office"
        and p.office_code == sender.office_code
        and p.node_id != sender.node_id
    ]


def check_choice(existing: list[Peer], sender: Peer, choice: str | None) -> None:
    """A new key for an office that has a trusted computer needs a person's answer."""
    if not existing:
        return
    if sender.fingerprint in {p.fingerprint for p in existing} and choice != "replacement":
        # The office's own trusted key, from another database: a copy of that
        # computer (or of its key). Two databases signing with one key cannot be
        # told apart, so it is never a second computer; it may replace the first.
        raise UserError(
            "sync.same_key_new_database",
            office=sender.office_code,
            found=sender.fingerprint,
        )
    if choice not in CHOICES:
        raise UserError(
            "sync.same_office",
            office=sender.office_code,
            known=", ".join(p.fingerprint for p in existing),
            found=sender.fingerprint,
        )


def describe(existing: list[Peer]) -> list[dict[str, Any]]:
    return [{"name": p.name, "node": p.node_id, "fingerprint": p.fingerprint} for p in existing]
