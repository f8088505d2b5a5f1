//! `yishi resident forget`: a resident's right to be forgotten.

use super::Ctx;
use yishi_core::domain::text;
use yishi_core::error::{Error, Result};

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Remove a resident's name and contact details from issues, feedback and invitations.
    #[command(after_help = "Example:\n  yishi resident forget 陈阿姨 --yes")]
    Forget {
        /// The name exactly as recorded (see `--show-contacts`).
        name: String,
        /// Confirm: this cannot be undone.
        #[arg(long)]
        yes: bool,
    },
}

pub fn run(cmd: Command, ctx: &mut Ctx) -> Result<()> {
    match cmd {
        Command::Forget { name, yes } => {
            let name = text::name("name", &name)?;
            if !yes {
                return Err(Error::usage_text(yishi_core::text!(
                    "resident.forget_needs_yes",
                    name = &name
                )));
            }
            let actor = ctx.actor("resident forget");
            let (f, emptied) =
                yishi_core::ops::records::forget_resident(ctx.store()?, &actor, &name)?;
            ctx.out.note(&format!(
                "{} record(s) and {} log entries now name \"{}\"; contact details removed",
                f.rows, f.events, f.pseudonym
            ));
            warn_leftovers(ctx, &f.pseudonym, f.unerasable_events, emptied);
            Ok(())
        }
    }
}

/// Say what forgetting could not reach.
pub(super) fn warn_leftovers(
    ctx: &Ctx,
    pseudonym: &str,
    unerasable_events: usize,
    scrub: yishi_core::domain::audit::Scrub,
) {
    use yishi_core::domain::audit::Scrub;
    if unerasable_events > 0 {
        ctx.out.warn(&format!(
            "{unerasable_events} log entries written by an older yishi still name the person: they cannot be changed without breaking the audit chain"
        ));
    }
    match scrub {
        Scrub::Clean => {}
        Scrub::Busy => ctx.out.warn(
            "another program is using the database, so the old text may remain in unused space of the file or its write-ahead log: close the other program and run `yishi verify` then this forget again (it finds nothing more to change and cleans up)",
        ),
        Scrub::Failed(cause) => ctx.out.warn_text(&yishi_core::text!(
            "forget.committed_not_rebuilt",
            pseudonym = pseudonym,
            cause = cause
        )),
    }
}
