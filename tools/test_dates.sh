#!/usr/bin/env bash
# Run the suite again with today moved (OCOP_TODAY), so a test or a rule that
# assumes a date fails before that date comes round, not after. The dates: 400
# days ahead, the day before the 2025 reform's decision on who recognises what
# (Decision 1489/QĐ-TTg took effect on 6 July 2025), and a leap day.
#
#   bash tools/test_dates.sh                 # the three dates, after tools/test.sh
#   bash tools/test_dates.sh 2030-01-01      # any dates
#
# Tests that mean a date pin it with @pytest.mark.today and are not moved.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${OCOP_VENV:-.venv}"
if [ "$#" -eq 0 ]; then
  set -- "$("$VENV/bin/python" -c 'import datetime; print(datetime.date.today() + datetime.timedelta(days=400))')" 2025-06-30 2028-02-29
fi
for day in "$@"; do
  echo "== tests with today = $day"
  OCOP_TODAY="$day" QT_QPA_PLATFORM=offscreen "$VENV/bin/python" -m pytest -n "${OCOP_TEST_WORKERS:-auto}" -q -p no:cacheprovider -m "not slow"
done
