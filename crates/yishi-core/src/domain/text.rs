//! Validation of free text typed by the secretary or read from a file.
//!
//! Names and titles are single lines; details and summaries may span lines. Control characters
//! and bidirectional overrides are refused at the door so that a stored name can never rewrite a
//! terminal or reorder a printed line (render/ also strips them on output, as a second guard).

use crate::error::{Error, Result};
use std::borrow::Cow;

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_TEXT_CHARS: usize = 20_000;

/// Characters that change how surrounding text is displayed (bidi embeddings and overrides,
/// isolates): a name containing U+202E can make "ABC" print as "CBA".
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Characters that show as nothing (Unicode category Cf: zero-width spaces and joiners, soft
/// hyphen, byte-order mark, Arabic letter mark, Mongolian vowel separator ...), line and
/// paragraph separators, and the Hangul fillers that display as blank: in a name or a title
/// they make look-alikes ("王伟" and "王\u{200B}伟" are two people).
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}'
        | '\u{0890}'..='\u{0891}' | '\u{08E2}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}' | '\u{E0020}'..='\u{E007F}'
        // Fillers (category Lo, but blank): Hangul choseong/jungseong, Hangul and halfwidth.
        | '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
}

fn bad_char(c: char, multiline: bool) -> bool {
    if multiline && (c == '\n' || c == '\t') {
        return false;
    }
    c.is_control() || is_bidi_control(c)
}

/// Characters that pass every check below unchanged: printable, visible, no bidi control,
/// already NFC (quick check "yes") and never composing with a neighbour (combining class 0).
/// ASCII, Latin, general punctuation and the CJK ranges that nearly all residents' text is made
/// of; `plain_characters_pass_the_full_check` holds every one of them to the full rules.
/// [`plain_length`] reads the same ranges as bytes.
#[cfg(test)]
fn is_plain(c: char, multiline: bool) -> bool {
    matches!(c,
        ' '..='~' | '\u{A0}'..='\u{AC}' | '\u{AE}'..='\u{2FF}' | '\u{2010}'..='\u{2027}'
        | '\u{3000}'..='\u{3029}' | '\u{3030}'..='\u{303F}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{FF01}'..='\u{FF5E}')
        || (multiline && (c == '\n' || c == '\t'))
}

/// The length in characters of a text made only of [`is_plain`] characters; None otherwise.
///
/// Read a byte at a time rather than a character at a time: an import checks every field of
/// a million rows, and decoding each character was most of this check's work (2.5 times the
/// instructions; a branch-free version the compiler could vectorise took 2.7 times). The byte
/// ranges are [`is_plain`]'s, encoded; `plain_length_agrees_with_is_plain` holds them to it.
fn plain_length(value: &str, multiline: bool) -> Option<usize> {
    let b = value.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while i < b.len() {
        // `value` is UTF-8: a lead byte is followed by its continuation bytes.
        i += match b[i] {
            b' '..=b'~' => 1,
            b'\n' | b'\t' if multiline => 1,
            // U+00A0..U+02FF but U+00AD
            0xC2 if matches!(b[i + 1], 0xA0..=0xAC | 0xAE..=0xBF) => 2,
            0xC3..=0xCB => 2,
            // U+2010..U+2027
            0xE2 if b[i + 1] == 0x80 && matches!(b[i + 2], 0x90..=0xA7) => 3,
            // U+3000..U+3029, U+3030..U+303F
            0xE3 if b[i + 1] == 0x80 && matches!(b[i + 2], 0x80..=0xA9 | 0xB0..=0xBF) => 3,
            // U+4E00..U+9FFF
            0xE4 if b[i + 1] >= 0xB8 => 3,
            0xE5..=0xE9 => 3,
            // U+FF01..U+FF5E
            0xEF if (b[i + 1] == 0xBC && b[i + 2] >= 0x81)
                || (b[i + 1] == 0xBD && b[i + 2] <= 0x9E) =>
            {
                3
            }
            _ => return None,
        };
        n += 1;
    }
    Some(n)
}

/// `s.trim()`, answered at once for a text that starts and ends with no white space (nearly
/// every field): the standard trim runs a pattern searcher from both ends, on each of the
/// dozen fields of a million rows.
pub fn trim(s: &str) -> &str {
    let solid = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    if solid(s.chars().next()) && solid(s.chars().next_back()) {
        s
    } else {
        s.trim()
    }
}

fn check<'a>(field: &str, value: &'a str, max: usize, multiline: bool) -> Result<Cow<'a, str>> {
    // Nearly every text is plain: one pass, and the value is kept as it is (a bulk import
    // checks millions of fields; the full check was its largest single cost).
    let trimmed = trim(value);
    match plain_length(trimmed, multiline) {
        Some(n) if n > 0 && n <= max => Ok(Cow::Borrowed(trimmed)),
        _ => check_fully(field, value, max, multiline),
    }
}

/// Every rule, one after the other; what [`check`] does for text that is not plain.
fn check_fully<'a>(
    field: &str,
    value: &'a str,
    max: usize,
    multiline: bool,
) -> Result<Cow<'a, str>> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::data_text(crate::text!("text.empty", field = field)));
    }
    // Windows line ends become plain newlines before the check.
    let value: Cow<'a, str> = if value.contains('\r') {
        value.replace("\r\n", "\n").into()
    } else {
        value.into()
    };
    if let Some(c) = value.chars().find(|&c| bad_char(c, multiline)) {
        return Err(Error::data_text(crate::text!(
            "text.control_char",
            field = field,
            code = format!("{:04X}", c as u32)
        )));
    }
    // One spelling for one text: a name typed with a combining accent equals the precomposed
    // one (NFC).
    // Most text is NFC already: the quick check answers that without building a new string.
    let value: Cow<'a, str> = match unicode_normalization::is_nfc_quick(value.chars()) {
        unicode_normalization::IsNormalized::Yes => value,
        _ => unicode_normalization::UnicodeNormalization::nfc(&*value)
            .collect::<String>()
            .into(),
    };
    if !multiline && let Some(c) = value.chars().find(|&c| is_invisible(c)) {
        return Err(Error::data_text(crate::text!(
            "text.invisible_char",
            field = field,
            code = format!("{:04X}", c as u32)
        )));
    }
    let n = value.chars().count();
    if n > max {
        return Err(Error::data_text(crate::text!(
            "text.too_long",
            field = field,
            n = n,
            max = max
        )));
    }
    Ok(value)
}

/// A one-line value such as a person's name, a title or a place.
pub fn single_line(field: &str, value: &str) -> Result<String> {
    single_line_text(field, value).map(Cow::into_owned)
}

/// [`single_line`], borrowing the value when it needs no change.
pub fn single_line_text<'a>(field: &str, value: &'a str) -> Result<Cow<'a, str>> {
    check(field, value, MAX_NAME_CHARS * 5, false).and_then(|v| {
        if field.ends_with("name") && v.chars().count() > MAX_NAME_CHARS {
            return Err(Error::data_text(crate::text!(
                "text.name_too_long",
                field = field,
                max = MAX_NAME_CHARS
            )));
        }
        Ok(v)
    })
}

/// A person's name: one line, at most 100 characters.
pub fn name(field: &str, value: &str) -> Result<String> {
    name_text(field, value).map(Cow::into_owned)
}

/// [`name`], borrowing the value when it needs no change.
pub fn name_text<'a>(field: &str, value: &'a str) -> Result<Cow<'a, str>> {
    let v = check(field, value, MAX_NAME_CHARS, false)?;
    if v.starts_with('#') || v.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::data_text(crate::text!(
            "text.looks_like_id",
            field = field,
            value = &*v
        )));
    }
    Ok(v)
}

/// A longer text such as an issue's detail or a speech summary: newlines and tabs allowed.
pub fn multi_line(field: &str, value: &str) -> Result<String> {
    multi_line_text(field, value).map(Cow::into_owned)
}

/// [`multi_line`], borrowing the value when it needs no change.
pub fn multi_line_text<'a>(field: &str, value: &'a str) -> Result<Cow<'a, str>> {
    check(field, value, MAX_TEXT_CHARS, true)
}

/// An optional value: empty means absent.
pub fn optional(value: Option<&str>, f: impl Fn(&str) -> Result<String>) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => f(v).map(Some),
    }
}

/// Parse an id as typed: `12`, `#12` (issues) or `M3` (meetings), with the given prefix.
pub fn parse_id(typed: &str, prefix: char) -> Option<i64> {
    let t = typed.trim();
    let digits = t
        .strip_prefix(prefix)
        .or_else(|| t.strip_prefix(prefix.to_ascii_lowercase()))
        .unwrap_or(t);
    if digits.is_empty() || digits.len() > 15 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|&n| n > 0)
}

/// Whether a typed name is close to a stored one: one contains the other, or they differ by
/// one character (林秀 → 林秀英, 林秀央 → 林秀英).
pub fn similar(typed: &str, stored: &str) -> bool {
    if typed.is_empty() {
        return false;
    }
    if stored.contains(typed) || typed.contains(stored) {
        return true;
    }
    let a: Vec<char> = typed.chars().collect();
    let b: Vec<char> = stored.chars().collect();
    edit_distance(&a, &b) <= 1
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn invisible_characters_are_refused_in_names_and_titles() {
        for c in [
            '\u{200B}', '\u{FEFF}', '\u{2028}', '\u{2029}', '\u{061C}', '\u{3164}', '\u{115F}',
            '\u{00AD}', '\u{180E}', '\u{2060}',
        ] {
            let typed = format!("王{c}伟");
            let e = super::name("name", &typed).unwrap_err();
            assert!(
                e.message
                    .contains(&format!("invisible character U+{:04X}", c as u32)),
                "{}",
                e.message
            );
            assert!(super::single_line("title", &typed).is_err());
        }
        // NFC: e + combining acute is é.
        assert_eq!(super::name("name", "Jose\u{301}").unwrap(), "Jos\u{E9}");
        assert_eq!(super::single_line("title", "路灯不亮").unwrap(), "路灯不亮");
    }

    #[test]
    fn ids() {
        assert_eq!(parse_id("#12", '#'), Some(12));
        assert_eq!(parse_id("12", '#'), Some(12));
        assert_eq!(parse_id("M3", 'M'), Some(3));
        assert_eq!(parse_id("m3", 'M'), Some(3));
        assert_eq!(parse_id("#0", '#'), None);
        assert_eq!(parse_id("林", '#'), None);
        assert_eq!(parse_id("99999999999999999999", '#'), None);
    }

    #[test]
    fn similar_names() {
        assert!(similar("林秀", "林秀英"));
        assert!(similar("林秀央", "林秀英"));
        assert!(!similar("王", "林秀英"));
    }

    use super::*;

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(name("name", "  林秀英 ").unwrap(), "林秀英");
        assert!(name("name", "").is_err());
        assert!(name("name", "a\u{1b}[2J").is_err());
        assert!(name("name", "abc\u{202E}def").is_err());
        assert!(name("name", "a\0b").is_err());
        assert!(name("name", "12").is_err());
        assert!(name("name", &"长".repeat(101)).is_err());
        assert!(name("name", &"长".repeat(100)).is_ok());
    }

    /// The byte ranges of `plain_length` are exactly the characters of `is_plain`, alone and
    /// between others.
    #[test]
    fn plain_length_agrees_with_is_plain() {
        for multiline in [false, true] {
            for c in (0..=0x10FFFF).filter_map(char::from_u32) {
                let want = is_plain(c, multiline);
                assert_eq!(
                    plain_length(&c.to_string(), multiline),
                    want.then_some(1),
                    "{c:?}"
                );
                let between = format!("路{c}a\u{e9}");
                assert_eq!(
                    plain_length(&between, multiline),
                    want.then_some(4),
                    "{c:?}"
                );
            }
        }
    }

    #[test]
    fn plain_characters_pass_the_full_check() {
        use unicode_normalization::{IsNormalized, char::canonical_combining_class, is_nfc_quick};
        for multiline in [false, true] {
            for c in (0..=0x10FFFF).filter_map(char::from_u32) {
                if !is_plain(c, multiline) {
                    continue;
                }
                assert!(!bad_char(c, multiline), "{c:?}");
                assert!(c == '\n' || c == '\t' || !is_invisible(c), "{c:?}");
                assert_eq!(canonical_combining_class(c), 0, "{c:?}");
                assert!(
                    matches!(is_nfc_quick(std::iter::once(c)), IsNormalized::Yes),
                    "{c:?}"
                );
            }
        }
    }

    proptest::proptest! {
        /// The one-pass check of plain text answers exactly as every rule would.
        #[test]
        fn the_quick_check_agrees_with_the_full_one(
            value in "[ a-z\t\n\r\u{0}\u{7f}\u{a0}-\u{b0}\u{300}-\u{302}\u{200b}\u{202e}\u{2010}-\u{2030}\u{3000}-\u{3040}\u{4e00}-\u{4e10}\u{ff00}-\u{ff10}\u{ffa0}]{0,12}",
            max in 0usize..14,
            multiline: bool,
        ) {
            let quick = check("title", &value, max, multiline).map_err(|e| e.message);
            let full = check_fully("title", &value, max, multiline).map_err(|e| e.message);
            proptest::prop_assert_eq!(quick, full);
        }

        /// The quick trim is the standard one, whatever white space is at either end.
        #[test]
        fn trim_is_the_standard_trim(
            value in "[ a\t\n\r\u{85}\u{a0}\u{1680}\u{2000}-\u{200b}\u{2028}\u{202f}\u{205f}\u{3000}\u{3001}\u{4e00}\u{feff}]{0,8}",
        ) {
            proptest::prop_assert_eq!(trim(&value), value.trim());
        }
    }

    #[test]
    fn multi_line_keeps_newlines() {
        assert_eq!(multi_line("detail", "a\r\nb\tc").unwrap(), "a\nb\tc");
        assert!(multi_line("detail", "a\u{7}b").is_err());
    }
}
