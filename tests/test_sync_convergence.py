"""Hypothesis state machine: a province, two offices and a second laptop of one
office edit at random and swap bundles in any order, with duplicates and losses;
databases are restored from backups at any node at any step, clocks disagree by
up to a few hours, a window of the province stays open beside the imports, and
office 402 sends signed bundles that reach for office 401's records.

After a final full round (every office to the province, the province back to
every office) all nodes hold the same rows within their scope; every version
that still existed on some node is the converged one, in its history, or kept
as a conflict; the hostile bundles changed nothing. Without restores,
conflicts are recorded exactly for the records that had concurrent edits
(versions not in the final version's history).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from ocop_desktop import backup, hlc, producers, products, recognitions
from ocop_desktop.errors import UserError
from ocop_desktop.migrations import SYNCED_TABLES
from ocop_desktop.store import open_store
from ocop_desktop.sync import export_bundle, import_bundle, scope
from tests.sync_helpers import (
    COMMUNES,
    NGA_SON,
    NHU_XUAN,
    add_producer,
    add_product,
    add_recognition,
    make_office,
    make_province,
    rewrite,
    table_hash,
)

NODES = ("P", "A", "A2", "B")

# The machine's wall clock starts here and moves a millisecond at each reading. Any
# moment in the past serves: bundles are refused only for versions ahead of now.
START_MS = 1_780_000_000_000


class SyncWorld(RuleBasedStateMachine):
    """Node ids, incarnations and the wall clock come from the machine itself, not
    from the system: a sequence that fails fails again when replayed, and shrinks."""

    def __init__(self):
        super().__init__()
        self._ids_drawn = random.Random(0)
        self._ms = START_MS
        self._real = (uuid.uuid4, hlc.wall_ms)
        uuid.uuid4 = lambda: uuid.UUID(int=self._ids_drawn.getrandbits(128), version=4)
        hlc.wall_ms = self._tick
        self.dir = Path(tempfile.mkdtemp(prefix="ocop-sync-"))
        self.s = {
            "P": make_province(self.dir),
            "A": make_office(self.dir, NGA_SON, "A"),
            "A2": make_office(self.dir, NGA_SON, "A2"),
            "B": make_office(self.dir, NHU_XUAN, "B"),
        }
        self.mail: list[tuple[str, Path]] = []
        self.parent: dict[str, dict[str, str | None]] = {}  # record -> version -> parent
        self.n = 0
        self.backups: dict[str, list[Path]] = {n: [] for n in NODES}
        self.skew: dict[str, int] = dict.fromkeys(NODES, 0)
        self.restored = False
        self.window = None  # the province's app, open beside the imports

    def teardown(self):
        try:
            if self.window is not None:
                self.window.close()
            for s in self.s.values():
                s.close()
            shutil.rmtree(self.dir, ignore_errors=True)
        finally:
            uuid.uuid4, hlc.wall_ms = self._real

    def _tick(self) -> int:
        self._ms += 1
        return self._ms

    # -- helpers ---------------------------------------------------------------
    def _version(self, node: str, table: str, rid: str) -> str | None:
        row = self.s[node].db.execute(f"SELECT version FROM {table} WHERE id = ?", [rid]).fetchone()
        return row[0] if row else None

    def _track(self, node: str, table: str, rid: str, before: str | None) -> None:
        after = self._version(node, table, rid)
        if after and after != before:
            self.parent.setdefault(rid, {})[after] = before

    def _ids(self, node: str, table: str, deleted: int | None = None) -> list[str]:
        sql = f"SELECT id FROM {table}" + ("" if deleted is None else " WHERE deleted = ?")
        args = [] if deleted is None else [deleted]
        return sorted(r[0] for r in self.s[node].db.execute(sql, args))

    def _edit(self, node: str, rid: str, value: str, table: str = "producers") -> None:
        before = self._version(node, table, rid)
        module = producers if table == "producers" else products
        try:
            module.edit(self.s[node], rid, {"notes": value})
        except UserError:
            return
        self._track(node, table, rid, before)

    # -- rules -----------------------------------------------------------------
    @initialize()
    def seed(self):
        """Each office starts with two records, known to the province and back."""
        for node in ("A", "A2", "B"):
            for i in range(2):
                self.create(node, i, "401")
        self.final_round()

    @rule(node=st.sampled_from(NODES), i=st.integers(0, 5), office=st.sampled_from(["401", "402"]))
    def create(self, node, i, office):
        if node != "P":
            office = NHU_XUAN if node == "B" else NGA_SON
        self.n += 1
        store = self.s[node]
        pid = add_producer(store, f"Cơ sở {self.n} Đông Tiến", COMMUNES[office][i])
        self._track(node, "producers", pid, None)
        prod = add_product(store, pid, f"Sản phẩm {self.n}")
        self._track(node, "products", prod, None)

    @rule(
        node=st.sampled_from(NODES),
        pick=st.integers(0, 10_000),
        text=st.text("aăđơ ", max_size=5),
        table=st.sampled_from(["producers", "products"]),
    )
    def edit(self, node, pick, text, table):
        ids = self._ids(node, table, 0)
        if ids:
            self._edit(node, ids[pick % len(ids)], f"ghi chú {text}", table)

    @rule(
        pick=st.integers(0, 10_000),
        pair=st.sampled_from([("A", "P"), ("A", "A2"), ("B", "P"), ("A2", "P")]),
        table=st.sampled_from(["producers", "products"]),
    )
    def concurrent_edit(self, pick, pair, table):
        """The same record changed on two computers between exchanges (one side
        may delete it: a product edited here, sent to the trash there)."""
        shared = sorted(set(self._ids(pair[0], table)) & set(self._ids(pair[1], table)))
        if shared:
            rid = shared[pick % len(shared)]
            self._edit(pair[0], rid, f"bên {pair[0]}", table)
            if table == "products" and pick % 2:
                self.delete_product(pair[1], shared.index(rid), among=[rid])
            else:
                self._edit(pair[1], rid, f"bên {pair[1]}", table)

    @rule(node=st.sampled_from(NODES), pick=st.integers(0, 10_000))
    def delete_product(self, node, pick, among=None):
        ids = among or self._ids(node, "products", 0)
        if ids:
            rid = ids[pick % len(ids)]
            before = self._version(node, "products", rid)
            try:
                products.delete(self.s[node], rid)
            except UserError:
                return
            self._track(node, "products", rid, before)

    @rule(node=st.sampled_from(NODES), pick=st.integers(0, 10_000))
    def restore_product(self, node, pick):
        ids = self._ids(node, "products", 1)
        if ids:
            rid = ids[pick % len(ids)]
            before = self._version(node, "products", rid)
            try:
                products.restore(self.s[node], rid)
            except UserError:
                return
            self._track(node, "products", rid, before)

    @rule(pick=st.integers(0, 10_000))
    def province_decides(self, pick):
        ids = self._ids("P", "products", 0)
        if ids:
            self.n += 1
            try:
                rid = add_recognition(self.s["P"], ids[pick % len(ids)], f"{self.n}/QĐ-UBND")
            except UserError:
                return
            self._track("P", "recognitions", rid, None)

    @rule(pick=st.integers(0, 10_000), text=st.text("aăđơ ", max_size=4))
    def province_edits_decision(self, pick, text):
        """The province corrects one of its decisions (after offices may hold it)."""
        ids = self._ids("P", "recognitions", 0)
        if ids:
            rid = ids[pick % len(ids)]
            before = self._version("P", "recognitions", rid)
            try:
                recognitions.edit(self.s["P"], rid, {"notes": f"đính chính {text}"})
            except UserError:
                return
            self._track("P", "recognitions", rid, before)

    @rule(node=st.sampled_from(NODES), pick=st.integers(0, 10_000))
    def delete_producer(self, node, pick):
        """A producer closes: its products go to the trash, then the producer."""
        ids = self._ids(node, "producers", 0)
        if not ids:
            return
        rid = ids[pick % len(ids)]
        live = [
            r[0]
            for r in self.s[node].db.execute(
                "SELECT id FROM products WHERE producer_id = ? AND deleted = 0", [rid]
            )
        ]
        for product in live:
            self.delete_product(node, 0, among=[product])
        before = self._version(node, "producers", rid)
        try:
            producers.delete(self.s[node], rid)
        except UserError:
            return
        self._track(node, "producers", rid, before)

    @rule(sender=st.sampled_from(NODES), to=st.sampled_from(["A", "A2", "B"]))
    def export(self, sender, to):
        self.n += 1
        path = self.dir / f"b{self.n}.zip"
        try:
            if sender == "P":
                export_bundle(self.s["P"], path, to=self.s[to].node.id)
                self.mail.append((to, path))
            else:
                export_bundle(self.s[sender], path)
                self.mail.append(("P", path))
        except UserError:
            pass  # the province does not know that office yet

    @precondition(lambda self: self.mail)
    @rule(pick=st.integers(0, 10_000))
    def deliver(self, pick):
        to, path = self.mail[pick % len(self.mail)]  # may be a duplicate; some never arrive
        import_bundle(self.s[to], path, trust_new=True, office_choice="second")

    @rule(node=st.sampled_from(NODES))
    def take_backup(self, node):
        store = self.s[node]
        self.backups[node].append(backup.backup_now(store.path, store.db.conn, reason="test"))

    @precondition(lambda self: any(self.backups.values()))
    @rule(node=st.sampled_from(NODES), pick=st.integers(0, 10_000))
    def restore(self, node, pick):
        """The database goes back to one of its backups (the app's own restore)."""
        # The app keeps only its latest backups (imports make one each): the older
        # ones a person could no longer choose.
        self.backups[node] = [b for b in self.backups[node] if b.exists()]
        if not self.backups[node]:
            return
        if node == "P" and self.window is not None:
            self.window.close()
            self.window = None
        store = self.s[node]
        path = store.path
        store.close()
        backup.restore_from(path, self.backups[node][pick % len(self.backups[node])])
        self.s[node] = open_store(path)
        self._set_clock(node)
        self.restored = True

    def _set_clock(self, node):
        offset = self.skew[node]
        stores = [self.s[node]] + ([self.window] if node == "P" and self.window else [])
        for store in stores:
            store.clock.wall = lambda: hlc.wall_ms() + offset

    @rule(node=st.sampled_from(NODES), minutes=st.integers(-180, 180))
    def clock_skew(self, node, minutes):
        """This computer's clock is wrong by up to three hours (within the day allowed)."""
        self.skew[node] = minutes * 60_000
        self._set_clock(node)

    @rule(pick=st.integers(0, 10_000), text=st.text("aăđơ ", max_size=4))
    def window_edit(self, pick, text):
        """An edit in the province's window, open since before the last imports."""
        if self.window is None:
            self.window = open_store(self.s["P"].path)
            self._set_clock("P")
            return
        ids = self._ids("P", "producers", 0)
        if not ids:
            return
        rid = ids[pick % len(ids)]
        before = self._version("P", "producers", rid)
        try:
            producers.edit(self.window, rid, {"notes": f"cửa sổ {text}"})
        except UserError:
            return
        self._track("P", "producers", rid, before)

    @rule(pick=st.integers(0, 10_000))
    def hostile_office(self, pick):
        """Office 402 re-signs, with its own real key, a bundle that rewrites one of
        office 401's records as its own: the province refuses it, unchanged."""
        prov = self.s["P"]
        ids = [
            r[0]
            for r in prov.db.execute(
                "SELECT id FROM producers WHERE commune_code IN (SELECT value FROM json_each(?))",
                [__import__("json").dumps(list(COMMUNES[NGA_SON]))],
            )
        ]
        if not ids or peers_known(prov, self.s["B"]) is False:
            return
        rid = ids[pick % len(ids)]
        cur = prov.db.execute("SELECT * FROM producers WHERE id = ?", [rid])
        names = [d[0] for d in cur.description]
        row = dict(zip(names, cur.fetchone(), strict=True))
        row.pop("rid")
        row.pop("seq")
        ms = int(row["version"][:13]) + 1000
        b = self.s["B"]
        row |= {
            "version": f"{ms:013d}-00000-{b.node.id}",
            "base_version": row["version"],
            "origin": b.node.id,
            "commune_code": COMMUNES[NHU_XUAN][0],
            "name": "Chiếm quyền",
            "_anc": [row["version"]],
        }
        self.n += 1
        good = export_bundle(b, self.dir / f"h{self.n}-good.zip").path
        line = (__import__("json").dumps(row, ensure_ascii=False) + "\n").encode()

        def change(name, data):
            if name != "data/producers.jsonl":
                return data
            kept = [x for x in data.splitlines(keepends=True) if rid.encode() not in x]
            return b"".join(kept) + line

        bad = rewrite(
            good, self.dir / f"h{self.n}.zip", change_member=change, sign_with=b, opened_by=prov
        )
        before = table_hash(prov.path)
        try:
            import_bundle(prov, bad, trust_new=True, office_choice="second")
        except UserError:
            assert table_hash(prov.path) == before
            return
        raise AssertionError("a hostile bundle was applied")

    @invariant()
    def databases_intact(self):
        for s in self.s.values():
            assert s.db.execute("PRAGMA foreign_key_check").fetchall() == []

    # -- the final round -------------------------------------------------------
    def final_round(self):
        for office in ("A", "A2", "B"):
            import_bundle(
                self.s["P"],
                export_bundle(self.s[office], self.dir / f"f-{office}.zip").path,
                trust_new=True,
                office_choice="second",  # A2 is a second laptop of Nga Sơn
            )
        for office in ("A", "A2", "B"):
            path = export_bundle(
                self.s["P"], self.dir / f"r-{office}.zip", to=self.s[office].node.id
            ).path
            import_bundle(self.s[office], path, trust_new=True)

    def rows(self, node: str, table: str, area=None, office=None) -> dict:
        store = self.s[node]
        cols = [
            d[0]
            for d in store.db.execute(f"SELECT * FROM {table} LIMIT 0").description
            if d[0] not in ("rid", "seq")
        ]
        where, params = "1", {}
        if area is not None:
            filters, params = scope.export_filters(area, office)
            where = filters[table]
        cur = store.db.execute(
            f"SELECT {', '.join('t.' + c for c in cols)} FROM {table} t WHERE {where}", params
        )
        return {r[0]: r for r in cur.fetchall()}

    def held_versions(self) -> set[tuple[str, str]]:
        held = set()
        for s in self.s.values():
            for table in SYNCED_TABLES:
                held |= set(s.db.execute(f"SELECT id, version FROM {table}").fetchall())
        return held

    def check_converged(self):
        held = self.held_versions()
        self.final_round()
        self.final_round()  # a restore is noticed in one round and repaired in the next
        for table in SYNCED_TABLES:
            everything = self.rows("P", table)
            for office in ("A", "A2", "B"):
                node = self.s[office].node
                want = self.rows("P", table, node.area, node.office_code)
                assert self.rows(office, table) == want, (office, table)
        # No silent loss: every version some node still held is the converged one,
        # in its history, or kept as a conflict somewhere.
        prov = self.s["P"]
        kept = set()
        for s in self.s.values():
            for a, b in s.db.execute("SELECT mine_version, theirs_version FROM conflicts"):
                kept |= {a, b}
        for rid, version in held:
            final = next(
                (
                    r[0]
                    for t in SYNCED_TABLES
                    for r in prov.db.execute(f"SELECT version FROM {t} WHERE id = ?", [rid])
                ),
                None,
            )
            assert final is not None, rid
            in_history = prov.db.execute(
                "SELECT 1 FROM sync_ancestry WHERE record_id = ? AND version = ?", [rid, version]
            ).fetchone()
            assert version == final or in_history or version in kept, (rid, version, final)
        # Only the province decides here: what offices send back of its decisions
        # (after a restore too) is its own again, never an office's proposal. The
        # one proposal an office makes in this world is the delete of a product
        # that carries a province decision (or of its producer): it waits for the
        # province, which keeps its record meanwhile (the office takes it back).
        waiting = prov.db.execute("SELECT table_name, proposed_row FROM sync_proposals").fetchall()
        assert all(
            t in ("products", "producers") and json.loads(r)["deleted"] == 1 for t, r in waiting
        )
        undecided = {json.loads(r)["id"] for _, r in waiting}
        if self.restored:
            return  # edits made only in a history that was rolled back are gone, as they should
        # Nothing lost: every record exists at the province with its newest version.
        for rid, versions in self.parent.items():
            if rid in undecided:
                continue  # the province's row, written again over the office's delete
            held = [self._version("P", t, rid) for t in ("producers", "products", "recognitions")]
            final = next(v for v in held if v)
            assert final == max(versions), rid
        # Conflicts exactly where a version is not in the final version's history.
        concurrent = set()
        for rid, versions in self.parent.items():
            history, v = set(), max(versions)
            while v:
                history.add(v)
                v = versions.get(v)
            if set(versions) - history and rid not in undecided:
                concurrent.add(rid)
        recorded = set()
        for s in self.s.values():
            recorded |= {r[0] for r in s.db.execute("SELECT record_id FROM conflicts")} - undecided
        assert recorded == concurrent
        _ = everything


class ConvergingWorld(SyncWorld):
    """The world, checked at the end of each sequence: every node converged."""

    def teardown(self):
        try:
            self.check_converged()
        finally:
            super().teardown()


@pytest.mark.slow
def test_sync_converges():
    # More locally, exploring new sequences each run:
    #   OCOP_SYNC_RANDOM=1 OCOP_SYNC_EXAMPLES=1000 OCOP_SYNC_STEPS=80 pytest tests/test_sync_convergence.py
    # By default the sequences are the same at every run, so a red suite means a change
    # broke one of them, not that a new sequence was drawn. A failure found exploring
    # replays exactly (the machine draws its own node ids and clock): keep it as a
    # scripted test in test_sync_restores.py.
    run = settings(
        max_examples=int(os.environ.get("OCOP_SYNC_EXAMPLES", "40")),
        stateful_step_count=int(os.environ.get("OCOP_SYNC_STEPS", "50")),
        derandomize=not os.environ.get("OCOP_SYNC_RANDOM"),
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    run_state_machine_as_test(ConvergingWorld, settings=run)


def peers_known(prov, office) -> bool:
    return (
        prov.db.execute("SELECT 1 FROM sync_peers WHERE node_id = ?", [office.node.id]).fetchone()
        is not None
    )
