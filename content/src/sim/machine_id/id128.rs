//! `systemd-id128` of systemd 252: `new`, `machine-id`, `boot-id`, `invocation-id`, `show`,
//! with `--uuid` and `--pretty`.

use super::setup::{Id128Error, SYSTEMD_VERSION, read_plain};
use super::{Id128, parse_id, random_v4, to_hex, to_uuid};
use crate::sim::shell::Ctx;

pub const USAGE: &str = "systemd-id128 [OPTIONS...] COMMAND

Generate and print 128bit identifiers.

Commands:
  new                     Generate a new ID
  machine-id              Print the ID of current machine
  boot-id                 Print the ID of current boot
  invocation-id           Print the ID of current invocation
  show [NAME]             Print one or more well-known GPT partition type IDs
  help                    Show this help

Options:
  -h --help               Show this help
  -p --pretty             Generate samples of program code
  -a --app-specific=ID    Generate app-specific IDs
  -u --uuid               Output in UUID format

See the systemd-id128(1) man page for details.
";

/// The well-known GPT partition types of systemd 252, in the order `show` lists them.
const GPT_TYPES: &str = include_str!("gpt_types.txt");

/// The host's boot ID (the one `hostnamectl` shows there).
const HOST_BOOT_ID: &str = "5f0e4c1a9b2d4e7f8a6c3b1d0e9f8a7b";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Plain,
    Uuid,
    Pretty,
}

pub fn systemd_id128(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    const NAME: &str = "systemd-id128";
    let mut mode = Mode::Plain;
    let mut app: Option<Id128> = None;
    let mut words: Vec<&str> = Vec::new();
    let mut iter = args[1..].iter();
    let mut only_words = false;
    while let Some(arg) = iter.next() {
        if only_words || !arg.starts_with('-') || arg == "-" {
            words.push(arg);
            continue;
        }
        if arg == "--" {
            only_words = true;
            continue;
        }
        let mut app_value = None;
        if let Some(long) = arg.strip_prefix("--") {
            let (key, value) = match long.split_once('=') {
                Some((k, v)) => (k, Some(v)),
                None => (long, None),
            };
            let options = ["help", "version", "pretty", "app-specific", "uuid"];
            let Some(option) = options.iter().find(|o| !key.is_empty() && o.starts_with(key)) else {
                ctx.err(&format!("{NAME}: unrecognized option '--{key}'\n"));
                return 1;
            };
            if *option != "app-specific" && value.is_some() {
                ctx.err(&format!("{NAME}: option '--{option}' doesn't allow an argument\n"));
                return 1;
            }
            match *option {
                "help" => {
                    ctx.out(USAGE);
                    return 0;
                }
                "version" => {
                    ctx.out(SYSTEMD_VERSION);
                    return 0;
                }
                "pretty" => mode = Mode::Pretty,
                "uuid" => mode = Mode::Uuid,
                _ => match value.map(str::to_owned).or_else(|| iter.next().cloned()) {
                    Some(v) => app_value = Some(v),
                    None => {
                        ctx.err(&format!("{NAME}: option '--app-specific' requires an argument\n"));
                        return 1;
                    }
                },
            }
        } else {
            let chars: Vec<char> = arg[1..].chars().collect();
            for (i, c) in chars.iter().enumerate() {
                match c {
                    'h' => {
                        ctx.out(USAGE);
                        return 0;
                    }
                    'p' => mode = Mode::Pretty,
                    'u' => mode = Mode::Uuid,
                    'a' => {
                        let rest: String = chars[i + 1..].iter().collect();
                        match if rest.is_empty() { iter.next().cloned() } else { Some(rest) } {
                            Some(v) => app_value = Some(v),
                            None => {
                                ctx.err(&format!("{NAME}: option requires an argument -- 'a'\n"));
                                return 1;
                            }
                        }
                        break;
                    }
                    _ => {
                        ctx.err(&format!("{NAME}: invalid option -- '{c}'\n"));
                        return 1;
                    }
                }
            }
        }
        if let Some(v) = app_value {
            match parse_id(&v) {
                Some(id) => app = Some(id),
                None => {
                    ctx.err(&format!("Failed to parse \"{v}\" as application-ID: Invalid argument\n"));
                    return 1;
                }
            }
        }
    }
    let Some((&verb, rest)) = words.split_first() else {
        ctx.err("Command verb required.\n");
        return 1;
    };
    let single = matches!(verb, "new" | "machine-id" | "boot-id" | "invocation-id");
    if !single && !matches!(verb, "show" | "help") {
        ctx.err(&format!("Unknown command verb {verb}.\n"));
        return 1;
    }
    if single && !rest.is_empty() {
        ctx.err("Too many arguments.\n");
        return 1;
    }
    let id = match verb {
        "new" => random_v4(ctx),
        "machine-id" => {
            let id = read_plain(ctx, "/etc/machine-id")
                .and_then(|id| if id.iter().all(|b| *b == 0) { Err(Id128Error::NoMedium) } else { Ok(id) });
            match id {
                Ok(_) if app.is_some() => {
                    ctx.err("Failed to get app-specific machine-ID: GuestLab does not simulate --app-specific\n");
                    return 1;
                }
                Ok(id) => id,
                Err(e) => {
                    ctx.err(&format!("Failed to get machine-ID: {}\n", e.message()));
                    return 1;
                }
            }
        }
        "boot-id" => match boot_id(ctx) {
            Some(_) if app.is_some() => {
                ctx.err("Failed to get app-specific boot-ID: GuestLab does not simulate --app-specific\n");
                return 1;
            }
            Some(id) => id,
            None => {
                ctx.err("Failed to get boot-ID: Invalid argument\n");
                return 1;
            }
        },
        "invocation-id" => {
            ctx.err("Failed to get invocation-ID: No such device or address\n");
            return 1;
        }
        "show" => return show(ctx, rest, mode),
        _ => {
            ctx.out(USAGE);
            return 0;
        }
    };
    print(ctx, "XYZ", &id, mode);
    0
}

/// The boot ID: a running guest's from its boot, else `/proc/sys/kernel/random/boot_id` (UUID
/// form) if the machine's file system has it, else the host's.
fn boot_id(ctx: &Ctx<'_>) -> Option<Id128> {
    if let Some(guest) = &ctx.machine().guest {
        return parse_id(&guest.boot_id);
    }
    match ctx.resolve("/proc/sys/kernel/random/boot_id", true) {
        Ok(ino) => {
            let bytes = ctx.fs().file(ino).ok()?.read_all(64);
            parse_id(std::str::from_utf8(&bytes).ok()?.trim_end_matches('\n'))
        }
        Err(_) => parse_id(HOST_BOOT_ID),
    }
}

fn print(ctx: &mut Ctx<'_>, name: &str, id: &Id128, mode: Mode) {
    let text = match mode {
        Mode::Plain => format!("{}\n", to_hex(id)),
        Mode::Uuid => format!("{}\n", to_uuid(id)),
        Mode::Pretty => {
            let bytes: Vec<String> = id.iter().map(|b| format!("{b:02x}")).collect();
            let hex = to_hex(id);
            format!(
                "As string:\n{hex}\n\nAs UUID:\n{}\n\nAs systemd-id128(1) macro:\n#define {name} SD_ID128_MAKE({})\n\nAs Python constant:\n>>> import uuid\n>>> {name} = uuid.UUID('{hex}')\n",
                to_uuid(id),
                bytes.join(",")
            )
        }
    };
    ctx.out(&text);
}

/// `show [NAME|ID...]`: the GPT partition type table.
fn show(ctx: &mut Ctx<'_>, names: &[&str], mode: Mode) -> i32 {
    let table: Vec<(&str, Id128)> =
        GPT_TYPES.lines().filter_map(|l| l.split_once(' ').and_then(|(n, id)| Some((n, parse_id(id)?)))).collect();
    let mut rows: Vec<(String, Id128)> = Vec::new();
    if names.is_empty() {
        rows.extend(table.iter().map(|(n, id)| ((*n).to_owned(), *id)));
    }
    for name in names {
        if let Some((n, id)) = table.iter().find(|(n, _)| n == name) {
            rows.push(((*n).to_owned(), *id));
        } else if let Some(id) = parse_id(name) {
            let n = table.iter().find(|(_, t)| *t == id).map_or("XYZ", |(n, _)| n);
            rows.push((n.to_owned(), id));
        } else {
            ctx.err(&format!("Unknown identifier \"{name}\".\n"));
            return 1;
        }
    }
    if mode == Mode::Pretty {
        for (i, (name, id)) in rows.iter().enumerate() {
            print(ctx, &name.to_uppercase().replace('-', "_"), id, mode);
            if i > 0 {
                ctx.out("\n");
            }
        }
        return 0;
    }
    let width = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(0).max(4);
    let mut text = format!("{:width$} ID\n", "NAME");
    for (name, id) in &rows {
        let id = if mode == Mode::Uuid { to_uuid(id) } else { to_hex(id) };
        text.push_str(&format!("{name:width$} {id}\n"));
    }
    ctx.out(&text);
    0
}
