//! `yishi remind`: a 督办 message to paste into the chat group, as plain text, Markdown or HTML.

use crate::config::Locale;
use crate::ops::status::{ActionDue, Reminder};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Html,
}

// The words of a reminder, from the catalogue (`remind.*` in locales/core.toml).

fn say(text: crate::i18n::Text, zh: bool) -> String {
    text.render(Locale::from_zh(zh))
}

fn owner_name(owner: Option<&str>, zh: bool) -> String {
    match owner {
        Some(o) => o.to_string(),
        None => say(crate::text!("remind.no_owner"), zh),
    }
}

/// "已逾期 5 天" / "还剩 3 天" / "今天到期".
fn left(a: &ActionDue, zh: bool) -> String {
    let d = a.days_left;
    let text = match d {
        0 => crate::text!("remind.due_today"),
        -1 => crate::text!("remind.overdue_one", n = 1),
        d if d < 0 => crate::text!("remind.overdue", n = -d),
        1 => crate::text!("remind.left_one", n = 1),
        d => crate::text!("remind.left", n = d),
    };
    say(text, zh)
}

fn intro(r: &Reminder, zh: bool) -> String {
    say(crate::text!("remind.intro", days = r.within_days), zh)
}

fn nothing(zh: bool) -> String {
    say(crate::text!("remind.nothing"), zh)
}

fn title(community: &str, r: &Reminder, zh: bool) -> String {
    say(
        crate::text!("remind.title", community = community, today = &r.today),
        zh,
    )
}

fn head(owner: Option<&str>, n: usize, zh: bool) -> String {
    say(
        crate::text!("remind.head", owner = owner_name(owner, zh), n = n),
        zh,
    )
}

/// "进度 40%，完成时限 2026-11-20，已逾期 5 天".
fn detail(a: &ActionDue, zh: bool) -> String {
    say(
        crate::text!(
            "remind.detail",
            progress = a.progress,
            due = &a.due,
            left = left(a, zh)
        ),
        zh,
    )
}

fn issue_ref(a: &ActionDue, zh: bool) -> String {
    say(
        crate::text!("remind.issue", id = a.issue, title = &a.issue_title),
        zh,
    )
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
        body.push_str(&format!("<p>{}</p>\n", e(&nothing(zh))));
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
