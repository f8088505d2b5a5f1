//! Listings are pages by default: `--limit N`, `--page N` and `--all`, shared by every list
//! command, and the footer that says how much there is.

use yishi_core::i18n::Text;
use yishi_core::render::count;
use yishi_core::text;

/// Rows per page when no --limit is given.
pub const PAGE_ROWS: u64 = 50;

#[derive(clap::Args, Debug, Clone, Copy, Default)]
pub struct PageArgs {
    /// Rows per page [default: 50].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub limit: Option<u64>,
    /// Which page, 1 being the first [default: 1].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub page: Option<u64>,
    /// Every row (what --json prints unless --limit or --page is given).
    #[arg(long, conflicts_with_all = ["limit", "page"])]
    pub all: bool,
}

/// The rows of one page: `limit` None is every row.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Window {
    pub limit: Option<u64>,
    pub offset: u64,
}

impl PageArgs {
    /// A table shows one page unless --all; output for programs (`--json`) shows every row
    /// unless a page is asked for.
    pub fn window(&self, for_programs: bool) -> Window {
        let paged = !self.all && (!for_programs || self.limit.is_some() || self.page.is_some());
        if !paged {
            return Window::default();
        }
        let size = self.limit.unwrap_or(PAGE_ROWS);
        Window {
            limit: Some(size),
            offset: size.saturating_mul(self.page.unwrap_or(1) - 1),
        }
    }
}

impl Window {
    /// SQL's LIMIT (-1: no limit) and OFFSET.
    pub fn sql(&self) -> (i64, i64) {
        (
            self.limit.map_or(-1, |l| l.min(i64::MAX as u64) as i64),
            self.offset.min(i64::MAX as u64) as i64,
        )
    }

    /// Whether the page may hide rows, so that the footer needs the total.
    pub fn needs_total(&self, shown: u64) -> bool {
        self.limit.is_some() && (self.offset > 0 || Some(shown) == self.limit)
    }
}

/// What a listing lists, for its footer's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    Issues,
    Actions,
    Councils,
}

impl Listed {
    /// The words after a count (个议题 / issue(s)).
    fn counted(self) -> (&'static str, &'static str) {
        match self {
            Listed::Issues => ("个议题", "issue(s)"),
            Listed::Actions => ("项行动", "action(s)"),
            Listed::Councils => ("次议事会", "council(s)"),
        }
    }

    /// The words after "no" (议题 / issues).
    fn none(self) -> (&'static str, &'static str) {
        match self {
            Listed::Issues => ("议题", "issues"),
            Listed::Actions => ("行动", "actions"),
            Listed::Councils => ("议事会", "councils"),
        }
    }
}

/// The note under a page: "50 of 1,204 — --limit N, --page N, --all", or the count when the
/// page shows everything.
pub fn footer(window: Window, shown: u64, total: u64, listed: Listed) -> Text {
    if total <= shown && window.offset == 0 {
        let (zh, en) = listed.counted();
        return text!("paging.count", n = count(shown)).pair("what", zh, en);
    }
    if shown == 0 {
        let (zh, en) = listed.none();
        return text!("paging.empty_page", total = count(total)).pair("what", zh, en);
    }
    let first = window.offset + 1;
    let range = if first == 1 {
        count(shown)
    } else {
        format!("{}–{}", count(first), count(window.offset + shown))
    };
    text!("paging.window", range = range, total = count(total))
}

/// Print one page: its table (nothing when the page is empty) and, when it is a page of a
/// listing (not --all), the footer.
pub fn print(
    out: &yishi_core::render::Output,
    table: comfy_table::Table,
    window: Window,
    (shown, total): (u64, u64),
    listed: Listed,
) -> yishi_core::error::Result<()> {
    if shown > 0 {
        out.table(table)?;
    }
    if window.limit.is_some() {
        out.say(&footer(window, shown, total, listed));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use yishi_core::domain::locale::Locale;

    fn args(limit: Option<u64>, page: Option<u64>, all: bool) -> PageArgs {
        PageArgs { limit, page, all }
    }

    #[test]
    fn tables_are_paged_and_programs_get_everything_unless_they_ask() {
        let first = Window {
            limit: Some(50),
            offset: 0,
        };
        assert_eq!(args(None, None, false).window(false), first);
        assert_eq!(args(None, None, false).window(true), Window::default());
        assert_eq!(args(None, None, true).window(false), Window::default());
        assert_eq!(
            args(Some(10), Some(3), false).window(true),
            Window {
                limit: Some(10),
                offset: 20
            }
        );
        assert_eq!(Window::default().sql(), (-1, 0));
    }

    fn en(t: Text) -> String {
        t.render(Locale::En)
    }

    #[test]
    fn footers_say_what_is_shown_of_how_many() {
        let w = Window {
            limit: Some(50),
            offset: 0,
        };
        assert_eq!(en(footer(w, 3, 3, Listed::Actions)), "3 action(s)");
        assert_eq!(
            en(footer(w, 50, 1204, Listed::Actions)),
            "50 of 1,204 — --limit N, --page N, --all"
        );
        let third = Window {
            limit: Some(50),
            offset: 100,
        };
        assert_eq!(
            en(footer(third, 50, 1204, Listed::Actions)),
            "101–150 of 1,204 — --limit N, --page N, --all"
        );
        let far = Window {
            limit: Some(50),
            offset: 5000,
        };
        assert_eq!(
            en(footer(far, 0, 1204, Listed::Actions)),
            "no actions on this page: 1,204 match — --limit N, --page N, --all"
        );
        let zh = |t: Text| t.render(Locale::ZhCn);
        assert_eq!(zh(footer(w, 3, 3, Listed::Issues)), "共 3 个议题");
        assert_eq!(
            zh(footer(third, 50, 1204, Listed::Councils)),
            "第 101–150 个，共 1,204 个 — 翻页用 --limit N、--page N，全部用 --all"
        );
        assert_eq!(
            zh(footer(far, 0, 1204, Listed::Actions)),
            "本页没有行动：共 1,204 个符合条件 — 翻页用 --limit N、--page N，全部用 --all"
        );
    }
}
