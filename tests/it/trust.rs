//! Trustworthy records: tamper evidence, backup and restore, the archive, forgetting, crashes,
//! concurrent use and hostile input.

use crate::common;
use common::Env;
use std::process::{Command, Stdio};

fn verify_report(env: &Env) -> (i32, String) {
    let out = env.cmd().arg("verify").output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn verify_names_what_was_edited_behind_its_back() {
    let env = Env::new();
    env.held();
    assert_eq!(verify_report(&env).0, 0);

    // A vote count changed with another SQLite tool.
    env.sql("UPDATE motions SET yes = 9 WHERE id = 3");
    let (code, report) = verify_report(&env);
    assert_eq!(code, 1);
    insta::assert_snapshot!(report);
}

#[test]
fn verify_catches_edited_deleted_and_added_rows_and_events() {
    let env = Env::new();
    env.held();
    env.sql("UPDATE speeches SET summary = '完全同意' WHERE id = 2");
    env.sql("UPDATE events SET actor = '别人' WHERE seq = 5");
    env.sql("DELETE FROM events WHERE seq = 7");
    env.sql("INSERT INTO members (name, seat, joined_on, created_at) VALUES ('冒名', 'women', '2026-01-01', 'x')",
    );
    env.sql("DELETE FROM consultations WHERE id = 1");
    let (code, report) = verify_report(&env);
    assert_eq!(code, 1);
    assert!(
        report.contains("speeches #2 was changed outside yishi after event #"),
        "{report}"
    );
    assert!(
        report.contains("event #5") && report.contains("was edited outside yishi"),
        "{report}"
    );
    assert!(report.contains("events #7 missing"), "{report}");
    assert!(
        report.contains("members #9 was added outside yishi"),
        "{report}"
    );
    assert!(
        report.contains("consultations #1 was deleted outside yishi"),
        "{report}"
    );
}

#[test]
fn backup_restore_and_export() {
    let env = Env::new();
    env.held();
    env.ok(&["backup", "copy.db"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.path("copy.db"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
    env.ok(&["--db", "copy.db", "verify"]);
    env.fails(&["backup", "copy.db"], 1);
    // Something goes wrong in the live database; the backup brings it back.
    env.ok(&["issue", "add", "之后添加的议题", "--channel", "online"]);
    let err = env.fails(&["restore", "copy.db"], 1);
    assert!(err.contains("--accept-loss"), "{err}");
    env.ok(&["restore", "copy.db", "--accept-loss"]);
    assert!(
        !env.ok(&["issue", "list", "--json"])
            .contains("之后添加的议题")
    );
    env.ok(&["verify"]);
    // A tampered backup is refused.
    {
        let conn = rusqlite::Connection::open(env.path("copy.db")).unwrap();
        conn.execute_batch("UPDATE ballots SET choice = 'no' WHERE id = 1")
            .unwrap();
    }
    let err = env.fails(&["restore", "copy.db", "--force"], 1);
    assert!(err.contains("does not verify"), "{err}");

    env.ok(&["export", "--json", "archive"]);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.path("archive/manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["format"], "yishi-archive");
    let members = std::fs::read_to_string(env.path("archive/members.jsonl")).unwrap();
    assert_eq!(members.lines().count(), 8);
    assert!(!members.contains("13800001234") && !members.contains("\"phone\""));
    let first: serde_json::Value = serde_json::from_str(members.lines().next().unwrap()).unwrap();
    assert_eq!(first["name"], "王建国");
    env.ok(&["export", "--json", "full", "--include-contacts"]);
    assert!(
        std::fs::read_to_string(env.path("full/members.jsonl"))
            .unwrap()
            .contains("13800001234")
    );
}

#[test]
fn forgetting_a_person_keeps_their_votes_under_a_pseudonym() {
    let env = Env::new();
    env.held();
    env.fails(&["member", "forget", "张伟"], 2);
    env.ok(&["member", "forget", "张伟", "--yes"]);
    env.ok(&["resident", "forget", "陈阿姨", "--yes"]);
    let minutes = env.ok(&["minutes", "export", "M1", "--show-contacts"]);
    assert!(
        !minutes.contains("张伟") && minutes.contains("已注销成员4"),
        "{minutes}"
    );
    assert!(!minutes.contains("陈阿姨") && minutes.contains("已注销居民1"));
    let show = env.ok(&["member", "show", "4", "--json", "--show-contacts"]);
    assert!(show.contains("\"phone\": null"));
    env.ok(&["verify"]);
    env.fails(&["resident", "forget", "不存在的人", "--yes"], 65);
}

#[test]
fn a_killed_import_leaves_all_or_nothing() {
    let env = Env::new();
    // A file big enough that the import is still writing when it is killed.
    let mut csv = String::from("标题,提出人,渠道,日期\n");
    for i in 0..200_000 {
        csv.push_str(&format!("议题{i},居民{i},线上,2026-11-01\n"));
    }
    env.write("big.csv", &csv);
    let mut child = common::yishi(env.dir.path())
        .args(["issue", "import", "big.csv", "-q"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Wait until it has started writing, then kill -9. A large import writes through the
    // rollback journal (the database grows, a -journal file exists) or, when another process
    // has the file open, through the WAL.
    let initial = std::fs::metadata(env.db()).unwrap().len();
    let grown = |suffix: &str, over: u64| {
        std::fs::metadata(env.path(&format!("yishi.db{suffix}")))
            .map(|m| m.len() > over)
            .unwrap_or(false)
    };
    let start = std::time::Instant::now();
    let mut caught_writing = false;
    while start.elapsed() < std::time::Duration::from_secs(20) {
        if grown("-journal", 0) && grown("", initial + (1 << 20)) || grown("-wal", 1 << 20) {
            caught_writing = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    // verify never writes, so it does not roll back an interrupted write: it says so (65).
    let (code, report) = verify_report(&env);
    if env.path("yishi.db-journal").exists()
        && std::fs::metadata(env.path("yishi.db-journal"))
            .unwrap()
            .len()
            > 0
    {
        assert_eq!(code, 65, "{report}");
        assert!(report.contains("interrupted write"), "{report}");
        // Any command that opens the database for writing rolls it back.
        env.ok(&["member", "list"]);
    }
    let (code, report) = verify_report(&env);
    assert_eq!(code, 0, "{report}");
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM issues", [], |r| r.get(0))
        .unwrap();
    eprintln!("caught writing: {caught_writing}, rows: {n}");
    // Killed mid-write, nothing may remain; a leftover journal was rolled back by the next open.
    assert!(
        caught_writing,
        "the import finished before it could be killed: use a larger file"
    );
    assert_eq!(n, 0, "the import was killed while writing, yet rows remain");
    assert!(
        !env.path("yishi.db-journal").exists()
            || std::fs::metadata(env.path("yishi.db-journal"))
                .unwrap()
                .len()
                == 0
    );
}

#[test]
fn four_processes_at_once_lose_nothing() {
    let env = Env::new();
    env.convened();
    let per_process = common::soak_rounds(25, 250);
    let workers: Vec<_> = (0..4)
        .map(|w| {
            let dir = env.dir.path().to_path_buf();
            std::thread::spawn(move || {
                for i in 0..per_process {
                    let args: Vec<String> = if w < 2 {
                        vec![
                            "issue".into(),
                            "add".into(),
                            format!("并发议题 {w}-{i}"),
                            "--channel".into(),
                            "online".into(),
                        ]
                    } else {
                        let name =
                            ["王建国", "李娜", "张伟", "林秀英", "赵敏", "孙强"][(i + w) % 6];
                        if i % 2 == 0 {
                            vec!["council".into(), "attend".into(), "M1".into(), name.into()]
                        } else {
                            vec![
                                "council".into(),
                                "absent".into(),
                                "M1".into(),
                                name.into(),
                                "--reason".into(),
                                format!("第{i}次"),
                            ]
                        }
                    };
                    let out = common::yishi(&dir)
                        .env("YISHI_NOW", common::MEETING_DAY)
                        .args(&args)
                        .arg("-q")
                        .output()
                        .unwrap();
                    assert!(
                        out.status.success(),
                        "{args:?}: {}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let issues: i64 = conn
        .query_row(
            "SELECT count(*) FROM issues WHERE title LIKE '并发议题%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(issues, 2 * per_process as i64);
    let attendance_events: i64 = conn
        .query_row(
            "SELECT count(*) FROM events WHERE action = 'attendance'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(attendance_events, 2 * per_process as i64);
    let (code, report) = verify_report(&env);
    assert_eq!(code, 0, "{report}");
}

#[test]
fn hostile_text_is_refused_or_shown_safely() {
    let env = Env::new();
    // (A NUL byte cannot travel in a command-line argument; the CSV below has one.)
    for bad in ["王\u{1b}[2J", "王\u{202e}伟", &"长".repeat(101)] {
        let err = env.fails(&["member", "add", bad, "--seat", "women"], 65);
        assert!(!err.contains('\u{1b}'), "{err:?}");
    }
    env.write(
        "evil.csv",
        "标题,提出人,渠道\n\"清屏\u{1b}[2J\",张三,线上\n正常议题,\"李\u{202e}四\",线上\n空字节\0议题,王五,线上\n",
    );
    let err = env.fails(&["issue", "import", "evil.csv"], 65);
    assert!(
        err.contains("evil.csv:2: column \"标题\"") && err.contains("U+001B"),
        "{err}"
    );
    assert!(
        err.contains("evil.csv:3: column \"提出人\"") && err.contains("U+202E"),
        "{err}"
    );
    assert!(
        err.contains("evil.csv:4: column \"标题\"") && err.contains("U+0000"),
        "{err}"
    );
    assert!(!err.contains('\u{1b}') && !err.contains('\u{202e}'));
    // A very long detail is refused with its limit.
    let long = "很".repeat(20_001);
    let err = env.fails(
        &[
            "issue",
            "add",
            "标题",
            "--channel",
            "online",
            "--detail",
            &long,
        ],
        65,
    );
    assert!(err.contains("at most 20000"), "{err}");
}

/// Makes a file unwritable for whoever runs the tests, root included (CI runs as root, whom
/// file modes do not stop): `chattr +i` as root, mode 0400 otherwise. Undone on drop.
#[cfg(unix)]
struct Unwritable(std::path::PathBuf);

#[cfg(unix)]
impl Unwritable {
    fn new(path: std::path::PathBuf) -> Unwritable {
        use std::os::unix::fs::PermissionsExt;
        let root = Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
        if root {
            let out = Command::new("chattr").arg("+i").arg(&path).output();
            assert!(
                out.as_ref().is_ok_and(|o| o.status.success()),
                "as root this test needs `chattr +i` (e2fsprogs, on a file system that supports it): {out:?}"
            );
        } else {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o400)).unwrap();
        }
        // Whatever the means, the file must now refuse to be opened for writing.
        assert!(
            std::fs::OpenOptions::new()
                .append(true)
                .open(&path)
                .is_err(),
            "{} is still writable",
            path.display()
        );
        Unwritable(path)
    }
}

#[cfg(unix)]
impl Drop for Unwritable {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        let _ = Command::new("chattr").arg("-i").arg(&self.0).output();
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o600));
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_database_gives_a_clear_error() {
    let env = Env::new();
    env.ok(&["member", "add", "林秀英", "--seat", "women"]);
    let before = std::fs::read(env.db()).unwrap();
    let guard = Unwritable::new(env.db());
    let out = env
        .cmd()
        .args(["member", "add", "王", "--seat", "women"])
        .output()
        .unwrap();
    // Reading still works.
    let list = env.ok(&["member", "list", "--json"]);
    drop(guard);
    let err = String::from_utf8_lossy(&out.stderr);
    insta::assert_snapshot!(format!("exit {:?}\n{err}", out.status.code()));
    assert!(list.contains("林秀英"), "{list}");
    assert_eq!(std::fs::read(env.db()).unwrap(), before);
}

/// A file of an older schema that cannot be written: it must be upgraded before anything
/// reads it, so even a listing is refused, and the message says that, with the file's path
/// and both versions, instead of only "read-only"; the file is left as it was, and once it
/// can be written the same command upgrades it.
#[cfg(unix)]
#[test]
fn an_older_read_only_database_names_the_upgrade_it_needs() {
    let env = Env::new();
    env.ok(&["issue", "add", "路灯不亮", "--channel", "offline"]);
    let latest: i64 = rusqlite::Connection::open(env.db())
        .unwrap()
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    // The last migration runs again on an older file (it replaces indexes it may find).
    env.sql(&format!("PRAGMA user_version = {}", latest - 1));
    let before = std::fs::read(env.db()).unwrap();
    let guard = Unwritable::new(env.db());
    let out = common::yishi_zh(env.dir.path())
        .args(["issue", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(65));
    let zh = String::from_utf8_lossy(&out.stderr).into_owned();
    let en = env.fails(&["issue", "list"], 65);
    drop(guard);
    // The file as the command was given it (`--db yishi.db`).
    let path = env.db().file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        zh.contains(&format!(
            "{path} 的结构版本为 {}，本版 yishi 须先把它升级到 {latest} 才能使用，但该文件是只读的",
            latest - 1
        )),
        "{zh}"
    );
    assert!(
        en.contains(&format!(
            "{path} has schema version {}, which this yishi must upgrade to {latest}",
            latest - 1
        )),
        "{en}"
    );
    assert_eq!(std::fs::read(env.db()).unwrap(), before);
    assert!(env.ok(&["issue", "list"]).contains("路灯不亮"));
    env.ok(&["verify"]);
}

#[test]
fn the_log_shows_a_meeting_or_an_entity() {
    let env = Env::new();
    env.held();
    let log: serde_json::Value =
        serde_json::from_str(&env.ok(&["log", "--meeting", "M1", "--json"])).unwrap();
    let entities: std::collections::BTreeSet<&str> = log
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entity"].as_str().unwrap())
        .collect();
    assert_eq!(entities, ["meeting", "motion"].into_iter().collect());
    let log: serde_json::Value =
        serde_json::from_str(&env.ok(&["log", "--entity", "issue:1", "--json"])).unwrap();
    assert!(
        log.as_array()
            .unwrap()
            .iter()
            .all(|e| e["entity"] == "issue" && e["entity_id"] == 1)
    );
    assert_eq!(log[0]["action"], "add");
    assert_eq!(log[0]["actor"], "tester");
    // Personal values never enter the log.
    assert!(!env.ok(&["log", "--json"]).contains("13800001234"));
}
