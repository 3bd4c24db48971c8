"""``ocop-desktop``: start the Qt application."""

from __future__ import annotations

import argparse
import sys


def parse_args(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="ocop-desktop")
    p.add_argument("--db", help="database file")
    p.add_argument("--lang", choices=["vi", "en"])
    p.add_argument("--page", default="overview")
    p.add_argument("--screenshot", help="save the window as PNG after it is drawn, then exit")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    from ocop_desktop import __version__

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle(f"OCOP Desktop {__version__}")
    window.setCentralWidget(QLabel("OCOP Desktop"))
    window.resize(1280, 720)
    window.show()
    if args.screenshot:

        def shoot() -> None:
            window.grab().save(args.screenshot)
            app.quit()

        QTimer.singleShot(200, shoot)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
