"""init, demo, warning-days, check, backup, restore."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ocop_desktop.cli import cli
from ocop_desktop.cli.common import Context, echo_json, fail, pass_ctx
from ocop_desktop.i18n import tr


@cli.command()
@click.option("--role", type=click.Choice(["office", "province"]), required=True)
@click.option(
    "--office", help="Former district code (e.g. 401 Nga Sơn), or an office code with --communes."
)
@click.option("--communes", help="Explicit area: current commune codes, comma-separated.")
@click.option("--province", type=int, help="Province code (with --role province), e.g. 38.")
@click.option("--name", help="Office name shown on reports (default from the area).")
@click.option("--officer", "officer_name", default="", help="The officer working on this laptop.")
@click.option(
    "--demo", "as_demo", is_flag=True, help="Mark it as a demo database (fill it with `ocop demo`)."
)
@pass_ctx
def init(
    ctx: Context,
    role: str,
    office: str | None,
    communes: str | None,
    province: int | None,
    name: str | None,
    officer_name: str,
    as_demo: bool,
) -> None:
    """Set up this database as an office or the provincial node."""
    from ocop_desktop.store import init_node

    codes = None
    if communes:
        try:
            codes = [int(c) for c in communes.replace(" ", "").split(",") if c]
        except ValueError:
            raise click.BadParameter("codes must be numbers", param_hint="--communes") from None
    store = init_node(
        ctx.path,
        role=role,
        province=province,
        office=office,
        communes=codes,
        officer=officer_name or ctx.officer or "",
        name=name,
        demo=as_demo,
    )
    click.echo(
        tr("cli.initialised", name=store.node.name, n=len(store.node.area), id=store.node.id)
    )
    store.close()
    from ocop_desktop.cli.security import notice_weak_key

    notice_weak_key(ctx.path)


@cli.command()
@click.option(
    "--products", "n_products", type=click.IntRange(1, 1_000_000), default=500, show_default=True
)
@click.option("--seed", type=int, default=1, show_default=True)
@pass_ctx
def demo(ctx: Context, n_products: int, seed: int) -> None:
    """Fill this node's area with realistic demo data."""
    from ocop_desktop.demo import generate

    counts = generate(ctx.store(), n_products=n_products, seed=seed, progress=_bar())
    click.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))


def _bar():
    if not sys.stderr.isatty():
        return None

    def progress(done: int, total: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        click.echo(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}", nl=False, err=True)
        if done >= total:
            click.echo("", err=True)

    return progress


@cli.command("warning-days")
@click.argument("days", type=int, required=False)
@pass_ctx
def warning_days(ctx: Context, days: int | None) -> None:
    """Show or set how many days before expiry a certificate counts as expiring
    (lists, overview, reports and renewal notices all use it; default 90)."""
    from ocop_desktop import cert_status

    store = ctx.store()
    if days is not None:
        cert_status.set_warning_days(store.db, days)
    click.echo(cert_status.warning_days(store.db))


@cli.command()
@pass_ctx
def check(ctx: Context) -> None:
    """Check the database's integrity (PRAGMA integrity_check and foreign keys)."""
    from ocop_desktop.db import integrity_check

    problems = integrity_check(ctx.store().db)
    if problems:
        more = f" (+{len(problems) - 5})" if len(problems) > 5 else ""
        fail(tr("cli.integrity_bad", problems="; ".join(problems[:5]) + more))
    click.echo(tr("cli.integrity_ok"))


@cli.command()
@click.option("--out", type=click.Path(dir_okay=False), required=True)
@pass_ctx
def backup(ctx: Context, out: str) -> None:
    """Copy the database to FILE (safe while the app is open)."""
    from ocop_desktop.backup import backup_to
    from ocop_desktop.paths import refuse_overwriting_data

    refuse_overwriting_data(ctx.path, out)
    path = backup_to(ctx.path, Path(out), ctx.store().db.conn)
    click.echo(str(path))


@cli.command()
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def restore(ctx: Context, backup_file: str, yes: bool) -> None:
    """Replace the database with a backup (the current file is backed up first)."""
    from ocop_desktop.backup import restore_from
    from ocop_desktop.cli.common import ask_passphrase

    ask_passphrase(ctx.path)
    if not yes:
        click.confirm(tr("cli.restore_confirm", db=ctx.path, backup=backup_file), abort=True)
    ctx.close()
    kept = restore_from(ctx.path, Path(backup_file))
    click.echo(tr("cli.restored", kept=kept))


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def info(ctx: Context, as_json: bool) -> None:
    """This node: office, area, officer, schema and reference-data versions."""
    from ocop_desktop import refdata
    from ocop_desktop.db import get_meta, schema_version

    store = ctx.store()
    ref = refdata.load()
    data: dict[str, Any] = {
        "database": str(ctx.path),
        "node_id": store.node.id,
        "role": store.node.role,
        "office_code": store.node.office_code,
        "office_name": store.node.name,
        "province": ref.provinces.get(store.node.province_code),
        "communes": [{"code": c, "name": ref.commune_name(c)} for c in sorted(store.node.area)],
        "officer": store.officer,
        "schema_version": schema_version(store.db),
        "refdata_version": get_meta(store.db, "refdata_version"),
    }
    if as_json:
        echo_json(data)
        return
    for k, v in data.items():
        if k == "communes":
            v = ", ".join(f"{c['code']} {c['name']}" for c in v)
        click.echo(f"{k}: {v}")
