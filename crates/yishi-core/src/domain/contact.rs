//! Residents' contact details: validation and masking. Phone numbers and addresses are personal
//! information, so every output masks them unless the secretary asks with --show-contacts.

use crate::error::{Error, Result};

/// Accepts Chinese mobile numbers (11 digits starting with 1), landlines with an area code
/// (0571-88886666) and short local numbers (7–8 digits). Spaces and dashes are kept as typed
/// but do not count; a leading +86 is allowed.
pub fn phone(value: &str) -> Result<String> {
    phone_text(value).map(String::from)
}

/// [`phone`], borrowing the trimmed value (a bulk import checks a phone on every row).
pub fn phone_text(value: &str) -> Result<&str> {
    let v = value.trim();
    // The digits, without the spaces and dashes, counted as they go by.
    let (mut len, mut first, mut ok_chars) = (0, None, true);
    for c in v.strip_prefix("+86").unwrap_or(v).chars() {
        if matches!(c, ' ' | '-') {
            continue;
        }
        ok_chars &= c.is_ascii_digit();
        first.get_or_insert(c);
        len += c.len_utf8();
    }
    let mobile = len == 11 && first == Some('1');
    let landline = first == Some('0') && (10..=12).contains(&len);
    let local = (7..=8).contains(&len) && first != Some('0');
    if !ok_chars || !(mobile || landline || local) {
        return Err(Error::data(format!(
            "\"{v}\" is not a phone number (expected a mobile number like 13800001234 or a landline like 0571-88886666)"
        )));
    }
    Ok(v)
}

/// 13800001234 → 138****1234; other numbers keep their last four digits.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    let n = chars.len();
    if n == 11 && chars.iter().all(|c| c.is_ascii_digit()) {
        return format!(
            "{}****{}",
            chars[..3].iter().collect::<String>(),
            chars[7..].iter().collect::<String>()
        );
    }
    if n <= 4 {
        return "*".repeat(n);
    }
    let keep = &chars[n - 4..];
    format!("{}{}", "*".repeat(n - 4), keep.iter().collect::<String>())
}

/// 陈阿姨 → 陈**; "Li Wei" → "L*****". A resident's name in a public document shows only its
/// first character.
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        None => String::new(),
        Some(first) => {
            let rest = chars.count().max(1);
            format!("{first}{}", "*".repeat(rest))
        }
    }
}

/// 3栋201 → 3栋***: keep the building, hide the flat. Without digits after the first
/// non-digit run, everything after the first two characters is masked.
pub fn mask_address(address: &str) -> String {
    let chars: Vec<char> = address.chars().collect();
    let keep = chars
        .iter()
        .position(|c| !c.is_ascii_digit())
        .map(|p| p + 1)
        .unwrap_or(0)
        .clamp(1, 2);
    let keep = keep.min(chars.len());
    format!(
        "{}{}",
        chars[..keep].iter().collect::<String>(),
        "*".repeat(chars.len() - keep)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check as first written, collecting the digits: the counting one must agree.
    fn phone_collecting(value: &str) -> bool {
        let v = value.trim();
        let digits: String = v
            .strip_prefix("+86")
            .unwrap_or(v)
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect();
        let ok_chars = digits.chars().all(|c| c.is_ascii_digit());
        let mobile = digits.len() == 11 && digits.starts_with('1');
        let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
        let local = (7..=8).contains(&digits.len()) && !digits.starts_with('0');
        ok_chars && (mobile || landline || local)
    }

    proptest::proptest! {
        #[test]
        fn counting_digits_agrees_with_collecting_them(value in "[ ]?(\\+86)?[01]?[0-9 \\-]{4,13}[a八]?[ ]?") {
            proptest::prop_assert_eq!(phone_text(&value).is_ok(), phone_collecting(&value));
        }
    }

    #[test]
    fn phones() {
        assert!(phone("13800001234").is_ok());
        assert!(phone("+86 138 0000 1234").is_ok());
        assert!(phone("0571-88886666").is_ok());
        assert!(phone("88886666").is_ok());
        assert!(phone("1380000123").is_err());
        assert!(phone("abc").is_err());
        assert!(phone("").is_err());
    }

    #[test]
    fn masks() {
        assert_eq!(mask_phone("13800001234"), "138****1234");
        assert_eq!(mask_phone("0571-88886666"), "*********6666");
        assert_eq!(mask_name("陈阿姨"), "陈**");
        assert_eq!(mask_name("陈"), "陈*");
        assert_eq!(mask_name("Li Wei"), "L*****");
        assert_eq!(mask_address("3栋201"), "3栋***");
        assert_eq!(mask_address("幸福小区"), "幸***");
    }
}
