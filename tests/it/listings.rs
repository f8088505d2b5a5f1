//! End-to-end: listings are pages (newest first, with a footer), --all, --json and --csv give
//! every match, filters combine, and a large import returns with its listing indexes and text
//! index built (one killed in that stage is completed by the next write).

use crate::common;
use common::Env;

/// `n` issues, one a day from 2026-01-01 on (so the newest is the last), alternating channels
/// and two residents.
fn issues_csv(n: usize, detail: &str) -> String {
    let mut csv = String::from("标题,提出人,渠道,日期,类别,内容\n");
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    for i in 1..=n {
        let day = start + chrono::Days::new(i as u64 - 1);
        let (by, channel, category) = if i % 2 == 0 {
            ("陈阿姨", "线上", "儿童")
        } else {
            ("林大爷", "线下", "停车")
        };
        let title = if i % 10 == 0 {
            format!("小区路灯不亮（{i}）")
        } else {
            format!("停车位不够（{i}）")
        };
        csv.push_str(&format!(
            "{title},{by},{channel},{day},{category},{detail}\n"
        ));
    }
    csv
}

fn env_with(n: usize) -> Env {
    let env = Env::new();
    env.write("issues.csv", issues_csv(n, ""));
    env.ok(&["issue", "import", "issues.csv"]);
    env
}

fn ids(json: &str) -> Vec<i64> {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn the_first_page_is_the_newest_fifty_with_a_footer() {
    let env = env_with(120);
    let (table, note) = env.ok_both(&["issue", "list"]);
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.contains("停车位不够") || l.contains("路灯"))
        .collect();
    assert_eq!(rows.len(), 50, "{table}");
    assert!(
        rows[0].contains("#120") && rows[49].contains("#71"),
        "{table}"
    );
    assert_eq!(note.trim(), "50 of 120 — --limit N, --page N, --all");

    let (table, note) = env.ok_both(&["issue", "list", "--page", "3"]);
    assert!(
        table.contains("#20\t") && table.contains("#1\t") && !table.contains("#21\t"),
        "{table}"
    );
    assert_eq!(note.trim(), "101–120 of 120 — --limit N, --page N, --all");

    let (_, note) = env.ok_both(&["issue", "list", "--page", "4"]);
    assert!(note.contains("no issues on this page: 120 match"), "{note}");

    let (table, note) = env.ok_both(&["issue", "list", "--all"]);
    assert!(
        table.contains("#120\t") && table.contains("#1\t"),
        "{table}"
    );
    assert_eq!(note.trim(), "120 issue(s)");

    // A short list needs no footer about pages.
    let (_, note) = env.ok_both(&["issue", "list", "--limit", "200"]);
    assert_eq!(note.trim(), "120 issue(s)");
}

#[test]
fn json_and_csv_give_every_match_unless_a_page_is_asked_for() {
    let env = env_with(120);
    let all = ids(&env.ok(&["issue", "list", "--json"]));
    assert_eq!(all.len(), 120);
    assert_eq!(all[0], 120, "newest first");
    assert_eq!(ids(&env.ok(&["issue", "list", "--all", "--json"])), all);
    assert_eq!(
        ids(&env.ok(&["issue", "list", "--json", "--limit", "10", "--page", "2"])),
        (101..=110).rev().collect::<Vec<_>>()
    );
    assert_eq!(
        env.ok(&["issue", "list", "--json", "--grep", "没有"])
            .trim(),
        "[]"
    );
    // CSV in the order recorded, so that importing it again keeps the order.
    let csv = env.ok(&["issue", "list", "--csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 121);
    assert!(
        lines[1].starts_with("1,") && lines[120].starts_with("120,"),
        "{csv}"
    );
    let err = env.fails(&["issue", "list", "--all", "--limit", "5"], 2);
    assert!(err.contains("--limit"), "{err}");
    let err = env.fails(&["issue", "list", "--page", "0"], 2);
    assert!(err.contains("--page"), "{err}");
}

#[test]
fn filters_combine_and_search_by_resident_and_text() {
    let env = env_with(120);
    let found = ids(&env.ok(&[
        "issue",
        "list",
        "--json",
        "--by",
        "陈阿姨",
        "--grep",
        "路灯",
        "--since",
        "2026-02-01",
    ]));
    // Even days are 陈阿姨's; every tenth is about the lights; from day 32 on.
    assert_eq!(found, vec![120, 110, 100, 90, 80, 70, 60, 50, 40]);
    let online = ids(&env.ok(&[
        "issue",
        "list",
        "--json",
        "--channel",
        "线上",
        "--category",
        "children",
        "--until",
        "2026-01-10",
    ]));
    assert_eq!(online, vec![10, 8, 6, 4, 2]);
    assert_eq!(
        ids(&env.ok(&["issue", "list", "--json", "--search", "路灯"])).len(),
        12,
        "--search is kept as another name of --grep"
    );
    let (_, note) = env.ok_both(&["issue", "list", "--status", "collected", "--limit", "5"]);
    assert_eq!(note.trim(), "5 of 120 — --limit N, --page N, --all");
}

fn index_count(env: &Env) -> i64 {
    read_only(env)
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name LIKE 'issues_by_%'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// Zero the cell pointers of an interior page of the text index in the file (after the 12
/// bytes of the page's header), its log copied in first.
fn damage_a_page_of_the_text_index(env: &Env) {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .unwrap();
    let (page, size): (i64, i64) = conn
        .query_row(
            "SELECT pageno, (SELECT page_size FROM pragma_page_size) FROM dbstat WHERE name = 'issue_text' AND pagetype = 'internal' LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    drop(conn);
    let mut file = std::fs::read(env.db()).unwrap();
    let at = ((page - 1) * size + 12) as usize;
    file[at..at + 200].fill(0);
    std::fs::write(env.db(), file).unwrap();
}

fn text_index(env: &Env) -> bool {
    read_only(env)
        .query_row(
            "SELECT count(*) > 0 FROM sqlite_schema WHERE name = 'issue_text'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// The database opened read-only by the test itself: looking must not change what is looked at.
fn read_only(env: &Env) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(env.db(), rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
}

/// The database file's bytes and modification time, and whether a WAL with content is beside it.
fn file_state(env: &Env) -> (Vec<u8>, std::time::SystemTime, u64) {
    let wal = std::fs::metadata(env.path("yishi.db-wal")).map_or(0, |m| m.len());
    (
        std::fs::read(env.db()).unwrap(),
        std::fs::metadata(env.db()).unwrap().modified().unwrap(),
        wal,
    )
}

/// Issue 30: a large import (one that drops the indexes for its load) returns with the
/// listing indexes and the text index built, saying so; the commands after it only read
/// (`log`, `issue list`, `--grep`, `status`, `verify`), and leave the file exactly as it was.
#[test]
fn a_large_import_returns_with_every_index_ready() {
    let env = Env::new();
    // Large enough (by file size) for the bulk path that drops the listing indexes.
    env.write(
        "big.csv",
        issues_csv(6_000, &"放学后孩子只能在楼道里玩".repeat(4)),
    );
    assert_eq!(index_count(&env), 5);
    assert!(text_index(&env));
    let (_, note) = env.ok_both(&["issue", "import", "big.csv"]);
    assert!(
        note.contains("built the listing indexes and the text index in"),
        "{note}"
    );
    // Checked before any other command runs: nothing is left for one.
    assert_eq!(index_count(&env), 5, "built by the import itself");
    assert!(text_index(&env), "built by the import itself");
    let before = file_state(&env);
    let (_, note) = env.ok_both(&["log", "--limit", "1"]);
    assert!(!note.contains("index"), "{note}");
    let (_, note) = env.ok_both(&["issue", "list", "--status", "collected"]);
    assert_eq!(note.trim(), "50 of 6,000 — --limit N, --page N, --all");
    let (_, note) = env.ok_both(&["issue", "list", "--grep", "路灯"]);
    assert_eq!(note.trim(), "50 of 600 — --limit N, --page N, --all");
    env.ok(&["status"]);
    let verified = env.ok(&["verify"]);
    assert!(verified.starts_with("OK"), "{verified}");
    let after = file_state(&env);
    assert!(
        before.0 == after.0,
        "a read command changed the database's bytes"
    );
    assert_eq!(before.1, after.1, "a read command touched the database");
    assert_eq!(after.2, 0, "a read command wrote to the WAL");
    // The same file again adds nothing, and so keeps every index.
    let (_, note) = env.ok_both(&["issue", "import", "big.csv"]);
    assert!(!note.contains("index"), "{note}");
    assert_eq!(index_count(&env), 5, "kept by an import that adds nothing");
    assert!(text_index(&env), "kept by an import that adds nothing");
    // --all in a pipe: tab-separated, one header for the whole stream of blocks.
    let all = env.ok(&["issue", "list", "--all"]);
    assert_eq!(all.lines().count(), 6_001);
    assert_eq!(all.lines().filter(|l| l.starts_with("编号\t")).count(), 1);
    assert!(
        all.lines().nth(1).unwrap().starts_with("#6000\t"),
        "{}",
        &all[..200]
    );
    env.ok(&["verify"]);
}

/// Issue 30: an import killed in its index stage keeps its rows; read commands read them
/// without the indexes (reading every text, finding the same) and build nothing, `verify`
/// says the indexes are pending, and the next command that writes builds them, saying so.
#[test]
fn an_import_killed_in_its_index_stage_is_completed_by_the_next_write() {
    let env = Env::new();
    env.write(
        "big.csv",
        issues_csv(6_000, &"放学后孩子只能在楼道里玩".repeat(4)),
    );
    let hooks = env.path("hooks");
    std::fs::create_dir(&hooks).unwrap();
    let mut import = common::yishi(env.dir.path())
        .env("YISHI_NOW", env.now())
        .env("YISHI_TEST_PAUSE_DIR", &hooks)
        .args(["issue", "import", "big.csv"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let reached = hooks.join("import-indexing.reached");
    let started = std::time::Instant::now();
    while !reached.exists() {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(120),
            "the import never reached its index stage"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    import.kill().unwrap();
    import.wait().unwrap();
    let issues: i64 = read_only(&env)
        .query_row("SELECT count(*) FROM issues", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        issues, 6_000,
        "the load was committed before the index stage"
    );
    assert_eq!(index_count(&env), 0, "killed before the indexes were built");
    assert!(!text_index(&env));
    // Read commands read every title and detail instead, build nothing, and write nothing.
    let before = file_state(&env);
    let grep = |args: &[&str]| {
        let out = env
            .cmd()
            .args(["issue", "list", "--grep", "路灯"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        (out.stdout, out.stderr)
    };
    let scanned = [grep(&[]), grep(&["--page", "3"]), grep(&["--json"])];
    env.ok(&["log", "--limit", "1"]);
    let (verified, said) = env.ok_both(&["verify"]);
    assert!(verified.starts_with("OK"), "{verified}");
    assert!(said.contains("indexes pending"), "{said}");
    assert_eq!(index_count(&env), 0, "a read command built an index");
    assert!(before == file_state(&env), "a read command wrote the file");
    // A dry run changes nothing either: it leaves the index stage to the next write.
    env.write("more.csv", issues_csv(20, "楼道"));
    let (_, said) = env.ok_both(&["issue", "import", "more.csv", "--dry-run"]);
    assert!(!said.contains("stopped while building"), "{said}");
    assert_eq!(index_count(&env), 0, "a dry run built an index");
    assert!(!text_index(&env), "a dry run built the text index");
    // The next write completes the import's work, once, and says so.
    let (_, said) = env.ok_both(&["issue", "add", "楼道灯坏了", "--channel", "online"]);
    assert!(
        said.contains("an earlier import stopped while building its indexes"),
        "{said}"
    );
    assert_eq!(index_count(&env), 5, "built by the next write");
    assert!(text_index(&env), "built by the next write");
    let (_, said) = env.ok_both(&["issue", "add", "楼道灯又坏了", "--channel", "online"]);
    assert!(!said.contains("import"), "{said}");
    let (_, said) = env.ok_both(&["verify"]);
    assert!(!said.contains("pending"), "{said}");
    // The index finds what reading every text found (the two new issues have no 路灯).
    let indexed = [grep(&[]), grep(&["--page", "3"]), grep(&["--json"])];
    assert!(
        scanned == indexed,
        "the index finds what reading every text finds"
    );
}

/// `--grep` reads the text index: it follows every write of a title or detail (an import, an
/// added issue, an edit), `verify` says when it no longer matches the issues, `issue reindex`
/// builds it again, and an export leaves it out (it is derived from the issues).
#[test]
fn the_text_index_follows_every_write_and_verify_checks_it() {
    let env = env_with(120);
    let lights: Vec<i64> = (1..=12).rev().map(|i| i * 10).collect();
    let grep = |text: &str| ids(&env.ok(&["issue", "list", "--json", "--grep", text]));
    assert_eq!(grep("路灯"), lights);
    assert_eq!(grep("灯"), lights, "one character");
    assert_eq!(grep("路灯不亮（12"), vec![120]);
    assert_eq!(grep("灯路"), Vec::<i64>::new());
    // Days bound the index's reading; both ends are included.
    let days = |more: &[&str]| {
        let mut args = vec!["issue", "list", "--json", "--grep", "路灯"];
        args.extend(more);
        ids(&env.ok(&args))
    };
    assert_eq!(
        days(&["--since", "2026-01-30", "--until", "2026-01-30"]),
        vec![30]
    );
    assert_eq!(days(&["--until", "2026-01-30"]), vec![30, 20, 10]);
    assert_eq!(days(&["--since", "2026-04-20"]), vec![120, 110]);
    // With a resident as well, either way in (the index, or that resident's issues read one
    // by one: for one character) finds the same.
    let by =
        |text: &str| ids(&env.ok(&["issue", "list", "--json", "--grep", text, "--by", "陈阿姨"]));
    assert_eq!(by("路灯"), lights);
    assert_eq!(by("灯"), lights);
    let (page, note) = env.ok_both(&[
        "issue", "list", "--grep", "路灯", "--limit", "5", "--page", "2",
    ]);
    assert!(
        page.contains("#70") && page.contains("#30") && !page.contains("#80"),
        "{page}"
    );
    assert_eq!(note.trim(), "6–10 of 12 — --limit N, --page N, --all");

    env.ok(&[
        "issue",
        "add",
        "楼道灯坏了",
        "--detail",
        "三楼路灯也不亮",
        "--channel",
        "online",
    ]);
    assert_eq!(
        grep("路灯")[0],
        121,
        "an added issue is found by its detail"
    );
    env.ok(&[
        "issue",
        "edit",
        "10",
        "--title",
        "停车位不够（10）",
        "--reason",
        "记错了",
    ]);
    assert!(
        !grep("路灯").contains(&10),
        "the old title is no longer found"
    );
    assert_eq!(grep("（10）"), vec![10]);
    env.ok(&["verify"]);

    // A row removed behind yishi's back (the issues with 路灯 in block 0): searches miss
    // them until it is rebuilt.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute(
        "DELETE FROM issue_text WHERE block = 0 AND pair = ?1",
        [(('路' as i64) << 21) | '灯' as i64],
    )
    .unwrap();
    drop(conn);
    assert!(!grep("路灯").contains(&20));
    let out = env.cmd().arg("verify").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let out =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        out.contains("does not hold the issues' texts") && out.contains("yishi issue reindex"),
        "{out}"
    );
    let (_, note) = env.ok_both(&["issue", "reindex"]);
    assert_eq!(
        note.trim(),
        "text index built again: 121 issue(s) searchable with `issue list --grep`; the keys of issues written again"
    );
    assert!(grep("路灯").contains(&20));
    env.ok(&["verify"]);

    // Its pages damaged: the search says how to mend it, `verify` finds it.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute("UPDATE issue_text SET ids = zeroblob(3)", [])
        .unwrap();
    drop(conn);
    let err = env.fails(&["issue", "list", "--grep", "路灯"], 65);
    assert!(
        err.contains("text index") && err.contains("yishi issue reindex"),
        "{err}"
    );
    for verify in [&["verify"][..], &["verify", "--full"]] {
        let out = env.cmd().args(verify).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(
            said.contains("issue_text") && said.contains("yishi issue reindex"),
            "{verify:?}: {said}"
        );
    }
    env.ok(&["issue", "reindex"]);
    env.ok(&["verify", "--full"]);
    assert_eq!(grep("路灯").len(), 12);

    // A backup whose only fault is its text index (a row of it deleted, a row that is not a
    // set) is restored with the index built again.
    for damage in [
        "DELETE FROM issue_text WHERE pair = (SELECT max(pair) FROM issue_text)",
        "UPDATE issue_text SET ids = x'01' WHERE pair = (SELECT min(pair) FROM issue_text)",
    ] {
        env.ok(&["backup", "b.db", "--force"]);
        let conn = rusqlite::Connection::open(env.path("b.db")).unwrap();
        conn.execute_batch(damage).unwrap();
        drop(conn);
        let (_, note) = env.ok_both(&["restore", "b.db", "--force"]);
        assert!(
            note.contains("text index") && note.contains("built again"),
            "{damage}: {note}"
        );
        env.ok(&["verify"]);
        assert_eq!(grep("路灯").len(), 12, "{damage}");
    }

    // A database whose only fault is its text index is backed up with the index built again
    // in the copy, and a warning that names the mend; the copy verifies as it is.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch("DELETE FROM issue_text WHERE pair = (SELECT max(pair) FROM issue_text)")
        .unwrap();
    drop(conn);
    let (_, warned) = env.ok_both(&["backup", "c.db"]);
    assert!(warned.contains("backed up to c.db"), "{warned}");
    assert!(
        warned.contains("derived from its issues")
            && warned.contains("the backup has it built again from its issues, and verifies")
            && warned.contains("yishi issue reindex"),
        "{warned}"
    );
    let copy = env.cmd().args(["--db", "c.db", "verify"]).output().unwrap();
    assert_eq!(copy.status.code(), Some(0), "{copy:?}");
    let (_, note) = env.ok_both(&["restore", "c.db", "--force"]);
    assert!(!note.contains("built again"), "{note}");
    env.ok(&["verify"]);
    assert_eq!(grep("路灯").len(), 12);
    // What the rebuild does not mend (a view in the index's names) refuses the backup.
    env.sql("CREATE VIEW issue_text_v AS SELECT * FROM members");
    let err = env.fails(&["backup", "v.db"], 1);
    assert!(err.contains("the backup was not written"), "{err}");
    assert!(!env.path("v.db").exists());
    env.sql("DROP VIEW issue_text_v");
    // A fault in the record itself still stops a backup, and writes nothing.
    env.sql("UPDATE issues SET title = title || '!' WHERE id = 1");
    let err = env.fails(&["backup", "d.db"], 1);
    assert!(err.contains("the backup was not written"), "{err}");
    assert!(!env.path("d.db").exists());
    env.ok(&["restore", "c.db", "--force", "--overwrite"]);

    env.ok(&["export", "--json", "archive"]);
    let files: Vec<String> = std::fs::read_dir(env.path("archive"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(files.contains(&"issues.jsonl".to_string()), "{files:?}");
    assert!(
        !files.iter().any(|f| f.starts_with("issue_text")),
        "{files:?}"
    );
}

/// Action and council lists page like issue list: open actions first (the overdue lead), the
/// newest council first, a footer when a page hides rows, --json whole unless a page is asked.
#[test]
fn actions_and_councils_are_pages_too() {
    let env = Env::empty();
    env.ok(&["demo", "-q", "--db", env.db().to_str().unwrap()]);
    let rows = |table: &str| -> Vec<String> {
        table
            .lines()
            .skip(1)
            .map(|l| l.split('\t').next().unwrap().to_string())
            .collect()
    };
    // The Tingtang demo: A2 open and overdue, A3 and A1 done.
    let (table, note) = env.ok_both(&["action", "list", "--limit", "2"]);
    assert_eq!(rows(&table), ["A2", "A3"], "{table}");
    assert_eq!(note.trim(), "2 of 3 — --limit N, --page N, --all");
    let (table, note) = env.ok_both(&["action", "list", "--limit", "2", "--page", "2"]);
    assert_eq!(rows(&table), ["A1"], "{table}");
    assert_eq!(note.trim(), "3–3 of 3 — --limit N, --page N, --all");
    let (table, note) = env.ok_both(&["action", "list", "--page", "9"]);
    assert_eq!(table, "");
    assert_eq!(
        note.trim(),
        "no actions on this page: 3 match — --limit N, --page N, --all"
    );
    let (table, note) = env.ok_both(&["action", "list", "--owner", "王建国"]);
    assert_eq!(rows(&table), ["A1"], "{table}");
    assert_eq!(note.trim(), "1 action(s)");
    assert_eq!(ids(&env.ok(&["--json", "action", "list"])).len(), 3);
    assert_eq!(
        ids(&env.ok(&["--json", "action", "list", "--limit", "1"])).len(),
        1
    );
    env.ok(&[
        "council",
        "convene",
        "--date",
        "2026-12-05 19:30",
        "--place",
        "老村部三楼会议室",
        "--issue",
        "5",
    ]);
    let (table, note) = env.ok_both(&["council", "list", "--limit", "1"]);
    assert_eq!(rows(&table), ["M2"], "{table}");
    assert_eq!(note.trim(), "1 of 2 — --limit N, --page N, --all");
    let (table, _) = env.ok_both(&["council", "list", "--past"]);
    assert_eq!(rows(&table), ["M1"], "{table}");
}

/// A whole listing is read on two threads (even and odd ids) and merged: it must come out
/// exactly as one page holding everything, read on one connection, with days that tie and ids
/// that run against the days.
#[test]
fn a_whole_listing_read_on_two_threads_is_the_same_as_one_page() {
    let env = Env::new();
    let mut csv = String::from("标题,提出人,渠道,日期\n");
    for i in 1..=300 {
        // Days go down as ids go up, seven issues a day, some days skipped.
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
            - chrono::Days::new((i / 7 * 3 % 200) as u64);
        let by = if i % 3 == 0 { "陈阿姨" } else { "林大爷" };
        csv.push_str(&format!("议题（{i}）,{by},线上,{day}\n"));
    }
    env.write("issues.csv", csv);
    env.ok(&["issue", "import", "issues.csv"]);
    for filter in [
        &[][..],
        &["--by", "陈阿姨"][..],
        &["--since", "2026-06-01"][..],
        // Texts in every issue and in a third of them: read in two halves, each row for its
        // text; in a few: from the text index.
        &["--grep", "（"][..],
        &["--grep", "（1"][..],
        &["--grep", "（1", "--since", "2026-06-01"][..],
        &["--grep", "（12"][..],
    ] {
        let mut whole = vec!["issue", "list", "--json"];
        whole.extend_from_slice(filter);
        let mut one_page = whole.clone();
        one_page.extend_from_slice(&["--limit", "1000"]);
        let (a, b) = (env.ok(&whole), env.ok(&one_page));
        assert_eq!(a, b, "{filter:?}");
        assert!(ids(&a).len() > 10, "{filter:?}");
    }
    // A page of a text search is found in one reading of the table, in two halves by id: the
    // same issues as that page of the whole list, and the whole list's count in the footer.
    let matching = ids(&env.ok(&["issue", "list", "--json", "--grep", "（1"]));
    assert!(matching.len() > 100, "{matching:?}");
    for (limit, page) in [(7, 3), (50, 1), (40, 3)] {
        let (table, note) = env.ok_both(&[
            "issue",
            "list",
            "--grep",
            "（1",
            "--limit",
            &limit.to_string(),
            "--page",
            &page.to_string(),
        ]);
        let shown: Vec<i64> = table
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix('#'))
            .filter_map(|l| l.split_whitespace().next()?.parse().ok())
            .collect();
        let want: Vec<i64> = matching
            .iter()
            .copied()
            .skip((page - 1) * limit)
            .take(limit)
            .collect();
        assert_eq!(shown, want, "--limit {limit} --page {page}\n{table}");
        assert!(note.contains(&format!(" of {} ", matching.len())), "{note}");
    }
}

/// An index copied in from another database (the same issues, other words): verify's sample
/// of lookups misses the issue, and its comparison of every pair with the issues' texts (with
/// or without `--full`) finds it.
#[test]
fn verify_full_finds_an_index_that_holds_other_words() {
    let (ours, theirs) = (Env::new(), Env::new());
    ours.ok(&["issue", "add", "甲乙路灯", "--channel", "online"]);
    theirs.ok(&["issue", "add", "丙丁电梯", "--channel", "online"]);
    let conn = rusqlite::Connection::open(ours.db()).unwrap();
    conn.execute(
        "ATTACH DATABASE ?1 AS theirs",
        [theirs.db().to_str().unwrap()],
    )
    .unwrap();
    conn.execute_batch(
        "DELETE FROM issue_text; INSERT INTO issue_text SELECT * FROM theirs.issue_text;",
    )
    .unwrap();
    conn.execute_batch("DETACH DATABASE theirs").unwrap();
    drop(conn);
    // A page comes from the index, which now lies.
    assert!(
        ours.ok(&["issue", "list", "--grep", "电梯"])
            .contains("#1\t甲乙路灯"),
        "the index lies"
    );
    let out = ours.cmd().arg("verify").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("does not find 1 of 1 issues"), "{said}");
    assert!(said.contains("does not hold the issues' texts"), "{said}");
    let out = ours.cmd().args(["verify", "--full"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("does not hold the issues' texts") && said.contains("yishi issue reindex"),
        "{said}"
    );
    ours.ok(&["issue", "reindex"]);
    ours.ok(&["verify", "--full"]);
    assert!(
        ours.ok(&["issue", "list", "--grep", "路灯"])
            .contains("#1\t甲乙路灯")
    );
    let (_, note) = ours.ok_both(&["issue", "list", "--grep", "电梯"]);
    assert_eq!(note.trim(), "no issues match");
}

/// The rows of a pair every title begins with, deleted: searches for it miss every issue;
/// verify's comparison and its sample of lookups find it, and a backup in that state is
/// restored with its index built again.
#[test]
fn verify_finds_an_index_that_no_longer_finds_issues() {
    let env = Env::new();
    let mut csv = String::from("标题,提出人,渠道,日期,类别,内容\n");
    for i in 0..3000 {
        csv.push_str(&format!(
            "问题2-{i}路灯,居民{i},线下,2026-10-{:02},,三楼的灯不亮{}\n",
            i % 28 + 1,
            i * 7919 % 1000
        ));
    }
    env.write("i.csv", csv);
    env.ok(&["issue", "import", "i.csv"]);
    env.ok(&["verify"]);
    env.ok(&["backup", "b.db"]);
    let conn = rusqlite::Connection::open(env.path("b.db")).unwrap();
    conn.execute(
        "DELETE FROM issue_text WHERE pair = ?1",
        [(('问' as i64) << 21) | '题' as i64],
    )
    .unwrap();
    drop(conn);
    let out = env.cmd().args(["--db", "b.db", "verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.contains("does not find 256 of 256 issues") && said.contains("yishi issue reindex"),
        "{said}"
    );
    let (_, note) = env.ok_both(&["restore", "b.db"]);
    assert!(note.contains("built again"), "{note}");
    env.ok(&["verify"]);
    assert!(
        env.ok(&["issue", "list", "--grep", "问题2-1234"])
            .contains("#1235\t"),
        "found again"
    );

    // A page of it damaged on disk: SQLite cannot free such pages, so the rebuild takes the
    // index out of the schema, builds a new one and writes the file again without them.
    damage_a_page_of_the_text_index(&env);
    let out = env.cmd().arg("verify").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    env.ok(&["issue", "reindex"]);
    env.ok(&["verify", "--full"]);
    assert!(
        env.ok(&["issue", "list", "--grep", "问题2-1234"])
            .contains("#1235\t")
    );
}

/// Rows of the text index written behind yishi's back with values of the wrong type (a pair
/// that is not a whole number, a block that is text, a set that is text): searches and writes
/// fail as damage to the index (exit 65, naming `issue reindex`), never as yishi's own bug,
/// `verify` says how to mend it, and a view in its place does not stop every write.
#[test]
fn an_index_with_rows_of_the_wrong_type_is_named_and_mended() {
    let env = env_with(30);
    let pair = (('路' as i64) << 21) | '灯' as i64;
    for damage in [
        format!("UPDATE issue_text SET pair = pair + 0.5 WHERE pair = {pair}"),
        format!("UPDATE issue_text SET block = 'x' WHERE pair = {pair}"),
        format!("UPDATE issue_text SET ids = CAST(x'0100' AS TEXT) WHERE pair = {pair}"),
    ] {
        env.sql(&damage);
        if !damage.contains("block") {
            let err = env.fails(&["issue", "list", "--grep", "路"], 65);
            assert!(err.contains("yishi issue reindex"), "{damage}: {err}");
        }
        let out = env.cmd().arg("verify").output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{damage}");
        let said = String::from_utf8_lossy(&out.stdout);
        assert!(said.contains("yishi issue reindex"), "{damage}: {said}");
        env.ok(&["issue", "reindex"]);
        env.ok(&["verify"]);
        assert_eq!(
            ids(&env.ok(&["issue", "list", "--json", "--grep", "路灯"])),
            vec![30, 20, 10]
        );
    }
    env.sql("DROP TABLE issue_text; CREATE VIEW issue_text AS SELECT 1 AS block");
    env.ok(&["issue", "add", "路灯坏了", "--channel", "online"]);
    env.ok(&["verify"]);
    assert_eq!(
        ids(&env.ok(&["issue", "list", "--json", "--grep", "路灯"])),
        vec![31, 30, 20, 10]
    );
}

/// A large import drops the text index to build it again after its load: one whose pages are
/// damaged cannot be dropped, and the import says so, naming `issue reindex` (not "restore a
/// backup"), with the database unchanged; after the rebuild it imports.
#[test]
fn a_large_import_over_a_damaged_text_index_names_reindex() {
    let env = env_with(3000);
    damage_a_page_of_the_text_index(&env);
    env.write(
        "big.csv",
        issues_csv(6_000, &"放学后孩子只能在楼道里玩".repeat(4)),
    );
    let err = env.fails(&["issue", "import", "big.csv"], 65);
    assert!(
        err.contains("text index") && err.contains("yishi issue reindex"),
        "{err}"
    );
    let issues: i64 = read_only(&env)
        .query_row("SELECT count(*) FROM issues", [], |r| r.get(0))
        .unwrap();
    assert_eq!(issues, 3000, "the import changed nothing");
    env.ok(&["issue", "reindex"]);
    env.ok(&["issue", "import", "big.csv"]);
    env.ok(&["verify", "--full"]);
}

/// `big.csv`: 6,000 issues, 4 MiB and more (an import large enough to switch the journal).
fn write_big_csv(env: &Env) {
    env.write(
        "big.csv",
        issues_csv(6_000, &"放学后孩子只能在楼道里玩".repeat(20)),
    );
    assert!(std::fs::metadata(env.path("big.csv")).unwrap().len() >= 4 << 20);
}

/// An import large enough to switch the journal (4 MiB and more) refused for a trigger put on
/// the file leaves it as it was, byte for byte: the switch, which rewrites the header, is not
/// made for it.
#[test]
fn a_large_import_refused_for_a_trigger_leaves_the_file_byte_for_byte() {
    let env = env_with(100);
    write_big_csv(&env);
    env.sql("CREATE TRIGGER x AFTER INSERT ON issues BEGIN SELECT 1; END; PRAGMA wal_checkpoint(TRUNCATE);",);
    let before = std::fs::read(env.db()).unwrap();
    let err = env.fails(&["issue", "import", "big.csv"], 65);
    assert!(err.contains("x (issues)"), "{err}");
    assert!(
        std::fs::read(env.db()).unwrap() == before,
        "the file changed"
    );
}

/// A dry run of an import large enough to switch the journal (4 MiB and more) leaves the file
/// as it was, byte for byte: it runs in the WAL, whose rolled-back pages never reach the file.
#[test]
fn a_large_dry_run_leaves_the_file_byte_for_byte() {
    let env = env_with(100);
    write_big_csv(&env);
    let before = std::fs::read(env.db()).unwrap();
    env.ok(&["issue", "import", "big.csv", "--dry-run"]);
    assert!(
        std::fs::read(env.db()).unwrap() == before,
        "the file changed"
    );
    env.ok(&["issue", "import", "big.csv"]);
    let issues: i64 = read_only(&env)
        .query_row("SELECT count(*) FROM issues", [], |r| r.get(0))
        .unwrap();
    assert_eq!(issues, 6_100, "the real import after it");
    env.ok(&["verify"]);
}
