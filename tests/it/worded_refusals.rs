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
