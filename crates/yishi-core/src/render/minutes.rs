//! Minutes (会议纪要): a view of the meeting record with every label resolved for one language,
//! rendered through minijinja templates (built in, or the community's own with --template).
//!
//! The view is also the JSON format, so a custom template sees exactly what `--format json`
//! prints. Output is deterministic: the same database gives the same bytes.

use crate::config::{Config, Locale};
use crate::domain::contact::Names;
use crate::domain::issue::{category_label, channel_label};
use crate::domain::meeting::Attendance;
use crate::domain::motion::{Choice, MotionResult, SpeechPosition, VoteMethod};
use crate::domain::record::{MeetingRecord, MotionRecord};
use crate::domain::seat::SeatKind;
use crate::error::Result;
use serde::Serialize;
use std::collections::BTreeMap;

pub const MD_TEMPLATE: &str = include_str!("../../../../templates/minutes.md.j2");
pub const HTML_TEMPLATE: &str = include_str!("../../../../templates/minutes.html.j2");

pub use super::doc::Format;
pub const TEXT_TEMPLATE: &str = include_str!("../../../../templates/minutes.txt.j2");
pub const SUMMARY_TEMPLATE: &str = include_str!("../../../../templates/minutes-summary.txt.j2");

#[derive(Debug, Serialize)]
pub struct Minutes {
    pub lang: &'static str,
    /// The meeting is not closed: every page says DRAFT / 草稿.
    pub draft: bool,
    pub community: String,
    /// The document's title, e.g. 汀塘社区第1次居民议事会会议纪要.
    pub title: String,
    pub meeting: MeetingView,
    pub attendance: AttendanceView,
    pub items: Vec<ItemView>,
    /// Items deferred or not adopted, with why.
    pub unresolved: Vec<Unresolved>,
    pub reopenings: Vec<ReopeningView>,
    pub public_notice: String,
    pub sign_in: Vec<SignIn>,
    /// 记录校验码 #N · hash: the chain anchor at the meeting's close (the live head while it is
    /// open), for `yishi verify --anchor` on a signed copy.
    pub anchor: Option<String>,
    /// Fixed wording in the document's language, for templates.
    pub t: BTreeMap<&'static str, &'static str>,
}

#[derive(Debug, Serialize)]
pub struct MeetingView {
    pub id: i64,
    pub label: String,
    pub number: i64,
    /// 第1次 / 1st: how documents name the meeting.
    pub number_label: String,
    /// The 会议届次 line: the name, with the number only when the name does not say it.
    pub line: String,
    /// The date with its weekday: 2026年6月12日（星期五）.
    pub day: String,
    pub name: String,
    pub date: String,
    pub start: String,
    pub opened_at: Option<String>,
    pub ended_at: Option<String>,
    pub place: String,
    pub chair: Option<String>,
    pub recorder: Option<String>,
    pub urgent: bool,
    pub status: String,
    pub without_quorum: bool,
    pub quorum_rule: String,
    pub majority_rule: String,
}

#[derive(Debug, Serialize)]
pub struct AttendanceView {
    /// 应到: invited members with a vote.
    pub expected: u32,
    /// 实到: of them, present in person or by proxy.
    pub present: u32,
    /// Of those present, how many in person and how many represented by a proxy (委托).
    pub in_person: u32,
    pub proxy: u32,
    pub absent: u32,
    /// 未记录: invited voters neither signed in nor recorded absent (应到 = 实到 + 缺席 + 未记录).
    pub not_recorded: u32,
    pub observers: u32,
    pub quorum_base: u32,
    pub quorum_present: u32,
    pub quorum_needed: u32,
    pub quorum_met: bool,
    pub by_seat: Vec<SeatRow>,
    pub absentees: Vec<Absentee>,
    pub observer_names: Vec<String>,
    pub online: Vec<String>,
    pub late: Vec<Late>,
    /// Left before the end (离会), with the time.
    pub left: Vec<Late>,
    pub proxies: Vec<Proxy>,
}

#[derive(Debug, Serialize)]
pub struct SeatRow {
    pub seat: String,
    pub invited: u32,
    /// Present in person or by proxy.
    pub present: u32,
    pub in_person: u32,
    /// Represented by a proxy (委托): counted here, not silently as 实到.
    pub proxy: u32,
    pub absent: u32,
}

#[derive(Debug, Serialize)]
pub struct Absentee {
    pub name: String,
    pub seat: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct Late {
    pub name: String,
    pub at: String,
}

#[derive(Debug, Serialize)]
pub struct Proxy {
    pub name: String,
    pub holder: String,
    pub authorisation: String,
}

#[derive(Debug, Serialize)]
pub struct ItemView {
    pub position: i64,
    pub issue_id: i64,
    /// 议题9 / issue 9: how the document names the issue (never a bare #9).
    pub issue_ref: String,
    pub title: String,
    pub category: String,
    pub channel: String,
    pub raised_on: String,
    pub submitted_by: String,
    pub detail: Option<String>,
    pub consultations: Vec<ConsultationView>,
    pub speeches: Vec<SpeechView>,
    pub motions: Vec<MotionView>,
    pub outcome: Option<MotionResult>,
    pub outcome_label: String,
    pub resolution: Option<ResolutionView>,
    /// Every resolution of the item (main and supplementary motions).
    pub resolutions: Vec<ResolutionView>,
    /// Why the item was deferred (or raised to the street).
    pub reason: Option<String>,
    /// 上报: the level the council raised the item to, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalated_to: Option<String>,
    /// 上次暂缓 (deferred at an earlier meeting), 公示期异议 (an objection to a decision),
    /// 再次提出 (raising an earlier issue again).
    pub tags: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ConsultationView {
    pub party: String,
    pub date: String,
    pub summary: String,
}

#[derive(Debug, Serialize)]
pub struct SpeechView {
    pub speaker: String,
    pub seat: String,
    pub position: SpeechPosition,
    pub position_label: String,
    pub summary: String,
    /// 已更正：reason, when the summary was corrected after it was recorded.
    pub corrected: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct MotionView {
    pub label: String,
    pub is_amendment: bool,
    /// 附加动议: adds to the item's adopted main motion.
    pub is_supplementary: bool,
    pub amends: Option<String>,
    pub text: String,
    pub original_text: Option<String>,
    pub rule: String,
    pub rule_label: String,
    pub method_label: String,
    pub secret: bool,
    pub yes: Option<u32>,
    pub no: Option<u32>,
    pub abstain: Option<u32>,
    pub eligible_present: u32,
    pub result: Option<String>,
    pub result_label: String,
    pub yes_names: Vec<String>,
    pub no_names: Vec<String>,
    pub abstain_names: Vec<String>,
    pub recusals: Vec<RecusalView>,
    pub corrections: Vec<CorrectionView>,
}

#[derive(Debug, Serialize)]
pub struct RecusalView {
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct CorrectionView {
    pub old: String,
    pub new: String,
    pub old_result: String,
    pub new_result: String,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct ResolutionView {
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Unresolved {
    pub issue_id: i64,
    pub issue_ref: String,
    pub title: String,
    pub outcome_label: String,
    pub why: String,
}

#[derive(Debug, Serialize)]
pub struct ReopeningView {
    pub reason: String,
    pub at: String,
}

#[derive(Debug, Serialize)]
pub struct SignIn {
    pub name: String,
    pub seat: String,
    pub attendance: String,
}

/// The minutes' labels, key then Chinese then English: one table instead of a long function.
const LABELS: &[(&str, &str, &str)] = &[
    ("draft", "草稿", "DRAFT"),
    ("meeting_no", "会议届次", "Meeting"),
    ("time", "时间", "Time"),
    ("place", "地点", "Place"),
    ("chair", "主持人", "Chair"),
    ("recorder", "记录人", "Recorder"),
    ("attendance", "出席情况", "Attendance"),
    ("expected", "应到", "Expected"),
    ("present", "实到", "Present"),
    ("absent", "缺席", "Absent"),
    ("observers", "列席", "Observers"),
    ("proxy_col", "委托", "By proxy"),
    ("corrections", "会议记录更正", "Corrections to the record"),
    ("seat", "席位", "Seat"),
    ("name", "姓名", "Name"),
    ("reason", "原因", "Reason"),
    ("quorum", "法定人数", "Quorum"),
    ("quorum_met", "已达到法定人数", "quorum met"),
    ("quorum_not_met", "未达到法定人数", "quorum not met"),
    (
        "without_quorum",
        "本次会议在未达到法定人数的情况下开会，已记录在案。",
        "The meeting was opened without a quorum; this is on record.",
    ),
    (
        "urgent",
        "本次会议为紧急召集，通知期短于规定天数。",
        "This meeting was convened urgently, with less notice than the rules require.",
    ),
    ("online", "线上参会", "Attended online"),
    ("late", "迟到", "Arrived late"),
    ("proxy", "委托表决", "Voting by proxy"),
    ("proxy_by", "委托", "represented by"),
    ("items", "议题", "Agenda items"),
    ("issue", "议题", "Issue"),
    ("raised", "提出", "Raised"),
    ("by", "提出人", "by"),
    ("category", "类别", "Category"),
    ("channel", "渠道", "Channel"),
    ("background", "背景", "Background"),
    ("consultation", "会前协商", "Pre-consultation"),
    ("speeches", "发言摘要", "Speeches"),
    ("motions", "动议与表决", "Motions and votes"),
    ("motion", "动议", "Motion"),
    ("amendment", "修正案", "Amendment"),
    ("original", "原动议", "Original text"),
    ("rule", "表决规则", "Rule"),
    ("method", "表决方式", "Method"),
    ("yes", "同意", "Yes"),
    ("no", "反对", "No"),
    ("abstain", "弃权", "Abstain"),
    ("eligible", "有表决权到会人数", "eligible voters present"),
    ("result", "表决结果", "Result"),
    ("recused", "回避", "Recused"),
    ("correction", "更正", "Correction"),
    ("resolution", "决议事项", "Resolution"),
    ("owner", "责任人", "Owner"),
    ("due", "完成时限", "Due"),
    ("outcome", "结果", "Outcome"),
    (
        "unresolved",
        "暂缓或未通过事项",
        "Items deferred or not adopted",
    ),
    ("reopened", "会议重新开启", "Meeting reopened"),
    ("not_recorded", "未记录", "Not recorded"),
    ("left", "中途离会", "Left early"),
    ("supplementary", "附加动议", "Supplementary motion"),
    ("deferral_reason", "暂缓原因", "Why deferred"),
    ("public_notice", "决议公示", "Public notice"),
    ("sign_in", "签到表", "Sign-in sheet"),
    ("signature", "签名", "Signature"),
    ("attendance_col", "出席", "Attendance"),
    ("chair_sign", "主持人（签名）", "Chair (signature)"),
    ("recorder_sign", "记录人（签名）", "Recorder (signature)"),
    ("appendix", "附", "Appendix"),
    ("date_sign", "日期", "Date"),
    ("ended", "散会", "Closed"),
    ("none", "无", "none"),
    // Punctuation differs by language: full-width in Chinese.
    ("comma", "，", ", "),
    ("colon", "：", ": "),
    ("lp", "（", " ("),
    ("rp", "）", ")"),
    ("semi", "；", "; "),
    ("stop", "。", ". "),
    ("enum", "、", ", "),
];

/// The minutes' labels in one language, by key.
fn labels(zh: bool) -> BTreeMap<&'static str, &'static str> {
    LABELS
        .iter()
        .map(|(k, z, e)| (*k, if zh { *z } else { *e }))
        .collect()
}

/// Build the minutes of `rec` in `locale`; names shown by the one masking rule `names`.
pub fn build(rec: &MeetingRecord, config: &Config, locale: Locale, names: &Names) -> Minutes {
    // Every name the record holds, masked before any of it is worded (render::mask).
    let mut rec = rec.clone();
    super::mask::meeting_record(&mut rec, names);
    let rec = &rec;
    let zh = locale == Locale::ZhCn;
    let m = &rec.meeting;
    let title = if zh {
        format!("{}第{}次居民议事会会议纪要", config.community, m.number)
    } else {
        format!(
            "Minutes of the {} residents' council of {}",
            super::words::ordinal(m.number),
            config.community
        )
    };
    let items: Vec<ItemView> = rec
        .agenda
        .iter()
        .map(|item| item_view(item, config, locale))
        .collect();
    Minutes {
        lang: if zh { "zh-CN" } else { "en" },
        draft: m.status() != crate::domain::meeting::MeetingStatus::Closed,
        community: config.community.clone(),
        title,
        meeting: meeting_view(m, zh),
        // Items name their issue through one wording (words::issue_ref).
        attendance: attendance_view(rec, config, locale),
        unresolved: unresolved(&items, zh),
        items,
        reopenings: rec
            .reopenings
            .iter()
            .map(|r| ReopeningView {
                reason: r.reason.clone(),
                // One date style in the document, and no brackets inside the note's own:
                // 2026年12月2日 09:10.
                at: super::words::date_and_time(&crate::domain::date::local_display(&r.at), zh),
            })
            .collect(),
        public_notice: public_notice(m.rules.public_notice_days, zh),
        sign_in: sign_in(rec, config, locale),
        anchor: rec
            .closed_at
            .as_ref()
            .or(rec.head.as_ref())
            .map(|a| super::words::anchor(a, zh)),
        t: labels(zh),
    }
}

/// The header: number, day with its weekday, place, chair and recorder, the rules in words.
fn meeting_view(m: &crate::domain::meeting::Meeting, zh: bool) -> MeetingView {
    MeetingView {
        id: m.id,
        label: m.label(),
        number: m.number,
        number_label: super::words::meeting_number(m.number, zh),
        line: super::words::meeting_line(m.number, &m.title, zh),
        day: crate::domain::date::parse_date(&m.starts_at)
            .map_or_else(String::new, |d| super::words::long_date(d, zh)),
        name: m.title.clone(),
        date: m.starts_at.get(..10).unwrap_or(&m.starts_at).to_string(),
        start: m.starts_at.get(11..).unwrap_or("").to_string(),
        opened_at: m.opened_at.clone(),
        ended_at: m.ended_at.clone(),
        place: m.place.clone(),
        chair: m.chair.clone(),
        recorder: m.recorder.clone(),
        urgent: m.urgent,
        status: m.status.key().to_string(),
        without_quorum: m.without_quorum,
        quorum_rule: if zh {
            format!("应到常设成员的{}到会", m.rules.quorum)
        } else {
            format!("{} of the invited standing members present", m.rules.quorum)
        },
        majority_rule: m
            .rules
            .majority
            .description(Locale::from_zh(zh))
            .to_string(),
    }
}

/// 应到 / 实到 / 缺席 with the quorum, by seat, and who was absent, observing, online, late,
/// gone early or represented.
fn attendance_view(rec: &MeetingRecord, config: &Config, locale: Locale) -> AttendanceView {
    let m = &rec.meeting;
    let zh = locale == Locale::ZhCn;
    let seat = |key: &str| config.seat_label(key, locale);
    let one = |key: &str| super::words::seat_of_one(config, key, zh);
    let (expected, present) = rec.voters();
    let proxy = people_proxied(rec);
    let people = &rec.participants;
    let observers: Vec<_> = people
        .iter()
        .filter(|p| p.role == SeatKind::Observer)
        .collect();
    let times = |at: fn(&crate::domain::meeting::Participant) -> &Option<String>| -> Vec<Late> {
        people
            .iter()
            .filter_map(|p| {
                at(p).as_ref().map(|at| Late {
                    name: p.name.clone(),
                    at: at.clone(),
                })
            })
            .collect()
    };
    AttendanceView {
        expected,
        present,
        in_person: present.saturating_sub(proxy),
        proxy,
        absent: people
            .iter()
            .filter(|p| p.role.votes(m.rules.stakeholders_vote))
            .filter(|p| p.attendance == Attendance::Absent)
            .count() as u32,
        not_recorded: rec.attendance.not_recorded,
        observers: observers.len() as u32,
        quorum_base: rec.quorum.base,
        quorum_present: rec.quorum.present,
        quorum_needed: rec.quorum.needed,
        quorum_met: rec.quorum.met,
        by_seat: rec
            .attendance_by_seat
            .iter()
            .map(|s| SeatRow {
                seat: seat(&s.seat),
                invited: s.invited,
                present: s.present,
                in_person: s.present.saturating_sub(s.proxy),
                proxy: s.proxy,
                absent: s.absent,
            })
            .collect(),
        absentees: people
            .iter()
            .filter(|p| p.attendance == Attendance::Absent)
            .map(|p| Absentee {
                name: p.name.clone(),
                seat: one(&p.seat),
                reason: p.absence_reason.clone().unwrap_or_default(),
            })
            .collect(),
        observer_names: observers.iter().map(|p| p.name.clone()).collect(),
        online: people
            .iter()
            .filter(|p| p.online)
            .map(|p| p.name.clone())
            .collect(),
        late: times(|p| &p.late_at),
        left: times(|p| &p.left_at),
        proxies: people
            .iter()
            .filter(|p| p.attendance == Attendance::Proxy)
            .map(|p| Proxy {
                name: p.name.clone(),
                holder: p.proxy_holder.clone().unwrap_or_default(),
                authorisation: p.authorisation.clone().unwrap_or_default(),
            })
            .collect(),
    }
}

/// Voting members represented by a proxy (委托).
fn people_proxied(rec: &MeetingRecord) -> u32 {
    rec.participants
        .iter()
        .filter(|p| p.role.votes(rec.meeting.rules.stakeholders_vote))
        .filter(|p| p.attendance == Attendance::Proxy)
        .count() as u32
}

/// One agenda item: the issue, its consultations and speeches, its motions and resolutions.
fn item_view(
    item: &crate::domain::record::ItemRecord,
    config: &Config,
    locale: Locale,
) -> ItemView {
    let zh = locale == Locale::ZhCn;
    let resolution = |r: &crate::domain::motion::Resolution| ResolutionView {
        text: r.text.clone(),
        owner: r.owner.clone(),
        due: r.due.clone(),
    };
    ItemView {
        position: item.item.position,
        issue_id: item.item.issue_id,
        issue_ref: super::words::issue_ref(item.item.issue_id, zh),
        title: item.item.title.clone(),
        category: item
            .category
            .as_deref()
            .map(|c| category_label(c, locale).to_string())
            .unwrap_or_default(),
        channel: channel_label(&item.channel, locale).to_string(),
        raised_on: item.raised_on.clone(),
        submitted_by: item.submitted_by.clone().unwrap_or_default(),
        detail: item.detail.clone(),
        consultations: item
            .consultations
            .iter()
            .map(|c| ConsultationView {
                party: c.party.clone(),
                date: c.held_on.clone(),
                summary: c.summary.clone(),
            })
            .collect(),
        speeches: item
            .speeches
            .iter()
            .map(|s| SpeechView {
                speaker: s.speaker.clone(),
                seat: super::words::seat_of_one(config, &s.seat, zh),
                position: s.position,
                position_label: s.position.label(locale).to_string(),
                summary: s.summary.clone(),
                corrected: item
                    .speech_corrections
                    .iter()
                    .find(|c| c.speech_id == s.id)
                    .map(|c| {
                        if zh {
                            format!("已更正：{}", c.reason)
                        } else {
                            format!("corrected: {}", c.reason)
                        }
                    }),
            })
            .collect(),
        motions: item
            .motions
            .iter()
            .map(|v| motion_view(v, locale))
            .collect(),
        outcome: item.item.outcome,
        outcome_label: MotionResult::label_or_pending(item.item.outcome, locale).to_string(),
        resolution: item.resolution.as_ref().map(resolution),
        resolutions: item.resolutions.iter().map(resolution).collect(),
        reason: item.item.reason.clone(),
        escalated_to: item.escalated_to.clone(),
        tags: super::council::item_tags(item, zh),
    }
}

/// Items not adopted, and why: the failed motion's votes against its rule, or the deferral.
fn unresolved(items: &[ItemView], zh: bool) -> Vec<Unresolved> {
    items
        .iter()
        .filter(|i| i.outcome != Some(MotionResult::Adopted))
        .map(|i| Unresolved {
            issue_id: i.issue_id,
            issue_ref: i.issue_ref.clone(),
            title: i.title.clone(),
            outcome_label: i.outcome_label.clone(),
            why: match (i.outcome, i.motions.iter().rev().find(|v| !v.is_amendment)) {
                (Some(MotionResult::NotAdopted), Some(v)) => {
                    if zh {
                        format!(
                            "{}：同意 {} 票，未达到{}",
                            v.label,
                            v.yes.unwrap_or(0),
                            v.rule_label
                        )
                    } else {
                        format!(
                            "{}: {} yes did not reach {}",
                            v.label,
                            v.yes.unwrap_or(0),
                            v.rule_label
                        )
                    }
                }
                // The outcome label already says 暂缓 / deferred: the reason, and where it goes.
                (Some(MotionResult::Deferred), _) => match (&i.reason, zh) {
                    // Raised to the street by the council: not back on the list, but waiting
                    // for the street's answer.
                    (r, true) if i.escalated_to.is_some() => format!(
                        "上报{}，等待答复：{}",
                        i.escalated_to.as_deref().unwrap_or("街道"),
                        r.as_deref().unwrap_or_default()
                    ),
                    (r, false) if i.escalated_to.is_some() => format!(
                        "escalated to the {}, waiting for its answer: {}",
                        crate::domain::escalation::level_label(
                            i.escalated_to.as_deref().unwrap_or("街道"),
                            crate::domain::locale::Locale::En
                        ),
                        r.as_deref().unwrap_or_default()
                    ),
                    (Some(r), true) => format!("{r}；退回待议"),
                    (Some(r), false) => format!("{r}; back on the list for a later meeting"),
                    (None, true) => "退回待议".to_string(),
                    (None, false) => "back on the list for a later meeting".to_string(),
                },
                _ => (if zh { "未表决" } else { "not voted" }).to_string(),
            },
        })
        .collect()
}

fn public_notice(days: u32, zh: bool) -> String {
    if zh {
        format!(
            "本次会议决议自公示之日起公示{days}天（公示期）。公示期内，居民如有异议，可向社区居委会书面或口头反映。"
        )
    } else {
        format!(
            "The decisions will be posted publicly for {days} days from the date of the notice (public-notice period); residents may raise objections with the residents' committee during that period."
        )
    }
}

/// Everyone invited, by seat in the configured order, with how they attended.
fn sign_in(rec: &MeetingRecord, config: &Config, locale: Locale) -> Vec<SignIn> {
    let mut people: Vec<&crate::domain::meeting::Participant> = rec.participants.iter().collect();
    let configured: Vec<String> = config.seats.iter().map(|s| s.key.clone()).collect();
    people.sort_by_key(|p| {
        (
            crate::domain::record::seat_order(&p.seat, p.role, &configured),
            p.id,
        )
    });
    people
        .into_iter()
        .map(|p| SignIn {
            name: p.name.clone(),
            // Table cells start with a capital in English ("Committee representative").
            seat: super::words::capitalised(&super::words::seat_of_one(
                config,
                &p.seat,
                locale == Locale::ZhCn,
            )),
            attendance: super::words::capitalised(p.attendance.label(locale)),
        })
        .collect()
}

fn motion_view(v: &MotionRecord, locale: Locale) -> MotionView {
    let zh = locale == Locale::ZhCn;
    let m = &v.motion;
    let names = |choice: Choice| -> Vec<String> {
        v.ballots
            .iter()
            .filter(|b| b.choice == choice)
            .map(|b| match &b.by_proxy {
                Some(h) => format!("{}{}", b.name, super::words::proxy_vote(h, zh)),
                None => b.name.clone(),
            })
            .collect()
    };
    // A secret ballot is counted, but its minutes say how it was cast.
    let method = if m.secret {
        locale.pick("无记名投票", "secret ballot")
    } else {
        m.method.unwrap_or(VoteMethod::Count).label(locale)
    };
    MotionView {
        is_supplementary: m.kind == crate::domain::motion::MotionKind::Supplementary,
        label: m.label(),
        is_amendment: m.amends.is_some(),
        amends: m.amends.map(|a| format!("V{a}")),
        text: m.text.clone(),
        original_text: m.original_text.clone(),
        rule: m.rule.key().to_string(),
        rule_label: m.rule.description(locale).to_string(),
        method_label: method.to_string(),
        secret: m.secret,
        yes: m.tally.map(|t| t.yes),
        no: m.tally.map(|t| t.no),
        abstain: m.tally.map(|t| t.abstain),
        eligible_present: m.electorate.unwrap_or(v.electorate_now).present,
        result: m.result.map(|r| r.key().to_string()),
        result_label: MotionResult::label_or_pending(m.result, locale).to_string(),
        yes_names: names(Choice::Yes),
        no_names: names(Choice::No),
        abstain_names: names(Choice::Abstain),
        recusals: v
            .recusals
            .iter()
            .map(|r| RecusalView {
                name: r.name.clone(),
                reason: r.reason.clone(),
            })
            .collect(),
        corrections: v
            .corrections
            .iter()
            .map(|c| CorrectionView {
                old: c.old.to_string(),
                new: c.new.to_string(),
                old_result: c.old_result.label(locale).to_string(),
                new_result: c.new_result.label(locale).to_string(),
                reason: c.reason.clone(),
            })
            .collect(),
    }
}

/// Render with a built-in template or a user's own. Errors name the template and line.
/// `summary` picks the short chat-group text instead of the full minutes.
pub fn render(
    minutes: &Minutes,
    format: Format,
    summary: bool,
    user_template: Option<(&str, String)>,
) -> Result<String> {
    if format == Format::Json && user_template.is_none() {
        let mut s = serde_json::to_string_pretty(minutes)?;
        s.push('\n');
        return Ok(s);
    }
    let (name, builtin) = match format {
        Format::Html => ("minutes.html", HTML_TEMPLATE),
        Format::Text if summary => ("minutes-summary.txt", SUMMARY_TEMPLATE),
        Format::Text => ("minutes.txt", TEXT_TEMPLATE),
        _ => ("minutes.md", MD_TEMPLATE),
    };
    super::doc::render_template(
        minutes,
        name,
        builtin,
        super::doc::Markup::of(format),
        user_template,
    )
}
