//! A TOML file's error (yishi.toml, an import's `--map` file) in the reader's words. toml
//! names the place, shows the line and gives serde's reason, all in English; in Chinese the
//! place is 第 N 行第 M 列, the line is shown the same way, and the usual reasons (a value of
//! the wrong type, an unknown or missing key, a key twice, a key without a value) are worded
//! by the catalogue. The English is toml's own text, unchanged.

use super::Text;
use crate::domain::locale::Locale;
use crate::text;

/// The error in Chinese and in English, for `Text::pair`; `source` is the file's text.
pub fn words(source: &str, e: &toml::de::Error) -> (String, String) {
    let en = e.to_string().trim_end().to_string();
    let Some(span) = e.span() else {
        return (reason(e.message()).render(Locale::ZhCn), en);
    };
    let start = span.start.min(source.len());
    let before = source.get(..start).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    let shown = source[line_start..].lines().next().unwrap_or_default();
    let zh = text!(
        "toml.error_at",
        line = line,
        column = column,
        shown = crate::render::clean(shown)
    )
    .text("reason", &reason(e.message()));
    (zh.render(Locale::ZhCn), en)
}

/// serde's reason, by its usual shapes; another is shown as it is.
fn reason(message: &str) -> Text {
    let code = |s: &str| s.trim_matches('`').to_string();
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return text!("toml.invalid_type")
            .pair("found", found_zh(found), found)
            .pair("expected", expected_zh(expected), expected);
    }
    if let Some(rest) = message.strip_prefix("invalid value: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return text!("toml.invalid_value")
            .pair("found", found_zh(found), found)
            .pair("expected", expected_zh(expected), expected);
    }
    if let Some(rest) = message.strip_prefix("unknown field ")
        && let Some((field, allowed)) = rest.split_once(", expected ")
    {
        let allowed = allowed.trim_start_matches("one of ");
        let allowed: Vec<&str> = allowed.split(", ").collect();
        return text!("toml.unknown_field", field = code(field)).pair(
            "allowed",
            allowed.join("、"),
            allowed.join(", "),
        );
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        return text!("toml.missing_field", field = code(field));
    }
    if message.starts_with("string values must be quoted") {
        return text!("toml.unquoted");
    }
    match message {
        "duplicate key" => text!("toml.duplicate_key"),
        "key with no value, expected `=`" => text!("toml.no_value"),
        other => text!("toml.other", reason = other),
    }
}

/// What the file holds: `string "3"` → 文字 "3", `integer `-1`` → 整数 -1.
fn found_zh(found: &str) -> String {
    let (kind, value) = found.split_once(' ').unwrap_or((found, ""));
    let value = value.trim_matches('`');
    let word = match (kind, found) {
        ("string", _) => text!("toml.kind.text"),
        ("integer", _) => text!("toml.kind.whole_number"),
        ("floating", _) => {
            let number = value.trim_start_matches("point").trim().trim_matches('`');
            return format!(
                "{} {number}",
                text!("toml.kind.decimal").render(Locale::ZhCn)
            );
        }
        ("boolean", _) => text!("toml.kind.boolean"),
        (_, "sequence") => text!("toml.kind.list"),
        (_, "map") => text!("toml.kind.table"),
        _ => return format!("`{found}`"),
    };
    let word = word.render(Locale::ZhCn);
    if value.is_empty() {
        word
    } else {
        format!("{word} {value}")
    }
}

/// What the field takes: `i64` → 整数, `a string` → 文字.
fn expected_zh(expected: &str) -> String {
    let word = match expected.trim_start_matches("a ").trim_start_matches("an ") {
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "integer" => {
            if expected.starts_with('u') {
                text!("toml.kind.count")
            } else {
                text!("toml.kind.whole_number")
            }
        }
        "f32" | "f64" => text!("toml.kind.number"),
        "string" => text!("toml.kind.quoted_text"),
        "boolean" | "bool" => text!("toml.kind.true_or_false"),
        "sequence" => text!("toml.kind.list"),
        e if e.starts_with("struct ") || e == "map" => text!("toml.kind.table"),
        _ => return format!("`{expected}`"),
    };
    word.render(Locale::ZhCn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zh_of(source: &str) -> (String, String) {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Rules {
            notice_days: Option<i64>,
            min: Option<u32>,
            key: Option<String>,
        }
        let e = toml::from_str::<Rules>(source).unwrap_err();
        words(source, &e)
    }

    #[test]
    fn the_usual_reasons_read_in_chinese_and_english_is_tomls_own() {
        let (zh, en) = zh_of("notice_days = \"3\"\n");
        assert!(en.contains("TOML parse error at line 1"), "{en}");
        assert!(
            zh.starts_with("第 1 行第 15 列：类型不对：这里是文字 \"3\"，应为整数"),
            "{zh}"
        );
        assert!(zh.contains("1 | `notice_days = \"3\"`"), "{zh}");
        let (zh, _) = zh_of("\n\nnotice_dayz = 3\n");
        assert!(
            zh.starts_with("第 3 行第 1 列：不认识的字段 `notice_dayz`"),
            "{zh}"
        );
        assert!(zh.contains("`notice_days`、`min`、`key`"), "{zh}");
        let (zh, _) = zh_of("min = -1\n");
        assert!(
            zh.contains("值不对：这里是整数 -1，应为不小于 0 的整数"),
            "{zh}"
        );
        let (zh, _) = zh_of("min = 1\nmin = 2\n");
        assert!(zh.contains("第 2 行第 1 列：同一个键写了两次"), "{zh}");
        let (zh, _) = zh_of("notice_days\n");
        assert!(zh.contains("缺少"), "{zh}");
        let (zh, _) = zh_of("notice_days = 3.5\n");
        assert!(zh.contains("这里是小数 3.5，应为整数"), "{zh}");
        for (zh, _) in [zh_of("key = [1]\n"), zh_of("min = true\n")] {
            let words: Vec<&str> = zh
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() > 2)
                .collect();
            assert!(
                words.iter().all(|w| ["key", "min", "true"].contains(w)),
                "{zh}"
            );
        }
    }
}
