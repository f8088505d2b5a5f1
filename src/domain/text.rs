//! Validation of free text typed by the secretary or read from a file.
//!
//! Names and titles are single lines; details and summaries may span lines. Control characters
//! and bidirectional overrides are refused at the door so that a stored name can never rewrite a
//! terminal or reorder a printed line (render/ also strips them on output, as a second guard).

use crate::error::{Error, Result};

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_TEXT_CHARS: usize = 20_000;

/// Characters that change how surrounding text is displayed (bidi embeddings and overrides,
/// isolates): a name containing U+202E can make "ABC" print as "CBA".
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

fn bad_char(c: char, multiline: bool) -> bool {
    if multiline && (c == '\n' || c == '\t') {
        return false;
    }
    c.is_control() || is_bidi_control(c)
}

fn check(field: &str, value: &str, max: usize, multiline: bool) -> Result<String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Error::data(format!("{field} is empty: give a value")));
    }
    // Windows line ends become plain newlines before the check.
    let value = if value.contains('\r') {
        value.replace("\r\n", "\n")
    } else {
        value.to_string()
    };
    if let Some(c) = value.chars().find(|&c| bad_char(c, multiline)) {
        return Err(Error::data(format!(
            "{field} contains the control character U+{:04X}: remove it and try again",
            c as u32
        )));
    }
    let n = value.chars().count();
    if n > max {
        return Err(Error::data(format!(
            "{field} is {n} characters long; at most {max} are allowed"
        )));
    }
    Ok(value)
}

/// A one-line value such as a person's name, a title or a place.
pub fn single_line(field: &str, value: &str) -> Result<String> {
    check(field, value, MAX_NAME_CHARS * 5, false).and_then(|v| {
        if field.ends_with("name") && v.chars().count() > MAX_NAME_CHARS {
            return Err(Error::data(format!(
                "{field} is longer than {MAX_NAME_CHARS} characters"
            )));
        }
        Ok(v)
    })
}

/// A person's name: one line, at most 100 characters.
pub fn name(field: &str, value: &str) -> Result<String> {
    let v = check(field, value, MAX_NAME_CHARS, false)?;
    if v.starts_with('#') || v.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::data(format!(
            "{field} \"{v}\" looks like an id: a name must contain a letter or character"
        )));
    }
    Ok(v)
}

/// A longer text such as an issue's detail or a speech summary: newlines and tabs allowed.
pub fn multi_line(field: &str, value: &str) -> Result<String> {
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

    #[test]
    fn multi_line_keeps_newlines() {
        assert_eq!(multi_line("detail", "a\r\nb\tc").unwrap(), "a\nb\tc");
        assert!(multi_line("detail", "a\u{7}b").is_err());
    }
}
