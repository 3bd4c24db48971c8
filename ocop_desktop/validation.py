"""Field rules shared by every way data comes in (forms, CLI JSON, import, sync).

Each ``clean_*`` takes the raw value and the field name, returns the value to
store, or raises ``ValidationError(field, key)`` whose message says what is wrong.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Any

from ocop_desktop import refdata
from ocop_desktop.errors import ValidationError
from ocop_desktop.text import nfc

PRODUCER_KINDS = ("doanh_nghiep", "hop_tac_xa", "to_hop_tac", "ho_kinh_doanh")
EVALUATION_LEVELS = ("commune", "district", "province", "central")
RECOGNITION_KINDS = ("new", "upgrade", "renewal", "downgrade")
PART_MAX = {"a": 40.0, "b": 25.0, "c": 35.0}
MAX_TEXT = 2000

# ASCII digits: "\d" also takes full-width and other scripts' digits, which look
# alike on screen and never match the number typed elsewhere (they are converted).
_TAX = re.compile(r"^[0-9]{10}(-[0-9]{3})?$")
# A mobile (0 + 9 digits), or a landline since the 2017 renumbering: 0, a
# three-digit area code starting with 2 (0237 Thanh Hóa, 024 Hà Nội as 024x),
# 7 or 8 digits: 11 in all ("0237 3868 123", "024 3825 1234").
_PHONE_LOCAL = re.compile(r"^0[0-9]{9}$|^02[0-9]{9}$")
_PHONE_INTL = re.compile(r"^\+84(?:[0-9]{9}|2[0-9]{9})$")
_PHONE_STRIP = re.compile(r"[\s.\-()]")
# Control characters, and the invisible ones that zero-width spaces, byte-order marks
# and right-to-left overrides bring from pasted web text: they defeat matching of
# names and can turn a name around on screen and in reports.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_DECISION = re.compile(r"^\d+[A-Za-z]?/[^\s/].*$")


class _Shown:
    """A number in a message as the message's language writes it: 100 not 100.0,
    12,5 in Vietnamese (no thousands separator: the numbers here are years and points)."""

    def __init__(self, value: float | int | None) -> None:
        self.value = value

    def __format__(self, spec: str) -> str:
        from ocop_desktop.i18n import language

        v = self.value
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        shown = str(v)
        return shown.replace(".", ",") if language() == "vi" else shown


def text(value: Any, field: str, *, required: bool = False, max_len: int = MAX_TEXT) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError("validation.required", field)
        return None
    if not isinstance(value, (str, int, float)):
        raise ValidationError("validation.not_text", field)
    # Control characters (NUL, \x01 …) come from pasted or broken files; they cut names
    # short in some programs and cannot go into an Excel cell.
    out = nfc(_CONTROL.sub("", str(value)))
    if not out:
        if required:
            raise ValidationError("validation.required", field)
        return None
    if len(out) > max_len:
        raise ValidationError("validation.too_long", field, max=max_len)
    return out


def integer(
    value: Any, field: str, *, lo: int | None = None, hi: int | None = None, required: bool = False
) -> int | None:
    if value is None or value == "":
        if required:
            raise ValidationError("validation.required", field)
        return None
    if isinstance(value, bool):
        raise ValidationError("validation.not_integer", field, value=value)
    try:
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError
            out = int(value)
        else:
            out = int(str(value).strip())
    except ValueError:
        raise ValidationError("validation.not_integer", field, value=value) from None
    if (lo is not None and out < lo) or (hi is not None and out > hi):
        raise ValidationError(
            "validation.out_of_range", field, value=_Shown(out), lo=_Shown(lo), hi=_Shown(hi)
        )
    return out


def number(
    value: Any,
    field: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    required: bool = False,
) -> float | None:
    if value is None or value == "":
        if required:
            raise ValidationError("validation.required", field)
        return None
    if isinstance(value, bool):
        raise ValidationError("validation.not_number", field, value=value)
    try:
        out = _decimal(value, field) if isinstance(value, str) else float(value)
    except (ValueError, OverflowError):  # OverflowError: a JSON integer of 400 digits
        raise ValidationError("validation.not_number", field, value=value) from None
    if out != out:  # NaN
        raise ValidationError("validation.not_number", field, value=value)
    if (lo is not None and out < lo) or (hi is not None and out > hi):
        raise ValidationError(
            "validation.out_of_range", field, value=_Shown(out), lo=_Shown(lo), hi=_Shown(hi)
        )
    return out


_GROUPED = re.compile(r"(\d{1,3})((?:([., ])\d{3})(?:\3\d{3})*)([.,]\d+)?")


def _decimal(text: str, field: str) -> float:
    """A typed number: "12,5" and "12.5"; "1.250.000", "1 250 000", "1.250.000,5".

    "50.000" is fifty thousand to a Vietnamese officer and fifty to Python, and
    "50,000" the other way round: one separator before exactly three digits is
    refused rather than guessed (it stored a price of 50 for 50.000 đ).
    """
    t = text.replace("\u00a0", " ").strip()
    m = _GROUPED.fullmatch(t)
    if m and (m.group(4) is None or m.group(4)[0] != m.group(3)):
        groups, sep, decimals = m.group(2), m.group(3), m.group(4)
        if groups.count(sep) == 1 and sep != " " and decimals is None:
            raise ValidationError("validation.ambiguous_number", field, value=text)
        return float(m.group(1) + groups.replace(sep, "") + (decimals or "").replace(",", "."))
    return float(t.replace(",", "."))


def flag(value: Any, field: str) -> int:
    if value in (None, "", 0, False, "0", "false", "no"):
        return 0
    if value in (1, True, "1", "true", "yes"):
        return 1
    raise ValidationError("validation.not_flag", field, value=value)


def iso_date(
    value: Any, field: str, *, required: bool = False, not_after: date | None = None
) -> str | None:
    if value is None or value == "":
        if required:
            raise ValidationError("validation.required", field)
        return None
    if isinstance(value, date):
        d = value
    else:
        try:
            d = date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError("validation.bad_date", field, value=value) from None
    if not_after is not None and d > not_after:
        raise ValidationError("validation.date_in_future", field, value=d.isoformat())
    return d.isoformat()


def choice(
    value: Any, field: str, options: tuple[str, ...], *, required: bool = False
) -> str | None:
    if value is None or value == "":
        if required:
            raise ValidationError("validation.required", field)
        return None
    if value not in options:
        raise ValidationError(
            "validation.bad_choice", field, value=value, options=", ".join(options)
        )
    return str(value)


def tax_code(value: Any, field: str = "tax_code") -> str | None:
    out = text(value, field)
    if out is None:
        return None
    out = unicodedata.normalize("NFKC", out)  # full-width digits as typed by some IMEs
    if not _TAX.match(out):
        raise ValidationError("validation.bad_tax_code", field, value=out)
    return out


def phone(value: Any, field: str = "phone") -> str | None:
    out = text(value, field)
    if out is None:
        return None
    out = unicodedata.normalize("NFKC", out)
    compact = _PHONE_STRIP.sub("", out)
    if not (_PHONE_LOCAL.match(compact) or _PHONE_INTL.match(compact)):
        raise ValidationError("validation.bad_phone", field, value=out)
    return compact


def product_set(value: Any, field: str = "product_set", *, required: bool = False) -> int | None:
    out = integer(value, field, required=required)
    if out is None:
        return None
    if out not in refdata.load().product_sets:
        raise ValidationError("validation.bad_product_set", field, value=out)
    return out


def stars(value: Any, field: str = "stars", *, required: bool = False) -> int | None:
    out = integer(value, field, required=required)
    if out is None:
        return None
    if out not in (3, 4, 5):
        raise ValidationError("validation.bad_stars", field, value=out)
    return out


def points(value: Any, field: str = "points", *, hi: float = 100.0) -> float | None:
    return number(value, field, lo=0, hi=hi)


def decision_no(value: Any, field: str = "decision_no") -> str:
    out = text(value, field, required=True, max_len=100)
    assert out is not None
    if not _DECISION.match(out):
        raise ValidationError("validation.bad_decision_no", field, value=out)
    return out


def string_list(value: Any, field: str) -> list[str] | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = [v for v in re.split(r"[;,\n]", value)]
    if not isinstance(value, list):
        raise ValidationError("validation.not_list", field)
    out = [t for t in (text(v, field, max_len=200) for v in value) if t]
    return out or None
