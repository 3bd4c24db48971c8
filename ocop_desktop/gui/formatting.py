"""How values look on screen, in the current language (numbers, dates, codes)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QLocale

from ocop_desktop import refdata
from ocop_desktop.i18n import format_date, format_number, language, tr


def locale() -> QLocale:
    """Qt's locale for the app's language (numbers 4.845 / 4,845 in widgets and charts)."""
    if language() == "vi":
        return QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    return QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


def commune(code: int | None) -> str:
    return refdata.load().commune_name(code) if code is not None else ""


def commune_with_district(code: int) -> str:
    """'Xã Ba Đình (Nga Sơn)': the current name, with the former district it lies in."""
    ref = refdata.load()
    district = ref.district_name(ref.former_district_of.get(code))
    name = ref.commune_name(code) or str(code)
    return f"{name} ({district})" if district else name


def kind(value: str | None) -> str:
    return tr(f"kind.{value}") if value else ""


def status(value: str | None) -> str:
    return tr(f"status.{value}") if value else ""


def rkind(value: str | None) -> str:
    return tr(f"rkind.{value}") if value else ""


def level(value: str | None) -> str:
    return tr(f"level.{value}") if value else ""


def stars(value: int | None) -> str:
    return f"{value} ★" if value else ""


def product_set(code: int | None) -> str:
    ps = refdata.load().product_sets.get(code) if code is not None else None
    return ps.name if ps else ""


def iso_date(value: str | None) -> str:
    if not value:
        return ""
    try:
        return format_date(date.fromisoformat(value[:10]))
    except ValueError:
        return value


def number(value: float | int | None) -> str:
    if value is None:
        return ""
    decimals = 0 if float(value).is_integer() else 1
    return format_number(value, decimals=decimals)


def when(value: datetime | None) -> str:
    if value is None:
        return tr("gui.never")
    return f"{format_date(value.date())} {value:%H:%M}"
