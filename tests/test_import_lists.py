"""Published provincial lists as they come: annex sheets with two-row merged
headers and group rows, portal exports with ranks but few decision numbers, and a
fuller list later (tests/data/make_messy_lists.py writes the samples)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from openpyxl import Workbook

from ocop_desktop import refdata
from ocop_desktop.errors import UserError
from ocop_desktop.importer import apply_plan, load_table, plan_import, run_import
from ocop_desktop.importer.plan import EXISTS, INCOMPLETE, NEW, UPDATE
from ocop_desktop.importer.reader import read_sheet
from ocop_desktop.store import init_node

DATA = Path(__file__).parent / "data"
ANNEX = DATA / "annex_list.xlsx"
# The sample lists carry decisions of March 2026: read as of a day after them
# (a decision dated after today is refused).
pytestmark = pytest.mark.today("2026-06-01")
PORTAL = DATA / "portal_list.xlsx"
FULLER = DATA / "portal_list_fuller.xlsx"
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(DATA))
from make_messy_lists import zip_bomb  # noqa: E402

from tests import cli_run  # noqa: E402


def counts(store) -> tuple[int, int, int]:
    return tuple(
        store.db.execute(f"SELECT count(*) FROM {t} WHERE deleted = 0").fetchone()[0]
        for t in ("producers", "products", "recognitions")
    )


def certificates(store) -> dict[str, dict]:
    cur = store.db.execute(
        "SELECT p.name, r.stars, r.decision_no, r.decision_date, r.date_basis, r.expiry_date, "
        "r.incomplete, p.product_set, p.legacy_district_code FROM recognitions r "
        "JOIN products p ON p.id = r.product_id WHERE r.deleted = 0"
    )
    names = [d[0] for d in cur.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cur.fetchall()}


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    """In this process (``tests/cli_run.py``)."""
    return cli_run.ocop("--db", db, *args, cwd=ROOT)


# ---- the annex of a decision -----------------------------------------------------
def test_annex_header_block_and_rows(province):
    table = load_table(ANNEX)
    assert table.header_rows == [6, 7]  # the sub-header row is not a data row
    fields = {c.letter: c.field for c in table.columns}
    assert fields == {
        "A": "row_no",
        "B": "product_name",
        "C": "producer_name",
        "D": "address",
        "E": "product_group",
        "F": "stars",
        "G": "decision_no",
        "H": "decision_date",
        "I": "notes",
    }
    labels = {c.letter: c.label for c in table.columns}
    assert labels["B"] == "Tên sản phẩm"  # the line break read as a space
    assert labels["H"] == "Quyết định công nhận / Ngày"
    plan = plan_import(province, table)
    headings = [r.product for r in plan.rows if r.status == "skipped"]
    assert headings == [
        "Thực phẩm",
        "Đồ uống",
        "Dược liệu và sản phẩm từ dược liệu",
        "Tổng cộng: 15 sản phẩm",
        "Ghi chú: sản phẩm có dấu (*) là sản phẩm công nhận lại.",
    ]
    assert not [r for r in plan.rows if r.status == "error"]


@pytest.mark.today("2026-06-01")
def test_every_ranked_row_of_the_annex_gives_a_certificate(province, tmp_path):
    plan = plan_import(province, load_table(ANNEX))
    ranked = [r for r in plan.rows if r.stars]
    assert len(ranked) == 15 and not plan.ranked_not_recorded()
    # the one already run out is said: the summary counts it as expired
    expired = [(r.product, day) for r, day in plan.expired_certificates()]
    assert expired == [("Rượu men lá Na Mèo", "2026-03-20")]
    assert plan.to_json()["ranked_expired"][0]["row"] == 22
    apply_plan(province, plan)
    certs = certificates(province)
    assert len(certs) == 15

    # one decision, its date written once: the others take it, flagged as inferred
    tea = certs["Chè xanh Thành Sơn"]
    assert (tea["decision_no"], tea["decision_date"], tea["date_basis"]) == (
        "715/QĐ-UBND",
        "2026-03-20",
        "inferred",
    )
    assert tea["expiry_date"] == "2029-03-20"
    assert tea["incomplete"] == "cần bổ sung: bộ sản phẩm"  # the list gives only the group
    # "number + date" in one cell
    noodles = certs["Bún gạo Yên Thái"]
    assert (noodles["decision_no"], noodles["decision_date"], noodles["date_basis"]) == (
        "1234/QĐ-UBND",
        "2025-11-05",
        None,
    )
    assert noodles["stars"] == 3  # "Ba sao"
    assert certs["Gạo nếp cái hoa vàng"]["stars"] == 4  # "4★"
    assert certs["Rượu men lá Na Mèo"]["decision_date"] == "2023-03-20"  # "20-03-2023"
    # no number on the row: the decision named above the table, said in its notes
    honey = certs["Mật ong bạc hà"]
    assert (honey["decision_no"], honey["decision_date"], honey["date_basis"]) == (
        "715/QĐ-UBND",
        "2026-03-20",
        None,
    )
    assert (
        "dòng đầu danh sách"
        in province.db.execute(
            "SELECT notes FROM recognitions WHERE decision_no = '715/QĐ-UBND' AND product_id = "
            "(SELECT id FROM products WHERE name = 'Mật ong bạc hà')"
        ).fetchone()[0]
    )
    # only the year: kept as 1 January of it; expiry the latest it can be
    paste = certs["Mắm tôm Hà Hải"]
    assert (paste["decision_date"], paste["date_basis"], paste["expiry_date"]) == (
        "2025-01-01",
        "year",
        "2028-12-31",
    )
    assert "chỉ biết năm 2025" in paste["incomplete"]
    # an address naming only the former district keeps that district on the product
    ref = refdata.load()
    assert ref.district_name(paste["legacy_district_code"]) == "Huyện Hà Trung"
    assert certs["Nước mắm Nga Hải"]["legacy_district_code"] is None

    # the summary counts every ranked product, those whose commune is unknown too
    db = province.path
    out = cli(db, "summary", "--json", "--as-of", "2026-06-01")
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    ranked_in_summary = sum(summary["stars"].values()) + summary["products"]["expired"]
    with_commune, ranked = province.db.execute(
        "SELECT count(commune_code), count(*) FROM products"
        " WHERE id IN (SELECT product_id FROM recognitions)"
    ).fetchone()
    assert ranked_in_summary == ranked == 15 and with_commune == 12
    assert summary["products"]["unknown_commune"] == ranked - with_commune


def test_a_second_import_of_the_annex_adds_nothing(province):
    apply_plan(province, plan_import(province, load_table(ANNEX)))
    before = counts(province)
    again = plan_import(province, load_table(ANNEX))
    assert again.counts()[NEW] == 0 and again.counts()[UPDATE] == 0
    assert {r.status for r in again.rows if r.stars} == {EXISTS}
    apply_plan(province, again)
    assert counts(province) == before == (15, 15, 15)


# ---- a portal export, then a fuller list ---------------------------------------------
def test_portal_list_then_a_fuller_one_fills_in_what_was_missing(province):
    table = load_table(PORTAL)
    fields = [c.field for c in table.columns]
    assert fields == [
        "row_no", "product_name", "producer_name", "district", "commune", "product_group",
        "stars", "decision_no", "decision_year", "phone", "tax_code",
    ]  # fmt: skip
    plan = plan_import(province, table)
    assert sum(1 for r in plan.rows if r.stars) == 10
    apply_plan(province, plan)
    certs = certificates(province)
    assert len(certs) == 10
    assert certs["Chiếu cói Nga Hải"]["incomplete"].startswith("cần bổ sung: số quyết định")
    # a rank without number or date: recorded, flagged with what is missing
    honey = certs["Mật ong Trung Chính"]
    assert honey["decision_no"] == "" and honey["date_basis"] == "unknown"
    assert honey["incomplete"] == (
        "cần bổ sung: số quyết định; ngày quyết định (hạn: chưa rõ); bộ sản phẩm"
    )
    assert certs["Chè Ngọc Liên"]["legacy_district_code"] is not None
    seq = province.db.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0]

    fuller = plan_import(province, load_table(FULLER))
    by_name = {r.product: r for r in fuller.rows}
    assert fuller.counts()[NEW] == 0
    updated = {n for n, r in by_name.items() if r.status == UPDATE}
    assert updated == {
        "Chiếu cói Nga Hải",
        "Cam Bát Mọt",
        "Tương Quảng Nham",
        "Mật ong Trung Chính",
    }
    mat = by_name["Chiếu cói Nga Hải"]
    assert mat.to_json()["updates"] == {
        "producers": ["phone"],
        "recognitions": ["date_basis", "decision_date", "decision_no", "expiry_date", "incomplete"],
    }
    assert "Số quyết định" in mat.messages()[0]
    # planning (the dry run) wrote nothing
    assert province.db.execute("SELECT value FROM meta WHERE key = 'seq'").fetchone()[0] == seq

    result = apply_plan(province, fuller)
    assert result.to_json()["created"] == {"producers": 0, "products": 0, "recognitions": 0}
    assert result.updated == {"producers": 1, "products": 3, "recognitions": 4}
    certs = certificates(province)
    assert counts(province) == (10, 10, 10)
    mat = certs["Chiếu cói Nga Hải"]
    assert (mat["decision_no"], mat["decision_date"], mat["date_basis"]) == (
        "300/QĐ-UBND",
        "2023-08-15",
        None,
    )
    assert mat["expiry_date"] == "2026-08-15" and mat["incomplete"] is None
    assert certs["Cam Bát Mọt"]["product_set"] == 1  # the set the fuller list gives
    phone = province.db.execute(
        "SELECT phone FROM producers WHERE name = 'HTX Cói Nga Hải'"
    ).fetchone()[0]
    assert phone == "0987654321"
    # and once more: nothing to add, nothing to fill
    last = plan_import(province, load_table(FULLER))
    assert last.counts()[NEW] == 0 and last.counts()[UPDATE] == 0


def test_cli_dry_run_lists_updates_and_writes_nothing(province, tmp_path):
    db = province.path
    province.close()
    assert cli(db, "import", str(PORTAL)).returncode == 0
    size = db.stat().st_size
    before = subprocess.run(
        [sys.executable, "-c", f"import sqlite3; print(sqlite3.connect({str(db)!r}).execute("
         "'select value from meta where key=\"seq\"').fetchone()[0])"],
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    out = cli(db, "import", str(FULLER), "--dry-run", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["counts"]["update"] == 4 and data["dry_run"] is True
    assert data["unmapped_columns"] == []
    text = cli(db, "import", str(FULLER), "--dry-run")
    assert "bổ sung" in text.stdout and "BO SAN PHAM" in text.stdout
    after = subprocess.run(
        [sys.executable, "-c", f"import sqlite3; print(sqlite3.connect({str(db)!r}).execute("
         "'select value from meta where key=\"seq\"').fetchone()[0])"],
        capture_output=True, text=True,
    ).stdout  # fmt: skip
    assert before == after and db.stat().st_size == size


# ---- product-set proposals ----------------------------------------------------------
def test_product_sets_are_proposed_never_taken_silently(province):
    table = load_table(ANNEX)
    plan = plan_import(province, table)
    by_name = {r.product: r for r in plan.rows}
    assert by_name["Nước mắm Nga Hải"].proposal == [9]
    assert by_name["Bún gạo Yên Thái"].proposal == [6]
    assert by_name["Gạo nếp cái hoa vàng"].proposal == [3, 6]
    assert by_name["Chè xanh Thành Sơn"].proposal == [11, 12]
    assert by_name["Cà phê Bát Mọt"].proposal == [13]
    assert by_name["Rượu nếp Thuần Lộc"].proposal[0] == 14
    assert by_name["Tinh dầu sả Cẩm Ngọc"].proposal == [20]
    assert any("đề xuất: 9 " in m for m in by_name["Nước mắm Nga Hải"].messages())
    apply_plan(province, plan)
    sets = dict(province.db.execute("SELECT name, product_set FROM products").fetchall())
    assert set(sets.values()) == {None}  # nothing taken without the officer


def test_proposals_accepted_for_all_rows_or_one_by_one(tmp_path, province):
    everything = plan_import(province, load_table(ANNEX), accept_sets=True)
    fish = next(r for r in everything.rows if r.product == "Nước mắm Nga Hải")
    assert fish.proposal_accepted and fish.status == NEW
    # a date taken from the decision's other row is said, and the row is complete
    tea = next(r for r in everything.rows if r.product == "Chè xanh Thành Sơn")
    assert tea.status == NEW and "lấy từ dòng 10" in tea.messages()[0]
    apply_plan(province, everything)
    sets = dict(province.db.execute("SELECT name, product_set FROM products").fetchall())
    assert sets["Nước mắm Nga Hải"] == 9 and sets["Gạo nếp cái hoa vàng"] == 3
    assert sets["Trà hoa Thanh Hòa"] is None  # no proposal: left for the officer

    other = init_node(tmp_path / "other.sqlite", role="province", province=38)
    rows = {r.product: r.row for r in plan_import(other, load_table(ANNEX)).rows}
    chosen = {rows["Gạo nếp cái hoa vàng"]: 6, rows["Nước mắm Nga Hải"]: None}
    one = plan_import(other, load_table(ANNEX), accept_sets=chosen)
    accepted = {r.product for r in one.rows if r.proposal_accepted}
    assert accepted == {"Gạo nếp cái hoa vàng", "Nước mắm Nga Hải"}
    apply_plan(other, one)
    sets = dict(other.db.execute("SELECT name, product_set FROM products").fetchall())
    assert sets["Gạo nếp cái hoa vàng"] == 6 and sets["Nước mắm Nga Hải"] == 9
    assert sets["Bún gạo Yên Thái"] is None
    other.close()


# ---- header wordings ------------------------------------------------------------------
def _sheet(path: Path, rows: list[list], merges: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["TT", "Tên sản phẩm", "Tên chủ thể", "Xếp hạng", "Số QĐ", "Ngày cấp"],
         ["row_no", "product_name", "producer_name", "stars", "decision_no", "decision_date"]),
        (["STT", "TÊN SẢN PHẨM", "ĐƠN VỊ SẢN XUẤT", "HẠNG", "SỐ, NGÀY QUYẾT ĐỊNH", "NGÀNH"],
         ["row_no", "product_name", "producer_name", "stars", "decision_no", "product_group"]),
        (["Số TT", "Sản phẩm", "Loại hình", "Huyện/TX/TP", "Xã/phường/thị trấn", "Số sao",
          "Năm công nhận", "Ngày QĐ"],
         ["row_no", "product_name", "producer_kind", "district", "commune", "stars",
          "decision_year", "decision_date"]),
        (["tt", "ten\nsan pham", "chu the", "sdt", "mst", "ngay cong nhan", "ghi chu"],
         ["row_no", "product_name", "producer_name", "phone", "tax_code", "decision_date",
          "notes"]),
    ],
)  # fmt: skip
def test_column_names_officers_use(tmp_path, labels, expected):
    path = _sheet(tmp_path / "l.xlsx", [["Danh sách sản phẩm OCOP"], labels, [1, "Mật ong"]])
    assert [c.field for c in load_table(path).columns] == expected


def test_a_bare_date_column_beside_the_decision_number_in_a_three_row_header(tmp_path, province):
    rows = [
        ["TT", "Sản phẩm", "Chủ thể", "Địa chỉ", "Kết quả", None, None],
        [None, None, None, None, "Hạng sao", "Quyết định", None],
        [None, None, None, None, None, "Số", "Ngày"],
        [1, "Mật ong", "HTX Ong Nga An", "xã Nga An, huyện Nga Sơn", "3 sao", "5/QĐ-UBND",
         "12/01/2024"],
    ]  # fmt: skip
    path = _sheet(
        tmp_path / "l.xlsx",
        rows,
        merges=("A1:A3", "B1:B3", "C1:C3", "D1:D3", "E1:G1", "E2:E3", "F2:G2"),
    )
    table = load_table(path)
    assert table.header_rows == [1, 2, 3]
    assert [c.field for c in table.columns] == [
        "row_no", "product_name", "producer_name", "address", "stars", "decision_no",
        "decision_date",
    ]  # fmt: skip
    plan = plan_import(province, table)
    assert [r.row for r in plan.rows] == [4]
    assert plan.rows[0].status == INCOMPLETE  # only the product set is missing
    apply_plan(province, plan)
    cert = certificates(province)["Mật ong"]
    assert (cert["decision_no"], cert["decision_date"]) == ("5/QĐ-UBND", "2024-01-12")
    assert cert["incomplete"] == "cần bổ sung: bộ sản phẩm"


# ---- bounded resources ------------------------------------------------------------------
def test_a_zip_bomb_is_refused_from_its_directory(tmp_path, province):
    bomb = zip_bomb(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 2_000_000
    started = time.perf_counter()
    with pytest.raises(UserError) as caught:
        run_import(province, bomb)
    assert time.perf_counter() - started < 10  # a generous bound, not a benchmark
    assert caught.value.key == "import.zip_bomb"
    assert "1023 MB" in caught.value.message("vi")
    assert counts(province) == (0, 0, 0)


def test_cli_refuses_a_zip_bomb_in_one_line(tmp_path, db_path, office):
    bomb = zip_bomb(tmp_path / "bomb.xlsx")
    office.close()
    out = cli(db_path, "import", str(bomb))
    assert out.returncode != 0
    assert out.stderr.count("\n") == 1 and "1023 MB" in out.stderr
    assert "Traceback" not in out.stderr


def test_a_sheet_over_the_row_limit_is_refused(tmp_path):
    path = tmp_path / "big.xlsx"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("DS")
    ws.append(["TT", "Tên sản phẩm", "Tên chủ thể"])
    for i in range(60):
        ws.append([i, f"Sản phẩm {i}", "HTX A"])
    wb.save(path)
    assert len(read_sheet(path, max_rows=61).rows) == 61
    with pytest.raises(UserError) as caught:
        read_sheet(path, max_rows=50)
    assert caught.value.key == "import.too_many_rows"
    assert "50" in caught.value.message("vi")


# ---- lines that are not records; the sheet that holds the table ---------------------
def test_numbered_sections_notes_and_signatures_are_not_products(tmp_path, province):
    path = _sheet(
        tmp_path / "l.xlsx",
        [
            ["TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Số, ngày QĐ"],
            [1, "Huyện Nga Sơn"],
            [1.1, "Chiếu cói", "HTX Cói", "xã Nga An, huyện Nga Sơn", "03 sao",
             "715/QĐ-UBND (20/3/2026)"],
            [2, "Nhóm đồ uống"],
            [2.1, "Rượu nếp", "HTX Rượu", "xã Nga Thạch, huyện Nga Sơn", "4 sao",
             "Số 88/QĐ-UBND ngày 12 tháng 6 năm 2024"],
            [None, "Tổng cộng", None, None, 2],
            ["* Ghi chú: danh sách gồm 2 sản phẩm"],
            [None, None, "KT. CHỦ TỊCH"],
            [None, None, "PHÓ CHỦ TỊCH"],
        ],
    )  # fmt: skip
    plan = plan_import(province, load_table(path))
    products = [r.product for r in plan.rows if r.status != "skipped"]
    assert products == ["Chiếu cói", "Rượu nếp"]
    apply_plan(province, plan)
    certs = certificates(province)
    assert (certs["Chiếu cói"]["stars"], certs["Chiếu cói"]["decision_date"]) == (3, "2026-03-20")
    assert certs["Rượu nếp"]["decision_date"] == "2024-06-12"


def test_a_full_date_column_wins_over_a_year_column(tmp_path, province):
    path = _sheet(
        tmp_path / "l.xlsx",
        [
            ["TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Năm công nhận", "Ngày QĐ"],
            [1, "Chiếu cói", "HTX Cói", "xã Nga An, huyện Nga Sơn", "3 sao", 2024, "05/07/2024"],
            [2, "Mắm tép", "HTX Mắm", "xã Nga Thạch, huyện Nga Sơn", "3 sao", 2023, None],
            [3, "Bánh gai", "HTX Bánh", "xã Nga Văn, huyện Nga Sơn", "3 sao", "T5/2022", None],
        ],
    )
    apply_plan(province, plan_import(province, load_table(path)))
    certs = certificates(province)
    assert (certs["Chiếu cói"]["decision_date"], certs["Chiếu cói"]["date_basis"]) == (
        "2024-07-05",
        None,
    )
    assert (certs["Mắm tép"]["decision_date"], certs["Mắm tép"]["date_basis"]) == (
        "2023-01-01",
        "year",
    )
    assert certs["Bánh gai"]["date_basis"] == "year"


def test_the_first_sheet_that_holds_a_table_is_read(tmp_path, province):
    wb = Workbook()
    cover = wb.active
    cover.title = "Tổng hợp"
    cover.append(["BÁO CÁO TỔNG HỢP SẢN PHẨM OCOP"])
    cover.append(["Tổng số", 1])
    listing = wb.create_sheet("Danh sách")
    listing.append(["TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao"])
    listing.append([1, "Chiếu cói", "HTX Cói", "xã Nga An, huyện Nga Sơn", "3 sao"])
    wb.save(tmp_path / "two.xlsx")
    table = load_table(tmp_path / "two.xlsx")
    assert table.sheet == "Danh sách" and table.rows[0].values["product_name"] == "Chiếu cói"


def test_long_explained_labels_in_the_header(tmp_path):
    labels = [
        "TT",
        "Tên sản phẩm",
        "Tên chủ thể (doanh nghiệp, hợp tác xã, tổ hợp tác, hộ sản xuất kinh doanh)",
        "Địa chỉ (thôn/xóm, xã/phường/thị trấn, huyện/thị xã/thành phố)",
        "Hạng sao (3 sao, 4 sao, 5 sao)",
    ]
    path = _sheet(tmp_path / "l.xlsx", [labels, [1, "Mật ong", "HTX Ong", "xã Nga An", "3 sao"]])
    assert [c.field for c in load_table(path).columns] == [
        "row_no", "product_name", "producer_name", "address", "stars",
    ]  # fmt: skip


def test_accepting_the_sets_later_clears_them_from_the_certificates(province):
    apply_plan(province, plan_import(province, load_table(ANNEX)))
    assert certificates(province)["Nước mắm Nga Hải"]["incomplete"] == "cần bổ sung: bộ sản phẩm"
    later = plan_import(province, load_table(ANNEX), accept_sets=True)
    fish = next(r for r in later.rows if r.product == "Nước mắm Nga Hải")
    assert fish.status == UPDATE and fish.actions["recognition"] == UPDATE
    apply_plan(province, later)
    fish = certificates(province)["Nước mắm Nga Hải"]
    assert (fish["product_set"], fish["incomplete"]) == (9, None)
    assert counts(province) == (15, 15, 15)
    again = plan_import(province, load_table(ANNEX), accept_sets=True)
    assert again.counts()[UPDATE] == 0 and again.counts()[NEW] == 0


def test_a_second_table_below_the_first_repeats_its_header(tmp_path, province):
    header = ["TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao"]
    path = _sheet(
        tmp_path / "l.xlsx",
        [
            ["SẢN PHẨM 3 SAO"],
            header,
            [1, "Chiếu cói", "HTX Cói", "xã Nga An, huyện Nga Sơn", "3 sao"],
            ["SẢN PHẨM 4 SAO"],
            header,
            ["(1)", "(2)", "(3)", "(4)", "(5)"],
            [1, "Rượu nếp", "HTX Rượu", "xã Nga Thạch, huyện Nga Sơn", "4 sao"],
        ],
    )
    plan = plan_import(province, load_table(path))
    assert [r.product for r in plan.rows if r.status != "skipped"] == ["Chiếu cói", "Rượu nếp"]
    assert [r.stars for r in plan.rows if r.stars] == [3, 4]


def test_the_report_lists_what_each_certificate_lacks(tmp_path, province):
    from openpyxl import load_workbook

    from ocop_desktop.importer.files import save_report

    plan = plan_import(province, load_table(PORTAL))
    rows = list(load_workbook(save_report(plan, tmp_path / "r.xlsx")).active.values)
    assert rows[0][5:] == ("Hạng sao", "Giấy chứng nhận cần bổ sung", "Bộ sản phẩm đề xuất")
    honey = next(r for r in rows if r[2] == "Mật ong Trung Chính")
    assert honey[5] == 3
    assert honey[6] == "số quyết định; ngày quyết định (hạn: chưa rõ); bộ sản phẩm"
    assert honey[7] == "4 Mật ong, mật khác và nông sản thực phẩm khác"


def test_a_long_sheet_is_read_as_a_stream_with_its_merges_and_limit(tmp_path, province):
    from ocop_desktop.importer.reader import STREAM_HEAD

    wb = Workbook()
    ws = wb.active
    ws.append(["TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao"])
    n = STREAM_HEAD + 200
    for i in range(1, n + 1):
        ws.append([i, f"Sản phẩm {i}", f"HTX số {i}", "xã Nga An, huyện Nga Sơn", "3 sao"])
    # a producer written once over three products, far below the rows read at once
    last = n + 1
    ws.cell(last - 1, 3).value = None
    ws.cell(last, 3).value = None
    ws.merge_cells(f"C{last - 2}:C{last}")
    wb.save(tmp_path / "long.xlsx")

    raw = read_sheet(tmp_path / "long.xlsx", stream=True)
    assert len(raw.rows) == STREAM_HEAD and raw.rest is not None
    raw.rest.close()
    table = load_table(tmp_path / "long.xlsx")
    assert len(table.rows) == n
    tail = [r.values["producer_name"] for r in table.rows[-3:]]
    assert tail == [f"HTX số {n - 2}"] * 3
    with pytest.raises(UserError) as caught:
        list(read_sheet(tmp_path / "long.xlsx", stream=True, max_rows=STREAM_HEAD + 100).rest)
    assert caught.value.key == "import.too_many_rows"
