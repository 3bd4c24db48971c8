"""Import of a province list at 10,000 and 100,000 rows: time and peak memory of
the whole import (read, plan, write) beside openpyxl's read-only reader alone on
the same file, each in its own child process, in the same run; and the refusal of
a 1 MB workbook whose sheet expands to 1 GiB.

Targets (issue 18): 100,000 rows under 500 MB peak; the zip bomb refused within
10 s and under 500 MB.

    python bench/bench_import.py [--rows 10000 100000]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ocop_desktop import refdata  # noqa: E402
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
        day = date(2019, 1, 1) + timedelta(days=(i // 20) * 7 % 2000)  # one date per decision
        ws.append(
            [
                i + 1,
                f"{GOODS[i % len(GOODS)]} {c.name.split(' ', 1)[1]} số {i}",
                f"{KINDS[i % len(KINDS)]} {c.name.split(' ', 1)[1]} {i // 3}",
                f"Thôn {i % 9 + 1}, {c.name.lower()}, {district}",
                STARS[i % len(STARS)],
                # as published lists are: a third without a decision number, a
                # quarter with the year alone, a fifth with the group, not the set
                None if i % 3 == 0 else f"{1000 + i // 20}/QĐ-UBND",
                day.year if i % 4 == 0 else day.strftime("%d/%m/%Y") if i % 2 else day,
                "Thực phẩm" if i % 5 == 0 else i % 26 + 1,
                f"28{i:08d}",
                f"09{i:08d}",
                "Nguyễn Văn An",
            ]
        )
    wb.save(path)


def _child(mode: str, sheet: str, db: str) -> None:
    """Run one measured task and print 'seconds peak_mb detail' on stdout."""
    t0 = time.perf_counter()
    detail = ""
    if mode == "openpyxl":
        from openpyxl import load_workbook

        wb = load_workbook(sheet, read_only=True, data_only=True)
        n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
        detail = f"{n} rows read"
    elif mode == "import":
        from ocop_desktop.importer import run_import

        store = init_node(Path(db), role="province", province=38)
        plan, result = run_import(store, sheet)
        assert result is not None
        detail = f"{result.recognitions} certificates, {plan.counts()}"
    elif mode == "bomb":
        from ocop_desktop.errors import UserError
        from ocop_desktop.importer import load_table

        try:
            load_table(sheet)
            detail = "NOT refused"
        except UserError as exc:
            detail = exc.message("en")
    elapsed = time.perf_counter() - t0
    print(f"{elapsed:.3f} {_peak_mb():.0f} {detail}")


def _peak_mb() -> float:
    """This process's own peak (VmHWM): Linux keeps ru_maxrss across the exec of a
    child, so that figure could be the parent's."""
    try:
        with open("/proc/self/status") as status:
            return next(int(x.split()[1]) for x in status if x.startswith("VmHWM")) / 1024
    except OSError:
        pass
    try:
        import resource
    except ImportError:  # Windows: no getrusage
        return float("nan")
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _measure(mode: str, sheet: Path, db: Path) -> tuple[float, float, str]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(sheet), str(db)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    seconds, peak, detail = out.split(" ", 2)
    return float(seconds), float(peak), detail


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, nargs="*", default=[10_000, 100_000])
    p.add_argument("--child", nargs=3, metavar=("MODE", "SHEET", "DB"))
    args = p.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            sheet = Path(tmp) / f"list_{rows}.xlsx"
            make_sheet(sheet, rows)
            raw_s, raw_mb, raw_detail = _measure("openpyxl", sheet, Path(tmp) / "unused")
            imp_s, imp_mb, imp_detail = _measure("import", sheet, Path(tmp) / f"p{rows}.sqlite")
            print(f"{rows:>7} rows, {sheet.stat().st_size / 1e6:.1f} MB file")
            print(
                f"  openpyxl read-only alone  {raw_s:7.2f} s  peak {raw_mb:5.0f} MB  ({raw_detail})"
            )
            print(
                f"  whole import              {imp_s:7.2f} s  peak {imp_mb:5.0f} MB  "
                f"({imp_s / raw_s:.1f}x time)  {imp_detail}"
            )
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "data"))
        from make_messy_lists import zip_bomb

        bomb = zip_bomb(Path(tmp) / "bomb.xlsx")
        b_s, b_mb, b_detail = _measure("bomb", bomb, Path(tmp) / "unused")
        print(f"zip bomb {bomb.stat().st_size / 1e6:.1f} MB -> 1 GiB sheet")
        print(f"  refused in                {b_s:7.2f} s  peak {b_mb:5.0f} MB  {b_detail}")


if __name__ == "__main__":
    main()
