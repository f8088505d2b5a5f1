//! Stored codes: the closed sets of values a record may hold (statuses, results, positions,
//! rules). Each has one key per value, the word stored in the database and used in JSON. The
//! store reads them through [`Code::from_key`] and refuses a value it does not know (see
//! `store::codes`): a voting record is never silently reinterpreted.

pub trait Code: Copy + Sized + 'static {
    /// What the value is, for messages: "motion status".
    const WHAT: &'static str;
    /// Every value, in a stable order.
    const ALL: &'static [Self];
    /// The stored key.
    fn key(self) -> &'static str;
    /// The value with this stored key.
    fn from_key(key: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.key() == key)
    }
    /// The keys, for "allowed: ..." in messages.
    fn keys() -> Vec<&'static str> {
        Self::ALL.iter().map(|c| c.key()).collect()
    }
}

/// Implement `Code` and an inherent `key()` for an enum from a list of `Variant => "key"`.
#[macro_export]
macro_rules! stored_code {
    ($ty:ident, $what:literal, { $($variant:ident => $key:literal),+ $(,)? }) => {
        impl $ty {
            /// The stored key (also the JSON value).
            pub fn key(self) -> &'static str {
                match self {
                    $($ty::$variant => $key),+
                }
            }
        }
        impl $crate::domain::code::Code for $ty {
            const WHAT: &'static str = $what;
            const ALL: &'static [Self] = &[$($ty::$variant),+];
            fn key(self) -> &'static str {
                $ty::key(self)
            }
        }
    };
}

use super::issue::Status;
use super::meeting::{Attendance, MeetingStatus};
use super::rules::MajorityRule;
use super::seat::SeatKind;

// The older enums keep their own `key()`; these impls make them stored codes too.
impl Code for Status {
    const WHAT: &'static str = "issue status";
    const ALL: &'static [Self] = Status::ALL;
    fn key(self) -> &'static str {
        Status::key(self)
    }
}

impl Code for super::rules::Outcome {
    const WHAT: &'static str = "issue outcome";
    const ALL: &'static [Self] = &[Self::Adopted, Self::NotAdopted];
    fn key(self) -> &'static str {
        super::rules::Outcome::key(self)
    }
}

impl Code for MeetingStatus {
    const WHAT: &'static str = "meeting status";
    const ALL: &'static [Self] = &[
        MeetingStatus::Convened,
        MeetingStatus::Open,
        MeetingStatus::Closed,
    ];
    fn key(self) -> &'static str {
        MeetingStatus::key(self)
    }
}

impl Code for Attendance {
    const WHAT: &'static str = "attendance";
    const ALL: &'static [Self] = &[
        Attendance::Invited,
        Attendance::Present,
        Attendance::Proxy,
        Attendance::Absent,
    ];
    fn key(self) -> &'static str {
        Attendance::key(self)
    }
}

impl Code for MajorityRule {
    const WHAT: &'static str = "majority rule";
    const ALL: &'static [Self] = &[
        MajorityRule::MajorityPresent,
        MajorityRule::Simple,
        MajorityRule::TwoThirds,
        MajorityRule::Absolute,
        MajorityRule::Consensus,
    ];
    fn key(self) -> &'static str {
        MajorityRule::key(self)
    }
}

crate::stored_code!(SeatKind, "participant role", {
    Standing => "standing", Stakeholder => "stakeholder", Observer => "observer"
});

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trips<T: Code + PartialEq + std::fmt::Debug>() {
        for v in T::ALL {
            assert_eq!(T::from_key(v.key()), Some(*v), "{}", T::WHAT);
        }
        assert_eq!(T::from_key(""), None);
    }

    #[test]
    fn older_enums_round_trip() {
        round_trips::<Status>();
        round_trips::<MeetingStatus>();
        round_trips::<Attendance>();
        round_trips::<MajorityRule>();
        round_trips::<SeatKind>();
    }
}
