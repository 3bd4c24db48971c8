"""Document settings: who issues this node's documents, and who signs them.

One place read by every PDF (the report, the renewal notices, and the decisions
and minutes other parts of the app print): the governing and issuing body lines
of the header (Decree 30/2020/NĐ-CP), the body's abbreviation used in document
symbols ("125/BC-VPĐP"), the place written before the date, the default
recipients ("Kính gửi" and "Nơi nhận") and the signature block with the signer's
authority (TM., KT., Q., TL.), title and name.

The settings belong to the installation (kept in its ``meta`` table, never sent
in a sync bundle). Until an officer sets them, defaults follow the node's role:
the province's coordination office, or for an office a body its name already
names ("UBND xã Nga Sơn"). A former district is an area, not a body, so an office
named after one gets no issuing body until one is set (``missing`` says so).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from ocop_desktop import db as dbmod
from ocop_desktop import refdata
from ocop_desktop.db import transaction
from ocop_desktop.errors import UserError
from ocop_desktop.store import Store

META_KEY = "document_settings"
AUTHORITIES = ("", "TM.", "KT.", "Q.", "TL.")
SAME_AS_ABOVE = "Như trên"
PROVINCE_OFFICE = "VĂN PHÒNG ĐIỀU PHỐI\nNÔNG THÔN MỚI"  # broken where Decree 30 headers break it
PROVINCE_OFFICE_ABBREVIATION = "VPĐP"
_BODY_WORDS = ("ubnd", "ủy ban", "uỷ ban", "văn phòng", "phòng", "sở", "trung tâm", "ban ")
_MAX_LINE = 120
_MAX_LINES = 12


@dataclass
class DocumentSettings:
    governing_body: str = ""  # "UBND TỈNH THANH HÓA"; empty when the body has none
    issuing_body: str = ""  # "VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI"; a line break allowed
    body_name: str = ""  # in a sentence: "Văn phòng Điều phối nông thôn mới tỉnh Thanh Hóa"
    abbreviation: str = ""  # "VPĐP": the symbol after "BC-", "TB-" …
    place: str = ""  # "Thanh Hóa" in "Thanh Hóa, ngày 21 tháng 11 năm 2026"
    to: list[str] = field(default_factory=list)  # Kính gửi
    recipients: list[str] = field(default_factory=list)  # Nơi nhận
    authority: str = ""  # "", "TM.", "KT.", "Q.", "TL."
    on_behalf_of: str = ""  # after TM./KT./TL.: "ỦY BAN NHÂN DÂN", "CHÁNH VĂN PHÒNG"
    signer_title: str = ""  # "PHÓ CHÁNH VĂN PHÒNG"
    signer_name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def header_lines(self) -> list[tuple[str, bool]]:
        """The top-left lines: the governing body in regular type, the issuing
        body in bold (each line of it)."""
        out = [(line, False) for line in _lines(self.governing_body)]
        out += [(line, True) for line in _lines(self.issuing_body)]
        return out

    def symbol(self, kind: str) -> str:
        """'BC-VPĐP' for a report, 'TB-VPĐP' for a notice; just 'BC' without a body."""
        return f"{kind}-{self.abbreviation}" if self.abbreviation else kind

    def signature_lines(self) -> list[str]:
        """The lines above the signature, Decree 30 style:
        TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH; KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG;
        Q. CHÁNH VĂN PHÒNG; TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG; or just the title."""
        title = self.signer_title.upper()
        if self.authority == "Q.":
            return [f"Q. {title}"]
        if self.authority and self.on_behalf_of:
            return [f"{self.authority} {self.on_behalf_of.upper()}", title]
        return [title]

    def recipients_for(self, to: list[str] | None = None) -> list[str]:
        """'Nơi nhận' as printed: 'Như trên' only where a 'Kính gửi' exists for it
        to refer to."""
        to = self.to if to is None else to
        return [r for r in self.recipients if to or not _is_same_as_above(r)]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _is_same_as_above(line: str) -> bool:
    return _nfc(line).strip().rstrip(";.").strip().casefold() == SAME_AS_ABOVE.casefold()


def _nfc(text: Any) -> str:
    return unicodedata.normalize("NFC", "" if text is None else str(text))


def looks_like_a_body(name: str) -> bool:
    """'UBND xã Nga Sơn', 'Phòng Kinh tế' name a body; 'Huyện Nga Sơn' an area."""
    folded = _nfc(name).strip().casefold() + " "
    return folded.startswith(_BODY_WORDS)


def abbreviate(body: str) -> str:
    """'ỦY BAN NHÂN DÂN XÃ NGA SƠN' -> 'UBND'; 'Phòng Kinh tế' -> 'PKT'."""
    text = _nfc(body).strip()
    upper = text.upper()
    if upper.startswith(("UBND", "ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN")):
        return "UBND"
    if upper.startswith("VĂN PHÒNG ĐIỀU PHỐI"):
        return PROVINCE_OFFICE_ABBREVIATION
    words = re.findall(r"\w+", upper)
    return "".join(w[0] for w in words[:6])


def defaults(store: Store) -> DocumentSettings:
    """Sensible settings from the node's role and name (see the module's docstring)."""
    ref = refdata.load()
    province = ref.provinces.get(store.node.province_code, "")
    province_short = province.removeprefix("Tỉnh ").removeprefix("Thành phố ")
    provincial_committee = "UBND " + province.upper() if province else ""
    if store.node.is_province:
        return DocumentSettings(
            governing_body=provincial_committee,
            issuing_body=PROVINCE_OFFICE,
            body_name=f"Văn phòng Điều phối nông thôn mới {province[:1].lower() + province[1:]}",
            abbreviation=PROVINCE_OFFICE_ABBREVIATION,
            place=province_short,
            to=[f"Ủy ban nhân dân {province[:1].lower() + province[1:]}"] if province else [],
            recipients=[f"{SAME_AS_ABOVE};", "Lưu: VT."],
            signer_title="CHÁNH VĂN PHÒNG",
            signer_name=store.officer,
        )
    name = _nfc(store.node.name).strip()
    place = _place_of(store, ref) or province_short
    base = DocumentSettings(
        place=place,
        recipients=["Văn phòng Điều phối nông thôn mới tỉnh (để b/c);", "Lưu: VT."],
        signer_name=store.officer,
    )
    if not looks_like_a_body(name):
        return base  # an area: the body is for the officer to set
    upper = name.upper()
    committee = upper.startswith(("UBND", "ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN"))
    if committee:
        rest = re.sub(r"^(UBND|Ủ?Y BAN NHÂN DÂN|UỶ BAN NHÂN DÂN)\s*", "", upper)
        base.issuing_body = "ỦY BAN NHÂN DÂN\n" + rest if rest else "ỦY BAN NHÂN DÂN"
        base.authority, base.on_behalf_of = "TM.", "ỦY BAN NHÂN DÂN"
        base.body_name = re.sub(
            r"^(UBND|Ủ?Y ban nhân dân|UỶ ban nhân dân)\s*", "", name, flags=re.I
        )
        base.body_name = "Ủy ban nhân dân " + base.body_name
        base.signer_title = "CHỦ TỊCH"
    else:
        base.governing_body = provincial_committee
        base.issuing_body = upper
        base.body_name = name
        base.signer_title = "TRƯỞNG PHÒNG" if upper.startswith("PHÒNG") else "THỦ TRƯỞNG"
    base.abbreviation = abbreviate(name)
    return base


def _place_of(store: Store, ref: Any) -> str:
    from ocop_desktop.summary import resolve_scope

    try:
        return resolve_scope(store).place
    except UserError:
        return ""


def load(store: Store) -> DocumentSettings:
    """The saved settings, the defaults filling what was never set."""
    raw = dbmod.get_meta(store.db, META_KEY)
    base = defaults(store)
    if not raw:
        return base
    try:
        saved = json.loads(raw)
    except ValueError:
        return base
    known = {f.name for f in fields(DocumentSettings)}
    values = base.to_dict() | {k: v for k, v in saved.items() if k in known}
    return DocumentSettings(**values)


def is_saved(store: Store) -> bool:
    return bool(dbmod.get_meta(store.db, META_KEY))


def missing(settings: DocumentSettings) -> list[str]:
    """Fields a sendable document needs and these settings lack."""
    return [
        name
        for name in ("issuing_body", "abbreviation", "place", "signer_title")
        if not getattr(settings, name).strip()
    ]


def clean(data: dict[str, Any]) -> DocumentSettings:
    """Checked, NFC settings from what an officer typed (GUI or CLI)."""
    known = {f.name for f in fields(DocumentSettings)}
    unknown = set(data) - known
    if unknown:
        raise UserError("validation.unknown_fields", None, fields=", ".join(sorted(unknown)))
    values: dict[str, Any] = {}
    for f in fields(DocumentSettings):
        value = data.get(f.name)
        if f.name in ("to", "recipients"):
            items = value if isinstance(value, list) else _lines(_nfc(value))
            items = [_nfc(x).strip() for x in items if _nfc(x).strip()]
            if len(items) > _MAX_LINES or any(len(x) > _MAX_LINE * 2 for x in items):
                raise UserError("documents.too_long", f.name)
            values[f.name] = items
            continue
        text = _nfc(value).strip()
        if f.name in ("governing_body", "issuing_body"):
            text = "\n".join(_lines(text))
            if len(_lines(text)) > 3:
                raise UserError("documents.too_many_lines", f.name)
        if len(text) > _MAX_LINE:
            raise UserError("documents.too_long", f.name)
        values[f.name] = text
    if values["authority"] not in AUTHORITIES:
        raise UserError(
            "documents.bad_authority",
            "authority",
            value=values["authority"],
            allowed=", ".join(a for a in AUTHORITIES if a),
        )
    if values["authority"] in ("TM.", "KT.", "TL.") and not values["on_behalf_of"]:
        raise UserError("documents.on_behalf_needed", "on_behalf_of", authority=values["authority"])
    if re.search(r"[\s/]", values["abbreviation"]):
        raise UserError("documents.bad_abbreviation", "abbreviation")
    if any(_is_same_as_above(r) for r in values["recipients"]) and not values["to"]:
        raise UserError("documents.same_as_above_needs_to", "to")
    return DocumentSettings(**values)


def save(store: Store, changes: dict[str, Any]) -> DocumentSettings:
    """Apply ``changes`` over the current settings and store them; returns them."""
    settings = clean(load(store).to_dict() | changes)
    with transaction(store.db):
        dbmod.set_meta(store.db, META_KEY, json.dumps(settings.to_dict(), ensure_ascii=False))
    return settings


def reset(store: Store) -> DocumentSettings:
    """Forget the saved settings: the role's defaults apply again."""
    with transaction(store.db):
        store.db.execute("DELETE FROM meta WHERE key = ?", [META_KEY])
    return load(store)
