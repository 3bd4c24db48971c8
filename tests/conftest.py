"""Shared fixtures: a fresh database per test, real SQLite files on disk."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from ocop_desktop import clock, i18n  # noqa: E402
from ocop_desktop.store import Store, init_node  # noqa: E402

NGA_SON = 401
NGA_SON_COMMUNES = (16093, 16108, 16114, 16138, 16144, 16171)


def pytest_collection_modifyitems(config, items):
    """The slow tests first: with the suite spread over workers (pytest-xdist), a
    half-minute test that starts last keeps one worker busy while the others idle."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


@pytest.fixture(autouse=True)
def _no_unanswered_message_box(monkeypatch):
    """A message box that no test answers would wait for a click for ever, and the
    run would hang: it fails the test instead. Tests that expect one answer it
    (``answers`` in tests/gui/conftest.py), which replaces this."""

    def unexpected(kind):
        def box(_parent, title, text, *args, **kwargs):
            raise AssertionError(f"unexpected message box ({kind}): {title}: {text}")

        return box

    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(f"PySide6.QtWidgets.QMessageBox.{kind}", unexpected(kind))


@pytest.fixture(autouse=True)
def _vietnamese_and_isolated_data(tmp_path, monkeypatch):
    """Every test starts in Vietnamese with its own data folder."""
    monkeypatch.setenv("OCOP_DATA_DIR", str(tmp_path / "data"))
    # No credential store, as on CI: keys are files in each database's data folder
    # (tests of the credential store install their own back-end).
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("OCOP_DB", raising=False)
    i18n.set_language("vi")
    yield
    i18n.set_language("vi")


@pytest.fixture(autouse=True)
def _today(request, monkeypatch):
    """A test that means a date says so with ``@pytest.mark.today("YYYY-MM-DD")``.

    Every other test runs on the clock's today, which CI moves with ``OCOP_TODAY``
    (see tools/test_dates.sh) so that a test assuming a date fails before the date
    comes round rather than after.
    """
    marker = request.node.get_closest_marker("today")
    clock.pin(marker.args[0] if marker else None)
    if marker:  # and for the CLI run as a subprocess
        monkeypatch.setenv(clock.ENV, marker.args[0])
    yield
    clock.pin(None)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "ocop.sqlite"


@pytest.fixture
def office(db_path) -> Store:
    """A fresh office node for former district 401 (Nga Sơn), Thanh Hóa."""
    store = init_node(db_path, role="office", office=str(NGA_SON), officer="Lê Thị Hoa")
    yield store
    store.close()


@pytest.fixture
def province(tmp_path) -> Store:
    store = init_node(
        tmp_path / "province.sqlite", role="province", province=38, officer="Nguyễn Văn An"
    )
    yield store
    store.close()


@pytest.fixture
def producer_data() -> dict:
    return {
        "name": "Hợp tác xã Đông Tiến",
        "kind": "hop_tac_xa",
        "commune_code": 16171,
        "address": "Thôn 3, xã Ba Đình",
        "representative": "Mai Văn Tiến",
        "phone": "0912345678",
        "tax_code": "2801234567",
    }
