//! End-to-end tests: real repositories in temp dirs, the real `sealant` binary, real
//! `git commit` running the installed hook. One test binary (ripgrep's and cargo's layout).

// Tests that cannot run on this machine say so on stderr.
#![allow(clippy::print_stderr)]

mod support;

mod allow;
mod docs;
mod explain;
mod framework;
mod gitleaks;
mod history;
mod ignores;
mod install;
mod machine;
mod notebook;
mod notebook_strip;
mod precommit;
mod push;
mod report;
mod rules;
mod scan;
mod surfaces;
