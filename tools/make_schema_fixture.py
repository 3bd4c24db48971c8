"""Write tests/data/schema_v<N>.sqlite with the current schema and a few rows.

Run it once whenever a migration is added, *before* adding it, so the fixture of
the version being replaced is kept: tests/test_migrations.py opens each fixture
with the new code and checks that it upgrades.

The fixture is written plain (no key), so it opens anywhere without a key file
beside it; opening it also takes it through the conversion to an encrypted file.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ocop_desktop import producers, products, recognitions  # noqa: E402
from ocop_desktop.migrations import SCHEMA_VERSION  # noqa: E402
from ocop_desktop.store import init_node  # noqa: E402


def _leave_out_the_key() -> None:
    from ocop_desktop import db as dbmod

    real = dbmod.open_connection

    def plain_open(path, *, readonly=False, key=None):
        return real(path, readonly=readonly, key=None)

    dbmod.open_connection = plain_open


def main() -> None:
    _leave_out_the_key()
    out = ROOT / "tests" / "data" / f"schema_v{SCHEMA_VERSION}.sqlite"
    out.unlink(missing_ok=True)
    store = init_node(out, role="office", office="401", officer="Lê Thị Hoa")
    pid = producers.add(
        store,
        {
            "name": "Hợp tác xã Đông Tiến",
            "kind": "hop_tac_xa",
            "commune_code": 16171,
            "tax_code": "2801234567",
        },
    )
    prod = products.add(store, {"name": "Mắm tôm Ba Làng", "producer_id": pid, "product_set": 9})
    recognitions.add(
        store,
        {
            "product_id": prod,
            "decision_no": "1114/QĐ-UBND",
            "decision_date": "2024-05-02",
            "stars": 3,
            "points": 62,
        },
    )
    store.close()
    shutil.rmtree(f"{out}.d", ignore_errors=True)  # the node's folder: keys, state
    conn = sqlite3.connect(out)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
