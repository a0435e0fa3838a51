//! One module per subcommand; each takes its parsed arguments and returns an
//! [`ExitStatus`](crate::exit::ExitStatus). Output goes through `report` and `printer`.

pub mod docs;
pub mod doctor;
pub mod explain;
pub mod filter;
pub mod history;
pub mod hook;
pub mod ignore;
pub mod install;
pub mod pre_commit;
pub mod pre_push;
pub mod rules;
pub mod scan;
pub mod strip;
pub mod uninstall;
