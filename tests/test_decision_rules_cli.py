"""Who may decide what and when, through the ``ocop`` command: a decision the rules
refuse is one plain line, a non-zero exit, and the database exactly as before."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests import cli_run
from tests.key_helpers import copy_database
from tests.test_qa_crash import content

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-12-03"


def ocop(db: Path, *args: str, stdin: str | None = None, today: str = TODAY):
    return cli_run.ocop("--db", db, *args, stdin=stdin, env={"OCOP_TODAY": today}, cwd=ROOT)


def ok(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 0, (r.stdout, r.stderr)
    return r.stdout.strip()


def one_line_error(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


def add(db: Path, **data) -> subprocess.CompletedProcess:
    return ocop(db, "recognitions", "add", "--json-file", "-", stdin=json.dumps(data))


def add_in(db: Path, lang: str, **data) -> subprocess.CompletedProcess:
    return ocop(
        db, "--lang", lang, "recognitions", "add", "--json-file", "-", stdin=json.dumps(data)
    )


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> tuple[Path, str, str]:
    """An office of Nga Sơn with a producer founded in 2020 and two of its products."""
    db = tmp_path_factory.mktemp("rules") / "seed.sqlite"
    ok(ocop(db, "init", "--role", "office", "--office", "401"))
    producer = ok(
        ocop(
            db,
            "producers",
            "add",
            "--json-file",
            "-",
            stdin=json.dumps(
                {
                    "name": "Hợp tác xã Đông Tiến",
                    "kind": "hop_tac_xa",
                    "commune_code": 16171,
                    "founded_year": 2020,
                }
            ),
        )
    )
    products = [
        ok(
            ocop(
                db,
                "products",
                "add",
                "--json-file",
                "-",
                stdin=json.dumps({"name": name, "producer_id": producer, "product_set": 1}),
            )
        )
        for name in ("Mắm tôm Ba Làng", "Nước mắm Hậu Lộc")
    ]
    content(db)
    return db, products[0], products[1]


@pytest.fixture
def office(seeded, tmp_path) -> tuple[Path, str, str]:
    db, first, second = seeded
    copy = tmp_path / "ocop.sqlite"
    copy_database(db, copy)
    return copy, first, second


def decisions(db: Path) -> list[dict]:
    return json.loads(ok(ocop(db, "recognitions", "list", "--json")))


@pytest.mark.parametrize("day", ["2025-07-01", "2025-07-03", "2025-07-05"])
def test_a_district_decision_from_1_july_2025_is_refused_on_add_and_edit(office, day):
    db, product, _ = office
    district = {"issuer": "UBND huyện Nga Sơn", "stars": 3, "product_id": product}
    for lang, words in (("vi", "không còn cấp huyện"), ("en", "no district level")):
        line = one_line_error(
            add_in(db, lang, decision_no="1/QĐ-UBND", decision_date=day, **district)
        )
        assert words in line and "UBND huyện Nga Sơn" in line
    assert decisions(db) == []
    # The day before the reform a district still recognised 3 stars.
    kept = ok(add(db, decision_no="1/QĐ-UBND", decision_date="2025-06-30", **district))
    before = content(db)
    line = one_line_error(
        ocop(
            db,
            "recognitions",
            "edit",
            kept,
            "--json-file",
            "-",
            stdin=json.dumps({"decision_date": day, "kind": None}),
        )
    )
    assert "không còn cấp huyện" in line
    assert content(db) == before


def test_a_district_round_from_1_july_2025_is_refused(tmp_path):
    db = tmp_path / "province.sqlite"
    ok(ocop(db, "init", "--role", "province", "--province", "38"))
    data = {
        "name": "Đợt huyện",
        "round_date": "2025-07-02",
        "level": "district",
        "chair": "Nguyễn Văn An",
        "members": ["Lê Thị Hằng", "Trần Quốc Bảo"],
    }
    line = one_line_error(ocop(db, "rounds", "create", "--json-file", "-", stdin=json.dumps(data)))
    assert "02/07/2025" in line and "không còn cấp huyện" in line
    assert json.loads(ok(ocop(db, "rounds", "list", "--json"))) == []


@pytest.mark.parametrize(
    ("today", "tomorrow"),
    [("2026-12-03", "2026-12-04"), ("2027-12-31", "2028-01-01"), ("2028-02-29", "2028-03-01")],
)
def test_a_decision_dated_tomorrow_is_refused(office, today, tomorrow):
    db, product, _ = office
    data = {"decision_no": "9/QĐ-UBND", "issuer": "UBND tỉnh Thanh Hóa", "stars": 4}
    stdin = json.dumps({"product_id": product, "decision_date": tomorrow, **data})
    r = ocop(db, "recognitions", "add", "--json-file", "-", stdin=stdin, today=today)
    assert tomorrow in one_line_error(r)
    assert decisions(db) == []
    stdin = json.dumps({"product_id": product, "decision_date": today, **data})
    ok(ocop(db, "recognitions", "add", "--json-file", "-", stdin=stdin, today=today))


def test_a_round_dated_tomorrow_is_refused(tmp_path):
    db = tmp_path / "province.sqlite"
    ok(ocop(db, "init", "--role", "province", "--province", "38"))
    data = {
        "name": "Đợt tỉnh",
        "round_date": "2026-12-04",
        "level": "province",
        "chair": "Nguyễn Văn An",
        "members": ["Lê Thị Hằng", "Trần Quốc Bảo"],
    }
    r = ocop(db, "--lang", "en", "rounds", "create", "--json-file", "-", stdin=json.dumps(data))
    assert "2026-12-04 is in the future" in one_line_error(r)
    assert json.loads(ok(ocop(db, "rounds", "list", "--json"))) == []


def edit(db: Path, rid: str, **changes) -> subprocess.CompletedProcess:
    return ocop(db, "recognitions", "edit", rid, "--json-file", "-", stdin=json.dumps(changes))


@pytest.fixture
def revoked(office) -> tuple[Path, str, str]:
    """A 4-star certificate of 2026-02-01, revoked on 2026-06-01."""
    db, product, _ = office
    rid = ok(
        add(
            db,
            product_id=product,
            decision_no="14/QĐ-UBND",
            decision_date="2026-02-01",
            issuer="UBND tỉnh Thanh Hóa",
            stars=4,
        )
    )
    ok(edit(db, rid, revoked_date="2026-06-01", revoke_reason="vi phạm"))
    return db, product, rid


def test_a_revocation_a_later_decision_rests_on_is_not_undone(revoked):
    """The decision after a revocation is a new recognition; undoing the revocation
    under it would leave it counted as new where the history reads as a renewal."""
    db, product, old = revoked
    later = ok(
        add(db, product_id=product, decision_no="15/QĐ-UBND", decision_date="2026-10-01",
            issuer="UBND tỉnh Thanh Hóa", stars=4)
    )  # fmt: skip
    before = content(db)
    line = one_line_error(edit(db, old, revoked_date=None))
    assert "15/QĐ-UBND" in line and "01/10/2026" in line and "bỏ thu hồi" in line
    assert content(db) == before
    ok(ocop(db, "recognitions", "delete", later))
    ok(edit(db, old, revoked_date=None, revoke_reason=None))
    shown = json.loads(ok(ocop(db, "recognitions", "show", old, "--json")))
    assert shown["revoked_date"] is None


def test_after_a_revocation_a_typed_renewal_is_refused_and_the_next_decision_is_new(revoked):
    db, product, _ = revoked
    data = {
        "product_id": product,
        "decision_no": "15/QĐ-UBND",
        "decision_date": "2026-10-01",
        "issuer": "UBND tỉnh Thanh Hóa",
        "stars": 4,
    }
    before = content(db)
    for kind in ("renewal", "upgrade", "downgrade"):
        line = one_line_error(add(db, **data, kind=kind))
        assert "thu hồi ngày 01/06/2026" in line and "công nhận mới" in line
    line = one_line_error(add_in(db, "en", **data, kind="renewal"))
    assert "revoked on 01/06/2026" in line and "“Re-recognition”" in line
    assert content(db) == before
    rid = ok(add(db, **data))
    shown = json.loads(ok(ocop(db, "recognitions", "show", rid, "--json")))
    assert shown["kind"] == "new"
    summary = json.loads(ok(ocop(db, "summary", "--json")))
    achieved = summary["year_results"]["achieved"]
    assert (achieved["new_products"], achieved["renewals"]) == (2, 0)


def test_a_revoked_certificate_cannot_be_asked_for_renewal(revoked):
    db, _, rid = revoked
    before = content(db)
    line = one_line_error(ocop(db, "renewal", "request", rid))
    assert "14/QĐ-UBND" in line and "thu hồi ngày 01/06/2026" in line
    line = one_line_error(ocop(db, "--lang", "en", "renewal", "request", rid))
    assert "revoked on 01/06/2026" in line
    assert content(db) == before


def test_a_renewal_request_is_recorded_once(office):
    db, product, _ = office
    rid = ok(
        add(
            db,
            product_id=product,
            decision_no="3/QĐ-UBND",
            decision_date="2024-01-10",
            issuer="UBND huyện Nga Sơn",
            stars=3,
        )
    )
    ok(ocop(db, "renewal", "request", rid, "--received-on", "2026-11-20"))
    before = content(db)
    line = one_line_error(ocop(db, "renewal", "request", rid))
    assert "đã được ghi nhận ngày 20/11/2026" in line
    assert content(db) == before


def test_a_revoked_superseded_or_expired_certificate_is_not_printed(revoked, tmp_path):
    db, product, rid = revoked
    pdf = tmp_path / "cert.pdf"
    line = one_line_error(ocop(db, "certificates", "pdf", rid, "--out", str(pdf)))
    assert "14/QĐ-UBND" in line and "thu hồi ngày 01/06/2026" in line
    line = one_line_error(ocop(db, "--lang", "en", "certificates", "pdf", rid, "--out", str(pdf)))
    assert "revoked on 01/06/2026" in line
    assert not pdf.exists()


def test_an_expired_or_superseded_certificate_is_not_printed_its_successor_is(office, tmp_path):
    db, _, product = office
    district = {"product_id": product, "issuer": "UBND huyện Nga Sơn", "stars": 3}
    old = ok(add(db, decision_no="2/QĐ-UBND", decision_date="2022-05-01", **district))
    pdf = tmp_path / "cert.pdf"
    line = one_line_error(ocop(db, "certificates", "pdf", old, "--out", str(pdf)))
    assert "2/QĐ-UBND" in line and "hết hạn ngày 01/05/2025" in line
    new = ok(add(db, decision_no="8/QĐ-UBND", decision_date="2025-05-10", **district))
    line = one_line_error(ocop(db, "certificates", "pdf", old, new, "--out", str(pdf)))
    assert "thay bằng quyết định 8/QĐ-UBND ngày 10/05/2025" in line
    assert not pdf.exists()
    ok(ocop(db, "certificates", "pdf", new, "--out", str(pdf)))
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("expiry", ["2031-03-01", "2026-03-02", "2029-03-02", "2029-02-27"])
def test_an_expiry_other_than_36_months_is_refused_with_the_expected_date(office, expiry):
    db, product, _ = office
    data = {
        "product_id": product,
        "decision_no": "5/QĐ-UBND",
        "decision_date": "2026-03-01",
        "issuer": "UBND tỉnh Thanh Hóa",
        "stars": 4,
    }
    line = one_line_error(add(db, **data, expiry_date=expiry))
    assert "36 tháng" in line and "hết hạn ngày 01/03/2029" in line
    line = one_line_error(add_in(db, "en", **data, expiry_date=expiry))
    assert "expires on 01/03/2029" in line
    assert decisions(db) == []
    # Both conventions of real certificates: the same day 36 months on, or the day before.
    for allowed in ("2029-03-01", "2029-02-28"):
        rid = ok(add(db, **data, expiry_date=allowed))
        assert (
            json.loads(ok(ocop(db, "recognitions", "show", rid, "--json")))["expiry_date"]
            == allowed
        )
        before = content(db)
        assert "01/03/2029" in one_line_error(edit(db, rid, expiry_date="2035-01-01"))
        assert content(db) == before
        ok(ocop(db, "recognitions", "delete", rid))
        data["decision_no"] += "b"


def test_an_expiry_of_a_29_february_decision(office):
    db, product, _ = office
    data = {
        "product_id": product,
        "decision_no": "6/QĐ-UBND",
        "decision_date": "2028-02-29",
        "issuer": "UBND tỉnh Thanh Hóa",
        "stars": 4,
    }
    stdin = json.dumps(data | {"expiry_date": "2031-02-28"})
    ok(ocop(db, "recognitions", "add", "--json-file", "-", stdin=stdin, today="2028-03-01"))


def test_one_number_of_one_issuer_in_one_year_is_one_decision_with_one_date(office):
    db, first, second = office
    data = {"decision_no": "5/QĐ-UBND", "issuer": "UBND tỉnh Thanh Hóa", "stars": 4}
    ok(add(db, product_id=first, decision_date="2026-03-01", **data))
    before = content(db)
    line = one_line_error(add(db, product_id=second, decision_date="2026-09-01", **data))
    assert "5/QĐ-UBND" in line and "ngày 01/03/2026" in line
    spelled = data | {"issuer": "UBND Tỉnh Thanh Hoá"}
    line = one_line_error(
        add_in(db, "en", product_id=second, decision_date="2026-09-01", **spelled)
    )
    assert "already recorded with the date 01/03/2026" in line
    # Spelled another way: still that decision.
    for other in (
        {"issuer": "Ủy ban nhân dân tỉnh Thanh Hóa"},
        {"issuer": "Chủ tịch UBND tỉnh Thanh Hóa"},
        {"decision_no": "5/QD-UBND"},
        {"decision_no": "5/qđ-ubnd"},
    ):
        line = one_line_error(
            add(db, product_id=second, decision_date="2026-09-01", **data | other)
        )
        assert "ngày 01/03/2026" in line, other
    assert content(db) == before
    # The annex of that decision lists another product on the same day.
    ok(add(db, product_id=second, decision_date="2026-03-01", **data))


def test_a_decision_before_its_producer_or_the_programme_existed_is_refused(office):
    db, product, _ = office
    data = {"product_id": product, "decision_no": "4/QĐ-UBND", "stars": 3}
    data["issuer"] = "UBND huyện Nga Sơn"
    line = one_line_error(add(db, **data, decision_date="2019-06-01"))
    assert "01/06/2019" in line and "Hợp tác xã Đông Tiến" in line and "2020" in line
    line = one_line_error(add_in(db, "en", **data, decision_date="1990-06-01"))
    assert "before the OCOP programme began (07/05/2018, Decision 490/QĐ-TTg)" in line
    assert decisions(db) == []
    rid = ok(add(db, **data, decision_date="2020-01-02"))
    before = content(db)
    assert "2020" in one_line_error(edit(db, rid, decision_date="2019-12-31"))
    assert content(db) == before


def test_a_request_for_a_superseded_certificate_names_the_field_in_words(office):
    db, _, product = office
    district = {"product_id": product, "issuer": "UBND huyện Nga Sơn", "stars": 3}
    old = ok(add(db, decision_no="2/QĐ-UBND", decision_date="2022-05-01", **district))
    ok(add(db, decision_no="8/QĐ-UBND", decision_date="2025-05-10", **district))
    line = one_line_error(ocop(db, "renewal", "request", old))
    assert line.startswith("Giấy chứng nhận: không tìm thấy") and "field." not in line
    line = one_line_error(ocop(db, "--lang", "en", "renewal", "request", old))
    assert line.startswith("Certificate: no current certificate")


def test_a_request_is_dated_between_its_decision_and_today_and_names_its_field(office):
    db, product, _ = office
    rid = ok(add(db, product_id=product, decision_no="3/QĐ-UBND", decision_date="2024-06-01",
                 issuer="UBND huyện Nga Sơn", stars=3))  # fmt: skip
    before = content(db)
    line = one_line_error(ocop(db, "renewal", "request", rid, "--received-on", "2024-01-01"))
    assert "01/01/2024" in line and "3/QĐ-UBND" in line and "01/06/2024" in line
    line = one_line_error(ocop(db, "renewal", "request", rid, "--received-on", "2099-01-01"))
    assert line.startswith("Ngày nhận đơn:") and "field." not in line
    line = one_line_error(
        ocop(db, "--lang", "en", "renewal", "request", rid, "--received-on", "2099-01-01")
    )
    assert line.startswith("Date received:")
    assert content(db) == before
