//! Imports and what follows them: the duplicate hints over the open issues.
//!
//! Reading a file is `import/`'s job (parsing tested without a database); this module is where
//! the rows meet the store.

use crate::domain::dupes::Pair;
use crate::error::Result;
use crate::store::{Store, dupes};

/// Open issues that look alike, most alike first: every pair (`since` = None), or only the
/// pairs whose newer issue is numbered after `since` (the ones just added).
pub fn duplicate_pairs(store: &Store, threshold: f64, since: Option<i64>) -> Result<Vec<Pair>> {
    let corpus = store.read(dupes::open_issues)?;
    Ok(match since {
        Some(last) => corpus.pairs(threshold, |id| id > last),
        None => corpus.pairs(threshold, |_| true),
    })
}
