//! yishi-core: the library behind yishi (议事), the record-keeper of a residents' deliberation
//! council.
//!
//! Data flows one way: the binary's `cli` (clap) builds a typed request and calls one
//! operation in `ops`; an operation checks `domain`'s pure rules and writes through `store`
//! (SQL, one transaction per command) and returns a typed outcome that `render` turns into
//! tables, JSON and documents. `import` turns CSV rows and spreadsheets into validated records.
//! Errors carry a kind that the binary maps to an exit code.
pub mod clock;
pub mod config;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod import;
mod lock_holders;
pub mod ops;
pub mod outfile;
pub mod render;
pub mod testhook;
// The store is private: only operations reach the database. The `internals` feature opens it
// for the benchmark's history generator (examples/gen_history.rs), which writes a district's
// history faster than commands could; the binary never enables it.
#[cfg(not(feature = "internals"))]
pub(crate) mod store;
#[cfg(feature = "internals")]
pub mod store;

/// The database handle: opened by the command line, handed to operations. Its SQL stays inside
/// this crate.
pub use store::Store;
