//! `domain` is pure: the council's rules read no clock, no environment and no files; render and
//! import name no store type. (That the command line cannot reach the store is no longer a
//! test: the binary does not depend on rusqlite and `yishi_core::store` is private, so such a
//! call does not compile.)

use std::path::Path;

/// `src` without its trailing `#[cfg(test)] mod … {` block.
fn without_test_module(src: &str) -> &str {
    let mut from = 0;
    while let Some(at) = src[from..].find("#[cfg(test)]") {
        let at = from + at;
        let rest = src[at + "#[cfg(test)]".len()..].trim_start();
        let line = rest.lines().next().unwrap_or_default();
        if line.starts_with("mod ") && line.contains('{') {
            return &src[..at];
        }
        from = at + 1;
    }
    src
}

/// The files under `dir`, in its subfolders too (a module's submodules).
fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("the folder is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// `domain` is pure: no clock, no environment, no files (the clock is read once in
/// `yishi_core::clock` and passed in). Its `#[cfg(test)]` modules may do what they like.
#[test]
fn domain_reads_no_clock_environment_or_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain");
    let forbidden = [
        "std::env",
        "std::fs",
        "std::process",
        "Local::now",
        "Utc::now",
        "SystemTime",
        "Instant::now",
    ];
    let mut problems = Vec::new();
    let mut seen = 0;
    for path in files_under(&dir) {
        let src = std::fs::read_to_string(&path).expect("a domain file is readable");
        seen += 1;
        for (n, line) in without_test_module(&src).lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for f in forbidden.iter().filter(|f| code.contains(*f)) {
                problems.push(format!("{}:{}: {f}", path.display(), n + 1));
            }
        }
    }
    assert!(seen > 5, "found only {seen} files in src/domain");
    assert!(
        problems.is_empty(),
        "domain does I/O:\n{}",
        problems.join("\n")
    );
}

/// render and import see only domain values: neither names the store (nor SQL), so a view or
/// an importer never depends on how a row is kept. The store re-exports the domain types it
/// reads, which is why this is checked here and not by the compiler.
#[test]
fn render_and_import_name_no_store_type() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut problems = Vec::new();
    let mut seen = 0;
    for dir in ["render", "import"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("the folder is readable") {
            let path = entry.expect("a directory entry").path();
            let src = std::fs::read_to_string(&path).expect("a source file is readable");
            seen += 1;
            for (n, line) in without_test_module(&src).lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                for f in ["store::", "rusqlite"].iter().filter(|f| code.contains(*f)) {
                    problems.push(format!("{}:{}: {f}", path.display(), n + 1));
                }
            }
        }
    }
    assert!(
        seen > 10,
        "found only {seen} files in src/render and src/import"
    );
    assert!(
        problems.is_empty(),
        "render or import names the store:\n{}",
        problems.join("\n")
    );
}
