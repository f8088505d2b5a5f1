//! verify's findings speak the reader's language (issue 27): Chinese by default, English with
//! --lang en, and `--json` keeps each problem's `message` in English for scripts.

use crate::common::{self, Env};

/// verify's stdout and stderr in Chinese (the default) and in English (--lang en).
fn both(env: &Env) -> (String, String) {
    let run = |mut c: std::process::Command| {
        let out = c.arg("verify").output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    };
    let mut zh = common::yishi_zh(env.dir.path());
    zh.env("YISHI_NOW", env.now());
    let mut en = common::yishi_zh(env.dir.path());
    en.env("YISHI_NOW", env.now()).arg("--lang").arg("en");
    (run(zh), run(en))
}

#[test]
fn a_row_changed_outside_yishi_is_reported_in_both_languages() {
    let env = Env::new();
    env.held();
    env.sql("UPDATE motions SET yes = 9 WHERE id = 3");
    let (zh, en) = both(&env);
    insta::assert_snapshot!("row_changed_zh", zh);
    insta::assert_snapshot!("row_changed_en", en);
    // Scripts read the same English message whatever the language.
    let json = common::yishi_zh(env.dir.path())
        .args(["--json", "verify"])
        .output()
        .unwrap();
    let json = String::from_utf8_lossy(&json.stdout);
    assert!(
        json.contains("\"message\": \"motions #3 was changed outside yishi after event #"),
        "{json}"
    );
}

#[test]
fn a_trigger_added_outside_yishi_is_reported_in_both_languages() {
    let env = Env::new();
    env.held();
    env.sql("CREATE TRIGGER issues_by_status AFTER INSERT ON ballots WHEN NEW.choice='no' BEGIN UPDATE ballots SET choice='yes' WHERE id=NEW.id; END;",
    );
    let (zh, en) = both(&env);
    insta::assert_snapshot!("trigger_added_zh", zh);
    insta::assert_snapshot!("trigger_added_en", en);
}

/// Opens the file with the schema's text writable, runs `statements`, and closes it (the
/// schema as SQLite reads it at the next open).
fn with_writable_schema(env: &Env, statements: &str) {
    env.sql(&format!(
        "PRAGMA writable_schema = ON; {statements}; PRAGMA writable_schema = OFF;"
    ));
}

/// Found by the byte flips of issue 27's second attack: a NULL where yishi's schema says NOT
/// NULL (a flipped bit in a record's header) made every command exit 70, "a bug in yishi".
#[test]
fn a_null_in_a_not_null_column_is_bad_data_not_a_bug() {
    let env = Env::new();
    env.held();
    with_writable_schema(
        &env,
        "UPDATE sqlite_schema SET sql = replace(sql, 'name       TEXT NOT NULL', 'name       TEXT') WHERE name = 'members'",
    );
    env.sql("UPDATE members SET name = NULL WHERE id = 2");
    with_writable_schema(
        &env,
        "UPDATE sqlite_schema SET sql = replace(sql, 'name       TEXT,', 'name       TEXT NOT NULL,') WHERE name = 'members'",
    );
    // Commands that do not read the row go on working (the masking rule skips it).
    env.ok(&["issue", "list"]);
    let out = env.fails(&["member", "list"], 65);
    assert!(
        out.contains("NULL") && out.contains("yishi verify"),
        "{out}"
    );
    env.fails(&["verify"], 1);
}

/// Found by the same byte flips: a flipped byte in a table's CREATE statement renamed a column,
/// and commands that read it exited 70.
#[test]
fn a_column_renamed_in_the_schema_is_bad_data_not_a_bug() {
    let env = Env::new();
    env.held();
    with_writable_schema(
        &env,
        "UPDATE sqlite_schema SET sql = replace(sql, 'given_on', 'given_xx') WHERE name = 'feedback'",
    );
    let out = env.fails(&["report"], 65);
    assert!(
        out.contains("schema is not yishi's") && out.contains("no such column"),
        "{out}"
    );
    env.fails(&["verify"], 1);
}

/// Found by the same byte flips: a meeting's stored rules (JSON) no longer read, and every
/// command that shows the meeting exited 70.
#[test]
fn stored_rules_that_no_longer_read_are_bad_data_not_a_bug() {
    let env = Env::new();
    env.held();
    env.sql("UPDATE meetings SET rules = replace(rules, 'public_notice_days', 'public_notice_dayz') WHERE id = 1",
    );
    for args in [
        &["council", "show", "M1"][..],
        &["council", "list"],
        &["calendar"],
        &["minutes", "export", "M1"],
    ] {
        let out = env.fails(args, 65);
        assert!(out.contains("yishi verify"), "{args:?}: {out}");
    }
    env.fails(&["verify"], 1);
}

/// The log's entities and actions are enums (issue 26): a stored one this yishi does not know
/// is a data error naming table, row and column when the log is read, and a finding of verify.
#[test]
fn an_unknown_logged_action_is_named_by_log_and_verify() {
    let env = Env::new();
    env.ok(&["verify"]);
    let err = env.fails(&["log", "--entity", "isue"], 65);
    assert!(err.contains("isue") && err.contains("issue"), "{err}");
    env.sql("UPDATE events SET action = 'frobnicate' WHERE seq = 1");
    let err = env.fails(&["--lang", "en", "log"], 65);
    assert!(
        err.contains("table events, row 1, column action") && err.contains("\"frobnicate\""),
        "{err}"
    );
    let (zh, en) = both(&env);
    assert!(zh.contains("frobnicate"), "{zh}");
    assert!(
        en.contains("events") && en.contains("frobnicate") && en.contains("audit action"),
        "{en}"
    );
}
