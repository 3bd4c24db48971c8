"""rounds (council rounds, members' sheets, batch decision) and certificates."""

from __future__ import annotations

import sys

import click

from ocop_desktop.cli import cli
from ocop_desktop.cli.common import Context, echo_json, echo_table, pass_ctx, read_json_object

AS_JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON.")
OUT = click.option("--out", required=True, type=click.Path(dir_okay=False), help="PDF file.")


@cli.group()
def rounds() -> None:
    """Council rounds (đợt đánh giá): members' sheets, results, batch decision."""


@rounds.command("create")
@click.option(
    "--json-file",
    "json_file",
    required=True,
    help="JSON object: name, round_date, level, chair, members (list), secretary, place, "
    "products (list of product ids); - reads standard input.",
)
@pass_ctx
def create(ctx: Context, json_file: str) -> None:
    from ocop_desktop import rounds as rd

    click.echo(rd.create(ctx.store(), read_json_object(json_file)))


@rounds.command("list")
@AS_JSON
@pass_ctx
def list_(ctx: Context, as_json: bool) -> None:
    from ocop_desktop import rounds as rd

    rows = rd.list_(ctx.store())
    if as_json:
        echo_json(rows)
    else:
        echo_table(rows, ["id", "round_date", "level", "name", "products", "decisions"])


@rounds.command("add-product")
@click.argument("round_id")
@click.argument("product_id")
@pass_ctx
def add_product(ctx: Context, round_id: str, product_id: str) -> None:
    from ocop_desktop import rounds as rd

    rd.add_product(ctx.store(), round_id, product_id)


@rounds.command("sheet")
@click.argument("round_id")
@click.argument("product_id")
@click.option("--member", required=True, help="The council member whose sheet this is.")
@click.option(
    "--options",
    "options_file",
    required=True,
    help='JSON object: the option chosen per criterion, e.g. {"A1": 3, ...} '
    "(see: ocop evaluations sheet SET); - reads standard input.",
)
@pass_ctx
def sheet(ctx: Context, round_id: str, product_id: str, member: str, options_file: str) -> None:
    """Record (or replace) one member's scoring sheet for one product."""
    from ocop_desktop import rounds as rd
    from ocop_desktop.reports.wording import num

    result = rd.record_sheet(
        ctx.store(), round_id, product_id, member, read_json_object(options_file)
    )
    click.echo(f"{result['id']}  {num(result['points'], 2)}")


@rounds.command("show")
@click.argument("round_id")
@AS_JSON
@pass_ctx
def show(ctx: Context, round_id: str, as_json: bool) -> None:
    """The round's results: average total, stars, minimums, proposals, ranked."""
    from ocop_desktop import rounds as rd

    data = rd.as_dict(ctx.store(), round_id)
    if as_json:
        echo_json(data)
        return
    click.echo(f"{data['name']} – {data['round_date']} – {data['level']}")
    rows = [
        {
            "rank": x["rank"],
            "name": x["name"],
            "sheets": x["sheets"],
            "total": x["total"],
            "stars": x["stars"] or "-",
            "recognised": x["recognised_stars"] or "-",
            "proposed": "yes" if x["proposed_upward"] else "",
            "unmet": ", ".join(x["unmet"]),
        }
        for x in data["results"]
    ]
    echo_table(
        rows, ["rank", "name", "sheets", "total", "stars", "recognised", "proposed", "unmet"]
    )


@rounds.command("decide")
@click.argument("round_id")
@click.option("--decision-no", required=True, help='e.g. "715/QĐ-UBND".')
@click.option("--date", "decision_date", required=True, help="YYYY-MM-DD.")
@click.option("--issuer", help="Default: the body the rules name for the date and stars.")
@click.option("--signer", help="Name of the person who signs.")
@click.option("--signer-title", help='e.g. "Phó Chủ tịch".')
@pass_ctx
def decide(ctx: Context, round_id: str, **data: str | None) -> None:
    """Record the round's batch decision: every product's recognition in one step."""
    from ocop_desktop import batch_decisions

    values = {k: v for k, v in data.items() if v is not None}
    click.echo(batch_decisions.record(ctx.store(), round_id, values))


@rounds.command("minutes")
@click.argument("round_id")
@OUT
@pass_ctx
def minutes_pdf(ctx: Context, round_id: str, out: str) -> None:
    """The council's minutes (biên bản họp hội đồng) as PDF."""
    from ocop_desktop.reports import round_documents

    click.echo(round_documents.minutes(ctx.store(), round_id, out))


@rounds.command("results")
@click.argument("round_id")
@OUT
@pass_ctx
def results_pdf(ctx: Context, round_id: str, out: str) -> None:
    """The results list of the round as PDF (A4 landscape)."""
    from ocop_desktop.reports import round_documents

    click.echo(round_documents.results_list(ctx.store(), round_id, out))


@rounds.command("decision")
@click.argument("round_id")
@OUT
@pass_ctx
def decision_pdf(ctx: Context, round_id: str, out: str) -> None:
    """The round's batch decision with its annex of products, as PDF."""
    from ocop_desktop import batch_decisions
    from ocop_desktop.errors import UserError
    from ocop_desktop.reports import round_documents

    found = batch_decisions.for_round(ctx.store(), round_id)
    if found is None:
        raise UserError("batch.none_yet")
    click.echo(round_documents.decision(ctx.store(), found["id"], out))


@cli.group()
def certificates() -> None:
    """Certificates (giấy chứng nhận) with a signed QR code, and checking one."""


@certificates.command("pdf")
@click.argument("recognition_ids", nargs=-1)
@click.option("--round", "round_id", help="Every certificate of this round's batch decision.")
@click.option("--signer", default="", help="Name printed under the signature.")
@click.option(
    "--signer-title", default="PHÓ CHỦ TỊCH", show_default=True, help="Title above the name."
)
@OUT
@pass_ctx
def certificates_pdf(
    ctx: Context,
    recognition_ids: tuple[str, ...],
    round_id: str | None,
    signer: str,
    signer_title: str,
    out: str,
) -> None:
    """One A4-landscape certificate per recognition."""
    from ocop_desktop import batch_decisions
    from ocop_desktop.errors import UserError
    from ocop_desktop.reports import round_documents

    ids = list(recognition_ids)
    if round_id:
        found = batch_decisions.for_round(ctx.store(), round_id)
        if found is None:
            raise UserError("batch.none_yet")
        ids += [r["id"] for r in found["recognitions"]]
    if not ids:
        raise click.UsageError("give recognition ids or --round")
    click.echo(
        round_documents.certificate_pages(
            ctx.store(), ids, out, signer=signer, signer_title=signer_title
        )
    )


@certificates.command("payload")
@click.argument("recognition_id")
@pass_ctx
def payload(ctx: Context, recognition_id: str) -> None:
    """The signed text a certificate's QR code holds."""
    from ocop_desktop import certificates as cert

    click.echo(cert.payload(ctx.store(), recognition_id))


@certificates.command("key")
@pass_ctx
def key(ctx: Context) -> None:
    """This node's public key: what others need to check its certificates."""
    from ocop_desktop.sync import keys

    public = keys.public_key_b64(ctx.store())
    click.echo(public)
    click.echo(keys.fingerprint(public))


@certificates.command("verify")
@click.argument("text")
@click.option("--key", "public_key", help="The issuer's public key (base64), if not a peer.")
@AS_JSON
@pass_ctx
def verify(ctx: Context, text: str, public_key: str | None, as_json: bool) -> None:
    """Check a scanned QR payload: valid, expired, revoked as far as known, or forged.

    Exit code 0 only when valid."""
    from ocop_desktop import certificates as cert

    if text == "-":
        text = sys.stdin.read()
    verdict = cert.verify(ctx.store(), text, public_key=public_key)
    if as_json:
        echo_json({"status": verdict.status, "facts": verdict.facts, "signer": verdict.signer})
    else:
        click.echo(verdict.message())
    if verdict.status != "valid":
        sys.exit(1)
