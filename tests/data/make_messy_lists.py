"""Writes the messy provincial lists the import tests read (run: python tests/data/make_messy_lists.py).

Two layouts seen in published lists:

- ``annex_list.xlsx``: a decision's annex — title lines, a two-row header with the
  group cell "Quyết định công nhận" merged over "Số QĐ" | "Ngày", a numbering row,
  Roman-numeral group rows, ranks written many ways, one decision on many rows
  with its date on only some, district-only addresses, a total and notes below.
- ``portal_list.xlsx``: a portal export — one header row in capitals without
  marks, the district and commune in their own columns, ranks on every row,
  decision numbers on few, "number + date" in one cell, years alone.
- ``portal_list_fuller.xlsx``: the same products later, with what was missing.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment

HERE = Path(__file__).parent

# (TT, name, producer, address, group, stars, decision no, date)
ANNEX_FOOD = [
    (
        1,
        "Nước mắm Nga Hải",
        "HTX Nước mắm Nga Hải",
        "Xã Nga Hải, Huyện Nga Sơn",
        "4 sao",
        "715/QĐ-UBND",
        "20/3/2026",
    ),
    (
        2,
        "Chè xanh Thành Sơn",
        "Hộ kinh doanh Lê Văn Bình",
        "Xã Thành Sơn, huyện Bá Thước",
        "3*",
        "715/QĐ-UBND",
        None,
    ),
    (
        3,
        "Gạo nếp cái hoa vàng",
        "HTX Nông nghiệp Hoằng Trạch",
        "xã Hoằng Trạch, H. Hoằng Hóa",
        "4★",
        "715/QĐ-UBND",
        None,
    ),
    (4, "Mật ong bạc hà", "Công ty TNHH Ong Pù Nhi", "Xã Pù Nhi, Huyện Mường Lát", 3, None, None),
    (
        5,
        "Bún gạo Yên Thái",
        "Hộ Nguyễn Thị Hoa",
        "Xã Yên Thái, Huyện Yên Định",
        "Ba sao",
        "1234/QĐ-UBND ngày 05/11/2025",
        None,
    ),
    (6, "Mắm tôm Hà Hải", "HTX Hà Hải", "Huyện Hà Trung", "3 sao", None, 2025),
    (
        7,
        "Nấm sò Xuân Hòa",
        "Tổ hợp tác Nấm Xuân Hòa",
        "Xã Xuân Hòa, Huyện Thọ Xuân",
        "3 sao",
        "88/QĐ-UBND",
        datetime(2024, 6, 12),
    ),
    (
        8,
        "Cà phê Bát Mọt",
        "HTX Cà phê Bát Mọt",
        "Xã Bát Mọt, Huyện Thường Xuân",
        "4 sao",
        "88/QĐ-UBND",
        None,
    ),
    (9, "Giò me Hợp Thắng", "Hộ kinh doanh Trịnh Văn Tú", "Huyện Triệu Sơn", "3 sao", None, None),
    (
        10,
        "Bánh gai Bình Sơn",
        "Công ty CP Bánh gai Bình Sơn",
        "Xã Bình Sơn, Huyện Triệu Sơn",
        "3 sao",
        "715/QĐ-UBND",
        None,
    ),
]
ANNEX_DRINKS = [
    (
        1,
        "Rượu nếp Thuần Lộc",
        "HTX Rượu Thuần Lộc",
        "Xã Thuần Lộc, Huyện Hậu Lộc",
        "3 sao",
        "715/QĐ-UBND",
        None,
    ),
    (
        2,
        "Rượu men lá Na Mèo",
        "Hộ Hà Văn Sinh",
        "Xã Na Mèo, Huyện Quan Sơn",
        "Bốn sao",
        "2001/QĐ-UBND",
        "20-03-2023",
    ),
    (
        3,
        "Nước uống Ngọc Liên",
        "Công ty TNHH Nước Ngọc Liên",
        "Huyện Ngọc Lặc",
        "3 sao",
        None,
        "2026",
    ),
]
ANNEX_HERBS = [
    (
        1,
        "Tinh dầu sả Cẩm Ngọc",
        "HTX Dược liệu Cẩm Ngọc",
        "Xã Cẩm Ngọc, Huyện Cẩm Thủy",
        "3 sao",
        "715/QĐ-UBND",
        None,
    ),
    (2, "Trà hoa Thanh Hòa", "HTX Thanh Hòa", "Xã Thanh Hòa, Huyện Như Xuân", "4 sao", None, None),
]


def annex(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws.append(["UBND TỈNH THANH HÓA", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    ws.merge_cells("A1:C1")
    ws.merge_cells("E1:I1")
    ws.append([None, None, None, None, "Độc lập - Tự do - Hạnh phúc"])
    ws.merge_cells("E2:I2")
    ws.append(["PHỤ LỤC"])
    ws.merge_cells("A3:I3")
    ws.append(["DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT TIÊU CHUẨN OCOP TỈNH THANH HÓA NĂM 2026"])
    ws.merge_cells("A4:I4")
    ws.append(["(Kèm theo Quyết định số 715/QĐ-UBND ngày 20/3/2026 của Chủ tịch UBND tỉnh)"])
    ws.merge_cells("A5:I5")
    ws.append(
        [
            "TT",
            "Tên\nsản phẩm",
            "Tên chủ thể",
            "DIA CHI",
            "Nhóm sản phẩm",
            "Hạng\nsao",
            "Quyết định công nhận",
            None,
            "Ghi chú",
        ]
    )
    ws.append([None, None, None, None, None, None, "Số QĐ", "Ngày", None])
    for col in "ABCDEFI":
        ws.merge_cells(f"{col}6:{col}7")
    ws.merge_cells("G6:H6")
    ws.append([f"({i})" for i in range(1, 10)])
    for roman, group, rows in (
        ("I", "Thực phẩm", ANNEX_FOOD),
        ("II", "Đồ uống", ANNEX_DRINKS),
        ("III", "Dược liệu và sản phẩm từ dược liệu", ANNEX_HERBS),
    ):
        ws.append([roman, group])
        for tt, name, producer, address, stars, number, when in rows:
            ws.append([tt, name, producer, address, group, stars, number, when])
    ws.append(["Tổng cộng: 15 sản phẩm", None, None, None, None, None, None, None, None])
    ws.merge_cells(f"A{ws.max_row}:F{ws.max_row}")
    ws.append(["Ghi chú: sản phẩm có dấu (*) là sản phẩm công nhận lại."])
    ws.merge_cells(f"A{ws.max_row}:I{ws.max_row}")
    for row in ws.iter_rows(min_row=6, max_row=7):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True)
    wb.save(path)
    return path


# (name, producer, district, commune, group, stars, decision, year, phone, tax)
PORTAL = [
    (
        "Chiếu cói Nga Hải",
        "HTX Cói Nga Hải",
        "Nga Sơn",
        "Nga Hải",
        "Thủ công mỹ nghệ",
        "3 sao",
        None,
        2023,
        None,
        None,
    ),
    (
        "Nem chua Thuần Lộc",
        "Hộ Lê Thị Lan",
        "Hậu Lộc",
        "Thuần Lộc",
        "Thực phẩm",
        "4 sao",
        "552/QĐ-UBND ngày 14/4/2024",
        2024,
        "0912345678",
        None,
    ),
    (
        "Cam Bát Mọt",
        "HTX Cam Bát Mọt",
        "Thường Xuân",
        "Bát Mọt",
        "Thực phẩm",
        "3 sao",
        None,
        2022,
        None,
        None,
    ),
    (
        "Tương Quảng Nham",
        "Hộ Trần Văn Hải",
        "Quảng Xương",
        "Quảng Nham",
        "Thực phẩm",
        "3",
        None,
        2024,
        None,
        None,
    ),
    (
        "Chè Ngọc Liên",
        "HTX Chè Ngọc Liên",
        "Ngọc Lặc",
        "",
        "Thực phẩm",
        "3 sao",
        None,
        2025,
        None,
        None,
    ),
    (
        "Rượu Trúc Lâm",
        "Công ty TNHH Rượu Trúc Lâm",
        "TX Nghi Sơn",
        "Trúc Lâm",
        "Đồ uống",
        "4 SAO",
        "1020/QĐ-UBND",
        2025,
        None,
        "2801234567",
    ),
    (
        "Du lịch cộng đồng Pù Nhi",
        "HTX Du lịch Pù Nhi",
        "Mường Lát",
        "Pù Nhi",
        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
        "3 sao",
        None,
        2025,
        None,
        None,
    ),
    (
        "Mật ong Trung Chính",
        "Hộ Lê Văn Nam",
        "Nông Cống",
        "Trung Chính",
        "Thực phẩm",
        "3 sao",
        None,
        None,
        None,
        None,
    ),
    (
        "Bánh đa Hoằng Đại",
        "Hộ Nguyễn Văn Đông",
        "TP Thanh Hóa",
        "Hoằng Đại",
        "Thực phẩm",
        "3 sao",
        "1020/QĐ-UBND",
        None,
        None,
        None,
    ),
    (
        "Cói mỹ nghệ Thành Tâm",
        "HTX Thành Tâm",
        "Thạch Thành",
        "Thành Tâm",
        "",
        "3 sao",
        None,
        2024,
        None,
        None,
    ),
]
PORTAL_HEADER = [
    "STT",
    "TEN SAN PHAM",
    "CHU THE",
    "HUYEN/TX/TP",
    "XA/PHUONG/THI TRAN",
    "NGANH",
    "SO SAO",
    "SO, NGAY QUYET DINH",
    "NAM CONG NHAN",
    "SDT",
    "MST",
]
# What a later, fuller list adds: {product: (decision, date, set, phone)}
FULLER = {
    "Chiếu cói Nga Hải": ("300/QĐ-UBND", "15/8/2023", 21, "0987654321"),
    "Cam Bát Mọt": ("77/QĐ-UBND", "02/03/2022", 1, None),
    "Tương Quảng Nham": ("552/QĐ-UBND", "14/4/2024", 9, None),
    "Mật ong Trung Chính": ("990/QĐ-UBND", "10/10/2025", 4, None),
}


def portal(path: Path, fuller: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sach"
    ws.append(["DANH SACH SAN PHAM OCOP"])
    ws.append([])
    header = PORTAL_HEADER + (["BO SAN PHAM"] if fuller else [])
    ws.append(header)
    for n, (name, producer, district, commune, group, stars, number, year, phone, tax) in enumerate(
        PORTAL, 1
    ):
        row = [
            n,
            name,
            producer,
            district,
            commune or None,
            group or None,
            stars,
            number,
            year,
            phone,
            tax,
        ]
        if fuller:
            extra = FULLER.get(name)
            if extra:
                row[7] = f"{extra[0]} ngày {extra[1]}"
                row[8] = None
                row[9] = extra[3] or phone
            row.append(extra[2] if extra else None)
        ws.append(row)
    ws.append([None, "Tổng số: 10 sản phẩm"])
    wb.save(path)
    return path


def main() -> None:
    annex(HERE / "annex_list.xlsx")
    portal(HERE / "portal_list.xlsx")
    portal(HERE / "portal_list_fuller.xlsx", fuller=True)


if __name__ == "__main__":
    main()


def zip_bomb(path: Path, size: int = 1024**3) -> Path:
    """A workbook whose sheet is ``size`` bytes of XML packed into about size/1000
    (1 GiB -> 1 MB): the same deflate block repeated, written without compressing
    a gigabyte, so a test can build it in a second."""
    import struct
    import zlib

    step = 1 << 20
    blank = b" " * step
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    # A full flush ends on a byte boundary with no back-reference to earlier
    # data, so the block can be repeated to stand for the chunk many times.
    block = packer.compress(blank) + packer.flush(zlib.Z_FULL_FLUSH)
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    head += b"<sheetData>"
    tail = b"</sheetData></worksheet>"
    repeats = max(1, (size - len(head) - len(tail)) // step)
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(blank, crc)
    crc = zlib.crc32(tail, crc)
    first = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = first.compress(head) + first.flush(zlib.Z_FULL_FLUSH)
    last = zlib.compressobj(9, zlib.DEFLATED, -15)
    end = last.compress(tail) + last.flush()
    sheet = (start, block, repeats, end, crc, len(head) + repeats * step + len(tail))

    small = {
        "[Content_Types].xml": b'<?xml version="1.0"?><Types xmlns="http://schemas.'
        b'openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml"'
        b' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
        b'main+xml"/></Types>',
        "xl/workbook.xml": b'<workbook xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheets><sheet name="DS" sheetId="1" r:id="rId1" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
        b"</sheets></workbook>",
    }
    central = b""
    with path.open("wb") as fh:
        entries = [(n, zlib.crc32(d), len(d), d) for n, d in small.items()]
        for name, crc_, plain, data in [*entries, ("xl/worksheets/sheet1.xml", None, None, None)]:
            offset = fh.tell()
            if data is not None:
                c = zlib.compressobj(9, zlib.DEFLATED, -15)
                packed = c.compress(data) + c.flush()
                packed_size = len(packed)
            else:
                start, block, repeats, end, crc_, plain = sheet
                packed_size = len(start) + len(block) * repeats + len(end)
            raw_name = name.encode()
            fh.write(
                struct.pack(
                    "<IHHHHHIIIHH",
                    0x04034B50,
                    20,
                    0,
                    8,
                    0,
                    0x21,
                    crc_,
                    packed_size,
                    plain,
                    len(raw_name),
                    0,
                )
                + raw_name
            )
            if data is not None:
                fh.write(packed)
            else:
                fh.write(start)
                for _ in range(repeats):
                    fh.write(block)
                fh.write(end)
            central += (
                struct.pack(
                    "<IHHHHHHIIIHHHHHII",
                    0x02014B50,
                    20,
                    20,
                    0,
                    8,
                    0,
                    0x21,
                    crc_,
                    packed_size,
                    plain,
                    len(raw_name),
                    0,
                    0,
                    0,
                    0,
                    0,
                    offset,
                )
                + raw_name
            )
        where = fh.tell()
        fh.write(central)
        fh.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 3, 3, len(central), where, 0))
    return path
