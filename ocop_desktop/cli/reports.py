"""summary, report (PDF), export-excel."""

from __future__ import annotations

from datetime import date

import click

from ocop_desktop.cli import cli
from ocop_desktop.cli.common import Context, echo_json, pass_ctx

FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2100, 12, 31)


class _Date(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):  # noqa: ANN001 (click's signature)
        if isinstance(value, date):
            return value
        try:
            day = date.fromisoformat(value)
        except ValueError:
            self.fail(f"{value!r} is not a date (YYYY-MM-DD)", param, ctx)
        if not FIRST_DAY <= day <= LAST_DAY:  # 36 months after 9999-12-31 is no date at all
            self.fail(f"{value} is outside {FIRST_DAY}–{LAST_DAY}", param, ctx)
        return day


_as_of = click.option("--as-of", type=_Date(), help="Figures as of this date (default today).")
_year = click.option(
    "--year", type=click.IntRange(2018, 2100), help="Reporting year (default the as-of year)."
)
_district = click.option(
    "--district", type=int, help="Province node: one former district instead of the province."
)


def _summary(ctx: Context, as_of: date | None, year: int | None, district: int | None):
    from ocop_desktop.summary import compute

    return compute(ctx.store(), as_of=as_of, year=year, district=district)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print every figure as JSON.")
@_as_of
@_year
@_district
@pass_ctx
def summary(
    ctx: Context, as_json: bool, as_of: date | None, year: int | None, district: int | None
) -> None:
    """Figures of the office's area (or the province), as in the reports."""
    data = _summary(ctx, as_of, year, district).to_dict()
    if as_json:
        echo_json(data)
        return
    from ocop_desktop.i18n import format_date, format_number, tr

    p, s = data["products"], data["stars"]
    click.echo(f"{data['scope']['name']} – {format_date(date.fromisoformat(data['as_of']))}")
    click.echo(
        tr(
            "cli.summary.products",
            total=format_number(p["total"]),
            certified=format_number(p["certified"]),
            five=s["5"],
            potential=s["potential_5"],
            four=s["4"],
            three=s["3"],
        )
    )
    click.echo(
        tr(
            "cli.summary.expiring",
            expiring=data["expiring"]["count"],
            expired=data["expired_without_renewal"]["count"],
        )
    )


@cli.command()
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="PDF file to write.")
@_as_of
@_year
@_district
@click.option("--signer", default="", help="Name of the person who signs.")
@click.option("--signer-title", default="", help="Title above the signature.")
@click.option("--number", default="", help="Document number (e.g. 125 or 125/BC-VPĐP).")
@pass_ctx
def report(
    ctx: Context,
    out: str,
    as_of: date | None,
    year: int | None,
    district: int | None,
    signer: str,
    signer_title: str,
    number: str,
) -> None:
    """Write the summary report as a PDF (Decree 30/2020 layout)."""
    from ocop_desktop.paths import refuse_overwriting_data
    from ocop_desktop.reports.pdf import ReportOptions, build

    refuse_overwriting_data(ctx.path, out)
    summary_ = _summary(ctx, as_of, year, district)
    options = ReportOptions(signer=signer, signer_title=signer_title, number=number)
    click.echo(str(build(summary_, out, options)))


@cli.command("export-excel")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="XLSX file to write.")
@_as_of
@_year
@_district
@pass_ctx
def export_excel(
    ctx: Context, out: str, as_of: date | None, year: int | None, district: int | None
) -> None:
    """Write the summary tables and the producers, products and certificates sheets."""
    from ocop_desktop.paths import refuse_overwriting_data
    from ocop_desktop.reports.xlsx import build

    refuse_overwriting_data(ctx.path, out)
    summary_ = _summary(ctx, as_of, year, district)
    click.echo(str(build(ctx.store(), summary_, out)))


@cli.command()
@click.option("--year", type=click.IntRange(2018, 2100), required=True)
@click.option("--new-products", type=click.IntRange(0), help="New recognitions planned.")
@click.option("--four-star", type=click.IntRange(0), help="Of which (or upgrades to) 4 stars.")
@click.option("--potential-five", type=click.IntRange(0), help="Potential 5-star products.")
@click.option("--upgrades", type=click.IntRange(0), help="Upgrades planned.")
@click.option("--renewals", type=click.IntRange(0), help="Re-recognitions planned.")
@_district
@pass_ctx
def target(ctx: Context, year: int, district: int | None, **numbers: int | None) -> None:
    """Show or set the year's target that reports compare results with."""
    from ocop_desktop.targets import NUMBERS, get_target, set_target

    store = ctx.store()
    office = str(district) if district is not None else None
    if any(v is not None for v in numbers.values()):
        current = get_target(store, year, office=office) or {}
        values = {k: numbers[k] if numbers[k] is not None else current.get(k) for k in NUMBERS}
        set_target(store, year, values, office=office)
    row = get_target(store, year, office=office)
    echo_json({k: row[k] for k in ("office_code", "year", *NUMBERS)} if row else None)
