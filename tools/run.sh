#!/usr/bin/env bash
# The README's "start the app" command: make the venv on first use, install the
# project, start the desktop app (arguments are passed on, e.g. --db FILE --lang en).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${OCOP_VENV:-.venv}"
if [ ! -x "$VENV/bin/ocop-desktop" ] || [ pyproject.toml -nt "$VENV/.installed" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q -e ".[test]"
  touch "$VENV/.installed"
fi
exec "$VENV/bin/ocop-desktop" "$@"
