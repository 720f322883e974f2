//! The `zhengce` binary: parse the command line, run, map to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = zhengce::cli::Cli::parse();
    zhengce::cli::run(cli).into()
}
