"""Qt's own words in Vietnamese: the standard buttons of message boxes and dialogs
(Yes, No, Cancel …), the edit menu of text fields (Undo, Copy, Paste …) and Qt's
file dialog (Look in, File name, Date Modified …).

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
    # Qt's own file dialog (used on Linux: see gui/file_dialogs.py)
    "Look in:": "Tìm trong:",
    "&Look in:": "Tìm tr&ong:",
    "Files of &type:": "&Loại tệp:",
    "File &name:": "&Tên tệp:",
    "File name": "Tên tệp",
    "Files of type:": "Loại tệp:",
    "&Open": "&Mở",
    "&Save": "&Lưu",
    "&Choose": "&Chọn",
    "Save As": "Lưu thành",
    "Back": "Quay lại",
    "Forward": "Tiếp",
    "Parent Directory": "Thư mục cha",
    "Create New Folder": "Tạo thư mục mới",
    "List View": "Dạng danh sách",
    "Detail View": "Dạng chi tiết",
    "Name": "Tên",
    "Size": "Kích thước",
    "Type": "Loại",
    "Kind": "Loại",
    "Date Modified": "Ngày sửa",
    "Folder": "Thư mục",
    "File": "Tệp",
    "%1 File": "Tệp %1",
    "Drive": "Ổ đĩa",
    "Computer": "Máy tính",
    "My Computer": "Máy tính",
    "Recent Places": "Nơi gần đây",
    "New Folder": "Thư mục mới",
    "&New Folder": "Thư mục &mới",
    "&Rename": "Đổi &tên",
    "&Delete": "&Xóa",
    "Show &hidden files": "Hiện tệp ẩ&n",
    "%1 already exists.\nDo you want to replace it?": "%1 đã có.\nBạn có muốn thay thế không?",
    "Are you sure you want to delete '%1'?": "Bạn có chắc muốn xóa «%1»?",
    "%1\nFile not found.\nPlease verify the correct file name was given.": (
        "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp."
    ),
}


class QtTexts(QTranslator):
    """Answers in the app's current language, so a switch needs no reinstall."""

    def translate(  # noqa: D102 (Qt override)
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None, not "": an empty text would be taken as the translation.
        return VI.get(source) if i18n.language() == "vi" else None
