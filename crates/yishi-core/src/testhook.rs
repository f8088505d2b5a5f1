//! Pause points that let an end-to-end test act at an exact moment of a command (issue 27: a
//! write attempted while a restore runs), instead of racing it with sleeps.
//!
//! With `YISHI_TEST_PAUSE_DIR=DIR` set, [`pause`] creates `DIR/<point>.reached` and waits until
//! `DIR/<point>.go` exists (at most two minutes). Without it, it does nothing.

use std::path::Path;
use std::time::{Duration, Instant};

pub fn pause(point: &str) {
    let Some(dir) = std::env::var_os("YISHI_TEST_PAUSE_DIR").filter(|d| !d.is_empty()) else {
        return;
    };
    let dir = Path::new(&dir);
    let _ = std::fs::write(dir.join(format!("{point}.reached")), b"");
    let go = dir.join(format!("{point}.go"));
    let started = Instant::now();
    while !go.exists() && started.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Whether a test asks this point to fail (`YISHI_TEST_FAIL=point`): to show what a command
/// says when, say, the disk fills up at that exact moment.
pub fn fails(point: &str) -> bool {
    std::env::var("YISHI_TEST_FAIL").is_ok_and(|v| v.split(',').any(|p| p == point))
}
