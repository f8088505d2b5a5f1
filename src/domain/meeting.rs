//! Meetings: their status, attendance, and who counts for quorum and votes.

use super::rules::{Electorate, Quorum, QuorumBase, quorum};
use super::seat::SeatKind;
use crate::config::Rules;
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
    pub fn zh(self) -> &'static str {
        match self {
            MeetingStatus::Convened => "已召集",
            MeetingStatus::Open => "进行中",
            MeetingStatus::Closed => "已散会",
        }
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
    /// Present in person or represented by a proxy.
    pub fn counts_as_present(self) -> bool {
        matches!(self, Attendance::Present | Attendance::Proxy)
    }
}

/// What the rules need to know of one invited person.
#[derive(Debug, Clone, Copy)]
pub struct Place {
    pub kind: SeatKind,
    pub attendance: Attendance,
    pub recused: bool,
}

/// Quorum over the meeting's invitations, as the rules count it.
pub fn quorum_of(places: &[Place], rules: &Rules) -> Quorum {
    let counted = |p: &&Place| match rules.quorum_base {
        QuorumBase::Standing => p.kind == SeatKind::Standing,
        QuorumBase::Voters => p.kind.votes(rules.stakeholders_vote),
    };
    let base = places.iter().filter(counted).count() as u32;
    let present = places
        .iter()
        .filter(counted)
        .filter(|p| p.attendance.counts_as_present())
        .count() as u32;
    quorum(rules.quorum, base, present)
}

/// Eligible voters for one motion: voting seats, not recused; present ones and all invited.
pub fn electorate(places: &[Place], stakeholders_vote: bool) -> Electorate {
    let eligible = places
        .iter()
        .filter(|p| p.kind.votes(stakeholders_vote) && !p.recused);
    let mut e = Electorate::default();
    for p in eligible {
        e.invited += 1;
        if p.attendance.counts_as_present() {
            e.present += 1;
        }
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(kind: SeatKind, attendance: Attendance, recused: bool) -> Place {
        Place {
            kind,
            attendance,
            recused,
        }
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
        let e = electorate(&council(), true);
        assert_eq!((e.present, e.invited), (4, 7));
        let e = electorate(&council(), false);
        assert_eq!((e.present, e.invited), (3, 5));
    }
}
