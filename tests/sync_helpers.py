"""Nodes, records and database fingerprints shared by the sync tests."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ocop_desktop import producers, products, recognitions
from ocop_desktop.db import open_connection
from ocop_desktop.store import Store, init_node

NGA_SON = "401"
NHU_XUAN = "402"
COMMUNES = {
    NGA_SON: (16093, 16108, 16114, 16138, 16144, 16171),
    NHU_XUAN: (16174, 16177, 16186, 16213, 16222, 16225),
}
DATA_TABLES = ("producers", "products", "evaluations", "recognitions", "targets", "attachments")


def make_province(folder: Path, name: str = "province") -> Store:
    return init_node(folder / f"{name}.sqlite", role="province", province=38, officer="Tỉnh")


def make_office(folder: Path, office: str, name: str | None = None) -> Store:
    return init_node(
        folder / f"{name or 'office-' + office}.sqlite",
        role="office",
        office=office,
        officer="Cán bộ " + office,
    )


def add_producer(store: Store, name: str, commune: int) -> str:
    return producers.add(store, {"name": name, "kind": "hop_tac_xa", "commune_code": commune})


def add_product(store: Store, producer_id: str, name: str, product_set: int = 1) -> str:
    return products.add(
        store, {"name": name, "producer_id": producer_id, "product_set": product_set}
    )


def add_recognition(store: Store, product_id: str, number: str, stars: int = 4) -> str:
    return recognitions.add(
        store,
        {
            "product_id": product_id,
            "decision_no": number,
            "decision_date": "2025-03-01",
            "stars": stars,
        },
    )


def fill(store: Store, office: str, n: int, prefix: str = "") -> list[str]:
    """``n`` producers with one product each in ``office``'s area; returns product ids."""
    ids = []
    for i in range(n):
        commune = COMMUNES[office][i % len(COMMUNES[office])]
        pid = add_producer(store, f"{prefix}Hợp tác xã Đông Tiến {office}-{i}", commune)
        ids.append(add_product(store, pid, f"{prefix}Nước mắm Ba Đình {office}-{i}"))
    return ids


def table_hash(path: Path, exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """A hash of every table's full contents (all rows, all columns)."""
    conn = open_connection(path, readonly=True)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            ).fetchall()
        ]
        out = {}
        for name in names:
            if name in exclude or name.startswith("sqlite_"):
                continue
            h = hashlib.sha256()
            for row in sorted(repr(r) for r in conn.execute(f'SELECT * FROM "{name}"')):
                h.update(row.encode())
            out[name] = h.hexdigest()
        return out
    finally:
        conn.close()


def file_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as bytes."""
    data = path.read_bytes()
    wal = Path(str(path) + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def live_rows(store: Store, table: str, commune_area: frozenset[int] | None = None) -> dict:
    """id -> (version, deleted) for comparing nodes."""
    rows = store.db.execute(f"SELECT id, version, deleted FROM {table}").fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def rewrite(
    src: Path,
    dst: Path,
    *,
    change_manifest=None,
    change_member=None,
    add_members: tuple[tuple[str, bytes], ...] = (),
    sign_with=None,
    rehash: bool = True,
    opened_by: Store | None = None,
) -> Path:
    """Copy a bundle, changing it the way a forger or a broken disk would.

    ``change_member(name, data) -> bytes``; ``change_manifest(dict)`` edits in place;
    ``sign_with`` a Store or an Ed25519 private key (its public key goes into the
    manifest), or None to keep the original signature bytes. A bundle sealed to
    its recipient is opened with ``opened_by`` (the recipient) first: a forger
    builds the signed zip itself, and the result stays unsealed, which a
    recipient accepts as it accepts any bundle signed only.
    """
    import json
    import zipfile

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from ocop_desktop.sync import keys

    if not zipfile.is_zipfile(src) and opened_by is not None:
        src = unsealed(opened_by, src, dst.with_name(dst.name + ".opened.zip"))
    with zipfile.ZipFile(src) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    signature = members.pop("manifest.sig")
    if change_member:
        members = {n: change_member(n, d) for n, d in members.items()}
    members.update(dict(add_members))
    if rehash:
        import hashlib

        declared = {m["name"]: m for m in manifest["members"]}
        for name, data in members.items():
            if name in declared:
                declared[name]["sha256"] = hashlib.sha256(data).hexdigest()
                declared[name]["size"] = len(data)
                if name.startswith("data/"):
                    declared[name]["rows"] = len([x for x in data.splitlines() if x])
    if change_manifest:
        change_manifest(manifest)
    raw = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
    if isinstance(sign_with, Ed25519PrivateKey):
        import base64

        from cryptography.hazmat.primitives import serialization

        pub = sign_with.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        manifest["sender"]["public_key"] = base64.b64encode(pub).decode()
        raw = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        signature = sign_with.sign(raw).hex().encode()
    elif sign_with is not None:
        signature = keys.sign(sign_with, raw).hex().encode()
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        zf.writestr("manifest.json", raw)
        zf.writestr("manifest.sig", signature)
    return dst


def unsealed(recipient: Store, path: Path, dst: Path) -> Path:
    """The signed zip inside a bundle sealed to ``recipient``, as a file of its own
    (tests that edit a bundle's members work on the zip)."""
    import shutil

    from ocop_desktop.sync import seal

    with seal.opened(recipient, path) as plain:
        shutil.copyfile(plain, dst)
    return dst


def row_of(store: Store, table: str, record_id: str) -> dict:
    """A stored row as a bundle carries it (without the local rid and seq)."""
    cur = store.db.execute(f"SELECT * FROM {table} WHERE id = ?", [record_id])
    names = [d[0] for d in cur.description]
    row = dict(zip(names, cur.fetchone(), strict=True))
    row.pop("rid")
    row.pop("seq")
    return row


def forged(world, table: str, rows: list[dict], name: str, office: str = "a", manifest=None):
    """The office's genuine next bundle with ``rows`` put into ``table`` (and its
    manifest changed by ``manifest``), signed again with the office's own key:
    what an office holding a valid key can send."""
    from ocop_desktop.sync import export_bundle

    sender = world[office]
    good = export_bundle(sender, world["dir"] / f"{name}-good.zip").path

    def change(member, data):
        if member == f"data/{table}.jsonl":
            ids = {r["id"] for r in rows}
            kept = [x for x in data.decode().splitlines() if x and json.loads(x)["id"] not in ids]
            lines = kept + [json.dumps(r, ensure_ascii=False) for r in rows]
            return "".join(x + "\n" for x in lines).encode()
        return data

    return rewrite(
        good,
        world["dir"] / f"{name}.zip",
        change_member=change,
        change_manifest=manifest,
        sign_with=sender,
        opened_by=world["prov"],
    )
