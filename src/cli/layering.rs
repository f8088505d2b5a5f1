//! The layering rule, checked: a command handler in `src/cli/` calls one operation in `ops`
//! and renders its outcome; it does not call the store itself (issue 11). Naming the store's
//! types (a row type in a view, `&Store` handed to an op) is fine; calling into it is not.
//!
//! How the check works: each `src/cli/*.rs` file (without comments and its `#[cfg(test)]`
//! tail) is cut into identifiers and punctuation, and three things are reported with their
//! line:
//! 1. a call through a path into the store: `crate::store::ledger::load(…)`, or through a name
//!    a `use` brought in from the store (`use crate::store::audit::{self}` then `audit::x(…)`,
//!    or `use crate::store::dupes::last_issue_id` then `last_issue_id(…)` or passing it on);
//!    a path whose last segment is a type (`Rate::new`) is a constructor, not a store call;
//! 2. the store handle's own methods: `store.read(…)`, `ctx.store()?.write(…)`, `.trial`,
//!    `.write_erasing`, bulk-load switches, and `.conn()` anywhere;
//! 3. `Store::open` / `Store::create` outside `cli/mod.rs`.
//!
//! [`ALLOWED`] names the files that still do this and why; an entry whose file no longer
//! does is itself a failure, so the list only shrinks.

use std::path::Path;

/// Files allowed to call the store, and why. Remove an entry when its file is moved to `ops`.
const ALLOWED: &[(&str, &str)] = &[("mod.rs", "Ctx opens the store on first use (Store::open)")];

/// The store handle's methods that reach the database.
const HANDLE_METHODS: &[&str] = &[
    "read",
    "write",
    "write_erasing",
    "trial",
    "conn",
    "prepare_bulk_load",
    "enter_bulk_journal",
    "leave_bulk_journal",
    "rebuild_text_index",
];

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Path, // ::
    Punct(char),
}

/// Identifiers, `::` and single punctuation characters, each with its line; string and char
/// literals are skipped, so text in messages never counts.
fn tokens(src: &str) -> Vec<(Tok, usize)> {
    let mut out = Vec::new();
    let chars: Vec<char> = src.chars().collect();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if chars.get(i) == Some(&'\n') {
                    line += 1;
                }
                i += 1;
            }
            i += 1;
        } else if c == '\'' && chars.get(i + 2) == Some(&'\'') {
            i += 3; // 'x'
        } else if c == '\'' && chars.get(i + 1) == Some(&'\\') {
            while i < chars.len() && !(chars[i] == '\'' && i > 0 && chars[i - 1] != '\\') {
                i += 1;
            }
            i += 1;
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Tok::Ident(chars[start..i].iter().collect()), line));
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push((Tok::Path, line));
            i += 2;
        } else {
            if !c.is_whitespace() {
                out.push((Tok::Punct(c), line));
            }
            i += 1;
        }
    }
    out
}

fn ident(t: Option<&(Tok, usize)>) -> Option<&str> {
    match t {
        Some((Tok::Ident(s), _)) => Some(s),
        _ => None,
    }
}

fn is_fn_name(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase() || c == '_') && s != "self"
}

/// The names a `use` brings in from the store (modules or functions), from the tokens between
/// `use` and `;`: `crate::store::audit::{self, Anchor}` gives `audit`; `crate::store::{Store,
/// ledger}` gives `ledger`; `crate::store::dupes::last_issue_id as last` gives `last`.
fn store_names(use_toks: &[Tok]) -> Vec<String> {
    fn walk(toks: &[Tok], prefix: &mut Vec<String>, out: &mut Vec<String>) -> usize {
        // Parses one tree: a path, then `{ tree, tree }`, `as name`, or the end.
        let mut i = 0;
        let depth = prefix.len();
        while i < toks.len() {
            match &toks[i] {
                Tok::Ident(s) if s == "as" => {
                    if let Some(Tok::Ident(alias)) = toks.get(i + 1) {
                        prefix.pop();
                        prefix.push(alias.clone());
                    }
                    i += 2;
                }
                Tok::Ident(s) => {
                    prefix.push(s.clone());
                    i += 1;
                }
                Tok::Path => i += 1,
                Tok::Punct('{') => {
                    i += 1;
                    loop {
                        let mut inner = prefix.clone();
                        i += walk(&toks[i..], &mut inner, out);
                        match toks.get(i) {
                            Some(Tok::Punct(',')) => i += 1,
                            Some(Tok::Punct('}')) => {
                                i += 1;
                                break;
                            }
                            _ => break,
                        }
                    }
                    prefix.truncate(depth);
                    return i;
                }
                Tok::Punct(',') | Tok::Punct('}') => break,
                Tok::Punct(_) => i += 1,
            }
        }
        let from_store = prefix.iter().position(|s| s == "store");
        if let (Some(at), Some(last)) = (from_store, prefix.last())
            && prefix.len() > at + 1
        {
            let name = if last == "self" {
                prefix.get(prefix.len().wrapping_sub(2)).cloned()
            } else {
                Some(last.clone())
            };
            if let Some(name) = name.filter(|n| is_fn_name(n) && n != "store") {
                out.push(name);
            }
        }
        prefix.truncate(depth);
        i
    }
    let mut out = Vec::new();
    walk(use_toks, &mut Vec::new(), &mut out);
    out
}

/// The file up to its `#[cfg(test)] mod … {` (a `#[cfg(test)] mod x;` line stays).
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

/// Where `src` (one cli file) calls the store, as "line N: what".
fn store_calls(src: &str, allow_open: bool) -> Vec<String> {
    let src = without_test_module(src);
    let toks = tokens(src);
    let mut names = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if ident(toks.get(i)) == Some("use") {
            let end = toks[i..]
                .iter()
                .position(|(t, _)| *t == Tok::Punct(';'))
                .map_or(toks.len(), |p| i + p);
            let inner: Vec<Tok> = toks[i + 1..end].iter().map(|(t, _)| t.clone()).collect();
            names.extend(store_names(&inner));
            i = end;
        }
        i += 1;
    }
    let mut found = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        if ident(toks.get(i)) == Some("use") {
            i += toks[i..]
                .iter()
                .position(|(t, _)| *t == Tok::Punct(';'))
                .unwrap_or(toks.len() - i);
            continue;
        }
        let Some(first) = ident(toks.get(i)) else {
            i += 1;
            continue;
        };
        let line = toks[i].1;
        // A path: ident (:: ident)*.
        let mut segs = vec![first.to_string()];
        let mut j = i + 1;
        while toks.get(j).map(|t| &t.0) == Some(&Tok::Path)
            && let Some(s) = ident(toks.get(j + 1))
        {
            segs.push(s.to_string());
            j += 2;
        }
        let last = segs.last().map(String::as_str).unwrap_or_default();
        let called = toks.get(j).map(|t| &t.0) == Some(&Tok::Punct('('));
        let previous = if i > 0 {
            toks.get(i - 1).map(|t| &t.0)
        } else {
            None
        };
        let after_dot = previous == Some(&Tok::Punct('.'));
        // A type in the path (`report::Rate::new`) makes it a constructor, not a store call.
        let all_fns = segs
            .iter()
            .all(|s| is_fn_name(s) || s == "crate" || s == "super");
        let through_store = segs.iter().any(|s| s == "store") && last != "store";
        let through_name = !after_dot && names.iter().any(|n| *n == segs[0]);
        // A function from the store passed on: `.read(last_issue_id)`.
        let passed = matches!(previous, Some(Tok::Punct('(')) | Some(Tok::Punct(',')))
            && matches!(
                toks.get(j).map(|t| &t.0),
                Some(Tok::Punct(')')) | Some(Tok::Punct(','))
            );
        if (through_store || through_name) && all_fns && (called || passed) {
            found.push(format!("line {line}: {}", segs.join("::")));
        } else if segs.len() == 2 && segs[0] == "Store" && !allow_open {
            found.push(format!("line {line}: Store::{}", segs[1]));
        }
        // The handle's methods: store.read(…), ctx.store()?.write(…), x.conn().
        if segs.len() == 1 && after_dot && called && HANDLE_METHODS.contains(&first) {
            let receiver = |k: usize| toks.get(i.wrapping_sub(k)).map(|t| t.0.clone());
            let on_store = receiver(2) == Some(Tok::Ident("store".into()))
                || (receiver(2) == Some(Tok::Punct('?'))
                    && receiver(3) == Some(Tok::Punct(')'))
                    && receiver(4) == Some(Tok::Punct('('))
                    && receiver(5) == Some(Tok::Ident("store".into())));
            if on_store || first == "conn" {
                found.push(format!("line {line}: .{first}(…) on the store"));
            }
        }
        i = j.max(i + 1);
    }
    found
}

#[test]
fn cli_files_call_ops_not_the_store() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cli");
    let mut problems = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("src/cli is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    assert!(
        files.len() > 10,
        "found only {} files in src/cli",
        files.len()
    );
    for path in &files {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let src = std::fs::read_to_string(path).expect("a cli file is readable");
        let calls = store_calls(&src, name == "mod.rs");
        let allowed = ALLOWED.iter().any(|(f, _)| *f == name);
        if !calls.is_empty() && !allowed {
            problems.push(format!(
                "src/cli/{name} calls the store; call an op in src/ops instead:\n  {}",
                calls.join("\n  ")
            ));
        }
    }
    for (file, why) in ALLOWED {
        let src = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
        if store_calls(&src, false).is_empty() {
            problems.push(format!(
                "src/cli/{file} no longer calls the store: remove it from ALLOWED (\"{why}\")"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The check itself can fail: each kind of store call is caught, and what is fine is not.
#[test]
fn the_check_sees_each_kind_of_store_call() {
    let caught = |src: &str| !store_calls(src, false).is_empty();
    assert!(caught("let l = crate::store::ledger::load(conn, 2026)?;"));
    assert!(caught(
        "use crate::store::audit::{self, Anchor};\nfn f() { audit::verify(c); }"
    ));
    assert!(caught(
        "use crate::store::{Store, ledger};\nfn f() { ledger::load(c, 1); }"
    ));
    assert!(caught(
        "use crate::store::dupes::last_issue_id;\nfn f() { ctx.store()?.read(last_issue_id)?; }"
    ));
    assert!(caught("fn f() { let x = ctx.store()?.read(|c| Ok(1))?; }"));
    assert!(caught(
        "fn f() { s.read(crate::store::dupes::last_issue_id)?; }"
    ));
    assert!(caught(
        "fn f(store: &Store) { store.write(&a, |w| Ok(())); }"
    ));
    assert!(caught("fn f() { let conn = ctx.conn()?; }"));
    assert!(caught("fn f() { let s = Store::open(p)?; }"));
    let fine = |src: &str| store_calls(src, false).is_empty();
    assert!(fine(
        "use crate::store::issues::{Issue, NewIssue};\nfn f() { ops::issues::add(ctx.store()?, &a, &i)?; }"
    ));
    assert!(fine(
        "fn f() { let r = crate::store::report::Rate::new(1, 2); }"
    ));
    assert!(fine(
        "fn f(s: &crate::store::Store) { w.write(row, \"store.read(\"); }"
    ));
    assert!(fine("// crate::store::ledger::load(conn)\nfn f() {}"));
    assert!(fine(
        "fn f() {}\n#[cfg(test)]\nmod tests {\n fn g() { store.read(|c| Ok(1)); }\n}"
    ));
    assert!(caught(
        "#[cfg(test)]\nmod layering;\nfn f() { store.read(|c| Ok(1)); }"
    ));
}

/// `domain` is pure: no clock, no environment, no files (the clock is read once in
/// `crate::clock` and passed in). Its `#[cfg(test)]` modules may do what they like.
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
    for entry in std::fs::read_dir(&dir).expect("src/domain is readable") {
        let path = entry.expect("a directory entry").path();
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
