//! End-to-end: intake from the tools residents use: survey-platform exports (问卷星, 腾讯问卷)
//! imported with no flags, and the community's own channel words.

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
            && note.contains("survey columns not imported: 序号, 所用时间, 来源详情, 来自IP, 总分"),
        "{note}"
    );
    let list = json_list(&env);
    insta::assert_json_snapshot!(list);
    // 提交答卷时间 is the date, 来源 the channel (in the platform's word), (跳过) no answer.
    assert_eq!(list[0]["raised_on"], "2026-11-03");
    assert_eq!(list[0]["channel"], "手机提交");
    assert_eq!(list[1]["channel"], "微信");
    assert_eq!(list[1]["phone"], serde_json::Value::Null);
    assert_eq!(list[1]["detail"], serde_json::Value::Null);
    assert_eq!(list[2]["address"], serde_json::Value::Null);
    // Importing again adds nothing.
    let (_, note) = env.ok_both(&["issue", "import", &f]);
    assert!(note.contains("3 already present"), "{note}");
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
            && note.contains("not imported: 编号, 开始答题时间, 答题时长, 地理位置国家和地区, 地理位置省, 地理位置市"),
        "{note}"
    );
    let list = json_list(&env);
    insta::assert_json_snapshot!(list);
    // No channel column: the rows came through the platform. The finish time is the date.
    assert_eq!(list[0]["channel"], "腾讯问卷");
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
    assert!(
        note.contains("survey columns not imported: 序号, 提交答卷时间, 来源"),
        "{note}"
    );
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
    let err = env.fails(&["issue", "add", "x", "--channel", "楼长转达"], 65);
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
            && note.contains("survey columns not imported: 序号, 所用时间, 来源详情, 来自IP"),
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
