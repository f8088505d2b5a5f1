//! End-to-end: the record stays true when meetings are messy (issue 26). Time binds every
//! fact: a meeting's end, who was there when each vote was put, and the meeting's day.

use crate::common;
use common::Env;

const AT_1900: &str = "2026-12-01T19:00:00+08:00";
const AT_2000: &str = "2026-12-01T20:00:00+08:00";

/// M1 (set for 2026-12-01 19:30) with its standing members signed in at 19:00, opened at 19:05.
fn opened_at_1905() -> Env {
    let env = Env::new();
    env.convened();
    env.set_now(AT_1900);
    env.ok(&[
        "council",
        "attend",
        "M1",
        "王建国",
        "陈志明",
        "张伟",
        "林秀英",
        "赵敏",
    ]);
    env.ok(&["council", "open", "M1", "--at", "19:05"]);
    env
}

/// Those not signed in by `opened_at_1905` recorded as absent, so that the meeting may close.
fn absent_the_rest(env: &Env) {
    for name in ["李娜", "孙强", "物业公司", "社工小周"] {
        env.ok(&["council", "absent", "M1", name, "--reason", "未到"]);
    }
}

/// Every item deferred, so that the meeting may close.
fn defer_all(env: &Env) {
    for item in ["1", "2", "3"] {
        env.ok(&[
            "council",
            "decide",
            "M1",
            "--item",
            item,
            "--defer",
            "--reason",
            "时间不够",
        ]);
    }
}

fn show_json(env: &Env) -> serde_json::Value {
    serde_json::from_str(&env.ok(&["council", "show", "M1", "--json"])).unwrap()
}

/// Problem 1: closing again after a reopening keeps the first end time unless --at says
/// otherwise; an end before the opening is refused.
#[test]
fn reclosing_keeps_the_end_and_an_end_before_the_opening_is_refused() {
    let env = opened_at_1905();
    defer_all(&env);
    absent_the_rest(&env);
    let err = env.refused(&["council", "close", "M1", "--at", "18:30"]);
    assert!(err.contains("19:05") && err.contains("18:30"), "{err}");
    env.ok(&["council", "close", "M1", "--at", "20:40"]);
    // Next morning: a correction, then closed again without --at.
    env.set_now("2026-12-02T09:10:00+08:00");
    env.ok(&["council", "reopen", "M1", "--reason", "更正发言"]);
    let (_, said) = env.ok_both(&["council", "close", "M1"]);
    assert!(
        said.contains("20:40") && said.contains("first recorded"),
        "{said}"
    );
    let m = show_json(&env);
    assert_eq!(m["ended_at"], "20:40", "{m}");
    let minutes = env.ok(&["minutes", "export", "M1", "--format", "md"]);
    assert!(
        minutes.contains("19:05–20:40") && minutes.contains("散会: 20:40"),
        "{minutes}"
    );
    assert!(
        minutes.contains("会议重新开启 (2026年12月2日 09:10): 更正发言"),
        "{minutes}"
    );
    // A first close the next morning without --at would end before the opening.
    env.ok(&["council", "reopen", "M1", "--reason", "补记"]);
    env.ok(&["council", "close", "M1", "--at", "20:45"]);
    assert_eq!(show_json(&env)["ended_at"], "20:45");
    // A decision notice dated before the meeting's day is refused.
    let err = env.refused(&["notice", "decision", "M1", "--date", "2026-11-30"]);
    assert!(err.contains("2026-12-01"), "{err}");
}

/// Problem 3 (a): a proxy lasts while its holder is present.
#[test]
fn a_proxy_ends_when_its_holder_leaves() {
    let env = opened_at_1905();
    env.ok(&[
        "council",
        "attend",
        "M1",
        "李娜",
        "--proxy-for",
        "孙强",
        "--authorisation",
        "委托书",
    ]);
    env.ok(&["council", "leave", "M1", "李娜", "--at", "19:30"]);
    env.set_now(AT_2000);
    env.ok(&["vote", "open", "M1", "--item", "1", "改造四楼"]);
    let err = env.refused(&["vote", "cast", "V1", "--yes", "王建国,孙强"]);
    assert!(
        err.contains("孙强") && err.contains("李娜") && err.contains("19:30") && err.contains("V1"),
        "{err}"
    );
    env.ok(&[
        "vote",
        "cast",
        "V1",
        "--yes",
        "王建国,陈志明,张伟,林秀英,赵敏",
    ]);
    let v: serde_json::Value =
        serde_json::from_str(&env.ok(&["vote", "show", "V1", "--json"])).unwrap();
    // Five present at 20:00: the proxy went with its holder.
    assert_eq!(v["electorate"]["present"], 5, "{v}");
}

/// Problem 3 (b): someone recorded as arriving after a vote was put cannot vote on it.
#[test]
fn a_late_arrival_cannot_vote_on_an_earlier_vote() {
    let env = opened_at_1905();
    env.ok(&["council", "attend", "M1", "孙强", "--late", "20:30"]);
    env.set_now("2026-12-01T19:32:00+08:00");
    env.ok(&["vote", "open", "M1", "--item", "1", "改造四楼"]);
    let err = env.refused(&["vote", "cast", "V1", "--yes", "王建国,孙强"]);
    assert!(
        err.contains("孙强") && err.contains("20:30") && err.contains("19:32"),
        "{err}"
    );
}

/// Problem 3 (c): a departure or a late arrival that contradicts a recorded vote is refused,
/// naming the vote.
#[test]
fn a_departure_or_arrival_contradicting_a_vote_is_refused() {
    let env = opened_at_1905();
    env.ok(&[
        "council",
        "attend",
        "M1",
        "李娜",
        "--proxy-for",
        "孙强",
        "--authorisation",
        "委托书",
    ]);
    env.set_now("2026-12-01T19:32:00+08:00");
    env.ok(&["vote", "open", "M1", "--item", "1", "改造四楼"]);
    env.ok(&["vote", "cast", "V1", "--yes", "张伟,孙强"]);
    let err = env.refused(&["council", "leave", "M1", "张伟", "--at", "19:20"]);
    assert!(err.contains("V1") && err.contains("19:32"), "{err}");
    let err = env.refused(&["council", "attend", "M1", "张伟", "--late", "20:10"]);
    assert!(err.contains("V1"), "{err}");
    // The holder of a proxy that voted cannot have left before that vote either.
    let err = env.refused(&["council", "leave", "M1", "李娜", "--at", "19:20"]);
    assert!(err.contains("V1") && err.contains("孙强"), "{err}");
    // After the vote, leaving is fine.
    env.ok(&["council", "leave", "M1", "张伟", "--at", "19:40"]);
}

/// Problem 4: the steps of a meeting are not recorded before its scheduled day.
#[test]
fn steps_before_the_meetings_day_are_refused() {
    let env = Env::new();
    env.convened();
    env.set_now("2026-11-28T03:03:00+08:00");
    for args in [
        &["council", "attend", "M1", "王建国"][..],
        &["council", "open", "M1"],
        &["council", "open", "M1", "--without-quorum", "--at", "19:30"],
    ] {
        let err = env.refused(args);
        assert!(
            err.contains("2026-12-01 19:30") && err.contains("2026-11-28"),
            "{err}"
        );
    }
    // On the day, it is recorded.
    env.set_now(AT_1900);
    env.ok(&["council", "attend", "M1", "王建国"]);
}

/// Problem 6: the result notice quotes the main resolution and lists the
/// supplementary ones (it quoted the last resolution, a supplementary one).
#[test]
fn the_result_notice_quotes_the_main_resolution() {
    let env = opened_at_1905();
    env.set_now(AT_2000);
    env.ok(&[
        "vote",
        "open",
        "M1",
        "--item",
        "1",
        "划设停放区并安装充电桩",
    ]);
    env.ok(&["vote", "cast", "V1", "--count", "5:0:0"]);
    env.ok(&[
        "vote",
        "close",
        "V1",
        "--owner",
        "王建国",
        "--due",
        "2027-03-31",
    ]);
    env.ok(&[
        "vote",
        "open",
        "M1",
        "--item",
        "1",
        "停放区由物业每日巡查整理",
        "--supplementary",
    ]);
    env.ok(&["vote", "cast", "V2", "--count", "5:0:0"]);
    env.ok(&[
        "vote",
        "close",
        "V2",
        "--owner",
        "张伟",
        "--due",
        "2027-01-31",
    ]);
    env.ok(&["council", "decide", "M1", "--item", "1"]);
    for item in ["2", "3"] {
        env.ok(&[
            "council",
            "decide",
            "M1",
            "--item",
            item,
            "--defer",
            "--reason",
            "时间不够",
        ]);
    }
    absent_the_rest(&env);
    env.ok(&["council", "close", "M1", "--at", "20:40"]);
    let text = env.ok(&["notice", "result", "1"]);
    assert!(
        text.contains("议事会决议：划设停放区并安装充电桩。补充决议：停放区由物业每日巡查整理。"),
        "{text}"
    );
    let en = env.ok(&["notice", "result", "1", "--lang", "en"]);
    assert!(
        en.contains("resolved: 划设停放区并安装充电桩. Supplementary: 停放区由物业每日巡查整理."),
        "{en}"
    );
}

/// Problem 10: nothing is guessed. An explicit configuration must exist, a bad YISHI_NOW is an
/// error, `--as` names the one who ran `init`.
#[test]
fn nothing_is_guessed() {
    let env = Env::new();
    let before = env.dump();
    let err = env.fails(&["--config", "/nonexistent/typo.toml", "issue", "list"], 74);
    assert!(err.contains("/nonexistent/typo.toml"), "{err}");
    let out = env
        .cmd()
        .env("YISHI_CONFIG", "typo.toml")
        .args(["member", "add", "王建国", "--seat", "committee"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(74));
    let out = env
        .cmd()
        .env("YISHI_NOW", "garbage")
        .args(["member", "add", "王建国", "--seat", "committee"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("YISHI_NOW") && err.contains("2026-06-12T19:30"),
        "{err}"
    );
    assert_eq!(env.dump(), before, "refusals changed nothing");

    let fresh = Env::empty();
    fresh.ok(&["--as", "张三", "init", "--community", "南塘社区"]);
    let log = fresh.ok(&["log", "--json"]);
    assert!(log.contains("张三") && !log.contains("tester"), "{log}");
}

/// The 记录校验码 printed on a notice: `#N · hash`.
fn check_code(doc: &str) -> String {
    let at = doc
        .find("记录校验码 #")
        .unwrap_or_else(|| panic!("no check code in {doc}"));
    let code: String = doc[at + "记录校验码 ".len()..]
        .chars()
        .take_while(|c| c.is_ascii_hexdigit() || " #·".contains(*c))
        .collect();
    code.trim().to_string()
}

/// Problem 5: a posting is one fact. The first `notice decision` records it; rendering it
/// again in any format renders that posting (its code and dates) and records nothing; a
/// preview records nothing; a corrected notice is an explicit repost, shown as such.
#[test]
fn a_posting_is_one_fact_and_its_renderings_are_that_posting() {
    let env = Env::new();
    env.held();
    env.set_now("2026-12-02T09:00:00+08:00");
    let before = env.dump();
    let (_, said) = env.ok_both(&["notice", "decision", "M1", "--dry-run"]);
    assert!(said.contains("nothing is posted"), "{said}");
    assert_eq!(env.dump(), before, "a preview posts nothing");

    let (first, said) = env.ok_both(&["notice", "decision", "M1", "--days", "7"]);
    assert!(said.contains("posted the decision notice of M1"), "{said}");
    let code = check_code(&first);
    assert!(first.contains("2026年12月2日至2026年12月8日"), "{first}");

    // Next day: the other formats render the same posting, and record nothing.
    env.set_now("2026-12-03T10:00:00+08:00");
    let posted = env.dump();
    let again = env.ok(&["notice", "decision", "M1"]);
    assert_eq!(again, first, "the text rendering is the posting");
    for format in ["md", "html", "json"] {
        let (doc, said) = env.ok_both(&["notice", "decision", "M1", "--format", format]);
        assert!(said.contains("nothing new is posted"), "{said}");
        assert_eq!(check_code(&doc), code, "{format}");
    }
    let file = env.path("公示.docx");
    env.ok(&[
        "notice",
        "decision",
        "M1",
        "-o",
        file.to_str().unwrap(),
        "--format",
        "docx",
    ]);
    assert!(std::fs::metadata(&file).unwrap().len() > 0);
    assert_eq!(env.dump(), posted, "renderings record nothing");

    // One 公示 in the status and the calendar.
    let status = env.ok(&["status"]);
    assert_eq!(status.matches("公示期至 2026-12-08").count(), 1, "{status}");
    let cal = env.ok(&["calendar"]);
    assert_eq!(cal.matches("UID:decision-notice-").count(), 1, "{cal}");

    // Options that would change the posting are refused, pointing at --repost.
    let err = env.refused(&["notice", "decision", "M1", "--date", "2026-12-03"]);
    assert!(
        err.contains("--repost --reason") && err.contains("2026-12-02"),
        "{err}"
    );
    let err = env.refused(&["notice", "decision", "M1", "--days", "5"]);
    assert!(err.contains("--repost"), "{err}");
    env.fails(&["notice", "decision", "M1", "--repost"], 2);
    let err = env.refused(&["notice", "result", "1", "--repost", "--reason", "x"]);
    assert!(err.contains("not been posted"), "{err}");

    // A corrected notice: an explicit second posting, shown as such.
    let (second, said) = env.ok_both(&[
        "notice",
        "decision",
        "M1",
        "--repost",
        "--reason",
        "更正责任人",
    ]);
    assert!(
        said.contains("posted the decision notice of M1 again") && said.contains("更正责任人"),
        "{said}"
    );
    assert_ne!(check_code(&second), code);
    let status = env.ok(&["status"]);
    assert_eq!(status.matches("公示中").count(), 1, "{status}");
    assert!(
        status.contains("更正后重新公示，公示期至 2026-12-09"),
        "{status}"
    );
    let cal = env.ok(&["calendar"]);
    assert_eq!(cal.matches("UID:decision-notice-").count(), 2, "{cal}");
    assert!(cal.contains("决议重新公示（更正）"), "{cal}");
    assert_eq!(
        check_code(&env.ok(&["notice", "decision", "M1"])),
        check_code(&second)
    );

    // The meeting notice is one posting too.
    let n1 = env.ok(&["council", "notice", "M1"]);
    let n2 = env.ok(&["council", "notice", "M1", "--format", "md"]);
    assert_eq!(check_code(&n1), check_code(&n2));
}

/// Problem 7: an objection names one resolution (a meeting is accepted only when it has
/// exactly one); `issue show`, the next meeting's record and its notice show that one.
#[test]
fn an_objection_names_one_resolution() {
    let env = Env::new();
    env.held();
    env.set_now("2026-12-02T09:00:00+08:00");
    env.ok(&["notice", "decision", "M1"]);
    let add = |to: &str| {
        vec![
            "issue",
            "add",
            "反对划设车位",
            "--channel",
            "线下",
            "--date",
            "2026-12-05",
            "--objection-to",
            to,
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()
    };
    let args = add("M1");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let err = env.refused(&args);
    assert!(
        err.contains("R1 ") && err.contains("R2 ") && err.contains("--objection-to R1"),
        "{err}"
    );
    let args = add("R2");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    env.ok(&args);
    let shown = env.ok(&["issue", "show", "4"]);
    assert!(shown.contains("R2 在小区东侧空地划线"), "{shown}");
    assert!(!shown.contains("R1 将老村部四楼"), "{shown}");
    let json = env.ok(&["issue", "show", "4", "--json"]);
    assert!(!json.contains("将老村部四楼"), "{json}");
    // On the next meeting's agenda, the objection names that resolution only.
    env.ok(&["issue", "accept", "4"]);
    env.ok(&[
        "council",
        "convene",
        "--date",
        "2026-12-15 19:30",
        "--place",
        "老村部",
        "--issue",
        "4",
        "--urgent",
    ]);
    assert!(!env.ok(&["council", "show", "M2"]).contains("将老村部四楼"));
    for doc in [
        env.ok(&["council", "notice", "M2", "--format", "md"]),
        env.ok(&["minutes", "export", "M2", "--format", "md"]),
    ] {
        assert!(doc.contains("在小区东侧空地划线"), "{doc}");
        assert!(!doc.contains("将老村部四楼"), "{doc}");
    }
}

/// Problem 8: an owner and due date set after the vote (`action edit`) reach the minutes and
/// the decision notice from the same record.
#[test]
fn an_owner_set_after_the_vote_reaches_the_documents() {
    let env = opened_at_1905();
    env.set_now(AT_2000);
    env.ok(&["vote", "open", "M1", "--item", "1", "改造四楼"]);
    env.ok(&["vote", "cast", "V1", "--count", "5:0:0"]);
    let (_, warned) = env.ok_both(&["vote", "close", "V1"]);
    assert!(warned.contains("action edit A1 --owner"), "{warned}");
    env.ok(&["council", "decide", "M1", "--item", "1"]);
    for item in ["2", "3"] {
        env.ok(&[
            "council",
            "decide",
            "M1",
            "--item",
            item,
            "--defer",
            "--reason",
            "时间不够",
        ]);
    }
    absent_the_rest(&env);
    env.ok(&["council", "close", "M1", "--at", "20:40"]);
    env.ok(&[
        "action",
        "edit",
        "A1",
        "--owner",
        "张伟",
        "--due",
        "2027-03-31",
        "--reason",
        "会后确定",
    ]);
    let minutes = env.ok(&["minutes", "export", "M1", "--format", "md"]);
    assert!(
        minutes.contains("张伟") && minutes.contains("2027"),
        "{minutes}"
    );
    env.set_now("2026-12-02T09:00:00+08:00");
    let notice = env.ok(&["notice", "decision", "M1", "--format", "json"]);
    assert!(
        notice.contains("张伟") && !notice.contains("\"owner\": null"),
        "{notice}"
    );
    // Moved later: the documents follow the due date in force.
    env.ok(&[
        "action",
        "edit",
        "A1",
        "--due",
        "2027-04-30",
        "--reason",
        "材料延期",
    ]);
    let minutes = env.ok(&["minutes", "export", "M1", "--format", "md"]);
    assert!(
        minutes.contains("2027年4月30日") || minutes.contains("2027-04-30"),
        "{minutes}"
    );
}
