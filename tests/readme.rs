//! README.md's console blocks and the examples of every `--help`, run as written and compared
//! with the output shown, by trycmd: `...` on a line of its own stands for any lines, `[..]`
//! for any text within a line, `? 65` under a command for its exit status. After a change,
//! `TRYCMD=overwrite cargo test --test readme` rewrites the outputs; read the diff.
//!
//! Each file runs in a fresh, empty folder where `examples/` is the repository's, as from the
//! root of a fresh clone, with an environment holding only PATH and TZ: a YISHI_DB,
//! YISHI_CONFIG, YISHI_NOW or NO_COLOR in the developer's shell cannot change the result.

use std::path::Path;

/// Each runs in its own fresh folder, all four at once. README.md and the help examples show
/// yishi's English messages (`YISHI_LANG=en`, as README says); README.zh-CN.md its default,
/// Chinese.
const CASES: [&str; 4] = [
    "README.md",
    "README.zh-CN.md",
    "tests/cmd/help-init.md",
    "tests/cmd/help-examples.md",
];

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, case] = &args[..]
        && flag == CASE_FLAG
    {
        return run_case(root, case);
    }
    readme_shows_the_whole_cycle(root);
    every_help_example_is_run(root);
    // The four files at once, each in a process of its own (this binary again, with
    // CASE_FLAG): each is a sequence, one command after another, so run one after the other
    // they kept one core busy. Each child gets its own folder and an environment holding only
    // what is given here; its output is shown whole once it ends, in CASES' order.
    let runs: Vec<_> = CASES
        .iter()
        .map(|case| {
            let work = tempfile::tempdir().expect("temp dir");
            for shared in ["examples", "templates"] {
                std::os::unix::fs::symlink(root.join(shared), work.path().join(shared))
                    .expect("link examples/ and templates/");
            }
            let mut child = this_binary_in_a_cleared_environment();
            child
                .args([CASE_FLAG, case])
                .current_dir(work.path())
                .env("TZ", "CST-8");
            for keep in ["PATH", "TRYCMD"] {
                if let Some(value) = std::env::var_os(keep) {
                    child.env(keep, value);
                }
            }
            if case.starts_with("tests/cmd/") {
                // Help examples run on the day after the Tingtang cycle's last step.
                child.env("YISHI_NOW", "2026-11-25T10:00");
            }
            // README.md and the help examples show English; README.zh-CN.md the default.
            if *case != "README.zh-CN.md" {
                child.env("YISHI_LANG", "en");
            }
            let child = child
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start a case");
            (
                case,
                work,
                std::thread::spawn(move || child.wait_with_output()),
            )
        })
        .collect();
    let mut failed = Vec::new();
    for (case, _work, run) in runs {
        let out = run.join().expect("wait for a case").expect("run a case");
        use std::io::Write;
        std::io::stdout()
            .write_all(&out.stdout)
            .expect("show a case's output");
        std::io::stderr()
            .write_all(&out.stderr)
            .expect("show a case's output");
        if !out.status.success() {
            failed.push(*case);
        }
    }
    assert!(failed.is_empty(), "failed: {}", failed.join(", "));
}

/// The argument that makes this binary run one case of CASES (in the folder and environment
/// its parent gave it).
const CASE_FLAG: &str = "--yishi-readme-case";

/// This binary again, with an empty environment: the caller gives it every variable it has.
fn this_binary_in_a_cleared_environment() -> std::process::Command {
    let mut c = std::process::Command::new(std::env::current_exe().expect("the readme binary"));
    c.env_clear();
    c
}

fn run_case(root: &Path, case: &str) {
    trycmd::TestCases::new()
        .register_bin("yishi", Path::new(env!("CARGO_BIN_EXE_yishi")))
        .case(root.join(case))
        .run();
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

/// Every example in every `--help` (the lines under "Example:" or "Examples:") is a command in
/// one of the tests/cmd files, so each runs and its output is checked. An example that sends
/// its output to a file with `>`, or ends in a `# comment`, is run without them.
fn every_help_example_is_run(root: &Path) {
    fn examples(cmd: &clap::Command, found: &mut Vec<String>) {
        for text in [cmd.get_after_help(), cmd.get_after_long_help()]
            .into_iter()
            .flatten()
        {
            let text = text.to_string();
            let mut in_examples = false;
            for line in text.lines() {
                if line.starts_with("Example") {
                    in_examples = true;
                } else if let Some(example) = line.strip_prefix("  yishi ").filter(|_| in_examples)
                {
                    // Run without a trailing `# comment` or `> file`.
                    let example = example.split(" # ").next().unwrap_or(example);
                    let example = example.split(" > ").next().unwrap_or(example);
                    found.push(format!("yishi {}", example.trim()));
                } else {
                    in_examples = false;
                }
            }
        }
        for sub in cmd.get_subcommands() {
            examples(sub, found);
        }
    }
    let mut wanted = Vec::new();
    examples(
        &<yishi::cli::Cli as clap::CommandFactory>::command(),
        &mut wanted,
    );
    assert!(
        wanted.len() > 50,
        "found only {} help examples",
        wanted.len()
    );
    let mut run = std::collections::HashSet::new();
    for case in CASES {
        let text = std::fs::read_to_string(root.join(case)).expect(case);
        run.extend(
            text.lines()
                .filter_map(|l| l.strip_prefix("$ "))
                // A step of a meeting runs on the meeting's day: `YISHI_NOW=... yishi ...`.
                .map(|l| match l.split_once(' ') {
                    Some((clock, rest)) if clock.starts_with("YISHI_NOW=") => rest,
                    _ => l,
                })
                .map(String::from),
        );
    }
    let missing: Vec<&String> = wanted.iter().filter(|e| !run.contains(*e)).collect();
    assert!(
        missing.is_empty(),
        "help examples that no test runs (add them to tests/cmd/help-examples.md):\n{}",
        missing
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
