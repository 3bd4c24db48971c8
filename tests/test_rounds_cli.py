"""A round of the provincial council, end to end through the ``ocop`` command:
three members score two products, the batch decision is recorded and printed,
certificates carry a signed QR payload that ``ocop certificates verify`` accepts,
and an altered payload is refused."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ocop_desktop import rubric
from tests import cli_run

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-30"
MEMBERS = ("Nguyễn Văn An", "Lê Thị Hằng", "Trần Quốc Bảo")


def ocop(db: Path, *args: str, stdin: str | None = None, today: str = TODAY):
    """In this process (``tests/cli_run.py``), on the day given."""
    return cli_run.ocop("--db", db, *args, stdin=stdin, env={"OCOP_TODAY": today}, cwd=ROOT)


def ok(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 0, (r.stdout, r.stderr)
    return r.stdout.strip()


def best(product_set: int, **worse: int) -> dict[str, int]:
    sheet = rubric.sheet(product_set)
    return {c.key: max(c.options, key=lambda o: o.points).key for c in sheet.criteria} | worse


def pages(pdf: Path) -> int:
    return pdf.read_bytes().count(b"/Type /Page\n") or pdf.read_bytes().count(b"/Type /Page ")


@pytest.fixture(scope="module")
def decided(tmp_path_factory):
    """A province database with a round of two products decided by 715/QĐ-UBND."""
    folder = tmp_path_factory.mktemp("round")
    db = folder / "province.sqlite"
    ok(ocop(db, "init", "--role", "province", "--province", "38", "--officer", MEMBERS[0]))
    producer = ok(
        ocop(
            db,
            "producers",
            "add",
            "--json-file",
            "-",
            stdin=json.dumps(
                {"name": "Hợp tác xã Đông Tiến", "kind": "hop_tac_xa", "commune_code": 16171}
            ),
        )
    )
    ids = [
        ok(
            ocop(
                db,
                "products",
                "add",
                "--json-file",
                "-",
                stdin=json.dumps({"name": name, "producer_id": producer, "product_set": 9}),
            )
        )
        for name in ("Mắm tôm Ba Làng", "Nước mắm Hòa Lộc")
    ]
    round_id = ok(
        ocop(
            db,
            "rounds",
            "create",
            "--json-file",
            "-",
            stdin=json.dumps(
                {
                    "name": "Đợt 2 năm 2026",
                    "round_date": "2026-10-20",
                    "level": "province",
                    "chair": MEMBERS[0],
                    "members": list(MEMBERS[1:]),
                    "secretary": "Phạm Thu Trang",
                    "products": ids,
                }
            ),
        )
    )
    sheets = {
        ids[0]: [best(9), best(9), best(9, A1=1)],
        ids[1]: [best(9, A1=1, A2=1), best(9, A2=1), best(9)],
    }
    for product, choices in sheets.items():
        for member, choice in zip(MEMBERS, choices, strict=True):
            ok(
                ocop(
                    db,
                    "rounds",
                    "sheet",
                    round_id,
                    product,
                    "--member",
                    member,
                    "--options",
                    "-",
                    stdin=json.dumps(choice),
                )
            )
    ok(
        ocop(
            db,
            "rounds",
            "decide",
            round_id,
            "--decision-no",
            "715/QĐ-UBND",
            "--date",
            "2026-11-02",
            "--signer",
            "Lê Đức Giang",
        )
    )
    return db, round_id, ids, folder


def test_the_round_shows_averages_stars_and_proposals(decided):
    db, round_id, ids, _ = decided
    data = json.loads(ok(ocop(db, "rounds", "show", round_id, "--json")))
    first, second = data["results"]
    assert (first["product_id"], first["rank"], first["sheets"]) == (ids[0], 1, "3/3")
    assert first["proposed_upward"] and first["recognised_stars"] == 4
    assert second["product_id"] == ids[1] and second["total"] < first["total"]
    assert data["decided"] is True
    table = ok(ocop(db, "rounds", "list"))
    assert "715/QĐ-UBND" in table and "Đợt 2 năm 2026" in table


def test_the_round_s_documents_are_written(decided):
    db, round_id, ids, folder = decided
    for command, name, expected_pages in (
        ("minutes", "bien-ban.pdf", None),
        ("results", "ket-qua.pdf", 1),
        ("decision", "quyet-dinh.pdf", 2),
    ):
        out = folder / name
        ok(ocop(db, "rounds", command, round_id, "--out", str(out)))
        assert out.read_bytes().startswith(b"%PDF")
        if expected_pages:
            assert pages(out) == expected_pages, name
    certs = folder / "giay-chung-nhan.pdf"
    ok(
        ocop(
            db,
            "certificates",
            "pdf",
            "--round",
            round_id,
            "--signer",
            "Lê Đức Giang",
            "--out",
            str(certs),
        )
    )
    assert pages(certs) == 2  # one landscape page per product
    # Decree 30 signature block: on behalf of the committee, for its chair, the title.
    from pypdf import PdfReader

    first = PdfReader(certs).pages[0].extract_text()
    for line in ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Đức Giang"):
        assert line in first


def test_certificate_payloads_verify_and_a_tampered_one_is_refused(decided):
    db, round_id, ids, folder = decided
    recognitions = json.loads(ok(ocop(db, "recognitions", "list", "--json")))
    assert {r["product_id"] for r in recognitions} == set(ids)
    rid = next(r["id"] for r in recognitions if r["product_id"] == ids[0])
    payload = ok(ocop(db, "certificates", "payload", rid))
    r = ocop(db, "certificates", "verify", payload)
    assert r.returncode == 0 and r.stdout.startswith("HỢP LỆ: Mắm tôm Ba Làng"), r.stdout
    assert "715/QĐ-UBND" in r.stdout and "02/11/2029" in r.stdout

    # One character of the facts changed (the stars, the expiry …): refused.
    head, facts, signature = payload.split(".")
    tampered = f"{head}.{facts[:40]}{'A' if facts[40] != 'A' else 'B'}{facts[41:]}.{signature}"
    r = ocop(db, "certificates", "verify", tampered)
    assert r.returncode == 1 and r.stdout.startswith("GIẢ MẠO"), r.stdout
    # A payload built with other facts and this signature: refused.
    import base64

    claimed = json.loads(base64.urlsafe_b64decode(facts + "=" * (-len(facts) % 4)))
    claimed["stars"] = 5
    forged = base64.urlsafe_b64encode(json.dumps(claimed).encode()).decode().rstrip("=")
    r = ocop(db, "certificates", "verify", f"{head}.{forged}.{signature}", "--json")
    assert r.returncode == 1 and json.loads(r.stdout)["status"] == "forged"

    # Years later the same certificate has expired.
    r = ocop(db, "certificates", "verify", payload, today="2030-01-01")
    assert r.returncode == 1 and r.stdout.startswith("HẾT HẠN"), r.stdout


def test_anyone_holding_the_province_s_key_checks_a_certificate(decided, tmp_path):
    db, _, ids, _ = decided
    recognitions = json.loads(ok(ocop(db, "recognitions", "list", "--json")))
    rid = recognitions[0]["id"]
    payload = ok(ocop(db, "certificates", "payload", rid))
    public_key = ok(ocop(db, "certificates", "key")).splitlines()[0]
    other = tmp_path / "office.sqlite"
    ok(ocop(other, "init", "--role", "office", "--office", "401"))
    r = ocop(other, "certificates", "verify", payload)
    assert r.returncode == 1 and r.stdout.startswith("KHÔNG KIỂM TRA ĐƯỢC"), r.stdout
    r = ocop(other, "certificates", "verify", payload, "--key", public_key)
    assert r.returncode == 0 and r.stdout.startswith("HỢP LỆ"), r.stdout


def test_a_revoked_certificate_is_reported_as_far_as_known(decided, tmp_path):
    db, _, ids, _ = decided
    copy = tmp_path / "copy.sqlite"
    ok(ocop(db, "backup", "--out", str(copy)))
    # The same node on a second computer: its data folder (the database's key and
    # the sync key) moved along with the backup.
    shutil.copytree(db.with_name(db.name + ".d"), tmp_path / "copy.sqlite.d")
    recognitions = json.loads(ok(ocop(copy, "recognitions", "list", "--json")))
    rid = recognitions[0]["id"]
    payload = ok(ocop(copy, "certificates", "payload", rid))
    ok(
        ocop(
            copy,
            "recognitions",
            "edit",
            rid,
            "--json-file",
            "-",
            stdin=json.dumps({"revoked_date": "2026-11-20", "revoke_reason": "vi phạm"}),
        )
    )
    r = ocop(copy, "certificates", "verify", payload)
    assert r.returncode == 1 and r.stdout.startswith("ĐÃ THU HỒI"), r.stdout


def test_an_office_cannot_write_the_province_s_round(decided, tmp_path):
    db, round_id, ids, _ = decided
    office = tmp_path / "office.sqlite"
    ok(ocop(office, "init", "--role", "office", "--office", "401"))
    r = ocop(
        office,
        "rounds",
        "create",
        "--json-file",
        "-",
        stdin=json.dumps(
            {
                "name": "Đợt 1",
                "round_date": "2026-03-01",
                "level": "province",
                "chair": MEMBERS[0],
                "members": list(MEMBERS[1:]),
            }
        ),
    )
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


@pytest.mark.skipif(
    not (shutil.which("pdftoppm") and shutil.which("zbarimg")),
    reason="needs pdftoppm (poppler-utils) and zbarimg (zbar-tools) to scan the printed code",
)
def test_the_printed_qr_code_scans_to_a_payload_that_verifies(decided, tmp_path):
    """Print, render, scan: what a phone reads from the paper is what verify accepts."""
    db, round_id, _, _ = decided
    certs = tmp_path / "giay-chung-nhan.pdf"
    ok(ocop(db, "certificates", "pdf", "--round", round_id, "--out", str(certs)))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-f", "1", "-l", "1", str(certs), str(tmp_path / "p")],
        check=True,
    )
    [png] = tmp_path.glob("p*.png")
    scanned = subprocess.run(
        ["zbarimg", "-q", "--raw", str(png)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert scanned.startswith("OCOP1.")
    r = ocop(db, "certificates", "verify", scanned)
    assert r.returncode == 0 and r.stdout.startswith("HỢP LỆ"), r.stdout


def test_an_office_does_not_sign_the_province_s_certificates(tmp_path):
    office = tmp_path / "office.sqlite"
    ok(ocop(office, "init", "--role", "office", "--office", "401"))
    producer = ok(
        ocop(
            office,
            "producers",
            "add",
            "--json-file",
            "-",
            stdin=json.dumps(
                {"name": "Hợp tác xã Đông Tiến", "kind": "hop_tac_xa", "commune_code": 16171}
            ),
        )
    )
    product = ok(
        ocop(
            office,
            "products",
            "add",
            "--json-file",
            "-",
            stdin=json.dumps({"name": "Mắm tôm", "producer_id": producer, "product_set": 9}),
        )
    )
    copies = {}
    for number, day, stars in (("5/QĐ-UBND", "2024-05-02", 3), ("715/QĐ-UBND", "2026-03-02", 4)):
        copies[number] = ok(
            ocop(
                office,
                "recognitions",
                "add",
                "--json-file",
                "-",
                stdin=json.dumps(
                    {"product_id": product, "decision_no": number, "decision_date": day,
                     "stars": stars}
                ),
            )
        )  # fmt: skip
    # Its own district's decision from before the reform: it signs.
    assert ok(ocop(office, "certificates", "payload", copies["5/QĐ-UBND"])).startswith("OCOP1.")
    # The province's decision, recorded as a received copy: it does not.
    r = ocop(office, "certificates", "payload", copies["715/QĐ-UBND"])
    assert r.returncode == 1 and "UBND tỉnh Thanh Hóa" in r.stderr
