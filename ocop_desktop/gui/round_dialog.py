"""A council round on screen: every product against every member's sheet, the
average total, stars and proposal, and the round's documents.

Double-clicking a member's cell opens that member's scoring sheet for the
product (the same sheet as the evaluation form); the results follow at once.
The rules (averages, minimum requirements by majority, what is proposed
upward) are the core's (``ocop_desktop.rounds``); this only shows them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import batch_decisions, clock, rounds, rubric
from ocop_desktop.errors import UserError
from ocop_desktop.gui.forms.fields import show_number
from ocop_desktop.gui.forms.scoring_sheet import ScoringSheetDialog
from ocop_desktop.gui.widgets.record_picker import ProductPicker
from ocop_desktop.i18n import tr
from ocop_desktop.progress import Cancelled
from ocop_desktop.store import Store

ERROR_STYLE = "color: #b00020;"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _explain(label: QLabel, exc: Exception) -> None:
    from ocop_desktop.errors import explain

    label.setText(explain(exc) or str(exc))
    label.show()


class RoundDialog(QDialog):
    """One round: the products × members grid, results, and the round's documents."""

    default_size = (1100, 560)

    def __init__(self, store: Store, round_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.round_id = round_id
        self.setObjectName("round_dialog")
        self.setSizeGripEnabled(True)
        root = QVBoxLayout(self)
        self.council = QLabel(self)
        self.council.setObjectName("round_council")
        self.council.setWordWrap(True)
        self.council.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        root.addWidget(self.council)
        self.table = QTableWidget(self)
        self.table.setObjectName("round_table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.cellDoubleClicked.connect(self.open_cell)
        self.table.verticalHeader().hide()  # the rank is the first column
        root.addWidget(self.table, 1)
        self.rule = QLabel(tr("round.rule_text"), self)
        self.rule.setWordWrap(True)
        self.rule.setStyleSheet("color: #555;")
        root.addWidget(self.rule)
        self.message = QLabel(self)
        self.message.setObjectName("round_message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        root.addWidget(self.message)

        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for name in ("add_product", "minutes", "results", "decide", "decision", "certificates"):
            button = QPushButton(tr(f"round.button.{name}"), self)
            button.setObjectName(f"round_{name}")
            button.setAutoDefault(False)
            buttons.addWidget(button)
            self.buttons[name] = button
        buttons.addStretch(1)
        close = QPushButton(tr("round.button.close"), self)
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        root.addLayout(buttons)
        self.buttons["add_product"].clicked.connect(self.add_product)
        self.buttons["decide"].clicked.connect(self.decide)
        for kind in ("minutes", "results", "decision", "certificates"):
            self.buttons[kind].clicked.connect(lambda _=False, k=kind: self.save_pdf(k))
        self.resize(*self.default_size)
        self.refresh()

    # ---- showing -------------------------------------------------------------------
    def refresh(self) -> None:
        r = rounds.get(self.store, self.round_id)
        self.round = r
        self.results = rounds.results(self.store, self.round_id)
        self.decided = rounds.decided(self.store, self.round_id)
        self.setWindowTitle(tr("round.title", name=r.name))
        council = tr(
            "round.council_text",
            level=_lower_first(tr(f"level.{r.level}")),
            date=QDate.fromString(r.round_date, "yyyy-MM-dd").toString("dd/MM/yyyy"),
            chair=r.chair,
            members=", ".join(r.members),
            secretary=r.secretary or "-",
        )
        batch = batch_decisions.for_round(self.store, self.round_id)
        if batch:
            council += "\n" + tr(
                "round.decided_text", number=batch["decision_no"], count=len(batch["recognitions"])
            )
        if not r.editable:
            council += "\n" + tr("round.read_only")
        self.council.setText(council)
        headers = [tr("round.col.rank"), tr("round.col.product"), *r.scorers]
        headers += [tr("round.col.average"), tr("round.col.stars"), tr("round.col.proposal")]
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(self.results))
        for row, x in enumerate(self.results):
            by_member = {s.member: s.total for s in x.sheets}
            cells = [str(x.rank), x.name]
            cells += [show_number(by_member[m]) if m in by_member else "—" for m in r.scorers]
            cells += [
                show_number(x.total) if x.sheets else "—",
                tr("round.stars", stars=x.stars) if x.stars >= 3 else tr("round.not_ranked"),
                self._proposal(x),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col >= 2 and col < 2 + len(r.scorers) + 1:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if 2 <= col < 2 + len(r.scorers):
                    item.setToolTip(tr("round.cell_hint"))
                self.table.setItem(row, col, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        editable = r.editable and not self.decided
        self.buttons["add_product"].setEnabled(editable)
        self.buttons["decide"].setEnabled(editable and bool(self.results))
        self.buttons["decision"].setEnabled(self.decided)
        self.buttons["certificates"].setEnabled(self.decided)

    @staticmethod
    def _proposal(x: rounds.ProductResult) -> str:
        parts = []
        if x.recognised_stars:
            parts.append(tr("round.recognise", stars=x.recognised_stars))
        if x.proposed:
            parts.append(tr("round.proposed"))
        if x.unmet:
            parts.append(tr("round.unmet", which=", ".join(x.unmet)))
        return "; ".join(parts) or tr("round.not_recognised")

    # ---- a member's sheet ---------------------------------------------------------------
    def open_cell(self, row: int, column: int) -> bool:
        """Open the sheet of the member in ``column`` for the product in ``row``."""
        scorers = self.round.scorers
        if not 2 <= column < 2 + len(scorers) or row >= len(self.results):
            return False
        result = self.results[row]
        member = scorers[column - 2]
        if result.product_set is None:
            return False
        sheet = rubric.sheet(int(result.product_set))
        before = next((s.choices for s in result.sheets if s.member == member), None)
        dialog = ScoringSheetDialog(
            sheet, before, product_name=f"{result.name} – {member}", parent=self
        )
        self.sheet_dialog = dialog  # for tests and screenshots
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.record(result.product_id, member, dialog.choices())

    def record(self, product_id: str, member: str, choices: dict[str, int]) -> bool:
        self.message.hide()
        try:
            rounds.record_sheet(self.store, self.round_id, product_id, member, choices)
        except UserError as exc:
            _explain(self.message, exc)
            return False
        self.refresh()
        return True

    # ---- products, decision, documents -------------------------------------------------
    def add_product(self) -> bool:
        dialog = QDialog(self)
        dialog.setWindowTitle(tr("round.button.add_product"))
        layout = QVBoxLayout(dialog)
        picker = ProductPicker(self.store, dialog)
        layout.addWidget(picker)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
        )
        box.accepted.connect(dialog.accept)
        box.rejected.connect(dialog.reject)
        layout.addWidget(box)
        self.product_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted or not picker.value():
            return False
        try:
            rounds.add_product(self.store, self.round_id, picker.value())
        except UserError as exc:
            _explain(self.message, exc)
            return False
        self.refresh()
        return True

    def decide(self) -> bool:
        """Ask for the decision's number, date and signer; record it for every product."""
        dialog = DecisionDialog(self)
        self.decision_dialog = dialog
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        return self.record_decision(dialog.values())

    def record_decision(self, values: dict[str, str]) -> bool:
        self.message.hide()
        try:
            batch_decisions.record(self.store, self.round_id, values)
        except UserError as exc:
            _explain(self.message, exc)
            return False
        self.refresh()
        return True

    def save_pdf(self, kind: str, path: str | None = None) -> Path | None:
        """Write one of the round's documents; asks where unless ``path`` is given."""
        from ocop_desktop.reports import round_documents as docs

        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, tr(f"round.button.{kind}"), tr(f"round.file.{kind}"), "PDF (*.pdf)"
            )
            if not path:
                return None
        self.message.hide()
        try:
            if kind == "minutes":
                return docs.minutes(self.store, self.round_id, path)
            if kind == "results":
                return docs.results_list(self.store, self.round_id, path)
            batch = batch_decisions.for_round(self.store, self.round_id)
            if batch is None:
                raise UserError("batch.none_yet")
            if kind == "decision":
                return docs.decision(self.store, batch["id"], path)
            ids = [r["id"] for r in batch["recognitions"]]
            # About 0.1 s a page: off the UI thread, with a progress dialog and Cancel.
            from ocop_desktop.gui.workers import own_store, run_with_progress

            signer = batch.get("signer") or ""
            return run_with_progress(
                self,
                tr("round.button.certificates"),
                self.store,
                own_store(
                    lambda store, progress: docs.certificate_pages(
                        store, ids, path, signer=signer, progress=progress
                    )
                ),
            )
        except Cancelled:
            return None  # the half-written file is removed by the writer
        except (UserError, OSError) as exc:
            _explain(self.message, exc)
            return None


class DecisionDialog(QDialog):
    """Number, date, issuer and signer of a round's batch decision."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("round.button.decide"))
        form = QFormLayout(self)
        self.number = QLineEdit(self)
        self.number.setPlaceholderText("715/QĐ-UBND")
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        today = clock.today()
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.issuer = QLineEdit(self)
        self.issuer.setPlaceholderText(tr("round.issuer_default"))
        self.signer = QLineEdit(self)
        self.signer_title = QLineEdit(self)
        for key, widget in (
            ("field.decision_no", self.number),
            ("field.decision_date", self.date),
            ("field.issuer", self.issuer),
            ("field.signer", self.signer),
            ("field.signer_title", self.signer_title),
        ):
            form.addRow(tr(key), widget)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def values(self) -> dict[str, str]:
        out = {
            "decision_no": self.number.text(),
            "decision_date": self.date.date().toString("yyyy-MM-dd"),
            "issuer": self.issuer.text(),
            "signer": self.signer.text(),
            "signer_title": self.signer_title.text(),
        }
        return {k: v for k, v in out.items() if v.strip()}


class NewRoundDialog(QDialog):
    """The council of a new round: name, date, level, chair, members, secretary, place."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.round_id: str | None = None
        self.setWindowTitle(tr("round.new_title"))
        form = QFormLayout(self)
        self.name = QLineEdit(self)
        self.name.setObjectName("name")
        self.date = QDateEdit(self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        today = clock.today()
        self.date.setDate(QDate(today.year, today.month, today.day))
        self.level = QComboBox(self)
        for level in rounds.COUNCIL_LEVELS:
            self.level.addItem(tr(f"level.{level}"), level)
        self.level.setCurrentIndex(rounds.COUNCIL_LEVELS.index("province"))
        self.chair = QLineEdit(self)
        self.members = QPlainTextEdit(self)
        self.members.setPlaceholderText(tr("round.members_hint"))
        self.members.setMaximumHeight(90)
        self.secretary = QLineEdit(self)
        self.place = QLineEdit(self)
        for key, widget in (
            ("field.name", self.name),
            ("field.round_date", self.date),
            ("field.level", self.level),
            ("field.chair", self.chair),
            ("field.members", self.members),
            ("field.secretary", self.secretary),
            ("field.place", self.place),
        ):
            form.addRow(tr(key), widget)
        self.message = QLabel(self)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        form.addRow(self.message)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        form.addRow(box)

    def values(self) -> dict:
        members = [m.strip() for m in self.members.toPlainText().splitlines() if m.strip()]
        return {
            "name": self.name.text(),
            "round_date": self.date.date().toString("yyyy-MM-dd"),
            "level": self.level.currentData(),
            "chair": self.chair.text(),
            "members": members,
            "secretary": self.secretary.text(),
            "place": self.place.text(),
        }

    def accept(self) -> None:
        try:
            self.round_id = rounds.create(self.store, self.values())
        except UserError as exc:
            _explain(self.message, exc)
            return
        super().accept()


class RoundsPanel(QWidget):
    """The list of rounds (a tab of the evaluations & certificates page)."""

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setObjectName("rounds_panel")
        root = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.new_button = QPushButton(tr("round.new_title"), self)
        self.new_button.clicked.connect(self.new_record)
        bar.addWidget(self.new_button)
        bar.addStretch(1)
        root.addLayout(bar)
        self.list = QListWidget(self)
        self.list.setObjectName("rounds_list")
        self.list.itemActivated.connect(
            lambda item: self.open_round(item.data(Qt.ItemDataRole.UserRole))
        )
        root.addWidget(self.list, 1)
        self.refresh()

    def refresh(self) -> None:
        from PySide6.QtWidgets import QListWidgetItem

        self.list.clear()
        for r in rounds.list_(self.store):
            when = QDate.fromString(r["round_date"], "yyyy-MM-dd").toString("dd/MM/yyyy")
            text = tr(
                "round.list_item",
                date=when,
                name=r["name"],
                level=_lower_first(tr(f"level.{r['level']}")),
                products=r["products"],
                decision=r["decisions"] or tr("round.no_decision"),
            )
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, r["id"])

    def is_ready(self) -> bool:
        return True

    def focus_filter(self) -> None:
        self.list.setFocus()

    def new_record(self) -> None:
        dialog = NewRoundDialog(self.store, self)
        self.new_dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.round_id:
            self.refresh()
            self.open_round(dialog.round_id)

    def open_round(self, round_id: str) -> None:
        dialog = RoundDialog(self.store, round_id, self)
        self.round_dialog = dialog
        dialog.exec()
        self.refresh()
