//! End-to-end: a whole council from convening to closing, and every refusal.

use crate::common;
use common::Env;

#[test]
fn a_full_meeting_from_convene_to_close() {
    let env = Env::new();
    env.held();
    insta::assert_snapshot!("council_show", env.ok(&["council", "show", "M1"]));
    // The 会议通知 is posted before the meeting.
    env.set_now(common::NOW);
    insta::assert_snapshot!(
        "council_notice",
        common::unanchored(&env.ok(&["council", "notice", "M1"]))
    );
    insta::assert_snapshot!("council_list", env.ok(&["council", "list"]));
    insta::assert_snapshot!("vote_show_json", env.ok(&["vote", "show", "V1", "--json"]));
    // The stable JSON of the whole meeting.
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["council", "show", "M1", "--json"])).unwrap();
    assert_eq!(json["status"], "closed");
    assert_eq!(json["quorum"]["met"], true);
    assert_eq!(json["agenda"][0]["outcome"], "adopted");
    assert_eq!(json["agenda"][0]["resolution"]["owner"], "王建国");
    assert_eq!(
        json["agenda"][1]["motions"][0]["corrections"][0]["reason"],
        "复核举手人数，漏计一票"
    );
    assert_eq!(json["agenda"][2]["outcome"], "deferred");
    assert_eq!(json["participants"][0]["phone"], "138****1234");
    // Issues followed the meeting.
    let issues = env.ok(&["issue", "list", "--json"]);
    let issues: serde_json::Value = serde_json::from_str(&issues).unwrap();
    let issue = |id: i64| {
        issues
            .as_array()
            .and_then(|all| all.iter().find(|i| i["id"] == id))
            .unwrap_or_else(|| panic!("no issue #{id} in {issues}"))
    };
    assert_eq!(issue(1)["status"], "decided");
    assert_eq!(issue(1)["outcome"], "adopted");
    assert_eq!(issue(3)["status"], "accepted");
    env.ok(&["verify"]);
}

/// `vote show` words each ballot as the minutes do: 同意 / 反对 / 弃权 and a proxy vote in
/// Chinese by default, English with --lang en; --json keeps the stable keys in both.
#[test]
fn vote_show_words_ballots_in_the_chosen_language() {
    let env = Env::new();
    env.held();
    // V2: yes, no and abstain, and 陈志明's vote cast by 王建国 (proxy).
    let zh = env.ok(&["vote", "show", "V2"]);
    for word in ["同意", "反对", "弃权", "（委托王建国代投）"] {
        assert!(zh.contains(word), "{word} in\n{zh}");
    }
    for key in [" yes", " no", " abstain", "by proxy"] {
        assert!(!zh.contains(key), "{key} in\n{zh}");
    }
    insta::assert_snapshot!("vote_show_zh", zh);
    insta::assert_snapshot!(
        "vote_show_en",
        env.ok(&["vote", "show", "V2", "--lang", "en"])
    );
    // V1: a recusal.
    insta::assert_snapshot!("vote_show_recused_zh", env.ok(&["vote", "show", "V1"]));
    for lang in ["zh-CN", "en"] {
        let json: serde_json::Value =
            serde_json::from_str(&env.ok(&["vote", "show", "V2", "--json", "--lang", lang]))
                .unwrap();
        let choices: Vec<&str> = json["ballots"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["choice"].as_str().unwrap())
            .collect();
        assert_eq!(
            choices,
            ["yes", "yes", "yes", "yes", "yes", "no", "abstain"],
            "{lang}"
        );
    }
    let err = env.fails(&["vote", "show", "V2", "--lang", "fr"], 2);
    assert!(
        err.contains("invalid value 'fr' for '--lang <LANG>'"),
        "{err}"
    );
}

/// `issue show` words each step of the history with the status labels (已受理, 已列入议程...)
/// in Chinese, the English words with --lang en; --json keeps the stored keys.
#[test]
fn issue_history_is_worded_in_the_chosen_language() {
    let env = Env::new();
    env.held();
    let history = |text: &str, heading: &str| -> String {
        let from = text
            .find(heading)
            .unwrap_or_else(|| panic!("{heading} in\n{text}"));
        let rest = &text[from..];
        rest[..rest.find("\n\n").unwrap_or(rest.len())].to_string()
    };
    let zh = history(&env.ok(&["issue", "show", "1"]), "办理记录");
    for key in ["collected", "accepted", "scheduled", "decided"] {
        assert!(!zh.contains(key), "{key} in\n{zh}");
    }
    insta::assert_snapshot!("issue_history_zh", zh);
    // #3 was deferred at M1: yishi's own note, in Chinese, with the reason given.
    let deferred = history(&env.ok(&["issue", "show", "3"]), "办理记录");
    insta::assert_snapshot!("issue_history_deferred_zh", deferred);
    // #2's vote was recounted: the note names the results in words, in one language.
    let recount = history(&env.ok(&["issue", "show", "2"]), "办理记录");
    assert!(
        !recount.contains("adopted") && !recount.contains("recount"),
        "{recount}"
    );
    insta::assert_snapshot!("issue_history_recount_zh", recount);
    insta::assert_snapshot!(
        "issue_history_recount_en",
        history(&env.ok(&["issue", "show", "2", "--lang", "en"]), "History")
    );
    insta::assert_snapshot!(
        "issue_history_en",
        history(&env.ok(&["issue", "show", "1", "--lang", "en"]), "History")
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["issue", "show", "1", "--json"])).unwrap();
    let steps: Vec<(&str, &str)> = json["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["from"].as_str().unwrap(), h["to"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("collected", "accepted"),
            ("accepted", "scheduled"),
            ("scheduled", "decided")
        ]
    );
}

/// yishi's own history events are data (schema v18), worded when shown: a secretary's note
/// that begins with the words yishi uses for them is shown as typed, in either language; a
/// merge reads as before ("合并至 #1" / "merged into #1").
#[test]
fn a_persons_note_in_the_history_is_never_taken_for_one_of_yishis_events() {
    let env = Env::new();
    env.held();
    let history = |args: &[&str], heading: &str| -> String {
        let text = env.ok(args);
        let from = text
            .find(heading)
            .unwrap_or_else(|| panic!("{heading} in\n{text}"));
        let rest = &text[from..];
        rest[..rest.find("\n\n").unwrap_or(rest.len())]
            .trim_end()
            .to_string()
    };
    let a = env.ok(&["issue", "add", "楼道堆物", "--channel", "online", "--json"]);
    let a = serde_json::from_str::<serde_json::Value>(&a).unwrap()["id"].to_string();
    let b = env.ok(&[
        "issue",
        "add",
        "楼道堆杂物",
        "--channel",
        "online",
        "--json",
    ]);
    let b = serde_json::from_str::<serde_json::Value>(&b).unwrap()["id"].to_string();
    env.ok(&["issue", "accept", &a, "--note", "decided at M1"]);
    env.ok(&[
        "issue",
        "accept",
        &b,
        "--note",
        "on the agenda of M1 by phone",
    ]);
    let zh = history(&["issue", "show", &a], "办理记录");
    assert!(zh.ends_with(": decided at M1"), "{zh}");
    assert!(!zh.contains("于 M1 表决"), "{zh}");
    let en = history(&["issue", "show", &a, "--lang", "en"], "History");
    assert!(en.ends_with(": decided at M1"), "{en}");
    env.ok(&["issue", "merge", &b, "--into", &a]);
    let zh = history(&["issue", "show", &b], "办理记录");
    assert!(zh.contains(": on the agenda of M1 by phone\n"), "{zh}");
    assert!(zh.ends_with(&format!(": 合并至 #{a}")), "{zh}");
    let en = history(&["issue", "show", &b, "--lang", "en"], "History");
    assert!(en.ends_with(&format!(": merged into #{a}")), "{en}");
    // --json keeps the person's note as typed and gives yishi's event as data.
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["issue", "show", &b, "--json"])).unwrap();
    let steps = json["history"].as_array().unwrap();
    assert_eq!(steps[0]["note"], "on the agenda of M1 by phone");
    assert!(steps[0].get("event").is_none(), "{json}");
    assert_eq!(steps[1]["event"]["kind"], "merged");
    assert_eq!(steps[1]["event"]["into"].to_string(), a);
    assert!(steps[1]["note"].is_null(), "{json}");
}

#[test]
fn the_default_agenda_is_the_pre_consulted_accepted_issues() {
    let env = Env::new();
    env.ok(&["member", "add", "王建国", "--seat", "committee"]);
    env.ok(&[
        "issue",
        "add",
        "甲",
        "--channel",
        "online",
        "--date",
        "2026-11-02",
    ]);
    env.ok(&[
        "issue",
        "add",
        "乙",
        "--channel",
        "online",
        "--date",
        "2026-11-01",
    ]);
    env.ok(&["issue", "add", "丙", "--channel", "online"]);
    for id in ["1", "2", "3"] {
        env.ok(&["issue", "accept", id]);
    }
    env.ok(&[
        "issue",
        "consult",
        "1",
        "--with",
        "物业",
        "--summary",
        "同意",
    ]);
    env.ok(&[
        "issue",
        "consult",
        "2",
        "--with",
        "物业",
        "--summary",
        "同意",
    ]);
    let plan = env.ok(&[
        "council",
        "convene",
        "--date",
        "2026-12-10 19:00",
        "--place",
        "会议室",
        "--dry-run",
        "--json",
    ]);
    let plan: serde_json::Value = serde_json::from_str(&plan).unwrap();
    // Oldest first, and the issue without pre-consultation is left out.
    assert_eq!(plan["agenda"][0]["title"], "乙");
    assert_eq!(plan["agenda"][1]["title"], "甲");
    assert!(plan["agenda"].get(2).is_none());
    assert_eq!(env.ok(&["council", "list", "--json"]).trim(), "[]");
}

#[test]
fn every_refusal_is_clear_and_changes_nothing() {
    let env = Env::new();
    env.convened();
    let mut log = String::new();
    // Convened on 11-25: a meeting the next day has too little notice.
    env.set_now(common::NOW);
    log += &env.refused(&[
        "council",
        "convene",
        "--date",
        "2026-11-26 19:30",
        "--place",
        "x",
        "--issue",
        "3",
    ]);
    env.set_now(common::MEETING_DAY);
    log += &env.refused(&["council", "open", "M1"]);
    log += &env.refused(&["council", "speak", "M1", "--item", "1", "--by", "张伟", "x"]);
    env.ok(&[
        "council",
        "attend",
        "M1",
        "王建国",
        "李娜",
        "物业公司",
        "社工小周",
    ]);
    env.ok(&["council", "open", "M1", "--without-quorum"]);
    env.ok(&["vote", "open", "M1", "--item", "1", "动议"]);
    log += &env.refused(&["vote", "cast", "V1", "--count", "2:0:0"]);
    env.ok(&["council", "attend", "M1", "张伟", "林秀英", "赵敏"]);
    log += &env.refused(&["vote", "cast", "V1", "--yes", "王建国,路人甲"]);
    log += &env.refused(&["vote", "cast", "V1", "--yes", "王建国,王建国"]);
    log += &env.refused(&["vote", "cast", "V1", "--yes", "王建国", "--no", "社工小周"]);
    log += &env.refused(&["vote", "cast", "V1", "--yes", "孙强"]);
    log += &env.refused(&["vote", "cast", "V1", "--count", "5:1:1"]);
    log += &env.refused(&["council", "reopen", "M1", "--reason", "x"]);
    env.ok(&["vote", "cast", "V1", "--count", "4:1:1"]);
    log += &env.refused(&["vote", "cast", "V1", "--count", "4:1:1"]);
    env.ok(&["vote", "close", "V1"]);
    log += &env.refused(&["vote", "close", "V1"]);
    env.ok(&["council", "decide", "M1", "--item", "1"]);
    log += &env.refused(&["vote", "open", "M1", "--item", "1", "再议"]);
    env.ok(&["vote", "open", "M1", "--item", "2", "划线", "--secret"]);
    log += &env.refused(&["vote", "cast", "V2", "--yes", "王建国"]);
    log += &env.refused(&["council", "close", "M1"]);
    env.ok(&["vote", "close", "V2", "--defer"]);
    for name in ["陈志明", "孙强"] {
        env.ok(&["council", "absent", "M1", name, "--reason", "未到"]);
    }
    log += &env.refused(&["council", "close", "M1"]);
    for item in ["2", "3"] {
        env.ok(&[
            "council",
            "decide",
            "M1",
            "--item",
            item,
            "--defer",
            "--reason",
            "下次再议",
        ]);
    }
    env.ok(&["council", "close", "M1"]);
    log += &env.refused(&["council", "attend", "M1", "孙强"]);
    log += &env.refused(&["vote", "correct", "V1", "--count", "4:2:1", "--reason", "x"]);
    insta::assert_snapshot!(log);
}

#[test]
fn reopening_a_closed_meeting_allows_a_recorded_correction() {
    let env = Env::new();
    env.held();
    env.fails(
        &[
            "vote", "correct", "V1", "--count", "4:2:0", "--reason", "复核",
        ],
        1,
    );
    env.ok(&["council", "reopen", "M1", "--reason", "复核第一项表决票数"]);
    env.ok(&[
        "vote", "correct", "V1", "--count", "4:2:0", "--reason", "复核",
    ]);
    env.ok(&["council", "close", "M1", "--at", "21:30"]);
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["council", "show", "M1", "--json"])).unwrap();
    assert_eq!(json["reopenings"][0]["reason"], "复核第一项表决票数");
    assert_eq!(
        json["agenda"][0]["motions"][1]["corrections"][0]["old"]["yes"],
        5
    );
    env.ok(&["verify"]);
}

#[test]
fn a_recount_that_flips_the_result_moves_the_resolution() {
    let env = Env::new();
    env.held();
    env.ok(&["council", "reopen", "M1", "--reason", "复核"]);
    // V3 was adopted 4:1:1 after the first recount; a second recount makes it fail.
    env.ok(&[
        "vote",
        "correct",
        "V3",
        "--count",
        "3:2:1",
        "--reason",
        "再次复核",
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["council", "show", "M1", "--json"])).unwrap();
    assert_eq!(json["agenda"][1]["outcome"], "not-adopted");
    assert!(json["agenda"][1]["resolution"].is_null());
    env.ok(&["verify"]);
}

#[test]
fn speech_limits_warn_but_do_not_block() {
    let env = Env::new();
    env.convened();
    env.ok(&[
        "council",
        "attend",
        "M1",
        "王建国",
        "李娜",
        "张伟",
        "林秀英",
        "赵敏",
    ]);
    env.ok(&["council", "open", "M1"]);
    for _ in 0..2 {
        let (_, err) = env.ok_both(&[
            "council",
            "speak",
            "M1",
            "--item",
            "1",
            "--by",
            "张伟",
            "--position",
            "for",
            "同意",
        ]);
        assert!(!err.contains("warning"), "{err}");
    }
    let (_, err) = env.ok_both(&[
        "council",
        "speak",
        "M1",
        "--item",
        "1",
        "--by",
        "张伟",
        "--position",
        "for",
        "再说一次",
    ]);
    assert!(
        err.contains("warning: 张伟 has now spoken 3 times on #1; the rules allow 2"),
        "{err}"
    );
    let (_, err) = env.ok_both(&[
        "council",
        "speak",
        "M1",
        "--item",
        "1",
        "--by",
        "李娜",
        "--position",
        "against",
        "太长的发言",
        "--minutes",
        "5",
    ]);
    assert!(
        err.contains("took 5 minutes; the rules allow 2 per speech"),
        "{err}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["council", "show", "M1", "--json"])).unwrap();
    assert_eq!(json["agenda"][0]["speeches"].as_array().unwrap().len(), 4);
}

/// A row written before schema v18 has no event and yishi's prose note: it reads as it did
/// (by its words, only for such rows). An event yishi does not know is a data error naming
/// table, row and column, never shown as something else.
#[test]
fn old_history_rows_read_as_before_and_an_unknown_event_is_bad_data() {
    let env = Env::new();
    env.held();
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let id: i64 = conn
        .query_row(
            "SELECT id FROM issue_history WHERE issue_id = 1 AND to_status = 'scheduled'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE issue_history SET event = NULL, note = 'on the agenda of M1' WHERE id = ?1",
        [id],
    )
    .unwrap();
    assert!(env.ok(&["issue", "show", "1"]).contains(": 列入 M1 议程\n"));
    let en = env.ok(&["issue", "show", "1", "--lang", "en"]);
    assert!(en.contains(": on the agenda of M1\n"), "{en}");
    conn.execute(
        "UPDATE issue_history SET event = '{\"kind\":\"teleported\"}' WHERE id = ?1",
        [id],
    )
    .unwrap();
    drop(conn);
    let err = env.fails_unchanged(&["issue", "show", "1"], 65);
    assert!(
        err.contains("issue_history")
            && err.contains(&format!("row {id}"))
            && err.contains("event")
            && err.contains("teleported"),
        "{err}"
    );
}
