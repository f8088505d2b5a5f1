//! Issue 32: raising an issue to the street (上报街道): its own status with history, the
//! street's answer closing it or sending it back, `status` and `report --json` counting the
//! waiting ones, the council's decision to raise an agenda item, and refusals that change
//! nothing.

use crate::common::Env;
use serde_json::Value;

/// An accepted issue #1 raised on 2026-11-03.
fn accepted(env: &Env) {
    env.ok(&[
        "issue",
        "add",
        "河道护栏缺失",
        "--by",
        "陈阿姨",
        "--channel",
        "线下",
        "--date",
        "2026-11-03",
    ]);
    env.ok(&["issue", "accept", "1"]);
}

fn issue(env: &Env, id: &str) -> Value {
    serde_json::from_str(&env.ok(&["issue", "show", id, "--json"])).unwrap()
}

fn status_of(env: &Env, id: &str) -> String {
    let v = issue(env, id);
    v["status"]
        .as_str()
        .or(v["issue"]["status"].as_str())
        .unwrap_or_default()
        .to_string()
}

#[test]
fn an_issue_raised_to_the_street_waits_then_is_closed_by_its_answer() {
    let env = Env::new();
    accepted(&env);
    let (_, said) = env.ok_both(&[
        "issue",
        "escalate",
        "1",
        "--to",
        "街道",
        "--reason",
        "需区级资金",
        "--date",
        "2026-11-10",
    ]);
    assert!(said.contains("escalated to the street"), "{said}");
    assert_eq!(status_of(&env, "1"), "escalated");
    // Listed under its status in both languages.
    for word in ["escalated", "已上报"] {
        let listed = env.ok(&["issue", "list", "--status", word, "--json"]);
        assert!(listed.contains("河道护栏缺失"), "{word}: {listed}");
    }
    // `status` shows it waiting, with the days since it was raised (the clock is 2026-11-25).
    let status = env.ok(&["status"]);
    assert!(
        status.contains("#1 河道护栏缺失：已上报街道，等待答复 15 天"),
        "{status}"
    );
    let json: Value = serde_json::from_str(&env.ok(&["status", "--json"])).unwrap();
    assert!(json.to_string().contains("\"days_waiting\":15"), "{json}");
    let en = env.ok(&["status", "--lang", "en"]);
    assert!(
        en.contains("#1 河道护栏缺失: escalated to the street, waiting 15 day(s)"),
        "{en}"
    );
    // report --json counts it as raised and waiting.
    let report: Value = serde_json::from_str(&env.ok(&["report", "--json"])).unwrap();
    assert_eq!(report["escalations"]["raised"], 1, "{report}");
    assert_eq!(report["escalations"]["waiting"], 1, "{report}");
    assert_eq!(report["issues_by_status"]["escalated"], 1, "{report}");
    let text = env.ok(&["report", "--lang", "en"]);
    assert!(
        text.contains("escalated to the street: 1 raised, 0 answered, 1 waiting"),
        "{text}"
    );

    let (_, said) = env.ok_both(&[
        "issue",
        "escalate",
        "1",
        "--answer",
        "街道已列入明年改造计划并完成施工",
        "--date",
        "2026-11-20",
        "--then",
        "close",
    ]);
    assert!(said.contains("after 10 days"), "{said}");
    assert_eq!(status_of(&env, "1"), "completed");
    let status = env.ok(&["status"]);
    assert!(!status.contains("已上报街道"), "{status}");
    let report: Value = serde_json::from_str(&env.ok(&["report", "--json"])).unwrap();
    assert_eq!(report["escalations"]["answered"], 1, "{report}");
    assert_eq!(report["escalations"]["waiting"], 0, "{report}");
    // The history keeps both steps, with the reason and the answer.
    let shown = env.ok(&["issue", "show", "1"]);
    for want in ["需区级资金", "街道已列入明年改造计划并完成施工"] {
        assert!(shown.contains(want), "{shown}");
    }
}

#[test]
fn the_answer_sends_an_issue_back_to_the_council_by_default() {
    let env = Env::new();
    accepted(&env);
    env.ok(&[
        "issue",
        "escalate",
        "#1",
        "--to",
        "street",
        "--reason",
        "跨社区",
    ]);
    env.ok(&[
        "issue",
        "escalate",
        "1",
        "--answer",
        "请社区先行协商",
        "--date",
        "2026-11-25",
    ]);
    assert_eq!(status_of(&env, "1"), "accepted");
    // Raised again after the answer: a second raising, answered in turn.
    env.ok(&[
        "issue",
        "escalate",
        "1",
        "--to",
        "街道",
        "--reason",
        "协商未果",
    ]);
    assert_eq!(status_of(&env, "1"), "escalated");
}

#[test]
fn refusals_name_the_way_on_and_change_nothing() {
    let env = Env::new();
    env.ok(&[
        "issue",
        "add",
        "未受理的议题",
        "--channel",
        "线下",
        "--date",
        "2026-11-03",
    ]);
    let err = env.refused(&["issue", "escalate", "1", "--to", "街道", "--reason", "x"]);
    assert!(err.contains("yishi issue accept 1"), "{err}");
    let err = env.fails_unchanged(
        &[
            "issue",
            "escalate",
            "1",
            "--to",
            "街道",
            "--reason",
            "x",
            "--date",
            "2027-01-01",
        ],
        65,
    );
    assert!(err.contains("after today"), "{err}");
    env.ok(&["issue", "accept", "1"]);
    let err = env.refused(&[
        "issue",
        "escalate",
        "1",
        "--answer",
        "好",
        "--date",
        "2026-11-25",
    ]);
    assert!(err.contains("no escalation waiting"), "{err}");
    env.ok(&[
        "issue",
        "escalate",
        "1",
        "--to",
        "街道",
        "--reason",
        "需区级资金",
        "--date",
        "2026-11-20",
    ]);
    let err = env.refused(&[
        "issue", "escalate", "1", "--to", "街道", "--reason", "again",
    ]);
    assert!(err.contains("escalated already"), "{err}");
    let err = env.refused(&[
        "issue",
        "escalate",
        "1",
        "--answer",
        "好",
        "--date",
        "2026-11-19",
    ]);
    assert!(err.contains("cannot be earlier"), "{err}");
    let err = env.fails_unchanged(
        &["issue", "escalate", "1", "--to", "省", "--reason", "x"],
        65,
    );
    assert!(err.contains("not a level"), "{err}");
    let err = env.fails_unchanged(
        &[
            "issue",
            "escalate",
            "1",
            "--answer",
            "好",
            "--date",
            "2026-11-25",
            "--then",
            "maybe",
        ],
        65,
    );
    assert!(err.contains("--then"), "{err}");
    // A day after today (2026-11-25) is a typing error, for a raising and an answer alike.
    let err = env.fails_unchanged(
        &[
            "issue",
            "escalate",
            "1",
            "--answer",
            "好",
            "--date",
            "2026-11-26",
        ],
        65,
    );
    assert!(err.contains("after today (2026-11-25)"), "{err}");
    // Neither a raising nor an answer: usage.
    env.fails_unchanged(&["issue", "escalate", "1"], 2);
    env.fails_unchanged(&["issue", "escalate", "1", "--answer", "好"], 2);
    env.fails_unchanged(
        &["issue", "escalate", "9", "--to", "街道", "--reason", "x"],
        65,
    );
}

#[test]
fn a_council_raises_an_agenda_item_to_the_street() {
    let env = Env::new();
    env.convened();
    env.ok(&[
        "council",
        "attend",
        "M1",
        "王建国",
        "陈志明",
        "李娜",
        "张伟",
        "林秀英",
        "赵敏",
    ]);
    env.ok(&["council", "open", "M1", "--at", "19:35"]);
    // An agenda item is raised by the council, not by `issue escalate`.
    let err = env.refused(&["issue", "escalate", "3", "--to", "街道", "--reason", "x"]);
    assert!(err.contains("--escalate"), "{err}");
    let err = env.fails_unchanged(
        &["council", "decide", "M1", "--item", "3", "--reason", "x"],
        2,
    );
    assert!(err.contains("--defer or --escalate"), "{err}");
    let (_, said) = env.ok_both(&[
        "council",
        "decide",
        "M1",
        "--item",
        "3",
        "--escalate",
        "--reason",
        "噪音执法需城管介入",
    ]);
    assert!(said.contains("escalated issue #3 to the street"), "{said}");
    assert_eq!(status_of(&env, "3"), "escalated");
    // The history words the raising (data since schema v18) in the reader's language.
    let shown = env.ok(&["issue", "show", "3"]);
    assert!(
        shown.contains("于 M1 上报街道：噪音执法需城管介入"),
        "{shown}"
    );
    let shown = env.ok(&["issue", "show", "3", "--lang", "en"]);
    assert!(
        shown.contains("escalated to 街道 (M1): 噪音执法需城管介入"),
        "{shown}"
    );
    // The minutes tell it apart from a deferral.
    let minutes = env.ok(&["minutes", "export", "M1", "--lang", "zh-CN"]);
    assert!(
        minutes.contains("上报街道，等待答复：噪音执法需城管介入"),
        "{minutes}"
    );
    // Answered and sent back: it waits for the next council, as an accepted issue.
    env.ok(&[
        "issue",
        "escalate",
        "3",
        "--answer",
        "城管将于12月联合执法",
        "--date",
        "2026-12-01",
        "--then",
        "back",
    ]);
    assert_eq!(status_of(&env, "3"), "accepted");
}

#[test]
fn the_ledger_notes_the_raising_and_the_answer() {
    let env = Env::new();
    accepted(&env);
    env.ok(&[
        "issue",
        "escalate",
        "1",
        "--to",
        "街道",
        "--reason",
        "需区级资金",
        "--date",
        "2026-11-10",
    ]);
    env.ok(&["ledger", "--year", "2026", "-o", "waiting.xlsx"]);
    env.ok(&[
        "issue",
        "escalate",
        "1",
        "--answer",
        "已列入明年计划",
        "--date",
        "2026-11-20",
    ]);
    env.ok(&["ledger", "--year", "2026", "-o", "answered.xlsx"]);
    let row = |file: &str| -> String {
        let book = std::fs::read(env.path(file)).unwrap();
        crate::paperwork::calamine_all(&book, "议题")
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .find(|r| r.contains("河道护栏缺失"))
            .unwrap()
    };
    let waiting = row("waiting.xlsx");
    assert!(
        waiting.contains("已上报") && waiting.contains("2026-11-10上报街道：需区级资金（待答复）"),
        "{waiting}"
    );
    let answered = row("answered.xlsx");
    assert!(
        answered.contains("2026-11-10上报街道：需区级资金；2026-11-20答复：已列入明年计划"),
        "{answered}"
    );
}
