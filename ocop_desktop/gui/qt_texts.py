"""Qt's own words in Vietnamese: the standard buttons of message boxes and dialogs
(Yes, No, Cancel …) and the edit menu of text fields (Undo, Copy, Paste …).

Qt ships no Vietnamese translation of them, so a Vietnamese question came with
"Yes" and "No" buttons. The few words this app shows are kept here and given to
Qt as a translator; any other text Qt asks for stays as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from ocop_desktop import i18n

VI = {
    "OK": "Đồng ý",
    "&OK": "&Đồng ý",
    "&Yes": "&Có",
    "&No": "&Không",
    "Yes to &All": "Có với tất &cả",
    "N&o to All": "K&hông với tất cả",
    "Cancel": "Hủy",
    "&Cancel": "&Hủy",
    "Close": "Đóng",
    "Save": "Lưu",
    "Save All": "Lưu tất cả",
    "Discard": "Bỏ qua thay đổi",
    "Apply": "Áp dụng",
    "Open": "Mở",
    "Help": "Trợ giúp",
    "Reset": "Đặt lại",
    "Restore Defaults": "Khôi phục mặc định",
    "Abort": "Dừng",
    "Retry": "Thử lại",
    "Ignore": "Bỏ qua",
    "Show Details...": "Xem chi tiết…",
    "Hide Details...": "Ẩn chi tiết…",
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "Cắ&t",
    "&Copy": "&Sao chép",
    "Copy &Link Location": "Sao chép địa chỉ &liên kết",
    "&Paste": "&Dán",
    "Delete": "Xóa",
    "Select All": "Chọn tất cả",
}


class QtTexts(QTranslator):
    """Answers in the app's current language, so a switch needs no reinstall."""

    def translate(  # noqa: D102 (Qt override)
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None, not "": an empty text would be taken as the translation.
        return VI.get(source) if i18n.language() == "vi" else None
