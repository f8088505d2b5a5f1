//! How documents write dates and meeting numbers: 2026年6月12日（星期五）19:30 and 第1次,
//! the way a residents' committee writes them by hand; in English, Friday 12 June 2026.

use chrono::{Datelike, NaiveDate, Weekday};

const WEEKDAYS_ZH: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];

fn weekday_zh(w: Weekday) -> &'static str {
    WEEKDAYS_ZH[w.num_days_from_monday() as usize]
}

/// 2026年6月12日（星期五） / Friday 12 June 2026.
pub fn long_date(d: NaiveDate, zh: bool) -> String {
    if zh {
        format!(
            "{}年{}月{}日（星期{}）",
            d.year(),
            d.month(),
            d.day(),
            weekday_zh(d.weekday())
        )
    } else {
        d.format("%A %-d %B %Y").to_string()
    }
}

/// 2026年6月12日, without weekday: the date under a signature or seal.
pub fn plain_date(d: NaiveDate, zh: bool) -> String {
    if zh {
        format!("{}年{}月{}日", d.year(), d.month(), d.day())
    } else {
        d.format("%-d %B %Y").to_string()
    }
}

/// "2026-06-12 19:30" (as stored) → 2026年6月12日（星期五）19:30; text that is not a date is
/// returned as it is.
pub fn long_datetime(stored: &str, zh: bool) -> String {
    let Some(d) = crate::domain::date::parse_date(stored) else {
        return stored.to_string();
    };
    let time = stored.get(11..16).filter(|t| t.contains(':'));
    match (time, zh) {
        (Some(t), true) => format!("{}{t}", long_date(d, true)),
        (Some(t), false) => format!("{}, {t}", long_date(d, false)),
        (None, _) => long_date(d, zh),
    }
}

/// "2026-06-12 19:30" (as stored) → 2026年6月12日 19:30 / 12 June 2026 19:30: a time inside
/// brackets, without the weekday's own brackets; text that is not a date is returned as it is.
pub fn date_and_time(stored: &str, zh: bool) -> String {
    match (stored.get(..10), stored.get(11..16)) {
        (Some(d), Some(t)) if crate::domain::date::parse_date(d).is_some() => {
            format!("{} {t}", day(d, zh))
        }
        _ => day(stored, zh),
    }
}

/// A stored day ("2026-06-12") as 2026年6月12日; other text unchanged.
pub fn day(stored: &str, zh: bool) -> String {
    crate::domain::date::parse_date(stored)
        .map_or_else(|| stored.to_string(), |d| plain_date(d, zh))
}

/// 第1次会议 / the 1st meeting: how documents name a meeting (never "M1").
pub fn meeting_number(n: i64, zh: bool) -> String {
    if zh { format!("第{n}次") } else { ordinal(n) }
}

/// 第1次会议 / the 1st meeting, in a sentence.
pub fn meeting_name(n: i64, zh: bool) -> String {
    if zh {
        format!("第{n}次会议")
    } else {
        format!("the {} meeting", ordinal(n))
    }
}

/// 议题9 / issue 9: how documents name an issue. Never a bare `#9`, which runs into a title
/// that starts with a digit (「#1 3号楼电梯」 reads as #13).
pub fn issue_ref(id: i64, zh: bool) -> String {
    if zh {
        format!("议题{id}")
    } else {
        format!("issue {id}")
    }
}

/// The meeting line of a document's header: 汀塘社区第2次居民议事会 when the name already
/// says 第2次, else 第2次 · name; in English, 2nd meeting · name.
pub fn meeting_line(n: i64, name: &str, zh: bool) -> String {
    let number = meeting_number(n, true);
    match (zh, name.contains(&number)) {
        (true, true) => name.to_string(),
        (true, false) => format!("{number} · {name}"),
        (false, _) => format!("{} meeting · {name}", ordinal(n)),
    }
}

/// One person's seat in English documents, in the singular ("women's representative", not the
/// group "Women"); a community's own seat names are kept as configured. Chinese seat names
/// (妇女代表) already name one person.
pub fn seat_of_one(config: &crate::config::Config, key: &str, zh: bool) -> String {
    let locale = crate::config::Locale::from_zh(zh);
    let configured = config.seat_label(key, locale);
    if zh {
        return configured;
    }
    let builtin = crate::domain::seat::default_seats()
        .into_iter()
        .chain(crate::domain::seat::special_seats())
        .find(|s| s.key == key);
    let singular = match key {
        // Short enough for a sign-in sheet's column without wrapping.
        "committee" => "committee representative",
        "party" => "Party member",
        "backbone" => "resident backbone",
        "women" => "women's representative",
        "social-org" => "social organisation",
        "social-resource" => "social resource",
        crate::domain::seat::STAKEHOLDER => "stakeholder",
        crate::domain::seat::OBSERVER => "observer",
        _ => return configured,
    };
    match builtin {
        Some(b) if b.en == configured => singular.to_string(),
        _ => configured,
    }
}

/// The first letter in capitals (English words that start a table cell); Chinese unchanged.
pub fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if f.is_ascii_lowercase() => f.to_ascii_uppercase().to_string() + c.as_str(),
        _ => s.to_string(),
    }
}

/// 1st, 2nd, 3rd, 11th, 21st.
pub fn ordinal(n: i64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The chain anchor as documents print it: 记录校验码 #1204 · 3f9a c1d2 7b44 90e1 (English:
/// Record check code #1204 · …). A signed paper copy keeps it; `yishi verify --anchor` takes
/// the line back and proves that the record still passes through that point.
pub fn anchor(a: &crate::domain::audit::Anchor, zh: bool) -> String {
    let label = a.label();
    if zh {
        label
    } else {
        label.replacen("记录校验码", "Record check code", 1)
    }
}

/// After the name of a member whose vote their proxy cast: 陈志明（委托王建国代投） /
/// 陈志明 (by proxy: 王建国). One wording for `vote show` and the minutes.
pub fn proxy_vote(holder: &str, zh: bool) -> String {
    if zh {
        format!("（委托{holder}代投）")
    } else {
        format!(" (by proxy: {holder})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_carry_the_weekday() {
        assert_eq!(
            long_datetime("2026-06-12 19:30", true),
            "2026年6月12日（星期五）19:30"
        );
        assert_eq!(
            long_datetime("2026-06-12 19:30", false),
            "Friday 12 June 2026, 19:30"
        );
        assert_eq!(long_datetime("2026-06-14", true), "2026年6月14日（星期日）");
        assert_eq!(day("2026-12-01", true), "2026年12月1日");
        assert_eq!(long_datetime("soon", true), "soon");
    }

    #[test]
    fn meetings_are_numbered_in_words() {
        assert_eq!(meeting_number(1, true), "第1次");
        assert_eq!(meeting_number(12, false), "12th");
        assert_eq!(meeting_number(22, false), "22nd");
        assert_eq!(issue_ref(1, true), "议题1");
        assert_eq!(
            meeting_line(2, "汀塘社区第2次居民议事会", true),
            "汀塘社区第2次居民议事会"
        );
        assert_eq!(meeting_line(2, "秋季议事会", true), "第2次 · 秋季议事会");
    }

    #[test]
    fn one_persons_seat_is_singular_in_english() {
        let c = crate::config::Config::default();
        assert_eq!(seat_of_one(&c, "women", false), "women's representative");
        assert_eq!(seat_of_one(&c, "observer", false), "observer");
        assert_eq!(seat_of_one(&c, "women", true), "妇女代表");
    }
}
