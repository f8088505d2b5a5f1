#!/usr/bin/env bash
# Spreadsheet import benchmark: `yishi issue import` of an .xlsx against the CSV of the same rows,
# in the same run.
#
#   bash scripts/bench-xlsx.sh            # 100,000 rows
#   bash scripts/bench-xlsx.sh 20000      # fewer rows
#
# Both files come from examples/gen_survey.rs (the .xlsx keeps phones as numbers and dates as
# date cells, as Excel does). Each side runs RUNS times (default 5), alternating, into a fresh
# database; prints the median with min and max, rows/s, and the ratio xlsx ÷ csv.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
runs=${RUNS:-5}

cargo build --release --quiet --bin yishi --example gen_survey
yishi=target/release/yishi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

target/release/examples/gen_survey "$rows" > "$work/issues.csv"
target/release/examples/gen_survey "$rows" --xlsx "$work/issues.xlsx"
echo "files: $rows rows; CSV $(du -k "$work/issues.csv" | cut -f1) KiB, XLSX $(du -k "$work/issues.xlsx" | cut -f1) KiB"

calc() { awk "BEGIN { print $1 }"; }
one() { # file → wall seconds; checks that every row was imported
  rm -f "$work"/y.db* "$work/yishi.toml"
  "$yishi" --db "$work/y.db" init -q
  local start end imported
  start=$(date +%s.%N)
  "$yishi" --db "$work/y.db" --json issue import "$1" --no-hints > "$work/summary.json"
  end=$(date +%s.%N)
  imported=$(grep -o '"imported": *[0-9]*' "$work/summary.json" | grep -o '[0-9]*$')
  if [ "$imported" != "$rows" ]; then
    echo "expected $rows rows from $1, imported $imported" >&2
    exit 1
  fi
  calc "$end - $start"
}
# median min max of the arguments
stats() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m, a[1], a[NR] }'; }

csv_times=(); xlsx_times=()
for _ in $(seq "$runs"); do
  csv_times+=("$(one "$work/issues.csv")")
  xlsx_times+=("$(one "$work/issues.xlsx")")
done
read -r csv_med csv_min csv_max <<< "$(stats "${csv_times[@]}")"
read -r xlsx_med xlsx_min xlsx_max <<< "$(stats "${xlsx_times[@]}")"
printf 'CSV  import: median %6.2f s (min %.2f, max %.2f)  %8.0f rows/s\n' "$csv_med" "$csv_min" "$csv_max" "$(calc "$rows / $csv_med")"
printf 'XLSX import: median %6.2f s (min %.2f, max %.2f)  %8.0f rows/s\n' "$xlsx_med" "$xlsx_min" "$xlsx_max" "$(calc "$rows / $xlsx_med")"
printf 'ratio (xlsx rows/s ÷ csv rows/s, medians): %.2f\n' "$(calc "$csv_med / $xlsx_med")"
