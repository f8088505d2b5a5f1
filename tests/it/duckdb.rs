//! Issue 32, past one machine: DuckDB reads report packages directly. The SQL that README shows
//! (examples/duckdb/street_totals.sql, included in README verbatim) gives the same street
//! totals as `yishi rollup`, and stops at a package changed after it was made.
//!
//! Run when Python's `duckdb` is importable; otherwise a loud SKIP line, unless
//! YISHI_REQUIRE_DUCKDB is set (`.ci/run` sets it once `pip install duckdb` worked), where a
//! missing duckdb fails.

use crate::common::{Env, isolated};
use serde_json::Value;
use std::path::Path;

const SQL: &str = include_str!("../../examples/duckdb/street_totals.sql");

/// Whether DuckDB can run here; prints SKIP (or fails under YISHI_REQUIRE_DUCKDB) when not.
fn duckdb_available() -> bool {
    let ok = isolated("python3", &std::env::temp_dir())
        .args(["-c", "import duckdb"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("YISHI_REQUIRE_DUCKDB").is_none(),
            "YISHI_REQUIRE_DUCKDB is set but `python3 -c 'import duckdb'` fails"
        );
        eprintln!(
            "\n********** SKIP duckdb::*: python3 cannot import duckdb (pip install duckdb); the DuckDB totals were NOT checked **********\n"
        );
    }
    ok
}

/// Run the README's SQL on `glob` for the period; returns (stdout as JSON, stderr).
fn duckdb_totals(glob: &Path, from: &str, to: &str) -> (Option<Value>, String) {
    let script = r#"
import duckdb, json, sys
glob, start, end, sql = sys.argv[1], sys.argv[2], sys.argv[3], sys.stdin.read()
c = duckdb.connect()
c.execute("SET VARIABLE packages = ?", [glob])
c.execute("SET VARIABLE period_from = ?", [start])
c.execute("SET VARIABLE period_to = ?", [end])
r = c.execute(sql)
names = [d[0] for d in r.description]
print(json.dumps(dict(zip(names, [None if v is None else float(v) if not isinstance(v, int) else v for v in r.fetchone()]))))
"#;
    let mut child = isolated("python3", glob.parent().unwrap())
        .args(["-c", script, glob.to_str().unwrap(), from, to])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(SQL.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let json = out
        .status
        .success()
        .then(|| serde_json::from_slice(&out.stdout).unwrap());
    (json, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn rename(env: &Env, name: &str) {
    let toml = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    let renamed = toml.replace(
        "community = \"汀塘社区\"",
        &format!("community = \"{name}\""),
    );
    std::fs::write(env.path("yishi.toml"), renamed).unwrap();
}

#[test]
fn duckdb_gives_the_same_street_totals_as_rollup() {
    if !duckdb_available() {
        return;
    }
    // Three communities: a council held with votes and actions; an escalated issue answered;
    // issues only, with a package made twice (the newer one counts).
    let a = Env::new();
    a.held();
    let b = Env::new();
    rename(&b, "南塘社区");
    b.ok(&[
        "issue",
        "add",
        "河道护栏缺失",
        "--channel",
        "线下",
        "--date",
        "2026-10-03",
    ]);
    b.ok(&["issue", "accept", "1"]);
    b.ok(&[
        "issue",
        "escalate",
        "1",
        "--to",
        "街道",
        "--reason",
        "需区级资金",
        "--date",
        "2026-10-10",
    ]);
    let c = Env::new();
    rename(&c, "东埔社区");
    c.ok(&[
        "issue",
        "add",
        "路灯不亮",
        "--channel",
        "线下",
        "--date",
        "2026-10-04",
    ]);
    let street = Env::empty();
    let dir = street.dir.path().join("packages");
    std::fs::create_dir_all(&dir).unwrap();
    let make = |env: &Env, file: &str| {
        env.ok(&[
            "report",
            "--package",
            "--period",
            "2026Q4",
            "-o",
            dir.join(file).to_str().unwrap(),
        ]);
    };
    make(&a, "a.yishi");
    make(&b, "b.yishi");
    make(&c, "c-old.yishi");
    c.ok(&[
        "issue",
        "add",
        "垃圾分类点太少",
        "--channel",
        "线上",
        "--date",
        "2026-10-05",
    ]);
    make(&c, "c.yishi");

    let rolled: Value = serde_json::from_str(&street.ok(&[
        "rollup",
        dir.to_str().unwrap(),
        "--period",
        "2026Q4",
        "--json",
    ]))
    .unwrap();
    let t = &rolled["totals"];
    let (duck, err) = duckdb_totals(&dir.join("*.yishi"), "2026-10-01", "2026-12-31");
    let duck = duck.unwrap_or_else(|| panic!("duckdb failed: {err}"));
    assert_eq!(duck["communities"], 3, "{duck}");
    let n = |v: &Value| v.as_u64().unwrap();
    assert_eq!(n(&duck["issues_total"]), n(&t["issues_total"]), "{duck}");
    assert_eq!(
        n(&duck["issues_total"]),
        6,
        "the newer package of 东埔 counts: {duck}"
    );
    for field in [
        "meetings_held",
        "actions_done_on_time",
        "actions_done_late",
        "actions_overdue",
        "actions_open",
    ] {
        assert_eq!(n(&duck[field]), n(&t[field]), "{field}");
    }
    for rate in [
        "attendance",
        "participation",
        "awareness",
        "satisfaction",
        "cycle_complete",
    ] {
        for part in ["numerator", "denominator"] {
            assert_eq!(
                n(&duck[format!("{rate}_{part}").as_str()]),
                n(&t[rate][part]),
                "{rate}.{part}"
            );
        }
    }
    let completed = t["issues_by_status"]["completed"].as_u64().unwrap_or(0);
    assert_eq!(n(&duck["completed"]), completed);
    assert_eq!(
        n(&duck["escalations_waiting"]),
        n(&t["escalations"]["waiting"])
    );
    assert_eq!(n(&duck["escalations_waiting"]), 1);
    assert!(n(&duck["meetings_held"]) >= 1);

    // One byte changed: DuckDB stops, naming the file, as rollup refuses it.
    let path = dir.join("b.yishi");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replace("河道护栏缺失", "河道护栏缺少")).unwrap();
    let (duck, err) = duckdb_totals(&dir.join("*.yishi"), "2026-10-01", "2026-12-31");
    assert!(duck.is_none(), "{duck:?}");
    assert!(
        err.contains("changed after it was made") && err.contains("b.yishi"),
        "{err}"
    );
}

#[test]
fn readme_shows_the_duckdb_sql_as_tested() {
    let readme = include_str!("../../README.md");
    assert!(
        readme.contains(SQL.trim_end()),
        "README.md must include examples/duckdb/street_totals.sql verbatim"
    );
}
