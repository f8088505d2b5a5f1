//! Duplicate hints: which open issues say the same thing.
//!
//! Similarity is the Jaccard index of the titles' character bigrams (`小区缺少儿童活动场所` →
//! 小区, 区缺, 缺少 ...), which suits Chinese without a word segmenter. When both issues have
//! details, differing details lower the score: `min(title, (2·title + detail) / 3)`. The same
//! resident with a similar title (over the threshold minus 0.2) is also a hint.
//!
//! Finding pairs never compares all n² issues: bigrams are ordered from rarest to commonest
//! across the corpus, and two titles with Jaccard ≥ t must share one of the first
//! `|x| − ⌈t·|x|⌉ + 1` bigrams of each (the prefix filter of AllPairs / PPJoin). Only those
//! prefixes are indexed, so a common bigram (小区) rarely lengthens a probe.

use std::collections::HashMap;

/// The similarity under which two issues are not shown as possible duplicates.
pub const DEFAULT_THRESHOLD: f64 = 0.6;

/// How much lower the bar is for two issues from the same resident.
const SAME_RESIDENT_MARGIN: f64 = 0.2;

/// How many of a resident's earlier issues the same-resident rule looks at.
const RECENT_BY_RESIDENT: usize = 100;

/// An issue as the duplicate finder sees it.
pub struct Doc {
    pub id: i64,
    pub title: String,
    pub resident: Option<String>,
    /// Title bigrams, sorted by (document frequency, bigram) once the corpus is known.
    title_grams: Vec<u64>,
    /// Detail bigrams, sorted by value.
    detail_grams: Vec<u64>,
}

/// A possible duplicate: `id` (the newer) looks like `of` (the older).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Pair {
    pub id: i64,
    pub title: String,
    pub of: i64,
    pub of_title: String,
    pub score: f64,
    /// Flagged because the same resident raised both with a similar title.
    pub same_resident: bool,
}

/// Character bigrams of the letters and digits of `text` (punctuation and spaces dropped,
/// Latin letters lowercased), sorted and deduplicated. A one-character text is its own token.
pub fn bigrams(text: &str) -> Vec<u64> {
    let chars: Vec<u32> = text
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .map(u32::from)
        .collect();
    let mut grams: Vec<u64> = match chars.len() {
        0 => Vec::new(),
        1 => vec![u64::from(chars[0])],
        _ => chars
            .windows(2)
            .map(|w| (u64::from(w[0]) << 32) | u64::from(w[1]))
            .collect(),
    };
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// |a ∩ b| for two slices sorted by the same order (`key`).
fn overlap<K: Ord>(a: &[u64], b: &[u64], key: impl Fn(u64) -> K) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match key(a[i]).cmp(&key(b[j])) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn jaccard(overlap: usize, a: usize, b: usize) -> f64 {
    let union = a + b - overlap;
    if union == 0 {
        0.0
    } else {
        overlap as f64 / union as f64
    }
}

/// The open issues, indexed for duplicate search. Add them in id order.
#[derive(Default)]
pub struct Corpus {
    docs: Vec<Doc>,
}

impl Corpus {
    pub fn add(&mut self, id: i64, title: &str, detail: Option<&str>, resident: Option<&str>) {
        self.docs.push(Doc {
            id,
            title: title.to_string(),
            resident: resident.map(str::to_string),
            title_grams: bigrams(title),
            detail_grams: detail.map(bigrams).unwrap_or_default(),
        });
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Every pair over `threshold` whose newer issue passes `newer` (all pairs, or only those
    /// involving issues just added), best first.
    pub fn pairs(mut self, threshold: f64, newer: impl Fn(i64) -> bool) -> Vec<Pair> {
        let threshold = threshold.clamp(0.05, 1.0);
        // The global order: rarest bigram first (ties by value), the same for every title.
        let mut df: HashMap<u64, u32> = HashMap::new();
        for d in &self.docs {
            for &g in &d.title_grams {
                *df.entry(g).or_insert(0) += 1;
            }
        }
        // Each bigram becomes its position in that order, so titles are sorted integer lists
        // compared by a merge, with no hashing in the inner loop.
        let mut order: Vec<(u32, u64)> = df.iter().map(|(&g, &n)| (n, g)).collect();
        order.sort_unstable();
        let position: HashMap<u64, u64> = order
            .iter()
            .enumerate()
            .map(|(i, &(_, g))| (g, i as u64))
            .collect();
        drop(df);
        for d in &mut self.docs {
            for g in &mut d.title_grams {
                *g = position.get(g).copied().unwrap_or(u64::MAX);
            }
            d.title_grams.sort_unstable();
        }
        drop(position);
        let rank = |g: u64| g;
        // The fewest shared bigrams a pair over the threshold can have (a little slack so that
        // 0.6 × 5 = 3.0000000000000004 still needs 3).
        let min_overlap = |n: usize| ((threshold * n as f64) - 1e-9).ceil().max(1.0) as usize;
        let prefix_len = |n: usize| n + 1 - min_overlap(n).min(n);
        // Only prefixes are indexed.
        let mut postings: HashMap<u64, Vec<u32>> = HashMap::new();
        for (i, d) in self.docs.iter().enumerate() {
            let n = d.title_grams.len();
            if n == 0 {
                continue;
            }
            for &g in &d.title_grams[..prefix_len(n).min(n)] {
                postings.entry(g).or_default().push(i as u32);
            }
        }
        let mut by_resident: HashMap<&str, Vec<u32>> = HashMap::new();
        for (i, d) in self.docs.iter().enumerate() {
            if let Some(r) = d.resident.as_deref() {
                by_resident.entry(r).or_default().push(i as u32);
            }
        }
        let docs = &self.docs;
        let score = |x: &Doc, y: &Doc| -> f64 {
            let title = jaccard(
                overlap(&x.title_grams, &y.title_grams, rank),
                x.title_grams.len(),
                y.title_grams.len(),
            );
            if x.detail_grams.is_empty() || y.detail_grams.is_empty() {
                return title;
            }
            let detail = jaccard(
                overlap(&x.detail_grams, &y.detail_grams, |g| g),
                x.detail_grams.len(),
                y.detail_grams.len(),
            );
            title.min((2.0 * title + detail) / 3.0)
        };
        // Per candidate: the issue last probed against it, and the last one it matched.
        let mut seen = vec![u32::MAX; docs.len()];
        let mut matched = vec![u32::MAX; docs.len()];
        let mut out = Vec::new();
        for (xi, x) in docs.iter().enumerate() {
            if !newer(x.id) || x.title_grams.is_empty() {
                continue;
            }
            let n = x.title_grams.len();
            let (min_len, max_len) = (threshold * n as f64 - 1e-9, n as f64 / threshold + 1e-9);
            for &g in &x.title_grams[..prefix_len(n).min(n)] {
                let Some(list) = postings.get(&g) else {
                    continue;
                };
                for &yi in list {
                    // Postings are in id order: older issues come first.
                    if yi as usize >= xi {
                        break;
                    }
                    if seen[yi as usize] == xi as u32 {
                        continue;
                    }
                    seen[yi as usize] = xi as u32;
                    let y = &docs[yi as usize];
                    let m = y.title_grams.len() as f64;
                    if m < min_len || m > max_len {
                        continue;
                    }
                    let s = score(x, y);
                    if s >= threshold {
                        matched[yi as usize] = xi as u32;
                        out.push(pair(x, y, s, false));
                    }
                }
            }
            // The same resident twice: a lower bar, among their own issues only.
            if let Some(list) = x.resident.as_deref().and_then(|r| by_resident.get(r)) {
                // Their most recent issues before this one (a prolific resident stays cheap).
                let before = list.partition_point(|&yi| (yi as usize) < xi);
                for &yi in &list[before.saturating_sub(RECENT_BY_RESIDENT)..before] {
                    if matched[yi as usize] == xi as u32 {
                        continue;
                    }
                    let y = &docs[yi as usize];
                    let s = jaccard(
                        overlap(&x.title_grams, &y.title_grams, rank),
                        x.title_grams.len(),
                        y.title_grams.len(),
                    );
                    if s >= threshold - SAME_RESIDENT_MARGIN {
                        out.push(pair(x, y, s, true));
                    }
                }
            }
        }
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(a.id.cmp(&b.id))
                .then(a.of.cmp(&b.of))
        });
        out
    }
}

fn pair(x: &Doc, y: &Doc, score: f64, same_resident: bool) -> Pair {
    Pair {
        id: x.id,
        title: x.title.clone(),
        of: y.id,
        of_title: y.title.clone(),
        score: (score * 100.0).round() / 100.0,
        same_resident,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn bigrams_of_chinese_titles() {
        assert_eq!(bigrams("小区，路灯").len(), 3);
        assert_eq!(bigrams("灯"), vec![u64::from(u32::from('灯'))]);
        assert!(bigrams(" ，。").is_empty());
        assert_eq!(bigrams("AB"), bigrams("a b"));
    }

    #[test]
    fn finds_the_close_pairs_only() {
        let mut c = Corpus::default();
        c.add(5, "小区缺少儿童活动场所", None, Some("陈阿姨"));
        c.add(6, "路灯不亮", None, None);
        c.add(12, "小区缺少儿童的活动场所", None, Some("王先生"));
        c.add(13, "儿童活动场所太少", None, Some("陈阿姨"));
        c.add(14, "电梯经常故障", None, None);
        let pairs = c.pairs(DEFAULT_THRESHOLD, |_| true);
        assert_eq!(pairs.len(), 2, "{pairs:?}");
        assert_eq!((pairs[0].id, pairs[0].of), (12, 5));
        assert!(pairs[0].score >= 0.7 && !pairs[0].same_resident);
        // 陈阿姨 again, a shorter title: under 0.6, over 0.4, and the same resident.
        assert_eq!((pairs[1].id, pairs[1].of), (13, 5));
        assert!(pairs[1].same_resident);
    }

    #[test]
    fn different_details_lower_the_score() {
        let mut c = Corpus::default();
        c.add(1, "路灯不亮", Some("三栋门口的路灯坏了一周"), None);
        c.add(2, "路灯不亮", Some("东门停车场一片漆黑"), None);
        c.add(3, "路灯不亮", None, None);
        let pairs = c.pairs(0.8, |_| true);
        let ids: Vec<(i64, i64)> = pairs.iter().map(|p| (p.id, p.of)).collect();
        assert_eq!(ids, [(3, 1), (3, 2)]);
    }

    #[test]
    fn only_pairs_with_new_issues_when_asked() {
        let mut c = Corpus::default();
        c.add(1, "路灯不亮", None, None);
        c.add(2, "路灯不亮了", None, None);
        c.add(3, "小区路灯不亮", None, None);
        let pairs = c.pairs(0.5, |id| id == 3);
        assert!(pairs.iter().all(|p| p.id == 3), "{pairs:?}");
        assert_eq!(pairs.len(), 2);
    }

    /// The index finds exactly the pairs a brute-force comparison finds.
    fn brute(titles: &[String], t: f64) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        for (i, a) in titles.iter().enumerate() {
            for (j, b) in titles.iter().enumerate().take(i) {
                let (ga, gb) = (bigrams(a), bigrams(b));
                if ga.is_empty() {
                    continue;
                }
                let s = jaccard(overlap(&ga, &gb, |g| g), ga.len(), gb.len());
                if s >= t {
                    out.push((i as i64, j as i64));
                }
            }
        }
        out.sort();
        out
    }

    proptest! {
        #[test]
        fn the_prefix_filter_misses_nothing(
            titles in proptest::collection::vec("[路灯不亮小区儿童活动场所停车]{1,8}", 1..40),
            t in 0.3f64..1.0,
        ) {
            let mut c = Corpus::default();
            for (i, title) in titles.iter().enumerate() {
                c.add(i as i64, title, None, None);
            }
            let mut found: Vec<(i64, i64)> = c.pairs(t, |_| true).iter().map(|p| (p.id, p.of)).collect();
            found.sort();
            prop_assert_eq!(found, brute(&titles, t));
        }
    }
}
