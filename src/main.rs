use std::process::ExitCode;

// Rows are allocated on the import's reader thread and freed on its writer thread; mimalloc
// handles that pattern much better than the system allocator (measured on 1M-row imports).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ExitCode::from(yishi::cli::run(std::env::args_os()))
}
