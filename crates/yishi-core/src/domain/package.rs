//! A community's report package (`report --package`) and the street office's roll-up of many
//! (`rollup`): the figures a street office asks each community for, with their numerators and
//! denominators, so that the street's rates are computed from sums, never averaged.
//!
//! The file is one JSON document: `{"sha256":"…","package":{…}}`, where the hash is over the
//! exact bytes of the `package` value as written. A package holds no personal data: no phones,
//! no addresses, no residents' names (owners of actions are masked like residents). Its
//! `version` names the shape of `package`; readers refuse a version they do not know.

use crate::domain::contact::mask_name;
use crate::domain::escalation::Counts;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What the `format` field of every package says.
pub const FORMAT: &str = "yishi-report-package";
/// The shape of `package` this yishi writes and reads.
pub const VERSION: u32 = 1;

/// A part and a whole, e.g. residents who took part ÷ population.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Ratio {
    pub numerator: u64,
    pub denominator: u64,
}

impl Ratio {
    pub fn new(numerator: u64, denominator: u64) -> Ratio {
        Ratio {
            numerator,
            denominator,
        }
    }

    /// As a percentage with one decimal, "—" when the whole is zero.
    pub fn percent(self) -> String {
        if self.denominator == 0 {
            "—".into()
        } else {
            format!(
                "{:.1}%",
                self.numerator as f64 * 100.0 / self.denominator as f64
            )
        }
    }
}

impl std::ops::Add for Ratio {
    type Output = Ratio;

    /// Parts added to parts, wholes to wholes.
    fn add(self, other: Ratio) -> Ratio {
        Ratio::new(
            self.numerator + other.numerator,
            self.denominator + other.denominator,
        )
    }
}

/// The figures of one community for one period.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Figures {
    pub meetings_held: u64,
    pub issues_total: u64,
    pub issues_by_status: BTreeMap<String, u64>,
    /// Invited voting members present at closed meetings.
    pub attendance: Ratio,
    /// Residents who raised an issue or gave feedback ÷ population.
    pub participation: Ratio,
    /// Feedback aware = yes ÷ feedback with an awareness answer (知晓率).
    pub awareness: Ratio,
    /// Scores 4–5 ÷ valid scores (满意率).
    pub satisfaction: Ratio,
    /// Decided issues through every step of 四议两公开 ÷ decided issues.
    pub cycle_complete: Ratio,
    pub actions_done_on_time: u64,
    pub actions_done_late: u64,
    pub actions_overdue: u64,
    pub actions_open: u64,
    /// 上报: raised and answered in the period, waiting at its end.
    #[serde(default)]
    pub escalations: Counts,
}

impl Figures {
    /// Issues completed (办结).
    pub fn completed(&self) -> u64 {
        self.issues_by_status.get("completed").copied().unwrap_or(0)
    }

    /// Actions done on time ÷ actions done or overdue (按期落实率).
    pub fn on_time(&self) -> Ratio {
        Ratio::new(
            self.actions_done_on_time,
            self.actions_done_on_time + self.actions_done_late + self.actions_overdue,
        )
    }

    /// The sum of two communities' figures.
    pub fn add(&self, o: &Figures) -> Figures {
        let mut by_status = self.issues_by_status.clone();
        for (k, v) in &o.issues_by_status {
            *by_status.entry(k.clone()).or_default() += v;
        }
        Figures {
            meetings_held: self.meetings_held + o.meetings_held,
            issues_total: self.issues_total + o.issues_total,
            issues_by_status: by_status,
            attendance: self.attendance + o.attendance,
            participation: self.participation + o.participation,
            awareness: self.awareness + o.awareness,
            satisfaction: self.satisfaction + o.satisfaction,
            cycle_complete: self.cycle_complete + o.cycle_complete,
            actions_done_on_time: self.actions_done_on_time + o.actions_done_on_time,
            actions_done_late: self.actions_done_late + o.actions_done_late,
            actions_overdue: self.actions_overdue + o.actions_overdue,
            actions_open: self.actions_open + o.actions_open,
            escalations: self.escalations + o.escalations,
        }
    }
}

/// An action past its due date and not done, as the street sees it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct OverdueAction {
    pub action: String,
    pub issue: String,
    pub text: String,
    /// Masked like a resident's name.
    pub owner: Option<String>,
    pub due: String,
    pub days_overdue: i64,
}

impl OverdueAction {
    pub fn new(
        id: i64,
        issue_id: i64,
        text: &str,
        owner: Option<&str>,
        due: &str,
        days_overdue: i64,
    ) -> OverdueAction {
        OverdueAction {
            action: format!("A{id}"),
            issue: format!("#{issue_id}"),
            text: text.to_string(),
            owner: owner.map(mask_name),
            due: due.to_string(),
            days_overdue,
        }
    }
}

/// An issue raised to the street (上报), as the street sees it: waiting at the package's day,
/// or answered within its period.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct EscalatedIssue {
    pub issue: String,
    pub title: String,
    /// 街道
    pub to: String,
    pub reason: String,
    pub escalated_on: String,
    /// Days from the raising to the answer, or to the package's day while it waits.
    pub days_waiting: i64,
    pub answered_on: Option<String>,
    pub answer: Option<String>,
}

/// The period a package covers, both days included.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    /// As typed: 2026Q3, 2026-09, 2026, or FROM..TO.
    pub name: String,
    pub from: String,
    pub to: String,
}

impl Period {
    /// `2026Q3`, `2026-09`, `2026` or `2026-07-01..2026-09-30`.
    pub fn parse(typed: &str) -> Option<Period> {
        use chrono::NaiveDate;
        let t = typed.trim();
        let day = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
        let last_of = |y: i32, m: u32| {
            let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            day(ny, nm, 1).and_then(|d| d.pred_opt())
        };
        let (from, to) = if let Some((y, q)) = t.split_once(['Q', 'q']) {
            let (y, q): (i32, u32) = (y.parse().ok()?, q.parse().ok()?);
            if !(1..=4).contains(&q) {
                return None;
            }
            (day(y, q * 3 - 2, 1)?, last_of(y, q * 3)?)
        } else if let Some((a, b)) = t.split_once("..") {
            (
                crate::domain::date::parse_date(a)?,
                crate::domain::date::parse_date(b)?,
            )
        } else if t.len() == 4 {
            let y: i32 = t.parse().ok()?;
            (day(y, 1, 1)?, day(y, 12, 31)?)
        } else if t.len() == 7 {
            let (y, m) = t.split_once('-')?;
            let (y, m): (i32, u32) = (y.parse().ok()?, m.parse().ok()?);
            (day(y, m, 1)?, last_of(y, m)?)
        } else {
            return None;
        };
        (from <= to).then(|| Period {
            name: t.to_string(),
            from: from.to_string(),
            to: to.to_string(),
        })
    }

    /// The forms `parse` accepts, for messages.
    pub const HINT: &'static str = "2026Q3, 2026-09, 2026 or 2026-07-01..2026-09-30";
}

/// One community's package.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Package {
    pub format: String,
    pub version: u32,
    pub community: String,
    pub period: Period,
    /// The day of the last change recorded when the package was made: the package is the
    /// same for the same database and period, whenever it is made.
    pub as_of: String,
    /// The community's 记录校验码 at that point (`#seq hash`).
    pub record_check: String,
    pub figures: Figures,
    pub overdue_actions: Vec<OverdueAction>,
    /// Raised to the street: waiting on `as_of`, or answered in the period.
    #[serde(default)]
    pub escalated_issues: Vec<EscalatedIssue>,
}

/// A package that cannot be read, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PackageError {
    NotAPackage,
    HashMismatch,
    UnknownVersion(u32),
}

const HEAD: &str = "{\"sha256\":\"";
const MIDDLE: &str = "\",\"package\":";

impl Package {
    /// The file's bytes: the hash, then the package as hashed.
    pub fn to_file(&self) -> Vec<u8> {
        let body = serde_json::to_string(self).expect("a package serialises");
        let hash = hex(&Sha256::digest(body.as_bytes()));
        format!("{HEAD}{hash}{MIDDLE}{body}}}\n").into_bytes()
    }

    /// A package file read back: its hash checked over the exact bytes of the package, its
    /// format and version known. Returns the package and its hash.
    pub fn from_file(bytes: &[u8]) -> Result<(Package, String), PackageError> {
        let text = std::str::from_utf8(bytes).map_err(|_| PackageError::NotAPackage)?;
        let text = text.trim_end();
        let rest = text.strip_prefix(HEAD).ok_or(PackageError::NotAPackage)?;
        if rest.len() < 64 {
            return Err(PackageError::NotAPackage);
        }
        let (hash, rest) = rest.split_at(64);
        let body = rest
            .strip_prefix(MIDDLE)
            .and_then(|r| r.strip_suffix('}'))
            .ok_or(PackageError::NotAPackage)?;
        if hex(&Sha256::digest(body.as_bytes())) != hash {
            return Err(PackageError::HashMismatch);
        }
        let probe: serde_json::Value =
            serde_json::from_str(body).map_err(|_| PackageError::NotAPackage)?;
        if probe.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(PackageError::NotAPackage);
        }
        let version = probe.get("version").and_then(|v| v.as_u64()).unwrap_or(0) as u32;
        if version != VERSION {
            return Err(PackageError::UnknownVersion(version));
        }
        let package = serde_json::from_str(body).map_err(|_| PackageError::NotAPackage)?;
        Ok((package, hash.to_string()))
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One community's row in a roll-up.
#[derive(Debug, Clone, Serialize)]
pub struct RollupRow {
    pub community: String,
    pub file: String,
    pub as_of: String,
    pub record_check: String,
    pub sha256: String,
    pub figures: Figures,
}

/// The street's view of a period: each community, the totals, what is overdue, who sent
/// nothing, and the packages set aside.
#[derive(Debug, Clone, Serialize)]
pub struct Rollup {
    pub period: Period,
    pub communities: Vec<RollupRow>,
    pub totals: Figures,
    /// (community, action) over every community, most overdue first.
    pub overdue_actions: Vec<(String, OverdueAction)>,
    /// (community, issue) raised to the street over every community: waiting ones first, the
    /// longest wait first, then those answered in the period.
    pub escalated_issues: Vec<(String, EscalatedIssue)>,
    /// Communities with a package for another period but none for this one.
    pub missing: Vec<String>,
    /// (file, the newer file that replaced it) for two packages of one community and period.
    pub replaced: Vec<(String, String)>,
}

/// A package read from a file, with its name and hash.
pub struct Read {
    pub file: String,
    pub sha256: String,
    pub package: Package,
}

/// Combine packages into the street's view of `period`: the newer of two packages of one
/// community wins (later `as_of`, then the later record), rates from summed parts.
pub fn combine(period: &Period, packages: Vec<Read>) -> Rollup {
    let mut chosen: BTreeMap<String, Read> = BTreeMap::new();
    let mut replaced = Vec::new();
    let mut seen_elsewhere: Vec<String> = Vec::new();
    for read in packages {
        let p = &read.package;
        if p.period.from != period.from || p.period.to != period.to {
            seen_elsewhere.push(p.community.clone());
            continue;
        }
        let key = p.community.clone();
        match chosen.get(&key) {
            Some(old) if newer(&old.package, p) => replaced.push((read.file, old.file.clone())),
            Some(old) => {
                replaced.push((old.file.clone(), read.file.clone()));
                chosen.insert(key, read);
            }
            None => {
                chosen.insert(key, read);
            }
        }
    }
    let mut totals = Figures::default();
    let mut overdue = Vec::new();
    let mut escalated = Vec::new();
    let mut communities = Vec::new();
    for (name, read) in chosen {
        totals = totals.add(&read.package.figures);
        escalated.extend(
            read.package
                .escalated_issues
                .iter()
                .map(|e| (name.clone(), e.clone())),
        );
        overdue.extend(
            read.package
                .overdue_actions
                .iter()
                .map(|a| (name.clone(), a.clone())),
        );
        communities.push(RollupRow {
            community: name,
            file: read.file,
            as_of: read.package.as_of,
            record_check: read.package.record_check,
            sha256: read.sha256,
            figures: read.package.figures,
        });
    }
    overdue.sort_by(|a, b| b.1.days_overdue.cmp(&a.1.days_overdue).then(a.0.cmp(&b.0)));
    escalated.sort_by(|a, b| {
        (a.1.answered_on.is_some(), -a.1.days_waiting, &a.0).cmp(&(
            b.1.answered_on.is_some(),
            -b.1.days_waiting,
            &b.0,
        ))
    });
    seen_elsewhere.sort();
    seen_elsewhere.dedup();
    let missing = seen_elsewhere
        .into_iter()
        .filter(|c| !communities.iter().any(|r| &r.community == c))
        .collect();
    Rollup {
        period: period.clone(),
        communities,
        totals,
        overdue_actions: overdue,
        escalated_issues: escalated,
        missing,
        replaced,
    }
}

/// Whether `a` is newer than `b` (made from a later state of the community's record).
fn newer(a: &Package, b: &Package) -> bool {
    let seq = |p: &Package| {
        p.record_check
            .trim_start_matches('#')
            .split_whitespace()
            .next()
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    (a.as_of.as_str(), seq(a)) >= (b.as_of.as_str(), seq(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(community: &str, as_of: &str, seq: i64, figures: Figures) -> Package {
        Package {
            format: FORMAT.into(),
            version: VERSION,
            community: community.into(),
            period: Period::parse("2026Q3").unwrap(),
            as_of: as_of.into(),
            record_check: format!("#{seq} 0123456789abcdef"),
            figures,
            overdue_actions: vec![],
            escalated_issues: vec![],
        }
    }

    #[test]
    fn periods() {
        let q = Period::parse("2026Q3").unwrap();
        assert_eq!(
            (q.from.as_str(), q.to.as_str()),
            ("2026-07-01", "2026-09-30")
        );
        let m = Period::parse("2026-02").unwrap();
        assert_eq!(m.to, "2026-02-28");
        assert_eq!(Period::parse("2026").unwrap().to, "2026-12-31");
        assert!(Period::parse("2026Q5").is_none());
        assert!(Period::parse("2026-09-30..2026-07-01").is_none());
    }

    #[test]
    fn a_package_round_trips_and_a_changed_byte_is_refused() {
        let p = package("汀塘社区", "2026-09-30", 9, Figures::default());
        let bytes = p.to_file();
        let (back, _) = Package::from_file(&bytes).unwrap();
        assert_eq!(back, p);
        let mut bad = bytes.clone();
        let at = bad.len() - 10;
        bad[at] ^= 1;
        assert!(Package::from_file(&bad).is_err());
        assert_eq!(Package::from_file(b"{}"), Err(PackageError::NotAPackage));
    }

    #[test]
    fn rates_come_from_summed_parts_and_the_newer_package_wins() {
        let a = Figures {
            satisfaction: Ratio::new(9, 10),
            ..Figures::default()
        };
        let b = Figures {
            satisfaction: Ratio::new(10, 100),
            ..Figures::default()
        };
        let old_b = Figures {
            satisfaction: Ratio::new(1, 1),
            ..Figures::default()
        };
        let read = |file: &str, p: Package| Read {
            file: file.into(),
            sha256: String::new(),
            package: p,
        };
        let r = combine(
            &Period::parse("2026Q3").unwrap(),
            vec![
                read("a", package("甲", "2026-09-30", 5, a)),
                read("b-old", package("乙", "2026-09-01", 3, old_b)),
                read("b", package("乙", "2026-09-30", 8, b)),
            ],
        );
        // 19 of 110, not the average of 90% and 10%.
        assert_eq!(r.totals.satisfaction, Ratio::new(19, 110));
        assert_eq!(r.replaced, vec![("b-old".to_string(), "b".to_string())]);
        assert_eq!(r.communities.len(), 2);
    }
}
