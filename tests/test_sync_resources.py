"""Bounded resources (scenario 8 of the sync issue): a bundle from a key nobody
trusts is refused from its manifest alone, and members are streamed, so a
signed bundle with an enormous row or member is refused without being held.
Times and peak memory at 100,000 products are printed by bench/bench_sync.py."""

from __future__ import annotations

import time
import tracemalloc

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from ocop_desktop.errors import UserError
from ocop_desktop.sync import check_bundle, export_bundle, import_bundle
from tests.sync_helpers import NGA_SON, fill, make_office, make_province, rewrite, table_hash

MB = 1024**2


@pytest.fixture
def pair(tmp_path):
    prov = make_province(tmp_path)
    a = make_office(tmp_path, NGA_SON)
    fill(a, NGA_SON, 2)
    import_bundle(prov, export_bundle(a, tmp_path / "a1.zip").path, trust_new=True)
    fill(a, NGA_SON, 300, prefix="Mới ")
    yield prov, a
    prov.close()
    a.close()


def peak_of(fn) -> tuple[BaseException | None, int]:
    tracemalloc.start()
    error = None
    start = time.perf_counter()
    try:
        fn()
    except UserError as exc:
        error = exc
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # Refused within seconds (the 10.8 MB bundle of the report took 32 s), with
    # room for a slow, shared computer.
    assert time.perf_counter() - start < 10
    return error, peak


def padded(store, src, dst, mb: int):
    """Rows padded with ``mb`` megabytes of text in their notes (random, so the zip
    cannot shrink it below the bomb ratio)."""
    import random

    filler = random.Random(7).randbytes(mb * MB // 2).hex()

    def change(name, data):
        if name != "data/products.jsonl":
            return data
        lines = data.splitlines(keepends=True)
        first = lines[0].replace(b'"notes":null', f'"notes":"{filler}"'.encode(), 1)
        assert first != lines[0]
        return first + b"".join(lines[1:])

    return rewrite(src, dst, change_member=change, sign_with=store)


def test_an_untrusted_key_is_refused_from_the_manifest(pair, tmp_path):
    prov, a = pair
    good = export_bundle(a, tmp_path / "good.zip").path
    big = padded(a, good, tmp_path / "big.zip", 10)

    def new_node(m):
        m["sender"]["node"] = "f" * 32  # a computer nobody has trusted

    stranger = rewrite(
        big,
        tmp_path / "stranger.zip",
        change_manifest=new_node,
        sign_with=Ed25519PrivateKey.generate(),
    )
    before = table_hash(prov.path)
    error, peak = peak_of(lambda: import_bundle(prov, stranger))
    assert error is not None and error.key == "sync.untrusted"
    assert peak < 4 * MB  # the 10 MB member was never read
    assert table_hash(prov.path) == before
    # The import dialog shows what the manifest declares, still without reading members.
    checked, peak = peak_of(lambda: check_bundle(prov, stranger))
    assert peak < 4 * MB


def test_a_row_larger_than_any_record_is_refused_while_streaming(pair, tmp_path):
    prov, a = pair
    good = export_bundle(a, tmp_path / "good.zip").path
    huge = padded(a, good, tmp_path / "huge.zip", 32)
    before = table_hash(prov.path)
    error, peak = peak_of(lambda: import_bundle(prov, huge))
    assert error is not None and error.key == "sync.refused.bomb"
    assert peak < 16 * MB  # stopped at the 4 MB line limit, the 32 MB row never held
    assert table_hash(prov.path) == before
