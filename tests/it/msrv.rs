//! Cargo.toml's `rust-version` is the real minimum: no dependency (rusqlite 0.43 needs 1.89)
//! asks for a newer Rust than the one README.md and Cargo.toml name. (Building with that exact
//! toolchain needs it installed; rustup cannot download one offline, so CI checks the
//! declarations instead.)
//!
//! `cargo metadata` is asked for this machine's platform only (`--filter-platform`, read from
//! `rustc -vV`): without it, cargo wants every crate in Cargo.lock, Windows' and Android's
//! included, which a cache filled by an ordinary Linux build does not hold, and `--offline`
//! then fails on a clean machine.

use crate::common;

use std::path::Path;

/// "1.89" and "1.89.0" are the same version.
fn version(v: &str) -> [u32; 3] {
    let mut parts = v.split('.').map(|p| p.parse().unwrap_or(0));
    [0; 3].map(|_| parts.next().unwrap_or(0))
}

/// The platform rustc builds for here, e.g. `x86_64-unknown-linux-gnu`.
fn host_platform() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let out = common::isolated(rustc, Path::new(env!("CARGO_MANIFEST_DIR")))
        .arg("-vV")
        .output()
        .expect("run rustc -vV");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .unwrap_or_else(|| panic!("rustc -vV names no host:\n{text}"))
        .trim()
        .to_string()
}

/// Checks the workspace at `root`: the newest `rust-version` among its packages and their
/// dependencies (for this platform) is at most the one `package` declares. Returns the declared
/// version, or what is wrong.
fn check_rust_version(root: &Path, package: &str, locked: bool) -> Result<String, String> {
    let mut cargo = common::isolated(env!("CARGO"), root);
    for var in [
        "HOME",
        "CARGO_HOME",
        "RUSTUP_HOME",
        "RUSTUP_TOOLCHAIN",
        "RUSTC",
    ] {
        if let Some(v) = std::env::var_os(var) {
            cargo.env(var, v);
        }
    }
    let host = host_platform();
    cargo.args([
        "metadata",
        "--format-version",
        "1",
        "--offline",
        "--filter-platform",
        &host,
    ]);
    if locked {
        cargo.arg("--locked");
    }
    let out = cargo.output().expect("run cargo metadata");
    if !out.status.success() {
        return Err(format!(
            "cargo metadata failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    let ours = packages
        .iter()
        .find(|p| p["name"] == package)
        .and_then(|p| p["rust_version"].as_str())
        .ok_or_else(|| format!("{package}'s Cargo.toml has no rust-version"))?;
    let newest = packages
        .iter()
        .filter_map(|p| Some((p["rust_version"].as_str()?, p["name"].as_str()?)))
        .max_by_key(|(v, _)| version(v))
        .unwrap();
    if version(newest.0) > version(ours) {
        return Err(format!(
            "{} needs Rust {}, but Cargo.toml says {ours}",
            newest.1, newest.0
        ));
    }
    Ok(ours.to_string())
}

#[test]
fn rust_version_covers_every_dependency() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ours = check_rust_version(root, "yishi", true).unwrap_or_else(|e| panic!("{e}"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let short = ours.trim_end_matches(".0");
    assert!(
        readme.contains(&format!("Rust {short} or newer")),
        "README.md must state Rust {short}"
    );
}

/// The check can fail: a workspace whose dependency asks for a newer Rust than the package
/// declares is reported, with the dependency named. (Path dependencies only: no network, no
/// cache needed.)
#[test]
fn rust_version_check_catches_a_dependency_needing_newer_rust() {
    let dir = tempfile::tempdir().unwrap();
    let write = |path: &str, text: &str| {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "Cargo.toml",
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.89\"\n\n\
         [dependencies]\nnewer = { path = \"newer\" }\n\n[workspace]\n",
    );
    write("src/lib.rs", "");
    write(
        "newer/Cargo.toml",
        "[package]\nname = \"newer\"\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.99\"\n",
    );
    write("newer/src/lib.rs", "");
    let err = check_rust_version(dir.path(), "app", false).unwrap_err();
    assert_eq!(err, "newer needs Rust 1.99, but Cargo.toml says 1.89");

    // The same workspace with the dependency at the declared version passes.
    write(
        "newer/Cargo.toml",
        "[package]\nname = \"newer\"\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"1.89\"\n",
    );
    assert_eq!(
        check_rust_version(dir.path(), "app", false).as_deref(),
        Ok("1.89")
    );
}
