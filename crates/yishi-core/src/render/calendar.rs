//! `yishi calendar`: the council's dates as an iCalendar file (RFC 5545) for a phone or a
//! desktop calendar: meetings, notice deadlines, 公示 periods and action due dates.
//!
//! Every event has a UID made of what it is and the community's name, never of the time it was
//! written, so that importing a regenerated file updates events instead of duplicating them.
//!
//! Meeting times are the council's local times; they are written in UTC (`…Z`), converted in
//! the council's time zone, so that a phone in another zone shows the right hour. Titles are
//! short enough for a phone's list and end at a phrase boundary; the whole text is the first
//! line of the description.

use crate::config::Locale;
use crate::domain::followup::NoticeKind;
use crate::domain::status::{ActionFacts, MeetingFacts, NoticeFacts};
use crate::ops::status::CalendarFacts;
use chrono::{NaiveDate, NaiveDateTime};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Trigger};

type Stamp = chrono::DateTime<chrono::Utc>;

/// Meetings with no recorded end are shown as two hours long.
const MEETING_HOURS: i64 = 2;

/// The UID suffix: one per community, stable across runs and machines.
pub fn uid_domain(community: &str) -> String {
    format!(
        "{:016x}.yishi",
        xxhash_rust::xxh3::xxh3_64(community.as_bytes())
    )
}

fn day(s: &str) -> Option<NaiveDate> {
    crate::domain::date::parse_date(s)
}

fn next_day(d: NaiveDate) -> NaiveDate {
    crate::domain::status::add_days(d, 1)
}

/// An all-day event from `first` to `last` inclusive (DTEND is exclusive in iCalendar).
fn days(
    uid: String,
    first: NaiveDate,
    last: NaiveDate,
    summary: &str,
    description: &str,
    stamp: Stamp,
) -> Event {
    Event::new()
        .timestamp(stamp)
        .uid(&uid)
        .summary(summary)
        .description(description)
        .starts(first)
        .ends(next_day(last.max(first)))
        .done()
}

/// A reminder `hours` before the start (an all-day event starts at midnight: 15 hours before is
/// 9:00 the day before). Its UID and stamp are fixed too, so the file is the same on every run.
fn alarm_before(event: &mut Event, text: &str, hours: i64) {
    let uid = event
        .get_uid()
        .map(|u| format!("alarm-{u}"))
        .unwrap_or_default();
    let mut alarm = Alarm::display(text, Trigger::before_start(chrono::Duration::hours(hours)));
    alarm.uid(&uid);
    if let Some(stamp) = event.get_timestamp() {
        alarm.timestamp(stamp);
    }
    event.alarm(alarm);
}

/// A title for a phone's list: the text whole when short, else up to the last phrase boundary
/// (，；。、：) that fits — or the first phrase whole when it ends within half as much again —
/// then「…」; a text without one is cut at `max` characters.
pub fn headline(text: &str, max: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= max {
        return text.to_string();
    }
    let boundary = |c: &char| "，,；;。：、 ".contains(*c);
    // The first phrase whole when it ends soon after `max`; else the phrases that fit.
    let cut = chars
        .iter()
        .position(boundary)
        .filter(|&i| i >= max / 3 && i <= max + max / 2)
        .or_else(|| {
            chars[..max]
                .iter()
                .rposition(boundary)
                .filter(|&i| i >= max / 3)
        })
        .unwrap_or(max);
    let head: String = chars[..cut].iter().collect();
    format!("{}…", head.trim_end())
}

fn meeting<Tz: chrono::TimeZone>(
    m: &MeetingFacts,
    domain: &str,
    zh: bool,
    stamp: Stamp,
    tz: &Tz,
) -> Option<Event> {
    let start = crate::domain::date::parse_datetime(&m.starts_at)?;
    let end = m
        .ended_at
        .as_deref()
        .and_then(|e| chrono::NaiveTime::parse_from_str(e, "%H:%M").ok())
        .map(|t| start.date().and_time(t))
        .filter(|e| *e > start)
        .unwrap_or(start + chrono::Duration::hours(MEETING_HOURS));
    let mut description = String::new();
    description.push_str(if zh { "议程：\n" } else { "Agenda:\n" });
    for (n, item) in m.agenda.iter().enumerate() {
        description.push_str(&format!("{}. {item}\n", n + 1));
    }
    description.push_str(&format!("\nM{}", m.id));
    let summary = if zh {
        format!("议事会：{}", m.title)
    } else {
        format!("Council: {}", m.title)
    };
    let mut e = Event::new()
        .timestamp(stamp)
        .uid(&format!("meeting-{}@{domain}", m.id))
        .summary(&summary)
        .location(&m.place)
        .description(&description)
        .starts(utc(start, tz))
        .ends(utc(end, tz))
        .done();
    alarm_before(&mut e, &summary, 24);
    Some(e)
}

/// A local time of the council as UTC; a time that does not exist locally (a DST gap) keeps
/// its wall-clock reading, floating.
fn utc<Tz: chrono::TimeZone>(t: NaiveDateTime, tz: &Tz) -> icalendar::CalendarDateTime {
    match tz.from_local_datetime(&t).earliest() {
        Some(local) => icalendar::CalendarDateTime::Utc(local.with_timezone(&chrono::Utc)),
        None => icalendar::CalendarDateTime::Floating(t),
    }
}

fn notice_deadline(m: &MeetingFacts, domain: &str, zh: bool, stamp: Stamp) -> Option<Event> {
    let meeting_day = day(&m.starts_at)?;
    let deadline = crate::domain::status::notice_deadline(meeting_day, m.notice_days);
    let (summary, description) = if zh {
        (
            format!("发布会议通知：{}", m.title),
            format!(
                "{} 的会议通知最迟今天张贴并在群内发布（提前 {} 天）。\nyishi council notice M{}",
                m.starts_at, m.notice_days, m.id
            ),
        )
    } else {
        (
            format!("Post the meeting notice: {}", m.title),
            format!(
                "Last day to post the notice of the meeting on {} ({} days ahead).\nyishi council notice M{}",
                m.starts_at, m.notice_days, m.id
            ),
        )
    };
    let mut e = days(
        format!("notice-deadline-{}@{domain}", m.id),
        deadline,
        deadline,
        &summary,
        &description,
        stamp,
    );
    alarm_before(&mut e, &summary, 15);
    Some(e)
}

fn notice_period(n: &NoticeFacts, domain: &str, zh: bool, stamp: Stamp) -> Option<Event> {
    let first = day(&n.starts_on)?;
    let last = n.ends_on.as_deref().and_then(day).unwrap_or(first);
    let (summary, description, uid) = match (n.kind, zh) {
        (NoticeKind::Decision, true) if n.repost_of.is_some() => (
            format!("决议重新公示（更正）：{}", n.title),
            format!(
                "更正后重新公示：{}。公示期 {first} 至 {last}，期间居民可提出异议。",
                n.repost_reason.as_deref().unwrap_or("")
            ),
            format!("decision-notice-{}@{domain}", n.id),
        ),
        (NoticeKind::Decision, false) if n.repost_of.is_some() => (
            format!("Decisions posted again (corrected): {}", n.title),
            format!(
                "Corrected and posted again: {}. Posted from {first} to {last}; residents may object during this period.",
                n.repost_reason.as_deref().unwrap_or("")
            ),
            format!("decision-notice-{}@{domain}", n.id),
        ),
        (NoticeKind::Decision, true) => (
            format!("决议公示：{}", n.title),
            format!("公示期 {first} 至 {last}，期间居民可提出异议。"),
            format!("decision-notice-{}@{domain}", n.id),
        ),
        (NoticeKind::Decision, false) => (
            format!("Decisions posted: {}", n.title),
            format!("Posted from {first} to {last}; residents may object during this period."),
            format!("decision-notice-{}@{domain}", n.id),
        ),
        (NoticeKind::Result, true) => (
            format!("实施结果公开：{}", n.title),
            format!("实施结果于 {first} 公开。"),
            format!("result-notice-{}@{domain}", n.id),
        ),
        (NoticeKind::Result, false) => (
            format!("Results published: {}", n.title),
            format!("The results were published on {first}."),
            format!("result-notice-{}@{domain}", n.id),
        ),
        // A meeting's notice is its meeting's event.
        (NoticeKind::Meeting, _) => return None,
    };
    Some(days(uid, first, last, &summary, &description, stamp))
}

fn action(a: &ActionFacts, domain: &str, zh: bool, stamp: Stamp) -> Option<Event> {
    let due = day(a.due.as_deref()?)?;
    let owner = a.owner.as_deref();
    // The title names the action's first phrase and its owner; the whole action comes first
    // in the description.
    let (summary, mut description) = if zh {
        (
            format!(
                "落实到期：{}（{}）",
                headline(&a.text, 16),
                owner.map_or("未指定责任人".to_string(), |o| format!("责任人 {o}"))
            ),
            format!(
                "{}\n议题{}：{}\n进度 {}%",
                a.text, a.issue_id, a.issue_title, a.progress
            ),
        )
    } else {
        (
            format!(
                "Action due: {} ({})",
                headline(&a.text, 40),
                owner.map_or("no owner".to_string(), |o| format!("owner {o}"))
            ),
            format!(
                "{}\nIssue {}: {}\n{}% done",
                a.text, a.issue_id, a.issue_title, a.progress
            ),
        )
    };
    match (&a.done_on, zh) {
        (Some(d), true) => description.push_str(&format!("，{d} 已完成")),
        (Some(d), false) => description.push_str(&format!(", done on {d}")),
        (None, _) => description.push_str(&format!("\nyishi action done A{}", a.id)),
    }
    let mut e = days(
        format!("action-{}@{domain}", a.id),
        due,
        due,
        &summary,
        &description,
        stamp,
    );
    if a.done_on.is_none() {
        alarm_before(&mut e, &summary, 15);
    }
    Some(e)
}

/// The whole calendar as RFC 5545 text. `stamp` is DTSTAMP (when the file was made, UTC).
pub fn ics<Tz: chrono::TimeZone>(
    facts: &CalendarFacts,
    community: &str,
    locale: Locale,
    stamp: Stamp,
    tz: &Tz,
) -> String {
    let zh = locale == Locale::ZhCn;
    let domain = uid_domain(community);
    let mut cal = Calendar::new();
    let name = if zh {
        format!("{community}议事日历")
    } else {
        format!("{community} council calendar")
    };
    // icalendar escapes X-WR-CALNAME as TEXT but writes NAME as given: a comma in the
    // community's name would end the value early there (RFC 5545, 3.3.11).
    cal.append_property(icalendar::Property::new("NAME", escape_text(&name)));
    cal.append_property(icalendar::Property::new("X-WR-CALNAME", &name));
    let mut events: Vec<Event> = Vec::new();
    for m in &facts.meetings {
        events.extend(meeting(m, &domain, zh, stamp, tz));
        events.extend(notice_deadline(m, &domain, zh, stamp));
    }
    for n in &facts.notices {
        events.extend(notice_period(n, &domain, zh, stamp));
    }
    for a in &facts.actions {
        events.extend(action(a, &domain, zh, stamp));
    }
    for e in events {
        cal.push(e);
    }
    cal.done().to_string()
}

/// A TEXT value escaped as RFC 5545 (3.3.11) says: backslash, comma, semicolon, newline.
fn escape_text(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace(',', "\\,")
        .replace(';', "\\;")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod headline_tests {
    use super::headline;

    #[test]
    fn titles_end_at_a_phrase_boundary() {
        assert_eq!(headline("发起图书募捐", 16), "发起图书募捐");
        assert_eq!(
            headline(
                "老年活动室增加下午13:30—17:00开放，由物业安排专人值守并登记",
                16
            ),
            "老年活动室增加下午13:30—17:00开放…"
        );
        assert_eq!(
            headline(
                "在小区东侧空地划线，增加停车位，并安排夜间巡查和违停劝离",
                16
            ),
            "在小区东侧空地划线…"
        );
    }
}
