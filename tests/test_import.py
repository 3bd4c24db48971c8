"""Importing spreadsheets end to end: real .xlsx/.csv files, a real database."""

from __future__ import annotations

import csv
import json
import os
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from ocop_desktop import products
from ocop_desktop.errors import UserError
from ocop_desktop.importer import apply_plan, load_table, plan_import, run_import
from ocop_desktop.importer.files import safe_cell, save_report, save_template
from ocop_desktop.importer.plan import ERROR, EXISTS, INCOMPLETE, NEW, SKIPPED
from tests import cli_run

SAMPLE = Path(__file__).parent / "data" / "ocop_thanhhoa_messy.xlsx"
ROOT = Path(__file__).resolve().parents[1]


def xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = (), sheet: str = "Sheet1") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str, delimiter: str = ",") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)
    return path


def counts(store) -> tuple[int, int, int]:
    return tuple(
        store.db.execute(f"SELECT count(*) FROM {t} WHERE deleted = 0").fetchone()[0]
        for t in ("producers", "products", "recognitions")
    )


HEADER = [
    "STT",
    "Tên sản phẩm",
    "Tên chủ thể",
    "Địa chỉ",
    "Hạng sao",
    "Số QĐ",
    "Ngày QĐ",
    "Bộ sản phẩm",
]
NGA_SON_ROWS = [
    [
        1,
        "Cói mỹ nghệ",
        "HTX Cói Ba Đình",
        "xã Ba Đình, huyện Nga Sơn",
        "3 sao",
        "1114/QĐ-UBND",
        "23/12/2019",
        21,
    ],
    [
        2,
        "Bánh gai Tứ Trụ",
        "Công ty TNHH Bánh gai",
        "Thị trấn Nga Sơn, huyện Nga Sơn",
        "4*",
        "2345/QĐ-UBND",
        "05-09-2022",
        3,
    ],
]


# ---- the realistic messy sample -----------------------------------------------------
def test_messy_province_list_every_row_accounted_for(province):
    table = load_table(SAMPLE)
    assert table.header_rows == [5, 6]
    fields = {c.letter: c.field for c in table.columns}
    assert fields["C"] == "producer_name" and fields["D"] == "address"
    assert fields["F"] == "decision_no" and fields["G"] == "decision_date"
    plan = plan_import(province, table)
    by_row = {r.row: r for r in plan.rows}
    assert [r.row for r in plan.rows] == list(range(7, 18))  # every line below the header
    assert {r.status for r in plan.rows if r.row in (8, 9, 10, 11)} == {NEW}
    assert by_row[13].status == INCOMPLETE and "2020" in " ".join(by_row[13].messages())
    assert by_row[14].status == INCOMPLETE and "Quảng Xương" in " ".join(by_row[14].messages())
    assert by_row[15].status == INCOMPLETE and "15286" in " ".join(by_row[15].messages())
    assert by_row[16].status == ERROR
    assert by_row[7].status == SKIPPED and by_row[17].status == SKIPPED
    assert counts(province) == (0, 0, 0)  # planning writes nothing

    result = apply_plan(province, plan)
    # the year-only row (13) gives a certificate too, flagged with what it lacks
    assert (result.producers, result.products, result.recognitions) == (7, 7, 7)
    names = {r[0] for r in province.db.execute("SELECT name FROM producers")}
    assert "Hợp tác xã Cói Ba Đình" in names  # typed in TCVN3 in the file
    assert "Tổ hợp tác Nước mắm Nga Trường" in names
    nfd = province.db.execute("SELECT name FROM products WHERE name LIKE 'Chiếu%'").fetchone()[0]
    assert nfd == "Chiếu cói Nga Thắng"  # NFD in the file, NFC stored
    stars = dict(
        province.db.execute(
            "SELECT p.name, r.stars || '/' || r.potential_5 FROM recognitions r "
            "JOIN products p ON p.id = r.product_id"
        ).fetchall()
    )
    assert stars["Nước mắm Nga Trường"] == "4/1"
    assert stars["Bánh gai Tứ Trụ"] == "4/0"
    # Incomplete records are kept, flagged for the attention list
    flagged = province.db.execute(
        "SELECT name, incomplete FROM products WHERE incomplete IS NOT NULL"
    ).fetchall()
    assert {n for n, _ in flagged} >= {"Rượu làng Quảng Xương"}
    cert = province.db.execute(
        "SELECT r.decision_date, r.date_basis, r.incomplete FROM recognitions r "
        "JOIN products p ON p.id = r.product_id WHERE p.name = 'Mắm tép Hoằng Phụ'"
    ).fetchone()
    assert cert[:2] == ("2020-01-01", "year") and "chỉ biết năm 2020" in cert[2]
    producer = province.db.execute(
        "SELECT commune_code, incomplete FROM producers WHERE name LIKE 'DNTN%'"
    ).fetchone()
    assert producer[0] is None and "15271" in producer[1]

    again = plan_import(province, load_table(SAMPLE))
    assert again.counts()[NEW] == 0 and again.counts()[INCOMPLETE] == 0
    apply_plan(province, again)
    assert counts(province) == (7, 7, 7)  # a second import adds nothing


def test_a_district_office_gets_errors_for_rows_outside_its_area(office):
    plan = plan_import(office, load_table(SAMPLE))
    by_row = {r.row: r for r in plan.rows}
    assert by_row[13].status == ERROR and "ngoài địa bàn" in by_row[13].messages()[0]
    assert by_row[8].status == NEW
    apply_plan(office, plan)
    communes = {r[0] for r in office.db.execute("SELECT commune_code FROM producers")}
    assert communes <= set(office.node.area)


# ---- finding the table ---------------------------------------------------------------
def test_header_below_title_lines_with_other_wordings_and_no_marks(tmp_path, office):
    path = xlsx(
        tmp_path / "list.xlsx",
        [
            ["DANH SÁCH SẢN PHẨM OCOP NĂM 2023"],
            ["(Kèm theo Quyết định số 12/QĐ-UBND ngày 02/01/2024)"],
            [],
            [
                "tt",
                "TEN SP",
                "co so",
                "dia chi",
                "xep hang",
                "so qd",
                "ngay cong nhan",
                "NGANH",
                "MST",
                "SDT",
            ],
            [
                1,
                "Mật ong",
                "HTX Ong Nga An",
                "xã Nga An, huyện Nga Sơn",
                "3",
                "55/QĐ-UBND",
                "2023-03-01",
                12,
                "2801234567",
                "0912345678",
            ],
        ],
        merges=("A1:J1",),
    )
    table = load_table(path)
    assert table.header_rows == [4]
    assert [c.field for c in table.columns] == [
        "row_no", "product_name", "producer_name", "address", "stars",
        "decision_no", "decision_date", "product_group", "tax_code", "phone",
    ]  # fmt: skip
    plan = plan_import(office, table)
    assert plan.rows[0].status == NEW, plan.rows[0].messages()


def test_two_row_csv_header_and_separate_commune_district_columns(tmp_path, office):
    path = write_csv(
        tmp_path / "list.csv",
        [
            ["Sản phẩm", "", "Chủ thể", "", "", "Phân hạng"],
            ["Tên", "Bộ sản phẩm", "Tên", "Xã/phường", "Huyện/thị xã", ""],
            ["Chiếu cói", "21", "Hộ kinh doanh Lê Thị Hoa", "Nga Thắng", "Nga Sơn", "3 sao"],
        ],
        "utf-8",
    )
    table = load_table(path)
    assert table.header_rows == [1, 2]
    assert [c.field for c in table.columns] == [
        "product_name", "product_set", "producer_name", "commune", "district", "stars",
    ]  # fmt: skip
    row = plan_import(office, table).rows[0]
    assert row.status == INCOMPLETE  # stars but no decision number
    assert "quyết định" in " ".join(row.messages())


def test_star_mark_columns_section_lines_and_a_producer_merged_over_its_products(tmp_path, office):
    path = xlsx(
        tmp_path / "marks.xlsx",
        [
            [
                "STT",
                "Tên sản phẩm",
                "Chủ thể",
                "Địa chỉ",
                "Kết quả phân hạng",
                None,
                None,
                "Số QĐ",
                "Ngày QĐ",
            ],
            [None, None, None, None, "3 sao", "4 sao", "5 sao", None, None],
            ["I", "Huyện Nga Sơn"],
            [
                1,
                "Chiếu cói",
                "HTX Cói Nga Sơn",
                "xã Nga An",
                "x",
                None,
                None,
                "10/QĐ-UBND",
                "01/02/2021",
            ],
            [2, "Thảm cói", None, None, None, "x", None, "11/QĐ-UBND", "01/02/2021"],
        ],
        merges=("A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:G1", "H1:H2", "I1:I2", "C4:C5", "D4:D5"),
    )
    table = load_table(path)
    assert [c.field for c in table.columns][4:7] == ["stars_3", "stars_4", "stars_5"]
    plan = plan_import(office, table)
    assert [r.status for r in plan.rows] == [SKIPPED, INCOMPLETE, INCOMPLETE]  # no product set
    apply_plan(office, plan)
    rows = office.db.execute(
        "SELECT p.name, r.stars, pr.name FROM products p JOIN recognitions r ON r.product_id = p.id "
        "JOIN producers pr ON pr.id = p.producer_id ORDER BY p.name"
    ).fetchall()
    assert rows == [("Chiếu cói", 3, "HTX Cói Nga Sơn"), ("Thảm cói", 4, "HTX Cói Nga Sơn")]


def test_a_sheet_without_a_recognisable_header_is_refused(tmp_path, office):
    path = xlsx(tmp_path / "notes.xlsx", [["Ghi chép cuộc họp"], ["Nội dung", 1, 2, 3]])
    with pytest.raises(UserError) as exc:
        load_table(path)
    assert exc.value.key == "import.no_header"


def test_map_file_overrides_the_detected_columns(tmp_path, office):
    path = xlsx(
        tmp_path / "odd.xlsx",
        [
            ["Tên sản phẩm", "Chủ thể", "Mô tả nơi ở", "Hạng"],
            ["Nem chua", "Hộ bà Lan", "xã Nga An", "3"],
        ],
    )
    assert load_table(path).columns[2].field is None
    (tmp_path / "map.json").write_text(json.dumps({"C": "address", "Hạng": None}), encoding="utf-8")
    from ocop_desktop.importer import read_map_file

    table = load_table(path, overrides=read_map_file(tmp_path / "map.json"))
    assert [c.field for c in table.columns] == ["product_name", "producer_name", "address", None]
    with pytest.raises(UserError):
        load_table(path, overrides={"C": "no_such_field"})


# ---- encodings -------------------------------------------------------------------------
ROWS_VI = [HEADER, *NGA_SON_ROWS]


def _cp1258_text(text: str) -> str:
    import unicodedata

    out = ""
    for ch in text:
        try:
            ch.encode("cp1258")
            out += ch
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
            out += unicodedata.normalize("NFC", "".join(c for c in d if c not in tones)) + tones
    return out


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258", "utf-16"])
def test_csv_encodings(tmp_path, office, encoding):
    rows = ROWS_VI
    if encoding == "cp1258":  # Windows-1258 writes most tones as combining marks
        rows = [[_cp1258_text(str(v)) for v in r] for r in ROWS_VI]
    path = write_csv(tmp_path / "list.txt", rows, encoding, delimiter=";")
    table = load_table(path)
    plan = plan_import(office, table)
    assert [r.product for r in plan.rows] == ["Cói mỹ nghệ", "Bánh gai Tứ Trụ"]
    assert [r.status for r in plan.rows] == [NEW, NEW]


def test_csv_typed_in_tcvn3(tmp_path, office):
    from tools.make_import_sample import tcvn3

    rows = [[tcvn3(str(v)) for v in r] for r in [HEADER, *NGA_SON_ROWS]]
    path = write_csv(tmp_path / "abc.csv", rows, "cp1252")
    plan = plan_import(office, load_table(path))
    assert [r.product for r in plan.rows] == ["Cói mỹ nghệ", "Bánh gai Tứ Trụ"]
    assert plan.rows[0].conversions and plan.rows[0].conversions[0].encoding == "tcvn3"


def test_csv_in_an_unknown_encoding_is_refused(tmp_path, office):
    path = tmp_path / "list.csv"
    path.write_bytes(
        "Tên sản phẩm,Chủ thể\nМёд,Кооператив\n".encode("koi8_r", errors="replace")
        + bytes(range(0x80, 0x100)) * 3
    )
    with pytest.raises(UserError) as exc:
        load_table(path)
    assert exc.value.key == "import.unknown_encoding"


def test_csv_with_a_utf8_mark_but_other_bytes_is_refused_plainly(tmp_path, office):
    path = tmp_path / "list.csv"
    path.write_bytes(b"\xef\xbb\xbfT\xean s\xe3n ph\xe2m,Ch\xf9 th\xea\nM\xe2t ong,HTX\n")
    with pytest.raises(UserError) as exc:
        load_table(path)
    assert exc.value.key == "import.unknown_encoding"


def test_formulas_whose_results_were_never_saved_are_refused_by_cell(tmp_path, office):
    """Written by a script (or by Excel calculating by hand): read as values they are
    empty, and a stars column '=1+2' was dropped without a word."""
    path = xlsx(
        tmp_path / "cong-thuc.xlsx",
        [["Tên sản phẩm", "Hạng sao"], ['="Mật "&"ong"', "=1+2"], ["Mắm tôm", 3]],
    )
    with pytest.raises(UserError) as exc:
        load_table(path)
    assert exc.value.key == "import.formulas_unsaved"
    assert "A2, B2" in exc.value.message()


def test_formulas_with_saved_results_or_empty_text_are_read():
    from ocop_desktop.importer.reader import _formulas_without_values

    xml = (
        b'<c r="A1" t="str"><f>A2&amp;""</f><v></v></c>'  # the result is empty text
        b'<c r="B2"><f>1+2</f><v>3</v></c><x:c r="D2" t="s"><x:v>0</x:v></x:c><c r="E2"/>'
        b'<x:c r="C2"><x:f t="shared" si="0"/></x:c>'
        b'<c s="1" r="F2"><f>1+1</f></c><cols><col min="1"/></cols>'
    )
    assert _formulas_without_values(xml) == ["C2", "F2"]


# ---- bad files: one clear message, nothing imported -----------------------------------
def _cfb(payload: bytes) -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + payload


@pytest.mark.parametrize(
    "name, content, key",
    [
        ("photo.xlsx", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "import.not_spreadsheet"),
        ("secret.xlsx", _cfb("EncryptedPackage".encode("utf-16-le")), "import.encrypted"),
        ("old.xls", _cfb(b"Workbook"), "import.old_xls"),
        ("empty.csv", b"", "import.file_empty"),
        ("page.xlsx", b"<html><table><tr><td>1</td></tr></table></html>", "import.not_spreadsheet"),
    ],
)
def test_bad_files(tmp_path, office, name, content, key):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError) as exc:
        run_import(office, path)
    assert exc.value.key == key
    assert counts(office) == (0, 0, 0)


def test_a_zip_that_is_not_a_workbook(tmp_path):
    import zipfile

    path = tmp_path / "report.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("word/document.xml", "<w/>")
    with pytest.raises(UserError) as exc:
        load_table(path)
    assert exc.value.key == "import.not_spreadsheet"


def test_fifty_megabytes_of_junk_is_refused_quickly(tmp_path, office):
    import time

    path = tmp_path / "junk.xlsx"
    path.write_bytes(os.urandom(50 * 1024 * 1024))
    start = time.perf_counter()
    with pytest.raises(UserError) as exc:
        run_import(office, path)
    assert exc.value.key == "import.not_spreadsheet"
    assert time.perf_counter() - start < 2


def test_an_empty_sheet_is_refused(tmp_path, office):
    wb = Workbook()
    wb.active.title = "Trống"
    wb.save(tmp_path / "empty.xlsx")
    with pytest.raises(UserError) as exc:
        load_table(tmp_path / "empty.xlsx")
    assert exc.value.key == "import.sheet_empty"


def test_the_file_name_is_not_trusted(tmp_path, office):
    real_csv = write_csv(tmp_path / "list.xlsx", ROWS_VI, "utf-8")
    assert len(plan_import(office, load_table(real_csv)).rows) == 2
    real_xlsx = xlsx(tmp_path / "list.csv", ROWS_VI)
    assert len(plan_import(office, load_table(real_xlsx)).rows) == 2


# ---- rows --------------------------------------------------------------------------------
def test_incomplete_rows_can_be_skipped(tmp_path, office):
    path = xlsx(
        tmp_path / "l.xlsx",
        [
            HEADER,
            NGA_SON_ROWS[0],
            [3, "Nem chua", "Hộ bà Lan", "huyện Nga Sơn", None, None, None, 1],
        ],
    )
    plan = plan_import(office, load_table(path), incomplete="skip")
    assert [r.status for r in plan.rows] == [NEW, SKIPPED]
    apply_plan(office, plan)
    assert counts(office) == (1, 1, 1)


def test_producer_matched_by_tax_code_and_existing_records_are_not_duplicated(
    tmp_path, office, producer_data
):
    from ocop_desktop import producers

    pid = producers.add(office, producer_data)  # tax code 2801234567
    path = xlsx(
        tmp_path / "l.xlsx",
        [
            ["Tên sản phẩm", "Tên chủ thể", "Mã số thuế", "Xã/phường", "Bộ sản phẩm"],
            ["Gạo Đông Tiến", "HTX DV Nông nghiệp Đông Tiến", 2801234567, "Ba Đình", 2],
            ["Gạo Đông Tiến", "HTX DV Nông nghiệp Đông Tiến", 2801234567, "Ba Đình", 2],
        ],
    )
    plan = plan_import(office, load_table(path))
    assert plan.rows[0].status == NEW and plan.rows[0].actions["producer"] == EXISTS
    assert plan.rows[1].status == EXISTS  # the same row twice in one file
    assert plan.rows[1].messages() == ["trùng với dòng 2, không thêm"]
    apply_plan(office, plan)
    product = products.list_(office)[0]
    assert product["producer_id"] == pid and product["incomplete"] is None
    assert counts(office) == (1, 1, 0)


def test_year_only_decision_gives_a_certificate_flagged_with_the_year(tmp_path, office):
    path = xlsx(
        tmp_path / "l.xlsx",
        [HEADER, [1, "Chiếu cói", "HTX Cói", "xã Nga An", "3 sao", "10/QĐ-UBND", 2019, 21]],
    )
    plan = plan_import(office, load_table(path))
    assert plan.rows[0].status == INCOMPLETE
    apply_plan(office, plan)
    assert counts(office) == (1, 1, 1)
    row = office.db.execute(
        "SELECT decision_no, decision_date, date_basis, expiry_date, incomplete FROM recognitions"
    ).fetchone()
    # the year is kept as 1 January with its basis; expiry is the latest it can be
    assert row[:4] == ("10/QĐ-UBND", "2019-01-01", "year", "2022-12-31")
    assert row[4] == "cần bổ sung: ngày quyết định (chỉ biết năm 2019; hạn: chưa rõ)"


def test_excel_dates_and_invalid_contacts_are_kept_as_reasons(tmp_path, office):
    path = xlsx(
        tmp_path / "l.xlsx",
        [
            [
                "Tên sản phẩm",
                "Tên chủ thể",
                "Địa chỉ",
                "Số sao",
                "Số QĐ",
                "Ngày QĐ",
                "Bộ SP",
                "Điện thoại",
            ],
            [
                "Chả tôm",
                "Công ty CP Hải sản",
                "xã Nga An",
                3,
                "7/QĐ-UBND",
                datetime(2020, 5, 4),
                4,
                "12345",
            ],
        ],
    )
    plan = plan_import(office, load_table(path))
    row = plan.rows[0]
    assert row.status == INCOMPLETE and "12345" in " ".join(row.messages())
    apply_plan(office, plan)
    date_ = office.db.execute("SELECT decision_date, expiry_date FROM recognitions").fetchone()
    assert date_ == ("2020-05-04", "2023-05-04")


def test_the_import_is_all_or_nothing(tmp_path, office):
    path = xlsx(tmp_path / "l.xlsx", [HEADER, *NGA_SON_ROWS])
    plan = plan_import(office, load_table(path))
    # The officer fixes the tax code of a planned producer in another window:
    # the plan's second producer would now clash when written.
    plan.rows[1].producer_ref.values["tax_code"] = "bad"
    with pytest.raises(UserError) as exc:
        apply_plan(office, plan)
    assert exc.value.key == "import.row_failed" and exc.value.params["row"] == 3
    assert counts(office) == (0, 0, 0)


def test_template_round_trip(tmp_path, office):
    path = save_template(tmp_path / "mau.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["STT", "Tên sản phẩm", "Bộ sản phẩm"]
    values = {
        "Tên sản phẩm": "Mắm tép",
        "Bộ sản phẩm": 4,
        "Tên chủ thể": "HTX Mắm tép Nga Thắng",
        "Xã/phường": "Nga Thắng",
        "Hạng sao": "3 sao",
        "Số quyết định": "99/QĐ-UBND",
        "Ngày quyết định": "01/03/2024",
    }
    ws.append([values.get(h) for h in headers])
    wb.save(path)
    table = load_table(path)
    assert all(c.field for c in table.columns)
    assert plan_import(office, table).rows[0].status == NEW


def test_error_report_guards_against_formulas(tmp_path, office):
    path = write_csv(
        tmp_path / "l.csv",
        [HEADER, [1, "", '=HYPERLINK("http://x")', "xã Nga An", "3", "", "", ""]],
        "utf-8",
    )
    plan = plan_import(office, load_table(path))
    assert plan.rows[0].status == ERROR
    report = save_report(plan, tmp_path / "report.xlsx")
    cell = load_workbook(report).active["D2"].value
    assert cell.startswith("'=")
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)" and safe_cell("+1") == "'+1" and safe_cell(3) == 3


# ---- the command -------------------------------------------------------------------------
def _ocop(db, *args):
    """In this process (``tests/cli_run.py``)."""
    return cli_run.ocop("--db", db, *args, cwd=ROOT)


def test_cli_dry_run_json_then_import_then_nothing_new(tmp_path, office, db_path):
    office.close()
    dry = _ocop(db_path, "import", str(SAMPLE), "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    out = json.loads(dry.stdout)
    assert out["dry_run"] is True and out["counts"]["new"] == 4
    row8 = next(r for r in out["rows"] if r["row"] == 8)
    assert row8["conversions"][0]["to"] == "Hợp tác xã Cói Ba Đình"
    assert _ocop(db_path, "product", "list", "--json").stdout.strip() in ("[]", "")
    real = _ocop(db_path, "import", str(SAMPLE), "--report", str(tmp_path / "r.xlsx"))
    assert real.returncode == 0 and "4 giấy chứng nhận" in real.stdout
    assert (tmp_path / "r.xlsx").exists()
    again = json.loads(_ocop(db_path, "import", str(SAMPLE), "--json").stdout)
    assert again["created"] == {"producers": 0, "products": 0, "recognitions": 0}


def test_cli_bad_file_one_line_exit_1(tmp_path, db_path, office):
    office.close()
    junk = tmp_path / "x.xlsx"
    junk.write_bytes(b"\x00\x01junk" * 100)
    res = _ocop(db_path, "import", str(junk))
    assert res.returncode == 1 and len(res.stderr.strip().splitlines()) == 1
    assert "không phải bảng tính" in res.stderr


def test_cli_template(tmp_path, db_path, office):
    office.close()
    res = _ocop(db_path, "--lang", "en", "import", "--template", str(tmp_path / "t.xlsx"))
    assert res.returncode == 0 and (tmp_path / "t.xlsx").exists()


def test_certificates_of_one_product_get_their_kind_from_the_dates_not_the_row_order(
    tmp_path, office
):
    path = xlsx(
        tmp_path / "l.xlsx",
        [
            HEADER,
            [
                1,
                "Nước mắm",
                "Công ty CP Nước mắm",
                "xã Nga An",
                "4 sao",
                "20/QĐ-UBND",
                "01/03/2023",
                4,
            ],
            [
                2,
                "Nước mắm",
                "Công ty CP Nước mắm",
                "xã Nga An",
                "3 sao",
                "10/QĐ-UBND",
                "01/03/2020",
                4,
            ],
        ],
    )
    plan = plan_import(office, load_table(path))
    assert [r.status for r in plan.rows] == [NEW, NEW]
    apply_plan(office, plan)
    kinds = office.db.execute(
        "SELECT decision_no, kind FROM recognitions ORDER BY decision_date"
    ).fetchall()
    assert kinds == [("10/QĐ-UBND", "new"), ("20/QĐ-UBND", "upgrade")]
    current = office.db.execute("SELECT stars FROM current_recognition").fetchall()
    assert current == [(4,)]


def test_sheet_choice(tmp_path, office):
    wb = Workbook()
    wb.active.title = "Ghi chú"
    wb.active.append(["Không phải danh sách"])
    ws = wb.create_sheet("Sản phẩm 2024")
    for row in [HEADER, *NGA_SON_ROWS]:
        ws.append(row)
    wb.save(tmp_path / "two.xlsx")
    from ocop_desktop.importer import sheet_names

    assert sheet_names(tmp_path / "two.xlsx") == ["Ghi chú", "Sản phẩm 2024"]
    plan, _ = run_import(office, tmp_path / "two.xlsx", sheet="Sản phẩm 2024", dry_run=True)
    assert plan.counts()[NEW] == 2
    with pytest.raises(UserError) as exc:
        load_table(tmp_path / "two.xlsx", "Không có")
    assert exc.value.key == "import.no_such_sheet"


def test_vni_typed_csv(tmp_path, office):
    from ocop_desktop.importer.legacy import VNI_TABLE

    to_vni = {text: seq for seq, text in VNI_TABLE.items()}

    def vni(text: str) -> str:
        return "".join(to_vni.get(ch, ch) for ch in text)

    assert vni("Hộ bà Lan") == "Hoä baø Lan"
    path = write_csv(
        tmp_path / "vni.csv",
        [[vni("Tên sản phẩm"), vni("Tên chủ thể")], [vni("Cói mỹ nghệ"), vni("Hộ bà Lan")]],
        "cp1252",
    )
    plan = plan_import(office, load_table(path))
    assert (plan.rows[0].product, plan.rows[0].producer) == ("Cói mỹ nghệ", "Hộ bà Lan")


def test_a_short_header_wins_over_data_rows_that_mention_places(tmp_path, office):
    path = xlsx(
        tmp_path / "short.xlsx",
        [
            ["Danh sách"],
            ["Sản phẩm", "Cơ sở sản xuất"],
            ["Chiếu cói", "Cơ sở Cói, xã Nga An, huyện Nga Sơn"],
            ["3 sao", "Huyện Nga Sơn", "xã Nga An", "Hộ bà Lan"],
        ],
    )
    table = load_table(path)
    assert table.header_rows == [2]
    assert [c.field for c in table.columns] == ["product_name", "producer_name"]


# The demo is drawn around today; its shares are checked for the day they were tuned on.
@pytest.mark.today("2026-11-30")
def test_a_list_written_from_existing_records_matches_them_all(tmp_path, office):
    """The office's own records, as another office's spreadsheet would list them
    (current communes, Vietnamese dates, stars in words), import as 'exists'."""
    from ocop_desktop.demo import generate
    from ocop_desktop.refdata import load

    generate(office, n_products=60, seed=3)
    before = counts(office)
    ref = load()
    rows = office.db.execute(
        "SELECT p.name, pr.name, pr.tax_code, pr.commune_code, r.stars, r.decision_no, "
        "r.decision_date, p.product_set FROM products p JOIN producers pr ON pr.id = p.producer_id "
        "JOIN recognitions r ON r.product_id = p.id WHERE p.deleted = 0 AND r.deleted = 0"
    ).fetchall()
    sheet = [["Tên SP", "Chủ thể", "MST", "Xã/phường", "Hạng", "Số QĐ", "Ngày QĐ", "Bộ SP"]]
    for name, producer, tax, commune, stars, number, decided, pset in rows:
        y, m, d = decided.split("-")
        sheet.append(
            [
                name,
                producer,
                tax,
                ref.commune_name(commune),
                f"{stars} sao",
                number,
                f"{d}/{m}/{y}",
                pset,
            ]  # fmt: skip
        )
    path = xlsx(tmp_path / "own.xlsx", sheet)
    plan = plan_import(office, load_table(path))
    assert plan.counts()[EXISTS] == len(rows), [
        (r.row, r.messages()) for r in plan.rows if r.status != EXISTS
    ][:5]
    apply_plan(office, plan)
    assert counts(office) == before


def test_a_truncated_workbook_is_refused(tmp_path, office):
    whole = xlsx(tmp_path / "whole.xlsx", [HEADER, *NGA_SON_ROWS]).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(UserError) as exc:
        run_import(office, cut)
    assert exc.value.key == "import.damaged"
    assert counts(office) == (0, 0, 0)


def test_reading_a_workbook_reports_progress_and_can_be_cancelled(tmp_path):
    from ocop_desktop.importer.reader import PROGRESS_EVERY, read_sheet
    from ocop_desktop.progress import Cancelled

    rows = [["Tên sản phẩm", "Tên chủ thể"]]
    rows += [[f"Mật ong {i}", "HTX Ba Đình"] for i in range(3 * PROGRESS_EVERY)]
    path = xlsx(tmp_path / "list.xlsx", rows)
    seen: list[tuple[int, int]] = []
    raw = read_sheet(path, progress=lambda done, total: seen.append((done, total)))
    assert len(raw.rows) == len(rows)
    assert [d for d, _ in seen] == [PROGRESS_EVERY, 2 * PROGRESS_EVERY, 3 * PROGRESS_EVERY]
    assert all(total == len(rows) for _, total in seen)

    def cancel(done: int, total: int) -> None:
        raise Cancelled

    # Cancelling is not a damaged file: the caller gets Cancelled, not a message.
    with pytest.raises(Cancelled):
        read_sheet(path, progress=cancel)
