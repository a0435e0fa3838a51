//! `sealant completions SHELL` and `sealant man`: generated from the clap definitions, so the
//! help, the completions and the man page never disagree.

use crate::args::CompletionsArgs;
use crate::exit::ExitStatus;
use crate::printer::{self, Stream};

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<ExitStatus> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut crate::command(), "sealant", &mut out);
    printer::write(Stream::Stdout, &String::from_utf8_lossy(&out));
    Ok(ExitStatus::Clean)
}

pub fn man() -> anyhow::Result<ExitStatus> {
    let mut out = Vec::new();
    clap_mangen::Man::new(crate::command()).render(&mut out)?;
    printer::write(Stream::Stdout, &String::from_utf8_lossy(&out));
    Ok(ExitStatus::Clean)
}
