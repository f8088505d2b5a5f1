//! Records that hold, second round, second half (issue 27, problems 2, 4, 7 to 11): a row's
//! identity is not its content, a closed meeting changes only after a logged reopening, output
//! goes only where it should, forgetting reaches every copy we make, and messages tell the truth.

use crate::common;
use common::Env;
use std::path::Path;

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// Problem 2: identical anonymous answers are four residents' answers, not one answer seen
/// three times; importing the file again adds nothing.
#[test]
fn identical_answers_in_one_file_are_all_imported_once() {
    let env = Env::new();
    env.held();
    env.write(
        "anon.csv",
        "议题编号,居民,满意度,是否知晓,意见建议,渠道,日期\n1,,5,是,,问卷,2026-09-07\n1,,5,是,,问卷,2026-09-07\n1,,5,是,,问卷,2026-09-07\n1,,2,否,,问卷,2026-09-07\n",
    );
    let before = count(&env.db(), "SELECT count(*) FROM feedback");
    let (_, note) = env.ok_both(&["feedback", "import", "anon.csv"]);
    assert!(note.contains("imported 4 answer(s)"), "{note}");
    assert_eq!(
        count(&env.db(), "SELECT count(*) FROM feedback"),
        before + 4
    );
    let (_, note) = env.ok_both(&["feedback", "import", "anon.csv"]);
    assert!(
        note.contains("imported 0 answer(s)") && note.contains("4 already present"),
        "{note}"
    );
    // A fifth identical answer in a longer file is the one new answer.
    env.write(
        "anon5.csv",
        "议题编号,居民,满意度,是否知晓,意见建议,渠道,日期\n1,,5,是,,问卷,2026-09-07\n1,,5,是,,问卷,2026-09-07\n1,,5,是,,问卷,2026-09-07\n1,,5,是,,问卷,2026-09-07\n1,,2,否,,问卷,2026-09-07\n",
    );
    let (_, note) = env.ok_both(&["feedback", "import", "anon5.csv"]);
    assert!(note.contains("imported 1 answer(s)"), "{note}");
    env.ok(&["verify", "--full"]);
}

/// Problem 2, issues: two identical rows are two issues; the file again adds none, and a file
/// with a third identical row adds one.
#[test]
fn identical_issue_rows_are_distinct_issues() {
    let env = Env::new();
    let row = "楼道灯坏了,3栋,,,,线下,,2026-05-01\n";
    let header = "标题,详情,提出人,电话,地址,渠道,类别,日期\n";
    env.write("two.csv", format!("{header}{row}{row}"));
    env.ok(&["issue", "import", "two.csv"]);
    assert_eq!(count(&env.db(), "SELECT count(*) FROM issues"), 2);
    env.ok(&["issue", "import", "two.csv"]);
    assert_eq!(count(&env.db(), "SELECT count(*) FROM issues"), 2);
    env.write("three.csv", format!("{header}{row}{row}{row}"));
    env.ok(&["issue", "import", "three.csv"]);
    assert_eq!(count(&env.db(), "SELECT count(*) FROM issues"), 3);
    env.ok(&["verify", "--full"]);
}

/// Problem 2, members: two residents of one name in one seat are two members.
#[test]
fn identical_roster_rows_are_two_members() {
    let env = Env::new();
    env.write(
        "roster.csv",
        "姓名,席位\n张伟,居民骨干代表\n张伟,居民骨干代表\n",
    );
    env.ok(&["member", "import", "roster.csv"]);
    assert_eq!(count(&env.db(), "SELECT count(*) FROM members"), 2);
    let (_, note) = env.ok_both(&["member", "import", "roster.csv"]);
    assert!(note.contains("2 already present"), "{note}");
    assert_eq!(count(&env.db(), "SELECT count(*) FROM members"), 2);
}

fn run(env: &Env, args: &[&str]) -> (i32, String) {
    let out = env.cmd().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn sha256_hex(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for p in parts {
        h.update(p);
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// What a forger who knows the hashes does (issue 27, problem 4): change a row, then append one
/// event, chained to the head, that seals the changed row, as `entity action`.
fn forge_reseal(db: &Path, table: &str, id: i64, set: &str, entity: &str, action: &str) {
    use rusqlite::types::ValueRef;
    use sha2::{Digest, Sha256};
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute(&format!("UPDATE {table} SET {set} WHERE id = {id}"), [])
        .unwrap();
    // The row's hash as yishi seals it: values in table order, trailing NULLs left out.
    let row_hash: Vec<u8> = conn
        .query_row(&format!("SELECT * FROM {table} WHERE id = {id}"), [], |r| {
            let n = r.as_ref().column_count();
            let values: Vec<ValueRef> = (0..n).map(|i| r.get_ref(i).unwrap()).collect();
            let len = values
                .iter()
                .rposition(|v| *v != ValueRef::Null)
                .map_or(0, |i| i + 1);
            let mut h = Sha256::new();
            h.update((len as u32).to_le_bytes());
            for v in &values[..len] {
                match v {
                    ValueRef::Null => h.update([0u8]),
                    ValueRef::Integer(i) => {
                        h.update([1u8]);
                        h.update(i.to_le_bytes());
                    }
                    ValueRef::Real(f) => {
                        h.update([2u8]);
                        h.update(f.to_bits().to_le_bytes());
                    }
                    ValueRef::Text(t) | ValueRef::Blob(t) => {
                        h.update([if matches!(v, ValueRef::Text(_)) {
                            3u8
                        } else {
                            4u8
                        }]);
                        h.update((t.len() as u64).to_le_bytes());
                        h.update(t);
                    }
                }
            }
            Ok(h.finalize().to_vec())
        })
        .unwrap();
    let seals = sha256_hex(&[
        &(table.len() as u32).to_le_bytes(),
        table.as_bytes(),
        &id.to_le_bytes(),
        &[1],
        &row_hash,
    ]);
    let (seq, at, actor, command, prev): (i64, String, String, String, String) = conn
        .query_row(
            "SELECT seq + 1, at, actor, command, hash FROM events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .unwrap();
    let change = "{}";
    let canonical =
        serde_json::json!([seq, at, actor, command, entity, null, action, change, seals])
            .to_string();
    let hash = sha256_hex(&[prev.as_bytes(), b"\n", canonical.as_bytes()]);
    conn.execute(
        "INSERT INTO events (seq, at, actor, command, entity, entity_id, action, change, seals, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, NULL, ?6, ?7, ?8, ?9, ?10)",
        rusqlite::params![seq, at, actor, command, entity, action, change, seals, prev, hash],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO seals (seq, tbl, row_id, hash) VALUES (?1, ?2, ?3, ?4)",
        rusqlite::params![seq, table, id, row_hash],
    )
    .unwrap();
}

/// The check code printed on the minutes of M1.
fn minutes_code(env: &Env) -> String {
    let doc = env.ok(&["minutes", "export", "M1"]);
    doc.lines()
        .find(|l| l.contains("记录校验码"))
        .unwrap_or_else(|| panic!("no check code in\n{doc}"))
        .to_string()
}

/// Problem 4: a speech of closed meeting M1 edited and re-sealed by one appended event passed
/// every check. Now plain verify names the row re-sealed after the close with no reopening.
#[test]
fn a_forged_reseal_of_a_closed_meeting_is_caught_by_plain_verify() {
    let env = Env::new();
    env.held();
    let code = minutes_code(&env);
    env.ok(&["verify", "--full", "--anchor", &code]);
    forge_reseal(
        &env.db(),
        "speeches",
        1,
        "summary = '我完全同意'",
        "issue",
        "note",
    );
    let (exit, out) = run(&env, &["verify", "--full"]);
    assert_eq!(exit, 1, "{out}");
    assert!(
        out.contains("speeches #1 of meeting #1 was changed by event")
            && out.contains("with no reopening"),
        "{out}"
    );
    let (exit, out) = run(&env, &["verify", "--anchor", &code]);
    assert_eq!(exit, 1, "{out}");
    assert!(out.contains("is not what its minutes' check code"), "{out}");
}

/// Problem 4, with the forged event dressed as forgetting a person (which may change names in
/// a closed meeting's rows): plain verify cannot tell it from a real one, the minutes' check
/// code can, since the close committed to the record's content.
#[test]
fn a_reseal_dressed_as_forgetting_is_caught_by_the_minutes_check_code() {
    let env = Env::new();
    env.held();
    let code = minutes_code(&env);
    forge_reseal(
        &env.db(),
        "speeches",
        1,
        "summary = '我完全同意'",
        "member",
        "forget",
    );
    let (exit, out) = run(&env, &["verify", "--full"]);
    assert_eq!(
        exit, 0,
        "undetectable without the anchor (README says so)\n{out}"
    );
    let (exit, out) = run(&env, &["verify", "--full", "--anchor", &code]);
    assert_eq!(exit, 1, "{out}");
    assert!(
        out.contains("the record of meeting #1 is not what its minutes' check code"),
        "{out}"
    );
}

/// What may change a closed meeting: forgetting a person (names only) keeps the minutes' check
/// code valid; a logged reopening allows any change, and the minutes then show it.
#[test]
fn forgetting_and_reopening_keep_the_minutes_check_code_honest() {
    let env = Env::new();
    env.held();
    let code = minutes_code(&env);
    env.ok(&["member", "forget", "1", "--yes"]);
    env.ok(&["verify", "--full", "--anchor", &code]);
    env.ok(&["council", "reopen", "M1", "--reason", "补记发言"]);
    env.ok(&[
        "council",
        "speech",
        "edit",
        "1",
        "--summary",
        "改正后的发言",
        "--reason",
        "笔误",
    ]);
    env.ok(&["council", "close", "M1"]);
    env.ok(&["verify", "--full", "--anchor", &code]);
    let new_code = minutes_code(&env);
    assert_ne!(new_code, code);
    env.ok(&["verify", "--full", "--anchor", &new_code]);
}

/// Problem 7: `-o` writes only regular files. A pipe and a socket at the target are refused even
/// with --force, and stay what they were.
#[test]
fn output_refuses_pipes_and_sockets_even_with_force() {
    use std::os::unix::fs::FileTypeExt;
    let env = Env::new();
    env.held();
    let fifo = env.path("ff");
    assert!(
        common::isolated("mkfifo", env.dir.path())
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let _socket = std::os::unix::net::UnixListener::bind(env.path("sock")).unwrap();
    for target in ["ff", "sock"] {
        let err = env.fails(
            &[
                "minutes", "export", "M1", "-o", target, "--format", "md", "--force",
            ],
            1,
        );
        assert!(err.contains("not a regular file"), "{err}");
    }
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    assert!(
        std::fs::symlink_metadata(env.path("sock"))
            .unwrap()
            .file_type()
            .is_socket()
    );
}

/// Problem 11: a symlinked folder anywhere below the current folder is refused, not only as the
/// last folder; `-o -` is standard output, not a file named `-`.
#[test]
fn output_refuses_links_on_the_way_and_dash_is_stdout() {
    let env = Env::new();
    env.held();
    std::fs::create_dir(env.path("real")).unwrap();
    std::os::unix::fs::symlink(env.path("real"), env.path("linkdir")).unwrap();
    let err = env.fails(&["minutes", "export", "M1", "-o", "linkdir/sub/m.md"], 1);
    assert!(err.contains("linkdir is a symbolic link"), "{err}");
    assert!(!env.path("real/sub").exists());
    let doc = env.ok(&["minutes", "export", "M1", "-o", "-"]);
    assert!(doc.contains("记录校验码"), "{doc}");
    assert!(!env.path("-").exists());
}

/// Problem 8 and 11: a temporary copy left by a killed run (`.NAME.*.yishi-tmp`, unlocked) is
/// removed by the next write of that name; one a running yishi holds (locked) is left alone.
#[test]
fn stale_temporary_copies_are_removed_and_live_ones_kept() {
    let env = Env::new();
    env.held();
    // Left an hour ago; a file made in the last seconds may be another run's, just created.
    let aged = |path: &Path| {
        let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(path)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
    };
    let stale = env.write(".m.md.Ab12Cd.yishi-tmp", "a full copy left by kill -9");
    let fresh = env.write(".m.md.Fr3sh0.yishi-tmp", "just created by another run");
    let live = env.write(".m.md.Zz99Yy.yishi-tmp", "being written");
    aged(&stale);
    aged(&live);
    let holder = std::fs::File::open(&live).unwrap();
    holder.lock().unwrap();
    env.ok(&["minutes", "export", "M1", "-o", "m.md"]);
    assert!(!stale.exists(), "the stale copy is still there");
    assert!(live.exists(), "a copy another yishi holds was removed");
    assert!(fresh.exists(), "a copy made seconds ago was removed");
    drop(holder);
    let stale_backup = env.write(".bk.db.Q1w2E3.yishi-tmp", "old backup copy");
    let stale_journal = env.write(".bk.db.Q1w2E3.yishi-tmp-journal", "its SQLite journal");
    aged(&stale_backup);
    aged(&stale_journal);
    env.ok(&["backup", "bk.db"]);
    assert!(!stale_backup.exists() && !stale_journal.exists());
}

/// Problem 8: an `export --json` killed halfway leaves only temporary files (every file is
/// renamed into place at the end), so running it again simply works.
#[test]
fn a_killed_export_can_be_run_again() {
    let env = Env::new();
    env.held();
    let hooks = env.path("hooks");
    std::fs::create_dir(&hooks).unwrap();
    let mut export = common::yishi(env.dir.path())
        .env("YISHI_TEST_PAUSE_DIR", &hooks)
        .args(["export", "--json", "archive"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let reached = hooks.join("export-staged.reached");
    let started = std::time::Instant::now();
    while !reached.exists() {
        assert!(started.elapsed().as_secs() < 120, "the export never paused");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    export.kill().unwrap();
    export.wait().unwrap();
    let left: Vec<String> = std::fs::read_dir(env.path("archive"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.iter().all(|n| n.ends_with(".yishi-tmp")), "{left:?}");
    // Run again at once: it works (nothing of the killed run is at a target name).
    env.ok(&["export", "--json", "archive"]);
    // Run again later: the killed run's leftovers are removed.
    for name in &left {
        std::fs::File::options()
            .write(true)
            .open(env.path("archive").join(name))
            .unwrap()
            .set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(3600))
            .unwrap();
    }
    env.ok(&["export", "--json", "archive", "--force"]);
    let after: Vec<String> = std::fs::read_dir(env.path("archive"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(after.iter().all(|n| !n.contains("yishi-tmp")), "{after:?}");
    assert!(after.contains(&"manifest.json".to_string()), "{after:?}");
}

/// Problem 11: yishi.toml is private (0600) whatever the umask.
#[test]
fn the_config_is_private_under_any_umask() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin!("yishi");
    let status = common::isolated("sh", dir.path())
        .env("YISHI_NOW", "2026-11-20T10:00")
        .env("YISHI_LANG", "en")
        .args([
            "-c",
            "umask 000; exec \"$0\" init --community 汀塘社区 --population 4000",
        ])
        .arg(bin)
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    let mode = std::fs::metadata(dir.path().join("yishi.toml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

/// Problem 11: the calendar's NAME escapes a comma of the community's name, as X-WR-CALNAME does.
#[test]
fn the_calendar_name_escapes_commas() {
    let env = Env::empty();
    env.ok(&["init", "--community", "汀塘,东区", "--population", "100"]);
    let ics = env.ok(&["calendar"]);
    assert!(ics.contains("\nNAME:汀塘\\,东区议事日历"), "{ics}");
    assert!(ics.contains("\nX-WR-CALNAME:汀塘\\,东区议事日历"), "{ics}");
}

/// Problem 11: a listing piped to a file shows a formula as text, as the CSV export does.
#[test]
fn piped_listings_guard_formulas() {
    let env = Env::new();
    env.ok(&[
        "issue",
        "add",
        "=HYPERLINK(\"http://evil\",\"点我\")",
        "--channel",
        "online",
    ]);
    let list = env.ok(&["issue", "list"]);
    assert!(list.contains("'=HYPERLINK("), "{list}");
}

/// Problem 11: a workbook carries the command's time (YISHI_NOW), not the moment it was made:
/// the same report made twice, a second apart, is the same file.
#[test]
fn workbooks_carry_the_commands_time() {
    let env = Env::new();
    env.held();
    env.ok(&["report", "--format", "xlsx", "-o", "a.xlsx"]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    env.ok(&["report", "--format", "xlsx", "-o", "b.xlsx"]);
    assert!(
        std::fs::read(env.path("a.xlsx")).unwrap() == std::fs::read(env.path("b.xlsx")).unwrap(),
        "two workbooks of the same command time differ"
    );
}

/// Problem 8: forgetting reaches the stored text of notices, and so `export --json`, the file
/// and later backups.
#[test]
fn forgetting_reaches_notices_and_exports() {
    let env = Env::new();
    env.held();
    env.ok(&["notice", "decision", "M1", "--date", "2026-12-02"]);
    let named = |who: &str| {
        count(
            &env.db(),
            &format!("SELECT count(*) FROM notices WHERE instr(text, '{who}') > 0"),
        )
    };
    let who = ["王建国", "赵敏", "李娜", "张伟"]
        .into_iter()
        .find(|w| named(w) > 0)
        .expect("the decision notice names a member");
    env.ok(&["member", "forget", who, "--yes"]);
    assert_eq!(named(who), 0, "the notice still names {who}");
    env.ok(&["verify", "--full"]);
    env.ok(&["export", "--json", "archive"]);
    let notices = std::fs::read_to_string(env.path("archive/notices.jsonl")).unwrap();
    assert!(
        !notices.contains(who) && notices.contains("已注销成员"),
        "{notices}"
    );
    env.ok(&["backup", "after.db"]);
    for file in ["yishi.db", "after.db"] {
        let bytes = std::fs::read(env.path(file)).unwrap();
        let needle = who.as_bytes();
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "{file} still holds {who}"
        );
    }
}

/// Problem 10: stored text that is not UTF-8 (a flipped byte) is bad data (65) naming the table,
/// row and column, not "a bug in yishi" (70).
#[test]
fn stored_text_that_is_not_utf8_is_bad_data_named_by_place() {
    let env = Env::new();
    env.held();
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "UPDATE speeches SET summary = CAST(X'E4B8E4' AS TEXT) WHERE id = 2",
        [],
    )
    .unwrap();
    drop(conn);
    for args in [
        &["council", "show", "M1"][..],
        &["minutes", "export", "M1"],
        &["council", "list"],
    ] {
        let (code, out) = run(&env, args);
        if code == 0 {
            continue; // a listing that does not read speeches
        }
        assert_eq!(code, 65, "{args:?}: {out}");
        assert!(
            out.contains("speeches row 2, column summary") && out.contains("not valid UTF-8"),
            "{args:?}: {out}"
        );
    }
    let (code, out) = run(&env, &["council", "show", "M1"]);
    assert_eq!(code, 65, "{out}");
}

/// Problem 10: when the disk fills after a forgetting is committed (the file's rebuild fails),
/// yishi says the forgetting is saved and what may remain, instead of "nothing was changed".
#[test]
fn a_forget_whose_cleanup_fails_says_it_was_saved() {
    let env = Env::new();
    env.held();
    let out = env
        .cmd()
        .env("YISHI_TEST_FAIL", "scrub")
        .args(["member", "forget", "王建国", "--yes"])
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(
        said.contains("the forgetting is saved") && said.contains("disk full"),
        "{said}"
    );
    assert!(!said.contains("nothing was changed"), "{said}");
    assert_eq!(
        count(
            &env.db(),
            "SELECT count(*) FROM members WHERE name = '王建国'"
        ),
        0
    );
    env.ok(&["verify"]);
}

/// Problem 10: a UTF-16 CSV (Excel's "Unicode text") is read as UTF-16 and labelled so, not
/// decoded as GB18030 into nonsense.
#[test]
fn a_utf16_csv_is_read_and_labelled_as_utf16() {
    let env = Env::new();
    let text = "标题,渠道,日期\n路灯不亮,线下,2026-05-01\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    env.write("le.csv", le);
    let (_, note) = env.ok_both(&["issue", "import", "le.csv"]);
    assert!(note.contains("(UTF-16LE)"), "{note}");
    let be: Vec<u8> = text
        .replace("路灯不亮", "楼道堆物")
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    env.write("be.csv", be);
    let (_, note) = env.ok_both(&["issue", "import", "be.csv"]);
    assert!(note.contains("(UTF-16BE)"), "{note}");
    let list = env.ok(&["issue", "list"]);
    assert!(
        list.contains("路灯不亮") && list.contains("楼道堆物"),
        "{list}"
    );
}

/// Problem 10: a file that lost its last byte is called cut (not "row seals changed"), and a
/// header whose write version makes SQLite open the file read-only is named, by verify and by a
/// write (not "check the file's permissions").
#[test]
fn a_cut_file_and_a_read_only_header_are_named() {
    let env = Env::new();
    env.held();
    env.ok(&["backup", "cut.db"]);
    env.ok(&["backup", "flag.db"]);
    let cut = std::fs::OpenOptions::new()
        .write(true)
        .open(env.path("cut.db"))
        .unwrap();
    let len = cut.metadata().unwrap().len();
    cut.set_len(len - 1).unwrap();
    drop(cut);
    let (code, out) = run(&env, &["--db", "cut.db", "verify"]);
    assert_eq!(code, 1, "{out}");
    let first = out.lines().next().unwrap_or_default();
    assert!(first.contains("cut.db is cut short"), "{out}");

    let mut bytes = std::fs::read(env.path("flag.db")).unwrap();
    bytes[18] = 3;
    std::fs::write(env.path("flag.db"), bytes).unwrap();
    let (code, out) = run(&env, &["--db", "flag.db", "verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("byte 18, write version, is 3"), "{out}");
    let (code, out) = run(
        &env,
        &[
            "--db",
            "flag.db",
            "issue",
            "add",
            "测试",
            "--channel",
            "online",
        ],
    );
    assert_eq!(code, 65, "{out}");
    assert!(
        out.contains("byte 18") && !out.contains("permissions"),
        "{out}"
    );
}

/// Problem 9: a resident who raised an issue is masked wherever the issue names them (as a
/// stakeholder and a party consulted too, not only as its submitter); a party that raised
/// nothing stays readable.
#[test]
fn a_resident_is_masked_the_same_way_wherever_they_appear() {
    let env = Env::new();
    env.ok(&[
        "issue",
        "add",
        "楼道灯坏了",
        "--by",
        "陈阿姨",
        "--channel",
        "offline",
        "--stakeholder",
        "陈阿姨",
        "--stakeholder",
        "物业公司",
    ]);
    env.ok(&["issue", "accept", "1"]);
    env.ok(&[
        "issue",
        "consult",
        "1",
        "--with",
        "陈阿姨",
        "--summary",
        "同意晚上检修",
    ]);
    let shown = env.ok(&["issue", "show", "1"]);
    assert!(!shown.contains("陈阿姨"), "{shown}");
    assert!(
        shown.contains("陈**") && shown.contains("物业公司"),
        "{shown}"
    );
    let json = env.ok(&["--json", "issue", "show", "1"]);
    assert!(!json.contains("陈阿姨"), "{json}");
    let full = env.ok(&["issue", "show", "1", "--show-contacts"]);
    assert!(full.contains("陈阿姨"), "{full}");
}

/// Problem 9: `--show-contacts` is logged (who, when, which command) before anything is shown.
#[test]
fn showing_contacts_is_an_audit_event() {
    let env = Env::new();
    env.ok(&[
        "issue",
        "add",
        "楼道灯坏了",
        "--by",
        "陈阿姨",
        "--phone",
        "13900001111",
        "--channel",
        "offline",
    ]);
    let before = count(&env.db(), "SELECT count(*) FROM events");
    env.ok(&["issue", "list"]);
    assert_eq!(count(&env.db(), "SELECT count(*) FROM events"), before);
    let shown = env
        .cmd()
        .env("USER", "李书记")
        .args(["issue", "show", "1", "--show-contacts"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains("13900001111"));
    let (actor, command, action): (String, String, String) = rusqlite::Connection::open(env.db())
        .unwrap()
        .query_row(
            "SELECT actor, command, action FROM events ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(action, "show-contacts");
    assert_eq!(command, "issue --show-contacts");
    assert!(!actor.is_empty(), "{actor}");
    let log = env.ok(&["log"]);
    assert!(log.contains("show-contacts"), "{log}");
    env.ok(&["verify"]);
    // A database that cannot take the event shows nothing.
    let mut perms = std::fs::metadata(env.db()).unwrap().permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o400);
    std::fs::set_permissions(env.db(), perms).unwrap();
    let out = env
        .cmd()
        .args(["issue", "show", "1", "--show-contacts"])
        .output()
        .unwrap();
    if out.status.success() {
        // root ignores file modes: nothing to check there.
        return;
    }
    assert!(!String::from_utf8_lossy(&out.stdout).contains("13900001111"));
}

/// Problem 2, the other side of confirming on the fields: a stored row changed since it was
/// imported (its resident forgotten) is still the row the file's line made, so importing the
/// file again neither adds the issue again nor brings the forgotten name back.
#[test]
fn importing_again_after_forgetting_brings_no_one_back() {
    let env = Env::new();
    let file = "标题,详情,提出人,电话,地址,渠道,类别,日期\n楼道灯坏了,3栋,陈阿姨,13900001111,,线下,,2026-05-01\n楼道灯坏了,3栋,陈阿姨,13900001111,,线下,,2026-05-01\n";
    env.write("in.csv", file);
    env.ok(&["issue", "import", "in.csv"]);
    env.ok(&["resident", "forget", "陈阿姨", "--yes"]);
    let (_, note) = env.ok_both(&["issue", "import", "in.csv"]);
    assert!(note.contains("2 already present"), "{note}");
    assert_eq!(
        count(
            &env.db(),
            "SELECT count(*) FROM issues WHERE submitted_by = '陈阿姨'"
        ),
        0
    );
    assert_eq!(count(&env.db(), "SELECT count(*) FROM issues"), 2);
}

/// Problem 9 in the minutes: the resident who raised an item is masked as a party consulted
/// too, not only as its submitter; the property company stays readable.
#[test]
fn the_minutes_mask_a_resident_wherever_an_item_names_them() {
    let env = Env::new();
    env.convened();
    env.ok(&[
        "issue",
        "consult",
        "1",
        "--with",
        "陈阿姨",
        "--summary",
        "希望周末也开放",
    ]);
    let minutes = env.ok(&["minutes", "export", "M1"]);
    assert!(!minutes.contains("陈阿姨"), "{minutes}");
    // Markdown escapes the stars.
    assert!(
        minutes.contains("陈\\*\\*): 希望周末也开放") && minutes.contains("物业公司"),
        "{minutes}"
    );
    let full = env.ok(&["minutes", "export", "M1", "--show-contacts"]);
    assert!(full.contains("陈阿姨"), "{full}");
}
