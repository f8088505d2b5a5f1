//! Duplicate hints: which open issues say the same thing, as a reader would judge.
//!
//! Titles are compared after normalising what does not change the meaning (full-width letters
//! and digits, punctuation, filler words such as 的/了/问题/希望), by their character bigrams
//! (`小区缺少儿童活动场所` → 小区, 区缺, 缺少 ...), which suits Chinese without a word
//! segmenter. The title score is the mean of the bigrams' Dice coefficient and their
//! containment (shared ÷ the shorter title's), so that a title that says a little more
//! (「南门口电动车乱停」, 「南门电动车乱停放」: 0.71) still matches. Numbers (building, unit, room,
//! house numbers, dates; Arabic or Chinese: 3号楼, 三栋, 6月1日) and sides (东门, 西区) name the
//! place or the day: two titles whose numbers differ are about different places and score a
//! third of it (「3号楼电梯坏了」, 「5号楼电梯坏了」); a title with numbers beside one without
//! loses a little. When both issues have details, differing details lower the score:
//! `min(title, (2·title + detail) / 3)`. The same resident with a similar title (over the
//! threshold minus 0.2) is also a hint.
//!
//! The default threshold comes from a labelled set of 240 realistic title pairs
//! (tests/fixtures/dupes-pairs.csv; `the_labelled_pairs` measures precision and recall).
//!
//! Finding pairs never compares all n² issues (AllPairs / PPJoin, Xiao et al. 2008): a title
//! score of t needs a bigram Jaccard index of at least [`jaccard_bound`]`(t)`, and two titles
//! with Jaccard ≥ j must share one of the first `|x| − ⌈j·|x|⌉ + 1` bigrams of each, ordered
//! from rarest to commonest across the corpus (the prefix filter). Only prefixes are indexed,
//! so a common bigram (小区) rarely lengthens a probe; titles of very different lengths are
//! skipped (length filter); a candidate is dropped as soon as the bigrams left cannot reach the
//! overlap needed (positional filter), and the survivors are scored. Checking every open issue
//! (`issue dupes`, a large import) is one self-join in order of title length; a few new issues
//! probe an index of the rest.

use foldhash::{HashMap, HashMapExt, HashSet};

mod join;

/// The similarity under which two issues are not shown as possible duplicates: where
/// precision and recall on the labelled pairs are both highest (see the module's docs).
pub const DEFAULT_THRESHOLD: f64 = 0.65;

/// How much lower the bar is for two issues from the same resident.
const SAME_RESIDENT_MARGIN: f64 = 0.2;

/// How many of a resident's earlier issues the same-resident rule looks at.
const RECENT_BY_RESIDENT: usize = 100;

/// The share of its score a pair keeps when the titles' numbers (or sides) differ.
const OTHER_PLACE: f64 = 0.35;

/// ... when one title names a number or side and the other names none.
const ONE_PLACE: f64 = 0.9;

/// ... when one title's numbers are some of the other's (3号楼 and 3号楼2单元).
const MORE_PLACE: f64 = 0.85;

/// An issue as the duplicate finder sees it.
pub struct Doc {
    pub id: i64,
    pub title: String,
    pub resident: Option<String>,
    /// Title bigrams of the normalised title, sorted by (document frequency, bigram) once the
    /// corpus is known.
    title_grams: Vec<u64>,
    /// The numbers and sides the title names (hashed, sorted, distinct).
    places: Vec<u64>,
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

/// Words that do not change what an issue is about: removed before comparing.
const FILLERS: &[&str] = &[
    "能不能",
    "可不可以",
    "有没有",
    "问题",
    "希望",
    "建议",
    "请求",
    "要求",
    "能否",
    "可否",
    "麻烦",
    "尽快",
    "赶紧",
    "及时",
    "解决",
    "处理",
    "一下",
    "非常",
    "特别",
    "十分",
    "严重",
    "经常",
    "总是",
    "一直",
    "老是",
    "反映",
    "情况",
    "关于",
    "有关",
    "我们",
    "大家",
    "居民",
    "社区",
    "现象",
    "存在",
    "的",
    "了",
    "吗",
    "呢",
    "啊",
    "吧",
    "呀",
    "请",
    "太",
    "很",
    "都",
    "还",
    "又",
    "也",
];

/// Characters after a number that make it a place or a date (3号楼, 五栋, 2单元, 6月1日).
const UNITS: &[char] = &[
    '号', '栋', '幢', '楼', '单', '层', '室', '期', '区', '组', '排', '座', '月', '日', '弄', '巷',
    '户', '年', '门', '街', '路',
];

/// Sides that name a place when a place word follows (东门, 西区, 南侧).
const SIDES: &[char] = &['东', '西', '南', '北'];
const SIDE_PLACES: &[char] = &['门', '区', '侧', '边', '面', '苑', '院', '楼', '片', '头'];

/// A title as compared: its characters with numbers, punctuation and fillers removed, and the
/// numbers and sides it names.
pub struct Normalized {
    pub chars: Vec<char>,
    pub places: Vec<String>,
}

/// Full-width letters and digits as ASCII, lowercase.
fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    c.to_ascii_lowercase()
}

fn chinese_digit(c: char) -> Option<u32> {
    "零一二三四五六七八九"
        .find(c)
        .map(|i| (i / 3) as u32)
        .or(match c {
            '〇' => Some(0),
            '两' => Some(2),
            _ => None,
        })
}

/// 三 → 3, 十二 → 12, 二十三 → 23, 二〇二六 → 2026.
fn chinese_number(s: &[char]) -> Option<u64> {
    match s.iter().position(|&c| c == '十') {
        Some(at) => {
            let tens = match &s[..at] {
                [] => 1,
                [d] => chinese_digit(*d)?,
                _ => return None,
            };
            let ones = match &s[at + 1..] {
                [] => 0,
                [d] => chinese_digit(*d)?,
                _ => return None,
            };
            Some(u64::from(tens * 10 + ones))
        }
        None => s.iter().try_fold(0u64, |n, &c| {
            Some(n.saturating_mul(10) + u64::from(chinese_digit(c)?))
        }),
    }
}

/// Normalise a title for comparison (see the module's docs).
pub fn normalize(text: &str) -> Normalized {
    let folded: Vec<char> = text.chars().map(fold).collect();
    let mut chars = Vec::with_capacity(folded.len());
    let mut places = Vec::new();
    let mut i = 0;
    while i < folded.len() {
        let c = folded[i];
        if c.is_ascii_digit() {
            let end = (i..folded.len())
                .find(|&j| !folded[j].is_ascii_digit())
                .unwrap_or(folded.len());
            let digits: String = folded[i..end].iter().collect();
            // 002 and 2 are the same number.
            let trimmed = digits.trim_start_matches('0');
            places.push(if trimmed.is_empty() { "0" } else { trimmed }.to_string());
            i = end;
            continue;
        }
        if chinese_digit(c).is_some() || c == '十' {
            let end = (i..folded.len())
                .find(|&j| chinese_digit(folded[j]).is_none() && folded[j] != '十')
                .unwrap_or(folded.len());
            if end < folded.len()
                && UNITS.contains(&folded[end])
                && let Some(n) = chinese_number(&folded[i..end])
            {
                places.push(n.to_string());
                i = end;
                continue;
            }
        }
        if c.is_ascii_lowercase()
            && folded.get(i + 1).is_some_and(|u| UNITS.contains(u))
            && !folded
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_ascii_lowercase())
        {
            // A座, B区: a letter that names a building.
            places.push(c.to_string());
            i += 1;
            continue;
        }
        if SIDES.contains(&c) && folded.get(i + 1).is_some_and(|p| SIDE_PLACES.contains(p)) {
            places.push(c.to_string());
        }
        if c.is_alphanumeric() {
            chars.push(c);
        }
        i += 1;
    }
    let mut text: String = chars.iter().collect();
    for filler in FILLERS {
        if text.contains(filler) {
            text = text.replace(filler, "");
        }
    }
    // A title that is nothing but fillers keeps its words.
    let chars: Vec<char> = if text.is_empty() {
        chars
    } else {
        text.chars().collect()
    };
    places.sort_unstable();
    places.dedup();
    Normalized { chars, places }
}

/// Character bigrams of `text` after [`normalize`], sorted and deduplicated. A one-character
/// text is its own token.
pub fn bigrams(text: &str) -> Vec<u64> {
    grams(&normalize(text).chars)
}

fn grams(chars: &[char]) -> Vec<u64> {
    let chars: Vec<u32> = chars.iter().map(|&c| u32::from(c)).collect();
    let mut grams: Vec<u64> = chars.iter().map(|&c| u64::from(c)).collect();
    grams.extend(
        chars
            .windows(2)
            .map(|w| (u64::from(w[0]) << 32) | u64::from(w[1])),
    );
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// The numbers and sides of a title, hashed.
fn place_keys(places: &[String]) -> Vec<u64> {
    let mut keys: Vec<u64> = places
        .iter()
        .map(|p| xxhash_rust::xxh3::xxh3_64(p.as_bytes()))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The score of two titles' tokens: the mean of Dice and containment. Containment counts
/// against at least half the longer title: a short title inside a long one (路灯 in a title of
/// twenty characters) says too little to be its duplicate.
fn text_score(shared: usize, a: usize, b: usize) -> f64 {
    if a == 0 || b == 0 {
        return 0.0;
    }
    let dice = 2.0 * shared as f64 / (a + b) as f64;
    let containment = shared as f64 / (a.min(b) as f64).max(a.max(b) as f64 / 2.0);
    (dice + containment) / 2.0
}

/// How much of the score two titles keep given the numbers and sides they name.
fn place_factor(x: &[u64], y: &[u64]) -> f64 {
    match (x.is_empty(), y.is_empty()) {
        (true, true) => 1.0,
        (true, false) | (false, true) => ONE_PLACE,
        _ if x == y => 1.0,
        _ => {
            let shared = overlap(x, y);
            if shared == x.len().min(y.len()) {
                MORE_PLACE
            } else {
                OTHER_PLACE
            }
        }
    }
}

/// The score of two titles alone, as `issue dupes` computes it (for tests and tools).
pub fn title_score(a: &str, b: &str) -> f64 {
    let (x, y) = (normalize(a), normalize(b));
    let (gx, gy) = (grams(&x.chars), grams(&y.chars));
    text_score(overlap(&gx, &gy), gx.len(), gy.len())
        * place_factor(&place_keys(&x.places), &place_keys(&y.places))
}

/// The least Jaccard index of two titles' tokens whose [`text_score`] is at least `t`: the
/// index only needs to find pairs over it. With r = a/b (a ≤ b) and shared = k·a, the score is
/// k·g(r) and the Jaccard index k·r/(1 + r − k·r); the least of the latter over r with
/// k = t/g(r) ≤ 1 is found on a grid (its minimum lies at r = 1/2 for t ≤ 5/6), less a margin
/// for the grid. The proptests compare the index with a brute-force scoring of every pair.
pub fn jaccard_bound(t: f64) -> f64 {
    const STEPS: u32 = 2000;
    let mut least: f64 = 1.0;
    for i in 1..=STEPS {
        let r = f64::from(i) / f64::from(STEPS);
        let containment = if r >= 0.5 { 1.0 } else { 2.0 * r };
        let g = (2.0 * r / (1.0 + r) + containment) / 2.0;
        let k = t / g;
        if k <= 1.0 {
            least = least.min(k * r / (1.0 + r - k * r));
        }
    }
    (least * 0.98).clamp(0.02, 1.0)
}

/// |a ∩ b| for two sorted slices.
fn overlap(a: &[u64], b: &[u64]) -> usize {
    overlap_reaching(a, b, 0).unwrap_or(0)
}

/// |a ∩ b| for two sorted slices if it is at least `need`; stops as soon as what is left
/// cannot reach it (most candidates fail within a few steps).
fn overlap_reaching(a: &[u64], b: &[u64], need: usize) -> Option<usize> {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if n + (a.len() - i).min(b.len() - j) < need {
            return None;
        }
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    (n >= need).then_some(n)
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

/// An open issue as read: id, title, detail and resident.
pub type Open = (i64, String, Option<String>, Option<String>);

/// Below this many issues the work is done on one thread: starting another costs more than
/// it saves.
const PARALLEL_FROM: usize = 2_000;

/// The most threads the duplicate finder uses (the hints of a large import: 20,000 issues).
fn max_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(4))
}

impl Doc {
    fn new((id, title, detail, resident): Open) -> Doc {
        let n = normalize(&title);
        Doc {
            id,
            title_grams: grams(&n.chars),
            places: place_keys(&n.places),
            detail_grams: detail.as_deref().map(bigrams).unwrap_or_default(),
            title,
            resident,
        }
    }
}

impl Corpus {
    pub fn add(&mut self, id: i64, title: &str, detail: Option<&str>, resident: Option<&str>) {
        let open = (
            id,
            title.to_string(),
            detail.map(str::to_string),
            resident.map(str::to_string),
        );
        self.docs.push(Doc::new(open));
    }

    /// Add `issues` (in id order), their titles and details normalised on up to four threads:
    /// on one, that was the largest part of an import's hints (20,000 issues; issue 30).
    pub fn extend(&mut self, issues: Vec<Open>) {
        let threads = if issues.len() < PARALLEL_FROM {
            1
        } else {
            max_threads()
        };
        self.extend_on(issues, threads);
    }

    /// Add `issues` (in id order), normalised on `threads` threads (this one among them).
    pub fn extend_on(&mut self, issues: Vec<Open>, threads: usize) {
        let threads = threads.max(1);
        let chunk = issues.len().div_ceil(threads).max(1);
        let mut parts = Vec::new();
        let mut rest = issues;
        while rest.len() > chunk {
            let tail = rest.split_off(chunk);
            parts.push(std::mem::replace(&mut rest, tail));
        }
        let docs = &mut self.docs;
        std::thread::scope(|scope| {
            let workers: Vec<_> = parts
                .into_iter()
                .map(|part| scope.spawn(|| part.into_iter().map(Doc::new).collect::<Vec<_>>()))
                .collect();
            let last: Vec<Doc> = rest.into_iter().map(Doc::new).collect();
            for worker in workers {
                match worker.join() {
                    Ok(theirs) => docs.extend(theirs),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            }
            docs.extend(last);
        });
    }

    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Keep the newest `n` issues only (the last `n` added).
    pub fn keep_newest(&mut self, n: usize) {
        let drop = self.docs.len().saturating_sub(n);
        self.docs.drain(..drop);
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Every pair over `threshold` whose newer issue passes `newer` (all pairs, or only those
    /// involving issues just added), best first.
    pub fn pairs(mut self, threshold: f64, newer: impl Fn(i64) -> bool) -> Vec<Pair> {
        let t = threshold.clamp(0.05, 1.0);
        // The index finds every pair whose bigrams could reach the score `t`.
        let jt = jaccard_bound(t);
        self.rank_title_grams();
        let docs = &self.docs;
        let new: Vec<bool> = docs.iter().map(|d| newer(d.id)).collect();
        let copy_of = first_copies(docs);
        let joined: Vec<bool> = copy_of.iter().map(Option::is_none).collect();
        let probing: Vec<bool> = new.iter().zip(&joined).map(|(&n, &j)| n && j).collect();
        let new_count = probing.iter().filter(|&&n| n).count();
        // A few new issues probe an index of all the others; many (or all) are cheaper as one
        // self-join in length order.
        let mut similar = if new_count * FEW_NEW < docs.len() {
            probe_new(docs, (jt, Bar::new(t)), &probing, &joined)
        } else {
            join::self_join(docs, (jt, Bar::new(t)), &new, &joined)
        };
        for (i, first) in copy_of.iter().enumerate() {
            if let Some(first) = first
                && new[i]
            {
                similar.push((i as u32, *first, 1.0));
            }
        }
        let resident_bar = Bar::new(t - SAME_RESIDENT_MARGIN);
        let mut by_resident: HashMap<&str, Vec<u32>> = HashMap::new();
        for (i, d) in docs.iter().enumerate() {
            if let Some(r) = d.resident.as_deref() {
                by_resident.entry(r).or_default().push(i as u32);
            }
        }
        let reported: HashSet<(u32, u32)> = similar.iter().map(|&(x, y, _)| (x, y)).collect();
        let mut out: Vec<Pair> = similar
            .iter()
            .map(|&(x, y, s)| pair(&docs[x as usize], &docs[y as usize], s, false))
            .collect();
        for (xi, x) in docs.iter().enumerate() {
            if !new[xi] || x.title_grams.is_empty() {
                continue;
            }
            // The same resident twice: a lower bar, among their own issues only.
            if let Some(list) = x.resident.as_deref().and_then(|r| by_resident.get(r)) {
                // Their most recent issues before this one (a prolific resident stays cheap).
                let before = list.partition_point(|&yi| (yi as usize) < xi);
                for &yi in &list[before.saturating_sub(RECENT_BY_RESIDENT)..before] {
                    let y = &docs[yi as usize];
                    if let Some(s) = title_similarity(x, y, resident_bar)
                        && !reported.contains(&(xi as u32, yi))
                    {
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

    /// Replace each title bigram by its rank in one global order, rarest first (ties by
    /// value), and sort each title by it: titles become sorted integer lists compared by a
    /// merge, and their first elements are their rarest bigrams.
    fn rank_title_grams(&mut self) {
        let mut df: HashMap<u64, u32> = HashMap::new();
        for d in &self.docs {
            for &g in &d.title_grams {
                *df.entry(g).or_insert(0) += 1;
            }
        }
        let mut order: Vec<(u32, u64)> = df.into_iter().map(|(g, n)| (n, g)).collect();
        order.sort_unstable();
        let position: HashMap<u64, u64> = order
            .iter()
            .enumerate()
            .map(|(i, &(_, g))| (g, i as u64))
            .collect();
        for d in &mut self.docs {
            for g in &mut d.title_grams {
                *g = position.get(g).copied().unwrap_or(0);
            }
            d.title_grams.sort_unstable();
        }
    }
}

/// The fewest shared bigrams two titles of `a` and `b` bigrams need for Jaccard ≥ t:
/// |x ∩ y| ≥ t/(1+t)·(|x|+|y|). A little slack so that rounding (0.6 × 5 = 3.0000000000000004)
/// does not ask for one more.
fn required_overlap(t: f64, a: usize, b: usize) -> usize {
    ((t / (1.0 + t) * (a + b) as f64) - 1e-9).ceil().max(1.0) as usize
}

/// How many of a title's first (rarest) bigrams any match over t must share: with Jaccard ≥ t,
/// |x ∩ y| ≥ ⌈t·|x|⌉, so a match shares one of the first |x| − ⌈t·|x|⌉ + 1.
fn prefix_len(t: f64, n: usize) -> usize {
    let min_overlap = ((t * n as f64) - 1e-9).ceil().max(1.0) as usize;
    (n + 1 - min_overlap.min(n)).min(n)
}

/// How many bigram ranks the titles use (ranked titles: one posting list each).
fn rank_count(docs: &[Doc]) -> usize {
    docs.iter()
        .flat_map(|d| d.title_grams.last())
        .max()
        .map_or(0, |&r| r as usize + 1)
}

/// One indexed prefix bigram: which title (its place in `docs`, or in the self-join's order),
/// where in it, and the title's length.
#[derive(Clone, Copy)]
struct Posting {
    doc: u32,
    pos: u16,
    len: u16,
}

impl Posting {
    fn new(doc: usize, pos: usize, len: usize) -> Posting {
        Posting {
            doc: doc as u32,
            pos: pos.min(u16::MAX as usize) as u16,
            len: len.min(u16::MAX as usize) as u16,
        }
    }
}

/// Below one new issue in this many, the new ones probe an index of all the others.
const FEW_NEW: usize = 8;

/// Few new issues: index the probing prefix of every title (in id order), and look up each
/// new one among the older titles. Returns (newer, older, score) by position in `docs`.
/// `bars`: the Jaccard bound the index works with, and the score a pair needs.
fn probe_new(
    docs: &[Doc],
    (t, bar): (f64, Bar),
    new: &[bool],
    joined: &[bool],
) -> Vec<(u32, u32, f64)> {
    let mut lists: Vec<Vec<Posting>> = vec![Vec::new(); rank_count(docs)];
    for (i, d) in docs.iter().enumerate() {
        if !joined[i] {
            continue;
        }
        let n = d.title_grams.len();
        for (pos, &g) in d.title_grams[..prefix_len(t, n)].iter().enumerate() {
            lists[g as usize].push(Posting::new(i, pos, n));
        }
    }
    let mut probe = Probe::new(docs.len());
    let mut out = Vec::new();
    for (xi, x) in docs.iter().enumerate() {
        if !new[xi] || x.title_grams.is_empty() {
            continue;
        }
        let n = x.title_grams.len();
        let (min_len, max_len) = (t * n as f64 - 1e-9, n as f64 / t + 1e-9);
        probe.reset(t, n, max_len as usize + 1);
        for (i, &g) in x.title_grams[..prefix_len(t, n)].iter().enumerate() {
            for p in &lists[g as usize] {
                // Postings are in id order: older issues come first.
                if p.doc as usize >= xi {
                    break;
                }
                if (p.len as f64) >= min_len && (p.len as f64) <= max_len {
                    probe.visit(n, i, p);
                }
            }
        }
        for &yi in probe.survivors() {
            if let Some(s) = score(x, &docs[yi as usize], bar) {
                out.push((xi as u32, yi, s));
            }
        }
    }
    out
}

/// Candidate counting with the positional filter of PPJoin (Xiao et al. 2008): for each title
/// met through a shared prefix bigram, the bigrams shared so far plus what is left after this
/// match in either title must still reach the required overlap; once it cannot, the title is
/// dropped for this probe. Only the survivors are scored.
struct Probe {
    /// Per title: bigrams shared with the probing title so far; `PRUNED` once it cannot match.
    shared: Vec<i32>,
    touched: Vec<u32>,
    survivors: Vec<u32>,
    /// By length of the other title: the overlap a match needs.
    need: Vec<usize>,
}

const PRUNED: i32 = -1;

impl Probe {
    fn new(docs: usize) -> Probe {
        Probe {
            shared: vec![0; docs],
            touched: Vec::new(),
            survivors: Vec::new(),
            need: Vec::new(),
        }
    }

    /// Start probing with a title of `n` bigrams, against titles of up to `max_len`.
    fn reset(&mut self, t: f64, n: usize, max_len: usize) {
        for &y in &self.touched {
            self.shared[y as usize] = 0;
        }
        self.touched.clear();
        self.need.clear();
        self.need
            .extend((0..=max_len).map(|m| required_overlap(t, n, m)));
    }

    /// Bigrams shared so far with title `y`.
    fn shared(&self, y: u32) -> usize {
        self.shared[y as usize].max(0) as usize
    }

    /// Bigram `i` of a probing title of `n` bigrams is bigram `p.pos` of title `p.doc`.
    fn visit(&mut self, n: usize, i: usize, p: &Posting) {
        let shared = &mut self.shared[p.doc as usize];
        if *shared == PRUNED {
            return;
        }
        if *shared == 0 {
            self.touched.push(p.doc);
        }
        let m = p.len as usize;
        let rest = (n - i - 1).min(m.saturating_sub(p.pos as usize + 1));
        let need = self.need.get(m).copied().unwrap_or(usize::MAX);
        if *shared as usize + 1 + rest >= need {
            *shared += 1;
        } else {
            *shared = PRUNED;
        }
    }

    /// The titles met and not pruned.
    fn survivors(&mut self) -> &[u32] {
        self.survivors.clear();
        let shared = &self.shared;
        self.survivors
            .extend(self.touched.iter().filter(|&&y| shared[y as usize] > 0));
        &self.survivors
    }
}

/// The score a pair needs, with the Jaccard index of titles that can reach it: worked out
/// once for a search, not for each pair (its grid of 2,000 steps was four fifths of the hints
/// of 5,000 rows whose residents had many issues before; issue 30).
#[derive(Clone, Copy)]
struct Bar {
    score: f64,
    jaccard: f64,
}

impl Bar {
    fn new(score: f64) -> Bar {
        Bar {
            score,
            jaccard: if score <= 0.0 {
                0.0
            } else {
                jaccard_bound(score)
            },
        }
    }
}

/// The titles' score (both ranked), if it is at least `bar`.
fn title_similarity(x: &Doc, y: &Doc, bar: Bar) -> Option<f64> {
    // Other numbers: no need to count what is shared.
    let places = place_factor(&x.places, &y.places);
    if places < bar.score {
        return None;
    }
    let (a, b) = (&x.title_grams, &y.title_grams);
    let need = if bar.score <= 0.0 {
        0
    } else {
        required_overlap(bar.jaccard, a.len(), b.len())
    };
    let shared = overlap_reaching(a, b, need)?;
    let s = text_score(shared, a.len(), b.len()) * places;
    Some(s).filter(|&s| s >= bar.score)
}

/// The title's similarity, lowered when both issues have details that differ; `None` under
/// `t`.
fn score(x: &Doc, y: &Doc, bar: Bar) -> Option<f64> {
    let title = title_similarity(x, y, bar)?;
    if x.detail_grams.is_empty() || y.detail_grams.is_empty() {
        return Some(title);
    }
    let detail = jaccard(
        overlap(&x.detail_grams, &y.detail_grams),
        x.detail_grams.len(),
        y.detail_grams.len(),
    );
    Some(title.min((2.0 * title + detail) / 3.0)).filter(|&s| s >= bar.score)
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

/// For each issue, the first issue it is a copy of, if any. Identical issues (the same title
/// bigrams, numbers and details: survey answers repeat) are duplicates of the first of them,
/// and only that one is compared with the rest: 5,000 copies of one title are 4,999 pairs,
/// not 12.5 million.
fn first_copies(docs: &[Doc]) -> Vec<Option<u32>> {
    // By (title tokens, numbers and sides, detail bigrams).
    type Copy<'d> = (&'d [u64], &'d [u64], &'d [u64]);
    let mut first_copy: HashMap<Copy, u32> = HashMap::new();
    let mut copy_of: Vec<Option<u32>> = vec![None; docs.len()];
    for (i, d) in docs.iter().enumerate() {
        if d.title_grams.is_empty() {
            continue;
        }
        let first = *first_copy
            .entry((&d.title_grams, &d.places, &d.detail_grams))
            .or_insert(i as u32);
        if first != i as u32 {
            copy_of[i] = Some(first);
        }
    }
    copy_of
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The labelled pairs: precision and recall at the default threshold, and the curve it was
    /// chosen from (`cargo test -p yishi-core the_labelled_pairs -- --nocapture` prints it).
    #[test]
    fn the_labelled_pairs() {
        let text = include_str!("../../../../tests/fixtures/dupes-pairs.csv");
        let pairs: Vec<(&str, &str, bool, &str)> = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .skip(1)
            .map(|l| {
                let f: Vec<&str> = l.rsplitn(3, ',').collect();
                let (a, b) = f[2].split_once(',').unwrap();
                let (same, kind) = (f[1] == "1", f[0]);
                (a, b, same, kind)
            })
            .collect();
        assert!(pairs.len() >= 200, "{} pairs", pairs.len());
        let measure = |t: f64| {
            let (mut tp, mut fp, mut fn_) = (0, 0, 0);
            for &(a, b, same, _) in &pairs {
                let found = title_score(a, b) >= t;
                match (found, same) {
                    (true, true) => tp += 1,
                    (true, false) => fp += 1,
                    (false, true) => fn_ += 1,
                    _ => {}
                }
            }
            (
                f64::from(tp) / f64::from((tp + fp).max(1)),
                f64::from(tp) / f64::from((tp + fn_).max(1)),
            )
        };
        for step in 6..=18 {
            let t = f64::from(step) * 0.05;
            let (p, r) = measure(t);
            eprintln!("threshold {t:.2}: precision {p:.3}, recall {r:.3}");
        }
        for &(a, b, same, kind) in &pairs {
            let s = title_score(a, b);
            if (s >= DEFAULT_THRESHOLD) != same {
                eprintln!("missed ({kind}, same={same}): {a} / {b}: {s:.2}");
            }
        }
        let (p, r) = measure(DEFAULT_THRESHOLD);
        assert!(p >= 0.9 && r >= 0.9, "precision {p:.3}, recall {r:.3}");
        // The index finds what the score finds.
        for &(a, b, _, _) in &pairs {
            let mut c = Corpus::default();
            c.add(1, a, None, None);
            c.add(2, b, None, None);
            let found = !c.pairs(DEFAULT_THRESHOLD, |_| true).is_empty();
            assert_eq!(found, title_score(a, b) >= DEFAULT_THRESHOLD, "{a} / {b}");
        }
    }

    #[test]
    fn what_a_reader_sees() {
        assert!(title_score("南门口电动车乱停", "南门电动车乱停放") >= DEFAULT_THRESHOLD);
        assert!(title_score("3号楼电梯经常故障", "5号楼电梯经常故障") < 0.4);
        assert!(title_score("垃圾分类点太远（2000111号）", "垃圾分类点太远（2000011号）") < 0.4);
        assert_eq!(title_score("７栋电梯故障！", "7栋电梯故障"), 1.0);
        assert_eq!(title_score("三号楼电梯故障", "3号楼电梯故障"), 1.0);
        let n = normalize("希望解决二十三栋的路灯问题");
        assert_eq!(n.places, ["23"]);
        assert_eq!(n.chars.iter().collect::<String>(), "栋路灯");
    }

    #[test]
    fn bigrams_of_chinese_titles() {
        // 小, 区, 路, 灯 and 小区, 区路, 路灯.
        assert_eq!(bigrams("小区，路灯").len(), 7);
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
        c.add(13, "儿童活动场所太少", None, Some("李奶奶"));
        c.add(14, "电梯经常故障", None, None);
        c.add(15, "小区儿童游乐场", None, Some("陈阿姨"));
        let pairs = c.pairs(DEFAULT_THRESHOLD, |_| true);
        let found: Vec<(i64, i64, bool)> = pairs
            .iter()
            .map(|p| (p.id, p.of, p.same_resident))
            .collect();
        // 的 is a filler: #12 says what #5 says; #13 says less of it.
        assert_eq!(
            found,
            [(12, 5, false), (13, 5, false), (15, 5, true)],
            "{pairs:?}"
        );
        assert_eq!(pairs[0].score, 1.0);
        // 陈阿姨 again, another title: under the threshold, over it minus 0.2, the same resident.
        assert!(pairs[2].score < DEFAULT_THRESHOLD && pairs[2].score >= 0.45);
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
        c.add(2, "东区路灯不亮", None, None);
        c.add(3, "小区路灯不亮", None, None);
        let pairs = c.pairs(0.5, |id| id == 3);
        assert!(pairs.iter().all(|p| p.id == 3), "{pairs:?}");
        assert_eq!(pairs.len(), 2);
    }

    /// The index finds exactly the pairs a brute-force comparison finds: every pair over the
    /// threshold, except that a copy (the same bigrams as an earlier title) pairs only with
    /// the first of its copies, and is no one else's older match.
    fn brute(titles: &[String], t: f64) -> Vec<(i64, i64)> {
        let grams: Vec<(Vec<u64>, Vec<u64>)> = titles
            .iter()
            .map(|x| {
                let n = normalize(x);
                (grams(&n.chars), place_keys(&n.places))
            })
            .collect();
        let first = |i: usize| (0..i).find(|&j| !grams[i].0.is_empty() && grams[j] == grams[i]);
        let mut out = Vec::new();
        for (i, ga) in grams.iter().enumerate() {
            if ga.0.is_empty() {
                continue;
            }
            if let Some(j) = first(i) {
                out.push((i as i64, j as i64));
                continue;
            }
            for (j, gb) in grams.iter().enumerate().take(i) {
                if first(j).is_some() || gb.0.is_empty() {
                    continue;
                }
                let s = text_score(overlap(&ga.0, &gb.0), ga.0.len(), gb.0.len())
                    * place_factor(&ga.1, &gb.1);
                if s >= t {
                    out.push((i as i64, j as i64));
                }
            }
        }
        out.sort();
        out
    }

    #[test]
    fn copies_pair_with_their_first_only() {
        let mut c = Corpus::default();
        for id in 1..=1000 {
            c.add(id, "东门路灯不亮", None, Some(&format!("居民{id}")));
        }
        c.add(1001, "东门路灯不亮了", None, None);
        let pairs = c.pairs(DEFAULT_THRESHOLD, |_| true);
        assert_eq!(pairs.len(), 1000, "999 copies of #1, and #1001 like #1");
        assert!(pairs.iter().all(|p| p.of == 1), "{:?}", &pairs[..3]);
    }

    /// Issues added together (on threads) are the issues added one by one, in the same order.
    #[test]
    fn a_corpus_extended_at_once_is_the_same() {
        let issues: Vec<Open> = (0..PARALLEL_FROM as i64 + 500)
            .map(|i| {
                let title = format!(
                    "{}号楼路灯不亮了{}",
                    i % 7,
                    ["", "，希望解决"][i as usize % 2]
                );
                let detail = (i % 3 > 0).then(|| format!("晚上{}点以后一片漆黑", i % 12));
                (
                    i,
                    title,
                    detail,
                    (i % 5 > 0).then(|| format!("居民{}", i % 40)),
                )
            })
            .collect();
        let (mut one, mut all) = (Corpus::default(), Corpus::default());
        for (id, title, detail, resident) in &issues {
            one.add(*id, title, detail.as_deref(), resident.as_deref());
        }
        all.extend(issues);
        let fields = |c: &Corpus| -> Vec<_> {
            c.docs
                .iter()
                .map(|d| {
                    let grams = (
                        d.title_grams.clone(),
                        d.places.clone(),
                        d.detail_grams.clone(),
                    );
                    (d.id, d.title.clone(), d.resident.clone(), grams)
                })
                .collect()
        };
        assert_eq!(fields(&one), fields(&all));
    }

    proptest! {
        #[test]
        fn the_prefix_filter_misses_nothing(
            titles in proptest::collection::vec("[路灯不亮小区儿童活动场所停车3号楼东门的]{0,12}", 1..60),
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

        /// The same when the last third or more are new: the self-join, where the older
        /// titles probe only the new ones.
        #[test]
        fn old_titles_probing_the_new_ones_miss_nothing(
            titles in proptest::collection::vec("[路灯不亮小区儿童活动场所停车5栋西区了]{0,8}", 10..60),
            t in 0.3f64..1.0,
            new_from in 0.3f64..0.9,
        ) {
            let first_new = (titles.len() as f64 * new_from) as i64;
            let mut c = Corpus::default();
            for (i, title) in titles.iter().enumerate() {
                c.add(i as i64, title, None, None);
            }
            let mut found: Vec<(i64, i64)> = c.pairs(t, |id| id >= first_new).iter().map(|p| (p.id, p.of)).collect();
            found.sort();
            let expected: Vec<(i64, i64)> = brute(&titles, t).into_iter().filter(|p| p.0 >= first_new).collect();
            prop_assert_eq!(found, expected);
        }

        /// The same when only the last issues are new (they probe an index of the others).
        #[test]
        fn new_issues_probe_the_index_and_miss_nothing(
            titles in proptest::collection::vec("[路灯不亮小区儿童活动场所停车5栋西区了]{0,8}", 10..60),
            t in 0.3f64..1.0,
        ) {
            let last = titles.len() as i64 - 1;
            let mut c = Corpus::default();
            for (i, title) in titles.iter().enumerate() {
                c.add(i as i64, title, None, None);
            }
            let mut found: Vec<(i64, i64)> = c.pairs(t, |id| id == last).iter().map(|p| (p.id, p.of)).collect();
            found.sort();
            let expected: Vec<(i64, i64)> = brute(&titles, t).into_iter().filter(|p| p.0 == last).collect();
            prop_assert_eq!(found, expected);
        }
    }
}

#[cfg(test)]
mod scale {
    use super::*;

    /// Titles like a district's backlog: topics at numbered buildings, reworded.
    fn titles(n: usize) -> Vec<String> {
        let topics = [
            "电梯经常故障",
            "楼道灯不亮",
            "路灯不亮",
            "下水道堵塞",
            "楼道堆物太多",
            "电动车乱停",
            "垃圾分类点太远",
            "停车位不够",
            "楼顶漏水",
            "健身器材坏了",
            "门禁坏了",
            "高空抛物",
            "广场舞噪音扰民",
            "井盖松动",
            "绿化带被毁",
            "自来水水压低",
            "外卖车辆乱停",
            "快递乱堆放",
        ];
        let extra = ["", "了", "，希望尽快解决", "问题严重", "好几天", "没人管"];
        let mut seed = 12345u64;
        (0..n)
            .map(|i| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let r = (seed >> 33) as usize;
                format!(
                    "{}号楼{}单元{}{}",
                    r % 60 + 1,
                    r / 60 % 6 + 1,
                    topics[r / 360 % topics.len()],
                    extra[i % extra.len()]
                )
            })
            .collect()
    }

    #[test]
    #[ignore = "timing: cargo test --release -p yishi-core scale -- --ignored --nocapture"]
    fn timing() {
        for n in [20_000, 100_000] {
            let t = titles(n);
            let start = std::time::Instant::now();
            let mut c = Corpus::default();
            for (i, title) in t.iter().enumerate() {
                c.add(i as i64, title, None, None);
            }
            let all = c.pairs(DEFAULT_THRESHOLD, |_| true).len();
            let every = start.elapsed();
            let start = std::time::Instant::now();
            let mut c = Corpus::default();
            for (i, title) in t.iter().enumerate() {
                c.add(i as i64, title, None, None);
            }
            let few = c.pairs(DEFAULT_THRESHOLD, |id| id >= n as i64 - 100).len();
            let few_took = start.elapsed();
            let start = std::time::Instant::now();
            let mut c = Corpus::default();
            for (i, title) in t.iter().enumerate() {
                c.add(i as i64, title, None, None);
            }
            let quarter = c
                .pairs(DEFAULT_THRESHOLD, |id| id >= (n - n / 4) as i64)
                .len();
            eprintln!(
                "{n}: all pairs {all} in {every:?}; 100 new: {few} in {few_took:?}; a quarter new: {quarter} in {:?}",
                start.elapsed()
            );
        }
    }
}
