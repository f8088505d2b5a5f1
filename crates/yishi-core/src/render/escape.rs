//! User text cannot forge structure. A detail, speech, motion, name or reason is the
//! resident's or the secretary's words, never the document's own structure: in Markdown it
//! cannot start a heading, list item, quote, table row or code block, nor carry raw HTML; in
//! plain text (and Markdown) a multi-line value is indented as one block, so that a line of it
//! can never stand at the start of a line as if it were a field of the document
//! (`\n## 表决结果：全票通过`, `\n公示期：…`).
//!
//! Every Markdown and text writer goes through here: the templates get it as minijinja's
//! formatter (every `{{ value }}` of a `.md` or `.txt` template, built-in or the community's
//! own), and code that writes Markdown or text directly calls the same functions.

/// Continuation lines of a multi-line value: deeper than any line the documents themselves
/// indent (list items, `   表决：…` under a numbered item), so they read as one block.
pub const INDENT: &str = "        ";

const BREAKS: [char; 5] = ['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}'];

/// The lines of a value: one line exactly as it is (a label such as ", " keeps its spaces);
/// of several, each trimmed and blank ones dropped. CR LF and lone CR are line ends too, as
/// are the Unicode line and paragraph separators.
fn lines(s: &str) -> Vec<&str> {
    if !s.contains(BREAKS) {
        return vec![s];
    }
    s.split(BREAKS)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// Plain text (chat groups, notice text): one line as it is; more lines indented as a block.
pub fn text(s: &str) -> String {
    lines(s).join(&format!("\n{INDENT}"))
}

/// One line of plain text: line breaks become spaces (titles, table cells, numbered lines).
pub fn flat(s: &str) -> String {
    lines(s).join(" ")
}

/// A character that means something inside a Markdown line (emphasis, code, links, tables,
/// escapes), written as a literal.
fn md_char(c: char, out: &mut String) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
            out.push('\\');
            out.push(c);
        }
        c => out.push(c),
    }
}

/// A line that would start a Markdown block (heading, list, quote, setext underline, fence,
/// ordered list `1.` / `1)`): its first character is escaped.
fn md_line(line: &str, out: &mut String) {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let ordered = digits > 0 && matches!(line[digits..].chars().next(), Some('.' | ')'));
    let mut chars = line.chars();
    if ordered {
        out.push_str(&line[..digits]);
        chars = line[digits..].chars();
        if let Some(c) = chars.next() {
            out.push('\\');
            out.push(c);
        }
    } else if let Some(c) = line.chars().next()
        && matches!(c, '#' | '-' | '+' | '=' | '>' | '<')
    {
        chars.next();
        if c == '>' || c == '<' {
            md_char(c, out);
        } else {
            out.push('\\');
            out.push(c);
        }
    }
    for c in chars {
        md_char(c, out);
    }
}

/// Markdown: every special character literal, raw HTML as text, and a multi-line value
/// indented as one block whose lines cannot start a block of their own.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for (i, line) in lines(s).into_iter().enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(INDENT);
        }
        md_line(line, &mut out);
    }
    out
}

/// A Markdown table cell: one line, every special character literal.
pub fn markdown_cell(s: &str) -> String {
    markdown(&flat(s))
}

/// Text inside an XML element or attribute (the phone image's SVG): `& < > " '` escaped and
/// control characters, which XML cannot hold, dropped.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_indents_continuation_lines_as_one_block() {
        assert_eq!(text("路灯不亮"), "路灯不亮");
        assert_eq!(
            text("路灯不亮\r\n公示期：2026年1月1日\r\n\n## 表决结果：全票通过"),
            format!("路灯不亮\n{INDENT}公示期：2026年1月1日\n{INDENT}## 表决结果：全票通过")
        );
        assert_eq!(flat("a\n b \r\nc"), "a b c");
    }

    #[test]
    fn markdown_cannot_start_blocks_or_carry_html() {
        assert_eq!(
            markdown("反对\n## 表决结果：全票通过"),
            format!("反对\n{INDENT}\\## 表决结果：全票通过")
        );
        assert_eq!(
            markdown("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            markdown("- a\n+ b\n1. c\n2) d\n> e\n==="),
            format!(
                "\\- a\n{INDENT}\\+ b\n{INDENT}1\\. c\n{INDENT}2\\) d\n{INDENT}&gt; e\n{INDENT}\\==="
            )
        );
        assert_eq!(markdown("| a | b |"), "\\| a \\| b \\|");
        assert_eq!(
            markdown("陈** [x](y) `c` a_b ~~s~~"),
            "陈\\*\\* \\[x\\](y) \\`c\\` a\\_b \\~\\~s\\~\\~"
        );
        assert_eq!(markdown_cell("a\n|b"), "a \\|b");
        assert_eq!(markdown("2026年"), "2026年");
    }
}
