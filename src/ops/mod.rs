//! Operations: what each command does, as a library call.
//!
//! Each public operation takes the store, the actor and a typed request, and does every
//! lookup, check and write inside **one** write transaction (`Store::write`), so that a council
//! rule holds even when two processes work on the same database at once: the second one sees
//! the first one's change and is refused. The checks themselves are pure functions in `domain`
//! that return a refusal. Read operations run in one snapshot (`Store::read`). The CLI parses
//! arguments, calls one operation and renders its typed outcome.

pub mod archive;
pub mod corrections;
pub mod followup;
pub mod import;
pub mod issues;
pub mod meetings;
pub mod members;
pub mod minutes;
pub mod records;
pub mod status;
pub mod votes;
