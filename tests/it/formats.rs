//! End-to-end: `-o FILE` picks the format from the file's extension when --format is absent;
//! a --format that contradicts the extension, an extension a command cannot write, and a name
//! that says nothing (without --format) are usage errors (exit 2) that write nothing.

use crate::common;
use common::Env;

fn is_zip(env: &Env, name: &str) -> bool {
    std::fs::read(env.path(name))
        .unwrap()
        .starts_with(b"PK\x03\x04")
}

fn text(env: &Env, name: &str) -> String {
    std::fs::read_to_string(env.path(name)).unwrap()
}

#[test]
fn the_file_name_picks_the_format() {
    let env = Env::new();
    env.held();
    env.ok(&["minutes", "export", "M1", "-o", "纪要.docx"]);
    assert!(is_zip(&env, "纪要.docx"), "纪要.docx is not a Word file");
    env.ok(&["minutes", "export", "M1", "-o", "纪要.HTML"]);
    assert!(text(&env, "纪要.HTML").contains("<html"));
    env.ok(&["minutes", "export", "M1", "-o", "纪要.json"]);
    serde_json::from_str::<serde_json::Value>(&text(&env, "纪要.json")).expect("JSON");
    env.ok(&["minutes", "export", "M1", "-o", "纪要.txt"]);
    assert!(!text(&env, "纪要.txt").contains("# "), "text, not Markdown");
    env.ok(&["council", "notice", "M1", "-o", "通知.docx"]);
    assert!(is_zip(&env, "通知.docx"));
    env.ok(&["council", "signin", "M1", "-o", "签到.docx"]);
    assert!(is_zip(&env, "签到.docx"));
    env.ok(&["report", "-o", "报告.xlsx"]);
    assert!(is_zip(&env, "报告.xlsx"));
    env.ok(&["report", "-o", "报告.csv"]);
    assert!(text(&env, "报告.csv").contains(','));
    env.ok(&["remind", "-o", "督办.html"]);
    assert!(text(&env, "督办.html").contains("<html"));
    // A name that says nothing is fine with --format.
    env.ok(&[
        "minutes",
        "export",
        "M1",
        "-o",
        "纪要.out",
        "--format",
        "md",
    ]);
    // stdout keeps each command's default.
    assert!(env.ok(&["minutes", "export", "M1"]).contains("# "));
}

#[test]
fn a_format_that_contradicts_the_file_name_is_refused() {
    let env = Env::new();
    env.held();
    let before = env.dump();
    for (args, named) in [
        (
            &[
                "minutes", "export", "M1", "-o", "a.docx", "--format", "html",
            ][..],
            ["--format html", "a.docx"],
        ),
        (
            &[
                "council", "notice", "M1", "-o", "n.html", "--format", "docx",
            ],
            ["--format docx", "n.html"],
        ),
        (
            &[
                "council", "signin", "M1", "-o", "s.html", "--format", "docx",
            ],
            ["--format docx", "s.html"],
        ),
        (
            &["report", "--csv", "-o", "r.xlsx"],
            ["--format csv", "r.xlsx"],
        ),
        (
            &["remind", "--format", "md", "-o", "r.txt"],
            ["--format md", "r.txt"],
        ),
        // An extension the command cannot write.
        (
            &["minutes", "export", "M1", "-o", "m.xlsx"],
            ["xlsx", "m.xlsx"],
        ),
        (
            &["ledger", "--year", "2026", "-o", "l.csv"],
            ["xlsx", "l.csv"],
        ),
        (&["calendar", "-o", "c.docx"], ["ics", "c.docx"]),
        // A name that says nothing needs --format.
        (
            &["minutes", "export", "M1", "-o", "纪要.pdf"],
            ["--format", "纪要.pdf"],
        ),
        (
            &["council", "notice", "M1", "-o", "通知"],
            ["--format", "通知"],
        ),
    ] {
        let err = env.fails(args, 2);
        for n in named {
            assert!(err.contains(n), "{args:?}: {err}");
        }
        let file = args[args.iter().position(|a| *a == "-o").unwrap() + 1];
        assert!(!env.path(file).exists(), "{args:?} wrote {file}");
    }
    assert_eq!(env.dump(), before);
}
