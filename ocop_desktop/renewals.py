"""The renewal pipeline: a certificate is valid 36 months; the office notifies the
producer ahead of expiry, records the re-evaluation request, and lists for
revocation what expired without one.

- ``due``: current certificates that expire within the warning window (the one
  setting every list, the overview and the reports use), with the notices
  already sent for each and whether a request was received.
- ``record_notices``: the log of notices sent (one row per certificate).
- ``record_request``: a producer asked for re-evaluation (công nhận lại).
- ``to_revoke``: current certificates past expiry, not revoked, with no request
  recorded: the list the office proposes to revoke.

The log and the requests are the office's own paperwork, kept on this node.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ocop_desktop import cert_status, clock, recognitions, refdata
from ocop_desktop import validation as v
from ocop_desktop.db import transaction
from ocop_desktop.errors import UserError, ValidationError
from ocop_desktop.store import Store

NOTICE_LEAD_DAYS = 30  # the issuer warns the producer at least 30 days before expiry


def window_days(store: Store) -> int:
    """The warning window, in days (the node's one setting, see cert_status)."""
    return cert_status.warning_days(store.db)


@dataclass
class Certificate:
    recognition_id: str
    product_id: str
    product: str
    producer_id: str | None
    producer: str
    producer_kind: str | None
    address: str
    commune: str
    stars: int
    potential_5: bool
    decision_no: str
    decision_date: str
    expiry_date: str
    notices: list[dict[str, str]] = field(default_factory=list)
    request: dict[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class ProducerNotice:
    """One letter: a producer and its certificates expiring within the window."""

    producer_id: str | None
    producer: str
    address: str
    certificates: list[Certificate]


_SELECT = """
    SELECT c.recognition_id, c.product_id, p.name, pr.id, pr.name, pr.kind, pr.village,
           pr.address, COALESCE(pr.commune_code, p.commune_code), c.stars, c.potential_5,
           c.decision_no, c.decision_date, c.expiry_date
    FROM current_recognition c
    JOIN products p ON p.id = c.product_id AND p.deleted = 0
    LEFT JOIN producers pr ON pr.id = p.producer_id AND pr.deleted = 0
    WHERE p.commune_code IN (SELECT value FROM json_each(:area)) AND ({status}) = :wanted
    ORDER BY c.expiry_date, pr.name_key, p.name_key
"""


def _certificates(store: Store, wanted: str, as_of: date | None) -> list[Certificate]:
    ref = refdata.load()
    params = recognitions.status_params(store.db, as_of)
    params |= {"area": json.dumps(sorted(store.node.area)), "wanted": wanted}
    rows = store.db.execute(
        _SELECT.format(status=cert_status.cached_status_sql("c")), params
    ).fetchall()
    out = [
        Certificate(
            recognition_id=r[0],
            product_id=r[1],
            product=r[2],
            producer_id=r[3],
            producer=r[4] or "",
            producer_kind=r[5],
            address=postal_address(r[6], r[7], ref.commune_name(r[8]), ref, r[8]),
            commune=ref.commune_name(r[8]),
            stars=int(r[9]),
            potential_5=bool(r[10]),
            decision_no=r[11],
            decision_date=r[12],
            expiry_date=r[13],
        )
        for r in rows
    ]
    _attach_paperwork(store, out)
    return out


def postal_address(
    village: str | None, address: str | None, commune: str, ref: Any = None, code: Any = None
) -> str:
    """'Xóm 6, Xã Tân Tiến, Tỉnh Thanh Hóa': each part once, even when the street
    address already repeats the village or the commune."""
    pieces = [x.strip() for x in str(address or "").split(",") if x.strip()]
    folded = {_fold(p) for p in pieces}
    parts = list(pieces)
    if village and village.strip() and _fold(village) not in folded:
        parts.insert(0, village.strip())  # the village before a street line lacking it
    if commune and _fold(commune) not in {_fold(p) for p in parts}:
        parts.append(commune)
    if ref is not None and code is not None and code in ref.communes:
        province = ref.provinces.get(ref.communes[code].province_code, "")
        if province and _fold(province) not in {_fold(p) for p in parts}:
            parts.append(province)
    return ", ".join(parts)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().casefold()


def _attach_paperwork(store: Store, certs: list[Certificate]) -> None:
    if not certs:
        return
    ids = json.dumps([c.recognition_id for c in certs])
    by_id = {c.recognition_id: c for c in certs}
    for rid, no, sent in store.db.execute(
        "SELECT recognition_id, notice_no, sent_on FROM renewal_notices "
        "WHERE recognition_id IN (SELECT value FROM json_each(?)) ORDER BY sent_on, id",
        [ids],
    ):
        by_id[rid].notices.append({"notice_no": no, "sent_on": sent})
    for rid, received, note in store.db.execute(
        "SELECT recognition_id, received_on, note FROM renewal_requests "
        "WHERE recognition_id IN (SELECT value FROM json_each(?)) ORDER BY received_on, id",
        [ids],
    ):
        by_id[rid].request = {"received_on": received, "note": note or ""}


def due(store: Store, as_of: date | None = None) -> list[Certificate]:
    """Current certificates expiring within the warning window, soonest first."""
    return _certificates(store, "expiring", as_of)


def to_revoke(store: Store, as_of: date | None = None) -> list[Certificate]:
    """Current certificates past expiry, not revoked, and with no re-evaluation
    request recorded."""
    return [c for c in _certificates(store, "expired", as_of) if c.request is None]


def awaiting_reevaluation(store: Store, as_of: date | None = None) -> list[Certificate]:
    """Expiring or expired certificates whose producer asked for re-evaluation."""
    both = _certificates(store, "expiring", as_of) + _certificates(store, "expired", as_of)
    return [c for c in both if c.request is not None]


def letters(certificates: list[Certificate]) -> list[ProducerNotice]:
    """One letter per producer, in the order of its first certificate to expire."""
    out: dict[str, ProducerNotice] = {}
    for c in certificates:
        key = c.producer_id or "product:" + c.product_id
        if key not in out:
            out[key] = ProducerNotice(c.producer_id, c.producer, c.address, [])
        out[key].certificates.append(c)
    return list(out.values())


def unnotified(certificates: list[Certificate]) -> list[Certificate]:
    return [c for c in certificates if not c.notices]


def record_notices(
    store: Store,
    notices: list[ProducerNotice],
    numbers: list[str],
    sent_on: date | None = None,
) -> int:
    """Log the letters as sent (one row per certificate); returns the rows written."""
    sent = (sent_on or clock.today()).isoformat()
    if sent > clock.today().isoformat():
        raise UserError("renewal.future_date", "sent_on", date=sent)
    now = datetime.now().isoformat(timespec="seconds")
    written = 0
    with transaction(store.db):
        for letter, number in zip(notices, numbers, strict=True):
            for c in letter.certificates:
                store.db.execute(
                    "INSERT INTO renewal_notices (recognition_id, product_id, producer_id, "
                    "notice_no, sent_on, expiry_date, created_at, created_by) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        c.recognition_id,
                        c.product_id,
                        c.producer_id,
                        number,
                        sent,
                        c.expiry_date,
                        now,
                        store.officer,
                    ],
                )
                written += 1
    return written


def notice_log(store: Store, limit: int = 1000) -> list[dict[str, Any]]:
    rows = store.db.execute(
        "SELECT n.sent_on, n.notice_no, p.name, pr.name, n.expiry_date, n.created_by "
        "FROM renewal_notices n LEFT JOIN products p ON p.id = n.product_id "
        "LEFT JOIN producers pr ON pr.id = n.producer_id "
        "ORDER BY n.sent_on DESC, n.id DESC LIMIT ?",
        [limit],
    ).fetchall()
    keys = ("sent_on", "notice_no", "product", "producer", "expiry_date", "sent_by")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def record_request(
    store: Store, recognition_id: str, received_on: date | str | None = None, note: str = ""
) -> None:
    """A producer asked for its certificate to be re-evaluated."""
    row = store.db.execute(
        "SELECT c.product_id, p.commune_code, c.decision_no, r.revoked_date, r.decision_date "
        "FROM current_recognition c JOIN recognitions r ON r.id = c.recognition_id "
        "JOIN products p ON p.id = c.product_id AND p.deleted = 0 WHERE c.recognition_id = ?",
        [recognition_id],
    ).fetchone()
    if row is None:
        raise UserError("renewal.unknown_certificate", "recognition_id", id=recognition_id)
    if row[1] is not None and not store.in_area(row[1]):
        raise UserError("record.outside_area", id=recognition_id)
    # Only a certificate in force, or expired and not revoked, can be renewed: after
    # a revocation the producer applies for a new recognition.
    if row[3] is not None:
        raise UserError(
            "renewal.request_revoked",
            "recognition_id",
            decision=row[2],
            date=date.fromisoformat(row[3]).strftime("%d/%m/%Y"),
        )
    earlier = store.db.execute(
        "SELECT received_on FROM renewal_requests WHERE recognition_id = ? "
        "ORDER BY received_on LIMIT 1",
        [recognition_id],
    ).fetchone()
    if earlier is not None:
        raise UserError(
            "renewal.request_exists",
            "recognition_id",
            decision=row[2],
            date=date.fromisoformat(earlier[0]).strftime("%d/%m/%Y"),
        )
    received = (
        v.iso_date(
            received_on.isoformat() if isinstance(received_on, date) else received_on,
            "received_on",
            not_after=clock.today(),
        )
        or clock.today().isoformat()
    )
    if received < row[4]:
        raise ValidationError(
            "renewal.request_before_decision",
            "received_on",
            received=date.fromisoformat(received).strftime("%d/%m/%Y"),
            decision=row[2],
            date=date.fromisoformat(row[4]).strftime("%d/%m/%Y"),
        )
    with transaction(store.db):
        store.db.execute(
            "INSERT INTO renewal_requests (recognition_id, product_id, received_on, note, "
            "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
            [
                recognition_id,
                row[0],
                received,
                v.text(note, "note", max_len=500) or "",
                datetime.now().isoformat(timespec="seconds"),
                store.officer,
            ],
        )


def find_certificate(store: Store, decision_or_id: str) -> str:
    """A current certificate's id from its id or its decision number (unique in area)."""
    text = unicodedata.normalize("NFC", decision_or_id).strip()
    rows = store.db.execute(
        "SELECT c.recognition_id, p.commune_code FROM current_recognition c "
        "JOIN products p ON p.id = c.product_id AND p.deleted = 0 "
        "WHERE c.recognition_id = ? OR c.decision_no = ?",
        [text, text],
    ).fetchall()
    rows = [r for r in rows if r[1] is None or store.in_area(r[1])]
    if len(rows) != 1:
        key = "renewal.unknown_certificate" if not rows else "renewal.ambiguous_certificate"
        raise UserError(key, "recognition_id", id=text)
    return rows[0][0]
