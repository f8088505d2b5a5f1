//! Issues: intake, screening (accept, reject, merge), pre-consultation and stakeholders.
//!
//! - [`rows`]: the columns, one issue in and out, its intake record;
//! - [`bulk`]: a large import's plan and loader ([`borrowed_insert`]: its insert, binding
//!   text without a copy);
//! - [`filter`]: listings (SQL of a filter, counts, pages, the split read);
//! - [`history`]: what happens after intake (status steps, edits, links, merges, consultations,
//!   stakeholders) and its history.

mod borrowed_insert;
mod bulk;
mod filter;
mod history;
mod rows;

pub use bulk::*;
pub use filter::*;
pub use history::*;
pub use rows::*;

pub use crate::domain::issue::{
    Consultation, Filter, HistoryEntry, Issue, IssueIntake, Link, NewIssue, Page, Stakeholder,
    Submitter,
};
