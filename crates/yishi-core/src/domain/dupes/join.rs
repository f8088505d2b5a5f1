//! Every pair at once (AllPairs / PPJoin, Xiao et al. 2008), on up to four threads.
//!
//! Titles come in order of length, each probing the ones before it (no longer than itself).
//! Since the indexed title is the shorter, only its first |y| − ⌈2t/(1+t)·|y|⌉ + 1 bigrams need
//! indexing, and a posting list's titles that became too short for the probing title
//! (|y| < t·|x|) are skipped for good. A pair counts only with a new issue in it, so a title
//! that is not new probes the new titles' postings alone (a second set of lists): 5,000 new
//! issues among 20,000 made the old ones' probes most of an import's hints (issue 30).
//!
//! Every title's postings are indexed first, by its place in that order; a title reads a list
//! up to its own place, so it sees what it would have seen indexing one title after another.
//! The probes are then shared out in blocks between threads, and the blocks' pairs put back
//! in order: the pairs are those of one thread, in the same order.
//!
//! Two titles whose numbers or sides differ score too little to be a pair (at a threshold
//! over [`OTHER_PLACE`]): a title that names some probes the postings of the titles naming
//! none and of those naming one of its own, not all. Imports number their titles (「停车位不够
//! （1024）」): 5,000 rows among 20,000 of twelve such titles met every title of theirs.

use super::{
    Bar, Doc, OTHER_PLACE, PARALLEL_FROM, Posting, Probe, max_threads, prefix_len, rank_count,
    required_overlap, score,
};
use foldhash::{HashMap, HashMapExt};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A pair found: (newer, older) by place in `docs`, and its score.
type Found = (u32, u32, f64);

/// Titles a thread probes at a time: later titles have more before them, so the work is
/// shared out as it goes rather than in halves.
const BLOCK: usize = 64;

/// Every pair over `bar` with a new issue in it, among the titles that join.
/// `(t, bar)`: the Jaccard bound the index works with, and the score a pair needs.
pub(super) fn self_join(
    docs: &[Doc],
    (t, bar): (f64, Bar),
    new: &[bool],
    joined: &[bool],
) -> Vec<Found> {
    join_on(docs, (t, bar), new, joined, max_threads())
}

/// The self-join on up to `threads` threads (one for a small corpus).
fn join_on(
    docs: &[Doc],
    (t, bar): (f64, Bar),
    new: &[bool],
    joined: &[bool],
    threads: usize,
) -> Vec<Found> {
    let index = Index::new(docs, (t, bar.score), new, joined);
    let threads = if index.order.len() < PARALLEL_FROM {
        1
    } else {
        threads.max(1)
    };
    let next = AtomicUsize::new(0);
    let mut blocks = std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads)
            .map(|_| scope.spawn(|| index.probe_blocks(&next, bar)))
            .collect();
        let mut blocks = index.probe_blocks(&next, bar);
        for worker in workers {
            match worker.join() {
                Ok(theirs) => blocks.extend(theirs),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        blocks
    });
    blocks.sort_unstable_by_key(|&(b, _)| b);
    blocks.into_iter().flat_map(|(_, found)| found).collect()
}

/// The titles that join, in probing order, with the postings of their indexed prefixes.
struct Index<'d> {
    docs: &'d [Doc],
    t: f64,
    new: &'d [bool],
    /// Places in `docs` by (title length, id).
    order: Vec<u32>,
    /// The postings of every title, and of the new ones alone; a posting's `doc` is the
    /// title's place in `order`, so each list is in that order.
    every: Postings,
    of_new: Postings,
    /// Numbers and sides narrow the probes: they exclude a pair at this threshold.
    by_place: bool,
    /// By title length: how many of its bigrams are indexed.
    indexed: Vec<usize>,
}

impl<'d> Index<'d> {
    /// `t`: the Jaccard bound; `t_score`: the score a pair needs.
    fn new(docs: &'d [Doc], (t, t_score): (f64, f64), new: &'d [bool], joined: &[bool]) -> Self {
        let ranks = rank_count(docs);
        let mut order: Vec<u32> = (0..docs.len() as u32)
            .filter(|&i| joined[i as usize] && !docs[i as usize].title_grams.is_empty())
            .collect();
        order.sort_by_key(|&i| (docs[i as usize].title_grams.len(), i));
        let longest = order
            .last()
            .map_or(0, |&i| docs[i as usize].title_grams.len());
        let indexed: Vec<usize> = (0..=longest).map(|m| index_prefix_len(t, m)).collect();
        let by_place = t_score > OTHER_PLACE;
        let mut every = Postings::new(ranks, by_place);
        // Only old titles read the second set: none when every issue is new (`issue dupes`).
        let any_old = new.iter().any(|&n| !n);
        let mut of_new = Postings::new(if any_old { ranks } else { 0 }, by_place);
        for (k, &xi) in order.iter().enumerate() {
            let x = &docs[xi as usize];
            let n = x.title_grams.len();
            for (pos, &g) in x.title_grams[..indexed[n]].iter().enumerate() {
                let posting = Posting::new(k, pos, n);
                every.add(g, &x.places, posting);
                if any_old && new[xi as usize] {
                    of_new.add(g, &x.places, posting);
                }
            }
        }
        Index {
            docs,
            t,
            new,
            order,
            every,
            of_new,
            by_place,
            indexed,
        }
    }

    /// Probe blocks of titles until none is left: the pairs found, by block.
    fn probe_blocks(&self, next: &AtomicUsize, bar: Bar) -> Vec<(usize, Vec<Found>)> {
        let mut probe = Probe::new(self.order.len());
        // Per list, the first posting long enough for this thread's titles (they come in
        // order of length, as the blocks are taken in order).
        let mut starts = Starts {
            every: vec![0; self.every.lists.len()],
            of_new: vec![0; self.of_new.lists.len()],
        };
        let mut done = Vec::new();
        loop {
            let b = next.fetch_add(1, Ordering::Relaxed);
            let from = b.saturating_mul(BLOCK);
            if from >= self.order.len() {
                return done;
            }
            let mut found = Vec::new();
            for k in from..(from + BLOCK).min(self.order.len()) {
                self.probe_one(k, &mut probe, &mut starts, bar, &mut found);
            }
            done.push((b, found));
        }
    }

    /// Title `k` (in order) against the titles before it.
    fn probe_one(
        &self,
        k: usize,
        probe: &mut Probe,
        starts: &mut Starts,
        bar: Bar,
        out: &mut Vec<Found>,
    ) {
        let (t, docs) = (self.t, self.docs);
        let xi = self.order[k];
        let x = &docs[xi as usize];
        let n = x.title_grams.len();
        probe.reset(t, n, n);
        let (set, start) = if self.new[xi as usize] {
            (&self.every, &mut starts.every)
        } else {
            (&self.of_new, &mut starts.of_new)
        };
        let px = prefix_len(t, n);
        for (i, &g) in x.title_grams[..px].iter().enumerate() {
            self.look_up(set, start, (g, i), k, probe);
        }
        // Every prefix bigram has been looked up: what is not counted yet lies after the
        // probing prefix (if it ends before the indexed one) or after the indexed prefix.
        let last_probed = x.title_grams[px - 1];
        let survivors = probe.survivors().to_vec();
        for &yk in &survivors {
            let yi = self.order[yk as usize];
            let y = &docs[yi as usize].title_grams;
            let m = y.len();
            let mid = self.indexed[m];
            let rest = if last_probed < y[mid - 1] {
                n - px
            } else {
                m - mid
            };
            if probe.shared(yk) + rest < probe.need[m] {
                continue;
            }
            // The newer issue is the one with the larger id (docs are in id order).
            let (a, b) = if xi > yi { (xi, yi) } else { (yi, xi) };
            if !self.new[a as usize] {
                continue;
            }
            if let Some(s) = score(&docs[a as usize], &docs[b as usize], bar) {
                out.push((a, b, s));
            }
        }
    }
}

/// The postings of bigram rank `g`, and of it in titles naming no number or side, or a given
/// one (kept when numbers and sides narrow the probes).
struct Postings {
    ranks: usize,
    by_place: bool,
    /// Every title's at `g`, the titles' naming none at `ranks + g`, then by (`g`, place).
    lists: Vec<Vec<Posting>>,
    at: HashMap<(u64, u64), usize>,
}

impl Postings {
    fn new(ranks: usize, by_place: bool) -> Self {
        let sets = if by_place { 2 } else { 1 };
        Postings {
            ranks,
            by_place,
            lists: vec![Vec::new(); sets * ranks],
            at: HashMap::new(),
        }
    }

    /// Index bigram `g` of a title naming `places`.
    fn add(&mut self, g: u64, places: &[u64], posting: Posting) {
        self.lists[g as usize].push(posting);
        if !self.by_place {
            return;
        }
        if places.is_empty() {
            self.lists[self.ranks + g as usize].push(posting);
        }
        for &place in places {
            let next = self.lists.len();
            let at = *self.at.entry((g, place)).or_insert(next);
            if at == next {
                self.lists.push(Vec::new());
            }
            self.lists[at].push(posting);
        }
    }
}

impl Index<'_> {
    /// Count the titles before title `k` that have bigram `g` (its `i`th) in their indexed
    /// prefix and can be its pair given the numbers and sides both name.
    fn look_up(
        &self,
        set: &Postings,
        start: &mut [usize],
        (g, i): (u64, usize),
        k: usize,
        probe: &mut Probe,
    ) {
        let x = &self.docs[self.order[k] as usize];
        let n = x.title_grams.len();
        let min_len = self.t * n as f64 - 1e-9;
        let g = g as usize;
        if !self.by_place || x.places.is_empty() {
            for p in before(&set.lists, start, g, min_len, k) {
                probe.visit(n, i, p);
            }
            return;
        }
        for p in before(&set.lists, start, set.ranks + g, min_len, k) {
            probe.visit(n, i, p);
        }
        for (j, &place) in x.places.iter().enumerate() {
            let Some(&at) = set.at.get(&(g as u64, place)) else {
                continue;
            };
            for p in before(&set.lists, start, at, min_len, k) {
                // A pair that can match names the places of one of its titles in the other,
                // so it shares x's first place or y's: counted through that one alone.
                let y = &self.docs[self.order[p.doc as usize] as usize];
                if j == 0 || y.places.first() == Some(&place) {
                    probe.visit(n, i, p);
                }
            }
        }
    }
}

/// One thread's first postings still long enough, per list of each set.
struct Starts {
    every: Vec<usize>,
    of_new: Vec<usize>,
}

/// The postings of list `at` of titles at least `min_len` long that come before title `k`.
/// Lists are in order of length, and so are a thread's titles: what is too short for one is
/// too short for the next.
fn before<'l>(
    lists: &'l [Vec<Posting>],
    start: &mut [usize],
    at: usize,
    min_len: f64,
    k: usize,
) -> impl Iterator<Item = &'l Posting> {
    let list = &lists[at];
    let first = &mut start[at];
    while *first < list.len() && (list[*first].len as f64) < min_len {
        *first += 1;
    }
    list[*first..]
        .iter()
        .take_while(move |p| (p.doc as usize) < k)
}

/// The bigrams of a title indexed by the self-join, where it is the shorter of a pair:
/// |y| − ⌈2t/(1+t)·|y|⌉ + 1 (at least one for a non-empty title).
fn index_prefix_len(t: f64, m: usize) -> usize {
    m + 1 - required_overlap(t, m, m).min(m)
}

#[cfg(test)]
mod tests {
    use super::super::{Bar, Corpus, first_copies, jaccard_bound};
    use super::*;
    use proptest::prelude::*;

    /// Titles from a few characters, so that many pairs are close, with numbers now and then.
    fn titles(n: usize, mut seed: u64) -> Vec<String> {
        let chars: Vec<char> = "路灯不亮小区儿童活动场所停车东门电梯坏了".chars().collect();
        (0..n)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let r = seed >> 20;
                let len = 2 + (r % 9) as usize;
                let mut title: String = (0..len)
                    .map(|j| chars[(r >> (4 + 3 * j)) as usize % chars.len()])
                    .collect();
                if r.is_multiple_of(5) {
                    title = format!("{}号楼{title}", r % 4);
                }
                title
            })
            .collect()
    }

    /// The join of `titles` whose ids from `first_new` on are new, on `threads` threads.
    fn join(titles: &[String], t: f64, first_new: usize, threads: usize) -> Vec<Found> {
        let mut c = Corpus::default();
        for (i, title) in titles.iter().enumerate() {
            c.add(i as i64, title, None, None);
        }
        c.rank_title_grams();
        let joined: Vec<bool> = first_copies(&c.docs).iter().map(Option::is_none).collect();
        let new: Vec<bool> = (0..titles.len()).map(|i| i >= first_new).collect();
        join_on(
            &c.docs,
            (jaccard_bound(t), Bar::new(t)),
            &new,
            &joined,
            threads,
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(8))]

        /// Threads find the same pairs in the same order as one thread, whether every title
        /// is new (`issue dupes`) or only the last ones (an import's hints).
        #[test]
        fn threads_find_what_one_thread_finds(
            seed: u64,
            t in 0.5f64..0.9,
            new_from in prop_oneof![Just(0.0), 0.2f64..0.9],
        ) {
            let titles = titles(PARALLEL_FROM + 1_000, seed);
            let first_new = (titles.len() as f64 * new_from) as usize;
            let one = join(&titles, t, first_new, 1);
            prop_assert!(one.len() > 20, "{} pairs", one.len());
            for threads in [2, 3] {
                prop_assert_eq!(&join(&titles, t, first_new, threads), &one);
            }
        }
    }
}
