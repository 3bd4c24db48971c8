"""Vietnamese administrative wording shared by the PDF and the workbook:
dates in words (Decree 30/2020), numbers, labels of star classes and kinds."""

from __future__ import annotations

from datetime import date

from ocop_desktop.cert_status import STAR_LABELS, star_label  # noqa: F401 - re-exported
from ocop_desktop.i18n import format_number, tr


def date_in_words(place: str, d: date) -> str:
    """'Nga Sơn, ngày 05 tháng 02 năm 2026': day below 10 and months 1-2 take a 0."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"{place}, ngày {d.day:02d} tháng {month} năm {d.year}"


def num(value: float | int | None, decimals: int = 0) -> str:
    if value is None:
        return "-"
    return format_number(value, "vi", decimals)


def pct(value: float | None) -> str:
    if value is None:
        return "-"
    return format_number(value, "vi", 1) + "%"


def dmy(iso: str | None) -> str:
    """'2026-11-21' -> '21/11/2026'."""
    if not iso:
        return ""
    try:
        return date.fromisoformat(str(iso)[:10]).strftime("%d/%m/%Y")
    except ValueError:  # a stored value that is not a date: shown as it is
        return str(iso)


def kind_label(kind: str) -> str:
    return "Chưa rõ loại hình" if kind == "unknown" else tr("kind." + kind, "vi")


def status_label(status: str) -> str:
    return tr("status." + status, "vi")


def stars_label(stars: object, potential_5: object) -> str:
    return star_label(stars, potential_5)


def short_district(name: str | None) -> str:
    """'Huyện Nga Sơn' -> 'Nga Sơn', 'Thị xã Nghi Sơn' -> 'TX Nghi Sơn'."""
    return (name or "").replace("Huyện ", "").replace("Thị xã ", "TX ").replace("Thành phố ", "TP ")


def lower_first(text: str) -> str:
    """'Huyện Nga Sơn' -> 'huyện Nga Sơn' (a unit's kind inside a sentence)."""
    return text[:1].lower() + text[1:] if text else ""
