//! `yishi demo --district`: a street of three communities (汀塘, 南塘, 东埔), each running the
//! Tingtang cycle (examples/tingtang/cycle.txt) in a database of its own, with what makes
//! them differ: 汀塘 raises an issue to the street and gets its answer; 南塘 leaves an action
//! overdue and waits for the street; 东埔 sends a package for the second quarter only. Their
//! packages go to `packages/`, and the street's rollup of the year is printed.

use super::demo::{CYCLE, Runner, Step, steps, write_data};
use std::path::{Path, PathBuf};
use yishi_core::domain::locale::Locale;
use yishi_core::error::{Error, Result};
use yishi_core::render::Output;

/// The period the street rolls up.
const PERIOD: &str = "2026";
/// The day the packages are made (the cycle's last day).
const SENT: &str = "2026-09-10T10:00";

/// One community of the demo street.
struct Community {
    name: &'static str,
    population: &'static str,
    /// Steps beyond the shared cycle (clock, then yishi's arguments).
    extra: &'static [(&'static str, &'static [&'static str])],
    /// The period of the package it sends.
    sends: &'static str,
}

const FINISH_A2: (&str, &[&str]) = (
    "2026-07-30T10:00",
    &["action", "done", "A2", "--note", "禁停标志已安装"],
);

const STREET: [Community; 3] = [
    Community {
        name: "汀塘社区",
        population: "4200",
        extra: &[
            FINISH_A2,
            (
                "2026-07-01T10:00",
                &[
                    "issue",
                    "escalate",
                    "5",
                    "--to",
                    "街道",
                    "--reason",
                    "助餐点扩建需区级资金，超出社区能力",
                ],
            ),
            (
                "2026-08-15T10:00",
                &[
                    "issue",
                    "escalate",
                    "5",
                    "--answer",
                    "街道已协调区民政局补贴助餐点，增加软食窗口",
                    "--date",
                    "2026-08-15",
                    "--then",
                    "close",
                ],
            ),
        ],
        sends: PERIOD,
    },
    Community {
        name: "南塘社区",
        population: "3100",
        // A2 (due 2026-07-31) is left at 80%: overdue when the package is made.
        extra: &[(
            "2026-07-20T10:00",
            &[
                "issue",
                "escalate",
                "5",
                "--to",
                "街道",
                "--reason",
                "助餐点选址涉及相邻社区，需街道协调",
            ],
        )],
        sends: PERIOD,
    },
    Community {
        name: "东埔社区",
        population: "2600",
        extra: &[FINISH_A2],
        sends: "2026Q2",
    },
];

pub fn run(dir: Option<&Path>, lang: Locale, out: &Output) -> Result<()> {
    let temp = tempfile::tempdir().map_err(|e| {
        Error::io_text(yishi_core::text!("folder.cannot_make_temporary").os_error("error", &e))
    })?;
    let root = match dir {
        Some(d) => fresh_folder(d)?,
        None => temp.path().to_path_buf(),
    };
    out.say(&yishi_core::text!(
        "demo.district_building",
        dir = root.display()
    ));
    let packages = root.join("packages");
    std::fs::create_dir_all(&packages).map_err(|e| {
        Error::io_text(
            yishi_core::text!("folder.cannot_make", dir = packages.display()).os_error("error", &e),
        )
    })?;
    for c in &STREET {
        // Each community in a folder of its own: its database, the data it imports and the
        // documents its cycle writes.
        let home = root.join(c.name);
        write_data(&home)?;
        let db = home.join("yishi.db");
        let runner = Runner::new(&home, &db)?;
        let holder = runner.all(&cycle_of(c)?)?;
        let file = packages.join(format!("{}-{}.yishi", c.name, c.sends));
        let args = ["report", "--package", "--period", c.sends, "-o"]
            .iter()
            .map(|s| s.to_string())
            .chain([file.display().to_string()])
            .collect::<Vec<_>>();
        runner.step(SENT, &args, false)?;
        drop(holder);
    }
    let mut args: Vec<String> = ["rollup", "packages", "--period", PERIOD, "--lang"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    args.push(lang.pick("zh-CN", "en").into());
    if out.tty {
        args.push("--table".into());
    }
    let db = root.join(STREET[0].name).join("yishi.db");
    let rolled = Runner::new(&root, &db)?.step(SENT, &args, true)?;
    out.print(&String::from_utf8_lossy(&rolled))?;
    match dir {
        Some(_) => out.say(&yishi_core::text!(
            "demo.district_kept",
            dir = root.display()
        )),
        None => out.say(&yishi_core::text!("demo.district_temporary")),
    }
    Ok(())
}

/// The shared cycle for `c`: its name and population, and its own steps in time order.
fn cycle_of(c: &Community) -> Result<Vec<Step>> {
    // cycle.txt is built into the binary: a line it cannot read is yishi's bug (English).
    let mut all = steps(CYCLE).map_err(|e| Error::internal(format!("cycle.txt: {e}")))?;
    if let Some(init) = all.first_mut() {
        init.args = ["init", "--community", c.name, "--population", c.population]
            .iter()
            .map(|s| s.to_string())
            .collect();
    }
    all.extend(c.extra.iter().map(|(now, args)| Step {
        now: now.to_string(),
        args: args.iter().map(|s| s.to_string()).collect(),
    }));
    // Stable: the cycle's own order stays as written within one minute.
    all.sort_by(|a, b| a.now.cmp(&b.now));
    Ok(all)
}

/// A folder to build the street in: new, or empty.
fn fresh_folder(d: &Path) -> Result<PathBuf> {
    if d.exists() {
        let empty = std::fs::read_dir(d)
            .map_err(|e| {
                Error::io_text(
                    yishi_core::text!("folder.cannot_read", dir = d.display())
                        .os_error("error", &e),
                )
            })?
            .next()
            .is_none();
        if !empty {
            return Err(Error::refused_text(yishi_core::text!(
                "demo.district_not_empty",
                dir = d.display()
            )));
        }
    }
    std::fs::create_dir_all(d).map_err(|e| {
        Error::io_text(
            yishi_core::text!("folder.cannot_make", dir = d.display()).os_error("error", &e),
        )
    })?;
    std::path::absolute(d).map_err(|e| {
        Error::io_text(
            yishi_core::text!("path.cannot_find", path = d.display()).os_error("error", &e),
        )
    })
}
