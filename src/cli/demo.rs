//! `yishi demo`: the Tingtang example (examples/tingtang) run in a fresh database, from data
//! built into the binary, ending with the minutes of its council.
//!
//! Each step runs this same binary as a child process, exactly as a secretary would type it,
//! with the clock set for that step (YISHI_NOW), so the demo is reproducible.

use crate::error::{Error, Result};
use crate::render::Output;
use std::path::Path;
use std::process::{Command, Stdio};

const MEMBERS: &str = include_str!("../../examples/tingtang/members.csv");
const ISSUES: &str = include_str!("../../examples/tingtang/issues.csv");
const ISSUES_GB18030: &[u8] = include_bytes!("../../examples/tingtang/issues-gb18030.csv");
const FEEDBACK: &str = include_str!("../../examples/tingtang/feedback.csv");

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:\n  yishi demo\n  yishi demo --db tingtang.db --lang en")]
pub struct Args {
    /// Language of the minutes printed at the end.
    #[arg(long, default_value = "zh-CN")]
    lang: String,
    /// Format of the minutes printed at the end: md, html or json.
    #[arg(long, default_value = "md")]
    format: String,
}

/// The council cycle: (clock, command). Mirrors examples/tingtang/run.sh.
const STEPS: &[(&str, &[&str])] = &[
    (
        "2026-06-01T09:00:00+08:00",
        &["init", "--community", "汀塘社区", "--population", "4200"],
    ),
    ("", &["member", "import", "{dir}/members.csv"]),
    ("", &["issue", "import", "{dir}/issues.csv"]),
    ("", &["issue", "import", "{dir}/issues-gb18030.csv"]),
    (
        "",
        &["issue", "accept", "1", "--note", "涉及多方，需议事会协商"],
    ),
    ("", &["issue", "accept", "2"]),
    ("", &["issue", "accept", "3"]),
    ("", &["issue", "accept", "5"]),
    (
        "",
        &[
            "issue",
            "reject",
            "4",
            "--reason",
            "已由社区与广场舞队直接协调，调整音响时间",
        ],
    ),
    ("", &["issue", "merge", "6", "--into", "1"]),
    ("", &["issue", "stakeholder", "add", "1", "物业公司"]),
    ("", &["issue", "stakeholder", "add", "2", "业主委员会代表"]),
    (
        "",
        &[
            "issue",
            "consult",
            "1",
            "--with",
            "物业公司",
            "--summary",
            "同意开放老村部四楼，负责日常保洁",
            "--date",
            "2026-06-02",
        ],
    ),
    (
        "",
        &[
            "issue",
            "consult",
            "1",
            "--with",
            "汀塘小学",
            "--summary",
            "愿意组织学生志愿者和图书捐赠",
            "--date",
            "2026-06-03",
        ],
    ),
    (
        "",
        &[
            "issue",
            "consult",
            "2",
            "--with",
            "业主委员会",
            "--summary",
            "同意在东侧空地划线",
            "--date",
            "2026-06-03",
        ],
    ),
    (
        "",
        &[
            "issue",
            "consult",
            "3",
            "--with",
            "环卫站",
            "--summary",
            "可在3栋旁增设一处分类点，但需居民同意",
            "--date",
            "2026-06-04",
        ],
    ),
    (
        "2026-06-05T09:00:00+08:00",
        &[
            "council",
            "convene",
            "--date",
            "2026-06-12 19:30",
            "--place",
            "老村部三楼会议室",
            "--chair",
            "王建国",
            "--recorder",
            "李娜",
            "--observer",
            "周晓",
        ],
    ),
    (
        "2026-06-12T19:30:00+08:00",
        &[
            "council",
            "attend",
            "M1",
            "王建国",
            "李娜",
            "张伟",
            "林秀英",
            "孙强",
            "物业公司",
            "业主委员会代表",
            "周晓",
        ],
    ),
    ("", &["council", "attend", "M1", "赵敏", "--online"]),
    (
        "",
        &["council", "absent", "M1", "陈志明", "--reason", "出差"],
    ),
    ("", &["council", "open", "M1", "--at", "19:35"]),
    (
        "",
        &[
            "council",
            "speak",
            "M1",
            "--item",
            "1",
            "--by",
            "张伟",
            "--position",
            "for",
            "四楼闲置多年，改造成本低",
        ],
    ),
    (
        "",
        &[
            "council",
            "speak",
            "M1",
            "--item",
            "1",
            "--by",
            "物业公司",
            "--position",
            "against",
            "保洁和安全责任需要明确",
        ],
    ),
    (
        "",
        &[
            "council",
            "speak",
            "M1",
            "--item",
            "1",
            "--by",
            "孙强",
            "--position",
            "for",
            "学校可以组织图书募捐",
        ],
    ),
    (
        "",
        &[
            "vote",
            "open",
            "M1",
            "--item",
            "1",
            "将老村部四楼改造为儿童活动中心",
        ],
    ),
    (
        "",
        &[
            "vote",
            "amend",
            "V1",
            "将老村部四楼改造为儿童活动中心，并发起图书募捐，由汀塘小学协助",
        ],
    ),
    (
        "",
        &[
            "vote",
            "cast",
            "V2",
            "--yes",
            "王建国,李娜,张伟,林秀英,赵敏,孙强,业主委员会代表",
            "--no",
            "物业公司",
        ],
    ),
    ("", &["vote", "close", "V2"]),
    (
        "",
        &[
            "vote",
            "cast",
            "V1",
            "--yes",
            "王建国,李娜,张伟,林秀英,赵敏,孙强,物业公司",
            "--abstain",
            "业主委员会代表",
        ],
    ),
    (
        "",
        &[
            "vote",
            "close",
            "V1",
            "--owner",
            "王建国",
            "--due",
            "2026-08-31",
        ],
    ),
    (
        "",
        &[
            "council",
            "speak",
            "M1",
            "--item",
            "2",
            "--by",
            "业主委员会代表",
            "--position",
            "for",
            "东侧空地可划12个车位",
        ],
    ),
    (
        "",
        &[
            "vote",
            "open",
            "M1",
            "--item",
            "2",
            "在小区东侧空地划线增加12个停车位，消防通道设禁停标志",
        ],
    ),
    ("", &["vote", "cast", "V3", "--count", "6:1:1"]),
    (
        "",
        &[
            "vote",
            "close",
            "V3",
            "--owner",
            "张伟",
            "--due",
            "2026-07-31",
        ],
    ),
    (
        "",
        &["vote", "open", "M1", "--item", "3", "在3栋旁增设垃圾分类点"],
    ),
    ("", &["vote", "cast", "V4", "--count", "3:3:2"]),
    ("", &["vote", "close", "V4"]),
    ("", &["council", "close", "M1", "--at", "21:10"]),
    (
        "2026-06-13T09:00:00+08:00",
        &[
            "notice",
            "decision",
            "M1",
            "--days",
            "7",
            "-o",
            "{dir}/notice-M1.txt",
        ],
    ),
    (
        "2026-07-15T10:00:00+08:00",
        &[
            "action",
            "update",
            "A1",
            "--progress",
            "60",
            "--note",
            "墙面粉刷完成，书架已到",
        ],
    ),
    (
        "",
        &[
            "action",
            "update",
            "A2",
            "--progress",
            "80",
            "--note",
            "划线完成，禁停标志待安装",
        ],
    ),
    (
        "2026-08-20T10:00:00+08:00",
        &[
            "action",
            "done",
            "A1",
            "--note",
            "儿童活动中心开放，募集图书860册",
        ],
    ),
    (
        "2026-09-05T10:00:00+08:00",
        &["notice", "result", "1", "-o", "{dir}/result-1.txt"],
    ),
    ("", &["feedback", "import", "{dir}/feedback.csv"]),
];

/// `keep`: the global --db, where the demo database is kept (it must not exist yet); without
/// it, a temporary file.
pub fn run(a: Args, keep: Option<&Path>, out: &Output) -> Result<()> {
    let temp = tempfile::tempdir()
        .map_err(|e| Error::internal(format!("cannot make a temporary folder: {e}")))?;
    let db = match keep {
        Some(p) => {
            if p.exists() {
                return Err(Error::refused(format!(
                    "{} already exists: the demo needs a fresh database (choose another --db)",
                    p.display()
                )));
            }
            p.to_path_buf()
        }
        None => temp.path().join("tingtang.db"),
    };
    let config = db
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .join("yishi.toml");
    if keep.is_some() && config.exists() {
        return Err(Error::refused(format!(
            "{} already exists: put the demo database in a folder of its own",
            config.display()
        )));
    }
    let dir = temp.path();
    for (name, bytes) in [
        ("members.csv", MEMBERS.as_bytes()),
        ("issues.csv", ISSUES.as_bytes()),
        ("issues-gb18030.csv", ISSUES_GB18030),
        ("feedback.csv", FEEDBACK.as_bytes()),
    ] {
        std::fs::write(dir.join(name), bytes)
            .map_err(|e| Error::internal(format!("cannot write the demo data: {e}")))?;
    }
    let exe = std::env::current_exe()
        .map_err(|e| Error::internal(format!("cannot find the yishi binary: {e}")))?;
    let mut now = "";
    out.note(&format!(
        "building the 汀塘社区 example in {} ...",
        db.display()
    ));
    let step = |now: &str, args: &[String], capture: bool| -> Result<Vec<u8>> {
        let mut cmd = Command::new(&exe);
        cmd.arg("--db")
            .arg(&db)
            .arg("--as")
            .arg("社区秘书")
            .args(args);
        cmd.env("YISHI_NOW", now)
            .env("TZ", "CST-8") // China Standard Time, POSIX form: no tz database needed
            .env_remove("YISHI_CONFIG")
            .stdin(Stdio::null());
        if !capture {
            cmd.arg("--quiet").stdout(Stdio::null());
        }
        let output = cmd
            .output()
            .map_err(|e| Error::internal(format!("cannot run {}: {e}", exe.display())))?;
        if !output.status.success() {
            return Err(Error::internal(format!(
                "demo step `yishi {}` failed:\n{}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim_end()
            )));
        }
        Ok(output.stdout)
    };
    for (clock, args) in STEPS {
        if !clock.is_empty() {
            now = clock;
        }
        let args: Vec<String> = args
            .iter()
            .map(|s| s.replace("{dir}", &dir.display().to_string()))
            .collect();
        step(now, &args, false)?;
    }
    let minutes = step(
        now,
        &[
            "minutes".into(),
            "export".into(),
            "M1".into(),
            "--lang".into(),
            a.lang.clone(),
            "--format".into(),
            a.format.clone(),
        ],
        true,
    )?;
    out.print(&String::from_utf8_lossy(&minutes))?;
    match keep {
        Some(p) => out.note(&format!(
            "the demo database is {}; try `yishi --db {} council show M1`, `... report` or `... verify`",
            p.display(),
            p.display()
        )),
        None => out.note("this was a temporary database; `yishi demo --db tingtang.db` keeps one to explore"),
    }
    Ok(())
}
