//! Tables that line up with Chinese text: comfy-table measures display width, so 林秀英 takes
//! six columns, not three.

use super::clean;
use comfy_table::{ColumnConstraint, ContentArrangement, Table, Width, presets};

/// A table with the given header. It wraps to `COLUMNS` when that is set (a shell that exports
/// it, or a test), else to the terminal's width when stdout is one; piped without `COLUMNS`,
/// every cell stays on one line so that the output is stable. comfy-table breaks a cell at
/// spaces (Latin words stay whole) and a run without spaces (Chinese) between characters, by
/// display width. `tty` is kept for callers; the width decides.
pub fn new(header: &[&str], tty: bool) -> Table {
    let _ = tty;
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(width) = columns() {
        t.set_width(width);
    }
    t.set_header(header.iter().map(|h| h.to_string()));
    t
}

/// `t` ready to print on a screen of known width. Each column gets at least its longest Latin
/// word or number (`2026-05-13`, `implementing`; Chinese may break between any two characters),
/// then the narrow columns get their whole width, and what is left goes to the widest (a title,
/// a note): comfy-table then breaks Latin text at spaces only. When even the words do not fit,
/// comfy-table shares the width out as it can.
pub fn settle(t: &mut Table) {
    let Some(width) = t.width() else {
        return;
    };
    let natural: Vec<u16> = t
        .column_max_content_widths()
        .into_iter()
        .map(|w| w + 2)
        .collect();
    let mut alloc = vec![3u16; natural.len()];
    let rows = t.header().into_iter().chain(t.row_iter());
    for row in rows {
        for (i, cell) in row.cell_iter().enumerate() {
            if let Some(a) = alloc.get_mut(i) {
                *a = (*a).max(longest_latin_word(&cell.content()) + 2);
            }
        }
    }
    // Padding is counted in the widths above; a border before each column and one at the end.
    let available = width.saturating_sub(natural.len() as u16 + 1);
    let used: u16 = alloc.iter().sum();
    if used > available || natural.iter().sum::<u16>() <= available {
        return;
    }
    let mut extra = available - used;
    let mut order: Vec<usize> = (0..natural.len()).collect();
    order.sort_by_key(|&i| natural[i].saturating_sub(alloc[i]));
    for i in order {
        let more = natural[i].saturating_sub(alloc[i]).min(extra);
        alloc[i] += more;
        extra -= more;
    }
    for (i, w) in alloc.into_iter().enumerate() {
        if let Some(c) = t.column_mut(i) {
            c.set_constraint(ColumnConstraint::Absolute(Width::Fixed(w)));
        }
    }
}

/// The display width of the longest run of Latin letters, digits and ASCII punctuation.
fn longest_latin_word(text: &str) -> u16 {
    text.split(|c: char| c.is_whitespace() || !c.is_ascii())
        .map(|w| u16::try_from(w.len()).unwrap_or(u16::MAX))
        .max()
        .unwrap_or(0)
        .min(24)
}

/// The width to fit text to: `COLUMNS`, else the terminal's when stdout is one (as comfy-table
/// measures it), else none (a pipe: lines stay whole).
pub fn screen_width() -> Option<u16> {
    columns().or_else(|| Table::new().width())
}

/// `COLUMNS`, when it is a usable width.
pub fn columns() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|w| *w >= 20)
}

/// Add a row, cleaning every cell of terminal control characters.
pub fn row(t: &mut Table, cells: Vec<String>) {
    t.add_row(cells.into_iter().map(|c| clean(&c)));
}

/// The table as tab-separated lines, header first. A tab or line break inside a cell would
/// split it, so it becomes a space.
pub fn tsv(t: &Table) -> String {
    let line = |cells: Vec<String>| {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| defuse(&c.replace(['\t', '\n', '\r'], " ")))
            .collect();
        format!("{}\n", cells.join("\t"))
    };
    let mut out = String::new();
    if let Some(h) = t.header() {
        out.push_str(&line(h.cell_iter().map(|c| c.content()).collect()));
    }
    for row in t.row_iter() {
        out.push_str(&line(row.cell_iter().map(|c| c.content()).collect()));
    }
    out
}

/// A cell that a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+`, `-`, `@`) gets a
/// leading apostrophe, as the CSV export does: a listing piped to a .tsv and opened in Excel
/// shows the text. A number (`-3`) or a lone `-` (an empty value) is left as it is.
fn defuse(cell: &str) -> String {
    let risky = cell.starts_with(['=', '+', '-', '@']) && cell.chars().count() > 1;
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn tsv_guards_formulas_but_not_numbers() {
        let mut t = super::new(&["编号", "议题"], false);
        super::row(&mut t, vec!["-3".into(), "=HYPERLINK(\"http://x\")".into()]);
        super::row(&mut t, vec!["-".into(), "@SUM(A1)".into()]);
        assert_eq!(
            super::tsv(&t),
            "编号\t议题\n-3\t'=HYPERLINK(\"http://x\")\n-\t'@SUM(A1)\n"
        );
    }

    #[test]
    fn tsv_keeps_cells_on_one_line() {
        let mut t = super::new(&["编号", "议题"], false);
        super::row(&mut t, vec!["#1".into(), "加装\t电梯\n二期".into()]);
        assert_eq!(super::tsv(&t), "编号\t议题\n#1\t加装 电梯 二期\n");
    }
}
