//! A community's report package (`report --package`) and the street office's roll-up of many
//! (`rollup`): the figures a street office asks each community for, with their numerators and
//! denominators, so that the street's rates are computed from sums, never averaged.
//!
//! The file is one JSON document: `{"sha256":"…","package":{…}}`, where the hash is over the
//! exact bytes of the `package` value as written. A package holds no personal data: no phones,
//! no addresses, no residents' names (owners of actions are masked like residents). Its
//! `version` names the shape of `package`; readers refuse a version they do not know.
//!
//! Version 2 adds the period's record (domain::package_sections): issues, meetings, motions,
//! resolutions, actions, postings and feedback counts. Version 1 (figures, overdue actions and
//! escalated issues only) is still read: its figures have the same shape, and rollup uses
//! nothing else, so a street office can combine the packages of communities that have not
//! upgraded yet with those that have.

use crate::domain::contact::mask_name;
use crate::domain::escalation::Counts;
use crate::domain::package_sections::{
    FeedbackCounts, PackageAction, PackageIssue, PackageMeeting, PackageMotion, PackagePosting,
    PackageResolution,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Seek, SeekFrom, Write};

/// What the `format` field of every package says.
pub const FORMAT: &str = "yishi-report-package";
/// The shape of `package` this yishi writes.
pub const VERSION: u32 = 2;
/// The shapes it reads: version 1 lacks the record sections, which rollup does not use.
pub const READS: [u32; 2] = [1, 2];

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
    /// Version 2: issues raised in the period.
    #[serde(default)]
    pub issues: Vec<PackageIssue>,
    /// Version 2: meetings set for a day in the period.
    #[serde(default)]
    pub meetings: Vec<PackageMeeting>,
    /// Version 2: motions put at those meetings.
    #[serde(default)]
    pub motions: Vec<PackageMotion>,
    /// Version 2: resolutions made at those meetings.
    #[serde(default)]
    pub resolutions: Vec<PackageResolution>,
    /// Version 2: the actions carrying those resolutions out.
    #[serde(default)]
    pub actions: Vec<PackageAction>,
    /// Version 2: postings that went up in the period.
    #[serde(default)]
    pub postings: Vec<PackagePosting>,
    /// Version 2: feedback given in the period, counted.
    #[serde(default)]
    pub feedback: FeedbackCounts,
}

/// What rollup reads of a package: everything but the record sections, which are skipped
/// unread (a district's packages hold millions of issues; rollup needs none of them).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Summary {
    pub format: String,
    pub version: u32,
    pub community: String,
    pub period: Period,
    pub as_of: String,
    pub record_check: String,
    pub figures: Figures,
    pub overdue_actions: Vec<OverdueAction>,
    #[serde(default)]
    pub escalated_issues: Vec<EscalatedIssue>,
}

impl Package {
    /// The parts rollup reads.
    pub fn summary(self) -> Summary {
        Summary {
            format: self.format,
            version: self.version,
            community: self.community,
            period: self.period,
            as_of: self.as_of,
            record_check: self.record_check,
            figures: self.figures,
            overdue_actions: self.overdue_actions,
            escalated_issues: self.escalated_issues,
        }
    }
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
        // One buffer (a million issues make a large package): the head with room for the
        // hash, the package written after it, then the hash of those bytes put in its place.
        let mut file = format!("{HEAD}{:064}{MIDDLE}", 0).into_bytes();
        let start = file.len();
        serde_json::to_writer(&mut file, self).expect("a package serialises");
        let hash = hex(&Sha256::digest(&file[start..]));
        file[HEAD.len()..HEAD.len() + 64].copy_from_slice(hash.as_bytes());
        file.extend_from_slice(b"}\n");
        file
    }

    /// A package file read back: its hash checked over the exact bytes of the package, its
    /// format and version known. Returns the package and its hash.
    pub fn from_file(bytes: &[u8]) -> Result<(Package, String), PackageError> {
        read_file(bytes)
    }
}

/// A writer that hashes what goes through it.
pub struct Hashing<W> {
    inner: W,
    sha: Sha256,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.sha.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Writes a package file to `w` as it comes, with [`Package::to_file`]'s bytes: the head with
/// room for the hash, the package by `body` (hashed as it goes), the end, then the hash put in
/// its place. Returns the hash.
pub fn write_file<W: Write + Seek + ?Sized>(
    w: &mut W,
    body: impl FnOnce(&mut Hashing<&mut W>) -> crate::error::Result<()>,
) -> crate::error::Result<String> {
    let start = w.stream_position()?;
    write!(w, "{HEAD}{:064}{MIDDLE}", 0)?;
    let mut hashing = Hashing {
        inner: &mut *w,
        sha: Sha256::new(),
    };
    body(&mut hashing)?;
    let hash = hex(&hashing.sha.finalize());
    w.write_all(b"}\n")?;
    let end = w.stream_position()?;
    w.seek(SeekFrom::Start(start + HEAD.len() as u64))?;
    w.write_all(hash.as_bytes())?;
    w.seek(SeekFrom::Start(end))?;
    Ok(hash)
}

impl Package {
    /// The package's JSON to `w` as serde_json writes it, but with its issues (left empty in
    /// `self`) written by `issues`: everything else is small and serialised whole, then cut
    /// where the issues go.
    pub fn write_body<W: Write>(
        &self,
        w: &mut W,
        issues: impl FnOnce(&mut W) -> crate::error::Result<()>,
    ) -> crate::error::Result<()> {
        debug_assert!(self.issues.is_empty());
        let json = serde_json::to_vec(self).expect("a package serialises");
        // The key can only be the package's own: quotes inside strings are escaped, and the
        // one other key ending in `issues` is `escalated_issues`, not preceded by `,"`.
        const KEY: &[u8] = b",\"issues\":[";
        let at = json
            .windows(KEY.len())
            .position(|win| win == KEY)
            .expect("a package has its issues")
            + KEY.len();
        w.write_all(&json[..at])?;
        issues(w)?;
        w.write_all(&json[at..])?;
        Ok(())
    }
}

/// The format and version of a package, read first (the rest skipped) so that a version this
/// yishi does not know is named as such rather than as a file it cannot read.
#[derive(Deserialize)]
struct Probe {
    format: Option<String>,
    version: Option<u64>,
}

/// A package file read back as `T` ([`Package`], or [`Summary`] to skip the record): its hash
/// checked over the exact bytes of the package, its format and version known. Returns it with
/// its hash.
pub fn read_file<T: DeserializeOwned>(bytes: &[u8]) -> Result<(T, String), PackageError> {
    let text = std::str::from_utf8(bytes).map_err(|_| PackageError::NotAPackage)?;
    let rest = text
        .trim_end()
        .strip_prefix(HEAD)
        .ok_or(PackageError::NotAPackage)?;
    let (hash, rest) = match (rest.get(..64), rest.get(64..)) {
        (Some(hash), Some(rest)) => (hash, rest),
        _ => return Err(PackageError::NotAPackage),
    };
    let body = rest
        .strip_prefix(MIDDLE)
        .and_then(|r| r.strip_suffix('}'))
        .ok_or(PackageError::NotAPackage)?;
    if hex(&Sha256::digest(body.as_bytes())) != hash {
        return Err(PackageError::HashMismatch);
    }
    let probe: Probe = serde_json::from_str(body).map_err(|_| PackageError::NotAPackage)?;
    if probe.format.as_deref() != Some(FORMAT) {
        return Err(PackageError::NotAPackage);
    }
    let version = u32::try_from(probe.version.unwrap_or(0)).unwrap_or(u32::MAX);
    if !READS.contains(&version) {
        return Err(PackageError::UnknownVersion(version));
    }
    let package = serde_json::from_str(body).map_err(|_| PackageError::NotAPackage)?;
    Ok((package, hash.to_string()))
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

/// A package read from a file (the parts rollup uses), with its name and hash.
pub struct Read {
    pub file: String,
    pub sha256: String,
    pub package: Summary,
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
fn newer(a: &Summary, b: &Summary) -> bool {
    let seq = |p: &Summary| {
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
            issues: vec![],
            meetings: vec![],
            motions: vec![],
            resolutions: vec![],
            actions: vec![],
            postings: vec![],
            feedback: Default::default(),
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

    /// A package of `version` whose body is `body` with that version, hashed as written.
    fn file_of(body: &str) -> Vec<u8> {
        let hash = hex(&Sha256::digest(body.as_bytes()));
        format!("{HEAD}{hash}{MIDDLE}{body}}}\n").into_bytes()
    }

    #[test]
    fn a_version_1_package_is_read_and_an_unknown_version_named() {
        // Version 1 as yishi wrote it: no record sections.
        let v1 = r##"{"format":"yishi-report-package","version":1,"community":"南塘社区","period":{"name":"2026Q3","from":"2026-07-01","to":"2026-09-30"},"as_of":"2026-09-30","record_check":"#9 0123456789abcdef","figures":{"meetings_held":1,"issues_total":2,"issues_by_status":{"completed":1,"accepted":1},"attendance":{"numerator":5,"denominator":7},"participation":{"numerator":2,"denominator":100},"awareness":{"numerator":1,"denominator":1},"satisfaction":{"numerator":1,"denominator":1},"cycle_complete":{"numerator":1,"denominator":1},"actions_done_on_time":1,"actions_done_late":0,"actions_overdue":0,"actions_open":0,"escalations":{"raised":0,"answered":0,"waiting":0}},"overdue_actions":[],"escalated_issues":[]}"##;
        let (p, _) = read_file::<Summary>(&file_of(v1)).unwrap();
        assert_eq!((p.version, p.figures.issues_total), (1, 2));
        let (full, _) = Package::from_file(&file_of(v1)).unwrap();
        assert!(full.issues.is_empty() && full.feedback.responses == 0);
        let v3 = v1.replace(r#""version":1"#, r#""version":3"#);
        assert_eq!(
            read_file::<Summary>(&file_of(&v3)).map(|_| ()),
            Err(PackageError::UnknownVersion(3))
        );
        // What this yishi writes is version 2 and reads back whole.
        let p = package("汀塘社区", "2026-09-30", 9, Figures::default());
        let (back, _) = read_file::<Summary>(&p.to_file()).unwrap();
        assert_eq!(back.version, 2);
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
            package: p.summary(),
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
