//! Residents' issues (议题): intake, the status machine, merging, pre-consultation,
//! stakeholders; and the read operations that list and show them. (CSV import is `import`.)

use crate::domain::audit;
use crate::domain::guards;
use crate::domain::ids::{IssueId, MeetingId};
use crate::domain::issue::{LinkKind, Status};
use crate::error::{Error, Result};
use crate::store::followup::{self, Action};
use crate::store::issues::{
    self, Consultation, HistoryEntry, Issue, NewIssue, Stakeholder, Submitter,
};
use crate::store::motions::{self, Motion, Resolution};
use crate::store::{Actor, Store, Writer, meetings};

/// Load the issue inside the write transaction and hand it to `f`: a check on its status is
/// then made on what is stored now, not on what was read before.
fn with_issue<T>(
    store: &mut Store,
    actor: &Actor,
    id: IssueId,
    f: impl FnOnce(&mut Writer, Issue) -> Result<T>,
) -> Result<T> {
    store.write(actor, |w| {
        let issue = issues::require(w.conn(), id.0)?;
        f(w, issue)
    })
}

/// When an objection is raised against a meeting's decisions, and the notice period.
pub enum ObjectionTiming {
    WithinPeriod,
    /// Raised outside the period the decisions were posted.
    OutsidePeriod {
        meeting: MeetingId,
        starts_on: String,
        ends_on: Option<String>,
    },
    /// The decisions have not been posted yet.
    NotPosted {
        meeting: MeetingId,
    },
}

pub struct Added {
    pub issue: Issue,
    pub objection: Option<ObjectionTiming>,
}

/// What a new issue is linked to.
#[derive(Default)]
pub struct Links {
    /// An objection: to one resolution (R3), or to a meeting with exactly one resolution.
    pub objection_to: Option<ObjectionTo>,
    /// Raised again: an earlier issue on the same matter.
    pub reraise: Option<IssueId>,
}

/// What an objection names on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectionTo {
    Resolution(i64),
    /// Accepted when the meeting has exactly one standing resolution.
    Meeting(MeetingId),
}

impl std::str::FromStr for ObjectionTo {
    type Err = crate::i18n::Text;
    fn from_str(typed: &str) -> std::result::Result<Self, Self::Err> {
        if let Some(id) = crate::domain::text::parse_id(typed, 'R')
            .filter(|_| typed.trim().starts_with(['R', 'r']))
        {
            return Ok(ObjectionTo::Resolution(id));
        }
        typed
            .parse::<MeetingId>()
            .map(ObjectionTo::Meeting)
            .map_err(|_| crate::text!("issue.not_an_objection_target", typed = typed.trim()))
    }
}

/// The resolution an objection points at: the one named, or the only standing resolution of
/// the meeting named; else refused, listing the meeting's resolutions.
fn objected_resolution(w: &Writer, to: ObjectionTo) -> Result<Resolution> {
    match to {
        ObjectionTo::Resolution(id) => motions::require_resolution(w.conn(), id),
        ObjectionTo::Meeting(m) => {
            let meeting = meetings::require(w.conn(), m.0)?;
            let standing: Vec<Resolution> = motions::resolutions(w.conn(), Some(meeting.id))?
                .into_iter()
                .filter(|r| r.withdrawn_reason.is_none())
                .collect();
            match standing.as_slice() {
                [one] => Ok(one.clone()),
                [] => Err(Error::refused_text(crate::text!(
                    "issue.objection_no_resolution",
                    meeting = m
                ))),
                many => Err(Error::refused_text(crate::text!(
                    "issue.objection_names_one",
                    meeting = m,
                    n = many.len(),
                    list = many
                        .iter()
                        .map(|r| format!("R{} {}", r.id, r.text))
                        .collect::<Vec<_>>()
                        .join("; "),
                    first = format!("R{}", many[0].id),
                ))),
            }
        }
    }
}

/// `issue add`: a new issue (collected), with its stakeholders and links.
pub fn add(
    store: &mut Store,
    actor: &Actor,
    new: &NewIssue,
    stakeholders: &[String],
    links: Links,
) -> Result<Added> {
    let objection_to = links.objection_to;
    store.write(actor, |w| {
        let resolution = objection_to
            .map(|to| objected_resolution(w, to))
            .transpose()?;
        let objection = match &resolution {
            Some(r) => {
                let m = MeetingId(r.meeting_id);
                let meeting = meetings::require(w.conn(), m.0)?;
                let raised = new.raised_on.as_str();
                Some(match followup::decision_notice(w.conn(), meeting.id)? {
                    Some(n)
                        if raised >= n.starts_on.as_str()
                            && n.ends_on.as_deref().is_none_or(|e| raised <= e) =>
                    {
                        ObjectionTiming::WithinPeriod
                    }
                    Some(n) => ObjectionTiming::OutsidePeriod {
                        meeting: m,
                        starts_on: n.starts_on,
                        ends_on: n.ends_on,
                    },
                    None => ObjectionTiming::NotPosted { meeting: m },
                })
            }
            None => None,
        };
        let id = issues::insert(
            w,
            new,
            stakeholders,
            resolution.as_ref().map(|r| r.meeting_id),
        )?;
        if let Some(r) = &resolution {
            let link = issues::add_link(w, id, LinkKind::Objection, None, Some(r.id))?;
            w.record(
                audit::Entity::Issue,
                Some(id),
                audit::Action::Objection,
                serde_json::json!({"objection_to": format!("R{}", r.id)}),
                &[("issue_links", link)],
            )?;
        }
        if let Some(earlier) = links.reraise {
            let earlier = issues::require(w.conn(), earlier.0)?;
            let link = issues::add_link(w, id, LinkKind::Reraise, Some(earlier.id), None)?;
            w.record(
                audit::Entity::Issue,
                Some(id),
                audit::Action::Reraise,
                serde_json::json!({"reraise_of": earlier.id}),
                &[("issue_links", link)],
            )?;
        }
        Ok(Added {
            issue: issues::require(w.conn(), id)?,
            objection,
        })
    })
}

/// `issue accept` / `issue reject`: one step of the status machine. Returns the issue as it
/// was before.
pub fn set_status(
    store: &mut Store,
    actor: &Actor,
    id: IssueId,
    to: Status,
    note: Option<&str>,
    action: audit::Action,
) -> Result<Issue> {
    with_issue(store, actor, id, |w, issue| {
        guards::step(&issue, to)?;
        issues::set_status(w, &issue, to, note, action)?;
        Ok(issue)
    })
}

/// `issue merge`: `dup` becomes a duplicate of `into`. Returns `into`.
pub fn merge(store: &mut Store, actor: &Actor, dup: IssueId, into: IssueId) -> Result<Issue> {
    store.write(actor, |w| {
        let dup = issues::require(w.conn(), dup.0)?;
        let into = issues::require(w.conn(), into.0)?;
        guards::merge(&dup, &into)?;
        issues::merge(w, &dup, &into)?;
        Ok(into)
    })
}

pub struct Consult {
    pub issue: IssueId,
    pub party: String,
    pub summary: String,
    /// YYYY-MM-DD
    pub held_on: String,
}

/// `issue consult`: a pre-consultation (会前协商).
pub fn consult(store: &mut Store, actor: &Actor, c: &Consult) -> Result<i64> {
    with_issue(store, actor, c.issue, |w, issue| {
        guards::consult(&issue)?;
        issues::consult(w, &issue, &c.party, &c.summary, &c.held_on)
    })
}

/// `issue stakeholder add`.
pub fn add_stakeholder(
    store: &mut Store,
    actor: &Actor,
    id: IssueId,
    name: &str,
    phone: Option<&str>,
) -> Result<i64> {
    with_issue(store, actor, id, |w, issue| {
        issues::add_stakeholder(w, &issue, name, phone)?
            .ok_or_else(|| guards::stakeholder_already_listed(name, issue.id))
    })
}

/// `issue stakeholder remove`.
pub fn remove_stakeholder(store: &mut Store, actor: &Actor, id: IssueId, name: &str) -> Result<()> {
    with_issue(store, actor, id, |w, issue| {
        issues::remove_stakeholder(w, &issue, name)
    })
}

/// Everything about one issue, read in one snapshot.
pub struct IssueRecord {
    pub issue: Issue,
    pub co_submitters: Vec<Submitter>,
    pub history: Vec<HistoryEntry>,
    pub consultations: Vec<Consultation>,
    pub stakeholders: Vec<Stakeholder>,
    pub motions: Vec<Motion>,
    pub resolutions: Vec<Resolution>,
    pub actions: Vec<Action>,
    pub links: Vec<issues::Link>,
    /// The meeting this issue objects to, its resolutions and its decision notice.
    pub objection: Option<Objection>,
    /// 四议两公开, once the council has decided the issue.
    pub checklist: Option<Vec<crate::domain::status::CheckStep>>,
    /// How it came in (a survey's metadata) and whether its category is only suggested.
    pub intake: Option<issues::IssueIntake>,
    /// 答复: what the residents who raised it were told, at which step.
    pub replies: Vec<crate::domain::reply::Reply>,
}

pub struct Objection {
    pub meeting: crate::domain::meeting::Meeting,
    pub resolutions: Vec<Resolution>,
    pub notice: Option<followup::Notice>,
}

/// `issue show`.
pub fn show(store: &Store, id: IssueId) -> Result<IssueRecord> {
    store.read(|conn| {
        let id = id.0;
        let issue = issues::require(conn, id)?;
        let objection = match issue.objection_to {
            Some(m) => Some(Objection {
                meeting: meetings::require(conn, m)?,
                resolutions: issues::objected_resolutions(conn, id, m)?,
                notice: followup::decision_notice(conn, m)?,
            }),
            None => None,
        };
        Ok(IssueRecord {
            issue,
            objection,
            links: issues::links(conn, id)?,
            co_submitters: issues::co_submitters(conn, id)?,
            history: issues::history(conn, id)?,
            consultations: issues::consultations(conn, id)?,
            stakeholders: issues::stakeholders(conn, id)?,
            motions: motions::for_issue(conn, id)?,
            resolutions: motions::resolutions_of_issue(conn, id)?,
            actions: followup::actions_of_issue(conn, id)?,
            checklist: crate::ops::status::checklist_in(conn, id)?,
            intake: issues::intake(conn, id)?,
            replies: crate::ops::replies::of_issue(conn, id)?,
        })
    })
}

/// `issue list`: every issue that matches, visited in order in one snapshot (streamed: a
/// million issues never sit in memory).
pub fn each(
    store: &Store,
    filter: &issues::Filter,
    page: issues::Page,
    visit: impl FnMut(Issue) -> Result<()>,
) -> Result<()> {
    store.read(|conn| issues::each(conn, filter, page, visit))
}

/// `issue list --all --json`: every match, newest first, in one snapshot, read and turned
/// into text by `format` on two threads (`issues::each_split`); `emit` gets the texts in order.
pub fn each_formatted(
    store: &Store,
    filter: &issues::Filter,
    format: impl Fn(&Issue) -> Result<String> + Sync,
    emit: impl FnMut(&str) -> Result<()>,
) -> Result<()> {
    store.read(|conn| {
        let twin = crate::store::twin::open_on_same_snapshot(conn, || store.open_reader());
        issues::each_split(conn, twin, filter, format, emit)
    })
}

/// `issue list`: the issues of one page, visited in order, and how many match in all when the
/// page may hide some (it is full, or not the first), in one snapshot. A page of a text search
/// (`--grep` alone) and its count come from the text index, or without it from one reading of
/// the table on two threads (`issues::search_page`).
pub fn page(
    store: &Store,
    filter: &issues::Filter,
    page: issues::Page,
    mut visit: impl FnMut(Issue) -> Result<()>,
) -> Result<Option<u64>> {
    store.read(|conn| {
        if let Some(limit) = page.limit.filter(|_| filter.only_text_search()) {
            let twin = || crate::store::twin::open_on_same_snapshot(conn, || store.open_reader());
            let (found, total) = issues::search_page(conn, twin, filter, limit, page.offset)?;
            found.into_iter().try_for_each(visit)?;
            return Ok(Some(total));
        }
        let mut shown = 0u64;
        issues::each(conn, filter, page, |i| {
            shown += 1;
            visit(i)
        })?;
        Ok(match page.limit {
            Some(limit) if shown == limit || page.offset > 0 => Some(issues::count(conn, filter)?),
            _ => None,
        })
    })
}

/// `issue reindex`: the text index that `--grep` reads, built again from the issues; how many
/// issues it holds.
pub fn reindex(store: &mut Store) -> Result<u64> {
    store.rebuild_text_index()
}

/// The highest issue number so far (0 for none): an import's duplicate hints look at the
/// issues numbered after it.
pub fn last_id(store: &Store) -> Result<i64> {
    store.read(crate::store::dupes::last_issue_id)
}
