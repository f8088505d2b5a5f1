//! End-to-end: the bytes of an import (issue 13, "Bytes", line numbers, slow stdin). Bad
//! encodings, invisible characters, long lines and endless inputs end with a clear error (exit
//! 65) naming file, line and column, and leave the database as it was.

use crate::common;
use common::Env;
use std::io::Write;
use std::time::Duration;

const HEADER: &str = "标题,提出人,渠道,日期\n";

#[test]
fn malformed_or_truncated_gb18030_is_refused_with_line_and_column() {
    let env = Env::new();
    let before = env.dump();
    let (gb, _, _) = encoding_rs::GB18030.encode(
        "标题,提出人,渠道,日期\n电梯故障,吴先生,线上,2026-11-02\n东门路灯,周阿姨,走访,2026-11-01\n",
    );
    let mut bytes = gb.to_vec();
    // Drop the second byte of 灯 in 东门路灯, so that its first byte meets ',' (not a trail byte).
    let (deng, _, _) = encoding_rs::GB18030.encode("灯");
    let at = bytes.windows(2).position(|w| w == &deng[..]).unwrap();
    bytes.remove(at + 1);
    let lead = format!("bytes {:02X} are not a character in GB18030", deng[0]);
    env.write("broken.csv", &bytes);
    let err = env.fails(&["issue", "import", "broken.csv"], 65);
    assert!(err.contains(&format!("broken.csv:3:4: {lead}")), "{err}");
    assert!(!err.contains('\u{FFFD}'), "{err}");
    // Cut in the middle of the last character.
    let (cut, _, _) = encoding_rs::GB18030.encode("标题,提出人\n电梯故障,吴先生\n东门,周阿姨路灯");
    env.write("cut.csv", &cut[..cut.len() - 1]);
    let err = env.fails(&["issue", "import", "cut.csv", "--encoding", "gb18030"], 65);
    assert!(err.contains("cut.csv:3:8: "), "{err}");
    assert!(
        err.contains("the file ends in the middle of a character"),
        "{err}"
    );
    assert_eq!(env.dump(), before, "nothing was imported");
}

#[test]
fn invisible_characters_in_names_and_titles_are_refused_and_text_is_nfc() {
    let env = Env::new();
    let before = env.dump();
    env.write(
        "zw.csv",
        format!("{HEADER}电梯故障,吴先生,线上,2026-11-02\n路灯\u{200B}不亮,周阿姨,走访,2026-11-01\n好议题,王\u{3164}伟,走访,2026-11-01\n"),
    );
    let err = env.fails(&["issue", "import", "zw.csv"], 65);
    assert!(
        err.contains("zw.csv:3: column \"标题\": contains the invisible character U+200B"),
        "{err}"
    );
    assert!(
        err.contains("zw.csv:4: column \"提出人\": contains the invisible character U+3164"),
        "{err}"
    );
    assert_eq!(env.dump(), before);
    for (c, arg) in [
        ('\u{FEFF}', "--by"),
        ('\u{2028}', "--by"),
        ('\u{00AD}', "--by"),
    ] {
        let err = env.fails(
            &[
                "issue",
                "add",
                "路灯不亮",
                "--channel",
                "线下",
                arg,
                &format!("王{c}伟"),
            ],
            65,
        );
        assert!(
            err.contains(&format!(
                "--by contains the invisible character U+{:04X}",
                c as u32
            )),
            "{err}"
        );
    }
    let err = env.fails(
        &["member", "add", "林\u{180E}秀英", "--seat", "backbone"],
        65,
    );
    assert!(err.contains("U+180E"), "{err}");
    // Precomposed and combining spellings are one name.
    env.ok(&["issue", "add", "Cafe\u{301} 门口路灯", "--channel", "线下"]);
    let list = env.ok(&["issue", "list", "--json"]);
    assert!(list.contains("Caf\u{E9} 门口路灯"), "{list}");
}

/// A bad date on the second data row (line 3) is reported on line 3 whatever the line ends.
#[test]
fn line_numbers_are_right_for_lf_crlf_and_cr() {
    let env = Env::new();
    let rows = [
        "标题,提出人,渠道,日期",
        "电梯故障,吴先生,线上,2026-11-02",
        "路灯不亮,周阿姨,走访,2026-13-01",
    ];
    for (name, end) in [("lf.csv", "\n"), ("crlf.csv", "\r\n"), ("cr.csv", "\r")] {
        env.write(name, rows.join(end) + end);
        let err = env.fails(&["issue", "import", name], 65);
        assert!(
            err.contains(&format!(
                "{name}:3: column \"日期\": \"2026-13-01\" is not a date"
            )),
            "{name}: {err}"
        );
    }
    // And a CR-only file imports, one issue per line.
    env.write(
        "ok-cr.csv",
        rows[..2].join("\r") + "\r路灯不亮,周阿姨,走访,2026-11-01\r",
    );
    let (_, note) = env.ok_both(&["issue", "import", "ok-cr.csv"]);
    assert!(note.contains("imported 2 issue(s)"), "{note}");
}

#[test]
fn errors_are_bounded_fifty_shown_values_cut() {
    let env = Env::new();
    let mut csv = String::from(HEADER);
    let long = "9".repeat(5000);
    csv.push_str(&format!("长日期,居民,线上,{long}\n"));
    for i in 0..199 {
        csv.push_str(&format!("议题{i},居民,线上,2026-13-01\n"));
    }
    env.write("many.csv", csv);
    let err = env.fails(&["issue", "import", "many.csv"], 65);
    assert_eq!(err.matches("is not a date").count(), 50, "{err}");
    assert!(err.contains("... and 150 more bad row(s)"), "{err}");
    assert!(err.contains(&format!("\"{}…\"", "9".repeat(80))), "{err}");
    assert!(err.len() < 20_000, "{} bytes of errors", err.len());
}

/// Run an import of `input` (a path, or "-" with `stdin`), expecting exit 65: the import stops
/// reading by itself (an endless input is killed after 120 s as a hang).
fn refused_quickly(env: &Env, path: &str, stdin: Option<std::fs::File>) -> String {
    let mut cmd = common::yishi(env.dir.path());
    cmd.args(["issue", "import", path])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    if let Some(f) = stdin {
        cmd.stdin(f);
    }
    let out = common::wait_or_kill(
        cmd.spawn().unwrap(),
        Duration::from_secs(120),
        &format!("issue import {path}"),
    );
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(65), "{path}: {err}");
    assert!(err.len() < 2_000, "{path}: {} bytes of errors", err.len());
    err
}

#[test]
fn huge_lines_nuls_and_endless_inputs_end_quickly_with_one_error() {
    let env = Env::new();
    let before = env.dump();
    env.write("nuls.csv", vec![0u8; 16 << 20]);
    let err = refused_quickly(&env, "nuls.csv", None);
    assert!(
        err.contains("nuls.csv:1: the line is longer than 1 MiB"),
        "{err}"
    );
    let mut header = "标题,".repeat((64 << 20) / 7).into_bytes();
    header.push(b'\n');
    env.write("header.csv", header);
    let err = refused_quickly(&env, "header.csv", None);
    assert!(
        err.contains("header.csv:1: the line is longer than 1 MiB"),
        "{err}"
    );
    std::fs::remove_file(env.path("header.csv")).unwrap();
    std::fs::remove_file(env.path("nuls.csv")).unwrap();
    let err = refused_quickly(&env, "/dev/zero", None);
    assert!(
        err.contains("/dev/zero:1: the line is longer than 1 MiB"),
        "{err}"
    );
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let err = refused_quickly(&env, "-", Some(zero));
    assert!(
        err.contains("stdin:1: the line is longer than 1 MiB"),
        "{err}"
    );
    assert_eq!(env.dump(), before);
}

/// `issue import -` fed slowly does not hold the write lock while it waits for its input:
/// another writer adds an issue while the import's input is still open (the feed goes on until
/// that add has returned, so a loaded machine cannot make this pass or fail by timing); then
/// the import completes.
#[test]
fn a_slow_stdin_does_not_block_other_writers() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let env = Env::new();
    let mut import = common::yishi(env.dir.path())
        .args(["issue", "import", "-", "--no-hints"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = import.stdin.take().unwrap();
    let (stop, fed) = (
        Arc::new(AtomicBool::new(false)),
        Arc::new(AtomicUsize::new(0)),
    );
    // At most 600 rows (a minute): an add that waits that long is a hang, not slowness.
    const CAP: usize = 600;
    let feeder = {
        let (stop, fed) = (stop.clone(), fed.clone());
        std::thread::spawn(move || {
            stdin.write_all(HEADER.as_bytes()).unwrap();
            for i in 0..CAP {
                writeln!(stdin, "慢慢导入的议题{i},居民,线上,2026-11-01").unwrap();
                stdin.flush().unwrap();
                fed.store(i + 1, Ordering::SeqCst);
                if stop.load(Ordering::SeqCst) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    while fed.load(Ordering::SeqCst) < 3 {
        std::thread::sleep(Duration::from_millis(20));
    }
    let (_, note) = env.ok_both(&["issue", "add", "另一个写入者的议题", "--channel", "线下"]);
    assert!(note.contains("added issue #1"), "{note}");
    assert!(
        !feeder.is_finished() && fed.load(Ordering::SeqCst) < CAP,
        "the other writer waited for the whole feed"
    );
    stop.store(true, Ordering::SeqCst);
    feeder.join().unwrap();
    let rows = fed.load(Ordering::SeqCst);
    let out = import.wait_with_output().unwrap();
    let note = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{note}");
    assert!(
        note.contains(&format!("imported {rows} issue(s) from stdin")),
        "{note}"
    );
    let list = env.ok(&["issue", "list", "--json", "--all"]);
    assert_eq!(list.matches("\"id\"").count(), rows + 1, "{list}");
}

#[test]
fn a_missing_closing_quote_is_named_where_the_quote_opens() {
    let env = Env::new();
    let before = env.dump();
    let mut csv =
        format!("{HEADER}电梯故障,吴先生,线上,2026-11-02\n\"路灯不亮,周阿姨,走访,2026-11-01\n");
    csv.push_str(&"好议题,居民,线上,2026-11-01\n".repeat(50_000));
    env.write("open-quote.csv", csv);
    let err = env.fails(&["issue", "import", "open-quote.csv"], 65);
    assert!(
        err.contains("open-quote.csv:3: a quoted value that starts on this line runs for more than 1 MiB: a closing quote (\") is probably missing"),
        "{err}"
    );
    assert_eq!(env.dump(), before);
}
