//! End-to-end: actions, notices, feedback, the report (checked against hand-computed figures),
//! the demo and the Tingtang example script.

use crate::common;
use common::{Env, dump};

/// The Tingtang database as `yishi demo` builds it (the same steps as examples/tingtang/run.sh).
fn tingtang() -> Env {
    Env::tingtang_demo()
}

fn at(env: &Env, now: &str, args: &[&str]) -> std::process::Output {
    env.cmd()
        .env("YISHI_NOW", now)
        .arg("--db")
        .arg("tingtang.db")
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_report_matches_hand_computed_figures() {
    let env = tingtang();
    let out = at(&env, "2026-09-10T10:00:00+08:00", &["report", "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // 6 issues in issues.csv + 2 in issues-gb18030.csv.
    assert_eq!(r["issues_total"], 8);
    assert_eq!(r["issues_by_status"]["completed"], 1); // #1
    assert_eq!(r["issues_by_status"]["implementing"], 1); // #2
    assert_eq!(r["issues_by_status"]["decided"], 1); // #3 not adopted
    assert_eq!(r["issues_by_status"]["rejected"], 1); // #4
    assert_eq!(r["issues_by_status"]["accepted"], 1); // #5
    assert_eq!(r["issues_by_status"]["merged"], 1); // #6
    assert_eq!(r["issues_by_status"]["collected"], 2); // #7, #8
    // Stored in the community's words; grouped by [channels].
    assert_eq!(r["issues_by_channel_group"]["offline"], 4);
    // Raised 5-12, 5-13, 5-15; decided 6-12: 31, 30, 28 days → median 30.
    assert_eq!(r["median_days_to_decision"], 30.0);
    // #1 decided 6-12, its only action done 8-20: 69 days.
    assert_eq!(r["median_days_to_completion"], 69.0);
    assert_eq!(r["meetings_held"], 1);
    // 7 standing + 2 stakeholders invited with a vote; 陈志明 absent.
    assert_eq!(r["attendance"]["numerator"], 8);
    assert_eq!(r["attendance"]["denominator"], 9);
    // 8 distinct residents raised issues (马女士 through the merged #6); the 7 who gave
    // feedback are among them. Population 4200.
    assert_eq!(r["participation"]["numerator"], 8);
    assert_eq!(r["participation"]["denominator"], 4200);
    // feedback.csv: 8 awareness answers, 6 yes.
    assert_eq!(r["awareness"]["numerator"], 6);
    assert_eq!(r["awareness"]["denominator"], 8);
    // Scores 5,5,4,4,3,2,4 (one blank): 5 of 7 are 4–5; mean 27/7.
    assert_eq!(r["satisfaction"]["numerator"], 5);
    assert_eq!(r["satisfaction"]["denominator"], 7);
    assert!((r["mean_satisfaction"].as_f64().unwrap() - 27.0 / 7.0).abs() < 1e-9);
    // A1 done 8-20, due 8-31: on time. A2 due 7-31, 80% on 9-10: overdue. A3 (the
    // supplementary motion on #2) done 7-15, due 7-31: on time.
    assert_eq!(r["actions_done_on_time"], 2);
    assert_eq!(r["actions_overdue"], 1);
    assert_eq!(r["actions_done_late"], 0);
    // The text report shows each figure with its definition.
    let text = at(&env, "2026-09-10T10:00:00+08:00", &["report"]);
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains("71.43% (5/7)") && text.contains("4–5 分 ÷ 有效评分"),
        "{text}"
    );
    let html = at(&env, "2026-09-10T10:00:00+08:00", &["report", "--html"]);
    let html = String::from_utf8(html.stdout).unwrap();
    assert!(html.contains("<svg") && !html.contains("<script"));
    // And the whole history verifies.
    assert!(
        at(&env, "2026-09-10T10:00:00+08:00", &["verify"])
            .status
            .success()
    );
}

#[test]
fn the_demo_prints_minutes_and_leaves_no_file_behind() {
    let env = Env::empty();
    let out = env.cmd().arg("demo").output().unwrap();
    assert!(out.status.success());
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# 汀塘社区第1次居民议事会会议纪要"));
    assert!(md.contains("将老村部四楼改造为儿童活动中心，并发起图书募捐"));
    assert_eq!(std::fs::read_dir(env.dir.path()).unwrap().count(), 0);
    // An existing database is never touched.
    env.write("tingtang.db", "x");
    env.fails(&["--db", "tingtang.db", "demo"], 1);
}

#[test]
fn actions_notices_and_feedback_refusals() {
    let env = Env::new();
    env.held();
    let mut log = String::new();
    for (args, code) in [
        (vec!["action", "update", "A9", "--progress", "10"], 65),
        (vec!["action", "update", "A1", "--progress", "120"], 65),
        (
            vec!["feedback", "add", "--issue", "3", "--satisfaction", "5"],
            1,
        ),
        (vec!["feedback", "add", "--issue", "1"], 65),
        (
            vec!["feedback", "add", "--issue", "1", "--satisfaction", "9"],
            65,
        ),
        (vec!["notice", "result", "3"], 1),
    ] {
        log.push_str(&env.fails_unchanged(&args, code));
    }
    insta::assert_snapshot!(log);
    env.ok(&[
        "action",
        "update",
        "A1",
        "--progress",
        "50",
        "--date",
        "2026-12-10",
    ]);
    env.ok(&["action", "done", "A1", "--date", "2026-12-20"]);
    let err = env.fails(&["action", "done", "A1"], 1);
    assert!(err.contains("was done on 2026-12-20"), "{err}");
    let issue = env.ok(&["issue", "show", "1", "--json"]);
    assert!(issue.contains("\"status\": \"completed\""), "{issue}");
    let list = env.ok(&["action", "list", "--json"]);
    assert!(list.contains("\"done_on\": \"2026-12-20\""));
    // A decision notice records its period; an objection in it is linked.
    let notice = env.ok(&[
        "notice",
        "decision",
        "M1",
        "--days",
        "7",
        "--from",
        "2026-12-02",
    ]);
    insta::assert_snapshot!(common::unanchored(&notice));
    let (_, err) = env.ok_both(&[
        "issue",
        "add",
        "反对在四楼办活动中心",
        "--by",
        "钱先生",
        "--channel",
        "线下",
        "--objection-to",
        "R1",
        "--date",
        "2026-12-05",
    ]);
    assert!(!err.contains("warning"), "{err}");
    let shown = env.ok(&["issue", "show", "4", "--json"]);
    assert!(shown.contains("\"objection_to\": 1"));
    let (_, err) = env.ok_both(&[
        "issue",
        "add",
        "迟到的异议",
        "--channel",
        "线下",
        "--objection-to",
        "R1",
        "--date",
        "2026-12-20",
    ]);
    assert!(err.contains("outside that period"), "{err}");
}

#[test]
fn feedback_import_is_atomic_and_idempotent() {
    let env = Env::new();
    env.held();
    env.write(
        "fb.csv",
        "议题编号,居民,满意度,是否知晓\n1,陈阿姨,满意,是\n1,王大爷,5,否\n",
    );
    env.ok(&["feedback", "import", "fb.csv"]);
    let (_, note) = env.ok_both(&["feedback", "import", "fb.csv"]);
    assert!(
        note.contains("imported 0 answer(s)") && note.contains("2 already present"),
        "{note}"
    );
    env.write(
        "bad.csv",
        "议题编号,居民,满意度,是否知晓\n1,甲,满意,是\n3,乙,5,是\n1,丙,很好,是\n",
    );
    let before = dump(&env.db());
    let err = env.fails(&["feedback", "import", "bad.csv"], 65);
    insta::assert_snapshot!(err);
    assert_eq!(dump(&env.db()), before);
}

#[test]
fn the_example_script_runs_clean() {
    // No skip: CI has bash, and a machine without it must say so rather than pass.
    let env = Env::empty();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/tingtang/run.sh");
    let out = common::isolated("bash", env.dir.path())
        .arg(script)
        .arg(env.path("work"))
        .env("YISHI", assert_cmd::cargo::cargo_bin!("yishi"))
        .output()
        .expect("bash is needed to run examples/tingtang/run.sh (apt-get install bash)");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    // verify's summary, in Chinese: the script runs as a Chinese secretary would.
    assert!(stdout.contains("正常："), "{stdout}");
    for file in [
        "yishi.db",
        "minutes-M1.html",
        "notice-M1.txt",
        "result-1.txt",
        "report.html",
    ] {
        assert!(env.path("work").join(file).exists(), "{file}");
    }
}
