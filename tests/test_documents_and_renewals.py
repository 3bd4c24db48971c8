"""Document settings (defaults from the node's role, checked input), narrative
sections kept per report number, and the renewal pipeline: notices, their log,
re-evaluation requests and the list to revoke."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from report_data import populate

from ocop_desktop import cert_status, clock, documents, narratives, renewals
from ocop_desktop.cli import cli
from ocop_desktop.errors import UserError
from ocop_desktop.store import init_node


def test_defaults_follow_the_role_and_never_make_an_area_a_body(office, province, tmp_path):
    p = documents.load(province)
    assert p.header_lines == [
        ("UBND TỈNH THANH HÓA", False),
        ("VĂN PHÒNG ĐIỀU PHỐI", True),
        ("NÔNG THÔN MỚI", True),
    ]
    assert p.symbol("BC") == "BC-VPĐP" and p.place == "Thanh Hóa"
    assert p.to and p.recipients[0] == "Như trên;"
    o = documents.load(office)  # "Huyện Nga Sơn": an area
    assert o.issuing_body == "" and o.abbreviation == ""
    assert o.symbol("BC") == "BC"
    assert set(documents.missing(o)) >= {"issuing_body", "abbreviation"}
    named = init_node(
        tmp_path / "x.sqlite", role="office", office="401", name="UBND xã Nga Sơn", officer="A"
    )
    n = documents.load(named)
    assert n.header_lines == [("ỦY BAN NHÂN DÂN", True), ("XÃ NGA SƠN", True)]
    assert n.symbol("BC") == "BC-UBND"
    assert n.signature_lines() == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert n.body_name == "Ủy ban nhân dân xã Nga Sơn"


@pytest.mark.parametrize(
    ("authority", "on_behalf", "title", "lines"),
    [
        ("", "", "Chánh Văn phòng", ["CHÁNH VĂN PHÒNG"]),
        (
            "KT.",
            "CHÁNH VĂN PHÒNG",
            "Phó Chánh Văn phòng",
            ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"],
        ),
        ("Q.", "", "Chánh Văn phòng", ["Q. CHÁNH VĂN PHÒNG"]),
        ("TL.", "CHỦ TỊCH", "Chánh Văn phòng", ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]),
    ],
)
def test_signature_authority(province, authority, on_behalf, title, lines):
    s = documents.save(
        province, {"authority": authority, "on_behalf_of": on_behalf, "signer_title": title}
    )
    assert s.signature_lines() == lines
    assert documents.load(province).signature_lines() == lines


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"authority": "TUQ"}, "documents.bad_authority"),
        ({"authority": "KT.", "on_behalf_of": ""}, "documents.on_behalf_needed"),
        ({"abbreviation": "VP ĐP"}, "documents.bad_abbreviation"),
        ({"to": [], "recipients": ["Như trên;", "Lưu: VT."]}, "documents.same_as_above_needs_to"),
        ({"issuing_body": "A\nB\nC\nD"}, "documents.too_many_lines"),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(province, changes, key):
    before = documents.load(province)
    with pytest.raises(UserError) as err:
        documents.save(province, changes)
    assert err.value.key == key
    assert documents.load(province) == before


def test_same_as_above_is_dropped_without_an_addressee():
    s = documents.DocumentSettings(recipients=["Như trên;", "Lưu: VT."])
    assert s.recipients_for([]) == ["Lưu: VT."]
    assert s.recipients_for(["Công ty A"]) == ["Như trên;", "Lưu: VT."]


def test_narrative_saved_per_number_and_reused_as_a_starting_point(office):
    assert narratives.starting_point(office, 2026, "125") == narratives.empty()
    narratives.save(office, 2026, "125/BC-UBND", {"tasks": "Rà soát  \r\nhồ sơ", "proposals": ""})
    assert narratives.get(office, 2026, "125")["tasks"] == "Rà soát\nhồ sơ"
    # the next report starts from it; its own save does not touch report 125
    start = narratives.starting_point(office, 2027, "12")
    assert start["tasks"] == "Rà soát\nhồ sơ"
    narratives.save(office, 2027, "12", start | {"tasks": "Mới"})
    assert narratives.get(office, 2026, "125")["tasks"] == "Rà soát\nhồ sơ"
    assert narratives.starting_point(office, 2027, "12")["tasks"] == "Mới"
    with pytest.raises(UserError):
        narratives.save(office, 2026, "125", {"opinion": "x"})


def test_postal_address_names_each_part_once():
    assert (
        renewals.postal_address("Xóm 6", "Xóm 6, Xã Tân Tiến", "Xã Tân Tiến")
        == "Xóm 6, Xã Tân Tiến"
    )
    assert renewals.postal_address("Thôn 2", "Số 5 đường Lê Lợi", "Xã A") == (
        "Thôn 2, Số 5 đường Lê Lợi, Xã A"
    )
    assert renewals.postal_address(None, None, "") == ""


def test_renewal_pipeline_end_to_end(office, tmp_path):
    populate(office, n_products=70, seed=11)
    soon = (clock.today() + timedelta(days=cert_status.DEFAULT_WARNING_DAYS)).isoformat()
    due = renewals.due(office)
    assert due and all(clock.today().isoformat() <= c.expiry_date <= soon for c in due)
    letters = renewals.letters(due)
    assert sum(len(x.certificates) for x in letters) == len(due)

    from ocop_desktop.reports.notices import NoticeOptions, build

    settings = documents.save(
        office,
        {"issuing_body": "UBND XÃ NGA SƠN", "abbreviation": "UBND", "signer_title": "Chủ tịch"},
    )
    path, numbers = build(letters, settings, tmp_path / "tb.pdf", NoticeOptions(first_number=7))
    assert numbers[0] == "7/TB-UBND"
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(str(path)).pages]
    assert sum("THÔNG BÁO" in p for p in pages) == len(letters)
    assert all(
        f"trong {cert_status.DEFAULT_WARNING_DAYS} ngày tới" in p for p in pages if "THÔNG BÁO" in p
    )
    # each letter is a document of its own: no page number on its first page
    for page, text in zip(PdfReader(str(path)).pages, pages, strict=True):
        assert ("THÔNG BÁO" in text) == (not top_numbers(page)), text[:60]
    assert renewals.record_notices(office, letters, numbers) == len(due)
    assert not renewals.unnotified(renewals.due(office))
    assert len(renewals.notice_log(office)) == len(due)

    expired = renewals.to_revoke(office)
    assert expired and all(c.expiry_date < clock.today().isoformat() for c in expired)
    renewals.record_request(office, expired[0].recognition_id, note="Hồ sơ số 3")
    after = renewals.to_revoke(office)
    assert len(after) == len(expired) - 1
    waiting = renewals.awaiting_reevaluation(office)
    assert [c.recognition_id for c in waiting] == [expired[0].recognition_id]
    with pytest.raises(UserError):
        renewals.record_request(office, "no-such-certificate")
    future = (clock.today() + timedelta(days=5)).isoformat()
    with pytest.raises(UserError):
        renewals.record_request(office, after[0].recognition_id, future)


def test_renewal_cli(tmp_path):
    db = tmp_path / "o.sqlite"
    store = init_node(db, role="office", office="401", name="UBND xã Nga Sơn", officer="A")
    populate(store, n_products=40, seed=3)
    store.close()
    run = CliRunner()

    def ok(*args: str) -> dict:
        result = run.invoke(cli, ["--db", str(db), *args])
        assert result.exit_code == 0, result.output
        return json.loads(result.output)

    due = ok("renewal", "due")
    assert due["window_days"] == cert_status.DEFAULT_WARNING_DAYS
    sent = ok("renewal", "notices", "--out", str(tmp_path / "tb.pdf"), "--first-number", "3")
    assert sent["logged"] == len(due["certificates"]) and (tmp_path / "tb.pdf").exists()
    assert ok("renewal", "due", "--unnotified")["certificates"] == []
    assert len(ok("renewal", "log")) == len(due["certificates"])
    lists = ok("renewal", "to-revoke")
    first = lists["to_revoke"][0]["recognition_id"]
    ok("renewal", "request", first, "--note", "đã nhận")
    assert first not in {c["recognition_id"] for c in ok("renewal", "to-revoke")["to_revoke"]}
    bad = run.invoke(cli, ["--db", str(db), "renewal", "request", "nothing"])
    # `ocop` prints the UserError's one line (cli.main); the runner hands it back
    assert bad.exit_code != 0 and "không tìm thấy" in bad.exception.message("vi")
    before = ok("documents")
    bad = run.invoke(
        cli, ["--db", str(db), "documents", "--authority", "KT.", "--on-behalf-of", ""]
    )
    assert bad.exit_code != 0 and "KT." in bad.exception.message("vi")
    assert ok("documents") == before


def top_numbers(page) -> list[str]:
    """Digits drawn in the top margin (the page number)."""
    height = float(page.mediabox.height)
    found: list[str] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip().isdigit() and cm[5] + tm[5] > height - 56:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return found
