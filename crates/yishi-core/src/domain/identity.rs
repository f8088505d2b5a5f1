//! Which imported row is which. A row's content is not its identity: anonymous survey answers
//! are often identical, and each is a resident's answer. So the k-th of identical rows in a
//! file is keyed by its content and k (its place among them): importing the file again finds
//! every key stored and adds nothing, while identical rows within one file are all kept.
//!
//! The first of identical rows keeps the content's own fingerprint, as every version before
//! this one stored it, so files imported before still import as already present.

use std::collections::HashMap;

/// The key of the `k`-th (from 0) of the rows whose content has `fingerprint`.
pub fn occurrence_key(fingerprint: i64, k: u32) -> i64 {
    if k == 0 {
        return fingerprint;
    }
    let mut bytes = [0u8; 12];
    bytes[..8].copy_from_slice(&fingerprint.to_le_bytes());
    bytes[8..].copy_from_slice(&k.to_le_bytes());
    xxhash_rust::xxh3::xxh3_64(&bytes) as i64
}

/// Counts the rows of one file by content, to key each by its place among identical ones.
#[derive(Default)]
pub struct Occurrences(HashMap<i64, u32>);

impl Occurrences {
    /// This row's place among the rows before it with the same content (0 for the first).
    pub fn next(&mut self, fingerprint: i64) -> u32 {
        let seen = self.0.entry(fingerprint).or_insert(0);
        *seen += 1;
        *seen - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_rows_get_distinct_keys_and_the_first_keeps_its_fingerprint() {
        let mut seen = Occurrences::default();
        let keys: Vec<i64> = (0..3).map(|_| occurrence_key(42, seen.next(42))).collect();
        assert_eq!(keys[0], 42);
        assert!(keys[1] != keys[0] && keys[2] != keys[1] && keys[2] != keys[0]);
        assert_eq!(seen.next(7), 0);
    }
}
