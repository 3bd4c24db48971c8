#!/usr/bin/env bash
# Build the one-folder app with build_installer.spec, then use it the way a
# district laptop would: from the frozen executables alone, with an empty
# environment (`env -i`: no PATH, so no Python, no venv). Prints the build time,
# the folder size and the GUI start-up time frozen vs. from source.
#
#   bash tools/smoke_frozen.sh          # uses .venv (made by tools/test.sh)
#   OCOP_VENV=/path/to/venv bash tools/smoke_frozen.sh
#
# Exit status 0 only if every check passed. Runs from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV="${OCOP_VENV:-.venv}"
PY="$VENV/bin/python"
APP="$ROOT/dist/OCOP-Desktop"
RUNS="${OCOP_STARTUP_RUNS:-5}"
MAX_SIZE_MB=250
MAX_STARTUP_RATIO=1.5

if [ ! -x "$PY" ]; then
  echo "no Python at $PY: run tools/test.sh first (it makes $VENV) or set OCOP_VENV" >&2
  exit 1
fi
if ! "$PY" -m PyInstaller --version >/dev/null 2>&1; then
  "$PY" -m pip install -q -e ".[build]"
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
step() { printf '\n== %s\n' "$*"; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
# The frozen programs get nothing from this shell: no PATH, no PYTHON*, no venv.
frozen() { env -i HOME="$WORK/home" LANG=C.UTF-8 "$@"; }

step "build: pyinstaller build_installer.spec"
start=$(now)
"$PY" -m PyInstaller --noconfirm --clean --log-level ERROR build_installer.spec
BUILD_S=$(elapsed "$start" "$(now)")
SIZE_MB=$(du -sm "$APP" | cut -f1)
echo "build time: ${BUILD_S} s; folder size: ${SIZE_MB} MB ($APP)"
# Size and start-up are figures to report, not pass/fail checks: a timing
# depends on the machine's load, and a few MB on the versions pip resolves.
[ "$SIZE_MB" -le "$MAX_SIZE_MB" ] || echo "TARGET MISSED: folder over ${MAX_SIZE_MB} MB"

step "libraries: nothing resolves into a venv or outside system folders"
mkdir -p "$WORK/home"
LIBS="$WORK/libs.txt"
find "$APP" -type f \( -name '*.so' -o -name '*.so.*' -o -perm -u+x \) -print0 |
  while IFS= read -r -d '' f; do
    [ "$(head -c 4 "$f" | tail -c 3)" = "ELF" ] || continue
    LD_LIBRARY_PATH="$APP/_internal" ldd "$f" 2>/dev/null | sed "s|^|$f: |" || true
  done >"$LIBS"
if grep -E "not found" "$LIBS" >"$WORK/missing.txt"; then
  echo "FAIL: unresolved libraries:" >&2
  sort -u "$WORK/missing.txt" >&2
  exit 1
fi
if grep -E "=> (/work/venv|$ROOT/$VENV|.*site-packages)" "$LIBS"; then
  echo "FAIL: a library resolves into a virtual environment" >&2
  exit 1
fi
echo "system libraries used (not bundled):"
grep -oE "=> /(usr/)?lib[^ ]*" "$LIBS" | grep -v "^=> $APP" | sed 's|=> ||; s|.*/||' | sort -u |
  tr '\n' ' '
echo

step "ocop --version"
frozen "$APP/ocop" --version

DB="$WORK/ocop.sqlite"
step "ocop init"
frozen "$APP/ocop" --db "$DB" init --role office --office 401 --officer "Lê Thị Hằng"

if [ -f ocop_desktop/demo.py ]; then
  step "ocop demo --products 50"
  frozen "$APP/ocop" --db "$DB" demo --products 50
  frozen "$APP/ocop" --db "$DB" check
else
  echo "(ocop_desktop/demo.py not on this branch yet: demo skipped)"
fi

step "encrypted at rest: SQLCipher in the frozen app, the key where the app says"
frozen "$APP/ocop" --db "$DB" key status
if head -c 16 "$DB" | grep -q "SQLite format 3"; then
  echo "FAIL: the database is not encrypted" >&2
  exit 1
fi
frozen "$APP/ocop" --db "$DB" key sheet --out "$WORK/sheet.pdf"
head -c 5 "$WORK/sheet.pdf" | grep -q '%PDF' || { echo "FAIL: no recovery sheet" >&2; exit 1; }

if frozen "$APP/ocop" report --help >/dev/null 2>&1; then
  step "ocop report (PDF with embedded fonts)"
  PDF="$WORK/report.pdf"
  frozen "$APP/ocop" --db "$DB" report --out "$PDF"
  if command -v pdffonts >/dev/null; then
    pdffonts "$PDF"
    # Columns: name type encoding emb sub uni object ID; every font must be embedded.
    if pdffonts "$PDF" | tail -n +3 | awk '{ if ($(NF-4) != "yes") bad = 1 } END { exit !bad }'; then
      echo "FAIL: a font is not embedded in the report" >&2
      exit 1
    fi
  else
    "$PY" - "$PDF" <<'EOF'
import sys
from pypdf import PdfReader

missing = set()
for page in PdfReader(sys.argv[1]).pages:
    for font in (page.get("/Resources", {}).get("/Font") or {}).values():
        font = font.get_object()
        fonts = [f.get_object() for f in font.get("/DescendantFonts", [])] or [font]
        for f in fonts:
            desc = f.get("/FontDescriptor")
            desc = desc.get_object() if desc else {}
            if not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.add(str(f.get("/BaseFont")))
if missing:
    sys.exit(f"FAIL: fonts not embedded: {sorted(missing)}")
print("all fonts embedded")
EOF
  fi
else
  echo "(no 'ocop report' on this branch yet: report check skipped)"
fi

step "GUI offscreen: ocop-desktop --screenshot"
SHOT="$WORK/frozen.png"
frozen QT_QPA_PLATFORM=offscreen "$APP/ocop-desktop" --db "$DB" --screenshot "$SHOT"
head -c 8 "$SHOT" | od -An -c | grep -q 'P   N   G' || { echo "FAIL: no PNG from the GUI" >&2; exit 1; }
echo "screenshot: $(stat -c %s "$SHOT") bytes"
# The reports page needs QtPdf/QtPdfWidgets; windows and forms come from ui/*.ui (QtUiTools).
for page in reports products; do
  frozen QT_QPA_PLATFORM=offscreen "$APP/ocop-desktop" --db "$DB" --page "$page" \
    --screenshot "$WORK/$page.png"
  echo "page $page: $(stat -c %s "$WORK/$page.png") bytes"
done

step "GUI start-up to screenshot, frozen vs. from source (median of $RUNS, alternating)"
time_run() {
  local t0
  t0=$(now)
  "$@" >/dev/null 2>&1
  elapsed "$t0" "$(now)"
}
: >"$WORK/frozen.times"
: >"$WORK/source.times"
for _ in $(seq "$RUNS"); do
  time_run frozen QT_QPA_PLATFORM=offscreen "$APP/ocop-desktop" --db "$DB" \
    --screenshot "$WORK/f.png" >>"$WORK/frozen.times"
  echo >>"$WORK/frozen.times"
  time_run env QT_QPA_PLATFORM=offscreen "$PY" -m ocop_desktop.gui.app --db "$DB" \
    --screenshot "$WORK/s.png" >>"$WORK/source.times"
  echo >>"$WORK/source.times"
done
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
FROZEN_S=$(median "$WORK/frozen.times")
SOURCE_S=$(median "$WORK/source.times")
RATIO=$(awk -v f="$FROZEN_S" -v s="$SOURCE_S" 'BEGIN { printf "%.2f", f / s }')
echo "frozen ${FROZEN_S} s, from source ${SOURCE_S} s, ratio ${RATIO} (target <= ${MAX_STARTUP_RATIO})"

step "summary"
echo "build ${BUILD_S} s | folder ${SIZE_MB} MB | GUI start-up frozen ${FROZEN_S} s," \
  "source ${SOURCE_S} s, ratio ${RATIO}"
if awk -v r="$RATIO" -v m="$MAX_STARTUP_RATIO" 'BEGIN { exit !(r > m) }'; then
  echo "TARGET MISSED: frozen start-up over ${MAX_STARTUP_RATIO}x the source start-up"
fi
echo "frozen smoke test passed"
