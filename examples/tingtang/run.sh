#!/usr/bin/env bash
# 汀塘社区: one whole council cycle with the real yishi binary, from collecting issues in May
# 2026 to residents' feedback in September: the steps of cycle.txt (the same list README.md
# shows and `yishi demo` runs), each with its own clock (YISHI_NOW), so every run gives the
# same records.
#
#   cargo build --release && bash examples/tingtang/run.sh [WORKDIR]
#
# Leaves the database (yishi.db), minutes, notices and report in WORKDIR (default: a temp dir).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
yishi=${YISHI:-$here/../../target/release/yishi}
[ -x "$yishi" ] || yishi=$here/../../target/debug/yishi
[ -x "$yishi" ] || { echo "no yishi binary: run \`cargo build --release\` first (or set YISHI)" >&2; exit 1; }
work=${1:-$(mktemp -d)}
mkdir -p "$work"
if [ -e "$work/yishi.db" ]; then
  echo "$work/yishi.db already exists: choose an empty folder" >&2
  exit 1
fi
cd "$work"
# The steps name the data as examples/tingtang/*.csv, as from the repository's root.
mkdir -p examples
ln -sfn "$here" examples/tingtang
# `yishi` in the steps is this binary; a database or configuration named in the caller's
# environment must not be used.
unset YISHI_DB YISHI_CONFIG
export TZ=${TZ:-CST-8}
yishi() { "$yishi" "$@"; }

while IFS= read -r line; do
  case $line in
    "# =="*) echo "${line#\# }" ;;
    "" | "#"*) ;;
    *) eval "$line" ;;
  esac
done <"$here/cycle.txt"
echo "done: $work"
