//! The yearly ledger (台账) as an Excel workbook, one sheet each: 议题 (with rejection
//! reasons, merges, re-raises and objections), 会议 (attendance and quorum), 表决 (votes and
//! recounts), 决议, 落实 (due dates in force, their changes, overdue rows marked), 公示 and 评议,
//! 答复 (each step's reply to the residents, or 未答复) and 答复率 (per step, with the median
//! days), with Chinese (or English) headers and values. Residents' names are masked unless
//! --show-contacts, as everywhere.

use super::xlsx::{Cell, Heading, Sheet};
use super::{Output, words};
use crate::config::{Config, Locale};
use crate::domain::issue::{category_label, channel_label};
use crate::domain::ledger::Ledger;
use crate::domain::motion::MotionResult;
use crate::domain::rules::MajorityRule;

fn h(zh: bool, pairs: &[(&str, &str)]) -> Vec<String> {
    pairs
        .iter()
        .map(|(z, e)| (if zh { *z } else { *e }).to_string())
        .collect()
}

fn opt(s: &Option<String>) -> Cell {
    s.as_deref().map_or(Cell::Empty, Cell::text)
}

/// The workbook: every sheet, under the unit, the title and the year.
pub fn workbook(
    l: &Ledger,
    config: &Config,
    locale: Locale,
    out: &Output,
    year: i32,
    today: chrono::NaiveDate,
    created: chrono::DateTime<chrono::Utc>,
) -> crate::error::Result<Vec<u8>> {
    let zh = locale == Locale::ZhCn;
    let heading = Heading {
        unit: super::notice::signer(config, zh),
        title: if zh {
            format!("{year}年度居民议事台账")
        } else {
            format!("Council ledger {year}")
        },
        period: Some(if zh {
            format!("统计期间：{year}年1月1日至{year}年12月31日")
        } else {
            format!("Period: 1 January to 31 December {year}")
        }),
        made: today.to_string(),
        created,
        zh,
        seal: None,
    };
    super::xlsx::write(&sheets(l, config, locale, out, today), &heading)
}

/// The issue's links and decisions, one column each: why it was not accepted, where it was
/// merged, what it raises again, which resolution it objects to.
fn issue_links(i: &crate::domain::ledger::IssueRow, zh: bool) -> [Cell; 4] {
    let text = |s: String| Cell::text(s);
    [
        i.rejected_because.clone().map_or(Cell::Empty, text),
        i.merged_into
            .map_or(Cell::Empty, |m| text(words::issue_ref(m, zh))),
        i.reraise_of
            .map_or(Cell::Empty, |p| text(words::issue_ref(p, zh))),
        match (&i.objection_resolution, i.objection_to) {
            (Some((id, r)), Some(m)) => text(if zh {
                format!("{}决议R{id}「{r}」", words::meeting_name(m, true))
            } else {
                format!("R{id} of {}: “{r}”", words::meeting_name(m, false))
            }),
            (None, Some(m)) => text(if zh {
                format!("{}决议", words::meeting_name(m, true))
            } else {
                format!("the decisions of {}", words::meeting_name(m, false))
            }),
            _ => Cell::Empty,
        },
    ]
}

/// 上报街道: the issue's latest raising to the street and the street's answer.
fn escalation_note(i: &crate::domain::ledger::IssueRow, zh: bool) -> Cell {
    let Some(e) = &i.escalated else {
        return Cell::Empty;
    };
    let level = crate::domain::escalation::level_label(&e.to, Locale::En);
    Cell::text(match (&e.answered_on, zh) {
        (None, true) => format!("{}上报{}：{}（待答复）", e.on, e.to, e.reason),
        (None, false) => format!(
            "Escalated to the {level} on {}: {} (waiting)",
            e.on, e.reason
        ),
        (Some(on), true) => format!(
            "{}上报{}：{}；{on}答复：{}",
            e.on,
            e.to,
            e.reason,
            e.answer.as_deref().unwrap_or("")
        ),
        (Some(on), false) => format!(
            "Escalated to the {level} on {}: {}; answered on {on}: {}",
            e.on,
            e.reason,
            e.answer.as_deref().unwrap_or("")
        ),
    })
}

/// 复核：原 5:3:1（通过）→ 4:4:1（未通过），原因.
fn recounts(v: &crate::domain::ledger::MotionRow, locale: Locale) -> String {
    let zh = locale == Locale::ZhCn;
    let result = |k: &str| match k {
        "adopted" => MotionResult::Adopted.label(locale).to_string(),
        "not-adopted" => MotionResult::NotAdopted.label(locale).to_string(),
        "deferred" => MotionResult::Deferred.label(locale).to_string(),
        other => other.to_string(),
    };
    v.recounts
        .iter()
        .map(|c| {
            let (a, b) = (c.old, c.new);
            if zh {
                format!(
                    "复核：原{}:{}:{}（{}）→ {}:{}:{}（{}），{}",
                    a.0,
                    a.1,
                    a.2,
                    result(&c.old_result),
                    b.0,
                    b.1,
                    b.2,
                    result(&c.new_result),
                    c.reason
                )
            } else {
                format!(
                    "Recount: {}:{}:{} ({}) → {}:{}:{} ({}), {}",
                    a.0,
                    a.1,
                    a.2,
                    result(&c.old_result),
                    b.0,
                    b.1,
                    b.2,
                    result(&c.new_result),
                    c.reason
                )
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The ledger workbook: one sheet per register, in the order the street office reads them.
pub fn sheets(
    l: &Ledger,
    config: &Config,
    locale: Locale,
    out: &Output,
    today: chrono::NaiveDate,
) -> Vec<Sheet> {
    let _ = config;
    vec![
        issues_sheet(l, locale, out),
        meetings_sheet(l, locale),
        motions_sheet(l, locale),
        resolutions_sheet(l, locale),
        actions_sheet(l, locale, today),
        postings_sheet(l, locale),
        feedback_sheet(l, locale, out),
        replies(l, locale, out),
        reply_rates(l, locale),
    ]
}

/// 议题: one row per issue, with its links and escalation.
fn issues_sheet(l: &Ledger, locale: Locale, out: &Output) -> Sheet {
    let zh = locale == Locale::ZhCn;
    // A missing category is a fact to show, not a blank: 未分类.
    let category = |c: &Option<String>| {
        Cell::text(c.as_deref().map_or_else(
            || locale.pick("未分类", "Uncategorised").to_string(),
            |c| word(category_label(c, locale)),
        ))
    };
    Sheet {
        name: (if zh { "议题" } else { "Issues" }).into(),
        header: h(
            zh,
            &[
                ("编号", "No."),
                ("议题", "Issue"),
                ("提出人", "Raised by"),
                ("渠道", "Channel"),
                ("类别", "Category"),
                ("提出日期", "Raised on"),
                ("状态", "Status"),
                ("不予受理原因", "Why not accepted"),
                ("并入", "Merged into"),
                ("再次提出", "Raises again"),
                ("异议所指决议", "Objects to"),
                ("上报街道", "Escalated"),
            ],
        ),
        rows: l
            .issues
            .iter()
            .map(|i| {
                vec![
                    Cell::Number(i.id as f64),
                    Cell::text(i.title.clone()),
                    Cell::text(out.resident(i.submitted_by.as_deref())),
                    Cell::text(channel_label(&i.channel, locale)),
                    category(&i.category),
                    Cell::Day(i.raised_on.clone()),
                    Cell::text(word(i.status.label(locale))),
                ]
                .into_iter()
                .chain(issue_links(i, zh))
                .chain([escalation_note(i, zh)])
                .collect()
            })
            .collect(),
    }
}

/// 会议: one row per meeting, with attendance and quorum.
fn meetings_sheet(l: &Ledger, locale: Locale) -> Sheet {
    let zh = locale == Locale::ZhCn;
    Sheet {
        name: (if zh { "会议" } else { "Meetings" }).into(),
        header: h(
            zh,
            &[
                ("届次", "Meeting"),
                ("名称", "Name"),
                ("时间", "Time"),
                ("地点", "Place"),
                ("主持人", "Chair"),
                ("记录人", "Recorder"),
                ("应到", "Invited"),
                ("实到", "Present"),
                ("缺席", "Absent"),
                ("列席", "Observers"),
                ("法定人数", "Quorum"),
                ("议题数", "Items"),
                ("状态", "Status"),
            ],
        ),
        rows: l
            .meetings
            .iter()
            .map(|m| {
                vec![
                    Cell::text(words::meeting_number(m.number, zh)),
                    Cell::text(m.title.clone()),
                    Cell::DateTime(m.starts_at.clone()),
                    Cell::text(m.place.clone()),
                    opt(&m.chair),
                    opt(&m.recorder),
                    Cell::Number(m.invited as f64),
                    Cell::Number(m.present as f64),
                    Cell::Number(m.absent as f64),
                    Cell::Number(m.observers as f64),
                    Cell::text(quorum(&m.quorum, zh)),
                    Cell::Number(m.items as f64),
                    Cell::text(word(m.status.label(locale))),
                ]
            })
            .collect(),
    }
}

/// 表决: one row per motion, with its counts, result and recounts.
fn motions_sheet(l: &Ledger, locale: Locale) -> Sheet {
    let zh = locale == Locale::ZhCn;
    Sheet {
        name: (if zh { "表决" } else { "Votes" }).into(),
        header: h(
            zh,
            &[
                ("编号", "No."),
                ("会议", "Meeting"),
                ("议题编号", "Issue No."),
                ("动议", "Motion"),
                ("表决规则", "Rule"),
                ("表决方式", "Method"),
                ("同意", "Yes"),
                ("反对", "No"),
                ("弃权", "Abstain"),
                ("结果", "Result"),
                ("复核", "Recounts"),
            ],
        ),
        rows: l
            .motions
            .iter()
            .map(|v| {
                let n = |x: Option<i64>| x.map_or(Cell::Empty, |x| Cell::Number(x as f64));
                vec![
                    Cell::text(format!("V{}", v.id)),
                    Cell::text(words::meeting_number(v.meeting_number, zh)),
                    Cell::Number(v.issue_id as f64),
                    Cell::text(v.text.clone()),
                    Cell::text(
                        v.rule
                            .parse::<MajorityRule>()
                            .map_or(v.rule.clone(), |r| r.label(locale).to_string()),
                    ),
                    v.method
                        .map_or(Cell::Empty, |m| Cell::text(m.label(locale))),
                    n(v.yes),
                    n(v.no),
                    n(v.abstain),
                    Cell::text(word(MotionResult::label_or_pending(v.result, locale))),
                    Cell::text(recounts(v, locale)),
                ]
            })
            .collect(),
    }
}

/// 决议: one row per resolution, with the due date as set when it was moved.
fn resolutions_sheet(l: &Ledger, locale: Locale) -> Sheet {
    let zh = locale == Locale::ZhCn;
    Sheet {
        name: (if zh { "决议" } else { "Resolutions" }).into(),
        header: h(
            zh,
            &[
                ("议题编号", "Issue No."),
                ("议题", "Issue"),
                ("会议", "Meeting"),
                ("决议事项", "Resolution"),
                ("责任人", "Owner"),
                ("完成时限", "Due"),
                ("原定时限", "Due as set"),
            ],
        ),
        rows: l
            .resolutions
            .iter()
            .map(|r| {
                vec![
                    Cell::Number(r.issue_id as f64),
                    Cell::text(r.issue_title.clone()),
                    Cell::text(words::meeting_number(r.meeting_number, zh)),
                    Cell::text(r.text.clone()),
                    opt(&r.owner),
                    Cell::opt_day(r.due.as_deref()),
                    // The date set at the vote, only when it was moved since.
                    match r.due_set.as_deref() {
                        Some(set) if Some(set) != r.due.as_deref() => Cell::Day(set.to_string()),
                        _ => Cell::Empty,
                    },
                ]
            })
            .collect(),
    }
}

/// 落实: one row per action, with progress, overdue and due-date changes.
fn actions_sheet(l: &Ledger, locale: Locale, today: chrono::NaiveDate) -> Sheet {
    let zh = locale == Locale::ZhCn;
    Sheet {
        name: (if zh { "落实" } else { "Actions" }).into(),
        header: h(
            zh,
            &[
                ("编号", "No."),
                ("议题编号", "Issue No."),
                ("事项", "Action"),
                ("责任人", "Owner"),
                ("完成时限", "Due"),
                ("进度", "Progress"),
                ("完成日期", "Done on"),
                ("逾期", "Overdue"),
                ("时限调整", "Due date changes"),
            ],
        ),
        rows: l
            .actions
            .iter()
            .map(|a| {
                vec![
                    Cell::text(format!("A{}", a.id)),
                    Cell::Number(a.issue_id as f64),
                    Cell::text(a.text.clone()),
                    opt(&a.owner),
                    Cell::opt_day(a.due.as_deref()),
                    Cell::Percent(a.progress as f64 / 100.0),
                    Cell::opt_day(a.done_on.as_deref()),
                    Cell::text(overdue(a, today, zh)),
                    Cell::text(due_changes(a, zh)),
                ]
            })
            .collect(),
    }
}

/// 公示: one row per posting.
fn postings_sheet(l: &Ledger, locale: Locale) -> Sheet {
    let zh = locale == Locale::ZhCn;
    Sheet {
        name: (if zh { "公示" } else { "Postings" }).into(),
        header: h(
            zh,
            &[
                ("类别", "Kind"),
                ("会议", "Meeting"),
                ("议题编号", "Issue No."),
                ("公示起", "From"),
                ("公示止", "To"),
            ],
        ),
        rows: l
            .postings
            .iter()
            .map(|p| {
                vec![
                    Cell::text(p.kind.label().render(Locale::from_zh(zh))),
                    p.meeting_number
                        .map_or(Cell::Empty, |m| Cell::text(words::meeting_number(m, zh))),
                    p.issue_id.map_or(Cell::Empty, |i| Cell::Number(i as f64)),
                    Cell::Day(p.starts_on.clone()),
                    Cell::opt_day(p.ends_on.as_deref()),
                ]
            })
            .collect(),
    }
}

/// 评议: one row per resident's feedback.
fn feedback_sheet(l: &Ledger, locale: Locale, out: &Output) -> Sheet {
    let zh = locale == Locale::ZhCn;
    let yes_no = |b: Option<bool>| match (b, zh) {
        (Some(true), true) => Cell::text("知晓"),
        (Some(false), true) => Cell::text("不知晓"),
        (Some(true), false) => Cell::text("yes"),
        (Some(false), false) => Cell::text("no"),
        (None, _) => Cell::Empty,
    };
    Sheet {
        name: (if zh { "评议" } else { "Feedback" }).into(),
        header: h(
            zh,
            &[
                ("议题编号", "Issue No."),
                ("议题", "Issue"),
                ("居民", "Resident"),
                ("满意度（1–5）", "Satisfaction (1–5)"),
                ("知晓", "Aware"),
                ("意见", "Comment"),
                ("日期", "Date"),
            ],
        ),
        rows: l
            .feedback
            .iter()
            .map(|f| {
                vec![
                    Cell::Number(f.issue_id as f64),
                    Cell::text(f.issue_title.clone()),
                    Cell::text(out.resident(f.resident.as_deref())),
                    f.satisfaction
                        .map_or(Cell::Empty, |s| Cell::Number(s as f64)),
                    yes_no(f.aware),
                    opt(&f.note),
                    Cell::Day(f.given_on.clone()),
                ]
            })
            .collect(),
    }
}

/// 答复: one row per step an issue reached (受理 or 不予受理, 决议, 结果) while residents were
/// owed a reply, told or not: the street office sees who heard back, how and how soon, and
/// who is still waiting (未答复).
fn replies(l: &Ledger, locale: Locale, out: &Output) -> Sheet {
    let zh = locale == Locale::ZhCn;
    Sheet {
        name: locale.pick("答复", "Replies").into(),
        header: h(
            zh,
            &[
                ("议题编号", "Issue No."),
                ("议题", "Issue"),
                ("提出人", "Raised by"),
                ("居民数", "Residents"),
                ("答复环节", "Step"),
                ("环节日期", "Step reached"),
                ("答复日期", "Told on"),
                ("答复方式", "How"),
                ("相隔天数", "Days after"),
                ("答复内容", "What was said"),
            ],
        ),
        rows: l
            .replies
            .iter()
            .map(|r| {
                let head = [
                    Cell::Number(r.issue_id as f64),
                    Cell::text(r.issue_title.clone()),
                    Cell::text(out.resident(r.submitted_by.as_deref())),
                    Cell::Number(r.residents as f64),
                    Cell::text(word(r.step.label(locale))),
                    Cell::Day(r.step_on.to_string()),
                ];
                let tail = match &r.reply {
                    Some((on, via, text)) => [
                        Cell::Day(on.to_string()),
                        Cell::text(word(via.label(locale))),
                        Cell::Number(crate::domain::reply::days_to_reply(r.step_on, *on) as f64),
                        opt(text),
                    ],
                    None => [
                        Cell::Empty,
                        Cell::text(locale.pick("未答复", "Not yet told")),
                        Cell::Empty,
                        Cell::Empty,
                    ],
                };
                head.into_iter().chain(tail).collect()
            })
            .collect(),
    }
}

/// 答复率: per step, the issues that reached it, those whose residents were told, the rate
/// and the median days from the step to the reply; a total row last (as `report` counts).
fn reply_rates(l: &Ledger, locale: Locale) -> Sheet {
    let zh = locale == Locale::ZhCn;
    let row = |label: String, rate: &crate::domain::report::Rate, median: Option<f64>| {
        vec![
            Cell::text(label),
            Cell::Number(rate.denominator as f64),
            Cell::Number(rate.numerator as f64),
            rate.rate.map_or(Cell::Empty, Cell::Percent),
            median.map_or(Cell::Empty, Cell::Decimal),
        ]
    };
    // A year with no reply owed has no rates: the sheet is its header, like the others.
    if l.reply_rate.denominator == 0 {
        return Sheet {
            name: locale.pick("答复率", "Reply rates").into(),
            header: rate_header(zh),
            rows: Vec::new(),
        };
    }
    let mut rows: Vec<Vec<Cell>> = l
        .reply_rates
        .iter()
        .map(|s| row(word(s.step.label(locale)), &s.rate, s.median_days))
        .collect();
    rows.push(row(
        locale.pick("合计", "All steps").into(),
        &l.reply_rate,
        l.reply_median_days,
    ));
    Sheet {
        name: locale.pick("答复率", "Reply rates").into(),
        header: rate_header(zh),
        rows,
    }
}

fn rate_header(zh: bool) -> Vec<String> {
    h(
        zh,
        &[
            ("答复环节", "Step"),
            ("应答复", "Owed"),
            ("已答复", "Told"),
            ("答复率", "Reply rate"),
            ("答复中位天数", "Median days to reply"),
        ],
    )
}

/// A label as a cell shows it: English starts with a capital ("Implementing", not the
/// key-like "implementing"); Chinese is unchanged.
fn word(label: &str) -> String {
    let mut c = label.chars();
    match c.next() {
        Some(f) if f.is_ascii_lowercase() => f.to_ascii_uppercase().to_string() + c.as_str(),
        _ => label.to_string(),
    }
}

/// 已达到（7/9，需6人） / met (7 of 9, 6 needed).
fn quorum(q: &crate::domain::rules::Quorum, zh: bool) -> String {
    match (q.met, zh) {
        (true, true) => format!("已达到（{}/{}，需{}人）", q.present, q.base, q.needed),
        (false, true) => format!("未达到（{}/{}，需{}人）", q.present, q.base, q.needed),
        (true, false) => format!("met ({} of {}, {} needed)", q.present, q.base, q.needed),
        (false, false) => format!("not met ({} of {}, {} needed)", q.present, q.base, q.needed),
    }
}

/// 已逾期5天 for an open action past its due date; nothing otherwise.
fn overdue(a: &crate::domain::ledger::ActionRow, today: chrono::NaiveDate, zh: bool) -> String {
    if a.done_on.is_some() || a.withdrawn.is_some() {
        return String::new();
    }
    let Some(due) = a
        .due
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    else {
        return String::new();
    };
    let days = (today - due).num_days();
    match (days > 0, zh) {
        (false, _) => String::new(),
        (true, true) => format!("已逾期{days}天"),
        (true, false) => format!("{days} days overdue"),
    }
}

/// 2027-01-31 → 2027-03-31（王建国调任）, one line per change.
fn due_changes(a: &crate::domain::ledger::ActionRow, zh: bool) -> String {
    a.due_changes
        .iter()
        .map(|c| {
            let d = |x: &Option<String>| x.clone().unwrap_or_else(|| "—".into());
            if zh {
                format!("{} → {}（{}）", d(&c.old), d(&c.new), c.reason)
            } else {
                format!("{} → {} ({})", d(&c.old), d(&c.new), c.reason)
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
