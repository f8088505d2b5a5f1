//! Pure types and rules: no I/O, no SQL. The easiest place to unit- and property-test.
//! Checks return a [`Refusal`]; they do not print.

use std::fmt;

pub mod actor;
pub mod audit;
pub mod channel;
pub mod code;
pub mod contact;
pub mod date;
pub mod dupes;
pub mod escalation;
pub mod feedback;
pub mod followup;
pub mod guards;
pub mod history;
pub mod identity;
pub mod ids;
pub mod issue;
pub mod ledger;
pub mod locale;
pub mod meeting;
pub mod member;
pub mod motion;
pub mod nantang;
pub mod package;
pub mod package_sections;
pub mod record;
pub mod reply;
pub mod report;
pub mod rules;
pub mod seat;
pub mod status;
pub mod suggest;
pub mod text;

/// Why a council rule forbids a step, and what to do instead: a message of the catalogue
/// (key and arguments), worded where it is shown, in the reader's language. Converts into an
/// error with exit status 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal(pub crate::i18n::Text);

impl Refusal {
    pub fn new(why: crate::i18n::Text) -> Self {
        Refusal(why)
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.render(locale::Locale::En))
    }
}

impl From<Refusal> for crate::error::Error {
    fn from(r: Refusal) -> Self {
        crate::error::Error::refused_text(r.0)
    }
}
