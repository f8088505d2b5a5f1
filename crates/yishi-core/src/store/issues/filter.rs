//! Listings: a filter as SQL (with the text index where it is narrower), counting, streaming
//! and paging the matches, and the split read over two connections.

use super::super::search_index;
use super::*;
use crate::error::{Error, Result};
use rusqlite::Connection;

/// Newest first: by the day, then the latest added (the day's index and the status's lead
/// with the day).
const BY_DAY: &str = "raised_on DESC, id DESC";

/// The same order led by the month, which the category and channel indexes are ordered by.
const BY_MONTH: &str = "substr(raised_on, 1, 7) DESC, raised_on DESC, id DESC";

/// A filter as SQL: its conditions and their values.
struct Conditions {
    list: Vec<String>,
    values: Vec<String>,
    /// Where the channel condition is in `list`, and the marks of its words.
    channel: Option<(usize, Vec<String>)>,
}

fn where_clause(conditions: &[String]) -> String {
    if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    }
}

impl Conditions {
    /// The ids of one page of the listing of `f`, chosen before any of its rows is read: the
    /// category, channel and resident indexes carry the day, so SQLite sorts their entries
    /// (a month of them, or one resident's) without looking a row up. With several channels,
    /// each channel's newest `offset + limit` are chosen on its own (an index read for
    /// several channels at once is no longer in one order) and the page taken from them; the
    /// words are distinct (`Filter::conditions`), so no issue is chosen twice.
    fn page_ids(&self, f: &Filter, limit: u64, offset: u64) -> String {
        let (limit, offset) = (clamp(limit), clamp(offset));
        let order = f.newest_first();
        match &self.channel {
            Some((at, marks)) if marks.len() > 1 && f.by_month() => {
                let keep = limit.saturating_add(offset);
                let branches: Vec<String> = marks
                    .iter()
                    .map(|mark| {
                        let mut list = self.list.clone();
                        list[*at] = format!("channel = {mark}");
                        format!(
                            "SELECT id, raised_on FROM (SELECT id, raised_on FROM issues {} ORDER BY {order} LIMIT {keep})",
                            where_clause(&list)
                        )
                    })
                    .collect();
                format!(
                    "SELECT id FROM ({}) ORDER BY {BY_DAY} LIMIT {limit} OFFSET {offset}",
                    branches.join(" UNION ALL ")
                )
            }
            _ => format!(
                "SELECT id FROM issues {} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
                where_clause(&self.list)
            ),
        }
    }
}

/// A count of rows as SQLite's LIMIT takes it.
fn clamp(n: u64) -> i64 {
    n.min(i64::MAX as u64) as i64
}

impl Filter {
    /// Whether a page of this filter's listing is chosen from an index alone (see
    /// `Conditions::page_ids`): by category, channel or resident, with no status.
    fn page_from_index(&self) -> bool {
        self.by_month() || (self.status.is_none() && self.submitted_by.is_some())
    }

    /// Text search with no filter that an index serves.
    pub fn only_text_search(&self) -> bool {
        self.search.is_some()
            && self.status.is_none()
            && self.category.is_none()
            && self.submitted_by.is_none()
            && self.channels.is_none()
            && self.since.is_none()
            && self.until.is_none()
    }

    /// The WHERE clause and its values. Text search reads the text index when it is there
    /// (`search_index`) and it is the narrower way in, and every title and detail otherwise.
    fn sql(&self, conn: &Connection) -> Result<(String, Vec<String>)> {
        self.sql_reading_text(conn, false)
    }

    /// `sql`, where `scan` reads every title and detail of the rows the other conditions
    /// leave instead of asking the text index.
    fn sql_reading_text(&self, conn: &Connection, scan: bool) -> Result<(String, Vec<String>)> {
        let Conditions { list, values, .. } = self.conditions(conn, scan)?;
        Ok((where_clause(&list), values))
    }

    /// Whether a listing of this filter is read from the category or channel index, which
    /// are ordered by month (schema v21): with no status (whose index is ordered by the day).
    fn by_month(&self) -> bool {
        self.status.is_none() && (self.category.is_some() || self.channels.is_some())
    }

    /// The SQL order of a listing of this filter, newest first: by the day, then the latest
    /// added. Read from a month-ordered index, the month leads (the same order: a date's
    /// month sorts as the date does), so that SQLite sorts one month at a time and stops
    /// when the page is full, instead of sorting every match.
    fn newest_first(&self) -> &'static str {
        if self.by_month() { BY_MONTH } else { BY_DAY }
    }

    /// The conditions and their values (see `sql_reading_text`).
    fn conditions(&self, conn: &Connection, scan: bool) -> Result<Conditions> {
        let mut conditions = Vec::new();
        let mut values: Vec<String> = Vec::new();
        if let Some(status) = self.status {
            values.push(status.key().to_string());
            conditions.push(format!("status = ?{}", values.len()));
        }
        let category = match self.category.as_deref() {
            Some(crate::domain::issue::UNCATEGORIZED) => {
                conditions.push("category IS NULL".into());
                &None
            }
            _ => &self.category,
        };
        for (condition, value) in [
            ("category = ?", category),
            ("raised_on >= ?", &self.since),
            ("raised_on <= ?", &self.until),
            ("submitted_by = ?", &self.submitted_by),
        ] {
            if let Some(v) = value {
                values.push(v.clone());
                conditions.push(condition.replace('?', &format!("?{}", values.len())));
            }
        }
        // The month of a date range, which the month-ordered indexes can seek (implied by
        // the range itself: a later date never has an earlier month).
        if self.by_month() {
            for (condition, value) in [
                ("substr(raised_on, 1, 7) >= substr(?, 1, 7)", &self.since),
                ("substr(raised_on, 1, 7) <= substr(?, 1, 7)", &self.until),
            ] {
                if let Some(v) = value {
                    values.push(v.clone());
                    conditions.push(condition.replace('?', &format!("?{}", values.len())));
                }
            }
        }
        let mut channel = None;
        if let Some(words) = &self.channels {
            let mut marks = Vec::new();
            // Each word once: a group's words can repeat (a configured word that is also a
            // built-in alias), and a page chosen a channel at a time would count it twice.
            for (i, w) in words.iter().enumerate() {
                if words[..i].contains(w) {
                    continue;
                }
                values.push(w.clone());
                marks.push(format!("?{}", values.len()));
            }
            channel = Some((conditions.len(), marks.clone()));
            conditions.push(format!("channel IN ({})", marks.join(", ")));
        }
        if let Some(text) = &self.search {
            let indexed = match search_index::condition(conn, text, values.len() + 1)? {
                Some(found)
                    if !scan && self.index_is_narrower(conn, text, &conditions, &values)? =>
                {
                    Some(found)
                }
                _ => None,
            };
            match indexed {
                Some((condition, query)) => {
                    values.push(query);
                    conditions.push(condition);
                }
                None => {
                    values.push(text.clone());
                    let n = values.len();
                    conditions.push(format!(
                        "(instr(title, ?{n}) > 0 OR instr(coalesce(detail, ''), ?{n}) > 0)"
                    ));
                }
            }
        }
        Ok(Conditions {
            list: conditions,
            values,
            channel,
        })
    }

    /// Whether the text index finds so many issues (a third of them or more) that reading
    /// the listing in its order, each row read for its text, costs less than looking every
    /// match up: a text in most issues took 8.5 s from the index, against 1.5 s for the whole
    /// listing. False when the index cannot serve the search.
    fn text_in_many(&self, conn: &Connection) -> Result<bool> {
        let Some(text) = &self.search else {
            return Ok(false);
        };
        let issues: i64 =
            conn.query_row("SELECT coalesce(max(id), 0) FROM issues", [], |r| r.get(0))?;
        let many = (issues as u64 / 3).max(1);
        Ok(search_index::count_up_to(conn, text, many)? == Some(many))
    }

    /// With a status, category, channel or resident as well, whether the text index finds
    /// fewer issues than those columns' indexes: the index's matches are all read before the
    /// other conditions apply (a common text read a million of them: 2 s), while the other
    /// indexes' rows are each read for their text (ten thousand: 10 ms). Both are counted up
    /// to a bound, so the choice costs a few milliseconds; when both reach it, the text index
    /// is asked, and lists its matches only when they are few (`search_index::condition`).
    fn index_is_narrower(
        &self,
        conn: &Connection,
        text: &str,
        conditions: &[String],
        values: &[String],
    ) -> Result<bool> {
        const BOUND: u64 = 100_000;
        let by_column = self.status.is_some()
            || self.category.is_some()
            || self.channels.is_some()
            || self.submitted_by.is_some();
        if !by_column {
            return Ok(true);
        }
        // One character is the union of the sets of every pair it begins, and such a text
        // matches most issues anyway.
        if text.chars().nth(1).is_none() {
            return Ok(false);
        }
        let Some(text_matches) = search_index::count_up_to(conn, text, BOUND)? else {
            return Ok(false);
        };
        let column_matches: i64 = conn.query_row(
            &format!(
                "SELECT count(*) FROM (SELECT 1 FROM issues WHERE {} LIMIT {BOUND})",
                conditions.join(" AND ")
            ),
            rusqlite::params_from_iter(values),
            |r| r.get(0),
        )?;
        Ok(text_matches < column_matches as u64 || column_matches as u64 >= BOUND)
    }
}

/// How many issues match the filter (for a listing's footer).
pub fn count(conn: &Connection, f: &Filter) -> Result<u64> {
    if let (true, Some(text)) = (f.only_text_search(), &f.search)
        && let Some(total) = search_index::count(conn, text)?
    {
        return Ok(total);
    }
    let (clause, values) = f.sql(conn)?;
    let n: i64 = conn
        .query_row(
            &format!("SELECT count(*) FROM issues {clause}"),
            rusqlite::params_from_iter(values),
            |r| r.get(0),
        )
        .map_err(|e| on_clause(&clause, e))?;
    Ok(n as u64)
}

/// Issues matching the filter, newest first (by the day raised, then the latest added); the
/// closure sees each in turn, as SQLite reads it, so a million issues stream in constant memory.
/// The order is served by an index on the day (and on each filtered column with the day).
pub fn each(
    conn: &Connection,
    f: &Filter,
    page: Page,
    mut visit: impl FnMut(Issue) -> Result<()>,
) -> Result<()> {
    if let (true, false, Some(text)) = (f.only_text_search(), page.recorded_order, &f.search) {
        // The index yields the matches newest first; each is looked up by id.
        let served = search_index::newest(conn, text, page.limit, page.offset, |id| {
            get(conn, id)?.map_or(Ok(()), &mut visit)
        })?;
        if served {
            return Ok(());
        }
    }
    let conditions = f.conditions(conn, false)?;
    let clause = where_clause(&conditions.list);
    let sql = match page.limit {
        Some(limit) if !page.recorded_order && f.page_from_index() => format!(
            "SELECT {COLUMNS} FROM issues WHERE id IN ({}) ORDER BY {BY_DAY}",
            conditions.page_ids(f, limit, page.offset)
        ),
        _ => format!(
            "SELECT {COLUMNS} FROM issues {clause} ORDER BY {} LIMIT {} OFFSET {}",
            if page.recorded_order {
                "id"
            } else if f.only_text_search() {
                // Read the table in its own order and keep the newest matches: walking the
                // day's index looks every row up at random and is ten times slower when the
                // text is rare (2.1 s against 0.2 s on a million issues); when it is common
                // both are quick.
                "+raised_on DESC, id DESC"
            } else {
                f.newest_first()
            },
            page.limit.map_or(-1, clamp),
            clamp(page.offset),
        ),
    };
    let values = conditions.values;
    let mut stmt = conn.prepare(&sql)?;
    let columns = IssueColumns::of(&stmt)?;
    let mut rows = stmt
        .query(rusqlite::params_from_iter(values))
        .map_err(|e| on_clause(&clause, e))?;
    while let Some(r) = rows.next().map_err(|e| on_clause(&clause, e))? {
        visit(columns.read(r)?)?;
    }
    Ok(())
}

/// The error of a listing's query: when its clause reads the text index (built by
/// [`Filter::sql`]), a failure of that statement is the index's (see `search_index::damaged`).
pub(super) fn on_clause(clause: &str, e: rusqlite::Error) -> Error {
    if clause.contains(search_index::TABLE) {
        search_index::damaged(e)
    } else {
        e.into()
    }
}

/// One page of a text search with no other filter, and how many issues match in all, from the
/// text index (`search_index`). Without it (a large import left it to the next command that
/// can write), every title and detail is read once: in two halves by id, this connection and
/// `twin` (a second connection on the same snapshot, see `store::twin`) each counting its
/// matches and keeping the newest ones the page needs; the page's rows are then looked up by
/// id. `twin` opens the second connection only when it is needed.
pub fn search_page(
    conn: &Connection,
    twin: impl FnOnce() -> Option<Connection>,
    f: &Filter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<Issue>, u64)> {
    if let Some(text) = &f.search
        && let Some(search) = search_index::Search::new(conn, text)?
    {
        let mut page = Vec::new();
        search.newest(conn, Some(limit), offset, |id| {
            page.extend(get(conn, id)?);
            Ok(())
        })?;
        return Ok((page, search.count(conn)?));
    }
    let twin = twin();
    let (clause, values) = f.sql(conn)?;
    let keep = usize::try_from(offset.saturating_add(limit)).unwrap_or(usize::MAX);
    let max_id: i64 =
        conn.query_row("SELECT coalesce(max(id), 0) FROM issues", [], |r| r.get(0))?;
    let halves: Vec<(i64, i64)> = if twin.is_some() {
        vec![(i64::MIN, max_id / 2), (max_id / 2 + 1, i64::MAX)]
    } else {
        vec![(i64::MIN, i64::MAX)]
    };
    let sql = format!(
        "SELECT raised_on, id FROM issues {clause} AND id BETWEEN ?{} AND ?{}",
        values.len() + 1,
        values.len() + 2
    );
    // The newest `keep` matches of one half (smallest first in the heap) and its count.
    let scan = |c: &Connection, &(lo, hi): &(i64, i64)| -> Result<(Vec<(String, i64)>, u64)> {
        use std::cmp::Reverse;
        let mut newest = std::collections::BinaryHeap::new();
        let mut count = 0u64;
        let mut stmt = c.prepare(&sql)?;
        let mut params: Vec<rusqlite::types::Value> =
            values.iter().map(|v| v.to_string().into()).collect();
        params.extend([lo.into(), hi.into()]);
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        while let Some(r) = rows.next()? {
            count += 1;
            let key: (String, i64) = (r.get(0)?, r.get(1)?);
            if newest.len() < keep {
                newest.push(Reverse(key));
            } else if newest.peek().is_some_and(|Reverse(oldest)| key > *oldest) {
                newest.pop();
                newest.push(Reverse(key));
            }
        }
        Ok((newest.into_iter().map(|Reverse(k)| k).collect(), count))
    };
    let ((), found) = crate::store::twin::share(conn, twin, &halves, |_| Ok(()), scan)?;
    let mut total = 0;
    let mut keys = Vec::new();
    for (half, count) in found {
        total += count;
        keys.extend(half);
    }
    keys.sort_unstable_by(|a, b| b.cmp(a));
    let mut page = Vec::new();
    for (_, id) in keys.into_iter().skip(offset as usize).take(limit as usize) {
        page.extend(get(conn, id)?);
    }
    Ok((page, total))
}

/// A whole listing (every match, newest first) read on two threads: this connection reads
/// the issues with even ids, `twin` (a second connection on the same snapshot, see
/// `store::twin`) those with odd ids, each walking the day's index and looking up only its
/// half of the rows; each side turns its issues into text with `format`, and `emit` receives
/// the texts merged back into the listing's order. Looking rows up at random is most of the
/// time of a full listing; shared this way, two cores do it at once. A text search is read
/// so only when the text is in many issues (each row is then read for its text); otherwise,
/// and without a twin, it is `each` on this connection.
pub fn each_split(
    conn: &Connection,
    twin: Option<Connection>,
    f: &Filter,
    format: impl Fn(&Issue) -> Result<String> + Sync,
    mut emit: impl FnMut(&str) -> Result<()>,
) -> Result<()> {
    let split = twin.is_some() && (f.search.is_none() || f.text_in_many(conn)?);
    let Some(twin) = twin.filter(|_| split) else {
        return each(conn, f, Page::default(), |i| emit(&format(&i)?));
    };
    let (clause, values) = f.sql_reading_text(conn, true)?;
    let half = |parity: i64| {
        format!(
            "SELECT {COLUMNS} FROM issues {} id % 2 = {parity} ORDER BY {}",
            if clause.is_empty() {
                "WHERE".to_string()
            } else {
                format!("{clause} AND")
            },
            f.newest_first()
        )
    };
    let (send, receive) = std::sync::mpsc::sync_channel::<Result<Vec<Formatted>>>(4);
    let format = &format;
    std::thread::scope(|s| -> Result<()> {
        let odd_sql = half(1);
        let odd_values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        s.spawn(move || {
            if let Err(e) = read_half(&twin, &odd_sql, &odd_values, format, &send) {
                let _ = send.send(Err(e));
            }
            let _ = twin.execute_batch("COMMIT");
        });
        // The receiver is dropped before the scope ends, so that a worker blocked on a full
        // channel stops when this side stops early (an error, a closed pipe).
        let mut odd = receive.into_iter().flat_map(|batch| match batch {
            Ok(b) => b.into_iter().map(Ok).collect::<Vec<_>>(),
            Err(e) => vec![Err(e)],
        });
        let merged = merge_halves(conn, &half(0), &values, format, &mut odd, &mut emit);
        drop(odd);
        merged
    })
}

/// An issue's place in the listing (compared in reverse: newest first) and its text.
type Formatted = ((String, i64), String);

/// Issues the twin's side sends at a time.
const BATCH: usize = 512;

/// The twin's half of a split listing: read with `sql`, each issue formatted, sent in
/// batches; stops quietly when the other side stopped (an error on its side).
fn read_half(
    twin: &Connection,
    sql: &str,
    values: &[String],
    format: &(impl Fn(&Issue) -> Result<String> + Sync),
    send: &std::sync::mpsc::SyncSender<Result<Vec<Formatted>>>,
) -> Result<()> {
    let mut stmt = twin.prepare(sql)?;
    let columns = IssueColumns::of(&stmt)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(r) = rows.next()? {
        let issue = columns.read(r)?;
        let text = format(&issue)?;
        batch.push(((issue.raised_on, issue.id), text));
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if send.send(Ok(full)).is_err() {
                return Ok(());
            }
        }
    }
    let _ = send.send(Ok(batch));
    Ok(())
}

/// This connection's half (read with `sql`) merged with the twin's (`odd`) into the
/// listing's order, each text given to `emit`.
fn merge_halves(
    conn: &Connection,
    sql: &str,
    values: &[String],
    format: &impl Fn(&Issue) -> Result<String>,
    odd: &mut impl Iterator<Item = Result<Formatted>>,
    emit: &mut impl FnMut(&str) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(sql)?;
    let columns = IssueColumns::of(&stmt)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
    let mut next_even = || -> Result<Option<Formatted>> {
        Ok(match rows.next()? {
            Some(r) => {
                let issue = columns.read(r)?;
                let text = format(&issue)?;
                Some(((issue.raised_on, issue.id), text))
            }
            None => None,
        })
    };
    let mut even = next_even()?;
    let mut other = odd.next().transpose()?;
    loop {
        let take_even = match (&even, &other) {
            (Some((a, _)), Some((b, _))) => a > b,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => return Ok(()),
        };
        let taken = if take_even {
            std::mem::replace(&mut even, next_even()?)
        } else {
            std::mem::replace(&mut other, odd.next().transpose()?)
        };
        if let Some((_, text)) = taken {
            emit(&text)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::issue::Status;

    /// An issue as the test's own listing sees it: id, day, category, channel, resident,
    /// accepted.
    struct Stored {
        id: i64,
        day: String,
        category: Option<String>,
        channel: String,
        by: String,
        accepted: bool,
    }

    /// Issues spread over fourteen months, many on the same day, in six categories (one of
    /// them none) and four channels, raised by five residents, some accepted; numbered out
    /// of date order, as imports of older surveys number them.
    fn council() -> (Connection, Vec<Stored>) {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::store::schema::migrate(&mut conn).unwrap();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        let categories = [
            None,
            Some("parking"),
            Some("elderly"),
            Some("children"),
            Some("safety"),
            Some("property"),
        ];
        let channels = ["线上", "线下", "微信群", "访谈"];
        let mut issues = Vec::new();
        for id in 1..=700i64 {
            let day = format!(
                "{}-{:02}-{:02}",
                2025 + next(2),
                1 + next(12),
                1 + next(3) * 9
            );
            let category = categories[next(6) as usize].map(str::to_string);
            let channel = channels[next(4) as usize].to_string();
            let by = format!("居民{}", next(5));
            let accepted = next(4) == 0;
            conn.execute(
                "INSERT INTO issues (id, title, channel, category, raised_on, status, submitted_by, created_at) \
                 VALUES (?1, '议题', ?2, ?3, ?4, ?5, ?6, '2026-12-08T00:00:00Z')",
                rusqlite::params![id, channel, category, day, if accepted { "accepted" } else { "collected" }, by],
            )
            .unwrap();
            issues.push(Stored {
                id,
                day,
                category,
                channel,
                by,
                accepted,
            });
        }
        (conn, issues)
    }

    /// Every listing by category, channel (one or several), resident and date range, with
    /// and without a status, page by page, is the issues that match newest first by the day
    /// and then the latest added, as a plain sort of all of them gives.
    #[test]
    fn pages_read_from_the_month_ordered_indexes_are_the_newest_first() {
        let (conn, issues) = council();
        let words = |w: &[&str]| Some(w.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let some = |s: &str| Some(s.to_string());
        let filters = [
            Filter {
                category: some("parking"),
                ..Filter::default()
            },
            Filter {
                category: some(crate::domain::issue::UNCATEGORIZED),
                ..Filter::default()
            },
            Filter {
                channels: words(&["线上"]),
                ..Filter::default()
            },
            Filter {
                channels: words(&["线上", "微信群", "问卷星", "线上"]),
                ..Filter::default()
            },
            Filter {
                category: some("elderly"),
                channels: words(&["线下", "访谈"]),
                ..Filter::default()
            },
            Filter {
                submitted_by: some("居民3"),
                ..Filter::default()
            },
            Filter {
                submitted_by: some("居民3"),
                category: some("safety"),
                ..Filter::default()
            },
            Filter {
                category: some("parking"),
                since: some("2025-03-10"),
                until: some("2026-02-01"),
                ..Filter::default()
            },
            Filter {
                channels: words(&["线上", "访谈"]),
                since: some("2025-12-19"),
                ..Filter::default()
            },
            Filter {
                channels: words(&["线下"]),
                until: some("2025-06-01"),
                ..Filter::default()
            },
            Filter {
                status: Some(Status::Accepted),
                category: some("parking"),
                ..Filter::default()
            },
            Filter {
                status: Some(Status::Collected),
                channels: words(&["线上", "线下"]),
                ..Filter::default()
            },
        ];
        for f in &filters {
            let mut want: Vec<&Stored> = issues
                .iter()
                .filter(
                    |Stored {
                         day,
                         category,
                         channel,
                         by,
                         accepted,
                         ..
                     }| {
                        f.category.as_ref().is_none_or(|c| match c.as_str() {
                            crate::domain::issue::UNCATEGORIZED => category.is_none(),
                            c => category.as_deref() == Some(c),
                        }) && f.channels.as_ref().is_none_or(|w| w.contains(channel))
                            && f.submitted_by.as_ref().is_none_or(|b| b == by)
                            && f.since.as_ref().is_none_or(|s| day >= s)
                            && f.until.as_ref().is_none_or(|u| day <= u)
                            && f.status
                                .is_none_or(|s| (s == Status::Accepted) == *accepted)
                    },
                )
                .collect();
            want.sort_by(|a, b| (&b.day, b.id).cmp(&(&a.day, a.id)));
            let want: Vec<i64> = want.iter().map(|i| i.id).collect();
            assert!(want.len() > 20, "{f:?}: {}", want.len());
            assert_eq!(count(&conn, f).unwrap(), want.len() as u64, "{f:?}");
            let mut all = Vec::new();
            each(&conn, f, Page::default(), |i| {
                all.push(i.id);
                Ok(())
            })
            .unwrap();
            assert_eq!(all, want, "{f:?}");
            for (limit, offset) in [
                (7, 0),
                (7, 7),
                (7, 14),
                (50, 0),
                (13, 20),
                (1, 0),
                (5, want.len() as u64 - 3),
                (9, want.len() as u64 + 1),
                (0, 0),
                (u64::MAX, 2),
            ] {
                let mut page = Vec::new();
                let p = Page {
                    limit: Some(limit),
                    offset,
                    recorded_order: false,
                };
                each(&conn, f, p, |i| {
                    page.push(i.id);
                    Ok(())
                })
                .unwrap();
                let expected: Vec<i64> = want
                    .iter()
                    .copied()
                    .skip(offset as usize)
                    .take(limit.min(usize::MAX as u64) as usize)
                    .collect();
                assert_eq!(page, expected, "{f:?} limit {limit} offset {offset}");
            }
        }
    }

    /// A page by category, channel or resident is chosen from the index alone and sorted a
    /// month (or a resident) at a time: if the index or the query drifted apart (another
    /// expression for the month, the day no longer carried), SQLite would look every row of
    /// the category up, or sort all of them, which on a million issues is ten times slower.
    #[test]
    fn a_page_by_category_channel_or_resident_is_chosen_from_the_index_alone() {
        let (conn, _) = council();
        let plan = |f: &Filter| {
            let c = f.conditions(&conn, false).unwrap();
            let sql = format!("EXPLAIN QUERY PLAN {}", c.page_ids(f, 50, 0));
            crate::store::query_all(&conn, &sql, rusqlite::params_from_iter(&c.values), |r| {
                r.get::<_, String>(3)
            })
            .unwrap()
            .join(" | ")
        };
        let some = |s: &str| Some(s.to_string());
        let by_category = plan(&Filter {
            category: some("parking"),
            since: some("2025-03-10"),
            ..Filter::default()
        });
        assert!(
            by_category.contains("COVERING INDEX issues_by_category (category=? AND <expr>>?)"),
            "{by_category}"
        );
        assert!(
            by_category.contains("TEMP B-TREE FOR LAST 2 TERMS OF ORDER BY"),
            "{by_category}"
        );
        let by_channels = plan(&Filter {
            channels: Some(vec!["线上".into(), "线下".into()]),
            ..Filter::default()
        });
        assert_eq!(
            by_channels
                .matches("COVERING INDEX issues_by_channel (channel=?)")
                .count(),
            2,
            "{by_channels}"
        );
        assert_eq!(
            by_channels
                .matches("TEMP B-TREE FOR LAST 2 TERMS OF ORDER BY")
                .count(),
            2,
            "{by_channels}"
        );
        let by_resident = plan(&Filter {
            submitted_by: some("居民3"),
            ..Filter::default()
        });
        assert!(
            by_resident.contains("COVERING INDEX issues_by_submitter (submitted_by=?)"),
            "{by_resident}"
        );
    }
}
