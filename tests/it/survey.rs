//! End-to-end: intake from the tools residents use: survey-platform exports (问卷星, 腾讯问卷)
//! imported with no flags (channel 线上, the submission route kept as intake metadata), the
//! community's own channel words, and categories suggested by keywords.

use crate::common;
use common::Env;

use common::{issues_in_order as json_list, survey_fixture as fixture};

#[test]
fn a_wenjuanxing_export_imports_with_no_flags() {
    let env = Env::new();
    let f = fixture(&env, "wjx-issues.csv");
    let (_, note) = env.ok_both(&["issue", "import", &f]);
    assert!(
        note.contains("imported 3 issue(s) from wjx-issues.csv (UTF-8)")
            && note.contains("survey columns not imported: 所用时间, 总分"),
        "{note}"
    );
    let list = json_list(&env);
    insta::assert_json_snapshot!(list);
    // 提交答卷时间 is the date, the channel is 线上, (跳过) no answer.
    assert_eq!(list[0]["raised_on"], "2026-11-03");
    assert_eq!(list[0]["channel"], "线上");
    assert_eq!(list[1]["channel"], "线上");
    assert_eq!(list[1]["phone"], serde_json::Value::Null);
    assert_eq!(list[1]["detail"], serde_json::Value::Null);
    assert_eq!(list[2]["address"], serde_json::Value::Null);
    // Importing again adds nothing.
    let (_, note) = env.ok_both(&["issue", "import", &f]);
    assert!(note.contains("3 already present"), "{note}");
    // 来源 (how the answer was submitted), the time, the IP's region and the answer number are
    // the issue's intake metadata, never its channel.
    let show = env.ok(&["issue", "show", "2"]);
    assert!(
        show.contains("渠道: 线上")
            && show.contains(
                "问卷: 问卷星 答卷 2；提交方式 微信·朋友圈；提交时间 2026/11/4 09:02:11；地区 浙江-杭州"
            )
            && !show.contains("223.104"),
        "{show}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["issue", "show", "1", "--json"])).unwrap();
    assert_eq!(json["intake"]["survey"]["route"], "手机提交");
    assert_eq!(json["intake"]["category_suggested"], false);
    // The report counts channels, not submission routes.
    let report = env.ok(&["report", "--json"]);
    assert!(
        !report.contains("手机提交") && !report.contains("链接"),
        "{report}"
    );
}

/// The issue's own example: numbered questions and no channel column come in as 线上, with a
/// suggested category.
#[test]
fn numbered_questions_without_a_channel_import_as_online() {
    let env = Env::new();
    env.write(
        "tx.csv",
        "Q1 您的姓名,Q2 您想反映的问题,Q3 请详细描述
许先生,广场舞噪音扰民,晚上十点后仍有音乐
",
    );
    env.ok(&["issue", "import", "tx.csv"]);
    let list = json_list(&env);
    assert_eq!(list[0]["channel"], "线上");
    assert_eq!(list[0]["category"], "environment");
    // `[channels] survey` names another channel word.
    let config = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    env.write(
        "yishi.toml",
        config.replace("# survey = \"线上\"", "survey = \"问卷\""),
    );
    env.write(
        "tx2.csv",
        "Q1 您的姓名,Q2 您想反映的问题
许先生,楼道灯不亮
",
    );
    env.ok(&["issue", "import", "tx2.csv"]);
    assert_eq!(json_list(&env)[1]["channel"], "问卷");
    // A word that is not a channel is named with its key.
    env.write(
        "yishi.toml",
        config.replace("# survey = \"线上\"", "survey = \"飞鸽\""),
    );
    let err = env.fails(&["issue", "list"], 65);
    assert!(
        err.contains("channels.survey") && err.contains("\"飞鸽\" is not a channel"),
        "{err}"
    );
}

/// A file with no channel column and no survey signature still needs --channel, and says so.
#[test]
fn a_plain_file_without_a_channel_names_the_missing_column() {
    let env = Env::new();
    env.write(
        "plain.csv",
        "标题,提出人
路灯不亮,王先生
",
    );
    let before = env.dump();
    let err = env.fails(&["issue", "import", "plain.csv"], 65);
    assert!(
        err.contains(
            "plain.csv:2: no channel: the file has no channel column (反映渠道/渠道/收集渠道)"
        ) && err.contains("--channel")
            && !err.contains("is empty"),
        "{err}"
    );
    assert_eq!(env.dump(), before);
    env.ok(&["issue", "import", "plain.csv", "--channel", "走访"]);
    // An empty cell in a channel column is still "empty", with its column.
    env.write(
        "cells.csv",
        "标题,渠道
井盖松动,
",
    );
    let err = env.fails(&["issue", "import", "cells.csv"], 65);
    assert!(err.contains("column \"渠道\": is empty"), "{err}");
}

/// Rows without a category column get a suggested category from `[categories]`; `issue show`
/// says so, `--category 未分类` lists the rest, accepting or editing confirms it.
#[test]
fn categories_are_suggested_and_confirmed() {
    let env = Env::new();
    env.write(
        "walk.csv",
        "标题,渠道
7栋电梯经常故障,走访
南门口电动车乱停,走访
垃圾分类点太远,走访
老人助餐点周末不开,走访
小区缺少儿童活动场所,走访
希望多办文艺演出,走访
",
    );
    env.ok(&["issue", "import", "walk.csv", "--no-hints"]);
    let list = json_list(&env);
    let categories: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["category"].as_str().unwrap_or("—"))
        .collect();
    assert_eq!(
        categories,
        [
            "facilities",
            "parking",
            "environment",
            "elderly",
            "children",
            "—"
        ]
    );
    let show = env.ok(&["issue", "show", "1"]);
    assert!(show.contains("类别: 设施（按关键词建议，待确认"), "{show}");
    let rest = env.ok(&["issue", "list", "--category", "未分类"]);
    assert!(rest.contains("#6") && !rest.contains("#1"), "{rest}");
    // Accepting confirms the suggestion; so does editing the category.
    env.ok(&["issue", "accept", "1"]);
    assert!(!env.ok(&["issue", "show", "1"]).contains("建议"));
    env.ok(&[
        "issue",
        "edit",
        "2",
        "--category",
        "安全",
        "--reason",
        "消防通道",
    ]);
    let show = env.ok(&["issue", "show", "2"]);
    assert!(
        show.contains("类别: 安全") && !show.contains("建议"),
        "{show}"
    );
    assert!(env.ok(&["issue", "show", "3"]).contains("待确认"));
    env.ok(&["verify"]);
    // A category column, even with empty cells, is the file's choice: nothing is suggested.
    env.write(
        "chosen.csv",
        "标题,渠道,类别
8栋电梯坏了,走访,
",
    );
    env.ok(&["issue", "import", "chosen.csv", "--no-hints"]);
    assert_eq!(json_list(&env)[6]["category"], serde_json::Value::Null);
}

#[test]
fn a_wenjuanxing_export_in_gb18030_imports_with_no_flags() {
    let env = Env::new();
    let f = fixture(&env, "wjx-issues-gb18030.csv");
    let (_, note) = env.ok_both(&["issue", "import", &f]);
    assert!(
        note.contains("imported 3 issue(s) from wjx-issues-gb18030.csv (GB18030)"),
        "{note}"
    );
    let list = json_list(&env);
    assert_eq!(list[0]["title"], "垃圾分类点太远");
    assert_eq!(list[0]["submitted_by"], "周阿姨");
    assert_eq!(list[0]["category"], "children");
}

#[test]
fn a_tencent_survey_export_imports_with_no_flags() {
    let env = Env::new();
    let f = fixture(&env, "tencent-issues.csv");
    let (_, note) = env.ok_both(&["issue", "import", &f]);
    assert!(
        note.contains("imported 2 issue(s)")
            && note.contains("not imported: 开始答题时间, 答题时长, 地理位置国家和地区"),
        "{note}"
    );
    let list = json_list(&env);
    insta::assert_json_snapshot!(list);
    // No channel column: the rows came in online. The finish time is the date.
    assert_eq!(list[0]["channel"], "线上");
    let show = env.ok(&["issue", "show", "1"]);
    assert!(
        show.contains("问卷: 腾讯问卷 答卷 1；提交时间 2026-11-06 19:03:12；地区 浙江省-杭州市"),
        "{show}"
    );
    assert_eq!(list[0]["raised_on"], "2026-11-06");
    assert_eq!(list[0]["address"], "7栋1单元");
    assert_eq!(list[1]["category"], "environment");
}

#[test]
fn every_numbered_question_style_is_recognised() {
    let env = Env::new();
    env.write(
        "styles.csv",
        "1、您想反映的问题：,Q2 您的姓名,Q3.您的联系电话,4. 您所在的楼栋,第5题 问题描述,(6)分类（单选题）,渠道\n\
         楼道堆物,钱女士,13700001111,9栋,一楼楼道堆满纸箱,安全,网格\n",
    );
    env.ok(&["issue", "import", "styles.csv"]);
    let list = json_list(&env);
    assert_eq!(list[0]["title"], "楼道堆物");
    assert_eq!(list[0]["submitted_by"], "钱女士");
    assert_eq!(list[0]["phone"], "13700001111");
    assert_eq!(list[0]["address"], "9栋");
    assert_eq!(list[0]["detail"], "一楼楼道堆满纸箱");
    assert_eq!(list[0]["category"], "safety");
    assert_eq!(list[0]["channel"], "网格");
}

#[test]
fn other_question_columns_still_need_a_decision() {
    let env = Env::new();
    env.write(
        "extra.csv",
        "序号,1、您想反映的问题：,2、您对社区还有什么建议？,渠道\n1,路灯不亮,多办活动,线上\n",
    );
    let before = env.dump();
    let err = env.fails(&["issue", "import", "extra.csv"], 65);
    assert!(
        err.contains("unknown column(s) \"2、您对社区还有什么建议？\"") && !err.contains("序号"),
        "{err}"
    );
    assert!(!err.contains("_ignored"), "{err}");
    assert_eq!(env.dump(), before);
    let (_, note) = env.ok_both(&["issue", "import", "extra.csv", "--ignore-unknown"]);
    assert!(note.contains("imported 1 issue(s)"), "{note}");
}

#[test]
fn a_date_question_wins_over_the_submission_time() {
    let env = Env::new();
    env.write(
        "dated.csv",
        "序号,提交答卷时间,来源,1、反映的问题,2、日期,3、渠道\n1,2026/11/20 10:00:00,手机提交,井盖松动,2026-11-01,走访\n",
    );
    let (_, note) = env.ok_both(&["issue", "import", "dated.csv"]);
    // 序号, 提交答卷时间 and 来源 are kept as intake metadata.
    assert!(!note.contains("not imported"), "{note}");
    let list = json_list(&env);
    assert_eq!(list[0]["raised_on"], "2026-11-01");
    assert_eq!(list[0]["channel"], "走访");
}

#[test]
fn the_communitys_channel_words() {
    let env = Env::new();
    // Built-in words are accepted and stored as written.
    for word in [
        "网格",
        "意见箱",
        "12345热线",
        "微信群",
        "问卷星",
        "手机提交",
        "网格员走访",
    ] {
        env.ok(&["issue", "add", &format!("议题{word}"), "--channel", word]);
    }
    let list = json_list(&env);
    let stored: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["channel"].as_str().unwrap())
        .collect();
    assert_eq!(
        stored,
        [
            "网格",
            "意见箱",
            "12345热线",
            "微信群",
            "问卷星",
            "手机提交",
            "网格员走访"
        ]
    );
    // Filtering by a group finds its words; by a word, that word.
    let titles = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["issue", "list", "--json"];
        all.extend(args);
        let v: serde_json::Value = serde_json::from_str(&env.ok(&all)).unwrap();
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["title"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        titles(&["--channel", "线下"]),
        // Listings are newest first.
        ["议题12345热线", "议题意见箱", "议题网格"]
    );
    assert_eq!(titles(&["--channel", "online"]).len(), 3);
    assert_eq!(titles(&["--channel", "网格"]), ["议题网格"]);
    // An unknown word is refused, naming the configured words and how to add one.
    let before = env.dump();
    // Typed by hand, it is a usage error (exit 2), as any value outside its set is.
    let err = env.fails(&["issue", "add", "x", "--channel", "楼长转达"], 2);
    assert!(
        err.contains("\"楼长转达\" is not a channel")
            && err.contains("网格, 网格员, 意见箱")
            && err.contains("[channels] in yishi.toml"),
        "{err}"
    );
    assert_eq!(env.dump(), before);
    // The community adds its word, and moves 走访 to the interview group.
    let config = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    env.write(
        "yishi.toml",
        format!("{config}\n[channels]\n\"楼长转达\" = \"offline\"\n\"走访\" = \"interview\"\n")
            .replace("[channels]\n# Where", "# Where"),
    );
    env.ok(&["issue", "add", "楼道灯坏了", "--channel", "楼长转达"]);
    env.ok(&["issue", "add", "老人助餐", "--channel", "走访"]);
    // The report counts by group and by word.
    let report: serde_json::Value = serde_json::from_str(&env.ok(&["report", "--json"])).unwrap();
    insta::assert_json_snapshot!(
        "channel_report",
        (
            &report["issues_by_channel_group"],
            &report["issues_by_channel"]
        )
    );
    let text = env.ok(&["report"]);
    assert!(
        text.contains("按渠道类别: 访谈 1, 线下 5, 线上 3"),
        "{text}"
    );
    assert!(text.contains("楼长转达 1"), "{text}");
}

#[test]
fn a_bad_channel_group_in_the_config_is_named() {
    let env = Env::new();
    let config = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    env.write(
        "yishi.toml",
        config.replace("[channels]\n", "[channels]\n\"网格\" = \"street\"\n"),
    );
    let err = env.fails(&["issue", "list"], 65);
    assert!(
        err.contains("channels.网格") && err.contains("offline, interview, online"),
        "{err}"
    );
}

/// A 问卷星 satisfaction survey about one issue: no issue column, skipped questions, words.
const FEEDBACK_SURVEY: &str = "序号,提交答卷时间,所用时间,来源,来源详情,来自IP,1、您的姓名：,2、您是否知道处理结果：,3、您对处理结果是否满意：,4、意见建议：\n\
1,2026/12/20 10:00:00,40秒,手机提交,直接访问,1.2.3.4,陈阿姨,知道,非常满意,孩子们很喜欢\n\
2,2026/12/20 11:00:00,35秒,微信,朋友圈,1.2.3.5,刘大爷,(跳过),满意,-\n\
3,2026/12/21 09:30:00,50秒,手机提交,直接访问,1.2.3.6,黄女士,不知道,(跳过),(跳过)\n\
4,2026/12/21 12:00:00,20秒,链接,直接访问,1.2.3.7,王先生,yes,Very satisfied,\n\
5,2026/12/22 08:00:00,10秒,手机提交,直接访问,1.2.3.8,吴女士,(跳过),(跳过),没意见\n\
6,2026/12/22 09:00:00,12秒,手机提交,直接访问,1.2.3.9,李先生,maybe,3,\n";

#[test]
fn a_feedback_survey_about_one_issue() {
    let env = Env::new();
    env.held();
    env.write("评议.csv", FEEDBACK_SURVEY);
    let before = env.dump();
    // No issue column: --issue says which issue the whole file is about.
    let err = env.fails(&["feedback", "import", "评议.csv"], 65);
    assert!(err.contains("no column for issue"), "{err}");
    // Atomic: two bad rows, nothing imported, each named.
    let err = env.fails(&["feedback", "import", "评议.csv", "--issue", "1"], 65);
    insta::assert_snapshot!(err);
    assert_eq!(env.dump(), before);
    // --skip-invalid keeps the four good answers; skipped questions are no answer.
    let (_, note) = env.ok_both(&[
        "feedback",
        "import",
        "评议.csv",
        "--issue",
        "#1",
        "--skip-invalid",
        "--rejects",
        "rejects.csv",
    ]);
    assert!(
        note.contains("imported 4 answer(s) from 评议.csv")
            && note.contains("skipped 2 bad row(s)")
            && note.contains("survey columns not imported: 序号, 所用时间, 来源, 来源详情, 来自IP"),
        "{note}"
    );
    let rejects = std::fs::read_to_string(env.path("rejects.csv")).unwrap();
    assert_eq!(rejects.lines().count(), 3, "{rejects}");
    assert!(
        rejects.contains("吴女士") && rejects.contains("李先生") && rejects.contains("\"maybe\""),
        "{rejects}"
    );
    let at = |now: &str| {
        let out = env
            .cmd()
            .env("YISHI_NOW", now)
            .args(["report", "--json"])
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let r = at("2026-12-31T10:00:00+08:00");
    // Aware: 陈 yes, 黄 no, 王 yes. Scores: 5, 4, 5.
    assert_eq!(r["awareness"]["numerator"], 2);
    assert_eq!(r["awareness"]["denominator"], 3);
    assert_eq!(r["satisfaction"]["numerator"], 3);
    assert_eq!(r["satisfaction"]["denominator"], 3);
    // Again: all already present (the rejects file exists now: --force replaces it).
    let (_, note) = env.ok_both(&[
        "feedback",
        "import",
        "评议.csv",
        "--issue",
        "1",
        "--skip-invalid",
        "--rejects",
        "rejects.csv",
        "--force",
    ]);
    assert!(
        note.contains("imported 0 answer(s)") && note.contains("4 already present"),
        "{note}"
    );
    // --skip-invalid needs --rejects.
    env.fails(
        &[
            "feedback",
            "import",
            "评议.csv",
            "--issue",
            "1",
            "--skip-invalid",
        ],
        2,
    );
}
