//! Issue 28: yishi speaks the secretary's language. Chinese by default (help, usage errors,
//! messages, errors), English with --lang en, YISHI_LANG=en, `locale = "en"`, or an English
//! shell when yishi.toml names no locale; --json and exit codes are the same in both.

use crate::common::{self, Env};

/// stdout, stderr and the exit status of `yishi args` run as a Chinese secretary would
/// (no language set), with `extra` environment variables.
fn run_zh(env: &Env, args: &[&str], extra: &[(&str, &str)]) -> (String, String, i32) {
    let out = common::yishi_zh(env.dir.path())
        .args(args)
        .envs(extra.iter().copied())
        .output()
        .unwrap();
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

fn transcript(env: &Env, args: &[&str], extra: &[(&str, &str)]) -> String {
    let (stdout, stderr, code) = run_zh(env, args, extra);
    format!(
        "$ {}yishi {}\n--- exit {code}\n--- stdout\n{stdout}--- stderr\n{stderr}",
        extra
            .iter()
            .map(|(k, v)| format!("{k}={v} "))
            .collect::<String>(),
        args.join(" ")
    )
}

#[test]
fn help_is_chinese_by_default_and_english_on_request() {
    let env = Env::new();
    insta::assert_snapshot!("help_zh", transcript(&env, &["--help"], &[]));
    insta::assert_snapshot!(
        "help_en",
        transcript(&env, &["--help", "--lang", "en"], &[])
    );
    insta::assert_snapshot!(
        "issue_add_help_zh",
        transcript(&env, &["issue", "add", "-h"], &[])
    );
    insta::assert_snapshot!(
        "issue_add_help_en",
        transcript(&env, &["issue", "add", "-h"], &[("YISHI_LANG", "en")])
    );
    // The command's own options come first, the shared ones apart and after them.
    let (help, _, _) = run_zh(&env, &["issue", "add", "--help"], &[]);
    let own = help.find("选项：").unwrap();
    let global = help.find("全局选项：").unwrap();
    assert!(own < global && help[global..].contains("--db"), "{help}");
    assert!(!help[..global].contains("--db"), "{help}");
}

#[test]
fn five_refusals_in_chinese() {
    let env = Env::new();
    env.ok(&["issue", "add", "路灯不亮", "--channel", "线下"]);
    env.ok(&["issue", "add", "电梯故障", "--channel", "线下"]);
    env.ok(&["issue", "accept", "2"]);
    let before = env.dump();
    let mut all = String::new();
    for args in [
        &["member", "add", "王大爷", "--seat", "居民代表"][..],
        &[
            "council",
            "convene",
            "--date",
            "2026-12-05 19:30",
            "--place",
            "会议室",
            "--issue",
            "1",
        ],
        &["issue", "reject", "2", "--reason", "已转物业处理"],
        &["issue", "add"],
        &["isue", "list"],
    ] {
        all.push_str(&transcript(&env, args, &[]));
        all.push('\n');
    }
    assert_eq!(env.dump(), before, "a refusal changed the database");
    insta::assert_snapshot!("refusals_zh", all);
    // The newcomer's case from the issue: which seats exist, in Chinese, and how to add one.
    let (_, err, code) = run_zh(
        &env,
        &["member", "add", "王大爷", "--seat", "居民代表"],
        &[],
    );
    assert_eq!(code, 2, "a seat typed by hand is a usage error");
    assert!(
        err.starts_with("错误：没有“居民代表”这个席位。现有席位：居委会代表、")
            && err.contains("[[seats]]"),
        "{err}"
    );
    // Convening a collected issue names the command that fixes it.
    let (_, err, code) = run_zh(
        &env,
        &[
            "council",
            "convene",
            "--date",
            "2026-12-05 19:30",
            "--place",
            "会议室",
            "--issue",
            "1",
        ],
        &[],
    );
    assert_eq!(code, 1);
    assert!(err.contains("请先受理：`yishi issue accept 1`"), "{err}");
}

#[test]
fn five_successes_in_chinese() {
    let env = Env::empty();
    let mut all = String::new();
    let members = env.write("members.csv", "姓名,席位\n王建国,居委会代表\n李娜,党员\n");
    for args in [
        &["init", "--community", "汀塘社区", "--population", "4200"][..],
        &["member", "import", members.to_str().unwrap()],
        &["member", "add", "吴芳", "--seat", "妇女"],
        &[
            "issue",
            "add",
            "路灯不亮",
            "--by",
            "陈阿姨",
            "--channel",
            "线下",
        ],
        &["issue", "accept", "1"],
    ] {
        all.push_str(
            &transcript(&env, args, &[]).replace(members.to_str().unwrap(), "members.csv"),
        );
        all.push('\n');
    }
    insta::assert_snapshot!("successes_zh", all);
}

/// The language comes from --lang, YISHI_LANG, yishi.toml's locale, the shell, in that order.
#[test]
fn the_language_comes_from_flag_env_config_then_shell() {
    let env = Env::new();
    let toml = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    let english = |out: &str| out.contains("added issue #");
    let chinese = |out: &str| out.contains("已登记议题 #");
    let add = ["issue", "add", "路灯不亮", "--channel", "线下"];
    // Init writes locale = "zh-CN": an English shell still gets Chinese.
    let (_, err, _) = run_zh(&env, &add, &[("LANG", "en_US.UTF-8")]);
    assert!(chinese(&err), "{err}");
    // With no locale in yishi.toml, the shell decides.
    let without: String = toml
        .lines()
        .filter(|l| !l.starts_with("locale"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(env.path("yishi.toml"), without).unwrap();
    let (_, err, _) = run_zh(&env, &add, &[("LANG", "en_US.UTF-8")]);
    assert!(english(&err), "{err}");
    let (_, err, _) = run_zh(&env, &add, &[("LANG", "zh_CN.UTF-8")]);
    assert!(chinese(&err), "{err}");
    let (_, err, _) = run_zh(&env, &add, &[("LANG", "C.UTF-8")]);
    assert!(chinese(&err), "{err}");
    // YISHI_LANG beats the shell; --lang beats both.
    let (_, err, _) = run_zh(
        &env,
        &add,
        &[("LANG", "en_US.UTF-8"), ("YISHI_LANG", "zh-CN")],
    );
    assert!(chinese(&err), "{err}");
    let mut args = add.to_vec();
    args.extend(["--lang", "英文"]);
    let (_, err, _) = run_zh(&env, &args, &[("YISHI_LANG", "zh-CN")]);
    assert!(english(&err), "{err}");
    // --json is the same in both languages.
    let (zh, _, _) = run_zh(&env, &["issue", "show", "1", "--json"], &[]);
    let (en, _, _) = run_zh(&env, &["issue", "show", "1", "--json", "--lang", "en"], &[]);
    let keys = |s: &str| -> Vec<String> {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        v.as_object().unwrap().keys().cloned().collect()
    };
    assert_eq!(keys(&zh), keys(&en));
}

/// Completions offer the seats, channels and statuses in both languages.
#[test]
fn completions_offer_chinese_and_english_values() {
    let env = Env::empty();
    let (bash, _, code) = run_zh(&env, &["completions", "bash"], &[]);
    assert_eq!(code, 0);
    for word in [
        "居委会代表",
        "committee",
        "妇女",
        "线下",
        "offline",
        "已受理",
        "accepted",
    ] {
        assert!(bash.contains(word), "no {word} in the bash completions");
    }
}

/// `--seat` completes with each seat's Chinese name (居民骨干代表, 居民骨干) and its key; the
/// fixed sets (rules, formats, languages, statuses) with both languages' words.
#[test]
fn completions_of_a_flag_offer_both_languages() {
    let env = Env::empty();
    let (bash, _, _) = run_zh(&env, &["completions", "bash"], &[]);
    // The words offered after each place the flag appears (a flag of several commands).
    let offered = |flag: &str| -> Vec<Vec<String>> {
        let case = format!("{flag})\n");
        bash.match_indices(&case)
            .map(|(at, _)| {
                let line = bash[at..].lines().nth(1).unwrap_or_default();
                let words = line.split('"').nth(1).unwrap_or_default();
                words.split_whitespace().map(String::from).collect()
            })
            .collect()
    };
    for (flag, words) in [
        (
            "--seat",
            &["居民骨干代表", "居民骨干", "backbone", "列席", "observer"][..],
        ),
        ("--rule", &["三分之二", "two-thirds", "无反对", "consensus"]),
        ("--lang", &["中文", "zh-CN", "英文", "en"]),
        ("--status", &["已受理", "accepted"]),
        ("--channel", &["线下", "offline"]),
        ("--encoding", &["自动", "auto", "gb18030"]),
    ] {
        let got = offered(flag);
        assert!(
            got.iter()
                .any(|o| words.iter().all(|w| o.contains(&w.to_string()))),
            "{flag}: no completion offers all of {words:?}: {got:?}"
        );
    }
}

/// Values of a fixed set are typed in either language; one outside its set is a usage error
/// (exit 2) that lists the Chinese words first in Chinese and the English keys in English,
/// and leaves the database as it was.
#[test]
fn typed_values_in_both_languages_and_a_wrong_one_is_a_usage_error() {
    let env = Env::new();
    let before = env.dump();
    let (_, err, code) = run_zh(
        &env,
        &["member", "add", "王大爷", "--seat", "居民代表"],
        &[],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("现有席位：居委会代表、党员代表") && err.contains("[[seats]]"),
        "{err}"
    );
    let err = env.fails(&["member", "add", "王大爷", "--seat", "居民代表"], 2);
    assert!(
        err.contains("unknown seat \"居民代表\" (allowed: committee"),
        "{err}"
    );
    let (_, err, code) = run_zh(&env, &["issue", "list", "--status", "已受"], &[]);
    assert_eq!(code, 2, "{err}");
    let listed = err.split("可用的值：").nth(1).unwrap_or_default();
    assert!(listed.starts_with("已收集、已受理"), "{err}");
    assert!(listed.contains("collected"), "{err}");
    let err = env.fails(&["issue", "list", "--status", "已受"], 2);
    assert!(
        err.contains("[possible values: collected, accepted,") && !err.contains("已收集"),
        "{err}"
    );
    let (_, err, code) = run_zh(&env, &["issue", "add", "x", "--channel", "飞鸽"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("没有“飞鸽”这个来源渠道"), "{err}");
    let (_, err, code) = run_zh(&env, &["remind", "--format", "表格"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("可用的值：文本、网页、text、md、html"),
        "{err}"
    );
    assert_eq!(env.dump(), before);
    // The Chinese words are read as the keys.
    env.ok(&["issue", "list", "--status", "已受理"]);
    let html = env.ok(&["remind", "--format", "网页"]);
    assert!(html.contains("<html"), "{html}");
    let help = env.ok(&["--lang", "英文", "seats", "--help"]);
    assert!(help.contains("Usage:"), "{help}");
    env.convened();
    env.set_now("2026-12-01T19:00:00+08:00");
    env.ok(&["council", "attend", "M1", "王建国,陈志明,张伟,林秀英,赵敏"]);
    env.ok(&["council", "open", "M1", "--at", "19:05"]);
    env.set_now("2026-12-01T19:30:00+08:00");
    env.ok(&[
        "vote",
        "open",
        "M1",
        "--item",
        "1",
        "改造四楼",
        "--rule",
        "三分之二",
    ]);
    let shown = env.ok(&["vote", "show", "V1", "--json"]);
    assert!(shown.contains("\"two-thirds\""), "{shown}");
}

/// The Chinese help of every command has no English words outside commands, flags, values
/// yishi accepts, file and format names, environment variables and the product's name.
#[test]
fn chinese_help_pages_have_no_stray_english() {
    let env = Env::new();
    let mut pages = vec![Vec::<String>::new()];
    let mut seen = 0;
    let mut problems = Vec::new();
    let allowed_words = ALLOWED.split_whitespace().collect::<Vec<_>>();
    while let Some(path) = pages.pop() {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let (help, _, code) = run_zh(&env, &args, &[]);
        assert_eq!(code, 0, "{path:?}");
        seen += 1;
        if let Some(at) = help.find("命令：\n") {
            for line in help[at..].lines().skip(1).take_while(|l| !l.is_empty()) {
                if let Some(name) = line.split_whitespace().next()
                    && !line.starts_with("      ")
                    && name != "help"
                {
                    let mut sub = path.clone();
                    sub.push(name.to_string());
                    pages.push(sub);
                }
            }
        }
        for line in help.lines() {
            if line.starts_with("  yishi ") || line.starts_with("用法") {
                continue;
            }
            for word in english_words(line) {
                if !allowed_words.contains(&word.as_str()) {
                    problems.push(format!(
                        "yishi {} --help: {word} in {line:?}",
                        path.join(" ")
                    ));
                }
            }
        }
    }
    assert!(seen > 60, "walked only {seen} help pages");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Every zh-CN snapshot reads as Chinese: no English words outside commands, flags, ids, file
/// names, values yishi accepts and the product's name (the same rule as the help pages).
#[test]
fn chinese_snapshots_have_no_stray_english() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/snapshots");
    let allowed_words = ALLOWED.split_whitespace().collect::<Vec<_>>();
    let mut problems = Vec::new();
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.contains("_zh")
            || !name.ends_with(".snap")
            || SNAPSHOTS_NOT_PROSE.contains(&name.as_str())
        {
            continue;
        }
        seen += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        // The header (source, expression) is insta's, not yishi's.
        let body = text.splitn(3, "---\n").nth(2).unwrap_or_default();
        let mut in_style = false;
        for line in body.lines() {
            // Inline CSS of an HTML document is code, not words.
            if line.contains("<style") {
                in_style = true;
            }
            if in_style {
                in_style = !line.contains("</style>");
                continue;
            }
            let line = line.trim_start();
            // A transcript's own lines: the command run and where its output starts.
            if line.starts_with("$ yishi ") || line.starts_with("--- ") || line.starts_with("用法")
            {
                continue;
            }
            // What a verify finding quotes from the file as evidence (an object's name in
            // “…”, its SQL in （CREATE …）) is the file's text, not yishi's words.
            let line = quoted_evidence_removed(line);
            for word in english_words(&line) {
                let allowed = allowed_words.contains(&word.as_str())
                    || SNAPSHOT_WORDS.iter().any(|(w, _)| *w == word);
                if !allowed {
                    problems.push(format!("{name}: {word} in {line:?}"));
                }
            }
        }
    }
    assert!(seen >= 15, "read only {seen} zh snapshots");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `line` without the names in “…” and the SQL in （CREATE …） that a finding quotes.
fn quoted_evidence_removed(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        let next = [("“", "”"), ("（CREATE ", "）")]
            .into_iter()
            .filter_map(|(open, close)| rest.find(open).map(|at| (at, open, close)))
            .min_by_key(|(at, _, _)| *at);
        let Some((at, open, close)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        let after = &rest[at + open.len()..];
        // An unclosed quote (cut with …) runs to the end of the line.
        rest = after
            .find(close)
            .map_or("", |end| &after[end + close.len()..]);
    }
}

/// zh snapshots that are data, not prose: JSON's keys are the stable field names scripts read,
/// the same in every language.
const SNAPSHOTS_NOT_PROSE: &[&str] = &["it__minutes__minutes_zh_json.snap"];

/// Words in zh snapshots that are not yishi's English, with why.
const SNAPSHOT_WORDS: &[(&str, &str)] = &[
    ("hash", "insta's redaction [hash] of a chain hash"),
    (
        "ballots",
        "a table of the database, named in a verify finding as the file names it",
    ),
    (
        "motions",
        "a table of the database, named in a verify finding as the file names it",
    ),
    (
        "tester",
        "the tests' actor: a person's name, shown as given",
    ),
    (
        "key",
        "a field of a [[seats]] entry in yishi.toml, named as it is written there",
    ),
    (
        "zh",
        "a field of a [[seats]] entry in yishi.toml, named as it is written there",
    ),
    ("isue", "the mistyped command the user gave, quoted back"),
    (
        "population",
        "a key of yishi.toml, named as it is written there",
    ),
];

/// Words of Latin letters in `line`, leaving out `code`, <PLACEHOLDERS>, --flags and ids.
fn english_words(line: &str) -> Vec<String> {
    let mut text = String::new();
    let mut in_code = false;
    let mut in_placeholder = false;
    for c in line.chars() {
        match c {
            '`' => in_code = !in_code,
            '<' => in_placeholder = true,
            '>' => in_placeholder = false,
            _ if in_code || in_placeholder => {}
            _ => text.push(c),
        }
    }
    text.split(|c: char| !(c.is_ascii_alphanumeric() || "-_./".contains(c)))
        .map(|w| w.trim_matches(|c: char| "./".contains(c)))
        // Flags, file names and paths, ids and numbers (M1, #12, 3f9a…) are not words.
        .filter(|w| !w.starts_with('-') && !w.contains(['.', '/']))
        .filter(|w| !w.chars().any(|c| c.is_ascii_digit()))
        .filter(|w| w.chars().filter(char::is_ascii_alphabetic).count() >= 2)
        .map(String::from)
        .collect()
}

/// Commands, values yishi accepts, file and format names, environment variables.
const ALLOWED: &str = "
yishi yishi.toml yishi.db zh-CN en locale JSON CSV HTML SQLite Excel Word TOML Markdown
iCalendar Windows GBK UTF-8 utf-8 gb18030 GB18030 English shell git minijinja
YISHI_DB YISHI_CONFIG YISHI_LANG YISHI_NOW YISHI_KEY YISHI_KEY_FILE YISHI_BUSY_TIMEOUT NO_COLOR TERM dumb LANG LC_ALL LC_MESSAGES
secretary auto html text md json docx csv xlsx ics txt bash zsh fish powershell elvish
init member issue council vote minutes action notice feedback status calendar remind report
ledger seats log verify demo backup restore export resident completions add list show edit rollup
retire forget import accept reject merge consult stakeholder dupes reindex remove convene
signin invite attend absent leave speak reopen decide open close cast amend withdraw recuse
correct recount result decision update done speech reschedule reply
phone wechat in-person sms letter png
committee party backbone women social-org social-resource observer
offline interview online children elderly environment safety facilities parking property
culture other collected accepted rejected merged scheduled decided implementing completed escalated escalate back street district
for against neutral majority-present simple two-thirds absolute consensus
rules.notice_days rules.majority reminders.within_days channels categories seats reminders rules
YYYY-MM-DD HH MM DIR ID MEETING UID help
note seat phone name address yes no satisfaction aware community channel date before-restore
";

/// Names are separated the same way in every command: `vote cast V1 --yes 甲 乙` records two
/// votes, as `--yes 甲,乙` and `--yes 甲、乙` do, and `council attend` takes the same forms.
#[test]
fn names_are_separated_by_spaces_commas_or_enumeration_commas() {
    let env = Env::new();
    env.convened();
    env.set_now("2026-12-01T19:00:00+08:00");
    let (_, note) = env.ok_both(&[
        "council",
        "attend",
        "M1",
        "王建国,陈志明、张伟",
        "林秀英",
        "赵敏",
    ]);
    assert!(
        note.contains("王建国、陈志明、张伟、林秀英、赵敏 present"),
        "{note}"
    );
    env.ok(&["council", "open", "M1", "--at", "19:05"]);
    env.set_now("2026-12-01T19:30:00+08:00");
    env.ok(&["vote", "open", "M1", "--item", "1", "改造四楼"]);
    env.ok(&[
        "vote",
        "cast",
        "V1",
        "--yes",
        "王建国",
        "陈志明",
        "--no",
        "张伟、林秀英",
        "--abstain",
        "赵敏",
    ]);
    let shown: serde_json::Value =
        serde_json::from_str(&env.ok(&["vote", "show", "V1", "--json"])).unwrap();
    let ballots = shown["ballots"].as_array().unwrap();
    let count = |c: &str| ballots.iter().filter(|b| b["choice"] == c).count();
    assert_eq!(
        (count("yes"), count("no"), count("abstain")),
        (2, 2, 1),
        "{shown}"
    );
}

/// The global --force meant two things (replace files; on restore, also accept losing events).
/// Now each command says what it does: --overwrite on commands that write files, restore's
/// --accept-loss; --force still works, hidden, with a warning naming the flag to use.
#[test]
fn overwrite_and_accept_loss_each_have_one_meaning() {
    let env = Env::new();
    env.ok(&["backup", "bk.db"]);
    let (_, err, code) = run_zh(&env, &["backup", "bk.db"], &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("请加 --overwrite"), "{err}");
    env.ok(&["backup", "bk.db", "--overwrite"]);
    let (_, err) = env.ok_both(&["backup", "bk.db", "--force"]);
    assert!(
        err.contains("--force is deprecated: use --overwrite"),
        "{err}"
    );
    // A command that writes no file has no --overwrite.
    env.fails(&["seats", "--overwrite"], 2);
    env.fails(&["seats", "--accept-loss"], 2);
    // Events after the backup: restore needs --accept-loss, not --overwrite.
    env.ok(&["issue", "add", "之后添加的议题", "--channel", "online"]);
    let err = env.fails(&["restore", "bk.db", "--overwrite"], 1);
    assert!(err.contains("Give --accept-loss"), "{err}");
    env.ok(&["restore", "bk.db", "--accept-loss"]);
    // The kept copy of the replaced database is replaced only with --overwrite.
    let err = env.fails(&["restore", "bk.db", "--accept-loss"], 1);
    assert!(err.contains("give --overwrite to replace it"), "{err}");
    env.ok(&["restore", "bk.db", "--accept-loss", "--overwrite"]);
    // The old spelling still does both on restore, with the warning.
    let (_, err) = env.ok_both(&["restore", "bk.db", "--force"]);
    assert!(err.contains("use --accept-loss / --overwrite"), "{err}");
    // Help names the flags in both languages; --force is not shown.
    let (help, _, _) = run_zh(&env, &["restore", "--help"], &[]);
    assert!(
        help.contains("--accept-loss") && help.contains("覆盖上次恢复时保留"),
        "{help}"
    );
    assert!(!help.contains("--force"), "{help}");
    let help = env.ok(&["minutes", "export", "--help"]);
    assert!(
        help.contains("--overwrite") && !help.contains("--force"),
        "{help}"
    );
}

/// The yishi.toml that `init` writes is commented in the reader's language (Chinese by
/// default, English with --lang en); its settings are the same and read back.
#[test]
fn init_comments_its_yishi_toml_in_the_readers_language() {
    let env = Env::empty();
    let (_, err, code) = run_zh(&env, &["init", "--community", "汀塘社区"], &[]);
    assert_eq!(code, 0, "{err}");
    let zh = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    assert!(zh.starts_with("# 议事配置"), "{zh}");
    assert!(
        zh.contains("# 会议有效人数：开会时须到会的成员比例\nquorum = "),
        "{zh}"
    );
    assert!(!zh.contains("share of members"), "{zh}");
    env.ok(&["seats"]);
    let en_dir = Env::empty();
    en_dir.ok(&["init", "--community", "汀塘社区"]);
    let en = std::fs::read_to_string(en_dir.path("yishi.toml")).unwrap();
    assert!(en.starts_with("# yishi configuration"), "{en}");
    // The same settings, line for line, whatever the comments say.
    let settings = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| !l.starts_with('#'))
            .map(String::from)
            .collect()
    };
    assert_eq!(settings(&zh), settings(&en));
}

/// Refusals moved into the catalogue read as Chinese and end with the command that fixes
/// them; English keeps its wording.
#[test]
fn more_refusals_in_chinese_end_with_what_to_run() {
    let env = Env::new();
    let (_, err, code) = run_zh(&env, &["--db", "none.db", "issue", "add", "x"], &[]);
    assert_eq!(code, 2, "{err}");
    let (_, err, code) = run_zh(
        &env,
        &["--db", "none.db", "member", "retire", "王建国"],
        &[],
    );
    assert_eq!(code, 65, "{err}");
    assert!(
        err.contains("none.db 处没有数据库：要在这里新建，请运行 `yishi init`"),
        "{err}"
    );
    env.roster();
    // Before they joined: the date that works is named.
    let (_, err, _) = run_zh(
        &env,
        &["member", "retire", "王建国", "--date", "2026-11-20"],
        &[],
    );
    assert!(err.contains("请给 2026-11-25 或之后的日期"), "{err}");
    env.ok(&["member", "retire", "王建国", "--date", "2026-11-30"]);
    let (_, err, code) = run_zh(&env, &["member", "retire", "王建国"], &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.trim_end().ends_with("`yishi member list`"), "{err}");
    let err = env.fails(&["member", "retire", "王建国"], 1);
    assert!(err.contains("already retired on 2026-11-30"), "{err}");
    let (_, err, code) = run_zh(&env, &["action", "done", "A99"], &[]);
    assert_eq!(code, 65, "{err}");
    assert!(
        err.contains("没有落实事项 A99：`yishi action list`"),
        "{err}"
    );
    let (_, err, code) = run_zh(&env, &["issue", "add", " ", "--channel", "线下"], &[]);
    assert_eq!(code, 65, "{err}");
    assert!(err.contains("为空：请给出内容"), "{err}");
}

/// Five more refusals from councils, votes, yishi.toml, an imported file and a file that is
/// not a yishi database, in Chinese (each naming what to run or edit) and in English
/// (worded as before); none changes the database.
#[test]
fn refusals_of_councils_config_imports_and_files_in_both_languages() {
    let env = Env::new();
    env.ok(&["member", "add", "王建国", "--seat", "committee"]);
    env.write("bad.csv", "标题,渠道\n楼道灯不亮,线下\n,线下\n");
    // A SQLite file with a table of its own: not a yishi database.
    rusqlite::Connection::open(env.path("other.db"))
        .unwrap()
        .execute_batch("CREATE TABLE t (x);")
        .unwrap();
    let cases: [&[&str]; 4] = [
        &["council", "show", "M9"],
        &["vote", "cast", "V9", "--yes", "王建国"],
        &["issue", "import", "bad.csv"],
        &["--db", "other.db", "member", "list"],
    ];
    let before = env.dump();
    let (mut zh, mut en) = (String::new(), String::new());
    let mut both = |args: &[&str]| {
        zh.push_str(&transcript(&env, args, &[]));
        zh.push('\n');
        en.push_str(&transcript(&env, args, &[("YISHI_LANG", "en")]));
        en.push('\n');
    };
    for args in cases {
        both(args);
    }
    // A value of yishi.toml out of range: the key, the allowed values, where to fix it.
    let config = std::fs::read_to_string(env.path("yishi.toml")).unwrap();
    assert!(config.contains("population = 4000"), "{config}");
    env.write(
        "yishi.toml",
        config.replace("population = 4000", "population = -5"),
    );
    both(&["member", "list"]);
    assert_eq!(env.dump(), before, "a refusal changed the database");
    insta::assert_snapshot!("more_refusals_zh", zh);
    insta::assert_snapshot!("more_refusals_en", en);
    assert!(zh.contains("没有会议 M9：`yishi council list`"), "{zh}");
    assert!(
        zh.contains("bad.csv:3：“标题”列：为空：每个议题都要有标题"),
        "{zh}"
    );
    assert!(zh.contains("population：-5 不是有效的居民人数"), "{zh}");
    assert!(
        en.contains("no meeting M9: `yishi council list` shows the meetings"),
        "{en}"
    );
    assert!(
        en.contains("bad.csv:3: column \"标题\": is empty: every issue needs a title"),
        "{en}"
    );
    // A cell refused by the value checks shared with the command line: in Chinese, worded by
    // the catalogue without the English field name (the column is named before it).
    env.write("yishi.toml", &config);
    env.write("members.csv", "姓名,席位\n12345,居委会代表\n");
    let (_, err, code) = run_zh(&env, &["member", "import", "members.csv"], &[]);
    assert_eq!(code, 65, "{err}");
    assert!(
        err.contains("members.csv:2：“姓名”列：“12345”像是编号：姓名须含有文字"),
        "{err}"
    );
    let err = env.fails(&["member", "import", "members.csv"], 65);
    assert!(
        err.contains("members.csv:2: column \"姓名\": name \"12345\" looks like an id"),
        "{err}"
    );
    // A resident's answer that is not a score: the same check for a typed and an imported one.
    let add = ["feedback", "add", "--issue", "1", "--satisfaction", "9"];
    let (_, err, code) = run_zh(&env, &add, &[]);
    assert_eq!(code, 65, "{err}");
    assert!(err.contains("\"9\" 不是满意度评分（1 到 5"), "{err}");
    let err = env.fails(&add, 65);
    assert!(
        err.contains("\"9\" is not a satisfaction score (1 to 5"),
        "{err}"
    );
    assert_eq!(env.dump(), before, "a refusal changed the database");
}
