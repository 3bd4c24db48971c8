#!/usr/bin/env bash
# The desktop app's screenshots for the README: demo data of the Nga Sơn area,
# a real X display (Xvfb) at 1366×768. Usage: tools/make_gui_screenshots.sh [DB_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-python}"
DIR="${1:-$HOME/OCOP}"
DB="$DIR/ocop-screenshots.sqlite"
export OCOP_DATA_DIR="$DIR/data"
mkdir -p "$DIR" docs/screenshots
# Demo records in an ordinary database (`ocop init` without --demo, then `ocop demo`):
# the pages as an officer sees them, without the demo banner of the app's demo button.
rm -f "$DB"
"$PY" -m ocop_desktop --db "$DB" init --role office --office 401 --officer "Lê Thị Hoa" >/dev/null
"$PY" -m ocop_desktop --db "$DB" demo --products 400 >/dev/null
shoot() {
  xvfb-run -a -s "-screen 0 1366x768x24" "$PY" -m ocop_desktop.gui.app --db "$DB" "$@"
}
for page in overview products producers certificates evaluations settings; do
  shoot --page "$page" --screenshot "docs/screenshots/$page.png"
done
shoot --page products --find "banh gai" --screenshot docs/screenshots/products-find.png
