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
