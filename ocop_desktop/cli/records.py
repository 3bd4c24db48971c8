"""producers, products, recognitions, evaluations, search, trash, history."""

from __future__ import annotations

import click

from ocop_desktop.cli import cli
from ocop_desktop.cli.common import Context, echo_json, echo_table, pass_ctx, read_json_object
from ocop_desktop.cli.reports import _Date
from ocop_desktop.validation import PRODUCER_KINDS

JSON_FILE = click.option(
    "--json-file",
    "json_file",
    required=True,
    help="JSON object with the fields; - reads standard input.",
)
AS_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")


def _record_commands(group: click.Group, module, list_columns: list[str], list_options) -> None:
    """add / show / edit / delete / restore are the same for every record type."""

    @group.command("add")
    @JSON_FILE
    @pass_ctx
    def add(ctx: Context, json_file: str) -> None:
        click.echo(module.add(ctx.store(), read_json_object(json_file)))

    @group.command("show")
    @click.argument("record_id")
    @AS_JSON
    @pass_ctx
    def show(ctx: Context, record_id: str, as_json: bool) -> None:
        row = module.get(ctx.store(), record_id)
        if as_json:
            echo_json(row)
        else:
            for k, v in row.items():
                click.echo(f"{k}: {'' if v is None else v}")

    @group.command("edit")
    @click.argument("record_id")
    @JSON_FILE
    @pass_ctx
    def edit(ctx: Context, record_id: str, json_file: str) -> None:
        diff = module.edit(ctx.store(), record_id, read_json_object(json_file))
        click.echo(", ".join(sorted(k for k in diff if not k.endswith("_key"))) or "-")

    @group.command("delete")
    @click.argument("record_id")
    @pass_ctx
    def delete(ctx: Context, record_id: str) -> None:
        """Move to the trash (restore brings it back)."""
        module.delete(ctx.store(), record_id)

    @group.command("restore")
    @click.argument("record_id")
    @pass_ctx
    def restore(ctx: Context, record_id: str) -> None:
        module.restore(ctx.store(), record_id)

    @group.command("list")
    @AS_JSON
    @click.option("--search", help="Text to find in names, diacritics optional.")
    @click.option("--commune", type=click.IntRange(0, 10**9), help="Current commune code.")
    @click.option("--limit", type=click.IntRange(0, 10**9))
    @list_options
    @pass_ctx
    def list_(ctx: Context, as_json: bool, **filters) -> None:
        rows = module.list_(ctx.store(), **{k: v for k, v in filters.items() if v is not None})
        if as_json:
            echo_json(rows)
        else:
            echo_table(rows, list_columns)


def _producer_options(f):
    return click.option("--kind", type=click.Choice(PRODUCER_KINDS))(f)


def _product_options(f):
    f = click.option("--kind", type=click.Choice(PRODUCER_KINDS), help="Producer kind.")(f)
    f = click.option("--product-set", "product_set", type=click.IntRange(1, 26))(f)
    f = click.option("--group", type=click.Choice(["I", "II", "III", "IV", "V", "VI"]))(f)
    f = click.option("--stars", type=click.IntRange(3, 5))(f)
    f = click.option(
        "--status", type=click.Choice(["valid", "expiring", "expired", "revoked", "none"])
    )(f)
    f = click.option("--as-of", "as_of", type=_Date(), help="Status as of this date.")(f)
    return f


def _recognition_options(f):
    f = click.option("--stars", type=click.IntRange(3, 5))(f)
    f = click.option(
        "--status", type=click.Choice(["valid", "expiring", "expired", "revoked", "superseded"])
    )(f)
    f = click.option("--product", "product_id")(f)
    f = click.option("--as-of", "as_of", type=_Date(), help="Status as of this date.")(f)
    return f


def _no_options(f):
    return f


@cli.group()
def producers() -> None:
    """Producers (chủ thể)."""


@cli.group()
def products() -> None:
    """Products (sản phẩm)."""


@cli.group()
def recognitions() -> None:
    """Recognitions / certificates (quyết định công nhận)."""


@cli.group()
def evaluations() -> None:
    """Evaluations (chấm điểm)."""


def _register() -> None:
    from ocop_desktop import evaluations as ev
    from ocop_desktop import producers as pr
    from ocop_desktop import products as pd
    from ocop_desktop import recognitions as rc

    _record_commands(
        producers, pr, ["id", "name", "kind", "commune_code", "tax_code"], _producer_options
    )
    _record_commands(
        products,
        pd,
        ["id", "name", "producer_name", "product_set", "stars", "status"],
        _product_options,
    )
    _record_commands(
        recognitions,
        rc,
        ["id", "decision_no", "decision_date", "stars", "expiry_date", "status", "product_name"],
        _recognition_options,
    )
    _evaluation_commands(ev)


def _evaluation_commands(ev) -> None:
    @evaluations.command("add")
    @JSON_FILE
    @click.option(
        "--options",
        "options_file",
        help="JSON object with the option chosen per criterion of the product's "
        'scoring sheet, e.g. {"A1": 3, "A2": 1}; see: ocop evaluations sheet SET. '
        "Points and stars are then worked out from the sheet.",
    )
    @pass_ctx
    def add(ctx: Context, json_file: str, options_file: str | None) -> None:
        data = read_json_object(json_file)
        if options_file is not None:
            data["options"] = read_json_object(options_file)
        click.echo(ev.add(ctx.store(), data))

    @evaluations.command("sheet")
    @click.argument("product_set", type=int)
    @AS_JSON
    def sheet(product_set: int, as_json: bool) -> None:
        """Print the scoring sheet of a product set with the keys for --options."""
        from ocop_desktop import rubric

        found = rubric.sheet(product_set)
        if as_json:
            echo_json(rubric.as_dict(found))
            return
        for line in rubric.as_text(found):
            click.echo(line)

    @evaluations.command("list")
    @click.argument("product_id")
    @AS_JSON
    @pass_ctx
    def list_(ctx: Context, product_id: str, as_json: bool) -> None:
        rows = ev.list_for_product(ctx.store(), product_id)
        if as_json:
            echo_json(rows)
        else:
            echo_table(rows, ["id", "eval_date", "level", "points", "stars"])


_register()


@cli.command()
@click.argument("text")
@AS_JSON
@click.option("--limit", type=click.IntRange(0, 10**9), default=50, show_default=True)
@pass_ctx
def search(ctx: Context, text: str, as_json: bool, limit: int) -> None:
    """Find producers and products by name, with or without diacritics."""
    from ocop_desktop.search import search as run

    rows = run(ctx.store(), text, limit=limit)
    if as_json:
        echo_json(rows)
    else:
        echo_table(rows, ["type", "id", "name"])


@cli.command()
@AS_JSON
@pass_ctx
def trash(ctx: Context, as_json: bool) -> None:
    """Deleted records (restore with: ocop producers|products|recognitions restore ID)."""
    from ocop_desktop import trash as t

    rows = t.list_(ctx.store())
    if as_json:
        echo_json(rows)
    else:
        echo_table(rows, ["table", "id", "label", "deleted_at"])


@cli.command()
@click.argument("record_id")
@AS_JSON
@pass_ctx
def history(ctx: Context, record_id: str, as_json: bool) -> None:
    """The audit history of a record."""
    from ocop_desktop.records import history as h

    rows = h(ctx.store(), record_id)
    if as_json:
        echo_json(rows)
    else:
        echo_table(rows, ["at", "officer", "action", "field", "old", "new"])
