//! The clock, read once at the edge of the program (`cli::dispatch`) and passed in from there:
//! the time of the command goes into its audit events (`Actor::at`) and into the defaults
//! that depend on today. `domain` and `ops` never read it, so they do no I/O.
//!
//! `YISHI_NOW` fixes the time, for reproducible examples and tests, as SOURCE_DATE_EPOCH does
//! for builds: local time `2026-06-12T19:30` (seconds optional), or RFC 3339 with an offset,
//! `2026-11-25T09:00:00+08:00`.

use chrono::{DateTime, Local};

/// The time now: `YISHI_NOW` when set, else the system clock. A `YISHI_NOW` that is not a
/// time is an error: the real clock in its place would date the record silently.
pub fn now() -> crate::error::Result<DateTime<Local>> {
    match std::env::var("YISHI_NOW") {
        Ok(s) => crate::domain::date::parse_now(&s).ok_or_else(|| {
            crate::error::Error::usage_text(crate::text!("clock.bad_now", value = &s))
        }),
        Err(_) => Ok(Local::now()),
    }
}
