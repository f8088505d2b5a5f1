//! Residents' contact details: validation and masking. Phone numbers and addresses are personal
//! information, so every output masks them unless the secretary asks with --show-contacts.
//!
//! # One masking rule per person ([`Names`])
//! A council's records name two kinds of people. Council members (the roster, `member add`) act
//! in a public role: by practice their names are printed in minutes and posted in notices, and
//! so are observers (列席: officials and social workers attending in their office). Everyone
//! else is a resident acting privately: whoever raised an issue, a party consulted, a
//! stakeholder (the X), an owner of an action, a speaker or attendee who is not a member, a
//! resident who gave feedback. A resident's name is personal data and is shown as its first
//! character (陈阿姨 → 陈**) in every output (tables, `issue show`, `council show`, minutes,
//! notices, report, ledger, calendar, reminders, status) unless `--show-contacts`, which is
//! logged. The decision is by name, once per command, the same in every role: a person is not
//! masked as a submitter and printed in full as an owner. Names of organisations (物业公司,
//! 居委会, 街道办事处: see [`is_organisation`]) are not personal data and stay as written.

use crate::error::{Error, Result};
use std::collections::HashSet;

/// Who may be named in full, decided once per command: council members and observers by name,
/// organisations by their words, everyone when `--show-contacts` was given. See the module docs.
#[derive(Debug, Clone, Default)]
pub struct Names {
    /// Names acting in a public role: every member on the roster (current or retired) and every
    /// observer (列席) invited to a meeting.
    public: HashSet<String>,
    /// `--show-contacts`: nobody is masked (the command was logged).
    show_all: bool,
}

impl Names {
    pub fn new(public: HashSet<String>, show_all: bool) -> Names {
        Names { public, show_all }
    }

    /// Nobody is public: every person is masked unless `show_all` (before the roster is read).
    pub fn nobody(show_all: bool) -> Names {
        Names {
            public: HashSet::new(),
            show_all,
        }
    }

    /// Whether `name` is shown in full.
    pub fn is_public(&self, name: &str) -> bool {
        self.show_all || self.public.contains(name) || is_organisation(name)
    }

    /// A person's name as it may be shown: in full when public, else masked.
    pub fn shown(&self, name: &str) -> String {
        if self.is_public(name) {
            name.to_string()
        } else {
            mask_name(name)
        }
    }

    /// [`Names::shown`] in place, for a field of a view.
    pub fn mask(&self, name: &mut String) {
        if !self.is_public(name) {
            *name = mask_name(name);
        }
    }

    /// [`Names::mask`] for an optional field.
    pub fn mask_opt(&self, name: &mut Option<String>) {
        if let Some(n) = name {
            self.mask(n);
        }
    }
}

/// Words that make a name an organisation's or a group's rather than a person's: a party
/// consulted or an owner is often the property company or an office, a stakeholder a group
/// (家长代表, 沿街商户). A person's name does not contain them (a Chinese given name of one or
/// two characters cannot hold 公司 or 委员会; an English one cannot hold "Company").
const ORGANISATION_WORDS: &[&str] = &[
    "公司",
    "物业",
    "委员会",
    "居委",
    "村委",
    "业委",
    "办事处",
    "街道",
    "社区",
    "中心",
    "协会",
    "学校",
    "小学",
    "中学",
    "幼儿园",
    "医院",
    "卫生",
    "银行",
    "超市",
    "商店",
    "集团",
    "单位",
    "部门",
    "政府",
    "派出所",
    "服务站",
    "工作站",
    "管理处",
    "管理所",
    "供电",
    "供水",
    "燃气",
    "城管",
    "消防",
    "执法",
    "局",
    "厂",
    "店",
    "馆",
    "队",
    "组织",
    "党支部",
    "党委",
    "合作社",
    "代表",
    "商户",
    "业主",
    "Company",
    "company",
    "Ltd",
    "Inc",
    "Committee",
    "committee",
    "Office",
    "office",
    "Association",
    "association",
    "Council",
    "council",
    "Department",
    "department",
    "Bureau",
    "School",
    "school",
    "Hospital",
    "Centre",
    "Center",
    "Management",
    "management",
];

/// Whether `name` names an organisation or a group (see [`ORGANISATION_WORDS`]), which is not
/// personal data and is not masked.
pub fn is_organisation(name: &str) -> bool {
    // Listings and packages ask this for every row: a name with no character that starts one
    // of the words (most Chinese personal names) is answered with one lookup per character.
    let first = organisation_first_chars();
    name.chars().any(|c| first.binary_search(&c).is_ok())
        && ORGANISATION_WORDS.iter().any(|w| name.contains(w))
}

/// The first characters of [`ORGANISATION_WORDS`], sorted, made once.
fn organisation_first_chars() -> &'static [char] {
    static FIRST: std::sync::OnceLock<Vec<char>> = std::sync::OnceLock::new();
    FIRST.get_or_init(|| {
        let mut first: Vec<char> = ORGANISATION_WORDS
            .iter()
            .filter_map(|w| w.chars().next())
            .collect();
        first.sort_unstable();
        first.dedup();
        first
    })
}

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
        return Err(Error::data_text(crate::text!(
            "phone.not_a_number",
            value = v
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

    #[test]
    fn one_rule_per_person() {
        let public: HashSet<String> = ["王主任".to_string()].into();
        let names = Names::new(public.clone(), false);
        assert_eq!(names.shown("王主任"), "王主任");
        assert_eq!(names.shown("欧阳娜娜"), "欧***");
        assert_eq!(names.shown("绿城物业公司"), "绿城物业公司");
        assert_eq!(names.shown("家长代表"), "家长代表");
        assert_eq!(
            names.shown("Property Management Office"),
            "Property Management Office"
        );
        // Masking twice changes nothing: a view may be masked by the op and shown as is.
        assert_eq!(names.shown(&names.shown("欧阳娜娜")), "欧***");
        assert_eq!(Names::new(public, true).shown("欧阳娜娜"), "欧阳娜娜");
    }
}
