"""Write tests/data/provincial/: OCOP lists laid out the way provinces publish them.

Each sample copies a layout seen in published lists (a decision's annex, a portal
export, a summary by district, one sheet per year or per district, a CSV saved by
another program) and the ways their cells are typed. ``SAMPLES`` says, for each
file, the province it belongs to and how many of its rows carry a star rank, so
the tests can check what an import makes of them.

Run: python tools/make_province_lists.py
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "provincial"
NBSP = "\u00a0"

# Unicode -> TCVN3 (.VnTime), the inverse of ocop_desktop.importer.legacy's table.
_TCVN3_SRC = "¸µ¶·¹¨¾»¼½Æ©ÊÇÈÉËÐÌÎÏÑªÕÒÓÔÖÝ×ØÜÞãßáâä«èåæçé¬íêëìîóïñòô\xadøõö÷ùýúûüþ®¡¢£¤¥¦§"
_TCVN3_DST = "áàảãạăắằẳẵặâấầẩẫậéèẻẽẹêếềểễệíìỉĩịóòỏõọôốồổỗộơớờởỡợúùủũụưứừửữựýỳỷỹỵđĂÂÊÔƠƯĐ"
_TO_TCVN3 = str.maketrans(_TCVN3_DST, _TCVN3_SRC)


def tcvn3(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_TO_TCVN3)


def vni(text: str) -> str:
    """Unicode -> VNI-Windows (VNI-Times): the shortest byte sequence of each letter,
    from the importer's own table read backwards."""
    from ocop_desktop.importer.legacy import VNI_TABLE

    back: dict[str, str] = {}
    for seq, letter in VNI_TABLE.items():
        if letter not in back or len(seq) < len(back[letter]):
            back[letter] = seq
    return "".join(back.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: letters with their hat or horn
    precomposed, the tone as a combining mark after them."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", ch)
        shape = [m for m in marks if m in "\u0302\u0306\u031b"]  # â ă ê ô ơ ư: one byte
        if shape:
            base = unicodedata.normalize("NFC", base + shape[0])
            marks = [m for m in marks if m != shape[0]]
        out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)


@dataclass(frozen=True)
class Sample:
    name: str
    province: int
    ranked: int  # rows that carry a star rank
    sheets: tuple[str, ...] = ()  # the sheets holding the list (all of them)
    write: Callable[[Path], None] | None = None


def _bold_header(ws: Worksheet, rows: range) -> None:
    for r in rows:
        for cell in ws[r]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")


def _signatures(ws: Worksheet, left: str, right: str, name: str) -> None:
    ws.append([])
    ws.append([None, left, None, None, None, right])
    ws.append([None, "(Ký, ghi rõ họ tên)", None, None, None, "(Ký tên, đóng dấu)"])
    ws.append([])
    ws.append([None, None, None, None, None, name])


# ---- 1. Nghệ An: the annex of a recognition decision --------------------------------
def nghean_annex(path: Path) -> None:
    """Coat of arms lines, blank rows, a two-row header with "Quyết định công nhận"
    merged over "Số QĐ" | "Ngày", a numbering row, district rows merged across the
    table ("I. HUYỆN NGHI LỘC"), group rows ("A" | "Thực phẩm"), subtotals, a total,
    signatures. Stars as "3 sao", "3★", "★★★", "4*", "Hạng 4 sao"."""
    wb = Workbook()
    ws = wb.active
    ws.title = "PL danh sach"
    ws.append(["UBND TỈNH NGHỆ AN", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    ws.append([None, None, None, None, "Độc lập - Tự do - Hạnh phúc"])
    ws.append([])
    ws.append(["PHỤ LỤC I"])
    ws.append(["DANH SÁCH SẢN PHẨM ĐẠT TIÊU CHUẨN OCOP CẤP TỈNH NĂM 2026 (ĐỢT 1)"])
    ws.append(["(Kèm theo Quyết định số 812/QĐ-UBND ngày 20/3/2026 của UBND tỉnh Nghệ An)"])
    ws.append([])
    for m in ("A1:C1", "E1:H1", "E2:H2", "A4:H4", "A5:H5", "A6:H6"):
        ws.merge_cells(m)
    ws.append(["TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao",
               "Quyết định công nhận", None, "Ghi chú"])  # fmt: skip
    ws.append([None, None, None, None, None, "Số QĐ", "Ngày", None])
    for m in ("A8:A9", "B8:B9", "C8:C9", "D8:D9", "E8:E9", "F8:G8", "H8:H9"):
        ws.merge_cells(m)
    _bold_header(ws, range(8, 10))
    ws.append(["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)"])
    qd, day = "812/QĐ-UBND", datetime(2026, 3, 20)
    rows = [
        ["I. HUYỆN NGHI LỘC"],
        ["A", "Thực phẩm"],
        [1, "Nước mắm Nghi Thiết", "HTX Chế biến hải sản Nghi Thiết",
         "Xóm 3, xã Nghi Thiết, huyện Nghi Lộc", "3 sao", qd, day, None],
        [2, "Mực khô Cửa Hội", "Công ty TNHH Hải sản Cửa Hội",
         "Xã Nghi Xuân, huyện Nghi Lộc", "3★", qd, day, "Công nhận lại"],
        ["B", "Đồ uống"],
        [3, "Nước giải khát thảo mộc Nghi Văn", "HTX Dược liệu Nghi Văn",
         "Xã Nghi Văn, huyện Nghi Lộc", "★★★", qd, None, None],
        [None, "Cộng: 3 sản phẩm"],
        ["II. HUYỆN DIỄN CHÂU"],
        ["A", "Thực phẩm"],
        [4, "Kẹo lạc Diễn Châu", "Cơ sở sản xuất kẹo lạc Cu Đơ Bảy Nhung",
         "Xã Diễn Hoa, huyện Diễn Châu", "4*", qd, day, None],
        [5, "Bánh mướt Diễn Châu", "Hộ kinh doanh Nguyễn Thị Lan",
         "Xã Diễn Thành, huyện Diễn Châu", "Hạng 4 sao", None, None, None],
        [None, "Cộng: 2 sản phẩm"],
        ["III. THỊ XÃ HOÀNG MAI"],
        [6, "Hải sản khô Quỳnh Lập", "HTX Dịch vụ hải sản Quỳnh Lập",
         "Phường Quỳnh Lập (cũ), thị xã Hoàng Mai", "3 sao", qd, day, None],
        [7, "Muối sạch Quỳnh Lộc", "Tổ hợp tác Muối Quỳnh Lộc",
         "Xã Quỳnh Lộc, thị xã Hoàng Mai", "3 sao", qd, None, None],
        [None, "Cộng: 2 sản phẩm"],
        ["IV. HUYỆN THANH CHƯƠNG"],
        [8, "Chè xanh Thanh Chương", "Công ty CP Chè Hạnh Lâm",
         "Xã Hạnh Lâm, huyện Thanh Chương", "4 sao", qd, day, None],
        [9, "Cam Thanh Chương", "HTX Nông nghiệp Thanh Đức",
         "Huyện Thanh Chương", "3 sao", qd, day, None],
        [None, "Tổng cộng: 9 sản phẩm"],
        ["Ghi chú: Sản phẩm công nhận lại có thời hạn 36 tháng kể từ ngày ký."],
    ]  # fmt: skip
    for row in rows:
        ws.append(row)
        if len(row) == 1 and str(row[0]).startswith(("I", "V")):
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=8)
    _signatures(ws, "Người lập biểu", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "Nguyễn Văn Đệ")
    wb.save(path)


# ---- 2. Thanh Hóa: a portal export ---------------------------------------------------
def thanhhoa_portal(path: Path) -> None:
    """One header row in capitals without marks; ranks as 4.0, "4", 3, "Hạng 3 sao",
    "3 sao (tiềm năng 5 sao)"; dates as Excel dates, text of every kind, a year, a
    datetime; "QĐ số 715/QĐ-UBND, ngày 20 tháng 3 năm 2026" in the number column."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Export"
    ws.append(["STT", "TEN SAN PHAM", "TEN CHU THE", "DIA CHI", "NGANH HANG", "PHAN HANG",
               "SO QUYET DINH", "NGAY CONG NHAN", "SDT"])  # fmt: skip
    rows = [
        [1, "Nước mắm Ba Làng", "HTX Nước mắm Ba Làng", "Phường Hải Thanh, TX Nghi Sơn",
         "Thực phẩm", 4.0, "715/QĐ-UBND", date(2026, 3, 20), 912345678],
        [2, "Chè lam Phủ Quảng", "Hộ kinh doanh Lê Thị Dung", "Xã Vĩnh Phúc, huyện Vĩnh Lộc",
         "Thực phẩm", "4", "715/QĐ-UBND", "20/3/2026", None],
        [3, "Bánh răng bừa Hoằng Hóa", "Công ty TNHH Thực phẩm Hoằng Hóa",
         "Xã Hoằng Đạo, huyện Hoằng Hóa", "Thực phẩm", 3, "QĐ số 715/QĐ-UBND, ngày 20 tháng 3 năm 2026",
         None, "0237 3868 123"],
        [4, "Mắm tép Hà Yên", "HTX Dịch vụ Nông nghiệp Hà Yên", "Xã Hà Yên, huyện Hà Trung",
         "Thực phẩm", "Hạng 3 sao", "1150/QĐ-UBND", "20-03-2026", None],
        [5, "Rượu Cầm Vân", "HTX Rượu Cầm Vân", "Xã Cẩm Vân, huyện Cẩm Thủy", "Đồ uống",
         "3 sao (tiềm năng 5 sao)", None, "2026", None],
        [6, "Gạo hữu cơ Thiệu Hóa", "HTX Nông nghiệp Thiệu Giao", "Xã Thiệu Giao, huyện Thiệu Hóa",
         "Thực phẩm", "3", None, "năm 2025", None],
        [7, "Dầu lạc Nông Cống", "Hộ Nguyễn Văn Tâm", "Xã Tế Nông, huyện Nông Cống", "Thực phẩm",
         "4 sao", "2210/QĐ-UBND", "Tháng 3/2026", None],
        [8, "Nem chua Thanh Hóa", "Công ty CP Nem chua Bà Hằng", "Phường Đông Hương, TP Thanh Hóa",
         "Thực phẩm", "4 sao (tiềm năng 5 sao)", "105/QĐ-UBND", datetime(2026, 1, 15, 8, 30), None],
        [9, "Mật ong Như Xuân", "HTX Ong mật Như Xuân", "Xã Xuân Bình, huyện Như Xuân",
         "Thực phẩm", 3.0, "2210/QĐ-UBND", None, None],
        [10, "Chiếu cói Nga Sơn", "HTX Cói Nga Tân", "Xã Nga Tân, huyện Nga Sơn",
         "Thủ công mỹ nghệ", "3 SAO", None, 2025, None],
        [11, "Bưởi Luận Văn", "HTX Bưởi Thọ Xuân", "Xã Xuân Thiên, huyện Thọ Xuân", "Thực phẩm",
         None, None, None, None],  # evaluated, not ranked (yet)
    ]  # fmt: skip
    for row in rows:
        ws.append(row)
    ws.cell(2, 8).number_format = "dd/mm/yyyy"
    wb.save(path)


# ---- 3. Hà Tĩnh: a summary by district, producer and address in one cell --------------
def hatinh_by_district(path: Path) -> None:
    """The district column merged down over its products, the producer written once
    over several products (merged cells), producer and address in one cell, former
    district names in the addresses only, ranks as "3 sao"/"4 sao", year only."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Tong hop"
    ws.append(["BẢNG TỔNG HỢP SẢN PHẨM OCOP TỈNH HÀ TĨNH THEO ĐỊA BÀN CẤP HUYỆN (CŨ)"])
    ws.merge_cells("A1:G1")
    ws.append(["(Tính đến ngày 31/12/2025)"])
    ws.merge_cells("A2:G2")
    ws.append([])
    ws.append(["STT", "Huyện/TX/TP", "Tên sản phẩm", "Chủ thể sản xuất, địa chỉ", "Nhóm",
               "Số sao", "Năm công nhận"])  # fmt: skip
    _bold_header(ws, range(4, 5))
    rows = [
        [1, "Hương Sơn", "Nhung hươu Hương Sơn", "HTX Chăn nuôi hươu Sơn Tây - Xóm 2, xã Sơn Tây",
         "Thực phẩm", "4 sao", 2023],
        [2, None, "Rượu nhung hươu", None, "Đồ uống", "3 sao", 2024],
        [3, None, "Cao nhung hươu", None, "Dược liệu", "3 sao", 2024],
        [4, "Vũ Quang", "Cam bù Vũ Quang", "HTX Nông nghiệp Đức Lĩnh - Thôn 4, xã Đức Lĩnh",
         "Thực phẩm", "4 sao", 2022],
        [5, None, "Bưởi Phúc Trạch", "Tổ hợp tác Bưởi Hương Trạch - Thôn 6, xã Hương Trạch (huyện Hương Khê)",
         "Thực phẩm", "3 sao", 2025],
        [6, "Can Lộc", "Kẹo cu đơ Thiên Lộc", "Cơ sở Cu đơ Bà Hiền - Xóm Trung, xã Thiên Lộc",
         "Thực phẩm", "3 sao", 2025],
        [7, None, "Mộc Thái Yên", "HTX Mộc Thái Yên - xã Thái Yên, huyện Đức Thọ",
         "Thủ công mỹ nghệ", "3 sao", 2025],
        [8, "Cẩm Xuyên", "Nước mắm Cẩm Nhượng", "HTX Nước mắm Cẩm Nhượng - Thôn Hải Hà, xã Cẩm Nhượng",
         "Thực phẩm", "4 sao", 2024],
        [9, None, "Ruốc Cẩm Nhượng", "HTX Nước mắm Cẩm Nhượng - Thôn Hải Hà, xã Cẩm Nhượng",
         "Thực phẩm", "3 sao", 2024],
        [None, "Tổng cộng", None, "9 sản phẩm", None, None, None],
    ]  # fmt: skip
    for row in rows:
        ws.append(row)
    # The district written once over its rows; one producer over its three products.
    for m in ("B5:B7", "D5:D7", "B8:B9", "B10:B11", "B12:B13"):
        ws.merge_cells(m)
    ws.append([])
    ws.append([None, "Nguồn: Văn phòng Điều phối nông thôn mới tỉnh Hà Tĩnh"])
    wb.save(path)


# ---- 4. Thanh Hóa: three-row header, text typed every which way -----------------------
def thanhhoa_messy_text(path: Path) -> None:
    """A three-row header ("Kết quả đánh giá" over "Hạng sao" and "Quyết định" over
    "Số" | "Ngày"); names with line breaks, non-breaking and trailing spaces, NFD
    marks; the producer column typed in TCVN3; a blank row inside the table."""
    wb = Workbook()
    ws = wb.active
    ws.title = "DS OCOP"
    ws.append(["DANH SÁCH SẢN PHẨM OCOP HUYỆN THỌ XUÂN (CŨ)"])
    ws.append([])
    ws.append(["TT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Kết quả đánh giá", None, None])
    ws.append([None, None, None, None, "Hạng sao", "Quyết định", None])
    ws.append([None, None, None, None, None, "Số", "Ngày"])
    for m in ("A3:A5", "B3:B5", "C3:C5", "D3:D5", "E3:G3", "E4:E5", "F4:G4"):
        ws.merge_cells(m)
    _bold_header(ws, range(3, 6))
    rows = [
        [1, "Gạo\nnếp cẩm Xuân Lập", tcvn3("HTX Nông nghiệp Xuân Lập"),
         "Xã Xuân Lập, huyện Thọ Xuân", "3 sao", "93/QĐ-UBND", "15/01/2026"],
        [2, f"Mía{NBSP}tím Kiên Thọ ", tcvn3("Hộ kinh doanh Lê Văn Hùng"),
         f"Xã Kiên Thọ,{NBSP}huyện Ngọc Lặc ", " 3 sao ", "93/QĐ-UBND", None],
        [3, nfd("Bánh gai Tứ Trụ"), tcvn3("Công ty TNHH Bánh gai Tứ Trụ"),
         nfd("Xã Thọ Diên, huyện Thọ Xuân"), nfd("4 sao"), "93/QĐ-UBND", "15-01-2026"],
        [],
        [4, "Rượu nếp cái\r\nhoa vàng Thọ Lập", tcvn3("Tổ hợp tác sản xuất rượu Thọ Lập"),
         "Xã Thọ Lập, huyện Thọ Xuân", "3 sao", "1802/QĐ-UBND", "05/6/2025"],
        [5, "Nem chua Xuân Hòa  ", tcvn3("Hộ Nguyễn Thị Mai"),
         "Xã Xuân Hòa, huyện Thọ Xuân", "3 sao", "1802/QĐ-UBND", None],
        [6, "Mật ong rừng Xuân Phú", tcvn3("HTX Ong mật Xuân Phú"),
         "Xã Xuân Phú, huyện Thọ Xuân", "4 sao", "1802/QĐ-UBND", "05/6/2025"],
    ]  # fmt: skip
    for row in rows:
        ws.append(row)
    for row in ws.iter_rows(min_row=6, min_col=3, max_col=3):
        for cell in row:
            cell.font = Font(name=".VnTime")
    ws.append([])
    ws.append([None, "Người lập biểu", None, None, "GIÁM ĐỐC"])
    wb.save(path)


# ---- 5. Nghệ An: a workbook with one sheet per year, a cover and a hidden sheet -------
def nghean_year_sheets(path: Path) -> None:
    """A cover sheet of figures by district (no products), a sheet per year, and a
    hidden lookup sheet the form's drop-downs use."""
    wb = Workbook()
    cover = wb.active
    cover.title = "Tổng hợp"
    cover.append(["TỔNG HỢP SẢN PHẨM OCOP THEO HUYỆN"])
    cover.append(["TT", "Huyện", "3 sao", "4 sao", "Tổng"])
    cover.append([1, "Quỳnh Lưu", 2, 1, 3])
    cover.append([2, "Nam Đàn", 1, 1, 2])
    cover.append([None, "Tổng cộng", 3, 2, 5])
    years = {
        "Năm 2024": [
            [
                1,
                "Nước mắm Quỳnh Dị",
                "HTX Nước mắm Quỳnh Dị",
                "Quỳnh Lưu",
                "3 sao",
                "3325/QĐ-UBND ngày 05/11/2024",
            ],
            [
                2,
                "Tương Nam Đàn",
                "HTX Tương Nam Đàn",
                "Nam Đàn",
                "4 sao",
                "3325/QĐ-UBND ngày 05/11/2024",
            ],
            [
                3,
                "Cá thu một nắng Quỳnh Lưu",
                "Hộ kinh doanh Hồ Văn Thắng",
                "Quỳnh Lưu",
                "3 sao",
                "3325/QĐ-UBND ngày 05/11/2024",
            ],
        ],
        "Năm 2025": [
            [
                1,
                "Nhút Thanh Chương",
                "HTX Nhút Thanh Chương",
                "Thanh Chương",
                "3 sao",
                "1020/QĐ-UBND, 18/4/2025",
            ],
            [
                2,
                "Chè Kim Liên",
                "Công ty CP Chè Nam Đàn",
                "Nam Đàn",
                "4 sao",
                "1020/QĐ-UBND, 18/4/2025",
            ],
            [3, "Mật mía Quỳnh Lưu", "HTX Mía đường Quỳnh Lưu", "Quỳnh Lưu", "3 sao", None],
        ],
    }
    for title, rows in years.items():
        ws = wb.create_sheet(title)
        ws.append([f"SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN {title.upper()}"])
        ws.append([])
        ws.append(["STT", "Tên sản phẩm", "Tên chủ thể", "Huyện/TX/TP", "Xếp hạng",
                   "Số, ngày quyết định"])  # fmt: skip
        for row in rows:
            ws.append(row)
    hidden = wb.create_sheet("DM")
    hidden.append(["Hạng sao", "Huyện", "Tên sản phẩm"])
    for i, (stars, district) in enumerate([("3 sao", "Quỳnh Lưu"), ("4 sao", "Nam Đàn")]):
        hidden.append([stars, district, f"Sản phẩm mẫu {i}"])
    hidden.sheet_state = "hidden"
    wb.move_sheet("DM", offset=-2)  # between the cover and the years
    wb.save(path)


# ---- 6. Hà Tĩnh: one sheet per former district --------------------------------------
def hatinh_district_sheets(path: Path) -> None:
    """A sheet per former district, the same columns in each; the commune in its own
    column with its old name; stars as "Hạng 3"; dates as Excel serial numbers."""
    wb = Workbook()
    wb.remove(wb.active)
    data = {
        "Nghi Xuân": [
            ["Nước mắm Xuân Hội", "HTX Nước mắm Xuân Hội", "Xuân Hội", "Hạng 3", 46101],
            ["Cu đơ Xuân Phổ", "Hộ kinh doanh Trần Thị Thu", "Xuân Phổ", "Hạng 3", 46101],
        ],
        "Đức Thọ": [
            ["Gạo Đức Thọ", "HTX Nông nghiệp Yên Hồ", "Yên Hồ", "Hạng 4", 45778],
            [
                "Tinh dầu bưởi Đức Thọ",
                "Công ty TNHH Tinh dầu Đức Thọ",
                "Tùng Châu",
                "Hạng 3",
                45778,
            ],
            ["Mật ong Đức Thọ", "HTX Ong Đức Thọ", "Quang Vĩnh", "Hạng 3", None],
        ],
    }
    for district, rows in data.items():
        ws = wb.create_sheet(district)
        ws.append([f"DANH SÁCH SẢN PHẨM OCOP HUYỆN {district.upper()}"])
        ws.append(["TT", "Tên SP", "Chủ thể", "Xã", "Hạng", "Ngày QĐ"])
        for i, row in enumerate(rows, 1):
            ws.append([i, *row])
    wb.save(path)


# ---- 7. Nghệ An: marks under "3 sao" | "4 sao" | "5 sao", subtotals that count ------
def nghean_star_columns(path: Path) -> None:
    """The rank as an "x" under one of three star columns grouped under "Kết quả
    phân hạng"; subtotal rows per district that count the stars in those columns;
    the commune column written "Châu Tiến (nay là xã Châu Hồng)"; names marked
    (*) for a recognition renewed."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["BIỂU TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP NĂM 2025"])
    ws.merge_cells("A1:I1")
    ws.append([])
    ws.append(["TT", "Tên sản phẩm", "Chủ thể", "Xã", "Huyện", "Kết quả phân hạng", None,
               None, "Năm công nhận"])  # fmt: skip
    ws.append([None, None, None, None, None, "3 sao", "4 sao", "5 sao", None])
    for m in ("A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:E4", "F3:H3", "I3:I4"):
        ws.merge_cells(m)
    _bold_header(ws, range(3, 5))
    rows = [
        [1, "Chè Châu Tiến (*)", "HTX Chè Châu Tiến", "Châu Tiến (nay là xã Châu Hồng)",
         "Quỳ Hợp", "x", None, None, 2025],
        [2, "Cam Quỳ Hợp", "HTX Cam Quỳ Hợp", "Xã Châu Quang", "Quỳ Hợp", None, "x", None, 2025],
        ["Cộng huyện Quỳ Hợp", None, None, None, None, 1, 1, 0, None],
        [3, "Nước mắm Quỳnh Dị", "HTX Nước mắm Quỳnh Dị", "Phường Quỳnh Dị", "TX Hoàng Mai",
         None, "X", None, 2025],
        [4, "Hải sản Quỳnh Phương", "Công ty TNHH Hải sản Quỳnh Phương", "Phường Quỳnh Phương",
         "TX Hoàng Mai", "x", None, None, 2025],
        [5, "Muối Quỳnh Thuận", "HTX Muối Quỳnh Thuận", "Xã Quỳnh Thuận", "Quỳnh Lưu", "✓",
         None, None, 2025],
        ["Cộng TX Hoàng Mai và huyện Quỳnh Lưu", None, None, None, None, 2, 1, 0, None],
        ["TỔNG CỘNG", None, None, None, None, 3, 2, 0, None],
    ]  # fmt: skip
    for row in rows:
        ws.append(row)
    wb.save(path)


# ---- 8. Thanh Hóa: one table per rank, the rank only in the section lines ----------
def thanhhoa_rank_sections(path: Path) -> None:
    """No rank column: "A. SẢN PHẨM ĐẠT 4 SAO" over its rows, then "B. SẢN PHẨM ĐẠT
    3 SAO"; numbering 1.1, 1.2; dates as "20.3.2026"; the decision named above."""
    wb = Workbook()
    ws = wb.active
    ws.title = "DS 2026"
    ws.append(["DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN (ĐỢT 1 NĂM 2026)"])
    ws.append(
        ["Kèm theo Quyết định số 715/QĐ-UBND ngày 20 tháng 3 năm 2026 của Chủ tịch UBND tỉnh"]
    )
    ws.append([])
    ws.append(["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Ngày cấp", "Ghi chú"])
    rows = [
        ["A", "SẢN PHẨM ĐẠT 4 SAO"],
        [1.1, "Nước mắm Khúc Phụ", "HTX Nước mắm Khúc Phụ", "Xã Hoằng Phụ, huyện Hoằng Hóa",
         "20.3.2026", None],
        [1.2, "Bánh đa Hoằng Lộc", "HTX Bánh đa Hoằng Lộc", "Xã Hoằng Lộc, huyện Hoằng Hóa",
         "20.3.2026", "Công nhận lại"],
        ["B", "SẢN PHẨM ĐẠT 3 SAO"],
        [2.1, "Giò chả Hoằng Đạt", "Hộ kinh doanh Lê Văn Hải", "Xã Hoằng Đạt, huyện Hoằng Hóa",
         None, None],
        [2.2, "Mắm tôm Hải Châu", "HTX Chế biến hải sản Hải Châu",
         "Xã Hải Châu, thị xã Nghi Sơn", "20.3.2026", None],
        [2.3, "Rượu Làng Quảng", "HTX Rượu Quảng Hợp", "Xã Quảng Hợp, huyện Quảng Xương",
         "20.3.2026", None],
        [None, "Tổng số: 05 sản phẩm (02 sản phẩm 4 sao, 03 sản phẩm 3 sao)"],
    ]  # fmt: skip
    for row in rows:
        ws.append(row)
    ws.append([])
    ws.append([None, "Nơi nhận:", None, "KT. CHỦ TỊCH"])
    ws.append([None, "- Như Điều 3 QĐ;", None, "PHÓ CHỦ TỊCH"])
    ws.append([None, "- Lưu: VT, NN.", None, "Lê Đức Giang"])
    wb.save(path)


# ---- 9. Nghệ An: a council's results, "nt" for "as above" -------------------------
def nghean_council_results(path: Path) -> None:
    """The council's results sent with the decision: points, then the rank under a
    bare "Kết quả"; "nt" (như trên) where the producer and address repeat; a
    decision cell "1234/QĐ-UBND, 20/03/2026 (đợt 1)"; a product that did not
    reach three stars; points that do not fit the rank; the addresses typed with a
    VNI font."""
    wb = Workbook()
    ws = wb.active
    ws.title = "KQ hoi dong"
    ws.append(["KẾT QUẢ ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP CẤP TỈNH - ĐỢT 1 NĂM 2026"])
    ws.append([])
    ws.append(["TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Điểm", "Kết quả", "Quyết định"])
    qd = "1234/QĐ-UBND, 20/03/2026 (đợt 1)"
    rows = [
        [1, "Nước mắm Diễn Bích", "HTX Nước mắm Diễn Bích", "Xã Diễn Bích, huyện Diễn Châu",
         72, "3 sao", qd],
        [2, "Mắm tôm Diễn Bích", "nt", "nt", 68.5, "3 sao", qd],
        [3, "Ruốc Diễn Bích", "nt", "nt", 86, "4 sao", qd],
        [4, "Chè xanh Thanh Mai", "HTX Chè Thanh Mai", "Xã Thanh Mai, huyện Thanh Chương",
         64, "4 sao", qd],
        [5, "Bánh đa vừng Đô Lương", "Hộ kinh doanh Trần Văn Lợi", "Xã Đà Sơn, huyện Đô Lương",
         45, "Không đạt", None],
        [6, "Tương Nam Đàn", "HTX Tương Nam Đàn", "Xã Nam Trung, huyện Nam Đàn", 75,
         "3 sao", qd],
    ]  # fmt: skip
    for row in rows:
        row[3] = vni(row[3]) if row[3] != "nt" else row[3]
        ws.append(row)
    ws.append([])
    ws.append([None, "Danh sách gồm 06 sản phẩm, trong đó 05 sản phẩm đạt OCOP"])
    wb.save(path)


# ---- 10, 11. CSV files saved by other programs ---------------------------------------
_CSV_ROWS = [
    ["Danh sách sản phẩm OCOP - xuất từ phần mềm quản lý", "", "", "", "", ""],
    ["TT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Số sao", "Số, ngày quyết định"],
    ["1", "Tương Nam Đàn", "HTX Tương Nam Đàn", "Xã Nam Nghĩa, huyện Nam Đàn", "4 sao",
     "715/QĐ-UBND ngày 20/3/2026"],
    ["2", "Cam Xã Đoài", "HTX Cam Xã Đoài", "Xã Nghi Diên, huyện Nghi Lộc", "4,0",
     "715/QĐ-UBND ngày 20/3/2026"],
    ["3", "Nhút Thanh Chương", "Hộ kinh doanh Phan Thị Hà", "Xã Thanh Đồng, huyện Thanh Chương",
     "3★", "715/QĐ-UBND ngày 20/3/2026"],
    ["4", "Gà đồi Thanh Chương", "HTX Chăn nuôi Thanh Chương", "Huyện Thanh Chương", "3 sao",
     "Năm 2025"],
    ["5", "Chè Anh Sơn", "Công ty CP Chè Anh Sơn", "Xã Hùng Sơn, huyện Anh Sơn", "Hạng 4 sao", ""],
    ["", "Tổng cộng: 5 sản phẩm", "", "", "", ""],
]  # fmt: skip


def nghean_csv_bom(path: Path) -> None:
    """UTF-8 with BOM, semicolons, a title line, a total."""
    text = "\r\n".join(";".join(f'"{v}"' if ";" in v else v for v in r) for r in _CSV_ROWS)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def nghean_csv_1258(path: Path) -> None:
    """The same list saved as CSV by a Vietnamese Windows (code page 1258)."""
    text = "\r\n".join(",".join(f'"{v}"' if "," in v else v for v in r) for r in _CSV_ROWS)
    path.write_bytes(cp1258(text.replace("★", "*")))  # no star glyph in the code page


# ---- 12. Hà Tĩnh: an Excel 97-2003 file ---------------------------------------------
def hatinh_excel97(path: Path) -> None:
    """Saved as .xls, as many offices still do: a two-row header merged over "Số" |
    "Ngày", dates as Excel dates, a hidden sheet before the list. Needs xlwt
    (``pip install xlwt``; unmaintained, so not one of the project's dependencies):
    the file in tests/data/provincial/ is kept as it was written."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    hidden = wb.add_sheet("Danh muc")
    hidden.write(0, 0, "Hạng sao")
    hidden.write(0, 1, "Tên sản phẩm")
    hidden.visibility = 1
    ws = wb.add_sheet("DS OCOP 2025")
    ws.write_merge(0, 0, 0, 6, "DANH SÁCH SẢN PHẨM OCOP TỈNH HÀ TĨNH NĂM 2025")
    for col, label in enumerate(["TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao"]):
        ws.write_merge(2, 3, col, col, label)
    ws.write_merge(2, 2, 5, 6, "Quyết định công nhận")
    ws.write(3, 5, "Số")
    ws.write(3, 6, "Ngày")
    day = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    rows = [
        (1, "Kẹo cu đơ Hà Tĩnh", "Công ty TNHH Cu đơ Ba Sàng", "Phường Bắc Hà, TP Hà Tĩnh",
         "4 sao", "2120/QĐ-UBND", date(2025, 9, 12)),
        (2, "Nước mắm Hộ Độ", "HTX Nước mắm Hộ Độ", "Xã Hộ Độ, huyện Lộc Hà", "3 sao",
         "2120/QĐ-UBND", date(2025, 9, 12)),
        (3, "Cam Khe Mây", "HTX Cam Khe Mây", "Xã Hương Đô, huyện Hương Khê", "3 sao",
         "2120/QĐ-UBND", None),
        (4, "Chè xanh Hương Sơn", "Hộ kinh doanh Nguyễn Văn Sơn", "Xã Sơn Kim 1, huyện Hương Sơn",
         "★★★", None, date(2025, 9, 12)),
    ]  # fmt: skip
    for r, row in enumerate(rows, start=4):
        for c, value in enumerate(row):
            if isinstance(value, date):
                ws.write(r, c, value, day)
            elif value is not None:
                ws.write(r, c, value)
    ws.write(9, 1, "Tổng cộng: 04 sản phẩm")
    wb.save(str(path))


SAMPLES = [
    Sample("nghean_annex.xlsx", 40, 9, write=nghean_annex),
    Sample("thanhhoa_portal.xlsx", 38, 10, write=thanhhoa_portal),
    Sample("hatinh_by_district.xlsx", 42, 9, write=hatinh_by_district),
    Sample("thanhhoa_messy_text.xlsx", 38, 6, write=thanhhoa_messy_text),
    Sample("nghean_year_sheets.xlsx", 40, 6, ("Năm 2024", "Năm 2025"), nghean_year_sheets),
    Sample("hatinh_district_sheets.xlsx", 42, 5, ("Nghi Xuân", "Đức Thọ"), hatinh_district_sheets),
    Sample("nghean_star_columns.xlsx", 40, 5, write=nghean_star_columns),
    Sample("thanhhoa_rank_sections.xlsx", 38, 5, write=thanhhoa_rank_sections),
    Sample("nghean_council_results.xlsx", 40, 5, write=nghean_council_results),
    Sample("nghean_utf8_bom.csv", 40, 5, write=nghean_csv_bom),
    Sample("nghean_cp1258.csv", 40, 5, write=nghean_csv_1258),
    Sample("hatinh_excel97.xls", 42, 4, write=hatinh_excel97),
]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for sample in SAMPLES:
        assert sample.write is not None
        try:
            sample.write(OUT / sample.name)
        except ImportError as exc:  # the .xls writer, where xlwt is not installed
            print(f"{sample.name}: kept as it is ({exc})")
    print(f"{len(SAMPLES)} files in {OUT}")


if __name__ == "__main__":
    main()
