"""ocop key status | sheet | restore | passphrase set/remove, and the province key
file for sealed bundles."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ocop_desktop.cli import cli
from ocop_desktop.cli.common import Context, pass_ctx
from ocop_desktop.cli.sync import sync
from ocop_desktop.errors import UserError
from ocop_desktop.i18n import tr


def notice_weak_key(db_path: Path) -> None:
    """Say once per database that its key is only a file (no credential store here)."""
    from ocop_desktop import keystore

    if keystore.weak_notice_due(db_path):
        click.echo(tr("key.file_notice", folder=str(keystore.data_folder(db_path))))


@cli.group()
def key() -> None:
    """Khoá mã hoá cơ sở dữ liệu / the database's encryption key."""


@key.command("status")
@pass_ctx
def status(ctx: Context) -> None:
    """Where this database's key is kept."""
    from ocop_desktop import keystore

    ctx.store()
    found = keystore.find_key(ctx.path)
    where = "key.where_store" if found and found.where == keystore.IN_CREDENTIAL_STORE else None
    folder = str(keystore.data_folder(ctx.path))
    click.echo(tr(where or "key.where_file", folder=folder))
    on = keystore.has_passphrase(ctx.path)
    click.echo(tr("key.passphrase_status_on" if on else "key.passphrase_status_off"))


@key.command("sheet")
@click.option("--out", required=True, type=click.Path(), help="PDF file, or a folder.")
@pass_ctx
def sheet(ctx: Context, out: str) -> None:
    """Print the recovery sheet: the key as words and a QR code, as a PDF."""
    from ocop_desktop import recovery
    from ocop_desktop.paths import refuse_overwriting_data

    store = ctx.store()
    target = Path(out)
    if target.is_dir():
        target = target / recovery.sheet_file_name(store.node.name)
    refuse_overwriting_data(ctx.path, target)
    click.echo(str(recovery.write_sheet(ctx.path, store.node.name, target)))


@key.command("restore")
@click.option("--words", help="The words on the recovery sheet (or the QR text); else stdin.")
@pass_ctx
def restore(ctx: Context, words: str | None) -> None:
    """Keep the key from a recovery sheet on this computer (a new laptop, a new account)."""
    from ocop_desktop import recovery

    text = words if words is not None else sys.stdin.read()
    found = recovery.restore_key(ctx.path, text)
    click.echo(tr("key.restored", path=str(ctx.path)))
    if found.where != "keyring":
        notice_weak_key(ctx.path)


@key.group("passphrase")
def passphrase() -> None:
    """Mật khẩu (tuỳ chọn) để mở cơ sở dữ liệu / an optional passphrase."""


@passphrase.command("set")
@pass_ctx
def passphrase_set(ctx: Context) -> None:
    """Ask for a passphrase each time the database is opened (a new one replaces the old).

    The new passphrase is typed twice; OCOP_NEW_PASSPHRASE gives it to a script.
    """
    import os

    from ocop_desktop import keystore

    ctx.store()  # the current passphrase, if any, is asked first
    new = os.environ.get("OCOP_NEW_PASSPHRASE")
    if new is None:
        new = click.prompt(tr("key.new_passphrase"), hide_input=True, err=True)
        again = click.prompt(tr("key.repeat_passphrase"), hide_input=True, err=True)
        if again != new:
            raise UserError("key.passphrase_mismatch")
    keystore.set_passphrase(ctx.path, new)
    click.echo(tr("key.passphrase_set", path=str(ctx.path)))


@passphrase.command("remove")
@pass_ctx
def passphrase_remove(ctx: Context) -> None:
    """Open the database again with the key kept on this computer alone."""
    from ocop_desktop import keystore

    ctx.store()  # the passphrase is asked first
    keystore.remove_passphrase(ctx.path)
    click.echo(tr("key.passphrase_removed", path=str(ctx.path)))


@sync.command("province-key")
@click.option("--out", required=True, type=click.Path(dir_okay=False))
@pass_ctx
def province_key(ctx: Context, out: str) -> None:
    """(Province) write the key file offices use to encrypt their first bundles."""
    from ocop_desktop.sync import seal

    click.echo(str(seal.province_key_file(ctx.store(), out)))


@sync.command("use-province-key")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@pass_ctx
def use_province_key(ctx: Context, file: str) -> None:
    """(Office) encrypt bundles to the province with the key file it handed out."""
    from ocop_desktop.sync import seal

    kept = seal.use_province_key(ctx.store(), file)
    click.echo(tr("seal.province_key_kept", name=kept.get("name") or kept["node"]))
