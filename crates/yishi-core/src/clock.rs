//! The clock, read once at the edge of the program (`cli::dispatch`) and passed in from there:
//! the time of the command goes into its audit events (`Actor::at`) and into the defaults
//! that depend on today. `domain` and `ops` never read it, so they do no I/O.
//!
//! `YISHI_NOW` fixes the time, for reproducible examples and tests, as SOURCE_DATE_EPOCH does
//! for builds: local time `2026-06-12T19:30` (seconds optional), or RFC 3339 with an offset,
//! `2026-11-25T09:00:00+08:00`.

use chrono::{DateTime, Local};

/// The time now: `YISHI_NOW` when set (and valid), else the system clock.
pub fn now() -> DateTime<Local> {
    std::env::var("YISHI_NOW")
        .ok()
        .and_then(|s| crate::domain::date::parse_now(&s))
        .unwrap_or_else(Local::now)
}
