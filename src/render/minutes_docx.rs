//! The minutes as a Word document for the street office: the same `Minutes` view as the
//! templates, laid out as blocks (GB/T 9704 style: 一、二、 section headings, 仿宋 body),
//! ending with the chair's and recorder's signature lines and the sign-in record as appendix.

use super::doc::{Block, Doc, Table};
use super::minutes::Minutes;
use crate::error::Result;

const ZH_NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// 一、 / 1.  for section headings; （一） / 1.1 for items.
fn section(n: usize, zh: bool, text: &str) -> String {
    match (zh, ZH_NUMERALS.get(n - 1)) {
        (true, Some(z)) => format!("{z}、{text}"),
        _ => format!("{n}. {text}"),
    }
}

fn item_heading(n: usize, zh: bool, text: &str) -> String {
    match (zh, ZH_NUMERALS.get(n - 1)) {
        (true, Some(z)) => format!("（{z}）{text}"),
        _ => format!("({n}) {text}"),
    }
}

pub fn docx(m: &Minutes) -> Result<Vec<u8>> {
    let zh = m.lang == "zh-CN";
    let t = &m.t;
    let c = t["colon"];
    let mut b = Vec::new();
    let meeting = &m.meeting;
    let time = format!(
        "{}{}{}{}",
        meeting.day,
        if zh { "" } else { " " },
        meeting.opened_at.as_deref().unwrap_or(&meeting.start),
        meeting
            .ended_at
            .as_deref()
            .map(|e| format!("–{e}"))
            .unwrap_or_default()
    );
    b.push(Block::Field(format!("{}{c}", t["time"]), time));
    b.push(Block::Field(
        format!("{}{c}", t["place"]),
        meeting.place.clone(),
    ));
    b.push(Block::Field(
        format!("{}{c}", t["chair"]),
        meeting.chair.clone().unwrap_or_else(|| t["none"].into()),
    ));
    b.push(Block::Field(
        format!("{}{c}", t["recorder"]),
        meeting.recorder.clone().unwrap_or_else(|| t["none"].into()),
    ));
    if meeting.urgent {
        b.push(Block::Para(t["urgent"].into()));
    }

    let mut n = 1;
    b.push(Block::Heading(section(n, zh, t["attendance"])));
    let a = &m.attendance;
    b.push(Block::Para(if zh {
        format!(
            "应到{}人，实到{}人，缺席{}人，列席{}人。法定人数：{}（{}/{}，需{}人），{}。",
            a.expected,
            a.present,
            a.absent,
            a.observers,
            meeting.quorum_rule,
            a.quorum_present,
            a.quorum_base,
            a.quorum_needed,
            if a.quorum_met {
                "已达到法定人数"
            } else {
                "未达到法定人数"
            }
        )
    } else {
        format!(
            "Expected {}, present {}, absent {}, observers {}. Quorum: {} ({}/{}, {} needed): {}.",
            a.expected,
            a.present,
            a.absent,
            a.observers,
            meeting.quorum_rule,
            a.quorum_present,
            a.quorum_base,
            a.quorum_needed,
            if a.quorum_met { "met" } else { "not met" }
        )
    }));
    if meeting.without_quorum {
        b.push(Block::Para(t["without_quorum"].into()));
    }
    b.push(Block::Table(Table {
        header: vec![
            t["seat"].into(),
            t["expected"].into(),
            t["present"].into(),
            t["absent"].into(),
        ],
        widths: vec![40, 20, 20, 20],
        rows: a
            .by_seat
            .iter()
            .map(|s| {
                vec![
                    s.seat.clone(),
                    s.invited.to_string(),
                    s.present.to_string(),
                    s.absent.to_string(),
                ]
            })
            .collect(),
        tall_rows: false,
    }));
    let join = |v: Vec<String>| v.join(t["semi"]);
    if !a.absentees.is_empty() {
        b.push(Block::Para(format!(
            "{}{c}{}",
            t["absent"],
            join(
                a.absentees
                    .iter()
                    .map(|x| if x.reason.is_empty() {
                        format!("{}{}{}{}", x.name, t["lp"], x.seat, t["rp"])
                    } else {
                        format!("{}{}{}{c}{}{}", x.name, t["lp"], x.seat, x.reason, t["rp"])
                    })
                    .collect()
            )
        )));
    }
    if !a.observer_names.is_empty() {
        b.push(Block::Para(format!(
            "{}{c}{}",
            t["observers"],
            a.observer_names.join(t["enum"])
        )));
    }
    if !a.online.is_empty() {
        b.push(Block::Para(format!(
            "{}{c}{}",
            t["online"],
            a.online.join(t["enum"])
        )));
    }
    if !a.late.is_empty() {
        b.push(Block::Para(format!(
            "{}{c}{}",
            t["late"],
            join(
                a.late
                    .iter()
                    .map(|l| format!("{}{}{}{}", l.name, t["lp"], l.at, t["rp"]))
                    .collect()
            )
        )));
    }
    if !a.proxies.is_empty() {
        b.push(Block::Para(format!(
            "{}{c}{}",
            t["proxy"],
            join(
                a.proxies
                    .iter()
                    .map(|p| format!("{} {} {}", p.name, t["proxy_by"], p.holder))
                    .collect()
            )
        )));
    }

    n += 1;
    b.push(Block::Heading(section(n, zh, t["items"])));
    for (i, item) in m.items.iter().enumerate() {
        b.push(Block::Heading(item_heading(i + 1, zh, &item.title)));
        let mut raised = format!(
            "{}{c}{}{}{} {}",
            t["raised"],
            super::words::day(&item.raised_on, zh),
            t["comma"],
            t["channel"],
            item.channel
        );
        if !item.category.is_empty() {
            raised.push_str(&format!(
                "{}{} {}",
                t["comma"], t["category"], item.category
            ));
        }
        if !item.submitted_by.is_empty() {
            raised.push_str(&format!("{}{} {}", t["comma"], t["by"], item.submitted_by));
        }
        b.push(Block::Para(raised));
        if let Some(d) = &item.detail {
            b.push(Block::Para(format!("{}{c}{d}", t["background"])));
        }
        for cons in &item.consultations {
            b.push(Block::Para(format!(
                "{}{}{}{}{}{}{c}{}",
                t["consultation"],
                t["lp"],
                cons.date,
                t["comma"],
                cons.party,
                t["rp"],
                cons.summary
            )));
        }
        for s in &item.speeches {
            b.push(Block::Para(format!(
                "{}{}{}{}{}{}{c}{}",
                s.speaker, t["lp"], s.seat, t["comma"], s.position_label, t["rp"], s.summary
            )));
        }
        for v in &item.motions {
            let mut line = format!(
                "{}{}{c}{}",
                if v.is_amendment {
                    t["amendment"]
                } else {
                    t["motion"]
                },
                v.amends
                    .as_deref()
                    .map(|a| format!(" → {a}"))
                    .unwrap_or_default(),
                v.text
            );
            line.push_str(&format!(
                "{}{}{c}{}{}{}{c}{}",
                t["semi"], t["rule"], v.rule_label, t["semi"], t["method"], v.method_label
            ));
            if let (Some(y), Some(no), Some(ab)) = (v.yes, v.no, v.abstain) {
                line.push_str(&if zh {
                    format!(
                        "；同意{y}票，反对{no}票，弃权{ab}票（有表决权到会{}人）",
                        v.eligible_present
                    )
                } else {
                    format!(
                        "; yes {y}, no {no}, abstain {ab} ({} eligible present)",
                        v.eligible_present
                    )
                });
            }
            line.push_str(&format!(
                "{}{}{c}{}",
                t["semi"], t["result"], v.result_label
            ));
            line.push_str(if zh { "。" } else { "." });
            b.push(Block::Para(line));
            if !v.yes_names.is_empty() {
                b.push(Block::Para(format!(
                    "{}{c}{}",
                    t["yes"],
                    v.yes_names.join(t["enum"])
                )));
            }
            if !v.no_names.is_empty() {
                b.push(Block::Para(format!(
                    "{}{c}{}",
                    t["no"],
                    v.no_names.join(t["enum"])
                )));
            }
            if !v.abstain_names.is_empty() {
                b.push(Block::Para(format!(
                    "{}{c}{}",
                    t["abstain"],
                    v.abstain_names.join(t["enum"])
                )));
            }
            for r in &v.recusals {
                b.push(Block::Para(format!(
                    "{}{c}{}{}{}{}",
                    t["recused"], r.name, t["lp"], r.reason, t["rp"]
                )));
            }
            for corr in &v.corrections {
                b.push(Block::Para(format!(
                    "{}{c}{} → {}{c}{}",
                    t["correction"], corr.old, corr.new, corr.reason
                )));
            }
        }
        match &item.resolution {
            Some(r) => {
                let mut line = format!("{}{c}{}", t["resolution"], r.text);
                if let Some(o) = &r.owner {
                    line.push_str(&format!("{}{}{c}{o}", t["semi"], t["owner"]));
                }
                if let Some(d) = &r.due {
                    line.push_str(&format!(
                        "{}{}{c}{}",
                        t["semi"],
                        t["due"],
                        super::words::day(d, zh)
                    ));
                }
                b.push(Block::Para(line));
            }
            None => b.push(Block::Para(format!(
                "{}{c}{}",
                t["outcome"], item.outcome_label
            ))),
        }
    }
    if !m.unresolved.is_empty() {
        n += 1;
        b.push(Block::Heading(section(n, zh, t["unresolved"])));
        b.push(Block::List(
            m.unresolved
                .iter()
                .map(|u| {
                    format!(
                        "{}{c}{}{}{}{}",
                        u.title, u.outcome_label, t["lp"], u.why, t["rp"]
                    )
                })
                .collect(),
        ));
    }
    for r in &m.reopenings {
        b.push(Block::Para(format!(
            "{}{}{}{}{c}{}",
            t["reopened"], t["lp"], r.at, t["rp"], r.reason
        )));
    }
    n += 1;
    b.push(Block::Heading(section(n, zh, t["public_notice"])));
    b.push(Block::Para(m.public_notice.clone()));
    if let Some(e) = &meeting.ended_at {
        b.push(Block::Para(format!("{}{c}{e}", t["ended"])));
    }
    b.push(Block::Signatures(vec![
        format!("{}{c}＿＿＿＿＿＿＿＿", t["chair_sign"]),
        format!("{}{c}＿＿＿＿＿＿＿＿", t["recorder_sign"]),
    ]));
    b.push(Block::PageBreak);
    b.push(Block::Heading(format!(
        "{}{c}{}",
        t["appendix"], t["sign_in"]
    )));
    b.push(Block::Table(Table {
        header: vec![
            t["name"].into(),
            t["seat"].into(),
            t["attendance_col"].into(),
            t["signature"].into(),
        ],
        widths: vec![25, 30, 20, 25],
        rows: m
            .sign_in
            .iter()
            .map(|s| {
                vec![
                    s.name.clone(),
                    s.seat.clone(),
                    s.attendance.clone(),
                    String::new(),
                ]
            })
            .collect(),
        tall_rows: false,
    }));
    super::docx::write(&Doc {
        lang_zh: zh,
        title: m.title.clone(),
        subtitle: None,
        draft: m.draft,
        poster: false,
        blocks: b,
    })
}
