//! End-to-end: issue intake, screening, pre-consultation and CSV import.

use crate::common;
use common::{Env, dump};

fn issue_env() -> Env {
    let env = Env::new();
    env.ok(&[
        "issue",
        "add",
        "儿童没有课外活动场所",
        "--by",
        "陈阿姨",
        "--phone",
        "13800001234",
        "--address",
        "5栋302",
        "--channel",
        "线下",
        "--category",
        "儿童",
        "--date",
        "2026-11-03",
        "--detail",
        "放学后孩子只能在楼道里玩",
        "--stakeholder",
        "物业公司",
        "--stakeholder",
        "村委会",
    ]);
    env.ok(&[
        "issue",
        "add",
        "小区路灯不亮",
        "--by",
        "刘大爷",
        "--channel",
        "online",
        "--category",
        "facilities",
        "--date",
        "2026-11-04",
    ]);
    env.ok(&[
        "issue",
        "add",
        "孩子放学没地方玩",
        "--by",
        "黄女士",
        "--channel",
        "interview",
        "--date",
        "2026-11-05",
    ]);
    env
}

#[test]
fn an_issue_from_intake_to_pre_consultation() {
    let env = issue_env();
    env.ok(&["issue", "accept", "1", "--note", "属实，涉及多方"]);
    env.ok(&[
        "issue",
        "reject",
        "#2",
        "--reason",
        "属于供电公司职责，已转交",
    ]);
    env.ok(&["issue", "merge", "3", "--into", "1"]);
    env.ok(&[
        "issue",
        "consult",
        "1",
        "--with",
        "物业公司",
        "--summary",
        "同意开放老村部四楼，负责保洁",
        "--date",
        "2026-11-10",
    ]);
    env.ok(&[
        "issue",
        "stakeholder",
        "add",
        "1",
        "家长代表",
        "--phone",
        "13900002222",
    ]);
    env.ok(&["issue", "stakeholder", "remove", "1", "村委会"]);
    insta::assert_snapshot!("issue_show", env.ok(&["issue", "show", "1"]));
    insta::assert_snapshot!(
        "issue_show_en",
        env.ok(&["issue", "show", "1", "--lang", "en"])
    );
    insta::assert_snapshot!("issue_list", env.ok(&["issue", "list"]));
    insta::assert_snapshot!("issue_show_json", env.ok(&["issue", "show", "1", "--json"]));
    let shown = env.ok(&["issue", "show", "1", "--show-contacts"]);
    assert!(
        shown.contains("陈阿姨 13800001234 5栋302") && shown.contains("黄女士"),
        "{shown}"
    );
    let accepted = env.ok(&["issue", "list", "--status", "accepted", "--json"]);
    assert!(accepted.contains("儿童没有课外活动场所") && !accepted.contains("路灯"));
    let found = env.ok(&["issue", "list", "--search", "路灯", "--json"]);
    assert!(found.contains("小区路灯不亮") && !found.contains("儿童"));
    env.ok(&["verify"]);
}

#[test]
fn illegal_steps_are_refused_and_change_nothing() {
    let env = issue_env();
    env.ok(&["issue", "reject", "2", "--reason", "重复"]);
    let before = dump(&env.db());
    let mut errors = String::new();
    for (args, code) in [
        (vec!["issue", "accept", "2"], 1),
        (vec!["issue", "merge", "1", "--into", "2"], 1),
        (vec!["issue", "merge", "1", "--into", "1"], 65),
        (vec!["issue", "accept", "99"], 65),
        (vec!["issue", "accept", "abc"], 65),
        (vec!["issue", "reject", "1"], 2),
        (vec!["issue", "reject", "1", "--reason", " "], 65),
        (
            vec!["issue", "consult", "2", "--with", "物业", "--summary", "x"],
            1,
        ),
        (vec!["issue", "add", "x", "--channel", "飞鸽传书"], 2),
        (
            vec![
                "issue",
                "add",
                "x",
                "--channel",
                "online",
                "--category",
                "外星",
            ],
            65,
        ),
        (vec!["issue", "stakeholder", "remove", "1", "不存在"], 65),
        (vec!["issue", "list", "--status", "done"], 2),
        (vec!["issue", "list", "--csv", "--json"], 2),
    ] {
        errors.push_str(&format!(
            "$ yishi {}\n{}",
            args.join(" "),
            env.fails(&args, code)
        ));
    }
    assert_eq!(dump(&env.db()), before);
    insta::assert_snapshot!(errors);
}

const SURVEY_CSV: &str = "\u{feff}序号,1、您的姓名：,联系电话,反映问题,具体内容,渠道,日期,类别,住址\n\
1,陈阿姨,13800001234,儿童没有课外活动场所,\"放学后孩子只能在楼道里玩，\n希望有个活动室\",线下,2026/11/3,儿童,5栋302\n\
2,刘大爷,,小区路灯不亮,,微信群,2026年11月4日,设施,\n\
3,\"Wang, Li\",0571-88886666,停车位不够,\"晚上车停到消防通道上，\"\"很危险\"\"\",访谈,2026-11-05 14:20,停车,\n";

#[test]
fn import_a_survey_export_with_bom_quotes_and_chinese_headers() {
    let env = Env::new();
    env.write("survey.csv", SURVEY_CSV);
    // 序号 is a survey platform's row number: read past and named, not an error.
    let (_, note) = env.ok_both(&["issue", "import", "survey.csv"]);
    assert!(
        note.contains("imported 3 issue(s) from survey.csv (UTF-8)")
            && note.contains("survey columns not imported: 序号"),
        "{note}"
    );
    let list = env.ok(&["issue", "list", "--json", "--show-contacts"]);
    insta::assert_snapshot!(list);
}

#[test]
fn import_gb18030_semicolons_and_stdin() {
    let env = Env::new();
    let csv = "标题;提出人;渠道;日期\n垃圾分类点太远;周阿姨;走访;2026-11-01\n电梯经常故障;吴先生;线上;2026-11-02\n";
    let (gb, _, _) = encoding_rs::GB18030.encode(csv);
    env.write("gbk.csv", &gb);
    let (_, note) = env.ok_both(&["issue", "import", "gbk.csv"]);
    assert!(
        note.contains("imported 2 issue(s) from gbk.csv (GB18030)"),
        "{note}"
    );
    let list = env.ok(&["issue", "list", "--json", "--show-contacts"]);
    assert!(
        list.contains("垃圾分类点太远") && list.contains("周阿姨"),
        "{list}"
    );
    // The same rows from stdin, as UTF-8: already present, nothing added.
    let out = env
        .cmd()
        .args(["issue", "import", "-"])
        .write_stdin(csv)
        .output()
        .unwrap();
    assert!(out.status.success());
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(
        note.contains("imported 0 issue(s) from stdin") && note.contains("2 already present"),
        "{note}"
    );
}

#[test]
fn reimporting_a_file_adds_nothing() {
    let env = Env::new();
    env.write("survey.csv", SURVEY_CSV);
    env.ok(&["issue", "import", "survey.csv", "--ignore-unknown"]);
    let before = env.ok(&["issue", "list", "--json"]);
    let (_, note) = env.ok_both(&["issue", "import", "survey.csv", "--ignore-unknown"]);
    assert!(
        note.contains("imported 0 issue(s)") && note.contains("3 already present"),
        "{note}"
    );
    assert_eq!(env.ok(&["issue", "list", "--json"]), before);
}

const BAD_CSV: &str = "标题,提出人,电话,渠道,日期\n\
路灯不亮,刘大爷,13800001234,线上,2026-11-01\n\
,王阿姨,,线下,2026-11-02\n\
电梯故障,吴先生,12345,线下,2026-11-02\n\
停车难,赵先生,,飞鸽,2026-11-03\n\
楼道堆物,钱女士,,线下,2026-13-01\n\
噪音扰民,孙先生,,线下\n";

#[test]
fn a_file_with_bad_rows_changes_nothing_and_names_each_problem() {
    let env = Env::new();
    env.ok(&["issue", "add", "已有议题", "--channel", "offline"]);
    env.write("bad.csv", BAD_CSV);
    // Let the first process finish so the file is checkpointed, then compare bytes.
    let before = std::fs::read(env.db()).unwrap();
    let err = env.fails(&["issue", "import", "bad.csv"], 65);
    insta::assert_snapshot!(err);
    assert!(
        std::fs::read(env.db()).unwrap() == before,
        "the database file must be byte-for-byte unchanged"
    );
    // --dry-run on a good file changes nothing either.
    env.write("good.csv", "标题,渠道\n新议题,线上\n");
    let (_, note) = env.ok_both(&["issue", "import", "good.csv", "--dry-run"]);
    assert!(
        note.contains("would import 1 issue(s)") && note.contains("nothing was changed"),
        "{note}"
    );
    assert!(
        std::fs::read(env.db()).unwrap() == before,
        "a dry run changed the database file"
    );
}

#[test]
fn skip_invalid_imports_good_rows_and_writes_rejects() {
    let env = Env::new();
    env.write("bad.csv", BAD_CSV);
    let out = env
        .cmd()
        .args([
            "issue",
            "import",
            "bad.csv",
            "--skip-invalid",
            "--rejects",
            "rejects.csv",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(
        note.contains("imported 1 issue(s)") && note.contains("skipped 5 bad row(s)"),
        "{note}"
    );
    let rejects = std::fs::read_to_string(env.path("rejects.csv")).unwrap();
    insta::assert_snapshot!(rejects);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.path("rejects.csv"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
    // --skip-invalid without --rejects is a usage error.
    env.fails(&["issue", "import", "bad.csv", "--skip-invalid"], 2);
}

#[test]
fn csv_export_round_trips_and_defuses_formulas() {
    let env = issue_env();
    env.ok(&[
        "issue",
        "add",
        "=HYPERLINK(\"http://x\")",
        "--by",
        "+赵",
        "--channel",
        "online",
        "--date",
        "2026-11-06",
    ]);
    env.ok(&["issue", "accept", "1"]);
    let csv = env.ok(&["issue", "list", "--csv", "--show-contacts"]);
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    assert!(csv.contains(",'+赵,"), "{csv}");
    // The masked export cannot be imported by mistake as if names were real.
    let masked = env.ok(&["issue", "list", "--csv"]);
    let other = Env::new();
    other.write("masked.csv", &masked);
    let err = other.fails(&["issue", "import", "masked.csv"], 65);
    assert!(err.contains("looks masked"), "{err}");
    // The full export imports into a fresh database as the same issues.
    other.write("export.csv", &csv);
    other.ok(&["issue", "import", "export.csv"]);
    // Status is not imported: an accepted issue comes back as collected, all else equal.
    let original = env.ok(&["issue", "list", "--json", "--show-contacts"]);
    assert!(original.contains("\"status\": \"accepted\""), "{original}");
    let reimported = other.ok(&["issue", "list", "--json", "--show-contacts"]);
    assert!(!reimported.contains("\"accepted\""), "{reimported}");
    assert_eq!(
        reimported,
        original.replace("\"status\": \"accepted\"", "\"status\": \"collected\"")
    );
}

#[test]
fn a_mapping_file_maps_other_headers() {
    let env = Env::new();
    env.write("odd.csv", "心声,群众,来源\n健身器材坏了,马大姐,意见箱\n");
    let err = env.fails(&["issue", "import", "odd.csv"], 65);
    assert!(err.contains("no column for title"), "{err}");
    env.write(
        "map.toml",
        "\"心声\" = \"title\"\n\"群众\" = \"submitted_by\"\n",
    );
    env.ok(&["issue", "import", "odd.csv", "--map", "map.toml"]);
    let list = env.ok(&["issue", "list", "--json", "--show-contacts"]);
    assert!(list.contains("健身器材坏了") && list.contains("马大姐") && list.contains("意见箱"));
    env.write("badmap.toml", "\"心声\" = \"titel\"\n");
    let err = env.fails(&["issue", "import", "odd.csv", "--map", "badmap.toml"], 65);
    assert!(err.contains("\"titel\", which is not a field"), "{err}");
}

#[test]
fn member_import_from_csv() {
    let env = Env::new();
    env.write(
        "roster.csv",
        "姓名,席位,电话,备注\n王建国,居委会代表,,主任\n李娜,党员,13800001234,\n张伟,backbone,,\n",
    );
    env.ok(&["member", "import", "roster.csv", "--dry-run"]);
    assert_eq!(env.ok(&["member", "list"]), "");
    env.ok(&["member", "import", "roster.csv"]);
    let (_, note) = env.ok_both(&["member", "import", "roster.csv"]);
    assert!(
        note.contains("imported 0 member(s)") && note.contains("3 already present"),
        "{note}"
    );
    env.write("bad.csv", "姓名,席位\n王五,市长\n");
    let err = env.fails(&["member", "import", "bad.csv"], 65);
    assert!(
        err.contains("bad.csv:2: column \"席位\": unknown seat \"市长\""),
        "{err}"
    );
}

#[test]
fn member_import_skips_invalid_rows_into_a_guarded_rejects_file() {
    let env = Env::new();
    env.write(
        "roster.csv",
        "姓名,席位,电话\n王建国,居委会代表,\n=HYPERLINK(\"http://x\"),市长,\n@SUM(1),党员,123\n+cmd,市长,\n李娜,党员,13800001234\n",
    );
    // Without --skip-invalid nothing is added.
    let before = env.dump();
    let err = env.fails(&["member", "import", "roster.csv"], 65);
    assert!(
        err.contains("3 bad row(s) in roster.csv: nothing was imported"),
        "{err}"
    );
    assert!(err.contains("--skip-invalid --rejects FILE"), "{err}");
    assert_eq!(env.dump(), before);
    let (_, note) = env.ok_both(&[
        "member",
        "import",
        "roster.csv",
        "--skip-invalid",
        "--rejects",
        "rejects.csv",
    ]);
    assert!(note.contains("skipped 3 bad row(s)"), "{note}");
    assert!(
        note.contains("imported 2 member(s) from roster.csv"),
        "{note}"
    );
    let rejects = std::fs::read_to_string(env.path("rejects.csv")).unwrap();
    assert!(rejects.starts_with("姓名,席位,电话,reason\n"), "{rejects}");
    // Cells a spreadsheet would run are defused, like `issue list --csv`.
    assert!(
        rejects.contains("\"'=HYPERLINK(\"\"http://x\"\")\",市长,,"),
        "{rejects}"
    );
    assert!(rejects.contains("'@SUM(1),党员,123,"), "{rejects}");
    assert!(rejects.contains("'+cmd,市长,,"), "{rejects}");
    assert!(
        rejects.contains("line 3, column \"\"席位\"\": unknown seat"),
        "{rejects}"
    );
    let list = env.ok(&["member", "list"]);
    assert!(list.contains("王建国") && list.contains("李娜"), "{list}");
}

#[test]
fn a_survey_submitter_column_is_the_residents_name() {
    let env = Env::new();
    env.write(
        "form.csv",
        "提交人,提交答卷时间,1、您想反映的问题：\n陈阿姨,2026/11/3 14:20:05,东门路灯不亮\n",
    );
    let (_, note) = env.ok_both(&["issue", "import", "form.csv", "--channel", "线上"]);
    assert!(note.contains("imported 1 issue(s)"), "{note}");
    let list = common::issues_in_order(&env);
    assert_eq!(list[0]["submitted_by"], "陈阿姨");
    assert_eq!(list[0]["raised_on"], "2026-11-03");
}

#[test]
fn a_large_import_verifies_with_its_indexes_built() {
    // Over 750 KB: loaded without the listing indexes, which the import builds again in its
    // index stage before it returns. verify finds them as yishi's schema has them; a changed
    // row it must still find.
    let env = Env::new();
    let detail = "楼道灯坏了很久没人修".repeat(24);
    let mut csv = String::from("标题,提出人,渠道,日期,内容\n");
    for i in 0..1_200 {
        csv.push_str(&format!(
            "路灯不亮（{i}）,陈阿姨,线下,2026-11-03,{detail}\n"
        ));
    }
    assert!(csv.len() > 750_000);
    env.write("big.csv", &csv);
    env.ok(&["issue", "import", "big.csv"]);
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let indexes: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name = 'issues_by_day'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(indexes, 1, "the import should have built the indexes again");
    env.ok(&["verify"]);
    conn.execute("UPDATE issues SET title = '改过' WHERE id = 600", [])
        .unwrap();
    let out = env.cmd().arg("verify").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(stdout.contains("issues #600 was changed"), "{stdout}");
    // The text index, built by the import, no longer matches the changed title either.
    assert!(stdout.contains("text index"), "{stdout}");
    assert!(stderr.contains("2 problem(s) found"), "{stderr}");
}

/// Issues 25, 27 and 30: a fingerprint is how a row is found again, and a match is confirmed
/// on the stored row before the row is called already present. A stored issue whose fields no
/// longer hash to its key was changed since it was imported (corrected, or its resident
/// forgotten): a row with that key is the row it was, already present, and importing it again
/// does not bring it back. (Two different rows whose fields both hash to one 64-bit key, a true
/// collision, are kept apart by the same check: `store::issues::stored_matches`.)
#[test]
fn a_row_whose_stored_issue_was_changed_since_import_is_already_present() {
    let env = Env::new();
    env.write(
        "a.csv",
        "标题,提出人,渠道,日期\n路灯不亮,陈阿姨,线下,2026-11-03\n",
    );
    env.ok(&["issue", "import", "a.csv"]);
    let other = "标题,提出人,渠道,日期\n楼道堆物,林大爷,线上,2026-11-04\n";
    // The other row's key, as yishi computes it, from a scratch database.
    let scratch = Env::new();
    scratch.write("b.csv", other);
    scratch.ok(&["issue", "import", "b.csv"]);
    let fingerprint: i64 = rusqlite::Connection::open(scratch.db())
        .unwrap()
        .query_row("SELECT fingerprint FROM issues", [], |r| r.get(0))
        .unwrap();
    rusqlite::Connection::open(env.db())
        .unwrap()
        .execute(
            "UPDATE issues SET fingerprint = ?1 WHERE id = 1",
            [fingerprint],
        )
        .unwrap();
    // A key changed behind yishi's back: the packed keys imports read (`issue_keys`) follow
    // it once written again.
    env.ok(&["issue", "reindex"]);
    env.write("b.csv", other);
    let (_, note) = env.ok_both(&["issue", "import", "b.csv"]);
    assert!(
        note.contains("imported 0 issue(s)") && note.contains("1 already present"),
        "{note}"
    );
    let list = common::issues_in_order(&env);
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
}

/// The history's statuses are stored codes like the issue's own: one this yishi does not know is
/// named with its table, row and column, never shown raw as if it were a word.
#[test]
fn an_unknown_status_in_the_history_is_named() {
    let env = issue_env();
    env.ok(&["issue", "accept", "1"]);
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let row: i64 = conn
        .query_row(
            "SELECT id FROM issue_history WHERE issue_id = 1 ORDER BY id LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE issue_history SET from_status = 'screened' WHERE id = ?1",
        [row],
    )
    .unwrap();
    drop(conn);
    let err = env.fails(&["issue", "show", "1"], 65);
    assert!(
        err.contains(&format!(
            "table issue_history, row {row}, column from_status: unknown issue status \"screened\""
        )),
        "{err}"
    );
}

/// Issue 30: the packed keys an import reads (schema v20, `store::issue_keys`) are data derived
/// from the issues. Changed behind yishi's back, `verify` names them in both languages;
/// `issue reindex` writes them again, after which the file imported again is found whole; and
/// a backup whose only fault is there is restored with them written again.
#[test]
fn packed_keys_that_differ_from_the_issues_are_named_and_written_again() {
    let env = Env::new();
    let file = "标题,提出人,渠道,日期\n路灯不亮,陈阿姨,线下,2026-11-03\n楼道堆物,林大爷,线上,2026-11-04\n电梯异响,王叔,线下,2026-11-05\n";
    env.write("a.csv", file);
    env.ok(&["issue", "import", "a.csv"]);
    env.ok(&["issue", "add", "垃圾分类点太远", "--channel", "offline"]);
    env.ok(&["verify"]);
    let tamper = |sql: &str| {
        let conn = rusqlite::Connection::open(env.db()).unwrap();
        conn.execute_batch(sql).unwrap();
    };
    // The first issue's key taken out of its block: the block no longer has its digest.
    tamper("UPDATE issue_keys SET keys = substr(keys, 11) WHERE block = 0");
    let verify = |lang: &str| {
        let out = env.cmd().args(["--lang", lang, "verify"]).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let (zh, en) = (verify("zh"), verify("en"));
    assert!(
        zh.contains("议题指纹表与议题不一致：第 0 块不是 yishi 写入的样子")
            && zh.contains("yishi issue reindex"),
        "{zh}"
    );
    assert!(
        en.contains("block 0 is not as yishi writes it") && en.contains("yishi issue reindex"),
        "{en}"
    );
    let (_, note) = env.ok_both(&["issue", "reindex"]);
    assert!(note.contains("the keys of issues written again"), "{note}");
    env.ok(&["verify"]);
    let (_, note) = env.ok_both(&["issue", "import", "a.csv"]);
    assert!(
        note.contains("imported 0 issue(s)") && note.contains("3 already present"),
        "{note}"
    );
    // A block that is not as yishi writes it is not read by an import: the rows are found in
    // the table, and the block is written again.
    tamper("UPDATE issue_keys SET keys = substr(keys, 2) WHERE block = 0");
    assert!(verify("en").contains("block 0 is not as yishi writes it"));
    let (_, note) = env.ok_both(&["issue", "import", "a.csv"]);
    assert!(note.contains("3 already present"), "{note}");
    // The import wrote the unusable block again.
    env.ok(&["verify"]);
    // A backup whose only fault is there: restored with them written again.
    env.ok(&["backup", "b.db"]);
    let conn = rusqlite::Connection::open(env.path("b.db")).unwrap();
    conn.execute_batch("UPDATE issue_keys SET keys = substr(keys, 11)")
        .unwrap();
    drop(conn);
    let (_, note) = env.ok_both(&["restore", "b.db"]);
    assert!(note.contains("keys imports compare rows with"), "{note}");
    env.ok(&["verify"]);
    // Dropped: named, and written again by `issue reindex`.
    tamper("DROP TABLE issue_keys");
    assert!(verify("en").contains("the keys of issues that imports read"));
    env.ok(&["issue", "reindex"]);
    env.ok(&["verify"]);
    let list = common::issues_in_order(&env);
    assert_eq!(list.as_array().unwrap().len(), 4, "{list}");
}

/// A trigger put on the packed keys outside yishi (one that refuses, or any: yishi's schema
/// has none, and a trigger can change or skip what yishi writes) stops every write before it
/// starts, naming it (bad data, exit 65, nothing changed); `issue reindex` makes the table again
/// without it, with the listing index an import left to build (no other write could), and the
/// import then runs.
#[test]
fn a_trigger_put_on_the_packed_keys_is_named_and_reindex_removes_it() {
    let env = Env::new();
    env.write("a.csv", "标题,渠道,日期\n路灯不亮,线下,2026-11-03\n");
    env.write("b.csv", "标题,渠道,日期\n楼道堆物,线下,2026-11-04\n");
    env.ok(&["issue", "import", "a.csv"]);
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER keys_no BEFORE UPDATE ON issue_keys BEGIN SELECT RAISE(ABORT, 'frozen'); END;
         CREATE TRIGGER issue_keys BEFORE INSERT ON issue_keys BEGIN SELECT RAISE(ABORT, 'frozen'); END;
         DROP INDEX issues_by_day;",
    )
    .unwrap();
    drop(conn);
    for args in [
        &["issue", "import", "b.csv"][..],
        &["issue", "add", "电梯异响", "--channel", "offline"],
    ] {
        let err = env.fails_unchanged(args, 65);
        assert!(
            err.contains("the database has triggers that are not part of yishi's schema: issue_keys (issue_keys), keys_no (issue_keys)")
                && err.contains("nothing was changed")
                && err.contains("`yishi issue reindex` removes those on the text index and the packed keys"),
            "{args:?}: {err}"
        );
    }
    let verify = env.cmd().arg("verify").output().unwrap();
    assert_eq!(verify.status.code(), Some(1));
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(
        said.contains("keys_no") && said.contains("\"issue_keys\""),
        "{said}"
    );
    env.ok(&["issue", "reindex"]);
    env.ok(&["issue", "import", "b.csv"]);
    env.ok(&["verify"]);
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let triggers: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(triggers, 0);
}
