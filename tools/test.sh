#!/usr/bin/env bash
# The README's test command: make the venv if needed, install the project with its
# test extras, check style, the layer contracts and the core's types, run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${OCOP_VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q -e ".[test]"
touch "$VENV/.installed"
"$VENV/bin/ruff" check .
"$VENV/bin/ruff" format --check .
"$VENV/bin/lint-imports" --no-cache
"$VENV/bin/mypy"
# One worker per core (OCOP_TEST_WORKERS=0 runs in this process, e.g. to debug).
QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -m pytest -n "${OCOP_TEST_WORKERS:-auto}" "$@"
