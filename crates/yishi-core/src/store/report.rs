//! The figures a community reports: issues, meetings and attendance, participation,
//! awareness (知晓率), satisfaction (满意度) and follow-through. Each rate keeps its numerator
//! and denominator so that the report can show how it was computed.

use crate::domain::code::Code;
pub use crate::domain::report::{Period, Rate, Report, SeatRate, StepReplies};
use crate::domain::seat::SeatKind;
use crate::error::{Error, Result};
use rusqlite::{Connection, params};
use std::collections::BTreeMap;

impl Rate {
    pub fn new(numerator: u64, denominator: u64) -> Rate {
        Rate {
            numerator,
            denominator,
            rate: (denominator > 0).then(|| numerator as f64 / denominator as f64),
        }
    }
}

pub fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(|a, b| a.total_cmp(b));
    let n = values.len();
    Some(if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    })
}

fn days_between(a: &str, b: &str) -> Option<f64> {
    let a = chrono::NaiveDate::parse_from_str(a.get(..10)?, "%Y-%m-%d").ok()?;
    let b = chrono::NaiveDate::parse_from_str(b.get(..10)?, "%Y-%m-%d").ok()?;
    Some((b - a).num_days() as f64)
}

fn counts(
    conn: &Connection,
    column: &str,
    from: &Option<String>,
    to: &Option<String>,
) -> Result<BTreeMap<String, u64>> {
    // Grouped by the bare column, so that SQLite counts along the column's index in order
    // instead of sorting a million values; no value (NULL) counts as "".
    let mut stmt = conn.prepare(&format!(
        "SELECT {column}, count(*) FROM issues WHERE (?1 IS NULL OR raised_on >= ?1) AND (?2 IS NULL OR raised_on <= ?2) GROUP BY {column}"
    ))?;
    let mut counts = BTreeMap::new();
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        let key: Option<String> = r.get(0)?;
        *counts.entry(key.unwrap_or_default()).or_insert(0) += r.get::<_, i64>(1)? as u64;
    }
    Ok(counts)
}

/// One SQL pass of the report. The passes are independent, so two connections reading one
/// snapshot can share them (see `store::twin`).
#[derive(Debug, Clone, Copy)]
enum Part {
    /// A figure computed outside this module, e.g. the 四议两公开 checklist count.
    Also,
    Durations,
    Residents,
    Attendance,
    Counts(&'static str),
    Feedback,
    Actions,
    Replies,
}

/// The passes, the heaviest first so that two connections finish at about the same time
/// (on a million issues: the checklist count 0.19 s, durations 0.11 s, the rest 0.03–0.05 s).
const PARTS: [Part; 10] = [
    Part::Also,
    Part::Durations,
    Part::Residents,
    Part::Attendance,
    Part::Counts("status"),
    Part::Counts("category"),
    Part::Counts("channel"),
    Part::Feedback,
    Part::Actions,
    Part::Replies,
];

enum Figure<T> {
    Also(T),
    Durations(Durations),
    Residents(u64),
    Attendance(u64, BTreeMap<String, SeatAttendance>),
    Counts(BTreeMap<String, u64>),
    Feedback(FeedbackFigures),
    Actions(ActionFigures),
    Replies(crate::store::replies::StepFacts),
}

/// Compute the report for issues raised, meetings held and feedback given in the period, and
/// `also` beside it: on `conn` alone, or shared with `twin` on another thread when there is one
/// (a second connection on the same snapshot). `conn` must be inside a read transaction.
pub fn compute<T: Send>(
    conn: &Connection,
    twin: Option<Connection>,
    period: Period,
    also: impl Fn(&Connection) -> Result<T> + Sync,
) -> Result<(Report, T)> {
    let figures = Figures::of(conn, twin, &period, also)?;
    Ok(figures.report(period))
}

/// The report's passes, each figure in its own field.
struct Figures<T> {
    also: T,
    durations: Durations,
    residents: u64,
    meetings_held: u64,
    by_seat: BTreeMap<String, SeatAttendance>,
    by_status: BTreeMap<String, u64>,
    by_category: BTreeMap<String, u64>,
    by_channel: BTreeMap<String, u64>,
    feedback: FeedbackFigures,
    actions: ActionFigures,
    replied: crate::store::replies::StepFacts,
}

impl<T: Send> Figures<T> {
    /// Every pass of [`PARTS`], on `conn` (and `twin`, when there is one).
    fn of(
        conn: &Connection,
        twin: Option<Connection>,
        period: &Period,
        also: impl Fn(&Connection) -> Result<T> + Sync,
    ) -> Result<Figures<T>> {
        // Everything here is aggregated by SQLite, in one pass per question: a district's
        // history (a million issues, thousands of meetings) never comes into memory row by row.
        let (from, to, today) = (&period.from, &period.to, &period.today);
        let (_, figures) = crate::store::twin::share(
            conn,
            twin,
            &PARTS,
            |_| Ok(()),
            |conn, part| {
                Ok(match *part {
                    Part::Also => Figure::Also(also(conn)?),
                    Part::Durations => Figure::Durations(durations(conn, from, to)?),
                    Part::Residents => Figure::Residents(residents(conn, from, to)?),
                    Part::Attendance => {
                        let (held, by_seat) = attendance(conn, from, to)?;
                        Figure::Attendance(held, by_seat)
                    }
                    Part::Counts(column) => Figure::Counts(counts(conn, column, from, to)?),
                    Part::Feedback => Figure::Feedback(feedback(conn, from, to)?),
                    Part::Actions => Figure::Actions(actions(conn, from, to, today)?),
                    Part::Replies => {
                        Figure::Replies(crate::store::replies::step_facts(conn, from, to)?)
                    }
                })
            },
        )?;
        Figures::in_order(figures)
    }

    /// The figures as `share` gives them back: in [`PARTS`]' order.
    fn in_order(figures: Vec<Figure<T>>) -> Result<Figures<T>> {
        let mut figures = figures.into_iter();
        let mut next = || {
            figures
                .next()
                .ok_or_else(|| Error::internal("a report part is missing"))
        };
        let (
            Figure::Also(also),
            Figure::Durations(durations),
            Figure::Residents(residents),
            Figure::Attendance(meetings_held, by_seat),
            Figure::Counts(by_status),
            Figure::Counts(by_category),
            Figure::Counts(by_channel),
            Figure::Feedback(feedback),
            Figure::Actions(actions),
            Figure::Replies(replied),
        ) = (
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
            next()?,
        )
        else {
            return Err(Error::internal("the report's parts came back out of order"));
        };
        Ok(Figures {
            also,
            durations,
            residents,
            meetings_held,
            by_seat,
            by_status,
            by_category,
            by_channel,
            feedback,
            actions,
            replied,
        })
    }

    /// The report these figures make for `period`, and `also`.
    fn report(self, period: Period) -> (Report, T) {
        let Figures {
            also,
            durations,
            residents,
            meetings_held,
            by_seat,
            by_status,
            by_category,
            by_channel,
            feedback: fb,
            actions,
            replied,
        } = self;
        let issues_total = by_status.values().sum();
        let (replies, reply_rate, median_days_to_reply) = reply_figures(replied);
        let (present, invited) = by_seat
            .values()
            .fold((0, 0), |(p, i), s| (p + s.present, i + s.invited));
        let report = Report {
            issues_total,
            issues_by_status: by_status,
            issues_by_category: by_category,
            issues_by_channel: by_channel,
            median_days_to_decision: median(durations.to_decision),
            median_days_to_completion: median(durations.to_completion),
            meetings_held,
            attendance: Rate::new(present, invited),
            attendance_by_seat: by_seat
                .into_iter()
                .map(|(seat, a)| SeatRate {
                    seat,
                    rate: Rate::new(a.present, a.invited),
                })
                .collect(),
            participation: Rate::new(residents, u64::from(period.population.unwrap_or(0))),
            awareness: Rate::new(fb.aware_yes, fb.aware_answered),
            satisfaction: Rate::new(fb.satisfied, fb.scored),
            mean_satisfaction: fb
                .score_sum
                .filter(|_| fb.scored > 0)
                .map(|s| s as f64 / fb.scored as f64),
            actions_done_on_time: actions.on_time,
            actions_done_late: actions.late,
            actions_overdue: actions.overdue,
            actions_open: actions.open,
            // Filled by the caller (store::escalations::counts), on the same snapshot.
            escalations: Default::default(),
            replies,
            reply_rate,
            median_days_to_reply,
            from: period.from,
            to: period.to,
        };
        (report, also)
    }
}

/// 答复率 per step and overall, and the median days from a step (its local day) to the reply.
pub(crate) fn reply_figures(
    facts: crate::store::replies::StepFacts,
) -> (Vec<StepReplies>, Rate, Option<f64>) {
    use crate::domain::reply::ReplyStep;
    let day = |at: &str| crate::ops::status::local_day(at);
    let mut all_days = Vec::new();
    let mut steps = Vec::new();
    let (mut told, mut owed) = (0, 0);
    for step in ReplyStep::ALL {
        let reached: u64 = facts
            .reached
            .iter()
            .filter(|(s, _)| *s == step)
            .map(|(_, n)| n)
            .sum();
        let days: Vec<f64> = facts
            .replied
            .iter()
            .filter(|(s, _, _)| *s == step)
            .filter_map(|(_, at, on)| {
                let on = crate::domain::date::parse_date(on)?;
                Some(crate::domain::reply::days_to_reply(day(at)?, on) as f64)
            })
            .collect();
        let replied = facts.replied.iter().filter(|(s, _, _)| *s == step).count() as u64;
        told += replied;
        owed += reached;
        all_days.extend(days.iter().copied());
        steps.push(StepReplies {
            step,
            rate: Rate::new(replied, reached),
            median_days: median(days),
        });
    }
    (steps, Rate::new(told, owed), median(all_days))
}

/// Days from raised to decided, and from decided to completed, one entry per issue.
struct Durations {
    to_decision: Vec<f64>,
    to_completion: Vec<f64>,
}

/// Days from raised to the decision, and from the decision to completion. The decision's day
/// is the date of the meeting that decided it (not when the vote was typed in); an issue
/// decided without a meeting record falls back to its history's UTC timestamp. Driven by the
/// decided issues (grouped history and agenda), not by every issue.
fn durations(conn: &Connection, from: &Option<String>, to: &Option<String>) -> Result<Durations> {
    let mut out = Durations {
        to_decision: Vec::new(),
        to_completion: Vec::new(),
    };
    let mut stmt = conn.prepare(
        // One grouping over both sources of a decision, in one sort: joining the grouped
        // history to the grouped agenda made SQLite build (or, in older versions, go without)
        // an index on a temporary result.
        "WITH ev AS ( \
           SELECT issue_id, CASE WHEN to_status = 'decided' THEN at END AS decided, \
                  CASE WHEN to_status = 'completed' THEN at END AS completed, NULL AS met \
           FROM issue_history WHERE to_status IN ('decided', 'completed') \
           UNION ALL \
           SELECT a.issue_id, NULL, NULL, substr(m.starts_at, 1, 10) \
           FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id \
           WHERE a.outcome IN ('adopted', 'not-adopted')), \
         g AS (SELECT issue_id, min(decided) AS decided, min(completed) AS completed, min(met) AS met \
               FROM ev GROUP BY issue_id) \
         SELECT i.raised_on, coalesce(g.met, g.decided), g.completed, \
                CASE WHEN g.completed IS NOT NULL THEN (SELECT max(x.done_on) FROM actions x WHERE x.issue_id = i.id AND x.withdrawn_reason IS NULL) END \
         FROM g JOIN issues i ON i.id = g.issue_id \
         WHERE (g.decided IS NOT NULL OR g.met IS NOT NULL) \
           AND (?1 IS NULL OR i.raised_on >= ?1) AND (?2 IS NULL OR i.raised_on <= ?2)",
    )?;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        let raised: String = r.get(0)?;
        let decided: Option<String> = r.get(1)?;
        let completed: Option<String> = r.get(2)?;
        let done_on: Option<String> = r.get(3)?;
        if let Some(d) = &decided {
            out.to_decision.extend(days_between(&raised, d));
            // The day the last action was done is when the work was completed.
            if let Some(c) = done_on.filter(|_| completed.is_some()) {
                out.to_completion.extend(days_between(d, &c));
            }
        }
    }
    Ok(out)
}

/// Voting members invited to and present at (in person or by proxy) closed meetings.
#[derive(Default)]
struct SeatAttendance {
    present: u64,
    invited: u64,
}

/// Meetings held and attendance per seat (closed meetings only: an open one is not a record
/// yet).
fn attendance(
    conn: &Connection,
    from: &Option<String>,
    to: &Option<String>,
) -> Result<(u64, BTreeMap<String, SeatAttendance>)> {
    let meeting_filter = "m.status = 'closed' AND (?1 IS NULL OR substr(m.starts_at, 1, 10) >= ?1) AND (?2 IS NULL OR substr(m.starts_at, 1, 10) <= ?2)";
    let meetings_held: i64 = conn.query_row(
        &format!("SELECT count(*) FROM meetings m WHERE {meeting_filter}"),
        params![from, to],
        |r| r.get(0),
    )?;
    let mut by_seat: BTreeMap<String, SeatAttendance> = BTreeMap::new();
    // Grouped by the rules in force too: whether stakeholders vote is one of them.
    let mut stmt = conn.prepare(&format!(
        "SELECT p.seat, p.role, m.rules, count(*), coalesce(sum(p.attendance IN ('present', 'proxy')), 0) \
         FROM participants p JOIN meetings m ON m.id = p.meeting_id WHERE {meeting_filter} GROUP BY 1, 2, 3"
    ))?;
    let mut rows = stmt.query(params![from, to])?;
    while let Some(r) = rows.next()? {
        let (seat, role, rules): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let (invited, present): (i64, i64) = (r.get(3)?, r.get(4)?);
        // A grouped row has no single id: the message names the table, column and value.
        let role = <SeatKind as Code>::from_key(&role).ok_or_else(|| {
            Error::data_text(crate::text!(
                "store.role_unreadable",
                value = crate::render::clean(&role),
                allowed = SeatKind::keys().join(", ")
            ))
        })?;
        let stakeholders_vote = serde_json::from_str::<crate::config::Rules>(&rules)
            .map_err(|e| Error::data_text(crate::text!("store.rules_unreadable", error = e)))?
            .stakeholders_vote
            != crate::domain::seat::StakeholdersVote::None;
        let votes = match role {
            SeatKind::Standing => true,
            SeatKind::Stakeholder => stakeholders_vote,
            SeatKind::Observer => false,
        };
        if !votes {
            continue;
        }
        let e = by_seat.entry(seat).or_default();
        e.invited += invited as u64;
        e.present += present as u64;
    }
    Ok((meetings_held as u64, by_seat))
}

/// Distinct residents who raised an issue (also through a merged duplicate) or gave feedback.
fn residents(conn: &Connection, from: &Option<String>, to: &Option<String>) -> Result<u64> {
    let residents: i64 = conn.query_row(
        "SELECT count(*) FROM ( \
           SELECT submitted_by FROM issues WHERE submitted_by IS NOT NULL AND (?1 IS NULL OR raised_on >= ?1) AND (?2 IS NULL OR raised_on <= ?2) \
           UNION SELECT s.name FROM issue_submitters s JOIN issues i ON i.id = s.from_issue WHERE (?1 IS NULL OR i.raised_on >= ?1) AND (?2 IS NULL OR i.raised_on <= ?2) \
           UNION SELECT resident FROM feedback WHERE resident IS NOT NULL AND (?1 IS NULL OR given_on >= ?1) AND (?2 IS NULL OR given_on <= ?2))",
        params![from, to],
        |r| r.get(0),
    )?;
    Ok(residents as u64)
}

/// What residents said in feedback: awareness and satisfaction.
struct FeedbackFigures {
    aware_yes: u64,
    aware_answered: u64,
    satisfied: u64,
    scored: u64,
    score_sum: Option<i64>,
}

fn feedback(
    conn: &Connection,
    from: &Option<String>,
    to: &Option<String>,
) -> Result<FeedbackFigures> {
    let (aware_yes, aware_answered, satisfied, scored, score_sum): (i64, i64, i64, i64, Option<i64>) = conn.query_row(
        "SELECT coalesce(sum(aware = 1), 0), count(aware), coalesce(sum(satisfaction >= 4), 0), count(satisfaction), sum(satisfaction) \
         FROM feedback WHERE (?1 IS NULL OR given_on >= ?1) AND (?2 IS NULL OR given_on <= ?2)",
        params![from, to],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    Ok(FeedbackFigures {
        aware_yes: aware_yes as u64,
        aware_answered: aware_answered as u64,
        satisfied: satisfied as u64,
        scored: scored as u64,
        score_sum,
    })
}

/// Actions of resolutions made at meetings in the period, by how they stand on `today`.
struct ActionFigures {
    on_time: u64,
    late: u64,
    overdue: u64,
    open: u64,
}

/// Done after the due day is late; not done and past due is overdue.
fn actions(
    conn: &Connection,
    from: &Option<String>,
    to: &Option<String>,
    today: &str,
) -> Result<ActionFigures> {
    let (on_time, late, overdue, open): (i64, i64, i64, i64) = conn.query_row(
        "SELECT coalesce(sum(a.done_on IS NOT NULL AND NOT coalesce(a.done_on > a.due, 0)), 0), \
                coalesce(sum(coalesce(a.done_on > a.due, 0)), 0), \
                coalesce(sum(a.done_on IS NULL AND coalesce(a.due < ?3, 0)), 0), \
                coalesce(sum(a.done_on IS NULL AND NOT coalesce(a.due < ?3, 0)), 0) \
         FROM actions a JOIN resolutions r ON r.id = a.resolution_id JOIN meetings m ON m.id = r.meeting_id \
         WHERE a.withdrawn_reason IS NULL AND (?1 IS NULL OR substr(m.starts_at, 1, 10) >= ?1) AND (?2 IS NULL OR substr(m.starts_at, 1, 10) <= ?2)",
        params![from, to, today],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    Ok(ActionFigures {
        on_time: on_time as u64,
        late: late as u64,
        overdue: overdue as u64,
        open: open as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_rates() {
        assert_eq!(median(vec![]), None);
        assert_eq!(median(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(Rate::new(3, 4).rate, Some(0.75));
        assert_eq!(Rate::new(3, 0).rate, None);
    }
}
