//! `--json` is a global option, so every command accepts it on the command line; this is the
//! one place that says which commands print JSON with it. Any other command refuses it (exit 2)
//! before doing anything, rather than ignoring it. The matches are exhaustive on purpose: a new
//! command does not compile until it is placed here.

use super::{Command, action, council, feedback, issue, member, minutes, notice, resident, vote};
use yishi_core::error::{Error, Result};
use yishi_core::i18n::Text;
use yishi_core::text;

/// Why a command does not print JSON, worded by the catalogue when the refusal is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NoJson {
    /// It changes records and prints no data.
    Writes,
    /// It prints no data.
    NoData,
    /// A notice is a document (its data: --format json).
    Notice,
    Calendar,
    Ledger,
    SignIn,
    Minutes,
}

impl NoJson {
    fn text(self) -> Text {
        match self {
            NoJson::Writes => text!("json.writes"),
            NoJson::NoData => text!("json.no_data"),
            NoJson::Notice => text!("json.notice"),
            NoJson::Calendar => text!("json.calendar"),
            NoJson::Ledger => text!("json.ledger"),
            NoJson::SignIn => text!("json.signin"),
            NoJson::Minutes => text!("json.minutes"),
        }
    }
}

pub(super) fn check(cmd: &Command) -> Result<()> {
    match why_not(cmd) {
        None => Ok(()),
        Some(why) => Err(Error::usage_text(
            text!("json.not_here").text("why", &why.text()),
        )),
    }
}

/// None when the command prints JSON with --json; otherwise why it does not.
fn why_not(cmd: &Command) -> Option<NoJson> {
    use NoJson::*;
    match cmd {
        Command::Report(_)
        | Command::Status(_)
        | Command::Remind(_)
        | Command::Seats(_)
        | Command::Log(_)
        | Command::Verify(_)
        | Command::Export(_)
        | Command::Rollup(_) => None,
        Command::Init(_) | Command::Backup(_) | Command::Restore(_) => Some(Writes),
        Command::Demo(_) | Command::Completions(_) => Some(NoData),
        Command::Calendar(_) => Some(Calendar),
        Command::Ledger(_) => Some(Ledger),
        Command::Member(c) => member_why_not(c),
        Command::Issue(c) => issue_why_not(c),
        Command::Council(c) => council_why_not(c),
        Command::Vote(c) => vote_why_not(c),
        Command::Minutes(minutes::Command::Export(_)) => Some(Minutes),
        Command::Action(c) => action_why_not(c),
        Command::Notice(notice::Command::Decision(_) | notice::Command::Result(_)) => Some(Notice),
        Command::Feedback(feedback::Command::Add(_) | feedback::Command::Import(_)) => Some(Writes),
        Command::Resident(resident::Command::Forget { .. }) => Some(Writes),
    }
}

fn member_why_not(c: &member::Command) -> Option<NoJson> {
    match c {
        member::Command::Add(_) | member::Command::List(_) | member::Command::Show(_) => None,
        member::Command::Edit(_)
        | member::Command::Retire(_)
        | member::Command::Forget(_)
        | member::Command::Import(_) => Some(NoJson::Writes),
    }
}

fn issue_why_not(c: &issue::Command) -> Option<NoJson> {
    match c {
        issue::Command::Add(_)
        | issue::Command::List(_)
        | issue::Command::Show(_)
        | issue::Command::Import(_)
        | issue::Command::Dupes(_) => None,
        issue::Command::Accept(_)
        | issue::Command::Reject(_)
        | issue::Command::Merge(_)
        | issue::Command::Reply(_)
        | issue::Command::Consult(_)
        | issue::Command::Edit(_)
        | issue::Command::Escalate(_)
        | issue::Command::Reindex => Some(NoJson::Writes),
        issue::Command::Stakeholder(s) => match s {
            issue::StakeholderCommand::Add { .. } | issue::StakeholderCommand::Remove { .. } => {
                Some(NoJson::Writes)
            }
        },
    }
}

fn council_why_not(c: &council::Command) -> Option<NoJson> {
    match c {
        council::Command::Convene(_) | council::Command::List(_) | council::Command::Show(_) => {
            None
        }
        council::Command::Notice(_) => Some(NoJson::Notice),
        council::Command::Signin(_) => Some(NoJson::SignIn),
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
        | council::Command::Speech(_) => Some(NoJson::Writes),
    }
}

fn vote_why_not(c: &vote::Command) -> Option<NoJson> {
    match c {
        vote::Command::Show(_) => None,
        vote::Command::Open(_)
        | vote::Command::Amend(_)
        | vote::Command::Cast(_)
        | vote::Command::Recuse(_)
        | vote::Command::Close(_)
        | vote::Command::Correct(_) => Some(NoJson::Writes),
    }
}

fn action_why_not(c: &action::Command) -> Option<NoJson> {
    match c {
        action::Command::List(_) => None,
        action::Command::Update(_)
        | action::Command::Done(_)
        | action::Command::Add(_)
        | action::Command::Edit(_) => Some(NoJson::Writes),
    }
}
