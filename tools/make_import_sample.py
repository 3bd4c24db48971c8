"""Write tests/data/ocop_thanhhoa_messy.xlsx: a province list the way offices keep them.

Title lines, a merged two-row header, section lines per district, NFD and NFC
text mixed, stars in several spellings, pre-2025 addresses, and the producer
column typed in TCVN3 (.VnTime). Run: python tools/make_import_sample.py
"""

from __future__ import annotations

import sys
import unicodedata
from datetime import datetime
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "ocop_thanhhoa_messy.xlsx"

# Unicode -> TCVN3, the inverse of ocop_desktop.importer.legacy's table.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ocop_desktop.importer.legacy import _TCVN3_DST, _TCVN3_SRC  # noqa: E402

_TO_TCVN3 = str.maketrans(_TCVN3_DST, _TCVN3_SRC)


def tcvn3(text: str) -> str:
    return unicodedata.normalize("NFC", text).translate(_TO_TCVN3)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# (stt, product, producer (typed in TCVN3), address, stars, decision no, decision date, set)
ROWS = [
    ("I", "HUYỆN NGA SƠN"),
    (
        1,
        "Cói mỹ nghệ Ba Đình",
        "Hợp tác xã Cói Ba Đình",
        "xã Ba Đình, huyện Nga Sơn",
        "3 sao",
        "1114/QĐ-UBND",
        datetime(2019, 12, 23),
        "Thủ công mỹ nghệ",
    ),
    (
        2,
        nfd("Chiếu cói Nga Thắng"),
        "Hộ kinh doanh Mai Văn Tiến",
        "Thôn 3, xã Nga Thắng, huyện Nga Sơn",
        "3*",
        "1114/QĐ-UBND",
        "23/12/2019",
        21,
    ),
    (
        3,
        "Bánh gai Tứ Trụ",
        "Công ty TNHH Bánh gai Nga Sơn",
        "Thị trấn Nga Sơn, huyện Nga Sơn",
        "★★★★",
        "2345/QĐ-UBND",
        "05-09-2022",
        3,
    ),
    (
        4,
        "Nước mắm Nga Trường",
        "Tổ hợp tác Nước mắm Nga Trường",
        "xã Nga Trường, huyện Nga Sơn",
        "4 sao (tiềm năng 5 sao)",
        "4512/QĐ-UBND",
        "2023-11-20",
        4,
    ),
    ("II", "HUYỆN HOẰNG HÓA"),
    (
        5,
        "Mắm tép Hoằng Phụ",
        "HTX Nông nghiệp Hoằng Phụ",
        "xã Hoằng Phụ, huyện Hoằng Hóa",
        3,
        "789/QĐ-UBND",
        2020,
        4,
    ),
    (
        6,
        nfd("Rượu làng Quảng Xương"),
        "Hộ ông Lê Văn Nam",
        "huyện Quảng Xương",
        "3 sao",
        "Quyết định số 3150/QĐ-UBND ngày 15/8/2021",
        None,
        None,
    ),
    (
        7,
        "Bánh răng bừa Hà Bình",
        "DNTN Thương mại Hà Bình",
        "Xã Hà Bình, huyện Hà Trung",
        "3",
        "1560/QĐ-UBND",
        "12/05/2021",
        3,
    ),
    (
        8,
        None,
        "Hợp tác xã Dịch vụ Hoằng Thanh",
        "xã Hoằng Thanh, huyện Hoằng Hóa",
        "3 sao",
        "1561/QĐ-UBND",
        "12/05/2021",
        1,
    ),
    ("", "Tổng cộng: 7 sản phẩm"),
]


def build(path: Path = OUT) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws["A1"] = "UBND TỈNH THANH HÓA"
    ws.merge_cells("A1:I1")
    ws["A2"] = "DANH SÁCH SẢN PHẨM OCOP ĐƯỢC CÔNG NHẬN"
    ws.merge_cells("A2:I2")
    ws["A3"] = "(Kèm theo Quyết định số 1234/QĐ-UBND ngày 20/10/2024 của UBND tỉnh)"
    ws.merge_cells("A3:I3")
    # two-row merged header
    top = [
        "STT",
        "Tên sản phẩm",
        "Chủ thể",
        None,
        "Hạng sao",
        "Quyết định công nhận",
        None,
        "Bộ sản phẩm",
        "Ghi chú",
    ]
    bottom = [None, None, "Tên chủ thể", "Địa chỉ", None, "Số QĐ", "Ngày QĐ", None, None]
    ws.append([])
    ws.append(top)
    ws.append(bottom)
    for col in ("A", "B", "E", "H", "I"):
        ws.merge_cells(f"{col}5:{col}6")
    ws.merge_cells("C5:D5")
    ws.merge_cells("F5:G5")
    for row in ROWS:
        if len(row) == 2:
            ws.append([row[0], row[1]])
            ws.merge_cells(f"B{ws.max_row}:I{ws.max_row}")
            continue
        stt, product, producer, address, stars, number, when, product_set = row
        ws.append(
            [stt, product, tcvn3(producer), nfd(address), stars, number, when, product_set, None]
        )
        if isinstance(when, datetime):
            ws.cell(ws.max_row, 7).number_format = "dd/mm/yyyy"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


if __name__ == "__main__":
    print(build())
