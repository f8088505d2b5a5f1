#!/usr/bin/env bash
# Duplicate-hint benchmark on 100,000 open issues (examples/gen_survey.rs: varied titles, about
# 2% near-duplicates), in the same run:
#   - `issue import` with hints against `issue import --no-hints` (the slowdown hints cost), on
#     all rows (over 10,000 new issues the hints are skipped) and on the first 10,000,
#   - `yishi issue dupes` over all of them, and the pairs it finds,
#   - one `issue add` with its hint, on the full database.
#
#   bash scripts/bench-dupes.sh            # 100,000 issues
#   bash scripts/bench-dupes.sh 20000
#
# Each measurement runs RUNS times (default 5; imports alternate); median with min and max.
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
runs=${RUNS:-5}

cargo build --release --quiet --bin yishi --example gen_survey
yishi=target/release/yishi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/release/examples/gen_survey "$rows" > "$work/issues.csv"
# Imports of more than 10,000 new issues skip the hints: the hint slowdown is measured on the
# first 10,000 rows too.
head -n 10001 "$work/issues.csv" > "$work/small.csv"

calc() { awk "BEGIN { print $1 }"; }
stats() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; print m, a[1], a[NR] }'; }
# label command... → wall seconds; the CPU seconds (user + system) are kept under the label:
# on a shared, loaded machine the CPU time is the steadier figure.
timed() {
  local label=$1 start end; shift
  start=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$work/t" "$@" > /dev/null 2>&1
  end=$(date +%s.%N)
  awk '{ print $1 + $2 }' "$work/t" >> "$work/cpu-$label"
  calc "$end - $start"
}
cpu() { stats $(cat "$work/cpu-$1"); } # label → median min max of its CPU seconds
fresh() { rm -f "$work"/y.db* "$work/yishi.toml"; "$yishi" --db "$work/y.db" init -q; }

off=(); on=()
for _ in $(seq "$runs"); do
  fresh; off+=("$(timed off "$yishi" --db "$work/y.db" issue import "$work/issues.csv" --no-hints)")
  fresh; on+=("$(timed on "$yishi" --db "$work/y.db" issue import "$work/issues.csv")")
done
small_off=(); small_on=()
for _ in $(seq "$runs"); do
  fresh; small_off+=("$(timed small-off "$yishi" --db "$work/y.db" issue import "$work/small.csv" --no-hints)")
  fresh; small_on+=("$(timed small-on "$yishi" --db "$work/y.db" issue import "$work/small.csv")")
done
fresh; "$yishi" --db "$work/y.db" issue import "$work/issues.csv" --no-hints > /dev/null 2>&1
hints=$("$yishi" --db "$work/y.db" issue dupes --json | grep -c '"of":' || true)
dupes=()
for _ in $(seq "$runs"); do
  dupes+=("$(timed dupes "$yishi" --db "$work/y.db" issue dupes)")
done
adds=()
for i in $(seq "$runs"); do
  adds+=("$(timed add "$yishi" --db "$work/y.db" issue add "东门路灯不亮，晚上出行很危险$i" --channel 线下)")
done
read -r off_med off_min off_max <<< "$(stats "${off[@]}")"
read -r on_med on_min on_max <<< "$(stats "${on[@]}")"
read -r so_med so_min so_max <<< "$(stats "${small_off[@]}")"
read -r sn_med sn_min sn_max <<< "$(stats "${small_on[@]}")"
read -r d_med d_min d_max <<< "$(stats "${dupes[@]}")"
read -r a_med a_min a_max <<< "$(stats "${adds[@]}")"
echo "$rows issues, $hints candidate pairs at the default threshold 0.6"
printf 'import, hints off : median %6.2f s (min %.2f, max %.2f)\n' "$off_med" "$off_min" "$off_max"
printf 'import, hints on  : median %6.2f s (min %.2f, max %.2f)\n' "$on_med" "$on_min" "$on_max"
printf 'slowdown (on ÷ off, medians): %.2f\n' "$(calc "$on_med / $off_med")"
printf 'import 10,000, hints off: median %6.2f s (min %.2f, max %.2f)\n' "$so_med" "$so_min" "$so_max"
printf 'import 10,000, hints on : median %6.2f s (min %.2f, max %.2f)\n' "$sn_med" "$sn_min" "$sn_max"
printf 'slowdown at 10,000 (on ÷ off, medians): %.2f\n' "$(calc "$sn_med / $so_med")"
printf 'issue dupes       : median %6.2f s (min %.2f, max %.2f)\n' "$d_med" "$d_min" "$d_max"
printf 'issue add + hint  : median %6.3f s (min %.3f, max %.3f)\n' "$a_med" "$a_min" "$a_max"
echo "CPU seconds (user + system), median (min, max):"
for label in off on small-off small-on dupes add; do
  read -r c_med c_min c_max <<< "$(cpu "$label")"
  printf '  %-9s %6.2f (%.2f, %.2f)\n' "$label" "$c_med" "$c_min" "$c_max"
done
