"""First run: the former-district choice is an ordinary one-line drop-down."""

from __future__ import annotations


def test_district_combo_keeps_its_normal_height(qtbot, tmp_path):
    from ocop_desktop.gui.setup_dialog import SetupDialog

    dialog = SetupDialog(tmp_path / "ocop.sqlite")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    combo = dialog.district_combo
    assert combo.isVisible() and combo.count() > 10
    assert combo.height() <= combo.sizeHint().height() + 4  # it was as tall as the list
