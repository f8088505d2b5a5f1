//! End-to-end: replies (答复) to the residents who raised an issue, at 受理 / 不予受理 / 决议 /
//! 结果; `status` lists those still waiting, `report` counts the reply rate per step.
//!
//! The scenario (clock set for each step, China Standard Time; status on 2026-11-25):
//! #1 儿童活动场所 陈阿姨, accepted 10-02 (told 10-06 by phone: 4 days), adopted at M1 on 10-20
//!    (told 10-22 in person: 2 days)
//! #2 小区停车难 anonymous, accepted 10-02, adopted at M1: no reply owed
//! #3 路灯不亮 刘大爷 (+ 孙阿姨 through #5), accepted 10-02 (told 10-03 on WeChat: 1 day),
//!    adopted at M1 on 10-20, not told yet
//! #4 邻里纠纷 黄女士, rejected 10-04 (属于个人纠纷), not told yet
//! #5 路灯坏了 孙阿姨, merged into #3 on 10-02
//! M1's decisions posted 10-21.
//!
//! Counted by hand (issues with residents to tell: #1, #3, #4; #2 anonymous, #5 merged):
//! 受理 2 reached, 2 told (100%, median of 4 and 1 days = 2.5); 不予受理 1 reached, 0 told;
//! 决议 2 reached, 1 told (50%, median 2); 结果 none. Overall 3 of 5 (60%), median of 4, 1, 2 = 2.

use crate::common;
use common::Env;
use serde_json::Value;

/// Run at a local time (China Standard Time); panics with the output on failure.
fn at(env: &Env, day_time: &str, args: &[&str]) -> String {
    env.set_now(&format!("{day_time}+08:00"));
    env.ok(args)
}

fn add(env: &Env, title: &str, by: Option<&str>, raised: &str) {
    let mut args = vec!["issue", "add", title, "--channel", "线下", "--date", raised];
    if let Some(by) = by {
        args.extend(["--by", by]);
    }
    at(env, &format!("{raised}T09:00:00"), &args);
}

fn build(env: &Env) {
    env.roster();
    add(env, "儿童活动场所", Some("陈阿姨"), "2026-10-01");
    add(env, "小区停车难", None, "2026-10-01");
    add(env, "路灯不亮", Some("刘大爷"), "2026-10-01");
    add(env, "邻里纠纷", Some("黄女士"), "2026-10-03");
    add(env, "路灯坏了", Some("孙阿姨"), "2026-10-01");
    for id in ["1", "2", "3"] {
        at(env, "2026-10-02T09:00:00", &["issue", "accept", id]);
    }
    at(
        env,
        "2026-10-02T10:00:00",
        &["issue", "merge", "5", "--into", "3"],
    );
    at(
        env,
        "2026-10-04T09:00:00",
        &[
            "issue",
            "reject",
            "4",
            "--reason",
            "属于个人纠纷，已转调解委员会",
        ],
    );
    at(
        env,
        "2026-10-03T20:00:00",
        &["issue", "reply", "3", "--via", "微信"],
    );
    at(
        env,
        "2026-10-06T09:00:00",
        &[
            "issue",
            "reply",
            "1",
            "--via",
            "phone",
            "--text",
            "已电话告知受理",
        ],
    );
    at(
        env,
        "2026-10-10T09:00:00",
        &[
            "council",
            "convene",
            "--date",
            "2026-10-20 19:30",
            "--place",
            "老村部三楼会议室",
            "--issue",
            "1",
            "--issue",
            "2",
            "--issue",
            "3",
        ],
    );
    let t = "2026-10-20T19:30:00";
    let mut attend = vec!["council", "attend", "M1"];
    attend.extend(["王建国", "李娜", "张伟", "林秀英", "赵敏", "孙强"]);
    at(env, t, &attend);
    at(env, t, &["council", "open", "M1", "--at", "19:35"]);
    for (n, item, text) in [
        ("V1", "1", "改造老村部四楼为儿童活动中心"),
        ("V2", "2", "东侧空地划线增加停车位"),
        ("V3", "3", "更换小区路灯"),
    ] {
        at(env, t, &["vote", "open", "M1", "--item", item, text]);
        at(env, t, &["vote", "cast", n, "--count", "6:0:0"]);
        at(env, t, &["vote", "close", n]);
        at(env, t, &["council", "decide", "M1", "--item", item]);
    }
    at(env, t, &["council", "close", "M1", "--at", "21:00"]);
    at(
        env,
        "2026-10-21T09:00:00",
        &["notice", "decision", "M1", "--days", "7"],
    );
    at(
        env,
        "2026-10-22T09:00:00",
        &["issue", "reply", "1", "--via", "当面", "--at", "2026-10-22"],
    );
    env.set_now("2026-11-25T09:00:00+08:00");
}

pub(crate) fn council() -> Env {
    Env::prepared("replies council", build)
}

/// "step reply_step urgency days_left #issue residents" of the reply items of `status --json`.
fn waiting(status: &Value) -> Vec<String> {
    status["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().unwrap().iter())
        .filter(|i| i["kind"] == "reply")
        .map(|i| {
            format!(
                "{} {} {} {} #{} {} | {}",
                i["step"].as_str().unwrap(),
                i["reply_step"].as_str().unwrap(),
                i["urgency"].as_str().unwrap(),
                i["days_left"],
                i["issue"],
                i["residents"],
                i["command"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn status_and_report_count_replies_per_step_by_hand() {
    let env = council();
    let status: Value = serde_json::from_str(&env.ok(&["status", "--json"])).unwrap();
    assert_eq!(
        waiting(&status),
        [
            "screen rejected overdue -45 #4 1 | yishi issue reply 4 --via 电话|微信|当面|短信|书面",
            "publish decided overdue -29 #3 2 | yishi issue reply 3 --via 电话|微信|当面|短信|书面",
        ]
    );
    let zh = env.ok(&["status"]);
    assert!(
        zh.contains("#4 邻里纠纷：已到“不予受理”，待答复提出议题的 1 位居民"),
        "{zh}"
    );
    // A longer threshold from yishi.toml: #3 (decided 10-20) is due by 11-29, #4 still overdue.
    let toml = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    assert!(toml.contains("reply_days = 7"), "{toml}");
    env.write(
        "yishi.toml",
        toml.replace("reply_days = 7", "reply_days = 40"),
    );
    let status: Value = serde_json::from_str(&env.ok(&["status", "--json"])).unwrap();
    assert_eq!(
        waiting(&status),
        [
            "screen rejected overdue -12 #4 1 | yishi issue reply 4 --via 电话|微信|当面|短信|书面",
            "publish decided due 4 #3 2 | yishi issue reply 3 --via 电话|微信|当面|短信|书面",
        ]
    );

    let report: Value = serde_json::from_str(&env.ok(&["report", "--json"])).unwrap();
    let steps: Vec<String> = report["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{} {}/{} {}",
                s["step"].as_str().unwrap(),
                s["numerator"],
                s["denominator"],
                s["median_days"]
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            "accepted 2/2 2.5",
            "rejected 0/1 null",
            "decided 1/2 2.0",
            "completed 0/0 null"
        ]
    );
    assert_eq!(report["reply_rate"]["numerator"], 3);
    assert_eq!(report["reply_rate"]["denominator"], 5);
    assert_eq!(report["reply_rate"]["rate"], 0.6);
    assert_eq!(report["median_days_to_reply"], 2.0);
    let text = env.ok(&["report", "--lang", "en"]);
    assert!(text.contains("60.00% (3/5)"), "{text}");
    assert!(text.contains("reply rate: decision"), "{text}");

    // issue show lists the replies; --json keeps them with stable keys.
    let shown = env.ok(&["issue", "show", "1"]);
    assert!(shown.contains("答复居民:"), "{shown}");
    assert!(
        shown.contains("2026-10-06  受理  电话答复 1 人: 已电话告知受理"),
        "{shown}"
    );
    let json: Value = serde_json::from_str(&env.ok(&["issue", "show", "3", "--json"])).unwrap();
    assert_eq!(json["replies"][0]["step"], "accepted");
    assert_eq!(json["replies"][0]["via"], "wechat");
    assert_eq!(json["replies"][0]["residents"], 2);
}

#[test]
fn a_reply_is_refused_where_none_is_owed_or_it_was_given() {
    let env = council();
    // Anonymous: nobody to tell.
    let e = env.refused(&["--lang", "zh-CN", "issue", "reply", "2", "--via", "电话"]);
    assert!(e.contains("无需答复"), "{e}");
    let e = env.fails_unchanged(
        &["--lang", "en", "issue", "reply", "2", "--via", "phone"],
        1,
    );
    assert!(
        e.contains("no submitter (anonymous): no reply is needed"),
        "{e}"
    );
    // #1 was told at its decision already.
    let e = env.refused(&["--lang", "en", "issue", "reply", "1", "--via", "sms"]);
    assert!(
        e.contains("already told at its decision on 2026-10-22 (in-person)"),
        "{e}"
    );
    // A merged issue's residents are told on the issue it joined.
    let e = env.refused(&["--lang", "en", "issue", "reply", "5", "--via", "sms"]);
    assert!(e.contains("merged into #3"), "{e}");
    // A day before the step, or after today, and a way yishi does not know.
    let e = env.fails_unchanged(
        &[
            "--lang",
            "en",
            "issue",
            "reply",
            "3",
            "--via",
            "sms",
            "--at",
            "2026-10-19",
        ],
        65,
    );
    assert!(
        e.contains("from the step's day 2026-10-20 to today 2026-11-25"),
        "{e}"
    );
    env.fails_unchanged(
        &["issue", "reply", "3", "--via", "sms", "--at", "2026-12-01"],
        65,
    );
    let e = env.fails_unchanged(&["issue", "reply", "3", "--via", "飞鸽"], 2);
    assert!(e.contains("电话|phone"), "{e}");
    env.fails_unchanged(&["issue", "reply", "3"], 2);
    // A new issue not screened yet.
    env.ok(&[
        "issue",
        "add",
        "新议题",
        "--by",
        "周老师",
        "--channel",
        "线下",
    ]);
    let e = env.refused(&["--lang", "en", "issue", "reply", "6", "--via", "sms"]);
    assert!(e.contains("has not been screened yet"), "{e}");
    // Replying to #3 at its decision now clears it from status.
    env.ok(&["issue", "reply", "3", "--via", "书面"]);
    let status: Value = serde_json::from_str(&env.ok(&["status", "--json"])).unwrap();
    assert_eq!(waiting(&status).len(), 1, "{status}");
}

#[test]
fn a_draft_gives_the_words_for_the_current_step() {
    let env = council();
    let rejected = env.ok(&["issue", "reply", "4", "--draft"]);
    assert!(rejected.contains("不予受理"), "{rejected}");
    assert!(
        rejected.contains("属于个人纠纷，已转调解委员会"),
        "{rejected}"
    );
    assert!(!rejected.contains("黄女士"), "names are masked: {rejected}");
    let decided = env.ok(&["issue", "reply", "3", "--draft", "--show-contacts"]);
    assert!(decided.starts_with("刘大爷、孙阿姨您好"), "{decided}");
    assert!(decided.contains("表决通过"), "{decided}");
    assert!(decided.contains("更换小区路灯"), "{decided}");
    let en = env.ok(&["--lang", "en", "issue", "reply", "1", "--draft"]);
    assert!(en.contains("was adopted by the"), "{en}");
    // A draft changes nothing.
    let before = env.dump();
    env.ok(&["issue", "reply", "1", "--draft"]);
    assert_eq!(env.dump(), before);
}

/// Replies owed at screening join the screening step's items, and `--limit` holds for both
/// kinds together (the replies were all listed beyond it: ten thousand lines on a large
/// database). When replies are among those left out, the hint is `--limit 0`: the listing of
/// collected issues would not show them.
#[test]
fn replies_owed_at_screening_are_held_to_the_limit() {
    let env = council();
    for title in ["楼道灯坏了", "垃圾桶不够"] {
        env.ok(&[
            "issue",
            "add",
            title,
            "--channel",
            "线下",
            "--date",
            "2026-10-01",
            "--by",
            "周大姐",
        ]);
    }
    let screen = |limit: &str| -> Value {
        let status: Value =
            serde_json::from_str(&env.ok(&["status", "--json", "--limit", limit])).unwrap();
        status["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["step"] == "screen")
            .unwrap()
            .clone()
    };
    let kinds = |g: &Value| -> Vec<String> {
        g["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| format!("{} {}", i["kind"].as_str().unwrap(), i["days_left"]))
            .collect()
    };
    // Screening was due 10-06, the reply to #4 10-11: the older comes first.
    let all = screen("0");
    assert_eq!((&all["total"], &all["overdue"]), (&3.into(), &3.into()));
    assert_eq!(
        kinds(&all),
        ["screen-issue -50", "screen-issue -50", "reply -45"]
    );
    let two = screen("2");
    assert_eq!(two["total"], 3);
    assert_eq!(kinds(&two), ["screen-issue -50", "screen-issue -50"]);
    assert!(two["more"].is_null(), "{two}");
    let out = env.ok(&["status", "--limit", "2", "--lang", "en"]);
    assert!(
        out.contains("... and 1 more (--limit 0 shows all)"),
        "{out}"
    );
    let one = screen("1");
    assert_eq!(kinds(&one), ["screen-issue -50"]);
    assert!(one["more"].is_null(), "{one}");
    // A collected issue due later: with the reply shown and only it left out, the hint is
    // the listing of collected issues again.
    env.ok(&[
        "issue",
        "add",
        "健身器材坏了",
        "--channel",
        "线下",
        "--date",
        "2026-11-24",
        "--by",
        "周大姐",
    ]);
    let three = screen("3");
    assert_eq!(three["total"], 4);
    assert_eq!(
        kinds(&three),
        ["screen-issue -50", "screen-issue -50", "reply -45"]
    );
    assert_eq!(three["more"], "yishi issue list --status collected");
}
