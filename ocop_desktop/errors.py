"""The exceptions services raise for a person to read.

A ``UserError`` carries a message key and parameters, so the GUI can put the
message next to a field and the CLI can print it on one line, in either language.
"""

from __future__ import annotations

from typing import Any


class UserError(Exception):
    """Something the user can fix: bad input, a missing record, a refused file."""

    def __init__(self, key: str, field: str | None = None, **params: Any) -> None:
        self.key = key
        self.field = field
        self.params = params
        super().__init__(key)

    def message(self, lang: str | None = None) -> str:
        from ocop_desktop.i18n import tr

        text = tr(self.key, lang, **self.params)
        if self.field:
            return f"{tr('field.' + self.field, lang)}: {text}"
        return text

    def __str__(self) -> str:
        return self.message()


class ValidationError(UserError):
    """A field value breaks a rule. ``field`` names the field."""


class NotFound(UserError):
    """No record with that id (or it is in the trash)."""
