//! `yishi demo`: the Tingtang example (examples/tingtang) run in a fresh database, from data
//! built into the binary, ending with the minutes of its council.
//!
//! Each step runs this same binary as a child process, exactly as a secretary would type it,
//! with the clock set for that step (YISHI_NOW), so the demo is reproducible.

use std::path::Path;
use std::process::{Command, Stdio};
use yishi_core::domain::locale::Locale;
use yishi_core::error::{Error, Result};
use yishi_core::render::Output;

const MEMBERS: &str = include_str!("../../examples/tingtang/members.csv");
const ISSUES: &str = include_str!("../../examples/tingtang/issues.csv");
const ISSUES_GB18030: &[u8] = include_bytes!("../../examples/tingtang/issues-gb18030.csv");
const FEEDBACK: &str = include_str!("../../examples/tingtang/feedback.csv");

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  yishi demo\n  yishi demo --db tingtang/tingtang.db --lang en\n  yishi demo --district --dir 街道示例"
)]
pub struct Args {
    /// Format of the minutes printed at the end: md, html or json.
    #[arg(long, default_value = "md", value_parser = super::values::formats(&["md", "html", "json"]), hide_possible_values = true)]
    format: String,
    /// A street of three communities (汀塘, 南塘, 东埔), each running the cycle, their report
    /// packages, and the street's rollup.
    #[arg(long)]
    district: bool,
    /// With --district: the folder to build them in (new or empty) [default: a temporary one].
    #[arg(long, value_name = "DIR", requires = "district")]
    dir: Option<std::path::PathBuf>,
}

/// The council cycle, one step a line (examples/tingtang/cycle.txt, shared with README.md and
/// run.sh).
pub const CYCLE: &str = include_str!("../../examples/tingtang/cycle.txt");

/// One step of the cycle: its clock (`YISHI_NOW`) and yishi's arguments.
#[derive(Debug, PartialEq)]
pub struct Step {
    pub now: String,
    pub args: Vec<String>,
}

/// The steps of [`CYCLE`], split as a shell splits them. Lines are `YISHI_NOW=<time> yishi
/// <args>`; `#` starts a comment.
pub fn steps(cycle: &str) -> std::result::Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for (n, line) in cycle.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words =
            shlex::split(line).ok_or_else(|| format!("line {}: unbalanced quotes", n + 1))?;
        let mut words = words.into_iter();
        let now = match words.next() {
            Some(w) if w.starts_with("YISHI_NOW=") => w["YISHI_NOW=".len()..].to_string(),
            _ => return Err(format!("line {}: expected YISHI_NOW=<time> first", n + 1)),
        };
        if words.next().as_deref() != Some("yishi") {
            return Err(format!("line {}: expected `yishi` after the clock", n + 1));
        }
        steps.push(Step {
            now,
            args: words.collect(),
        });
    }
    Ok(steps)
}

/// `keep`: the global --db, where the demo database is kept (it must not exist yet); without
/// it, a temporary file.
pub fn run(a: Args, keep: Option<&Path>, lang: Locale, out: &Output) -> Result<()> {
    if a.district {
        return super::demo_district::run(a.dir.as_deref(), lang, out);
    }
    let temp = tempfile::tempdir()
        .map_err(|e| Error::internal(format!("cannot make a temporary folder: {e}")))?;
    let db = match keep {
        Some(p) => {
            if p.exists() {
                return Err(Error::refused_text(yishi_core::text!(
                    "demo.db_exists",
                    path = p.display()
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
        return Err(Error::refused_text(yishi_core::text!(
            "demo.config_exists",
            path = config.display()
        )));
    }
    // The steps name the data as examples/tingtang/*.csv, from a working folder.
    let dir = temp.path();
    write_data(dir)?;
    let db = std::path::absolute(&db)
        .map_err(|e| Error::internal(format!("cannot find {}: {e}", db.display())))?;
    out.say(&yishi_core::text!("demo.building", db = db.display()));
    let runner = Runner::new(dir, &db)?;
    let steps = steps(CYCLE).map_err(|e| Error::internal(format!("cycle.txt: {e}")))?;
    let _holder = runner.all(&steps)?;
    let now = steps.last().map_or("", |s| s.now.as_str());
    let minutes = runner.step(
        now,
        &[
            "minutes".into(),
            "export".into(),
            "M1".into(),
            "--lang".into(),
            lang.pick("zh-CN", "en").into(),
            "--format".into(),
            a.format.clone(),
        ],
        true,
    )?;
    out.print(&String::from_utf8_lossy(&minutes))?;
    drop(_holder);
    match keep {
        Some(p) => out.say(&yishi_core::text!("demo.kept", db = p.display())),
        None => out.say(&yishi_core::text!("demo.temporary")),
    }
    Ok(())
}

/// The example data the cycle imports, as examples/tingtang/*.csv under `dir`.
pub fn write_data(dir: &Path) -> Result<()> {
    let data = dir.join("examples").join("tingtang");
    std::fs::create_dir_all(&data)
        .map_err(|e| Error::internal(format!("cannot make a temporary folder: {e}")))?;
    for (name, bytes) in [
        ("members.csv", MEMBERS.as_bytes()),
        ("issues.csv", ISSUES.as_bytes()),
        ("issues-gb18030.csv", ISSUES_GB18030),
        ("feedback.csv", FEEDBACK.as_bytes()),
    ] {
        std::fs::write(data.join(name), bytes)
            .map_err(|e| Error::internal(format!("cannot write the demo data: {e}")))?;
    }
    Ok(())
}

/// Runs steps as the secretary types them: this binary, on one database, from a working
/// folder, with each step's clock.
pub struct Runner<'a> {
    exe: std::path::PathBuf,
    dir: &'a Path,
    db: &'a Path,
}

impl<'a> Runner<'a> {
    pub fn new(dir: &'a Path, db: &'a Path) -> Result<Self> {
        let exe = std::env::current_exe()
            .map_err(|e| Error::internal(format!("cannot find the yishi binary: {e}")))?;
        Ok(Runner { exe, dir, db })
    }

    /// One step; its stdout when `capture`, else nothing (and --quiet).
    pub fn step(&self, now: &str, args: &[String], capture: bool) -> Result<Vec<u8>> {
        let mut cmd = Command::new(&self.exe);
        cmd.arg("--db").arg(self.db).args(args);
        cmd.current_dir(self.dir)
            .env("YISHI_NOW", now)
            .env("TZ", "CST-8") // China Standard Time, POSIX form: no tz database needed
            .env_remove("YISHI_CONFIG")
            .stdin(Stdio::null());
        if !capture {
            cmd.arg("--quiet").stdout(Stdio::null());
        }
        let output = cmd
            .output()
            .map_err(|e| Error::internal(format!("cannot run {}: {e}", self.exe.display())))?;
        if !output.status.success() {
            return Err(Error::internal(format!(
                "demo step `yishi {}` failed:\n{}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim_end()
            )));
        }
        Ok(output.stdout)
    }

    /// Every step in turn. Each step is a process of its own, and the last process to close a
    /// database copies its WAL into the file and syncs both to disk. The idle connection
    /// returned, held from the first step on, keeps the steps from each being the last (SQLite
    /// checkpoints once, when it closes at the end): the cycle's ~45 checkpoints took most of
    /// the demo's time. Drop it when done.
    pub fn all(&self, steps: &[Step]) -> Result<Option<yishi_core::ops::IdleConnection>> {
        let mut holder = None;
        for s in steps {
            self.step(&s.now, &s.args, false)?;
            if holder.is_none() && self.db.exists() {
                holder = Some(yishi_core::ops::IdleConnection::open(self.db)?);
            }
        }
        Ok(holder)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cycle_parses_into_steps() {
        let steps = steps(CYCLE).unwrap();
        assert_eq!(steps[0].now, "2026-06-01T09:00");
        assert_eq!(
            steps[0].args,
            [
                "init",
                "--community",
                "汀塘社区",
                "--population",
                "4200",
                "--survey-url",
                "https://www.wjx.cn/vm/tingtang.aspx"
            ]
        );
        let convene = steps.iter().find(|s| s.args[1] == "convene").unwrap();
        assert!(convene.args.contains(&"2026-06-12 19:30".to_string()));
        assert!(steps.len() > 50);
        assert!(super::steps("yishi init").is_err());
        assert!(super::steps("YISHI_NOW=x cargo run").is_err());
        assert!(super::steps("YISHI_NOW=x yishi \"open").is_err());
    }
}
