//! The figures a community reports. Each rate keeps its numerator and denominator so that the
//! report can show how it was computed.

use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct Rate {
    pub numerator: u64,
    pub denominator: u64,
    /// numerator ÷ denominator, None when the denominator is 0.
    pub rate: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct SeatRate {
    pub seat: String,
    #[serde(flatten)]
    pub rate: Rate,
}

/// 答复率 at one step: issues with residents to tell that reached the step, those whose
/// residents were told there, and the median days from the step to the reply.
#[derive(Debug, Serialize)]
pub struct StepReplies {
    pub step: super::reply::ReplyStep,
    #[serde(flatten)]
    pub rate: Rate,
    pub median_days: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub from: Option<String>,
    pub to: Option<String>,
    pub issues_total: u64,
    pub issues_by_status: BTreeMap<String, u64>,
    pub issues_by_category: BTreeMap<String, u64>,
    pub issues_by_channel: BTreeMap<String, u64>,
    /// Median days from raised to decided, over issues decided.
    pub median_days_to_decision: Option<f64>,
    /// Median days from decided to completed, over issues completed.
    pub median_days_to_completion: Option<f64>,
    pub meetings_held: u64,
    /// Present (in person or by proxy) ÷ invited voting members, over closed meetings.
    pub attendance: Rate,
    pub attendance_by_seat: Vec<SeatRate>,
    /// Distinct residents who raised an issue or gave feedback ÷ population.
    pub participation: Rate,
    /// Feedback answering aware = yes ÷ feedback with an awareness answer.
    pub awareness: Rate,
    /// Scores 4–5 ÷ valid scores.
    pub satisfaction: Rate,
    pub mean_satisfaction: Option<f64>,
    pub actions_done_on_time: u64,
    pub actions_done_late: u64,
    pub actions_overdue: u64,
    pub actions_open: u64,
    /// 上报: raised and answered in the period, waiting at its end.
    pub escalations: crate::domain::escalation::Counts,
    /// 答复率 per step (受理, 不予受理, 决议, 结果), in that order.
    pub replies: Vec<StepReplies>,
    /// Replies at any step ÷ steps reached, over issues with residents to tell.
    pub reply_rate: Rate,
    /// Median days from a step to its reply, over every reply.
    pub median_days_to_reply: Option<f64>,
}

/// The period and day a report is computed for.
pub struct Period {
    pub from: Option<String>,
    pub to: Option<String>,
    pub population: Option<u32>,
    pub today: String,
}
