//! The `zhengce` binary: parse the command line, run, map to an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    match zhengce::internals::cli::zh::parse(std::env::args_os()) {
        Ok(cli) => zhengce::internals::cli::run(cli).into(),
        Err(exit) => exit.into(),
    }
}
