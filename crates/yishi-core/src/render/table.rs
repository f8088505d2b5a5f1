//! Tables that line up with Chinese text: comfy-table measures display width, so 林秀英 takes
//! six columns, not three.

use super::clean;
use comfy_table::{ContentArrangement, Table, presets};

/// A table with the given header. On a terminal it wraps to the screen's width; piped, it
/// keeps every cell on one line so that the output is stable.
pub fn new(header: &[&str], tty: bool) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(if tty {
        ContentArrangement::Dynamic
    } else {
        ContentArrangement::Disabled
    });
    t.set_header(header.iter().map(|h| h.to_string()));
    t
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
