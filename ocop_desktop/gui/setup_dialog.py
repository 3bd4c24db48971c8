"""First run: make this database an office (an area of communes) or the province.

The demo button makes the same real database from what was chosen and typed, and
opens a separate demo database of the Nga Sơn area (``ocop-demo.sqlite`` in the
data folder, marked as demo) to try things out; the next start opens the real one. File → New uses this dialog without the demo button.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import refdata
from ocop_desktop.errors import UserError
from ocop_desktop.gui import formatting as fmt
from ocop_desktop.gui.workers import run_with_progress
from ocop_desktop.i18n import tr
from ocop_desktop.progress import Cancelled, Progress, no_progress
from ocop_desktop.store import Store, StoreKey, init_node, open_store
from ocop_desktop.text import search_key

DEFAULT_PROVINCE = 38  # Thanh Hóa
DEMO_DISTRICT = 401  # Nga Sơn
DEMO_PRODUCTS = 400
DEMO_OFFICER = "Lê Thị Hoa"  # when the officer has not typed a name


def demo_available() -> bool:
    try:
        from ocop_desktop import demo  # noqa: F401
    except ImportError:
        return False
    return True


def make_demo(
    path: Path,
    products: int | None = None,
    progress: Progress | None = None,
    officer: str = "",
) -> Store:
    """A demo database of the Nga Sơn area (``ocop_desktop.demo``), marked as demo, opened."""
    write_demo(StoreKey(path, officer), progress or no_progress, products)
    return open_store(path)


def write_demo(key: StoreKey, progress: Progress, products: int | None = None) -> None:
    """Make the demo database at ``key.path`` (a job: its connections are its own,
    closed before it returns; the window opens the file afterwards)."""
    from ocop_desktop import demo

    path = key.path
    path.unlink(missing_ok=True)
    store = init_node(
        path,
        role="office",
        office=str(DEMO_DISTRICT),
        officer=key.officer or DEMO_OFFICER,
        demo=True,
    )
    try:
        demo.generate(store, n_products=products or DEMO_PRODUCTS, progress=progress)
    except BaseException:
        store.close()
        path.unlink(missing_ok=True)
        raise
    store.close()


class SetupDialog(QDialog):
    def __init__(
        self,
        db_path: Path,
        parent: QWidget | None = None,
        *,
        offer_demo: bool = True,
        officer: str = "",
    ) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.store: Store | None = None  # the database to work in: the real one or the demo
        self.created: Path | None = None  # the real database made here
        self.setWindowTitle(tr("setup.title"))
        self.setMinimumWidth(560)
        ref = refdata.load()
        layout = QVBoxLayout(self)
        intro = QLabel(tr("setup.intro"))
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        role_row = QHBoxLayout()
        self.role_office = QRadioButton(tr("setup.role.office"))
        self.role_province = QRadioButton(tr("setup.role.province"))
        self.role_office.setChecked(True)
        roles = QButtonGroup(self)
        roles.addButton(self.role_office)
        roles.addButton(self.role_province)
        role_row.addWidget(self.role_office)
        role_row.addWidget(self.role_province)
        role_row.addStretch(1)
        form.addRow(tr("setup.role"), role_row)

        self.province_combo = QComboBox()
        for code, name in sorted(ref.provinces.items(), key=lambda kv: search_key(kv[1])):
            self.province_combo.addItem(name, code)
        self.province_combo.setCurrentIndex(self.province_combo.findData(DEFAULT_PROVINCE))
        self.province_combo.currentIndexChanged.connect(self._fill_area)
        form.addRow(tr("field.province"), self.province_combo)

        area_row = QHBoxLayout()
        self.by_district = QRadioButton(tr("setup.area.district"))
        self.by_communes = QRadioButton(tr("setup.area.communes"))
        self.by_district.setChecked(True)
        areas = QButtonGroup(self)
        areas.addButton(self.by_district)
        areas.addButton(self.by_communes)
        area_row.addWidget(self.by_district)
        area_row.addWidget(self.by_communes)
        area_row.addStretch(1)
        self.area_label = QLabel(tr("setup.area"))
        form.addRow(self.area_label, area_row)

        self.area_stack = QStackedWidget()
        self.district_combo = QComboBox()
        # The combo sits at the top of its page: stretched to the commune list's
        # height it was a 220-pixel-tall box.
        district_page = QWidget()
        district_layout = QVBoxLayout(district_page)
        district_layout.setContentsMargins(0, 0, 0, 0)
        district_layout.addWidget(self.district_combo)
        district_layout.addStretch(1)
        self.area_stack.addWidget(district_page)
        communes_box = QWidget()
        cbox = QVBoxLayout(communes_box)
        cbox.setContentsMargins(0, 0, 0, 0)
        self.commune_filter = QLineEdit()
        self.commune_filter.setPlaceholderText(tr("setup.commune_filter"))
        self.commune_filter.textChanged.connect(self._filter_communes)
        self.commune_list = QListWidget()
        self.commune_list.setMinimumHeight(180)
        cbox.addWidget(self.commune_filter)
        cbox.addWidget(self.commune_list)
        self.area_stack.addWidget(communes_box)
        form.addRow("", self.area_stack)
        self.by_district.toggled.connect(self._area_changed)
        self.role_office.toggled.connect(self._role_changed)

        self.officer_edit = QLineEdit(officer)
        self.officer_edit.setPlaceholderText(tr("setup.officer_hint"))
        form.addRow(tr("settings.officer"), self.officer_edit)
        layout.addLayout(form)

        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton(
            tr("setup.create"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.demo_button = QPushButton(tr("setup.demo"))
        buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(tr("gui.cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        if not demo_available():
            self.demo_button.setEnabled(False)
            self.demo_button.setToolTip(tr("setup.demo_missing"))
        self.demo_button.setVisible(offer_demo)
        self.create_button.clicked.connect(self.create)
        self.demo_button.clicked.connect(self.open_demo)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill_area()
        self._area_changed(True)
        from ocop_desktop.gui import screen_fit

        screen_fit.fit(self, self.sizeHint().expandedTo(QSize(560, 0)))

    def _area_changed(self, by_district: bool) -> None:
        """The area box is as tall as the page shown: no empty gap under the drop-down."""
        self.area_stack.setCurrentIndex(0 if by_district else 1)
        for i in range(self.area_stack.count()):
            page = self.area_stack.widget(i)
            shown = i == self.area_stack.currentIndex()
            policy = QSizePolicy.Policy.Preferred if shown else QSizePolicy.Policy.Ignored
            page.setSizePolicy(policy, policy)
        self.area_stack.adjustSize()
        self.adjustSize()

    def _role_changed(self, office: bool) -> None:
        for w in (self.by_district, self.by_communes, self.area_stack, self.area_label):
            w.setEnabled(office)

    def _fill_area(self) -> None:
        ref = refdata.load()
        province = self.province_combo.currentData()
        self.district_combo.clear()
        districts = [
            d
            for d in ref.legacy_districts.values()
            if d.province_code == province and d.code in ref.communes_of_former_district
        ]
        for d in sorted(districts, key=lambda d: search_key(d.name)):
            count = len(ref.communes_of_former_district[d.code])
            self.district_combo.addItem(tr("setup.district_item", name=d.name, count=count), d.code)
        self.commune_list.clear()
        for code in sorted(
            ref.communes_by_province.get(province, []), key=fmt.commune_with_district
        ):
            item = QListWidgetItem(fmt.commune_with_district(code))
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.commune_list.addItem(item)

    def _filter_communes(self, text: str) -> None:
        key = search_key(text)
        for i in range(self.commune_list.count()):
            item = self.commune_list.item(i)
            item.setHidden(bool(key) and key not in search_key(item.text()))

    def checked_communes(self) -> list[int]:
        out = []
        for i in range(self.commune_list.count()):
            item = self.commune_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def officer(self) -> str:
        return " ".join(self.officer_edit.text().split())

    def create(self) -> None:
        store = self._create_real()
        if store is not None:
            self.store = store
            self.accept()

    def _create_real(self) -> Store | None:
        """The database chosen here, made; None (after saying why) if the choices are wrong."""
        officer = self.officer()
        try:
            if self.role_province.isChecked():
                store = init_node(
                    self.db_path,
                    role="province",
                    province=self.province_combo.currentData(),
                    officer=officer,
                )
            elif self.by_district.isChecked():
                store = init_node(
                    self.db_path,
                    role="office",
                    office=str(self.district_combo.currentData()),
                    officer=officer,
                )
            else:
                communes = self.checked_communes()
                if not communes:
                    raise UserError("setup.no_communes")
                store = init_node(self.db_path, role="office", communes=communes, officer=officer)
        except UserError as exc:
            QMessageBox.warning(self, tr("setup.title"), exc.message())
            return None
        self.created = self.db_path
        return store

    def open_demo(self) -> None:
        """Make the real database from the choices, then open a demo database to try."""
        from ocop_desktop.gui.documents import demo_path

        real = self._create_real()
        if real is None:
            return
        officer = self.officer()
        path = demo_path()
        try:
            run_with_progress(self, tr("setup.demo_making"), StoreKey(path, officer), write_demo)
            store = open_store(path)
        except (Cancelled, UserError) as exc:
            if isinstance(exc, UserError):
                QMessageBox.warning(self, tr("setup.title"), exc.message())
            self.store = real  # the real database is there: work in it
            self.accept()
            return
        real.close()
        self.store = store
        self.accept()
