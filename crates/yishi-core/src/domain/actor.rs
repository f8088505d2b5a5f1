//! Who ran a command, as the audit log records it.

/// Who is making a change, with which command and when; recorded in every audit event.
#[derive(Debug, Clone)]
pub struct Actor {
    pub name: String,
    pub command: String,
    /// The time of the command (UTC, RFC 3339), read once at the edge (`crate::clock`).
    pub at: String,
    /// The same time on the council's clock (local), for the rules that bind facts to the
    /// meeting's day and time.
    pub local: chrono::NaiveDateTime,
}
