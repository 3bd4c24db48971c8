"""The scoring sheet dialog (phiếu chấm điểm): one option per criterion, running
totals per part, and the stars with the minimum requirement that caps them.

Built in code rather than in a Designer file: every product set has its own
sheet (26 to 36 criteria, 2 to 7 options each), so all rows come from the data;
a .ui file would hold only an empty scroll area and a button box.

Keyboard: the focus starts on the first criterion; ↑/↓ (or the digit of the
option, 1 for the first) choose one of its options, even before any is chosen;
Enter moves on to the next criterion, and is OK once all are answered; Tab and
Shift+Tab move between criteria; Esc cancels.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ocop_desktop import refdata, rubric
from ocop_desktop.gui.forms.base import ERROR_STYLE
from ocop_desktop.gui.forms.fields import locale, show_number
from ocop_desktop.i18n import tr

MUTED_STYLE = "color: #555;"
MARK_STYLE = "color: #8a5a00; font-weight: bold;"
PART_STYLE = "background: #e8eef7; padding: 4px;"


class _OptionLabel(QLabel):
    """An option's text, wrapped; a click chooses the option like the radio button."""

    def __init__(self, text: str, button: QRadioButton, parent: QWidget) -> None:
        super().__init__(text, parent)
        self.button = button
        self.setWordWrap(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            self.button.click()
            self.button.setFocus(Qt.FocusReason.MouseFocusReason)
        super().mouseReleaseEvent(event)


def _heading(text: str, parent: QWidget, scale: float = 1.0) -> QLabel:
    """A bold, wrapping label (scaled for a part's title)."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    font = QFont(label.font())
    font.setBold(True)
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


def option_text(option: rubric.Option) -> str:
    return option.title if option.key != rubric.NONE_KEY else tr("rubric.none_option")


def cap_text(result: rubric.Score) -> str:
    """Why the stars are lower than the points give: the unmet requirements."""
    if not result.capped_by:
        return ""
    stars = result.capped_by[0].stars
    unmet = "; ".join(
        tr(
            "rubric.requirement",
            criterion=r.criterion.key,
            title=r.criterion.title.splitlines()[0],
            option=option_text(r.option).splitlines()[0],
        )
        for r in result.capped_by
    )
    return tr("rubric.capped", stars=stars, by_points=result.stars_by_points, unmet=unmet)


def stars_text(result: rubric.Score) -> str:
    band = refdata.load().band(result.stars)
    key = "forms.stars_band" if band.certificate else "forms.stars_no_certificate"
    return tr(key, stars=result.stars)


class ScoringSheetDialog(QDialog):
    """Shows the sheet of a product set; ``choices()`` after OK."""

    default_size = (1000, 680)  # fits a 1366×768 screen; the sheet scrolls

    def __init__(
        self,
        sheet: rubric.Sheet,
        choices: Mapping[str, int] | None = None,
        *,
        product_name: str = "",
        allow_clear: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.sheet = sheet
        # True after "Drop the sheet": the evaluation goes back to points typed by hand.
        self.cleared = False
        self.setLocale(locale())
        self.setSizeGripEnabled(True)
        ps = refdata.load().product_sets.get(sheet.product_set)
        self.setWindowTitle(tr("rubric.dialog_title", name=product_name or "-"))
        self.groups: dict[str, QButtonGroup] = {}
        self.buttons: dict[tuple[str, int], QRadioButton] = {}
        self.headings: dict[str, QLabel] = {}

        root = QVBoxLayout(self)
        intro = QLabel(
            tr("rubric.intro", set=sheet.product_set, set_name=ps.name if ps else ""), self
        )
        intro.setWordWrap(True)
        root.addWidget(intro)

        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        content = QWidget(self.scroll)
        content.setObjectName("sheet_content")
        body = QVBoxLayout(content)
        for part in sheet.parts:
            self._add_part(body, part)
        body.addStretch(1)
        self.scroll.setWidget(content)
        root.addWidget(self.scroll, 1)

        self.totals = QLabel(self)
        self.totals.setObjectName("sheet_totals")
        self.stars = QLabel(self)
        self.stars.setObjectName("sheet_stars")
        # Why the stars are capped, and how many criteria are left.
        self.notes = QLabel(self)
        self.notes.setObjectName("sheet_notes")
        self.notes.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setObjectName("sheet_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        bold = QFont(self.totals.font())
        bold.setBold(True)
        for label in (self.totals, self.stars, self.notes):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            root.addWidget(label)
        self.totals.setFont(bold)
        self.stars.setFont(bold)
        root.addWidget(self.message)

        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.button_box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(tr("rubric.ok"))
        self.ok_button.setToolTip("Enter")
        self.ok_button.setDefault(True)
        cancel = self.button_box.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("forms.cancel"))
        cancel.setToolTip("Esc")
        if allow_clear:
            self.clear_button = self.button_box.addButton(
                tr("rubric.clear"), QDialogButtonBox.ButtonRole.ResetRole
            )
            self.clear_button.setAutoDefault(False)
            self.clear_button.clicked.connect(self.clear)
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)
        root.addWidget(self.button_box)

        for key, option in (choices or {}).items():
            button = self.buttons.get((key, option))
            if button is not None:
                button.setChecked(True)
        self.refresh()
        from ocop_desktop.gui import screen_fit
        from ocop_desktop.gui.help_viewer import add_f1

        screen_fit.fit(self, QSize(*self.default_size), QSize(560, 360))
        add_f1(self, "certificates")
        first = self._focus_button(sheet.criteria[0].key) if sheet.criteria else None
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- building ----------------------------------------------------------------
    def _add_part(self, body: QVBoxLayout, part: rubric.Part) -> None:
        heading = _heading(" ".join(part.title.split()), self, scale=1.15)
        heading.setStyleSheet(PART_STYLE)
        body.addWidget(heading)
        for section in part.sections:
            only = len(section.criteria) == 1 and section.criteria[0].title == section.title
            if not only:
                title = section.title.replace("\n", " ")
                max_points = show_number(section.max_points)
                body.addWidget(_heading(tr("rubric.section", title=title, max=max_points), self))
                if section.description:  # e.g. a note on the transcription of this section
                    note = QLabel(section.description, self)
                    note.setWordWrap(True)
                    note.setStyleSheet(MUTED_STYLE)
                    body.addWidget(note)
            for criterion in section.criteria:
                body.addWidget(self._criterion_frame(criterion))

    def _criterion_frame(self, criterion: rubric.Criterion) -> QFrame:
        frame = QFrame(self)
        frame.setObjectName(f"criterion_{criterion.key}")
        grid = QGridLayout(frame)
        grid.setContentsMargins(16, 4, 4, 4)
        grid.setColumnStretch(1, 1)
        text = tr(
            "rubric.criterion",
            code=criterion.key,
            title=criterion.title.replace("\n", " – "),
            max=show_number(criterion.max_points),
        )
        heading = _heading(text, frame)
        self.headings[criterion.key] = heading
        grid.addWidget(heading, 0, 0, 1, 4)
        row = 1
        if criterion.description:
            note = QLabel(criterion.description, frame)
            note.setWordWrap(True)
            note.setStyleSheet(MUTED_STYLE)
            grid.addWidget(note, row, 0, 1, 4)
            row += 1
        group = QButtonGroup(frame)
        group.setExclusive(True)
        self.groups[criterion.key] = group
        for option in criterion.options:
            text = option_text(option)
            button = QRadioButton(frame)
            button.setObjectName(f"option_{criterion.key}_{option.key}")
            button.setAccessibleName(f"{criterion.key}.{option.key} {text}")
            button.setProperty("criterion", criterion.key)
            button.installEventFilter(self)
            group.addButton(button, option.key)
            self.buttons[(criterion.key, option.key)] = button
            button.toggled.connect(self.refresh)
            label = _OptionLabel(text, button, frame)
            if option.key == rubric.NONE_KEY:
                label.setStyleSheet(MUTED_STYLE)
            points = QLabel(tr("rubric.points", points=show_number(option.points)), frame)
            points.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            mark = QLabel(
                tr("rubric.minimum_mark", stars=option.min_stars) if option.min_stars else "",
                frame,
            )
            mark.setStyleSheet(MARK_STYLE)
            if option.min_stars:
                mark.setToolTip(tr("rubric.minimum_tip", stars=option.min_stars))
            grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(label, row, 1)
            grid.addWidget(points, row, 2, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(mark, row, 3, Qt.AlignmentFlag.AlignTop)
            row += 1
        grid.setColumnMinimumWidth(2, 60)
        grid.setColumnMinimumWidth(3, 44)
        return frame

    # ---- keyboard ------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if event.type() == QEvent.Type.KeyPress and isinstance(watched, QRadioButton):
            key = watched.property("criterion")
            if key in self.groups and self._key_on_option(key, watched, event):
                return True
        return super().eventFilter(watched, event)

    def _key_on_option(self, key: str, button: QRadioButton, event: QKeyEvent) -> bool:
        """↑/↓ and digits choose an option of criterion ``key``; Enter moves on."""
        buttons = self.groups[key].buttons()
        checked = self.groups[key].checkedButton()
        here = buttons.index(checked) if checked in buttons else -1
        k = event.key()
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if k in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            step = 1 if k == Qt.Key.Key_Down else -1
            target = 0 if here < 0 else min(max(here + step, 0), len(buttons) - 1)
            self._choose(buttons[target])
            return True
        if Qt.Key.Key_1 <= k <= Qt.Key.Key_9:
            n = k - Qt.Key.Key_1
            if n < len(buttons):
                self._choose(buttons[n])
            return True
        if k in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.next_criterion(key)
            return True
        return False

    def _choose(self, button: QRadioButton) -> None:
        button.setChecked(True)
        button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.scroll.ensureWidgetVisible(button)

    def next_criterion(self, key: str) -> None:
        """Focus the criterion after ``key``; OK once every criterion is answered (or
        after the last one, which then says what is left)."""
        keys = [c.key for c in self.sheet.criteria]
        later = keys[keys.index(key) + 1 :] if key in keys else []
        if not later or len(self.choices()) == len(keys):
            self.accept()
            return
        button = self._focus_button(later[0])
        if button is not None:
            button.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scroll.ensureWidgetVisible(self.headings[later[0]])
            self.scroll.ensureWidgetVisible(button)

    # ---- state ---------------------------------------------------------------------
    def choices(self) -> dict[str, int]:
        """Criterion key -> chosen option key, for the criteria answered so far."""
        return {k: g.checkedId() for k, g in self.groups.items() if g.checkedButton() is not None}

    def score(self) -> rubric.Score:
        return rubric.score(self.sheet, self.choices())

    def refresh(self) -> None:
        result = rubric.score(self.sheet, self.choices())
        parts = "   ".join(
            tr(
                "rubric.part_total",
                part=p.code,
                points=show_number(result.parts.get(p.code, 0)),
                max=show_number(p.max_points),
            )
            for p in self.sheet.parts
        )
        total = tr("rubric.total", points=show_number(result.total))
        self.totals.setText(f"{parts}   {total}")
        self.stars.setText(tr("rubric.stars", stars=stars_text(result)))
        lines = [cap_text(result)]
        if result.unanswered:
            lines.append(tr("rubric.left", count=len(result.unanswered)))
        self.notes.setText("\n".join(line for line in lines if line))
        self.notes.setVisible(bool(self.notes.text()))
        for key, heading in self.headings.items():
            flagged = key in result.unanswered and not self.message.isHidden()
            heading.setStyleSheet(ERROR_STYLE if flagged else "")
        if self.message.isVisible() and not result.unanswered:
            self.message.hide()

    def _focus_button(self, key: str) -> QRadioButton | None:
        group = self.groups.get(key)
        if group is None:
            return None
        return group.checkedButton() or (group.buttons()[0] if group.buttons() else None)

    def accept(self) -> None:
        """OK only with one option chosen for every criterion; otherwise show the
        first criterion left and say how many are left."""
        unanswered = rubric.score(self.sheet, self.choices()).unanswered
        if unanswered:
            self.message.setText(
                tr("rubric.unanswered", count=len(unanswered), criteria=", ".join(unanswered))
            )
            self.message.show()
            self.refresh()
            button = self._focus_button(unanswered[0])
            if button is not None:
                self.scroll.ensureWidgetVisible(self.headings[unanswered[0]])
                button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        super().accept()

    def clear(self) -> None:
        self.cleared = True
        QDialog.accept(self)
