//! The street's workbook (`rollup -o 街道汇总.xlsx`): the communities and the street's totals,
//! the overdue actions, the issues raised to the street, and the packages received, each a
//! sheet printed as the paperwork conventions say (render/xlsx.rs: A4, title rows with the
//! street, the period and the day made, headers repeated, page numbers).

use super::xlsx::{Cell, Heading, Sheet};
use crate::domain::locale::Locale;
use crate::domain::package::{Figures, Ratio, Rollup};

/// What the title rows say: the street's name, the day made, the command's time.
pub struct Made<'a> {
    pub street: &'a str,
    pub day: String,
    pub created: chrono::DateTime<chrono::Utc>,
}

pub fn workbook(r: &Rollup, locale: Locale, made: &Made) -> crate::error::Result<Vec<u8>> {
    let zh = locale == Locale::ZhCn;
    let heading = Heading {
        unit: made.street.to_string(),
        title: if zh {
            format!("{}社区议事工作汇总表", period_words(&r.period.name, true))
        } else {
            format!("Community councils, {}", r.period.name)
        },
        period: Some(if zh {
            format!(
                "统计期间：{}",
                super::report::period(&r.period.from, &r.period.to, true)
            )
        } else {
            format!(
                "Period: {}",
                super::report::period(&r.period.from, &r.period.to, false)
            )
        }),
        made: made.day.clone(),
        created: made.created,
        zh,
        // The street's own working table, not a report it sends on: no seal line.
        seal: None,
    };
    let sheets = vec![
        communities(r, zh),
        overdue(r, zh),
        escalated(r, zh),
        packages(r, zh),
    ];
    // The street's 合计 row, last on the first sheet, prints bold.
    let totals = [sheets[0].name.as_str()];
    super::xlsx::write_with_totals(&sheets, &heading, &totals)
}

/// 2026Q3 → 2026年第三季度, 2026-09 → 2026年9月, 2026 → 2026年度; anything else as typed.
fn period_words(name: &str, zh: bool) -> String {
    if !zh {
        return name.to_string();
    }
    let quarter = ["一", "二", "三", "四"];
    if let Some((y, q)) = name.split_once(['Q', 'q'])
        && let Ok(q) = q.parse::<usize>()
        && (1..=4).contains(&q)
    {
        return format!("{y}年第{}季度", quarter[q - 1]);
    }
    match name.split_once('-') {
        Some((y, m)) if name.len() == 7 => {
            format!("{y}年{}月", m.trim_start_matches('0'))
        }
        None if name.len() == 4 => format!("{name}年度"),
        _ => String::new(),
    }
}

fn h(zh: bool, pairs: &[(&str, &str)]) -> Vec<String> {
    pairs
        .iter()
        .map(|(z, e)| (if zh { *z } else { *e }).to_string())
        .collect()
}

fn rate(r: Ratio) -> Cell {
    if r.denominator == 0 {
        Cell::Empty
    } else {
        Cell::Percent(r.numerator as f64 / r.denominator as f64)
    }
}

fn n(v: u64) -> Cell {
    Cell::Number(v as f64)
}

fn figures(name: &str, f: &Figures) -> Vec<Cell> {
    vec![
        Cell::text(name),
        n(f.meetings_held),
        n(f.issues_total),
        n(f.completed()),
        rate(f.on_time()),
        rate(f.participation),
        rate(f.awareness),
        rate(f.satisfaction),
        rate(f.cycle_complete),
        n(f.actions_overdue),
        n(f.escalations.raised),
        n(f.escalations.waiting),
    ]
}

/// 汇总: one row per community and the street's total, rates from the summed parts.
fn communities(r: &Rollup, zh: bool) -> Sheet {
    let mut rows: Vec<Vec<Cell>> = r
        .communities
        .iter()
        .map(|c| figures(&c.community, &c.figures))
        .collect();
    rows.push(figures(if zh { "合计" } else { "Total" }, &r.totals));
    Sheet {
        name: if zh { "汇总" } else { "Totals" }.into(),
        header: h(
            zh,
            &[
                ("社区", "Community"),
                ("议事会次数", "Meetings"),
                ("议题数", "Issues"),
                ("办结数", "Completed"),
                ("按期落实率", "On time"),
                ("参与率", "Participation"),
                ("知晓率", "Awareness"),
                ("满意率", "Satisfaction"),
                ("四议两公开", "Four steps"),
                ("逾期事项", "Overdue"),
                ("上报", "Escalated"),
                ("待答复", "Waiting"),
            ],
        ),
        rows,
    }
}

fn overdue(r: &Rollup, zh: bool) -> Sheet {
    let rows = r
        .overdue_actions
        .iter()
        .map(|(c, a)| {
            vec![
                Cell::text(c.as_str()),
                Cell::text(a.action.as_str()),
                Cell::text(a.issue.as_str()),
                Cell::text(a.text.as_str()),
                Cell::text(
                    a.owner
                        .as_deref()
                        .unwrap_or(if zh { "未定" } else { "none" }),
                ),
                Cell::Day(a.due.clone()),
                n(a.days_overdue.max(0) as u64),
            ]
        })
        .collect();
    Sheet {
        name: if zh { "逾期事项" } else { "Overdue" }.into(),
        header: h(
            zh,
            &[
                ("社区", "Community"),
                ("事项", "Action"),
                ("议题", "Issue"),
                ("内容", "Action text"),
                ("责任人", "Owner"),
                ("应完成日期", "Due"),
                ("逾期天数", "Days overdue"),
            ],
        ),
        rows,
    }
}

fn escalated(r: &Rollup, zh: bool) -> Sheet {
    let rows = r
        .escalated_issues
        .iter()
        .map(|(c, e)| {
            vec![
                Cell::text(c.as_str()),
                Cell::text(e.issue.as_str()),
                Cell::text(e.title.as_str()),
                Cell::text(e.reason.as_str()),
                Cell::Day(e.escalated_on.clone()),
                n(e.days_waiting.max(0) as u64),
                Cell::opt_day(e.answered_on.as_deref()),
                Cell::text(
                    e.answer
                        .as_deref()
                        .unwrap_or(if zh { "待答复" } else { "waiting" }),
                ),
            ]
        })
        .collect();
    Sheet {
        name: if zh { "上报事项" } else { "Escalated" }.into(),
        header: h(
            zh,
            &[
                ("社区", "Community"),
                ("议题", "Issue"),
                ("标题", "Title"),
                ("上报理由", "Reason"),
                ("上报日期", "Escalated on"),
                ("等待天数", "Days waiting"),
                ("答复日期", "Answered on"),
                ("答复", "Answer"),
            ],
        ),
        rows,
    }
}

/// 报送情况: each package used, with its day, check code and content hash; the communities
/// that sent nothing; the packages set aside.
fn packages(r: &Rollup, zh: bool) -> Sheet {
    let mut rows: Vec<Vec<Cell>> = r
        .communities
        .iter()
        .map(|c| {
            vec![
                Cell::text(c.community.as_str()),
                Cell::text(file_name(&c.file)),
                Cell::Day(c.as_of.clone()),
                Cell::text(c.record_check.as_str()),
                Cell::text(c.sha256.as_str()),
                Cell::text(if zh { "采用" } else { "used" }),
            ]
        })
        .collect();
    // Communities known from a package of another period, with none for this one.
    for m in &r.missing {
        rows.push(vec![
            Cell::text(m.as_str()),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::text(if zh {
                "本期未报送"
            } else {
                "sent nothing for this period"
            }),
        ]);
    }
    for (old, new) in &r.replaced {
        rows.push(vec![
            Cell::Empty,
            Cell::text(file_name(old)),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::text(if zh {
                format!("未采用：同一社区同一期间以较新的 {} 为准", file_name(new))
            } else {
                format!("not used: {} is newer", file_name(new))
            }),
        ]);
    }
    Sheet {
        name: if zh { "报送情况" } else { "Packages" }.into(),
        header: h(
            zh,
            &[
                ("社区", "Community"),
                ("文件", "File"),
                ("数据日期", "As of"),
                ("记录校验码", "Record check"),
                ("内容 SHA-256", "Content SHA-256"),
                ("说明", "Note"),
            ],
        ),
        rows,
    }
}

/// The file's own name, without the folders it was read from (the street's paths are its own).
fn file_name(path: &str) -> String {
    std::path::Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |f| f.to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_in_words() {
        assert_eq!(period_words("2026Q3", true), "2026年第三季度");
        assert_eq!(period_words("2026-09", true), "2026年9月");
        assert_eq!(period_words("2026", true), "2026年度");
        assert_eq!(period_words("2026-07-01..2026-09-30", true), "");
    }
}
