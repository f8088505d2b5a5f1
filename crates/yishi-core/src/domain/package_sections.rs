//! The record sections of a report package (version 2): the period's issues, meetings,
//! motions, resolutions, actions, postings and feedback, as the street office may see them.
//!
//! Nothing personal leaves the community: no phone, no address, no note or free-text reason;
//! residents' names (submitters, owners) are masked like everywhere else (陈阿姨 → 陈**),
//! organisations stay as written; council members appear by their seat only, never by name.
//! Free texts that the council publishes anyway (titles, motion and resolution texts) have any
//! run of seven or more digits masked (`scrub`), so a phone typed into a title does not leave.
//! Each section's rows are built only through its constructor, which does the masking.

use crate::domain::contact::{is_organisation, mask_name};
use crate::domain::package::Ratio;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A person's name as a package shows it: an organisation's as written, anyone else's masked.
pub fn shown_name(name: &str) -> String {
    if is_organisation(name) {
        name.to_string()
    } else {
        mask_name(name)
    }
}

/// `text` with every run of seven or more digits (spaces and dashes between them allowed)
/// masked but for its last four digits: 请联系13912345678 → 请联系*******5678.
pub fn scrub(text: &str) -> String {
    // Most texts (a million titles in a large package) hold no such run: no work for them.
    if !has_seven_digits(text) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The run: digits with single spaces or dashes between them.
        let mut end = i;
        let mut digits = 0;
        let mut j = i;
        while j < chars.len() {
            if chars[j].is_ascii_digit() {
                digits += 1;
                end = j + 1;
                j += 1;
            } else if matches!(chars[j], ' ' | '-')
                && chars.get(j + 1).is_some_and(|c| c.is_ascii_digit())
            {
                j += 1;
            } else {
                break;
            }
        }
        let run: String = chars[i..end].iter().collect();
        if digits >= 7 && !looks_like_date(&run) {
            let mut left = digits;
            for &c in &chars[i..end] {
                if c.is_ascii_digit() {
                    out.push(if left > 4 { '*' } else { c });
                    left -= 1;
                } else {
                    out.push(c);
                }
            }
        } else {
            out.extend(&chars[i..end]);
        }
        i = end;
    }
    out
}

/// Whether `text` holds seven digits at all (else [`scrub`] leaves it as it is).
fn has_seven_digits(text: &str) -> bool {
    text.bytes().filter(u8::is_ascii_digit).nth(6).is_some()
}

/// 2026-08-31: a date written with dashes, not a phone.
fn looks_like_date(run: &str) -> bool {
    let groups: Vec<&str> = run.split('-').collect();
    groups.len() == 3
        && groups[0].len() == 4
        && groups[1..].iter().all(|g| (1..=2).contains(&g.len()))
}

/// The record sections of one package, as the store reads them for a period.
#[derive(Debug, Clone, Default)]
pub struct Sections {
    pub issues: Vec<PackageIssue>,
    pub meetings: Vec<PackageMeeting>,
    pub motions: Vec<PackageMotion>,
    pub resolutions: Vec<PackageResolution>,
    pub actions: Vec<PackageAction>,
    pub postings: Vec<PackagePosting>,
    pub feedback: FeedbackCounts,
}

fn issue_ref(id: i64) -> String {
    format!("#{id}")
}

/// One issue raised in the period.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PackageIssue {
    pub issue: String,
    pub title: String,
    pub category: Option<String>,
    pub channel: String,
    pub raised_on: String,
    /// The status key (`collected` … `completed`, `escalated`).
    pub status: String,
    /// Who raised it, and the residents of duplicates merged into it: masked.
    pub submitters: Vec<String>,
    pub merged_into: Option<String>,
}

/// An issue as the store reads it, before masking.
pub struct IssueFacts<'a> {
    pub id: i64,
    pub title: &'a str,
    pub category: Option<&'a str>,
    pub channel: &'a str,
    pub raised_on: &'a str,
    pub status: &'static str,
    pub merged_into: Option<i64>,
}

impl PackageIssue {
    /// The issue with its submitters' names masked.
    pub fn new<'n>(f: &IssueFacts<'_>, submitters: impl Iterator<Item = &'n str>) -> PackageIssue {
        PackageIssue {
            issue: issue_ref(f.id),
            title: scrub(f.title),
            category: f.category.map(String::from),
            channel: f.channel.to_string(),
            raised_on: f.raised_on.to_string(),
            status: f.status.to_string(),
            submitters: submitters.map(shown_name).collect(),
            merged_into: f.merged_into.map(issue_ref),
        }
    }
}

/// Writes one issue's JSON to `out`, byte for byte what serde_json writes for
/// [`PackageIssue::new`] of the same facts, without building it: a package streams a million
/// issues from the store's rows. `scratch` is reused for the masked names.
pub fn write_issue<'n>(
    out: &mut Vec<u8>,
    f: &IssueFacts<'_>,
    submitters: impl Iterator<Item = &'n str>,
    scratch: &mut String,
) {
    use std::io::Write;
    // Writing to a Vec cannot fail; serde_json escapes strings as it does for the struct.
    let string = |out: &mut Vec<u8>, s: &str| {
        let _ = serde_json::to_writer(&mut *out, s);
    };
    let _ = write!(out, "{{\"issue\":\"#{}\",\"title\":", f.id);
    if has_seven_digits(f.title) {
        string(out, &scrub(f.title));
    } else {
        string(out, f.title);
    }
    out.extend_from_slice(b",\"category\":");
    match f.category {
        Some(c) => string(out, c),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"channel\":");
    string(out, f.channel);
    out.extend_from_slice(b",\"raised_on\":");
    string(out, f.raised_on);
    out.extend_from_slice(b",\"status\":");
    string(out, f.status);
    out.extend_from_slice(b",\"submitters\":[");
    for (i, name) in submitters.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if is_organisation(name) {
            string(out, name);
        } else {
            scratch.clear();
            mask_name_into(name, scratch);
            string(out, scratch);
        }
    }
    out.extend_from_slice(b"],\"merged_into\":");
    match f.merged_into {
        Some(m) => {
            let _ = write!(out, "\"#{m}\"");
        }
        None => out.extend_from_slice(b"null"),
    }
    out.push(b'}');
}

/// [`mask_name`] into a buffer: the first character, then a star for each other (at least one).
fn mask_name_into(name: &str, out: &mut String) {
    let mut chars = name.chars();
    if let Some(first) = chars.next() {
        out.push(first);
        for _ in 0..chars.count().max(1) {
            out.push('*');
        }
    }
}

/// One member or resident invited to a meeting, by seat only.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Seat {
    /// The seat (楼栋长代表, 利益相关方, 列席 …), never the name.
    pub seat: String,
    /// `standing`, `stakeholder` or `observer`.
    pub role: String,
    /// `invited`, `present`, `proxy` or `absent`.
    pub attendance: String,
}

/// An item on a meeting's agenda and how it ended there.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Item {
    pub issue: String,
    /// `adopted`, `not-adopted`, `deferred`, or none while undecided.
    pub outcome: Option<String>,
}

impl Item {
    pub fn new(issue_id: i64, outcome: Option<&'static str>) -> Item {
        Item {
            issue: issue_ref(issue_id),
            outcome: outcome.map(String::from),
        }
    }
}

/// A meeting set for a day in the period.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PackageMeeting {
    pub meeting: String,
    pub number: i64,
    pub title: String,
    /// Local time, `YYYY-MM-DD HH:MM`.
    pub starts_at: String,
    pub place: String,
    /// `convened`, `open` or `closed`.
    pub status: String,
    pub urgent: bool,
    /// Opened without a quorum (discussion only).
    pub without_quorum: bool,
    pub seats: Vec<Seat>,
    pub items: Vec<Item>,
}

/// A meeting as the store reads it.
pub struct MeetingFacts {
    pub id: i64,
    pub number: i64,
    pub title: String,
    pub starts_at: String,
    pub place: String,
    pub status: &'static str,
    pub urgent: bool,
    pub without_quorum: bool,
}

impl PackageMeeting {
    pub fn new(f: MeetingFacts, seats: Vec<Seat>, items: Vec<Item>) -> PackageMeeting {
        PackageMeeting {
            meeting: format!("M{}", f.id),
            number: f.number,
            title: scrub(&f.title),
            starts_at: f.starts_at,
            place: scrub(&f.place),
            status: f.status.to_string(),
            urgent: f.urgent,
            without_quorum: f.without_quorum,
            seats,
            items,
        }
    }
}

/// A motion put at a meeting of the period, with its count and result.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PackageMotion {
    pub motion: String,
    pub meeting: String,
    pub issue: String,
    /// The motion this one amends.
    pub amends: Option<String>,
    pub text: String,
    /// The majority rule (`majority-present`, `simple`, `two-thirds`, `absolute`, `consensus`).
    pub rule: String,
    pub secret: bool,
    /// `roll-call` or `count`, once voted.
    pub method: Option<String>,
    pub yes: Option<i64>,
    pub no: Option<i64>,
    pub abstain: Option<i64>,
    /// Voters present and invited when the count was taken.
    pub electorate_present: Option<i64>,
    pub electorate_invited: Option<i64>,
    /// `adopted`, `not-adopted` or `deferred`; none while open.
    pub result: Option<String>,
    /// Recounts (复核) recorded after the vote.
    pub recounts: u64,
}

/// A motion as the store reads it.
pub struct MotionFacts {
    pub id: i64,
    pub meeting_id: i64,
    pub issue_id: i64,
    pub amends: Option<i64>,
    pub text: String,
    pub rule: &'static str,
    pub secret: bool,
    pub method: Option<&'static str>,
    pub count: (Option<i64>, Option<i64>, Option<i64>),
    pub electorate: (Option<i64>, Option<i64>),
    pub result: Option<&'static str>,
    pub recounts: u64,
}

impl PackageMotion {
    pub fn new(f: MotionFacts) -> PackageMotion {
        PackageMotion {
            motion: format!("V{}", f.id),
            meeting: format!("M{}", f.meeting_id),
            issue: issue_ref(f.issue_id),
            amends: f.amends.map(|a| format!("V{a}")),
            text: scrub(&f.text),
            rule: f.rule.to_string(),
            secret: f.secret,
            method: f.method.map(String::from),
            yes: f.count.0,
            no: f.count.1,
            abstain: f.count.2,
            electorate_present: f.electorate.0,
            electorate_invited: f.electorate.1,
            result: f.result.map(String::from),
            recounts: f.recounts,
        }
    }
}

/// A resolution made at a meeting of the period.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PackageResolution {
    pub resolution: String,
    pub issue: String,
    pub meeting: String,
    pub motion: String,
    pub text: String,
    /// Masked like a resident's name; an organisation as written.
    pub owner: Option<String>,
    pub due: Option<String>,
    pub withdrawn: bool,
}

/// A resolution or an action as the store reads it.
pub struct ResolutionFacts {
    pub id: i64,
    pub issue_id: i64,
    pub meeting_id: i64,
    pub motion_id: i64,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub withdrawn: bool,
}

impl PackageResolution {
    pub fn new(f: ResolutionFacts) -> PackageResolution {
        PackageResolution {
            resolution: format!("R{}", f.id),
            issue: issue_ref(f.issue_id),
            meeting: format!("M{}", f.meeting_id),
            motion: format!("V{}", f.motion_id),
            text: scrub(&f.text),
            owner: f.owner.as_deref().map(shown_name),
            due: f.due,
            withdrawn: f.withdrawn,
        }
    }
}

/// How an action stands on the package's day, as the figures count it.
pub fn action_state(
    withdrawn: bool,
    due: Option<&str>,
    done_on: Option<&str>,
    as_of: &str,
) -> &'static str {
    match (withdrawn, done_on, due) {
        (true, _, _) => "withdrawn",
        (false, Some(done), Some(due)) if done > due => "done-late",
        (false, Some(_), _) => "done-on-time",
        (false, None, Some(due)) if due < as_of => "overdue",
        (false, None, _) => "open",
    }
}

/// An action carrying out a resolution of the period.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PackageAction {
    pub action: String,
    pub resolution: String,
    pub issue: String,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    /// 0–100, as last reported.
    pub progress: i64,
    /// The day of the last progress report.
    pub reported_on: Option<String>,
    pub done_on: Option<String>,
    /// On the package's day: `open`, `overdue`, `done-on-time`, `done-late` or `withdrawn`.
    pub state: String,
}

/// An action as the store reads it.
pub struct ActionFacts {
    pub id: i64,
    pub resolution_id: i64,
    pub issue_id: i64,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub progress: i64,
    pub reported_on: Option<String>,
    pub done_on: Option<String>,
    pub withdrawn: bool,
}

impl PackageAction {
    pub fn new(f: ActionFacts, as_of: &str) -> PackageAction {
        let state = action_state(f.withdrawn, f.due.as_deref(), f.done_on.as_deref(), as_of);
        PackageAction {
            action: format!("A{}", f.id),
            resolution: format!("R{}", f.resolution_id),
            issue: issue_ref(f.issue_id),
            text: scrub(&f.text),
            owner: f.owner.as_deref().map(shown_name),
            due: f.due,
            progress: f.progress,
            reported_on: f.reported_on,
            done_on: f.done_on,
            state: state.to_string(),
        }
    }
}

/// A posting (公示 of a meeting's decisions, or a result notice) that went up in the period.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PackagePosting {
    /// `decision` (决议公示) or `result` (结果公示).
    pub kind: String,
    pub meeting: Option<String>,
    pub issue: Option<String>,
    pub starts_on: String,
    pub ends_on: Option<String>,
    /// Days up, both days counted; none while no end is set.
    pub days: Option<i64>,
    pub signed_on: Option<String>,
    /// Posted again (after a correction).
    pub repost: bool,
}

impl PackagePosting {
    pub fn new(
        kind: &str,
        meeting_id: Option<i64>,
        issue_id: Option<i64>,
        (starts_on, ends_on): (String, Option<String>),
        signed_on: Option<String>,
        repost: bool,
    ) -> PackagePosting {
        let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let days = match (day(&starts_on), ends_on.as_deref().and_then(day)) {
            (Some(a), Some(b)) => Some((b - a).num_days() + 1),
            _ => None,
        };
        PackagePosting {
            kind: kind.to_string(),
            meeting: meeting_id.map(|m| format!("M{m}")),
            issue: issue_id.map(issue_ref),
            starts_on,
            ends_on,
            days,
            signed_on,
            repost,
        }
    }
}

/// Feedback given in the period, counted: no resident, no note.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct FeedbackCounts {
    pub responses: u64,
    /// Score (1–5) → how many gave it.
    pub scores: BTreeMap<String, u64>,
    /// Scores 4–5 ÷ scores (满意率), as the figures count it.
    pub satisfaction: Ratio,
    /// Aware = yes ÷ answers (知晓率).
    pub awareness: Ratio,
    /// Channel → responses.
    pub by_channel: BTreeMap<String, u64>,
    /// Per issue, the issues in id order.
    pub by_issue: Vec<IssueFeedback>,
}

/// The feedback on one issue.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct IssueFeedback {
    pub issue: String,
    pub responses: u64,
    pub satisfaction: Ratio,
    pub awareness: Ratio,
}

impl FeedbackCounts {
    /// Add one response: its issue, score, awareness answer and channel. Responses come in
    /// issue order.
    pub fn add(
        &mut self,
        issue_id: i64,
        score: Option<i64>,
        aware: Option<bool>,
        channel: Option<&str>,
    ) {
        let issue = issue_ref(issue_id);
        if self.by_issue.last().is_none_or(|l| l.issue != issue) {
            self.by_issue.push(IssueFeedback {
                issue,
                ..IssueFeedback::default()
            });
        }
        let one = |satisfied: bool| Ratio::new(u64::from(satisfied), 1);
        let zero = Ratio::default();
        let sat = score.map_or(zero, |s| one(s >= 4));
        let awa = aware.map_or(zero, one);
        if let Some(s) = score {
            *self.scores.entry(s.to_string()).or_default() += 1;
        }
        *self
            .by_channel
            .entry(channel.unwrap_or_default().to_string())
            .or_default() += 1;
        self.responses += 1;
        self.satisfaction = self.satisfaction + sat;
        self.awareness = self.awareness + awa;
        if let Some(last) = self.by_issue.last_mut() {
            last.responses += 1;
            last.satisfaction = last.satisfaction + sat;
            last.awareness = last.awareness + awa;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_issue_is_what_serde_writes_for_the_struct() {
        let titles = ["路灯不亮", "请联系13912345678 \"急\"\n", "", "a\\b\u{1}"];
        let names: [&[&str]; 4] = [
            &["陈阿姨"],
            &["物业公司", "林", "诸葛小花"],
            &[],
            &["", "\"x\""],
        ];
        let mut scratch = String::new();
        for (i, (title, names)) in titles.iter().zip(names).enumerate() {
            let f = IssueFacts {
                id: i as i64 + 1,
                title,
                category: (i % 2 == 0).then_some("环境卫生"),
                channel: "线下",
                raised_on: "2026-08-01",
                status: "collected",
                merged_into: (i == 1).then_some(7),
            };
            let mut out = Vec::new();
            write_issue(&mut out, &f, names.iter().copied(), &mut scratch);
            let old = serde_json::to_vec(&PackageIssue::new(&f, names.iter().copied())).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                String::from_utf8(old).unwrap()
            );
        }
    }

    #[test]
    fn scrub_masks_long_digit_runs_only() {
        assert_eq!(scrub("请联系13912345678"), "请联系*******5678");
        assert_eq!(scrub("电话 0571-8888 6666 转"), "电话 ****-**** 6666 转");
        assert_eq!(
            scrub("增加12个停车位，2026年完成"),
            "增加12个停车位，2026年完成"
        );
        assert_eq!(scrub("3栋201"), "3栋201");
        assert_eq!(scrub("于2026-08-31前完成"), "于2026-08-31前完成");
    }

    #[test]
    fn names_are_masked_but_organisations_kept() {
        assert_eq!(shown_name("陈阿姨"), "陈**");
        assert_eq!(shown_name("物业公司"), "物业公司");
    }

    #[test]
    fn action_states_follow_the_figures() {
        let s = |w, due, done| action_state(w, due, done, "2026-09-30");
        assert_eq!(s(false, Some("2026-09-01"), None), "overdue");
        assert_eq!(s(false, Some("2026-09-30"), None), "open");
        assert_eq!(s(false, None, None), "open");
        assert_eq!(
            s(false, Some("2026-09-01"), Some("2026-09-02")),
            "done-late"
        );
        assert_eq!(
            s(false, Some("2026-09-01"), Some("2026-09-01")),
            "done-on-time"
        );
        assert_eq!(s(true, Some("2026-09-01"), None), "withdrawn");
    }

    #[test]
    fn feedback_is_counted_per_issue_and_in_all() {
        let mut f = FeedbackCounts::default();
        f.add(3, Some(5), Some(true), Some("线下"));
        f.add(3, Some(2), None, Some("线下"));
        f.add(7, None, Some(false), None);
        assert_eq!(f.responses, 3);
        assert_eq!(f.satisfaction, Ratio::new(1, 2));
        assert_eq!(f.awareness, Ratio::new(1, 2));
        assert_eq!(f.by_issue.len(), 2);
        assert_eq!(f.by_issue[0].satisfaction, Ratio::new(1, 2));
        assert_eq!(f.scores.get("5"), Some(&1));
    }
}
