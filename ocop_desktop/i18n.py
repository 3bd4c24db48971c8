"""One translation catalogue for the core, the CLI and the GUI.

Catalogue files are ``resources/translations/*.json``, each mapping a message key
to ``{"vi": "...", "en": "..."}``. Vietnamese is the default language. Messages
are ``str.format`` templates. A missing key falls back to English, then the key.
"""

from __future__ import annotations

import json
import os
from datetime import date
from functools import lru_cache
from typing import Any

from ocop_desktop.errors import UserError
from ocop_desktop.paths import resource

LANGUAGES = ("vi", "en")
_current = os.environ.get("OCOP_LANG", "vi") if os.environ.get("OCOP_LANG") in LANGUAGES else "vi"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for path in sorted(resource("translations").glob("*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current = lang


def language() -> str:
    return _current


def tr(key: str, lang: str | None = None, **params: Any) -> str:
    """The message ``key`` in ``lang`` (default: the current language). A parameter
    that is itself a message (a ``UserError``, e.g. the reason an import row's
    certificate is refused) is said in the same language."""
    entry = catalogue().get(key)
    lang = lang or _current
    if any(isinstance(v, UserError) for v in params.values()):
        params = {k: v.message(lang) if isinstance(v, UserError) else v for k, v in params.items()}
    if entry is None:
        template = key
    else:
        one = entry.get(f"{lang}_one") if str(params.get("count")) == "1" else None
        template = one or entry.get(lang) or entry.get("en") or key
    # Always format, so "{{…}}" in a template without parameters shows as "{…}".
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def format_number(value: float | int, lang: str | None = None, decimals: int = 0) -> str:
    """4845 -> '4.845' and 12.5 -> '12,5' in Vietnamese; '4,845' / '12.5' in English."""
    lang = lang or _current
    text = f"{value:,.{decimals}f}"
    if lang == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def format_date(value: date | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    lang = lang or _current
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.strftime("%d %b %Y")
