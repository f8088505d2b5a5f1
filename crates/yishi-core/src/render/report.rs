//! The report as text, CSV, or one self-contained HTML page with inline-SVG bar charts.

use crate::config::{Config, Locale};
use crate::domain::code::Code;
use crate::domain::issue::{self, Channel, Status};
use crate::domain::report::{Rate, Report};
use crate::import::csv_cell;
use std::collections::BTreeMap;

fn pct(r: &Rate) -> String {
    match r.rate {
        // Two decimals: a participation rate of 40 residents in 4,000 is 1.00%, not 1.0%.
        Some(x) => format!("{:.2}%", x * 100.0),
        None => "—".into(),
    }
}

fn num(x: Option<f64>) -> String {
    x.map_or("—".into(), |v| format!("{v:.1}"))
}

/// A figure's value as it was counted: a spreadsheet keeps numbers as numbers and a rate
/// with its parts; text shows them as words.
#[derive(Debug, Clone, Copy)]
pub enum Value<'a> {
    Count(u64),
    /// Days or a mean score; None when there was nothing to count.
    Number(Option<f64>),
    Rate(&'a Rate),
}

impl Value<'_> {
    pub fn shown(&self) -> String {
        match self {
            Value::Count(n) => n.to_string(),
            Value::Number(x) => num(*x),
            Value::Rate(x) => format!("{} ({}/{})", pct(x), x.numerator, x.denominator),
        }
    }
}

/// One line of the report: what is counted, its value and how it is defined.
pub struct Figure<'a> {
    pub label: String,
    pub value: Value<'a>,
    pub definition: String,
}

/// The figures every format shows, in order. `cycle` is the 四议两公开 count (decided issues
/// with every step done, from the checklist of `issue show`); text prints it as its own line.
pub fn figures<'a>(r: &'a Report, config: &Config, cycle: Option<&'a Rate>) -> Vec<Figure<'a>> {
    let zh = config.locale == Locale::ZhCn;
    let mut out = issue_figures(r, zh);
    out.extend(follow_through_figures(r, zh));
    out.extend(reply_figures(r, config, zh));
    if let Some(c) = cycle {
        out.push(Figure::new(
            zh,
            ("四议两公开全部完成", "every step of 四议两公开 done"),
            Value::Rate(c),
            (
                "提议、商议、审议、决议和决议公示、结果公开都已完成的已表决议题 ÷ 已表决议题（不限期间）",
                "decided issues that went through proposal, consultation, review, decision, decision notice and result notice ÷ decided issues (any date)",
            ),
        ));
    }
    out.extend(seat_figures(r, config, zh));
    out
}

impl<'a> Figure<'a> {
    /// A figure with its label and definition in the report's language: (Chinese, English).
    fn new(
        zh: bool,
        label: (&str, &str),
        value: Value<'a>,
        definition: (&str, &str),
    ) -> Figure<'a> {
        let pick = |(z, e): (&str, &str)| (if zh { z } else { e }).to_string();
        Figure {
            label: pick(label),
            value,
            definition: pick(definition),
        }
    }
}

/// Issues, the days they take, meetings, attendance and participation.
fn issue_figures<'a>(r: &'a Report, zh: bool) -> Vec<Figure<'a>> {
    let f = |z: &str, e: &str, value: Value<'a>, dz: &str, de: &str| {
        Figure::new(zh, (z, e), value, (dz, de))
    };
    vec![
        f(
            "议题总数",
            "issues",
            Value::Count(r.issues_total),
            "期间内提出的议题",
            "issues raised in the period",
        ),
        f(
            "提出至表决（中位天数）",
            "days to decision (median)",
            Value::Number(r.median_days_to_decision),
            "提出日期到表决日期的天数的中位数",
            "median days from raised to decided",
        ),
        f(
            "表决至办结（中位天数）",
            "days to completion (median)",
            Value::Number(r.median_days_to_completion),
            "表决日期到最后一项落实完成的天数的中位数",
            "median days from decided to the last action done",
        ),
        f(
            "召开议事会",
            "meetings held",
            Value::Count(r.meetings_held),
            "已散会的会议",
            "closed meetings",
        ),
        f(
            "出席率",
            "attendance rate",
            Value::Rate(&r.attendance),
            "实到（含委托）÷ 应到有表决权成员",
            "present (incl. proxies) ÷ invited voting members",
        ),
        f(
            "居民参与率",
            "participation rate",
            Value::Rate(&r.participation),
            "提出议题或参与评议的不同居民 ÷ 社区常住人口（社区登记数）",
            "distinct residents who raised an issue or gave feedback ÷ the community's registered population",
        ),
    ]
}

/// What residents said (awareness, satisfaction) and how the actions stand.
fn follow_through_figures<'a>(r: &'a Report, zh: bool) -> Vec<Figure<'a>> {
    let f = |z: &str, e: &str, value: Value<'a>, dz: &str, de: &str| {
        Figure::new(zh, (z, e), value, (dz, de))
    };
    vec![
        f(
            "知晓率",
            "awareness rate",
            Value::Rate(&r.awareness),
            "回答“知晓”的评议 ÷ 回答了知晓情况的评议",
            "feedback answering aware = yes ÷ feedback with an answer",
        ),
        f(
            "满意度",
            "satisfaction rate",
            Value::Rate(&r.satisfaction),
            "4–5 分 ÷ 有效评分",
            "scores 4–5 ÷ valid scores",
        ),
        f(
            "平均满意分",
            "mean satisfaction",
            Value::Number(r.mean_satisfaction),
            "有效评分的平均值（1–5）",
            "mean of valid scores (1–5)",
        ),
        f(
            "按期完成事项",
            "actions done on time",
            Value::Count(r.actions_done_on_time),
            "在完成时限内完成（时限调整过的，以调整后的时限为准）",
            "done by the due date (the date in force, when it was moved)",
        ),
        f(
            "逾期完成事项",
            "actions done late",
            Value::Count(r.actions_done_late),
            "完成晚于时限",
            "done after the due date",
        ),
        f(
            "逾期未完成事项",
            "actions overdue",
            Value::Count(r.actions_overdue),
            "已过时限仍未完成",
            "past due and not done",
        ),
        f(
            "进行中事项",
            "actions open",
            Value::Count(r.actions_open),
            "未到时限、未完成",
            "not done, not yet due",
        ),
    ]
}

/// 答复率: the residents who raised an issue were told, in all and per step, and how soon.
fn reply_figures<'a>(r: &'a Report, config: &Config, zh: bool) -> Vec<Figure<'a>> {
    let f = |z: &str, e: &str, value: Value<'a>, dz: &str, de: &str| {
        Figure::new(zh, (z, e), value, (dz, de))
    };
    let mut out = Vec::new();
    out.push(f(
        "答复率",
        "reply rate",
        Value::Rate(&r.reply_rate),
        "已答复居民的步骤 ÷ 有提出人的议题到达的步骤（受理、不予受理、决议、结果）",
        "steps whose residents were told ÷ steps reached by issues with a submitter (acceptance, rejection, decision, result)",
    ));
    for s in &r.replies {
        let step = s.step.label(config.locale);
        out.push(Figure {
            label: format!("{}: {step}", if zh { "答复率" } else { "reply rate" }),
            value: Value::Rate(&s.rate),
            definition: (if zh { "按步骤" } else { "by step" }).to_string(),
        });
    }
    out.push(f(
        "到达步骤至答复（中位天数）",
        "days to reply (median)",
        Value::Number(r.median_days_to_reply),
        "议题到达某一步（受理、决议等）到答复居民的天数的中位数",
        "median days from a step (acceptance, decision, ...) to the residents' reply",
    ));
    out
}

/// Attendance per seat, the seats in their configured order.
fn seat_figures<'a>(r: &'a Report, config: &Config, zh: bool) -> Vec<Figure<'a>> {
    let mut out = Vec::new();
    // The seats in their configured order (the six standing seats first), not by key.
    let configured: Vec<String> = config.seats.iter().map(|s| s.key.clone()).collect();
    let mut seats: Vec<_> = r.attendance_by_seat.iter().collect();
    seats.sort_by_key(|s| {
        configured
            .iter()
            .position(|k| *k == s.seat)
            .unwrap_or(usize::MAX)
    });
    for s in seats {
        out.push(Figure {
            label: format!(
                "{}: {}",
                if zh { "出席率" } else { "attendance" },
                config.seat_label(&s.seat, config.locale)
            ),
            value: Value::Rate(&s.rate),
            definition: (if zh { "按席位" } else { "by seat" }).to_string(),
        });
    }
    out
}

/// (label, value, definition) rows as text, shared by the text, CSV and HTML formats.
pub fn rows(r: &Report, config: &Config, cycle: Option<&Rate>) -> Vec<(String, String, String)> {
    figures(r, config, cycle)
        .into_iter()
        .map(|f| (f.label, f.value.shown(), f.definition))
        .collect()
}

/// What a breakdown of the issues counts by; it decides how its keys read.
#[derive(Clone, Copy)]
enum Breakdown {
    Status,
    Category,
    /// offline / interview / online, and "other" for words in no group.
    ChannelGroup,
    /// The community's own channel words.
    Channel,
}

impl Breakdown {
    fn label(self, key: &str, locale: Locale) -> String {
        if key.is_empty() {
            return match self {
                Breakdown::Category => locale.pick("未分类", "Uncategorised"),
                _ => "—",
            }
            .into();
        }
        match self {
            Breakdown::Status => Status::from_key(key).map_or(key, |s| s.label(locale)),
            Breakdown::Category => issue::category_label(key, locale),
            Breakdown::ChannelGroup => {
                Channel::from_key(key).map_or(locale.pick("其他", "other"), |c| c.label(locale))
            }
            Breakdown::Channel => issue::channel_label(key, locale),
        }
        .to_string()
    }
}

pub fn text(r: &Report, config: &Config) -> String {
    let zh = config.locale == Locale::ZhCn;
    let mut t = super::table::new(
        if zh {
            &["指标", "数值", "口径"]
        } else {
            &["figure", "value", "definition"]
        },
        false,
    );
    // The 四议两公开 count follows the table as its own line (cli adds it).
    for (a, b, c) in rows(r, config, None) {
        super::table::row(&mut t, vec![a, b, c]);
    }
    let mut out = String::new();
    if r.from.is_some() || r.to.is_some() {
        out.push_str(&format!(
            "{} – {}\n",
            r.from.as_deref().unwrap_or("…"),
            r.to.as_deref().unwrap_or("…")
        ));
    }
    out.push_str(&format!("{t}\n"));
    // Channels twice: by report group, and by the community's own words.
    let channel_groups = config.channels.group_counts(&r.issues_by_channel);
    let groups: [(&str, Breakdown, &BTreeMap<String, u64>); 4] = [
        (
            if zh { "按状态" } else { "by status" },
            Breakdown::Status,
            &r.issues_by_status,
        ),
        (
            if zh { "按类别" } else { "by category" },
            Breakdown::Category,
            &r.issues_by_category,
        ),
        (
            if zh {
                "按渠道类别"
            } else {
                "by channel group"
            },
            Breakdown::ChannelGroup,
            &channel_groups,
        ),
        (
            if zh { "按渠道" } else { "by channel" },
            Breakdown::Channel,
            &r.issues_by_channel,
        ),
    ];
    for (name, by, map) in groups {
        let parts: Vec<String> = map
            .iter()
            .map(|(k, v)| format!("{} {v}", by.label(k, config.locale)))
            .collect();
        out.push_str(&format!("{name}: {}\n", parts.join(", ")));
    }
    let e = r.escalations;
    if e.raised + e.answered + e.waiting > 0 {
        out.push_str(&if zh {
            format!(
                "上报街道: 上报 {}，获答复 {}，待答复 {}\n",
                e.raised, e.answered, e.waiting
            )
        } else {
            format!(
                "escalated to the street: {} raised, {} answered, {} waiting\n",
                e.raised, e.answered, e.waiting
            )
        });
    }
    out
}

pub fn csv(r: &Report, config: &Config, cycle: &Rate) -> String {
    let mut out = String::from("figure,value,definition\n");
    for (a, b, c) in rows(r, config, Some(cycle)) {
        out.push_str(&format!(
            "{},{},{}\n",
            csv_cell(&a),
            csv_cell(&b),
            csv_cell(&c)
        ));
    }
    let channel_groups = config.channels.group_counts(&r.issues_by_channel);
    for (group, map) in [
        ("status", &r.issues_by_status),
        ("category", &r.issues_by_category),
        ("channel group", &channel_groups),
        ("channel", &r.issues_by_channel),
    ] {
        for (k, v) in map {
            out.push_str(&format!(
                "{},{v},{}\n",
                csv_cell(&format!("issues by {group}: {k}")),
                csv_cell("count")
            ));
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A horizontal bar chart as inline SVG: no script, no network. `scale` is the value of a
/// full bar (1.0 for rates, so 89% looks like 89%); None scales to the largest value. A value
/// too small to see as a bar is shown by its label alone, never as a sliver.
fn bars(title: &str, data: &[(String, f64, String)], scale: Option<f64>) -> String {
    let max = scale
        .unwrap_or_else(|| data.iter().map(|d| d.1).fold(0.0, f64::max))
        .max(1e-9);
    let (row_h, label_w, bar_w) = (17.0, 96.0, 150.0);
    let height = data.len() as f64 * row_h + 4.0;
    let mut svg = format!(
        "<figure><figcaption>{}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 300 {height}\" width=\"300\" height=\"{height}\" role=\"img\" aria-label=\"{}\">",
        esc(title),
        esc(title)
    );
    for (i, (label, value, shown)) in data.iter().enumerate() {
        let y = i as f64 * row_h + 2.0;
        let w = (value / max).min(1.0) * bar_w;
        svg.push_str(&format!(
            "<text x=\"0\" y=\"{:.0}\" font-size=\"10\">{}</text>",
            y + 11.0,
            esc(label)
        ));
        let text_x = if w >= 2.0 {
            svg.push_str(&format!(
                "<rect x=\"{label_w}\" y=\"{y:.0}\" width=\"{w:.1}\" height=\"12\" fill=\"#4a6fa5\"/>"
            ));
            label_w + w + 4.0
        } else {
            label_w
        };
        svg.push_str(&format!(
            "<text x=\"{text_x:.1}\" y=\"{:.0}\" font-size=\"10\">{}</text>",
            y + 11.0,
            esc(shown)
        ));
    }
    svg.push_str("</svg></figure>\n");
    svg
}

/// The period as a title shows it: 2026年5月12日至2026年8月25日.
pub fn period(from: &str, to: &str, zh: bool) -> String {
    let (f, t) = (super::words::day(from, zh), super::words::day(to, zh));
    if zh {
        format!("{f}至{t}")
    } else {
        format!("{f} to {t}")
    }
}

/// The report as one A4 page of figures and charts, then the resolutions with their owner,
/// due date, progress and residents' satisfaction. `period` goes in the title.
/// 填报单位（盖章）：…　负责人：…　填报人：…　填报日期：…: the line a report sent to the street
/// office is sealed and signed on.
pub fn seal_line(config: &Config, made: &str, zh: bool) -> String {
    let unit = super::notice::signer(config, zh);
    let day = super::words::day(made, zh);
    if zh {
        format!(
            "填报单位（盖章）：{unit}　　负责人：＿＿＿＿　　填报人：＿＿＿＿　　填报日期：{day}"
        )
    } else {
        format!(
            "Reporting unit (seal): {unit}    Head: ________    Prepared by: ________    Date: {day}"
        )
    }
}

/// The due date in force, and the one set at the vote when it was moved:
/// 2026年11月30日（原定2026年10月31日）.
fn due_shown(p: &crate::domain::ledger::ResolutionProgress, zh: bool) -> String {
    let Some(due) = p.due.as_deref() else {
        return "—".into();
    };
    let day = super::words::day(due, zh);
    match p.due_set.as_deref() {
        Some(set) if set != due => {
            if zh {
                format!("{day}（原定{}）", super::words::day(set, true))
            } else {
                format!("{day} (moved from {})", super::words::day(set, false))
            }
        }
        _ => day,
    }
}

/// How a resolution stands against its due date in force on `today`: 按期完成, 逾期完成,
/// 60%（已逾期）, 60%.
fn standing(p: &crate::domain::ledger::ResolutionProgress, today: &str, zh: bool) -> String {
    let due = p.due.as_deref();
    let all_done = p.actions > 0 && p.actions_done == p.actions;
    if all_done {
        let late = matches!((p.done_on.as_deref(), due), (Some(d), Some(due)) if d > due);
        return match (late, zh) {
            (false, true) => "按期完成".into(),
            (true, true) => "逾期完成".into(),
            (false, false) => "done on time".into(),
            (true, false) => "done late".into(),
        };
    }
    let progress = p.progress.map_or("—".into(), |x| format!("{x:.0}%"));
    match (due.is_some_and(|d| d < today), zh) {
        (true, true) => format!("{progress}（已逾期）"),
        (true, false) => format!("{progress} (overdue)"),
        (false, _) => progress,
    }
}

pub fn html(
    r: &Report,
    config: &Config,
    cycle: &Rate,
    period: Option<&str>,
    resolutions: &[crate::domain::ledger::ResolutionProgress],
    today: &str,
) -> String {
    let zh = config.locale == Locale::ZhCn;
    let title = if zh {
        format!("{}居民议事工作报告", config.community)
    } else {
        format!("Residents' council report of {}", config.community)
    };
    let mut body = String::new();
    body.push_str(&format!("<h1>{}</h1>\n", esc(&title)));
    if let Some(p) = period {
        body.push_str(&format!(
            "<p class=\"period\">{}{}</p>\n",
            if zh { "统计期间：" } else { "Period: " },
            esc(p)
        ));
    }
    body.push_str(&html_figures(r, config, cycle, zh));
    body.push_str("</tbody></table>\n<div class=\"charts\">\n");
    body.push_str(&html_charts(r, config, zh));
    body.push_str("</div>\n");
    body.push_str(&html_resolutions(resolutions, today, zh));
    body.push_str(&format!(
        "<p class=\"seal\">{}</p>\n",
        esc(&seal_line(config, today, zh))
    ));
    html_page(&title, &body, zh)
}

/// The figures' table, up to its last row (the caller closes it).
fn html_figures(r: &Report, config: &Config, cycle: &Rate, zh: bool) -> String {
    let mut body = String::new();
    body.push_str(&format!(
        "<table class=\"figures\"><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
        if zh { "指标" } else { "Figure" },
        if zh { "数值" } else { "Value" },
        if zh { "口径" } else { "Definition" }
    ));
    for (a, b, c) in rows(r, config, Some(cycle)) {
        body.push_str(&format!(
            "<tr><td class=\"name\">{}</td><td class=\"value\">{}</td><td class=\"def\">{}</td></tr>\n",
            esc(&a),
            esc(&b),
            esc(&c)
        ));
    }
    body
}

/// The bar charts: the main rates, and the issues by status, category, channel group and
/// channel.
fn html_charts(r: &Report, config: &Config, zh: bool) -> String {
    let mut body = String::new();
    let rates: Vec<(String, f64, String)> = [
        (if zh { "出席率" } else { "Attendance" }, &r.attendance),
        (
            if zh { "参与率" } else { "Participation" },
            &r.participation,
        ),
        (if zh { "知晓率" } else { "Awareness" }, &r.awareness),
        (if zh { "满意度" } else { "Satisfaction" }, &r.satisfaction),
    ]
    .iter()
    .map(|(l, x)| (l.to_string(), x.rate.unwrap_or(0.0), pct(x)))
    .collect();
    body.push_str(&bars(
        if zh { "主要比率" } else { "Rates" },
        &rates,
        Some(1.0),
    ));
    let to_data = |by: Breakdown, map: &BTreeMap<String, u64>| -> Vec<(String, f64, String)> {
        map.iter()
            .map(|(k, v)| (by.label(k, config.locale), *v as f64, v.to_string()))
            .collect()
    };
    for (z, e, by, map) in [
        (
            "议题状态",
            "Issues by status",
            Breakdown::Status,
            &r.issues_by_status,
        ),
        (
            "议题类别",
            "Issues by category",
            Breakdown::Category,
            &r.issues_by_category,
        ),
        (
            "渠道类别",
            "Issues by channel group",
            Breakdown::ChannelGroup,
            &config.channels.group_counts(&r.issues_by_channel),
        ),
        (
            "收集渠道",
            "Issues by channel",
            Breakdown::Channel,
            &r.issues_by_channel,
        ),
    ] {
        body.push_str(&bars(if zh { z } else { e }, &to_data(by, map), None));
    }
    body
}

/// The resolutions with owner, due date, progress and satisfaction; nothing without any.
fn html_resolutions(
    resolutions: &[crate::domain::ledger::ResolutionProgress],
    today: &str,
    zh: bool,
) -> String {
    let mut body = String::new();
    if !resolutions.is_empty() {
        body.push_str(&format!(
            "<h2>{}</h2>\n<table class=\"resolutions\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>\n",
            if zh { "决议落实情况" } else { "Resolutions and their results" },
            if zh { "议题" } else { "Issue" },
            if zh { "决议事项" } else { "Resolution" },
            if zh { "责任人" } else { "Owner" },
            if zh { "完成时限" } else { "Due" },
            if zh { "进度" } else { "Progress" },
            if zh { "满意度" } else { "Satisfaction" },
        ));
        for p in resolutions {
            let progress = standing(p, today, zh);
            let satisfaction = match p.satisfaction {
                Some(m) if zh => format!("{m:.1}分（{}份）", p.scores),
                Some(m) => format!("{m:.1} ({} scores)", p.scores),
                None => "—".into(),
            };
            body.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td class=\"value\">{}</td><td class=\"value\">{}</td><td class=\"value\">{}</td><td class=\"value\">{}</td></tr>\n",
                // The title, then its number in words: 「#1 3号楼…」 would read as #13.
                if zh {
                    format!("{}（{}）", esc(&p.issue_title), super::words::issue_ref(p.issue_id, true))
                } else {
                    format!("{} ({})", esc(&p.issue_title), super::words::issue_ref(p.issue_id, false))
                },
                esc(&p.text),
                esc(p.owner.as_deref().unwrap_or("—")),
                esc(&due_shown(p, zh)),
                esc(&progress),
                esc(&satisfaction),
            ));
        }
        body.push_str("</tbody></table>\n");
    }
    body
}

/// The whole page: A4, its fonts and styles, the body.
fn html_page(title: &str, body: &str, zh: bool) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n@page {{ size: A4; margin: 14mm 15mm; }}\nbody {{ font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", \"PingFang SC\", sans-serif; font-size: 9.5pt; max-width: 180mm; margin: auto; }}\nh1 {{ font-size: 16pt; text-align: center; margin: 0 0 1mm; }}\np.period {{ text-align: center; margin: 0 0 3mm; }}\nh2 {{ font-size: 12pt; page-break-before: always; margin: 0 0 3mm; }}\ntable {{ border-collapse: collapse; width: 100%; }}\nth, td {{ border: 1px solid #444; padding: 1px 5px; text-align: left; vertical-align: top; line-height: 1.35; }}\nth {{ background: #eee; }}\nthead {{ display: table-header-group; }}\ntr {{ page-break-inside: avoid; }}\ntd.name, td.value {{ white-space: nowrap; }}\ntd.def {{ color: #444; font-size: 8.5pt; }}\n.charts {{ display: grid; grid-template-columns: 1fr 1fr; gap: 1mm 6mm; margin-top: 3mm; }}\nfigure {{ margin: 1mm 0; page-break-inside: avoid; }}\nfigcaption {{ font-weight: bold; margin-bottom: 1mm; }}\np.seal {{ margin-top: 10mm; line-height: 3; page-break-inside: avoid; }}\n</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        if zh { "zh-CN" } else { "en" },
        esc(title),
        body
    )
}

/// The report as an Excel workbook (the ledger's writer): the figures with numbers as numbers
/// and rates as percentages beside their numerator and denominator, the issues by status,
/// category and channel, and the resolutions with owner, due date, progress and satisfaction.
pub fn xlsx(
    r: &Report,
    config: &Config,
    cycle: &Rate,
    period: Option<&str>,
    resolutions: &[crate::domain::ledger::ResolutionProgress],
    made: &str,
    created: chrono::DateTime<chrono::Utc>,
) -> crate::error::Result<Vec<u8>> {
    use super::xlsx::Sheet;
    let zh = config.locale == Locale::ZhCn;
    let h = |pairs: &[(&str, &str)]| -> Vec<String> {
        pairs
            .iter()
            .map(|(z, e)| (if zh { *z } else { *e }).to_string())
            .collect()
    };
    let figure_rows = xlsx_figure_rows(r, config, cycle, period, zh);
    let breakdown_rows = xlsx_breakdown_rows(r, config, zh);
    let resolution_rows = xlsx_resolution_rows(resolutions, made, zh);
    let heading = xlsx_heading(config, period, made, created, zh);
    super::xlsx::write(
        &[
            Sheet {
                name: (if zh { "指标" } else { "Figures" }).into(),
                header: h(&[
                    ("指标", "Figure"),
                    ("数值", "Value"),
                    ("分子", "Numerator"),
                    ("分母", "Denominator"),
                    ("口径", "Definition"),
                ]),
                rows: figure_rows,
            },
            Sheet {
                name: (if zh { "议题分类" } else { "Issues" }).into(),
                header: h(&[("分组", "Grouped"), ("项目", "Item"), ("议题数", "Issues")]),
                rows: breakdown_rows,
            },
            Sheet {
                name: (if zh { "决议落实" } else { "Resolutions" }).into(),
                header: h(&[
                    ("议题编号", "Issue no."),
                    ("议题", "Issue"),
                    ("决议事项", "Resolution"),
                    ("责任人", "Owner"),
                    ("完成时限", "Due"),
                    ("原定时限", "Due as set"),
                    ("进度", "Progress"),
                    ("落实情况", "Standing"),
                    ("平均满意分", "Mean satisfaction"),
                    ("评分份数", "Scores"),
                ]),
                rows: resolution_rows,
            },
        ],
        &heading,
    )
}

/// The 指标 sheet's rows: the period, then each figure with a rate's numerator and denominator.
fn xlsx_figure_rows(
    r: &Report,
    config: &Config,
    cycle: &Rate,
    period: Option<&str>,
    zh: bool,
) -> Vec<Vec<super::xlsx::Cell>> {
    use super::xlsx::Cell;
    let mut figure_rows: Vec<Vec<Cell>> = Vec::new();
    if let Some(p) = period {
        figure_rows.push(vec![
            Cell::text(if zh { "统计期间" } else { "period" }),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::text(p),
        ]);
    }
    for f in figures(r, config, Some(cycle)) {
        let (value, parts) = match f.value {
            Value::Count(n) => (Cell::Number(n as f64), [Cell::Empty, Cell::Empty]),
            Value::Number(x) => (
                x.map_or(Cell::Empty, Cell::Decimal),
                [Cell::Empty, Cell::Empty],
            ),
            Value::Rate(x) => (
                x.rate.map_or(Cell::Empty, Cell::Percent),
                [
                    Cell::Number(x.numerator as f64),
                    Cell::Number(x.denominator as f64),
                ],
            ),
        };
        let [num, den] = parts;
        figure_rows.push(vec![
            Cell::Text(f.label),
            value,
            num,
            den,
            Cell::Text(f.definition),
        ]);
    }
    figure_rows
}

/// The 议题分类 sheet's rows: the issue counts by status, category, channel group and channel.
fn xlsx_breakdown_rows(r: &Report, config: &Config, zh: bool) -> Vec<Vec<super::xlsx::Cell>> {
    use super::xlsx::Cell;
    let mut breakdown_rows = Vec::new();
    let channel_groups = config.channels.group_counts(&r.issues_by_channel);
    for (z, e, by, map) in [
        (
            "议题状态",
            "by status",
            Breakdown::Status,
            &r.issues_by_status,
        ),
        (
            "议题类别",
            "by category",
            Breakdown::Category,
            &r.issues_by_category,
        ),
        (
            "渠道类别",
            "by channel group",
            Breakdown::ChannelGroup,
            &channel_groups,
        ),
        (
            "收集渠道",
            "by channel",
            Breakdown::Channel,
            &r.issues_by_channel,
        ),
    ] {
        for (k, v) in map {
            breakdown_rows.push(vec![
                Cell::text(if zh { z } else { e }),
                Cell::text(by.label(k, config.locale)),
                Cell::Number(*v as f64),
            ]);
        }
    }
    breakdown_rows
}

/// The 决议落实 sheet's rows: one per resolution, with its progress and satisfaction.
fn xlsx_resolution_rows(
    resolutions: &[crate::domain::ledger::ResolutionProgress],
    made: &str,
    zh: bool,
) -> Vec<Vec<super::xlsx::Cell>> {
    use super::xlsx::Cell;
    resolutions
        .iter()
        .map(|p| {
            vec![
                Cell::Number(p.issue_id as f64),
                Cell::text(p.issue_title.clone()),
                Cell::text(p.text.clone()),
                p.owner.as_deref().map_or(Cell::Empty, Cell::text),
                Cell::opt_day(p.due.as_deref()),
                match p.due_set.as_deref() {
                    Some(set) if Some(set) != p.due.as_deref() => Cell::Day(set.to_string()),
                    _ => Cell::Empty,
                },
                p.progress.map_or(Cell::Empty, |x| Cell::Percent(x / 100.0)),
                Cell::text(standing(p, made, zh)),
                p.satisfaction.map_or(Cell::Empty, Cell::Decimal),
                Cell::Number(p.scores as f64),
            ]
        })
        .collect()
}

/// The workbook's heading: the signing unit, the title, the period and the seal line.
fn xlsx_heading(
    config: &Config,
    period: Option<&str>,
    made: &str,
    created: chrono::DateTime<chrono::Utc>,
    zh: bool,
) -> super::xlsx::Heading {
    super::xlsx::Heading {
        unit: super::notice::signer(config, zh),
        title: (if zh {
            "居民议事工作统计报表"
        } else {
            "Residents' council report"
        })
        .into(),
        period: period.map(|p| {
            if zh {
                format!("统计期间：{p}")
            } else {
                format!("Period: {p}")
            }
        }),
        made: made.to_string(),
        created,
        zh,
        seal: Some(seal_line(config, made, zh)),
    }
}
