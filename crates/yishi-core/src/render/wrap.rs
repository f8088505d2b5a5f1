//! Text wrapped to a screen's width the way Chinese is set: a break may fall between any two
//! Chinese characters, never inside a Latin word, a number or a file name, and never before
//! closing punctuation (避头点) or after an opening bracket (避尾点). Help pages and
//! `council show` use it; tables wrap in comfy-table.

/// Characters that never start a line (Chinese line-breaking rules: 避头点).
const NO_LINE_START: &str = "、。，．；：？！）」』】》〉…％,.;:?!)]";

/// Characters that never end a line (避尾点): an opening bracket goes down with what it opens.
const NO_LINE_END: &str = "（「『【《〈“‘([";

/// `line` broken into lines of at most `width` columns: Chinese text breaks between any two
/// characters, Latin words and numbers stay whole, punctuation never starts a line, and
/// continuation lines start at column `indent`.
pub fn wrap(line: &str, width: usize, indent: usize) -> String {
    use unicode_width::UnicodeWidthStr;
    if line.width() <= width {
        return line.to_string();
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut current = String::new();
    // Right after a break: a space there is not carried to the next line.
    let mut broke = false;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if current.width() + w > width && !current.trim().is_empty() {
            // Break here, unless that splits a Latin word, a number or a file name (a run of
            // ASCII without spaces), or puts punctuation first.
            let mut cut = current.chars().count();
            let cur: Vec<char> = current.chars().collect();
            let latin = |x: char| x.is_ascii_graphic();
            if latin(c) || NO_LINE_START.contains(c) {
                let mut k = cut;
                if NO_LINE_START.contains(c) {
                    // Punctuation in a row goes down together, with the character before it.
                    while k > 0 && NO_LINE_START.contains(cur[k - 1]) {
                        k -= 1;
                    }
                    k = k.saturating_sub(1);
                }
                while k > 0 && latin(cur[k - 1]) {
                    k -= 1;
                }
                if k > indent && cur[indent..k].iter().any(|x| !x.is_whitespace()) {
                    cut = k;
                }
            }
            while cut > indent + 1 && NO_LINE_END.contains(cur[cut - 1]) {
                cut -= 1;
            }
            let (head, tail): (String, String) =
                (cur[..cut].iter().collect(), cur[cut..].iter().collect());
            out.push_str(head.trim_end());
            out.push('\n');
            current = " ".repeat(indent) + tail.trim_start();
            broke = tail.trim().is_empty();
        }
        if !(c.is_whitespace() && broke) {
            current.push(c);
            broke = false;
        }
        i += 1;
    }
    out.push_str(&current);
    out
}
