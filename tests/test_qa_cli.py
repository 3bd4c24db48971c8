"""Hostile input to the ``ocop`` command: one clear line, a non-zero exit, nothing lost."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests import cli_run
from tests.key_helpers import connect, copy_database, copy_key
from tests.test_qa_crash import content

ROOT = Path(__file__).resolve().parents[1]


def ocop(db: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """In this process (``tests/cli_run.py``): the same entry point, exit code and output."""
    return cli_run.ocop("--db", db, *args, stdin=stdin, cwd=ROOT)


def one_line_error(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("qa-cli") / "seed.sqlite"
    assert ocop(db, "init", "--role", "office", "--office", "401").returncode == 0
    assert ocop(db, "demo", "--products", "30", "--seed", "4").returncode == 0
    content(db)  # checkpoint: the copy below holds everything
    return db


@pytest.fixture
def db(seeded, tmp_path) -> Path:
    copy = tmp_path / "ocop.sqlite"
    copy_database(seeded, copy)
    return copy


@pytest.mark.parametrize("payload", ["[]", "null", '"text"', "[{}]", "42"])
def test_json_that_is_not_an_object_says_so_with_plain_braces(db, payload):
    line = one_line_error(ocop(db, "producers", "add", "--json-file", "-", stdin=payload))
    assert "{…}" in line and "{{" not in line


def test_huge_number_in_json_is_a_field_error(db):
    pid = connect(db).execute("SELECT id FROM products LIMIT 1").fetchone()[0]
    data = (
        f'{{"product_id": "{pid}", "decision_no": "7/QĐ-UBND", '
        f'"decision_date": "2025-01-02", "stars": 3, "points": {"9" * 400}}}'
    )
    before = content(db)
    line = one_line_error(ocop(db, "recognitions", "add", "--json-file", "-", stdin=data))
    assert line.startswith("Điểm:") and "Overflow" not in line
    assert content(db) == before


@pytest.mark.parametrize(
    "args",
    [
        ["products", "list", "--limit", "99999999999999999999"],
        ["producers", "list", "--commune", "99999999999999999999"],
        ["recognitions", "list", "--limit", "99999999999999999999"],
        ["search", "mam", "--limit", "99999999999999999999"],
    ],
)
def test_huge_integer_options_are_usage_errors(db, args):
    r = ocop(db, *args)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and "OverflowError" not in r.stderr


@pytest.mark.parametrize("lang, label", [("vi", "Huyện cũ:"), ("en", "Former district:")])
def test_unknown_district_names_the_field(db, lang, label):
    line = one_line_error(ocop(db, "--lang", lang, "summary", "--district", "5"))
    assert line.startswith(label) and "field." not in line


def test_demo_twice_with_the_same_seed_is_refused_cleanly(db):
    before = content(db)
    line = one_line_error(ocop(db, "demo", "--products", "10", "--seed", "4"))
    assert "--seed 4" in line and "UNIQUE" not in line
    assert content(db) == before
    assert ocop(db, "demo", "--products", "10", "--seed", "5").returncode == 0


def _outputs(db: Path, target: str) -> list[list[str]]:
    return [
        ["report", "--out", target],
        ["export-excel", "--out", target],
        ["sync", "export", "--out", target],
        ["backup", "--out", target],
        ["import", "--template", target],
        ["import", str(ROOT / "tests/data/ocop_thanhhoa_messy.xlsx"), "--report", target],
    ]


@pytest.mark.parametrize("index", range(6))
@pytest.mark.parametrize("suffix", ["", "-wal"])
def test_output_onto_the_database_is_refused(db, index, suffix):
    """``--out`` naming the database would replace every record by a PDF or a workbook."""
    before = content(db)
    target = str(db) + suffix
    args = _outputs(db, target)[index]
    line = one_line_error(ocop(db, *args))
    assert "không ghi đè" in line
    assert content(db) == before
    assert ocop(db, "check").returncode == 0


def test_output_onto_the_private_key_is_refused(db, tmp_path):
    assert ocop(db, "sync", "whoami").returncode == 0
    keys = [p for p in (tmp_path / "ocop.sqlite.d").rglob("*") if p.is_file()]
    assert keys
    key = keys[0]
    data = key.read_bytes()
    line = one_line_error(ocop(db, "--lang", "en", "report", "--out", str(key)))
    assert "will not overwrite" in line
    assert key.read_bytes() == data


def test_import_report_onto_the_sheet_being_imported_is_refused(db, tmp_path):
    sheet = tmp_path / "sheet.xlsx"
    shutil.copyfile(ROOT / "tests/data/ocop_thanhhoa_messy.xlsx", sheet)
    data = sheet.read_bytes()
    line = one_line_error(ocop(db, "import", str(sheet), "--dry-run", "--report", str(sheet)))
    assert "không ghi đè" in line
    assert sheet.read_bytes() == data


def test_json_round_trip_of_a_new_producer_keeps_nfc(db):
    """NFD input (as macOS and some keyboards give it) is stored NFC and found by search."""
    import unicodedata

    name = unicodedata.normalize("NFD", "Hợp tác xã Đông Tiến Nga Sơn")
    data = json.dumps({"name": name, "kind": "hop_tac_xa", "commune_code": 16171})
    r = ocop(db, "producers", "add", "--json-file", "-", stdin=data)
    assert r.returncode == 0, r.stderr
    shown = json.loads(ocop(db, "producers", "show", r.stdout.strip(), "--json").stdout)
    assert shown["name"] == unicodedata.normalize("NFC", name)


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--out", "{missing}/bao-cao.pdf"],
        ["export-excel", "--out", "{missing}/so-lieu.xlsx"],
        ["backup", "--out", "{file}/backup.sqlite"],
    ],
)
def test_output_into_a_missing_folder_names_the_folder(db, tmp_path, args):
    """Not "the disk is full": the folder is missing (or is a file)."""
    missing = tmp_path / "khong-co"
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    args = [a.format(missing=missing, file=a_file) for a in args]
    line = one_line_error(ocop(db, *args))
    assert "ổ đĩa đầy" not in line and ("khong-co" in line or "a-file" in line), line
    assert "Exception ignored" not in line


def test_database_path_under_a_file_is_not_called_a_full_disk(tmp_path):
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    r = ocop(a_file / "ocop.sqlite", "--lang", "en", "init", "--role", "office", "--office", "401")
    line = one_line_error(r)
    assert "folder" in line and "disk is full" not in line


def test_permission_and_full_disk_messages_are_told_apart():
    import errno

    from ocop_desktop import i18n
    from ocop_desktop.errors import os_message as _os_message

    i18n.set_language("en")
    denied = _os_message(PermissionError(errno.EACCES, "Permission denied", "/mnt/x.pdf.part"))
    assert denied.startswith("no permission to write /mnt/x.pdf;")
    full = _os_message(OSError(errno.EFBIG, "File too large"))
    assert full == "cannot write: the disk is full or not writable (File too large)"
    temp = _os_message(FileNotFoundError(errno.ENOENT, "No such file", "/proc/.x.zip.123.part"))
    assert "/proc/x.zip" in temp
    folder = _os_message(IsADirectoryError(errno.EISDIR, "Is a directory", "/tmp/reports"))
    assert folder == "/tmp/reports is a folder; give a file name"


def test_excel_export_that_cannot_finish_prints_one_line(tmp_path):
    """openpyxl's write-only sheets printed a traceback per sheet at exit after a failed save."""
    from tests.test_qa_crash import run

    db = tmp_path / "ocop.sqlite"
    assert run(db, "init", "--role", "office", "--office", "401").returncode == 0
    assert run(db, "demo", "--products", "1500").returncode == 0
    content(db)
    r = run(db, "export-excel", "--out", str(tmp_path / "so-lieu.xlsx"), limit=150_000)
    line = one_line_error(r)
    assert "không ghi được" in line and "None" not in line
    assert not list(tmp_path.glob("so-lieu.xlsx*"))


def test_control_characters_are_dropped_from_text(db):
    data = json.dumps(
        {"name": "HTX\u0001 Đông\u0000 Tiến", "kind": "hop_tac_xa", "commune_code": 16171}
    )
    r = ocop(db, "producers", "add", "--json-file", "-", stdin=data)
    assert r.returncode == 0, r.stderr
    shown = json.loads(ocop(db, "producers", "show", r.stdout.strip(), "--json").stdout)
    assert shown["name"] == "HTX Đông Tiến"
    only_controls = json.dumps(
        {"name": "\u0001\u0000", "kind": "hop_tac_xa", "commune_code": 16171}
    )
    line = one_line_error(ocop(db, "producers", "add", "--json-file", "-", stdin=only_controls))
    assert line.startswith("Tên:")


@pytest.mark.slow
def test_a_database_locked_by_another_program_is_said_in_vietnamese(db, tmp_path, monkeypatch):
    """Another program holds the write lock longer than the app waits: say so, not
    'database is locked'. The wait (10 s) is shortened to 1 s for the test."""
    from ocop_desktop import db as dbmod

    monkeypatch.setattr(dbmod, "BUSY_WAIT_S", 1)
    holder = connect(db)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE meta SET value = value WHERE key = 'seq'")
    try:
        before_rows = holder.execute("SELECT count(*) FROM producers").fetchone()[0]
        data = json.dumps({"name": "HTX Khóa", "kind": "hop_tac_xa", "commune_code": 16171})
        line = one_line_error(ocop(db, "producers", "add", "--json-file", "-", stdin=data))
        assert line.startswith("cơ sở dữ liệu đang bận") and "locked" not in line
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert connect(db).execute("SELECT count(*) FROM producers").fetchone()[0] == before_rows


def _product_and_evaluation(db: Path) -> tuple[str, str, str]:
    conn = connect(db)
    pid, eid = conn.execute(
        "SELECT product_id, id FROM evaluations WHERE deleted = 0 LIMIT 1"
    ).fetchone()
    other = conn.execute(
        "SELECT id FROM evaluations WHERE product_id != ? LIMIT 1", [pid]
    ).fetchone()[0]
    conn.close()
    return pid, eid, other


def _certificate(pid: str, n: int, **extra) -> str:
    data = {
        "product_id": pid,
        "decision_no": f"{n}/QĐ-UBND",
        "decision_date": "2025-03-01",
        "stars": 3,
    }
    return json.dumps(data | extra, ensure_ascii=False)


@pytest.mark.parametrize("revoked", ["2062-01-01", "2025-02-28"])
def test_revocation_in_the_future_or_before_the_decision_is_refused(db, revoked):
    """A future revocation counted as revoked in `products list` but valid in `summary`."""
    pid, _, _ = _product_and_evaluation(db)
    before = content(db)
    data = _certificate(pid, 901, revoked_date=revoked)
    line = one_line_error(ocop(db, "recognitions", "add", "--json-file", "-", stdin=data))
    assert line.startswith("Ngày thu hồi:"), line
    assert content(db) == before


def test_revocation_on_the_decision_day_is_accepted(db):
    pid, _, _ = _product_and_evaluation(db)
    data = _certificate(pid, 902, revoked_date="2025-03-01")
    assert ocop(db, "recognitions", "add", "--json-file", "-", stdin=data).returncode == 0


def test_certificate_must_name_an_evaluation_of_its_own_product(db):
    pid, eid, other = _product_and_evaluation(db)
    before = content(db)
    for bad in ("khong-co", other):
        data = _certificate(pid, 903, evaluation_id=bad)
        line = one_line_error(ocop(db, "recognitions", "add", "--json-file", "-", stdin=data))
        assert bad in line
    assert content(db) == before
    ok = _certificate(pid, 903, evaluation_id=eid)
    assert ocop(db, "recognitions", "add", "--json-file", "-", stdin=ok).returncode == 0


def test_unknown_field_in_the_column_map_is_named(db, tmp_path):
    """The parameter was called ``field``, which UserError takes as the field label."""
    mapping = tmp_path / "map.json"
    mapping.write_text('{"Tên": "ten_sai"}', encoding="utf-8")
    sheet = str(ROOT / "tests/data/ocop_thanhhoa_messy.xlsx")
    line = one_line_error(ocop(db, "import", sheet, "--map", str(mapping)))
    assert line.startswith("“ten_sai” không phải trường nhập được; các trường: row_no")
    assert "{" not in line and "field." not in line


def test_restoring_a_backup_from_a_newer_version_is_refused(db, tmp_path):
    """It replaced the database with one this version cannot open."""
    newer = tmp_path / "newer.sqlite"
    shutil.copyfile(db, newer)
    copy_key(db, newer)
    conn = connect(newer)
    conn.execute("INSERT INTO _migrations (version, applied_at) VALUES (99, 'later')")
    conn.commit()
    conn.close()
    before = content(db)
    line = one_line_error(ocop(db, "restore", "--yes", str(newer)))
    assert "lược đồ 99" in line
    assert content(db) == before
    assert ocop(db, "info").returncode == 0


@pytest.mark.parametrize(
    "args, vi, en",
    [
        (["summary"], "còn hiệu lực:", "certified:"),
        (["sync", "status"], "xung đột chưa xử lý:", "open conflicts:"),
        (["restore", "{db}"], "Đã hủy.", "Aborted."),
    ],
)
def test_plain_output_follows_the_language(db, args, vi, en):
    """These lines were fixed in one language whatever --lang said."""
    args = [a.format(db=db) for a in args]
    for lang, want, not_want in (("vi", vi, en), ("en", en, vi)):
        r = ocop(db, "--lang", lang, *args, stdin="")
        out = r.stdout + r.stderr
        assert want in out and not_want not in out, (lang, out)


def test_summary_date_is_day_month_year_in_vietnamese(db):
    out = ocop(db, "summary", "--as-of", "2026-03-05").stdout
    assert out.splitlines()[0].endswith("– 05/03/2026")


def test_init_line_in_english(tmp_path):
    r = ocop(tmp_path / "x.sqlite", "--lang", "en", "init", "--role", "office", "--office", "401")
    assert "6 communes/wards" in r.stdout and "xã" not in r.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["products", "list", "--stars", "7"],
        ["producers", "add"],
        ["khong-co-lenh"],
        ["recognitions", "list", "--as-of", "31/12/2025"],
    ],
)
def test_usage_errors_are_one_line_with_exit_2(db, args):
    r = ocop(db, *args)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lệnh chưa đúng:"), r.stderr
    assert "--help" in lines[0]


def test_a_group_without_a_command_still_shows_its_help(db):
    r = ocop(db, "products")
    assert "Commands:" in r.stdout + r.stderr and "list" in r.stdout + r.stderr


def test_an_office_cannot_set_another_offices_target(db):
    before = content(db)
    line = one_line_error(
        ocop(db, "target", "--year", "2026", "--district", "402", "--renewals", "3")
    )
    assert line.startswith("Huyện cũ: không đặt được chỉ tiêu cho 402")
    assert content(db) == before
    own = ocop(db, "target", "--year", "2026", "--district", "401", "--renewals", "3")
    assert own.returncode == 0 and json.loads(own.stdout)["renewals"] == 3


def test_the_province_sets_targets_only_for_its_own_districts(tmp_path):
    db = tmp_path / "province.sqlite"
    assert ocop(db, "init", "--role", "province", "--province", "38").returncode == 0
    one_line_error(ocop(db, "target", "--year", "2026", "--district", "999", "--upgrades", "1"))
    one_line_error(ocop(db, "target", "--year", "2026", "--district", "1", "--upgrades", "1"))
    r = ocop(db, "target", "--year", "2026", "--district", "402", "--upgrades", "1")
    assert r.returncode == 0 and json.loads(r.stdout)["office_code"] == "402"


@pytest.mark.parametrize(
    "lang, points, expected",
    [
        ("vi", -5.5, "Điểm: -5,5 nằm ngoài khoảng 0–100"),
        ("en", 105, "Points: 105 is outside 0–100"),
    ],
)
def test_range_messages_write_numbers_as_people_do(db, lang, points, expected):
    """They said '-5.5 … 0–100.0' in Vietnamese."""
    pid, _, _ = _product_and_evaluation(db)
    data = _certificate(pid, 950, points=points)
    del_stars = json.loads(data)
    del del_stars["stars"]
    r = ocop(
        db, "--lang", lang, "recognitions", "add", "--json-file", "-", stdin=json.dumps(del_stars)
    )
    assert one_line_error(r) == expected


@pytest.mark.parametrize(
    "args",
    [
        ["products", "list", "--as-of", "9999-12-31", "--status", "valid"],
        ["recognitions", "list", "--as-of", "9999-12-31"],
        ["summary", "--as-of", "9999-12-31"],
        ["report", "--out", "x.pdf", "--as-of", "9999-12-31"],
    ],
)
def test_a_far_future_as_of_date_is_a_usage_error_not_a_traceback(db, args):
    r = ocop(db, *args)
    assert r.returncode == 2 and "Error:" not in r.stderr and "Traceback" not in r.stderr
    assert "9999-12-31" in r.stderr


def test_as_of_still_filters_the_lists(db):
    r = ocop(db, "products", "list", "--as-of", "2026-01-01", "--status", "valid", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)


def test_csv_with_a_cell_over_the_csv_limit_is_refused_in_one_line(db, tmp_path):
    sheet = tmp_path / "danh-sach.csv"
    sheet.write_text(
        "Tên sản phẩm,Tên chủ thể,Địa chỉ,Hạng sao\n"
        f'"{"X" * 200_000}",HTX A,"xã Nga Vịnh, huyện Nga Sơn",3 sao\n',
        encoding="utf-8",
    )
    before = content(db)
    line = one_line_error(ocop(db, "import", str(sheet)))
    assert line.startswith("tệp danh-sach.csv không đọc được như bảng CSV")
    assert content(db) == before


@pytest.mark.parametrize("name", ["sao lưu #2.sqlite", "bk 50%25.sqlite", "bản sao?.sqlite"])
def test_restore_from_a_backup_whose_name_has_uri_characters(db, tmp_path, name):
    """'#', '%xx' and '?' were read as parts of a URI: a good backup was 'not a backup'."""
    folder = tmp_path / "USB #1"
    folder.mkdir()
    backup = folder / name
    assert ocop(db, "backup", "--out", str(backup)).returncode == 0
    r = ocop(db, "restore", "--yes", str(backup))
    assert r.returncode == 0, r.stderr


def test_an_empty_db_option_is_refused_not_read_as_the_default_database(tmp_path, monkeypatch):
    """`ocop --db "$FILE" restore --yes …` with FILE unset replaced the default database."""
    default = tmp_path / "data" / "ocop.sqlite"
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "ocop_desktop",
            "--db",
            "",
            "init",
            "--role",
            "office",
            "--office",
            "401",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert r.returncode == 2 and "--db" in r.stderr
    assert not default.exists()


def test_json_saved_as_utf16_by_powershell_is_read(db, tmp_path):
    path = tmp_path / "p.json"
    data = {"name": "Hợp tác xã Đông Tiến", "kind": "hop_tac_xa", "commune_code": 16171}
    path.write_bytes(json.dumps(data, ensure_ascii=False).encode("utf-16"))
    r = ocop(db, "producers", "add", "--json-file", str(path))
    assert r.returncode == 0, r.stderr


def test_json_in_a_legacy_code_page_is_refused_in_words(db, tmp_path):
    path = tmp_path / "p.json"
    path.write_bytes('{"name": "HTX Đông"}'.encode("cp1258"))
    line = one_line_error(ocop(db, "producers", "add", "--json-file", str(path)))
    assert "UTF-8" in line and "codec" not in line


def test_output_onto_a_hard_link_of_the_database_is_refused(db, tmp_path):
    """The template is written in place: through a second name it overwrote the database.
    (On Windows the same happens with the name spelt in other letter case.)"""
    link = tmp_path / "mau.xlsx"
    os.link(db, link)
    before = content(db)
    line = one_line_error(ocop(db, "import", "--template", str(link)))
    assert "không ghi đè" in line
    assert content(db) == before


@pytest.fixture
def read_only_copy(db, tmp_path):
    """The database in a folder that cannot be written: chmod, or (as root) a read-only mount."""
    folder = tmp_path / "usb"
    folder.mkdir()
    copy_database(db, folder / "ocop.sqlite")
    if os.geteuid() != 0:
        (folder / "ocop.sqlite").chmod(0o444)
        folder.chmod(0o555)
        yield folder / "ocop.sqlite"
        folder.chmod(0o755)
        return
    mount = tmp_path / "mounted"
    mount.mkdir()
    ok = subprocess.run(["mount", "--bind", str(folder), str(mount)], capture_output=True)
    if ok.returncode != 0:
        pytest.skip("cannot make a read-only folder here")
    try:
        ro = subprocess.run(["mount", "-o", "remount,ro,bind", str(mount)], capture_output=True)
        if ro.returncode != 0:
            pytest.skip("cannot make a read-only folder here")
        yield mount / "ocop.sqlite"
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


@pytest.mark.parametrize("lang, start", [("vi", "không ghi được vào"), ("en", "cannot write to")])
def test_a_database_on_a_read_only_medium_says_so(read_only_copy, lang, start):
    """It said 'not an OCOP database' (and then 'the disk is full')."""
    line = one_line_error(ocop(read_only_copy, "--lang", lang, "producers", "list"))
    assert line.startswith(f"{start} {read_only_copy}")


@pytest.mark.parametrize(
    "typed, stored",
    [("1.250.000", 1_250_000), ("1 250 000", 1_250_000), ("45.000,5", 45_000.5), ("12,5", 12.5)],
)
def test_prices_typed_the_vietnamese_way_are_read_as_meant(db, typed, stored):
    pid, _, _ = _product_and_evaluation(db)
    r = ocop(db, "products", "edit", pid, "--json-file", "-", stdin=json.dumps({"price": typed}))
    assert r.returncode == 0, r.stderr
    shown = json.loads(ocop(db, "products", "show", pid, "--json").stdout)
    assert shown["price"] == stored


@pytest.mark.parametrize("typed", ["50.000", "50,000"])
def test_a_price_that_reads_two_ways_is_refused_not_stored_as_50(db, typed):
    """'50.000' (fifty thousand đồng) was stored as 50."""
    pid, _, _ = _product_and_evaluation(db)
    before = content(db)
    r = ocop(db, "products", "edit", pid, "--json-file", "-", stdin=json.dumps({"price": typed}))
    line = one_line_error(r)
    assert line.startswith(f"Giá bán: “{typed}” có thể hiểu hai cách")
    assert content(db) == before


@pytest.mark.parametrize("command", ["report", "export-excel", "backup"])
def test_output_into_a_read_only_folder_says_permission_not_full_disk(db, read_only_copy, command):
    target = read_only_copy.parent / "ra.out"
    line = one_line_error(ocop(db, command, "--out", str(target)))
    assert line == f"không có quyền ghi {target}; chọn thư mục khác hoặc hỏi người quản trị máy"
