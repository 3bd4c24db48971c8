"""Windows and dialogs sized to the screen they open on, at any display scaling.

At 125% scaling a 1366×768 laptop screen is 1093×614 logical pixels (911×512 at
150%), less the task bar: a window asked for at 1280×720 opened off the screen and
a dialog's buttons out of reach. Every top-level window here asks for its size
through ``fit``, which keeps it, its minimum size and its frame inside
``QScreen.availableGeometry()``.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# Room for the window frame and title bar, which availableGeometry() still includes.
FRAME = QSize(16, 40)


def available(widget: QWidget | None = None) -> QRect:
    screen = None
    if widget is not None:
        parent = widget.parentWidget()
        screen = (parent.window() if parent is not None else widget).screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def room(widget: QWidget | None = None) -> QSize:
    """The largest client size a window can have on the widget's screen."""
    area = available(widget)
    return QSize(max(area.width() - FRAME.width(), 200), max(area.height() - FRAME.height(), 150))


def fit(widget: QWidget, preferred: QSize, minimum: QSize | None = None) -> None:
    """Size ``widget`` to ``preferred`` (and ``minimum``) within its screen, centred on it."""
    space = room(widget)
    if minimum is not None:
        widget.setMinimumSize(minimum.boundedTo(space))
    else:
        widget.setMinimumSize(widget.minimumSize().boundedTo(space))
    widget.resize(preferred.boundedTo(space).expandedTo(widget.minimumSize()))
    centre(widget)


def centre(widget: QWidget) -> None:
    area = available(widget)
    parent = widget.parentWidget()
    middle = parent.window().frameGeometry().center() if parent is not None else area.center()
    frame = widget.frameGeometry()
    frame.setSize(widget.size() + FRAME)
    frame.moveCenter(middle)
    keep_inside(widget, frame.topLeft())


def keep_inside(widget: QWidget, top_left=None) -> None:
    """Move (and if need be shrink) a window so that all of it is on its screen."""
    area = available(widget)
    space = room(widget)
    if widget.width() > space.width() or widget.height() > space.height():
        widget.setMinimumSize(widget.minimumSize().boundedTo(space))
        widget.resize(widget.size().boundedTo(space))
    pos = top_left if top_left is not None else widget.pos()
    x = min(max(pos.x(), area.left()), area.right() + 1 - widget.width() - FRAME.width())
    y = min(max(pos.y(), area.top()), area.bottom() + 1 - widget.height() - FRAME.height())
    widget.move(max(x, area.left()), max(y, area.top()))
