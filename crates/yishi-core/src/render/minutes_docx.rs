//! The minutes as a Word document for the street office: the same `Minutes` view as the
//! templates, laid out as blocks (GB/T 9704 style: 一、二、 section headings, 仿宋 body),
//! ending with the chair's and recorder's signature lines and the sign-in record as appendix;
//! the record check code is in the footer of every page. It says what the HTML minutes say, section by section.

use super::doc::{Block, Doc, Table};
use super::minutes::{ItemView, Minutes, MotionView};
use crate::error::Result;
use std::collections::BTreeMap;

const ZH_NUMERALS: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/// 一、 / 1.  for section headings.
fn section(n: usize, zh: bool, text: &str) -> String {
    match (zh, ZH_NUMERALS.get(n - 1)) {
        (true, Some(z)) => format!("{z}、{text}"),
        _ => format!("{n}. {text}"),
    }
}

/// （一） / (1) for items.
fn item_heading(n: usize, zh: bool, text: &str) -> String {
    match (zh, ZH_NUMERALS.get(n - 1)) {
        (true, Some(z)) => format!("（{z}）{text}"),
        _ => format!("({n}) {text}"),
    }
}

/// A table: a header row and one row per entry; `tall_rows` leave room to sign by hand.
fn table(header: &[&str], widths: &[u32], rows: Vec<Vec<String>>, tall_rows: bool) -> Block {
    Block::Table(Table {
        header: header.iter().map(|h| h.to_string()).collect(),
        widths: widths.to_vec(),
        rows,
        tall_rows,
    })
}

/// The document's fixed wording, with the punctuation of its language.
struct Words<'a> {
    t: &'a BTreeMap<&'static str, &'static str>,
    zh: bool,
}

impl Words<'_> {
    fn get(&self, key: &str) -> &str {
        self.t.get(key).copied().unwrap_or("")
    }
    /// 标签：值
    fn labelled(&self, label: &str, value: &str) -> String {
        format!("{}{}{value}", self.get(label), self.get("colon"))
    }
    /// 值（注）
    fn noted(&self, value: &str, note: &str) -> String {
        format!("{value}{}{note}{}", self.get("lp"), self.get("rp"))
    }
}

fn meeting_fields(m: &Minutes, w: &Words, b: &mut Vec<Block>) {
    let meeting = &m.meeting;
    let time = format!(
        "{}{}{}{}",
        meeting.day,
        if w.zh { "" } else { " " },
        meeting.opened_at.as_deref().unwrap_or(&meeting.start),
        meeting
            .ended_at
            .as_deref()
            .map(|e| format!("–{e}"))
            .unwrap_or_default()
    );
    let c = w.get("colon");
    let field = |label: &str, value: String| Block::Field(format!("{}{c}", w.get(label)), value);
    b.push(field("meeting_no", meeting.line.clone()));
    b.push(field("time", time));
    b.push(field("place", meeting.place.clone()));
    let none = || w.get("none").to_string();
    b.push(field("chair", meeting.chair.clone().unwrap_or_else(none)));
    b.push(field(
        "recorder",
        meeting.recorder.clone().unwrap_or_else(none),
    ));
    if meeting.urgent {
        b.push(Block::Para(w.get("urgent").into()));
    }
}

/// The attendance section: the counts and quorum, the seat table, then who was absent,
/// observing, online, late, left early or voting by proxy.
fn attendance(m: &Minutes, w: &Words, b: &mut Vec<Block>) {
    b.push(Block::Para(attendance_summary(m, w)));
    if m.meeting.without_quorum {
        b.push(Block::Para(w.get("without_quorum").into()));
    }
    b.push(seat_table(&m.attendance, w));
    attendance_names(&m.attendance, w, b);
}

/// 应到、实到、委托、缺席、列席 and the quorum, in one sentence.
fn attendance_summary(m: &Minutes, w: &Words) -> String {
    let a = &m.attendance;
    let not_recorded = if a.not_recorded > 0 {
        format!(
            "{}{} {}",
            w.get("comma"),
            w.get("not_recorded"),
            a.not_recorded
        )
    } else {
        String::new()
    };
    let proxy = match (a.proxy, w.zh) {
        (0, _) => String::new(),
        (n, true) => format!("，委托{n}人"),
        (n, false) => format!(", by proxy {n}"),
    };
    if w.zh {
        format!(
            "应到{}人，实到{}人{proxy}，缺席{}人{not_recorded}，列席{}人。法定人数：{}（{}/{}，需{}人），{}。",
            a.expected,
            a.in_person,
            a.absent,
            a.observers,
            m.meeting.quorum_rule,
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
            "Expected {}, present {}{proxy}, absent {}{not_recorded}, observers {}. Quorum: {} ({}/{}, {} needed): {}.",
            a.expected,
            a.in_person,
            a.absent,
            a.observers,
            m.meeting.quorum_rule,
            a.quorum_present,
            a.quorum_base,
            a.quorum_needed,
            if a.quorum_met { "met" } else { "not met" }
        )
    }
}

/// Expected, present, proxy and absent per seat.
fn seat_table(a: &super::minutes::AttendanceView, w: &Words) -> Block {
    table(
        &[
            w.get("seat"),
            w.get("expected"),
            w.get("present"),
            w.get("proxy_col"),
            w.get("absent"),
        ],
        &[36, 16, 16, 16, 16],
        a.by_seat
            .iter()
            .map(|s| {
                vec![
                    s.seat.clone(),
                    s.invited.to_string(),
                    s.in_person.to_string(),
                    s.proxy.to_string(),
                    s.absent.to_string(),
                ]
            })
            .collect(),
        false,
    )
}

/// One line per kind of name list (absent with reasons, observers, online, late, left, proxy),
/// each only when it has names.
fn attendance_names(a: &super::minutes::AttendanceView, w: &Words, b: &mut Vec<Block>) {
    let mut line = |label: &str, parts: Vec<String>, sep: &str| {
        if !parts.is_empty() {
            b.push(Block::Para(w.labelled(label, &parts.join(sep))));
        }
    };
    let (semi, list) = (w.get("semi"), w.get("enum"));
    line(
        "absent",
        a.absentees
            .iter()
            .map(|x| {
                if x.reason.is_empty() {
                    w.noted(&x.name, &x.seat)
                } else {
                    w.noted(&x.name, &w.labelled_text(&x.seat, &x.reason))
                }
            })
            .collect(),
        semi,
    );
    line("observers", a.observer_names.clone(), list);
    line("online", a.online.clone(), list);
    line(
        "late",
        a.late.iter().map(|l| w.noted(&l.name, &l.at)).collect(),
        list,
    );
    line(
        "left",
        a.left.iter().map(|l| w.noted(&l.name, &l.at)).collect(),
        list,
    );
    line(
        "proxy",
        a.proxies
            .iter()
            .map(|p| {
                let s = format!("{} {} {}", p.name, w.get("proxy_by"), p.holder);
                if p.authorisation.is_empty() {
                    s
                } else {
                    w.noted(&s, &p.authorisation)
                }
            })
            .collect(),
        semi,
    );
}

impl Words<'_> {
    /// 席位：原因 (a seat and a reason inside brackets).
    fn labelled_text(&self, a: &str, b: &str) -> String {
        format!("{a}{}{b}", self.get("colon"))
    }
}

fn motion(v: &MotionView, w: &Words, b: &mut Vec<Block>) {
    let mut head = v.label.clone();
    if v.is_supplementary {
        head.push_str(&format!(" {}", w.get("supplementary")));
    }
    if v.is_amendment {
        head.push_str(&format!(
            " {} → {}",
            w.get("amendment"),
            v.amends.as_deref().unwrap_or("")
        ));
    }
    b.push(Block::Para(format!("{head}{}{}", w.get("colon"), v.text)));
    // The original text of an amended motion, before its result (GB/T: what was voted on,
    // then how).
    if let Some(o) = &v.original_text {
        b.push(Block::Para(w.labelled("original", o)));
    }
    let mut facts = vec![
        w.labelled("rule", &v.rule_label),
        w.labelled("method", &v.method_label),
    ];
    if let (Some(y), Some(no), Some(ab)) = (v.yes, v.no, v.abstain) {
        facts.push(if w.zh {
            format!(
                "同意{y}票，反对{no}票，弃权{ab}票（有表决权到会{}人）",
                v.eligible_present
            )
        } else {
            format!(
                "yes {y}, no {no}, abstain {ab} ({} eligible present)",
                v.eligible_present
            )
        });
    }
    facts.push(w.labelled("result", &v.result_label));
    b.push(Block::Para(format!(
        "{}{}",
        facts.join(w.get("semi")),
        if w.zh { "。" } else { "." }
    )));
    for (label, names) in [
        ("yes", &v.yes_names),
        ("no", &v.no_names),
        ("abstain", &v.abstain_names),
    ] {
        if !names.is_empty() {
            b.push(Block::Para(w.labelled(label, &names.join(w.get("enum")))));
        }
    }
    for r in &v.recusals {
        b.push(Block::Para(
            w.labelled("recused", &w.noted(&r.name, &r.reason)),
        ));
    }
    for c in &v.corrections {
        b.push(Block::Para(w.labelled(
            "correction",
            &format!(
                "{} → {}{}{}",
                w.noted(&c.old, &c.old_result),
                w.noted(&c.new, &c.new_result),
                w.get("colon"),
                c.reason
            ),
        )));
    }
}

/// One agenda item: its heading and tags, where it came from, the consultations and
/// speeches, the motions, the outcome and resolutions.
fn item(n: usize, item: &ItemView, w: &Words, b: &mut Vec<Block>) {
    let zh = w.zh;
    b.push(Block::Subheading(item_heading(
        n,
        zh,
        &w.noted(&item.title, &item.issue_ref),
    )));
    for tag in &item.tags {
        b.push(Block::Para(if zh {
            format!("【{tag}】")
        } else {
            format!("[{tag}]")
        }));
    }
    b.push(Block::Para(raised_line(item, w)));
    if let Some(d) = &item.detail {
        b.push(Block::Para(w.labelled("background", d)));
    }
    discussion(item, w, b);
    if !item.motions.is_empty() {
        b.push(Block::Para(w.get("motions").into()));
        for v in &item.motions {
            motion(v, w, b);
        }
    }
    b.push(Block::Para(w.labelled("outcome", &item.outcome_label)));
    resolutions(item, w, b);
    if let Some(r) = &item.reason {
        b.push(Block::Para(w.labelled("deferral_reason", r)));
    }
}

/// 提出日期、渠道、类别、提出人 on one line.
fn raised_line(item: &ItemView, w: &Words) -> String {
    let zh = w.zh;
    let comma = w.get("comma");
    // One label style: 标签：值, separated by the list comma; one date style: 2026年5月12日.
    let mut raised = format!(
        "{}{comma}{}",
        w.labelled("raised", &super::words::day(&item.raised_on, zh)),
        w.labelled("channel", &item.channel),
    );
    if !item.category.is_empty() {
        raised.push_str(&format!(
            "{comma}{}",
            w.labelled("category", &item.category)
        ));
    }
    if !item.submitted_by.is_empty() {
        raised.push_str(&format!("{comma}{}", w.labelled("by", &item.submitted_by)));
    }
    raised
}

/// The consultations held before the meeting, then the speeches at it.
fn discussion(item: &ItemView, w: &Words, b: &mut Vec<Block>) {
    let zh = w.zh;
    let comma = w.get("comma");
    for c in &item.consultations {
        b.push(Block::Para(format!(
            "{}{}{}",
            w.noted(
                w.get("consultation"),
                &format!("{}{comma}{}", super::words::day(&c.date, zh), c.party)
            ),
            w.get("colon"),
            c.summary
        )));
    }
    if !item.speeches.is_empty() {
        b.push(Block::Para(w.get("speeches").into()));
        for s in &item.speeches {
            let summary = match &s.corrected {
                Some(c) => w.noted(&s.summary, c),
                None => s.summary.clone(),
            };
            b.push(Block::Para(format!(
                "{}{}{summary}",
                w.noted(
                    &s.speaker,
                    &format!("{}{comma}{}", s.seat, s.position_label)
                ),
                w.get("colon"),
            )));
        }
    }
}

/// One line per resolution, with its owner and due date when set.
fn resolutions(item: &ItemView, w: &Words, b: &mut Vec<Block>) {
    let zh = w.zh;
    for r in &item.resolutions {
        let mut line = w.labelled("resolution", &r.text);
        if let Some(o) = &r.owner {
            line.push_str(&format!("{}{}", w.get("semi"), w.labelled("owner", o)));
        }
        if let Some(d) = &r.due {
            line.push_str(&format!(
                "{}{}",
                w.get("semi"),
                w.labelled("due", &super::words::day(d, zh))
            ));
        }
        b.push(Block::Para(line));
    }
}

fn closing(m: &Minutes, w: &Words, b: &mut Vec<Block>) {
    if let Some(e) = &m.meeting.ended_at {
        b.push(Block::Para(w.labelled("ended", e)));
    }
    b.push(Block::Signatures(vec![
        w.labelled("chair_sign", "＿＿＿＿＿＿＿＿"),
        w.labelled("recorder_sign", "＿＿＿＿＿＿＿＿"),
    ]));
}

fn sign_in(m: &Minutes, w: &Words, b: &mut Vec<Block>) {
    b.push(Block::PageBreak);
    b.push(Block::Heading(w.labelled("appendix", w.get("sign_in"))));
    b.push(table(
        &[
            w.get("name"),
            w.get("seat"),
            w.get("attendance_col"),
            w.get("signature"),
        ],
        &[25, 30, 20, 25],
        m.sign_in
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
        true,
    ));
}

pub fn docx(m: &Minutes) -> Result<Vec<u8>> {
    let zh = m.lang == "zh-CN";
    let w = Words { t: &m.t, zh };
    let mut b = Vec::new();
    meeting_fields(m, &w, &mut b);
    let mut n = 1;
    b.push(Block::Heading(section(n, zh, w.get("attendance"))));
    attendance(m, &w, &mut b);
    n += 1;
    b.push(Block::Heading(section(n, zh, w.get("items"))));
    for (i, it) in m.items.iter().enumerate() {
        item(i + 1, it, &w, &mut b);
    }
    if !m.unresolved.is_empty() {
        n += 1;
        b.push(Block::Heading(section(n, zh, w.get("unresolved"))));
        b.push(Block::List(
            m.unresolved
                .iter()
                .map(|u| {
                    w.labelled_text(
                        &w.noted(&u.title, &u.issue_ref),
                        &format!("{} — {}", u.outcome_label, u.why),
                    )
                })
                .collect(),
        ));
    }
    // Corrections after the close: a section of their own (会议记录更正), not inside
    // 暂缓或未通过事项.
    if !m.reopenings.is_empty() {
        n += 1;
        b.push(Block::Heading(section(n, zh, w.get("corrections"))));
        b.push(Block::List(
            m.reopenings
                .iter()
                .map(|r| {
                    format!(
                        "{}{}{}",
                        w.noted(w.get("reopened"), &r.at),
                        w.get("colon"),
                        r.reason
                    )
                })
                .collect(),
        ));
    }
    n += 1;
    b.push(Block::Heading(section(n, zh, w.get("public_notice"))));
    b.push(Block::Para(m.public_notice.clone()));
    closing(m, &w, &mut b);
    sign_in(m, &w, &mut b);
    super::docx::write(&Doc {
        lang_zh: zh,
        title: m.title.clone(),
        subtitle: None,
        draft: m.draft,
        anchor: m.anchor.clone(),
        blocks: b,
    })
}
