//! The one masking rule applied to whole views before they are rendered, so that no renderer
//! decides for itself whom to mask (`domain::contact::Names` states the rule). Each function
//! rewrites every field of its view that names a person; masking is idempotent, so a view may
//! pass through here and through `Output::resident` and stay the same.

use crate::domain::contact::Names;
use crate::domain::record::{ItemRecord, MeetingRecord, MotionRecord};

/// Every person a meeting's record names: participants and their proxies, chair and recorder,
/// and in each item its submitter, parties consulted, speakers, voters, recusals and owners.
pub fn meeting_record(rec: &mut MeetingRecord, names: &Names) {
    names.mask_opt(&mut rec.meeting.chair);
    names.mask_opt(&mut rec.meeting.recorder);
    for p in &mut rec.participants {
        names.mask(&mut p.name);
        names.mask_opt(&mut p.proxy_holder);
    }
    for item in &mut rec.agenda {
        agenda_item(item, names);
    }
}

/// One agenda item of a meeting's record.
pub fn agenda_item(item: &mut ItemRecord, names: &Names) {
    names.mask_opt(&mut item.submitted_by);
    for c in &mut item.consultations {
        names.mask(&mut c.party);
    }
    for s in &mut item.speeches {
        names.mask(&mut s.speaker);
    }
    for m in &mut item.motions {
        motion(m, names);
    }
    for r in item.resolution.iter_mut().chain(&mut item.resolutions) {
        names.mask_opt(&mut r.owner);
    }
}

/// A motion with its ballots, recusals, voters still to vote and owner.
pub fn motion(m: &mut MotionRecord, names: &Names) {
    names.mask_opt(&mut m.motion.owner);
    for b in &mut m.ballots {
        names.mask(&mut b.name);
        names.mask_opt(&mut b.by_proxy);
    }
    for r in &mut m.recusals {
        names.mask(&mut r.name);
    }
    for n in &mut m.not_voted {
        names.mask(n);
    }
}

/// The ledger's sheets: submitters, chairs and recorders, owners, residents who gave feedback.
pub fn ledger(l: &mut crate::domain::ledger::Ledger, names: &Names) {
    l.issues
        .iter_mut()
        .for_each(|i| names.mask_opt(&mut i.submitted_by));
    for m in &mut l.meetings {
        names.mask_opt(&mut m.chair);
        names.mask_opt(&mut m.recorder);
    }
    l.resolutions
        .iter_mut()
        .for_each(|r| names.mask_opt(&mut r.owner));
    l.actions
        .iter_mut()
        .for_each(|a| names.mask_opt(&mut a.owner));
    l.feedback
        .iter_mut()
        .for_each(|f| names.mask_opt(&mut f.resident));
}

/// The report's resolutions with their owners.
pub fn report_resolutions(rs: &mut [crate::domain::ledger::ResolutionProgress], names: &Names) {
    rs.iter_mut().for_each(|r| names.mask_opt(&mut r.owner));
}

/// The calendar's actions with their owners.
pub fn calendar(facts: &mut crate::ops::status::CalendarFacts, names: &Names) {
    facts
        .actions
        .iter_mut()
        .for_each(|a| names.mask_opt(&mut a.owner));
}

/// 督办: each owner's reminder names them as the rule does (asking `--owner 王建国` still works:
/// the selection is made on the stored name before masking).
pub fn remind(r: &mut crate::ops::status::Reminder, names: &Names) {
    r.owners
        .iter_mut()
        .for_each(|o| names.mask_opt(&mut o.owner));
}

/// `status`: the owners of actions due.
pub fn status(s: &mut crate::ops::status::Status, names: &Names) {
    for item in s.steps.iter_mut().flat_map(|g| g.items.iter_mut()) {
        if let crate::domain::status::Due::Action { owner, .. } = &mut item.due {
            names.mask_opt(owner);
        }
    }
}

/// The fields of an audit event's change that name a person (the keys yishi's events use).
const PERSON_KEYS: &[&str] = &[
    "name",
    "owner",
    "party",
    "proxy_holder",
    "speaker",
    "submitted_by",
    "stakeholders",
    "resident",
    "chair",
    "recorder",
    "by_proxy",
];

/// An audit event's change as `log` shows it: every person it names, at any depth (a roll-call's
/// `votes[].name` too).
pub fn event_change(change: &mut serde_json::Value, names: &Names) {
    use serde_json::Value;
    match change {
        Value::Object(fields) => {
            for (key, value) in fields.iter_mut() {
                match value {
                    Value::String(s) if PERSON_KEYS.contains(&key.as_str()) => names.mask(s),
                    Value::Array(items) if PERSON_KEYS.contains(&key.as_str()) => {
                        for item in items {
                            match item {
                                Value::String(s) => names.mask(s),
                                other => event_change(other, names),
                            }
                        }
                    }
                    other => event_change(other, names),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| event_change(v, names)),
        _ => {}
    }
}
