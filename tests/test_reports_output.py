"""The PDF and the workbook show the same figures as ``summary --json``."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader
from report_data import populate

from ocop_desktop import clock
from ocop_desktop.cli import cli
from ocop_desktop.i18n import format_number
from ocop_desktop.store import init_node

TODAY = clock.today()
NARRATIVE = {
    "strengths": "Các chủ thể chủ động nâng cấp bao bì và truy xuất nguồn gốc.",
    "shortcomings": "Một số chủ thể chưa đề nghị đánh giá lại khi hết hạn.",
    "causes": "Chủ thể quy mô nhỏ, thiếu người làm hồ sơ.",
    "tasks": "Thông báo sớm cho chủ thể có giấy chứng nhận sắp hết hạn.",
    "proposals": "Đề nghị tỉnh tổ chức tập huấn về hồ sơ công nhận lại.",
}


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def office_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("office_out")
    db = d / "office.sqlite"
    store = init_node(db, role="office", office="401", officer="Lê Thị Hoa")
    populate(store, n_products=70, seed=11)
    store.close()
    data = json.loads(invoke("--db", str(db), "summary", "--json"))
    invoke(
        "--db",
        str(db),
        "documents",
        "--governing-body",
        "",
        "--issuing-body",
        "ỦY BAN NHÂN DÂN\\nXÃ NGA SƠN",
        "--body-name",
        "Ủy ban nhân dân xã Nga Sơn",
        "--abbreviation",
        "UBND",
        "--to",
        "Văn phòng Điều phối nông thôn mới tỉnh Thanh Hóa",
        "--recipient",
        "Như trên;",
        "--recipient",
        "Lưu: VT.",
        "--authority",
        "KT.",
        "--on-behalf-of",
        "CHỦ TỊCH",
        "--signer-title",
        "Phó Chủ tịch",
        "--signer-name",
        "Nguyễn Văn Hùng",
    )
    (d / "narrative.json").write_text(json.dumps(NARRATIVE, ensure_ascii=False), "utf-8")
    invoke(
        "--db",
        str(db),
        "report",
        "--out",
        str(d / "r.pdf"),
        "--number",
        "125",
        "--narrative",
        str(d / "narrative.json"),
    )
    invoke("--db", str(db), "export-excel", "--out", str(d / "r.xlsx"))
    return data, d / "r.pdf", d / "r.xlsx"


@pytest.fixture(scope="module")
def province_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("province_out")
    db = d / "province.sqlite"
    store = init_node(db, role="province", province=38, officer="Nguyễn Văn An")
    populate(store, n_products=90, seed=13)
    store.close()
    data = json.loads(invoke("--db", str(db), "summary", "--json"))
    invoke("--db", str(db), "report", "--out", str(d / "p.pdf"), "--number", "7/BC-VPĐP")
    invoke("--db", str(db), "export-excel", "--out", str(d / "p.xlsx"))
    return data, d / "p.pdf", d / "p.xlsx"


def pdf_pages(path) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages]


def n(value: int) -> str:
    return format_number(value, "vi")


def test_pdf_has_the_official_layout_and_the_figures(office_files):
    data, pdf, _ = office_files
    pages = pdf_pages(pdf)
    text = " ".join(pages)
    assert text == unicodedata.normalize("NFC", text)
    first = pages[0]
    for phrase in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN XÃ NGA SƠN",
        "Số: 125/BC-UBND",
        f"Nga Sơn, ngày {TODAY.day:02d} tháng",
        f"năm {TODAY.year}",
        "BÁO CÁO",
        "trên địa bàn huyện Nga Sơn (cũ)",
        "Kính gửi: Văn phòng Điều phối nông thôn mới tỉnh Thanh Hóa",
        f"(Số liệu tính đến ngày {TODAY:%d/%m/%Y})",
    ):
        assert phrase in first, phrase
    for phrase in (
        "Nơi nhận:",
        "- Như trên;",
        "KT. CHỦ TỊCH PHÓ CHỦ TỊCH",
        "Nguyễn Văn Hùng",
        "II. ĐÁNH GIÁ CHUNG",
        "III. NHIỆM VỤ, GIẢI PHÁP NĂM",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
        *NARRATIVE.values(),
        "Phụ lục I",
        "(Kèm theo Báo cáo số 125/BC-UBND ngày",
        "của Ủy ban nhân dân xã Nga Sơn",
    ):
        assert phrase in text, phrase
    assert "UBND TỈNH THANH HÓA" not in text and "HUYỆN NGA SƠN" not in text
    p, s = data["products"], data["stars"]
    assert f"có {n(p['total'])} sản phẩm được theo dõi" in text
    assert f"trong đó {n(p['certified'])} sản phẩm có giấy chứng nhận" in text
    assert (
        f"{n(s['5'])} sản phẩm 5 sao, {n(s['potential_5'])} sản phẩm tiềm năng 5 sao, "
        f"{n(s['4'])} sản phẩm 4 sao và {n(s['3'])} sản phẩm 3 sao" in text
    )
    assert f"{n(p['expired'])} sản phẩm đã hết hạn chứng nhận" in text
    assert f"{n(p['revoked'])} sản phẩm bị thu hồi" in text
    pr = data["producers"]
    assert f"Có {n(pr['total'])} chủ thể được theo dõi" in text
    assert f"{n(pr['representative_female'])} chủ thể có người đại diện là nữ" in text
    assert f"{n(pr['representative_ethnic'])} chủ thể có người đại diện là người dân tộc" in text
    a = data["year_results"]["achieved"]
    assert f"{n(a['new_products'])} sản phẩm công nhận mới" in text
    assert f"{n(a['upgrades'])} sản phẩm nâng hạng" in text
    assert "Thời hạn cảnh báo giấy chứng nhận sắp hết hạn là 90 ngày" in text
    assert f"Có {n(data['expired_without_renewal']['count'])} sản phẩm đã hết hạn" in text
    assert f"Có {n(data['export']['products'])} sản phẩm OCOP còn hiệu lực được xuất khẩu" in text
    assert f"Có {n(data['ecommerce']['products'])} sản phẩm được bán trên sàn" in text
    for commune in data["by_commune"]:
        assert commune["name"] in text
    for item in data["expiring"]["items"]:
        if item["expiry_date"] <= (TODAY + timedelta(days=90)).isoformat():
            assert date.fromisoformat(item["expiry_date"]).strftime("%d/%m/%Y") in text


def test_pdf_appendix_lists_every_product_with_headers_on_each_page(office_files):
    data, pdf, _ = office_files
    pages = pdf_pages(pdf)
    start = next(i for i, p in enumerate(pages) if "DANH SÁCH SẢN PHẨM VÀ GIẤY" in p)
    appendix = pages[start:]
    assert len(appendix) >= 2, "the test data should make the appendix span pages"
    for page in appendix:
        assert "Tên sản phẩm" in page and "Số quyết định" in page and "Tình trạng" in page
    text = " ".join(appendix)
    numbers = {int(m) for m in re.findall(r"(?<![\d/.,])(\d{1,3}) ", text)}
    assert set(range(1, data["products"]["total"] + 1)) <= numbers
    assert "=1+2" in text  # a product name is printed as text


def test_pdf_fonts_are_embedded(office_files, province_files):
    for _, pdf, _ in (office_files, province_files):
        reader = PdfReader(str(pdf))
        seen = set()
        for page in reader.pages:
            fonts = page["/Resources"].get("/Font", {})
            for ref in fonts.values():
                font = ref.get_object()
                seen.add(font["/BaseFont"])
                descriptor = font.get("/FontDescriptor")
                if descriptor is None:
                    descendant = font["/DescendantFonts"][0].get_object()
                    descriptor = descendant["/FontDescriptor"]
                descriptor = descriptor.get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
                    font["/BaseFont"]
                )
        assert seen and all("LiberationSerif" in str(name) for name in seen), seen


def test_province_pdf_ranks_districts_and_charts_them(province_files):
    data, pdf, _ = province_files
    text = " ".join(pdf_pages(pdf))
    for phrase in (
        "UBND TỈNH THANH HÓA VĂN PHÒNG ĐIỀU PHỐI NÔNG THÔN MỚI",
        "Số: 7/BC-VPĐP",
        "Thanh Hóa, ngày",
        "trên địa bàn tỉnh Thanh Hóa",
        "Kính gửi: Ủy ban nhân dân tỉnh Thanh Hóa",
        "CHÁNH VĂN PHÒNG",
    ):
        assert phrase in text, phrase
    ranked = [d for d in data["by_district"] if d["certified"]]
    listing = ", ".join(f"{d['short_name']} {n(d['certified'])}" for d in ranked[:10])
    assert listing in text
    assert "Bảng 4. Sản phẩm OCOP còn hiệu lực theo địa bàn huyện cũ (xếp hạng)" in text
    assert "Biểu đồ 3. Sản phẩm OCOP còn hiệu lực theo địa bàn huyện cũ" in text
    # the communes and wards beside the former districts
    with_products = [c for c in data["by_commune"] if c["products"]]
    assert f"Theo {n(len(data['by_commune']))} xã, phường hiện nay" in text
    assert "Bảng 5. Sản phẩm OCOP theo xã, phường" in text
    for c in with_products:
        assert c["name"] in text


def text_runs(page) -> list[tuple[str, float, float]]:
    """(text, x, y) of each run drawn on a page."""
    runs: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            runs.append((text.strip(), cm[4] + tm[4], cm[5] + tm[5]))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.mark.parametrize("which", ["office_files", "province_files"])
def test_page_numbers_top_centre_from_page_two(which, request):
    _, pdf, _ = request.getfixturevalue(which)
    reader = PdfReader(str(pdf))
    annex_starts = {i for i, p in enumerate(pdf_pages(pdf)) if re.match(r"^Phụ lục [IVX]+ ", p)}
    assert annex_starts
    shown = 0
    for i, page in enumerate(reader.pages):
        width = float(page.mediabox.width)
        height = float(page.mediabox.height)
        shown = 1 if i == 0 or i in annex_starts else shown + 1
        top = [
            (text, x)
            for text, x, y in text_runs(page)
            if y > height - 20 * 72 / 25.4 and text.isdigit()
        ]
        if shown == 1:
            assert not top, (i, top)  # no number on a first page (of the report or an annex)
        else:
            assert [t for t, _ in top] == [str(shown)], (i, top)
            assert abs(top[0][1] - width / 2) < 12, "centred"
        bottom = [t for t, x, y in text_runs(page) if y < 15 * 72 / 25.4]
        assert not bottom, (i, bottom)


@pytest.mark.parametrize("which", ["office_files", "province_files"])
def test_tables_and_annexes_are_numbered_in_order_and_referenced_right(which, request):
    _, pdf, _ = request.getfixturevalue(which)
    text = " ".join(pdf_pages(pdf))
    check_numbering(text)


def check_numbering(text: str) -> dict[str, str]:
    captions = [int(m) for m in re.findall(r"Bảng (\d+)\. [A-ZĐÂÊÔƠƯ]", text)]
    assert captions == list(range(1, len(captions) + 1)), captions
    charts = [int(m) for m in re.findall(r"Biểu đồ (\d+)\.", text)]
    assert charts == list(range(1, len(charts) + 1)), charts
    for ref in re.findall(r"\(Bảng (\d+)\)", text):
        assert 1 <= int(ref) <= len(captions), ref
    annexes = re.findall(r"Phụ lục ([IVX]+) ([^(]+?) (?:TRONG \d|\(Kèm)", text)
    romans = [r for r, _ in annexes]
    assert romans == ["I", "II", "III", "IV"][: len(romans)], romans
    titles = dict(annexes)
    for roman in re.findall(r"danh sách tại Phụ lục ([IVX]+)", text):
        assert roman in titles, roman
    return titles


def test_workbook_holds_the_same_figures(office_files):
    data, _, xlsx = office_files
    wb = load_workbook(xlsx)
    assert wb.sheetnames[:3] == ["Tổng hợp", "Theo hạng sao", "Theo nhóm"]
    assert wb.sheetnames[-3:] == ["Chủ thể", "Sản phẩm", "Giấy chứng nhận"]
    summary = {r[0]: r[1] for r in wb["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    p = data["products"]
    assert summary["Địa bàn"] == "Huyện Nga Sơn"
    assert summary["Số liệu tính đến ngày"] == datetime.combine(TODAY, datetime.min.time())
    assert summary["Sản phẩm được theo dõi"] == p["total"]
    assert summary["Sản phẩm OCOP còn hiệu lực"] == p["certified"]
    assert summary["  trong đó Tiềm năng 5 sao"] == data["stars"]["potential_5"]
    assert summary["Chủ thể được theo dõi"] == data["producers"]["total"]
    assert summary["Chủ thể có người đại diện là nữ"] == data["producers"]["representative_female"]
    assert summary["Giấy chứng nhận hết hạn trong 90 ngày tới"] == data["expiring"]["count"]
    assert summary["Sản phẩm xuất khẩu"] == data["export"]["products"]
    stars = {r[0]: r[1] for r in wb["Theo hạng sao"].iter_rows(min_row=2, values_only=True)}
    assert stars == {
        "5 sao": data["stars"]["5"],
        "Tiềm năng 5 sao": data["stars"]["potential_5"],
        "4 sao": data["stars"]["4"],
        "3 sao": data["stars"]["3"],
        "Tổng số": p["certified"],
    }
    communes = {r[1]: r[4:] for r in wb["Theo xã phường"].iter_rows(min_row=2, values_only=True)}
    for c in data["by_commune"]:
        assert communes[c["name"]][-1] == c["certified"]
    year = wb[f"Kết quả năm {data['year']}"]
    achieved = [r[2] for r in year.iter_rows(min_row=2, values_only=True)]
    a = data["year_results"]["achieved"]
    assert achieved == [
        a[k]
        for k in (
            "new_products",
            "four_star",
            "potential_five",
            "upgrades",
            "renewals",
            "downgrades",
            "revocations",
        )
    ]
    products = wb["Sản phẩm"]
    assert products.max_row - 1 == p["total"]
    header = [c.value for c in products[1]]
    rows = list(products.iter_rows(min_row=2, values_only=True))
    statuses = [r[header.index("Tình trạng")] for r in rows]
    in_force = statuses.count("Còn hiệu lực") + statuses.count("Sắp hết hạn")
    assert in_force == p["certified"]
    assert statuses.count("Sắp hết hạn") == data["expiring"]["count"]
    # points and the producer's type on the product sheet
    points = [r[header.index("Điểm")] for r in rows if r[header.index("Số quyết định")]]
    assert points and set(points) <= {62, 80, 93}
    kinds = {r[header.index("Loại hình chủ thể")] for r in rows}
    assert kinds == {"Doanh nghiệp", "Hợp tác xã", "Tổ hợp tác", "Hộ sản xuất kinh doanh"}
    assert wb["Chủ thể"].max_row - 1 == data["producers"]["total"]


def test_workbook_sheets_are_usable_tables(office_files):
    _, _, xlsx = office_files
    wb = load_workbook(xlsx)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        # printed on A4 landscape, header row on every page, as wide as the paper
        assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
        assert ws.print_title_rows == "$1:$1", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert ws["A1"].font.bold
        assert ws.column_dimensions["A"].width >= 6
    ws = wb["Sản phẩm"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["STT", "Tên sản phẩm", "Chủ thể"]
    decided = header.index("Ngày quyết định") + 1
    dated = [r for r in ws.iter_rows(min_row=2) if r[decided - 1].value is not None]
    assert dated
    for row in dated:
        cell = row[decided - 1]
        assert isinstance(cell.value, datetime) and cell.is_date
        assert cell.number_format == "DD/MM/YYYY"


def test_workbook_text_never_runs_as_a_formula(office_files):
    _, _, xlsx = office_files
    wb = load_workbook(xlsx)
    names = {r[1].value: r[1] for r in wb["Sản phẩm"].iter_rows(min_row=2)}
    cell = names["=1+2"]
    assert cell.data_type == "s"
    assert cell.quotePrefix
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)


def test_formula_guard_for_every_dangerous_start(tmp_path):
    from openpyxl import Workbook

    from ocop_desktop.reports.xlsx import _Sheet

    wb = Workbook(write_only=True)
    sh = _Sheet(wb, "x", [("a", 10)])
    values = ["=SUM(A1)", "+84 chợ", "-giảm giá", "@shop", "\tTab", "\rCR", "bình thường"]
    for v in values:
        sh.append([v])
    sh.close()
    wb.save(tmp_path / "x.xlsx")
    ws = load_workbook(tmp_path / "x.xlsx")["x"]
    cells = [r[0] for r in ws.iter_rows(min_row=2)]
    # XML reading normalises a carriage return to a newline
    assert [c.value for c in cells] == [v.replace("\r", "\n") for v in values]
    assert all(c.data_type == "s" for c in cells)
    assert [bool(c.quotePrefix) for c in cells] == [True] * 6 + [False]


def test_demo_province_outputs_agree(tmp_path):
    from ocop_desktop.demo import generate

    db = tmp_path / "demo.sqlite"
    store = init_node(db, role="province", province=38)
    generate(store, n_products=500, seed=8)
    store.close()
    data = json.loads(invoke("--db", str(db), "summary", "--json"))
    invoke("--db", str(db), "report", "--out", str(tmp_path / "p.pdf"))
    invoke("--db", str(db), "export-excel", "--out", str(tmp_path / "p.xlsx"))
    text = " ".join(pdf_pages(tmp_path / "p.pdf"))
    p = data["products"]
    assert f"có {n(p['total'])} sản phẩm được theo dõi" in text
    assert f"trong đó {n(p['certified'])} sản phẩm có giấy chứng nhận" in text
    ranked = [d for d in data["by_district"] if d["certified"]]
    assert ", ".join(f"{d['short_name']} {n(d['certified'])}" for d in ranked[:10]) in text
    wb = load_workbook(tmp_path / "p.xlsx", read_only=True)
    summary = {r[0]: r[1] for r in wb["Tổng hợp"].iter_rows(min_row=2, values_only=True)}
    assert summary["Sản phẩm OCOP còn hiệu lực"] == p["certified"]
    districts = {r[1]: r[-2] for r in wb["Theo huyện cũ"].iter_rows(min_row=2, values_only=True)}
    assert districts.pop(None) == p["certified"]  # the total row
    assert districts == {d["code"]: d["certified"] for d in data["by_district"]}
    # long lists go to annexes, numbered in order, each cited where the text counts it
    titles = check_numbering(text)
    expired = data["expired_without_renewal"]["items"]
    assert len(expired) > 30, "the demo data should put the expired list in an annex"
    roman = next(r for r, title in titles.items() if title.startswith("SẢN PHẨM OCOP ĐÃ HẾT HẠN"))
    assert f"chưa được công nhận lại (danh sách tại Phụ lục {roman})" in text
    start = text.index(f"Phụ lục {roman} SẢN PHẨM OCOP ĐÃ HẾT HẠN")
    nxt = re.search(r"Phụ lục [IVX]+ [A-ZĐ]", text[start + 10 :])
    annex = text[start : start + 10 + nxt.start()] if nxt else text[start:]
    decisions = re.findall(r"\d+/QĐ-[\w-]+", annex)
    assert sorted(decisions) == sorted(it["decision_no"] for it in expired)


def stt_per_page(path, first_page: int) -> list[int]:
    """Rows on each annex page: the serial numbers in the leftmost column."""
    counts = []
    for page in PdfReader(str(path)).pages[first_page:]:
        rows = [t for t, x, _ in text_runs(page) if t.isdigit() and x < 90]
        counts.append(len(rows))
    return counts


def test_an_annex_page_never_holds_a_lone_row(tmp_path, monkeypatch):
    """Where the product list would leave a row or two alone on its last page, the
    annex is drawn a little tighter and the page is not printed."""
    from ocop_desktop import documents
    from ocop_desktop.reports import pdf
    from ocop_desktop.summary import compute

    store = init_node(tmp_path / "o.sqlite", role="office", office="401", officer="A")
    populate(store, n_products=90, seed=5)
    summary = compute(store)
    rows = summary.product_rows
    options = pdf.ReportOptions(settings=documents.load(store))

    def annex(k: int) -> list[int]:
        summary._rows = rows.iloc[:k]  # the first k products, as if no more were in scope
        out = pdf.build(summary, tmp_path / f"r{k}.pdf", options)
        pages = pdf_pages(out)
        start = max(i for i, p in enumerate(pages) if "DANH SÁCH SẢN PHẨM VÀ GIẤY" in p)
        return stt_per_page(out, start)

    with monkeypatch.context() as m:
        m.setattr(pdf, "PADDINGS", (2.0,))  # as drawn without the tightening
        loose = {k: annex(k) for k in range(56, 68)}
    lone = [k for k, counts in loose.items() if len(counts) > 1 and counts[-1] <= pdf.LONE_ROWS]
    assert lone, loose  # the data do reach a page boundary
    for k in lone:
        counts = annex(k)
        assert sum(counts) == k
        assert len(counts) == len(loose[k]) - 1 or counts[-1] > pdf.LONE_ROWS, (k, counts)


@pytest.mark.parametrize("which", ["office_files", "province_files"])
def test_captions_and_headings_never_end_a_page(which, request):
    """A table's caption stays with its table, a heading with what it heads."""
    _, pdf, _ = request.getfixturevalue(which)
    heading = re.compile(r"^(Bảng \d+\. |Biểu đồ \d+\. |[IV]+\. [A-ZĐ]|\d\. [A-ZĐ])")
    for i, page in enumerate(PdfReader(str(pdf)).pages):
        height = float(page.mediabox.height)
        runs = [(t, y) for t, _, y in text_runs(page) if y < height - 20 * 72 / 25.4]
        lowest = min(y for _, y in runs)
        for text, y in runs:
            if heading.match(text):
                assert y > lowest + 1, (i + 1, text)


NO_COMMUNE_LIST = (
    "STT,Tên sản phẩm,Bộ sản phẩm,Tên chủ thể,Loại hình chủ thể,Huyện/thị xã/thành phố,"
    "Hạng sao,Số quyết định,Ngày quyết định,Cơ quan ban hành\n"
    "1,Bánh gai không xã,1,Hộ Không Xã,Hộ kinh doanh,Huyện Nga Sơn,3,20/QĐ-UBND,10/03/2024,"
    "UBND huyện Nga Sơn\n"
    "2,Chiếu cói không xã,1,Hộ Không Xã,Hộ kinh doanh,Huyện Nga Sơn,4,21/QĐ-UBND,10/03/2026,"
    "UBND tỉnh Thanh Hóa\n"
)


@pytest.mark.today("2026-12-03")
def test_workbook_lists_the_producers_and_certificates_the_summary_counts(tmp_path):
    """Records without a commune (an imported list giving only a former district) are in
    the office's scope: the summary counts them, so the workbook lists them."""
    db = tmp_path / "office.sqlite"
    store = init_node(db, role="office", office="401", officer="Lê Thị Hoa")
    populate(store, n_products=20, seed=5)
    store.close()
    sheet = tmp_path / "khong_xa.csv"
    sheet.write_text(NO_COMMUNE_LIST, "utf-8")
    invoke("--db", str(db), "import", str(sheet))
    data = json.loads(invoke("--db", str(db), "summary", "--json"))
    invoke("--db", str(db), "export-excel", "--out", str(tmp_path / "r.xlsx"))
    wb = load_workbook(tmp_path / "r.xlsx")
    producers = [r[0] for r in wb["Chủ thể"].iter_rows(min_row=2, values_only=True)]
    assert "Hộ Không Xã" in producers and len(producers) == data["producers"]["total"]
    certificates = [r[0] for r in wb["Giấy chứng nhận"].iter_rows(min_row=2, values_only=True)]
    assert {"20/QĐ-UBND", "21/QĐ-UBND"} <= set(certificates)
    listed = json.loads(invoke("--db", str(db), "recognitions", "list", "--json"))
    assert len(certificates) == len(listed)
