use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(yishi::cli::run(std::env::args_os()))
}
