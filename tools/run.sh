#!/usr/bin/env bash
# The README's "start the app" command: make the venv on first use, install the
# project, start the desktop app (arguments are passed on, e.g. --db FILE --lang en).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${OCOP_VENV:-.venv}"
if [ ! -x "$VENV/bin/ocop-desktop" ] || [ pyproject.toml -nt "$VENV/.installed" ]; then
  echo "Lần chạy đầu: đang cài môi trường Python vào $VENV (khoảng một phút)…" >&2
  echo "First run: setting up the Python environment in $VENV (about a minute)…" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e ".[test]"
  touch "$VENV/.installed"
  echo "Xong. Đang mở ứng dụng… / Done. Starting the app…" >&2
fi
# On Linux with a display, name the system libraries Qt's window plugin lacks (by
# package) instead of Qt's own message, which blames libxcb-cursor0 whatever is missing.
case "${QT_QPA_PLATFORM:-xcb}" in
  xcb*) "$VENV/bin/python" tools/qt_platform_check.py ;;
esac
exec "$VENV/bin/ocop-desktop" "$@"
