//! What survey platforms (问卷星, 腾讯问卷, 金数据) put around the residents' answers: numbered
//! questions (`1、您的姓名：`, `Q1 您的姓名`, `Q1.您的姓名`, `1. 您的姓名`) and metadata columns
//! (序号, 提交答卷时间, 来源, 来自IP ...). A few metadata columns feed a field (the submission
//! time is the date, 来源 is the channel); the rest are ignored and named once in the summary.

/// A survey platform, recognised by the metadata columns only its exports have. Its name is the
/// channel of rows when the file has no channel column and no --channel is given.
pub fn platform(normalized_headers: &[String]) -> Option<&'static str> {
    let has = |h: &str| normalized_headers.iter().any(|n| n == h);
    if has("提交答卷时间") || has("来自ip") || has("来源详情") {
        Some("问卷星")
    } else if has("开始答题时间") || has("结束答题时间") || has("答题时长") {
        Some("腾讯问卷")
    } else if has("微信昵称") && has("提交时间") {
        Some("金数据")
    } else {
        None
    }
}

/// What a platform writes in place of a skipped or empty answer.
pub fn is_skipped(value: &str) -> bool {
    matches!(value, "(跳过)" | "（跳过）" | "(空)" | "（空）")
}

/// Metadata columns (normalized as by `normalize_header`) and the field each feeds, if any.
/// A metadata column feeds its field only when no question column already does.
const METADATA: &[(&str, Option<&str>)] = &[
    ("提交答卷时间", Some("date")),
    ("提交时间", Some("date")),
    ("结束答题时间", Some("date")),
    ("答题时间", Some("date")),
    ("填写时间", Some("date")),
    ("来源", Some("channel")),
    ("序号", None),
    ("编号", None),
    ("答卷编号", None),
    ("所用时间", None),
    ("答题时长", None),
    ("填写用时", None),
    ("来源详情", None),
    ("来自ip", None),
    ("ip", None),
    ("ip地址", None),
    ("总分", None),
    ("得分", None),
    ("填写设备", None),
    ("设备", None),
    ("操作系统", None),
    ("浏览器", None),
    ("开始答题时间", None),
    ("起答时间", None),
    ("修改时间", None),
    ("更新时间", None),
    ("地理位置", None),
    ("地理位置国家和地区", None),
    ("地理位置省", None),
    ("地理位置市", None),
    ("省份", None),
    ("城市", None),
    ("国家", None),
    ("微信昵称", None),
    ("昵称", None),
    ("openid", None),
    ("微信openid", None),
    ("用户标识", None),
    ("用户id", None),
    ("自定义字段", None),
    ("填写人", Some("submitted_by")),
    ("提交人", Some("submitted_by")),
];

/// `Some(field)` for a metadata column: `Some(Some("date"))` feeds the date, `Some(None)` is
/// ignored. `None`: not metadata.
pub fn metadata(normalized: &str) -> Option<Option<&'static str>> {
    METADATA
        .iter()
        .find(|(h, _)| *h == normalized)
        .map(|(_, field)| *field)
}

/// Drop a question number: `1、` `1.` `1．` `Q1 ` `Q1.` `Q1:` `第1题` `(1)`.
pub fn strip_question_number(h: &str) -> &str {
    let rest = h
        .strip_prefix(['Q', 'q', 'Ｑ'])
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        .or_else(|| {
            h.strip_prefix('第')
                .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        })
        .or_else(|| {
            h.strip_prefix(['(', '（'])
                .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        })
        .unwrap_or(h);
    let after_digits = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    if after_digits.len() == rest.len() {
        return h;
    }
    let after_digits = after_digits.strip_prefix('题').unwrap_or(after_digits);
    after_digits.trim_start_matches(['、', '.', '．', ':', '：', ')', '）', ' ', '\u{3000}', '-'])
}

/// Drop what a platform appends to a question: `（必填）`, `【单选题】`, `[多选]`, a trailing
/// colon or question mark, a required-field star.
pub fn strip_question_decoration(mut h: &str) -> &str {
    loop {
        let trimmed = h.trim_end_matches([':', '：', '?', '？', '*', ' ', '\u{3000}']);
        let without_group = [('（', '）'), ('(', ')'), ('【', '】'), ('[', ']')]
            .iter()
            .find_map(|(open, close)| {
                let inner = trimmed.strip_suffix(*close)?;
                let start = inner.rfind(*open)?;
                // Keep a header that is nothing but a bracketed group.
                (start > 0).then(|| &inner[..start])
            });
        match without_group {
            Some(shorter) => h = shorter,
            None => return trimmed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_numbers() {
        assert_eq!(strip_question_number("1、您的姓名"), "您的姓名");
        assert_eq!(strip_question_number("Q1 您的姓名"), "您的姓名");
        assert_eq!(strip_question_number("Q12.您的姓名"), "您的姓名");
        assert_eq!(strip_question_number("1. 您的姓名"), "您的姓名");
        assert_eq!(strip_question_number("第3题 问题类别"), "问题类别");
        assert_eq!(strip_question_number("(2)联系电话"), "联系电话");
        // Not a numbered question: left alone.
        assert_eq!(strip_question_number("QQ号"), "QQ号");
        assert_eq!(strip_question_number("姓名"), "姓名");
    }

    #[test]
    fn decorations() {
        assert_eq!(strip_question_decoration("您的姓名："), "您的姓名");
        assert_eq!(strip_question_decoration("联系电话（选填）："), "联系电话");
        assert_eq!(strip_question_decoration("问题类别【单选题】*"), "问题类别");
        assert_eq!(strip_question_decoration("(备注)"), "(备注)");
    }

    #[test]
    fn platforms_by_their_columns() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(platform(&h(&["序号", "提交答卷时间"])), Some("问卷星"));
        assert_eq!(platform(&h(&["编号", "开始答题时间"])), Some("腾讯问卷"));
        assert_eq!(platform(&h(&["标题", "日期"])), None);
        assert_eq!(metadata("来源"), Some(Some("channel")));
        assert_eq!(metadata("来自ip"), Some(None));
        assert_eq!(metadata("标题"), None);
    }
}
