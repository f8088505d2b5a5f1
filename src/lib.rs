//! yishi (议事): the command line of the record-keeper of a residents' deliberation council.
//!
//! This crate is only the command line: clap parses argv into typed requests, each command
//! calls one operation of `yishi_core` and renders its outcome. The database and its SQL live
//! in `yishi_core`, which keeps them private: this crate does not depend on rusqlite and
//! cannot name the store, so no command can bypass an operation's transaction.

pub mod cli;
