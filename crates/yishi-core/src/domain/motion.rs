//! Motions on an agenda item: their kinds and order, votes entered in parts, recounts, and when
//! an item is decided. Pure checks over what `ops` loaded inside the write transaction; each
//! returns the refusal's wording, or what the write must do.

use super::Refusal;
use super::locale::Locale;
use super::rules::{Electorate, MajorityRule, Outcome, Tally};
use crate::i18n::Text;
use crate::stored_code;
use crate::text;
use serde::Serialize;
use std::fmt;

/// What a motion is to its agenda item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MotionKind {
    /// The motion that decides the item; after one fails, a revised main motion may follow.
    Main,
    /// Changes the text of a main motion; voted before it.
    Amendment,
    /// 附加决议: adds to an adopted main motion (opening hours, who manages it).
    Supplementary,
}

impl MotionKind {
    /// What the stored kind is, for messages.
    pub const WHAT: &'static str = "motion kind";
    /// The values the kind column may hold besides NULL (an amendment is known by `amends`).
    pub const STORED: &'static [&'static str] = &["main", "supplementary"];

    pub fn key(self) -> &'static str {
        match self {
            MotionKind::Main => "main",
            MotionKind::Amendment => "amendment",
            MotionKind::Supplementary => "supplementary",
        }
    }

    /// The stored kind: NULL is a main motion or, when it amends another, an amendment.
    pub fn from_stored(kind: Option<&str>, amends: bool) -> Option<MotionKind> {
        match (kind, amends) {
            (_, true) => Some(MotionKind::Amendment),
            (None | Some("main"), false) => Some(MotionKind::Main),
            (Some("supplementary"), false) => Some(MotionKind::Supplementary),
            _ => None,
        }
    }

    /// The value to store (None keeps old rows and main motions as they were).
    pub fn stored(self) -> Option<&'static str> {
        match self {
            MotionKind::Supplementary => Some("supplementary"),
            _ => None,
        }
    }

    /// 修正案 / amendment.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            MotionKind::Main => locale.pick("动议", "motion"),
            MotionKind::Amendment => locale.pick("修正案", "amendment"),
            MotionKind::Supplementary => locale.pick("附加动议", "supplementary"),
        }
    }
}

/// One motion already on the item, as the checks need it.
#[derive(Debug, Clone)]
pub struct OnItem {
    pub label: String,
    pub kind: MotionKind,
    pub closed: bool,
    pub result: Option<Outcome>,
}

/// Whether a new main or supplementary motion may be put on the item. Any number may follow
/// one another; only one may be open at a time, and the item must not be decided yet.
pub fn check_new_motion(
    issue: i64,
    decided: Option<MotionResult>,
    kind: MotionKind,
    on_item: &[OnItem],
) -> Result<(), Text> {
    if let Some(how) = decided {
        return Err(text!("motion.item_decided", issue = issue).pair(
            "how",
            how.label(Locale::ZhCn),
            how.key(),
        ));
    }
    if let Some(open) = on_item
        .iter()
        .find(|m| m.kind != MotionKind::Amendment && !m.closed)
    {
        return Err(text!(
            "motion.still_open",
            motion = &open.label,
            issue = issue
        ));
    }
    if kind == MotionKind::Supplementary
        && !on_item
            .iter()
            .any(|m| m.kind == MotionKind::Main && m.result == Some(Outcome::Adopted))
    {
        return Err(text!("motion.supplementary_needs_main", issue = issue));
    }
    Ok(())
}

/// How the secretary decides an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemDecision {
    Adopted,
    NotAdopted,
    Deferred {
        reason: String,
    },
    /// Raised to the street (上报街道): the item leaves the council's hands until the street
    /// answers; on the agenda it reads as postponed, with the reason.
    Escalated {
        reason: String,
    },
}

impl ItemDecision {
    /// What the issue records: adopted or not; None when the item is deferred.
    pub fn outcome(&self) -> Option<Outcome> {
        match self {
            ItemDecision::Adopted => Some(Outcome::Adopted),
            ItemDecision::NotAdopted => Some(Outcome::NotAdopted),
            ItemDecision::Deferred { .. } | ItemDecision::Escalated { .. } => None,
        }
    }

    /// What the agenda item records.
    pub fn result(&self) -> MotionResult {
        self.outcome()
            .map_or(MotionResult::Deferred, MotionResult::from)
    }
}

/// `council decide M --item N [--defer --reason R]`: the item's outcome follows its motions —
/// adopted when a main motion was adopted, not adopted when every motion failed.
pub fn decide_item(
    issue: i64,
    on_item: &[OnItem],
    defer: Option<&str>,
) -> Result<ItemDecision, Text> {
    if let Some(open) = on_item.iter().find(|m| !m.closed) {
        return Err(text!(
            "motion.item_unfinished",
            motion = &open.label,
            issue = issue
        ));
    }
    if let Some(reason) = defer {
        return Ok(ItemDecision::Deferred {
            reason: reason.to_string(),
        });
    }
    let mains: Vec<&OnItem> = on_item
        .iter()
        .filter(|m| m.kind == MotionKind::Main)
        .collect();
    if mains.is_empty() {
        return Err(text!("motion.item_no_motion", issue = issue));
    }
    if mains.iter().any(|m| m.result == Some(Outcome::Adopted)) {
        Ok(ItemDecision::Adopted)
    } else {
        Ok(ItemDecision::NotAdopted)
    }
}

/// Whether an undecided item's outcome is clear without asking: a main motion on it was
/// adopted and no motion on it is still open. `council close` decides such an item by itself;
/// any other (no motion yet, or only failed ones, after which a revised motion may follow)
/// waits for `council decide`.
pub fn outcome_is_clear(on_item: &[OnItem]) -> bool {
    on_item.iter().all(|m| m.closed)
        && on_item
            .iter()
            .any(|m| m.kind == MotionKind::Main && m.result == Some(Outcome::Adopted))
}

/// A roll-call choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Choice {
    Yes,
    No,
    Abstain,
}

impl Choice {
    pub fn key(self) -> &'static str {
        match self {
            Choice::Yes => "yes",
            Choice::No => "no",
            Choice::Abstain => "abstain",
        }
    }
    /// 同意 / yes: the words of PRACTICE.md and the minutes (同意 / 反对 / 弃权).
    pub fn label(self, locale: Locale) -> &'static str {
        let zh = match self {
            Choice::Yes => "同意",
            Choice::No => "反对",
            Choice::Abstain => "弃权",
        };
        locale.pick(zh, self.key())
    }

    pub fn parse(s: &str) -> Option<Choice> {
        match s {
            "yes" => Some(Choice::Yes),
            "no" => Some(Choice::No),
            "abstain" => Some(Choice::Abstain),
            _ => None,
        }
    }
}

/// One change a `vote cast` call makes to the roll-call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BallotChange {
    pub voter: i64,
    pub name: String,
    /// The choice recorded before (`--change`), or None for a new vote.
    pub from: Option<Choice>,
    pub to: Choice,
}

/// Votes in parts: a roll-call accumulates over several `vote cast` calls. Naming someone
/// already recorded is refused unless `change`; naming someone twice in one call is refused.
pub fn merge_roll_call(
    recorded: &[(i64, Choice)],
    given: &[(i64, String, Choice)],
    change: bool,
) -> Result<Vec<BallotChange>, Text> {
    let mut out: Vec<BallotChange> = Vec::new();
    for (voter, name, to) in given {
        if out.iter().any(|c| c.voter == *voter) {
            return Err(text!("vote.named_twice", name = name));
        }
        let from = recorded.iter().find(|(v, _)| v == voter).map(|(_, c)| *c);
        if let Some(before) = from
            && !change
        {
            return Err(text!("vote.voted_already", name = name).pair(
                "choice",
                before.label(Locale::ZhCn),
                before.key(),
            ));
        }
        if from == Some(*to) {
            continue;
        }
        out.push(BallotChange {
            voter: *voter,
            name: name.clone(),
            from,
            to: *to,
        });
    }
    Ok(out)
}

/// The roll-call after the changes, in the order first recorded.
pub fn apply_changes(recorded: &[(i64, Choice)], changes: &[BallotChange]) -> Vec<(i64, Choice)> {
    let mut all: Vec<(i64, Choice)> = recorded.to_vec();
    for c in changes {
        match all.iter_mut().find(|(v, _)| *v == c.voter) {
            Some(slot) => slot.1 = c.to,
            None => all.push((c.voter, c.to)),
        }
    }
    all
}

pub fn tally_of(ballots: &[(i64, Choice)]) -> super::rules::Tally {
    let mut t = super::rules::Tally::default();
    for (_, c) in ballots {
        match c {
            Choice::Yes => t.yes += 1,
            Choice::No => t.no += 1,
            Choice::Abstain => t.abstain += 1,
        }
    }
    t
}

/// What a recount does beyond the figures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecountEffect {
    /// The result stands.
    None,
    /// failed → adopted: a resolution with its owner and due date.
    Adopt { owner: String, due: String },
    /// adopted → failed: the resolution and its open actions are withdrawn, with history.
    Withdraw,
}

pub fn recount_effect(
    motion: &str,
    amendment: bool,
    old: Outcome,
    new: Outcome,
    owner: Option<&str>,
    due: Option<&str>,
) -> Result<RecountEffect, Text> {
    if amendment || old == new {
        return Ok(RecountEffect::None);
    }
    match (new, owner, due) {
        (Outcome::Adopted, Some(o), Some(d)) => Ok(RecountEffect::Adopt {
            owner: o.to_string(),
            due: d.to_string(),
        }),
        (Outcome::Adopted, _, _) => Err(text!("vote.recount_needs_owner", motion = motion)),
        (Outcome::NotAdopted, _, _) => Ok(RecountEffect::Withdraw),
    }
}

/// Where a motion is: open (no votes yet), cast (votes recorded), closed (result computed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MotionStatus {
    Open,
    Cast,
    Closed,
}
stored_code!(MotionStatus, "motion status", { Open => "open", Cast => "cast", Closed => "closed" });

/// A closed motion's result; also an agenda item's outcome (agenda_items.outcome), which takes
/// the same three values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MotionResult {
    Adopted,
    NotAdopted,
    /// Postponed without a vote; the issue goes back to accepted.
    Deferred,
}
stored_code!(MotionResult, "result", {
    Adopted => "adopted", NotAdopted => "not-adopted", Deferred => "deferred"
});

impl MotionResult {
    /// 未通过 / not adopted: words, never the raw key, in English too.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            MotionResult::Adopted => locale.pick("通过", "adopted"),
            MotionResult::NotAdopted => locale.pick("未通过", "not adopted"),
            MotionResult::Deferred => locale.pick("暂缓", "deferred"),
        }
    }

    /// The label of a result, or 待表决 / pending while there is none.
    pub fn label_or_pending(result: Option<Self>, locale: Locale) -> &'static str {
        result.map_or(locale.pick("待表决", "pending"), |r| r.label(locale))
    }
}

impl From<Outcome> for MotionResult {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Adopted => MotionResult::Adopted,
            Outcome::NotAdopted => MotionResult::NotAdopted,
        }
    }
}

impl fmt::Display for MotionResult {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// How the votes were recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum VoteMethod {
    /// By name (记名).
    RollCall,
    /// Counts only: a show of hands or a secret ballot.
    Count,
}
stored_code!(VoteMethod, "vote method", { RollCall => "roll-call", Count => "count" });

impl VoteMethod {
    /// 记名表决 / roll-call; counts read as a show of hands (a secret ballot is told apart by
    /// the motion's `secret`).
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            VoteMethod::RollCall => locale.pick("记名表决", "roll-call"),
            VoteMethod::Count => locale.pick("举手表决", "show of hands"),
        }
    }
}

// `Choice` (a roll-call choice) is defined above; it is a stored code too.
impl crate::domain::code::Code for Choice {
    const WHAT: &'static str = "ballot choice";
    const ALL: &'static [Self] = &[Choice::Yes, Choice::No, Choice::Abstain];
    fn key(self) -> &'static str {
        Choice::key(self)
    }
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A speaker's position on an agenda item (赞成 / 反对 / 中立).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpeechPosition {
    For,
    Against,
    Neutral,
}
stored_code!(SpeechPosition, "speech position", { For => "for", Against => "against", Neutral => "neutral" });

impl SpeechPosition {
    /// As typed on the command line, in English or Chinese.
    pub fn parse(typed: &str) -> Option<SpeechPosition> {
        match typed.trim() {
            "for" | "赞成" | "支持" => Some(SpeechPosition::For),
            "against" | "反对" => Some(SpeechPosition::Against),
            "neutral" | "中立" => Some(SpeechPosition::Neutral),
            _ => None,
        }
    }

    /// 赞成 / for.
    pub fn label(self, locale: Locale) -> &'static str {
        let zh = match self {
            SpeechPosition::For => "赞成",
            SpeechPosition::Against => "反对",
            SpeechPosition::Neutral => "中立",
        };
        locale.pick(zh, self.key())
    }
}

impl fmt::Display for SpeechPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A motion (动议) or an amendment, as recorded.
#[derive(Debug, Clone, Serialize)]
pub struct Motion {
    pub id: i64,
    pub meeting_id: i64,
    pub issue_id: i64,
    pub amends: Option<i64>,
    pub text: String,
    pub original_text: Option<String>,
    pub rule: MajorityRule,
    pub secret: bool,
    pub status: MotionStatus,
    pub method: Option<VoteMethod>,
    pub tally: Option<Tally>,
    pub electorate: Option<Electorate>,
    pub result: Option<MotionResult>,
    pub owner: Option<String>,
    pub due: Option<String>,
    /// main, amendment or supplementary.
    pub kind: MotionKind,
    /// The meeting's clock when it was put to the vote; None when not recorded on the day.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "super::date::ser_clock_opt"
    )]
    pub voted_at: Option<chrono::NaiveTime>,
}

impl Motion {
    /// What the item checks need to know of this motion.
    pub fn on_item(&self) -> OnItem {
        OnItem {
            label: self.label(),
            kind: self.kind,
            closed: self.status == MotionStatus::Closed,
            result: match self.result {
                Some(MotionResult::Adopted) => Some(Outcome::Adopted),
                Some(MotionResult::NotAdopted) => Some(Outcome::NotAdopted),
                _ => None,
            },
        }
    }

    pub fn label(&self) -> String {
        format!("V{}", self.id)
    }
}

/// A new main motion on an issue: the issue is still on the agenda undecided, and no other
/// main motion on it is waiting for its result.
pub fn may_open(issue_id: i64, issue_status: &str, on_issue: &[Motion]) -> Result<(), Refusal> {
    if issue_status != "scheduled" {
        // The status in the reader's words (已表决 / decided), not its stored key.
        let status = crate::domain::issue::Status::parse(issue_status);
        let (zh, en) = status.map_or((issue_status, issue_status), |s| {
            (s.label(Locale::ZhCn), s.label(Locale::En))
        });
        return Err(Refusal(
            text!("motion.issue_not_scheduled", issue = issue_id).pair("status", zh, en),
        ));
    }
    if let Some(v) = on_issue
        .iter()
        .find(|v| v.amends.is_none() && v.status != MotionStatus::Closed)
    {
        return Err(Refusal(text!(
            "motion.still_open",
            motion = v.label(),
            issue = issue_id
        )));
    }
    Ok(())
}

/// An amendment is proposed to a main motion before it is voted.
pub fn may_amend(parent: &Motion) -> Result<(), Refusal> {
    if let Some(p) = parent.amends {
        return Err(Refusal(text!(
            "motion.amend_an_amendment",
            motion = parent.label(),
            parent = format!("V{p}")
        )));
    }
    if parent.status != MotionStatus::Open {
        return Err(Refusal(text!(
            "motion.amend_after_vote",
            motion = parent.label()
        )));
    }
    Ok(())
}

/// Votes are taken once, after the motion's amendments are closed, and only with a quorum.
pub fn may_cast(
    motion: &Motion,
    on_meeting: &[Motion],
    quorum: super::rules::Quorum,
) -> Result<(), Refusal> {
    // Votes may be recorded in parts until the motion is closed.
    if motion.status == MotionStatus::Closed {
        return Err(Refusal(text!(
            "vote.cast_closed",
            motion = motion.label(),
            tally = motion.tally.map(|t| t.to_string()).unwrap_or_default()
        )));
    }
    if let Some(open_amendment) = on_meeting
        .iter()
        .find(|v| v.amends == Some(motion.id) && v.status != MotionStatus::Closed)
    {
        return Err(Refusal(text!(
            "vote.amendment_first",
            amendment = open_amendment.label(),
            motion = motion.label()
        )));
    }
    if !quorum.met {
        return Err(Refusal(text!(
            "vote.no_quorum_now",
            present = quorum.present,
            base = quorum.base,
            needed = quorum.needed
        )));
    }
    Ok(())
}

/// A secret ballot records counts only.
pub fn may_vote_by_name(motion: &Motion) -> Result<(), Refusal> {
    if motion.secret {
        return Err(Refusal(text!(
            "vote.secret_counts_only",
            motion = motion.label()
        )));
    }
    Ok(())
}

/// A tally that counts more votes than there are eligible voters present is refused.
pub fn may_count(motion: &Motion, tally: Tally, electorate: Electorate) -> Result<(), Refusal> {
    super::rules::check_tally(tally, electorate)
        .map_err(|why| Refusal(text!("vote.miscounted", motion = motion.label()).text("why", &why)))
}

/// The result `vote close` records: the rule applied to the votes, or deferred.
pub fn closing_result(motion: &Motion, defer: bool) -> Result<(MotionResult, Electorate), Refusal> {
    if motion.status == MotionStatus::Closed {
        return Err(Refusal(
            text!("vote.closed_already", motion = motion.label()).pair(
                "result",
                motion.result.map_or("", |r| r.label(Locale::ZhCn)),
                motion.result.map_or("", |r| r.key()),
            ),
        ));
    }
    if defer {
        if motion.amends.is_some() {
            return Err(Refusal(text!(
                "vote.amendment_not_deferred",
                motion = motion.label()
            )));
        }
        return Ok((
            MotionResult::Deferred,
            motion.electorate.unwrap_or_default(),
        ));
    }
    let (Some(tally), Some(el)) = (motion.tally, motion.electorate) else {
        return Err(Refusal(text!("vote.no_votes_yet", motion = motion.label())));
    };
    Ok((super::rules::decide(motion.rule, tally, el).into(), el))
}

/// The result of a recount of a closed vote.
pub fn recount_result(motion: &Motion, tally: Tally) -> Result<MotionResult, Refusal> {
    if motion.status != MotionStatus::Closed || motion.result == Some(MotionResult::Deferred) {
        return Err(Refusal(text!(
            "vote.nothing_to_correct",
            motion = motion.label()
        )));
    }
    if motion.tally.is_none() {
        // Nothing was counted: a recount would record an old tally of 0:0:0 that never was.
        return Err(Refusal(text!(
            "vote.no_tally_to_correct",
            motion = motion.label()
        )));
    }
    let el = motion.electorate.unwrap_or_default();
    may_count(motion, tally, el)?;
    Ok(super::rules::decide(motion.rule, tally, el).into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn on(label: &str, kind: MotionKind, closed: bool, result: Option<Outcome>) -> OnItem {
        OnItem {
            label: label.into(),
            kind,
            closed,
            result,
        }
    }

    #[test]
    fn several_motions_follow_one_another_on_an_item() {
        use MotionKind::*;
        use Outcome::*;
        assert!(check_new_motion(5, None, Main, &[]).is_ok());
        let failed = [on("V1", Main, true, Some(NotAdopted))];
        assert!(
            check_new_motion(5, None, Main, &failed).is_ok(),
            "a revised motion"
        );
        let e = check_new_motion(5, None, Supplementary, &failed)
            .unwrap_err()
            .render(Locale::En);
        assert!(e.contains("adopted main motion"), "{e}");
        let adopted = [on("V1", Main, true, Some(Adopted))];
        assert!(check_new_motion(5, None, Supplementary, &adopted).is_ok());
        let open = [on("V1", Main, false, None)];
        assert!(
            check_new_motion(5, None, Main, &open)
                .unwrap_err()
                .render(Locale::En)
                .contains("V1")
        );
        let e = check_new_motion(5, Some(MotionResult::Adopted), Main, &adopted)
            .unwrap_err()
            .render(Locale::En);
        assert!(e.contains("reopen"), "{e}");
    }

    #[test]
    fn an_item_is_decided_by_its_main_motions() {
        use MotionKind::*;
        use Outcome::*;
        let revised = [
            on("V1", Main, true, Some(NotAdopted)),
            on("V2", Main, true, Some(Adopted)),
            on("V3", Supplementary, true, Some(NotAdopted)),
        ];
        assert_eq!(decide_item(5, &revised, None), Ok(ItemDecision::Adopted));
        let failed = [on("V1", Main, true, Some(NotAdopted))];
        assert_eq!(decide_item(5, &failed, None), Ok(ItemDecision::NotAdopted));
        assert!(
            decide_item(5, &[], None)
                .unwrap_err()
                .render(Locale::En)
                .contains("--defer")
        );
        assert_eq!(
            decide_item(5, &[], Some("待补充材料")),
            Ok(ItemDecision::Deferred {
                reason: "待补充材料".into()
            })
        );
        let open = [on("V4", Main, false, None)];
        assert!(
            decide_item(5, &open, Some("x"))
                .unwrap_err()
                .render(Locale::En)
                .contains("V4")
        );
    }

    #[test]
    fn an_item_is_clear_with_an_adopted_main_motion_and_none_open() {
        let m = |kind, closed, result| OnItem {
            label: "V1".into(),
            kind,
            closed,
            result,
        };
        use MotionKind::*;
        let adopted = m(Main, true, Some(Outcome::Adopted));
        let failed = m(Main, true, Some(Outcome::NotAdopted));
        assert!(outcome_is_clear(std::slice::from_ref(&adopted)));
        assert!(outcome_is_clear(&[failed.clone(), adopted.clone()]));
        assert!(!outcome_is_clear(std::slice::from_ref(&failed)));
        assert!(!outcome_is_clear(&[]));
        assert!(!outcome_is_clear(&[adopted, m(Supplementary, false, None)]));
    }

    #[test]
    fn votes_in_parts() {
        use Choice::*;
        let first =
            merge_roll_call(&[], &[(1, "甲".into(), Yes), (2, "乙".into(), No)], false).unwrap();
        let recorded = apply_changes(&[], &first);
        let again = merge_roll_call(&recorded, &[(1, "甲".into(), No)], false)
            .unwrap_err()
            .render(Locale::En);
        assert!(
            again.contains("甲") && again.contains("--change"),
            "{again}"
        );
        let twice = merge_roll_call(&[], &[(3, "丙".into(), Yes), (3, "丙".into(), No)], false);
        assert!(twice.unwrap_err().render(Locale::En).contains("twice"));
        let changed = merge_roll_call(
            &recorded,
            &[(1, "甲".into(), No), (3, "丙".into(), Abstain)],
            true,
        )
        .unwrap();
        assert_eq!(changed[0].from, Some(Yes));
        let all = apply_changes(&recorded, &changed);
        assert_eq!(all, vec![(1, No), (2, No), (3, Abstain)]);
        assert_eq!(tally_of(&all).to_string(), "0:2:1");
    }

    #[test]
    fn a_recount_needs_a_recorded_tally() {
        let m = Motion {
            id: 1,
            meeting_id: 1,
            issue_id: 1,
            amends: None,
            text: "x".into(),
            original_text: None,
            rule: MajorityRule::Simple,
            secret: false,
            status: MotionStatus::Closed,
            method: None,
            tally: None,
            electorate: None,
            result: Some(MotionResult::NotAdopted),
            owner: None,
            due: None,
            kind: MotionKind::Main,
            voted_at: None,
        };
        let t = Tally {
            yes: 3,
            no: 0,
            abstain: 0,
        };
        let e = recount_result(&m, t).unwrap_err().to_string();
        assert!(e.contains("no recorded tally"), "{e}");
    }

    #[test]
    fn recounts() {
        use Outcome::*;
        assert_eq!(
            recount_effect(
                "V1",
                false,
                NotAdopted,
                Adopted,
                Some("王"),
                Some("2027-01-01")
            ),
            Ok(RecountEffect::Adopt {
                owner: "王".into(),
                due: "2027-01-01".into()
            })
        );
        let e = recount_effect("V1", false, NotAdopted, Adopted, Some("王"), None)
            .unwrap_err()
            .render(Locale::En);
        assert!(e.contains("--owner") && e.contains("--due"), "{e}");
        assert_eq!(
            recount_effect("V1", false, Adopted, NotAdopted, None, None),
            Ok(RecountEffect::Withdraw)
        );
        assert_eq!(
            recount_effect("V1", true, NotAdopted, Adopted, None, None),
            Ok(RecountEffect::None)
        );
    }

    #[test]
    fn stored_kinds() {
        assert_eq!(MotionKind::from_stored(None, false), Some(MotionKind::Main));
        assert_eq!(
            MotionKind::from_stored(None, true),
            Some(MotionKind::Amendment)
        );
        let s = MotionKind::Supplementary;
        assert_eq!(MotionKind::from_stored(s.stored(), false), Some(s));
        assert_eq!(MotionKind::from_stored(Some("other"), false), None);
    }

    fn any_choice() -> impl Strategy<Value = Choice> {
        prop_oneof![Just(Choice::Yes), Just(Choice::No), Just(Choice::Abstain)]
    }

    proptest! {
        /// Entering a roll-call in parts gives the same tally as entering it at once, and each
        /// voter is counted once.
        #[test]
        fn parts_add_up_to_the_whole(votes in proptest::collection::vec(any_choice(), 0..30), split in 0usize..30) {
            let given: Vec<(i64, String, Choice)> = votes.iter().enumerate()
                .map(|(i, c)| (i as i64, format!("p{i}"), *c)).collect();
            let split = split.min(given.len());
            let once = apply_changes(&[], &merge_roll_call(&[], &given, false).unwrap());
            let part1 = apply_changes(&[], &merge_roll_call(&[], &given[..split], false).unwrap());
            let part2 = merge_roll_call(&part1, &given[split..], false).unwrap();
            let both = apply_changes(&part1, &part2);
            prop_assert_eq!(tally_of(&once), tally_of(&both));
            prop_assert_eq!(tally_of(&both).total() as usize, given.len());
        }
    }
}

#[cfg(test)]
mod code_tests {
    use super::*;
    use crate::domain::code::Code;

    #[test]
    fn every_code_round_trips_through_its_key() {
        fn round<T: Code + PartialEq + std::fmt::Debug>() {
            for v in T::ALL {
                assert_eq!(T::from_key(v.key()), Some(*v));
            }
            assert_eq!(T::from_key("no-such-value"), None);
        }
        round::<MotionStatus>();
        round::<MotionResult>();
        round::<VoteMethod>();
        round::<Choice>();
        round::<SpeechPosition>();
    }

    #[test]
    fn json_uses_the_stored_keys() {
        assert_eq!(
            serde_json::to_string(&MotionResult::NotAdopted)
                .ok()
                .as_deref(),
            Some("\"not-adopted\"")
        );
        assert_eq!(
            serde_json::to_string(&VoteMethod::RollCall).ok().as_deref(),
            Some("\"roll-call\"")
        );
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Resolution {
    pub id: i64,
    pub issue_id: i64,
    pub meeting_id: i64,
    pub motion_id: i64,
    pub text: String,
    pub owner: Option<String>,
    pub due: Option<String>,
    /// Set when a recount undid the decision; the resolution stays on record.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Recusal {
    pub participant_id: i64,
    pub name: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Correction {
    pub old: Tally,
    pub new: Tally,
    pub old_result: MotionResult,
    pub new_result: MotionResult,
    pub reason: String,
    pub at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Ballot {
    pub name: String,
    pub seat: String,
    pub choice: Choice,
    /// The proxy holder who cast this vote, if any.
    pub by_proxy: Option<String>,
}
