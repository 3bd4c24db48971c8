"""The app asks for the recovery sheet's words when this computer lacks the key,
and says once that a key file is weaker than the credential store."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog

from ocop_desktop import keystore, recovery
from ocop_desktop.gui.key_dialogs import ask_for_recovery_words, show_weak_key_notice
from ocop_desktop.store import open_store
from tests.gui.forms_helpers import answer_next_dialog
from tests.key_helpers import mistyped_check


def _type_and_accept(text: str, shots: list, path=None):
    def act(dialog: QInputDialog) -> None:
        dialog.setTextValue(text)
        if path is not None:
            dialog.grab().save(str(path))
        shots.append(dialog.labelText())
        dialog.accept()

    return act


def test_the_words_of_the_sheet_open_the_database_here(qtbot, office, tmp_path):
    words = " ".join(recovery.key_to_words(keystore.find_key(office.path).raw))
    office.close()
    (keystore.data_folder(office.path) / keystore.KEY_FILE).unlink()
    asked: list[str] = []
    wrong = mistyped_check(words)
    answer_next_dialog(_type_and_accept(wrong, asked))

    def then_right() -> None:
        answer_next_dialog(_type_and_accept(words, asked, tmp_path / "words.png"))

    from PySide6.QtCore import QTimer

    QTimer.singleShot(300, then_right)
    assert ask_for_recovery_words(office.path)
    assert "khớp" in asked[1]  # the wrong word was said, then asked again
    assert open_store(office.path).node.id == office.node.id


def test_giving_up_keeps_nothing(qtbot, office):
    office.close()
    (keystore.data_folder(office.path) / keystore.KEY_FILE).unlink()
    answer_next_dialog(lambda dialog: dialog.reject())
    assert not ask_for_recovery_words(office.path)
    assert not (keystore.data_folder(office.path) / keystore.KEY_FILE).exists()


def test_the_key_file_notice_is_shown_once(qtbot, office, tmp_path):
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    box = show_weak_key_notice(office.path, parent)
    assert box is not None and "sao chép" in box.text()
    box.grab().save(str(tmp_path / "notice.png"))
    box.close()
    assert show_weak_key_notice(office.path, parent) is None


PASS = "Đồng lúa 2026"


def test_the_app_asks_for_the_passphrase_until_it_is_right(qtbot, office, tmp_path):
    from PySide6.QtCore import QTimer

    from ocop_desktop.gui.key_dialogs import ask_for_passphrase

    keystore.set_passphrase(office.path, PASS)
    office.close()
    keystore.forget_cached()
    assert keystore.needs_passphrase(office.path)
    asked: list[str] = []
    answer_next_dialog(_type_and_accept("không phải mật khẩu", asked))
    QTimer.singleShot(
        300,
        lambda: answer_next_dialog(_type_and_accept(PASS, asked, tmp_path / "passphrase.png")),
    )
    assert ask_for_passphrase(office.path)
    assert "không đúng" in asked[1]  # the wrong one was said, then asked again
    assert open_store(office.path).node.id == office.node.id


def test_giving_up_the_passphrase_opens_nothing(qtbot, office):
    from ocop_desktop.gui.key_dialogs import ask_for_passphrase

    keystore.set_passphrase(office.path, PASS)
    office.close()
    keystore.forget_cached()
    answer_next_dialog(lambda dialog: dialog.reject())
    assert not ask_for_passphrase(office.path)
    assert keystore.needs_passphrase(office.path)


def test_settings_set_and_remove_the_passphrase(window, sample, answers, tmp_path):
    from ocop_desktop.i18n import tr

    page = window.show_page("settings")
    assert page.passphrase_remove.isHidden()
    assert page.passphrase_button.text() == tr("settings.passphrase_set")
    errors: list[str] = []

    def fill(dialog) -> None:
        dialog.new_edit.setText(PASS)
        dialog.again_edit.setText(PASS + "!")
        dialog.accept()  # refused: the two differ; the dialog stays open
        errors.append(dialog.error.text())
        dialog.again_edit.setText(PASS)
        dialog.grab().save(str(tmp_path / "set-passphrase.png"))
        dialog.accept()

    answer_next_dialog(fill)
    page.passphrase_button.click()
    assert errors == [tr("key.passphrase_mismatch")]
    assert keystore.has_passphrase(sample.path)
    assert not page.passphrase_remove.isHidden()
    assert page.passphrase_button.text() == tr("settings.passphrase_change")
    assert any(kind == "information" and "mật khẩu" in text for kind, text in answers)

    page.passphrase_remove.click()  # asks (answered yes)
    assert not keystore.has_passphrase(sample.path)
    assert page.passphrase_remove.isHidden()
