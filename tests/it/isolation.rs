//! Tests never reach the developer's real data: every process a test starts gets a cleared
//! environment and a temp directory (tests/common `isolated`), whatever the shell that runs
//! `cargo test` has set.

use crate::common;
use common::Env;

/// The variables a developer may have set that would change what yishi does.
const HOSTILE: &[(&str, &str)] = &[
    ("YISHI_NOW", "1999-01-01T00:00:00Z"),
    ("NO_COLOR", "1"),
    ("LANG", "en_US.UTF-8"),
    ("LC_ALL", "en_US.UTF-8"),
    ("TZ", "America/New_York"),
];

#[test]
fn a_yishi_db_set_in_the_parent_environment_is_never_touched() {
    // The developer's "real" database and configuration.
    let real = Env::new();
    real.ok(&["member", "add", "真实成员", "--seat", "women"]);
    let config = real.write("hostile.toml", "locale = \"fr\"\n");
    let before = std::fs::read(real.db()).unwrap();
    // Run the helpers' own test (below) in a child test process that has them set.
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "isolation::helpers_ignore_the_parent_environment",
            "--ignored",
            "--nocapture",
        ])
        .env("YISHI_DB", real.db())
        .env("YISHI_CONFIG", &config)
        .envs(HOSTILE.iter().copied())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(real.db()).unwrap(),
        before,
        "a test wrote into the database named by YISHI_DB"
    );
}

#[test]
#[ignore = "run by a_yishi_db_set_in_the_parent_environment_is_never_touched, in a hostile environment"]
fn helpers_ignore_the_parent_environment() {
    assert!(
        std::env::var_os("YISHI_DB").is_some() && std::env::var_os("YISHI_CONFIG").is_some(),
        "run through a_yishi_db_set_in_the_parent_environment_is_never_touched"
    );
    // Without a database in its own directory, yishi does not find the parent's.
    let empty = Env::empty();
    let err = empty.fails(&["member", "list"], 65);
    assert!(err.contains("no database at yishi.db"), "{err}");
    // A whole council writes only into the test's own database, with the fixed clock and
    // zh-CN (YISHI_CONFIG's locale = "fr" would be refused).
    let env = Env::new();
    env.held();
    let issue = env.ok(&["issue", "show", "1", "--json"]);
    assert!(issue.contains("2026-11-03"), "{issue}");
    let log = env.ok(&["log", "--json"]);
    assert!(
        log.contains("2026-11-25") && !log.contains("1999-"),
        "the clock leaked: {log}"
    );
    let bash = common::isolated("bash", env.dir.path())
        .args(["-c", "env"])
        .output()
        .expect("bash");
    let seen = String::from_utf8_lossy(&bash.stdout);
    for var in [
        "YISHI_DB",
        "YISHI_CONFIG",
        "YISHI_NOW",
        "NO_COLOR",
        "LANG",
        "LC_ALL",
    ] {
        assert!(!seen.contains(&format!("{var}=")), "{var} leaked: {seen}");
    }
    assert!(seen.contains("TZ=CST-8"), "{seen}");
}

/// Every test starts processes through tests/common, so the isolation above covers them all.
#[test]
fn no_test_starts_a_process_around_the_helpers() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    // Small tools that never see a database are allowed, and tests/readme.rs starting itself
    // for one file with an environment it clears and then sets whole.
    let allowed = [
        "Command::new(\"id\")",
        "Command::new(\"chattr\")",
        "Command::new(std::env::current_exe().expect(\"the readme binary\"))",
    ];
    let mut files = Vec::new();
    for dir in [root.to_string(), format!("{root}/it")] {
        for entry in std::fs::read_dir(dir).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    assert!(files.len() > 20, "found only {} test files", files.len());
    for path in files {
        if path.extension().is_none_or(|e| e != "rs") || path.ends_with("isolation.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (n, line) in text.lines().enumerate() {
            let starts = line.contains("Command::new(")
                || line.contains("cargo_bin_cmd!")
                || line.contains("Command::cargo_bin");
            assert!(
                !starts || allowed.iter().any(|a| line.contains(a)),
                "{}:{}: start processes with common::yishi or common::isolated: {line}",
                path.display(),
                n + 1
            );
        }
    }
}
