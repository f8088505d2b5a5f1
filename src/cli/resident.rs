//! `yishi resident forget`: a resident's right to be forgotten.

use super::Ctx;
use crate::domain::text;
use crate::error::{Error, Result};

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
                return Err(Error::usage(format!(
                    "forgetting {name} removes their name and contact details for good: run again with --yes"
                )));
            }
            let actor = ctx.actor("resident forget");
            let (pseudonym, rows) =
                crate::ops::records::forget_resident(ctx.store()?, &actor, &name)?;
            ctx.out.note(&format!(
                "{rows} record(s) now name \"{pseudonym}\"; contact details removed"
            ));
            Ok(())
        }
    }
}
