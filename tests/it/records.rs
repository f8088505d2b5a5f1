//! Records that cannot be lost or quietly rewritten (issue 13): backup and restore that
//! cannot lose data, a verify that sees the whole file and never writes, anchors and a key
//! against a recomputed chain, and no panic on any file.

use crate::common;
use common::Env;
use std::path::Path;
use std::process::Stdio;

/// A small deterministic random generator (xorshift), seeded per test and printed, so that a
/// failing round can be replayed.
struct Rng(u64);
impl Rng {
    fn seeded() -> Rng {
        let seed = std::env::var("YISHI_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("seed: {seed} (replay with YISHI_TEST_SEED={seed})");
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn run(env: &Env, args: &[&str]) -> (i32, String) {
    let out = env.cmd().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// The logical content of a database, or None when it cannot be read at all.
fn try_dump(db: &Path) -> Option<String> {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .ok()?;
    let mut out = String::new();
    let v: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .ok()?;
    out.push_str(&format!("version {v}\n"));
    let mut stmt = conn
        .prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name")
        .ok()?;
    let mut names = Vec::new();
    let mut rows = stmt.query([]).ok()?;
    while let Some(r) = rows.next().ok()? {
        let cells: Vec<String> = (0..4)
            .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
            .collect();
        if cells[0] == "Text(\"table\")" {
            names.push(r.get_ref(1).ok()?.as_bytes().ok()?.to_vec());
        }
        out.push_str(&cells.join("|"));
        out.push('\n');
    }
    for t in names {
        let t = String::from_utf8_lossy(&t).replace('"', "\"\"");
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).ok()?;
        let n = stmt.column_count();
        let mut rows = stmt.query([]).ok()?;
        while let Some(r) = rows.next().ok()? {
            for i in 0..n {
                out.push_str(&format!("{:?}|", r.get_ref(i).ok()?));
            }
            out.push('\n');
        }
    }
    Some(out)
}

/// Run raw SQL bytes (which may not be UTF-8) through SQLite's C API.
fn exec_raw(db: &Path, sql: &[u8]) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let c = std::ffi::CString::new(sql).unwrap();
    let rc = unsafe {
        rusqlite::ffi::sqlite3_exec(
            conn.handle(),
            c.as_ptr(),
            None,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    };
    assert_eq!(rc, 0, "sql failed");
}

fn sql(db: &Path, statement: &str) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch(statement)
        .unwrap();
}

fn file_bytes(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap()
}

#[test]
fn a_killed_backup_never_costs_the_database_anything() {
    let env = Env::new();
    env.held();
    // Enough rows that a backup takes a few milliseconds to be killed in.
    let mut csv = String::from("标题,提出人,渠道,日期\n");
    for i in 0..2_000 {
        csv.push_str(&format!("议题{i},居民{i},线上,2026-11-01\n"));
    }
    env.write("many.csv", &csv);
    env.ok(&["issue", "import", "many.csv", "-q"]);
    let before = env.dump();
    // Kill times spread over 1.3 times one uninterrupted backup, so that most rounds kill
    // it at some point of its work and some let it finish.
    let timer = std::time::Instant::now();
    env.ok(&["backup", "timed.db"]);
    let full = timer.elapsed().as_micros() as u64 * 13 / 10;
    std::fs::remove_file(env.path("timed.db")).unwrap();
    let mut rng = Rng::seeded();
    let (mut killed, mut completed) = (0, 0);
    let rounds = common::soak_rounds(5, 50);
    for round in 0..rounds {
        let mut child = common::yishi(env.dir.path())
            .args(["backup", "bk.db"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(rng.below(full)));
        let _ = child.kill();
        let status = child.wait().unwrap();
        if status.success() {
            completed += 1;
        } else {
            killed += 1;
        }
        let bk = env.path("bk.db");
        // Either a complete, verified backup is at the name, or nothing is.
        if bk.exists() {
            assert!(status.success() || std::fs::metadata(&bk).unwrap().len() > 0);
            let (code, out) = run(&env, &["--db", "bk.db", "verify"]);
            assert_eq!(
                code, 0,
                "round {round}: a backup at the name must verify\n{out}"
            );
        }
        // Restore attempts, with and without --force, never lose the live database.
        // Without --force it may refuse because an earlier round's kept copy is still there
        // (verify no longer removes it: issue 27).
        let (code, out) = run(&env, &["restore", "bk.db"]);
        assert!(
            [0, 65].contains(&code)
                || (code == 1
                    && out.contains("still holds the database an earlier restore replaced")),
            "round {round}: restore exited {code}\n{out}"
        );
        let (code, out) = run(&env, &["restore", "bk.db", "--force"]);
        assert!(
            [0, 65].contains(&code),
            "round {round}: restore --force exited {code}\n{out}"
        );
        assert_eq!(
            env.dump(),
            before,
            "round {round}: the live database changed"
        );
        env.ok(&["verify"]);
        // Start the next round clean, leftovers of a killed backup included.
        for entry in std::fs::read_dir(env.dir.path()).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if name.starts_with("bk.db") || name.starts_with(".bk.db") {
                std::fs::remove_file(env.path(&name)).unwrap();
            }
        }
    }
    eprintln!(
        "{rounds} rounds: {killed} backups killed, {completed} completed; database intact in every round"
    );
}

#[test]
fn verify_and_restore_refuse_empty_and_foreign_files_without_touching_them() {
    let env = Env::new();
    env.held();
    let before = env.dump();
    env.write("empty.db", b"");
    let (code, out) = run(&env, &["--db", "empty.db", "verify"]);
    assert_eq!(code, 65, "{out}");
    assert!(out.contains("empty"), "{out}");
    assert_eq!(std::fs::metadata(env.path("empty.db")).unwrap().len(), 0);
    let (code, out) = run(&env, &["restore", "empty.db", "--force"]);
    assert_eq!(code, 65, "{out}");
    assert_eq!(env.dump(), before);

    // A foreign SQLite file in rollback-journal mode stays byte for byte as it was.
    let foreign = env.path("foreign.db");
    sql(&foreign, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
    let bytes = file_bytes(&foreign);
    let (code, out) = run(&env, &["--db", "foreign.db", "verify"]);
    assert_eq!(code, 65, "{out}");
    assert!(out.contains("not a yishi database"), "{out}");
    assert_eq!(file_bytes(&foreign), bytes);
    assert!(!env.path("foreign.db-wal").exists());
    let (code, _) = run(&env, &["restore", "foreign.db", "--force"]);
    assert_eq!(code, 65);
    // Not SQLite at all.
    env.write("text.db", "hello, not a database\n");
    let (code, out) = run(&env, &["--db", "text.db", "verify"]);
    assert_eq!(code, 65, "{out}");
    // A backup with an interrupted write beside it.
    env.ok(&["backup", "bk.db"]);
    let mut journal = vec![0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
    journal.resize(512, 0);
    env.write("bk.db-journal", &journal);
    let (code, out) = run(&env, &["restore", "bk.db", "--force"]);
    assert_eq!(code, 65, "{out}");
    assert!(out.contains("interrupted write"), "{out}");
    assert_eq!(env.dump(), before);
    // No database at all.
    let (code, out) = run(&env, &["--db", "none.db", "verify"]);
    assert_eq!(code, 65, "{out}");
    assert!(!env.path("none.db").exists());
}

#[test]
fn a_column_name_that_is_not_utf8_is_a_finding_not_a_panic() {
    let env = Env::new();
    env.held();
    exec_raw(&env.db(), b"ALTER TABLE members ADD COLUMN \"\xff\" TEXT");
    let (code, out) = run(&env, &["verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("schema: table \"members\" was changed"),
        "{out}"
    );
    let (code, out) = run(&env, &["export", "--json", "out"]);
    assert!([0, 1, 65].contains(&code), "{out}");
    let (code, out) = run(&env, &["backup", "b.db"]);
    assert_eq!(code, 1, "{out}");
    // A refused backup leaves nothing behind.
    let left: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("b.db"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    std::fs::copy(env.db(), env.path("odd.db")).unwrap();
    let (code, out) = run(&env, &["--db", "odd.db", "member", "list"]);
    assert!([0, 1, 65].contains(&code), "{out}");
}

#[test]
fn a_trigger_that_flips_ballots_is_found_and_never_restored() {
    let env = Env::new();
    env.held();
    env.ok(&["backup", "clean.db"]);
    sql(
        &env.db(),
        "CREATE TRIGGER flip AFTER INSERT ON ballots WHEN NEW.choice = 'no' \
         BEGIN UPDATE ballots SET choice = 'yes' WHERE id = NEW.id; END;",
    );
    let (code, out) = run(&env, &["verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("trigger \"flip\" on ballots is not part of yishi's schema"),
        "{out}"
    );
    // No write runs beside it: the trigger would have its say in what is recorded.
    let before = env.dump();
    let (code, out) = run(
        &env,
        &["issue", "add", "楼道灯不亮", "--channel", "offline"],
    );
    assert_eq!(code, 65, "{out}");
    assert!(
        out.contains("triggers that are not part of yishi's schema: flip (ballots)"),
        "{out}"
    );
    assert_eq!(env.dump(), before);
    // A backup containing the trigger is refused by backup and by restore.
    let (code, out) = run(&env, &["backup", "evil.db"]);
    assert_eq!(code, 1, "{out}");
    assert!(!env.path("evil.db").exists());
    std::fs::copy(env.db(), env.path("evil.db")).unwrap();
    let (code, out) = run(&env, &["restore", "evil.db", "--force"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("trigger"), "{out}");
}

#[test]
fn altered_dropped_and_added_schema_objects_are_findings_not_crashes() {
    let cases: &[(&str, &str)] = &[
        (
            "UPDATE sqlite_schema SET sql = replace(sql, 'seat       TEXT NOT NULL', 'seat       INTVGER NOTINULL') WHERE name = 'members'",
            "table \"members\" was changed",
        ),
        ("DROP TABLE reopenings", "table \"reopenings\" is missing"),
        (
            "DROP INDEX members_by_name",
            "index \"members_by_name\" is missing",
        ),
        (
            "CREATE TABLE extra (id INTEGER PRIMARY KEY)",
            "table \"extra\" on extra is not part",
        ),
        ("CREATE VIEW v AS SELECT * FROM members", "view \"v\""),
        // The same words stored as bytes instead of text: SQLite still uses the index, but a
        // dump of the file leaves it out (found by the byte-flip test below).
        (
            "UPDATE sqlite_schema SET type = CAST(type AS BLOB) WHERE name = 'members_by_name'",
            "index (stored as bytes, not text) \"members_by_name\"",
        ),
    ];
    for (statement, finding) in cases {
        let env = Env::new();
        env.held();
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        conn.execute_batch("PRAGMA writable_schema = ON").unwrap();
        conn.execute_batch(statement).unwrap();
        drop(conn);
        let (code, out) = run(&env, &["verify"]);
        assert_eq!(code, 1, "{statement}\n{out}");
        assert!(out.contains(finding), "{statement}\n{out}");
        std::fs::copy(env.db(), env.path("x.db")).unwrap();
        let (code, out) = run(&env, &["restore", "x.db", "--force"]);
        assert!([1, 65].contains(&code), "{statement}\n{out}");
    }
}

fn head(env: &Env) -> String {
    let out = env.ok(&["verify"]);
    out.lines()
        .find(|l| l.starts_with("记录校验码"))
        .unwrap_or_else(|| panic!("no chain head in {out}"))
        .to_string()
}

#[test]
fn a_deleted_tail_passes_alone_but_not_against_an_anchor() {
    let env = Env::new();
    env.held();
    env.ok(&["issue", "add", "最后一件事", "--channel", "online"]);
    let anchor = head(&env);
    assert!(anchor.starts_with("记录校验码 #"), "{anchor}");
    env.ok(&["verify", "--anchor", &anchor]);
    // Delete the last event, its seals and its row, and build the text index again with
    // yishi itself (derived data, not logged; left as it was, the index would no longer
    // match the issues): the chain alone cannot tell.
    sql(
        &env.db(),
        "DELETE FROM seals WHERE seq = (SELECT max(seq) FROM events);
         DELETE FROM issues WHERE id = (SELECT max(id) FROM issues);
         DELETE FROM events WHERE seq = (SELECT max(seq) FROM events);",
    );
    env.ok(&["issue", "reindex"]);
    let (code, out) = run(&env, &["verify"]);
    assert_eq!(
        code, 0,
        "without an anchor this is undetectable (README says so)\n{out}"
    );
    let (code, out) = run(&env, &["verify", "--anchor", &anchor]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("before the anchor"), "{out}");
    // The same through a file of anchors.
    env.write("anchors.txt", format!("// kept on paper\n{anchor}\n"));
    let (code, out) = run(&env, &["verify", "--anchor-file", "anchors.txt"]);
    assert_eq!(code, 1, "{out}");
    let (code, out) = run(&env, &["verify", "--anchor", "nonsense"]);
    assert_eq!(code, 65, "{out}");
}

/// An event's fields as the forger reads them.
type EventRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<i64>,
    String,
    String,
    String,
);

/// What a forger with the file does: change an event and recompute every hash after it.
fn forge(db: &Path, key: Option<&[u8]>) {
    use sha2::{Digest, Sha256};
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute("UPDATE events SET actor = 'someone else' WHERE seq = 3", [])
        .unwrap();
    let mut stmt = conn
        .prepare("SELECT seq, at, actor, command, entity, entity_id, action, change, seals FROM events ORDER BY seq")
        .unwrap();
    let events: Vec<EventRow> = stmt
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut prev = "0".repeat(64);
    for e in events {
        // The chain covers a salted description by its digest (see store/audit.rs).
        let change = if e.7.starts_with("{\"_salt\":\"") {
            let d = Sha256::digest(e.7.as_bytes());
            format!(
                "sha256:{}",
                d.iter().map(|b| format!("{b:02x}")).collect::<String>()
            )
        } else {
            e.7.clone()
        };
        let canonical =
            serde_json::json!([e.0, e.1, e.2, e.3, e.4, e.5, e.6, change, e.8]).to_string();
        let hash = match key {
            None => {
                let mut h = Sha256::new();
                h.update(prev.as_bytes());
                h.update(b"\n");
                h.update(canonical.as_bytes());
                h.finalize()
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect::<String>()
            }
            // A forger without the key can only make up a keyed-looking hash.
            Some(_) => format!("k{}", "ab".repeat(32)),
        };
        conn.execute(
            "UPDATE events SET prev_hash = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![prev, hash, e.0],
        )
        .unwrap();
        prev = hash;
    }
}

#[test]
fn a_recomputed_chain_is_caught_by_an_anchor_or_by_the_key() {
    // Without a key: the forgery passes alone, and an anchor catches it.
    let env = Env::new();
    env.held();
    let anchor = head(&env);
    forge(&env.db(), None);
    let (code, out) = run(&env, &["verify"]);
    assert_eq!(
        code, 0,
        "a recomputed chain passes without anchor or key (README says so)\n{out}"
    );
    let (code, out) = run(&env, &["verify", "--anchor", &anchor]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("does not match the anchor"), "{out}");

    // With a key: the chain is an HMAC; recomputing it without the key is caught, no anchor needed.
    let key = "a long random key kept outside the database";
    let keyed = Env::empty();
    let init = keyed
        .cmd()
        .env("YISHI_KEY", key)
        .args(["init", "--community", "汀塘社区", "--population", "4000"])
        .output()
        .unwrap();
    assert!(init.status.success());
    for (name, seat) in [
        ("王建国", "committee"),
        ("李娜", "party"),
        ("张伟", "backbone"),
    ] {
        let out = keyed
            .cmd()
            .env("YISHI_KEY", key)
            .args(["member", "add", name, "--seat", seat])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let verify_with = |k: &str| {
        let out = keyed
            .cmd()
            .env("YISHI_KEY", k)
            .arg("verify")
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (code, out) = verify_with(key);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("checked against the key"), "{out}");
    let (code, out) = verify_with("the wrong key, also long enough");
    assert_eq!(code, 1, "{out}");
    // Forged as a plain chain, and forged with made-up keyed hashes: both caught.
    std::fs::copy(keyed.db(), keyed.path("saved.db")).unwrap();
    forge(&keyed.db(), None);
    let (code, out) = verify_with(key);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("no event is sealed with a key"), "{out}");
    std::fs::copy(keyed.path("saved.db"), keyed.db()).unwrap();
    forge(&keyed.db(), Some(b"guess"));
    let (code, out) = verify_with(key);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("does not match the key"), "{out}");
}

#[test]
fn restore_says_what_would_be_lost_and_keeps_the_replaced_database() {
    let env = Env::new();
    env.held();
    env.ok(&["backup", "bk.db"]);
    // The same log: nothing to lose, no --force needed.
    env.ok(&["restore", "bk.db"]);
    assert!(env.path("yishi.db.before-restore").exists());
    let out = env.ok(&["verify"]);
    assert!(out.starts_with("OK"));
    // Verify never removes it (issue 27): it may hold the only copy of replaced events.
    assert!(env.path("yishi.db.before-restore").exists());
    std::fs::remove_file(env.path("yishi.db.before-restore")).unwrap();
    // Later events would be lost: refused, with the count.
    env.ok(&["issue", "add", "之后一", "--channel", "online"]);
    env.ok(&["issue", "add", "之后二", "--channel", "online"]);
    let (code, out) = run(&env, &["restore", "bk.db"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("the database has 2 later event(s), which will be lost"),
        "{out}"
    );
    let (code, out) = run(&env, &["restore", "bk.db", "--force"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("which will be lost"), "{out}");
    // The replaced database is kept, and is itself a verified yishi database with both issues.
    let kept = env.path("yishi.db.before-restore");
    let n: i64 = rusqlite::Connection::open(&kept)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM issues WHERE title = '之后二'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 1);
    // A database that went its own way: refused, saying where they part.
    env.ok(&["issue", "add", "另一条路", "--channel", "online"]);
    env.ok(&["verify"]);
    std::fs::remove_file(&kept).unwrap();
    let (code, out) = run(&env, &["restore", "bk.db"]);
    assert_eq!(code, 1, "{out}");
    std::fs::copy(env.db(), env.path("mine.db")).unwrap();
    env.ok(&["--db", "mine.db", "verify"]);
}

#[test]
fn random_byte_flips_never_panic_and_never_pass_when_content_differs() {
    let env = Env::new();
    env.held();
    env.ok(&["backup", "base.db"]);
    let base = file_bytes(&env.path("base.db"));
    let original = try_dump(&env.path("base.db")).unwrap();
    let mut rng = Rng::seeded();
    let mut outcomes = std::collections::BTreeMap::new();
    // A few dozen here; scripts/fuzz-verify.sh runs thousands.
    let cases: u32 = std::env::var("YISHI_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    for case in 0..cases {
        let mut bytes = base.clone();
        let flips = 1 + rng.below(4);
        for _ in 0..flips {
            // Half the flips in the first page (header and schema), half anywhere.
            let at = if rng.below(2) == 0 {
                rng.below(4096)
            } else {
                rng.below(bytes.len() as u64)
            } as usize;
            bytes[at] ^= 1 << rng.below(8);
        }
        let name = format!("case{case}.db");
        env.write(&name, &bytes);
        let (code, out) = run(&env, &["--db", &name, "verify"]);
        *outcomes.entry(code).or_insert(0) += 1;
        assert!(
            [0, 1, 65].contains(&code),
            "case {case}: exit {code} (never 70 or a panic)\n{out}"
        );
        if code == 0 {
            if try_dump(&env.path(&name)).as_deref() != Some(original.as_str()) {
                std::fs::copy(env.path(&name), "/tmp/fuzz-failed.db").ok();
                std::fs::copy(env.path("base.db"), "/tmp/fuzz-base.db").ok();
            }
            assert_eq!(
                try_dump(&env.path(&name)).as_deref(),
                Some(original.as_str()),
                "case {case}: verify passed a file whose schema or rows differ\n{out}"
            );
        }
        std::fs::remove_file(env.path(&name)).unwrap();
    }
    eprintln!("{cases} byte-flip cases, exit codes: {outcomes:?}");
}

/// Whether `needle` occurs anywhere in the raw bytes of `path` (like `grep -a`).
fn raw_contains(path: &Path, needle: &str) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn forgetting_leaves_no_trace_in_fields_documents_file_wal_or_backups() {
    let env = Env::new();
    env.held();
    env.ok(&[
        "issue",
        "add",
        "楼道灯坏了",
        "--by",
        "陈阿姨",
        "--phone",
        "13900001111",
        "--address",
        "汀塘路8号3单元",
        "--channel",
        "线下",
    ]);
    let before = env.ok(&["minutes", "export", "M1", "--show-contacts"]);
    assert!(before.contains("王建国"), "王建国 chairs M1\n{before}");
    // 王建国 chairs M1, holds a proxy and is in the log; 陈阿姨 raised issues with a phone and address.
    env.ok(&["member", "forget", "王建国", "--yes"]);
    env.ok(&["resident", "forget", "陈阿姨", "--yes"]);
    let minutes = env.ok(&["minutes", "export", "M1", "--show-contacts"]);
    assert!(!minutes.contains("王建国"), "{minutes}");
    assert!(minutes.contains("已注销成员1"), "{minutes}");
    let issue = env.ok(&["issue", "show", "1", "--show-contacts"]);
    assert!(!issue.contains("陈阿姨"), "{issue}");
    let log = env.ok(&["log", "--json"]);
    assert!(!log.contains("王建国") && !log.contains("陈阿姨"), "{log}");
    env.ok(&["verify"]);
    env.ok(&["backup", "after.db"]);
    for file in ["yishi.db", "yishi.db-wal", "after.db"] {
        for secret in ["王建国", "陈阿姨", "13900001111", "汀塘路8号3单元"] {
            assert!(
                !raw_contains(&env.path(file), secret),
                "{file} still holds {secret}"
            );
        }
    }
    env.ok(&["--db", "after.db", "verify"]);
}

#[test]
fn output_files_refuse_symlinks_and_need_force_to_replace() {
    let env = Env::new();
    env.held();
    env.write("victim.txt", "keep me");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(env.path("victim.txt"), env.path("link.md")).unwrap();
        let (code, out) = run(
            &env,
            &["minutes", "export", "M1", "-o", "link.md", "--overwrite"],
        );
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("symbolic link"), "{out}");
        assert_eq!(
            std::fs::read_to_string(env.path("victim.txt")).unwrap(),
            "keep me"
        );
    }
    let (code, out) = run(&env, &["minutes", "export", "M1", "-o", "victim.txt"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("--overwrite"), "{out}");
    assert_eq!(
        std::fs::read_to_string(env.path("victim.txt")).unwrap(),
        "keep me"
    );
    env.ok(&["minutes", "export", "M1", "-o", "victim.txt", "--overwrite"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &str| std::fs::metadata(env.path(p)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode("victim.txt"), 0o600, "a replaced file is private too");
        env.ok(&["export", "--json", "archive"]);
        assert_eq!(mode("archive"), 0o700);
        assert_eq!(mode("archive/members.jsonl"), 0o600);
        let (code, out) = run(&env, &["export", "--json", "archive"]);
        assert_eq!(code, 1, "{out}");
        env.ok(&["export", "--json", "archive", "--overwrite"]);
    }
    // An existing backup target needs --overwrite too.
    env.ok(&["backup", "bk.db"]);
    let (code, _) = run(&env, &["backup", "bk.db"]);
    assert_eq!(code, 1);
    env.ok(&["backup", "bk.db", "--overwrite"]);
}

#[test]
fn the_rejects_file_defuses_formulas_like_issue_list_csv() {
    let env = Env::new();
    env.write(
        "bad.csv",
        "标题,提出人,渠道,日期\n=HYPERLINK(\"http://x\"),@SUM(1),飞鸽,2026-11-01\n+cmd,-2+3,线上,2026-13-01\n好议题,居民,线上,2026-11-01\n",
    );
    env.ok(&[
        "issue",
        "import",
        "bad.csv",
        "--skip-invalid",
        "--rejects",
        "rejects.csv",
    ]);
    let rejects = std::fs::read_to_string(env.path("rejects.csv")).unwrap();
    for line in rejects.lines().skip(1) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "an unguarded formula cell {cell:?} in\n{rejects}"
            );
        }
    }
    assert!(
        rejects.contains("'=HYPERLINK")
            && rejects.contains("'@SUM(1)")
            && rejects.contains("'+cmd"),
        "{rejects}"
    );
}

#[test]
fn closing_a_vote_with_a_due_date_in_the_past_warns() {
    let env = Env::new();
    env.convened();
    env.ok(&[
        "council",
        "attend",
        "M1",
        "王建国",
        "李娜",
        "张伟",
        "林秀英",
        "赵敏",
    ]);
    env.ok(&["council", "open", "M1", "--at", "19:35"]);
    env.ok(&[
        "vote",
        "open",
        "M1",
        "--item",
        "1",
        "将老村部四楼改造为儿童活动中心",
    ]);
    env.ok(&[
        "vote",
        "cast",
        "V1",
        "--yes",
        "王建国,李娜,张伟,林秀英,赵敏",
    ]);
    let (_, err) = env.ok_both(&[
        "vote",
        "close",
        "V1",
        "--owner",
        "王建国",
        "--due",
        "2020-01-01",
    ]);
    assert!(err.contains("--due 2020-01-01 is already past"), "{err}");
}

/// The report reads attendance grouped by role and rules: an unknown role or unreadable rules
/// are named (table, column, value), never counted as one or the other.
#[test]
fn the_report_names_an_unknown_role_instead_of_counting_it() {
    for (statement, finding) in [
        (
            "UPDATE participants SET role = 'boss' WHERE role = 'standing'",
            "table participants, column role: unknown participant role \"boss\"",
        ),
        (
            "UPDATE meetings SET rules = '{broken'",
            "table meetings, column rules: cannot be read",
        ),
    ] {
        let env = Env::new();
        env.held();
        env.ok(&["report"]);
        sql(&env.db(), statement);
        let (code, out) = run(&env, &["report"]);
        assert_eq!(code, 65, "{statement}\n{out}");
        assert!(out.contains(finding), "{statement}\n{out}");
    }
}

/// Seals whose event is gone are each a finding, in the middle of the log and after its end.
#[test]
fn every_seal_of_a_deleted_event_is_named() {
    let env = Env::new();
    env.held();
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let count = |seq: &str| -> i64 {
        conn.query_row(
            &format!("SELECT count(*) FROM seals WHERE seq = {seq}"),
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    // The last event that sealed more than one row, and one in the middle.
    let last: i64 = conn
        .query_row(
            "SELECT max(seq) FROM (SELECT seq FROM seals GROUP BY seq HAVING count(*) > 1)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let sealed_last = count(&last.to_string());
    let sealed_middle = count("3");
    assert!(sealed_last > 1 && sealed_middle > 0);
    conn.execute_batch(&format!(
        "DELETE FROM events WHERE seq >= {last}; DELETE FROM events WHERE seq = 3;"
    ))
    .unwrap();
    drop(conn);
    let (code, out) = run(&env, &["verify"]);
    assert_eq!(code, 1, "{out}");
    for (seq, sealed) in [(last, sealed_last), (3, sealed_middle)] {
        let named = out
            .lines()
            .filter(|l| l.contains(&format!("belongs to event #{seq}, which does not exist")))
            .count() as i64;
        assert_eq!(named, sealed, "event #{seq}\n{out}");
    }
}

/// A database emptied behind yishi's back (truncated to nothing, or replaced by an SQLite file
/// with no tables) is refused by every command but `init` and `restore`: it used to start a new
/// database with a new log in it, even from a listing.
#[test]
fn an_emptied_database_is_refused_not_started_again() {
    let env = Env::new();
    env.ok(&["issue", "add", "路灯不亮", "--channel", "online"]);
    env.ok(&["backup", "b.db"]);
    for emptied in [None, Some("VACUUM")] {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = env.db().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
        std::fs::write(env.db(), b"").unwrap();
        if let Some(statement) = emptied {
            sql(&env.db(), statement);
        }
        let before = std::fs::read(env.db()).unwrap();
        for args in [
            &["issue", "list"][..],
            &["issue", "add", "新的", "--channel", "online"],
        ] {
            let err = env.fails(args, 65);
            assert!(
                err.contains("is empty: it is not a yishi database")
                    && err.contains("yishi restore FILE"),
                "{emptied:?} {args:?}: {err}"
            );
        }
        assert_eq!(
            std::fs::read(env.db()).unwrap(),
            before,
            "{emptied:?}: nothing written"
        );
        env.ok(&["restore", "b.db", "--force"]);
        assert!(env.ok(&["issue", "list"]).contains("路灯不亮"));
    }
}
