//! The "6+X" seat model: six standing seat categories (configurable), plus the stakeholders of
//! the issue at hand (the "X") and observers (列席: social workers and officials, who speak but
//! never vote).

use serde::{Deserialize, Serialize};

pub const STAKEHOLDER: &str = "stakeholder";
pub const OBSERVER: &str = "observer";

/// A standing seat category as configured in yishi.toml.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeatCategory {
    pub key: String,
    pub zh: String,
    pub en: String,
    /// How many active members the category should have; `yishi seats` warns below it.
    #[serde(default = "one")]
    pub min: u32,
}

fn one() -> u32 {
    1
}

/// What a seat means for a meeting: standing members make up the council and count for quorum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeatKind {
    Standing,
    Stakeholder,
    Observer,
}

impl SeatKind {
    /// Whether a person in this seat may vote, given the meeting's rule on stakeholders.
    pub fn votes(self, stakeholders_vote: bool) -> bool {
        match self {
            SeatKind::Standing => true,
            SeatKind::Stakeholder => stakeholders_vote,
            SeatKind::Observer => false,
        }
    }
}

/// The six standing categories of the "6+X" model, in the order minutes list them.
pub fn default_seats() -> Vec<SeatCategory> {
    [
        ("committee", "居委会代表", "Residents' committee"),
        ("party", "党员代表", "Party members"),
        ("backbone", "居民骨干代表", "Resident backbones"),
        ("women", "妇女代表", "Women"),
        ("social-org", "社会组织代表", "Social organisations"),
        ("social-resource", "社会资源代表", "Social resources"),
    ]
    .into_iter()
    .map(|(key, zh, en)| SeatCategory {
        key: key.into(),
        zh: zh.into(),
        en: en.into(),
        min: 1,
    })
    .collect()
}

/// The built-in seats that are not standing categories.
pub fn special_seats() -> [SeatCategory; 2] {
    [
        SeatCategory {
            key: STAKEHOLDER.into(),
            zh: "利益相关方".into(),
            en: "Stakeholder".into(),
            min: 0,
        },
        SeatCategory {
            key: OBSERVER.into(),
            zh: "列席".into(),
            en: "Observer".into(),
            min: 0,
        },
    ]
}

/// A seat key is lowercase ASCII words joined by dashes, so that it is easy to type and stable
/// in JSON output.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 32
        && key.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_standing_seats() {
        let seats = default_seats();
        assert_eq!(seats.len(), 6);
        assert!(seats.iter().all(|s| valid_key(&s.key)));
    }

    #[test]
    fn who_votes() {
        assert!(SeatKind::Standing.votes(false));
        assert!(SeatKind::Stakeholder.votes(true));
        assert!(!SeatKind::Stakeholder.votes(false));
        assert!(!SeatKind::Observer.votes(true));
    }

    #[test]
    fn keys() {
        assert!(valid_key("social-org"));
        assert!(!valid_key("Social"));
        assert!(!valid_key("a--b"));
        assert!(!valid_key(""));
    }
}
