//! End-to-end: the council's model when meetings are messy (issue 26): invitations per item,
//! closing that asks only about what is unclear, rescheduling, voting times recorded after the
//! fact, and stored values that are read strictly.

use crate::common;
use common::Env;

const EVENING: &str = "2026-12-01T19:00:00+08:00";

/// Two items with the same party (物业公司), convened together: M1 set for 2026-12-01 19:30,
/// with the six standing members; the clock at 19:00 on the day.
fn two_items_one_party(env: &Env) {
    env.roster();
    env.ok(&[
        "issue",
        "add",
        "楼道堆物",
        "--by",
        "陈阿姨",
        "--channel",
        "线下",
        "--date",
        "2026-11-03",
        "--stakeholder",
        "物业公司",
    ]);
    env.ok(&[
        "issue",
        "add",
        "小区停车难",
        "--by",
        "刘大爷",
        "--channel",
        "线下",
        "--date",
        "2026-11-04",
    ]);
    env.ok(&["issue", "stakeholder", "add", "2", "物业公司"]);
    for id in ["1", "2"] {
        env.ok(&["issue", "accept", id]);
    }
    env.ok(&[
        "council",
        "convene",
        "--date",
        "2026-12-01 19:30",
        "--place",
        "老村部三楼会议室",
        "--issue",
        "1",
        "--issue",
        "2",
    ]);
}

fn shared_party() -> Env {
    let env = Env::prepared("messy_council_shared_party", two_items_one_party);
    env.set_now(EVENING);
    env
}

fn show_json(env: &Env) -> serde_json::Value {
    serde_json::from_str(&env.ok(&["council", "show", "M1", "--json"])).unwrap()
}

fn participant<'a>(m: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    m["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{name} is not in {m}"))
}

/// All six standing members and the party present, opened at 19:30.
fn opened(env: &Env) {
    env.ok(&[
        "council",
        "attend",
        "M1",
        "王建国",
        "李娜",
        "张伟",
        "林秀英",
        "赵敏",
        "孙强",
        "物业公司",
    ]);
    env.set_now("2026-12-01T19:30:00+08:00");
    env.ok(&["council", "open", "M1", "--at", "19:30"]);
}

/// Problem 2: a party to two items is invited for both, shown with both, and votes on both.
#[test]
fn a_party_to_two_items_is_invited_for_both_and_votes_on_both() {
    let env = shared_party();
    let m = show_json(&env);
    assert_eq!(
        participant(&m, "物业公司")["items"],
        serde_json::json!([1, 2])
    );
    let shown = env.ok(&["council", "show", "M1"]);
    assert!(shown.contains("#1 #2"), "{shown}");
    opened(&env);
    env.set_now("2026-12-01T19:40:00+08:00");
    for (item, text) in [("1", "清理楼道"), ("2", "划设停车位")] {
        env.ok(&["vote", "open", "M1", text, "--item", item]);
    }
    env.ok(&[
        "vote",
        "cast",
        "V2",
        "--yes",
        "物业公司,王建国,李娜,张伟,林秀英,赵敏,孙强",
    ]);
    let v2: serde_json::Value =
        serde_json::from_str(&env.ok(&["vote", "show", "V2", "--json"])).unwrap();
    assert_eq!(v2["tally"]["yes"], 7, "{v2}");
}

/// `council invite NAME --for N` adds an item to an existing invitation instead of "already
/// invited"; inviting for an item they have, or a standing member per item, is refused.
#[test]
fn inviting_again_for_another_item_adds_it() {
    let env = Env::prepared("messy_council_one_item", |env| {
        env.roster();
        env.ok(&[
            "issue",
            "add",
            "楼道堆物",
            "--by",
            "陈阿姨",
            "--channel",
            "线下",
            "--date",
            "2026-11-03",
        ]);
        env.ok(&[
            "issue",
            "add",
            "小区停车难",
            "--by",
            "刘大爷",
            "--channel",
            "线下",
            "--date",
            "2026-11-04",
        ]);
        for id in ["1", "2"] {
            env.ok(&["issue", "accept", id]);
        }
        env.ok(&[
            "council",
            "convene",
            "--date",
            "2026-12-01 19:30",
            "--place",
            "会议室",
            "--issue",
            "1",
            "--issue",
            "2",
        ]);
    });
    env.ok(&["council", "invite", "M1", "物业公司", "--for", "1"]);
    let said = env
        .ok_both(&["council", "invite", "M1", "物业公司", "--for", "2"])
        .1;
    assert!(said.contains("#1 #2"), "{said}");
    let m = show_json(&env);
    assert_eq!(
        participant(&m, "物业公司")["items"],
        serde_json::json!([1, 2])
    );
    let err = env.refused(&["council", "invite", "M1", "物业公司", "--for", "2"]);
    assert!(err.contains("#2"), "{err}");
    let err = env.refused(&["council", "invite", "M1", "王建国", "--for", "2"]);
    assert!(err.contains("standing") || err.contains("常任"), "{err}");
    // The sign-in sheet's remark lists both items.
    let sheet = env.ok(&["council", "signin", "M1", "--format", "html"]);
    assert!(sheet.contains("议题1、2"), "{sheet}");
    env.ok(&["verify"]);
}

/// Problem 9: `council close` refuses while someone invited is neither present nor absent,
/// naming them and the command that records them; it decides by itself each item whose
/// outcome is clear and asks only about the rest; `vote close` mentions the decide step.
#[test]
fn closing_records_everyone_and_decides_only_the_clear_items() {
    let env = shared_party();
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
    env.set_now("2026-12-01T19:30:00+08:00");
    env.ok(&["council", "open", "M1", "--at", "19:30"]);
    env.set_now("2026-12-01T19:40:00+08:00");
    env.ok(&["vote", "open", "M1", "清理楼道", "--item", "1"]);
    env.ok(&["vote", "cast", "V1", "--count", "5:0:0"]);
    let (_, said) = env.ok_both(&["vote", "close", "V1", "--owner", "王建国"]);
    assert!(said.contains("council close M1"), "{said}");
    env.ok(&["vote", "open", "M1", "划设停车位", "--item", "2"]);
    env.ok(&["vote", "cast", "V2", "--count", "1:4:0"]);
    let (_, said) = env.ok_both(&["vote", "close", "V2"]);
    assert!(said.contains("council decide M1 --item 2"), "{said}");
    env.set_now("2026-12-01T21:00:00+08:00");
    let err = env.refused(&["council", "close", "M1", "--at", "21:00"]);
    assert!(
        err.contains("孙强、物业公司")
            && err.contains("`yishi council absent M1 孙强 --reason 未到`"),
        "{err}"
    );
    for name in ["孙强", "物业公司"] {
        env.ok(&["council", "absent", "M1", name, "--reason", "未到"]);
    }
    // Only #2 is asked about; #1 (adopted main motion) would be decided by the close.
    let err = env.refused(&["council", "close", "M1", "--at", "21:00"]);
    assert!(
        err.contains("#2 小区停车难")
            && err.contains("council decide M1 --item 2")
            && err.contains("decide by itself the items with an adopted main motion: #1 楼道堆物"),
        "{err}"
    );
    env.ok(&["council", "decide", "M1", "--item", "2"]);
    let (_, said) = env.ok_both(&["council", "close", "M1", "--at", "21:00"]);
    assert!(
        said.contains("#1 楼道堆物") && said.contains("close decided it adopted"),
        "{said}"
    );
    let m = show_json(&env);
    let outcomes: Vec<&serde_json::Value> = m["agenda"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| &i["outcome"])
        .collect();
    assert_eq!(outcomes, ["adopted", "not-adopted"], "{m}");
    let issue: serde_json::Value =
        serde_json::from_str(&env.ok(&["issue", "show", "1", "--json"])).unwrap();
    assert_eq!(issue["status"], "decided", "{issue}");
    env.ok(&["verify"]);
}

/// Problem 4's way on: `council reschedule` moves a meeting not yet opened (logged, with its
/// reason), which the "before the scheduled day" refusals name; refused once opened.
#[test]
fn a_meeting_is_moved_with_a_logged_reschedule() {
    let env = Env::new();
    env.convened();
    env.set_now("2026-11-26T10:00:00+08:00");
    env.ok(&["council", "notice", "M1"]);
    env.set_now("2026-11-28T19:00:00+08:00");
    let err = env.refused(&["council", "attend", "M1", "王建国"]);
    assert!(
        err.contains("2026-12-01 19:30") && err.contains("yishi council reschedule M1 --to"),
        "{err}"
    );
    env.fails_unchanged(
        &[
            "council",
            "reschedule",
            "M1",
            "--to",
            "2026-11-31 19:30",
            "--reason",
            "x",
        ],
        65,
    );
    // The same day is less notice than rules.notice_days: --urgent, as convene asks.
    let err = env.refused(&[
        "council",
        "reschedule",
        "M1",
        "--to",
        "2026-11-28 19:30",
        "--reason",
        "会议室改期",
    ]);
    assert!(err.contains("--urgent"), "{err}");
    let (said, warned) = env.ok_both(&[
        "council",
        "reschedule",
        "M1",
        "--to",
        "2026-11-28 19:30",
        "--reason",
        "会议室改期",
        "--urgent",
    ]);
    let both = format!("{said}{warned}");
    assert!(
        both.contains("2026-12-01 19:30") && both.contains("2026-11-28 19:30"),
        "{both}"
    );
    // The notice was posted with the old time: a corrected posting is named.
    assert!(both.contains("--repost"), "{both}");
    assert_eq!(show_json(&env)["starts_at"], "2026-11-28 19:30");
    let log = env.ok(&["log", "--entity", "meeting", "--json"]);
    assert!(
        log.contains("reschedule") && log.contains("会议室改期"),
        "{log}"
    );
    env.ok(&[
        "council",
        "attend",
        "M1",
        "王建国",
        "陈志明",
        "李娜",
        "张伟",
        "林秀英",
    ]);
    env.ok(&["council", "open", "M1", "--at", "19:30"]);
    let err = env.refused(&[
        "council",
        "reschedule",
        "M1",
        "--to",
        "2026-12-01 19:30",
        "--reason",
        "改回",
    ]);
    assert!(err.contains("19:30"), "{err}");
    env.ok(&["verify"]);
}

/// `vote open --at` records when a motion was put to the vote, after the fact: checked
/// against the meeting's day, its opening and the clock; votes then follow attendance at
/// that time.
#[test]
fn a_voting_time_is_recorded_after_the_fact() {
    let env = Env::new();
    env.convened();
    env.set_now("2026-12-01T19:00:00+08:00");
    env.ok(&[
        "council",
        "attend",
        "M1",
        "王建国",
        "陈志明",
        "李娜",
        "张伟",
        "林秀英",
    ]);
    env.ok(&["council", "open", "M1", "--at", "19:05"]);
    env.set_now("2026-12-01T20:10:00+08:00");
    env.ok(&["council", "attend", "M1", "孙强", "--late", "19:50"]);
    let open_at = |at: &str| -> Vec<String> {
        ["vote", "open", "M1", "改造四楼", "--item", "1", "--at", at]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    for (at, says) in [
        ("18:50", "19:05"),
        ("20:30", "20:10"),
        ("2026-12-02 19:40", "2026-12-01"),
    ] {
        let args = open_at(at);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = env.refused(&args);
        assert!(err.contains(says), "{at}: {err}");
    }
    env.fails_unchanged(
        &[
            "vote",
            "open",
            "M1",
            "改造四楼",
            "--item",
            "1",
            "--at",
            "7pm",
        ],
        65,
    );
    env.ok(&[
        "vote",
        "open",
        "M1",
        "改造四楼",
        "--item",
        "1",
        "--at",
        "19:40",
    ]);
    let v1: serde_json::Value =
        serde_json::from_str(&env.ok(&["vote", "show", "V1", "--json"])).unwrap();
    assert_eq!(v1["voted_at"], "19:40", "{v1}");
    // 孙强 arrived at 19:50, after the vote was put.
    let err = env.refused(&["vote", "cast", "V1", "--yes", "王建国,孙强"]);
    assert!(err.contains("孙强") && err.contains("19:50"), "{err}");
    env.ok(&[
        "vote",
        "cast",
        "V1",
        "--yes",
        "王建国,陈志明,李娜,张伟,林秀英",
    ]);
    env.ok(&["verify"]);
}

/// Problem 10: a member whose seat yishi.toml does not list is refused, not invited as a
/// standing member (which would change the quorum); a key yishi.toml does not know is refused
/// at load with the file, the line and what to do.
#[test]
fn seats_yishi_toml_does_not_know_are_refused() {
    let env = Env::new();
    env.roster();
    env.ok(&[
        "issue",
        "add",
        "楼道堆物",
        "--by",
        "陈阿姨",
        "--channel",
        "线下",
        "--date",
        "2026-11-03",
    ]);
    env.ok(&["issue", "accept", "1"]);
    let path = env.path("yishi.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let kept: Vec<&str> = text
        .split("\n[[seats]]")
        .filter(|block| !block.contains("\"social-resource\""))
        .collect();
    std::fs::write(&path, kept.join("\n[[seats]]")).unwrap();
    let err = env.fails_unchanged(
        &[
            "council",
            "convene",
            "--date",
            "2026-12-01 19:30",
            "--place",
            "会议室",
            "--issue",
            "1",
        ],
        65,
    );
    assert!(
        err.contains("孙强") && err.contains("social-resource") && err.contains("member edit"),
        "{err}"
    );
    std::fs::write(&path, format!("{text}\n[seats.xyz]\nzh = \"某某\"\n")).unwrap();
    let err = env.fails_unchanged(&["seats"], 65);
    assert!(
        err.contains("yishi.toml") && err.contains("line") && err.contains("key, zh, en and min"),
        "{err}"
    );
}

/// Problem 10: a stored time that does not read as one is a data error naming the table, the
/// row and the column, never "none" (which would change who was there and the quorum).
#[test]
fn an_unreadable_stored_time_is_a_data_error() {
    let env = Env::new();
    env.convened();
    env.set_now(EVENING);
    env.ok(&["council", "attend", "M1", "孙强", "--late", "19:45"]);
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let id: i64 = conn
        .query_row(
            "SELECT id FROM participants WHERE name = '孙强'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE participants SET late_at = '7:4x' WHERE id = ?1",
        [id],
    )
    .unwrap();
    for args in [
        &["council", "show", "M1"][..],
        &["council", "open", "M1", "--at", "19:50"],
        &["minutes", "export", "M1"],
    ] {
        let err = env.fails_unchanged(args, 65);
        assert!(
            err.contains("participants")
                && err.contains(&format!("row {id}"))
                && err.contains("late_at")
                && err.contains("7:4x"),
            "{args:?}: {err}"
        );
    }
    conn.execute(
        "UPDATE participants SET late_at = '19:45' WHERE id = ?1",
        [id],
    )
    .unwrap();
    conn.execute("UPDATE meetings SET starts_at = '下周二' WHERE id = 1", [])
        .unwrap();
    drop(conn);
    for args in [
        &["status"][..],
        &["council", "list"],
        &["council", "attend", "M1", "王建国"],
    ] {
        let err = env.fails_unchanged(args, 65);
        assert!(
            err.contains("meetings")
                && err.contains("row 1")
                && err.contains("starts_at")
                && err.contains("下周二"),
            "{args:?}: {err}"
        );
    }
}

/// Problem 10, for `verify`: every stored time a read would refuse is a finding naming the
/// table, the row, the column and the value (as unknown codes are), so verify never says OK
/// over a row that every other command refuses.
#[test]
fn verify_lists_stored_times_that_do_not_read() {
    let env = voted_at_1940();
    env.ok(&["verify"]);
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let person: i64 = conn
        .query_row(
            "SELECT id FROM participants WHERE name = '李娜'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute(
        "UPDATE participants SET left_at = '9点' WHERE id = ?1",
        [person],
    )
    .unwrap();
    conn.execute(
        "UPDATE meetings SET opened_at = '25:00', starts_at = 42 WHERE id = 1",
        [],
    )
    .unwrap();
    conn.execute("UPDATE motions SET voted_at = X'00' WHERE id = 1", [])
        .unwrap();
    drop(conn);
    let out = env.cmd().arg("verify").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    for finding in [
        format!("participants #{person}, column left_at: unreadable time (HH:MM) \"9点\""),
        "meetings #1, column opened_at: unreadable time (HH:MM) \"25:00\"".into(),
        "meetings #1, column starts_at: unreadable date and time (YYYY-MM-DD HH:MM) \"42\"".into(),
        "motions #1, column voted_at: unreadable time (HH:MM) 1 bytes".into(),
    ] {
        assert!(said.contains(&finding), "{finding}:\n{said}");
    }
}

/// `vote amend --at`, like `vote open --at`: the amendment's voting time recorded after the
/// fact, checked the same way against the meeting (not before its opening, not later than now,
/// on its day), a time that does not read a data error.
#[test]
fn an_amendment_voting_time_is_recorded_after_the_fact() {
    let env = voted_at_1940();
    let amend = |at: &str| -> Vec<String> {
        ["vote", "amend", "V1", "改造四楼并募捐图书", "--at", at]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    for (at, says) in [
        ("18:50", "19:05"),
        ("20:30", "20:10"),
        ("2026-12-02 19:40", "2026-12-01"),
    ] {
        let args = amend(at);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = env.refused(&args);
        assert!(err.contains(says), "{at}: {err}");
    }
    let args = amend("7pm");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.fails_unchanged(&args, 65);
    let args = amend("19:45");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.ok(&args);
    let v2: serde_json::Value =
        serde_json::from_str(&env.ok(&["vote", "show", "V2", "--json"])).unwrap();
    assert_eq!(v2["voted_at"], "19:45", "{v2}");
    env.ok(&["verify"]);
}

/// `council reschedule` needs the notice convening needs: a new time less than
/// rules.notice_days away is refused unless --urgent (then the meeting is urgent, as its
/// minutes say); an urgent meeting stays urgent; a time far enough away needs nothing.
#[test]
fn rescheduling_checks_the_notice_period_as_convening_does() {
    let env = Env::new();
    env.convened();
    env.set_now("2026-11-26T10:00:00+08:00");
    let move_to = |to: &str, urgent: bool| -> Vec<String> {
        let mut v: Vec<String> = [
            "council",
            "reschedule",
            "M1",
            "--to",
            to,
            "--reason",
            "改期",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        if urgent {
            v.push("--urgent".into());
        }
        v
    };
    let args = move_to("2026-11-27 19:30", false);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = env.refused(&args);
    assert!(
        err.contains("rules.notice_days") && err.contains("--urgent"),
        "{err}"
    );
    let args = move_to("2026-12-10 19:30", false);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.ok(&args);
    assert_eq!(show_json(&env)["urgent"], false);
    let args = move_to("2026-11-27 19:30", true);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.ok(&args);
    assert_eq!(show_json(&env)["urgent"], true);
    // Urgent once, urgent still: a later short move needs no second --urgent.
    let args = move_to("2026-11-28 19:30", false);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.ok(&args);
    assert_eq!(show_json(&env)["urgent"], true);
    env.ok(&["verify"]);
}

/// The meeting's state is checked in ops, not in store (issue 25): a closed meeting's record
/// refuses an absence, a speech and another item for an invitee, and a meeting not yet opened
/// refuses a speech; each refusal changes nothing.
#[test]
fn a_closed_or_unopened_meeting_refuses_steps_that_need_it_in_session() {
    let env = Env::new();
    env.convened();
    env.set_now(EVENING);
    env.ok(&["council", "attend", "M1", "王建国"]);
    let err = env.refused(&[
        "council",
        "speak",
        "M1",
        "--item",
        "1",
        "--by",
        "王建国",
        "同意",
    ]);
    assert!(err.contains("speeches are recorded"), "{err}");
    let env = Env::new();
    env.held();
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&["council", "show", "M1", "--json"])).unwrap();
    assert_eq!(show["status"], "closed", "{show}");
    for args in [
        &["council", "absent", "M1", "社工小周", "--reason", "出差"][..],
        &[
            "council",
            "speak",
            "M1",
            "--item",
            "1",
            "--by",
            "王建国",
            "同意",
        ],
    ] {
        let err = env.refused(args);
        assert!(err.contains("council reopen M1"), "{args:?}: {err}");
    }
}

/// M1 opened at 19:05 with five present, and V1 put to the vote at 19:40, recorded at 20:10.
fn voted_at_1940() -> Env {
    let env = Env::new();
    env.convened();
    env.set_now("2026-12-01T19:00:00+08:00");
    env.ok(&[
        "council",
        "attend",
        "M1",
        "王建国",
        "陈志明",
        "李娜",
        "张伟",
        "林秀英",
    ]);
    env.ok(&["council", "open", "M1", "--at", "19:05"]);
    env.set_now("2026-12-01T20:10:00+08:00");
    env.ok(&[
        "vote",
        "open",
        "M1",
        "改造四楼",
        "--item",
        "1",
        "--at",
        "19:40",
    ]);
    env
}
