#!/bin/sh
# Flip random bytes of a real yishi database, again and again, and run `yishi verify` on each
# copy: every exit must be 0, 1 or 65 (never 70, never a panic), and 0 only when the file's
# schema and rows are still exactly the original's. The test prints its seed; replay a failure
# with YISHI_TEST_SEED=<seed>. The failing file is copied to /tmp/fuzz-failed.db.
#
#   scripts/fuzz-verify.sh          # 2000 cases
#   scripts/fuzz-verify.sh 10000
set -eu
cd "$(dirname "$0")/.."
cases="${1:-2000}"
YISHI_FUZZ_CASES="$cases" cargo test --test records random_byte_flips -- --nocapture 2>&1 |
    grep -E "seed:|byte-flip cases|panicked|case [0-9]+:|test result"
