"""ocop import: bring an Excel/CSV list of producers, products and certificates in."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ocop_desktop.cli import cli
from ocop_desktop.cli.common import Context, echo_json, pass_ctx
from ocop_desktop.errors import UserError
from ocop_desktop.i18n import tr


@cli.command("import")
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--sheet", help="Sheet name (default: every visible sheet that lists products).")
@click.option("--dry-run", is_flag=True, help="Show each row's outcome; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the per-row outcomes as JSON.")
@click.option(
    "--map", "map_file", type=click.Path(dir_okay=False), help="JSON {column or header: field}."
)
@click.option(
    "--incomplete",
    type=click.Choice(["import", "skip"]),
    default="import",
    show_default=True,
    help="Rows lacking producer, commune, stars or set: import them flagged, or skip them.",
)
@click.option(
    "--accept-sets",
    "accept_sets",
    metavar="all|ROW[=SET],…",
    help="Accept the proposed product sets: all of them, or row by row (12,15 or 12=9).",
)
@click.option(
    "--template",
    "template",
    type=click.Path(dir_okay=False),
    help="Save a template .xlsx and stop.",
)
@click.option(
    "--report", type=click.Path(dir_okay=False), help="Save the rows needing attention as .xlsx."
)
@pass_ctx
def import_(
    ctx: Context,
    file: str | None,
    sheet: str | None,
    dry_run: bool,
    as_json: bool,
    map_file: str | None,
    incomplete: str,
    template: str | None,
    report: str | None,
    accept_sets: str | None,
) -> None:
    """Import FILE (.xlsx, .xls or .csv): producers, products and certificates."""
    from ocop_desktop import importer
    from ocop_desktop.importer import files
    from ocop_desktop.paths import refuse_overwriting_data

    for out in (template, report):
        if out:
            refuse_overwriting_data(ctx.path, out)
            if file and Path(out).resolve() == Path(file).resolve():
                raise UserError("cli.out_is_input", path=out)
    if template:
        click.echo(tr("import.template_saved", path=files.save_template(template)))
        return
    if not file:
        raise UserError("import.file_needed")
    overrides = importer.read_map_file(map_file) if map_file else None
    accepted = importer.parse_accept_sets(accept_sets)
    store = ctx.store()
    show = None if as_json or not sys.stderr.isatty() else _progress
    # Without --sheet, a workbook with a list on each of several sheets (one per
    # year, one per district) is imported sheet by sheet, each in its own
    # transaction; every sheet is read first, so a sheet that cannot be read
    # stops the import before anything is written.
    sheets: list[str | None] = [sheet] if sheet else list(importer.list_sheets(file)) or [None]
    if len(sheets) > 1:
        for name in sheets:
            importer.load_table(file, name, overrides=overrides)
    outcomes = [
        importer.run_import(
            store,
            file,
            sheet=name,
            overrides=overrides,
            incomplete=incomplete,
            accept_sets=accepted,
            dry_run=dry_run,
            progress=show,
        )
        for name in sheets
    ]
    if report:
        files.save_report([plan for plan, _ in outcomes], report)
    if as_json:
        echo_json(_json(outcomes))
        return
    for plan, result in outcomes:
        _print(plan, result)


def _json(outcomes: list) -> dict:
    """One sheet: its plan and outcome. Several: each sheet's, and the totals."""
    from ocop_desktop import importer

    parts = [plan.to_json() | importer.summary(plan, result) for plan, result in outcomes]
    if len(parts) == 1:
        return parts[0]
    counts: dict[str, int] = {}
    for part in parts:
        for k, n in part["counts"].items():
            counts[k] = counts.get(k, 0) + n
    return {
        "sheets": parts,
        "counts": counts,
        "dry_run": parts[0]["dry_run"],
        "ranked_rows": sum(p["ranked_rows"] for p in parts),
        "ranked_not_recorded": [
            {"sheet": p["sheet"]} | r for p in parts for r in p["ranked_not_recorded"]
        ],
    }


def _progress(done: int, total: int) -> None:
    click.echo(f"\r{done}/{total}", nl=done >= total, err=True)


def _print(plan, result) -> None:
    table = plan.table
    click.echo(
        tr("import.header_found", sheet=table.sheet, rows="+".join(map(str, table.header_rows)))
    )
    for c in table.columns:
        if not c.label and not c.field:
            continue
        field = (
            tr(f"import.field.{c.field}") + f" ({c.field})" if c.field else tr("import.unmapped")
        )
        click.echo("  " + tr("import.map_summary", column=c.letter, label=c.label, field=field))
    for c in table.conversions[:20]:
        click.echo(
            "  "
            + tr(
                "import.converted",
                row=c.row,
                column=c.column,
                original=c.original,
                converted=c.converted,
                encoding=c.encoding.upper(),
            )
        )
    for row in plan.rows:
        if row.status in ("new", "exists"):
            continue
        why = "; ".join(row.messages())
        label = row.product or row.producer or "—"
        click.echo(f"{row.row:>6}  {tr('import.status.' + row.status):<16} {label}: {why}")
    counts = plan.counts()
    click.echo(tr("import.summary", total=len(plan.rows), **counts))
    ranked = [r for r in plan.rows if r.stars]
    if ranked:
        missed = plan.ranked_not_recorded()
        flagged = sum(
            1
            for r in ranked
            if r.certificate_missing
            and r.actions.get("recognition") == "new"
            and r.status not in ("error", "skipped")
        )
        click.echo(
            tr(
                "import.ranked_summary",
                ranked=len(ranked),
                recorded=len(ranked) - len(missed),
                flagged=flagged,
            )
        )
        for r in missed:
            click.echo(
                "  " + tr("import.ranked_missed", row=r.row, reasons="; ".join(r.messages()))
            )
        expired = plan.expired_certificates()
        if expired:
            click.echo(tr("import.ranked_expired", count=len(expired)))
            for r, expiry in expired:
                day = "/".join(reversed(expiry.split("-")))
                click.echo("  " + tr("import.expired_row", row=r.row, product=r.product, date=day))
    proposals = sum(1 for r in plan.rows if r.proposal and not r.proposal_accepted)
    if proposals:
        click.echo(tr("import.proposals_note", count=proposals))
    if result is None:
        click.echo(tr("import.dry_run_note"))
    else:
        click.echo(
            tr(
                "import.created",
                producers=result.producers,
                products=result.products,
                recognitions=result.recognitions,
            )
        )
