//! The blank sign-in sheet (签到表) printed before a meeting: everyone invited, by seat, with
//! room to write the time and sign, and blank rows for walk-ins and proxies. Nothing is
//! pre-filled: who came is recorded afterwards with `council attend` and shown in the minutes.

use super::doc::{Block, Doc, Table};
use super::words;
use crate::config::{Config, Locale};
use crate::domain::record::MeetingRecord;
use crate::error::Result;
use serde::Serialize;
use std::collections::BTreeMap;

pub const HTML_TEMPLATE: &str = include_str!("../../../../templates/signin.html.j2");

#[derive(Debug, Serialize)]
pub struct SigninView {
    pub lang: &'static str,
    /// 汀塘社区第1次居民议事会签到表.
    pub title: String,
    pub meeting_name: String,
    /// The line under the title: the meeting, when the title does not name it.
    pub subtitle: Option<String>,
    /// 2026年12月1日（星期二）19:30.
    pub when: String,
    pub place: String,
    pub rows: Vec<SigninRow>,
    /// Empty rows after the invited, numbered on.
    pub blank_rows: Vec<u32>,
    pub t: BTreeMap<&'static str, &'static str>,
}

#[derive(Debug, Serialize)]
pub struct SigninRow {
    pub number: u32,
    pub name: String,
    pub seat: String,
    /// A stakeholder's agenda item (议题1), printed under Notes.
    pub remark: String,
}

fn labels(zh: bool) -> BTreeMap<&'static str, &'static str> {
    let pairs: &[(&str, &str, &str)] = &[
        ("no", "序号", "No"),
        ("name", "姓名", "Name"),
        ("seat", "席位", "Seat"),
        ("time", "签到时间", "Time"),
        ("signature", "签名", "Signature"),
        ("remark", "备注", "Notes"),
        ("when", "时间：", "Time: "),
        ("place", "地点：", "Place: "),
        (
            "hint",
            "委托他人代为表决的，请在备注栏注明委托人并附书面委托书；未受邀到会的居民请在空白行登记。",
            "Proxies: write whom you represent under Notes and attach the written authorisation; residents not invited sign on the blank rows.",
        ),
        ("chair", "主持人（签名）：", "Chair: "),
        ("recorder", "记录人（签名）：", "Recorder: "),
    ];
    pairs
        .iter()
        .map(|(k, z, e)| (*k, if zh { *z } else { *e }))
        .collect()
}

pub fn build(rec: &MeetingRecord, config: &Config, locale: Locale, blank: u32) -> SigninView {
    let zh = locale == Locale::ZhCn;
    let m = &rec.meeting;
    let mut people: Vec<_> = rec.participants.iter().collect();
    let configured: Vec<String> = config.seats.iter().map(|s| s.key.clone()).collect();
    people.sort_by_key(|p| {
        (
            crate::domain::record::seat_order(&p.seat, p.role, &configured),
            p.id,
        )
    });
    let rows: Vec<SigninRow> = people
        .iter()
        .enumerate()
        .map(|(i, p)| SigninRow {
            number: i as u32 + 1,
            name: p.name.clone(),
            // A table cell starts with a capital: "Women's representative".
            seat: words::capitalised(&words::seat_of_one(config, &p.seat, zh)),
            remark: items_remark(&p.items, zh),
        })
        .collect();
    let first_blank = rows.len() as u32 + 1;
    // A short title keeps the sheet on one A4 page in English too; the meeting goes below it
    // (its own name only when it is not the usual 汀塘社区第1次居民议事会).
    let usual_name = format!(
        "{}{}居民议事会",
        config.community,
        words::meeting_number(m.number, true)
    );
    let (title, subtitle) = if zh {
        let title = format!("{usual_name}签到表");
        let subtitle = (!title.contains(&m.title)).then(|| m.title.clone());
        (title, subtitle)
    } else {
        let council = format!(
            "{} residents' council of {}",
            words::meeting_number(m.number, false),
            config.community
        );
        let subtitle = if m.title == usual_name {
            council
        } else {
            format!("{council} · {}", m.title)
        };
        ("Sign-in sheet".to_string(), Some(subtitle))
    };
    SigninView {
        lang: if zh { "zh-CN" } else { "en" },
        title: title.clone(),
        subtitle,
        meeting_name: m.title.clone(),
        when: words::long_datetime(&m.starts_at, zh),
        place: m.place.clone(),
        rows,
        blank_rows: (first_blank..first_blank + blank).collect(),
        t: labels(zh),
    }
}

pub fn html(view: &SigninView) -> Result<String> {
    super::doc::render_template(
        view,
        "signin.html",
        HTML_TEMPLATE,
        super::doc::Markup::Html,
        None,
    )
}

pub fn docx(view: &SigninView) -> Result<Vec<u8>> {
    let t = &view.t;
    let mut rows: Vec<Vec<String>> = view
        .rows
        .iter()
        .map(|r| {
            vec![
                r.number.to_string(),
                r.name.clone(),
                r.seat.clone(),
                String::new(),
                String::new(),
                r.remark.clone(),
            ]
        })
        .collect();
    rows.extend(view.blank_rows.iter().map(|n| {
        vec![
            n.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]
    }));
    // The chair's and recorder's lines and the hint go above the table: a sheet of any length
    // then never ends with a page that holds only the signature lines (rows of a long table
    // are not kept with what follows them in every word processor).
    let blocks = vec![
        Block::Field(t["when"].to_string(), view.when.clone()),
        Block::Field(t["place"].to_string(), view.place.clone()),
        Block::Field(
            String::new(),
            // One line in either language: full-width blanks in Chinese, ASCII in English.
            if view.lang == "zh-CN" {
                format!("{}＿＿＿＿　{}＿＿＿＿", t["chair"], t["recorder"])
            } else {
                format!("{}__________   {}__________", t["chair"], t["recorder"])
            },
        ),
        Block::Note(t["hint"].to_string()),
        Block::Table(Table {
            header: ["no", "name", "seat", "time", "signature", "remark"]
                .iter()
                .map(|k| t[k].to_string())
                .collect(),
            // English seats ("Social organisations") need the room that Chinese names do not;
            // names stay wide enough for a stakeholder's four to six characters.
            widths: if view.lang == "zh-CN" {
                vec![9, 25, 22, 16, 15, 13]
            } else {
                vec![7, 16, 38, 10, 17, 12]
            },
            rows,
            tall_rows: true,
        }),
    ];
    super::docx::write(&Doc {
        lang_zh: view.lang == "zh-CN",
        title: view.title.clone(),
        subtitle: view.subtitle.clone(),
        draft: false,
        anchor: None,
        blocks,
    })
}

/// The items a stakeholder is invited for: 议题1、2 / Issues 1, 2.
fn items_remark(items: &[i64], zh: bool) -> String {
    let numbers: Vec<String> = items.iter().map(|i| i.to_string()).collect();
    match (items.len(), zh) {
        (0, _) => String::new(),
        (_, true) => format!("议题{}", numbers.join("、")),
        (1, false) => format!("Issue {}", numbers[0]),
        (_, false) => format!("Issues {}", numbers.join(", ")),
    }
}
