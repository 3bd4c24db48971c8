"""User settings, declared once with their types and defaults, kept in QSettings.

The file is ``gui.ini`` in the data folder (so a portable install keeps it beside
the data and tests stay isolated through ``OCOP_DATA_DIR``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings

from ocop_desktop.paths import data_dir

DEFAULTS: dict[str, Any] = {
    "lang": "vi",
    "last_db": "",  # the database opened at start (never the demo)
    "recent_dbs": "",  # databases opened lately, newest first, one path a line
    "last_folder": "",  # where the last file was saved or opened
    "window/geometry": None,
    "window/state": None,
    "window/page": "overview",
}


def qsettings() -> QSettings:
    return QSettings(str(data_dir() / "gui.ini"), QSettings.Format.IniFormat)


def get(key: str) -> Any:
    default = DEFAULTS.get(key)
    value = qsettings().value(key, default)
    if isinstance(default, str) and value is not None:
        return str(value)
    return value


def put(key: str, value: Any) -> None:
    put_all({key: value})


def put_all(values: dict[str, Any]) -> None:
    """Several settings in one write of the file (each write costs a few ms)."""
    s = qsettings()
    for key, value in values.items():
        s.setValue(key, value)
    s.sync()
