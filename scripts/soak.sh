#!/usr/bin/env bash
# The soak tests at full strength: the 50-round kill of `backup` (records), four processes
# writing at once (trust, 250 commands each) and the vote races (races, 50 rounds). `cargo test`
# runs the same tests with fewer rounds (tests/it/common `soak_rounds`), so that CI stays quick.
set -euo pipefail
cd "$(dirname "$0")/.."
YISHI_SOAK=full cargo test --locked --test it -- \
  records::a_killed_backup_never_costs_the_database_anything \
  trust::four_processes_at_once_lose_nothing \
  races:: --nocapture
