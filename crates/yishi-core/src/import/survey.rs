//! What survey platforms (问卷星, 腾讯问卷, 金数据) put around the residents' answers: numbered
//! questions (`1、您的姓名：`, `Q1 您的姓名`, `Q1.您的姓名`, `1. 您的姓名`) and metadata columns
//! (序号, 提交答卷时间, 来源, 来自IP ...). A few metadata columns feed a field (the submission
//! time is the date); some are kept as the intake metadata ([`Intake`]: 来源 is how the
//! answer was submitted, 手机提交 or 电脑提交, never the channel); the rest are ignored and
//! named once in the summary.

/// A survey platform, recognised by the metadata columns only its exports have.
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

/// Whether a header is a survey export's: a known platform's metadata, or at least two numbered
/// questions (`Q1 您的姓名`, `1、您想反映的问题：`). Rows of a survey came in online: without a
/// channel column or --channel they get the channel of `[channels] survey` (线上).
pub fn is_survey(headers: &[String], platform: Option<&str>) -> bool {
    platform.is_some()
        || headers
            .iter()
            .filter(|h| {
                let h = h.trim().trim_start_matches('\u{feff}');
                strip_question_number(h) != h
            })
            .count()
            >= 2
}

/// How an answer came in, as the survey platform recorded it: kept beside the issue (`issue
/// show`), never as its channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Intake {
    /// 问卷星, 腾讯问卷, 金数据; None for numbered questions of no known platform.
    pub platform: Option<String>,
    /// 来源 and 来源详情: 手机提交, 电脑提交, 微信 ...
    pub route: Option<String>,
    /// The submission time as the platform wrote it.
    pub submitted_at: Option<String>,
    /// Where the answer came from: the region 问卷星 writes after the IP (`1.2.3.4(浙江-杭州)`), or
    /// 腾讯问卷's 地理位置 columns. The address itself is not kept.
    pub region: Option<String>,
    /// The platform's number of the answer (序号, 编号, 答卷编号).
    pub answer_id: Option<String>,
}

impl Intake {
    pub fn is_empty(&self) -> bool {
        self.route.is_none()
            && self.submitted_at.is_none()
            && self.region.is_none()
            && self.answer_id.is_none()
            && self.platform.is_none()
    }
}

/// The columns (by position) that intake metadata is read from.
#[derive(Debug, Clone, Default)]
pub struct IntakeColumns {
    route: Vec<usize>,
    submitted_at: Option<usize>,
    ip: Option<usize>,
    region: Vec<usize>,
    answer_id: Option<usize>,
}

/// Find the intake columns of a survey header (normalized as by `normalize_header`).
pub fn intake_columns(normalized: &[String]) -> IntakeColumns {
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| normalized.iter().position(|h| h == n))
    };
    let all = |names: &[&str]| -> Vec<usize> {
        names
            .iter()
            .filter_map(|n| normalized.iter().position(|h| h == n))
            .collect()
    };
    IntakeColumns {
        route: all(&["来源", "来源详情", "填写设备", "设备"]),
        submitted_at: find(&[
            "提交答卷时间",
            "结束答题时间",
            "提交时间",
            "填写时间",
            "答题时间",
        ]),
        ip: find(&["来自ip", "ip", "ip地址"]),
        region: all(&["地理位置省", "地理位置市", "省份", "城市", "地理位置"]),
        answer_id: find(&["序号", "答卷编号", "编号"]),
    }
}

impl IntakeColumns {
    /// Whether column `col` is read as intake metadata (not named as "not imported").
    pub fn uses(&self, col: usize) -> bool {
        self.route.contains(&col)
            || self.region.contains(&col)
            || [self.submitted_at, self.ip, self.answer_id].contains(&Some(col))
    }

    /// The intake metadata of one row; `cell` gives a column's trimmed, non-empty value.
    pub fn read<'a>(
        &self,
        platform: Option<&str>,
        cell: impl Fn(usize) -> Option<&'a str>,
    ) -> Intake {
        let route: Vec<&str> = self
            .route
            .iter()
            .filter_map(|&c| cell(c))
            // 问卷星's 来源详情 says 直接访问 for an answer not opened from elsewhere: nothing to add.
            .filter(|v| *v != "直接访问" && *v != "N/A")
            .collect();
        let region: Vec<&str> = self.region.iter().filter_map(|&c| cell(c)).collect();
        let region = if region.is_empty() {
            self.ip.and_then(&cell).and_then(ip_region)
        } else {
            let mut parts: Vec<&str> = Vec::new();
            for r in region {
                if !parts.contains(&r) {
                    parts.push(r);
                }
            }
            Some(parts.join("-"))
        };
        Intake {
            platform: platform.map(String::from),
            route: (!route.is_empty()).then(|| clean(&route.join("·"))),
            submitted_at: self.submitted_at.and_then(&cell).map(clean),
            region: region.as_deref().map(clean),
            answer_id: self.answer_id.and_then(&cell).map(clean),
        }
    }
}

/// Metadata as kept: on one line, without control characters, at most [`INTAKE_CHARS`]
/// characters (a platform's column holds a word or a time; anything longer is not that).
fn clean(value: &str) -> String {
    let mut out: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(INTAKE_CHARS + 1)
        .collect();
    if out.chars().count() > INTAKE_CHARS {
        out = out.chars().take(INTAKE_CHARS).collect::<String>() + "…";
    }
    out.trim().to_string()
}

/// The most characters of a metadata value kept.
const INTAKE_CHARS: usize = 60;

/// The region in `112.10.36.5(浙江-杭州)`: 浙江-杭州. An address alone gives nothing.
fn ip_region(value: &str) -> Option<String> {
    let open = value.find(['(', '（'])?;
    let inner = value[open..]
        .trim_start_matches(['(', '（'])
        .trim_end_matches([')', '）'])
        .trim();
    (!inner.is_empty()).then(|| inner.to_string())
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
    // How the answer was submitted (手机提交): intake metadata, not the channel.
    ("来源", None),
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
    // The survey link's pass-through parameter (问卷星's `sojumpparm`, 腾讯问卷's custom
    // parameter): a result notice's QR code puts the id there, so it feeds the issue
    // of a feedback import when no question asks for it (an issue import has no such field).
    ("自定义字段", Some("issue")),
    ("自定义参数", Some("issue")),
    ("sojumpparm", Some("issue")),
    ("填写人", Some("submitted_by")),
    ("提交人", Some("submitted_by")),
];

/// `Some(field)` for a metadata column: `Some(Some("date"))` feeds the date, `Some(None)` is
/// ignored. `None`: not metadata. In a file that is not a survey export, 来源 is where the
/// issue came from: the channel.
pub fn metadata(normalized: &str, survey: bool) -> Option<Option<&'static str>> {
    if normalized == "来源" && !survey {
        return Some(Some("channel"));
    }
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
    fn numbered_questions_are_a_survey() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(is_survey(&h(&["Q1 您的姓名", "Q2 您想反映的问题"]), None));
        assert!(is_survey(&h(&["1、姓名", "2、问题"]), None));
        assert!(!is_survey(&h(&["标题", "1、姓名"]), None));
        assert!(is_survey(&h(&["标题"]), Some("问卷星")));
    }

    #[test]
    fn intake_of_a_wjx_row() {
        let h: Vec<String> = ["序号", "提交答卷时间", "来源", "来源详情", "来自ip", "姓名"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let cols = intake_columns(&h);
        let row = [
            "7",
            "2026/11/3 14:20:05",
            "手机提交",
            "微信",
            "1.2.3.4(浙江-杭州)",
            "陈",
        ];
        let i = cols.read(Some("问卷星"), |c| Some(row[c]));
        assert_eq!(i.route.as_deref(), Some("手机提交·微信"));
        assert_eq!(i.region.as_deref(), Some("浙江-杭州"));
        assert_eq!(i.answer_id.as_deref(), Some("7"));
        assert_eq!(i.submitted_at.as_deref(), Some("2026/11/3 14:20:05"));
        assert_eq!(ip_region("1.2.3.4"), None);
        // Hostile cells stay one short line.
        let row = ["1\u{1b}[31m", "x", "手机\n提交", "", &"长".repeat(500), ""];
        let i = cols.read(None, |c| Some(row[c]).filter(|v| !v.is_empty()));
        assert_eq!(i.answer_id.as_deref(), Some("1 [31m"));
        assert_eq!(i.route.as_deref(), Some("手机 提交"));
        assert_eq!(i.platform, None);
        assert_eq!(i.region, None);
    }

    #[test]
    fn platforms_by_their_columns() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(platform(&h(&["序号", "提交答卷时间"])), Some("问卷星"));
        assert_eq!(platform(&h(&["编号", "开始答题时间"])), Some("腾讯问卷"));
        assert_eq!(platform(&h(&["标题", "日期"])), None);
        assert_eq!(metadata("来源", true), Some(None));
        assert_eq!(metadata("来源", false), Some(Some("channel")));
        assert_eq!(metadata("来自ip", true), Some(None));
        assert_eq!(metadata("标题", true), None);
    }
}
