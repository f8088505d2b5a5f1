//! `yishi status`: what is due in the council cycle, step by step, read in one snapshot.

use crate::config::Reminders;
use crate::domain::date;
use crate::domain::issue::Status as IssueStatus;
use crate::domain::rules::Outcome;
use crate::domain::status::{self as rules, Item, Step, Urgency};
use crate::error::Result;
use crate::store::Store;
use crate::store::status as facts;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

mod steps;

#[derive(Debug, Clone, Copy)]
pub struct Request {
    pub today: NaiveDate,
    /// Days to look ahead.
    pub within: u32,
    /// Items shown per step (the counts cover all); 0 for all.
    pub limit: u32,
}

/// The items of one step, most pressing first.
#[derive(Debug, Clone, Serialize)]
pub struct StepGroup {
    pub step: Step,
    /// Items in the window (overdue, due, or informational), of which `items` are the first.
    pub total: u64,
    pub overdue: u64,
    /// Due within the window, not yet overdue.
    pub due: u64,
    pub items: Vec<Item>,
    /// The command that lists all of them, when `items` is cut short.
    pub more: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub today: NaiveDate,
    pub within_days: u32,
    pub overdue: u64,
    pub due: u64,
    pub steps: Vec<StepGroup>,
}

/// The day of a stored UTC timestamp in local time (how the secretary counts days).
pub fn local_day(timestamp: &str) -> Option<NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(timestamp)
        .ok()
        .map(|t| t.with_timezone(&chrono::Local).date_naive())
}

fn day(s: &str) -> Option<NaiveDate> {
    date::parse_date(s)
}

/// What is due, read in one snapshot: every count and list agrees with the others.
pub fn status(store: &Store, thresholds: &Reminders, req: Request) -> Result<Status> {
    store.read(|conn| build(conn, thresholds, req))
}

/// Each step of the cycle in its order (`steps`), then the items grouped by step.
fn build(conn: &Connection, thresholds: &Reminders, req: Request) -> Result<Status> {
    let w = steps::Window {
        today: req.today,
        within: req.within,
        thresholds,
    };
    let mut items: Vec<Item> = Vec::new();
    items.extend(steps::new_issues(conn, &w)?);
    let screen = steps::screen(conn, &w, req.limit)?;
    items.extend(steps::consultations(conn, &w)?);
    items.extend(steps::meetings(conn, &w)?);
    items.extend(steps::votes(conn, &w)?);
    items.extend(steps::notices(conn, &w)?);
    items.extend(steps::actions(conn, &w)?);
    items.extend(steps::after_completion(conn, &w)?);
    items.extend(steps::escalations(conn, &w)?);
    items.extend(steps::replies(conn, &w)?);
    rules::sort(&mut items);
    let mut groups = group(screen, &items, req.limit);
    groups.sort_by_key(|g| g.step);
    let overdue = groups.iter().map(|g| g.overdue).sum();
    let due = groups.iter().map(|g| g.due).sum();
    Ok(Status {
        today: req.today,
        within_days: req.within,
        overdue,
        due,
        steps: groups,
    })
}

/// The items grouped by step, after screening (counted in SQL): counts cover all, `limit`
/// items are shown (0: all).
fn group(screen: Option<StepGroup>, items: &[Item], limit: u32) -> Vec<StepGroup> {
    let mut groups: Vec<StepGroup> = screen.into_iter().collect();
    for step in Step::ALL {
        let mut in_step: Vec<Item> = items.iter().filter(|i| i.step == step).cloned().collect();
        if in_step.is_empty() {
            continue;
        }
        // The screening group was counted in SQL above; replies owed at screening join it.
        if let Some(screen) = groups.iter_mut().find(|g| g.step == step) {
            let overdue = in_step
                .iter()
                .filter(|i| i.urgency == Urgency::Overdue)
                .count();
            let due = in_step.iter().filter(|i| i.urgency == Urgency::Due).count();
            screen.total += in_step.len() as u64;
            screen.overdue += overdue as u64;
            screen.due += due as u64;
            let replies = in_step.len();
            screen.items.append(&mut in_step);
            // The most pressing of both kinds, `limit` in all as in every other step (the
            // replies were all shown: ten thousand lines on a large database).
            rules::sort(&mut screen.items);
            if limit > 0 {
                screen.items.truncate(limit as usize);
            }
            // What is left out decides the hint: the listing of collected issues when only
            // they are, `--limit 0` (no command) when replies are among them.
            let shown_replies = screen
                .items
                .iter()
                .filter(|i| matches!(i.due, rules::Due::Reply { .. }))
                .count();
            let hidden = screen.total - screen.items.len() as u64;
            screen.more =
                (hidden > 0 && shown_replies == replies).then(|| steps::SCREEN_MORE.to_string());
            continue;
        }
        let total = in_step.len() as u64;
        let overdue = in_step
            .iter()
            .filter(|i| i.urgency == Urgency::Overdue)
            .count() as u64;
        let due = in_step.iter().filter(|i| i.urgency == Urgency::Due).count() as u64;
        if limit > 0 {
            in_step.truncate(limit as usize);
        }
        let more = (total > in_step.len() as u64)
            .then(|| more_command(step))
            .flatten();
        groups.push(StepGroup {
            step,
            total,
            overdue,
            due,
            items: in_step,
            more,
        });
    }
    groups
}

fn more_command(step: Step) -> Option<String> {
    Some(
        match step {
            Step::Consult => "yishi issue list --status accepted",
            Step::Implement => "yishi action list",
            _ => return None,
        }
        .to_string(),
    )
}

/// One action in a 督办 reminder.
#[derive(Debug, Clone, Serialize)]
pub struct ActionDue {
    pub action: i64,
    pub issue: i64,
    pub issue_title: String,
    pub text: String,
    pub progress: i64,
    pub due: NaiveDate,
    /// Negative: overdue by that many days.
    pub days_left: i64,
    pub overdue: bool,
}

/// The actions of one owner (责任人); `None` for actions nobody was named for.
#[derive(Debug, Clone, Serialize)]
pub struct OwnerActions {
    pub owner: Option<String>,
    pub actions: Vec<ActionDue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Reminder {
    pub today: NaiveDate,
    pub within_days: u32,
    pub owners: Vec<OwnerActions>,
}

#[derive(Debug, Clone)]
pub struct RemindRequest {
    pub today: NaiveDate,
    pub within: u32,
    /// Only this owner's actions.
    pub owner: Option<String>,
}

/// 督办: per owner, the open actions overdue or due within the window, most overdue first.
/// Owners are in order of their most pressing action; actions without an owner come last.
pub fn remind(store: &Store, req: &RemindRequest) -> Result<Reminder> {
    let until = rules::add_days(req.today, req.within).to_string();
    let rows = store.read(|conn| facts::actions(conn, Some(&until)))?;
    let mut owners: Vec<OwnerActions> = Vec::new();
    for a in rows {
        if req.owner.is_some() && a.owner != req.owner {
            continue;
        }
        let Some(due) = a.due.as_deref().and_then(day) else {
            continue;
        };
        let days_left = rules::days_left(due, req.today);
        let item = ActionDue {
            action: a.id,
            issue: a.issue_id,
            issue_title: a.issue_title,
            text: a.text,
            progress: a.progress,
            due,
            days_left,
            overdue: days_left < 0,
        };
        // Rows come ordered by due date, so each owner's list is too.
        match owners.iter_mut().find(|o| o.owner == a.owner) {
            Some(o) => o.actions.push(item),
            None => owners.push(OwnerActions {
                owner: a.owner,
                actions: vec![item],
            }),
        }
    }
    // Named owners first (in order of their earliest due date), then the unassigned.
    owners.sort_by_key(|o| o.owner.is_none());
    Ok(Reminder {
        today: req.today,
        within_days: req.within,
        owners,
    })
}

/// Everything with a date that belongs in the council's calendar.
#[derive(Debug, Clone)]
pub struct CalendarFacts {
    pub meetings: Vec<facts::MeetingFacts>,
    pub notices: Vec<facts::NoticeFacts>,
    pub actions: Vec<facts::ActionFacts>,
}

/// The calendar's facts, read in one snapshot.
pub fn calendar(store: &Store) -> Result<CalendarFacts> {
    store.read(|conn| {
        Ok(CalendarFacts {
            meetings: facts::meetings(conn, false)?,
            notices: facts::notices(conn)?,
            actions: facts::actions(conn, None)?,
        })
    })
}

fn check_facts(row: &facts::ChecklistRow) -> rules::CheckFacts {
    rules::CheckFacts {
        raised_on: day(&row.raised_on),
        accepted_on: row.accepted_at.as_deref().and_then(local_day),
        consulted_on: row.consulted_on.as_deref().and_then(day),
        decided_on: row.decided_in.as_ref().and_then(|(_, at, _)| day(at)),
        adopted: row
            .decided_in
            .as_ref()
            .is_some_and(|(_, _, outcome)| *outcome == Outcome::Adopted),
        decision_notice: row
            .decision_notice
            .as_ref()
            .and_then(|(from, to)| Some((day(from)?, to.as_deref().and_then(day)))),
        completed_on: (row.status == IssueStatus::Completed)
            .then(|| row.last_done_on.as_deref().and_then(day))
            .flatten(),
        result_notice_on: row.result_notice_on.as_deref().and_then(day),
        feedback: (row.feedback.0, row.feedback.1.as_deref().and_then(day)),
    }
}

fn is_decided(status: IssueStatus) -> bool {
    matches!(
        status,
        IssueStatus::Decided | IssueStatus::Implementing | IssueStatus::Completed
    )
}

/// 四议两公开 for one issue; `None` until the council has decided it.
pub fn checklist(store: &Store, issue: i64) -> Result<Option<Vec<rules::CheckStep>>> {
    store.read(|conn| checklist_in(conn, issue))
}

/// As [`checklist`], inside a snapshot another read operation holds (`issue show`).
pub(crate) fn checklist_in(conn: &Connection, issue: i64) -> Result<Option<Vec<rules::CheckStep>>> {
    let row = facts::checklist(conn, issue)?;
    Ok(row
        .filter(|r| is_decided(r.status))
        .map(|r| rules::checklist(&check_facts(&r))))
}

/// How many decided issues went through every step, of how many decided issues.
pub fn checklist_complete(store: &Store) -> Result<(u64, u64)> {
    store.read(count_complete)
}

pub(crate) fn count_complete(conn: &Connection) -> Result<(u64, u64)> {
    let (mut done, mut decided) = (0, 0);
    facts::each_decided_checklist(conn, |row| {
        decided += 1;
        if rules::complete(&rules::checklist(&check_facts(&row))) {
            done += 1;
        }
    })?;
    Ok((done, decided))
}
