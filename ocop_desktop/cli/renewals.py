"""renewal: certificates expiring within the warning window, the notices sent to
their producers, re-evaluation requests, and the list to revoke."""

from __future__ import annotations

from datetime import date

import click

from ocop_desktop.cli import cli
from ocop_desktop.cli.common import Context, echo_json, pass_ctx
from ocop_desktop.cli.reports import _Date


@cli.group()
def renewal() -> None:
    """Notify producers before their certificates expire; list what to revoke."""


def _rows(certs: list) -> list[dict]:
    return [c.to_dict() for c in certs]


@renewal.command()
@click.option("--as-of", type=_Date(), help="As of this date (default today).")
@click.option("--unnotified", is_flag=True, help="Only those not notified yet.")
@pass_ctx
def due(ctx: Context, as_of: date | None, unnotified: bool) -> None:
    """Certificates expiring within the warning window, with notices sent."""
    from ocop_desktop import renewals

    certs = renewals.due(ctx.store(), as_of)
    if unnotified:
        certs = renewals.unnotified(certs)
    echo_json({"window_days": renewals.window_days(ctx.store()), "certificates": _rows(certs)})


@renewal.command()
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="PDF file to write.")
@click.option("--first-number", type=click.IntRange(1), help="Number of the first letter.")
@click.option("--sent-on", type=_Date(), help="Date the letters are sent (default today).")
@click.option("--all", "include_notified", is_flag=True, help="Also producers already notified.")
@click.option("--draft", is_flag=True, help="Write the letters without logging them as sent.")
@pass_ctx
def notices(
    ctx: Context,
    out: str,
    first_number: int | None,
    sent_on: date | None,
    include_notified: bool,
    draft: bool,
) -> None:
    """One notice letter per producer (PDF batch), logged as sent."""
    from ocop_desktop import documents, renewals
    from ocop_desktop.paths import refuse_overwriting_data
    from ocop_desktop.reports.notices import NoticeOptions, build

    refuse_overwriting_data(ctx.path, out)
    store = ctx.store()
    certs = renewals.due(store)
    if not include_notified:
        certs = renewals.unnotified(certs)
    letters = renewals.letters(certs)
    options = NoticeOptions(
        first_number=first_number, issued=sent_on, window_days=renewals.window_days(store)
    )
    path, numbers = build(letters, documents.load(store), out, options)
    logged = 0 if draft else renewals.record_notices(store, letters, numbers, sent_on)
    echo_json({"file": str(path), "letters": len(letters), "logged": logged})


@renewal.command("log")
@pass_ctx
def log_(ctx: Context) -> None:
    """The notices sent, newest first."""
    from ocop_desktop import renewals

    echo_json(renewals.notice_log(ctx.store()))


@renewal.command()
@click.argument("certificate")
@click.option("--received-on", type=_Date(), help="Date the request arrived (default today).")
@click.option("--note", default="", help="A note (e.g. the dossier's reference).")
@pass_ctx
def request(ctx: Context, certificate: str, received_on: date | None, note: str) -> None:
    """Record a re-evaluation request for CERTIFICATE (its id or decision number)."""
    from ocop_desktop import renewals

    store = ctx.store()
    rid = renewals.find_certificate(store, certificate)
    renewals.record_request(store, rid, received_on, note)
    echo_json({"recognition_id": rid, "recorded": True})


@renewal.command("to-revoke")
@click.option("--as-of", type=_Date(), help="As of this date (default today).")
@pass_ctx
def to_revoke(ctx: Context, as_of: date | None) -> None:
    """Certificates expired without a re-evaluation request: to revoke."""
    from ocop_desktop import renewals

    store = ctx.store()
    echo_json(
        {
            "to_revoke": _rows(renewals.to_revoke(store, as_of)),
            "awaiting_reevaluation": _rows(renewals.awaiting_reevaluation(store, as_of)),
        }
    )
