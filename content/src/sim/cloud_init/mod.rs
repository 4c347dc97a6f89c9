//! cloud-init 22.4 (Debian 12): `#cloud-config` user-data read as cloud-init reads it
//! (`yaml`, PyYAML's SafeLoader), Python's `repr()` of its values (`pyrepr`), and
//! `cloud-init schema` (`schema`).

pub mod boot;
pub mod command;
pub mod modules;
pub mod nocloud;
pub mod pyrepr;
pub mod schema;
pub mod scripts;
pub mod stages;
pub mod state;
pub mod status;
pub mod trace;
pub mod users;
pub mod yaml;

use crate::sim::shell::commands::CommandInfo;

/// The `cloud-init` command (its subcommands are dispatched in [`command::cloud_init`]).
pub static COMMANDS: &[CommandInfo] = &[CommandInfo {
    name: "cloud-init",
    run: command::cloud_init,
    summary: "cloud-init 22.4.2: validate user-data (schema --config-file FILE), instance state",
    usage: command::HELP,
}];
