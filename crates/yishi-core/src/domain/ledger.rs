//! The yearly ledger (台账) as flat rows: the year's issues (with rejection reasons, merges,
//! re-raises and objections), meetings, motions and votes (with recounts), resolutions,
//! actions (due dates in force and their changes), postings, feedback and replies. The store
//! reads them (`store::ledger`); the view decides labels and masking.

use crate::domain::issue::Status;
use crate::domain::meeting::MeetingStatus;
use crate::domain::motion::MotionResult;
use crate::domain::reply::{ReplyStep, Via};
use chrono::NaiveDate;

pub struct IssueRow {
    pub id: i64,
    pub title: String,
    pub submitted_by: Option<String>,
    pub channel: String,
    pub category: Option<String>,
    pub raised_on: String,
    pub status: Status,
    /// Why it was not accepted (不予受理), as recorded.
    pub rejected_because: Option<String>,
    pub merged_into: Option<i64>,
    /// Raised again: the earlier issue.
    pub reraise_of: Option<i64>,
    /// An objection during the 公示 of this meeting's decisions (its number).
    pub objection_to: Option<i64>,
    /// The resolution the objection names (R3 and its text).
    pub objection_resolution: Option<(i64, String)>,
    /// 上报: its latest raising to the street (to, day, reason, answer day, answer).
    pub escalated: Option<LedgerEscalation>,
}

/// An issue's latest raising to the street, as the ledger notes it.
pub struct LedgerEscalation {
    pub to: String,
    pub on: String,
    pub reason: String,
    pub answered_on: Option<String>,
    pub answer: Option<String>,
}

pub struct MeetingRow {
    pub number: i64,
    pub title: String,
    pub starts_at: String,
    pub place: String,
    pub chair: Option<String>,
    pub recorder: Option<String>,
    pub status: MeetingStatus,
    /// Invited members with a vote or a seat (observers not counted).
    pub invited: i64,
    pub present: i64,
    pub items: i64,
    pub absent: i64,
    pub observers: i64,
    /// The quorum under the rules in force at the meeting: present, needed, met.
    pub quorum: crate::domain::rules::Quorum,
}

pub struct MotionRow {
    pub id: i64,
    pub meeting_number: i64,
    pub issue_id: i64,
    pub text: String,
    pub rule: String,
    pub method: Option<crate::domain::motion::VoteMethod>,
    pub yes: Option<i64>,
    pub no: Option<i64>,
    pub abstain: Option<i64>,
    pub result: Option<MotionResult>,
    pub recounts: Vec<Recount>,
}

/// A corrected count (复核).
pub struct Recount {
    pub old: (i64, i64, i64),
    pub new: (i64, i64, i64),
    pub old_result: String,
    pub new_result: String,
    pub reason: String,
}

/// A posting: a 公示 of a meeting's decisions or a result notice of an issue.
pub struct PostingRow {
    pub kind: crate::domain::followup::NoticeKind,
    pub meeting_number: Option<i64>,
    pub issue_id: Option<i64>,
    pub starts_on: String,
    pub ends_on: Option<String>,
}

/// A due date moved: from, to, why.
pub struct DueChange {
    pub old: Option<String>,
    pub new: Option<String>,
    pub reason: String,
}

pub struct ResolutionRow {
    pub id: i64,
    pub issue_id: i64,
    pub issue_title: String,
    pub meeting_number: i64,
    pub text: String,
    /// Owner and due date in force: those of the action that carries the resolution out (as
    /// the minutes and notices show them), so that the 决议 and 落实 sheets agree.
    pub owner: Option<String>,
    pub due: Option<String>,
    /// The first due date given (at the vote, or set after it), differing from `due` when
    /// it was moved since.
    pub due_set: Option<String>,
}

pub struct ActionRow {
    pub id: i64,
    pub issue_id: i64,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    pub progress: i64,
    pub done_on: Option<String>,
    pub withdrawn: Option<String>,
    pub due_changes: Vec<DueChange>,
}

pub struct FeedbackRow {
    pub issue_id: i64,
    pub issue_title: String,
    pub resident: Option<String>,
    pub satisfaction: Option<i64>,
    pub aware: Option<bool>,
    pub note: Option<String>,
    pub given_on: String,
}

pub struct Ledger {
    pub issues: Vec<IssueRow>,
    pub meetings: Vec<MeetingRow>,
    pub resolutions: Vec<ResolutionRow>,
    pub actions: Vec<ActionRow>,
    pub feedback: Vec<FeedbackRow>,
    pub motions: Vec<MotionRow>,
    pub postings: Vec<PostingRow>,
    /// Each step reached by the year's issues with residents to tell, and its reply.
    pub replies: Vec<LedgerReply>,
    /// 答复率 per step (told of reached) with the median days to reply, and overall.
    pub reply_rates: Vec<crate::domain::report::StepReplies>,
    pub reply_rate: crate::domain::report::Rate,
    pub reply_median_days: Option<f64>,
}

/// A resolution with how far it has got and what residents thought of the result.
pub struct ResolutionProgress {
    pub issue_id: i64,
    pub issue_title: String,
    pub text: String,
    /// Owner and due date in force (the first action's, as everywhere else).
    pub owner: Option<String>,
    pub due: Option<String>,
    /// The first due date given (at the vote, or set after it): differs from `due` when it
    /// was moved.
    pub due_set: Option<String>,
    /// When the last of its actions was done, once all are.
    pub done_on: Option<String>,
    /// Mean progress of its actions (0–100); None without actions.
    pub progress: Option<f64>,
    pub actions: i64,
    pub actions_done: i64,
    /// Mean satisfaction score (1–5) of the issue's feedback, and how many scores.
    pub satisfaction: Option<f64>,
    pub scores: i64,
}

/// One step an issue reached, for the ledger's 答复 sheet: its reply, or none yet.
pub struct LedgerReply {
    pub issue_id: i64,
    pub issue_title: String,
    pub submitted_by: Option<String>,
    /// How many residents are owed the reply (the submitter and those of merged issues).
    pub residents: i64,
    pub step: ReplyStep,
    /// The local day the step was reached.
    pub step_on: NaiveDate,
    pub reply: Option<(NaiveDate, Via, Option<String>)>,
}
