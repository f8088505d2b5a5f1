//! End-to-end: `yishi status`, `remind`, `calendar` and the 四议两公开 checklist on a council
//! with an item in every state, built step by step with the clock set for each step.
//!
//! The expectations are written by hand from the scenario below (today is 2026-11-25, the
//! defaults of [reminders]: screen 5 days, consult 14, decisions posted 2 days after a meeting,
//! results 7 days and feedback 14 days after completion; notice 3 days before a meeting).

use crate::common;
use common::Env;
use serde_json::Value;

/// Run at a given local time (China Standard Time); panics with the output on failure.
fn at(env: &Env, day_time: &str, args: &[&str]) -> String {
    let now = format!("{day_time}+08:00");
    let out = env
        .cmd()
        .env("YISHI_NOW", &now)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "yishi {args:?} at {now} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

const ALL: &[&str] = &["王建国", "李娜", "张伟", "林秀英", "赵敏", "孙强"];

/// A vote: the motion's id as it will be numbered, and (item, yes:no:abstain, text, owner and due).
type Vote<'a> = (
    &'a str,
    (&'a str, &'a str, &'a str, Option<(&'a str, &'a str)>),
);

/// Hold a council: everyone attends, each motion is opened, counted and closed.
fn hold(env: &Env, meeting: &str, day: &str, votes: &[Vote]) {
    let t = format!("{day}T19:30:00");
    let mut attend = vec!["council", "attend", meeting];
    attend.extend(ALL);
    at(env, &t, &attend);
    at(env, &t, &["council", "open", meeting, "--at", "19:35"]);
    for (motion, (item, count, text, resolution)) in votes {
        at(env, &t, &["vote", "open", meeting, "--item", item, text]);
        at(env, &t, &["vote", "cast", motion, "--count", count]);
        match resolution {
            Some((owner, due)) => at(
                env,
                &t,
                &["vote", "close", motion, "--owner", owner, "--due", due],
            ),
            None => at(env, &t, &["vote", "close", motion]),
        };
    }
    // The secretary decides each item (issue 14): voted items by their motions, the rest
    // deferred.
    let shown: serde_json::Value =
        serde_json::from_str(&at(env, &t, &["council", "show", meeting, "--json"])).unwrap();
    for item in shown["agenda"].as_array().unwrap() {
        let id = item["issue_id"].to_string();
        if !item["outcome"].is_null() {
            continue;
        }
        if votes.iter().any(|(_, (i, ..))| *i == id) {
            at(env, &t, &["council", "decide", meeting, "--item", &id]);
        } else {
            let defer = [
                "council",
                "decide",
                meeting,
                "--item",
                &id,
                "--defer",
                "--reason",
                "未表决",
            ];
            at(env, &t, &defer);
        }
    }
    at(env, &t, &["council", "close", meeting, "--at", "21:00"]);
}

/// An issue raised anonymously: no resident is owed a reply (答复), so this scenario's figures
/// leave replies out; tests/it/replies.rs counts them.
fn issue(env: &Env, title: &str, raised: &str) {
    at(
        env,
        &format!("{raised}T09:00:00"),
        &["issue", "add", title, "--channel", "线下", "--date", raised],
    );
}

/// The scenario. Issues:
/// #1 儿童活动场所  M1 adopted, A1 王建国 due 11-20, 40% (overdue)
/// #2 小区停车难    M1 adopted, A2 李娜 due 11-30 (due soon); never pre-consulted
/// #3 路灯不亮      M1 adopted, A3 王建国 done 11-05: completed, no feedback, no result notice
/// #4 健身器材损坏  M1 adopted, A4 张伟 done 11-08, results published 11-09, feedback 11-10
/// #5 广场舞噪音    M3 (11-22) not adopted; M3's decisions never posted
/// #6 垃圾分类点太远 on M4, convened for 11-27 (notice deadline 11-24 passed)
/// #7 电梯经常故障  on M5, convened for 12-05 (notice due 12-02)
/// #8 楼道堆放杂物  on M2, 11-24, still in session with V6 not counted
/// #9 雨天积水      collected 11-10 (screening overdue since 11-15)
/// #10 助餐点太少    collected 11-24 (screen by 11-29)
/// #11 宠物扰民      accepted 11-05, not consulted (consultation overdue since 11-19)
/// #12 电动车充电    accepted and consulted: ready for a council
/// #13 邻里纠纷      rejected
fn council() -> Env {
    Env::prepared("status council", build_council)
}

/// The steps of [`council`], run once for this test binary.
fn build_council(env: &Env) {
    env.roster();
    for (n, title) in [
        "儿童活动场所",
        "小区停车难",
        "路灯不亮",
        "健身器材损坏",
        "广场舞噪音",
        "垃圾分类点太远",
        "电梯经常故障",
        "楼道堆放杂物",
    ]
    .iter()
    .enumerate()
    {
        issue(env, title, "2026-10-01");
        let id = (n + 1).to_string();
        at(env, "2026-10-02T09:00:00", &["issue", "accept", &id]);
        if id != "2" {
            at(
                env,
                "2026-10-05T09:00:00",
                &[
                    "issue",
                    "consult",
                    &id,
                    "--with",
                    "物业公司",
                    "--summary",
                    "同意",
                    "--date",
                    "2026-10-05",
                ],
            );
        }
    }
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
            "--issue",
            "4",
        ],
    );
    hold(
        env,
        "M1",
        "2026-10-20",
        &[
            (
                "V1",
                (
                    "1",
                    "6:0:0",
                    "改造老村部四楼为儿童活动中心",
                    Some(("王建国", "2026-11-20")),
                ),
            ),
            (
                "V2",
                (
                    "2",
                    "5:1:0",
                    "东侧空地划线增加停车位",
                    Some(("李娜", "2026-11-30")),
                ),
            ),
            (
                "V3",
                ("3", "6:0:0", "更换小区路灯", Some(("王建国", "2026-11-01"))),
            ),
            (
                "V4",
                ("4", "6:0:0", "修复健身器材", Some(("张伟", "2026-11-10"))),
            ),
        ],
    );
    at(
        env,
        "2026-10-21T09:00:00",
        &["notice", "decision", "M1", "--days", "7"],
    );
    at(
        env,
        "2026-11-05T09:00:00",
        &["action", "done", "A3", "--date", "2026-11-05"],
    );
    at(
        env,
        "2026-11-06T09:00:00",
        &[
            "action",
            "update",
            "A1",
            "--progress",
            "40",
            "--note",
            "墙面粉刷完成",
            "--date",
            "2026-11-06",
        ],
    );
    at(
        env,
        "2026-11-08T09:00:00",
        &["action", "done", "A4", "--date", "2026-11-08"],
    );
    at(env, "2026-11-09T09:00:00", &["notice", "result", "4"]);
    at(
        env,
        "2026-11-10T09:00:00",
        &[
            "feedback",
            "add",
            "--issue",
            "4",
            "--satisfaction",
            "5",
            "--aware",
            "yes",
            "--date",
            "2026-11-10",
        ],
    );
    at(
        env,
        "2026-11-10T09:00:00",
        &[
            "council",
            "convene",
            "--date",
            "2026-11-24 19:30",
            "--place",
            "社区活动室",
            "--issue",
            "8",
        ],
    );
    at(
        env,
        "2026-11-15T09:00:00",
        &[
            "council",
            "convene",
            "--date",
            "2026-11-22 19:30",
            "--place",
            "老村部三楼会议室",
            "--issue",
            "5",
        ],
    );
    at(
        env,
        "2026-11-20T09:00:00",
        &[
            "council",
            "convene",
            "--date",
            "2026-11-27 19:30",
            "--place",
            "老村部三楼会议室",
            "--issue",
            "6",
        ],
    );
    hold(
        env,
        "M3",
        "2026-11-22",
        &[("V5", ("5", "1:5:0", "禁止晚间广场舞", None))],
    );
    // M2 (convened 11-10 for 11-24) is the one left in session.
    let mut attend = vec!["council", "attend", "M2"];
    attend.extend(ALL);
    at(env, "2026-11-24T19:30:00", &attend);
    at(
        env,
        "2026-11-24T19:30:00",
        &["council", "open", "M2", "--at", "19:35"],
    );
    at(
        env,
        "2026-11-24T19:40:00",
        &["vote", "open", "M2", "--item", "8", "清理楼道杂物"],
    );
    at(
        env,
        "2026-11-24T09:00:00",
        &[
            "council",
            "convene",
            "--date",
            "2026-12-05 19:30",
            "--place",
            "社区活动室",
            "--issue",
            "7",
        ],
    );
    issue(env, "雨天积水", "2026-11-10");
    issue(env, "助餐点太少", "2026-11-24");
    issue(env, "宠物扰民", "2026-11-01");
    at(env, "2026-11-05T09:00:00", &["issue", "accept", "11"]);
    issue(env, "电动车充电", "2026-11-02");
    at(env, "2026-11-03T09:00:00", &["issue", "accept", "12"]);
    at(
        env,
        "2026-11-04T09:00:00",
        &[
            "issue",
            "consult",
            "12",
            "--with",
            "物业公司",
            "--summary",
            "可安装充电桩",
            "--date",
            "2026-11-04",
        ],
    );
    issue(env, "邻里纠纷", "2026-11-03");
    at(
        env,
        "2026-11-04T09:00:00",
        &["issue", "reject", "13", "--reason", "属于个人纠纷"],
    );
}

/// stdout, stderr and exit code together, for snapshots.
fn transcript(env: &Env, args: &[&str]) -> String {
    let out = env.cmd().args(args).output().unwrap();
    format!(
        "$ yishi {}\n--- exit {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// "step kind urgency days_left | command" for every item, for hand-written expectations.
fn lines(status: &Value) -> Vec<String> {
    status["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().unwrap().iter())
        .map(|i| {
            format!(
                "{} {} {} {} | {}",
                i["step"].as_str().unwrap(),
                i["kind"].as_str().unwrap(),
                i["urgency"].as_str().unwrap(),
                i["days_left"],
                i["command"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn status_lists_every_step_overdue_first_with_its_command() {
    let env = council();
    let json: Value = serde_json::from_str(&env.ok(&["status", "--json"])).unwrap();
    assert_eq!(json["today"], "2026-11-25");
    assert_eq!(json["within_days"], 7);
    assert_eq!(
        lines(&json),
        [
            "collect new-issues info null | yishi issue list --since 2026-11-19",
            "screen screen-issue overdue -10 | yishi issue accept 9",
            "screen screen-issue due 4 | yishi issue accept 10",
            "consult consult-issue overdue -6 | yishi issue consult 11 --with PARTY --summary TEXT",
            "notice post-meeting-notice due 7 | yishi council notice M5",
            "meet close-meeting overdue -1 | yishi council close M2 --at HH:MM",
            "meet hold-meeting due 2 | yishi council open M4 --at HH:MM",
            "meet ready-for-council info null | yishi council convene --date \"YYYY-MM-DD HH:MM\" --place PLACE",
            "vote finish-vote overdue -1 | yishi vote cast V6 --count Y:N:A",
            "publish post-decisions overdue -1 | yishi notice decision M3",
            "implement action overdue -5 | yishi action done A1",
            "implement action due 5 | yishi action done A2",
            "evaluate collect-feedback overdue -6 | yishi feedback add --issue 3 --satisfaction 1-5 --aware yes|no",
            "results publish-results overdue -13 | yishi notice result 3",
        ]
    );
    assert_eq!(json["overdue"], 8);
    assert_eq!(json["due"], 4);
    // Looking two weeks ahead adds M5's meeting on 12-05; nothing overdue changes.
    let json: Value =
        serde_json::from_str(&env.ok(&["status", "--json", "--within", "2w"])).unwrap();
    assert_eq!(json["overdue"], 8);
    assert_eq!(json["due"], 5);
    insta::assert_snapshot!("status_zh", transcript(&env, &["status"]));
    insta::assert_snapshot!("status_en", transcript(&env, &["status", "--lang", "en"]));
}

#[test]
fn status_limits_each_step_and_says_how_to_see_the_rest() {
    let env = council();
    let out = env.ok(&["status", "--limit", "1", "--lang", "en"]);
    assert!(
        out.contains("... and 1 more  → yishi issue list --status collected"),
        "{out}"
    );
    let json: Value = serde_json::from_str(&env.ok(&["status", "--json", "--limit", "1"])).unwrap();
    let screen = &json["steps"][1];
    assert_eq!(screen["step"], "screen");
    assert_eq!(screen["total"], 2);
    assert_eq!(screen["items"].as_array().unwrap().len(), 1);
}

#[test]
fn status_refuses_bad_options_and_reads_thresholds_from_the_config() {
    let env = council();
    insta::assert_snapshot!(
        "status_bad_within",
        transcript(&env, &["status", "--within", "soon"])
    );
    insta::assert_snapshot!(
        "status_bad_lang",
        transcript(&env, &["status", "--lang", "fr"])
    );
    // A longer screening period: #9 (raised 11-10) is no longer overdue by 11-25 with 20 days.
    let toml = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    env.write(
        "yishi.toml",
        toml.replace("screen_days = 5", "screen_days = 20"),
    );
    let json: Value = serde_json::from_str(&env.ok(&["status", "--json"])).unwrap();
    assert_eq!(json["steps"][1]["overdue"], 0);
    assert_eq!(json["overdue"], 7);
    env.write(
        "yishi.toml",
        toml.replace("screen_days = 5", "screen_days = -1"),
    );
    insta::assert_snapshot!("status_bad_config", transcript(&env, &["status"]));
}

#[test]
fn status_on_an_empty_council_says_nothing_is_due() {
    let env = Env::new();
    insta::assert_snapshot!(
        "status_empty",
        transcript(&env, &["status", "--lang", "en"])
    );
}

#[test]
fn remind_lists_each_owners_actions_due_soon_or_overdue() {
    let env = council();
    let json: Value = serde_json::from_str(&env.ok(&["remind", "--json"])).unwrap();
    let owners: Vec<String> = json["owners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let actions: Vec<String> = o["actions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| {
                    format!(
                        "A{} #{} {}% {} {}",
                        a["action"],
                        a["issue"],
                        a["progress"],
                        a["due"].as_str().unwrap(),
                        a["days_left"]
                    )
                })
                .collect();
            format!("{}: {}", o["owner"].as_str().unwrap(), actions.join(", "))
        })
        .collect();
    // A3 and A4 are done; A1 is 5 days late at 40%; A2 is due in 5 days.
    assert_eq!(
        owners,
        [
            "王建国: A1 #1 40% 2026-11-20 -5",
            "李娜: A2 #2 0% 2026-11-30 5"
        ]
    );
    // Nothing ahead today: only what is already late.
    let json: Value =
        serde_json::from_str(&env.ok(&["remind", "--json", "--within", "0"])).unwrap();
    assert_eq!(json["owners"].as_array().unwrap().len(), 1);
    assert_eq!(json["owners"][0]["owner"], "王建国");
    insta::assert_snapshot!("remind_text_zh", transcript(&env, &["remind"]));
    insta::assert_snapshot!(
        "remind_text_en_owner",
        transcript(&env, &["remind", "--lang", "en", "--owner", "李娜"])
    );
    insta::assert_snapshot!("remind_md", transcript(&env, &["remind", "--format", "md"]));
    insta::assert_snapshot!(
        "remind_nobody",
        transcript(&env, &["remind", "--owner", "孙强"])
    );
    insta::assert_snapshot!(
        "remind_bad_format",
        transcript(&env, &["remind", "--format", "pdf"])
    );
    // HTML written to a private file.
    env.ok(&["remind", "--format", "html", "-o", "督办.html"]);
    let html = std::fs::read_to_string(env.path("督办.html")).unwrap();
    assert!(html.contains("<li>改造老村部四楼为儿童活动中心"), "{html}");
    assert!(
        html.contains("class=\"overdue\">进度 40%，完成时限 2026-11-20，已逾期 5 天"),
        "{html}"
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(env.path("督办.html"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

/// (uid, summary, start, end, location, description) of every event, read back with the
/// icalendar crate's parser.
fn events(ics: &str) -> Vec<String> {
    use icalendar::{Component, EventLike};
    let cal: icalendar::Calendar = ics.parse().expect("the .ics parses");
    let when = |d: Option<icalendar::DatePerhapsTime>| match d {
        Some(icalendar::DatePerhapsTime::Date(d)) => d.to_string(),
        Some(icalendar::DatePerhapsTime::DateTime(t)) => format!("{t:?}"),
        None => "-".into(),
    };
    cal.components
        .iter()
        .filter_map(|c| match c {
            icalendar::CalendarComponent::Event(e) => Some(format!(
                "{} | {} | {} | {} | {} | {}",
                e.get_uid().unwrap_or("-"),
                e.get_summary().unwrap_or("-"),
                when(e.get_start()),
                when(e.get_end()),
                e.get_location().unwrap_or("-"),
                e.get_description().unwrap_or("-").replace('\n', "⏎"),
            )),
            _ => None,
        })
        .collect()
}

#[test]
fn calendar_has_every_date_with_stable_uids_and_reads_back() {
    let env = council();
    env.ok(&["calendar", "-o", "议事日历.ics"]);
    let path = env.path("议事日历.ics");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let ics = std::fs::read_to_string(&path).unwrap();
    let list = events(&ics);
    // 5 meetings and their 5 notice deadlines, M1's decision notice, #4's result notice, and
    // the due dates of A1–A4.
    assert_eq!(list.len(), 16, "{list:#?}");
    let uid = |l: &String| l.split(" | ").next().unwrap().to_string();
    let domain = uid(&list[0]).split('@').nth(1).unwrap().to_string();
    let mut uids: Vec<String> = list.iter().map(uid).collect();
    uids.sort();
    let mut expected: Vec<String> = (1..=5)
        .flat_map(|m| [format!("meeting-{m}"), format!("notice-deadline-{m}")])
        .chain(["decision-notice-1".into(), "result-notice-2".into()])
        .chain((1..=4).map(|a| format!("action-{a}")))
        .map(|u| format!("{u}@{domain}"))
        .collect();
    expected.sort();
    assert_eq!(uids, expected);
    let find = |prefix: &str| {
        list.iter()
            .find(|l| l.starts_with(&format!("{prefix}@")))
            .unwrap()
            .clone()
    };
    let tail = |l: String| l.split_once(" | ").unwrap().1.to_string();
    // M1: held 19:30–21:00 (closed at 21:00) in the council's zone (UTC+8), written in UTC so
    // that a phone elsewhere shows the right hour; agenda in the description.
    assert_eq!(
        tail(find("meeting-1")),
        "议事会：汀塘社区第1次居民议事会 | Utc(2026-10-20T11:30:00Z) | Utc(2026-10-20T13:00:00Z) | 老村部三楼会议室 | 议程：⏎1. 儿童活动场所⏎2. 小区停车难⏎3. 路灯不亮⏎4. 健身器材损坏⏎⏎M1"
    );
    // M5 (not held yet): two hours by default; its notice is due 3 days before.
    assert!(
        find("meeting-5")
            .contains("Utc(2026-12-05T11:30:00Z) | Utc(2026-12-05T13:30:00Z) | 社区活动室")
    );
    assert!(find("notice-deadline-5").contains("| 2026-12-02 | 2026-12-03 |"));
    // The 公示 of M1: 7 days from 10-21, DTEND exclusive.
    assert!(
        find("decision-notice-1")
            .contains("决议公示：汀塘社区第1次居民议事会 | 2026-10-21 | 2026-10-28 |")
    );
    assert!(
        find("action-2")
            .contains("落实到期：东侧空地划线增加停车位（责任人 李娜） | 2026-11-30 | 2026-12-01")
    );
    // Round trip: what the parser read, written out and parsed again, is the same.
    let cal: icalendar::Calendar = ics.parse().unwrap();
    assert_eq!(events(&cal.to_string()), list);
    // Made again a week later: the same UIDs, so a calendar app updates instead of duplicating.
    let again = env
        .cmd()
        .env("YISHI_NOW", "2026-12-02T08:00:00+08:00")
        .args(["calendar"])
        .output()
        .unwrap();
    let again: Vec<String> = events(&String::from_utf8(again.stdout).unwrap())
        .iter()
        .map(uid)
        .collect();
    assert_eq!(again, list.iter().map(uid).collect::<Vec<_>>());
    insta::assert_snapshot!(
        "calendar_en",
        transcript(&env, &["calendar", "--lang", "en"])
    );
    insta::assert_snapshot!(
        "calendar_json_refused",
        transcript(&env, &["calendar", "--json"])
    );
}

/// "step state on" for each step of an issue's checklist, from `issue show --json`.
fn checks(env: &Env, issue: &str) -> Vec<String> {
    let json: Value = serde_json::from_str(&env.ok(&["issue", "show", issue, "--json"])).unwrap();
    json["checklist"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|s| {
            format!(
                "{} {} {}",
                s["step"].as_str().unwrap(),
                s["state"].as_str().unwrap(),
                s["on"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn the_checklist_marks_missing_steps_and_the_report_counts_complete_issues() {
    let env = council();
    // #3: completed on 11-05, but neither results published nor feedback collected.
    assert_eq!(
        checks(&env, "3"),
        [
            "raised done 2026-10-01",
            "accepted done 2026-10-02",
            "consulted done 2026-10-05",
            "decided done 2026-10-20",
            "decision-notice done 2026-10-21",
            "implemented done 2026-11-05",
            "result-notice missing -",
            "feedback missing -",
        ]
    );
    // #2: never pre-consulted; still being carried out.
    assert_eq!(
        checks(&env, "2")[2..],
        [
            "consulted missing -",
            "decided done 2026-10-20",
            "decision-notice done 2026-10-21",
            "implemented pending -",
            "result-notice pending -",
            "feedback pending -",
        ]
    );
    // #5: not adopted at M3, whose decisions were never posted.
    assert_eq!(
        checks(&env, "5")[3..],
        [
            "decided done 2026-11-22",
            "decision-notice missing -",
            "implemented not-applicable -",
            "result-notice not-applicable -",
            "feedback not-applicable -",
        ]
    );
    // #4 went through every step; an issue not decided yet has no checklist.
    assert!(checks(&env, "4").iter().all(|c| c.contains(" done ")));
    assert!(checks(&env, "9").is_empty());
    // Decided: #1 #2 #3 #4 #5; only #4 is complete.
    let report: Value = serde_json::from_str(&env.ok(&["report", "--json"])).unwrap();
    assert_eq!(report["cycle_complete"]["numerator"], 1);
    assert_eq!(report["cycle_complete"]["denominator"], 5);
    let out = env.ok(&["issue", "show", "3"]);
    insta::assert_snapshot!(
        "checklist_3_zh",
        out[out.find("\n四议两公开").unwrap()..].to_string()
    );
    env.write(
        "yishi.toml",
        std::fs::read_to_string(env.path("yishi.toml"))
            .unwrap()
            .replace("locale = \"zh-CN\"", "locale = \"en\""),
    );
    let out = env.ok(&["issue", "show", "5"]);
    insta::assert_snapshot!(
        "checklist_5_en",
        out[out.find("\nCouncil cycle").unwrap()..].to_string()
    );
    let report = env.ok(&["report"]);
    assert!(
        report.contains("Every step of 四议两公开 done: 1 of 5 decided issues (20%)"),
        "{report}"
    );
}

/// A JSON value parsed strictly: an object with the same key twice is an error (serde_json's
/// `Value` keeps the last one silently, so a script reading it would see `null`).
struct Strict;

impl<'de> serde::Deserialize<'de> for Strict {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
}

struct StrictVisitor;

impl<'de> serde::de::Visitor<'de> for StrictVisitor {
    type Value = Strict;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_str<E>(self, _: &str) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_unit<E>(self) -> Result<Strict, E> {
        Ok(Strict)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Strict, A::Error> {
        while seq.next_element::<Strict>()?.is_some() {}
        Ok(Strict)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Strict, A::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(serde::de::Error::custom(format!("key {key:?} twice")));
            }
            map.next_value::<Strict>()?;
        }
        Ok(Strict)
    }
}

#[test]
fn status_json_names_each_key_once_and_new_issues_carry_their_since() {
    let env = council();
    let out = env.ok(&["status", "--json"]);
    serde_json::from_str::<Strict>(&out).unwrap_or_else(|e| panic!("{e}:\n{out}"));
    let json: Value = serde_json::from_str(&out).unwrap();
    let new = json["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().unwrap().iter())
        .find(|i| i["kind"] == "new-issues")
        .unwrap();
    assert_eq!(new["since"], "2026-11-19");
}
