use super::*;
use rusqlite::params;

/// A finding as the English reader sees it.
fn en(t: crate::i18n::Text) -> String {
    t.render(crate::domain::locale::Locale::En)
}

fn db(texts: &[(&str, &str, Option<&str>)]) -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE issues (id INTEGER PRIMARY KEY, raised_on TEXT, title TEXT, detail TEXT)",
    )
    .unwrap();
    for (day, title, detail) in texts {
        conn.execute(
            "INSERT INTO issues (raised_on, title, detail) VALUES (?1, ?2, ?3)",
            params![day, title, detail],
        )
        .unwrap();
    }
    build(&conn).unwrap();
    conn
}

/// The ids whose title or detail contains `text`, newest first, the way SQL scans find them.
fn scanned(conn: &Connection, text: &str) -> Vec<i64> {
    let mut stmt = conn
        .prepare(
            "SELECT id FROM issues WHERE instr(title, ?1) > 0 OR instr(coalesce(detail, ''), ?1) > 0 \
             ORDER BY raised_on DESC, id DESC",
        )
        .unwrap();
    stmt.query_map([text], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn indexed(conn: &Connection, text: &str) -> Vec<i64> {
    let mut ids = Vec::new();
    assert!(
        newest(conn, text, None, 0, |id| {
            ids.push(id);
            Ok(())
        })
        .unwrap()
    );
    assert_eq!(count(conn, text).unwrap(), Some(ids.len() as u64));
    ids
}

fn one_page(conn: &Connection, text: &str, limit: u64, offset: u64) -> Vec<i64> {
    let mut ids = Vec::new();
    newest(conn, text, Some(limit), offset, |id| {
        ids.push(id);
        Ok(())
    })
    .unwrap();
    ids
}

/// The ids the filtered listing's condition selects, in id order.
fn by_condition(conn: &Connection, text: &str) -> Vec<i64> {
    let (condition, value) = condition(conn, text, 1).unwrap().unwrap();
    let mut stmt = conn
        .prepare(&format!(
            "SELECT id FROM issues WHERE {condition} ORDER BY id"
        ))
        .unwrap();
    stmt.query_map([value], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn finds_what_instr_finds_in_the_listing_order() {
    let conn = db(&[
        ("2026-10-01", "路灯不亮", Some("三号楼前的路灯坏了")),
        ("2026-09-30", "灯", None),
        ("2026-10-01", "停车难", Some("晚上没有车位，路 灯也暗")),
        ("2026-10-02", "Lamp post", Some("lamp POST broken")),
        ("2026-10-02", "路灯路灯", Some("")),
        ("2026-10-03", "灯路灯", Some("路")),
    ]);
    for text in [
        "路灯",
        "灯",
        "路",
        "路灯坏了",
        "lamp",
        "Lamp",
        "POST",
        " ",
        "路 灯",
        "车位，",
        "x",
        "灯路",
        "路灯路",
        "灯路灯路",
    ] {
        let mut by_id = scanned(&conn, text);
        assert_eq!(indexed(&conn, text), by_id, "{text:?}");
        by_id.sort_unstable();
        assert_eq!(by_condition(&conn, text), by_id, "{text:?}");
    }
    assert_eq!(count(&conn, "").unwrap(), None);
    assert_eq!(one_page(&conn, "路灯", 1, 1), &indexed(&conn, "路灯")[1..2]);
}

/// More matches than are sorted one by one: the page is read in the listing's order.
#[test]
fn many_matches_page_in_the_listing_order() {
    let owned: Vec<(String, String)> = (0..SORTED_AT_MOST + 500)
        .map(|i| {
            (
                format!("2026-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
                format!("{i}号楼路灯"),
            )
        })
        .collect();
    let rows: Vec<(&str, &str, Option<&str>)> = owned
        .iter()
        .map(|(day, title)| (day.as_str(), title.as_str(), None))
        .collect();
    let conn = db(&rows);
    for text in ["路灯", "号楼路", "1号"] {
        let all = scanned(&conn, text);
        assert_eq!(indexed(&conn, text), all, "{text}");
        assert_eq!(one_page(&conn, text, 20, 40), all[40..60], "{text}");
    }
}

#[test]
fn edits_and_additions_keep_it_in_step() {
    let conn = db(&[("2026-10-01", "路灯不亮", None)]);
    conn.execute(
        "INSERT INTO issues (raised_on, title, detail) VALUES ('2025-01-01', '电梯', '路灯')",
        [],
    )
    .unwrap();
    add(&conn, 2..=2).unwrap();
    assert_eq!(indexed(&conn, "路灯"), vec![1, 2]);
    conn.execute("UPDATE issues SET title = '电梯坏了' WHERE id = 1", [])
        .unwrap();
    replace(&conn, 1, "路灯不亮", None).unwrap();
    assert_eq!(indexed(&conn, "路灯"), vec![2]);
    assert_eq!(indexed(&conn, "坏了"), vec![1]);
    assert_eq!(one_page(&conn, "坏了", 1, 1), Vec::<i64>::new());
    assert_eq!(
        check(&conn).unwrap(),
        None,
        "nothing of the old title is left"
    );
    // A new block of ids.
    conn.execute(
        "INSERT INTO issues (id, raised_on, title) VALUES (40000, '2026-11-01', '路灯')",
        [],
    )
    .unwrap();
    add(&conn, 40000..=40000).unwrap();
    assert_eq!(indexed(&conn, "路灯"), vec![40000, 2]);
    assert_eq!(check(&conn).unwrap(), None);
    assert_eq!(check(&conn).unwrap(), None);
}

#[test]
fn a_set_grows_into_a_bitmap_and_back() {
    let owned: Vec<String> = (0..1100).map(|i| format!("路灯{i}")).collect();
    let rows: Vec<(&str, &str, Option<&str>)> = owned
        .iter()
        .map(|t| ("2026-10-01", t.as_str(), None))
        .collect();
    let conn = db(&rows);
    assert_eq!(count(&conn, "路灯").unwrap(), Some(1100));
    for id in 1..=200 {
        conn.execute("UPDATE issues SET title = '电梯' WHERE id = ?1", [id])
            .unwrap();
        replace(&conn, id, &format!("路灯{}", id - 1), None).unwrap();
    }
    assert_eq!(count(&conn, "路灯").unwrap(), Some(900));
    assert_eq!(check(&conn).unwrap(), None);
}

#[test]
fn check_names_an_index_out_of_step() {
    let conn = db(&[
        ("2026-10-01", "路灯不亮", None),
        ("2026-10-02", "电梯", Some("坏了")),
    ]);
    assert_eq!(check(&conn).unwrap(), None);
    conn.execute(
        "INSERT INTO issues (raised_on, title) VALUES ('2026-10-03', '新的')",
        [],
    )
    .unwrap();
    assert!(en(check(&conn).unwrap().unwrap()).contains("holds 2 issues where 3 have"));
    add(&conn, 3..=3).unwrap();
    assert_eq!(check(&conn).unwrap(), None);
    conn.execute("UPDATE issue_text SET ids = x'01'", [])
        .unwrap();
    let found = en(check(&conn).unwrap().unwrap());
    assert!(
        found.contains("not a set of issues") && found.contains("issue reindex"),
        "{found}"
    );
    assert!(
        count(&conn, "路灯").is_err(),
        "a damaged set is named, not read as empty"
    );
    build(&conn).unwrap();
    assert_eq!(check(&conn).unwrap(), None);
}

#[test]
fn text_that_is_not_utf8_is_indexed_as_it_is_read() {
    let conn = db(&[("2026-10-01", "路灯", None)]);
    conn.execute(
        "UPDATE issues SET title = X'E4B8', detail = X'41FF42' WHERE id = 1",
        [],
    )
    .unwrap();
    build(&conn).unwrap();
    assert_eq!(check(&conn).unwrap(), None);
    assert_eq!(check(&conn).unwrap(), None);
    assert_eq!(indexed(&conn, "\u{FFFD}"), scanned(&conn, "\u{FFFD}"));
}

#[test]
fn the_words_check_finds_texts_swapped_behind_its_back() {
    let conn = db(&[
        ("2026-10-01", "甲乙路灯", Some("三楼")),
        ("2026-10-02", "丙丁电梯", None),
    ]);
    assert_eq!(check(&conn).unwrap(), None);
    conn.execute("UPDATE issues SET title = '戊己车位' WHERE id = 1", [])
        .unwrap();
    let found = en(check(&conn).unwrap().unwrap());
    assert!(found.contains("character pairs"), "{found}");
    assert!(found.contains("issue reindex"), "{found}");
    build(&conn).unwrap();
    assert_eq!(check(&conn).unwrap(), None);
}

#[test]
fn ids_it_cannot_hold_leave_searches_to_the_scan() {
    let conn = db(&[("2026-10-01", "路灯", None)]);
    conn.execute(
        "INSERT INTO issues (id, raised_on, title) VALUES (4294967297, '2026-10-01', '电梯')",
        [],
    )
    .unwrap();
    build(&conn).unwrap();
    assert_eq!(count(&conn, "路灯").unwrap(), None);
    assert_eq!(check(&conn).unwrap(), None);
    assert_eq!(check(&conn).unwrap(), None);
}

#[test]
fn the_lookups_check_finds_an_index_that_no_longer_finds() {
    let owned: Vec<String> = (0..3000).map(|i| format!("问题{i}号楼路灯")).collect();
    let rows: Vec<(&str, &str, Option<&str>)> = owned
        .iter()
        .map(|title| ("2026-10-01", title.as_str(), Some("三楼的灯不亮")))
        .collect();
    let conn = db(&rows);
    assert_eq!(check_lookups(&conn).unwrap(), None);
    conn.execute(
        "DELETE FROM issue_text WHERE pair = ?1",
        [pairs::pair('问' as u32, '题' as u32)],
    )
    .unwrap();
    let found = en(check_lookups(&conn).unwrap().unwrap());
    assert!(found.contains("of 256 issues"), "{found}");
    build(&conn).unwrap();
    assert_eq!(check_lookups(&conn).unwrap(), None);
}

/// An FTS5 index of schema v9 to v18, whole or in pieces, is taken away by a build.
#[test]
fn the_old_fts5_index_is_replaced_whole_or_in_pieces() {
    let parts = legacy::shadow_tables().unwrap();
    assert_eq!(parts.len(), 4, "{parts:?}");
    for broken in ["", "issue_text_config", "issue_text_idx", "issue_text"] {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE issues (id INTEGER PRIMARY KEY, raised_on TEXT, title TEXT, detail TEXT);
             INSERT INTO issues (raised_on, title) VALUES ('2026-10-01', '路灯不亮');",
        )
        .unwrap();
        conn.execute_batch(legacy::CREATE).unwrap();
        if broken == "issue_text" {
            conn.execute_batch("PRAGMA writable_schema = ON; DELETE FROM sqlite_schema WHERE name = 'issue_text'; PRAGMA writable_schema = RESET;").unwrap();
        } else if !broken.is_empty() {
            conn.execute_batch(&format!("DROP TABLE {broken}")).unwrap();
        }
        assert_eq!(build(&conn).unwrap(), (1, false), "{broken}");
        assert_eq!(indexed(&conn, "路灯"), vec![1], "{broken}");
        let left: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'issue_text_%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(left, 0, "{broken}");
    }
}

/// Whether an error is the text index's own (named with the way to mend it).
fn is_index_damage(e: &crate::error::Error) -> bool {
    matches!(
        e.fault.as_deref(),
        Some(crate::error::Fault::TextIndex { .. })
    )
}

/// Values of the wrong type in its rows (written behind yishi's back) are damage to the
/// index, for searches, writes and the check alike, never an internal error or a set read
/// from text.
#[test]
fn rows_of_the_wrong_type_are_named_as_damage() {
    let pair = pairs::pair('路' as u32, '灯' as u32);
    for damage in [
        "UPDATE issue_text SET ids = CAST(x'0100' AS TEXT) WHERE pair = ?1",
        "UPDATE issue_text SET ids = 5 WHERE pair = ?1",
        "UPDATE issue_text SET pair = ?1 + 0.5 WHERE pair = ?1",
        "UPDATE issue_text SET block = 'x' WHERE pair = ?1",
    ] {
        let conn = db(&[
            ("2026-10-01", "路灯不亮", None),
            ("2026-10-02", "路灯", None),
        ]);
        conn.execute(damage, [pair]).unwrap();
        let searches = [count(&conn, "路"), count(&conn, "路灯")];
        let wrong_rows_read = damage.contains("ids");
        for found in &searches {
            match found {
                Err(e) => assert!(is_index_damage(e), "{damage}: {e:?}"),
                Ok(_) => assert!(!wrong_rows_read, "{damage}: read as a set"),
            }
        }
        match check(&conn) {
            Ok(found) => {
                let found = en(found.expect(damage));
                assert!(found.contains("issue reindex"), "{damage}: {found}");
            }
            Err(e) => assert!(is_index_damage(&e), "{damage}: {e:?}"),
        }
        if wrong_rows_read {
            conn.execute("UPDATE issues SET title = '电梯' WHERE id = 1", [])
                .unwrap();
            let e = replace(&conn, 1, "路灯不亮", None).unwrap_err();
            assert!(is_index_damage(&e), "{damage}: {e:?}");
        }
        build(&conn).unwrap();
        assert_eq!(check(&conn).unwrap(), None, "{damage}");
    }
}

/// A trigger added to its table that refuses writes makes writes fail as damage to the
/// index (which a build mends), not as yishi's own bug.
#[test]
fn a_constraint_put_on_it_is_damage() {
    let conn = db(&[("2026-10-01", "路灯不亮", None)]);
    conn.execute_batch(
        "CREATE TRIGGER issue_text_no BEFORE INSERT ON issue_text BEGIN SELECT RAISE(ABORT, 'no'); END;
         INSERT INTO issues (raised_on, title) VALUES ('2026-10-02', '电梯坏了');",
    )
    .unwrap();
    let e = add(&conn, 2..=2).unwrap_err();
    assert!(is_index_damage(&e), "{e:?}");
    build(&conn).unwrap();
    assert_eq!(indexed(&conn, "电梯"), vec![2]);
}

/// A view or an index in its place (written outside yishi) does not stop a build.
#[test]
fn a_build_takes_the_place_of_a_view_or_an_index_of_its_name() {
    for other in [
        "CREATE VIEW issue_text AS SELECT 1 AS block",
        "CREATE INDEX issue_text ON issues(title)",
    ] {
        let conn = db(&[("2026-10-01", "路灯不亮", None)]);
        conn.execute_batch(&format!("DROP TABLE issue_text; {other}"))
            .unwrap();
        assert!(!exists(&conn).unwrap());
        assert_eq!(build(&conn).unwrap(), (1, false), "{other}");
        assert_eq!(indexed(&conn, "路灯"), vec![1], "{other}");
    }
}

/// An index whose pages are damaged is taken out of the schema by a build, with an index
/// put on it outside yishi (left behind, it would name a table no longer there).
#[test]
fn a_build_over_damaged_pages_takes_what_was_put_on_them_too() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE issues (id INTEGER PRIMARY KEY, raised_on TEXT, title TEXT, detail TEXT)",
    )
    .unwrap();
    conn.execute_batch("BEGIN").unwrap();
    for i in 0..3000 {
        conn.execute(
            "INSERT INTO issues (raised_on, title) VALUES ('2026-10-01', ?1)",
            [format!("问题{i}号楼路灯")],
        )
        .unwrap();
    }
    build(&conn).unwrap();
    conn.execute_batch("COMMIT; CREATE INDEX issue_ids ON issue_text(ids)")
        .unwrap();
    let root: i64 = conn
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = 'issue_text'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    std::mem::drop(conn);
    let mut file = std::fs::read(&path).unwrap();
    let at = ((root - 1) * size + 12) as usize;
    file[at..at + 200].fill(0);
    std::fs::write(&path, file).unwrap();
    let conn = Connection::open(&path).unwrap();
    assert_eq!(build(&conn).unwrap(), (3000, true));
    conn.execute_batch("VACUUM").unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    assert_eq!(count(&conn, "路灯").unwrap(), Some(3000));
}

#[test]
fn only_its_own_tables_are_parts() {
    assert!(is_part("issue_text"));
    assert!(is_part("issue_text_data"));
    assert!(!is_part("issues"));
    assert!(!is_part("issue_texts"));
}

proptest::proptest! {
    /// Any text in titles and details, any search: the index finds what a scan finds.
    #[test]
    fn the_index_finds_exactly_what_a_scan_finds(
        rows in proptest::collection::vec(("[路灯a-c A]{0,8}", proptest::option::of("[路灯a-c ]{0,8}"), 1u32..4), 0..12),
        search in "[路灯a-c A]{1,3}",
    ) {
        let owned: Vec<(String, String, Option<String>)> = rows
            .iter()
            .map(|(t, d, day)| (format!("2026-10-0{day}"), t.clone(), d.clone()))
            .collect();
        let texts: Vec<(&str, &str, Option<&str>)> = owned
            .iter()
            .map(|(day, t, d)| (day.as_str(), t.as_str(), d.as_deref()))
            .collect();
        let conn = db(&texts);
        proptest::prop_assert_eq!(indexed(&conn, &search), scanned(&conn, &search));
    }
}

/// A build over many blocks (its reader and its worker hand blocks to each other) writes
/// exactly the rows that adding the same issues one at a time writes: ids in several blocks,
/// with gaps, one block holding a single issue, and ids the index cannot hold skipped.
#[test]
fn a_build_over_many_blocks_writes_what_additions_write() {
    let ids: Vec<i64> = [
        -5, 1, 2, 16_383, 16_384, 16_385, 40_000, 65_535, 65_536, 200_001,
    ]
    .into_iter()
    .chain((300_000..300_050).step_by(7))
    .chain([1 << 33])
    .collect();
    let fill = |conn: &Connection| {
        conn.execute_batch(
            "CREATE TABLE issues (id INTEGER PRIMARY KEY, raised_on TEXT, title TEXT, detail TEXT)",
        )
        .unwrap();
        for (n, id) in ids.iter().enumerate() {
            conn.execute(
                "INSERT INTO issues (id, raised_on, title, detail) VALUES (?1, '2026-10-01', ?2, ?3)",
                params![id, format!("路灯{}不亮", n % 5), (n % 3 == 0).then(|| format!("楼道{n}号"))],
            )
            .unwrap();
        }
    };
    let rows = |conn: &Connection| -> Vec<(i64, i64, Vec<u8>)> {
        let mut stmt = conn
            .prepare("SELECT block, pair, ids FROM issue_text ORDER BY block, pair")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    };
    let built = Connection::open_in_memory().unwrap();
    fill(&built);
    assert_eq!(build(&built).unwrap().0, ids.len() as u64 - 2);
    let added = Connection::open_in_memory().unwrap();
    fill(&added);
    added.execute_batch(CREATE).unwrap();
    for &id in &ids {
        add(&added, id..=id).unwrap();
    }
    let built_rows = rows(&built);
    assert!(
        built_rows
            .iter()
            .map(|r| r.0)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            >= 6
    );
    assert_eq!(built_rows, rows(&added));
}

/// A build that fails while it writes (here a trigger refuses the rows of the second block)
/// returns the error instead of waiting for its worker for ever.
#[test]
fn a_build_that_fails_midway_returns_its_error() {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE issues (id INTEGER PRIMARY KEY, raised_on TEXT, title TEXT, detail TEXT)",
    )
    .unwrap();
    for block in 0..6i64 {
        conn.execute(
            "INSERT INTO issues (id, title) VALUES (?1, '路灯不亮')",
            [block << 14],
        )
        .unwrap();
    }
    conn.execute_batch(CREATE).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER no AFTER INSERT ON issue_text WHEN new.block = 1 BEGIN SELECT RAISE(ABORT, 'refused'); END;",
    )
    .unwrap();
    let err = fill(&conn).unwrap_err();
    assert!(err.to_string().contains("refused"), "{err}");
}
