//! The council's decision rules: quorum and majority. Pure functions over counts, so that a
//! result is always computed from the record and never entered by hand.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A fraction such as 2/3, used for quorum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fraction {
    pub num: u32,
    pub den: u32,
}

impl Fraction {
    pub const TWO_THIRDS: Fraction = Fraction { num: 2, den: 3 };

    /// Whether `part` out of `whole` reaches this fraction (part/whole >= num/den), exactly.
    pub fn reached_by(self, part: u32, whole: u32) -> bool {
        u64::from(part) * u64::from(self.den) >= u64::from(whole) * u64::from(self.num)
    }

    /// The smallest whole number of `whole` that reaches the fraction.
    pub fn needed_of(self, whole: u32) -> u32 {
        let n = u64::from(whole) * u64::from(self.num);
        n.div_ceil(u64::from(self.den)) as u32
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.num, self.den)
    }
}

impl FromStr for Fraction {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad =
            || format!("\"{s}\" is not a fraction between 0 and 1 (expected e.g. 2/3 or 1/2)");
        let (n, d) = s.trim().split_once('/').ok_or_else(bad)?;
        let num: u32 = n.trim().parse().map_err(|_| bad())?;
        let den: u32 = d.trim().parse().map_err(|_| bad())?;
        if num == 0 || den == 0 || num > den || den > 1000 {
            return Err(bad());
        }
        Ok(Fraction { num, den })
    }
}

/// Who the quorum fraction is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuorumBase {
    /// The standing members invited to the meeting (the 6 categories). Default.
    Standing,
    /// Everyone invited with a vote: standing members and, if they vote, stakeholders.
    Voters,
}

impl QuorumBase {
    pub const ALL: &'static [&'static str] = &["standing", "voters"];
}

impl FromStr for QuorumBase {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "standing" => Ok(QuorumBase::Standing),
            "voters" => Ok(QuorumBase::Voters),
            _ => Err(format!(
                "\"{s}\" is not a quorum base (allowed: {})",
                Self::ALL.join(", ")
            )),
        }
    }
}

/// How a motion is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MajorityRule {
    /// 过半数: yes > half of the eligible voters present.
    MajorityPresent,
    /// yes > no; a tie fails; abstentions do not count (Nantang rules).
    Simple,
    /// yes >= 2/3 of the eligible voters present.
    TwoThirds,
    /// yes > half of all eligible voters invited.
    Absolute,
    /// no "no" vote and at least one yes.
    Consensus,
}

impl MajorityRule {
    pub const ALL: &'static [&'static str] = &[
        "majority-present",
        "simple",
        "two-thirds",
        "absolute",
        "consensus",
    ];

    pub fn key(self) -> &'static str {
        match self {
            MajorityRule::MajorityPresent => "majority-present",
            MajorityRule::Simple => "simple",
            MajorityRule::TwoThirds => "two-thirds",
            MajorityRule::Absolute => "absolute",
            MajorityRule::Consensus => "consensus",
        }
    }
}

impl FromStr for MajorityRule {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s {
            "majority-present" => MajorityRule::MajorityPresent,
            "simple" => MajorityRule::Simple,
            "two-thirds" => MajorityRule::TwoThirds,
            "absolute" => MajorityRule::Absolute,
            "consensus" => MajorityRule::Consensus,
            _ => {
                return Err(format!(
                    "\"{s}\" is not a majority rule (allowed: {})",
                    Self::ALL.join(", ")
                ));
            }
        })
    }
}

impl fmt::Display for MajorityRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fractions() {
        let f: Fraction = "2/3".parse().unwrap();
        assert_eq!(f, Fraction::TWO_THIRDS);
        assert!(f.reached_by(10, 15));
        assert!(!f.reached_by(9, 15));
        assert!(f.reached_by(0, 0));
        assert_eq!(f.needed_of(15), 10);
        assert_eq!(f.needed_of(16), 11);
        for bad in ["0/3", "4/3", "2", "a/b", "1/0", ""] {
            assert!(bad.parse::<Fraction>().is_err(), "{bad}");
        }
    }

    #[test]
    fn rule_names_round_trip() {
        for key in MajorityRule::ALL {
            assert_eq!(key.parse::<MajorityRule>().unwrap().key(), *key);
        }
        assert!("most".parse::<MajorityRule>().is_err());
    }
}
