//! `--json` is a global option, so every command accepts it on the command line; this is the
//! one place that says which commands print JSON with it. Any other command refuses it (exit 2)
//! before doing anything, rather than ignoring it. The matches are exhaustive on purpose: a new
//! command does not compile until it is placed here.

use super::{Command, action, council, feedback, issue, member, minutes, notice, resident, vote};
use yishi_core::error::{Error, Result};

const WRITES: &str = "this command changes records and prints no data: leave out --json, and read the result with a `list` or `show` command and --json";
const TEXT: &str = "a notice is a document: use --format json for its data";
const NO_DATA: &str = "this command prints no data: leave out --json";

pub(super) fn check(cmd: &Command) -> Result<()> {
    match why_not(cmd) {
        None => Ok(()),
        Some(why) => Err(Error::usage(format!("--json is not supported here: {why}"))),
    }
}

/// None when the command prints JSON with --json; otherwise why it does not.
fn why_not(cmd: &Command) -> Option<&'static str> {
    let json = None;
    match cmd {
        Command::Report(_)
        | Command::Status(_)
        | Command::Remind(_)
        | Command::Seats(_)
        | Command::Log(_)
        | Command::Verify(_)
        | Command::Export(_)
        | Command::Rollup(_) => json,
        Command::Init(_) | Command::Backup(_) | Command::Restore(_) => Some(WRITES),
        Command::Demo(_) | Command::Completions(_) => Some(NO_DATA),
        Command::Calendar(_) => {
            Some("a calendar is a document: leave out --json (the .ics file is for calendar apps)")
        }
        Command::Ledger(_) => Some("the ledger is an Excel workbook: leave out --json"),
        Command::Member(c) => match c {
            member::Command::Add(_) | member::Command::List(_) | member::Command::Show(_) => json,
            member::Command::Edit(_)
            | member::Command::Retire(_)
            | member::Command::Forget(_)
            | member::Command::Import(_) => Some(WRITES),
        },
        Command::Issue(c) => match c {
            issue::Command::Add(_)
            | issue::Command::List(_)
            | issue::Command::Show(_)
            | issue::Command::Import(_)
            | issue::Command::Dupes(_) => json,
            issue::Command::Accept(_)
            | issue::Command::Reject(_)
            | issue::Command::Merge(_)
            | issue::Command::Reply(_)
            | issue::Command::Consult(_)
            | issue::Command::Edit(_)
            | issue::Command::Escalate(_)
            | issue::Command::Reindex => Some(WRITES),
            issue::Command::Stakeholder(s) => match s {
                issue::StakeholderCommand::Add { .. }
                | issue::StakeholderCommand::Remove { .. } => Some(WRITES),
            },
        },
        Command::Council(c) => match c {
            council::Command::Convene(_)
            | council::Command::List(_)
            | council::Command::Show(_) => json,
            council::Command::Notice(_) => Some(TEXT),
            council::Command::Signin(_) => {
                Some("a sign-in sheet is a document to print: leave out --json")
            }
            council::Command::Invite(_)
            | council::Command::Attend(_)
            | council::Command::Absent(_)
            | council::Command::Open(_)
            | council::Command::Speak(_)
            | council::Command::Close(_)
            | council::Command::Reopen(_)
            | council::Command::Reschedule(_)
            | council::Command::Decide(_)
            | council::Command::Leave(_)
            | council::Command::Speech(_) => Some(WRITES),
        },
        Command::Vote(c) => match c {
            vote::Command::Show(_) => json,
            vote::Command::Open(_)
            | vote::Command::Amend(_)
            | vote::Command::Cast(_)
            | vote::Command::Recuse(_)
            | vote::Command::Close(_)
            | vote::Command::Correct(_) => Some(WRITES),
        },
        Command::Minutes(minutes::Command::Export(_)) => {
            Some("`minutes export` writes a document: use --format json for the minutes as JSON")
        }
        Command::Action(c) => match c {
            action::Command::List(_) => json,
            action::Command::Update(_)
            | action::Command::Done(_)
            | action::Command::Add(_)
            | action::Command::Edit(_) => Some(WRITES),
        },
        Command::Notice(notice::Command::Decision(_) | notice::Command::Result(_)) => Some(TEXT),
        Command::Feedback(feedback::Command::Add(_) | feedback::Command::Import(_)) => Some(WRITES),
        Command::Resident(resident::Command::Forget { .. }) => Some(WRITES),
    }
}
