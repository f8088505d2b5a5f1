//! verify's findings speak the reader's language (issue 27): Chinese by default, English with
//! --lang en, and `--json` keeps each problem's `message` in English for scripts.

use crate::common::{self, Env};

fn sql(env: &Env, statement: &str) {
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch(statement).unwrap();
}

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
    sql(&env, "UPDATE motions SET yes = 9 WHERE id = 3");
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
    sql(
        &env,
        "CREATE TRIGGER issues_by_status AFTER INSERT ON ballots WHEN NEW.choice='no' BEGIN UPDATE ballots SET choice='yes' WHERE id=NEW.id; END;",
    );
    let (zh, en) = both(&env);
    insta::assert_snapshot!("trigger_added_zh", zh);
    insta::assert_snapshot!("trigger_added_en", en);
}
