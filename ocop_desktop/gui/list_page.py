"""A page with one big list: filter-as-you-type, filter combos, sortable columns,
column chooser, row count, Enter/double-click opens, Ctrl+C copies like Excel."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import refdata
from ocop_desktop.gui import actions, settings
from ocop_desktop.gui import formatting as fmt
from ocop_desktop.gui.lazy_model import LazyTableModel, ListSpec
from ocop_desktop.gui.texts import set_text
from ocop_desktop.i18n import format_number, tr
from ocop_desktop.store import Store
from ocop_desktop.validation import EVALUATION_LEVELS, PRODUCER_KINDS

FILTERS = {
    "producers": ("commune", "kind"),
    "products": ("commune", "kind", "set", "stars", "status"),
    "certificates": ("commune", "group", "stars", "status"),
    "evaluations": ("commune", "group", "level", "stars"),
}
PRODUCT_STATUSES = ("valid", "expiring", "expired", "revoked", "none")
CERTIFICATE_STATUSES = ("valid", "expiring", "expired", "revoked", "superseded")


@contextmanager
def _busy() -> Iterator[None]:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


class ListView(QTableView):
    """Enter opens the current row; Ctrl+C copies the selected cells as tab-separated text."""

    openRequested = Signal(int)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.openRequested.emit(self.currentIndex().row())
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        super().keyPressEvent(event)

    def selectAll(self) -> None:  # noqa: N802 (Qt override)
        """Every row the filter selects, not only those loaded so far: Ctrl+A then
        Ctrl+C is how a list goes to Excel."""
        fetch_all = getattr(self.model(), "fetch_all", None)
        with _busy():  # 100,000 rows take a second
            if fetch_all is not None:
                fetch_all()
            super().selectAll()

    def selected_text(self) -> str:
        model = self.model()
        header = self.horizontalHeader()
        rows: set[int] = set()
        columns: set[int] = set()
        for rng in self.selectionModel().selection():
            rows.update(range(rng.top(), rng.bottom() + 1))
            columns.update(range(rng.left(), rng.right() + 1))
        visible = sorted(
            (c for c in columns if not header.isSectionHidden(c)), key=header.visualIndex
        )
        lines = []
        for row in sorted(rows):
            cells = [str(model.data(model.index(row, c)) or "") for c in visible]
            lines.append("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in cells))
        return "\n".join(lines)

    def copy_selection(self) -> None:
        with _busy():  # every row of a big list: a few seconds
            text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)


class ListPage(QWidget):
    changed = Signal()  # a record was saved or deleted from here

    def __init__(self, store: Store, spec: ListSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.spec = spec
        self.setObjectName(f"page_{spec.name}")
        self.model = LazyTableModel(store, spec, self)
        self.combos: dict[str, QComboBox] = {}

        self.filter_edit = QLineEdit()
        self.filter_edit.setObjectName("filterEdit")
        self.filter_edit.setClearButtonEnabled(True)
        set_text(self.filter_edit, f"list.filter_placeholder.{spec.name}", "placeholderText")
        set_text(self.filter_edit, "list.filter_tip", "toolTip")
        self.filter_edit.setMinimumWidth(200)
        self.filter_edit.textChanged.connect(lambda t: self.model.set_filter("search", t.strip()))
        self.filter_edit.installEventFilter(self)

        bar = QHBoxLayout()
        bar.addWidget(self.filter_edit, 2)
        for name in FILTERS[spec.name]:
            combo = self._make_combo(name)
            self.combos[name] = combo
            bar.addWidget(combo, 1)
        self.columns_button = QToolButton()
        set_text(self.columns_button, "list.columns")
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_button.setMenu(QMenu(self.columns_button))
        self.columns_button.menu().aboutToShow.connect(self._fill_columns_menu)
        bar.addWidget(self.columns_button)
        self.new_button = QPushButton()
        set_text(self.new_button, f"list.new.{spec.name}")
        self.new_button.clicked.connect(self.new_record)
        bar.addWidget(self.new_button)

        self.view = ListView()
        self.view.setObjectName("listView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.view.fontMetrics().height() + 8)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._row_menu)
        self.view.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.view.openRequested.connect(self.open_row)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        # Every default column fits 1366 pixels wide with the navigation beside it.
        widths = {
            **{"name": 250, "producer": 210, "product": 220, "commune": 130, "stars": 70},
            **{"decision_no": 110, "decision_date": 110, "expiry": 105},
        }
        for i, col in enumerate(spec.columns):
            header.resizeSection(i, widths.get(col.key, 115))
            header.setSectionHidden(i, col.hidden)
        saved = settings.get(f"list/{spec.name}/header")
        if isinstance(saved, QByteArray) and not saved.isEmpty():
            header.restoreState(saved)
        else:
            key = spec.default_order.removesuffix(" DESC")
            column = next((i for i in range(len(spec.columns)) if spec.order_of(i) == key), 0)
            order = (
                Qt.SortOrder.DescendingOrder
                if spec.default_order.endswith("DESC")
                else Qt.SortOrder.AscendingOrder
            )
            header.setSortIndicator(column, order)
        self._save_timer = QTimer(self)  # a column drag resizes many times: save once
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self._save_header)
        header.sectionResized.connect(self._save_timer.start)
        header.sectionMoved.connect(self._save_timer.start)
        header.sortIndicatorChanged.connect(self._save_timer.start)

        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.model.countChanged.connect(self._show_count)
        self.model.modelReset.connect(self._counting)

        self._bar = bar
        self._second_bar = QHBoxLayout()  # the filters, when one row is too narrow for them
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(self._second_bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count_label)
        self.view.setSortingEnabled(True)  # sorts once: the first query
        if not self.model.rowCount():
            self._show_count(0)

    # ---- layout ----------------------------------------------------------
    def _one_row_width(self) -> int:
        """Width the filter bar needs on one row with every filter's text readable."""
        combos = sum(
            max(
                c.minimumSizeHint().width(), c.fontMetrics().horizontalAdvance(c.currentText()) + 44
            )
            for c in self.combos.values()
        )
        buttons = self.columns_button.sizeHint().width() + self.new_button.sizeHint().width()
        spacing = max(self._bar.spacing(), 6) * (len(self.combos) + 3)
        margins = self.layout().contentsMargins()
        return (
            self.filter_edit.minimumWidth()
            + combos
            + buttons
            + spacing
            + margins.left()
            + margins.right()
        )

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        """On a narrow window (1024×600, or 125–150% scaling) the filters get a row
        of their own instead of being clipped to "Mọi xã/phườn"."""
        two_rows = self.width() < self._one_row_width()
        if two_rows != bool(self._second_bar.count()):
            for combo in self.combos.values():
                (self._bar if two_rows else self._second_bar).removeWidget(combo)
            if two_rows:
                for combo in self.combos.values():
                    self._second_bar.addWidget(combo, 1)
            else:
                for i, combo in enumerate(self.combos.values(), 1):
                    self._bar.insertWidget(i, combo, 1)
        super().resizeEvent(event)

    # ---- filters ---------------------------------------------------------
    def _make_combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(f"filter_{name}")
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        bold = QFont(combo.font())
        bold.setBold(True)
        for label, value in self._choices(name):
            combo.addItem(label, value)
            if name == "set" and str(value).startswith("group:"):
                # A group above its sets in bold: no leading spaces in the text, which
                # the closed drop-down showed as a gap ("    01 · Rau, củ…").
                combo.setItemData(combo.count() - 1, bold, Qt.ItemDataRole.FontRole)
        # Wide enough for "all …" (what it shows until a filter is chosen) to be read whole.
        combo.setMinimumContentsLength(max(10, len(combo.itemText(0))))
        combo.currentIndexChanged.connect(lambda _i, n=name, c=combo: self._combo_changed(n, c))
        return combo

    def _choices(self, name: str) -> list[tuple[str, Any]]:
        ref = refdata.load()
        if name == "commune":
            codes = sorted(
                self.store.node.area,
                key=lambda c: (ref.district_name(ref.former_district_of.get(c)), fmt.commune(c)),
            )
            return [(tr("list.all_communes"), None)] + [
                (fmt.commune_with_district(c), c) for c in codes
            ]
        if name == "kind":
            return [(tr("list.all_kinds"), None)] + [(tr(f"kind.{k}"), k) for k in PRODUCER_KINDS]
        if name in ("set", "group"):
            out: list[tuple[str, Any]] = [(tr("list.all_groups"), None)]
            groups: dict[str, list] = {}
            for ps in sorted(ref.product_sets.values(), key=lambda s: s.code):
                groups.setdefault(ps.group_code, []).append(ps)
            for code, sets in groups.items():
                out.append((tr(f"group.{code}"), f"group:{code}"))
                if name == "set":
                    out += [(f"{ps.code:02d} · {ps.name}", f"set:{ps.code}") for ps in sets]
            return out
        if name == "stars":
            shown = (1, 2, 3, 4, 5) if self.spec.name == "evaluations" else (3, 4, 5)
            return [(tr("list.all_stars"), None)] + [(f"{n} ★", n) for n in shown]
        if name == "level":
            return [(tr("list.all_levels"), None)] + [
                (tr(f"level.{lv}"), lv) for lv in EVALUATION_LEVELS
            ]
        if name == "status":
            statuses = PRODUCT_STATUSES if self.spec.name == "products" else CERTIFICATE_STATUSES
            return [(tr("list.all_statuses"), None)] + [(tr(f"status.{s}"), s) for s in statuses]
        raise ValueError(name)

    def _combo_changed(self, name: str, combo: QComboBox) -> None:
        value = combo.currentData()
        if name in ("set", "group"):
            self.model.filters.pop("group", None)
            self.model.filters.pop("product_set", None)
            if value:  # "group:IV" or "set:9"
                kind, _, code = value.partition(":")
                if kind == "group":
                    self.model.filters["group"] = code
                else:
                    self.model.filters["product_set"] = int(code)
            self.model.refresh()
            return
        if name == "status" and value == "expiring":
            # What expires soonest is what needs acting on: it comes first.
            self.sort_by("expiry", Qt.SortOrder.AscendingOrder)
        self.model.set_filter(name, value)

    def sort_by(self, key: str, order: Qt.SortOrder) -> None:
        """Sort on the column ``key`` (shown by the header's arrow, kept like a click)."""
        column = next((i for i, c in enumerate(self.spec.columns) if c.key == key), None)
        if column is not None and self.spec.order_of(column):
            header = self.view.horizontalHeader()
            header.blockSignals(True)  # one query, below, not one per change
            header.setSortIndicator(column, order)
            header.blockSignals(False)
            self.model.order = self.spec.order_of(column) + (
                " DESC" if order == Qt.SortOrder.DescendingOrder else ""
            )
            self._save_timer.start()

    def set_combo(self, name: str, value: Any) -> None:
        combo = self.combos[name]
        combo.setCurrentIndex(max(0, combo.findData(value)))

    def eventFilter(self, obj: Any, event: Any) -> bool:
        if obj is self.filter_edit and isinstance(event, QKeyEvent):
            if event.type() == QKeyEvent.Type.KeyPress:
                if event.key() == Qt.Key.Key_Escape and self.filter_edit.text():
                    self.filter_edit.clear()
                    return True
                if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    if self.model.rowCount():
                        self.view.setFocus()
                        self.view.setCurrentIndex(self.model.index(0, 0))
                        if event.key() != Qt.Key.Key_Down and self.model.rowCount() == 1:
                            self.open_row(0)
                        return True
        return super().eventFilter(obj, event)

    def is_ready(self) -> bool:
        """Everything drawn has arrived (the row count comes from a worker)."""
        return self.model.total is not None

    def focus_filter(self) -> None:
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    # ---- rows ------------------------------------------------------------
    def _counting(self) -> None:
        if self.model.total is None:
            self.count_label.setText(tr("list.counting"))

    def _show_count(self, n: int) -> None:
        self.count_label.setText(tr(f"list.count.{self.spec.name}", count=format_number(n)))

    def refresh(self, keep: str | None = None) -> None:
        current = keep or self.model.record_id(self.view.currentIndex().row())
        self.model.refresh()
        if current:
            row = self.model.row_of(current)
            if row >= 0:
                index = self.model.index(row, 0)
                self.view.setCurrentIndex(index)
                self.view.scrollTo(index)

    def open_row(self, row: int) -> None:
        record_id = self.model.record_id(row)
        if record_id is None:
            return
        saved = actions.open_record(self, self.store, self.spec.table, record_id)
        # Refresh whatever the answer: a form can change its record or its children
        # without "saving" (delete to the trash, revoke, a certificate added from the
        # product form), and the refresh is one LIMIT query.
        self.refresh(saved or record_id)
        self.changed.emit()

    def new_record(self) -> None:
        saved = actions.open_record(self, self.store, self.spec.table)
        if saved:
            self.refresh(saved)
            self.changed.emit()

    def selected_ids(self) -> list[str]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedIndexes()})
        return [rid for rid in (self.model.record_id(r) for r in rows) if rid]

    def _row_menu(self, pos: Any) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self)
        record_id = self.model.record_id(index.row())
        menu.addAction(tr("list.open"), lambda: self.open_row(index.row()))
        menu.addAction(tr("list.copy"), self.view.copy_selection)
        menu.addAction(
            tr("list.history"), lambda: actions.show_history(self, self.store, record_id)
        )
        menu.addSeparator()
        menu.addAction(tr("list.delete"), self.delete_selected)
        menu.exec(self.view.viewport().mapToGlobal(pos))

    def delete_selected(self) -> None:
        if actions.delete_records(self, self.store, self.spec.table, self.selected_ids()):
            self.refresh()
            self.changed.emit()

    # ---- columns ---------------------------------------------------------
    def _fill_columns_menu(self, menu: QMenu | None = None) -> QMenu:
        menu = menu or self.columns_button.menu()
        menu.clear()
        header = self.view.horizontalHeader()
        for i, col in enumerate(self.spec.columns):
            action = QAction(tr(col.title), menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(i))
            action.toggled.connect(lambda on, i=i: self.show_column(i, on))
            menu.addAction(action)
        return menu

    def _header_menu(self, pos: Any) -> None:
        menu = self._fill_columns_menu(QMenu(self))
        menu.exec(self.view.horizontalHeader().mapToGlobal(pos))

    def show_column(self, column: int, visible: bool) -> None:
        header = self.view.horizontalHeader()
        if not visible and header.count() - header.hiddenSectionCount() <= 1:
            return
        header.setSectionHidden(column, not visible)
        self._save_header()

    def _save_header(self, *_: Any) -> None:
        settings.put(f"list/{self.spec.name}/header", self.view.horizontalHeader().saveState())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete and self.view.hasFocus():
            self.delete_selected()
            return
        super().keyPressEvent(event)
