//! The street office's roll-up as a table per community with the street's totals, the
//! overdue actions across communities, and the packages' check codes.

use super::table;
use crate::domain::locale::Locale;
use crate::domain::package::{Figures, Rollup};

/// The columns of the community table, in `locale`.
fn header(locale: Locale) -> Vec<&'static str> {
    match locale {
        Locale::ZhCn => vec![
            "社区",
            "议事会次数",
            "议题数",
            "办结数",
            "按期落实率",
            "参与率",
            "知晓率",
            "满意率",
            "四议两公开",
            "逾期事项",
            "上报待复",
            "记录校验码",
        ],
        Locale::En => vec![
            "community",
            "meetings",
            "issues",
            "completed",
            "on time",
            "participation",
            "awareness",
            "satisfaction",
            "four steps",
            "overdue",
            "awaiting street",
            "record check",
        ],
    }
}

fn cells(name: &str, f: &Figures, check: &str) -> Vec<String> {
    let part = |r: crate::domain::package::Ratio| {
        format!("{} ({}/{})", r.percent(), r.numerator, r.denominator)
    };
    vec![
        name.to_string(),
        f.meetings_held.to_string(),
        f.issues_total.to_string(),
        f.completed().to_string(),
        part(f.on_time()),
        part(f.participation),
        part(f.awareness),
        part(f.satisfaction),
        part(f.cycle_complete),
        f.actions_overdue.to_string(),
        f.escalations.waiting.to_string(),
        check.to_string(),
    ]
}

/// The community table with the street's totals as its last row.
pub fn table(r: &Rollup, locale: Locale, tty: bool) -> comfy_table::Table {
    let mut t = table::new(&header(locale), tty);
    for row in &r.communities {
        table::row(
            &mut t,
            cells(&row.community, &row.figures, &row.record_check),
        );
    }
    let total = locale.pick("合计", "total");
    table::row(&mut t, cells(total, &r.totals, ""));
    t
}

/// What follows the table: the period, overdue actions, missing and replaced packages, and
/// each package's content hash.
pub fn notes(r: &Rollup, locale: Locale) -> String {
    let zh = locale == Locale::ZhCn;
    let mut out = period_line(r, zh);
    out.push_str(&overdue_notes(r, zh));
    if !r.escalated_issues.is_empty() {
        out.push_str(if zh {
            "\n上报事项：\n"
        } else {
            "\nissues escalated:\n"
        });
        for (community, e) in &r.escalated_issues {
            out.push_str(&escalated_line(community, e, zh));
        }
    }
    out.push_str(&package_notes(r, zh));
    out
}

/// 期间：2026Q3（2026-07-01 至 2026-09-30），3 个社区
fn period_line(r: &Rollup, zh: bool) -> String {
    let p = &r.period;
    let n = r.communities.len();
    if zh {
        format!("期间：{}（{} 至 {}），{n} 个社区\n", p.name, p.from, p.to)
    } else {
        format!(
            "period: {} ({} to {}), {n} community(ies)\n",
            p.name, p.from, p.to
        )
    }
}

/// The overdue actions across communities, most overdue first; nothing when there are none.
fn overdue_notes(r: &Rollup, zh: bool) -> String {
    if r.overdue_actions.is_empty() {
        return String::new();
    }
    let mut out = String::from(if zh {
        "\n截至各社区数据日期的逾期事项（不限期间）：\n"
    } else {
        "\noverdue actions on each community's day (of any period):\n"
    });
    for (community, a) in &r.overdue_actions {
        out.push_str(&if zh {
            format!(
                "  {community} {} 议题{} {}（责任人 {}，应于 {} 完成，逾期 {} 天）\n",
                a.action,
                a.issue.trim_start_matches('#'),
                a.text,
                a.owner.as_deref().unwrap_or("未定"),
                a.due,
                a.days_overdue
            )
        } else {
            format!(
                "  {community} {} on {}: {} (owner {}, due {}, {} days overdue)\n",
                a.action,
                a.issue,
                a.text,
                a.owner.as_deref().unwrap_or("none"),
                a.due,
                a.days_overdue
            )
        });
    }
    out
}

/// Who sent nothing, which packages were replaced by newer ones, and each package used with
/// its day and content hash.
fn package_notes(r: &Rollup, zh: bool) -> String {
    let mut out = String::new();
    if !r.missing.is_empty() {
        out.push_str(&if zh {
            format!("\n本期未报送：{}\n", r.missing.join("、"))
        } else {
            format!("\nsent nothing for this period: {}\n", r.missing.join(", "))
        });
    }
    for (old, new) in &r.replaced {
        out.push_str(&if zh {
            format!("同一社区同一期间有两份报送：采用较新的 {new}，未采用 {old}\n")
        } else {
            format!("two packages of one community and period: {new} is used, {old} is not\n")
        });
    }
    out.push_str(if zh {
        "\n报送文件：\n"
    } else {
        "\npackages:\n"
    });
    for row in &r.communities {
        out.push_str(&format!(
            "  {} {} {} sha256:{}\n",
            row.community,
            row.file,
            row.as_of,
            &row.sha256[..16]
        ));
    }
    out
}

/// One escalated issue: waiting (with days waiting) or answered (with its answer).
fn escalated_line(community: &str, e: &crate::domain::package::EscalatedIssue, zh: bool) -> String {
    let level = crate::domain::escalation::level_label(&e.to, Locale::En);
    match (&e.answered_on, zh) {
        (None, true) => format!(
            "  {community} 议题{} {}：{} 上报{}，已等待 {} 天（{}）\n",
            e.issue.trim_start_matches('#'),
            e.title,
            e.escalated_on,
            e.to,
            e.days_waiting,
            e.reason
        ),
        (None, false) => format!(
            "  {community} {} {}: escalated to the {level} on {}, waiting {} day(s) ({})\n",
            e.issue, e.title, e.escalated_on, e.days_waiting, e.reason
        ),
        (Some(on), true) => format!(
            "  {community} 议题{} {}：{} 上报{}，{on} 答复（{} 天）：{}\n",
            e.issue.trim_start_matches('#'),
            e.title,
            e.escalated_on,
            e.to,
            e.days_waiting,
            e.answer.as_deref().unwrap_or("")
        ),
        (Some(on), false) => format!(
            "  {community} {} {}: escalated to the {level} on {}, answered on {on} after {} day(s): {}\n",
            e.issue,
            e.title,
            e.escalated_on,
            e.days_waiting,
            e.answer.as_deref().unwrap_or("")
        ),
    }
}
