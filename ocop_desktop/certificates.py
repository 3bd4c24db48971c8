"""Certificates (giấy chứng nhận): the signed facts printed in each one's QR code.

The payload is one line of text, ``OCOP1.<facts>.<signature>``: the facts are
compact JSON (product, producer, stars, decision number and date, issuer,
expiry, the recognition's id and the signing node's id) in base64url, and the
signature is the issuing node's Ed25519 signature (its sync key) over
``OCOP1.<facts>``. Anyone holding that node's public key (the province's, which
every office already trusts for sync) checks a scanned code offline.

``verify`` says what a person needs to know: valid; expired; revoked as far as
this database knows (a revocation made after the last sync is not known);
forged (altered, or signed by another key); or not checkable here (the signing
node's key is not known).
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from ocop_desktop import clock, refdata
from ocop_desktop.errors import NotFound, UserError
from ocop_desktop.store import Store

PREFIX = "OCOP1"
VERDICTS = ("valid", "expired", "revoked", "forged", "unknown_key")


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def facts(store: Store, recognition_id: str) -> dict[str, Any]:
    """What a certificate states about a recognition, in the payload's short keys."""
    row = store.db.execute(
        "SELECT r.id, p.name, coalesce(pr.name, ''), r.stars, r.potential_5, r.decision_no, "
        "r.decision_date, coalesce(r.issuer, ''), r.expiry_date, p.product_set, "
        "coalesce(p.commune_code, pr.commune_code), coalesce(pr.address, '') "
        "FROM recognitions r JOIN products p ON p.id = r.product_id "
        "LEFT JOIN producers pr ON pr.id = p.producer_id WHERE r.id = ? AND r.deleted = 0",
        [recognition_id],
    ).fetchone()
    if row is None:
        raise NotFound("record.not_found", id=recognition_id)
    rid, product, producer, stars, p5, number, decided, issuer, expiry, pset, commune, street = row
    return {
        "id": rid,
        "product": product,
        "producer": producer,
        "address": ", ".join(x for x in (street, refdata.load().commune_name(commune)) if x),
        "set": pset,
        "stars": stars,
        "p5": p5,
        "no": number,
        "date": decided,
        "issuer": issuer,
        "expiry": expiry,
        "node": store.node.id,
    }


def check_printable(store: Store, recognition_id: str) -> None:
    """Refuse to print a certificate that is not in force today: a revoked one, one
    superseded by a later decision, or an expired one (a printed certificate states
    a validity the holder relies on, and shows no status of its own)."""
    from ocop_desktop import recognitions

    rec = recognitions.get(store, recognition_id)
    status = rec["status"]
    if status in ("valid", "expiring"):
        return
    if status == "revoked":
        raise UserError(
            "certificate.print_revoked", decision=rec["decision_no"], date=_dmy(rec["revoked_date"])
        )
    if status == "superseded":
        later = store.db.execute(
            "SELECT decision_no, decision_date FROM current_recognition WHERE product_id = ?",
            [rec["product_id"]],
        ).fetchone()
        raise UserError(
            "certificate.print_superseded",
            decision=rec["decision_no"],
            later=later[0] if later else "",
            later_date=_dmy(later[1]) if later else "",
        )
    raise UserError(
        "certificate.print_expired", decision=rec["decision_no"], date=_dmy(rec["expiry_date"])
    )


def payload(store: Store, recognition_id: str) -> str:
    """The signed QR text of a recognition's certificate.

    Only the issuing body's node signs: the province (for its own and the
    ministry's decisions it hands out), or an office for its district's decisions
    from before the reform. An office never signs the province's certificates."""
    from ocop_desktop import authority
    from ocop_desktop.sync import keys

    stated = facts(store, recognition_id)
    if not store.node.is_province and authority.level_of_text(stated["issuer"]) != (
        authority.DISTRICT
    ):
        raise UserError("certificate.not_issuer", issuer=stated["issuer"] or "-")
    body = json.dumps(stated, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    head = f"{PREFIX}.{_b64(body.encode('utf-8'))}"
    return f"{head}.{_b64(keys.sign(store, head.encode('ascii')))}"


@dataclass(frozen=True)
class Verdict:
    status: str  # one of VERDICTS
    facts: dict[str, Any] | None = None
    signer: str | None = None  # who signed, when known

    def message(self) -> str:
        from ocop_desktop.cert_status import star_label
        from ocop_desktop.i18n import tr

        f = self.facts or {}
        return tr(
            f"certificate.{self.status}",
            product=f.get("product", ""),
            producer=f.get("producer", ""),
            stars=star_label(f.get("stars"), f.get("p5")),
            decision=f.get("no", ""),
            date=_dmy(f.get("date")),
            expiry=_dmy(f.get("expiry")),
            signer=self.signer or "",
        )


def _dmy(iso: str | None) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def verify(
    store: Store, text: str, *, public_key: str | None = None, as_of: date | None = None
) -> Verdict:
    """Check a scanned payload against the signing node's key (this node's own, a
    trusted peer's, or ``public_key``), then against what this database knows."""
    from ocop_desktop.sync import keys, peers

    text = "".join(text.split())
    parts = text.split(".")
    if len(parts) != 3 or parts[0] != PREFIX:
        return Verdict("forged")
    try:
        claimed = json.loads(_unb64(parts[1]).decode("utf-8"))
        signature = _unb64(parts[2])
    except (ValueError, UnicodeDecodeError):
        return Verdict("forged")
    if not isinstance(claimed, dict) or not isinstance(claimed.get("node"), str):
        return Verdict("forged")
    node_id = claimed["node"]
    signer = None
    if public_key is None:
        if node_id == store.node.id:
            public_key, signer = keys.public_key_b64(store), store.node.name
        else:
            peer = peers.get(store, node_id)
            if peer is None:
                return Verdict("unknown_key", claimed)
            public_key, signer = peer.public_key, peer.name
    head = f"{parts[0]}.{parts[1]}".encode("ascii")
    if not keys.verify(public_key, signature, head):
        return Verdict("forged")
    as_of = as_of or clock.today()
    known = store.db.execute(
        "SELECT revoked_date FROM recognitions WHERE id = ? AND deleted = 0", [claimed.get("id")]
    ).fetchone()
    if known is not None and known[0] is not None and known[0] <= as_of.isoformat():
        return Verdict("revoked", claimed, signer)
    try:
        expired = date.fromisoformat(str(claimed.get("expiry"))) < as_of
    except ValueError:
        return Verdict("forged")
    return Verdict("expired" if expired else "valid", claimed, signer)
