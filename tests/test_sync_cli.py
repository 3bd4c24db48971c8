"""The ``ocop sync`` commands, run as a person would run them."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests import cli_run
from tests.sync_helpers import NGA_SON, fill, make_office, make_province, table_hash

ROOT = Path(__file__).resolve().parent.parent


def ocop(db: Path, *args: str) -> subprocess.CompletedProcess:
    """``ocop sync …`` in this process (``tests/cli_run.py``)."""
    return cli_run.ocop("--db", db, "sync", *args, cwd=ROOT)


def test_cli_round(tmp_path):
    prov, office = make_province(tmp_path), make_office(tmp_path, NGA_SON)
    fill(office, NGA_SON, 2)
    p, o = prov.path, office.path
    prov.close()
    office.close()

    who = ocop(o, "whoami")
    assert who.returncode == 0 and "Dấu vân tay" in who.stdout

    out = ocop(o, "export", "--out", str(tmp_path))
    assert out.returncode == 0, out.stderr
    [bundle] = tmp_path.glob("ocop-401-*.zip")

    before = table_hash(p)
    refused = ocop(p, "import", str(bundle))
    assert refused.returncode == 1
    assert len(refused.stderr.strip().splitlines()) == 1 and "--trust-new" in refused.stderr
    assert table_hash(p) == before

    ok = ocop(p, "import", str(bundle), "--trust-new")
    assert ok.returncode == 0, ok.stderr
    assert "thêm 4" in ok.stdout

    status = json.loads(ocop(p, "status", "--json").stdout)
    [peer] = status["peers"]
    assert peer["office_code"] == NGA_SON and peer["received_seq"] > 0
    assert peer["fingerprint"] == who.stdout.split("Dấu vân tay:")[1].strip()

    back = ocop(p, "export", "--out", str(tmp_path / "back.zip"), "--to", NGA_SON)
    assert back.returncode == 0, back.stderr
    assert ocop(o, "import", str(tmp_path / "back.zip"), "--trust-new").returncode == 0
    assert json.loads(ocop(o, "conflicts", "--json").stdout) == []
    log = ocop(o, "log")
    assert log.returncode == 0 and "back.zip" in log.stdout

    bad = ocop(p, "resolve", "nope", "--keep", "mine")
    assert bad.returncode == 1 and "nope" in bad.stderr
