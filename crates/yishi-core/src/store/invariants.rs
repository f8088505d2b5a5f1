//! Rules the records must always satisfy, checked by `yishi verify` beside the audit chain:
//! they catch a consistent-looking edit that the seals alone would attribute to yishi.

use super::audit::Problem;
use super::codes;
use crate::domain::issue::Status;
use crate::domain::motion::VoteMethod;
use crate::domain::rules::{self, Electorate, MajorityRule, Outcome, Tally};
use crate::error::Result;
use rusqlite::Connection;

fn problem(table: &str, id: i64, text: crate::i18n::Text) -> Problem {
    Problem::at(None, table, Some(id), text)
}

/// One check of the records: the problems it finds.
pub type Check = fn(&Connection) -> Result<Vec<Problem>>;

/// The checks, each one read of its own (verify gives each to whichever of its two
/// connections is free), in the order their problems are reported.
pub const CHECKS: [Check; 4] = [
    codes_and_history,
    super::stored_times::unreadable_times,
    votes,
    open_votes_of_closed_meetings,
];

/// Every stored code is known, and every issue's status is where its history took it.
fn codes_and_history(conn: &Connection) -> Result<Vec<Problem>> {
    // Every stored code is one this yishi knows: a read of the row would refuse it. (The
    // issues' own are checked in the pass over them below.)
    let mut unknown = super::codes::unknown_values(conn)?;
    // An issue's status is where its history last took it. Codes are read as text here, so
    // that a row with an unknown one is still checked.
    let mut stmt = conn.prepare(
        "SELECT i.id AS id, i.status AS status, \
           (SELECT h.to_status FROM issue_history h WHERE h.issue_id = i.id ORDER BY h.id DESC LIMIT 1) \
             AS last_step, \
           i.outcome AS outcome \
         FROM issues i",
    )?;
    // Every issue is read: the columns are found once.
    let [id_at, status_at, last_at, outcome_at] =
        super::column_indexes(&stmt, ["id", "status", "last_step", "outcome"])?;
    let mut rows = stmt.query([])?;
    let mut off_history = Vec::new();
    while let Some(r) = rows.next()? {
        let id: i64 = r.get(id_at)?;
        let status: String = r.get(status_at)?;
        let last: Option<String> = r.get(last_at)?;
        let outcome: Option<String> = r.get(outcome_at)?;
        unknown.extend(codes::unknown::<Status>("issues", "status", id, &status));
        if let Some(o) = &outcome {
            unknown.extend(codes::unknown::<Outcome>("issues", "outcome", id, o));
        }
        let expected = last.unwrap_or_else(|| Status::Collected.key().into());
        if status != expected {
            off_history.push(problem(
                "issues",
                id,
                crate::text!(
                    "verify.status_off_history",
                    id = id,
                    status = status,
                    expected = expected
                ),
            ));
        }
    }
    let mut problems: Vec<Problem> = unknown.iter().map(Problem::unknown).collect();
    problems.extend(off_history);
    Ok(problems)
}

/// A closed vote counts no more than the eligible voters present, and its result is what the
/// rule gives; a roll-call's names add up to its counts.
fn votes(conn: &Connection) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT id, rule, method, yes, no, abstain, electorate_present, electorate_invited, result FROM motions WHERE status = 'closed' AND result != 'deferred'",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let id: i64 = r.get("id")?;
        let rule: String = r.get("rule")?;
        let method: Option<String> = r.get("method")?;
        let tally = Tally {
            yes: r.get("yes")?,
            no: r.get("no")?,
            abstain: r.get("abstain")?,
        };
        let electorate = Electorate {
            present: r.get("electorate_present")?,
            invited: r.get("electorate_invited")?,
        };
        let result: String = r.get("result")?;
        // check_tally's one refusal, worded from the catalogue with the same figures.
        if rules::check_tally(tally, electorate).is_err() {
            problems.push(problem(
                "motions",
                id,
                crate::text!(
                    "verify.tally_over_present",
                    id = id,
                    total = tally.total(),
                    tally = tally,
                    present = electorate.present
                ),
            ));
        }
        if let Ok(rule) = rule.parse::<MajorityRule>() {
            let computed = rules::decide(rule, tally, electorate).key();
            if computed != result {
                problems.push(problem(
                    "motions",
                    id,
                    crate::text!(
                        "verify.result_wrong",
                        id = id,
                        result = &result,
                        tally = tally,
                        rule = rule,
                        computed = computed
                    ),
                ));
            }
        }
        if method.as_deref() == Some(VoteMethod::RollCall.key()) {
            let counted: (u32, u32, u32) = conn.query_row(
                "SELECT coalesce(sum(choice = 'yes'), 0) AS yes, coalesce(sum(choice = 'no'), 0) AS no, \
                   coalesce(sum(choice = 'abstain'), 0) AS abstain \
                 FROM ballots WHERE motion_id = ?1",
                [id],
                |r| Ok((r.get("yes")?, r.get("no")?, r.get("abstain")?)),
            )?;
            if counted != (tally.yes, tally.no, tally.abstain) {
                problems.push(problem(
                    "motions",
                    id,
                    crate::text!(
                        "verify.named_votes_differ",
                        id = id,
                        tally = tally,
                        counted = format!("{}:{}:{}", counted.0, counted.1, counted.2)
                    ),
                ));
            }
        }
    }
    Ok(problems)
}

/// A closed meeting has no vote left open.
fn open_votes_of_closed_meetings(conn: &Connection) -> Result<Vec<Problem>> {
    let mut problems = Vec::new();
    let mut stmt = conn.prepare(
        "SELECT m.id AS meeting_id, v.id AS motion_id FROM meetings m \
         JOIN motions v ON v.meeting_id = m.id WHERE m.status = 'closed' AND v.status != 'closed'",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (m, v): (i64, i64) = (r.get("meeting_id")?, r.get("motion_id")?);
        problems.push(problem(
            "motions",
            v,
            crate::text!("verify.open_vote_in_closed", m = m, v = v),
        ));
    }
    Ok(problems)
}
