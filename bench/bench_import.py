"""Import of a 10,000-row province list: dry run and real import, beside
``pandas.read_excel`` of the same file in the same run.

Targets (issue 6): dry run <= 5 s, dry run / read_excel <= 3.

    python bench/bench_import.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ocop_desktop import refdata  # noqa: E402
from ocop_desktop.importer import apply_plan, load_table, plan_import  # noqa: E402
from ocop_desktop.store import init_node  # noqa: E402

KINDS = ("HTX", "Công ty TNHH", "Hộ kinh doanh", "Tổ hợp tác", "DNTN")
GOODS = ("Mật ong", "Nước mắm", "Chiếu cói", "Bánh gai", "Gạo", "Chè xanh", "Nem chua", "Rượu")
STARS = ("3", "3 sao", "3*", "★★★", "4 sao", "4 sao (tiềm năng 5 sao)")


def make_sheet(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    ref = refdata.load()
    rng = random.Random(6)
    communes = [
        c
        for c in ref.legacy_communes.values()
        if c.province_code == 38 and len(ref.convert_legacy(c.code)) == 1
    ]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("DS")
    ws.append(["DANH SÁCH SẢN PHẨM OCOP TỈNH THANH HÓA"])
    ws.append([])
    ws.append(
        [
            "STT",
            "Tên sản phẩm",
            "Tên chủ thể",
            "Địa chỉ",
            "Hạng sao",
            "Số QĐ",
            "Ngày QĐ",
            "Bộ sản phẩm",
            "Mã số thuế",
            "Điện thoại",
            "Người đại diện",
        ]
    )
    for i in range(rows):
        c = communes[rng.randrange(len(communes))]
        district = ref.district_name(c.district_code)
        day = date(2019, 1, 1) + timedelta(days=rng.randrange(2000))
        ws.append(
            [
                i + 1,
                f"{GOODS[i % len(GOODS)]} {c.name.split(' ', 1)[1]} số {i}",
                f"{KINDS[i % len(KINDS)]} {c.name.split(' ', 1)[1]} {i // 3}",
                f"Thôn {i % 9 + 1}, {c.name.lower()}, {district}",
                STARS[i % len(STARS)],
                f"{1000 + i}/QĐ-UBND",
                day.strftime("%d/%m/%Y") if i % 2 else day,
                i % 26 + 1,
                f"28{i:08d}",
                f"09{i:08d}",
                "Nguyễn Văn An",
            ]
        )
    wb.save(path)


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=10_000)
    args = p.parse_args()
    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "list.xlsx"
        make_sheet(sheet, args.rows)
        _ = refdata.load().former_district_of  # warm the reference data for both sides

        t0 = time.perf_counter()
        frame = pd.read_excel(sheet, header=2)
        t_pandas = time.perf_counter() - t0

        store = init_node(Path(tmp) / "p.sqlite", role="province", province=38)
        t0 = time.perf_counter()
        table = load_table(sheet)
        t_read = time.perf_counter() - t0
        plan = plan_import(store, table)
        t_dry = time.perf_counter() - t0

        t0 = time.perf_counter()
        result = apply_plan(store, plan)
        t_write = time.perf_counter() - t0

        t0 = time.perf_counter()
        again = plan_import(store, load_table(sheet))
        t_again = time.perf_counter() - t0

    print(f"rows in sheet              {len(frame):>8}")
    print(f"pandas.read_excel          {t_pandas:8.2f} s")
    print(
        f"dry run (read + plan)      {t_dry:8.2f} s   (read {t_read:.2f} s, plan {t_dry - t_read:.2f} s)"
    )
    print(f"ratio dry run / pandas     {t_dry / t_pandas:8.2f}     target <= 3")
    print(f"real import (write)        {t_write:8.2f} s   total {t_dry + t_write:.2f} s")
    print(
        f"created                    {result.producers} producers, {result.products} products, "
        f"{result.recognitions} certificates"
    )
    print(f"outcomes                   {plan.counts()}")
    print(f"second dry run             {t_again:8.2f} s   {again.counts()}")
    print(f"dry run target <= 5 s      {'met' if t_dry <= 5 else 'NOT met'}")


if __name__ == "__main__":
    main()
