//! Helpers for end-to-end tests: a fresh database in a temp directory, and the real binary.
#![allow(dead_code)]

use assert_cmd::Command;
use std::ffi::OsString;
use std::io::Write;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};
use tempfile::TempDir;

/// A fixed clock so that dates in snapshots never change (YISHI_NOW, read by src/clock.rs).
pub const NOW: &str = "2026-11-25T10:00:00+08:00";

/// Any program, isolated from the environment of whoever runs the tests: the environment is
/// cleared and only `PATH`, a fixed time zone and a fixed user are given, so a `YISHI_DB`,
/// `YISHI_CONFIG`, `YISHI_NOW`, `NO_COLOR` or locale set in the developer's shell never reaches
/// it. Its working directory is `dir` (a temp directory). Every test starts processes through
/// this function (tests/isolation.rs checks that).
pub fn isolated(program: impl AsRef<std::ffi::OsStr>, dir: &Path) -> std::process::Command {
    let mut c = std::process::Command::new(program);
    c.env_clear()
        .current_dir(dir)
        // China Standard Time as a POSIX TZ string: no time-zone database needed.
        .env("TZ", "CST-8")
        .env("USER", "tester");
    if let Some(path) = std::env::var_os("PATH") {
        c.env("PATH", path);
    }
    c
}

/// The yishi binary, isolated (see [`isolated`]), with the clock fixed at [`NOW`], speaking
/// English (`YISHI_LANG=en`): most tests assert yishi's English wording. Its Chinese, the
/// default, is tested through [`yishi_zh`].
pub fn yishi(dir: &Path) -> std::process::Command {
    let mut c = yishi_zh(dir);
    c.env("YISHI_LANG", "en");
    c
}

/// The yishi binary as a Chinese secretary runs it: no language set anywhere (Chinese is the
/// default), the clock fixed at [`NOW`].
pub fn yishi_zh(dir: &Path) -> std::process::Command {
    let mut c = isolated(assert_cmd::cargo::cargo_bin!("yishi"), dir);
    c.env("YISHI_NOW", NOW);
    c
}

/// The clock on the day of the fixture's council M1 (set for 2026-12-01 19:30), after its
/// last vote: the steps of a meeting are recorded on its day.
pub const MEETING_DAY: &str = "2026-12-01T20:50:00+08:00";

pub struct Env {
    pub dir: TempDir,
    /// The clock of the commands this Env runs ([`NOW`] until a test moves it).
    now: Mutex<String>,
}

impl Env {
    /// A directory with no database yet.
    pub fn empty() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
            now: Mutex::new(NOW.into()),
        }
    }

    /// A directory with no database yet, inside `parent` (e.g. a small file system a test
    /// mounted).
    pub fn empty_in(parent: &Path) -> Env {
        Env {
            dir: tempfile::tempdir_in(parent).expect("temp dir"),
            now: Mutex::new(NOW.into()),
        }
    }

    /// A directory with an initialised database for 汀塘社区: a copy of what `yishi init` made
    /// once for this test binary (see [`template`]).
    pub fn new() -> Env {
        let env = Env::empty();
        initialised().copy_into(env.dir.path());
        env
    }

    /// A directory that starts as [`Env::new`]'s and holds what `steps` leave there: a scenario
    /// that several tests of a file start from, made once per test binary under `name` (see
    /// [`template`]). `steps` must depend on nothing but the directory.
    pub fn prepared(name: &'static str, steps: fn(&Env)) -> Env {
        let env = Env::empty();
        template(name, Some(initialised()), steps).copy_into(env.dir.path());
        env
    }

    /// A directory holding `tingtang.db` as `yishi --db tingtang.db demo` builds it (the
    /// scripted Tingtang cycle), built once per test binary and copied.
    pub fn tingtang_demo() -> Env {
        let env = Env::empty();
        template("tingtang demo", None, |env| {
            env.ok(&["--db", "tingtang.db", "demo"]);
        })
        .copy_into(env.dir.path());
        env
    }

    /// A directory holding `street/` as `yishi demo --district --dir street` leaves it (three
    /// communities and their packages), built once per test binary and copied.
    pub fn district_demo() -> Env {
        let env = Env::empty();
        template("district demo", None, |env| {
            env.ok(&["demo", "--district", "--dir", "street"]);
        })
        .copy_into(env.dir.path());
        env
    }

    /// What [`Env::new`] copies: `yishi init` run for real.
    fn initialise(&self) {
        self.ok(&["init", "--community", "汀塘社区", "--population", "4000"]);
    }

    /// Whether nothing happened here since [`Env::new`]: the directory holds exactly the files
    /// it copied, byte for byte. Only then can a later stage be copied in instead of replayed.
    fn is_just_initialised(&self) -> bool {
        Files::of(self.dir.path()) == *initialised()
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("yishi.db")
    }

    /// Run SQL on the database behind yishi's back (damage, tampering, foreign objects).
    pub fn sql(&self, statements: &str) {
        let conn = rusqlite::Connection::open(self.db()).unwrap();
        conn.execute_batch(statements).unwrap();
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, contents).expect("write test file");
        p
    }

    /// The binary, run in the temp directory with a fixed clock (see [`yishi`]).
    pub fn cmd(&self) -> Command {
        let mut c = yishi(self.dir.path());
        c.env("YISHI_NOW", self.now());
        Command::from_std(c)
    }

    /// The clock of this Env's commands (YISHI_NOW).
    pub fn now(&self) -> String {
        self.now
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Move the clock of this Env's commands to `now` (`2026-12-01T19:30:00+08:00`).
    pub fn set_now(&self, now: &str) {
        *self.now.lock().unwrap_or_else(PoisonError::into_inner) = now.into();
    }

    /// Run and expect success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run yishi");
        assert!(
            out.status.success(),
            "yishi {args:?} failed with {:?}\nstdout:\n{}\nstderr:\n{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Run and expect failure with `code`; returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd().args(args).output().expect("run yishi");
        assert_eq!(
            out.status.code(),
            Some(code),
            "yishi {args:?}: expected exit {code}\nstdout:\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    /// Run a command that must fail with `code` and change nothing: the database is compared
    /// before and after. Returns `$ yishi ARGS` and the error, for a transcript snapshot.
    pub fn fails_unchanged(&self, args: &[&str], code: i32) -> String {
        let before = self.dump();
        let err = self.fails(args, code);
        assert_eq!(self.dump(), before, "{args:?} changed the database");
        format!("$ yishi {}\n{err}", args.join(" "))
    }

    /// A command refused by a rule (exit 1) that changes nothing; see [`Env::fails_unchanged`].
    pub fn refused(&self, args: &[&str]) -> String {
        self.fails_unchanged(args, 1)
    }

    /// Run and return (stdout, stderr), expecting success.
    pub fn ok_both(&self, args: &[&str]) -> (String, String) {
        let out = self.cmd().args(args).output().expect("run yishi");
        assert!(
            out.status.success(),
            "yishi {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    }

    /// The logical content of the database: every table's rows, for "nothing changed" checks.
    pub fn dump(&self) -> String {
        dump(&self.db())
    }

    /// A roster covering the six standing seats plus an observer.
    pub fn roster(&self) {
        for (name, seat) in [
            ("王建国", "committee"),
            ("李娜", "party"),
            ("张伟", "backbone"),
            ("林秀英", "women"),
            ("赵敏", "social-org"),
            ("孙强", "social-resource"),
        ] {
            self.ok(&["member", "add", name, "--seat", seat]);
        }
    }
}

pub fn dump(db: &Path) -> String {
    let conn = rusqlite::Connection::open(db).expect("open db");
    let mut out = String::new();
    let mut tables = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type='table' ORDER BY name")
        .unwrap();
    let names: Vec<String> = tables
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    for t in names {
        out.push_str(&format!("== {t}\n"));
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(r) = rows.next().unwrap() {
            let cells: Vec<String> = (0..n)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect();
            out.push_str(&cells.join("|"));
            out.push('\n');
        }
    }
    out
}

impl Env {
    /// A community with a full roster, two pre-consulted issues, and council M1 convened with
    /// the property company as stakeholder and a social worker as observer. The clock is then
    /// on the meeting's day ([`MEETING_DAY`]).
    pub fn convened(&self) {
        if self.is_just_initialised() {
            convened().copy_into(self.dir.path());
        } else {
            self.convene_steps();
        }
        self.set_now(MEETING_DAY);
    }

    fn convene_steps(&self) {
        self.set_now(NOW);
        for (name, seat) in [
            ("王建国", "committee"),
            ("陈志明", "committee"),
            ("李娜", "party"),
            ("张伟", "backbone"),
            ("林秀英", "women"),
            ("赵敏", "social-org"),
            ("孙强", "social-resource"),
            ("社工小周", "observer"),
        ] {
            self.ok(&[
                "member",
                "add",
                name,
                "--seat",
                seat,
                "--phone",
                "13800001234",
            ]);
        }
        self.ok(&[
            "issue",
            "add",
            "儿童没有课外活动场所",
            "--by",
            "陈阿姨",
            "--phone",
            "13900001111",
            "--channel",
            "线下",
            "--category",
            "儿童",
            "--date",
            "2026-11-03",
            "--stakeholder",
            "物业公司",
            "--detail",
            "放学后孩子只能在楼道里玩",
        ]);
        self.ok(&[
            "issue",
            "add",
            "小区停车难",
            "--by",
            "刘大爷",
            "--channel",
            "online",
            "--category",
            "parking",
            "--date",
            "2026-11-04",
        ]);
        self.ok(&[
            "issue",
            "add",
            "广场舞噪音",
            "--by",
            "黄女士",
            "--channel",
            "interview",
            "--date",
            "2026-11-05",
        ]);
        for id in ["1", "2", "3"] {
            self.ok(&["issue", "accept", id]);
        }
        self.ok(&[
            "issue",
            "consult",
            "1",
            "--with",
            "物业公司",
            "--summary",
            "同意开放老村部四楼，负责日常保洁",
            "--date",
            "2026-11-20",
        ]);
        self.ok(&[
            "issue",
            "consult",
            "2",
            "--with",
            "业主委员会",
            "--summary",
            "同意在东侧空地划线",
            "--date",
            "2026-11-21",
        ]);
        self.ok(&[
            "issue",
            "consult",
            "3",
            "--with",
            "广场舞队",
            "--summary",
            "愿意调整时间",
            "--date",
            "2026-11-21",
        ]);
        self.ok(&[
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
            "社工小周",
        ]);
    }

    /// M1 run to the end: attendance with a proxy and an absentee, speeches, a roll-call vote
    /// with an amendment and a recusal, a secret counted vote corrected on recount, a deferral.
    pub fn held(&self) {
        if self.is_just_initialised() {
            held().copy_into(self.dir.path());
        } else {
            self.convened();
            self.hold_steps();
        }
        self.set_now(MEETING_DAY);
    }

    fn hold_steps(&self) {
        self.set_now(MEETING_DAY);
        self.ok(&[
            "council",
            "attend",
            "M1",
            "王建国",
            "李娜",
            "张伟",
            "林秀英",
            "物业公司",
            "社工小周",
        ]);
        self.ok(&[
            "council", "attend", "M1", "赵敏", "--online", "--late", "19:45",
        ]);
        self.ok(&[
            "council",
            "attend",
            "M1",
            "王建国",
            "--proxy-for",
            "陈志明",
            "--authorisation",
            "书面委托书（11月30日）",
        ]);
        self.ok(&["council", "absent", "M1", "孙强", "--reason", "出差"]);
        self.ok(&["council", "open", "M1", "--at", "19:35"]);
        self.ok(&[
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
        ]);
        self.ok(&[
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
        ]);
        self.ok(&[
            "council",
            "speak",
            "M1",
            "--item",
            "1",
            "--by",
            "社工小周",
            "--position",
            "neutral",
            "可链接公益图书资源",
        ]);
        self.ok(&[
            "vote",
            "open",
            "M1",
            "--item",
            "1",
            "将老村部四楼改造为儿童活动中心",
        ]);
        self.ok(&[
            "vote",
            "amend",
            "V1",
            "将老村部四楼改造为儿童活动中心，并发起图书募捐",
        ]);
        self.ok(&[
            "vote",
            "cast",
            "V2",
            "--yes",
            "王建国,李娜,张伟,林秀英,陈志明",
            "--no",
            "物业公司",
            "--abstain",
            "赵敏",
        ]);
        self.ok(&["vote", "close", "V2"]);
        self.ok(&[
            "vote",
            "recuse",
            "V1",
            "林秀英",
            "--reason",
            "家属承包改造工程",
        ]);
        self.ok(&[
            "vote",
            "cast",
            "V1",
            "--yes",
            "王建国,李娜,张伟,陈志明,赵敏",
            "--no",
            "物业公司",
        ]);
        self.ok(&[
            "vote",
            "close",
            "V1",
            "--owner",
            "王建国",
            "--due",
            "2027-03-31",
        ]);
        self.ok(&[
            "vote",
            "open",
            "M1",
            "--item",
            "2",
            "在小区东侧空地划线增加停车位",
            "--secret",
        ]);
        // Six vote on #2: the property company is a stakeholder for #1 only (own-items).
        self.ok(&["vote", "cast", "V3", "--count", "3:2:1"]);
        self.ok(&["vote", "close", "V3"]);
        self.ok(&[
            "vote",
            "correct",
            "V3",
            "--count",
            "4:1:1",
            "--reason",
            "复核举手人数，漏计一票",
            "--owner",
            "赵敏",
            "--due",
            "2027-02-28",
        ]);
        self.ok(&["council", "decide", "M1", "--item", "1"]);
        self.ok(&["council", "decide", "M1", "--item", "2"]);
        self.ok(&[
            "council",
            "decide",
            "M1",
            "--item",
            "3",
            "--defer",
            "--reason",
            "时间不够，下次再议",
        ]);
        self.ok(&["council", "close", "M1", "--at", "21:10"]);
    }
}

/// The files a scenario leaves in a test's directory, made once per test binary: its steps run
/// through the real binary, every one checked, in a directory that starts with `base`'s files,
/// and the files are kept in memory. Each test that asks for it gets its own copy in its own
/// directory: the files a replay would leave there (the audit log's random salts aside), without
/// the 20 to 90 processes of a replay. The Tingtang stages below are the common ones; a test
/// file builds its own scenario with [`Env::prepared`].
fn template(name: &'static str, base: Option<&'static Files>, steps: fn(&Env)) -> &'static Files {
    static MADE: Mutex<Vec<(&'static str, &'static OnceLock<Files>)>> = Mutex::new(Vec::new());
    let cell = {
        let mut made = MADE.lock().unwrap_or_else(PoisonError::into_inner);
        match made.iter().find(|(made_name, _)| *made_name == name) {
            Some((_, cell)) => *cell,
            None => {
                let cell: &'static OnceLock<Files> = Box::leak(Box::default());
                made.push((name, cell));
                cell
            }
        }
    };
    // Outside the lock: other scenarios can be made meanwhile. A failing step panics here, in
    // each test that asks, and nothing is kept.
    cell.get_or_init(|| {
        let env = Env::empty();
        if let Some(base) = base {
            base.copy_into(env.dir.path());
        }
        steps(&env);
        Files::of(env.dir.path())
    })
}

/// `yishi init` for 汀塘社区.
fn initialised() -> &'static Files {
    template("initialised", None, Env::initialise)
}

/// See [`Env::convened`].
fn convened() -> &'static Files {
    template("convened", Some(initialised()), Env::convene_steps)
}

/// See [`Env::held`].
fn held() -> &'static Files {
    template("held", Some(convened()), Env::hold_steps)
}

/// The "permissions" recorded for anything that is neither a plain file nor a folder.
const NOT_A_FILE: u32 = u32::MAX;

/// Marks a folder's permissions in [`Files`].
const FOLDER: u32 = 1 << 20;

/// The files of a directory (name, permissions, bytes), in name order.
#[derive(PartialEq)]
struct Files(Vec<(OsString, u32, Vec<u8>)>);

impl Files {
    fn of(dir: &Path) -> Files {
        let mut files = Vec::new();
        Files::walk(dir, Path::new(""), &mut files);
        files.sort();
        Files(files)
    }

    /// The files under `dir` (named by their path from the top, `at`): folders as entries of
    /// their own (made before what they hold, as the names sort), anything else never equal
    /// to a template's files and never copied (see copy_into).
    fn walk(dir: &Path, at: &Path, files: &mut Vec<(OsString, u32, Vec<u8>)>) {
        for entry in std::fs::read_dir(dir).expect("read test dir") {
            let entry = entry.expect("read test dir");
            let meta = entry.metadata().expect("stat test file");
            let name = at.join(entry.file_name());
            let mode = meta.permissions().mode() & 0o7777;
            if meta.is_dir() {
                files.push((name.clone().into_os_string(), FOLDER | mode, Vec::new()));
                Files::walk(&entry.path(), &name, files);
            } else if meta.is_file() {
                let bytes = std::fs::read(entry.path()).expect("read test file");
                files.push((name.into_os_string(), mode, bytes));
            } else {
                files.push((name.into_os_string(), NOT_A_FILE, Vec::new()));
            }
        }
    }

    /// Write the files into `dir`, replacing any of the same name, with their permissions.
    fn copy_into(&self, dir: &Path) {
        for (name, mode, bytes) in &self.0 {
            let path = dir.join(name);
            assert_ne!(*mode, NOT_A_FILE, "a template holds files only: {path:?}");
            if mode & FOLDER != 0 {
                std::fs::create_dir_all(&path).expect("make a template folder");
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode & 0o7777))
                    .expect("set a template folder's permissions");
                continue;
            }
            let _ = std::fs::remove_file(&path);
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(*mode)
                .open(&path)
                .and_then(|mut f| f.write_all(bytes))
                .expect("copy a template file");
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(*mode))
                .expect("set a template file's permissions");
        }
    }
}

/// A document with the hash of its record check code (记录校验码 #N · 3f9a c1d2 7b44 90e1)
/// replaced by `[hash]`: the audit log salts each event, so the hash differs from run to run
/// while the event number does not. Snapshots of minutes and notices go through this.
pub fn unanchored(doc: &str) -> String {
    let mut out = String::with_capacity(doc.len());
    let mut rest = doc;
    loop {
        let found = ["记录校验码 #", "Record check code #"]
            .iter()
            .filter_map(|m| rest.find(m).map(|i| (i, m.len())))
            .min();
        let Some((i, len)) = found else {
            out.push_str(rest);
            return out;
        };
        let after = &rest[i + len..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        let tail = &after[digits..];
        out.push_str(&rest[..i + len + digits]);
        match tail.strip_prefix(" · ") {
            Some(hash) if hash.len() >= 19 && hash.is_char_boundary(19) => {
                out.push_str(" · [hash]");
                rest = &hash[19..];
            }
            _ => rest = tail,
        }
    }
}

/// Copy a fixture from tests/fixtures/surveys into the test's directory; returns its name.
pub fn survey_fixture(env: &Env, name: &str) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/surveys")
        .join(name);
    let bytes = std::fs::read(&src).expect("fixture");
    env.write(name, bytes);
    name.to_string()
}

/// Every issue with contacts, in the order recorded (`issue list` shows the newest first).
pub fn issues_in_order(env: &Env) -> serde_json::Value {
    let list: serde_json::Value =
        serde_json::from_str(&env.ok(&["issue", "list", "--json", "--show-contacts"])).unwrap();
    let mut issues = list.as_array().unwrap().clone();
    issues.sort_by_key(|i| i["id"].as_i64());
    serde_json::Value::Array(issues)
}

/// How many rounds a soak test runs: `ci` in `cargo test` (enough to catch a regression in a
/// few seconds), `full` under `YISHI_SOAK=full` (scripts/soak.sh), the rigour the test was
/// written with.
pub fn soak_rounds(ci: usize, full: usize) -> usize {
    match std::env::var("YISHI_SOAK").as_deref() {
        Ok("full") => full,
        _ => ci,
    }
}

/// Waits for `child`, killing it if it has not ended after `limit`: a hang fails the test with
/// `what` named instead of stalling the suite. (A watchdog, not a speed check: speed lives in
/// scripts/bench.sh.)
pub fn wait_or_kill(
    mut child: std::process::Child,
    limit: std::time::Duration,
    what: &str,
) -> std::process::Output {
    let started = std::time::Instant::now();
    loop {
        if child.try_wait().expect("poll the child").is_some() {
            return child
                .wait_with_output()
                .expect("collect the child's output");
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("{what} was still running after {limit:?}: it hung");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
