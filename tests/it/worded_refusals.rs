//! Issue 28: the refusals of the council's rules (domain and ops) and the errors of typed ids,
//! counts, rules and phone numbers are worded by the catalogue: Chinese by default, each
//! Chinese refusal ending with the command that fixes it, and English with `--lang en`. One
//! meeting is run through every refusal; each refused command is run in both languages, fails
//! with the same exit status in both and changes nothing. Both transcripts are snapshots
//! (`worded_refusals_zh` is read by language.rs's scan for stray English in zh snapshots).

use crate::common::{self, Env};

/// The two transcripts of the refusals met along the way.
#[derive(Default)]
struct Log {
    zh: String,
    en: String,
}

impl Log {
    /// `args` succeeds in both languages (a dry run), changing nothing; both outputs
    /// (stdout and stderr) are logged.
    fn said(&mut self, env: &Env, args: &[&str]) {
        let before = env.dump();
        let run = |lang: &[&str]| {
            let out = common::yishi_zh(env.dir.path())
                .env("YISHI_NOW", env.now())
                .args(args)
                .args(lang)
                .output()
                .unwrap();
            let said =
                String::from_utf8(out.stdout).unwrap() + &String::from_utf8(out.stderr).unwrap();
            assert_eq!(out.status.code(), Some(0), "{args:?} {lang:?}: {said}");
            said
        };
        // The time an import took changes from run to run.
        let zh = untimed(&run(&[]), "用时 ", "）");
        let en = untimed(&run(&["--lang", "en"]), " in ", "/s)");
        assert_eq!(env.dump(), before, "{args:?} changed the database");
        self.zh += &format!("$ yishi {}\n{zh}\n", args.join(" "));
        self.en += &format!("$ yishi {} --lang en\n{en}\n", args.join(" "));
    }

    /// `args` fails with `code` in Chinese (the default) and in English (`--lang en`), changing
    /// nothing; both errors are logged.
    fn refused(&mut self, env: &Env, args: &[&str], code: i32) {
        let before = env.dump();
        let out = common::yishi_zh(env.dir.path())
            .env("YISHI_NOW", env.now())
            .args(args)
            .output()
            .unwrap();
        let zh = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?} in Chinese: {zh}");
        assert_eq!(env.dump(), before, "{args:?} changed the database");
        let mut en_args = args.to_vec();
        en_args.extend(["--lang", "en"]);
        let en = env.fails_unchanged(&en_args, code);
        // The Chinese error is Chinese: it starts with 错误 and is not the English one.
        assert!(zh.starts_with("错误："), "{args:?}: {zh}");
        assert!(!en.contains("错误："), "{args:?}: {en}");
        self.zh += &format!("$ yishi {}\n{zh}\n", args.join(" "));
        self.en += &en;
        self.en.push('\n');
    }
}

/// `said` with the text from `from` to the end of `to` replaced by `…`.
fn untimed(said: &str, from: &str, to: &str) -> String {
    let Some(start) = said.find(from) else {
        return said.to_string();
    };
    let Some(end) = said[start..].find(to) else {
        return said.to_string();
    };
    format!(
        "{}{from}…{}",
        &said[..start],
        &said[start + end + to.len()..]
    )
}

#[test]
fn refusals_of_the_rules_in_chinese_and_english() {
    let env = Env::new();
    env.convened();
    let mut log = Log::default();
    // Before the meeting's day: too little notice, and no attendance yet.
    env.set_now(common::NOW);
    let convene = [
        "council",
        "convene",
        "--date",
        "2026-11-26 19:30",
        "--place",
        "x",
        "--issue",
        "3",
    ];
    log.refused(&env, &convene, 1);
    log.refused(&env, &["council", "attend", "M1", "王建国"], 1);
    env.set_now(common::MEETING_DAY);
    log.refused(&env, &["council", "open", "M1"], 1);
    log.refused(
        &env,
        &["council", "speak", "M1", "--item", "1", "--by", "张伟", "x"],
        1,
    );
    log.refused(&env, &["vote", "open", "M1", "--item", "1", "动议"], 1);
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
    log.refused(&env, &["council", "open", "M1"], 1);
    log.refused(&env, &["vote", "cast", "V1", "--count", "2:0:0"], 1);
    env.ok(&["council", "attend", "M1", "张伟", "林秀英", "赵敏"]);
    // Who may vote.
    log.refused(&env, &["vote", "cast", "V1", "--yes", "王建国,路人甲"], 1);
    log.refused(&env, &["vote", "cast", "V1", "--yes", "林秀"], 1);
    log.refused(&env, &["vote", "cast", "V1", "--yes", "王建国,王建国"], 1);
    log.refused(
        &env,
        &["vote", "cast", "V1", "--yes", "王建国", "--no", "社工小周"],
        1,
    );
    log.refused(&env, &["vote", "cast", "V1", "--yes", "孙强"], 1);
    log.refused(&env, &["vote", "cast", "V1", "--count", "5:1:1"], 1);
    log.refused(&env, &["council", "reopen", "M1", "--reason", "x"], 1);
    log.refused(&env, &["council", "invite", "M1", "王建国"], 1);
    env.ok(&["vote", "cast", "V1", "--yes", "王建国,李娜,张伟,林秀英"]);
    log.refused(&env, &["vote", "cast", "V1", "--yes", "王建国"], 1);
    log.refused(&env, &["vote", "amend", "V1", "修正"], 1);
    env.ok(&["vote", "close", "V1"]);
    log.refused(&env, &["vote", "close", "V1"], 1);
    log.refused(&env, &["vote", "cast", "V1", "--count", "4:0:0"], 1);
    log.refused(
        &env,
        &["council", "absent", "M1", "王建国", "--reason", "x"],
        1,
    );
    env.ok(&["council", "decide", "M1", "--item", "1"]);
    log.refused(&env, &["vote", "open", "M1", "--item", "1", "再议"], 1);
    // A secret ballot with an amendment.
    env.ok(&["vote", "open", "M1", "--item", "2", "划线", "--secret"]);
    log.refused(&env, &["vote", "cast", "V2", "--yes", "王建国"], 1);
    log.refused(&env, &["vote", "close", "V2"], 1);
    env.ok(&["vote", "amend", "V2", "改为东侧划线"]);
    log.refused(&env, &["vote", "amend", "V3", "再改"], 1);
    log.refused(&env, &["vote", "cast", "V2", "--count", "3:0:0"], 1);
    log.refused(&env, &["vote", "close", "V3", "--defer"], 1);
    log.refused(
        &env,
        &["vote", "correct", "V3", "--count", "1:0:0", "--reason", "x"],
        1,
    );
    log.refused(&env, &["council", "close", "M1"], 1);
    // Values typed wrong: ids, counts, a phone number, an issue merged into itself.
    log.refused(&env, &["vote", "show", "M1"], 65);
    log.refused(&env, &["council", "show", "V1"], 65);
    log.refused(&env, &["vote", "cast", "V3", "--count", "3-0-0"], 65);
    log.refused(&env, &["issue", "merge", "1", "--into", "1"], 65);
    let phone = [
        "member",
        "add",
        "周阿姨",
        "--seat",
        "women",
        "--phone",
        "123",
    ];
    log.refused(&env, &phone, 65);
    // Closed: the record is read-only.
    env.ok(&["vote", "cast", "V3", "--count", "3:0:0"]);
    env.ok(&["vote", "close", "V3"]);
    env.ok(&["vote", "close", "V2", "--defer"]);
    for name in ["陈志明", "孙强"] {
        env.ok(&["council", "absent", "M1", name, "--reason", "未到"]);
    }
    for item in ["2", "3"] {
        let decide = ["council", "decide", "M1", "--item", item];
        env.ok(&[&decide[..], &["--defer", "--reason", "下次再议"]].concat());
    }
    env.ok(&["council", "close", "M1"]);
    log.refused(&env, &["council", "attend", "M1", "孙强"], 1);
    log.refused(
        &env,
        &["vote", "correct", "V1", "--count", "4:2:1", "--reason", "x"],
        1,
    );
    insta::assert_snapshot!("worded_refusals_zh", log.zh);
    insta::assert_snapshot!("worded_refusals_en", log.en);
}

/// The errors of imported files, report packages and rollup (issue 28): worded by the
/// catalogue in both languages, each Chinese one saying what to do; nothing is written.
#[test]
fn errors_of_imports_and_rollups_in_chinese_and_english() {
    let env = Env::new();
    let mut log = Log::default();
    env.write("议题.csv", "标题,提出人\n路灯不亮,王大爷\n");
    env.write("空.csv", "");
    env.write("多一列.csv", "标题,提出人,心情\n路灯不亮,王大爷,好\n");
    env.write("缺标题.csv", "提出人\n王大爷\n");
    env.write("两列.csv", "标题,议题\n路灯不亮,路灯\n");
    env.write("map.toml", "\"心情\" = \"mood\"\n");
    env.write("number.toml", "\"心情\" = 1\n");
    env.write("坏的.yishi", "not a package\n");
    std::fs::create_dir(env.path("空文件夹")).unwrap();
    let import = ["issue", "import"];
    let with = |rest: &[&'static str]| [&import[..], rest].concat();
    log.refused(&env, &with(&["议题.csv", "--sheet", "1"]), 2);
    log.refused(&env, &with(&["空.csv"]), 65);
    log.refused(&env, &with(&["多一列.csv"]), 65);
    log.refused(&env, &with(&["缺标题.csv"]), 65);
    log.refused(&env, &with(&["两列.csv"]), 65);
    log.refused(&env, &with(&["多一列.csv", "--map", "map.toml"]), 65);
    log.refused(&env, &with(&["多一列.csv", "--map", "number.toml"]), 65);
    log.refused(&env, &["rollup", "空文件夹", "--period", "2026Q3"], 2);
    log.refused(&env, &["rollup", "坏的.yishi", "--period", "2026Q3"], 65);
    log.refused(&env, &["rollup", "坏的.yishi", "--period", "2026Q9"], 65);
    log.refused(&env, &["report", "--period", "2026Q3"], 2);
    let backwards = ["report", "--from", "2026-10-01", "--to", "2026-09-01"];
    log.refused(&env, &backwards, 65);
    insta::assert_snapshot!("worded_errors_zh", log.zh);
    insta::assert_snapshot!("worded_errors_en", log.en);
}

/// What imports and reads say of bad bytes, oversized workbooks, a file that is not a
/// database and a stored value this yishi does not know (issue 28): the place and the reason
/// in the reader's language, with what to do; nothing is written.
#[test]
fn errors_of_bytes_workbooks_and_stored_values_in_chinese_and_english() {
    let env = Env::new();
    let mut log = Log::default();
    let (gb, _, _) = encoding_rs::GB18030.encode("标题,提出人\n东门路灯,周阿姨\n");
    // 灯 without its second byte: its first meets ',' (not a trail byte).
    let (deng, _, _) = encoding_rs::GB18030.encode("灯");
    let mut broken = gb.to_vec();
    let at = broken.windows(2).position(|w| w == &deng[..]).unwrap();
    broken.remove(at + 1);
    env.write("坏字节.csv", &broken);
    env.write("截断.csv", &gb[..gb.len() - 2]);
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in "标题,提出人\n路灯,王".encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    // A lone high surrogate, then a character that is not its pair.
    utf16.extend([0x00, 0xD8, b'x', 0x00, b'\n', 0x00]);
    env.write("代理项.csv", &utf16);
    env.write("空字节.csv", vec![0u8; 4 << 20]);
    let mut open = "标题,提出人\n\"路灯不亮,周阿姨\n".to_string();
    open.push_str(&"好议题,居民\n".repeat(100_000));
    env.write("缺引号.csv", open);
    let far = r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#;
    let far = crate::holding::hostile_xlsx(crate::holding::plain_sheet(far, "A1"), None);
    env.write("太大.xlsx", far);
    env.write("不是数据库.txt", "标题,提出人\n");
    for file in [
        "坏字节.csv",
        "代理项.csv",
        "空字节.csv",
        "缺引号.csv",
        "太大.xlsx",
    ] {
        log.refused(&env, &["issue", "import", file], 65);
    }
    let cut = ["issue", "import", "截断.csv", "--encoding", "gb18030"];
    log.refused(&env, &cut, 65);
    log.refused(&env, &["--db", "不是数据库.txt", "issue", "list"], 65);
    // The system's usual errors and clap's reasons for a bad number, in words.
    log.refused(&env, &["issue", "import", "没有这个文件.csv"], 65);
    log.refused(
        &env,
        &["rollup", "没有这个包.yishi", "--period", "2026Q3"],
        74,
    );
    log.refused(&env, &["verify", "--anchor-file", "没有这个文件.txt"], 65);
    log.refused(&env, &["log", "--limit", "abc"], 2);
    log.refused(&env, &["issue", "list", "--limit", "0"], 2);
    log.refused(&env, &["ledger", "--year", "3000"], 2);
    // Rows skipped into a rejects file.
    env.write(
        "两行.csv",
        "标题,提出人,渠道\n路灯不亮,王大爷,走访\n,李四,走访\n",
    );
    let skip = [
        "--skip-invalid",
        "--rejects",
        "退回.csv",
        "--overwrite",
        "--dry-run",
    ];
    log.said(
        &env,
        &[&["issue", "import", "两行.csv"][..], &skip].concat(),
    );
    // The rejects file is in the reader's language too (the English run wrote it last).
    let rejects = std::fs::read_to_string(env.path("退回.csv")).unwrap();
    assert!(
        rejects.starts_with("标题,提出人,渠道,reason\n")
            && rejects.contains("\"line 3, column \"\"标题\"\": is empty"),
        "{rejects}"
    );
    let out = common::yishi_zh(env.dir.path())
        .args(["issue", "import", "两行.csv"])
        .args(skip)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let rejects = std::fs::read_to_string(env.path("退回.csv")).unwrap();
    assert!(
        rejects.starts_with("标题,提出人,渠道,原因\n")
            && rejects.contains(",李四,走访,第 3 行，“标题”列：为空"),
        "{rejects}"
    );
    // A survey's spreadsheet: its summary names no English "spreadsheet" or columns note.
    let survey = common::survey_fixture(&env, "wjx-issues.xlsx");
    log.said(&env, &["issue", "import", &survey, "--dry-run"]);
    // A stored action this yishi does not know.
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    conn.execute_batch("UPDATE events SET action = 'frobnicate' WHERE seq = 1")
        .unwrap();
    log.refused(&env, &["log"], 65);
    insta::assert_snapshot!("worded_bytes_zh", log.zh);
    insta::assert_snapshot!("worded_bytes_en", log.en);
}

/// A yishi.toml or a `--map` file that does not read (issue 28): in Chinese the place as
/// 第 N 行第 M 列, the line, and the reason in words; in English toml's own text. Nothing is
/// written.
#[test]
fn errors_of_toml_files_in_chinese_and_english() {
    let env = Env::new();
    let mut log = Log::default();
    let good = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    env.write("议题.csv", "标题,提出人,心情\n路灯不亮,王大爷,好\n");
    env.write("bad-map.toml", "\"心情\" = \n");
    log.refused(
        &env,
        &["issue", "import", "议题.csv", "--map", "bad-map.toml"],
        65,
    );
    for (from, to) in [
        ("notice_days = 3", "notice_days = \"3\""),
        ("notice_days = 3", "notice_dayz = 3"),
        ("notice_days = 3", "notice_days = 3.5"),
        ("min = 1", "min = -1"),
    ] {
        assert!(good.contains(from), "{from}");
        env.write("yishi.toml", good.replacen(from, to, 1));
        log.refused(&env, &["issue", "list"], 65);
    }
    env.write("yishi.toml", good);
    insta::assert_snapshot!("worded_toml_zh", log.zh);
    insta::assert_snapshot!("worded_toml_en", log.en);
}
