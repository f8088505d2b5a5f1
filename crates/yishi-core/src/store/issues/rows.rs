//! Issues as rows: the columns read and written, one issue inserted, read by id, its intake
//! record (where a survey row came from).

use super::super::Writer;
use super::super::search_index;
use super::*;
use crate::domain::audit::{Action, Entity};
use crate::error::{Error, Result};
use crate::import::survey::Intake;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde_json::json;

impl NewIssue {
    /// What makes two imported rows the same issue: every field, so that re-importing a file
    /// adds nothing while two residents raising the same title on different days both count.
    pub fn fingerprint(&self) -> i64 {
        fingerprint(&self.parts())
    }

    /// The fields in the order of [`IssueParts`].
    pub fn parts(&self) -> IssueParts<'_> {
        [
            Some(self.title.as_str()),
            self.detail.as_deref(),
            self.submitted_by.as_deref(),
            self.phone.as_deref(),
            self.address.as_deref(),
            Some(self.channel.as_str()),
            self.category.as_deref(),
            Some(self.raised_on.as_str()),
        ]
    }
}

pub use crate::domain::issue::IssueParts;

/// The fingerprint of [`NewIssue::fingerprint`], of borrowed fields.
pub fn fingerprint(parts: &IssueParts) -> i64 {
    // xxh3: stable across versions and platforms, and a collision among a million rows is
    // about one chance in 10^7; this only decides "already imported", never integrity.
    let mut h = xxhash_rust::xxh3::Xxh3Default::new();
    for part in parts {
        let p = part.unwrap_or("");
        h.update(&(p.len() as u32).to_le_bytes());
        h.update(p.as_bytes());
    }
    h.digest() as i64
}

pub(super) const COLUMNS: &str = "id, title, detail, submitted_by, phone, address, channel, category, raised_on, status, outcome, merged_into, created_at, objection_to";

/// The names of [`COLUMNS`], in its order.
const NAMES: [&str; 14] = [
    "id",
    "title",
    "detail",
    "submitted_by",
    "phone",
    "address",
    "channel",
    "category",
    "raised_on",
    "status",
    "outcome",
    "merged_into",
    "created_at",
    "objection_to",
];

/// An issue read from a row by its columns' names.
pub(super) fn from_row(r: &Row) -> rusqlite::Result<Issue> {
    IssueColumns::of(r.as_ref())?.read(r)
}

/// Where a statement has each column of an issue, found by name in one pass over its column
/// names (`store::column_indexes`): a listing reads a million issues, and rusqlite's
/// `get("title")` would scan the names for each of an issue's 14 values. A statement read
/// row by row can find them once.
#[derive(Debug, Clone, Copy)]
pub(super) struct IssueColumns {
    id: usize,
    title: usize,
    detail: usize,
    submitted_by: usize,
    phone: usize,
    address: usize,
    channel: usize,
    category: usize,
    raised_on: usize,
    status: usize,
    outcome: usize,
    merged_into: usize,
    created_at: usize,
    objection_to: usize,
}

impl IssueColumns {
    /// The columns of `stmt` named as [`NAMES`]; a missing one is an error naming it.
    pub(super) fn of(stmt: &rusqlite::Statement) -> rusqlite::Result<Self> {
        let [
            id,
            title,
            detail,
            submitted_by,
            phone,
            address,
            channel,
            category,
            raised_on,
            status,
            outcome,
            merged_into,
            created_at,
            objection_to,
        ] = super::super::column_indexes(stmt, NAMES)?;
        Ok(IssueColumns {
            id,
            title,
            detail,
            submitted_by,
            phone,
            address,
            channel,
            category,
            raised_on,
            status,
            outcome,
            merged_into,
            created_at,
            objection_to,
        })
    }

    /// The issue in row `r` of the statement these columns were found in.
    pub(super) fn read(&self, r: &Row) -> rusqlite::Result<Issue> {
        use super::super::codes::{decode, decode_opt};
        let id = r.get(self.id)?;
        Ok(Issue {
            id,
            title: r.get(self.title)?,
            detail: r.get(self.detail)?,
            submitted_by: r.get(self.submitted_by)?,
            phone: r.get(self.phone)?,
            address: r.get(self.address)?,
            channel: r.get(self.channel)?,
            category: r.get(self.category)?,
            raised_on: r.get(self.raised_on)?,
            status: decode(r, self.status, "issues", "status", id)?,
            outcome: decode_opt(r, self.outcome, "issues", "outcome", id)?,
            merged_into: r.get(self.merged_into)?,
            created_at: r.get(self.created_at)?,
            objection_to: r.get(self.objection_to)?,
        })
    }
}

pub(super) const INSERT: &str = "INSERT OR IGNORE INTO issues \
    (title, detail, submitted_by, phone, address, channel, category, raised_on, status, fingerprint, created_at) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'collected', ?9, ?10)";

/// Add one issue typed by the secretary; `objection_to` links an objection to a decision.
pub fn insert(
    w: &mut Writer,
    i: &NewIssue,
    stakeholders: &[String],
    objection_to: Option<i64>,
) -> Result<i64> {
    w.conn().execute(
        INSERT,
        params![
            i.title,
            i.detail,
            i.submitted_by,
            i.phone,
            i.address,
            i.channel,
            i.category,
            i.raised_on,
            Option::<i64>::None,
            w.now()
        ],
    )?;
    let id = w.conn().last_insert_rowid();
    search_index::add(w.conn(), id..=id)?;
    if objection_to.is_some() {
        w.conn().execute(
            "UPDATE issues SET objection_to = ?2 WHERE id = ?1",
            params![id, objection_to],
        )?;
    }
    let mut rows = vec![("issues", id)];
    for name in stakeholders {
        w.conn().execute(
            "INSERT OR IGNORE INTO issue_stakeholders (issue_id, name) VALUES (?1, ?2)",
            params![id, name],
        )?;
        rows.push(("issue_stakeholders", w.conn().last_insert_rowid()));
    }
    w.record(Entity::Issue,
        Some(id),
        Action::Add,
        json!({"title": i.title, "submitted_by": i.submitted_by.is_some(), "phone": i.phone, "address": i.address,
               "channel": i.channel, "category": i.category, "raised_on": i.raised_on, "stakeholders": stakeholders,
               "objection_to": objection_to}),
        &rows,
    )?;
    Ok(id)
}

pub(super) const INTAKE: &str = "issue_intake";

pub(super) const INSERT_INTAKE: &str = "INSERT INTO issue_intake \
    (id, platform, route, submitted_at, region, answer_id, category_suggested) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

/// An intake row's values in table order: what is written and sealed.
pub(super) fn intake_values(id: i64, i: &Intake, suggested: bool) -> [ValueRef<'_>; 7] {
    fn text(v: &Option<String>) -> ValueRef<'_> {
        v.as_deref().map_or(ValueRef::Null, text_value)
    }
    [
        ValueRef::Integer(id),
        text(&i.platform),
        text(&i.route),
        text(&i.submitted_at),
        text(&i.region),
        text(&i.answer_id),
        ValueRef::Integer(i64::from(suggested)),
    ]
}

/// How an issue came in (a survey's metadata) and whether its category is only suggested.
pub fn intake(conn: &Connection, id: i64) -> Result<Option<IssueIntake>> {
    Ok(conn
        .query_row(
            "SELECT platform, route, submitted_at, region, answer_id, category_suggested FROM issue_intake WHERE id = ?1",
            [id],
            |r| {
                Ok(IssueIntake {
                    survey: Intake {
                        platform: r.get("platform")?,
                        route: r.get("route")?,
                        submitted_at: r.get("submitted_at")?,
                        region: r.get("region")?,
                        answer_id: r.get("answer_id")?,
                    },
                    category_suggested: r.get("category_suggested")?,
                })
            },
        )
        .optional()?)
}

/// A suggested category becomes the issue's own (it was accepted, or its category edited):
/// the intake row to seal with the change, if it had a suggestion.
pub(super) fn confirm_category(w: &Writer, id: i64) -> Result<Option<(&'static str, i64)>> {
    let changed = w.conn().execute(
        "UPDATE issue_intake SET category_suggested = 0 WHERE id = ?1 AND category_suggested = 1",
        [id],
    )?;
    Ok((changed > 0).then_some((INTAKE, id)))
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Issue>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM issues WHERE id = ?1"),
            [id],
            from_row,
        )
        .optional()?)
}

/// The issue `#id`, or an error that says how to find one.
pub fn require(conn: &Connection, id: i64) -> Result<Issue> {
    get(conn, id)?.ok_or_else(|| Error::data_text(crate::text!("issue.no_such_id", id = id)))
}

/// 议题 ready for a council: accepted and pre-consulted, oldest first, in one query.
pub fn ready_for_agenda(conn: &Connection) -> Result<Vec<Issue>> {
    super::super::query_all(
        conn,
        &format!(
            "SELECT {COLUMNS} FROM issues WHERE status = 'accepted' \
         AND id IN (SELECT issue_id FROM consultations) ORDER BY raised_on, id"
        ),
        [],
        from_row,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_are_the_columns_selected() {
        assert_eq!(NAMES.join(", "), COLUMNS);
    }

    /// Columns are found by name: another order reads the same issue, a missing one is named.
    #[test]
    fn an_issue_is_read_by_its_columns_names() -> crate::error::Result<()> {
        let conn = Connection::open_in_memory()?;
        let values = [
            "7",
            "'title'",
            "NULL",
            "NULL",
            "NULL",
            "NULL",
            "'电话'",
            "NULL",
            "'2026-12-01'",
            "'collected'",
            "NULL",
            "NULL",
            "'2026-12-01T00:00:00Z'",
            "NULL",
        ];
        let named: Vec<String> = values
            .iter()
            .zip(NAMES)
            .map(|(v, n)| format!("{v} AS {n}"))
            .rev()
            .collect();
        let sql = format!("SELECT {}", named.join(", "));
        let issue = conn.query_row(&sql, [], from_row)?;
        assert_eq!((issue.id, issue.title.as_str()), (7, "title"));
        assert_eq!(issue.status, crate::domain::issue::Status::Collected);
        let missing = conn.prepare("SELECT 1 AS id, 'x' AS title")?;
        let err = IssueColumns::of(&missing).err().map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.contains("detail")),
            "{err:?}"
        );
        Ok(())
    }
}
