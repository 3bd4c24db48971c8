"""ocop sync whoami | export | import | status | conflicts | resolve | proposals |
accept | reject | forget | log."""

from __future__ import annotations

import click

from ocop_desktop.cli import cli
from ocop_desktop.cli.admin import _bar
from ocop_desktop.cli.common import Context, echo_json, echo_table, pass_ctx
from ocop_desktop.i18n import tr


@cli.group()
def sync() -> None:
    """Đồng bộ bằng tệp giữa văn phòng và tỉnh / file-based sync."""


@sync.command()
@pass_ctx
def whoami(ctx: Context) -> None:
    """This computer's node id and key fingerprint."""
    from ocop_desktop.sync import whoami as who

    click.echo(tr("sync.cli.whoami", **who(ctx.store())))


@sync.command("export")
@click.option("--out", "out", required=True, type=click.Path(), help="File or folder to write.")
@click.option("--to", "to", help="Recipient: office code (e.g. 401) or node id.")
@pass_ctx
def export_(ctx: Context, out: str, to: str | None) -> None:
    """Write a bundle of every change the peer has not acknowledged."""
    from ocop_desktop.sync import export_bundle

    store = ctx.store()
    result = export_bundle(store, out, to, progress=_bar())
    if result.peer is None:
        click.echo(tr("sync.cli.first_bundle", province=store.node.province_code))
    if not result.sealed:
        click.echo(tr("seal.not_sealed"), err=True)
    click.echo(
        tr(
            "sync.cli.exported",
            path=str(result.path),
            rows=result.total,
            attachments=result.attachments,
            size=f"{result.size / 1024:,.0f} KB",
        )
    )


@sync.command("import")
@click.argument("file", type=click.Path())
@click.option("--trust-new", is_flag=True, help="Trust the sender's key on first contact.")
@click.option(
    "--as",
    "office_choice",
    type=click.Choice(["second", "replacement"]),
    help="A new computer of an office already trusted: a second laptop, or a "
    "replacement of the old one (which is then no longer trusted).",
)
@pass_ctx
def import_(ctx: Context, file: str, trust_new: bool, office_choice: str | None) -> None:
    """Verify a bundle completely, then apply it in one transaction."""
    from ocop_desktop.sync import import_bundle

    result = import_bundle(
        ctx.store(), file, trust_new=trust_new, progress=_bar(), office_choice=office_choice
    )
    if result.newly_trusted:
        click.echo(tr("sync.cli.trusted", name=result.sender, fingerprint=result.fingerprint))
    click.echo(tr("sync.cli.imported", **result.as_dict()))


@sync.command()
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def status(ctx: Context, as_json: bool) -> None:
    """Peers, fingerprints, change numbers sent and received, rows waiting, conflicts."""
    from ocop_desktop.sync import status as st

    data = st(ctx.store())
    if as_json:
        echo_json(data)
        return
    node = data["node"]
    click.echo(f"{node['name']} ({node['role']}) {node['node']}  {node['fingerprint']}")
    echo_table(
        data["peers"],
        ["name", "office_code", "fingerprint", "received_seq", "acked_seq", "sent_seq", "waiting"],
    )
    if "waiting_for_province" in data:
        click.echo(tr("cli.sync.waiting", n=data["waiting_for_province"]))
    for p in data["peers"]:
        if p.get("restored_at"):
            again = p["resent"]
            click.echo(
                tr(
                    "cli.sync.peer_restored" if again["bundles"] else "cli.sync.peer_restored_next",
                    name=p["name"],
                    at=p["restored_at"],
                    since=again["since"],
                    rows=again["rows"],
                    bundles=again["bundles"],
                )
            )
    if data.get("restored_at"):
        click.echo(tr("cli.sync.self_restored", at=data["restored_at"], seq=data["restored_seq"]))
    click.echo(tr("cli.sync.open_conflicts", n=data["open_conflicts"]))
    if data.get("open_proposals"):
        click.echo(tr("cli.sync.open_proposals", n=data["open_proposals"]))


@sync.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--all", "include_resolved", is_flag=True, help="Include resolved conflicts.")
@pass_ctx
def conflicts(ctx: Context, as_json: bool, include_resolved: bool) -> None:
    """Concurrent edits: the kept side and the other side."""
    from ocop_desktop.sync import conflicts as cf

    rows = cf.list_(ctx.store(), include_resolved=include_resolved)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(tr("sync.cli.no_conflicts"))
        return
    for r in rows:
        r["short"] = r["id"][:8]
    echo_table(rows, ["short", "table_name", "label", "winner", "fields", "detected_at"])


@sync.command()
@click.argument("conflict_id")
@click.option("--keep", type=click.Choice(["mine", "theirs"]), required=True)
@pass_ctx
def resolve(ctx: Context, conflict_id: str, keep: str) -> None:
    """Keep one side of a conflict (a new edit, which syncs like any other)."""
    from ocop_desktop.sync import conflicts as cf

    cf.resolve(ctx.store(), conflict_id, keep)
    click.echo(tr("sync.cli.resolved", id=conflict_id, keep=keep))


@sync.command()
@click.option("--json", "as_json", is_flag=True)
@click.option("--all", "include_resolved", is_flag=True, help="Include decided proposals.")
@pass_ctx
def proposals(ctx: Context, as_json: bool, include_resolved: bool) -> None:
    """Offices' changes to the province's records, waiting for a decision."""
    from ocop_desktop.sync import proposals as pr

    rows = pr.list_(ctx.store(), include_resolved=include_resolved)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(tr("sync.cli.no_proposals"))
        return
    for r in rows:
        r["short"] = r["id"][:8]
    echo_table(rows, ["short", "table_name", "label", "peer_name", "fields", "received_at"])


@sync.command()
@click.argument("proposal_id", required=False)
@click.option("--all", "every", is_flag=True, help="Every open proposal (e.g. after a first sync).")
@pass_ctx
def accept(ctx: Context, proposal_id: str | None, every: bool) -> None:
    """Take an office's proposal: its values become an edit here, sent to everyone."""
    from ocop_desktop.sync import proposals as pr

    store = ctx.store()
    if every == bool(proposal_id):
        raise click.UsageError(tr("sync.cli.accept_one_or_all"))
    ids: list[str] = [p["id"] for p in pr.list_(store)] if every else [str(proposal_id)]
    for pid in ids:
        done = pr.decide(store, pid, "accept")
        click.echo(tr("sync.cli.proposal_accepted", label=done["label"]))


@sync.command()
@click.argument("proposal_id")
@pass_ctx
def reject(ctx: Context, proposal_id: str) -> None:
    """Refuse an office's proposal: the province's record stays as it is."""
    from ocop_desktop.sync import proposals as pr

    done = pr.decide(ctx.store(), proposal_id, "reject")
    click.echo(tr("sync.cli.proposal_rejected", label=done["label"]))


@sync.command("assign-area")
@click.argument("office")
@click.argument("communes", nargs=-1, type=int, required=True)
@pass_ctx
def assign_area(ctx: Context, office: str, communes: tuple[int, ...]) -> None:
    """Province: the communes of an office whose code is not a former district."""
    from ocop_desktop.sync import identity

    area = identity.assign_area(ctx.store(), office, list(communes))
    click.echo(tr("sync.cli.area_assigned", office=office, count=len(area)))


@sync.command()
@click.argument("peer")
@pass_ctx
def forget(ctx: Context, peer: str) -> None:
    """Stop trusting a peer (node id, office code, or "province"), e.g. a replaced computer."""
    from ocop_desktop.sync import peers

    gone = peers.forget(ctx.store(), peer)
    click.echo(tr("sync.cli.forgot", name=gone.name, fingerprint=gone.fingerprint))


@sync.command()
@click.option("--json", "as_json", is_flag=True)
@pass_ctx
def log(ctx: Context, as_json: bool) -> None:
    """Every bundle sent and received (and refused), newest first."""
    from ocop_desktop.sync import history

    rows = history(ctx.store())
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo(tr("sync.cli.no_log"))
        return
    echo_table(
        rows,
        [
            "at",
            "direction",
            "peer_name",
            "file_name",
            "rows",
            "inserted",
            "updated",
            "conflicts",
            "status",
            "message",
        ],
    )
