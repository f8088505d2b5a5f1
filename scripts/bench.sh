#!/usr/bin/env bash
# The scale benchmark (issue 15): yishi on a million issues and a district's council history,
# each operation beside a reference measured in the same run on the same data.
#
#   bash scripts/bench.sh                 # 1,000,000 issues, 5,000 meetings, 5 runs each
#   RUNS=7 ROWS=200000 MEETINGS=1000 bash scripts/bench.sh
#   BENCH_MD=bench.md bash scripts/bench.sh   # also write the table as Markdown
#   BENCH_SMOKE=1 ROWS=12000 MEETINGS=20 RUNS=1 bash scripts/bench.sh  # the script works (debug build)
#   BENCH_DISTRICT_ONLY=1 bash scripts/bench.sh     # the district rows alone (issue 32)
#   BENCH_IMPORT_ONLY=1 RUNS=5 ROWS=200000 bash scripts/bench.sh  # the import rows alone (issue 30)
#   BENCH_IMPORT_ONLY=1 RUNS=3 bash scripts/bench.sh                # the same at 1,000,000 rows
#   BENCH_SMOKE=1 BENCH_DISTRICT_ONLY=1 DISTRICT=5 DISTRICT_ISSUES=500 RUNS=1 bash scripts/bench.sh
#
# What it does:
#  1. builds yishi and the two generators (`cargo build --release`), installs the sqlite3 CLI and
#     GNU time with apt if they are missing;
#  2. writes a realistic issues CSV (examples/gen_issues.rs) and times `yishi issue import` of its
#     first 1,000, 200,000 and all rows against `sqlite3 .import` of the same file into a fresh
#     database (the whole process, alternating runs); then import until ready (issue 30): the
#     same yishi import, which returns with its listing indexes and text index built, against
#     `.import` followed by the same five listing indexes and an FTS5 trigram index over title
#     and detail (scripts/bench-ready.sql, run by `sqlite3 DB ".read FILE"`);
#  3. adds a district-scale history to the last imported database with crates/yishi-core/examples/gen_history.rs
#     (5,000 meetings, 100,000 motions, 1,000,000 ballots, 50,000 actions, 10,000 accepted
#     issues), written with SQL and sealed through yishi's own audit writer, then checks that
#     `yishi verify` accepts it;
#  4. times each operation of the issue's targets table against sqlite3 running the equivalent
#     query (`.backup` for backup), alternating yishi and the reference.
#
#  5. the district rows (issue 32): DISTRICT report packages (300) of DISTRICT_ISSUES issues each
#     (5,000: 1.5M issues in all), written by scripts/gen_packages.py in the format README
#     documents, rolled up by `yishi rollup` against DuckDB running examples/duckdb/street_totals.sql
#     on the same files (or, without Python's duckdb, sha256sum reading every byte of them); and
#     `report --package` of the ROWS-issue database against sqlite3 running the report's queries.
#
# Every time is wall-clock for the whole process (start-up included), median of RUNS runs with
# the minimum and maximum; memory is the largest peak RSS over the runs (GNU time's %M).
# "speed" is reference time ÷ yishi time: above 1, yishi is faster than the reference.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
MEETINGS=${MEETINGS:-5000}
RUNS=${RUNS:-5}
DISTRICT=${DISTRICT:-300}
DISTRICT_ISSUES=${DISTRICT_ISSUES:-5000}
started=$EPOCHREALTIME
# Imports print the time of each of their stages on stderr (read by `bench` below).
export YISHI_IMPORT_TIMINGS=1

need() { # command, package
  command -v "$1" >/dev/null 2>&1 && return
  echo "installing $2 (needed by the benchmark)..." >&2
  apt-get update -qq >/dev/null && apt-get install -y -qq "$2" >/dev/null
}
need sqlite3 sqlite3
[ -x /usr/bin/time ] || need /usr/bin/time time

# BENCH_SMOKE=1: a debug build, to check the script itself (its times mean nothing).
profile=release build=(--release)
if [ -n "${BENCH_SMOKE:-}" ]; then profile=debug build=(); fi
cargo build "${build[@]}" --quiet --bin yishi --example gen_issues
[ -n "${BENCH_IMPORT_ONLY:-}${BENCH_DISTRICT_ONLY:-}" ] ||
  cargo build "${build[@]}" --quiet -p yishi-core --features internals --example gen_history
yishi=$PWD/target/$profile/yishi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
results=$work/results.tsv
: >"$results"

# --- measuring -------------------------------------------------------------------------------

T=0 M=0 C=0
timed() { # command... → T (seconds, wall), M (peak KiB), C (seconds of CPU, user + sys); output discarded, failure stops all
  local t0=$EPOCHREALTIME
  if ! /usr/bin/time -f '%M %U %S' -o "$work/mem" "$@" >/dev/null 2>"$work/err"; then
    echo "benchmark command failed: $*" >&2
    cat "$work/err" >&2
    exit 1
  fi
  local t1=$EPOCHREALTIME
  T=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
  read -r M C < <(tail -n 1 "$work/mem" | awk '{ printf "%d %.2f\n", $1, $2 + $3 }')
}

stats() { # times... → "median min max"
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.6f %.6f %.6f", m, v[1], v[NR] }'
}

no_prep() { :; }

# bench NAME TARGET YISHI_ARRAY REF_ARRAY [YISHI_PREP REF_PREP]: RUNS alternating runs.
bench() {
  local name=$1 target=$2
  local -n ycmd=$3 rcmd=$4
  local yprep=${5:-no_prep} rprep=${6:-no_prep}
  local ys=() rs=() yc=() rc=() ls=() ymem=0 rmem=0 i stage
  for ((i = 0; i < RUNS; i++)); do
    $yprep
    timed "${ycmd[@]}"
    ys+=("$T") yc+=("$C")
    ((M > ymem)) && ymem=$M
    # An import's load stage (its rows committed, before its index stage), as the import
    # itself times it (YISHI_IMPORT_TIMINGS=1, set below): the import alone, for issue 30.
    stage=$(awk '/^timing load:/ { print $3 }' "$work/err")
    [ -n "$stage" ] && ls+=("$stage")
    $rprep
    timed "${rcmd[@]}"
    rs+=("$T") rc+=("$C")
    ((M > rmem)) && rmem=$M
  done
  local load_stage=-
  ((${#ls[@]} > 0)) && load_stage=$(stats "${ls[@]}")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$target" "$(stats "${ys[@]}")" "$ymem" \
    "$(stats "${rs[@]}")" "$rmem" "$load_stage" >>"$results"
  # CPU time (user + sys) beside the wall time: on a shared machine it moves less.
  printf '  %-44s yishi %s (CPU %s)  reference %s (CPU %s)  load stage %s\n' "$name" "$(stats "${ys[@]}")" \
    "$(stats "${yc[@]}" | cut -d' ' -f1)" "$(stats "${rs[@]}")" "$(stats "${rc[@]}" | cut -d' ' -f1)" "$load_stage" >&2
}

# --- the district (issue 32) -----------------------------------------------------------------

# rollup of DISTRICT packages: yishi against DuckDB reading the same files with the README's SQL.
district_rows() {
  echo "district: $DISTRICT packages of $DISTRICT_ISSUES issues (yishi rollup vs DuckDB):" >&2
  python3 scripts/gen_packages.py "$work/packages" "$DISTRICT" "$DISTRICT_ISSUES"
  # shellcheck disable=SC2034 # used through namerefs
  local y=("$yishi" rollup "$work/packages" --period 2026Q3 --json)
  local r
  if python3 -c 'import duckdb' >/dev/null 2>&1; then
    cat >"$work/duck.py" <<'PY'
import duckdb, sys
c = duckdb.connect()
c.execute("SET VARIABLE packages = ?", [sys.argv[1]])
c.execute("SET VARIABLE period_from = '2026-07-01'")
c.execute("SET VARIABLE period_to = '2026-09-30'")
print(c.execute(open(sys.argv[2], encoding="utf-8").read()).fetchall())
PY
    r=(python3 "$work/duck.py" "$work/packages/*.yishi" examples/duckdb/street_totals.sql)
  else
    echo "  (no Python duckdb: the reference is sha256sum reading every package)" >&2
    r=(sh -c "sha256sum \"\$0\"/*.yishi" "$work/packages")
  fi
  bench "rollup $DISTRICT communities × $DISTRICT_ISSUES issues" "rollup:$((DISTRICT * DISTRICT_ISSUES))" y r
}

table() { # format: text or md
  awk -F'\t' -v fmt="$1" -v verify="$verify_median" -v runs="$RUNS" '
    function ms(s) { return (s < 1) ? sprintf("%.1f ms", s * 1000) : sprintf("%.2f s", s) }
    function mib(k) { return sprintf("%.0f MiB", k / 1024) }
    {
      split($3, y, " "); split($5, r, " ")
      name = $1; target = $2; ymem = $4; rmem = $6
      speed = (y[1] > 0) ? r[1] / y[1] : 0
      split(target, t, ":")
      if (t[1] == "ms") {
        goal = sprintf("< %d ms", t[2]); met = (y[1] * 1000 < t[2])
        if (t[2] == 30 && name ~ /^issue list/) { goal = goal ", < 30 MiB"; met = met && ymem < 30 * 1024 }
      } else if (t[1] == "rows") {
        rate = '"$n_issues"' / y[1]
        goal = "≥ 500,000 rows/s, < 50 MiB"; met = (rate >= 500000 && ymem < 50 * 1024)
        name = name sprintf(" (%.0f rows/s)", rate)
      } else if (t[1] == "verify") {
        rate = t[2] / y[1]
        goal = "≥ 1,000,000 rows/s, < 64 MiB"; met = (rate >= 1000000 && ymem < 64 * 1024)
        name = name sprintf(" (%.0f rows/s)", rate)
      } else if (t[1] == "backup") {
        bound = 1.5 * (r[1] + verify)
        goal = sprintf("≤ 1.5 × (.backup + verify) = %s, < 64 MiB", ms(bound)); met = (y[1] <= bound && ymem < 64 * 1024)
      } else if (t[1] == "ready") {
        goal = "speed ≥ 2.0, < 100 MiB"; met = (speed >= 2.0 && ymem < 100 * 1024)
        name = name sprintf(" (%.0f rows/s; reference %.0f rows/s)", t[2] / y[1], t[2] / r[1])
      } else if (t[1] == "incremental") {
        goal = "speed ≥ 4, ≥ 10,000 rows/s"; met = (speed >= 4 && t[2] / y[1] >= 10000)
        name = name sprintf(" (%.0f rows/s)", t[2] / y[1])
      } else if (t[1] == "rollup") {
        goal = "< 3 s, < 200 MiB"; met = (y[1] < 3 && ymem < 200 * 1024)
      } else if (t[1] == "package") {
        goal = "< 5 s"; met = (y[1] < 5)
      } else if (t[1] == "import") {
        # The whole command ends ready (indexes built), so the import alone is its load
        # stage, as the import times it ($7), against the whole `.import`.
        split($7, l, " ")
        stage = (l[1] > 0) ? r[1] / l[1] : 0
        goal = "load stage speed ≥ 1.5, < 100 MiB"; met = (stage >= 1.5 && ymem < 100 * 1024)
        if (t[2] == 1000) { goal = "< 30 ms"; met = (y[1] < 0.030) }
        name = name sprintf(" (load stage %s (%s–%s), speed %.2f)", ms(l[1]), ms(l[2]), ms(l[3]), stage)
      }
      verdict = met ? "met" : "NOT met"
      if (fmt == "md")
        printf "| %s | %s (%s–%s) | %s | %s (%s–%s) | %.2f | %s | %s |\n", name, ms(y[1]), ms(y[2]), ms(y[3]), mib(ymem), ms(r[1]), ms(r[2]), ms(r[3]), speed, goal, verdict
      else
        printf "%-62s %9s (%9s–%9s) %7s | ref %9s (%9s–%9s) %7s | speed %6.2f | %s: %s\n", name, ms(y[1]), ms(y[2]), ms(y[3]), mib(ymem), ms(r[1]), ms(r[2]), ms(r[3]), mib(rmem), speed, goal, verdict
    }' "$results"
}

# The package of a community of N issues (issue 32: < 5 s for a million), against sqlite3 reading
# what the package must read: the same columns of the period's issues in id order, then their
# co-submitters (as yishi reads them for a period holding most of the table), to /dev/null.
package_row() { # database, issues
  local db=$1 n=$2
  # shellcheck disable=SC2034 # used through namerefs
  local y=("$yishi" --db "$db" -q report --package --period 2026 -o "$work/community.yishi" --overwrite)
  # shellcheck disable=SC2034
  local r=(sqlite3 "$db" "SELECT id, title, category, channel, raised_on, status, merged_into, submitted_by FROM issues NOT INDEXED WHERE raised_on >= '2026-01-01' AND raised_on <= '2026-12-31' ORDER BY id; SELECT s.issue_id, s.name FROM issue_submitters s CROSS JOIN issues i ON i.id = s.issue_id WHERE i.raised_on >= '2026-01-01' AND i.raised_on <= '2026-12-31' ORDER BY s.issue_id, s.id;")
  bench "report --package ($(printf "%'d" "$n") issues)" "package:$n" y r
}

# BENCH_DISTRICT_ONLY=1: the district rows alone, on a community of ROWS issues imported from
# the generator's CSV (no history: the package's cost is its issues) and DISTRICT packages.
district_only() {
  echo "a community of $ROWS issues (gen_issues, yishi issue import)..." >&2
  target/$profile/examples/gen_issues "$ROWS" >"$work/all.csv"
  mkdir "$work/c"
  "$yishi" --db "$work/c/c.db" init -q >/dev/null
  YISHI_IMPORT_TIMINGS= "$yishi" --db "$work/c/c.db" -q issue import "$work/all.csv" >/dev/null
  rm "$work/all.csv"
  echo "the package of the community (yishi report --package vs sqlite3 reading the same rows):" >&2
  package_row "$work/c/c.db" "$ROWS"
  district_rows
  n_issues=$ROWS verify_median=0
  echo
  table text
  echo "median (min–max) of $RUNS alternating runs, $(nproc) cores; speed = reference time ÷ yishi time"
}

if [ -n "${BENCH_DISTRICT_ONLY:-}" ]; then
  district_only
  exit 0
fi

# --- the import alone (issue 30) ------------------------------------------------------------

# After the imports: the commands right after a large import, and 5,000 rows (a survey
# export) into the ROWS-issue database, duplicate hints included, against `.import` into the
# reference's table with its listing indexes and a trigram index kept by a trigger.
import_only_rows() {
  local t
  for t in "log --limit 1" "issue list" "verify"; do
    # shellcheck disable=SC2086 # the command's words
    timed "$yishi" --db "$db" $t
    printf '  after the import: yishi %-14s %.3f s\n' "$t" "$T" >&2
  done
  # A survey export: 5,000 rows collected over the last week the history reaches.
  target/$profile/examples/gen_issues 5000 week | sed '2,$s/^\([^,]*\),/\1（补）,/' >"$work/5k.csv"
  # The reference's table has the status column after the file's (its rows give it).
  sed '2,$s/$/,collected/' "$work/5k.csv" >"$work/5k-ref.csv"
  sqlite3 "$work/ref.db" "CREATE TRIGGER issue_text_kept AFTER INSERT ON issues BEGIN INSERT INTO issue_text(rowid, title, detail) VALUES (new.rowid, new.\"标题\", new.\"内容\"); END;"
  cp "$db" "$work/big.db"
  cp "$work/ref.db" "$work/ref-big.db"
  back_big() {
    cp "$work/big.db" "$db"
    rm -f "$db-wal" "$db-shm"
    sync
  }
  back_ref() {
    cp "$work/ref-big.db" "$work/ref.db"
    sync
  }
  # shellcheck disable=SC2034 # used through namerefs
  local y=("$yishi" --db "$db" issue import "$work/5k.csv")
  # shellcheck disable=SC2034
  local r=(sqlite3 "$work/ref.db" ".import --csv --skip 1 $work/5k-ref.csv issues")
  bench "5,000 rows of the last week into $(printf "%'d" "$ROWS") issues (a survey export, with duplicate hints)" "incremental:5000" y r back_big back_ref
  # The same rows dated anywhere in the year the history spans: each row's entries land in
  # the day's and the status's indexes among the history's days, in the category's and the
  # channel's at the end of each month (schema v21), on both sides.
  target/$profile/examples/gen_issues 5000 | sed '2,$s/^\([^,]*\),/\1（补）,/' >"$work/5k.csv"
  sed '2,$s/$/,collected/' "$work/5k.csv" >"$work/5k-ref.csv"
  bench "5,000 rows dated across the year into $(printf "%'d" "$ROWS") issues (with duplicate hints)" "incremental:5000" y r back_big back_ref
  # The same with every row a near-duplicate of one of the newest open issues, which the
  # duplicate hints compare new rows with: each row finds its pair.
  tail -n 5000 "$work/all.csv" | sed 's/^\([^,]*\),/\1（补）,/' | { head -n 1 "$work/all.csv"; cat; } >"$work/5k.csv"
  sed '2,$s/$/,collected/' "$work/5k.csv" >"$work/5k-ref.csv"
  bench "5,000 near-duplicates into $(printf "%'d" "$ROWS") issues (with duplicate hints)" "incremental:5000" y r back_big back_ref
  n_issues=$ROWS verify_median=0
  table text
  echo "median (min–max) of $RUNS alternating runs, $(nproc) cores; speed = reference time ÷ yishi time"
}

# --- data ------------------------------------------------------------------------------------

echo "generating $ROWS issues..." >&2
target/$profile/examples/gen_issues "$ROWS" >"$work/all.csv"
head -n 1001 "$work/all.csv" >"$work/1k.csv"
head -n 200001 "$work/all.csv" >"$work/200k.csv"
# The district survey's shape (issue 30): longer details, a phone on one row in four.
if [ -n "${BENCH_IMPORT_ONLY:-}" ]; then
  target/$profile/examples/gen_issues "$ROWS" district >"$work/district.csv"
  head -n 200001 "$work/district.csv" >"$work/district-200k.csv"
fi

db=$work/y.db
# Each prep ends with `sync`: the file the last run wrote is on disk before the next run starts,
# instead of being written back beside it (a million rows leave ~450 MB to write; the kernel's
# writeback then took a core from whichever side ran next).
fresh_yishi() {
  rm -rf "$work/y"
  mkdir "$work/y"
  "$yishi" --db "$work/y/y.db" init -q >/dev/null
  sync
}
fresh_ref() {
  rm -f "$work/ref.db"
  sync
}

import_rows() { # label, file, rows
  local file=$2
  # shellcheck disable=SC2034 # used through namerefs
  local y=("$yishi" --db "$work/y/y.db" -q issue import "$file")
  # shellcheck disable=SC2034
  local r=(sqlite3 "$work/ref.db" ".import --csv $file issues")
  bench "$1" "$3" y r fresh_yishi fresh_ref
}
echo "import (yishi issue import vs sqlite3 .import):" >&2
import_rows "issue import 1,000 rows" "$work/1k.csv" "import:1000"
if ((ROWS > 200000)); then
  import_rows "issue import 200,000 rows" "$work/200k.csv" "import:200000"
fi
import_rows "issue import $(printf "%'d" "$ROWS") rows" "$work/all.csv" "import:$ROWS"

# Import until ready: yishi's import returns with its listing indexes and text index built; the
# reference loads the same file, then builds the same five listing indexes (a status column
# added with its default, as yishi's rows have) and an FTS5 trigram index over title and detail.
ready_rows() { # label, file, rows
  local file=$2
  sed "s|@FILE@|$file|" scripts/bench-ready.sql >"$work/ready.sql"
  # shellcheck disable=SC2034 # used through namerefs
  local y=("$yishi" --db "$work/y/y.db" -q issue import "$file")
  # shellcheck disable=SC2034
  local r=(sqlite3 "$work/ref.db" ".read $work/ready.sql")
  bench "$1" "$3" y r fresh_yishi fresh_ref
}
echo "import until ready (yishi issue import vs sqlite3 .import + listing indexes + FTS5 trigram):" >&2
if ((ROWS > 200000)); then
  ready_rows "import until ready 200,000 rows" "$work/200k.csv" "ready:200000"
fi
ready_rows "import until ready $(printf "%'d" "$ROWS") rows" "$work/all.csv" "ready:$ROWS"
if [ -n "${BENCH_IMPORT_ONLY:-}" ]; then
  echo "the district survey's shape:" >&2
  if ((ROWS > 200000)); then
    import_rows "issue import 200,000 district rows" "$work/district-200k.csv" "import:200000"
    ready_rows "import until ready 200,000 district rows" "$work/district-200k.csv" "ready:200000"
  fi
  import_rows "issue import $(printf "%'d" "$ROWS") district rows" "$work/district.csv" "import:$ROWS"
  ready_rows "import until ready $(printf "%'d" "$ROWS") district rows" "$work/district.csv" "ready:$ROWS"
  # The last ready run left both databases of the district file: keep them for the rows below.
  fresh_yishi
  YISHI_IMPORT_TIMINGS= "$yishi" --db "$work/y/y.db" -q issue import "$work/all.csv" >/dev/null
  fresh_ref
  sed "s|@FILE@|$work/all.csv|" scripts/bench-ready.sql >"$work/ready.sql"
  sqlite3 "$work/ref.db" ".read $work/ready.sql"
fi
mv "$work/y/y.db" "$db"
mv "$work/y/yishi.toml" "$work/yishi.toml"

# The first command after a large import: it has nothing left to build (issue 30). Time it
# once, and weigh the text index (its tables' pages).
timed "$yishi" --db "$db" issue list
index_seconds=$T index_mem=$M
text_index_mib=$(sqlite3 "$db" "SELECT round(sum(pgsize) / 1048576.0) FROM dbstat WHERE name LIKE 'issue_text%'" 2>/dev/null || echo "?")
file_mib=$(( $(stat -c %s "$db") / 1048576 ))
echo "first command after the import (nothing left to build): ${index_seconds} s, $((index_mem / 1024)) MiB; text index ${text_index_mib} MiB of ${file_mib} MiB" >&2

if [ -n "${BENCH_IMPORT_ONLY:-}" ]; then
  import_only_rows
  exit 0
fi

echo "generating the district history ($MEETINGS meetings)..." >&2
gen_t0=$EPOCHREALTIME
target/$profile/examples/gen_history "$db" "$MEETINGS"
gen_seconds=$(awk -v a="$gen_t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
"$yishi" --db "$db" -q verify >/dev/null || {
  echo "the generated database does not pass yishi verify" >&2
  "$yishi" --db "$db" verify | head -20 >&2
  exit 1
}
counts=$(sqlite3 "$db" "SELECT (SELECT count(*) FROM issues), (SELECT count(*) FROM meetings), (SELECT count(*) FROM motions), (SELECT count(*) FROM ballots), (SELECT count(*) FROM actions), (SELECT count(*) FROM issues WHERE status = 'accepted')")
IFS='|' read -r n_issues n_meetings n_motions n_ballots n_actions n_accepted <<<"$counts"
rows_total=$(sqlite3 "$db" "SELECT sum(n) FROM (SELECT count(*) n FROM issues UNION ALL SELECT count(*) FROM issue_history UNION ALL SELECT count(*) FROM ballots UNION ALL SELECT count(*) FROM motions UNION ALL SELECT count(*) FROM participants UNION ALL SELECT count(*) FROM agenda_items UNION ALL SELECT count(*) FROM speeches UNION ALL SELECT count(*) FROM resolutions UNION ALL SELECT count(*) FROM actions UNION ALL SELECT count(*) FROM feedback UNION ALL SELECT count(*) FROM notices UNION ALL SELECT count(*) FROM meetings UNION ALL SELECT count(*) FROM members UNION ALL SELECT count(*) FROM events UNION ALL SELECT count(*) FROM seals)")
echo "database: $n_issues issues, $n_meetings meetings, $n_motions motions, $n_ballots ballots, $n_actions actions, $n_accepted accepted; $rows_total rows; generated in ${gen_seconds} s" >&2

# --- operations ------------------------------------------------------------------------------

Y=("$yishi" --db "$db")
cols="id, title, status, category, channel, raised_on, submitted_by"
page() { # where → the first page as the reference runs it
  echo "SELECT $cols FROM issues $1 ORDER BY raised_on DESC, id DESC LIMIT 50; SELECT count(*) FROM issues $1;"
}
# By category, channel or resident the indexes (schema v21) are ordered by month, then by issue,
# or by issue, carrying the day: the page's ids are chosen from the index, a month led order
# sorted a month at a time, then its rows read (the day-ordered query above sorts every match).
page_from_index() { # where, order → the first page as the reference runs it
  echo "SELECT $cols FROM issues WHERE id IN (SELECT id FROM issues $1 ORDER BY $2 LIMIT 50) ORDER BY raised_on DESC, id DESC; SELECT count(*) FROM issues $1;"
}
by_month="substr(raised_on, 1, 7) DESC, raised_on DESC, id DESC"
list_case() { # label, where, yishi flags... (REF: the reference's SQL, when not `page`)
  local label=$1 where=$2
  shift 2
  # shellcheck disable=SC2034
  local y=("${Y[@]}" issue list "$@")
  # shellcheck disable=SC2034
  local r=(sqlite3 "$db" "${REF:-$(page "$where")}")
  bench "$label" "ms:30" y r
}
echo "operations:" >&2
list_case "issue list (first page)" ""
list_case "issue list --status accepted" "WHERE status = 'accepted'" --status accepted
REF=$(page_from_index "WHERE category = 'children'" "$by_month") \
  list_case "issue list --category children" "" --category children
# 线上 names the online group: its words with issues in the generated data are 线上, 微信群 and
# 小程序 (yishi asks each of the group's words, most of them empty, on its own).
online=""
for word in 线上 微信群 小程序; do
  online+="${online:+ UNION ALL }SELECT id, raised_on FROM (SELECT id, raised_on FROM issues WHERE channel = '$word' ORDER BY $by_month LIMIT 50)"
done
REF="SELECT $cols FROM issues WHERE id IN (SELECT id FROM ($online) ORDER BY raised_on DESC, id DESC LIMIT 50) ORDER BY raised_on DESC, id DESC; SELECT count(*) FROM issues WHERE channel IN ('线上', '微信群', '小程序');" \
  list_case "issue list --channel 线上" "" --channel 线上
list_case "issue list --since 2026-12-20" "WHERE raised_on >= '2026-12-20'" --since 2026-12-20
list_case "issue list --until 2026-01-05" "WHERE raised_on <= '2026-01-05'" --until 2026-01-05
REF=$(page_from_index "WHERE submitted_by = '陈阿姨'" "raised_on DESC, id DESC") \
  list_case "issue list --by 陈阿姨" "" --by 陈阿姨
# --grep looks in the title and the details: the reference asks the same.
contains() { echo "(instr(title, '$1') > 0 OR instr(coalesce(detail, ''), '$1') > 0)"; }
list_case "issue list --grep 路灯" "WHERE $(contains 路灯)" --grep 路灯
list_case "issue list --grep 灯 (one character)" "WHERE $(contains 灯)" --grep 灯
list_case "issue list --grep 路灯 --status accepted" "WHERE status = 'accepted' AND $(contains 路灯)" --grep 路灯 --status accepted

# shellcheck disable=SC2034
y_all=("${Y[@]}" --json issue list --all)
# shellcheck disable=SC2034
r_all=(sqlite3 -json "$db" "SELECT id, title, status, outcome, channel, category, raised_on, submitted_by, phone, address, detail, merged_into, objection_to FROM issues ORDER BY raised_on DESC, id DESC")
bench "issue list --all --json" "rows:500000" y_all r_all

mid=$((n_meetings / 2))
issue=$((mid * 20))
# shellcheck disable=SC2034
y_show=("${Y[@]}" issue show "$issue")
# shellcheck disable=SC2034
r_show=(sqlite3 "$db" "SELECT * FROM issues WHERE id = $issue; SELECT * FROM issue_history WHERE issue_id = $issue; SELECT * FROM motions WHERE issue_id = $issue; SELECT * FROM resolutions WHERE issue_id = $issue; SELECT * FROM actions WHERE issue_id = $issue;")
bench "issue show #$issue" "ms:30" y_show r_show

meeting_sql="SELECT * FROM meetings WHERE id = $mid; SELECT * FROM agenda_items WHERE meeting_id = $mid; SELECT * FROM participants WHERE meeting_id = $mid; SELECT * FROM speeches WHERE meeting_id = $mid; SELECT * FROM motions WHERE meeting_id = $mid; SELECT b.* FROM ballots b JOIN motions v ON v.id = b.motion_id WHERE v.meeting_id = $mid; SELECT * FROM resolutions WHERE meeting_id = $mid;"
# shellcheck disable=SC2034
y_council=("${Y[@]}" council show "M$mid")
# shellcheck disable=SC2034
r_meeting=(sqlite3 "$db" "$meeting_sql")
bench "council show M$mid" "ms:30" y_council r_meeting
# shellcheck disable=SC2034
y_minutes=("${Y[@]}" minutes export "M$mid")
bench "minutes export M$mid" "ms:30" y_minutes r_meeting

# shellcheck disable=SC2034
y_report=("${Y[@]}" report)
# shellcheck disable=SC2034
r_report=(sqlite3 "$db" "SELECT status, count(*) FROM issues GROUP BY 1; SELECT category, count(*) FROM issues GROUP BY 1; SELECT channel, count(*) FROM issues GROUP BY 1; SELECT count(DISTINCT submitted_by) FROM issues; SELECT p.seat, count(*), sum(p.attendance IN ('present', 'proxy')) FROM participants p JOIN meetings m ON m.id = p.meeting_id WHERE m.status = 'closed' GROUP BY 1; SELECT sum(aware = 1), count(aware), sum(satisfaction >= 4), count(satisfaction) FROM feedback; SELECT count(*), sum(done_on > due) FROM actions;")
bench "report (whole history)" "ms:300" y_report r_report

# shellcheck disable=SC2034
y_convene=("${Y[@]}" council convene --date "2027-06-01 19:30" --place 社区党群服务中心 --dry-run)
# shellcheck disable=SC2034
r_convene=(sqlite3 "$db" "SELECT i.id, i.title FROM issues i WHERE i.status = 'accepted' AND EXISTS (SELECT 1 FROM consultations c WHERE c.issue_id = i.id) ORDER BY i.raised_on, i.id; SELECT * FROM members WHERE retired_on IS NULL;")
bench "council convene --dry-run ($n_accepted accepted)" "ms:100" y_convene r_convene

# status: the same queries yishi status runs (counts and lists per step), in sqlite3.
today=$(date +%F)
# shellcheck disable=SC2034
y_status=("${Y[@]}" status)
# shellcheck disable=SC2034
r_status=(sqlite3 "$db" "SELECT count(*), sum(raised_on < date('$today', '-7 days')) FROM issues WHERE status = 'collected' AND raised_on <= '$today'; SELECT id, title, raised_on FROM issues WHERE status = 'collected' ORDER BY raised_on, id LIMIT 5; SELECT i.id, i.title FROM issues i WHERE i.status = 'accepted' AND NOT EXISTS (SELECT 1 FROM consultations c WHERE c.issue_id = i.id); SELECT count(*) FROM issues i WHERE i.status = 'accepted' AND EXISTS (SELECT 1 FROM consultations c WHERE c.issue_id = i.id); SELECT id, title, starts_at FROM meetings WHERE status != 'closed'; SELECT id FROM motions WHERE status IN ('open', 'cast'); SELECT * FROM notices; SELECT a.id, i.title, a.owner, a.due FROM actions a JOIN issues i ON i.id = a.issue_id WHERE a.due IS NOT NULL AND a.withdrawn_reason IS NULL AND a.done_on IS NULL AND a.due <= date('$today', '+7 days'); SELECT id FROM issues i WHERE status = 'completed' AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.issue_id = i.id);")
bench "status" "ms:100" y_status r_status

# The package of the whole database's community (issue 32: < 5 s for a million issues).
package_row "$db" "$n_issues"

district_rows

# shellcheck disable=SC2034
y_verify=("${Y[@]}" verify)
# shellcheck disable=SC2034
# verify's own structural check: SQLite's quick check and the foreign keys (verify --full runs
# the full integrity check instead).
r_verify=(sqlite3 "$db" "PRAGMA quick_check; PRAGMA foreign_key_check;")
bench "verify ($rows_total rows)" "verify:$rows_total" y_verify r_verify

rm_backups() { rm -f "$work/backup.db" "$work/ref-backup.db"; }
# shellcheck disable=SC2034
y_backup=("${Y[@]}" backup "$work/backup.db")
# shellcheck disable=SC2034
r_backup=(sqlite3 "$db" ".backup $work/ref-backup.db")
bench "backup" "backup" y_backup r_backup rm_backups rm_backups

# --- the table -------------------------------------------------------------------------------

verify_median=$(awk -F'\t' '$2 ~ /^verify:/ { split($3, s, " "); print s[1] }' "$results")
elapsed=$(awk -v a="$started" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
echo
echo "yishi $("$yishi" --version | cut -d' ' -f2), $(nproc) cores, sqlite3 $(sqlite3 --version | cut -d' ' -f1); $n_issues issues, $n_meetings meetings, $n_motions motions, $n_ballots ballots, $n_actions actions; median (min–max) of $RUNS alternating runs; speed = reference time ÷ yishi time"
table text
printf 'first command after the %s-row import (nothing left to build): %.2f s, %d MiB; the text index takes %s MiB of the %s MiB file\n' "$ROWS" "$index_seconds" "$((index_mem / 1024))" "$text_index_mib" "$file_mib"
echo "benchmark took ${elapsed} s (history generated in ${gen_seconds} s)"
if [ -n "${BENCH_MD:-}" ]; then
  {
    echo "| operation | yishi median (min–max) | yishi peak | reference median (min–max) | speed | target | |"
    echo "|---|---|---|---|---|---|---|"
    table md
  } >"$BENCH_MD"
  echo "Markdown table written to $BENCH_MD"
fi
