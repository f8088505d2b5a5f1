//! The council's decision rules: quorum and majority. Pure functions over counts, so that a
//! result is always computed from the record and never entered by hand.

use super::locale::Locale;
use crate::i18n::Text;
use crate::text;
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
    type Err = Text;
    fn from_str(s: &str) -> Result<Self, Text> {
        let bad = || text!("rules.not_a_fraction", value = s);
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
    type Err = Text;
    fn from_str(s: &str) -> Result<Self, Text> {
        match s {
            "standing" => Ok(QuorumBase::Standing),
            "voters" => Ok(QuorumBase::Voters),
            _ => Err(text!("rules.not_a_quorum_base", value = s).pair(
                "allowed",
                Self::ALL.join("、"),
                Self::ALL.join(", "),
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

    /// The rule in a few words, for tables: 过半数(到会) / majority of those present (words in
    /// English too, not the `--rule` key).
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            MajorityRule::MajorityPresent => {
                locale.pick("过半数(到会)", "majority of those present")
            }
            MajorityRule::Simple => locale.pick("赞成多于反对", "more yes than no"),
            MajorityRule::TwoThirds => locale.pick("三分之二", "two thirds"),
            MajorityRule::Absolute => locale.pick("过半数(应到)", "majority of those invited"),
            MajorityRule::Consensus => locale.pick("无反对", "no objection"),
        }
    }

    /// The rule in a sentence, for the minutes (表决规则).
    pub fn description(self, locale: Locale) -> &'static str {
        match self {
            MajorityRule::MajorityPresent => locale.pick(
                "过半数通过（以到会有表决权人数计）",
                "more than half of the eligible voters present",
            ),
            MajorityRule::Simple => {
                locale.pick("赞成票多于反对票", "more yes than no votes (a tie fails)")
            }
            MajorityRule::TwoThirds => locale.pick(
                "三分之二以上通过（以到会有表决权人数计）",
                "two thirds of the eligible voters present",
            ),
            MajorityRule::Absolute => locale.pick(
                "过半数通过（以应到有表决权人数计）",
                "more than half of all eligible voters invited",
            ),
            MajorityRule::Consensus => locale.pick(
                "无反对票且至少一票赞成",
                "no vote against and at least one yes",
            ),
        }
    }
}

impl FromStr for MajorityRule {
    type Err = Text;
    fn from_str(s: &str) -> Result<Self, Text> {
        Ok(match s {
            "majority-present" => MajorityRule::MajorityPresent,
            "simple" => MajorityRule::Simple,
            "two-thirds" => MajorityRule::TwoThirds,
            "absolute" => MajorityRule::Absolute,
            "consensus" => MajorityRule::Consensus,
            _ => {
                return Err(text!("rules.not_a_majority_rule", value = s).pair(
                    "allowed",
                    Self::ALL.join("、"),
                    Self::ALL.join(", "),
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

/// The counts of a vote: 同意 / 反对 / 弃权.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

impl Tally {
    pub fn total(self) -> u32 {
        self.yes + self.no + self.abstain
    }

    /// `13:2:1` (yes:no:abstain), as typed after a show of hands or a ballot count.
    pub fn parse(s: &str) -> Result<Tally, Text> {
        let bad = || text!("rules.not_a_count", value = s);
        let parts: Vec<&str> = s.trim().split([':', '：']).collect();
        if parts.len() != 3 {
            return Err(bad());
        }
        let n = |p: &str| -> Result<u32, Text> {
            let p = p.trim();
            if p.is_empty() || p.len() > 6 || !p.chars().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse().map_err(|_| bad())
        };
        Ok(Tally {
            yes: n(parts[0])?,
            no: n(parts[1])?,
            abstain: n(parts[2])?,
        })
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.yes, self.no, self.abstain)
    }
}

/// Who may vote on a motion: eligible voters present (in person or by proxy) and invited.
/// Observers and recused members are in neither number.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Electorate {
    pub present: u32,
    pub invited: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Adopted,
    NotAdopted,
}

impl Outcome {
    pub fn key(self) -> &'static str {
        match self {
            Outcome::Adopted => "adopted",
            Outcome::NotAdopted => "not-adopted",
        }
    }
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "adopted" => Some(Outcome::Adopted),
            "not-adopted" => Some(Outcome::NotAdopted),
            _ => None,
        }
    }
}

/// A tally can never count more votes than there are eligible voters present.
pub fn check_tally(t: Tally, e: Electorate) -> Result<(), Text> {
    if t.total() > e.present {
        return Err(text!(
            "rules.tally_over_present",
            total = t.total(),
            tally = t,
            present = e.present
        ));
    }
    Ok(())
}

/// The result of a vote under a rule. Integer arithmetic only: "more than half" of 15 is 8.
pub fn decide(rule: MajorityRule, t: Tally, e: Electorate) -> Outcome {
    let (yes, no) = (u64::from(t.yes), u64::from(t.no));
    let adopted = match rule {
        MajorityRule::MajorityPresent => yes * 2 > u64::from(e.present),
        MajorityRule::Simple => yes > no,
        MajorityRule::TwoThirds => yes > 0 && yes * 3 >= u64::from(e.present) * 2,
        MajorityRule::Absolute => yes * 2 > u64::from(e.invited),
        MajorityRule::Consensus => no == 0 && yes >= 1,
    };
    if adopted {
        Outcome::Adopted
    } else {
        Outcome::NotAdopted
    }
}

/// How many yes votes the rule needs, for display ("needs 9 of 16").
pub fn yes_needed(rule: MajorityRule, t: Tally, e: Electorate) -> u32 {
    match rule {
        MajorityRule::MajorityPresent => e.present / 2 + 1,
        MajorityRule::Simple => t.no + 1,
        MajorityRule::TwoThirds => Fraction::TWO_THIRDS.needed_of(e.present).max(1),
        MajorityRule::Absolute => e.invited / 2 + 1,
        MajorityRule::Consensus => 1,
    }
}

/// Quorum: whether enough of the base are present.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quorum {
    pub base: u32,
    pub present: u32,
    pub needed: u32,
    pub met: bool,
}

pub fn quorum(fraction: Fraction, base: u32, present: u32) -> Quorum {
    Quorum {
        base,
        present,
        needed: fraction.needed_of(base),
        met: base > 0 && fraction.reached_by(present, base),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A rule is shown in words in both languages, never as its `--rule` key.
    #[test]
    fn rules_are_labelled_in_words() {
        for key in MajorityRule::ALL {
            let rule: MajorityRule = key.parse().unwrap();
            for locale in [Locale::ZhCn, Locale::En] {
                let label = rule.label(locale);
                assert!(!label.contains('-') && label != *key, "{key}: {label}");
            }
        }
    }

    fn t(yes: u32, no: u32, abstain: u32) -> Tally {
        Tally { yes, no, abstain }
    }
    fn e(present: u32, invited: u32) -> Electorate {
        Electorate { present, invited }
    }

    #[test]
    fn majority_table() {
        use MajorityRule::*;
        use Outcome::*;
        let cases = [
            // rule, tally, present, invited, expected
            (MajorityPresent, t(8, 7, 0), 15, 18, Adopted),
            (MajorityPresent, t(8, 0, 8), 16, 18, NotAdopted), // exactly half is not more than half
            (MajorityPresent, t(9, 0, 7), 16, 18, Adopted),
            (MajorityPresent, t(7, 2, 6), 15, 18, NotAdopted), // abstentions count against
            (Simple, t(5, 5, 6), 16, 18, NotAdopted),          // a tie fails
            (Simple, t(5, 4, 7), 16, 18, Adopted),             // abstentions do not count
            (Simple, t(0, 0, 3), 3, 3, NotAdopted),
            (TwoThirds, t(10, 5, 0), 15, 18, Adopted),
            (TwoThirds, t(9, 6, 0), 15, 18, NotAdopted),
            (TwoThirds, t(11, 0, 5), 16, 18, Adopted), // 11/16 >= 2/3
            (TwoThirds, t(0, 0, 0), 0, 0, NotAdopted),
            (Absolute, t(9, 0, 0), 9, 18, NotAdopted), // half of all invited is not enough
            (Absolute, t(10, 0, 0), 12, 18, Adopted),
            (Consensus, t(12, 0, 3), 15, 18, Adopted),
            (Consensus, t(12, 1, 2), 15, 18, NotAdopted),
            (Consensus, t(0, 0, 15), 15, 18, NotAdopted),
        ];
        for (rule, tally, present, invited, expected) in cases {
            assert_eq!(
                decide(rule, tally, e(present, invited)),
                expected,
                "{rule} {tally} of {present}/{invited}"
            );
        }
    }

    #[test]
    fn recusals_and_proxies_change_the_electorate_not_the_rule() {
        use crate::domain::meeting::{Attendance, Place, electorate};
        use crate::domain::seat::SeatKind;
        let member = |attendance, recused| Place {
            kind: SeatKind::Standing,
            attendance,
            recused,
            items: Vec::new(),
            arrived: None,
            left: None,
        };
        // Nine invited: six present in person, one represented by a proxy, two absent.
        let mut council = vec![member(Attendance::Present, false); 6];
        council.push(member(Attendance::Proxy, false));
        council.extend(vec![member(Attendance::Absent, false); 2]);
        let all = electorate(&council, crate::domain::seat::StakeholdersVote::All);
        // The proxy counts as present: 7 of 9.
        assert_eq!((all.present, all.invited), (7, 9));
        // 4 yes, 3 no of 7 present is more than half: adopted.
        let votes = t(4, 3, 0);
        assert_eq!(
            decide(MajorityRule::MajorityPresent, votes, all),
            Outcome::Adopted
        );
        // The proxy's seat counts in the denominator: 3 yes of 7 present is not more than half.
        assert_eq!(
            decide(MajorityRule::MajorityPresent, t(3, 3, 0), all),
            Outcome::NotAdopted
        );
        // One present member recuses (家属承包): the electorate shrinks to 6 present of 8.
        council[0].recused = true;
        let recused = electorate(&council, crate::domain::seat::StakeholdersVote::All);
        assert_eq!((recused.present, recused.invited), (6, 8));
        // Same rule, counted of 6: 3 yes is exactly half (not adopted), 4 yes is adopted.
        assert_eq!(
            decide(MajorityRule::MajorityPresent, t(3, 2, 1), recused),
            Outcome::NotAdopted
        );
        assert_eq!(
            decide(MajorityRule::MajorityPresent, t(4, 2, 0), recused),
            Outcome::Adopted
        );
        // Under two-thirds the bar follows the electorate: 5 of 7, then 4 of 6.
        assert_eq!(yes_needed(MajorityRule::TwoThirds, votes, all), 5);
        assert_eq!(yes_needed(MajorityRule::TwoThirds, votes, recused), 4);
        assert_eq!(
            decide(MajorityRule::TwoThirds, t(4, 3, 0), all),
            Outcome::NotAdopted
        );
        assert_eq!(
            decide(MajorityRule::TwoThirds, t(4, 2, 0), recused),
            Outcome::Adopted
        );
        // A tally with more votes than eligible voters present is refused.
        assert!(check_tally(t(7, 0, 0), recused).is_err());
        assert!(check_tally(t(4, 2, 0), recused).is_ok());
    }

    #[test]
    fn tallies() {
        assert_eq!(Tally::parse("13:2:1").unwrap(), t(13, 2, 1));
        assert_eq!(Tally::parse(" 13：2：1 ").unwrap(), t(13, 2, 1));
        for bad in ["13:2", "a:b:c", "-1:0:0", "1:2:3:4", "", "9999999:0:0"] {
            assert!(Tally::parse(bad).is_err(), "{bad}");
        }
        assert!(check_tally(t(10, 5, 1), e(16, 18)).is_ok());
        assert!(check_tally(t(10, 5, 2), e(16, 18)).is_err());
    }

    #[test]
    fn quorum_of_two_thirds() {
        let q = quorum(Fraction::TWO_THIRDS, 18, 12);
        assert!(q.met);
        assert_eq!(q.needed, 12);
        assert!(!quorum(Fraction::TWO_THIRDS, 18, 11).met);
        assert!(!quorum(Fraction::TWO_THIRDS, 0, 0).met);
    }

    fn any_rule() -> impl Strategy<Value = MajorityRule> {
        prop_oneof![
            Just(MajorityRule::MajorityPresent),
            Just(MajorityRule::Simple),
            Just(MajorityRule::TwoThirds),
            Just(MajorityRule::Absolute),
            Just(MajorityRule::Consensus),
        ]
    }

    proptest! {
        /// Turning an abstention into a yes never turns an adopted motion into a failed one.
        #[test]
        fn more_yes_never_hurts(rule in any_rule(), yes in 0u32..50, no in 0u32..50, abstain in 1u32..50, extra in 0u32..20) {
            let present = yes + no + abstain + extra;
            let el = e(present, present + extra);
            let before = decide(rule, t(yes, no, abstain), el);
            let after = decide(rule, t(yes + 1, no, abstain - 1), el);
            prop_assert!(!(before == Outcome::Adopted && after == Outcome::NotAdopted));
        }

        /// Parsing never panics, and what it accepts prints back the same.
        #[test]
        fn tally_parse_round_trips(s in "\\PC{0,12}", y in 0u32..1000, n in 0u32..1000, a in 0u32..1000) {
            let _ = Tally::parse(&s);
            let tally = t(y, n, a);
            prop_assert_eq!(Tally::parse(&tally.to_string()).unwrap(), tally);
        }

        /// One more person present never loses a quorum.
        #[test]
        fn quorum_is_monotone(base in 1u32..100, present in 0u32..100) {
            let present = present.min(base - 1);
            let q1 = quorum(Fraction::TWO_THIRDS, base, present);
            let q2 = quorum(Fraction::TWO_THIRDS, base, present + 1);
            prop_assert!(!q1.met || q2.met);
        }
    }

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
