//! yishi (议事): the record-keeper of a residents' deliberation council.
//!
//! Data flows one way: argv → `cli` (clap) → `domain` (pure rules) → `store` (SQL, one
//! transaction per command) → `render` (tables, JSON, minutes) → stdout. `import` turns CSV rows
//! into validated records for the store. Errors carry a kind that `main` maps to an exit code.

pub mod cli;
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod import;
pub mod ops;
pub mod outfile;
pub mod render;
pub mod store;
