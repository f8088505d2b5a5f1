//! `--json` is a global option, so every command accepts it on the command line; this is the
//! one list of the commands that print JSON with it. Any other command refuses it (exit 2)
//! before doing anything, rather than ignoring it. Add a command here when it learns JSON.

use super::{Command, action, council, issue, member, minutes, notice, vote};
use crate::error::{Error, Result};

pub(super) fn check(cmd: &Command) -> Result<()> {
    let why = match cmd {
        Command::Member(
            member::Command::Add(_) | member::Command::List(_) | member::Command::Show(_),
        )
        | Command::Issue(
            issue::Command::Add(_)
            | issue::Command::List(_)
            | issue::Command::Show(_)
            | issue::Command::Import(_)
            | issue::Command::Dupes(_),
        )
        | Command::Council(
            council::Command::Convene(_) | council::Command::List(_) | council::Command::Show(_),
        )
        | Command::Vote(vote::Command::Show(_))
        | Command::Action(action::Command::List(_))
        | Command::Report(_)
        | Command::Status(_)
        | Command::Remind(_)
        | Command::Seats(_)
        | Command::Log(_)
        | Command::Verify(_)
        | Command::Export(_) => return Ok(()),
        Command::Minutes(minutes::Command::Export(_)) => {
            "`minutes export` writes a document: use --format json for the minutes as JSON"
        }
        Command::Council(council::Command::Notice(_))
        | Command::Notice(notice::Command::Decision(_) | notice::Command::Result(_)) => {
            "a notice is a document: use --format json for its data"
        }
        Command::Ledger(_) => "the ledger is an Excel workbook: leave out --json",
        Command::Calendar(_) => {
            "a calendar is a document: leave out --json (the .ics file is for calendar apps)"
        }
        Command::Completions(_) | Command::Demo(_) => {
            "this command prints no data: leave out --json"
        }
        _ => {
            "this command changes records and prints no data: leave out --json, and read the result with a `list` or `show` command and --json"
        }
    };
    Err(Error::usage(format!("--json is not supported here: {why}")))
}
