"""The import wizard: file and sheet → columns → preview of every row → import.

Nothing is written before the last page. Every slow step runs off the UI thread:
reading the sheet and planning the rows on the database worker behind a progress
dialog that can be cancelled (``workers.run_with_progress``), the import itself
with the run page's progress bar. Each step is a job of ``gui.workers`` on its own
connection: a read-only one for the preview, which can then never write.
``run_import_wizard(parent, store)`` is what the main window calls.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ocop_desktop.errors import UserError, explain
from ocop_desktop.gui import file_dialogs
from ocop_desktop.gui.workers import Job, Task, own_store, run_with_progress, start
from ocop_desktop.i18n import tr
from ocop_desktop.progress import Cancelled, Progress
from ocop_desktop.store import Store, StoreKey

STATUS_COLOURS = {
    "new": "#e6f4ea",
    "update": "#e3effa",
    "exists": "#eef1f5",
    "incomplete": "#fff4ce",
    "error": "#fde7e9",
    "skipped": "#f3f3f3",
}
# Looking a role up on Qt costs ~3 µs each time; resizing the preview's columns asks
# for 40,000 cells of a 10,000-row plan, so data() compares with plain ints.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_CHECK = int(Qt.ItemDataRole.CheckStateRole.value)
PROPOSAL_COLUMN = 4
WHY_COLUMN = 5


class RowsModel(QAbstractTableModel):
    """The plan's rows: sheet row, outcome, product, producer, why, and the proposed
    product set, ticked when the officer accepts it."""

    HEADERS = ("import.wizard.row", "import.wizard.status", "import.wizard.product",
               "import.wizard.producer", "import.wizard.proposal",
               "import.wizard.why")  # fmt: skip

    def __init__(self, plan=None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all = list(plan.rows) if plan else []
        self._status: str | None = None
        self._rows = self._all
        self._brushes: dict[str, QBrush] = {}
        self.accepted: set[int] = set()  # sheet rows whose proposal is accepted
        self._described: dict[tuple[int, ...], str] = {}

    def set_plan(self, plan) -> None:
        self.beginResetModel()
        self._all = list(plan.rows) if plan else []
        self._rows = [r for r in self._all if self._status in (None, r.status)]
        self.accepted = {r.row for r in self._all if r.proposal_accepted}
        self.endResetModel()

    def proposals(self) -> int:
        return sum(1 for r in self._all if r.proposal)

    def accept_all(self, accept: bool = True) -> None:
        """Tick (or clear) every row's proposal."""
        self.accepted = {r.row for r in self._all if r.proposal} if accept else set()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, PROPOSAL_COLUMN), self.index(len(self._rows) - 1, PROPOSAL_COLUMN)
            )

    def _proposal_text(self, codes: list[int]) -> str:
        key = tuple(codes)
        text = self._described.get(key)
        if text is None:
            from ocop_desktop.importer.set_proposals import describe

            text = self._described[key] = describe(codes)
        return text

    def flags(self, index: QModelIndex):
        base = super().flags(index)
        if index.isValid() and index.column() == PROPOSAL_COLUMN:
            if self._rows[index.row()].proposal:
                return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: QModelIndex, value, role: int = _CHECK) -> bool:
        if not index.isValid() or index.column() != PROPOSAL_COLUMN or role != _CHECK:
            return False
        row = self._rows[index.row()]
        if not row.proposal:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2, True)
        if checked:
            self.accepted.add(row.row)
        else:
            self.accepted.discard(row.row)
        self.dataChanged.emit(index, index, [role])
        return True

    def set_status_filter(self, status: str | None) -> None:
        """Show only rows with this outcome (None: every row)."""
        self.beginResetModel()
        self._status = status
        self._rows = [r for r in self._all if status in (None, r.status)]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return tr(self.HEADERS[section])
        return None

    def data(self, index: QModelIndex, role: int = _DISPLAY):
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        col = index.column()
        if role == _DISPLAY or role == _TOOLTIP:
            if col == 0:
                return str(row.row)
            if col == 1:
                return tr(f"import.status.{row.status}")
            if col == 2:
                return row.product or ""
            if col == 3:
                return row.producer or ""
            if col == PROPOSAL_COLUMN:
                return self._proposal_text(row.proposal) if row.proposal else ""
            return "; ".join(row.messages())
        if role == _CHECK and col == PROPOSAL_COLUMN and row.proposal:
            ticked = row.row in self.accepted
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role == _BACKGROUND:
            brush = self._brushes.get(row.status)
            if brush is None:
                brush = QBrush(QColor(STATUS_COLOURS.get(row.status, "#ffffff")))
                self._brushes[row.status] = brush
            return brush
        if role == _USER:
            return row.status
        return None


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(tr("import.wizard.file_page"))
        self.path_edit = QLineEdit()
        self.path_edit.textChanged.connect(self._path_changed)
        browse = QPushButton(tr("import.wizard.browse"))
        browse.clicked.connect(self._browse)
        self.sheet_box = QComboBox()
        self.template_button = QPushButton(tr("import.wizard.save_template"))
        self.template_button.clicked.connect(self._save_template)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a4262c")
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("import.wizard.file")))
        layout.addLayout(row)
        layout.addWidget(QLabel(tr("import.wizard.sheet")))
        layout.addWidget(self.sheet_box)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.template_button, 0, Qt.AlignLeft)

    def _browse(self) -> None:
        path = file_dialogs.open_path(self, tr("import.wizard.title"), tr("import.wizard.filter"))
        if path:
            self.path_edit.setText(str(path))

    def _save_template(self) -> None:
        from ocop_desktop.importer.files import save_template

        path = file_dialogs.save_path(
            self, tr("import.wizard.save_template"), "mau-nhap-ocop.xlsx", "Excel (*.xlsx)"
        )
        if path:
            save_template(path)

    def _path_changed(self, text: str) -> None:
        from ocop_desktop.importer import sheet_names

        self.sheet_box.clear()
        self.message.clear()
        path = Path(text.strip())
        if text.strip() and path.is_file():
            try:
                self.sheet_box.addItems(sheet_names(path))
                if self.sheet_box.count() > 1:  # open on the sheet that holds a table
                    from ocop_desktop.importer import first_sheet_with_a_table

                    found = first_sheet_with_a_table(path)
                    if found:
                        self.sheet_box.setCurrentText(found)
            except UserError as exc:
                self.message.setText(exc.message())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.sheet_box.count() > 0

    def validatePage(self) -> bool:
        """Read the sheet on the worker; Cancel or a refused file stays on this page."""
        from ocop_desktop.importer import reader, table

        path = Path(self.path_edit.text().strip())
        sheet = self.sheet_box.currentText()  # a CSV's only "sheet"; ignored for CSV

        def work(_key: StoreKey, progress: Progress):
            raw = reader.read_sheet(path, sheet, progress)
            return raw, table.build_table(raw)

        try:
            raw, found = self.w.work(tr("import.wizard.reading"), work)
        except UserError as exc:
            self.message.setText(exc.message())
            return False
        except Cancelled:
            return False
        self.w.raw, self.w.table = raw, found
        return True


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(tr("import.wizard.mapping_page"))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.grid = QTableWidget(0, 3)
        self.grid.setHorizontalHeaderLabels(
            [tr("import.wizard.column"), tr("import.wizard.header"), tr("import.wizard.field")]
        )
        self.grid.horizontalHeader().setSectionResizeMode(1, QHeaderView.Stretch)
        self.grid.verticalHeader().hide()
        self.message = QLabel()
        self.message.setStyleSheet("color: #a4262c")
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.message)
        self.boxes: list[QComboBox] = []

    def initializePage(self) -> None:
        from ocop_desktop.importer.table import FIELDS

        table = self.w.table
        unmapped = [c.letter for c in table.columns if c.label and not c.field]
        hint = tr("import.wizard.mapping_hint", rows="+".join(map(str, table.header_rows)))
        if unmapped:
            hint += "\n" + tr("import.wizard.unmapped", columns=", ".join(unmapped))
        self.hint.setText(hint)
        self.grid.setRowCount(len(table.columns))
        self.boxes = []
        for i, col in enumerate(table.columns):
            self.grid.setItem(i, 0, QTableWidgetItem(col.letter))
            self.grid.setItem(i, 1, QTableWidgetItem(col.label))
            box = QComboBox()
            box.addItem(tr("import.wizard.ignore"), None)
            for name in FIELDS:
                box.addItem(tr(f"import.field.{name}"), name)
            box.setCurrentIndex(max(box.findData(col.field), 0) if col.field else 0)
            if col.label and not col.field:
                self.grid.item(i, 1).setBackground(QBrush(QColor("#fff4ce")))
            self.grid.setCellWidget(i, 2, box)
            self.boxes.append(box)
        self.grid.resizeColumnToContents(0)
        self.grid.setColumnWidth(2, 220)

    def mapping(self) -> dict[int, str | None]:
        return {i: box.currentData() for i, box in enumerate(self.boxes)}

    def validatePage(self) -> bool:
        from ocop_desktop.importer.table import build_table

        fields = [f for f in self.mapping().values() if f]
        if "product_name" not in fields:
            self.message.setText(tr("import.field.product_name") + ": " + tr("validation.required"))
            return False
        if len(fields) != len(set(fields)):
            dup = next(f for f in fields if fields.count(f) > 1)
            self.message.setText(tr(f"import.field.{dup}") + " ×2")
            return False
        header = [h - 1 for h in self.w.table.header_rows]
        raw, mapping = self.w.raw, self.mapping()

        def work(store: Store, progress: Progress):
            return plan_rows(store, build_table(raw, mapping, header), "import", progress)

        try:
            # The table and the plan change together, and only when planning finished.
            self.w.plan = self.w.work(tr("import.wizard.planning"), own_store(work, readonly=True))
        except UserError as exc:
            self.message.setText(exc.message())
            return False
        except Cancelled:
            return False
        self.w.table = self.w.plan.table
        return True


def plan_rows(
    store: Store,
    table,
    incomplete: str,
    progress: Progress,
    accept_sets: dict[int, int | None] | None = None,
):
    """Plan the rows (a job's step: ``store`` is the job's own read-only one)."""
    from ocop_desktop import importer

    return importer.plan_import(
        store,
        table,
        incomplete=incomplete,
        accept_sets=accept_sets or False,
        progress=progress,
    )


class PreviewPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(tr("import.wizard.preview_page"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.status_filter = QComboBox()
        self.status_filter.currentIndexChanged.connect(
            lambda _i: self.model.set_status_filter(self.status_filter.currentData())
        )
        self.model = RowsModel(parent=self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(WHY_COLUMN, QHeaderView.Stretch)
        self.accept_all = QPushButton(tr("import.wizard.accept_all"))
        self.accept_all.clicked.connect(lambda: self.model.accept_all(True))
        self.accept_none = QPushButton(tr("import.wizard.accept_none"))
        self.accept_none.clicked.connect(lambda: self.model.accept_all(False))
        self.proposals_label = QLabel()
        self.proposals_box = QWidget()
        proposals_layout = QHBoxLayout(self.proposals_box)
        proposals_layout.setContentsMargins(0, 0, 0, 0)
        proposals_layout.addWidget(self.proposals_label, 1)
        proposals_layout.addWidget(self.accept_all)
        proposals_layout.addWidget(self.accept_none)
        self.conversions_label = QLabel()
        self.conversions = QTableWidget(0, 4)
        self.conversions.setHorizontalHeaderLabels(
            [tr("import.wizard.row"), tr("import.wizard.column"), "TCVN3/VNI", "Unicode"]
        )
        self.conversions.verticalHeader().hide()
        self.conversions.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.conversions.horizontalHeader().setSectionResizeMode(3, QHeaderView.Stretch)
        self.conversions.setMaximumHeight(140)
        self.question = QLabel()
        self.import_incomplete = QRadioButton(tr("import.wizard.incomplete_import"))
        self.skip_incomplete = QRadioButton(tr("import.wizard.incomplete_skip"))
        self.import_incomplete.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.import_incomplete)
        group.addButton(self.skip_incomplete)
        self.incomplete_box = QWidget()
        box_layout = QHBoxLayout(self.incomplete_box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.addWidget(self.question)
        box_layout.addWidget(self.import_incomplete)
        box_layout.addWidget(self.skip_incomplete)
        box_layout.addStretch(1)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(QLabel(tr("import.wizard.show")))
        top.addWidget(self.status_filter)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.proposals_box)
        layout.addWidget(self.conversions_label)
        layout.addWidget(self.conversions)
        layout.addWidget(self.incomplete_box)

    def initializePage(self) -> None:
        plan = self.w.plan
        counts = plan.counts()
        self.summary.setText(tr("import.summary", total=len(plan.rows), **counts))
        self.model.set_plan(plan)
        self.status_filter.blockSignals(True)
        self.status_filter.clear()
        self.status_filter.addItem(tr("import.wizard.all_rows", n=len(plan.rows)), None)
        for status, n in counts.items():
            if n:
                self.status_filter.addItem(f"{tr('import.status.' + status)} ({n})", status)
        self.status_filter.blockSignals(False)
        self.model.set_status_filter(None)
        self.view.resizeColumnsToContents()
        self.view.setColumnWidth(PROPOSAL_COLUMN, min(self.view.columnWidth(PROPOSAL_COLUMN), 260))
        self.view.horizontalHeader().setSectionResizeMode(WHY_COLUMN, QHeaderView.Stretch)
        conv = plan.table.conversions
        self.conversions_label.setText(tr("import.wizard.conversions", n=len(conv)))
        self.conversions_label.setVisible(bool(conv))
        self.conversions.setVisible(bool(conv))
        self.conversions.setRowCount(len(conv))
        for i, c in enumerate(conv):
            for j, value in enumerate((str(c.row), c.column, c.original, c.converted)):
                self.conversions.setItem(i, j, QTableWidgetItem(value))
        self.question.setText(tr("import.wizard.incomplete_question", n=counts["incomplete"]))
        self.incomplete_box.setVisible(counts["incomplete"] > 0)
        proposals = self.model.proposals()
        self.proposals_label.setText(tr("import.wizard.proposals", n=proposals))
        self.proposals_box.setVisible(proposals > 0)

    def incomplete_policy(self) -> str:
        return "skip" if self.skip_incomplete.isChecked() else "import"

    def validatePage(self) -> bool:
        """Plan again when the officer skips incomplete rows or accepts proposals."""
        accepted = dict.fromkeys(sorted(self.model.accepted))
        already = {r.row for r in self.w.plan.rows if r.proposal_accepted}
        if self.incomplete_policy() != "skip" and set(accepted) == already:
            return True
        table, policy = self.w.table, self.incomplete_policy()
        try:
            self.w.plan = self.w.work(
                tr("import.wizard.planning"),
                own_store(
                    lambda store, progress: plan_rows(store, table, policy, progress, accepted),
                    readonly=True,
                ),
            )
        except UserError as exc:
            QMessageBox.warning(self, self.w.windowTitle(), exc.message())
            return False
        except Cancelled:
            return False
        return True


class RunPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(tr("import.wizard.run_page"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.report_button = QPushButton(tr("import.wizard.save_report"))
        self.report_button.clicked.connect(self._ask_report_path)
        self.report_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.report_button, 0, Qt.AlignLeft)
        layout.addWidget(self.report_label)
        layout.addStretch(1)
        self.finished = False
        self.task: Task | None = None

    def initializePage(self) -> None:
        self.finished = False
        self.report_button.setEnabled(False)
        self.status.setText(tr("import.wizard.running"))
        self.bar.setRange(0, max(len(self.w.plan.rows), 1))
        from ocop_desktop.importer import apply_plan

        plan = self.w.plan
        self.task = start(
            self.w.store,  # catches up with the clock the import moved
            own_store(lambda store, progress: apply_plan(store, plan, progress=progress)),
            self._done,
            self._failed,
            self._progress,
        )

    def _progress(self, done: int, total: int) -> None:
        self.bar.setMaximum(max(total, 1))
        self.bar.setValue(done)

    def running(self) -> bool:
        return self.task is not None and self.task.running

    def _done(self, result) -> None:
        self.w.result = result
        self.w.imported = (result.producers + result.products + result.recognitions) > 0
        counts = self.w.plan.counts()
        self.status.setText(
            tr("import.wizard.done")
            + "\n"
            + tr("import.summary", total=len(self.w.plan.rows), **counts)
            + "\n"
            + tr(
                "import.created",
                producers=result.producers,
                products=result.products,
                recognitions=result.recognitions,
            )
        )
        self.bar.setValue(self.bar.maximum())
        self._finish()

    def _failed(self, exc: BaseException) -> None:
        # shown to the officer; the transaction rolled back
        message = explain(exc) or str(exc)
        self.status.setText(tr("import.wizard.failed", detail=message))
        self._finish()

    def _finish(self) -> None:
        self.finished = True
        counts = self.w.plan.counts()
        self.report_button.setEnabled(
            counts["error"] + counts["incomplete"] + counts["skipped"] > 0
        )
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.finished

    def _ask_report_path(self) -> None:
        path = file_dialogs.save_path(
            self, tr("import.wizard.save_report"), "bao-cao-nhap.xlsx", "Excel (*.xlsx)"
        )
        if path:
            self.save_report(path)

    def save_report(self, path: str | Path) -> Path:
        from ocop_desktop.importer.files import save_report

        saved = save_report(self.w.plan, path)
        self.report_label.setText(tr("import.wizard.report_saved", path=str(saved)))
        return saved


class ImportWizard(QWizard):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.raw = self.table = self.plan = self.result = None
        self.imported = False
        self.busy = False
        self.setWindowTitle(tr("import.wizard.title"))
        self.setWizardStyle(QWizard.ModernStyle)
        self.setOption(QWizard.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.NoCancelButtonOnLastPage, True)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.run_page = RunPage(self)
        self.preview_page.setCommitPage(True)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.run_page):
            self.addPage(page)
        for button, key in (
            (QWizard.BackButton, "back"),
            (QWizard.NextButton, "next"),
            (QWizard.CancelButton, "cancel"),
            (QWizard.FinishButton, "finish"),
            (QWizard.CommitButton, "commit"),
        ):
            self.setButtonText(button, tr(f"import.wizard.{key}"))
        from PySide6.QtCore import QSize

        from ocop_desktop.gui import screen_fit

        screen_fit.fit(self, QSize(980, 640))

    def work(self, label: str, job: Job) -> Any:
        """The job on the worker behind a cancellable progress dialog.

        The dialog shows only after half a second; until the step ends the wizard's
        buttons are disabled and closing is refused, so a second click on Next
        cannot start the step again underneath the first.
        """
        kinds = (QWizard.BackButton, QWizard.NextButton, QWizard.CommitButton,
                 QWizard.FinishButton, QWizard.CancelButton)  # fmt: skip
        buttons = [(b, b.isEnabled()) for b in map(self.button, kinds)]
        for button, _enabled in buttons:
            button.setEnabled(False)
        self.busy = True
        try:
            return run_with_progress(self, label, self.store, job, cancellable=True)
        finally:
            self.busy = False
            for button, enabled in buttons:
                button.setEnabled(enabled)

    def reject(self) -> None:
        if self.busy:  # the progress dialog's Cancel stops the step
            return
        if self.run_page.running():
            QMessageBox.information(self, self.windowTitle(), tr("import.wizard.running"))
            return
        super().reject()


def run_import_wizard(parent: QWidget | None, store: Store) -> bool:
    """Show the wizard; True when records were added (the caller refreshes its lists)."""
    wizard = ImportWizard(store, parent)
    wizard.exec()
    return wizard.imported
