"""Personal data stays closed on disk: the database, its WAL, backups, bundles;
the key, a lost key and the recovery sheet; converting a plain database."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ocop_desktop import backup, keystore, recovery
from ocop_desktop import db as dbmod
from ocop_desktop.demo import generate
from ocop_desktop.errors import UserError
from ocop_desktop.store import init_node, open_store
from ocop_desktop.sync import export_bundle, import_bundle, seal
from tests import cli_run
from tests.key_helpers import connect, mistyped_check
from tests.sync_helpers import NGA_SON, NHU_XUAN, make_office, make_province, table_hash

ROOT = Path(__file__).resolve().parent.parent


def personal_data(store) -> list[bytes]:
    """The demo producers' names, representatives and phone numbers, as stored."""
    rows = store.db.execute("SELECT name, representative, phone FROM producers").fetchall()
    values = {v for row in rows for v in row if v and len(v) >= 6}
    assert len(values) > 20
    return [v.encode("utf-8") for v in values]


def leaks(path: Path, needles: list[bytes]) -> list[str]:
    data = path.read_bytes()
    return [n.decode() for n in needles if n in data]


def test_no_file_on_disk_holds_a_producer_name_or_phone(tmp_path):
    office = make_office(tmp_path, NGA_SON)
    office.db.execute("PRAGMA wal_autocheckpoint = 0")  # the rows stay in the WAL too
    generate(office, n_products=60, seed=3)
    needles = personal_data(office)
    province = make_province(tmp_path)
    seal.use_province_key(office, seal.province_key_file(province, tmp_path / "tinh.key"))
    to_province = export_bundle(office, tmp_path / "to-province.zip")
    assert to_province.sealed
    import_bundle(province, to_province.path, trust_new=True)
    to_office = export_bundle(province, tmp_path / "to-office.zip", to=NGA_SON)
    assert to_office.sealed  # the office's seal key came in its bundle
    backup.backup_now(office.path, office.db.conn)
    backup.backup_now(province.path, province.db.conn)

    wal = Path(f"{office.path}-wal")
    assert wal.stat().st_size > 100_000
    files = [office.path, wal, province.path, Path(f"{province.path}-wal")]
    files += backup.list_backups(office.path) + backup.list_backups(province.path)
    files += [to_province.path, to_office.path]
    assert len(files) >= 8  # with the backup the province made before applying the bundle
    for path in files:
        assert leaks(path, needles) == [], path
    # The same check finds them in a plain copy: it would see a leak.
    make_plain(office.path, tmp_path / "plain-copy.sqlite")
    assert len(leaks(tmp_path / "plain-copy.sqlite", needles)) == len(needles)
    office.close()
    province.close()


def test_plain_sqlite_cannot_read_the_database(office):
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(office.path).execute("SELECT * FROM sqlite_master").fetchall()


def test_raw_key_means_no_key_derivation_at_each_open(office):
    assert keystore.find_key(office.path).sql.startswith("x'")
    assert len(keystore.find_key(office.path).raw) == keystore.KEY_BYTES


def ocop(db, *args, stdin=None, env=None):
    """In this process (``tests/cli_run.py``)."""
    return cli_run.ocop("--db", db, *args, stdin=stdin, env=env)


def test_a_wrong_key_gives_one_message_and_changes_nothing(office):
    office.close()
    key_file = keystore.data_folder(office.path) / keystore.KEY_FILE
    right = key_file.read_bytes()
    key_file.write_text("ab" * 32 + "\n")
    before = office.path.read_bytes()
    with pytest.raises(UserError) as err:
        open_store(office.path)
    assert err.value.key == "db.wrong_key"
    r = ocop(office.path, "producers", "list")
    assert r.returncode == 1
    assert r.stderr.strip().splitlines() == [err.value.message()]
    assert "nothing was changed" in err.value.message("en")
    assert office.path.read_bytes() == before
    assert not Path(f"{office.path}-wal").exists() or not Path(f"{office.path}-wal").read_bytes()
    assert key_file.read_bytes() != right  # the wrong key is not replaced behind the user's back


def test_a_missing_key_gives_one_message_and_changes_nothing(office):
    office.close()
    (keystore.data_folder(office.path) / keystore.KEY_FILE).unlink()
    before = office.path.read_bytes()
    r = ocop(office.path, "producers", "list")
    assert r.returncode == 1
    (line,) = r.stderr.strip().splitlines()
    assert "ocop key restore" in line
    assert office.path.read_bytes() == before
    assert not (keystore.data_folder(office.path) / keystore.KEY_FILE).exists()  # no new key


def sheet_words(pdf: Path) -> str:
    import re

    from pypdf import PdfReader

    tokens = PdfReader(str(pdf)).pages[0].extract_text().split()
    words = []
    for token in tokens[tokens.index("1.") :]:  # "1. vam hu … 7. zen …", then the advice
        if re.fullmatch(r"\d+\.", token):
            continue
        if not re.fullmatch(r"[a-z]+", token):
            break
        words.append(token)
    return " ".join(words)


def test_the_recovery_sheet_restores_access_on_a_new_laptop(office, producer_data, tmp_path):
    from ocop_desktop import producers

    producers.add(office, producer_data)
    pdf = recovery.write_sheet(office.path, office.node.name, tmp_path / "phieu.pdf")
    office.close()
    # The new laptop: the data folder copied from the backup stick, no credential store
    # entry and no key file (the old laptop's account is gone).
    new = tmp_path / "new-laptop" / "ocop.sqlite"
    new.parent.mkdir()
    shutil.copyfile(office.path, new)
    shutil.copytree(keystore.data_folder(office.path), keystore.data_folder(new))
    (keystore.data_folder(new) / keystore.KEY_FILE).unlink()
    with pytest.raises(UserError) as err:
        open_store(new)
    assert err.value.key == "db.key_missing"

    words = sheet_words(pdf)
    assert len(words.split()) == keystore.KEY_BYTES + recovery.CHECK_BYTES
    typo = mistyped_check(words)
    with pytest.raises(UserError) as bad:
        recovery.restore_key(new, typo)
    assert bad.value.key == "key.bad_check"
    assert not (keystore.data_folder(new) / keystore.KEY_FILE).exists()

    r = ocop(new, "key", "restore", stdin=words.upper())  # typed in capitals: still read
    assert r.returncode == 0, r.stderr
    restored = open_store(new)
    assert [p["name"] for p in producers.list_(restored)] == [producer_data["name"]]
    restored.close()


def test_words_and_qr_text_carry_the_key_and_a_check():
    raw = bytes(range(32))
    assert recovery.words_to_key(" ".join(recovery.key_to_words(raw))) == raw
    assert recovery.words_to_key(recovery.qr_text(raw)) == raw
    words = recovery.key_to_words(raw)
    with pytest.raises(UserError) as err:
        recovery.words_to_key(" ".join(words[:-3] + words[-2:]))
    assert err.value.key == "key.bad_length"
    with pytest.raises(UserError) as err:
        recovery.words_to_key(" ".join(["qa", *words[1:]]))
    assert err.value.key == "key.bad_word"


def test_another_databases_key_does_not_open_a_restored_sheet(office, province):
    other_words = " ".join(recovery.key_to_words(keystore.find_key(province.path).raw))
    office.close()
    with pytest.raises(UserError) as err:
        recovery.restore_key(office.path, other_words)
    assert err.value.key == "db.wrong_key"
    assert open_store(office.path).node.id == office.node.id  # its own key still in place


def test_the_file_key_is_said_once_to_be_weaker(tmp_path):
    db = tmp_path / "o.sqlite"
    first = ocop(db, "init", "--role", "office", "--office", "401")
    assert first.returncode == 0, first.stderr
    assert "weaker" in ocop(db, "--lang", "en", "key", "status").stdout
    second = ocop(db, "producers", "list")
    assert "thư mục" in first.stdout and "thư mục" not in second.stdout + second.stderr


# --- the credential store --------------------------------------------------


class _FolderKeyring:
    """A keyring back-end keeping passwords in a folder: a stand-in for Windows
    Credential Manager, through keyring's own plug-in interface."""

    def __init__(self, folder: Path) -> None:
        from keyring.backend import KeyringBackend

        class Backend(KeyringBackend):
            priority = 1

            def set_password(self, service, username, password):
                (folder / f"{service}-{username}").write_text(password)

            def get_password(self, service, username):
                path = folder / f"{service}-{username}"
                return path.read_text() if path.exists() else None

            def delete_password(self, service, username):
                (folder / f"{service}-{username}").unlink()

        self.backend = Backend()


@pytest.fixture
def credential_store(tmp_path, monkeypatch):
    import keyring
    from keyring.backends import fail

    folder = tmp_path / "credential-manager"
    folder.mkdir()
    keyring.set_keyring(_FolderKeyring(folder).backend)
    keystore.forget_cached()
    yield folder
    keyring.set_keyring(fail.Keyring())
    keystore.forget_cached()


def test_with_a_credential_store_no_key_is_written_beside_the_data(credential_store, tmp_path):
    store = init_node(tmp_path / "o.sqlite", role="office", office="401")
    generate(store, n_products=5)
    store.close()
    folder = keystore.data_folder(store.path)
    assert not (folder / keystore.KEY_FILE).exists()
    assert keystore.find_key(store.path).where == keystore.IN_CREDENTIAL_STORE
    key_hex = keystore.find_key(store.path).raw.hex()
    for path in folder.rglob("*"):
        if path.is_file():
            assert key_hex.encode() not in path.read_bytes()
    assert not keystore.weak_notice_due(store.path)
    keystore.forget_cached()
    assert open_store(store.path).node.role == "office"


# --- the optional passphrase ------------------------------------------------

PASS = "Đồng lúa 2026"  # typed with a Vietnamese keyboard


def invoke(db, *args, input=None, env=None):
    from click.testing import CliRunner

    from ocop_desktop.cli import cli

    return CliRunner().invoke(cli, ["--db", str(db), *args], input=input, env=env)


def test_a_passphrase_set_is_asked_before_the_database_opens(office, producer_data, monkeypatch):
    from ocop_desktop import producers

    producers.add(office, producer_data)
    office.close()
    key_file = keystore.data_folder(office.path) / keystore.KEY_FILE
    raw_hex = keystore.find_key(office.path).raw.hex()
    short = invoke(office.path, "key", "passphrase", "set", input="ngan\nngan\n")
    assert short.exit_code == 1 and keystore.MIN_PASSPHRASE == 8
    differ = invoke(office.path, "key", "passphrase", "set", input=f"{PASS}\n{PASS}x\n")
    assert differ.exit_code == 1 and key_file.read_text().strip() == raw_hex
    done = invoke(office.path, "key", "passphrase", "set", input=f"{PASS}\n{PASS}\n")
    assert done.exit_code == 0, done.output
    assert raw_hex not in key_file.read_text() and key_file.read_text().startswith("scrypt1:")

    # The laptop's account alone (the key file, the credential store) opens nothing.
    keystore.forget_cached()
    before = office.path.read_bytes()
    with pytest.raises(UserError) as err:
        open_store(office.path)
    assert err.value.key == "key.passphrase_needed"
    assert keystore.needs_passphrase(office.path) and keystore.has_passphrase(office.path)
    assert "OCOP_PASSPHRASE" in err.value.message()
    assert office.path.read_bytes() == before

    # The CLI prompts for it (NFD typing is the same passphrase) or reads OCOP_PASSPHRASE.
    import unicodedata

    typed = unicodedata.normalize("NFD", PASS)
    listed = invoke(office.path, "producers", "list", input=typed + "\n")
    assert listed.exit_code == 0 and producer_data["name"] in listed.output
    keystore.forget_cached()
    r = ocop(office.path, "producers", "list", env={**os.environ, "OCOP_PASSPHRASE": PASS})
    assert r.returncode == 0 and producer_data["name"] in r.stdout, r.stderr

    # The app's start: one call with what the dialog was given.
    monkeypatch.delenv("OCOP_PASSPHRASE", raising=False)
    assert keystore.unlock(office.path, PASS).raw.hex() == raw_hex
    store = open_store(office.path)
    assert [p["name"] for p in producers.list_(store)] == [producer_data["name"]]
    store.close()


def test_a_wrong_passphrase_gives_one_message_and_changes_nothing(office):
    keystore.set_passphrase(office.path, PASS)
    office.close()
    keystore.forget_cached()
    key_file = keystore.data_folder(office.path) / keystore.KEY_FILE
    kept, before = key_file.read_bytes(), office.path.read_bytes()
    with pytest.raises(UserError) as err:
        keystore.unlock(office.path, PASS + "!")
    assert err.value.key == "key.wrong_passphrase"
    for args in (["producers", "list"], ["key", "passphrase", "remove"]):
        r = ocop(office.path, *args, env={**os.environ, "OCOP_PASSPHRASE": "not the one"})
        assert r.returncode == 1
        assert r.stderr.strip().splitlines() == [err.value.message()]
    assert "nothing was changed" in err.value.message("en")
    wrong_prompt = invoke(office.path, "producers", "list", input="not the one\n")
    assert wrong_prompt.exit_code == 1
    assert key_file.read_bytes() == kept and office.path.read_bytes() == before
    assert not Path(f"{office.path}-wal").exists() or not Path(f"{office.path}-wal").read_bytes()


def test_removing_the_passphrase_and_the_recovery_sheet_still_open_the_database(
    office, producer_data, tmp_path
):
    from ocop_desktop import producers

    producers.add(office, producer_data)
    sheet = recovery.write_sheet(office.path, office.node.name, tmp_path / "phieu.pdf")
    keystore.set_passphrase(office.path, PASS)
    backup.backup_now(office.path, office.db.conn)
    office.close()
    keystore.forget_cached()

    # A new laptop: the data folder copied (with the wrapped key); the passphrase
    # forgotten. The sheet printed before the passphrase still opens the data.
    new = tmp_path / "new-laptop" / "ocop.sqlite"
    new.parent.mkdir()
    shutil.copyfile(office.path, new)
    shutil.copytree(keystore.data_folder(office.path), keystore.data_folder(new))
    with pytest.raises(UserError) as err:
        open_store(new)
    assert err.value.key == "key.passphrase_needed"
    recovery.restore_key(new, sheet_words(sheet))
    restored = open_store(new)
    assert [p["name"] for p in producers.list_(restored)] == [producer_data["name"]]
    restored.close()
    assert not keystore.has_passphrase(new)

    # Removing it at the old laptop: the passphrase first, then the key as before.
    env = {**os.environ, "OCOP_PASSPHRASE": PASS}
    r = ocop(office.path, "key", "passphrase", "remove", env=env)
    assert r.returncode == 0, r.stderr
    keystore.forget_cached()
    assert not keystore.has_passphrase(office.path)
    store = open_store(office.path)
    assert [p["name"] for p in producers.list_(store)] == [producer_data["name"]]
    (kept,) = backup.list_backups(office.path)  # made under the passphrase, same key
    assert connect(kept).execute("SELECT count(*) FROM producers").fetchone()[0] == 1
    with pytest.raises(UserError) as err:
        keystore.remove_passphrase(office.path)
    assert err.value.key == "key.no_passphrase"
    store.close()
    # A script sets it without a prompt.
    r = ocop(
        office.path, "key", "passphrase", "set", env={**os.environ, "OCOP_NEW_PASSPHRASE": PASS}
    )
    assert r.returncode == 0, r.stderr
    assert keystore.has_passphrase(office.path)


def test_a_passphrase_with_a_credential_store_leaves_only_the_wrapped_key_there(
    credential_store, tmp_path
):
    store = init_node(tmp_path / "o.sqlite", role="office", office="401")
    raw_hex = keystore.find_key(store.path).raw.hex()
    keystore.set_passphrase(store.path, PASS)
    store.close()
    keystore.forget_cached()
    (entry,) = credential_store.iterdir()
    assert entry.read_text().startswith("scrypt1:") and raw_hex not in entry.read_text()
    assert not (keystore.data_folder(store.path) / keystore.KEY_FILE).exists()
    with pytest.raises(UserError) as err:
        open_store(store.path)
    assert err.value.key == "key.passphrase_needed"
    assert keystore.unlock(store.path, PASS).where == keystore.IN_CREDENTIAL_STORE
    assert open_store(store.path).node.role == "office"


# --- converting a plain database --------------------------------------------


def make_plain(src: Path, dst: Path) -> None:
    """The database as an older version left it: the same content, not encrypted."""
    conn = connect(src)
    conn.execute("ATTACH DATABASE ? AS plain KEY ''", [str(dst)])
    conn.execute("SELECT sqlcipher_export('plain')")
    conn.execute("DETACH DATABASE plain")
    conn.close()


def plain_node(tmp_path: Path, n_products: int) -> tuple[Path, dict]:
    source = make_office(tmp_path, NGA_SON, name="source")
    generate(source, n_products=n_products, seed=5)
    source.close()
    plain = tmp_path / "plain.sqlite"
    make_plain(source.path, plain)
    assert dbmod.is_plain(plain)
    return plain, table_hash(source.path)


def test_a_plain_database_and_its_backups_are_encrypted_on_first_start(tmp_path):
    plain, content = plain_node(tmp_path, 40)
    old_backups = keystore.data_folder(plain) / "backups"
    old_backups.mkdir(parents=True)
    shutil.copyfile(plain, old_backups / "ocop-20260101-000000-000000-auto.sqlite")

    store = open_store(plain)
    needles = personal_data(store)
    store.close()
    assert not dbmod.is_plain(plain)
    assert table_hash(plain) == content
    (old,) = backup.list_backups(plain)
    assert leaks(old, needles) == [] and leaks(plain, needles) == []
    assert sorted(p.name for p in plain.parent.iterdir() if p.name.startswith("plain")) == [
        "plain.sqlite",
        "plain.sqlite-shm",
        "plain.sqlite-wal",
        "plain.sqlite.d",
    ]
    restored = backup.restore_from(plain, old)
    assert restored.exists() and table_hash(plain) == content


CONVERT = """
import sys, time
from ocop_desktop import db
print("ready", flush=True)
started = time.perf_counter()
db.connect(sys.argv[1]).conn.close()
print(time.perf_counter() - started, flush=True)
"""


def convert_in_subprocess(path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CONVERT, str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def whole_state(path: Path, content: dict) -> str:
    """'plain' or 'encrypted', asserting the file is whole either way."""
    if dbmod.is_plain(path):
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        kind = "plain"
    else:
        kind = "encrypted"
        conn = connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    if kind == "encrypted":
        assert table_hash(path) == content
    else:
        conn = sqlite3.connect(path)
        tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'")
        assert tables.fetchone()[0] == len(content)
        conn.close()
    return kind


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_conversion_killed_at_any_moment_leaves_a_whole_database(tmp_path):
    import random

    plain, content = plain_node(tmp_path, 600)
    pristine = tmp_path / "pristine.sqlite"
    shutil.copyfile(plain, pristine)
    work = tmp_path / "work.sqlite"

    def fresh() -> None:
        for p in tmp_path.iterdir():
            if p.name.startswith("work.sqlite"):
                shutil.rmtree(p) if p.is_dir() else p.unlink()
        shutil.copyfile(pristine, work)

    fresh()
    timing = convert_in_subprocess(work)
    assert timing.stdout.readline().strip() == "ready"
    duration = float(timing.stdout.readline())
    assert timing.wait(timeout=60) == 0
    assert whole_state(work, content) == "encrypted"

    rng = random.Random(20261202)
    outcomes = []
    for _ in range(10):
        fresh()
        proc = convert_in_subprocess(work)
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0, 1.2) * duration)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=60)
        proc.stdout.close()
        outcomes.append(whole_state(work, content))
        # The next start finishes the job, and leaves nothing behind.
        dbmod.connect(work).conn.close()
        assert whole_state(work, content) == "encrypted"
        left = [p.name for p in tmp_path.iterdir() if ".encrypting" in p.name or "plain-" in p.name]
        assert left == []
    assert "plain" in outcomes  # the kills did land during the conversion


# --- sealed bundles ---------------------------------------------------------


def test_a_sealed_bundle_opens_only_at_its_recipient(tmp_path):
    province = make_province(tmp_path)
    office = make_office(tmp_path, NGA_SON)
    other_office = make_office(tmp_path, NHU_XUAN)
    stranger = make_province(tmp_path, name="another-install")
    generate(office, n_products=10)
    first = export_bundle(office, tmp_path / "first.zip")
    assert not first.sealed  # the province's key is not known yet: signed only
    import_bundle(province, first.path, trust_new=True)
    import_bundle(
        office, export_bundle(province, tmp_path / "back.zip", to=NGA_SON).path, trust_new=True
    )
    generate(office, n_products=5, seed=9)
    sealed = export_bundle(office, tmp_path / "sealed.zip")
    assert sealed.sealed

    header, _ = seal.read_header(sealed.path)
    assert header["from"]["name"] == office.node.name
    assert header["to"]["node"] == province.node.id

    for wrong in (other_office, stranger):
        before = table_hash(wrong.path)
        with pytest.raises(UserError) as err:
            import_bundle(wrong, sealed.path, trust_new=True)
        assert err.value.key == "sync.refused.sealed_for_other"
        assert table_hash(wrong.path) == before

    data = sealed.path.read_bytes()
    prefix = len(seal.read_header(sealed.path)[1])
    for where in (prefix - 5, prefix + 10, len(data) // 2, len(data) - 3):
        bad = bytearray(data)
        bad[where] ^= 0x01
        tampered = tmp_path / f"tampered-{where}.zip"
        tampered.write_bytes(bytes(bad))
        before = table_hash(province.path)
        with pytest.raises(UserError) as err:
            import_bundle(province, tampered)
        assert err.value.key.startswith("sync.refused."), where
        assert table_hash(province.path) == before
    cut = tmp_path / "cut.zip"
    cut.write_bytes(data[:-20])
    with pytest.raises(UserError) as err:
        import_bundle(province, cut)
    assert err.value.key == "sync.refused.damaged"
    assert not list((province.data_dir / "incoming").iterdir())  # no clear copy left

    result = import_bundle(province, sealed.path)
    assert result.inserted > 0
    for s in (province, office, other_office, stranger):
        s.close()


def test_the_province_key_file_seals_an_offices_first_bundle(tmp_path):
    province = make_province(tmp_path)
    office = make_office(tmp_path, NGA_SON)
    generate(office, n_products=5)
    key_file = seal.province_key_file(province, tmp_path / "tinh-38.json")
    with pytest.raises(UserError) as err:
        seal.province_key_file(office, tmp_path / "x.json")
    assert err.value.key == "seal.province_only"
    r = ocop(office.path, "sync", "export", "--out", str(tmp_path / "plain.zip"))
    assert (
        "not encrypted"
        in ocop(
            office.path, "--lang", "en", "sync", "export", "--out", str(tmp_path / "p2.zip")
        ).stderr
    )
    assert r.returncode == 0
    assert ocop(office.path, "sync", "use-province-key", str(key_file)).returncode == 0
    office.close()
    office = open_store(office.path)
    first = export_bundle(office, tmp_path / "first.zip")
    assert first.sealed
    assert import_bundle(province, first.path, trust_new=True).inserted > 0
    office.close()
    province.close()


# --- plain working files ------------------------------------------------------

PLAIN_ZIP = b"PK\x03\x04"


def readable_zips(folder: Path) -> list[str]:
    """The files under ``folder`` anyone could open as a zip: a bundle in clear."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as fh:
                if fh.read(len(PLAIN_ZIP)) == PLAIN_ZIP:
                    found.append(path.name)
    return found


def owner_only(path: Path) -> bool:
    return path.stat().st_mode & 0o077 == 0


def test_a_bundle_lies_in_clear_only_in_the_nodes_own_folder_while_made_and_opened(
    tmp_path, monkeypatch
):
    import tempfile

    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    province = make_province(tmp_path)
    office = make_office(tmp_path, NGA_SON)
    seal.use_province_key(office, seal.province_key_file(province, tmp_path / "tinh.key"))
    generate(office, n_products=20)
    stick = tmp_path / "usb-stick"
    stick.mkdir()
    looks: list[Path] = []

    def look(store, plain: Path, folder: str) -> None:
        assert readable_zips(stick) == [] and readable_zips(system_temp) == []
        assert plain.parent == store.data_dir / folder and plain.name.startswith(".plain-")
        assert owner_only(plain) and readable_zips(plain.parent) == [plain.name]
        looks.append(plain)

    real_seal_to, real_decrypt = seal.seal_to, seal._decrypt

    def sealing(store, plain, out, *rest):
        look(store, plain, "outgoing")  # the zip finished, about to be sealed
        real_seal_to(store, plain, out, *rest)
        look(store, plain, "outgoing")  # sealed beside the output, not yet published

    def opening(path, start, prefix, cipher, out):
        real_decrypt(path, start, prefix, cipher, out)
        look(province, out, "incoming")  # decrypted, about to be read

    monkeypatch.setattr(seal, "seal_to", sealing)
    monkeypatch.setattr(seal, "_decrypt", opening)
    progress_seen = []
    sealed = export_bundle(
        office,
        stick,
        progress=lambda *_: progress_seen.append(readable_zips(stick) + readable_zips(system_temp)),
    )
    assert sealed.sealed and len(progress_seen) > 3 and not any(progress_seen)
    assert [p.name for p in stick.iterdir()] == [sealed.path.name]  # no part file left
    assert sealed.path.read_bytes().startswith(seal.MAGIC)
    assert import_bundle(province, sealed.path, trust_new=True).inserted > 0
    assert len(looks) >= 4  # sealed once; opened to check (twice when trusted), to apply
    assert not any(p.exists() for p in looks)
    for folder in ("outgoing", "incoming"):
        assert not list((office.data_dir / folder).glob(".plain-*"))
        assert not list((province.data_dir / folder).glob(".plain-*"))
    office.close()
    province.close()


KILLED_EXPORT = """
import os, signal, sys
from ocop_desktop.store import open_store
from ocop_desktop.sync import export_bundle
export_bundle(open_store(sys.argv[1]), sys.argv[2],
              progress=lambda *_: os.kill(os.getpid(), signal.SIGKILL))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
def test_a_plain_copy_left_by_a_killed_process_goes_at_the_next_exchange(tmp_path):
    from ocop_desktop.sync import workspace

    office = make_office(tmp_path, NGA_SON)
    province = make_province(tmp_path)
    generate(office, n_products=10)
    office.close()
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_EXPORT, str(office.path), str(tmp_path / "b.zip")],
        capture_output=True,
        timeout=120,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    (left,) = (office.data_dir / "outgoing").glob(".plain-*.zip")
    assert owner_only(left) and left.read_bytes().startswith(PLAIN_ZIP)
    assert [p.name for p in tmp_path.glob("*b.zip*")] == []

    office = open_store(office.path)
    first = export_bundle(office, tmp_path / "first.zip")
    assert left.exists()  # under an hour old: it may be another export at work
    hour_ago = time.time() - workspace.STALE_S - 60
    os.utime(left, (hour_ago, hour_ago))
    export_bundle(office, tmp_path / "second.zip")
    assert not left.exists()

    stale = province.data_dir / "incoming" / ".plain-0123456789abcdef.zip"
    stale.parent.mkdir(exist_ok=True)
    stale.write_bytes(PLAIN_ZIP + b"left by an import that was killed")
    os.utime(stale, (hour_ago, hour_ago))
    import_bundle(province, first.path, trust_new=True)
    assert not stale.exists()
    office.close()
    province.close()


# --- Windows rules ------------------------------------------------------------


def test_keys_are_made_without_hard_links_or_chmod(tmp_path, monkeypatch):
    """FAT32 and exFAT sticks (a portable install) have no hard links, and Linux
    refuses chmod on them."""
    from ocop_desktop.sync import keys

    def no_chmod(*_a, **_k):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.delattr(os, "link")
    monkeypatch.setattr(os, "chmod", no_chmod)
    store = init_node(tmp_path / "stick" / "ocop.sqlite", role="office", office="401")
    assert keys.public_key_b64(store) and seal.public_key_b64(store)
    assert keys.public_key_b64(store) == keys.public_key_b64(store)  # made once, then kept
    assert not [p for p in store.data_dir.iterdir() if p.name.startswith(".")]
    store.close()


def test_write_once_keeps_the_first_file_and_clears_a_dead_process_lock(tmp_path):
    target = tmp_path / "key.pem"
    lock = tmp_path / ".key.pem.lock"
    lock.mkdir()
    old = time.time() - 2 * keystore.LOCK_STALE_S
    os.utime(lock, (old, old))
    assert keystore.write_once(target, b"first")
    assert not keystore.write_once(target, b"second")
    assert target.read_bytes() == b"first" and not lock.exists()


def test_on_windows_the_key_file_gets_an_owner_only_acl():
    argv = keystore.owner_only_command(Path(r"C:\OCOP\ocop.sqlite.d\database.key"), "hoa")
    assert argv[0] == "icacls" and "/inheritance:r" in argv
    assert argv[-2:] == ["/grant:r", "hoa:(F)"]
    assert keystore.windows_account({"USERNAME": "hoa", "USERDOMAIN": "NGA-SON-PC"}) == (
        "NGA-SON-PC\\hoa"
    )
    assert keystore.windows_account({"USERNAME": "hoa"}) == "hoa"
    assert keystore.windows_account({}) is None


@pytest.fixture
def windows(monkeypatch):
    """Windows rules on this machine: no chmod that means anything, no hard links,
    and ``icacls`` recorded instead of run (it does not exist here)."""
    calls: list[list[str]] = []

    def icacls(argv, **kwargs):
        calls.append(list(argv))
        return subprocess.CompletedProcess(argv, 0, b"", b"")

    def no_chmod(*_a, **_k):
        raise PermissionError(1, "Operation not permitted")  # as on a FAT32 stick

    monkeypatch.setattr(keystore, "PLATFORM", "win32")
    monkeypatch.setenv("USERNAME", "hoa")
    monkeypatch.setenv("USERDOMAIN", "NGA-SON-PC")
    monkeypatch.setattr(subprocess, "run", icacls)
    monkeypatch.setattr(os, "chmod", no_chmod)
    monkeypatch.delattr(os, "link")
    return calls


def test_on_windows_every_secret_file_is_made_owner_only_before_it_is_written(tmp_path, windows):
    from ocop_desktop.sync import keys

    store = init_node(tmp_path / "stick" / "ocop.sqlite", role="office", office="401")
    assert keys.public_key_b64(store) and seal.public_key_b64(store)
    export_bundle(store, tmp_path)  # its plain working file too
    named = {Path(argv[1]).name: argv for argv in windows}
    folder = store.data_dir
    for final in ("database.key", "database.key-id", "sync_key.pem", "seal_key.pem"):
        (made,) = [n for n in named if n.startswith(f".{final}.") and n.endswith(".tmp")]
        assert named[made] == [
            "icacls",
            str(folder / made),
            "/inheritance:r",
            "/grant:r",
            "NGA-SON-PC\\hoa:(F)",
        ]
        assert (folder / final).exists() and not (folder / made).exists()
    (plain,) = [n for n in named if n.startswith(".plain-")]
    assert Path(named[plain][1]).parent == folder / "outgoing"
    store.close()


def test_private_keys_on_disk_are_locked_by_the_database_key(tmp_path):
    from cryptography.hazmat.primitives import serialization

    from ocop_desktop.sync import keys, private_keys

    office = make_office(tmp_path, NGA_SON)
    fingerprint = keys.fingerprint(keys.public_key_b64(office))
    seal_key = seal.public_key_b64(office)
    for name in (keys.KEY_FILE, seal.KEY_FILE):
        data = (office.data_dir / name).read_bytes()
        assert data.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
        with pytest.raises(TypeError):
            serialization.load_pem_private_key(data, password=None)
    words = " ".join(recovery.key_to_words(keystore.find_key(office.path).raw))
    office.close()

    # The data folder copied beside another database (another key): the keys are useless.
    other = make_office(tmp_path, NHU_XUAN)
    other.close()
    for name in (keys.KEY_FILE, seal.KEY_FILE):
        shutil.copyfile(office.data_dir / name, other.data_dir / name)
    other = open_store(other.path)
    with pytest.raises(UserError) as err:
        keys.public_key_b64(other)
    assert err.value.key == "sync.key_unreadable"
    other.close()

    # A new laptop restored from the recovery sheet keeps the office's identity.
    new = tmp_path / "new-laptop" / "ocop.sqlite"
    new.parent.mkdir()
    shutil.copyfile(office.path, new)
    shutil.copytree(office.data_dir, keystore.data_folder(new))
    (keystore.data_folder(new) / keystore.KEY_FILE).unlink()
    recovery.restore_key(new, words)
    moved = open_store(new)
    assert keys.fingerprint(keys.public_key_b64(moved)) == fingerprint
    assert seal.public_key_b64(moved) == seal_key

    # A plain key file from an older version is read, then rewritten locked.
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    legacy = Ed25519PrivateKey.generate()
    path = moved.data_dir / keys.KEY_FILE
    path.write_bytes(private_keys._pem(legacy, None))
    assert keys.private_key(moved).public_key() == legacy.public_key()
    assert path.read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert keys.private_key(moved).public_key() == legacy.public_key()
    moved.close()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("HTX Đông Tiến: chè/trà?", "HTX Đông Tiến- chè-trà.pdf"),
        ("CON", "_CON.pdf"),
        ("nul.txt", "_nul.txt.pdf"),
        ("Com1", "_Com1.pdf"),
        ("Hộ kinh doanh Lê Văn A. ", "Hộ kinh doanh Lê Văn A.pdf"),
        ('a<b>c"d|e*f', "a-b-c-d-e-f.pdf"),
        ("", "ocop.pdf"),
    ],
)
def test_file_names_from_vietnamese_names_are_safe_on_windows(name, expected):
    from ocop_desktop.safe_names import safe_file_name

    assert safe_file_name(name, ".pdf") == expected


def test_a_long_name_is_cut_within_windows_limits():
    import unicodedata

    from ocop_desktop.safe_names import MAX_NAME_UNITS, safe_file_name

    name = safe_file_name("Hợp tác xã Nông nghiệp Dịch vụ Tổng hợp Nga Sơn " * 10, ".pdf")
    assert name.endswith(".pdf") and len(name.encode("utf-16-le")) // 2 <= MAX_NAME_UNITS
    assert unicodedata.is_normalized("NFC", name) and not name[:-4].endswith((" ", "."))
    decomposed = unicodedata.normalize("NFD", "Phiếu khôi phục")
    assert safe_file_name(decomposed) == "Phiếu khôi phục"
