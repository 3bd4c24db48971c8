"""What the command modules share: the open store, JSON input and output."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import click

from ocop_desktop.errors import UserError, ValidationError
from ocop_desktop.store import Store


def fail(message: str) -> NoReturn:
    click.echo(" ".join(message.split()), err=True)
    sys.exit(1)


@dataclass
class Context:
    db_path: str | None
    officer: str | None
    _store: Store | None = field(default=None, repr=False)

    @property
    def path(self) -> Path:
        from ocop_desktop.paths import default_db_path

        return Path(self.db_path) if self.db_path else default_db_path()

    def store(self) -> Store:
        if self._store is None:
            from ocop_desktop.store import open_store

            ask_passphrase(self.path)
            self._store = open_store(self.path, officer=self.officer)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


pass_ctx = click.make_pass_decorator(Context)


def ask_passphrase(db_path: Path) -> None:
    """A database under a passphrase: prompt for it, unless ``OCOP_PASSPHRASE`` gives it.

    A wrong one stops the command with one line, before anything is opened.
    """
    import os

    from ocop_desktop import keystore
    from ocop_desktop.i18n import tr

    if os.environ.get(keystore.PASSPHRASE_ENV) is not None or not keystore.needs_passphrase(
        db_path
    ):
        return
    typed = click.prompt(tr("key.ask_passphrase", path=str(db_path)), hide_input=True, err=True)
    keystore.unlock(db_path, typed)


def read_json_object(path: str) -> dict[str, Any]:
    """Read one JSON object from a file or ``-`` (stdin)."""
    try:
        data_bytes = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise UserError("cli.file_missing", path=path) from exc
    # Windows PowerShell's `echo … > file.json` writes UTF-16 with a byte-order mark.
    utf16 = data_bytes.startswith((b"\xff\xfe", b"\xfe\xff"))
    try:
        raw = data_bytes.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError("cli.json_not_utf8", "json") from exc
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            "validation.bad_json",
            "json",
            detail=f"{exc.msg} (line {exc.lineno}, column {exc.colno})",
        ) from exc
    if not isinstance(data, dict):
        raise ValidationError("validation.json_not_object", "json")
    return data


_encode = json.JSONEncoder(ensure_ascii=False, default=str).encode


def echo_json(data: Any) -> None:
    """Print ``data`` as readable JSON, written out in pieces of about 64 kB: a
    province's summary is ~10 MB of text, and one string of it (with its parts and
    its encoded copy) would triple the command's peak memory."""
    buffer: list[str] = []
    size = 0
    for chunk in _json_chunks(data, 0):
        buffer.append(chunk)
        size += len(chunk)
        if size >= 65536:
            click.echo("".join(buffer), nl=False)
            buffer, size = [], 0
    click.echo("".join(buffer))


def _json_chunks(data: Any, level: int) -> Iterator[str]:
    """JSON for people and scripts alike: objects indented, a list's items one to a
    line. Each line is written by the json module's C encoder; ``indent=`` would
    use its pure-Python one, 1.5 s for the 20,000 certificates of a province's
    summary. One encoder serves every line: ``json.dumps`` with options builds a
    new one per call, a fifth of the time for 26,000 lines."""
    pad, inner = "  " * level, "  " * (level + 1)
    if isinstance(data, dict) and data:
        yield "{\n"
        for i, (k, v) in enumerate(data.items()):
            yield (",\n" if i else "") + inner + _encode(str(k)) + ": "
            yield from _json_chunks(v, level + 1)
        yield "\n" + pad + "}"
    elif isinstance(data, list) and data:
        yield "[\n"
        for i, v in enumerate(data):
            yield (",\n" if i else "") + inner + _encode(v)
        yield "\n" + pad + "]"
    else:
        yield _encode(data)


def echo_table(rows: list[dict[str, Any]], columns: list[str]) -> None:
    """A plain aligned table for people; --json is for scripts."""
    if not rows:
        return
    widths = {c: max(len(c), *(len(_cell(r.get(c))) for r in rows)) for c in columns}
    widths = {c: min(w, 48) for c, w in widths.items()}
    click.echo("  ".join(c.ljust(widths[c]) for c in columns))
    for r in rows:
        click.echo("  ".join(_cell(r.get(c))[: widths[c]].ljust(widths[c]) for c in columns))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)
