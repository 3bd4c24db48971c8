"""What a list says about certificates, read as the officer meant it: ranks without a
date, fuller lists filling them in, the write's own rules in the dry run, producers
written with abbreviations, upgrades, dashes, internal codes, hidden rows and dates
that contradict each other. Real .xlsx and .csv files, a real database, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from ocop_desktop import overview, producers, products, recognitions, records
from ocop_desktop.errors import ValidationError
from ocop_desktop.importer import apply_plan, load_table, plan_import
from ocop_desktop.importer import values as val
from ocop_desktop.importer.plan import EXISTS, INCOMPLETE, SKIPPED
from ocop_desktop.store import StoreKey
from ocop_desktop.text import producer_key
from tests import cli_run

ROOT = Path(__file__).resolve().parents[1]
TITLE = "DANH SÁCH SẢN PHẨM OCOP HUYỆN NGA SƠN (giai đoạn 2019-2022)"


def workbook(path: Path, rows: list[list], *, hidden: tuple[int, ...] = ()) -> Path:
    """A district's list as officers keep it: a title line, a blank line, a two-row
    header with "Quyết định công nhận" merged over its number, date and issuer."""
    wb = Workbook()
    ws = wb.active
    ws.title = "SP OCOP"
    ws.append([TITLE])
    ws.append([])
    ws.append(["STT", "Tên sản phẩm", "Tên chủ thể", "Xã", "Hạng sao", "Quyết định công nhận",
               None, None, "Bộ sản phẩm"])  # fmt: skip
    ws.append([None, None, None, None, None, "Số QĐ", "Ngày QĐ", "Cơ quan ban hành", None])
    for rng in ("A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "I3:I4", "F3:H3"):
        ws.merge_cells(rng)
    for row in rows:
        ws.append(row)
    for n in hidden:
        ws.row_dimensions[n].hidden = True
    wb.save(path)
    return path


def ocop(db: Path, *args: str):
    return cli_run.ocop("--db", db, *args, cwd=ROOT)


def ocop_json(db: Path, *args: str) -> dict:
    out = ocop(db, *args, "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def certificates(store) -> dict[str, dict]:
    cur = store.db.execute(
        "SELECT p.name, r.stars, r.decision_no, r.decision_date, r.date_basis, r.expiry_date, "
        "r.issuer, r.kind, r.incomplete FROM recognitions r "
        "JOIN products p ON p.id = r.product_id WHERE r.deleted = 0"
    )
    names = [d[0] for d in cur.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}


def table_counts(store) -> tuple[int, int, int]:
    return tuple(
        store.db.execute(f"SELECT count(*) FROM {t} WHERE deleted = 0").fetchone()[0]
        for t in ("producers", "products", "recognitions")
    )


STARS_ONLY = [
    [1, "Chiếu cói Nga Tiến", "HTX Cói Nga Tiến", "Nga Tiến", 3, None, None, None, 21],
    [2, "Nước mắm Nga Thủy", "Hộ Nguyễn Văn An", "Nga Thủy", "4 sao", None, None, None, 9],
    [3, "Bánh gai Tứ Trụ", "Công ty TNHH Bánh gai Tứ Trụ", "Nga Văn", "3 sao", None, None, None, 6],
]
FULLER = [
    [1, "Chiếu cói Nga Tiến", "HTX Cói Nga Tiến", "Nga Tiến", 3, "1234/QĐ-UBND", "12/05/2023",
     "UBND huyện Nga Sơn", 21],
    [2, "Nước mắm Nga Thủy", "Hộ Nguyễn Văn An", "Nga Thủy", "4 sao", "2345/QĐ-UBND",
     "15/08/2023", "UBND tỉnh Thanh Hóa", 9],
    [3, "Bánh gai Tứ Trụ", "Công ty TNHH Bánh gai Tứ Trụ", "Nga Văn", "3 sao", "1234/QĐ-UBND",
     "12/05/2023", None, 6],
]  # fmt: skip


# ---- a rank without a date ------------------------------------------------------------
@pytest.mark.today("2026-12-03")
def test_a_rank_without_a_date_is_ranked_but_no_decision_of_this_year(office, tmp_path):
    path = workbook(tmp_path / "sao.xlsx", STARS_ONLY)
    db = office.path
    done = ocop_json(db, "import", str(path))
    assert done["counts"]["error"] == 0 and done["counts"]["incomplete"] == 3
    assert done["ranked_not_recorded"] == []
    # each rank kept, flagged, with no issuer the list does not give
    certs = certificates(office)
    assert table_counts(office) == (3, 3, 3)
    for cert in certs.values():
        assert cert["date_basis"] == "unknown" and cert["issuer"] is None
        assert "ngày quyết định" in cert["incomplete"]
    assert certs["Nước mắm Nga Thủy"]["stars"] == 4
    summary = ocop_json(db, "summary")
    assert summary["products"]["ranked"] == 3
    # the day of the import is not a decision of this year
    achieved = summary["year_results"]["achieved"]
    assert achieved["total"] == achieved["new_products"] == achieved["renewals"] == 0
    assert overview.compute(office).new_this_year == 0
    # the same list again adds and changes nothing
    again = ocop_json(db, "import", str(path))
    assert again["counts"]["new"] == again["counts"]["update"] == 0
    assert table_counts(office) == (3, 3, 3)


@pytest.mark.today("2026-12-03")
def test_a_fuller_list_then_dates_the_certificates_its_dry_run_announced(office, tmp_path):
    db = office.path
    ocop_json(db, "import", str(workbook(tmp_path / "sao.xlsx", STARS_ONLY)))
    fuller = workbook(tmp_path / "day-du.xlsx", FULLER)
    dry = ocop_json(db, "import", str(fuller), "--dry-run")
    assert dry["counts"]["error"] == 0 and dry["ranked_not_recorded"] == []
    assert dry["counts"]["update"] == 3
    done = ocop_json(db, "import", str(fuller))
    assert done["counts"] == dry["counts"]
    certs = certificates(office)
    assert table_counts(office) == (3, 3, 3)
    mat = certs["Chiếu cói Nga Tiến"]
    assert (mat["decision_no"], mat["decision_date"], mat["issuer"]) == (
        "1234/QĐ-UBND",
        "2023-05-12",
        "UBND huyện Nga Sơn",
    )
    assert mat["expiry_date"] == "2026-05-12" and mat["date_basis"] is None
    assert mat["incomplete"] is None
    # no issuer in the list: the body the date's rule names (a district in 2023)
    assert certs["Bánh gai Tứ Trụ"]["issuer"] == "UBND huyện Nga Sơn"


@pytest.mark.today("2026-12-03")
def test_a_fuller_list_fills_a_certificate_dated_by_an_earlier_import(office, tmp_path):
    """Certificates an earlier version stored as "issued today" with the province as
    issuer: the fuller list's date and issuer replace them, 3 stars included."""
    producer = producers.add(
        office, {"name": "HTX Cói Nga Tiến", "kind": "hop_tac_xa", "commune_code": 16108}
    )
    product = products.add(
        office, {"name": "Chiếu cói Nga Tiến", "producer_id": producer, "product_set": 21}
    )
    values = recognitions.clean(
        office,
        {
            "product_id": product,
            "decision_no": "",
            "decision_date": "2026-12-03",
            "date_basis": "unknown",
            "stars": 3,
            "incomplete": "cần bổ sung: số quyết định; ngày quyết định (hạn: chưa rõ)",
        },
        allow_incomplete=True,
    )
    values["issuer"] = "UBND tỉnh Thanh Hóa"  # as an earlier version chose for the import's day
    with office.db.conn:
        records.insert(office, recognitions.TABLE, values)
    fuller = workbook(tmp_path / "day-du.xlsx", FULLER[:1])
    dry = ocop_json(office.path, "import", str(fuller), "--dry-run")
    assert dry["rows"][0]["status"] == "update"
    assert ocop(office.path, "import", str(fuller)).returncode == 0
    cert = certificates(office)["Chiếu cói Nga Tiến"]
    assert (cert["decision_date"], cert["issuer"], cert["incomplete"]) == (
        "2023-05-12",
        "UBND huyện Nga Sơn",
        None,
    )


# ---- the write's rules in the dry run ----------------------------------------------------
AFTER_REFORM = [
    [1, "Chiếu cói Nga Tiến", "HTX Cói Nga Tiến", "Nga Tiến", 3, "1234/QĐ-UBND", "12/05/2023",
     "UBND huyện Nga Sơn", 21],
    [2, "Mắm tép Nga Điền", "Hộ Phạm Thị Dung", "Nga Điền", 3, "999/QĐ-UBND", "15/08/2025",
     "UBND huyện Nga Sơn", 9],
    [3, "Nước mắm Nga Thủy", "Hộ Nguyễn Văn An", "Nga Thủy", 5, "88/QĐ-UBND", "15/08/2024",
     "UBND tỉnh Thanh Hóa", 9],
]  # fmt: skip


@pytest.mark.today("2026-12-03")
def test_the_dry_run_names_every_decision_the_write_refuses(office, tmp_path):
    path = workbook(tmp_path / "sau-sap-nhap.xlsx", AFTER_REFORM)
    db = office.path
    dry = ocop_json(db, "import", str(path), "--dry-run")
    by_row = {r["row"]: r for r in dry["rows"]}
    assert by_row[5]["status"] == "new"
    for row, words in ((6, "3 sao ngày 15/08/2025"), (7, "5 sao ngày 15/08/2024")):
        assert by_row[row]["status"] == "incomplete"
        assert any("Cơ quan ban hành" in m and words in m for m in by_row[row]["reasons"])
    assert [m["row"] for m in dry["ranked_not_recorded"]] == [6, 7]
    # the import does what the dry run said: the rest is written, nothing rolled back
    out = ocop(db, "import", str(path))
    assert out.returncode == 0, out.stderr
    assert table_counts(office) == (3, 3, 1)
    assert set(certificates(office)) == {"Chiếu cói Nga Tiến"}
    note = office.db.execute(
        "SELECT incomplete FROM products WHERE name = 'Mắm tép Nga Điền'"
    ).fetchone()[0]
    assert "Cơ quan ban hành" in note  # what the records keep is written in Vietnamese


@pytest.mark.today("2026-12-03")
def test_the_dry_run_in_english_says_the_refusal_in_english(office, tmp_path):
    path = workbook(tmp_path / "sau-sap-nhap.xlsx", AFTER_REFORM)
    out = ocop(office.path, "--lang", "en", "import", str(path), "--dry-run", "--json")
    assert out.returncode == 0, out.stderr
    reasons = {r["row"]: r["reasons"] for r in json.loads(out.stdout)["rows"]}
    said = " ".join(reasons[6] + reasons[7])
    assert "Issued by: a 3-star decision of 15/08/2025" in said
    assert "Cơ quan ban hành" not in said and "công nhận" not in said


@pytest.mark.today("2026-12-03")
def test_the_same_check_runs_on_a_csv_and_on_a_preview_that_cannot_write(office, tmp_path):
    path = tmp_path / "danh-sach.csv"
    lines = ["STT;Tên sản phẩm;Tên chủ thể;Xã;Hạng sao;Số QĐ;Ngày QĐ;Cơ quan ban hành;Bộ SP"]
    lines += [";".join("" if v is None else str(v) for v in r) for r in AFTER_REFORM]
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8-sig"))
    # the wizard plans on a read-only connection
    preview = StoreKey(office.path).open(readonly=True)
    try:
        plan = plan_import(preview, load_table(path))
    finally:
        preview.close()
    assert [r.status for r in plan.rows] == ["new", INCOMPLETE, INCOMPLETE]
    assert table_counts(office) == (0, 0, 0)
    apply_plan(office, plan_import(office, load_table(path)))
    assert table_counts(office) == (3, 3, 1)


# ---- producers written with abbreviations --------------------------------------------------
def test_producer_key_folds_the_usual_abbreviations():
    same = [
        ("HTX Cói Nga Tiến", "Hợp tác xã cói  Nga Tiến"),
        ("Cty TNHH Bánh gai Tứ Trụ", "Công ty Trách nhiệm hữu hạn bánh gai Tứ Trụ"),
        ("CTy. CP Lam Sơn", "Công ty Cổ phần Lam Sơn"),
        ("DNTN Hoa Mai", "Doanh nghiệp tư nhân Hoa Mai"),
        ("THT Mật ong Nga Thiện", "Tổ hợp tác mật ong Nga Thiện"),
        ("Hộ KD Lê Văn A", "Hộ kinh doanh Lê Văn A"),
        ("CSSX Nước mắm Hải", "Cơ sở sản xuất nước mắm Hải"),
    ]
    for a, b in same:
        assert producer_key(a) == producer_key(b), (a, b)
        assert producer_key(producer_key(a)) == producer_key(a)  # on a stored name_key too
    assert producer_key("HTX Cói Nga Tiến") != producer_key("HTX Cói Nga Thiện")


def test_a_producer_written_another_way_is_the_same_producer(office, tmp_path):
    db = office.path
    ocop_json(db, "import", str(workbook(tmp_path / "a.xlsx", FULLER)), "--accept-sets", "all")
    before = table_counts(office)
    other = [list(r) for r in FULLER]
    other[0][2] = "Hợp tác xã Cói Nga Tiến"
    other[2][2] = "Cty TNHH Bánh gai Tứ Trụ"
    path = workbook(tmp_path / "b.xlsx", other)
    dry = ocop_json(db, "import", str(path), "--dry-run")
    by_row = {r["row"]: r for r in dry["rows"]}
    assert by_row[5]["producer_action"] == EXISTS
    assert "cùng chủ thể với “HTX Cói Nga Tiến” (tên viết cách khác)" in by_row[5]["reasons"]
    assert any("Công ty TNHH Bánh gai Tứ Trụ" in m for m in by_row[7]["reasons"])
    ocop_json(db, "import", str(path))
    assert table_counts(office) == before == (3, 3, 3)


# ---- values: upgrades, dashes, impossible dates ------------------------------------------
def test_an_upgrade_gives_the_rank_reached():
    for text in ("Nâng hạng từ 3 sao lên 4 sao", "lên 4 sao", "từ 3★ lên 4★", "NÂNG HẠNG LÊN 4*"):
        stars = val.parse_stars(text)
        assert stars is not None and (stars.stars, stars.upgrade) == (4, True), text
    assert val.parse_stars("4 sao (tiềm năng 5 sao)") == val.Stars(4, True)


def test_dashes_from_word_are_kept_in_the_decision_number():
    for text in ("21/QĐ–UBND", "21/QĐ—UBND", "21∕QĐ‐UBND", "21/QĐ−UBND"):
        assert val.parse_decision(text) == ("21/QĐ-UBND", None), text
    assert val.parse_decision("Số 21/QĐ–SNN ngày 3/4/2024")[0] == "21/QĐ-SNN"
    assert val.decision_key("21/QĐ–UBND") == val.decision_key("21/qđ-ubnd")


@pytest.mark.today("2026-12-03")
def test_values_as_a_council_writes_them(office, tmp_path):
    rows = [
        [1, "Chiếu cói Nga Tiến", "HTX Cói Nga Tiến", "Nga Tiến",
         "Nâng hạng từ 3 sao lên 4 sao", "11/QĐ-UBND", "12/05/2023", "UBND tỉnh Thanh Hóa", 21],
        [2, "Mắm tép Nga Điền", "Hộ Phạm Thị Dung", "Nga Điền", "3 sao", "21/QĐ–UBND",
         "12/05/2023", "UBND huyện Nga Sơn", 9],
        [3, "Bánh cáy Nga Yên", "Hộ Mai Văn Dũng", "Nga Yên", "3 sao", "21/QĐ—SNN",
         "12/05/2023", "UBND huyện Nga Sơn", 6],
        [4, "Nước mắm Nga Thủy", "Hộ Nguyễn Văn An", "Nga Thủy", "3 sao", "30/QĐ-UBND",
         "29/02/2026", "UBND tỉnh Thanh Hóa", 9],
        [5, "Thảm cói Nga Hải", "HTX Thủ công Nga Hải", "Nga Hải", "3 sao", "31/QĐ-UBND",
         "31/04/2026", "UBND tỉnh Thanh Hóa", 21],
    ]  # fmt: skip
    path = workbook(tmp_path / "hoi-dong.xlsx", rows)
    dry = ocop_json(office.path, "import", str(path), "--dry-run")
    by_row = {r["row"]: r for r in dry["rows"]}
    assert by_row[5]["stars"] == 4
    for row, day in ((8, "2026-02-29"), (9, "2026-04-31")):
        assert by_row[row]["status"] == "incomplete"
        assert any(f"“{day}” không phải ngày hợp lệ" in m for m in by_row[row]["reasons"])
    ocop_json(office.path, "import", str(path))
    certs = certificates(office)
    assert (certs["Chiếu cói Nga Tiến"]["stars"], certs["Chiếu cói Nga Tiến"]["kind"]) == (
        4,
        "upgrade",
    )
    assert certs["Mắm tép Nga Điền"]["decision_no"] == "21/QĐ-UBND"
    assert certs["Bánh cáy Nga Yên"]["decision_no"] == "21/QĐ-SNN"
    # an impossible day is not "only the year": no certificate of 1 January
    assert "Nước mắm Nga Thủy" not in certs and "Thảm cói Nga Hải" not in certs


# ---- internal codes and hidden rows -------------------------------------------------------
def test_an_internal_code_is_no_product_set_and_a_hidden_row_is_said(office, tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["DANH SÁCH SẢN PHẨM OCOP NĂM 2024"])
    ws.append(["STT", "Tên sản phẩm", "Tên chủ thể", "Xã", "Hạng sao", "Số QĐ", "Ngày QĐ",
               "Mã nội bộ", "Bộ SP"])  # fmt: skip
    ws.append([1, "Chiếu cói Nga Tiến", "HTX Cói Nga Tiến", "Nga Tiến", 3, "1234/QĐ-UBND",
               "12/05/2023", "NS-01", 21])  # fmt: skip
    ws.append([2, "Rượu nếp cẩm (đã thu hồi)", "Hộ Mai Văn Dũng", "Nga Yên", 3, "1234/QĐ-UBND",
               "12/05/2023", "NS-02", 14])  # fmt: skip
    ws.row_dimensions[4].hidden = True
    path = tmp_path / "ma-noi-bo.xlsx"
    wb.save(path)
    table = load_table(path)
    assert {c.label: c.field for c in table.columns}["Mã nội bộ"] is None
    assert {c.label: c.field for c in table.columns}["Bộ SP"] == "product_set"
    plan = plan_import(office, table)
    hidden = plan.rows[1]
    assert (hidden.row, hidden.status) == (4, SKIPPED)
    assert hidden.messages() == [
        "dòng bị ẩn trong bảng tính (dòng đã gạch bỏ hoặc bị lọc): không nhập; "
        "bỏ ẩn dòng nếu cần nhập"
    ]
    assert plan.rows[0].status == "new"
    out = ocop(office.path, "import", str(path), "--dry-run")
    assert "bị ẩn" in out.stdout and "“Mã nội bộ” → (chưa gán" in out.stdout
    apply_plan(office, plan)
    assert table_counts(office) == (1, 1, 1)


# ---- one decision, two dates ----------------------------------------------------------------
@pytest.mark.today("2026-12-03")
def test_two_dates_for_one_decision_are_said_not_chosen(office, tmp_path):
    rows = [
        [1, "Chiếu cói Nga Tiến", "HTX Cói Nga Tiến", "Nga Tiến", 3,
         "Số 17/QĐ-UBND ngày 12/5/2023", "20/06/2023", "UBND huyện Nga Sơn", 21],
        [2, "Mắm tép Nga Điền", "Hộ Phạm Thị Dung", "Nga Điền", 3, "3456/QĐ-UBND", "03/11/2022",
         "UBND huyện Nga Sơn", 9],
        [3, "Bánh cáy Nga Yên", "Hộ Mai Văn Dũng", "Nga Yên", 3, "3456/QĐ-UBND", "01/01/2023",
         "UBND huyện Nga Sơn", 6],
    ]  # fmt: skip
    path = workbook(tmp_path / "hai-ngay.xlsx", rows)
    plan = plan_import(office, load_table(path))
    one, first, second = plan.rows
    assert one.status == INCOMPLETE and one.recognition_ref is None
    assert any("12/05/2023, 20/06/2023" in m for m in one.messages())
    assert first.status == second.status == INCOMPLETE
    assert any("còn ghi ngày 01/01/2023 (dòng 7)" in m for m in first.messages())
    assert any("còn ghi ngày 03/11/2022 (dòng 6)" in m for m in second.messages())
    apply_plan(office, plan)
    certs = certificates(office)
    assert "Chiếu cói Nga Tiến" not in certs
    # each keeps the date written on its own row, flagged to be checked
    assert certs["Mắm tép Nga Điền"]["decision_date"] == "2022-11-03"
    assert "kiểm tra ngày quyết định" in certs["Bánh cáy Nga Yên"]["incomplete"]


@pytest.mark.today("2026-12-03")
def test_one_decision_dated_twice_in_a_year_keeps_the_first_and_imports_the_rest(office, tmp_path):
    """One number of one issuer in one year is one decision: a second date for it
    leaves that row's certificate out, said on the row, and the file still imports
    (the write would refuse it and undo the whole file)."""
    rows = [
        [1, "Mắm tép Nga Điền", "Hộ Phạm Thị Dung", "Nga Điền", 3, "3456/QĐ-UBND", "03/11/2022",
         "UBND huyện Nga Sơn", 9],
        [2, "Bánh cáy Nga Yên", "Hộ Mai Văn Dũng", "Nga Yên", 3, "3456/QĐ-UBND", "20/12/2022",
         "UBND huyện Nga Sơn", 6],
        [3, "Chiếu cói Nga Tiến", "HTX Cói Nga Tiến", "Nga Tiến", 3, "17/QĐ-UBND", "12/05/2023",
         "UBND huyện Nga Sơn", 21],
    ]  # fmt: skip
    path = workbook(tmp_path / "mot-so-hai-ngay.xlsx", rows)
    dry = ocop_json(office.path, "import", str(path), "--dry-run")
    done = ocop_json(office.path, "import", str(path))
    assert done["counts"] == dry["counts"] and done["counts"]["error"] == 0
    certs = certificates(office)
    assert table_counts(office) == (3, 3, 2)
    assert certs["Mắm tép Nga Điền"]["decision_date"] == "2022-11-03"
    assert "Bánh cáy Nga Yên" not in certs
    said = next(r for r in done["rows"] if r["product"] == "Bánh cáy Nga Yên")
    assert any("03/11/2022" in m for m in said["reasons"])


@pytest.mark.today("2026-12-03")
def test_a_year_only_date_keeps_the_issuer_the_list_gives_and_names_none(office, tmp_path):
    """2025 had both levels (district until July, then the province): a 3-star
    decision known only as "2025" is neither refused for the province nor given a
    district body the list does not name."""
    rows = [
        [1, "Chiếu cói Nga Tiến", "HTX Cói Nga Tiến", "Nga Tiến", 3, "21/QĐ-UBND", "2025",
         "UBND tỉnh Thanh Hóa", 21],
        [2, "Mắm tép Nga Điền", "Hộ Phạm Thị Dung", "Nga Điền", 3, "22/QĐ-UBND", "2025", None, 9],
        [3, "Bánh cáy Nga Yên", "Hộ Mai Văn Dũng", "Nga Yên", 3, "23/QĐ-UBND", "2025",
         "UBND huyện Nga Sơn", 6],
    ]  # fmt: skip
    done = ocop_json(office.path, "import", str(workbook(tmp_path / "nam.xlsx", rows)))
    assert done["counts"]["error"] == 0
    certs = certificates(office)
    assert len(certs) == 3 and {c["date_basis"] for c in certs.values()} == {"year"}
    assert certs["Chiếu cói Nga Tiến"]["issuer"] == "UBND tỉnh Thanh Hóa"
    assert certs["Mắm tép Nga Điền"]["issuer"] is None
    assert certs["Bánh cáy Nga Yên"]["issuer"] == "UBND huyện Nga Sơn"


@pytest.mark.today("2026-12-03")
def test_a_year_only_date_still_bounds_the_expiry(office):
    """A decision of some day of 2023 expires between 31/12/2025 and 31/12/2026."""
    producer = producers.add(
        office, {"name": "HTX Cói Nga Tiến", "kind": "hop_tac_xa", "commune_code": 16108}
    )
    product = products.add(
        office, {"name": "Chiếu cói Nga Tiến", "producer_id": producer, "product_set": 21}
    )

    def clean(expiry: str) -> dict:
        return recognitions.clean(
            office,
            {"product_id": product, "decision_no": "712/QĐ-UBND", "decision_date": "2023-01-01",
             "date_basis": "year", "stars": 4, "issuer": "UBND tỉnh Thanh Hóa",
             "expiry_date": expiry, "incomplete": "cần bổ sung: ngày quyết định"},
            allow_incomplete=True,
        )  # fmt: skip

    assert clean("2026-05-12")["expiry_date"] == "2026-05-12"
    assert clean("2026-12-31")["expiry_date"] == "2026-12-31"
    for wrong in ("2035-01-01", "2025-06-30"):
        with pytest.raises(ValidationError) as refused:
            clean(wrong)
        assert "quyết định năm 2023 hết hạn trong khoảng 31/12/2025 đến 31/12/2026" in (
            refused.value.message("vi")
        )
