//! Cargo.toml's `rust-version` is the real minimum: no dependency (rusqlite 0.43 needs 1.89)
//! asks for a newer Rust than the one README.md and Cargo.toml name. (Building with that exact
//! toolchain needs it installed; rustup cannot download one offline, so CI checks the
//! declarations instead.)

mod common;

/// "1.89" and "1.89.0" are the same version.
fn version(v: &str) -> [u32; 3] {
    let mut parts = v.split('.').map(|p| p.parse().unwrap_or(0));
    [0; 3].map(|_| parts.next().unwrap_or(0))
}

#[test]
fn rust_version_covers_every_dependency() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut cargo = common::isolated(env!("CARGO"), root);
    for var in ["HOME", "CARGO_HOME", "RUSTUP_HOME", "RUSTUP_TOOLCHAIN"] {
        if let Some(v) = std::env::var_os(var) {
            cargo.env(var, v);
        }
    }
    let out = cargo
        .args(["metadata", "--format-version", "1", "--offline", "--locked"])
        .output()
        .expect("run cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let packages = meta["packages"].as_array().unwrap();
    let ours = packages
        .iter()
        .find(|p| p["name"] == "yishi")
        .and_then(|p| p["rust_version"].as_str())
        .expect("Cargo.toml has a rust-version");
    let newest = packages
        .iter()
        .filter_map(|p| Some((p["rust_version"].as_str()?, p["name"].as_str()?)))
        .max_by_key(|(v, _)| version(v))
        .unwrap();
    assert!(
        version(newest.0) <= version(ours),
        "{} needs Rust {}, but Cargo.toml says {ours}",
        newest.1,
        newest.0
    );
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let short = ours.trim_end_matches(".0");
    assert!(
        readme.contains(&format!("Rust {short} or newer")),
        "README.md must state Rust {short}"
    );
}
