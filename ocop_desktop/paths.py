"""Where things live: bundled resources, the user's data folder, the database.

Resources are found in three layouts: a source checkout (``resources/`` beside the
package), an installed wheel (``ocop_desktop/resources``), and a frozen app
(``sys._MEIPASS/resources``). The data folder is the platform's user data dir,
or ``data/`` beside the executable in portable mode (a file named
``ocop-portable.txt`` next to the executable).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "OCOP Desktop"
APP_AUTHOR = "OCOP"
PORTABLE_MARKER = "ocop-portable.txt"
_PKG = Path(__file__).resolve().parent


def _bundle_root() -> Path | None:
    base = getattr(sys, "_MEIPASS", None)
    return Path(base) if base else None


def _find(name: str) -> Path:
    candidates = []
    root = _bundle_root()
    if root is not None:
        candidates.append(root / name)
    candidates += [_PKG / name, _PKG.parent / name]
    for c in candidates:
        if c.is_dir():
            return c
    raise FileNotFoundError(f"{name}/ not found (looked in {', '.join(map(str, candidates))})")


def resources_dir() -> Path:
    return _find("resources")


def ui_dir() -> Path:
    return _find("ui")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def portable_dir() -> Path | None:
    """The data folder beside the executable when the portable marker is there."""
    exe_dir = Path(sys.executable).resolve().parent
    if getattr(sys, "frozen", False) and (exe_dir / PORTABLE_MARKER).exists():
        return exe_dir / "data"
    return None


def data_dir() -> Path:
    env = os.environ.get("OCOP_DATA_DIR")
    if env:
        path = Path(env)
    else:
        path = portable_dir() or _platform_data_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _platform_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    env = os.environ.get("OCOP_DB")
    if env:
        return Path(env)
    return data_dir() / "ocop.sqlite"


def node_dir(db_path: Path) -> Path:
    """Per-database folder for keys, attachments and backups, beside the database."""
    db_path = Path(db_path)
    d = db_path.with_name(db_path.name + ".d")
    d.mkdir(parents=True, exist_ok=True)
    return d


def refuse_overwriting_data(db_path: Path | str, out: Path | str) -> None:
    """Refuse an output file that is the database, its journal, or a file in its data folder.

    ``ocop report --out ocop.sqlite`` would otherwise replace the whole database by
    a PDF; an existing file in ``ocop.sqlite.d`` is a key, an attachment or a backup.
    """
    from ocop_desktop.errors import UserError

    db = Path(db_path).resolve()
    target = Path(out).resolve()
    own = {db, *(db.with_name(db.name + s) for s in ("-wal", "-shm", "-journal"))}
    folder = db.with_name(db.name + ".d")
    same = target.exists() and any(p.exists() and os.path.samefile(p, target) for p in own)
    if target in own or same or (target.is_relative_to(folder) and target.exists()):
        # ``same``: a hard link, or another spelling of the name on Windows.
        raise UserError("cli.out_is_database", path=str(out))
