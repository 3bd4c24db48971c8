"""summary, report (PDF), narrative, documents, export-excel, target."""

from __future__ import annotations

from datetime import date
from typing import Any

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
            days=data["expiring"]["days"],
            expiring=data["expiring"]["count"],
            expired=data["expired_without_renewal"]["count"],
        )
    )


@cli.command()
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="PDF file to write.")
@_as_of
@_year
@_district
@click.option("--number", default="", help="Document number (e.g. 125 or 125/BC-VPĐP).")
@click.option(
    "--narrative",
    "narrative_file",
    type=click.Path(exists=True, dir_okay=False),
    help="JSON file of the typed sections (strengths, shortcomings, causes, tasks, "
    "proposals), saved with the report's number.",
)
@click.option("--signer", default="", help="Signer's name for this report only.")
@click.option("--signer-title", default="", help="Title above the signature, this report only.")
@pass_ctx
def report(
    ctx: Context,
    out: str,
    as_of: date | None,
    year: int | None,
    district: int | None,
    number: str,
    narrative_file: str | None,
    signer: str,
    signer_title: str,
) -> None:
    """Write the periodic report as a PDF (Decree 30/2020 layout).

    The header, symbol, recipients and signature come from `ocop documents`; the
    typed sections from `--narrative` or what was saved for this number."""
    from ocop_desktop import documents, narratives
    from ocop_desktop.paths import refuse_overwriting_data
    from ocop_desktop.reports.pdf import ReportOptions, build

    refuse_overwriting_data(ctx.path, out)
    store = ctx.store()
    summary_ = _summary(ctx, as_of, year, district)
    if narrative_file:
        sections = narratives.save(store, summary_.year, number, _read_json(narrative_file))
    else:
        sections = narratives.get(store, summary_.year, number) or narratives.empty()
    settings = documents.load(store)
    options = ReportOptions(
        number=number,
        settings=settings,
        narrative=sections,
        signer=signer,
        signer_title=signer_title,
    )
    click.echo(str(build(summary_, out, options)))
    missing = documents.missing(settings)
    if missing:  # written, but not ready to sign: say what to set, in one line
        from ocop_desktop.i18n import tr

        names = ", ".join(tr(f"documents.{name}") for name in missing)
        click.echo(tr("documents.missing_field", field=names), err=True)


def _read_json(path: str) -> dict:
    import json

    from ocop_desktop.errors import UserError

    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as exc:
        raise UserError("narrative.bad_file", "narrative", path=path, detail=str(exc)) from None
    if not isinstance(data, dict):
        raise UserError("narrative.bad_file", "narrative", path=path, detail="{…}")
    return data


@cli.command()
@click.option("--year", type=click.IntRange(2018, 2100), required=True)
@click.option("--number", default="", help="The report's number (blank: unnumbered).")
@click.option(
    "--from-file",
    "from_file",
    type=click.Path(exists=True, dir_okay=False),
    help="JSON file of the sections to save.",
)
@pass_ctx
def narrative(ctx: Context, year: int, number: str, from_file: str | None) -> None:
    """Show (or save) a report's typed sections; a new report starts from the last."""
    from ocop_desktop import narratives

    store = ctx.store()
    if from_file:
        echo_json(narratives.save(store, year, number, _read_json(from_file)))
        return
    echo_json(narratives.starting_point(store, year, number))


@cli.command()
@click.option("--governing-body", help='Governing body line, e.g. "UBND TỈNH THANH HÓA".')
@click.option("--issuing-body", help="Issuing body (a line break as \\n).")
@click.option("--body-name", help="The body's name inside a sentence.")
@click.option("--abbreviation", help='Abbreviation for symbols, e.g. "VPĐP".')
@click.option("--place", help="Place written before the date.")
@click.option("--to", "to", multiple=True, help="A 'Kính gửi' line (repeat for several).")
@click.option("--recipient", multiple=True, help="A 'Nơi nhận' line (repeat for several).")
@click.option("--authority", type=click.Choice(["none", "TM.", "KT.", "Q.", "TL."]))
@click.option("--on-behalf-of", help='After TM./KT./TL., e.g. "ỦY BAN NHÂN DÂN".')
@click.option("--signer-title", help='e.g. "PHÓ CHÁNH VĂN PHÒNG".')
@click.option("--signer-name", help="The signer's name.")
@click.option("--reset", is_flag=True, help="Forget the settings: the role's defaults apply.")
@pass_ctx
def documents(ctx: Context, reset: bool, to: tuple, recipient: tuple, **values: str | None) -> None:
    """Show or set who issues and signs this node's documents."""
    from ocop_desktop import documents as docs

    store = ctx.store()
    if reset:
        echo_json(docs.reset(store).to_dict())
        return
    changes: dict[str, Any] = {k: v for k, v in values.items() if v is not None}
    if "issuing_body" in changes:
        changes["issuing_body"] = changes["issuing_body"].replace("\\n", "\n")
    if changes.get("authority") == "none":
        changes["authority"] = ""
    if to:
        changes["to"] = [] if list(to) == [""] else list(to)
    if recipient:
        changes["recipients"] = list(recipient)
    settings = docs.save(store, changes) if changes else docs.load(store)
    out = settings.to_dict()
    out["missing"] = docs.missing(settings)
    echo_json(out)


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
