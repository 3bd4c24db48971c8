#!/usr/bin/env bash
# The scripted round of the sync issue, with the ocop command only:
# a province and two offices, demo data in each office, bundles both ways
# through the province, a provincial decision travelling back, re-imports
# that change nothing. Usage: tools/sync_round.sh [folder]   (default: a temp dir)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-/work/venv/bin/python}"
DIR="${1:-$(mktemp -d)}"
mkdir -p "$DIR/usb"
ocop() { (cd "$ROOT" && "$PY" -m ocop_desktop "$@"); }

ocop --db "$DIR/province.sqlite" init --role province --province 38 --officer "Nguyễn Văn An"
ocop --db "$DIR/ngason.sqlite" init --role office --office 401 --officer "Lê Thị Hoa"
ocop --db "$DIR/nhuxuan.sqlite" init --role office --office 402 --officer "Trần Văn Bình"
ocop --db "$DIR/ngason.sqlite" demo --products 300 --seed 1
ocop --db "$DIR/nhuxuan.sqlite" demo --products 200 --seed 2

echo "== offices -> province (first bundles, province not known yet)"
ocop --db "$DIR/ngason.sqlite" sync export --out "$DIR/usb"
ocop --db "$DIR/nhuxuan.sqlite" sync export --out "$DIR/usb"
for f in "$DIR"/usb/ocop-40*-to-tinh-38-*-001.zip; do
  ocop --db "$DIR/province.sqlite" sync import "$f" --trust-new
done

echo "== the province decides on a Nga Sơn product"
PRODUCT=$(ocop --db "$DIR/province.sqlite" products list --commune 16171 --limit 1 --json \
  | "$PY" -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
printf '{"product_id": "%s", "decision_no": "9876/QĐ-UBND", "decision_date": "2026-11-20", "stars": 4, "points": 75}' \
  "$PRODUCT" | ocop --db "$DIR/province.sqlite" recognitions add --json-file -

echo "== province -> offices"
ocop --db "$DIR/province.sqlite" sync export --out "$DIR/usb" --to 401
ocop --db "$DIR/province.sqlite" sync export --out "$DIR/usb" --to 402
ocop --db "$DIR/ngason.sqlite" sync import "$DIR"/usb/ocop-tinh-38-to-401-*.zip --trust-new
ocop --db "$DIR/nhuxuan.sqlite" sync import "$DIR"/usb/ocop-tinh-38-to-402-*.zip --trust-new

echo "== every bundle again: nothing changes"
for f in "$DIR"/usb/*.zip; do
  case "$f" in
    *to-tinh-38*) ocop --db "$DIR/province.sqlite" sync import "$f" ;;
    *to-401*) ocop --db "$DIR/ngason.sqlite" sync import "$f" ;;
    *to-402*) ocop --db "$DIR/nhuxuan.sqlite" sync import "$f" ;;
  esac
done

echo "== result"
for n in province ngason nhuxuan; do
  printf '%-9s ' "$n"
  sqlite3 -readonly "$DIR/$n.sqlite" \
    "SELECT (SELECT count(*) FROM producers) || ' producers, ' || (SELECT count(*) FROM products) || ' products, ' || (SELECT count(*) FROM recognitions) || ' recognitions, decision 9876: ' || (SELECT count(*) FROM recognitions WHERE decision_no = '9876/QĐ-UBND')" 2>/dev/null \
  || "$PY" -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(*[c.execute(q).fetchone()[0] for q in ('select count(*) from producers','select count(*) from products','select count(*) from recognitions',\"select count(*) from recognitions where decision_no='9876/QĐ-UBND'\")])" "$DIR/$n.sqlite"
done
ocop --db "$DIR/province.sqlite" sync status
