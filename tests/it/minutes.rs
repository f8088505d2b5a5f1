//! End-to-end: minutes in Markdown, HTML and JSON, in zh-CN and English, from a realistic
//! meeting (several items, roll-call and counted votes, an amendment, a recusal, a proxy, an
//! absentee with a reason, an observer, a recount, a deferral).

use crate::common;
use common::Env;
use html5ever::tendril::TendrilSink;

fn held() -> Env {
    let env = Env::new();
    env.held();
    env
}

#[test]
fn minutes_in_every_format_and_language() {
    let env = held();
    insta::assert_snapshot!(
        "minutes_zh_md",
        common::unanchored(&env.ok(&["minutes", "export", "M1"]))
    );
    insta::assert_snapshot!(
        "minutes_en_md",
        common::unanchored(&env.ok(&["minutes", "export", "M1", "--lang", "en"]))
    );
    insta::assert_snapshot!(
        "minutes_zh_html",
        common::unanchored(&env.ok(&["minutes", "export", "M1", "--format", "html"]))
    );
    insta::assert_snapshot!(
        "minutes_en_html",
        common::unanchored(&env.ok(&[
            "minutes", "export", "M1", "--format", "html", "--lang", "en"
        ]))
    );
    insta::assert_snapshot!(
        "minutes_zh_json",
        common::unanchored(&env.ok(&["minutes", "export", "M1", "--format", "json"]))
    );
    insta::assert_snapshot!(
        "minutes_en_json",
        common::unanchored(&env.ok(&[
            "minutes", "export", "M1", "--format", "json", "--lang", "en"
        ]))
    );
}

#[test]
fn minutes_are_deterministic_and_mask_residents() {
    let env = held();
    let a = env.ok(&["minutes", "export", "M1", "--format", "html"]);
    let b = env.ok(&["minutes", "export", "M1", "--format", "html"]);
    assert_eq!(a, b);
    assert!(a.contains("陈**") && !a.contains("陈阿姨"));
    let shown = env.ok(&["minutes", "export", "M1", "--show-contacts"]);
    assert!(shown.contains("陈阿姨"));
}

fn html_errors(html: &str) -> Vec<String> {
    let dom = html5ever::parse_document(markup5ever_rcdom::RcDom::default(), Default::default())
        .from_utf8()
        .read_from(&mut html.as_bytes())
        .unwrap();
    dom.errors.borrow().iter().map(|e| e.to_string()).collect()
}

#[test]
fn html_is_valid_self_contained_and_escapes_everything() {
    let env = held();
    for lang in ["zh-CN", "en"] {
        let html = env.ok(&[
            "minutes", "export", "M1", "--format", "html", "--lang", lang,
        ]);
        assert_eq!(html_errors(&html), Vec::<String>::new(), "{lang}");
        assert!(html.contains("@page") && html.contains("page-break-before: always"));
        assert!(
            !html.contains("<script") && !html.contains("http://") && !html.contains("https://")
        );
    }
    // A name that looks like HTML is shown as text.
    let env = Env::new();
    env.ok(&[
        "member",
        "add",
        "<script>alert(1)</script>",
        "--seat",
        "committee",
    ]);
    env.ok(&["issue", "add", "<b>路灯</b> & 电线", "--channel", "online"]);
    env.ok(&["issue", "accept", "1"]);
    env.ok(&[
        "council",
        "convene",
        "--date",
        "2026-12-09 19:00",
        "--place",
        "会议室",
        "--issue",
        "1",
    ]);
    let html = env.ok(&["minutes", "export", "M1", "--format", "html"]);
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("&lt;b&gt;路灯&lt;"));
    assert!(!html.contains("<script>alert"));
    assert_eq!(html_errors(&html), Vec::<String>::new());
}

#[test]
fn an_open_meeting_is_a_draft_and_a_reopened_one_says_why() {
    let env = Env::new();
    env.convened();
    let md = env.ok(&["minutes", "export", "M1"]);
    assert!(
        md.starts_with("> **草稿**") && md.trim_end().ends_with("> **草稿**"),
        "{md}"
    );
    let html = env.ok(&[
        "minutes", "export", "M1", "--format", "html", "--lang", "en",
    ]);
    assert!(html.contains("class=\"draft\"") && html.contains("DRAFT"));
    let env = held();
    env.ok(&["council", "reopen", "M1", "--reason", "补录发言"]);
    env.ok(&["council", "close", "M1", "--at", "21:20"]);
    let md = env.ok(&["minutes", "export", "M1"]);
    assert!(
        md.contains("会议重新开启") && md.contains("补录发言"),
        "{md}"
    );
    assert!(!md.contains("草稿"));
}

#[test]
fn files_and_folders() {
    let env = held();
    env.ok(&[
        "minutes",
        "export",
        "M1",
        "--format",
        "html",
        "-o",
        "纪要.html",
    ]);
    let html = std::fs::read_to_string(env.path("纪要.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.path("纪要.html"))
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o600);
    }
    env.ok(&[
        "minutes",
        "export",
        "--all",
        "--out-dir",
        "out",
        "--format",
        "md",
    ]);
    assert!(env.path("out/2026-12-01-M1.md").exists());
    env.fails(&["minutes", "export"], 2);
    env.fails(&["minutes", "export", "M1", "--format", "pdf"], 2);
    env.fails(&["minutes", "export", "M9"], 65);
}

#[test]
fn user_templates_and_their_errors() {
    let env = held();
    env.write("mine.txt", "{{ title }} / {{ meeting.place }}\n{% for i in items %}{{ i.title }}: {{ i.outcome_label }}\n{% endfor %}");
    let out = env.ok(&["minutes", "export", "M1", "--template", "mine.txt"]);
    insta::assert_snapshot!(out, @r"
    汀塘社区第1次居民议事会会议纪要 / 老村部三楼会议室
    儿童没有课外活动场所: 通过
    小区停车难: 通过
    广场舞噪音: 暂缓
    ");
    env.write("broken.txt", "line one\n{{ title }\nline three\n");
    let err = env.fails(&["minutes", "export", "M1", "--template", "broken.txt"], 65);
    assert!(err.contains("broken.txt line 2"), "{err}");
    env.write("typo.txt", "ok\n\n{{ meeting.plaec }}\n");
    let err = env.fails(&["minutes", "export", "M1", "--template", "typo.txt"], 65);
    assert!(
        err.contains("typo.txt line 3") && err.contains("undefined"),
        "{err}"
    );
}

/// council show words attendance as the minutes do (one Attendance::label), in both
/// languages; the English council show is recorded whole, every label in it.
#[test]
fn council_show_words_attendance_as_the_minutes_do() {
    let env = held();
    let line_of = |text: &str, name: &str| -> String {
        text.lines()
            .find(|l| l.contains(name))
            .unwrap_or_default()
            .to_string()
    };
    // 陈志明 is represented by 王建国; 孙强 is absent.
    let show = env.ok(&["council", "show", "M1"]);
    let minutes = env.ok(&["minutes", "export", "M1"]);
    assert!(line_of(&show, "陈志明").contains("委托"), "{show}");
    assert!(minutes.contains("委托"));
    // --lang en gives what an English yishi.toml gives.
    let show_lang_en = env.ok(&["council", "show", "M1", "--lang", "en"]);
    let toml = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    env.write(
        "yishi.toml",
        toml.replace("locale = \"zh-CN\"", "locale = \"en\""),
    );
    let show = env.ok(&["council", "show", "M1"]);
    let minutes = env.ok(&["minutes", "export", "M1"]);
    assert!(line_of(&show, "陈志明").contains("by proxy"), "{show}");
    assert!(
        line_of(&minutes, "陈志明").contains("by proxy"),
        "{minutes}"
    );
    assert_eq!(show_lang_en, show);
    insta::assert_snapshot!("council_show_en", show);
}
