//! Notes in an issue's history (办理记录) as the secretary reads them. Since schema v18 yishi
//! records its own events as data (`domain::history::HistoryEvent`) and [`entry`] words them
//! here from the catalogue, in either language, with the note a person typed (a reason)
//! after; a person's note is shown as it is, whatever words it begins with.
//!
//! Rows written before v18 have no event: yishi wrote its own notes as prose then ("on the
//! agenda of M1", "decided at M1", "A1 60%", bilingual 复核更正 recount and 更正 edited), and
//! [`note`] still recognises them by their words so old records read as before. That reading
//! is ONLY for rows without an event; a row with one is never read for its words.

use crate::domain::code::Code;
use crate::domain::history::HistoryEvent;
use crate::domain::issue::HistoryEntry;
use crate::domain::locale::Locale;
use crate::domain::motion::MotionResult;
use crate::i18n::Text;
use crate::text;

/// What a history entry says in `locale`, or None when it says nothing beyond its step.
pub fn entry(h: &HistoryEntry, locale: Locale) -> Option<String> {
    let Some(event) = &h.event else {
        // Written before schema v18: the note is the record, read by its words.
        return h.note.as_deref().map(|n| note(n, locale));
    };
    let Some(said) = event_text(event) else {
        return h.note.clone();
    };
    Some(match h.note.as_deref() {
        Some(n) => text!("history.with_note", note = n)
            .text("event", &said)
            .render(locale),
        None => said.render(locale),
    })
}

/// The catalogue's words for an event, None for a person's own step (its note says it all).
fn event_text(event: &HistoryEvent) -> Option<Text> {
    let m = |id: &i64| format!("M{id}");
    Some(match event {
        HistoryEvent::Step => return None,
        HistoryEvent::Scheduled { meeting } => text!("history.scheduled", meeting = m(meeting)),
        HistoryEvent::Decided { meeting } => text!("history.decided", meeting = m(meeting)),
        HistoryEvent::Deferred { meeting } => text!("history.deferred", meeting = m(meeting)),
        HistoryEvent::Merged { into } => text!("history.merged", into = into),
        HistoryEvent::Edited => text!("history.edited"),
        HistoryEvent::Recounted {
            motion,
            old,
            new,
            old_result,
            new_result,
        } => text!(
            "history.recounted",
            motion = format!("V{motion}"),
            old = old,
            new = new
        )
        .pair(
            "old_result",
            MotionResult::label_or_pending(*old_result, Locale::ZhCn),
            MotionResult::label_or_pending(*old_result, Locale::En),
        )
        .pair(
            "new_result",
            new_result.label(Locale::ZhCn),
            new_result.label(Locale::En),
        ),
        HistoryEvent::Progress { action, progress } => text!(
            "history.progress",
            action = format!("A{action}"),
            progress = progress
        ),
        HistoryEvent::Escalated { to, meeting: None } => text!("history.escalated", to = to),
        HistoryEvent::Escalated {
            to,
            meeting: Some(id),
        } => text!("history.escalated_at", to = to, meeting = m(id)),
        HistoryEvent::Answered { from, on } => text!("history.answered", from = from, on = on),
    })
}

/// The note of a row written before schema v18, in `locale`: yishi's own English notes in Chinese words, its bilingual ones in the
/// one language, everything else unchanged.
pub fn note(stored: &str, locale: Locale) -> String {
    if let Some(r) = Recount::parse(stored) {
        return r.words(locale);
    }
    if let Some(reason) = stored.strip_prefix("更正 edited: ") {
        return locale.pick(format!("更正：{reason}"), format!("edited: {reason}"));
    }
    if locale == Locale::En {
        return stored.to_string();
    }
    if let Some(m) = stored
        .strip_prefix("on the agenda of ")
        .filter(|m| meeting(m))
    {
        return format!("列入 {m} 议程");
    }
    if let Some(m) = stored.strip_prefix("decided at ").filter(|m| meeting(m)) {
        return format!("于 {m} 表决");
    }
    if let Some((m, reason)) = stored
        .strip_prefix("deferred at ")
        .and_then(|rest| rest.split_once(": "))
        .filter(|(m, _)| meeting(m))
    {
        return format!("于 {m} 暂缓：{reason}");
    }
    if let Some(n) = stored.strip_prefix("merged into #").filter(|n| digits(n)) {
        return format!("合并至 #{n}");
    }
    if let Some((a, pct)) = stored.split_once(' ')
        && a.strip_prefix('A').is_some_and(digits)
        && pct.strip_suffix('%').is_some_and(digits)
    {
        return format!("{a} 落实进度 {pct}");
    }
    stored.to_string()
}

/// "V2 复核更正 recount 4:1:0 → 5:0:0 (adopted → adopted): 漏计一票", as store::motions
/// writes it; the results are stored keys.
struct Recount<'a> {
    motion: &'a str,
    old: &'a str,
    new: &'a str,
    old_result: MotionResult,
    new_result: MotionResult,
    reason: &'a str,
}

impl<'a> Recount<'a> {
    fn parse(stored: &'a str) -> Option<Recount<'a>> {
        let (motion, rest) = stored.split_once(" 复核更正 recount ")?;
        let (tallies, rest) = rest.split_once(" (")?;
        let (old, new) = tallies.split_once(" → ")?;
        let (results, reason) = rest.split_once("): ")?;
        let (old_result, new_result) = results.split_once(" → ")?;
        motion.strip_prefix('V').filter(|n| digits(n))?;
        Some(Recount {
            motion,
            old,
            new,
            old_result: MotionResult::from_key(old_result)?,
            new_result: MotionResult::from_key(new_result)?,
            reason,
        })
    }

    fn words(&self, locale: Locale) -> String {
        let (a, b) = (self.old_result.label(locale), self.new_result.label(locale));
        let Recount {
            motion,
            old,
            new,
            reason,
            ..
        } = self;
        locale.pick(
            format!("{motion} 复核更正 {old} → {new}（{a} → {b}）：{reason}"),
            format!("{motion} recount {old} → {new} ({a} → {b}): {reason}"),
        )
    }
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// M12: a meeting's label.
fn meeting(s: &str) -> bool {
    s.strip_prefix('M').is_some_and(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(event: Option<HistoryEvent>, note: Option<&str>) -> HistoryEntry {
        use crate::domain::issue::Status;
        HistoryEntry {
            at: String::new(),
            actor: String::new(),
            from: Status::Accepted,
            to: Status::Decided,
            note: note.map(str::to_string),
            event,
        }
    }

    #[test]
    fn events_are_worded_from_their_data_in_both_languages() {
        let both = |e: HistoryEvent, n: Option<&str>| {
            let h = h(Some(e), n);
            (
                entry(&h, Locale::ZhCn).unwrap(),
                entry(&h, Locale::En).unwrap(),
            )
        };
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        assert_eq!(
            both(HistoryEvent::Scheduled { meeting: 1 }, None),
            s("列入 M1 议程", "on the agenda of M1")
        );
        assert_eq!(
            both(HistoryEvent::Decided { meeting: 12 }, None),
            s("于 M12 表决", "decided at M12")
        );
        assert_eq!(
            both(HistoryEvent::Deferred { meeting: 2 }, Some("需再协商")),
            s("于 M2 暂缓：需再协商", "deferred at M2: 需再协商")
        );
        assert_eq!(
            both(HistoryEvent::Merged { into: 7 }, None),
            s("合并至 #7", "merged into #7")
        );
        assert_eq!(
            both(
                HistoryEvent::Progress {
                    action: 1,
                    progress: 60
                },
                None
            ),
            s("A1 落实进度 60%", "A1 60%")
        );
        assert_eq!(
            both(HistoryEvent::Edited, Some("错别字")),
            s("更正：错别字", "edited: 错别字")
        );
        let recount = HistoryEvent::Recounted {
            motion: 2,
            old: "4:1:0".into(),
            new: "2:3:0".into(),
            old_result: Some(MotionResult::Adopted),
            new_result: MotionResult::NotAdopted,
        };
        assert_eq!(
            both(recount, Some("漏计一票")),
            s(
                "V2 复核更正 4:1:0 → 2:3:0（通过 → 未通过）：漏计一票",
                "V2 recount 4:1:0 → 2:3:0 (adopted → not adopted): 漏计一票"
            )
        );
        let escalated = HistoryEvent::Escalated {
            to: "街道".into(),
            meeting: Some(2),
        };
        assert_eq!(
            both(escalated, Some("需城管执法")),
            s(
                "于 M2 上报街道：需城管执法",
                "escalated to 街道 (M2): 需城管执法"
            )
        );
    }

    /// A person's note is shown as typed; only a row without an event (written before schema
    /// v18) is read by its words.
    #[test]
    fn a_persons_note_is_shown_as_typed_and_old_rows_by_their_words() {
        for n in [
            "decided at M1",
            "on the agenda of M1",
            "merged into #7",
            "A1 60%",
        ] {
            let mine = h(Some(HistoryEvent::Step), Some(n));
            assert_eq!(entry(&mine, Locale::ZhCn).as_deref(), Some(n));
            assert_eq!(entry(&mine, Locale::En).as_deref(), Some(n));
        }
        assert_eq!(
            entry(&h(Some(HistoryEvent::Step), None), Locale::ZhCn),
            None
        );
        let old = h(None, Some("decided at M1"));
        assert_eq!(entry(&old, Locale::ZhCn).as_deref(), Some("于 M1 表决"));
        assert_eq!(entry(&old, Locale::En).as_deref(), Some("decided at M1"));
    }

    #[test]
    fn yishis_own_notes_are_worded_in_chinese() {
        let zh = |s: &str| note(s, Locale::ZhCn);
        assert_eq!(zh("on the agenda of M1"), "列入 M1 议程");
        assert_eq!(zh("decided at M12"), "于 M12 表决");
        assert_eq!(zh("deferred at M2: 需再协商"), "于 M2 暂缓：需再协商");
        assert_eq!(zh("merged into #7"), "合并至 #7");
        assert_eq!(zh("A1 60%"), "A1 落实进度 60%");
    }

    #[test]
    fn bilingual_notes_are_shown_in_one_language_with_results_as_words() {
        let recount = "V2 复核更正 recount 4:1:0 → 2:3:0 (adopted → not-adopted): 漏计一票: 已核";
        assert_eq!(
            note(recount, Locale::ZhCn),
            "V2 复核更正 4:1:0 → 2:3:0（通过 → 未通过）：漏计一票: 已核"
        );
        assert_eq!(
            note(recount, Locale::En),
            "V2 recount 4:1:0 → 2:3:0 (adopted → not adopted): 漏计一票: 已核"
        );
        assert_eq!(note("更正 edited: 错别字", Locale::ZhCn), "更正：错别字");
        assert_eq!(note("更正 edited: 错别字", Locale::En), "edited: 错别字");
    }

    #[test]
    fn other_notes_and_english_stay_as_stored() {
        for s in [
            "涉及多方，需议事会协商",
            "decided at the next meeting",
            "on the agenda of M",
            "A1 sixty%",
            "A 60%",
            "V2 复核更正 recount 4:1:0 → 5:0:0 (passed → adopted): 漏计",
            "更正 edited",
            "",
        ] {
            assert_eq!(note(s, Locale::ZhCn), s);
        }
        assert_eq!(note("decided at M1", Locale::En), "decided at M1");
    }
}
