"""Screenshots of the producer and product forms filled with Vietnamese data.

Run under a real X server so fonts are rendered as people see them:
    xvfb-run -a -s "-screen 0 1366x768x24" python tools/screenshot_forms.py docs/screenshots
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path


def _picture(path: Path, title: str, top: str, bottom: str) -> Path:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QLinearGradient, QPainter

    image = QImage(480, 360, QImage.Format.Format_RGB32)
    painter = QPainter(image)
    gradient = QLinearGradient(0, 0, 0, 360)
    gradient.setColorAt(0, QColor(top))
    gradient.setColorAt(1, QColor(bottom))
    painter.fillRect(image.rect(), gradient)
    painter.setBrush(QColor("#f6e7c1"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawRoundedRect(QRectF(180, 70, 120, 230), 30, 30)
    painter.setPen(QColor("#3b2a1a"))
    font = QFont("Noto Sans", 22, QFont.Weight.Bold)
    painter.setFont(font)
    painter.drawText(QRectF(0, 300, 480, 50), Qt.AlignmentFlag.AlignCenter, title)
    painter.end()
    image.save(str(path))
    return path


def main(out_dir: str) -> int:
    from PySide6.QtWidgets import QApplication

    from ocop_desktop import attachments, evaluations, producers, products, recognitions
    from ocop_desktop.gui.forms.producer import ProducerForm
    from ocop_desktop.gui.forms.product import ProductForm
    from ocop_desktop.store import init_node

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="ocop-shots-"))
    store = init_node(tmp / "nga-son.sqlite", role="office", office="401", officer="Lê Thị Hoa")
    producer = producers.add(
        store,
        {
            "name": "Hợp tác xã Chế biến Hải sản Đông Tiến",
            "kind": "hop_tac_xa",
            "commune_code": 16171,
            "legacy_commune_code": 16099,
            "village": "Xóm Bắc Sơn",
            "address": "Số 12, đường Ba Làng",
            "representative": "Mai Thị Hằng",
            "representative_female": 1,
            "phone": "0912345678",
            "tax_code": "2801234567",
            "founded_year": 2015,
            "workers_total": 32,
            "workers_women": 21,
            "notes": "Đã tham gia hội chợ OCOP Thanh Hóa năm 2024; đang nâng hạng 4 sao.",
        },
    )
    product = products.add(
        store,
        {
            "name": "Nước mắm cốt Ba Làng – đặc sản Nga Sơn",
            "producer_id": producer,
            "product_set": 7,
            "stage": 6,
            "description": "Nước mắm ủ chượp truyền thống từ cá cơm, muối biển Hậu Lộc; "
            "độ đạm 40°N, không chất bảo quản.",
            "raw_material": "Cá cơm đánh bắt ven biển Nga Sơn, Hậu Lộc",
            "packaging": "Chai thủy tinh 500 ml, hộp quà 2 chai",
            "standards": "HACCP; ISO 22000:2018",
            "traceability": "Tem QR truy xuất nguồn gốc (Check Vàng)",
            "trademark": "Ba Làng Đông Tiến",
            "price": 185000,
            "unit": "chai 500 ml",
            "sales_channels": ["Cửa hàng OCOP Thanh Hóa", "Siêu thị Co.opmart", "Đại lý"],
            "ecommerce": ["Postmart", "Voso", "Shopee"],
            "export_markets": ["Hàn Quốc", "Đài Loan"],
        },
    )
    for name, top, bottom in (
        ("Nước mắm Ba Làng", "#8fb9d9", "#1d4e6f"),
        ("Hộp quà 2 chai", "#f3c27a", "#b5542c"),
        ("Xưởng ủ chượp", "#b7d7a8", "#3f6e2a"),
    ):
        attachments.add(
            store, "products", product, _picture(tmp / f"{name}.png", name, top, bottom)
        )
    evaluation = evaluations.add(
        store,
        {
            "product_id": product,
            "eval_date": "2024-05-20",
            "level": "province",
            "points_a": 31,
            "points_b": 19.5,
            "points_c": 27,
        },
    )
    recognition = recognitions.add(
        store,
        {
            "product_id": product,
            "decision_no": "1114/QĐ-UBND",
            "decision_date": "2024-06-10",
            "issuer": "UBND tỉnh Thanh Hóa",
            "stars": 4,
            "points": 77.5,
        },
    )
    shots = []
    form = ProducerForm(store, producer)
    shots.append((form, out / "producer-form.png"))
    form = ProductForm(store, product)
    shots.append((form, out / "product-form.png"))
    form = ProductForm(store, product)
    form.ui.findChild(type(form.ui.findChild(object, "tabs")), "tabs").setCurrentIndex(2)
    shots.append((form, out / "product-form-photos.png"))
    form = ProductForm(store, product)
    form.ui.findChild(type(form.ui.findChild(object, "tabs")), "tabs").setCurrentIndex(3)
    shots.append((form, out / "product-form-certificates.png"))
    form = ProductForm(store, product)
    form.ui.findChild(type(form.ui.findChild(object, "tabs")), "tabs").setCurrentIndex(1)
    shots.append((form, out / "product-form-market.png"))
    from ocop_desktop.gui.forms.evaluation import EvaluationForm
    from ocop_desktop.gui.forms.recognition import RecognitionForm

    shots.append((RecognitionForm(store, recognition), out / "recognition-form.png"))
    shots.append((EvaluationForm(store, evaluation), out / "evaluation-form.png"))
    for form, path in shots:
        form.show()
        for _ in range(5):
            app.processEvents()
        form.grab().save(str(path))
        print(f"{path} {form.width()}x{form.height()}")
        form.discard()
    _new_producer_with_messages(app, store, out)
    _history_and_trash(app, store, producer, product, out)
    store.close()
    _product_form_in_the_app(app, tmp, out / "product-form-demo.png")
    return 0


def _history_and_trash(app, store, producer: str, product: str, out: Path) -> None:
    from ocop_desktop import producers, products
    from ocop_desktop.gui.history import HistoryDialog
    from ocop_desktop.gui.trash import TrashDialog

    products.edit(
        store, product, {"price": 195000, "stage": 6, "standards": "HACCP; ISO 22000:2018; VietGAP"}
    )
    second = products.add(
        store, {"name": "Mắm tép chưng thịt Nga Sơn", "producer_id": producer, "product_set": 7}
    )
    products.delete(store, second)
    extra = producers.add(
        store,
        {"name": "Tổ hợp tác Chiếu cói Nga Thắng", "kind": "to_hop_tac", "commune_code": 16114},
    )
    producers.delete(store, extra)
    for dialog, name in (
        (HistoryDialog(store, product), "history-dialog.png"),
        (TrashDialog(store), "trash-dialog.png"),
    ):
        dialog.show()
        for _ in range(5):
            app.processEvents()
        dialog.grab().save(str(out / name))
        print(f"{out / name} {dialog.width()}x{dialog.height()}")
        dialog.close()


def _product_form_in_the_app(app, tmp: Path, path: Path) -> None:
    """The demo database (as "Open demo data" makes it): a product opened from the list."""
    from PySide6.QtCore import QTimer

    from ocop_desktop.gui.forms import form_class
    from ocop_desktop.gui.main_window import MainWindow
    from ocop_desktop.gui.setup_dialog import make_demo

    store = make_demo(tmp / "demo.sqlite")
    window = MainWindow(store)
    window.resize(1366, 768)
    window.show_page("products")
    window.show()
    product = store.db.execute(
        "SELECT p.id FROM products p JOIN current_recognition c ON c.product_id = p.id "
        "WHERE c.stars = 4 AND p.export_markets IS NOT NULL ORDER BY p.rid LIMIT 1"
    ).fetchone()[0]
    form = form_class("products")(store, product, window)
    form.show()
    frame = window.frameGeometry()
    form.move(frame.center() - form.rect().center())

    def shoot() -> None:
        app.primaryScreen().grabWindow(0).copy(0, 0, 1366, 768).save(str(path))
        print(f"{path} 1366x768")
        form.discard()
        window.close()

    QTimer.singleShot(300, shoot)
    QTimer.singleShot(400, app.quit)
    app.exec()
    store.close()


def _new_producer_with_messages(app, store, out: Path) -> None:
    """A new producer: the commune list open on "nga vinh", then a bad tax code refused."""
    from PySide6.QtCore import QRect

    from ocop_desktop.gui.forms.producer import ProducerForm

    def grab(widgets, path: Path) -> None:
        area = widgets[0].frameGeometry()
        for w in widgets[1:]:
            if w.isVisible():
                area = area.united(w.frameGeometry())
        shot = (
            app.primaryScreen()
            .grabWindow(0)
            .copy(area.adjusted(-4, -4, 4, 4) & QRect(0, 0, 1366, 768))
        )
        shot.save(str(path))
        print(f"{path} {shot.width()}x{shot.height()}")

    form = ProducerForm(store)
    form.move(40, 40)
    form.show()
    form.w("name").setText("Hộ kinh doanh Nguyễn Thị Lụa")
    form.w("kind").setCurrentIndex(form.w("kind").findData("ho_kinh_doanh"))
    form.w("representative").setText("Nguyễn Thị Lụa")
    form.commune.edit.setFocus()
    form.commune.edit.setText("nga vinh")
    form.commune.edit.textEdited.emit("nga vinh")
    for _ in range(10):
        app.processEvents()
    grab([form, form.commune.completer.popup()], out / "commune-picker.png")
    form.commune.completer.popup().hide()
    form.commune.choose(form.commune.entries("nga vinh")[0])
    form.w("tax_code").setText("28012345")
    form.save()
    for _ in range(10):
        app.processEvents()
    grab([form], out / "producer-form-validation.png")
    form.discard()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
