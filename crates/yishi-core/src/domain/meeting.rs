//! Meetings: their status, attendance, and who counts for quorum and votes.

use super::Refusal;
use super::locale::Locale;
use super::motion::{MotionResult, SpeechPosition};
use super::rules::{Electorate, Quorum, QuorumBase, quorum};
use super::seat::{SeatKind, StakeholdersVote};
use crate::config::Rules;
use crate::i18n::Text;
use crate::text;
use chrono::NaiveTime;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MeetingStatus {
    /// Convened and announced; attendance may be recorded.
    Convened,
    /// In session: speeches and votes are recorded.
    Open,
    /// Ended: the record is read-only until reopened with a reason.
    Closed,
}

impl MeetingStatus {
    pub fn key(self) -> &'static str {
        match self {
            MeetingStatus::Convened => "convened",
            MeetingStatus::Open => "open",
            MeetingStatus::Closed => "closed",
        }
    }
    /// 进行中 / open.
    pub fn label(self, locale: Locale) -> &'static str {
        let zh = match self {
            MeetingStatus::Convened => "已召集",
            MeetingStatus::Open => "进行中",
            MeetingStatus::Closed => "已散会",
        };
        locale.pick(zh, self.key())
    }
    pub fn parse(s: &str) -> Option<MeetingStatus> {
        match s {
            "convened" => Some(MeetingStatus::Convened),
            "open" => Some(MeetingStatus::Open),
            "closed" => Some(MeetingStatus::Closed),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attendance {
    Invited,
    Present,
    /// Represented by a proxy holder with a recorded authorisation (委托).
    Proxy,
    Absent,
}

impl Attendance {
    pub fn key(self) -> &'static str {
        match self {
            Attendance::Invited => "invited",
            Attendance::Present => "present",
            Attendance::Proxy => "proxy",
            Attendance::Absent => "absent",
        }
    }
    pub fn parse(s: &str) -> Option<Attendance> {
        match s {
            "invited" => Some(Attendance::Invited),
            "present" => Some(Attendance::Present),
            "proxy" => Some(Attendance::Proxy),
            "absent" => Some(Attendance::Absent),
            _ => None,
        }
    }
    /// 委托 / by proxy. "Invited" reads as not (yet) signed in (未签到): invited, not come.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            Attendance::Present => locale.pick("出席", "present"),
            Attendance::Proxy => locale.pick("委托", "by proxy"),
            Attendance::Absent => locale.pick("缺席", "absent"),
            Attendance::Invited => locale.pick("未签到", "not signed in"),
        }
    }

    /// Present in person or represented by a proxy.
    pub fn counts_as_present(self) -> bool {
        matches!(self, Attendance::Present | Attendance::Proxy)
    }
}

/// A council meeting as recorded.
#[derive(Debug, Clone, Serialize)]
pub struct Meeting {
    pub id: i64,
    pub number: i64,
    pub title: String,
    pub starts_at: String,
    pub place: String,
    pub chair: Option<String>,
    pub recorder: Option<String>,
    pub urgent: bool,
    pub rules: Rules,
    pub status: MeetingStatus,
    pub opened_at: Option<String>,
    pub without_quorum: bool,
    pub ended_at: Option<String>,
}

impl Meeting {
    pub fn status(&self) -> MeetingStatus {
        self.status
    }

    pub fn label(&self) -> String {
        format!("M{}", self.id)
    }

    /// Refuse to change a closed meeting: the record is final until reopened with a reason.
    pub fn ensure_not_closed(&self) -> Result<(), Refusal> {
        if self.status() == MeetingStatus::Closed {
            return Err(Refusal(text!(
                "meeting.closed_read_only",
                meeting = self.label()
            )));
        }
        Ok(())
    }

    /// The day the meeting is set for (its scheduled start, `YYYY-MM-DD HH:MM`).
    pub fn scheduled_day(&self) -> Option<chrono::NaiveDate> {
        self.starts_at
            .get(..10)
            .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    }

    /// A step of the meeting (attendance, opening, a speech, a vote, the close, the decision
    /// notice) happens on or after the day it is set for: recorded earlier, it would date the
    /// record before the meeting. `what` names the step (`text!("step.vote")`).
    pub fn ensure_day_reached(&self, today: chrono::NaiveDate, what: &Text) -> Result<(), Refusal> {
        match self.scheduled_day() {
            Some(day) if today < day => Err(Refusal(
                text!(
                    "meeting.before_its_day",
                    meeting = self.label(),
                    set = &self.starts_at,
                    today = today,
                    day = day
                )
                .text("what", what),
            )),
            _ => Ok(()),
        }
    }

    /// Whether `today` is the meeting's day: only then is the clock of a step the meeting's
    /// clock.
    pub fn is_on_the_day(&self, today: chrono::NaiveDate) -> bool {
        self.scheduled_day() == Some(today)
    }

    /// Refuse unless the meeting is in session; `what` says what needs it to be
    /// (`text!("in_session.votes_cast")`).
    pub fn ensure_open(&self, what: &Text) -> Result<(), Refusal> {
        match self.status() {
            MeetingStatus::Open => Ok(()),
            MeetingStatus::Convened => Err(Refusal(
                text!("meeting.not_opened", meeting = self.label()).text("what", what),
            )),
            MeetingStatus::Closed => self.ensure_not_closed(),
        }
    }
}

/// Someone invited to a meeting: a member, a stakeholder or an observer.
#[derive(Debug, Clone, Serialize)]
pub struct Participant {
    pub id: i64,
    pub member_id: Option<i64>,
    pub name: String,
    pub seat: String,
    pub role: SeatKind,
    /// The agenda items a stakeholder is invited for (a party to several items is invited
    /// for each), in the order they were added.
    pub items: Vec<i64>,
    pub phone: Option<String>,
    pub attendance: Attendance,
    pub online: bool,
    pub late_at: Option<String>,
    pub absence_reason: Option<String>,
    pub proxy_holder: Option<String>,
    pub authorisation: Option<String>,
    /// Left before the end, at HH:MM.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_at: Option<String>,
}

/// What the rules need to know of one invited person.
#[derive(Debug, Clone)]
pub struct Place {
    pub kind: SeatKind,
    pub attendance: Attendance,
    pub recused: bool,
    /// The agenda items a stakeholder was invited for.
    pub items: Vec<i64>,
    /// Arrival, when recorded as late (`attend --late HH:MM`).
    pub arrived: Option<NaiveTime>,
    /// Departure before the end (`council leave --at HH:MM`).
    pub left: Option<NaiveTime>,
}

impl Place {
    /// Present (in person or by proxy) at the meeting's clock time `t`: arrived by then and
    /// not yet left. A proxy counts from the start.
    pub fn present_at(&self, t: NaiveTime) -> bool {
        self.attendance.counts_as_present()
            && self.arrived.is_none_or(|a| a <= t)
            && self.left.is_none_or(|l| l > t)
    }

    /// Present now, as the record stands: attended and not recorded as having left.
    pub fn present_now(&self) -> bool {
        self.attendance.counts_as_present() && self.left.is_none()
    }
}

fn counts_for_quorum(p: &Place, rules: &Rules) -> bool {
    match rules.quorum_base {
        QuorumBase::Standing => p.kind == SeatKind::Standing,
        QuorumBase::Voters => p.kind.votes(rules.stakeholders_vote),
    }
}

/// Quorum over the meeting's invitations, counting everyone recorded as attending.
pub fn quorum_of(places: &[Place], rules: &Rules) -> Quorum {
    let counted: Vec<&Place> = places
        .iter()
        .filter(|p| counts_for_quorum(p, rules))
        .collect();
    let present = counted
        .iter()
        .filter(|p| p.attendance.counts_as_present())
        .count() as u32;
    quorum(rules.quorum, counted.len() as u32, present)
}

/// Quorum at the meeting's clock time `t` (`council open --at T`): those who arrive later or
/// have left by then do not count.
pub fn quorum_at(places: &[Place], rules: &Rules, t: NaiveTime) -> Quorum {
    let counted: Vec<&Place> = places
        .iter()
        .filter(|p| counts_for_quorum(p, rules))
        .collect();
    let present = counted.iter().filter(|p| p.present_at(t)).count() as u32;
    quorum(rules.quorum, counted.len() as u32, present)
}

/// Quorum now, as the record stands: those recorded as having left do not count.
pub fn quorum_now(places: &[Place], rules: &Rules) -> Quorum {
    let counted: Vec<&Place> = places
        .iter()
        .filter(|p| counts_for_quorum(p, rules))
        .collect();
    let present = counted.iter().filter(|p| p.present_now()).count() as u32;
    quorum(rules.quorum, counted.len() as u32, present)
}

/// Eligible voters for a motion on any item: voting seats, not recused; present and invited.
pub fn electorate(places: &[Place], rule: StakeholdersVote) -> Electorate {
    count_electorate(places.iter().filter(|p| p.kind.votes(rule) && !p.recused))
}

/// Eligible voters for a motion on agenda item `item`: stakeholders only on their own items
/// (under `own-items`); those who have left are no longer present.
pub fn electorate_for_item(places: &[Place], rule: StakeholdersVote, item: i64) -> Electorate {
    let eligible = places
        .iter()
        .filter(|p| p.kind.votes_on(rule, &p.items, item) && !p.recused);
    let mut e = Electorate::default();
    for p in eligible {
        e.invited += 1;
        if p.present_now() {
            e.present += 1;
        }
    }
    e
}

fn count_electorate<'a>(eligible: impl Iterator<Item = &'a Place>) -> Electorate {
    let mut e = Electorate::default();
    for p in eligible {
        e.invited += 1;
        if p.attendance.counts_as_present() {
            e.present += 1;
        }
    }
    e
}

/// 应到 / 实到 / 缺席 / 未记录 over the invited voters: every one is in exactly one of the
/// last three, so the minutes' counts always add up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct AttendanceCounts {
    pub expected: u32,
    pub present: u32,
    pub absent: u32,
    pub not_recorded: u32,
}

pub fn attendance_counts(places: &[Place], rule: StakeholdersVote) -> AttendanceCounts {
    let mut c = AttendanceCounts::default();
    for p in places.iter().filter(|p| p.kind.votes(rule)) {
        c.expected += 1;
        match p.attendance {
            Attendance::Present | Attendance::Proxy => c.present += 1,
            Attendance::Absent => c.absent += 1,
            Attendance::Invited => c.not_recorded += 1,
        }
    }
    c
}

/// Someone who has voted at this meeting was there: they cannot be marked absent (they may
/// leave after the vote, with a time).
pub fn check_absence(meeting: &str, name: &str, votes_cast: &[String]) -> Result<(), Refusal> {
    if votes_cast.is_empty() {
        return Ok(());
    }
    Err(Refusal(
        text!("meeting.absent_but_voted", meeting = meeting, name = name).pair(
            "votes",
            votes_cast.join("、"),
            votes_cast.join(", "),
        ),
    ))
}

/// A departure must come after the arrival and, when the meeting has opened, not before it.
pub fn check_departure(
    arrived: Option<NaiveTime>,
    opened: Option<NaiveTime>,
    left: NaiveTime,
) -> Result<(), Refusal> {
    if let Some(a) = arrived.filter(|a| left <= *a) {
        return Err(Refusal(text!(
            "meeting.left_before_arrival",
            at = left.format("%H:%M"),
            arrived = a.format("%H:%M")
        )));
    }
    if let Some(o) = opened.filter(|o| left < *o) {
        return Err(Refusal(text!(
            "meeting.left_before_opening",
            at = left.format("%H:%M"),
            opened = o.format("%H:%M")
        )));
    }
    Ok(())
}

/// `council open`: a convened meeting opens with a quorum, or without one when the secretary
/// says so (and the minutes show it).
pub fn may_open(m: &Meeting, q: Quorum, without_quorum: bool) -> Result<(), Refusal> {
    match m.status {
        MeetingStatus::Open => {
            return Err(Refusal(text!("meeting.open_already", meeting = m.label())));
        }
        MeetingStatus::Closed => {
            return Err(Refusal(text!("meeting.closed_reopen", meeting = m.label())));
        }
        MeetingStatus::Convened => {}
    }
    if !q.met && !without_quorum {
        return Err(Refusal(text!(
            "meeting.no_quorum",
            meeting = m.label(),
            present = q.present,
            base = q.base,
            needed = q.needed,
            rule = m.rules.quorum
        )));
    }
    Ok(())
}

/// The end (散会) of a meeting cannot come before its opening.
pub fn check_end(m: &Meeting, opened: Option<NaiveTime>, end: NaiveTime) -> Result<(), Refusal> {
    if let Some(o) = opened.filter(|o| end < *o) {
        return Err(Refusal(text!(
            "meeting.end_before_opening",
            meeting = m.label(),
            opened = o.format("%H:%M"),
            end = end.format("%H:%M")
        )));
    }
    Ok(())
}

/// `council close`: only a meeting in session, and only when every motion has its result.
pub fn may_close(m: &Meeting, unfinished_motions: &[String]) -> Result<(), Refusal> {
    m.ensure_open(&text!("in_session.meeting_closed"))?;
    if let Some(first) = unfinished_motions.first() {
        return Err(Refusal(
            text!(
                "meeting.motions_unfinished",
                meeting = m.label(),
                first = first
            )
            .pair(
                "motions",
                unfinished_motions.join("、"),
                unfinished_motions.join(", "),
            ),
        ));
    }
    Ok(())
}

/// `council reopen`: only a closed meeting.
pub fn may_reopen(m: &Meeting) -> Result<(), Refusal> {
    if m.status != MeetingStatus::Closed {
        return Err(Refusal(text!(
            "meeting.reopen_not_closed",
            meeting = m.label()
        )));
    }
    Ok(())
}

/// A speech is recorded for someone present in person.
pub fn may_speak(m: &Meeting, p: &Participant) -> Result<(), Refusal> {
    if !p.attendance.counts_as_present() || p.attendance == Attendance::Proxy {
        return Err(Refusal(text!(
            "meeting.speaker_not_present",
            name = &p.name,
            meeting = m.label()
        )));
    }
    Ok(())
}

/// A proxy votes for an invitee who has a vote and is not present.
pub fn may_be_represented(m: &Meeting, represented: &Participant) -> Result<(), Refusal> {
    if !represented.role.votes(m.rules.stakeholders_vote) {
        return Err(Refusal(text!(
            "meeting.proxy_for_no_vote",
            name = &represented.name,
            meeting = m.label()
        )));
    }
    if represented.attendance == Attendance::Present {
        return Err(Refusal(text!(
            "meeting.proxy_for_present",
            name = &represented.name,
            meeting = m.label()
        )));
    }
    Ok(())
}

/// Convening needs `notice_days` of notice unless urgent; `days` is how far away the meeting is.
pub fn may_convene(days: i64, notice_days: u32, urgent: bool) -> Result<(), Refusal> {
    if days >= 0 && days < i64::from(notice_days) && !urgent {
        return Err(Refusal(text!(
            "meeting.short_notice",
            days = days,
            notice_days = notice_days
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn place(kind: SeatKind, attendance: Attendance, recused: bool) -> Place {
        Place {
            kind,
            attendance,
            recused,
            items: Vec::new(),
            arrived: None,
            left: None,
        }
    }

    fn t(s: &str) -> NaiveTime {
        NaiveTime::parse_from_str(s, "%H:%M").unwrap()
    }

    fn council() -> Vec<Place> {
        use Attendance::*;
        use SeatKind::*;
        vec![
            place(Standing, Present, false),
            place(Standing, Present, false),
            place(Standing, Proxy, false),
            place(Standing, Absent, false),
            place(Standing, Present, true),
            place(Standing, Invited, false),
            place(Stakeholder, Present, false),
            place(Stakeholder, Absent, false),
            place(Observer, Present, false),
        ]
    }

    #[test]
    fn quorum_counts_standing_members_and_proxies() {
        let rules = Rules::default();
        let q = quorum_of(&council(), &rules);
        // 6 standing invited; present: 2 in person + 1 proxy + 1 (recusal is per motion) = 4.
        assert_eq!((q.base, q.present, q.needed, q.met), (6, 4, 4, true));
        let voters = Rules {
            quorum_base: QuorumBase::Voters,
            ..Rules::default()
        };
        let q = quorum_of(&council(), &voters);
        assert_eq!((q.base, q.present), (8, 5));
    }

    #[test]
    fn electorate_leaves_out_observers_and_recused() {
        let e = electorate(&council(), StakeholdersVote::All);
        assert_eq!((e.present, e.invited), (4, 7));
        let e = electorate(&council(), StakeholdersVote::None);
        assert_eq!((e.present, e.invited), (3, 5));
    }

    #[test]
    fn quorum_at_opening_counts_only_those_there_by_then() {
        use Attendance::*;
        use SeatKind::*;
        let mut places = vec![place(Standing, Present, false); 3];
        let mut late = place(Standing, Present, false);
        late.arrived = Some(t("20:15"));
        places.push(late.clone());
        places.push(late);
        places.push(place(Standing, Absent, false));
        let rules = Rules::default();
        // 6 invited, 2/3 needs 4: at 19:30 only 3 are there.
        let q = quorum_at(&places, &rules, t("19:30"));
        assert_eq!((q.present, q.needed, q.met), (3, 4, false));
        let q = quorum_at(&places, &rules, t("20:15"));
        assert_eq!((q.present, q.met), (5, true));
        // Recorded attendance alone (the old count) would have said 5.
        assert_eq!(quorum_of(&places, &rules).present, 5);
        let mut gone = places.clone();
        gone[0].left = Some(t("20:30"));
        assert_eq!(quorum_at(&gone, &rules, t("20:29")).present, 5);
        assert_eq!(quorum_at(&gone, &rules, t("20:30")).present, 4);
        assert_eq!(quorum_now(&gone, &rules).present, 4);
    }

    #[test]
    fn stakeholders_count_on_their_own_item_only() {
        use Attendance::*;
        use SeatKind::*;
        let mut places = vec![place(Standing, Present, false); 4];
        let mut x = place(Stakeholder, Present, false);
        x.items = vec![5];
        places.push(x);
        let rule = StakeholdersVote::OwnItems;
        assert_eq!(electorate_for_item(&places, rule, 5).present, 5);
        assert_eq!(electorate_for_item(&places, rule, 6).present, 4);
        assert_eq!(
            electorate_for_item(&places, StakeholdersVote::All, 6).present,
            5
        );
        assert_eq!(
            electorate_for_item(&places, StakeholdersVote::None, 5).present,
            4
        );
        // Leaving changes the base of later votes.
        places[0].left = Some(t("21:00"));
        let e = electorate_for_item(&places, rule, 5);
        assert_eq!((e.present, e.invited), (4, 5));
    }

    #[test]
    fn voted_members_cannot_be_absent_and_departures_are_ordered() {
        assert!(check_absence("M1", "甲", &[]).is_ok());
        let e = check_absence("M1", "甲", &["V1".into()])
            .unwrap_err()
            .to_string();
        assert!(e.contains("V1") && e.contains("council leave"), "{e}");
        assert!(check_departure(None, Some(t("19:30")), t("21:00")).is_ok());
        assert!(check_departure(Some(t("20:00")), None, t("19:59")).is_err());
        assert!(check_departure(None, Some(t("19:30")), t("19:00")).is_err());
    }

    fn any_attendance() -> impl Strategy<Value = Attendance> {
        prop_oneof![
            Just(Attendance::Invited),
            Just(Attendance::Present),
            Just(Attendance::Proxy),
            Just(Attendance::Absent),
        ]
    }

    fn any_kind() -> impl Strategy<Value = SeatKind> {
        prop_oneof![
            Just(SeatKind::Standing),
            Just(SeatKind::Stakeholder),
            Just(SeatKind::Observer),
        ]
    }

    proptest! {
        /// 应到 = 实到 + 缺席 + 未记录, whatever was recorded.
        #[test]
        fn attendance_counts_add_up(people in proptest::collection::vec((any_kind(), any_attendance()), 0..40)) {
            let places: Vec<Place> = people.iter().map(|(k, a)| place(*k, *a, false)).collect();
            for rule in [StakeholdersVote::OwnItems, StakeholdersVote::All, StakeholdersVote::None] {
                let c = attendance_counts(&places, rule);
                prop_assert_eq!(c.expected, c.present + c.absent + c.not_recorded);
            }
        }

        /// Presence at a time never exceeds recorded attendance, and quorum at T never exceeds it.
        #[test]
        fn presence_at_a_time_is_within_attendance(
            people in proptest::collection::vec((any_attendance(), proptest::option::of(0u32..24), proptest::option::of(0u32..24)), 0..30),
            hour in 0u32..24,
        ) {
            let at = |h: u32| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
            let places: Vec<Place> = people.iter().map(|(a, arr, left)| Place {
                arrived: arr.map(at), left: left.map(at), ..place(SeatKind::Standing, *a, false)
            }).collect();
            let rules = Rules::default();
            let q = quorum_at(&places, &rules, at(hour));
            prop_assert!(q.present <= quorum_of(&places, &rules).present);
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Speech {
    pub id: i64,
    pub issue_id: i64,
    pub participant_id: i64,
    pub speaker: String,
    pub seat: String,
    pub position: SpeechPosition,
    pub summary: String,
    pub meeting_id: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reopening {
    pub reason: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgendaItem {
    pub issue_id: i64,
    pub position: i64,
    pub title: String,
    /// None while the item is open.
    pub outcome: Option<MotionResult>,
    /// Why it was deferred.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
