//! README.md's console blocks and the examples of every `--help`, run as written and compared
//! with the output shown, by trycmd: `...` on a line of its own stands for any lines, `[..]`
//! for any text within a line, `? 65` under a command for its exit status. After a change,
//! `TRYCMD=overwrite cargo test --test readme` rewrites the outputs; read the diff.
//!
//! Each file runs in a fresh, empty folder where `examples/` is the repository's, as from the
//! root of a fresh clone, with an environment holding only PATH and TZ: a YISHI_DB,
//! YISHI_CONFIG, YISHI_NOW or NO_COLOR in the developer's shell cannot change the result.

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    readme_shows_the_whole_cycle(root);
    let keep = ["PATH", "TRYCMD"];
    for (name, _) in std::env::vars_os() {
        if !keep.iter().any(|k| name == *k) {
            // SAFETY: this is the test's `main`, before any other thread exists.
            unsafe { std::env::remove_var(name) };
        }
    }
    // SAFETY: as above.
    unsafe { std::env::set_var("TZ", "CST-8") };
    for case in ["README.md", "tests/cmd/help-examples.md"] {
        let work = tempfile::tempdir().expect("temp dir");
        std::os::unix::fs::symlink(root.join("examples"), work.path().join("examples"))
            .expect("link examples/");
        std::env::set_current_dir(work.path()).expect("enter the temp dir");
        trycmd::TestCases::new()
            .register_bin("yishi", Path::new(env!("CARGO_BIN_EXE_yishi")))
            .case(root.join(case))
            .run();
    }
}

/// README's council cycle is the one `yishi demo` and run.sh run: every step of
/// examples/tingtang/cycle.txt, in order, none left out and none added.
fn readme_shows_the_whole_cycle(root: &Path) {
    let read = |p: &str| std::fs::read_to_string(root.join(p)).expect(p);
    let readme: Vec<String> = read("README.md")
        .lines()
        .filter_map(|l| l.strip_prefix("$ "))
        .filter(|l| l.starts_with("YISHI_NOW="))
        .map(String::from)
        .collect();
    let cycle: Vec<String> = read("examples/tingtang/cycle.txt")
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect();
    assert!(
        readme == cycle,
        "README.md's council cycle differs from examples/tingtang/cycle.txt:\nREADME:\n{}\ncycle.txt:\n{}",
        readme.join("\n"),
        cycle.join("\n")
    );
}
