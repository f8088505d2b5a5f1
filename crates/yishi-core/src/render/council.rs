//! Text views of a meeting: `council show`, the one-line motion summary of `vote show`, and the
//! labels documents share (results, 上次暂缓 / 公示期异议 tags). The 会议通知 is render/notice.rs.

use crate::config::{Config, Locale};
use crate::domain::motion::{MotionKind, MotionResult};
use crate::domain::record::{MeetingRecord, MotionRecord};
use crate::domain::seat::SeatKind;

/// One line describing a motion's state and tally.
pub fn motion_line(v: &MotionRecord, zh: bool) -> String {
    let m = &v.motion;
    let locale = Locale::from_zh(zh);
    let mut s = format!(
        "{}{}{}  [{}{}]",
        m.label(),
        match (m.kind, zh) {
            (MotionKind::Main, _) => " ".to_string(),
            (kind, true) => format!("（{}）", kind.label(locale)),
            (kind, false) => format!(" ({}) ", kind.label(locale)),
        },
        super::escape::text(&m.text),
        m.rule.label(locale),
        if m.secret {
            if zh { "，无记名" } else { ", secret" }
        } else {
            ""
        },
    );
    if let Some(t) = m.tally {
        let e = m.electorate.unwrap_or(v.electorate_now);
        if zh {
            s.push_str(&format!(
                "  同意 {} 反对 {} 弃权 {}（有表决权到会 {} 人）",
                t.yes, t.no, t.abstain, e.present
            ));
        } else {
            s.push_str(&format!(
                "  yes {} no {} abstain {} ({} eligible present)",
                t.yes, t.no, t.abstain, e.present
            ));
        }
    }
    s.push_str(&format!(
        "  → {}",
        MotionResult::label_or_pending(m.result, locale)
    ));
    s
}

/// A roll-call's ballots, one indented line each: the name, padded so that the choices line up
/// (a CJK character is two columns), then 同意 / 反对 / 弃权 and who cast a proxy vote.
pub fn ballot_lines(v: &MotionRecord, locale: Locale, indent: &str) -> String {
    use unicode_width::UnicodeWidthStr;
    let width = v.ballots.iter().map(|b| b.name.width()).max().unwrap_or(0);
    let mut out = String::new();
    for b in &v.ballots {
        let pad = " ".repeat(width - b.name.width());
        let proxy = b.by_proxy.as_deref().map_or(String::new(), |h| {
            super::words::proxy_vote(h, locale == Locale::ZhCn)
        });
        out.push_str(&format!(
            "{indent}{}{pad}  {}{proxy}\n",
            b.name,
            b.choice.label(locale)
        ));
    }
    out
}

/// Recusals and recounts of a motion, one indented line each.
pub fn motion_notes(v: &MotionRecord, zh: bool, indent: &str) -> String {
    let mut out = String::new();
    for r in &v.recusals {
        let label = if zh { "回避" } else { "recused" };
        out.push_str(&format!("{indent}{} {label}: {}\n", r.name, r.reason));
    }
    for c in &v.corrections {
        let label = if zh { "更正" } else { "corrected" };
        out.push_str(&format!(
            "{indent}{label}: {} → {} ({})\n",
            c.old, c.new, c.reason
        ));
    }
    out
}

pub fn show(rec: &MeetingRecord, config: &Config) -> String {
    let zh = config.locale == Locale::ZhCn;
    let mut out = fit(&header(rec, zh));
    let (mut seats, mut people) = (seat_table(rec, config), people_table(rec, config));
    super::table::settle(&mut seats);
    super::table::settle(&mut people);
    out.push_str(&format!("\n{seats}\n{people}\n"));
    out.push_str(&fit(&agenda(rec, zh)));
    out
}

/// `text` wrapped to the screen (tables wrap themselves): a long motion or speech continues
/// under its own start, three columns in.
fn fit(text: &str) -> String {
    let Some(width) = super::table::screen_width() else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let lead = line.len() - line.trim_start().len();
        out.push_str(&super::wrap::wrap(line, usize::from(width), lead + 3));
        out.push('\n');
    }
    out
}

/// Title, time and place, chair and recorder, quorum and voters, and why the record is unusual
/// (urgent, opened without quorum, reopened).
fn header(rec: &MeetingRecord, zh: bool) -> String {
    let m = &rec.meeting;
    let status = m.status().label(Locale::from_zh(zh));
    let mut out = format!("{} {}  [{}]\n", m.label(), m.title, status);
    let time = match (&m.opened_at, &m.ended_at) {
        (Some(o), Some(e)) => format!("{} ({o}–{e})", m.starts_at),
        (Some(o), None) => format!("{} ({o}–)", m.starts_at),
        _ => m.starts_at.clone(),
    };
    let (invited, present) = rec.voters();
    let (chair, recorder) = (
        m.chair.as_deref().unwrap_or("—"),
        m.recorder.as_deref().unwrap_or("—"),
    );
    let q = &rec.quorum;
    if zh {
        out.push_str(&format!("时间: {time}  地点: {}\n", m.place));
        out.push_str(&format!("主持人: {chair}  记录人: {recorder}\n"));
        out.push_str(&format!(
            "法定人数: 应到常设成员 {} 人，实到 {} 人，需 {} 人（{}）— {}\n",
            q.base,
            q.present,
            q.needed,
            m.rules.quorum,
            if q.met { "已达到" } else { "未达到" }
        ));
        out.push_str(&format!("有表决权: 应到 {invited} 人，实到 {present} 人\n"));
        if m.urgent {
            out.push_str("紧急召集（通知期不足）\n");
        }
        if m.without_quorum {
            out.push_str("未达法定人数开会（已记录）\n");
        }
    } else {
        out.push_str(&format!("time: {time}  place: {}\n", m.place));
        out.push_str(&format!("chair: {chair}  recorder: {recorder}\n"));
        out.push_str(&format!(
            "quorum: {} of {} standing members present, {} needed ({}): {}\n",
            q.present,
            q.base,
            q.needed,
            m.rules.quorum,
            if q.met { "met" } else { "not met" }
        ));
        out.push_str(&format!("voters: {invited} invited, {present} present\n"));
        if m.urgent {
            out.push_str("convened urgently (short notice)\n");
        }
        if m.without_quorum {
            out.push_str("opened without quorum (recorded)\n");
        }
    }
    for r in &rec.reopenings {
        out.push_str(&format!(
            "{}: {}\n",
            if zh { "重新开启" } else { "reopened" },
            super::escape::text(&r.reason)
        ));
    }
    out
}

/// 应到 / 实到 / 缺席 by seat.
fn seat_table(rec: &MeetingRecord, config: &Config) -> comfy_table::Table {
    let zh = config.locale == Locale::ZhCn;
    let header: &[&str] = if zh {
        &["席位", "应到", "实到", "缺席"]
    } else {
        &["seat", "invited", "present", "absent"]
    };
    let mut t = super::table::new(header, false);
    for s in &rec.attendance_by_seat {
        super::table::row(
            &mut t,
            vec![
                config.seat_label(&s.seat, config.locale),
                s.invited.to_string(),
                s.present.to_string(),
                s.absent.to_string(),
            ],
        );
    }
    t
}

/// Everyone invited, with how they attended and what to know about it.
fn people_table(rec: &MeetingRecord, config: &Config) -> comfy_table::Table {
    let zh = config.locale == Locale::ZhCn;
    let header: &[&str] = if zh {
        &["姓名", "席位", "出席", "备注"]
    } else {
        &["name", "seat", "attendance", "note"]
    };
    let mut t = super::table::new(header, false);
    for p in &rec.participants {
        let attendance = p.attendance.label(config.locale);
        super::table::row(
            &mut t,
            vec![
                p.name.clone(),
                config.seat_label(&p.seat, config.locale),
                attendance.into(),
                person_notes(p, zh).join("; "),
            ],
        );
    }
    t
}

fn person_notes(p: &crate::domain::meeting::Participant, zh: bool) -> Vec<String> {
    let mut notes = Vec::new();
    if p.online {
        notes.push((if zh { "线上" } else { "online" }).to_string());
    }
    if let Some(l) = &p.late_at {
        notes.push(if zh {
            format!("{l} 迟到")
        } else {
            format!("late {l}")
        });
    }
    if let Some(h) = &p.proxy_holder {
        notes.push(if zh {
            format!("由{h}代为表决")
        } else {
            format!("votes through {h}")
        });
    }
    if let Some(r) = &p.absence_reason {
        notes.push(super::escape::flat(r));
    }
    if !p.items.is_empty() {
        let items: Vec<String> = p.items.iter().map(|i| format!("#{i}")).collect();
        notes.push(items.join(" "));
    }
    if p.role == SeatKind::Observer {
        notes.push((if zh { "不参与表决" } else { "no vote" }).to_string());
    }
    notes
}

/// The agenda items with their speeches, motions and resolutions. User text of several lines
/// is indented as one block (render/escape.rs).
fn agenda(rec: &MeetingRecord, zh: bool) -> String {
    let mut out = String::from(if zh { "\n议程:\n" } else { "\nAgenda:\n" });
    for item in &rec.agenda {
        out.push_str(&format!(
            "{}. #{} {}  → {}\n",
            item.item.position,
            item.item.issue_id,
            item.item.title,
            MotionResult::label_or_pending(item.item.outcome, Locale::from_zh(zh))
        ));
        for s in &item.speeches {
            out.push_str(&format!(
                "   {} ({}): {}\n",
                s.speaker,
                s.position.label(Locale::from_zh(zh)),
                super::escape::text(&s.summary)
            ));
        }
        for v in &item.motions {
            out.push_str(&format!("   {}\n", motion_line(v, zh)));
            out.push_str(&motion_notes(v, zh, "      "));
        }
        for r in &item.resolutions {
            let owner = r.owner.as_deref().map(|o| {
                if zh {
                    format!("；责任人 {o}")
                } else {
                    format!("; owner {o}")
                }
            });
            let due = r.due.as_deref().map(|d| {
                if zh {
                    format!("；完成时限 {d}")
                } else {
                    format!("; due {d}")
                }
            });
            out.push_str(&format!(
                "   {}: {}{}{}\n",
                if zh { "决议" } else { "resolution" },
                super::escape::text(&r.text),
                owner.unwrap_or_default(),
                due.unwrap_or_default(),
            ));
        }
    }
    out
}

/// Labels an agenda item carries into the notice and the minutes: 上次暂缓 (deferred at an
/// earlier meeting, with why) and 公示期异议 (an objection to a decision during its notice).
pub fn item_tags(item: &crate::domain::record::ItemRecord, zh: bool) -> Vec<String> {
    let mut tags = Vec::new();
    for d in &item.deferred_before {
        let reason = d
            .reason
            .as_deref()
            .map(|r| {
                if zh {
                    format!("，{r}")
                } else {
                    format!(": {r}")
                }
            })
            .unwrap_or_default();
        // 第1次会议, never the internal id M1; one pair of brackets.
        tags.push(if zh {
            format!(
                "上次暂缓：{}{reason}",
                super::words::meeting_name(d.meeting_number, true)
            )
        } else {
            format!(
                "Deferred at {}{reason}",
                super::words::meeting_name(d.meeting_number, false)
            )
        });
    }
    if let Some(o) = &item.objection {
        let on = o
            .resolutions
            .iter()
            .map(|r| {
                if zh {
                    format!("「{r}」")
                } else {
                    format!("“{r}”")
                }
            })
            .collect::<Vec<_>>()
            .join(if zh { "、" } else { ", " });
        tags.push(if zh {
            format!(
                "公示期异议：对{}决议{on}",
                super::words::meeting_name(o.meeting_number, true)
            )
        } else {
            format!(
                "Objection during the public notice of {}'s decisions: {on}",
                super::words::meeting_name(o.meeting_number, false)
            )
        });
    }
    if let Some(r) = &item.reraise_of {
        let why = r
            .rejected_because
            .as_deref()
            .map(|w| {
                if zh {
                    format!("，该议题曾不予受理：{w}")
                } else {
                    format!(", which was not accepted: {w}")
                }
            })
            .unwrap_or_default();
        tags.push(if zh {
            format!(
                "再次提出：{}「{}」{why}",
                super::words::issue_ref(r.issue_id, true),
                r.title
            )
        } else {
            format!(
                "Raised again: {} “{}”{why}",
                super::words::issue_ref(r.issue_id, false),
                r.title
            )
        });
    }
    tags
}
