//! The end-to-end tests, in one test binary: one link instead of twenty, and the whole suite's
//! tests share the machine's cores instead of running file by file. Each module is one area
//! (the file names say which); `common` starts the real binary on a temp database with a
//! cleared environment. README's examples run apart, in tests/readme.rs (a plain `main`).

mod common;

mod bytes;
mod council;
mod csv_never_panics;
mod documents;
mod duckdb;
mod dupes;
mod escalate;
mod exits;
mod findings;
mod followthrough;
mod formats;
mod foundation;
mod guards;
mod holding;
mod holding_more;
mod intake;
mod isolation;
mod language;
mod ledger;
mod listings;
mod masking;
mod meetings;
mod messy;
mod messy_council;
mod messy_cycle;
mod minutes;
mod msrv;
mod paperwork;
mod races;
mod records;
mod replies;
mod reply_paperwork;
mod residents;
mod spreadsheet;
mod status;
mod street;
mod survey;
mod trust;
mod width;
mod worded_refusals;
