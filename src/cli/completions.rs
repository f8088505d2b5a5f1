//! `yishi completions SHELL`: a completion script on stdout.

use yishi_core::error::Result;
use yishi_core::render::Output;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  yishi completions bash > ~/.local/share/bash-completion/completions/yishi"
)]
pub struct Args {
    /// bash, zsh, fish, powershell or elvish.
    shell: clap_complete::Shell,
}

pub fn run(args: Args, cmd: &mut clap::Command, out: &Output) -> Result<()> {
    let mut buf = Vec::new();
    clap_complete::generate(args.shell, cmd, "yishi", &mut buf);
    out.print(&String::from_utf8_lossy(&buf))
}
