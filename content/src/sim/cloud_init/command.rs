//! The `cloud-init` command of the simulated shell (host and guests): the top-level options
//! and subcommands as cloud-init 22.4.2's argparse parser reads them, and `cloud-init schema`.
//!
//! To add a subcommand, give its name an arm in [`cloud_init`] that calls a function taking
//! `(ctx, args)` (`args`: the words after the subcommand) and returning the exit status.

use crate::sim::shell::Ctx;

use super::schema;

/// `prog` as argparse prints it: the script's path as the kernel ran it.
const PROG: &str = "/usr/bin/cloud-init";

const VERSION: &str = "22.4.2";

const SUBCOMMANDS: &[&str] = &[
    "init",
    "modules",
    "single",
    "query",
    "dhclient-hook",
    "features",
    "analyze",
    "devel",
    "collect-logs",
    "clean",
    "status",
    "schema",
];

macro_rules! usage_text {
    () => {
        "usage: /usr/bin/cloud-init [-h] [--version] [--file FILES] [--debug] [--force]
                           {init,modules,single,query,dhclient-hook,features,analyze,devel,collect-logs,clean,status,schema}
                           ...
"
    };
}

/// `cloud-init`'s usage lines (argparse errors print them).
pub const USAGE: &str = usage_text!();

/// `cloud-init --help` (also what `man cloud-init` shows).
pub const HELP: &str = concat!(
    usage_text!(),
    "
options:
  -h, --help            show this help message and exit
  --version, -v         Show program's version number and exit.
  --file FILES, -f FILES
                        Use additional yaml configuration files.
  --debug, -d           Show additional pre-action logging (default: False).
  --force               Force running even if no datasource is found (use at
                        your own risk).

Subcommands:
  {init,modules,single,query,dhclient-hook,features,analyze,devel,collect-logs,clean,status,schema}
    init                Initialize cloud-init and perform initial modules.
    modules             Activate modules using a given configuration key.
    single              Run a single module.
    query               Query standardized instance metadata from the command
                        line.
    dhclient-hook       Run the dhclient hook to record network info.
    features            List defined features.
    analyze             Devel tool: Analyze cloud-init logs and data.
    devel               Run development tools.
    collect-logs        Collect and tar all cloud-init debug info.
    clean               Remove logs and artifacts so cloud-init can re-run.
    status              Report cloud-init status or wait on completion.
    schema              Validate cloud-config files using jsonschema.
"
);

const SCHEMA_USAGE: &str = "usage: /usr/bin/cloud-init schema [-h] [-c CONFIG_FILE] [--system]
                                  [-d DOCS [DOCS ...]] [--annotate]
";

const SCHEMA_HELP: &str = "
options:
  -h, --help            show this help message and exit
  -c CONFIG_FILE, --config-file CONFIG_FILE
                        Path of the cloud-config yaml file to validate
  --system              Validate the system cloud-config userdata
  -d DOCS [DOCS ...], --docs DOCS [DOCS ...]
                        Print schema module docs. Choices: all or space-
                        delimited cc_names.
  --annotate            Annotate existing cloud-config file with errors
";

/// argparse's error exit: the usage, `PROG: error: MESSAGE`, status 2.
fn argparse_error(ctx: &mut Ctx<'_>, usage: &str, prog: &str, message: &str) -> i32 {
    ctx.err(usage);
    ctx.err(&format!("{prog}: error: {message}\n"));
    2
}

/// `cloud-init [options] SUBCOMMAND [args]`.
pub fn cloud_init(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    let args = &argv[1..];
    let mut i = 0;
    // Top-level options come before the subcommand.
    while i < args.len() {
        let arg = args[i].as_str();
        match arg {
            "-h" | "--help" => {
                ctx.out(HELP);
                return 0;
            }
            "-v" | "--version" => {
                ctx.out(&format!("{PROG} {VERSION}\n"));
                return 0;
            }
            "-d" | "--debug" | "--force" => i += 1,
            "-f" | "--file" => {
                if i + 1 >= args.len() || args[i + 1].starts_with('-') {
                    return argparse_error(ctx, USAGE, PROG, "argument --file/-f: expected one argument");
                }
                i += 2;
            }
            _ if arg.starts_with("--file=") || (arg.starts_with("-f") && arg.len() > 2) => i += 1,
            _ if arg.starts_with('-') => {
                // argparse collects unknown options and complains after the subcommand is missing.
                break;
            }
            _ => break,
        }
    }
    let Some(sub) = args.get(i) else {
        return argparse_error(ctx, USAGE, PROG, "the following arguments are required: subcommand");
    };
    if sub.starts_with('-') {
        return argparse_error(ctx, USAGE, PROG, "the following arguments are required: subcommand");
    }
    let rest = &args[i + 1..];
    match sub.as_str() {
        "schema" => schema_command(ctx, rest),
        // Boot stages and instance state: the NoCloud/boot simulation answers these.
        "status" => super::status::status(ctx, rest),
        "clean" => super::status::clean(ctx, rest),
        "query" => super::status::query(ctx, rest),
        "init" | "modules" | "single" => not_modelled(ctx, sub),
        name if SUBCOMMANDS.contains(&name) => not_modelled(ctx, sub),
        name => {
            let choices: Vec<String> = SUBCOMMANDS.iter().map(|c| format!("'{c}'")).collect();
            argparse_error(
                ctx,
                USAGE,
                PROG,
                &format!("argument subcommand: invalid choice: '{name}' (choose from {})", choices.join(", ")),
            )
        }
    }
}

/// A subcommand GuestLab does not simulate (yet): said plainly, status 1.
fn not_modelled(ctx: &mut Ctx<'_>, sub: &str) -> i32 {
    ctx.err(&format!("GuestLab: 'cloud-init {sub}' is not available in this shell.\n"));
    1
}

/// `cloud-init schema [-c FILE | --system | --docs …] [--annotate]`.
fn schema_command(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let sub_prog = format!("{PROG} schema");
    let mut config_file: Option<String> = None;
    let mut system = false;
    let mut docs = false;
    let mut annotate = false;
    let mut unknown: Vec<String> = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        match arg {
            "-h" | "--help" => {
                ctx.out(SCHEMA_USAGE);
                ctx.out(SCHEMA_HELP);
                return 0;
            }
            "-c" | "--config-file" => {
                match args.get(i + 1) {
                    Some(v) if !v.starts_with('-') || v == "-" => config_file = Some(v.clone()),
                    _ => {
                        return argparse_error(
                            ctx,
                            SCHEMA_USAGE,
                            &sub_prog,
                            "argument -c/--config-file: expected one argument",
                        );
                    }
                }
                i += 2;
                continue;
            }
            "--system" => system = true,
            "--annotate" => annotate = true,
            "-d" | "--docs" => {
                docs = true;
                // nargs='+': every following word that is not an option.
                let mut taken = 0;
                while args.get(i + 1 + taken).is_some_and(|a| !a.starts_with('-')) {
                    taken += 1;
                }
                if taken == 0 {
                    return argparse_error(
                        ctx,
                        SCHEMA_USAGE,
                        &sub_prog,
                        "argument -d/--docs: expected at least one argument",
                    );
                }
                i += 1 + taken;
                continue;
            }
            _ if arg.starts_with("--config-file=") => config_file = Some(arg["--config-file=".len()..].to_owned()),
            _ if arg.starts_with("-c") && arg.len() > 2 => config_file = Some(arg[2..].to_owned()),
            _ => unknown.push(arg.to_owned()),
        }
        i += 1;
    }
    if !unknown.is_empty() {
        return argparse_error(ctx, USAGE, PROG, &format!("unrecognized arguments: {}", unknown.join(" ")));
    }
    let chosen =
        usize::from(config_file.as_deref().is_some_and(|f| !f.is_empty())) + usize::from(docs) + usize::from(system);
    if chosen != 1 {
        ctx.err("Error:\nExpected one of --config-file, --system or --docs arguments\n");
        return 1;
    }
    if annotate && docs {
        ctx.err("Error:\nInvalid flag combination. Cannot use --annotate with --docs\n");
        return 1;
    }
    if docs || system || annotate {
        let what = if docs {
            "--docs"
        } else if system {
            "--system"
        } else {
            "--annotate"
        };
        ctx.err(&format!(
            "GuestLab: 'cloud-init schema {what}' is not available in this shell; use --config-file FILE.\n"
        ));
        return 1;
    }
    let Some(file) = config_file else { return 1 };
    let content = match ctx.resolve(&file, true) {
        Ok(ino) => match ctx.fs().file(ino) {
            Ok(f) => f.read_all(16 << 20),
            Err(_) => {
                // A directory exists but cannot be read as a file: Python's IsADirectoryError.
                ctx.err("Error:\n");
                ctx.err(&format!(
                    "GuestLab: {file} is a directory; the real tool ends with a Python traceback (IsADirectoryError) here.\n"
                ));
                return 1;
            }
        },
        Err(_) => {
            ctx.err(&format!("Error:\nConfigfile {file} does not exist\n"));
            return 1;
        }
    };
    let report = schema::validate_bytes(&file, &content);
    ctx.out(&report.stdout);
    ctx.err(&report.stderr);
    report.status
}
