//! The "6+X" seat model: six standing seat categories (configurable), plus the stakeholders of
//! the issue at hand (the "X") and observers (列席: social workers and officials, who speak but
//! never vote).

use super::locale::Locale;
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
    /// 常设 / standing; 列席 / observer (no vote); the "X" invited per issue.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            SeatKind::Standing => locale.pick("常设", "standing"),
            SeatKind::Observer => locale.pick("列席", "observer (no vote)"),
            SeatKind::Stakeholder => locale.pick("X 按议题邀请", "X, per issue"),
        }
    }
}

/// Whether the stakeholders (the "X") vote: on the items they were invited for (the default),
/// on every item, or never. Snapshotted into each meeting with the other rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StakeholdersVote {
    OwnItems,
    All,
    None,
}

impl StakeholdersVote {
    pub const ALL: &'static [&'static str] = &["own-items", "all", "none"];

    pub fn key(self) -> &'static str {
        match self {
            StakeholdersVote::OwnItems => "own-items",
            StakeholdersVote::All => "all",
            StakeholdersVote::None => "none",
        }
    }
}

impl std::str::FromStr for StakeholdersVote {
    type Err = crate::i18n::Text;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "own-items" => Ok(StakeholdersVote::OwnItems),
            "all" => Ok(StakeholdersVote::All),
            "none" => Ok(StakeholdersVote::None),
            other => Err(
                crate::text!("rules.not_a_stakeholder_rule", value = other).pair(
                    "allowed",
                    Self::ALL.join("、"),
                    Self::ALL.join(", "),
                ),
            ),
        }
    }
}

/// Meetings convened before this rule had a yes/no: `true` meant every item, `false` none.
impl<'de> Deserialize<'de> for StakeholdersVote {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Flag(bool),
            Key(String),
        }
        match Stored::deserialize(d)? {
            Stored::Flag(true) => Ok(StakeholdersVote::All),
            Stored::Flag(false) => Ok(StakeholdersVote::None),
            Stored::Key(k) => k.parse().map_err(|e: crate::i18n::Text| {
                serde::de::Error::custom(e.render(crate::domain::locale::Locale::En))
            }),
        }
    }
}

impl SeatKind {
    /// Whether a person in this seat may vote on at least some item, under the meeting's rule.
    pub fn votes(self, rule: StakeholdersVote) -> bool {
        match self {
            SeatKind::Standing => true,
            SeatKind::Stakeholder => rule != StakeholdersVote::None,
            SeatKind::Observer => false,
        }
    }

    /// Whether a person in this seat, invited for the agenda items `items`, may vote on a
    /// motion on `item`.
    pub fn votes_on(self, rule: StakeholdersVote, items: &[i64], item: i64) -> bool {
        match (self, rule) {
            (SeatKind::Stakeholder, StakeholdersVote::OwnItems) => items.contains(&item),
            _ => self.votes(rule),
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

/// The built-in seats that are not standing categories. Their English names are plural like
/// the standing ones ("Party members", "Women"): a seat's name names its group, in the seats
/// table and beside a person alike.
pub fn special_seats() -> [SeatCategory; 2] {
    [
        SeatCategory {
            key: STAKEHOLDER.into(),
            zh: "利益相关方".into(),
            en: "Stakeholders".into(),
            min: 0,
        },
        SeatCategory {
            key: OBSERVER.into(),
            zh: "列席".into(),
            en: "Observers".into(),
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

    /// Every English seat name is a group, as "Party members" is: none of the singular
    /// "Stakeholder" beside plural names.
    #[test]
    fn english_seat_names_are_all_plural_groups() {
        let names: Vec<String> = default_seats()
            .into_iter()
            .chain(special_seats())
            .map(|s| s.en)
            .collect();
        assert_eq!(
            names,
            [
                "Residents' committee",
                "Party members",
                "Resident backbones",
                "Women",
                "Social organisations",
                "Social resources",
                "Stakeholders",
                "Observers"
            ]
        );
    }

    #[test]
    fn who_votes() {
        use StakeholdersVote::*;
        assert!(SeatKind::Standing.votes(None));
        assert!(SeatKind::Stakeholder.votes(All));
        assert!(SeatKind::Stakeholder.votes(OwnItems));
        assert!(!SeatKind::Stakeholder.votes(None));
        assert!(!SeatKind::Observer.votes(All));
    }

    #[test]
    fn stakeholders_vote_on_their_own_items_by_default() {
        use StakeholdersVote::*;
        let s = SeatKind::Stakeholder;
        assert!(s.votes_on(OwnItems, &[5], 5));
        assert!(!s.votes_on(OwnItems, &[5], 6));
        assert!(!s.votes_on(OwnItems, &[], 6));
        // A party to two items votes on both.
        assert!(s.votes_on(OwnItems, &[5, 6], 6));
        assert!(s.votes_on(All, &[5], 6));
        assert!(!s.votes_on(None, &[5], 5));
        assert!(SeatKind::Standing.votes_on(OwnItems, &[], 6));
        assert!(!SeatKind::Observer.votes_on(All, &[6], 6));
    }

    #[test]
    fn stakeholders_vote_reads_old_snapshots_and_new_keys() {
        let read = |j: &str| serde_json::from_str::<StakeholdersVote>(j).unwrap();
        assert_eq!(read("true"), StakeholdersVote::All);
        assert_eq!(read("false"), StakeholdersVote::None);
        assert_eq!(read("\"own-items\""), StakeholdersVote::OwnItems);
        assert!(serde_json::from_str::<StakeholdersVote>("\"some\"").is_err());
        for k in StakeholdersVote::ALL {
            assert_eq!(k.parse::<StakeholdersVote>().unwrap().key(), *k);
        }
    }

    #[test]
    fn keys() {
        assert!(valid_key("social-org"));
        assert!(!valid_key("Social"));
        assert!(!valid_key("a--b"));
        assert!(!valid_key(""));
    }
}
