//! `--overwrite`: one flag with one meaning (replace files that exist), on every command that
//! writes files, in place of the global `--force` that also meant "accept losing events" on
//! restore (issue 25). Restore's other meaning is its own `--accept-loss` (data.rs).
//!
//! The flag is added to the command tree here, to every command with `-o FILE`, `--out-dir` or
//! `--rejects` and to backup, export and restore, so that a new command that writes a file gets
//! it by having such an argument; `given` reads it from the matches of the command that runs.

use clap::{Arg, ArgAction, ArgMatches, Command};

/// Its help: the same on every command but restore.
pub const HELP_EN: &str = "Replace files that exist (without it, an existing file is refused)";
pub const HELP_ZH: &str = "覆盖已有文件（不加则拒绝覆盖）";
const RESTORE_EN: &str = "Replace the copy an earlier restore kept (<db>.before-restore)";
const RESTORE_ZH: &str = "覆盖上次恢复时保留的旧数据库副本（<db>.before-restore）";

/// The help of `--overwrite` on `command` in Chinese (help.rs; the English is on the argument).
pub fn help_zh(command: &str) -> &'static str {
    if command == "restore" {
        RESTORE_ZH
    } else {
        HELP_ZH
    }
}

/// Whether `cmd` writes files.
fn writes_files(cmd: &Command) -> bool {
    matches!(cmd.get_name(), "backup" | "export" | "restore")
        || cmd
            .get_arguments()
            .any(|a| matches!(a.get_id().as_str(), "output" | "out_dir" | "rejects"))
}

/// `cmd` with `--overwrite` on each command that writes files.
pub fn add(mut cmd: Command) -> Command {
    if writes_files(&cmd) {
        let help = if cmd.get_name() == "restore" {
            RESTORE_EN
        } else {
            HELP_EN
        };
        cmd = cmd.arg(
            Arg::new("overwrite")
                .long("overwrite")
                .action(ArgAction::SetTrue)
                .help(help),
        );
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(&name, add);
    }
    cmd
}

/// Whether `--overwrite` was given to the command that runs (the deepest subcommand).
pub fn given(matches: &ArgMatches) -> bool {
    let mut m = matches;
    while let Some((_, sub)) = m.subcommand() {
        m = sub;
    }
    matches!(m.try_get_one::<bool>("overwrite"), Ok(Some(true)))
}
