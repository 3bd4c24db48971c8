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


def explain(exc: BaseException) -> str | None:
    """What went wrong, in the current language, for the errors a person can act on:
    a ``UserError``, a busy or unwritable database, a missing folder or a full disk.
    None for anything else (a bug: let it be seen)."""
    from sqlcipher3 import dbapi2 as sqlite3

    if isinstance(exc, UserError):
        return exc.message()
    if isinstance(exc, sqlite3.OperationalError):
        return sqlite_message(exc)
    if isinstance(exc, OSError):
        return os_message(exc)
    return None


def os_message(exc: OSError) -> str:
    """A missing folder or a refused permission is not a full disk: say which it is."""
    import errno
    import re
    from pathlib import Path

    from ocop_desktop.i18n import tr

    name = str(exc.filename) if exc.filename is not None else ""
    if name.endswith(".part"):  # our temporary file: name the file the user asked for
        name = re.sub(r"(^|[/\\])\.([^/\\]+)\.\d+$", r"\1\2", name[: -len(".part")])
    if exc.errno == errno.EISDIR and name:
        return tr("cli.is_folder", path=name)
    if exc.errno in (errno.ENOTDIR, errno.EEXIST) and name:
        return tr("cli.no_folder", path=name)  # a file where a folder should be
    if exc.errno == errno.ENOENT and name:
        folder = Path(name).parent
        if not folder.is_dir():
            return tr("cli.no_folder", path=str(folder))
        return tr("cli.file_missing", path=name)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and name:
        return tr("cli.no_permission", path=name)
    detail = f"{exc.strerror or exc}: {name}" if name else str(exc.strerror or exc)
    return tr("cli.disk_full", detail=detail)


def sqlite_message(exc: Exception) -> str:
    from ocop_desktop.i18n import tr

    text = str(exc)
    if "locked" in text or "busy" in text:  # the app or another command holds the write lock
        return tr("cli.db_busy")
    if is_io(exc):
        return tr("cli.disk_full", detail=text)
    return tr("cli.db_error", detail=text)


def is_io(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(
        w in text for w in ("disk", "full", "readonly", "read-only", "i/o", "unable to open")
    )
