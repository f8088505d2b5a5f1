//! The schema a yishi database must have: every table, index, trigger and view in
//! `sqlite_schema`, with its SQL, compared with what the migrations create for the file's
//! version. An extra trigger (one that turns `no` ballots into `yes`), an altered column type
//! or a dropped index is a finding, not something verify walks past.
//!
//! Objects are keyed by type *and* name: SQLite keeps triggers in a namespace of their own, so a
//! trigger may share its name with an index (issue 27: a trigger called `issues_by_status`
//! hid behind the index of that name). No name is skipped: of the `sqlite_stat*` tables only
//! SQLite's own `sqlite_stat1` and `sqlite_stat4`, exactly as `ANALYZE` creates them, are
//! allowed beyond the migrations' objects.

use super::audit::Problem;
use super::schema;
use crate::error::Result;
use rusqlite::Connection;
use rusqlite::types::ValueRef;
use std::collections::BTreeMap;

/// One schema object: (table it belongs to, SQL), keyed by (type, name). Names and SQL are
/// read as bytes, so that a name that is not UTF-8 is reported instead of panicking.
type Objects = BTreeMap<(String, String), (String, Option<String>)>;

/// The statistics tables `ANALYZE` may add (they only steer the query planner), as it creates
/// them; any other `sqlite_stat*` object is as foreign as any other name.
const PLANNER_STATS: &[(&str, &str)] = &[
    ("sqlite_stat1", "CREATE TABLE sqlite_stat1(tbl,idx,stat)"),
    (
        "sqlite_stat4",
        "CREATE TABLE sqlite_stat4(tbl,idx,neq,nlt,ndlt,sample)",
    ),
];

fn is_planner_stats(kind: &str, name: &str, table: &str, sql: Option<&str>) -> bool {
    kind == "table"
        && name == table
        && PLANNER_STATS
            .iter()
            .any(|(n, s)| *n == name && Some(*s) == sql)
}

fn text(v: ValueRef) -> Option<String> {
    match v {
        ValueRef::Text(t) => Some(String::from_utf8_lossy(t).into_owned()),
        // The same bytes as a blob are not the same schema: SQLite may still use the object,
        // but a dump (and so a rebuilt copy) leaves it out.
        ValueRef::Blob(t) => Some(format!(
            "{} (stored as bytes, not text)",
            String::from_utf8_lossy(t)
        )),
        ValueRef::Integer(i) => Some(i.to_string()),
        ValueRef::Real(f) => Some(f.to_string()),
        ValueRef::Null => None,
    }
}

fn objects(conn: &Connection) -> rusqlite::Result<Objects> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema")?;
    let mut rows = stmt.query([])?;
    let mut out = Objects::new();
    while let Some(r) = rows.next()? {
        let kind = text(r.get_ref(0)?).unwrap_or_default();
        let name = text(r.get_ref(1)?).unwrap_or_default();
        let table = text(r.get_ref(2)?).unwrap_or_default();
        let sql = text(r.get_ref(3)?);
        if is_planner_stats(&kind, &name, &table, sql.as_deref()) {
            continue;
        }
        out.insert((kind, name), (table, sql));
    }
    Ok(out)
}

/// The schema objects that the migrations create for `version`.
pub fn expected(version: i64) -> Result<Objects> {
    let mut conn = Connection::open_in_memory()?;
    schema::migrate_to(&mut conn, version)?;
    Ok(objects(&conn)?)
}

/// The tables a database of `version` must have, in name order, without the audit log's own,
/// the text index's and the packed keys' (derived from `issues`, not sealed).
pub fn expected_tables(version: i64) -> Result<Vec<String>> {
    Ok(expected(version)?
        .into_iter()
        .filter(|((kind, name), _)| {
            kind == "table"
                && !name.starts_with("sqlite_")
                && name != "events"
                && name != "seals"
                && !super::search_index::is_part(name)
                && name != super::issue_keys::TABLE
        })
        .map(|((_, name), _)| name)
        .collect())
}

fn shorten(sql: &str) -> String {
    let one_line = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 120 {
        one_line.chars().take(117).collect::<String>() + "..."
    } else {
        one_line
    }
}

fn problem(text: crate::i18n::Text, table: &str) -> Problem {
    Problem::at(None, table, None, text)
}

/// A schema object's kind worded for the reader.
fn kind_pair(text: crate::i18n::Text, kind: &str) -> crate::i18n::Text {
    let zh = match kind {
        "table" => "表",
        "index" => "索引",
        "trigger" => "触发器",
        "view" => "视图",
        _ => kind,
    };
    text.pair("kind", zh, kind)
}

/// Every difference between the file's schema and the one `version` must have.
pub fn check(conn: &Connection, version: i64) -> Result<Vec<Problem>> {
    let want = expected(version)?;
    let have = objects(conn)?;
    let mut problems = Vec::new();
    for ((kind, name), (table, sql)) in &have {
        let shown = crate::render::clean(name);
        match want.get(&(kind.clone(), name.clone())) {
            None => problems.push(problem(
                kind_pair(
                    crate::text!(
                        "verify.schema_added",
                        name = &shown,
                        table = crate::render::clean(table),
                        version = version,
                        sql = crate::render::clean(&shorten(sql.as_deref().unwrap_or("")))
                    ),
                    kind,
                ),
                table,
            )),
            Some((want_table, want_sql)) if want_sql != sql || want_table != table => problems
                .push(problem(
                    kind_pair(
                        crate::text!(
                            "verify.schema_changed",
                            name = &shown,
                            sql = crate::render::clean(&shorten(sql.as_deref().unwrap_or(""))),
                            version = version,
                            want = shorten(want_sql.as_deref().unwrap_or(""))
                        ),
                        kind,
                    ),
                    table,
                )),
            Some(_) => {}
        }
    }
    let text_index_present =
        have.contains_key(&("table".into(), super::search_index::TABLE.into()));
    for ((kind, name), (table, _)) in &want {
        // A large import builds the listing indexes of `issues` and the text index in its
        // index stage; one killed in that stage leaves them to the next command that opens
        // the database for writing (`Store::complete_issue_indexes`): pending, not damage.
        // The text index is pending when its table is missing; a piece of an older database's
        // FTS5 index missing is damage, mended by building it again.
        let text_index = super::search_index::is_part(name);
        let pending = (kind == "index"
            && super::schema::ISSUE_INDEXES
                .iter()
                .any(|(index, _)| index == name))
            || (text_index && !text_index_present);
        if !have.contains_key(&(kind.clone(), name.clone())) && !pending {
            let key = if text_index {
                "verify.schema_missing_text_index"
            } else if name == super::issue_keys::TABLE {
                "verify.schema_missing_issue_keys"
            } else {
                "verify.schema_missing"
            };
            problems.push(problem(
                kind_pair(crate::i18n::Text::new(key).arg("name", name), kind),
                table,
            ));
        }
    }
    Ok(problems)
}
