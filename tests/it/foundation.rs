//! End-to-end: init, the roster, seats, configuration, schema versions, exit codes.

use crate::common;
use common::{Env, dump};

#[test]
fn init_creates_a_private_database_and_a_commented_config() {
    let env = Env::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.db()).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "database must be owner-only");
    }
    let toml = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    assert!(toml.contains("community = \"汀塘社区\""));
    assert!(toml.contains("population = 4000"));
    assert!(toml.contains("# days a decision is posted"));
    // Made with 8 KiB pages (the import's measurement, `NEW_PAGE_SIZE`), in WAL mode.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let page_size: i64 = conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!((page_size, mode.as_str()), (8192, "wal"));
    drop(conn);
    // A second init refuses to overwrite.
    let err = env.fails(&["init"], 1);
    insta::assert_snapshot!(err, @"error: yishi.db already exists: yishi will not overwrite a database (choose another --db, or move the file away)");
}

#[test]
fn a_missing_database_says_how_to_create_one_and_creates_nothing() {
    let env = Env::empty();
    let err = env.fails(&["member", "list"], 65);
    insta::assert_snapshot!(err, @"error: no database at yishi.db: run `yishi init` to create one here, or give --db PATH (or set YISHI_DB)");
    assert!(!env.db().exists());
}

#[test]
fn db_path_from_the_environment() {
    let env = Env::empty();
    let db = env.path("other.db");
    env.cmd()
        .env("YISHI_DB", &db)
        .arg("init")
        .assert()
        .success();
    assert!(db.exists());
    env.cmd()
        .env("YISHI_DB", &db)
        .args(["member", "add", "林秀英", "--seat", "women"])
        .assert()
        .success();
    let out = env
        .cmd()
        .env("YISHI_DB", &db)
        .args(["member", "list", "--json"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("林秀英"));
}

#[test]
fn roster_table_aligns_chinese_and_masks_phones() {
    let env = Env::new();
    env.ok(&[
        "member",
        "add",
        "林秀英",
        "--seat",
        "women",
        "--phone",
        "13800001234",
        "--address",
        "3栋201",
    ]);
    env.ok(&[
        "member",
        "add",
        "王建国",
        "--seat",
        "居委会代表",
        "--note",
        "居委会主任",
    ]);
    env.ok(&[
        "member",
        "add",
        "Li Wei",
        "--seat",
        "social-org",
        "--joined",
        "2026/3/1",
    ]);
    insta::assert_snapshot!(env.ok(&["member", "list"]));
    let shown = env.ok(&["member", "list", "--show-contacts"]);
    assert!(shown.contains("13800001234") && shown.contains("3栋201"));
}

#[test]
fn member_json_has_stable_fields() {
    let env = Env::new();
    env.ok(&[
        "member",
        "add",
        "林秀英",
        "--seat",
        "women",
        "--phone",
        "13800001234",
    ]);
    insta::assert_snapshot!(env.ok(&["member", "show", "林秀英", "--json"]));
}

#[test]
fn edit_and_retire_keep_history() {
    let env = Env::new();
    env.ok(&[
        "member",
        "add",
        "林秀英",
        "--seat",
        "women",
        "--phone",
        "13800001234",
    ]);
    env.ok(&["member", "edit", "1", "--seat", "party", "--phone", ""]);
    env.ok(&["member", "retire", "#1", "--date", "2026-12-31"]);
    assert_eq!(env.ok(&["member", "list"]), "");
    let all = env.ok(&["member", "list", "--all", "--json"]);
    assert!(all.contains("\"retired_on\": \"2026-12-31\"") && all.contains("\"seat\": \"party\""));
    assert!(all.contains("\"phone\": null"));
    let err = env.fails(&["member", "retire", "1"], 1);
    assert!(err.contains("already retired on 2026-12-31"), "{err}");
    let log = env.ok(&["log", "--entity", "member:1", "--json"]);
    assert!(log.contains("\"retire\"") && log.contains("\"edit\""));
    // The edit's phone change is logged without the number.
    assert!(!log.contains("13800001234"));
}

#[test]
fn bad_input_is_refused_with_a_clear_message_and_changes_nothing() {
    let env = Env::new();
    env.ok(&["member", "add", "林秀英", "--seat", "women"]);
    env.ok(&["member", "add", "林秀英", "--seat", "party"]);
    let before = dump(&env.db());
    let cases: &[(&[&str], i32)] = &[
        (&["member", "add", "王", "--seat", "mayor"], 2),
        (
            &["member", "add", "王", "--seat", "women", "--phone", "12345"],
            65,
        ),
        (&["member", "add", "王\u{1b}[2J", "--seat", "women"], 65),
        (
            &[
                "member",
                "add",
                "王",
                "--seat",
                "women",
                "--joined",
                "2026-13-01",
            ],
            65,
        ),
        (&["member", "show", "林秀英"], 65),
        (&["member", "show", "林秀"], 65),
        (&["member", "show", "#99"], 65),
        (&["member", "edit", "1"], 2),
        (&["member", "add", "王"], 2),
        (&["member", "frobnicate"], 2),
    ];
    let mut errors = String::new();
    for (args, code) in cases {
        errors.push_str(&format!(
            "$ yishi {}\n{}",
            args.iter()
                .map(|a| format!("{a:?}"))
                .collect::<Vec<_>>()
                .join(" "),
            env.fails(args, *code)
        ));
    }
    assert_eq!(
        dump(&env.db()),
        before,
        "a failed command must not change the database"
    );
    insta::assert_snapshot!(errors);
}

#[test]
fn seats_report_gaps() {
    let env = Env::new();
    env.ok(&["member", "add", "林秀英", "--seat", "women"]);
    env.ok(&["member", "add", "社工小周", "--seat", "observer"]);
    let (out, err) = env.ok_both(&["seats"]);
    insta::assert_snapshot!(format!("{out}\n{err}"));
    let json: serde_json::Value = serde_json::from_str(&env.ok(&["seats", "--json"])).unwrap();
    assert_eq!(json[3]["key"], "women");
    assert_eq!(json[3]["active_members"], 1);
    assert_eq!(json[0]["gap"], 1);
}

#[test]
fn a_bad_config_value_names_the_key_and_the_choices() {
    let env = Env::new();
    let toml = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    env.write(
        "yishi.toml",
        toml.replace("majority = \"majority-present\"", "majority = \"most\""),
    );
    let err = env.fails(&["member", "list"], 65);
    insta::assert_snapshot!(err, @"error: ./yishi.toml: rules.majority: \"most\" is not a majority rule (allowed: majority-present, simple, two-thirds, absolute, consensus); fix it in yishi.toml");
    env.write("yishi.toml", "locale = \"fr\"\n");
    let err = env.fails(&["seats"], 65);
    assert!(err.contains("locale") && err.contains("zh-CN, en"), "{err}");
}

#[test]
fn english_locale_from_config() {
    let env = Env::new();
    let toml = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    env.write(
        "yishi.toml",
        toml.replace("locale = \"zh-CN\"", "locale = \"en\""),
    );
    env.ok(&["member", "add", "林秀英", "--seat", "women"]);
    insta::assert_snapshot!(env.ok(&["member", "list"]));
}

#[test]
fn a_newer_schema_is_refused_and_left_alone() {
    let env = Env::new();
    {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        conn.pragma_update(None, "user_version", 999).unwrap();
    }
    let before = std::fs::read(env.db()).unwrap();
    let err = env.fails(&["member", "list"], 65);
    assert!(
        err.contains("schema version 999") && err.contains("install a newer yishi"),
        "{err}"
    );
    assert!(
        std::fs::read(env.db()).unwrap() == before,
        "the refused database was changed"
    );
}

#[test]
fn a_file_that_is_not_sqlite_is_refused() {
    let env = Env::empty();
    env.write(
        "yishi.db",
        "this is a spreadsheet, not a database\n".repeat(100),
    );
    let err = env.fails(&["member", "list"], 65);
    assert!(err.contains("not a SQLite database"), "{err}");
}

/// A database as yishi's first schema made it (`tests/fixtures/schema-v1.sql`), with
/// `more` run on it after.
fn v1_database(env: &Env, more: &str) {
    let sql = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/schema-v1.sql"
    ))
    .unwrap();
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch(&sql).unwrap();
    conn.execute_batch(more).unwrap();
}

#[test]
fn an_old_schema_is_upgraded_in_place() {
    let env = Env::empty();
    v1_database(&env, "");
    let list = env.ok(&["member", "list", "--json"]);
    assert!(list.contains("林秀英"), "{list}");
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let v: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert!(v > 1);
    drop(conn);
    // The upgraded database accepts the newer commands, and the old log still verifies.
    env.ok(&["issue", "add", "路灯不亮", "--channel", "online"]);
    env.ok(&["verify"]);
}

/// An upgrade writes: a trigger put on an old file outside yishi stops it before anything is
/// written (its schema and rows stay as they were), as it stops every write.
#[test]
fn an_old_schema_with_a_trigger_is_not_upgraded() {
    let env = Env::empty();
    v1_database(
        &env,
        "CREATE TRIGGER x AFTER UPDATE ON events BEGIN UPDATE members SET name = 'pwned'; END",
    );
    let version = || -> i64 {
        rusqlite::Connection::open(env.db())
            .unwrap()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap()
    };
    let before = env.dump();
    for args in [
        &["member", "list"][..],
        &["member", "add", "李四", "--seat", "committee"],
    ] {
        let err = env.fails(args, 65);
        assert!(
            err.contains("triggers that are not part of yishi's schema: x (events)"),
            "{args:?}: {err}"
        );
        assert_eq!(version(), 1, "{args:?}");
        assert!(env.dump() == before, "{args:?} changed the database");
    }
}

#[test]
fn help_and_version() {
    let env = Env::empty();
    let help = env.ok(&["--help"]);
    assert!(help.contains("Examples:") && help.contains("Exit codes"));
    let help = env.ok(&["member", "add", "--help"]);
    assert!(help.contains("yishi member add 吴芳"));
    assert!(env.ok(&["--version"]).starts_with("yishi "));
}

/// The bash script really completes: bash runs it and is asked, as on a Tab press, for the
/// completions of `yishi mem` and `yishi member add --se`.
#[test]
fn completions_complete_a_subcommand_and_a_flag() {
    let env = Env::empty();
    env.write("yishi.bash", env.ok(&["completions", "bash"]));
    let ask = |words: &[&str]| -> String {
        let line = words.join(" ");
        let script = format!(
            "source ./yishi.bash\nCOMP_WORDS=({line}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}\n_yishi yishi {} {}\necho \"${{COMPREPLY[*]}}\"",
            words.len() - 1,
            words[words.len() - 1],
            words[words.len() - 2],
        );
        let out = common::isolated("bash", env.dir.path())
            .args(["-c", &script])
            .output()
            .expect("bash is needed for the completion test");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    assert_eq!(ask(&["yishi", "mem"]), "member");
    assert_eq!(ask(&["yishi", "member", "add", "--se"]), "--seat");
    assert_eq!(ask(&["yishi", "council", "con"]), "convene");
    // The other shells' scripts name the same subcommand and flag.
    for shell in ["zsh", "fish", "powershell"] {
        let script = env.ok(&["completions", shell]);
        assert!(
            script.contains("convene") && script.contains("seat"),
            "{shell}: {script}"
        );
    }
}

#[test]
fn a_closed_pipe_exits_quietly() {
    let env = Env::new();
    // Far more output than a pipe holds (64 KiB), so yishi is still writing when the pipe closes.
    let mut csv = String::from("标题,提出人,渠道,日期\n");
    for i in 0..3000 {
        csv.push_str(&format!("议题{i},居民{i},线上,2026-11-01\n"));
    }
    env.write("many.csv", csv);
    env.ok(&["issue", "import", "many.csv"]);
    // Read one line of output then close the pipe, as `| head -1` does; the rest of the
    // output (several pipe buffers' worth) then meets a closed pipe.
    let mut child = common::yishi(env.dir.path())
        .args(["issue", "list", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut stdout, &mut first).unwrap();
    assert_eq!(first, "[\n", "the JSON listing starts with its array");
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "a closed pipe is not an error"
    );
}
