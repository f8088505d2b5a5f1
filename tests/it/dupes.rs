//! End-to-end: duplicate hints on add and import, and `yishi issue dupes`.

use crate::common;
use common::Env;

fn add(env: &Env, title: &str, by: Option<&str>) -> String {
    let mut args = vec!["issue", "add", title, "--channel", "线下"];
    if let Some(b) = by {
        args.extend(["--by", b]);
    }
    env.ok_both(&args).1
}

#[test]
fn adding_a_near_duplicate_says_which_issue_and_how_to_merge() {
    let env = Env::new();
    add(&env, "小区缺少儿童活动场所", Some("陈阿姨"));
    let note = add(&env, "路灯不亮", None);
    assert!(!note.contains("possible duplicate"), "{note}");
    let note = add(&env, "小区缺少儿童的活动场所", Some("王先生"));
    assert!(
        note.contains(
            "possible duplicate of #1 小区缺少儿童活动场所 (1.00): yishi issue merge 3 --into 1"
        ),
        "{note}"
    );
    // The same resident with a less similar title is a hint too.
    let note = add(&env, "小区儿童游乐场", Some("陈阿姨"));
    assert!(
        note.contains("possible duplicate of #1 小区缺少儿童活动场所 (0.49, same resident): yishi issue merge 4 --into 1"),
        "{note}"
    );
    // Not for someone else.
    let note = add(&env, "小区的儿童游乐场", Some("赵女士"));
    assert!(!note.contains("#1"), "{note}");

    let table = env.ok(&["issue", "dupes"]);
    insta::assert_snapshot!(table);
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["issue", "dupes", "--json"])).unwrap();
    assert_eq!(
        (json[0]["id"].as_i64(), json[0]["of"].as_i64()),
        (Some(3), Some(1))
    );
    assert_eq!(
        (json[1]["id"].as_i64(), json[1]["of"].as_i64()),
        (Some(5), Some(4))
    );
    let strict = env.ok(&["issue", "dupes", "--threshold", "0.8", "--json"]);
    assert!(!strict.contains("\"same_resident\": true"), "{strict}");
    let err = env.fails(&["issue", "dupes", "--threshold", "2"], 2);
    assert!(err.contains("--threshold 2 is out of range"), "{err}");
    // Merged issues are no longer open: their pairs go.
    env.ok(&["issue", "merge", "3", "--into", "1"]);
    let after = env.ok(&["issue", "dupes", "--json"]);
    assert!(!after.contains("\"id\": 3"), "{after}");
}

#[test]
fn importing_hints_at_duplicates_of_open_issues_and_within_the_file() {
    let env = Env::new();
    add(&env, "小区缺少儿童活动场所", None);
    add(&env, "电梯经常故障", None);
    env.write(
        "new.csv",
        "标题,渠道\n小区缺少儿童的活动场所,线上\n楼道堆物,线下\n楼道堆物太多,网格\n",
    );
    let (_, note) = env.ok_both(&["issue", "import", "new.csv"]);
    assert!(
        note.contains("#3 小区缺少儿童的活动场所: possible duplicate of #1 小区缺少儿童活动场所 (1.00): yishi issue merge 3 --into 1"),
        "{note}"
    );
    // Two rows of the same file.
    assert!(
        note.contains("#5 楼道堆物太多: possible duplicate of #4 楼道堆物 (0.94): yishi issue merge 5 --into 4"),
        "{note}"
    );
    assert!(!note.contains("#4 楼道堆物: possible"), "{note}");
    // Off on request.
    env.write("more.csv", "标题,渠道\n小区缺少儿童活动的场所,线上\n");
    let (_, note) = env.ok_both(&["issue", "import", "more.csv", "--no-hints"]);
    assert!(!note.contains("possible duplicate"), "{note}");
    let (_, note) = env.ok_both(&["issue", "import", "new.csv"]);
    assert!(!note.contains("possible duplicate"), "nothing new: {note}");
}

#[test]
fn dupes_shows_the_most_alike_pairs_first_and_says_how_many_more() {
    let env = Env::new();
    for title in [
        "东门路灯不亮",
        "东门路灯不亮了",
        "东门口路灯不亮好几天",
        "东门路灯坏了不亮",
        "西门路灯不亮",
    ] {
        add(&env, title, None);
    }
    let all: serde_json::Value =
        serde_json::from_str(&env.ok(&["issue", "dupes", "--json"])).unwrap();
    let total = all.as_array().unwrap().len();
    assert!(total > 2, "{all}");
    let (table, note) = env.ok_both(&["issue", "dupes", "--limit", "2"]);
    assert_eq!(table.lines().count(), 3, "header and two pairs: {table}");
    assert!(
        table.contains("东门路灯不亮了"),
        "the most alike pair comes first: {table}"
    );
    assert!(
        note.contains(&format!(
            "the 2 most alike of {total} possible duplicate pairs; `--limit N` or `--all` for more"
        )),
        "{note}"
    );
    let one: serde_json::Value =
        serde_json::from_str(&env.ok(&["issue", "dupes", "--json", "--limit", "1"])).unwrap();
    assert_eq!(one.as_array().unwrap().len(), 1);
    assert_eq!(one[0], all[0]);
    let (table, note) = env.ok_both(&["issue", "dupes", "--all"]);
    assert_eq!(table.lines().count(), total + 1, "{table}");
    assert!(
        note.contains(&format!("{total} possible duplicate pair(s)")),
        "{note}"
    );
}

/// The issue's examples: a reworded title is found, by `issue dupes` and by the import's
/// hints; another building's number or a case number is another issue.
#[test]
fn a_reader_s_duplicates_and_numbers_that_tell_places_apart() {
    let env = Env::new();
    add(&env, "南门口电动车乱停", None);
    add(&env, "3号楼电梯经常故障", None);
    add(&env, "垃圾分类点太远（2000111号）", None);
    env.write(
        "visits.csv",
        "标题,渠道
南门电动车乱停放,走访
5号楼电梯经常故障,走访
垃圾分类点太远（2000011号）,走访
",
    );
    let (_, note) = env.ok_both(&["issue", "import", "visits.csv"]);
    assert!(
        note.contains("#4 南门电动车乱停放: possible duplicate of #1 南门口电动车乱停 (0.80): yishi issue merge 4 --into 1"),
        "{note}"
    );
    assert!(
        !note.contains("#5 5号楼") && !note.contains("#6 垃圾"),
        "{note}"
    );
    let pairs: serde_json::Value =
        serde_json::from_str(&env.ok(&["issue", "dupes", "--json"])).unwrap();
    let found: Vec<(i64, i64)> = pairs
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_i64().unwrap(), p["of"].as_i64().unwrap()))
        .collect();
    assert_eq!(found, [(4, 1)], "{pairs}");
    // Even at a low threshold the numbers keep them apart.
    let low = env.ok(&["issue", "dupes", "--threshold", "0.4", "--json"]);
    assert!(!low.contains("5号楼") && !low.contains("2000011"), "{low}");
}

/// A bulk import of more than 10,000 new issues gives no hints (they compare every new issue
/// with the open ones: minutes on repeated survey titles) and says where to look instead.
#[test]
fn a_bulk_import_skips_hints_and_says_so() {
    let env = Env::new();
    let mut csv = String::from("标题,渠道,日期\n");
    for i in 0..10_001 {
        csv.push_str(&format!("小区路灯不亮（{i}）,线下,2026-05-01\n"));
    }
    env.write("big.csv", csv);
    let (_, note) = env.ok_both(&["issue", "import", "big.csv"]);
    assert!(
        note.contains("duplicate hints are skipped for an import of more than 10,000 new issues: `yishi issue dupes` lists similar open issues"),
        "{note}"
    );
    assert!(!note.contains("possible duplicate"), "{note}");
    // A small import after it still gets its hints, among the newest open issues.
    env.write(
        "one.csv",
        "标题,渠道,日期\n小区路灯不亮（3）,线下,2026-05-02\n",
    );
    let (_, note) = env.ok_both(&["issue", "import", "one.csv"]);
    assert!(note.contains("possible duplicate of #"), "{note}");
}

/// An import's hints compare its new issues with the newest 20,000 open issues, its own
/// included: the stored ones are read beside the load, and those that the new issues push out
/// of the 20,000 are left out, as when everything is read after the commit.
#[test]
fn hints_read_beside_the_load_keep_the_newest_open_issues() {
    let env = Env::new();
    let mut csv = String::from("标题,渠道,日期\n");
    for i in 0..20_000 {
        csv.push_str(&format!("小区路灯不亮（{i}）,线下,2026-05-01\n"));
    }
    env.write("history.csv", csv);
    env.ok(&["issue", "import", "history.csv", "-q"]);
    // Three new issues: #4 (title 3) is among the newest 20,000 with them, #3 (title 2) is not.
    env.write(
        "new.csv",
        "标题,渠道,日期\n小区路灯不亮（3）,线下,2026-05-02\n小区路灯不亮（2）,线下,2026-05-02\n楼道堆放杂物,线下,2026-05-02\n",
    );
    let (_, note) = env.ok_both(&["issue", "import", "new.csv"]);
    assert!(
        note.contains("#20001 小区路灯不亮（3）: possible duplicate of #4 "),
        "{note}"
    );
    assert!(!note.contains("of #3 "), "{note}");
    assert_eq!(note.matches("possible duplicate").count(), 1, "{note}");
}
