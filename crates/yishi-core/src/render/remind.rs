//! `yishi remind`: a 督办 message to paste into the chat group, as plain text, Markdown or HTML.

use crate::config::Locale;
use crate::ops::status::{ActionDue, Reminder};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

fn owner_name(owner: Option<&str>, zh: bool) -> String {
    match (owner, zh) {
        (Some(o), _) => o.to_string(),
        (None, true) => "未指定责任人".into(),
        (None, false) => "No owner named".into(),
    }
}

/// "已逾期 5 天" / "还剩 3 天" / "今天到期".
fn left(a: &ActionDue, zh: bool) -> String {
    let d = a.days_left;
    let days = |n: i64| if n == 1 { "day" } else { "days" };
    match (d, zh) {
        (0, true) => "今天到期".into(),
        (0, false) => "due today".into(),
        (d, true) if d < 0 => format!("已逾期 {} 天", -d),
        (d, false) if d < 0 => format!("{} {} overdue", -d, days(-d)),
        (d, true) => format!("还剩 {d} 天"),
        (d, false) => format!("{d} {} left", days(d)),
    }
}

fn intro(r: &Reminder, zh: bool) -> String {
    if zh {
        format!(
            "以下落实事项已逾期或将在 {} 天内到期，请各位责任人抓紧办理，并及时向社区反馈进度。",
            r.within_days
        )
    } else {
        format!(
            "These actions are overdue or due within {} days. Owners, please see them through and report your progress to the community.",
            r.within_days
        )
    }
}

fn nothing(zh: bool) -> &'static str {
    if zh {
        "目前没有逾期或近期到期的落实事项。"
    } else {
        "No action is overdue or due soon."
    }
}

fn title(community: &str, r: &Reminder, zh: bool) -> String {
    if zh {
        format!("【督办提醒】{community} {}", r.today)
    } else {
        format!("Reminder of actions due: {community}, {}", r.today)
    }
}

fn head(owner: Option<&str>, n: usize, zh: bool) -> String {
    if zh {
        format!("{}（{n} 项）", owner_name(owner, zh))
    } else {
        format!("{} ({n})", owner_name(owner, zh))
    }
}

/// "进度 40%，完成时限 2026-11-20，已逾期 5 天".
fn detail(a: &ActionDue, zh: bool) -> String {
    if zh {
        format!("进度 {}%，完成时限 {}，{}", a.progress, a.due, left(a, zh))
    } else {
        format!("{}% done, due {}, {}", a.progress, a.due, left(a, zh))
    }
}

fn issue_ref(a: &ActionDue, zh: bool) -> String {
    if zh {
        format!("议题 #{} {}", a.issue, a.issue_title)
    } else {
        format!("issue #{} {}", a.issue, a.issue_title)
    }
}

/// Plain text for WeChat: no markup, short lines, numbered per owner.
pub fn text(r: &Reminder, community: &str, locale: Locale) -> String {
    let zh = locale == Locale::ZhCn;
    let mut out = format!("{}\n", title(community, r, zh));
    if r.owners.is_empty() {
        out.push_str(&format!("{}\n", nothing(zh)));
        return out;
    }
    out.push_str(&format!("{}\n", intro(r, zh)));
    for o in &r.owners {
        out.push_str(&format!(
            "\n{}\n",
            head(o.owner.as_deref(), o.actions.len(), zh)
        ));
        for (n, a) in o.actions.iter().enumerate() {
            let open = if zh { "（" } else { " (" };
            let close = if zh { "）" } else { ")" };
            out.push_str(&format!(
                "{}. {}{open}{}{close}\n   {}\n",
                n + 1,
                a.text,
                issue_ref(a, zh),
                detail(a, zh)
            ));
        }
    }
    out.push_str(&format!("\n{community}\n"));
    out
}

/// Markdown special characters escaped, so that a title cannot become markup. Every piece
/// is placed after a list marker or a heading, so `-`, `+` and `1.` cannot start a block.
fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            c if "\\`*_[]<>#|~".contains(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

pub fn markdown(r: &Reminder, community: &str, locale: Locale) -> String {
    let zh = locale == Locale::ZhCn;
    let mut out = format!("# {}\n\n", md(&title(community, r, zh)));
    if r.owners.is_empty() {
        out.push_str(&format!("{}\n", nothing(zh)));
        return out;
    }
    out.push_str(&format!("{}\n", md(&intro(r, zh))));
    for o in &r.owners {
        out.push_str(&format!(
            "\n## {}\n\n",
            md(&head(o.owner.as_deref(), o.actions.len(), zh))
        ));
        for (n, a) in o.actions.iter().enumerate() {
            let detail = md(&detail(a, zh));
            let detail = if a.overdue {
                format!("**{detail}**")
            } else {
                detail
            };
            let (open, close) = if zh { ("（", "）") } else { (" (", ")") };
            out.push_str(&format!(
                "{}. {}{open}{}{close}  \n   {detail}\n",
                n + 1,
                md(&a.text),
                md(&issue_ref(a, zh))
            ));
        }
    }
    out.push_str(&format!("\n— {}\n", md(community)));
    out
}

fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn html(r: &Reminder, community: &str, locale: Locale) -> String {
    let zh = locale == Locale::ZhCn;
    let e = html_escape;
    let mut body = format!("<h1>{}</h1>\n", e(&title(community, r, zh)));
    if r.owners.is_empty() {
        body.push_str(&format!("<p>{}</p>\n", e(nothing(zh))));
    } else {
        body.push_str(&format!("<p>{}</p>\n", e(&intro(r, zh))));
        for o in &r.owners {
            body.push_str(&format!(
                "<h2>{}</h2>\n<ol>\n",
                e(&head(o.owner.as_deref(), o.actions.len(), zh))
            ));
            for a in &o.actions {
                let class = if a.overdue { " class=\"overdue\"" } else { "" };
                body.push_str(&format!(
                    "<li>{} <small>({})</small><br><span{class}>{}</span></li>\n",
                    e(&a.text),
                    e(&issue_ref(a, zh)),
                    e(&detail(a, zh))
                ));
            }
            body.push_str("</ol>\n");
        }
        body.push_str(&format!("<p>{}</p>\n", e(community)));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\nbody {{ font-family: \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"Microsoft YaHei\", \"PingFang SC\", sans-serif; max-width: 40em; margin: 1em auto; line-height: 1.6; }}\nli {{ margin-bottom: 0.5em; }}\n.overdue {{ color: #b00020; font-weight: bold; }}\n</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        if zh { "zh-CN" } else { "en" },
        e(&title(community, r, zh))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_cannot_become_markup() {
        assert_eq!(
            md("**a** [x](y)\n2026-11-20"),
            "\\*\\*a\\*\\* \\[x\\](y) 2026-11-20"
        );
        assert_eq!(html_escape("<b>&\"'"), "&lt;b&gt;&amp;&quot;&#39;");
    }
}
