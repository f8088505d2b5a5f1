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
