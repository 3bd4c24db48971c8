"""Lists laid out as provinces publish them (tools/make_province_lists.py writes
them to tests/data/provincial/): each imported through the CLI as an officer
would, then counted by ``ocop summary --json``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from ocop_desktop.cli import cli
from ocop_desktop.errors import UserError
from ocop_desktop.importer import first_sheet_with_a_table, list_sheets, load_table, plan_import
from ocop_desktop.importer.address import split_name_address
from ocop_desktop.importer.plan import ERROR
from ocop_desktop.store import init_node, open_store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from make_province_lists import OUT, SAMPLES, Sample  # noqa: E402

# The lists carry decisions up to March 2026: read as of a day after them.
pytestmark = pytest.mark.today("2026-06-01")
BY_NAME = {s.name: s for s in SAMPLES}


def ocop(db: Path, *args: str):
    result = CliRunner().invoke(cli, ["--db", str(db), *args])
    return result


def ocop_json(db: Path, *args: str) -> dict:
    result = ocop(db, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def table_counts(db: Path) -> tuple[int, ...]:
    store = open_store(db)
    try:
        return tuple(
            store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("producers", "products", "recognitions", "audit")
        )
    finally:
        store.close()


def fresh(tmp_path: Path, province: int) -> Path:
    db = tmp_path / "province.sqlite"
    init_node(db, role="province", province=province, officer="Nguyễn Văn An").close()
    return db


def ranked_in_summary(db: Path) -> int:
    summary = ocop_json(db, "summary", "--as-of", "2026-06-01")
    ranked = summary["products"]["ranked"]
    assert ranked == sum(summary["stars"].values()) + summary["products"]["expired"]
    return ranked


def test_the_samples_are_as_the_script_writes_them(tmp_path):
    """The files in tests/data/provincial/ are the script's output (regenerate
    them with python tools/make_province_lists.py after changing it)."""
    from openpyxl import load_workbook

    assert len(SAMPLES) >= 8
    for sample in SAMPLES:
        assert sample.write is not None
        if sample.name.endswith(".xls"):
            continue  # written once with xlwt (unmaintained, so not a dependency): kept as is
        sample.write(tmp_path / sample.name)
        kept, made = OUT / sample.name, tmp_path / sample.name
        if sample.name.endswith(".csv"):
            assert kept.read_bytes() == made.read_bytes(), sample.name
            continue
        a, b = load_workbook(kept), load_workbook(made)
        assert a.sheetnames == b.sheetnames, sample.name
        for ws in a.worksheets:
            assert list(ws.values) == list(b[ws.title].values), (sample.name, ws.title)
            assert sorted(map(str, ws.merged_cells.ranges)) == sorted(
                map(str, b[ws.title].merged_cells.ranges)
            )


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: s.name)
def test_a_published_list_gives_its_ranked_products(tmp_path, sample: Sample):
    db = fresh(tmp_path, sample.province)
    path = OUT / sample.name
    before = table_counts(db)

    # The dry run reads every rank and writes nothing.
    dry = ocop_json(db, "import", str(path), "--dry-run")
    assert dry["dry_run"] is True
    assert dry["ranked_rows"] == sample.ranked
    assert table_counts(db) == before
    parts = dry.get("sheets", [dry])
    assert [p["sheet"] for p in parts] == list(sample.sheets or [parts[0]["sheet"]])

    done = ocop_json(db, "import", str(path))
    assert done["ranked_rows"] == sample.ranked
    missed = done["ranked_not_recorded"]
    assert all(m["reasons"] for m in missed)  # each with why
    ranked = ranked_in_summary(db)
    assert ranked * 10 >= sample.ranked * 9
    assert ranked + len(missed) >= sample.ranked

    # A second import adds nothing and changes nothing.
    after = table_counts(db)
    again = ocop_json(db, "import", str(path))
    assert again["counts"]["new"] == 0 and again["counts"]["update"] == 0
    assert table_counts(db)[:3] == after[:3]
    assert ranked_in_summary(db) == ranked


# ---- what each layout asks of the importer -------------------------------------------
def _plan(tmp_path: Path, name: str, sheet: str | None = None):
    sample = BY_NAME[name]
    store = init_node(tmp_path / f"{name}.sqlite", role="province", province=sample.province)
    try:
        return plan_import(store, load_table(OUT / name, sheet))
    finally:
        store.close()


def test_signatures_below_the_annex_are_not_products(tmp_path):
    plan = _plan(tmp_path, "nghean_annex.xlsx")
    records = [r.product for r in plan.rows if r.status != "skipped"]
    assert len(records) == 9
    assert not [p for p in records if "Ký" in p or "Nguyễn Văn Đệ" in p]
    footer = [r.product for r in plan.rows if r.status == "skipped"][-3:]
    assert footer[1] == "(Ký, ghi rõ họ tên) (Ký tên, đóng dấu)"


def test_a_commune_marked_former_is_found(tmp_path):
    plan = _plan(tmp_path, "nghean_annex.xlsx")
    row = next(r for r in plan.rows if r.product == "Hải sản khô Quỳnh Lập")
    assert row.producer_ref is not None
    assert row.producer_ref.values.get("commune_code") is not None
    assert not [m for m in row.messages() if "xã/phường" in m]


def test_a_rank_below_four_keeps_its_stars_not_the_potential_mark(tmp_path):
    plan = _plan(tmp_path, "thanhhoa_portal.xlsx")
    row = next(r for r in plan.rows if r.product == "Rượu Cầm Vân")
    assert row.recognition_ref is not None
    rec = row.recognition_ref.values
    assert (rec["stars"], rec.get("potential_5", 0)) == (3, 0)
    assert any("tiềm năng 5 sao" in m for m in row.messages())
    nem = next(r for r in plan.rows if r.product == "Nem chua Thanh Hóa")
    assert nem.recognition_ref.values["potential_5"] == 1  # 4 stars: the mark is kept
    assert plan.ranked_not_recorded() == []


def test_a_decision_cell_holding_only_a_year_gives_the_year(tmp_path):
    plan = _plan(tmp_path, "nghean_utf8_bom.csv")
    row = next(r for r in plan.rows if r.product == "Gà đồi Thanh Chương")
    rec = row.recognition_ref.values
    assert (rec["decision_date"], rec["date_basis"]) == ("2025-01-01", "year")
    assert not any("không đọc được" in m for m in row.certificate_missing)


def test_producer_and_address_in_one_cell(tmp_path):
    plan = _plan(tmp_path, "hatinh_by_district.xlsx")
    by_name = {r.product: r for r in plan.rows}
    deer = by_name["Nhung hươu Hương Sơn"]
    assert deer.producer == "HTX Chăn nuôi hươu Sơn Tây"
    assert deer.producer_ref.values["address"] == "Xóm 2, xã Sơn Tây"
    assert deer.producer_ref.values.get("commune_code") is not None
    # the producer written once over its three products (merged cells)
    assert by_name["Cao nhung hươu"].producer_ref is deer.producer_ref
    fish = by_name["Ruốc Cẩm Nhượng"]
    assert fish.producer_ref is by_name["Nước mắm Cẩm Nhượng"].producer_ref


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("HTX Nông nghiệp Tân Tiến - Xóm 6, xã Tân Tiến",
         ("HTX Nông nghiệp Tân Tiến", "Xóm 6, xã Tân Tiến")),
        ("Hộ Lê Văn B (thôn Đông, xã Nga An)", ("Hộ Lê Văn B", "thôn Đông, xã Nga An")),
        ("Công ty CP A; địa chỉ: số 5 Lê Lợi, phường Hàm Rồng",
         ("Công ty CP A", "số 5 Lê Lợi, phường Hàm Rồng")),
        ("Công ty TNHH Xuất nhập khẩu A, B và C", ("Công ty TNHH Xuất nhập khẩu A, B và C", None)),
        ("Hợp tác xã Nông nghiệp (HTX NN) Tân Tiến",
         ("Hợp tác xã Nông nghiệp (HTX NN) Tân Tiến", None)),
    ],
)  # fmt: skip
def test_split_name_address(cell, expected):
    assert split_name_address(cell) == expected


def test_the_sheet_or_title_that_names_a_district_places_its_communes(tmp_path):
    """Xã Châu Tiến was a commune of Quỳ Châu and one of Quỳ Hợp: a list of one
    district, by its sheet's name or its title, says which."""
    path = tmp_path / "l.xlsx"
    wb = Workbook()
    by_sheet = wb.active
    by_sheet.title = "Quỳ Hợp"
    by_title = wb.create_sheet("DS")
    by_title.append(["DANH SÁCH SẢN PHẨM OCOP HUYỆN QUỲ CHÂU (CŨ) NĂM 2025"])
    for ws in (by_sheet, by_title):
        ws.append(["TT", "Tên sản phẩm", "Chủ thể", "Xã", "Hạng sao"])
        ws.append([1, "Chè Châu Tiến", "HTX Chè Châu Tiến", "Châu Tiến", "3 sao"])
    wb.save(path)
    store = init_node(tmp_path / "p.sqlite", role="province", province=40)
    try:
        communes = [
            plan_import(store, load_table(path, sheet)).rows[0].producer_ref.values["commune_code"]
            for sheet in ("Quỳ Hợp", "DS")
        ]
    finally:
        store.close()
    assert communes == [17044, 16792]


def test_list_sheets_leave_out_the_cover_and_the_hidden_sheet():
    path = OUT / "nghean_year_sheets.xlsx"
    assert list_sheets(path) == ["Năm 2024", "Năm 2025"]  # not "Tổng hợp" nor "DM"
    assert first_sheet_with_a_table(path) == "Năm 2024"
    assert list_sheets(OUT / "nghean_utf8_bom.csv") == []


def test_several_sheets_import_sheet_by_sheet_with_one_report(tmp_path):
    from openpyxl import load_workbook

    db = fresh(tmp_path, 40)
    out = ocop(db, "import", str(OUT / "nghean_year_sheets.xlsx"), "--report",
               str(tmp_path / "r.xlsx"))  # fmt: skip
    assert out.exit_code == 0, out.output
    assert "“Năm 2024”" in out.output and "“Năm 2025”" in out.output
    assert table_counts(db)[1:3] == (6, 6)
    rows = list(load_workbook(tmp_path / "r.xlsx").active.values)
    assert rows[0][-1] == "Trang tính"
    assert {r[-1] for r in rows[1:]} == {"Năm 2024", "Năm 2025"}
    # one sheet named: only that one
    (tmp_path / "b").mkdir()
    other = fresh(tmp_path / "b", 40)
    assert ocop(other, "import", str(OUT / "nghean_year_sheets.xlsx"), "--sheet",
                "Năm 2025").exit_code == 0  # fmt: skip
    assert table_counts(other)[1] == 3


def test_a_sheet_that_cannot_be_read_stops_before_anything_is_written(tmp_path):
    path = tmp_path / "two.xlsx"
    wb = Workbook()
    first = wb.active
    first.title = "Năm 2024"
    first.append(["TT", "Tên sản phẩm", "Chủ thể", "Hạng sao"])
    first.append([1, "Tương Nam Đàn", "HTX Tương Nam Đàn", "4 sao"])
    second = wb.create_sheet("Năm 2025")
    second.append(["TT", "Tên sản phẩm", "Chủ thể", "Hạng sao"])
    second.append([1, "Nhút Thanh Chương", "HTX Nhút", None])
    second["D2"] = "=1+2"  # a formula whose result was never saved
    wb.save(path)
    db = fresh(tmp_path, 40)
    before = table_counts(db)
    out = ocop(db, "import", str(path))
    assert isinstance(out.exception, UserError)
    assert out.exception.key == "import.formulas_unsaved"
    assert table_counts(db) == before


def test_a_ranked_row_whose_certificate_is_refused_is_listed(tmp_path):
    path = tmp_path / "l.xlsx"
    wb = Workbook()
    wb.active.append(["TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Ngày QĐ"])
    wb.active.append([1, "Tương Nam Đàn", "HTX Tương", "Huyện Nam Đàn", "4 sao", "20/3/2027"])
    wb.save(path)
    store = init_node(tmp_path / "p.sqlite", role="province", province=40)
    plan = plan_import(store, load_table(path))
    store.close()
    assert plan.rows[0].status != ERROR  # the product is still taken
    missed = plan.to_json()["ranked_not_recorded"]
    assert [m["row"] for m in missed] == [2] and missed[0]["reasons"]


def test_an_excel_97_file_is_read_with_its_merges_dates_and_hidden_sheet(tmp_path):
    path = OUT / "hatinh_excel97.xls"
    assert list_sheets(path) == ["DS OCOP 2025"]  # not the hidden "Danh muc"
    table = load_table(path, first_sheet_with_a_table(path))
    assert table.header_rows == [3, 4]
    assert table.columns[6].label == "Quyết định công nhận / Ngày"
    plan = _plan(tmp_path, "hatinh_excel97.xls", "DS OCOP 2025")
    recs = {r.product: r.recognition_ref.values for r in plan.rows if r.recognition_ref}
    assert recs["Kẹo cu đơ Hà Tĩnh"]["decision_date"] == "2025-09-12"  # an Excel date
    assert recs["Cam Khe Mây"]["date_basis"] == "inferred"
    # "huyện Lộc Hà", a district gone from the reference lists: the commune is found
    fish = next(r for r in plan.rows if r.product == "Nước mắm Hộ Độ")
    assert fish.producer_ref.values["commune_code"] == 18100


def test_an_unreadable_xls_is_refused_in_one_line(tmp_path):
    db = fresh(tmp_path, 38)
    before = table_counts(db)
    bad = tmp_path / "hong.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Workbook")
    with pytest.raises(UserError) as caught:
        load_table(bad)
    assert caught.value.key == "import.old_xls"
    out = subprocess.run(
        [sys.executable, "-m", "ocop_desktop", "--db", str(db), "import", str(bad)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert out.stderr.count("\n") == 1 and "lưu lại dưới dạng .xlsx" in out.stderr
    assert table_counts(db) == before


def test_star_marks_under_grouped_columns_and_subtotals_that_count(tmp_path):
    plan = _plan(tmp_path, "nghean_star_columns.xlsx")
    assert [c.field for c in plan.table.columns][5:8] == ["stars_3", "stars_4", "stars_5"]
    assert not [r for r in plan.rows if r.status == ERROR]
    totals = [r.product for r in plan.rows if r.status == "skipped"]
    assert totals == [
        "Cộng huyện Quỳ Hợp 1 1 0",
        "Cộng TX Hoàng Mai và huyện Quỳnh Lưu 2 1 0",
        "TỔNG CỘNG 3 2 0",
    ]
    tea = plan.rows[0]
    assert tea.product == "Chè Châu Tiến"  # the (*) of a renewed recognition is no name
    assert tea.producer_ref.values["commune_code"] == 17044  # "(nay là xã Châu Hồng)"
    assert [r.stars for r in plan.rows if r.stars] == [3, 4, 4, 3, 3]


def test_ranks_from_the_section_lines_and_the_decision_from_the_title(tmp_path):
    plan = _plan(tmp_path, "thanhhoa_rank_sections.xlsx")
    recs = [(r.product, r.recognition_ref.values) for r in plan.rows if r.recognition_ref]
    assert [(name, v["stars"]) for name, v in recs] == [
        ("Nước mắm Khúc Phụ", 4),
        ("Bánh đa Hoằng Lộc", 4),
        ("Giò chả Hoằng Đạt", 3),
        ("Mắm tôm Hải Châu", 3),
        ("Rượu Làng Quảng", 3),
    ]
    assert {v["decision_no"] for _, v in recs} == {"715/QĐ-UBND"}
    assert {v["decision_date"] for _, v in recs} == {"2026-03-20"}  # "20.3.2026" too
    footer = [r.product for r in plan.rows if r.status == "skipped"][-3:]
    assert footer[-1] == "- Lưu: VT, NN. Lê Đức Giang"


def test_council_results_as_above_marks_and_a_bare_result_column(tmp_path):
    plan = _plan(tmp_path, "nghean_council_results.xlsx")
    assert plan.table.columns[5].field == "stars"  # "Kết quả": its cells are ranks
    by_name = {r.product: r for r in plan.rows}
    first = by_name["Nước mắm Diễn Bích"]
    for name in ("Mắm tôm Diễn Bích", "Ruốc Diễn Bích"):  # "nt": as above
        assert by_name[name].producer_ref is first.producer_ref
    rec = first.recognition_ref.values
    assert (rec["decision_no"], rec["decision_date"]) == ("1234/QĐ-UBND", "2026-03-20")
    failed = by_name["Bánh đa vừng Đô Lương"]  # "Không đạt": no rank, and nothing unread
    assert failed.stars is None and not any("không đọc được" in m for m in failed.messages())
    assert plan.rows[-1].status == "skipped"  # the sentence below the table
    # the addresses, typed with a VNI font, read as Unicode
    assert {c.encoding for c in plan.table.conversions} == {"vni"}
    assert first.producer_ref.values["address"] == "Xã Diễn Bích, huyện Diễn Châu"


def test_the_rank_column_is_found_by_its_values_not_only_its_label(tmp_path):
    path = tmp_path / "l.xlsx"
    wb = Workbook()
    wb.active.append(["TT", "Tên sản phẩm", "Chủ thể", "Đánh giá", "Văn bản"])
    wb.active.append([1, "Chè A", "HTX A", "3 sao", "715/QĐ-UBND"])
    wb.active.append([2, "Chè B", "HTX B", "★★★★", "715/QĐ-UBND"])
    wb.active.append([3, "Chè C", "HTX C", "Hạng 3 sao", "716/QĐ-UBND"])
    wb.save(path)
    assert [c.field for c in load_table(path).columns][3:] == ["stars", "decision_no"]


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Tên HTX/DN/Hộ SX", "producer_name"),
        ("Năm được công nhận", "decision_year"),
        ("Năm QĐ", "decision_year"),
        ("Đơn vị hành chính", "address"),
        ("Thời điểm công nhận", "decision_date"),
        ("Ngày ra quyết định", "decision_date"),
        ("Ngày QĐ công nhận", "decision_date"),
        ("Ngày, số quyết định", "decision_no"),
        ("Số GCN", "decision_no"),
    ],
)
def test_more_header_wordings(tmp_path, label, field):
    path = tmp_path / "l.xlsx"
    wb = Workbook()
    wb.active.append(["TT", "Tên sản phẩm", label])
    wb.active.append([1, "Mật ong", None])
    wb.save(path)
    assert load_table(path).columns[2].field == field


@pytest.mark.parametrize(
    ("raw", "stars", "potential"),
    [("3-sao", 3, False), ("3 (ba) sao", 3, False), ("III", 3, False), ("Hạng IV", 4, False),
     ("4 sao (TN 5 sao)", 4, True), ("Không đạt", None, False), ("Chưa xếp hạng", None, False)],
)  # fmt: skip
def test_more_star_spellings(raw, stars, potential):
    from ocop_desktop.importer import values as val

    got = val.parse_stars(raw)
    assert (got.stars, got.potential_5) == (stars, potential) if stars else got is None


@pytest.mark.parametrize(
    ("raw", "number", "when"),
    [("715 /QĐ- UBND", "715/QĐ-UBND", None),
     ("20/3/2026 - 715/QĐ-UBND", "715/QĐ-UBND", "2026-03-20"),
     ("QĐ số 715 ngày 20/3/2026", "", "2026-03-20"),  # no number with a slash: said unread
     ("Năm 2025", "", "2025-01-01"),
     ("715/QĐ-UBND ngày 20/3/2023; 1234/QĐ-UBND ngày 5/5/2026 (công nhận lại)",
      "1234/QĐ-UBND", "2026-05-05")],
)  # fmt: skip
def test_decision_cells_a_date_is_no_number(raw, number, when):
    from ocop_desktop.importer.certificates import read_certificate

    data, _issues, missing = read_certificate(
        {"stars": "3 sao", "decision_no": raw}, {}, True, 2, True
    )
    assert (data["decision_no"], data["decision_date"]) == (number, when or data["decision_date"])
    unread = [m for m in missing if m[0] == "import.part.decision_no_unread"]
    assert bool(unread) == ("715 ngày" in raw)


def test_numbered_group_lines_are_sections_not_products(tmp_path):
    path = tmp_path / "l.xlsx"
    wb = Workbook()
    for row in (
        ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao"],
        [1, "Dược liệu và sản phẩm từ dược liệu"],
        [1.1, "Cao dược liệu Nga An", "HTX A", "Xã Nga An, huyện Nga Sơn", "3 sao"],
        [2, "Hàng thủ công mỹ nghệ"],
        [2.1, "Chiếu cói", "HTX B", "Xã Nga Tân, huyện Nga Sơn", "4 sao"],
    ):
        wb.active.append(row)
    wb.save(path)
    store = init_node(tmp_path / "p.sqlite", role="province", province=38)
    plan = plan_import(store, load_table(path))
    store.close()
    assert [r.product for r in plan.rows if r.status != "skipped"] == [
        "Cao dược liệu Nga An",
        "Chiếu cói",
    ]
    assert plan.rows[-1].proposal == [21]  # the group line narrows the proposal


def test_a_row_of_column_letters_under_the_header_is_no_record(tmp_path):
    path = tmp_path / "l.xlsx"
    wb = Workbook()
    for row in (
        ["Danh sách sản phẩm OCOP"],
        ["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao", "Ghi chú"],
        ["A", "B", "C", "D", "E"],
        [1, "Mật ong Nga An", "HTX Ong Nga An", "3 sao"],
    ):
        wb.active.append(row)
    wb.save(path)
    store = init_node(tmp_path / "p.sqlite", role="province", province=38)
    plan = plan_import(store, load_table(path))
    store.close()
    assert [(r.row, r.product) for r in plan.rows] == [(4, "Mật ong Nga An")]


def test_a_cover_that_counts_products_by_group_is_not_the_list(tmp_path):
    path = tmp_path / "l.xlsx"
    wb = Workbook()
    cover = wb.active
    cover.title = "Tổng hợp"
    for row in (
        ["TT", "Nhóm sản phẩm", "Số sản phẩm", "3 sao", "4 sao"],
        [1, "Thực phẩm", 25, 20, 5],
        [2, "Đồ uống", 4, 3, 1],
    ):
        cover.append(row)
    listing = wb.create_sheet("Danh sách")
    listing.append(["TT", "Tên sản phẩm", "Chủ thể", "Hạng sao"])
    listing.append([1, "Mật ong Nga An", "HTX Ong Nga An", "3 sao"])
    wb.save(path)
    assert [c.field for c in load_table(path, "Tổng hợp").columns][2] is None
    assert list_sheets(path) == ["Danh sách"]
    assert first_sheet_with_a_table(path) == "Danh sách"


@pytest.mark.parametrize(
    "text",
    ["Thôn 5, Nga An, Nga Sơn", "Nga An - Nga Sơn - Thanh Hóa", "Thôn 3 xã Nga An huyện Nga Sơn"],
)
def test_addresses_without_unit_words_or_commas(text):
    from ocop_desktop.importer.address import resolve

    assert resolve(38, address=text).commune_code == 16144  # xã Nga An (huyện Nga Sơn)


def test_unicode_text_and_sep_line_csv_exports(tmp_path):
    """Excel's "Unicode Text" (UTF-16, tab-separated) and a CSV opening with the
    "sep=;" hint, with commas inside addresses and decisions."""
    rows = [
        ["TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Số, ngày QĐ"],
        ["1", "Nước mắm Ba Làng", "HTX Ba Làng", "Xã Hải Thanh, TX Nghi Sơn", "4 sao",
         "715/QĐ-UBND ngày 20/3/2026"],
        ["2", "Chè lam", "HTX Chè Lam", "Xã Vĩnh Phúc, huyện Vĩnh Lộc", "3 sao",
         "715/QĐ-UBND, 20/3/2026"],
    ]  # fmt: skip
    tabbed = tmp_path / "unicode.txt"
    tabbed.write_bytes(b"\xff\xfe" + "\r\n".join("\t".join(r) for r in rows).encode("utf-16-le"))
    hinted = tmp_path / "sep.csv"
    hinted.write_bytes(("sep=;\r\n" + "\r\n".join(";".join(r) for r in rows)).encode("utf-8-sig"))
    for path in (tabbed, hinted):
        table = load_table(path)
        assert [c.field for c in table.columns][4:] == ["stars", "decision_no"], path.name
        assert [r.values["address"] for r in table.rows] == [rows[1][3], rows[2][3]]


def test_numbering_formulas_without_saved_results_do_not_stop_the_import(tmp_path):
    """A portal's export numbers its rows with =ROW()-1 and saves no results: the
    numbering column is not read, so the list is."""
    path = tmp_path / "l.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["STT", "Tên sản phẩm", "Chủ thể", "Hạng sao"])
    ws.append(["=ROW()-1", "Mật ong Nga An", "HTX Ong Nga An", "3 sao"])
    ws.append(["=ROW()-1", "Chiếu cói", "HTX Cói", "=2+2"])  # a rank column's formula
    wb.save(path)
    with pytest.raises(UserError) as caught:
        load_table(path)
    assert caught.value.key == "import.formulas_unsaved"
    assert "D3" in caught.value.message() and "A2" not in caught.value.message()
    ws["D3"] = "4 sao"
    wb.save(path)
    assert [r.values["stars"] for r in load_table(path).rows] == ["3 sao", "4 sao"]


def test_a_lone_rank_line_under_the_header_is_a_section(tmp_path):
    """'3 SAO' on its own line just below the header was read as a second header
    row (the name column became a '3 sao' mark column) and every row lost."""
    path = tmp_path / "l.xlsx"
    wb = Workbook()
    for row in (
        ["STT", "Tên sản phẩm", "Chủ thể", "Địa chỉ"],
        [None, "3 SAO"],
        [1, "Mật ong Nga An", "HTX Ong", "Xã Nga An, huyện Nga Sơn"],
        ["II", "Hạng 4 sao"],
        [2, "Chiếu cói", "HTX Cói", "Xã Nga Tân, huyện Nga Sơn"],
    ):
        wb.active.append(row)
    wb.save(path)
    table = load_table(path)
    assert table.header_rows == [1]
    store = init_node(tmp_path / "p.sqlite", role="province", province=38)
    plan = plan_import(store, table)
    store.close()
    assert [(r.product, r.stars) for r in plan.rows if r.status != "skipped"] == [
        ("Mật ong Nga An", 3),
        ("Chiếu cói", 4),
    ]


def test_a_code_column_before_the_name_does_not_take_the_name(tmp_path):
    path = tmp_path / "l.xlsx"
    wb = Workbook()
    wb.active.append(["STT", "Mã sản phẩm", "Tên sản phẩm OCOP", "Mã chủ thể", "Chủ thể", "Hạng"])
    wb.active.append([1, "TH-001", "Mật ong Nga An", "CT-01", "HTX Ong Nga An", "3 sao"])
    wb.save(path)
    fields = [c.field for c in load_table(path).columns]
    assert fields == [
        "row_no", None, "product_name", None, "producer_name", "stars",
    ]  # fmt: skip


@pytest.mark.parametrize("label", ["Kết quả", "Kết quả đánh giá", "Sao OCOP", "Mức sao"])
def test_a_rank_column_by_a_looser_label_with_numbers_in_it(tmp_path, label):
    path = tmp_path / "l.xlsx"
    wb = Workbook()
    wb.active.append(["STT", "Tên sản phẩm", "Chủ thể", label, "Đợt"])
    wb.active.append([1, "Mật ong Nga An", "HTX Ong Nga An", 3, "Đợt 1"])
    wb.active.append([2, "Chiếu cói", "HTX Cói", 4, "Đợt 2"])
    wb.save(path)
    assert [c.field for c in load_table(path).columns][3:] == ["stars", None]
