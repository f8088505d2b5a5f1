//! Who holds the database: when a command gives up waiting for the lock, its message names the
//! processes that hold locks on the database file or its shared-memory file (Linux /proc/locks).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

static DATABASE: OnceLock<PathBuf> = OnceLock::new();

/// Remember which database this process uses, for the busy message.
pub fn remember(path: &Path) {
    let _ = DATABASE.set(path.to_path_buf());
}

/// Who holds the database ("process 1234 (yishi issue import -)"), in `locale`, worded by the
/// catalogue; a general phrase when the holder cannot be found (other systems, no /proc).
pub fn described(locale: crate::domain::locale::Locale) -> String {
    let holders = DATABASE.get().map(|p| holders(p)).unwrap_or_default();
    if holders.is_empty() {
        return crate::text!("busy.another_program").render(locale);
    }
    holders
        .iter()
        .map(|(pid, cmd)| crate::text!("busy.process", pid = pid, command = cmd).render(locale))
        .collect::<Vec<_>>()
        .join(locale.pick("、", ", "))
}

#[cfg(target_os = "linux")]
fn holders(db: &Path) -> Vec<(i64, String)> {
    use std::os::unix::fs::MetadataExt;
    let mut shm = db.as_os_str().to_owned();
    shm.push("-shm");
    let inodes: Vec<u64> = [db.to_path_buf(), PathBuf::from(shm)]
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.ino())
        .collect();
    let Ok(locks) = std::fs::read_to_string("/proc/locks") else {
        return Vec::new();
    };
    let me = i64::from(std::process::id());
    let mut out: Vec<(i64, String)> = Vec::new();
    for line in locks.lines() {
        // "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 128 128"
        let fields: Vec<&str> = line.split_whitespace().collect();
        let (Some(pid), Some(dev_ino)) = (fields.get(4), fields.get(5)) else {
            continue;
        };
        let Ok(pid) = pid.parse::<i64>() else {
            continue;
        };
        let ino = dev_ino
            .rsplit(':')
            .next()
            .and_then(|i| i.parse::<u64>().ok());
        if pid <= 0 || pid == me || !ino.is_some_and(|i| inodes.contains(&i)) {
            continue;
        }
        if out.iter().any(|(p, _)| *p == pid) {
            continue;
        }
        let cmd = std::fs::read(format!("/proc/{pid}/cmdline"))
            .map(|b| {
                b.split(|c| *c == 0)
                    .filter(|a| !a.is_empty())
                    .map(|a| String::from_utf8_lossy(a).into_owned())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        let cmd: String = cmd.chars().take(80).collect();
        out.push((
            pid,
            if cmd.is_empty() {
                "unknown".into()
            } else {
                cmd
            },
        ));
    }
    out
}

#[cfg(not(target_os = "linux"))]
fn holders(_db: &Path) -> Vec<(i64, String)> {
    Vec::new()
}
