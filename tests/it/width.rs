//! Issue 28: tables and `council show` fit the terminal (80 columns here, given as COLUMNS):
//! Chinese breaks between characters, a Latin word is never cut; a pipe without COLUMNS gets
//! whole lines (and listings tab-separated text).

use crate::common::Env;
use unicode_width::UnicodeWidthStr;

/// `yishi args` with COLUMNS set to `columns` (none: unset, as in a pipe).
fn shown(env: &Env, args: &[&str], columns: Option<&str>) -> String {
    let mut cmd = env.cmd();
    cmd.args(args);
    if let Some(c) = columns {
        cmd.env("COLUMNS", c);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn widest(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// The Latin words of `text`, box-drawing left out.
fn latin_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
        .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        .map(String::from)
        .collect()
}

fn long_issues(env: &Env) {
    env.ok(&[
        "issue",
        "add",
        "小区东侧停车难，晚上车辆停到消防通道上，救护车和消防车都进不来，居民多次反映没有结果",
        "--by",
        "陈阿姨",
        "--channel",
        "offline",
    ]);
    env.ok(&[
        "issue",
        "add",
        "The lights in the underground garage have been broken since September and nobody answers",
        "--by",
        "Wang Li",
        "--channel",
        "online",
    ]);
}

#[test]
fn listings_fit_eighty_columns_and_keep_latin_words_whole() {
    let env = Env::new();
    long_issues(&env);
    let boxed = shown(&env, &["issue", "list", "--table"], Some("80"));
    assert!(widest(&boxed) <= 80, "{boxed}");
    assert!(boxed.contains('┌'), "{boxed}");
    let whole = shown(&env, &["issue", "list", "--table"], None);
    assert!(
        widest(&whole) > 80,
        "without COLUMNS a pipe keeps lines whole:\n{whole}"
    );
    let words = latin_words(&whole);
    for w in latin_words(&boxed) {
        assert!(words.contains(&w), "{w} is a cut word:\n{boxed}");
    }
    // The Chinese title is all there, broken between characters.
    let titles: String = boxed
        .lines()
        .filter_map(|l| l.split('┆').nth(1))
        .map(str::trim)
        .collect();
    assert!(
        titles.contains("小区东侧停车难，晚上车辆停到消防通道上，救护车和消防车都进不来"),
        "{boxed}"
    );
    // A pipe gets tab-separated lines, whatever the width.
    let piped = shown(&env, &["issue", "list"], Some("80"));
    assert!(piped.contains('\t') && !piped.contains('┌'), "{piped}");
}

#[test]
fn council_show_fits_eighty_columns_in_both_languages() {
    let env = Env::new();
    env.held();
    for lang in ["zh-CN", "en"] {
        let fitted = shown(&env, &["--lang", lang, "council", "show", "M1"], Some("80"));
        assert!(widest(&fitted) <= 80, "{lang}:\n{fitted}");
        let whole = shown(&env, &["--lang", lang, "council", "show", "M1"], None);
        let words = latin_words(&whole);
        for w in latin_words(&fitted) {
            assert!(words.contains(&w), "{lang}: {w} is a cut word:\n{fitted}");
        }
    }
}
