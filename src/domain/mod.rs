//! Pure types and rules: no I/O, no SQL. The easiest place to unit- and property-test.

pub mod contact;
pub mod date;
pub mod feedback;
pub mod issue;
pub mod meeting;
pub mod motion;
pub mod nantang;
pub mod rules;
pub mod seat;
pub mod text;
