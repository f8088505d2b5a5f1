//! The yearly ledger (台账) as an Excel workbook: 议题, 会议, 决议, 落实, 评议, one sheet each,
//! with Chinese (or English) headers and values. Residents' names are masked unless
//! --show-contacts, as everywhere.

use super::xlsx::{Cell, Sheet};
use super::{Output, words};
use crate::config::{Config, Locale};
use crate::domain::issue::{category_label, channel_label};
use crate::store::ledger::Ledger;

fn h(zh: bool, pairs: &[(&str, &str)]) -> Vec<String> {
    pairs
        .iter()
        .map(|(z, e)| (if zh { *z } else { *e }).to_string())
        .collect()
}

fn opt(s: &Option<String>) -> Cell {
    s.as_deref().map_or(Cell::Empty, Cell::text)
}

pub fn sheets(l: &Ledger, config: &Config, locale: Locale, out: &Output) -> Vec<Sheet> {
    let zh = locale == Locale::ZhCn;
    let category = |c: &Option<String>| {
        c.as_deref()
            .map_or(Cell::Empty, |c| Cell::text(category_label(c, locale)))
    };
    let issues = Sheet {
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
                    Cell::text(i.status.label(locale)),
                ]
            })
            .collect(),
    };
    let meetings = Sheet {
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
                    Cell::Number(m.items as f64),
                    Cell::text(m.status.label(locale)),
                ]
            })
            .collect(),
    };
    let resolutions = Sheet {
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
                ]
            })
            .collect(),
    };
    let actions = Sheet {
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
                ]
            })
            .collect(),
    };
    let yes_no = |b: Option<bool>| match (b, zh) {
        (Some(true), true) => Cell::text("知晓"),
        (Some(false), true) => Cell::text("不知晓"),
        (Some(true), false) => Cell::text("yes"),
        (Some(false), false) => Cell::text("no"),
        (None, _) => Cell::Empty,
    };
    let feedback = Sheet {
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
    };
    let _ = config;
    vec![issues, meetings, resolutions, actions, feedback]
}
