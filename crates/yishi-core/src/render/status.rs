//! `yishi status` as one screen: steps in cycle order, overdue first, a command on every line.

use crate::config::Locale;
use crate::domain::status::{Due, Item, Urgency};
use crate::ops::status::Status;
use unicode_width::UnicodeWidthStr;

const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const DIM: &str = "\x1b[2m";
const CYAN: &str = "\x1b[36m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

fn paint(text: &str, code: &str, color: bool) -> String {
    if color {
        format!("{code}{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// Pad to a display width (CJK characters count two columns).
fn pad(text: &str, width: usize) -> String {
    let w = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

/// "逾期 3 天" / "3 days overdue", "今天到期" / "due today", "还剩 2 天" / "2 days left".
pub fn when(item: &Item, zh: bool) -> String {
    let plural = |n: i64| if n == 1 { "day" } else { "days" };
    match (item.urgency, item.days_left, zh) {
        (Urgency::Info, _, _) => info(&item.due, zh).into(),
        (_, Some(0), true) => "今天到期".into(),
        (_, Some(0), false) => "due today".into(),
        (_, Some(d), true) if d < 0 => format!("逾期 {} 天", -d),
        (_, Some(d), false) if d < 0 => format!("{} {} overdue", -d, plural(-d)),
        (_, Some(d), true) => format!("还剩 {d} 天"),
        (_, Some(d), false) => format!("{d} {} left", plural(d)),
        (_, None, true) => "待办".into(),
        (_, None, false) => "to do".into(),
    }
}

/// The state of an item with no due date.
fn info(due: &Due, zh: bool) -> &'static str {
    match (due, zh) {
        (Due::NewIssues { .. }, true) => "新收集",
        (Due::NewIssues { .. }, false) => "new",
        (Due::ReadyForCouncil { .. }, true) => "待上会",
        (Due::ReadyForCouncil { .. }, false) => "ready",
        (Due::NoticePeriod { .. }, true) => "公示中",
        (Due::NoticePeriod { .. }, false) => "posted",
        (Due::EscalationWaiting { .. }, true) => "待答复",
        (Due::EscalationWaiting { .. }, false) => "waiting",
        (_, true) => "待办",
        (_, false) => "to do",
    }
}

/// What is due, in words: one catalogue entry per kind of step (`status.due.*`).
pub fn what(due: &Due, zh: bool) -> String {
    use crate::domain::locale::Locale as L;
    let t = match due {
        Due::NewIssues { count, since } => {
            crate::text!("status.due.new_issues", count = count, since = since)
        }
        Due::ScreenIssue { issue, title } => {
            crate::text!("status.due.screen_issue", issue = issue, title = title)
        }
        Due::ConsultIssue { issue, title } => {
            crate::text!("status.due.consult_issue", issue = issue, title = title)
        }
        Due::ReadyForCouncil { count } => {
            crate::text!("status.due.ready_for_council", count = count)
        }
        Due::PostMeetingNotice { meeting, title } => {
            crate::text!(
                "status.due.post_meeting_notice",
                meeting = meeting,
                title = title
            )
        }
        Due::HoldMeeting {
            meeting,
            title,
            starts_at,
            place,
        } => hold_meeting_text(*meeting, title, starts_at, place),
        Due::CloseMeeting { meeting, title } => {
            crate::text!("status.due.close_meeting", meeting = meeting, title = title)
        }
        Due::FinishVote {
            motion,
            meeting,
            text,
            cast,
        } => finish_vote_text(*motion, *meeting, text, *cast),
        Due::PostDecisions { meeting, title } => {
            crate::text!(
                "status.due.post_decisions",
                meeting = meeting,
                title = title
            )
        }
        Due::NoticePeriod {
            meeting,
            title,
            ends_on,
            reposted,
        } => notice_period_text(*meeting, title, *ends_on, *reposted),
        Due::Action {
            action,
            issue,
            text,
            owner,
            progress,
        } => action_text(*action, *issue, text, owner.as_deref(), *progress),
        Due::CollectFeedback { issue, title } => {
            crate::text!("status.due.collect_feedback", issue = issue, title = title)
        }
        Due::PublishResults { issue, title } => {
            crate::text!("status.due.publish_results", issue = issue, title = title)
        }
        Due::EscalationWaiting {
            issue,
            title,
            to,
            days_waiting,
        } => escalation_text(*issue, title, to, *days_waiting),
        Due::Reply {
            issue,
            title,
            reply_step,
            residents,
        } => reply_text(*issue, title, *reply_step, *residents),
    };
    t.render(L::from_zh(zh))
}

/// A meeting to hold: the catalogue entry with when and where.
fn hold_meeting_text(meeting: i64, title: &str, starts_at: &str, place: &str) -> crate::i18n::Text {
    crate::text!(
        "status.due.hold_meeting",
        meeting = meeting,
        title = title,
        starts_at = starts_at,
        place = place
    )
}

/// Residents owed a reply: the catalogue entry with the step the issue reached.
fn reply_text(
    issue: i64,
    title: &str,
    reply_step: crate::domain::reply::ReplyStep,
    residents: i64,
) -> crate::i18n::Text {
    use crate::domain::locale::Locale as L;
    crate::text!("reply.status", issue = issue, title = title, n = residents).pair(
        "step",
        reply_step.label(L::ZhCn),
        reply_step.label(L::En),
    )
}

/// A vote to finish: the catalogue entry with whether it is counted yet.
fn finish_vote_text(motion: i64, meeting: i64, text: &str, cast: bool) -> crate::i18n::Text {
    let (zh, en) = if cast {
        ("已计票，待宣布结果", "counted, close it")
    } else {
        ("待计票", "record the votes")
    };
    crate::text!(
        "status.due.finish_vote",
        motion = motion,
        meeting = meeting,
        text = text
    )
    .pair("state", zh, en)
}

/// A decision notice still up: the catalogue entry with whether it was posted again.
fn notice_period_text(
    meeting: i64,
    title: &str,
    ends_on: chrono::NaiveDate,
    reposted: bool,
) -> crate::i18n::Text {
    let (zh, en) = if reposted {
        ("更正后重新公示，", "corrected and ")
    } else {
        ("", "")
    };
    crate::text!(
        "status.due.notice_period",
        meeting = meeting,
        title = title,
        ends_on = ends_on
    )
    .pair("reposted", zh, en)
}

/// An action to carry out: the catalogue entry with its owner, or 未指定.
fn action_text(
    action: i64,
    issue: i64,
    text: &str,
    owner: Option<&str>,
    progress: i64,
) -> crate::i18n::Text {
    crate::text!(
        "status.due.action",
        action = action,
        issue = issue,
        text = text,
        progress = progress
    )
    .pair(
        "owner",
        owner.unwrap_or("未指定"),
        owner.unwrap_or("not set"),
    )
}

/// An issue waiting on the street: the catalogue entry with the level it went to.
fn escalation_text(issue: i64, title: &str, to: &str, days_waiting: i64) -> crate::i18n::Text {
    use crate::domain::locale::Locale as L;
    crate::text!(
        "status.due.escalation_waiting",
        issue = issue,
        title = title,
        days = days_waiting
    )
    .pair(
        "to",
        crate::domain::escalation::level_label(to, L::ZhCn),
        crate::domain::escalation::level_label(to, L::En),
    )
}

fn dates(item: &Item, zh: bool) -> String {
    // New issues word their `since` in the text already.
    let since = match item.due {
        Due::NewIssues { .. } => None,
        _ => item.since,
    };
    let parts: Vec<String> = match zh {
        true => since
            .map(|s| format!("自 {s}"))
            .into_iter()
            .chain(item.by.map(|b| format!("{b} 前")))
            .collect(),
        false => since
            .map(|s| format!("since {s}"))
            .into_iter()
            .chain(item.by.map(|b| format!("by {b}")))
            .collect(),
    };
    match (parts.is_empty(), zh) {
        (true, _) => String::new(),
        (false, true) => format!("（{}）", parts.join("，")),
        (false, false) => format!(" ({})", parts.join(", ")),
    }
}

/// The status screen: the heading, then each step's items as when, what and the command.
pub fn text(s: &Status, community: &str, locale: Locale, color: bool) -> String {
    let zh = locale == Locale::ZhCn;
    let community = crate::render::clean(community);
    let mut out = status_heading(s, &community, zh, color);
    if s.steps.is_empty() {
        out.push_str(if zh {
            "\n暂无待办事项。\n"
        } else {
            "\nNothing is due.\n"
        });
        return out;
    }
    // One column for "逾期 3 天" / "3 days overdue" across the screen.
    let width = s
        .steps
        .iter()
        .flat_map(|g| &g.items)
        .map(|i| UnicodeWidthStr::width(when(i, zh).as_str()))
        .max()
        .unwrap_or(0)
        + 2;
    for g in &s.steps {
        out.push_str(&step_group(g, locale, width, color));
    }
    out
}

/// The title line with the date and look-ahead, and the overdue and due counts.
fn status_heading(s: &Status, community: &str, zh: bool, color: bool) -> String {
    let mut out = String::new();
    if zh {
        out.push_str(&paint(
            &format!(
                "{community}议事进度 · {} · 展望 {} 天",
                s.today, s.within_days
            ),
            BOLD,
            color,
        ));
        out.push('\n');
        out.push_str(&format!(
            "逾期 {} 项，{} 天内到期 {} 项\n",
            s.overdue, s.within_days, s.due
        ));
    } else {
        out.push_str(&paint(
            &format!(
                "{community}: council status on {}, looking {} days ahead",
                s.today, s.within_days
            ),
            BOLD,
            color,
        ));
        out.push('\n');
        out.push_str(&format!(
            "{} overdue, {} due within {} days\n",
            s.overdue, s.due, s.within_days
        ));
    }
    out
}

/// One step's block: its bold head with counts, its items with when, what and the command,
/// and how many more were left out.
fn step_group(
    g: &crate::ops::status::StepGroup,
    locale: Locale,
    width: usize,
    color: bool,
) -> String {
    let zh = locale == Locale::ZhCn;
    let mut out = String::new();
    out.push('\n');
    let step = g.step.label(locale);
    let head = match (zh, g.overdue) {
        (true, 0) => format!("{step}（{} 项）", g.total),
        (true, o) => format!("{step}（{} 项，逾期 {o} 项）", g.total),
        (false, 0) => format!("{step} ({})", g.total),
        (false, o) => format!("{step} ({}, {o} overdue)", g.total),
    };
    out.push_str(&paint(&head, BOLD, color));
    out.push('\n');
    for item in &g.items {
        let when = pad(&when(item, zh), width);
        let when = match item.urgency {
            Urgency::Overdue => paint(&when, RED, color),
            Urgency::Due => paint(&when, YELLOW, color),
            Urgency::Info => paint(&when, DIM, color),
        };
        // Stored text is cleaned here, before the colour codes are added.
        let what = crate::render::clean(&what(&item.due, zh));
        let mut line = format!("  {when}{what}{}", dates(item, zh));
        if let Some(cmd) = &item.command {
            line.push_str("  ");
            let cmd = fill_in(cmd, zh);
            line.push_str(&paint(&format!("→ {cmd}"), CYAN, color));
        }
        out.push_str(&line);
        out.push('\n');
    }
    let hidden = g.total - g.items.len() as u64;
    if hidden > 0 {
        let count = crate::render::count(hidden);
        let line = match (zh, &g.more) {
            (true, Some(cmd)) => format!("  …… 另有 {count} 项  → {cmd}"),
            (true, None) => format!("  …… 另有 {count} 项（--limit 0 显示全部）"),
            (false, Some(cmd)) => format!("  ... and {count} more  → {cmd}"),
            (false, None) => format!("  ... and {count} more (--limit 0 shows all)"),
        };
        out.push_str(&paint(&line, DIM, color));
        out.push('\n');
    }
    out
}

/// 四议两公开 as a checklist under `issue show`: ✓ done with its date, ✗ missing, … pending.
pub fn checklist(steps: &[crate::domain::status::CheckStep], zh: bool) -> String {
    use crate::domain::status::CheckState;
    let mut out = String::from(if zh {
        "\n四议两公开:\n"
    } else {
        "\nCouncil cycle (四议两公开):\n"
    });
    let width = steps
        .iter()
        .map(|s| UnicodeWidthStr::width(s.step.label(Locale::from_zh(zh))))
        .max()
        .unwrap_or(0)
        + 2;
    for s in steps {
        let label = pad(s.step.label(Locale::from_zh(zh)), width);
        let (mark, what) = match (s.state, zh) {
            (CheckState::Done, _) => {
                let mut d = s.on.map(|d| d.to_string()).unwrap_or_default();
                if let Some(u) = s.until {
                    d.push_str(&format!(" – {u}"));
                }
                if let Some(n) = s.count {
                    d.push_str(&if zh {
                        format!("（{n} 份）")
                    } else {
                        format!(" ({n} answers)")
                    });
                }
                ("✓", d)
            }
            (CheckState::Missing, true) => ("✗", "缺失".to_string()),
            (CheckState::Missing, false) => ("✗", "missing".to_string()),
            (CheckState::Pending, true) => ("…", "尚未到期".to_string()),
            (CheckState::Pending, false) => ("…", "not due yet".to_string()),
            (CheckState::NotApplicable, true) => ("-", "不适用（未通过）".to_string()),
            (CheckState::NotApplicable, false) => ("-", "n/a (not adopted)".to_string()),
        };
        out.push_str(&format!("  {mark} {label}{what}\n"));
    }
    out
}

/// The report's line for 四议两公开: decided issues with every step done.
pub fn cycle_line(complete: u64, decided: u64, locale: Locale) -> String {
    let pct = if decided > 0 {
        format!(" ({:.0}%)", complete as f64 * 100.0 / decided as f64)
    } else {
        String::new()
    };
    match locale {
        Locale::ZhCn => format!(
            "\n四议两公开全部完成: {complete} / {decided} 件已表决议题{pct}（`yishi issue show ID` 列出缺失的步骤）\n"
        ),
        Locale::En => format!(
            "\nEvery step of 四议两公开 done: {complete} of {decided} decided issues{pct} (`yishi issue show ID` lists the missing steps)\n"
        ),
    }
}

/// The words in capitals a command leaves for the secretary to fill in (`Due::command`), in
/// Chinese on a Chinese screen; JSON keeps the command as it is.
fn fill_in(cmd: &str, zh: bool) -> String {
    const WORDS: &[(&str, &str)] = &[
        (" PARTY", " 相关方"),
        (" TEXT", " 内容"),
        (" PLACE", " 地点"),
    ];
    if !zh {
        return cmd.to_string();
    }
    WORDS
        .iter()
        .fold(cmd.to_string(), |c, (en, zh)| c.replace(en, zh))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pad_counts_cjk_as_two_columns() {
        assert_eq!(pad("逾期 3 天", 12), "逾期 3 天   ");
        assert_eq!(pad("due today", 12), "due today   ");
    }
}
