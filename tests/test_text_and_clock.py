import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from ocop_desktop.hlc import Clock, Stamp
from ocop_desktop.text import nfc, search_key


def test_search_key_ignores_marks_case_and_d_stroke():
    assert search_key("Hợp tác xã Đông Tiến") == "hop tac xa dong tien"
    assert search_key("MẮM TÔM  Ba Làng") == "mam tom ba lang"
    assert search_key("Đặc sản ắ ằ ẳ ẵ ặ ơ ư đ") == "dac san a a a a a o u d"


def test_search_key_is_the_same_for_nfc_and_nfd():
    text = "Nước mắm Ngư Thủy"
    assert search_key(unicodedata.normalize("NFD", text)) == search_key(text)


@given(st.text())
def test_nfc_output_is_nfc_and_idempotent(value):
    out = nfc(value)
    assert unicodedata.is_normalized("NFC", out)
    assert nfc(out) == out


# Versions hold 13 digits of milliseconds (until the year 2286).
@given(st.lists(st.integers(min_value=0, max_value=10**13 - 1), min_size=1, max_size=60))
def test_clock_is_monotonic_when_the_wall_clock_jumps_backwards(walls):
    ticks = iter(walls)
    clock = Clock("node-a", wall=lambda: next(ticks))
    versions = [clock.now() for _ in walls]
    assert versions == sorted(versions)
    assert len(set(versions)) == len(versions)


def test_clock_resumes_after_the_last_persisted_version_and_observes_peers():
    first = Clock("a", wall=lambda: 1000)
    v1 = first.now()
    again = Clock("a", last=first.last, wall=lambda: 500)  # wall clock went back
    assert again.now() > v1
    again.observe(str(Stamp(9_000, 3, "b")))
    assert again.now() > str(Stamp(9_000, 3, "b"))
