//! The index's two encodings: a text as its character pairs, and the ids of one block as a
//! blob (a sorted array of their low bits while there are few, a bitmap once there are many).

/// Ids per block: a row of the index holds the ids of one pair within one block of ids
/// (`id >> BLOCK_BITS`). 16,384 keeps a row small enough to rewrite when one issue is added
/// (2 KiB at most), and a search's lookups few (61 per pair on a million issues).
pub const BLOCK_BITS: u32 = 14;
const BLOCK_IDS: usize = 1 << BLOCK_BITS;
const WORDS: usize = BLOCK_IDS / 64;
/// A block's ids as a bitmap: always this long, which no array is.
const BITMAP_BYTES: usize = BLOCK_IDS / 8;
/// The most ids a block's array holds; one more and it is a bitmap.
const ARRAY_MAX: usize = BITMAP_BYTES / 2 - 1;

/// The mark after a text's last character (above every character's number).
pub const END: u32 = 0x1F_FFFF;

/// The index's number for a character and the one after it.
pub fn pair(first: u32, next: u32) -> i64 {
    (i64::from(first) << 21) | i64::from(next)
}

/// The pairs that begin with `first`, as a range of numbers.
pub fn beginning_with(first: char) -> (i64, i64) {
    (pair(first as u32, 0), pair(first as u32, END))
}

/// Each pair of a text in order, repeats included: every character with the one after it,
/// the last with [`END`].
pub fn each_pair(text: &str, mut each: impl FnMut(i64)) {
    let mut chars = text.chars().map(|c| c as u32);
    let Some(mut before) = chars.next() else {
        return;
    };
    for c in chars.chain(std::iter::once(END)) {
        each(pair(before, c));
        before = c;
    }
}

/// The block an id is in, and its place there.
pub fn block_of(id: i64) -> (i64, u16) {
    (id >> BLOCK_BITS, (id & (BLOCK_IDS as i64 - 1)) as u16)
}

/// An id from its block and place.
pub fn id_at(block: i64, low: u16) -> i64 {
    (block << BLOCK_BITS) | i64::from(low)
}

/// The blob of a block's ids given as their places, ascending and distinct.
pub fn encode_sorted(lows: &[u16], out: &mut Vec<u8>) {
    out.clear();
    if lows.len() <= ARRAY_MAX {
        out.extend(lows.iter().flat_map(|l| l.to_le_bytes()));
    } else {
        let mut bits = Bits::default();
        lows.iter().for_each(|&l| bits.insert(l));
        bits.encode(out);
    }
}

/// The ids of one block, as a bitmap in memory.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Bits(Box<[u64; WORDS]>);

impl Default for Bits {
    fn default() -> Self {
        Bits(Box::new([0; WORDS]))
    }
}

impl Bits {
    /// A blob as the index writes it; None when it is not one (damage).
    pub fn decode(blob: &[u8]) -> Option<Bits> {
        let mut bits = Bits::default();
        if blob.len() == BITMAP_BYTES {
            for (word, bytes) in bits.0.iter_mut().zip(blob.chunks_exact(8)) {
                *word = u64::from_le_bytes(bytes.try_into().ok()?);
            }
            return (bits.len() > ARRAY_MAX).then_some(bits);
        }
        if blob.is_empty() || !blob.len().is_multiple_of(2) || blob.len() / 2 > ARRAY_MAX {
            return None;
        }
        let mut before: Option<u16> = None;
        for bytes in blob.chunks_exact(2) {
            let low = u16::from_le_bytes([bytes[0], bytes[1]]);
            if usize::from(low) >= BLOCK_IDS || before.is_some_and(|b| b >= low) {
                return None;
            }
            bits.insert(low);
            before = Some(low);
        }
        Some(bits)
    }

    /// The blob for these ids (they are not none).
    pub fn encode(&self, out: &mut Vec<u8>) {
        out.clear();
        if self.len() > ARRAY_MAX {
            out.extend(self.0.iter().flat_map(|w| w.to_le_bytes()));
        } else {
            out.extend(self.iter().flat_map(|l| l.to_le_bytes()));
        }
    }

    pub fn insert(&mut self, low: u16) {
        self.0[usize::from(low) / 64] |= 1 << (low % 64);
    }

    pub fn remove(&mut self, low: u16) {
        self.0[usize::from(low) / 64] &= !(1 << (low % 64));
    }

    pub fn contains(&self, low: u16) -> bool {
        self.0[usize::from(low) / 64] & (1 << (low % 64)) != 0
    }

    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&w| w == 0)
    }

    /// Keep only the ids also in `other`.
    pub fn intersect(&mut self, other: &Bits) {
        self.0
            .iter_mut()
            .zip(other.0.iter())
            .for_each(|(a, b)| *a &= b);
    }

    /// Add the ids of `other`.
    pub fn unite(&mut self, other: &Bits) {
        self.0
            .iter_mut()
            .zip(other.0.iter())
            .for_each(|(a, b)| *a |= b);
    }

    /// The places held, ascending.
    pub fn iter(&self) -> impl Iterator<Item = u16> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &word)| {
            let mut rest = word;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let bit = rest.trailing_zeros();
                    rest &= rest - 1;
                    (i * 64) as u16 + bit as u16
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs_of(text: &str) -> Vec<i64> {
        let mut out = Vec::new();
        each_pair(text, |p| out.push(p));
        out
    }

    #[test]
    fn a_text_is_its_pairs_and_the_last_with_the_end_mark() {
        assert_eq!(pairs_of(""), Vec::<i64>::new());
        assert_eq!(pairs_of("路"), vec![pair('路' as u32, END)]);
        assert_eq!(
            pairs_of("路灯路"),
            vec![
                pair('路' as u32, '灯' as u32),
                pair('灯' as u32, '路' as u32),
                pair('路' as u32, END)
            ]
        );
        let (lo, hi) = beginning_with('路');
        assert!((lo..=hi).contains(&pairs_of("路灯")[0]));
        assert!(!(lo..=hi).contains(&pair('路' as u32 + 1, 0)));
        assert!(pair(char::MAX as u32, END) > pair(char::MAX as u32, char::MAX as u32));
    }

    #[test]
    fn blobs_read_back_as_written_and_refuse_anything_else() {
        let mut blob = Vec::new();
        for lows in [
            vec![0u16],
            vec![1, 5, 16383],
            (0..1023).collect(),
            (0..1024).collect(),
            (0..16384).step_by(3).map(|l| l as u16).collect(),
        ] {
            encode_sorted(&lows, &mut blob);
            let bits = Bits::decode(&blob).unwrap();
            assert_eq!(bits.iter().collect::<Vec<_>>(), lows);
            let mut again = Vec::new();
            bits.encode(&mut again);
            assert_eq!(again, blob);
        }
        assert_eq!(Bits::decode(&[]), None);
        assert_eq!(Bits::decode(&[1]), None);
        assert_eq!(Bits::decode(&[5, 0, 5, 0]), None, "not ascending");
        assert_eq!(Bits::decode(&[0xFF, 0xFF]), None, "beyond the block");
        assert_eq!(Bits::decode(&[0; 2048]), None, "a bitmap of few ids");
    }

    #[test]
    fn ids_are_blocks_and_places() {
        assert_eq!(block_of(1), (0, 1));
        assert_eq!(block_of(16384), (1, 0));
        let (b, l) = block_of(1_000_003);
        assert_eq!(id_at(b, l), 1_000_003);
    }
}
