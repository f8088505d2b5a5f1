//! Records that hold, second round (issue 27): no write lost to a restore, no hidden trigger,
//! no forged re-seal, no spreadsheet bomb.

use crate::common;
use common::Env;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

fn run(env: &Env, args: &[&str]) -> (i32, String) {
    let out = env.cmd().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// Wait until `file` exists (a pause point reached), or fail naming it.
fn wait_for(file: &Path) {
    let started = Instant::now();
    while !file.exists() {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "{} never appeared",
            file.display()
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Problem 1: a write tried after the restore has compared the logs (and before the backup is
/// in place) used to commit, print "added issue", and vanish under the backup. The restore is
/// paused at that exact point (a pause hook, not a sleep); the write is refused as busy and
/// changes nothing, and the restore replaces exactly what it said it would.
#[test]
fn a_write_while_restore_runs_is_refused_not_lost() {
    let env = Env::new();
    env.held();
    env.ok(&["backup", "bk.db"]);
    env.ok(&["issue", "add", "恢复之前写入", "--channel", "online"]);
    let hooks = env.path("hooks");
    std::fs::create_dir(&hooks).unwrap();
    let restore = common::yishi(env.dir.path())
        .env("YISHI_TEST_PAUSE_DIR", &hooks)
        .args(["restore", "bk.db", "--force"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_for(&hooks.join("restore-checked.reached"));
    let (code, out) = run(
        &env,
        &["issue", "add", "恢复期间写入", "--channel", "offline"],
    );
    assert_eq!(
        code, 75,
        "a write during the restore must be refused: {out}"
    );
    assert!(out.contains("a restore is replacing"), "{out}");
    assert!(!out.contains("added issue"), "{out}");
    std::fs::write(hooks.join("restore-checked.go"), b"").unwrap();
    let done = common::wait_or_kill(restore, Duration::from_secs(120), "restore");
    let said = String::from_utf8_lossy(&done.stderr).into_owned();
    assert!(done.status.success(), "{said}");
    assert!(said.contains("1 later event(s)"), "{said}");
    // The write left no trace; the event the restore said it would replace is in the kept copy.
    let db = env.db();
    let q = |t: &str| format!("SELECT count(*) FROM issues WHERE title = '{t}'");
    assert_eq!(count(&db, &q("恢复期间写入")), 0);
    assert_eq!(count(&db, &q("恢复之前写入")), 0);
    let kept = env.path("yishi.db.before-restore");
    assert_eq!(count(&kept, &q("恢复之前写入")), 1);
    assert!(!env.path("yishi.db.restoring").exists());
    // Writes work again, and verify keeps the replaced database.
    env.ok(&["issue", "add", "恢复之后写入", "--channel", "online"]);
    env.ok(&["verify"]);
    assert!(kept.exists(), "verify must not remove the kept copy");
    // A second restore does not replace it silently.
    let (code, out) = run(&env, &["restore", "bk.db", "--force"]);
    assert_eq!(code, 0, "{out}");
    let (code, out) = run(&env, &["restore", "bk.db"]);
    assert_eq!(code, 1, "{out}");
}

/// A restore left behind by kill -9 leaves its lock file; the lock itself is gone with the
/// process, so writes go on.
#[test]
fn a_stale_restore_lock_file_blocks_nothing() {
    let env = Env::new();
    env.held();
    std::fs::write(env.path("yishi.db.restoring"), b"").unwrap();
    env.ok(&["issue", "add", "照常写入", "--channel", "online"]);
}

fn sql(db: &Path, statements: &str) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch(statements)
        .unwrap();
}

const FLIP: &str = "AFTER INSERT ON ballots WHEN NEW.choice = 'no' \
                    BEGIN UPDATE ballots SET choice = 'yes' WHERE id = NEW.id; END;";

/// Problem 3, first case: a trigger named like one of yishi's indexes (triggers have their own
/// namespace in SQLite) used to hide behind that index in a check keyed by name alone.
#[test]
fn a_trigger_named_like_an_index_is_found() {
    let env = Env::new();
    env.held();
    sql(
        &env.db(),
        &format!(
            "CREATE TRIGGER issues_by_status {FLIP}
             DROP INDEX issues_by_status;
             CREATE INDEX issues_by_status ON issues(status, raised_on);"
        ),
    );
    for args in [&["verify"][..], &["verify", "--full"]] {
        let (code, out) = run(&env, args);
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("trigger \"issues_by_status\" on ballots is not part of yishi's schema"),
            "{out}"
        );
    }
    let (code, out) = run(&env, &["backup", "evil.db"]);
    assert_eq!(code, 1, "{out}");
    assert!(!env.path("evil.db").exists());
    std::fs::copy(env.db(), env.path("evil.db")).unwrap();
    let (code, out) = run(&env, &["restore", "evil.db", "--force"]);
    assert_eq!(code, 1, "{out}");
}

/// Problem 3, second case: names starting `sqlite_stat` were skipped; only SQLite's own
/// statistics tables, as ANALYZE makes them, are allowed.
#[test]
fn a_trigger_named_like_a_statistics_table_is_found_and_analyze_is_not() {
    let env = Env::new();
    env.held();
    sql(&env.db(), "ANALYZE;");
    let out = env.ok(&["verify", "--full"]);
    assert!(out.starts_with("OK"), "{out}");
    sql(
        &env.db(),
        &format!("PRAGMA writable_schema = ON; CREATE TRIGGER sqlite_stat9 {FLIP}"),
    );
    let (code, out) = run(&env, &["verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("trigger \"sqlite_stat9\""), "{out}");
    // A table dressed as a statistics table is as foreign as any other.
    let env = Env::new();
    env.held();
    sql(
        &env.db(),
        "PRAGMA writable_schema = ON; CREATE TABLE sqlite_stat1(tbl, idx, stat, extra);",
    );
    let (code, out) = run(&env, &["verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("sqlite_stat1"), "{out}");
}

/// CRC-32 (the zip one), bit by bit: the fixtures are small.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A zip written by hand, so that a part can be a raw deflate stream of any unpacked size.
/// Each part: (name, data as stored, method 0 stored / 8 deflated, unpacked size, crc).
fn zip_of(parts: &[(&str, Vec<u8>, u16, u32, u32)]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    let le16 = |v: &mut Vec<u8>, x: u16| v.extend_from_slice(&x.to_le_bytes());
    let le32 = |v: &mut Vec<u8>, x: u32| v.extend_from_slice(&x.to_le_bytes());
    for (name, data, method, size, crc) in parts {
        let offset = out.len() as u32;
        le32(&mut out, 0x0403_4b50);
        for x in [20u16, 0, *method, 0, 0x21] {
            le16(&mut out, x);
        }
        for x in [*crc, data.len() as u32, *size] {
            le32(&mut out, x);
        }
        le16(&mut out, name.len() as u16);
        le16(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data);
        le32(&mut central, 0x0201_4b50);
        for x in [20u16, 20, 0, *method, 0, 0x21] {
            le16(&mut central, x);
        }
        for x in [*crc, data.len() as u32, *size] {
            le32(&mut central, x);
        }
        for x in [name.len() as u16, 0, 0, 0, 0] {
            le16(&mut central, x);
        }
        le32(&mut central, 0);
        le32(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let at = out.len() as u32;
    out.extend_from_slice(&central);
    le32(&mut out, 0x0605_4b50);
    for x in [0u16, 0, parts.len() as u16, parts.len() as u16] {
        le16(&mut out, x);
    }
    le32(&mut out, central.len() as u32);
    le32(&mut out, at);
    le16(&mut out, 0);
    out
}

/// A raw deflate stream (one fixed-Huffman block) unpacking to `head`, then `n` × 258 spaces,
/// then `tail`: 13 bits for every 258 bytes.
fn deflated_spaces(head: &[u8], n: usize, tail: &[u8]) -> Vec<u8> {
    struct Bits(Vec<u8>, u32, u8);
    impl Bits {
        fn put(&mut self, v: u32, n: u8) {
            for i in 0..n {
                self.1 |= ((v >> i) & 1) << self.2;
                self.2 += 1;
                if self.2 == 8 {
                    self.0.push(self.1 as u8);
                    (self.1, self.2) = (0, 0);
                }
            }
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, v: u32, n: u8) {
            for i in (0..n).rev() {
                self.put((v >> i) & 1, 1);
            }
        }
        fn literal(&mut self, b: u8) {
            if b < 144 {
                self.code(0x30 + u32::from(b), 8)
            } else {
                self.code(0x190 + u32::from(b - 144), 9)
            }
        }
    }
    let mut w = Bits(Vec::new(), 0, 0);
    w.put(1, 1); // the last block
    w.put(1, 2); // fixed Huffman codes
    for &b in head {
        w.literal(b);
    }
    w.literal(b' ');
    let repeat = |w: &mut Bits| {
        w.code(0xC5, 8); // length 258
        w.code(0, 5); // distance 1
    };
    // Eight repeats are 104 bits, 13 whole bytes: after the first eight, every further eight
    // write the same 13 bytes and leave the same unfinished byte, so those are copied rather
    // than put bit by bit (millions of repeats, one bit at a time, took seconds unoptimised).
    let (blocks, rest) = (n / 8, n % 8);
    for _ in 0..blocks.min(2) * 8 {
        repeat(&mut w);
    }
    if blocks > 2 {
        let block = w.0[w.0.len() - 13..].to_vec();
        for _ in 2..blocks {
            w.0.extend_from_slice(&block);
        }
    }
    for _ in 0..rest {
        repeat(&mut w);
    }
    for &b in tail {
        w.literal(b);
    }
    w.code(0, 7); // end of block
    w.put(0, 7);
    w.0
}

const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// An .xlsx with one sheet named 问卷: the sheet part and shared strings as given.
pub(crate) fn hostile_xlsx(sheet: (Vec<u8>, u16, u32, u32), shared: Option<String>) -> Vec<u8> {
    let stored = |s: &str| {
        (
            s.as_bytes().to_vec(),
            0u16,
            s.len() as u32,
            crc32(s.as_bytes()),
        )
    };
    let types = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
    let rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let book = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="问卷" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let book_rels = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
    let shared = shared.unwrap_or_else(|| {
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>议题编号</t></si></sst>"#.into()
    });
    let p = |n: &'static str, (d, m, s, c): (Vec<u8>, u16, u32, u32)| (n, d, m, s, c);
    zip_of(&[
        p("[Content_Types].xml", stored(types)),
        p("_rels/.rels", stored(rels)),
        p("xl/workbook.xml", stored(book)),
        p("xl/_rels/workbook.xml.rels", stored(book_rels)),
        p("xl/sharedStrings.xml", stored(&shared)),
        p("xl/worksheets/sheet1.xml", sheet),
    ])
}

pub(crate) fn plain_sheet(cells: &str, dimension: &str) -> (Vec<u8>, u16, u32, u32) {
    let s = format!(
        r#"{SHEET_HEAD}<dimension ref="{dimension}"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>{cells}</sheetData></worksheet>"#
    );
    (
        s.clone().into_bytes(),
        0,
        s.len() as u32,
        crc32(s.as_bytes()),
    )
}

/// The six hostile spreadsheets of issue 27 (problem 6).
fn hostile_spreadsheets() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let bomb = {
        let head = format!(r#"{SHEET_HEAD}<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>"#);
        let tail = "</row></sheetData></worksheet>";
        let n = 6_000_000; // 1.5 GB of spaces, 9.7 MB packed
        let size = (head.len() + 1 + n * 258 + tail.len()) as u32;
        (
            deflated_spaces(head.as_bytes(), n, tail.as_bytes()),
            8,
            size,
            0,
        )
    };
    let big_cell = format!(
        r#"<row r="2"><c r="B2" t="inlineStr"><is><t>{}</t></is></c></row>"#,
        "议".repeat(70_000)
    );
    let big_shared = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>议题编号</t></si><si><t>{}</t></si></sst>"#,
        "x".repeat(2 << 20)
    );
    vec![
        (
            "far-cell.xlsx",
            hostile_xlsx(
                plain_sheet(
                    r#"<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
                    "A1",
                ),
                None,
            ),
            "[问卷] cell XFD1048576",
        ),
        (
            "overflow.xlsx",
            hostile_xlsx(
                plain_sheet(
                    r#"<row r="2"><c r="ZZZZZZZZ99999999999"><v>1</v></c></row>"#,
                    "A1",
                ),
                None,
            ),
            "[问卷] cell ZZZZZZZZ99999999999",
        ),
        ("bomb.xlsx", hostile_xlsx(bomb, None), "[问卷] cell A1"),
        (
            "big-cell.xlsx",
            hostile_xlsx(plain_sheet(&big_cell, "A1:B2"), None),
            "[问卷] cell B2",
        ),
        (
            "big-shared.xlsx",
            hostile_xlsx(plain_sheet("", "A1"), Some(big_shared)),
            "shared strings",
        ),
        (
            "declared.xlsx",
            hostile_xlsx(plain_sheet("", "A1:XFD1048576"), None),
            "[问卷]",
        ),
    ]
}

/// Problem 6: each hostile workbook is bad input (65) naming the sheet and cell, and is read
/// within 512 MiB of address space (`ulimit -v` in the child's shell), never killed or panicking.
#[test]
fn hostile_spreadsheets_are_bad_input_within_512_mib() {
    let env = Env::new();

    for (file, bytes, named) in hostile_spreadsheets() {
        env.write(file, &bytes);
        for what in ["issue", "feedback"] {
            let bin = assert_cmd::cargo::cargo_bin!("yishi");
            // In English: the places below are named as the English message words them.
            let out = common::isolated("sh", env.dir.path())
                .env("YISHI_NOW", common::NOW)
                .env("YISHI_LANG", "en")
                .args(["-c", "ulimit -v 524288 && exec \"$0\" \"$@\""])
                .arg(bin)
                .args([what, "import", file])
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(65), "{what} import {file}: {err}");
            assert!(
                err.contains(named),
                "{what} import {file} should name {named}: {err}"
            );
            assert!(!err.contains("panicked"), "{err}");
        }
    }
    let out = env.ok(&["issue", "list", "--json"]);
    assert_eq!(out.trim(), "[]", "{out}");
}

/// Problem 5: an erased event's description is exactly the erasure marker and its digest; a
/// rewritten one carrying made-up content under the right digest is caught by plain verify.
#[test]
fn an_erased_description_with_anything_else_in_it_is_caught() {
    use sha2::Digest;
    let env = Env::new();
    env.held();
    let conn = rusqlite::Connection::open(env.db()).unwrap();
    let (seq, change): (i64, String) = conn
        .query_row(
            "SELECT seq, change FROM events WHERE change LIKE '{\"_salt\":%' ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let digest: String = sha2::Sha256::digest(change.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let set = |text: &str| {
        conn.execute(
            "UPDATE events SET change = ?1 WHERE seq = ?2",
            rusqlite::params![text, seq],
        )
        .unwrap();
    };
    set(&format!(
        "{{\"_erased\":\"{digest}\",\"tally\":{{\"yes\":2,\"no\":5}}}}"
    ));
    let (code, out) = run(&env, &["verify"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "the description of event #{seq} was changed outside yishi"
        )),
        "{out}"
    );
    // The bare marker is what forgetting writes, and the chain still holds.
    set(&format!("{{\"_erased\":\"{digest}\"}}"));
    let out = env.ok(&["verify"]);
    assert!(out.starts_with("OK"), "{out}");
}
