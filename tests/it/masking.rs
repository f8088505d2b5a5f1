//! One masking rule per person (issue 27, problem 9): a resident is masked the same way in
//! every role and every output; council members, observers and organisations are named in
//! full; `--show-contacts` shows the resident and is logged.

use crate::common::{self, Env};
use std::io::Read;

/// The resident who appears in every role below.
const RESIDENT: &str = "欧阳娜娜";
const MASKED: &str = "欧***";

/// A council where one resident raised the issue, is a stakeholder on it, was consulted, was
/// invited as the X, attended, spoke, voted on the roll-call, owns the resolution and an
/// action, and gave feedback; the decision, result and meeting notices are posted.
fn everywhere(env: &Env) {
    env.set_now(common::NOW);
    for (name, seat) in [
        ("王建国", "committee"),
        ("李娜", "party"),
        ("张伟", "backbone"),
        ("林秀英", "women"),
        ("赵敏", "social-org"),
        ("孙强", "social-resource"),
    ] {
        env.ok(&["member", "add", name, "--seat", seat]);
    }
    env.ok(&[
        "issue",
        "add",
        "儿童没有课外活动场所",
        "--by",
        RESIDENT,
        "--phone",
        "13900001111",
        "--channel",
        "offline",
        "--date",
        "2026-11-03",
        "--stakeholder",
        RESIDENT,
        "--stakeholder",
        "物业公司",
    ]);
    env.ok(&["issue", "accept", "1"]);
    env.ok(&[
        "issue",
        "consult",
        "1",
        "--with",
        RESIDENT,
        "--summary",
        "希望周末开放",
        "--date",
        "2026-11-20",
    ]);
    env.ok(&[
        "council",
        "convene",
        "--date",
        "2026-12-01 19:30",
        "--place",
        "老村部三楼会议室",
        "--chair",
        "王建国",
        "--recorder",
        "李娜",
        "--observer",
        "街道办刘科长",
    ]);
    env.ok(&["council", "notice", "M1"]);
    env.set_now(common::MEETING_DAY);
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
        RESIDENT,
        "物业公司",
        "街道办刘科长",
    ]);
    env.ok(&["council", "open", "M1", "--at", "19:35"]);
    env.ok(&[
        "council",
        "speak",
        "M1",
        "--item",
        "1",
        "--by",
        RESIDENT,
        "--position",
        "for",
        "四楼闲置多年",
    ]);
    env.ok(&[
        "vote",
        "open",
        "M1",
        "--item",
        "1",
        "将老村部四楼改造为儿童活动中心",
    ]);
    let voters = format!("王建国,李娜,张伟,林秀英,赵敏,孙强,{RESIDENT},物业公司");
    env.ok(&["vote", "cast", "V1", "--yes", &voters]);
    env.ok(&[
        "vote",
        "close",
        "V1",
        "--owner",
        RESIDENT,
        "--due",
        "2027-03-31",
    ]);
    env.ok(&["council", "decide", "M1", "--item", "1"]);
    env.ok(&["council", "close", "M1", "--at", "21:10"]);
    env.ok(&["notice", "decision", "M1"]);
    env.ok(&[
        "action",
        "add",
        "R1",
        "--owner",
        RESIDENT,
        "--due",
        "2026-12-20",
        "发起图书募捐",
    ]);
    env.ok(&[
        "feedback",
        "add",
        "--issue",
        "1",
        "--resident",
        RESIDENT,
        "--satisfaction",
        "5",
        "--aware",
        "yes",
    ]);
    env.ok(&["notice", "result", "1"]);
}

/// Every output that names people, as text: listings and documents on stdout, files written
/// with -o (Word and Excel files unpacked, every part's XML).
fn outputs(env: &Env, extra: &[&str]) -> Vec<(String, String)> {
    let printed: &[&[&str]] = &[
        &["issue", "show", "1"],
        &["--json", "issue", "show", "1"],
        &["issue", "list"],
        &["--json", "issue", "list"],
        &["council", "show", "M1"],
        &["--json", "council", "show", "M1"],
        &["vote", "show", "V1"],
        &["minutes", "export", "M1"],
        &["minutes", "export", "M1", "--format", "text"],
        &["notice", "decision", "M1"],
        &["notice", "result", "1"],
        &["council", "notice", "M1"],
        &["report"],
        &["remind"],
        &["--json", "remind"],
        &["status"],
        &["action", "list"],
        &["log"],
        &["--json", "log"],
    ];
    let written: &[&[&str]] = &[
        &["minutes", "export", "M1", "-o", "m.html"],
        &["minutes", "export", "M1", "-o", "m.docx"],
        &["notice", "decision", "M1", "-o", "n.html"],
        &["notice", "decision", "M1", "-o", "n.docx"],
        &["notice", "result", "1", "-o", "r.docx"],
        &["council", "notice", "M1", "-o", "c.docx"],
        &["council", "signin", "M1", "-o", "s.html"],
        &["report", "-o", "rep.html"],
        &["report", "-o", "rep.xlsx"],
        &["ledger", "--year", "2026", "-o", "l.xlsx"],
        &["calendar", "-o", "cal.ics"],
    ];
    let mut all = Vec::new();
    for args in printed {
        let args: Vec<&str> = args.iter().chain(extra).copied().collect();
        all.push((args.join(" "), env.ok(&args)));
    }
    for args in written {
        let file = env.path(args[args.len() - 1]);
        let _ = std::fs::remove_file(&file);
        let args: Vec<&str> = args.iter().chain(extra).copied().collect();
        env.ok(&args);
        let bytes = std::fs::read(&file).unwrap();
        all.push((args.join(" "), text_of(&bytes)));
    }
    all
}

/// A file's text: a zip's (docx, xlsx) every part, else the file itself.
fn text_of(bytes: &[u8]) -> String {
    if !bytes.starts_with(b"PK") {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip archive");
    let mut text = String::new();
    for i in 0..zip.len() {
        zip.by_index(i).unwrap().read_to_string(&mut text).unwrap();
    }
    text
}

#[test]
fn a_resident_is_masked_in_every_role_and_every_output() {
    let env = Env::prepared("resident-everywhere", everywhere);
    for (command, text) in outputs(&env, &[]) {
        assert!(
            !text.contains(RESIDENT),
            "`{command}` names the resident:\n{text}"
        );
        // Members, observers and organisations are named in full where they appear.
        if command.starts_with("minutes export M1 -o m.html") {
            assert!(text.contains(MASKED), "{command}: {text}");
            for public in ["王建国", "李娜", "街道办刘科长", "物业公司"] {
                assert!(text.contains(public), "{command} hides {public}: {text}");
            }
        }
    }
}

#[test]
fn show_contacts_names_the_resident_everywhere_and_is_logged() {
    let env = Env::prepared("resident-everywhere", everywhere);
    let events = |env: &Env| {
        rusqlite::Connection::open(env.db())
            .unwrap()
            .query_row(
                "SELECT count(*) FROM events WHERE action = 'show-contacts'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .unwrap()
    };
    assert_eq!(events(&env), 0);
    let shown = outputs(&env, &["--show-contacts"]);
    for (command, text) in &shown {
        // Where the rule masked the resident, --show-contacts names them.
        assert!(
            text.contains(RESIDENT) || !text.contains(MASKED),
            "`{command}` still masks the resident:\n{text}"
        );
    }
    assert!(shown.iter().any(|(_, t)| t.contains(RESIDENT)));
    assert_eq!(events(&env), shown.len() as i64);
    env.ok(&["verify"]);
}
