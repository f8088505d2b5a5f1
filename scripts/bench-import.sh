#!/usr/bin/env bash
# Import benchmark: `yishi issue import` against `sqlite3 .import` of the same CSV, in the same run.
#
#   bash scripts/bench-import.sh            # 1,000,000 rows
#   bash scripts/bench-import.sh 200000     # fewer rows
#
# Prints rows/s for both, the ratio (yishi ÷ sqlite3, higher is better for yishi) and yishi's peak
# memory. Each side runs RUNS times (default 3), alternating, and the best time counts, so that
# noise from the rest of the machine hurts both the same way.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-1000000}
runs=${RUNS:-3}

if ! command -v sqlite3 >/dev/null 2>&1; then
  echo "installing the sqlite3 CLI (the reference)..." >&2
  apt-get update -qq >/dev/null && apt-get install -y -qq sqlite3 >/dev/null
fi
cargo build --release --quiet --bin yishi --example gen_issues
yishi=target/release/yishi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

target/release/examples/gen_issues "$rows" > "$work/issues.csv"
echo "file: $rows rows, $(du -m "$work/issues.csv" | cut -f1) MiB, UTF-8 with Chinese text"

calc() { awk "BEGIN { print $1 }"; }
seconds() { # command... → wall seconds
  local start end
  start=$(date +%s.%N); "$@"; end=$(date +%s.%N)
  calc "$end - $start"
}
best_ref=999999; best_yishi=999999; peak_kib=0
for i in $(seq "$runs"); do
  rm -f "$work/ref.db"
  t=$(seconds sqlite3 "$work/ref.db" ".import --csv $work/issues.csv issues")
  best_ref=$(calc "($t < $best_ref) ? $t : $best_ref")

  rm -f "$work/y.db" "$work/y.db-wal" "$work/y.db-shm" "$work/yishi.toml"
  "$yishi" --db "$work/y.db" init -q
  start=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$work/mem" "$yishi" --db "$work/y.db" issue import "$work/issues.csv" -q
  end=$(date +%s.%N)
  t=$(calc "$end - $start")
  best_yishi=$(calc "($t < $best_yishi) ? $t : $best_yishi")
  kib=$(cat "$work/mem"); [ "$kib" -gt "$peak_kib" ] && peak_kib=$kib
done

"$yishi" --db "$work/y.db" verify >/dev/null
printf 'sqlite3 .import : %6.2f s  %9.0f rows/s  (plain table, no validation)\n' "$best_ref" "$(calc "$rows / $best_ref")"
printf 'yishi import    : %6.2f s  %9.0f rows/s  (every field validated, deduplicated, sealed in the audit log)\n' "$best_yishi" "$(calc "$rows / $best_yishi")"
printf 'ratio (yishi rows/s ÷ sqlite3 rows/s): %.2f\n' "$(calc "$best_ref / $best_yishi")"
printf 'yishi peak memory: %.0f MiB\n' "$(calc "$peak_kib / 1024")"
