//! Helpers for end-to-end tests: a fresh database in a temp directory, and the real binary.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A fixed clock so that dates in snapshots never change (see domain::date::now).
pub const NOW: &str = "2026-11-25T10:00:00+08:00";

pub struct Env {
    pub dir: TempDir,
}

impl Env {
    /// A directory with no database yet.
    pub fn empty() -> Env {
        Env {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A directory with an initialised database for 汀塘社区.
    pub fn new() -> Env {
        let env = Env::empty();
        env.ok(&["init", "--community", "汀塘社区", "--population", "4000"]);
        env
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("yishi.db")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, contents).expect("write test file");
        p
    }

    /// The binary, run in the temp directory with a fixed clock, user and no colour.
    pub fn cmd(&self) -> Command {
        let mut c = Command::new(assert_cmd::cargo::cargo_bin!("yishi"));
        c.current_dir(self.dir.path())
            .env("YISHI_NOW", NOW)
            .env("TZ", "Asia/Shanghai")
            .env("USER", "tester")
            .env("NO_COLOR", "1")
            .env_remove("YISHI_DB")
            .env_remove("YISHI_CONFIG");
        c
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
