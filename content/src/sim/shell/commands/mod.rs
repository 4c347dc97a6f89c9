//! The commands the simulated shell knows: bash builtins and the usual utilities, each with a
//! one-line summary (for `help`) and a usage text (for `CMD --help` and `man CMD`).

mod builtins;
mod common;
mod cp;
mod date;
mod dd;
mod fileutils;
mod findutils;
mod grep;
mod ls;
mod paths;
mod perms;
mod printf;
pub(crate) mod regex;
mod sort;
mod stat;
mod textutils;

#[cfg(test)]
mod tests_utils;

use super::Ctx;

/// A command: runs with the context and its arguments (`args[0]` is the command name) and
/// returns the exit status.
pub type CommandFn = fn(&mut Ctx<'_>, &[String]) -> i32;

/// A command of the simulated shell.
pub struct CommandInfo {
    pub name: &'static str,
    pub run: CommandFn,
    /// One line for `help`.
    pub summary: &'static str,
    /// The usage text for `--help` and `man`: a synopsis line and the options GuestLab knows.
    pub usage: &'static str,
}

/// The command tables of every module that provides commands.
const TABLES: &[&[CommandInfo]] = &[
    builtins::COMMANDS,
    cp::COMMANDS,
    date::COMMANDS,
    dd::COMMANDS,
    fileutils::COMMANDS,
    findutils::COMMANDS,
    grep::COMMANDS,
    ls::COMMANDS,
    paths::COMMANDS,
    perms::COMMANDS,
    printf::COMMANDS,
    sort::COMMANDS,
    stat::COMMANDS,
    textutils::COMMANDS,
    crate::sim::disk::qemu_img::COMMANDS,
    crate::sim::libvirt::COMMANDS,
    crate::sim::machine_id::COMMANDS,
    crate::sim::guest::COMMANDS,
    crate::sim::guest::commands::COMMANDS,
    crate::sim::cloud_init::COMMANDS,
    crate::sim::cloud_init::nocloud::COMMANDS,
    crate::sim::guest::packages::COMMANDS,
    crate::sim::hypervisor::COMMANDS,
];

/// Every command, sorted by name.
pub fn all() -> Vec<&'static CommandInfo> {
    let mut all: Vec<&'static CommandInfo> = TABLES.iter().flat_map(|t| t.iter()).collect();
    crate::order::sort_by_key(&mut all, |c| c.name);
    all
}

/// The command called `name`.
pub fn find(name: &str) -> Option<&'static CommandInfo> {
    TABLES.iter().flat_map(|t| t.iter()).find(|c| c.name == name)
}

/// Runs `argv` as a command: a known command, `--help` of one, or `command not found`.
pub fn dispatch(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    let Some(name) = argv.first() else { return 0 };
    let Some(info) = find(name) else {
        if name.contains('/') {
            return match ctx.node(name, true) {
                Ok(node) if node.is_dir() => {
                    ctx.err(&format!("bash: {name}: Is a directory\n"));
                    126
                }
                Ok(_) => {
                    ctx.err(&format!("bash: {name}: Permission denied\n"));
                    126
                }
                Err(e) => {
                    ctx.err(&format!("bash: {name}: {e}\n"));
                    127
                }
            };
        }
        ctx.err(&format!("bash: {name}: command not found\n"));
        return 127;
    };
    if argv.len() == 2
        && argv[1] == "--help"
        && !matches!(info.name, "echo" | "true" | "false" | "help" | "dbus-uuidgen")
    {
        ctx.out(info.usage);
        if !info.usage.ends_with('\n') {
            ctx.out("\n");
        }
        return 0;
    }
    (info.run)(ctx, argv)
}

/// Prints a usage error in the style of GNU tools and returns their status for it.
pub fn usage_error(ctx: &mut Ctx<'_>, tool: &str, message: &str) -> i32 {
    ctx.err(&format!("{tool}: {message}\nTry '{tool} --help' for more information.\n"));
    match tool {
        "ls" | "du" => 2,
        _ => 1,
    }
}

/// Splits GNU-style arguments into options and operands: `-abc` becomes `-a -b -c`, `--` ends
/// the options, `--name=value` stays one. Options that take a value (listed in `with_value`,
/// e.g. `["-n", "--lines"]`) take the next argument.
pub fn split_options(args: &[String], with_value: &[&str]) -> (Vec<String>, Vec<String>) {
    let mut options = Vec::new();
    let mut operands = Vec::new();
    let mut iter = args.iter();
    let mut only_operands = false;
    while let Some(arg) = iter.next() {
        if only_operands || arg == "-" || !arg.starts_with('-') {
            operands.push(arg.clone());
        } else if arg == "--" {
            only_operands = true;
        } else if arg.starts_with("--") {
            if with_value.contains(&arg.as_str()) {
                options.push(format!("{arg}={}", iter.next().cloned().unwrap_or_default()));
            } else {
                options.push(arg.clone());
            }
        } else {
            let chars: Vec<char> = arg[1..].chars().collect();
            let mut i = 0;
            while i < chars.len() {
                let opt = format!("-{}", chars[i]);
                if with_value.contains(&opt.as_str()) {
                    let rest: String = chars[i + 1..].iter().collect();
                    let value = if rest.is_empty() { iter.next().cloned().unwrap_or_default() } else { rest };
                    options.push(format!("{opt}={value}"));
                    break;
                }
                options.push(opt);
                i += 1;
            }
        }
    }
    (options, operands)
}
