//! Records that hold, second round (issue 27): no write lost to a restore, no hidden trigger,
//! no forged re-seal, no spreadsheet bomb.

use crate::common;
use common::Env;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn run(env: &Env, args: &[&str]) -> (i32, String) {
    let out = env.cmd().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// Wait until `file` exists (a pause point reached), or fail naming it.
fn wait_for(file: &Path) {
    let started = Instant::now();
    while !file.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{} never appeared",
            file.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Problem 1: a write tried after the restore has compared the logs (and before the backup is
/// in place) used to commit, print "added issue", and vanish under the backup. The restore is
/// paused at that exact point (a pause hook, not a sleep); the write is refused as busy and
/// changes nothing, and the restore replaces exactly what it said it would.
#[test]
fn a_write_while_restore_runs_is_refused_not_lost() {
    let env = Env::new();
    env.held();
    env.ok(&["backup", "bk.db"]);
    env.ok(&["issue", "add", "恢复之前写入", "--channel", "online"]);
    let hooks = env.path("hooks");
    std::fs::create_dir(&hooks).unwrap();
    let restore = common::yishi(env.dir.path())
        .env("YISHI_TEST_PAUSE_DIR", &hooks)
        .args(["restore", "bk.db", "--force"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&hooks.join("restore-checked.reached"));
    let (code, out) = run(&env, &["issue", "add", "恢复期间写入", "--channel", "offline"]);
    assert_eq!(code, 75, "a write during the restore must be refused: {out}");
    assert!(out.contains("a restore is replacing"), "{out}");
    assert!(!out.contains("added issue"), "{out}");
    std::fs::write(hooks.join("restore-checked.go"), b"").unwrap();
    let done = common::wait_or_kill(restore, Duration::from_secs(120), "restore");
    let said = String::from_utf8_lossy(&done.stderr).into_owned();
    assert!(done.status.success(), "{said}");
    assert!(said.contains("1 later event(s)"), "{said}");
    // The write left no trace; the event the restore said it would replace is in the kept copy.
    let db = env.db();
    let q = |t: &str| format!("SELECT count(*) FROM issues WHERE title = '{t}'");
    assert_eq!(count(&db, &q("恢复期间写入")), 0);
    assert_eq!(count(&db, &q("恢复之前写入")), 0);
    let kept = env.path("yishi.db.before-restore");
    assert_eq!(count(&kept, &q("恢复之前写入")), 1);
    assert!(!env.path("yishi.db.restoring").exists());
    // Writes work again, and verify keeps the replaced database.
    env.ok(&["issue", "add", "恢复之后写入", "--channel", "online"]);
    env.ok(&["verify"]);
    assert!(kept.exists(), "verify must not remove the kept copy");
    // A second restore does not replace it silently.
    let (code, out) = run(&env, &["restore", "bk.db", "--force"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run(&env, &["restore", "bk.db"]);
    assert_eq!(code, 1, "{out}");
}

/// A restore left behind by kill -9 leaves its lock file; the lock itself is gone with the
/// process, so writes go on.
#[test]
fn a_stale_restore_lock_file_blocks_nothing() {
    let env = Env::new();
    env.held();
    std::fs::write(env.path("yishi.db.restoring"), b"").unwrap();
    env.ok(&["issue", "add", "照常写入", "--channel", "online"]);
}

fn sql(db: &Path, statements: &str) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch(statements)
        .unwrap();
}

const FLIP: &str = "AFTER INSERT ON ballots WHEN NEW.choice = 'no' \
                    BEGIN UPDATE ballots SET choice = 'yes' WHERE id = NEW.id; END;";

/// Problem 3, first case: a trigger named like one of yishi's indexes (triggers have their own
/// namespace in SQLite) used to hide behind that index in a check keyed by name alone.
#[test]
fn a_trigger_named_like_an_index_is_found() {
    let env = Env::new();
    env.held();
    sql(
        &env.db(),
        &format!(
            "CREATE TRIGGER issues_by_status {FLIP}
             DROP INDEX issues_by_status;
             CREATE INDEX issues_by_status ON issues(status, raised_on);"
        ),
    );
    for args in [&["verify"][..], &["verify", "--full"]] {
        let (code, out) = run(&env, args);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("trigger \"issues_by_status\" on ballots is not part of yishi's schema"),
            "{out}"
        );
    }
    let (code, out) = run(&env, &["backup", "evil.db"]);
    assert_eq!(code, 1, "{out}");
    assert!(!env.path("evil.db").exists());
    std::fs::copy(env.db(), env.path("evil.db")).unwrap();
    let (code, out) = run(&env, &["restore", "evil.db", "--force"]);
    assert_eq!(code, 1, "{out}");
}

/// Problem 3, second case: names starting `sqlite_stat` were skipped; only SQLite's own
/// statistics tables, as ANALYZE makes them, are allowed.
#[test]
fn a_trigger_named_like_a_statistics_table_is_found_and_analyze_is_not() {
    let env = Env::new();
    env.held();
    sql(&env.db(), "ANALYZE;");
    let out = env.ok(&["verify", "--full"]);
    assert!(out.starts_with("OK"), "{out}");
    sql(
        &env.db(),
        &format!("PRAGMA writable_schema = ON; CREATE TRIGGER sqlite_stat9 {FLIP}"),
    );
    let (code, out) = run(&env, &["verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("trigger \"sqlite_stat9\""), "{out}");
    // A table dressed as a statistics table is as foreign as any other.
    let env = Env::new();
    env.held();
    sql(
        &env.db(),
        "PRAGMA writable_schema = ON; CREATE TABLE sqlite_stat1(tbl, idx, stat, extra);",
    );
    let (code, out) = run(&env, &["verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("sqlite_stat1"), "{out}");
}
