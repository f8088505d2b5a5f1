//! Backup, restore and the JSON-lines archive.

use super::{Store, audit, create_private_file, schema};
use crate::error::{Error, Result};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};
use std::io::Write;
use std::path::Path;

/// Columns that hold personal contact details; left out of an export unless asked.
pub const CONTACT_COLUMNS: &[&str] = &["phone", "address"];

/// Check that `path` is a yishi database this binary can use and that its records verify.
pub fn check_backup(path: &Path) -> Result<(audit::Checked, Vec<audit::Problem>)> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| Error::from(e).context(path.display()))?;
    let version = schema::version(&conn).map_err(|e| e.context(path.display()))?;
    if version == 0 {
        return Err(Error::data(format!(
            "{} is not a yishi database",
            path.display()
        )));
    }
    if version > schema::LATEST {
        return Err(Error::data(format!(
            "{} has schema version {version}, newer than this yishi knows ({}): install a newer yishi",
            path.display(),
            schema::LATEST
        )));
    }
    audit::verify(&conn)
}

/// Replace the database at `dest` with the contents of `src` through the backup API, so that
/// a reader never sees a half-copied file.
pub fn restore(src: &Path, dest: &Path) -> Result<()> {
    let from = Connection::open_with_flags(src, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    if !dest.exists() {
        create_private_file(dest)?;
    }
    let mut to = Connection::open(dest)?;
    to.busy_timeout(std::time::Duration::from_secs(10))?;
    let backup = rusqlite::backup::Backup::new(&from, &mut to)?;
    backup.run_to_completion(256, std::time::Duration::from_millis(5), None)?;
    drop(backup);
    // Bring an older backup up to this binary's schema.
    schema::migrate(&mut to)?;
    Ok(())
}

/// One table as JSON lines: one object per row, keys as column names.
fn table_to_json_lines(
    conn: &Connection,
    table: &str,
    include_contacts: bool,
    out: &mut impl Write,
) -> Result<u64> {
    let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1"))?;
    let names: Vec<String> = stmt.column_names().map(String::from).collect();
    let mut rows = stmt.query([])?;
    let mut n = 0;
    while let Some(r) = rows.next()? {
        let mut obj = serde_json::Map::new();
        for (i, name) in names.iter().enumerate() {
            if !include_contacts && CONTACT_COLUMNS.contains(&name.as_str()) {
                continue;
            }
            let v = match r.get_ref(i)? {
                ValueRef::Null => serde_json::Value::Null,
                ValueRef::Integer(x) => x.into(),
                ValueRef::Real(x) => x.into(),
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
                ValueRef::Blob(b) => audit::hex(b).into(),
            };
            obj.insert(name.clone(), v);
        }
        serde_json::to_writer(&mut *out, &obj)?;
        out.write_all(b"\n")?;
        n += 1;
    }
    Ok(n)
}

/// Write every table (including the audit log) as `DIR/<table>.jsonl`, plus `manifest.json`.
pub fn export_json(
    store: &Store,
    dir: &Path,
    include_contacts: bool,
) -> Result<Vec<(String, u64)>> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::data(format!("cannot create {}: {e}", dir.display())))?;
    let conn = store.conn();
    // One read transaction: every file reflects the same moment.
    conn.execute_batch("BEGIN")?;
    let result = (|| {
        let mut tables = audit::audited_tables(conn)?;
        tables.push("events".into());
        tables.push("seals".into());
        let mut counts = Vec::new();
        for t in &tables {
            let path = dir.join(format!("{t}.jsonl"));
            if path.exists() {
                std::fs::remove_file(&path)
                    .map_err(|e| Error::data(format!("cannot replace {}: {e}", path.display())))?;
            }
            create_private_file(&path)?;
            let file = std::fs::OpenOptions::new().write(true).open(&path)?;
            let mut w = std::io::BufWriter::new(file);
            let n = table_to_json_lines(conn, t, include_contacts, &mut w)?;
            w.flush()?;
            counts.push((t.clone(), n));
        }
        let manifest = serde_json::json!({
            "format": "yishi-archive",
            "format_version": 1,
            "schema_version": schema::version(conn)?,
            "contacts_included": include_contacts,
            "tables": counts.iter().map(|(t, n)| serde_json::json!({"table": t, "file": format!("{t}.jsonl"), "rows": n})).collect::<Vec<_>>(),
        });
        let path = dir.join("manifest.json");
        if path.exists() {
            std::fs::remove_file(&path)?;
        }
        create_private_file(&path)?;
        std::fs::write(&path, serde_json::to_string_pretty(&manifest)? + "\n")?;
        Ok(counts)
    })();
    conn.execute_batch("COMMIT")?;
    result
}
