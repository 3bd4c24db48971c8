"""Scoring on a sheet from the command line: print the sheet, fill an options file."""

from __future__ import annotations

import json

import pytest

from tests.test_cli import file_hash, ocop

# The sheets are scored on dates of 2025 and 2026 that must not lie in the future.
pytestmark = pytest.mark.today("2026-11-30")


def _product(db, tmp_path) -> str:
    assert ocop(db, "init", "--role", "office", "--office", "401").returncode == 0
    producer = {"name": "Hợp tác xã Đông Tiến", "kind": "hop_tac_xa", "commune_code": 16171}
    r = ocop(db, "producers", "add", "--json-file", "-", stdin=json.dumps(producer))
    assert r.returncode == 0, r.stderr
    product = {"name": "Gạo Nàng Hương", "producer_id": r.stdout.strip(), "product_set": 1}
    r = ocop(db, "products", "add", "--json-file", "-", stdin=json.dumps(product))
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def test_sheet_printed_with_keys_then_an_evaluation_from_an_options_file(tmp_path):
    db = tmp_path / "x.sqlite"
    product = _product(db, tmp_path)

    r = ocop(db, "evaluations", "sheet", "1")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "    A2  b) Gia tăng giá trị [3]" in lines
    assert any(line.startswith("        3  (3) Ứng dụng công nghệ tiên tiến") for line in lines)
    assert any(line.endswith("≥5★") for line in lines)

    sheet = json.loads(ocop(db, "evaluations", "sheet", "1", "--json").stdout)
    choice = {
        c["key"]: max(c["options"], key=lambda o: o["points"])["key"]
        for part in sheet["parts"]
        for c in part["criteria"]
    }
    choice["A2"] = 2  # 99 points, but not the 5-star minimum on A2
    options = tmp_path / "options.json"
    options.write_text(json.dumps(choice), encoding="utf-8")
    evaluation = tmp_path / "evaluation.json"
    evaluation.write_text(
        json.dumps({"product_id": product, "eval_date": "2025-09-10", "level": "province"}),
        encoding="utf-8",
    )
    r = ocop(db, "evaluations", "add", "--json-file", str(evaluation), "--options", str(options))
    assert r.returncode == 0, r.stderr
    shown = json.loads(ocop(db, "evaluations", "list", product, "--json").stdout)
    assert [(e["points"], e["stars"]) for e in shown] == [(99, 4)]
    assert shown[0]["options"]["choices"] == choice

    # An incomplete sheet: one line on stderr, exit 1, the database unchanged.
    del choice["C11"]
    options.write_text(json.dumps(choice), encoding="utf-8")
    before = file_hash(db)
    r = ocop(db, "evaluations", "add", "--json-file", str(evaluation), "--options", str(options))
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.strip() == "Tiêu chí đã chọn: còn 1 tiêu chí chưa chọn phương án: C11"
    assert len(r.stderr.strip().splitlines()) == 1
    assert file_hash(db) == before


def test_unknown_set_is_one_line_in_english_too(tmp_path):
    db = tmp_path / "x.sqlite"
    assert ocop(db, "init", "--role", "office", "--office", "401").returncode == 0
    r = ocop(db, "evaluations", "sheet", "27", lang="en")
    assert r.returncode == 1
    assert r.stderr.strip() == (
        "Product set: there is no scoring sheet for product set 27 (sets 1 to 26)"
    )
