//! bash builtins and the simplest utilities: `cd`, `pwd`, `echo`, `cat`, `history`, `help`,
//! `man`, `sudo` and friends.

use super::{CommandInfo, dispatch, find, split_options};
use crate::sim::shell::Ctx;
use crate::sim::vfs::{FsError, NodeKind};
use crate::sim::world::MAX_OUTPUT;

/// The kernel a Debian 12 host of the time runs.
pub const KERNEL_RELEASE: &str = "6.1.0-28-amd64";
pub const KERNEL_VERSION: &str = "#1 SMP PREEMPT_DYNAMIC Debian 6.1.119-1 (2024-11-22)";

pub static COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "cat",
        run: cat,
        summary: "print files",
        usage: "Usage: cat [OPTION]... [FILE]...\nConcatenate FILE(s) to standard output.\nWith no FILE, or when FILE is -, read standard input.\n\n  -n, --number   number all output lines\n",
    },
    CommandInfo {
        name: "cd",
        run: cd,
        summary: "change the working directory",
        usage: "cd: cd [dir]\n    Change the shell working directory to DIR (default: $HOME). `cd -' goes back to the previous directory.\n",
    },
    CommandInfo {
        name: "clear",
        run: clear,
        summary: "clear the terminal screen",
        usage: "Usage: clear\nClears the terminal screen.\n",
    },
    CommandInfo {
        name: "echo",
        run: echo,
        summary: "print arguments",
        usage: "echo: echo [-neE] [arg ...]\n    Write arguments to the standard output, separated by spaces and followed by a newline.\n      -n  do not append a newline\n      -e  interpret backslash escapes (\\n, \\t, \\\\)\n",
    },
    CommandInfo {
        name: "env",
        run: env,
        summary: "print the environment",
        usage: "Usage: env\nPrint the environment, one NAME=VALUE per line.\n",
    },
    CommandInfo {
        name: "exit",
        run: exit,
        summary: "leave the shell (in a guest: back to the host)",
        usage: "exit: exit [n]\n    Exit the shell with a status of N.\n",
    },
    CommandInfo {
        name: "export",
        run: export,
        summary: "set environment variables",
        usage: "export: export [name[=value] ...]\n    Mark each NAME for export to the environment of later commands.\n",
    },
    CommandInfo {
        name: ":",
        run: |_, _| 0,
        summary: "do nothing, successfully (`: > FILE` empties a file)",
        usage: ":: :\n    Null command. No effect; the command does nothing. Exit Status: Always succeeds.\n",
    },
    CommandInfo {
        name: "false",
        run: |_, _| 1,
        summary: "do nothing, unsuccessfully",
        usage: "Usage: false\nExit with a status code indicating failure.\n",
    },
    CommandInfo {
        name: "help",
        run: help,
        summary: "list the commands GuestLab knows",
        usage: "help: help [command]\n    List the commands of this shell, or show how to use one.\n",
    },
    CommandInfo {
        name: "history",
        run: history,
        summary: "show the commands typed so far",
        usage: "history: history [n]\n    Display the command history list with line numbers; with N, only the last N lines.\n",
    },
    CommandInfo {
        name: "hostname",
        run: hostname,
        summary: "show the host name",
        usage: "Usage: hostname\nShow the system's host name (from /etc/hostname).\n",
    },
    CommandInfo {
        name: "man",
        run: man,
        summary: "show the manual page of a command",
        usage: "Usage: man COMMAND\nShow a short manual page for COMMAND.\n",
    },
    CommandInfo {
        name: "pwd",
        run: pwd,
        summary: "print the working directory",
        usage: "pwd: pwd [-LP]\n    Print the name of the current working directory.\n      -P  print the physical directory, without any symbolic links\n",
    },
    CommandInfo {
        name: "sudo",
        run: sudo,
        summary: "run a command as root (you are root already)",
        usage: "usage: sudo command [arg ...]\nRun COMMAND as root. In GuestLab the learner is root on the host anyway.\n",
    },
    CommandInfo {
        name: "true",
        run: |_, _| 0,
        summary: "do nothing, successfully",
        usage: "Usage: true\nExit with a status code indicating success.\n",
    },
    CommandInfo {
        name: "type",
        run: type_,
        summary: "tell how a command name is interpreted",
        usage: "type: type name [name ...]\n    Display information about command type.\n",
    },
    CommandInfo {
        name: "uname",
        run: uname,
        summary: "print system information",
        usage: "Usage: uname [OPTION]...\n  -a  all information\n  -s  kernel name\n  -n  network node name\n  -r  kernel release\n  -m  machine hardware name\n",
    },
    CommandInfo {
        name: "unset",
        run: unset,
        summary: "remove shell variables",
        usage: "unset: unset [name ...]\n    Remove each variable NAME.\n",
    },
    CommandInfo {
        name: "whoami",
        run: whoami,
        summary: "print the user name",
        usage: "Usage: whoami\nPrint the user name of the current user.\n",
    },
];

/// Builtins that bash runs itself (for `type`).
const SHELL_BUILTINS: &[&str] =
    &[":", "cd", "echo", "exit", "export", "false", "help", "history", "pwd", "true", "type", "unset"];

fn cat(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, mut files) = split_options(&args[1..], &[]);
    let mut number = false;
    for option in &options {
        match option.as_str() {
            "-n" | "--number" => number = true,
            other => return super::usage_error(ctx, "cat", &unknown_option(other)),
        }
    }
    if files.is_empty() {
        files.push("-".into());
    }
    let mut status = 0;
    let mut data = Vec::new();
    for file in &files {
        if file == "-" {
            data.extend_from_slice(&ctx.stdin);
            continue;
        }
        match read_file(ctx, file, MAX_OUTPUT + 1) {
            Ok(bytes) => data.extend_from_slice(&bytes),
            Err(e) => {
                ctx.err(&format!("cat: {file}: {e}\n"));
                status = 1;
            }
        }
    }
    if number {
        let text = String::from_utf8_lossy(&data);
        let mut out = String::new();
        for (i, line) in text.split_inclusive('\n').enumerate() {
            out.push_str(&format!("{:>6}\t{line}", i + 1));
        }
        ctx.out(&out);
    } else {
        ctx.out_bytes(&data);
    }
    status
}

/// The text for an unknown option: `invalid option -- 'x'` or `unrecognized option '--x'`.
pub fn unknown_option(option: &str) -> String {
    if let Some(long) = option.strip_prefix("--") {
        format!("unrecognized option '--{}'", long.split('=').next().unwrap_or(long))
    } else {
        format!("invalid option -- '{}'", option.trim_start_matches('-'))
    }
}

/// Reads up to `limit` bytes of a file (following symlinks); devices read as the real ones.
pub fn read_file(ctx: &Ctx<'_>, path: &str, limit: usize) -> Result<Vec<u8>, FsError> {
    let node = ctx.node(path, true)?;
    match &node.kind {
        NodeKind::File(f) => Ok(f.read_all(limit)),
        NodeKind::Dir(_) => Err(FsError::IsDir),
        NodeKind::CharDev { major: 1, minor: 5 } => Ok(vec![0; limit.min(1 << 16)]),
        NodeKind::CharDev { .. } | NodeKind::Symlink(_) => Ok(Vec::new()),
    }
}

/// Normalises a path lexically (`a/./b/../c` → `a/c`), as bash does for `cd` without `-P`.
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

fn cd(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let operands: Vec<&String> = args[1..].iter().filter(|a| !matches!(a.as_str(), "-L" | "-P" | "--")).collect();
    if operands.len() > 1 {
        ctx.err("bash: cd: too many arguments\n");
        return 1;
    }
    let home = ctx.var("HOME").unwrap_or("/root").to_owned();
    let mut print = false;
    let target = match operands.first().map(|s| s.as_str()) {
        None => home,
        Some("-") => {
            print = true;
            match ctx.var("OLDPWD") {
                Some(old) => old.to_owned(),
                None => {
                    ctx.err("bash: cd: OLDPWD not set\n");
                    return 1;
                }
            }
        }
        Some(dir) => dir.to_owned(),
    };
    let cwd = ctx.machine().cwd.clone();
    let logical = if target.starts_with('/') { normalize(&target) } else { normalize(&format!("{cwd}/{target}")) };
    // bash checks the physical path when the logical one does not resolve.
    let resolved = ctx.fs().resolve(crate::sim::vfs::ROOT, &logical, true).or_else(|_| ctx.resolve(&target, true));
    match resolved {
        Ok(ino) if ctx.fs().node(ino).is_some_and(crate::sim::vfs::Node::is_dir) => {
            let machine = ctx.machine_mut();
            machine.env.insert("OLDPWD".into(), cwd);
            machine.cwd = logical.clone();
            machine.env.insert("PWD".into(), logical.clone());
            if print {
                ctx.out(&format!("{logical}\n"));
            }
            0
        }
        Ok(_) => {
            ctx.err(&format!("bash: cd: {target}: Not a directory\n"));
            1
        }
        Err(e) => {
            ctx.err(&format!("bash: cd: {target}: {e}\n"));
            1
        }
    }
}

fn pwd(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let physical = args[1..].iter().any(|a| a == "-P");
    let cwd = ctx.machine().cwd.clone();
    let text = if physical { ctx.fs().canonicalize(crate::sim::vfs::ROOT, &cwd).unwrap_or(cwd) } else { cwd };
    ctx.out(&format!("{text}\n"));
    0
}

fn echo(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut newline = true;
    let mut escapes = false;
    let mut i = 1;
    while i < args.len() {
        let a = &args[i];
        if a.len() > 1 && a.starts_with('-') && a[1..].chars().all(|c| matches!(c, 'n' | 'e' | 'E')) {
            for c in a[1..].chars() {
                match c {
                    'n' => newline = false,
                    'e' => escapes = true,
                    _ => escapes = false,
                }
            }
            i += 1;
        } else {
            break;
        }
    }
    let mut text = args[i..].join(" ");
    if escapes {
        let (expanded, stop) = backslash_escapes(&text);
        text = expanded;
        if stop {
            newline = false;
        }
    }
    if newline {
        text.push('\n');
    }
    ctx.out(&text);
    0
}

/// Interprets `\n`, `\t`, `\\`, `\0NNN`, `\xHH` and `\c` (stop) as `echo -e` does.
pub fn backslash_escapes(text: &str) -> (String, bool) {
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('a') => out.push('\x07'),
            Some('b') => out.push('\x08'),
            Some('e') => out.push('\x1b'),
            Some('f') => out.push('\x0c'),
            Some('v') => out.push('\x0b'),
            Some('\\') => out.push('\\'),
            Some('c') => return (out, true),
            Some('0') => {
                let mut value = 0u32;
                for _ in 0..3 {
                    match chars.peek().and_then(|c| c.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                out.push(char::from_u32(value).unwrap_or('\0'));
            }
            Some('x') => {
                let mut value = 0u32;
                let mut digits = 0;
                while digits < 2 {
                    match chars.peek().and_then(|c| c.to_digit(16)) {
                        Some(d) => {
                            value = value * 16 + d;
                            chars.next();
                            digits += 1;
                        }
                        None => break,
                    }
                }
                if digits == 0 {
                    out.push_str("\\x");
                } else {
                    out.push(char::from_u32(value).unwrap_or('\0'));
                }
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    (out, false)
}

fn clear(ctx: &mut Ctx<'_>, _args: &[String]) -> i32 {
    ctx.clear_screen();
    0
}

fn env(ctx: &mut Ctx<'_>, _args: &[String]) -> i32 {
    let text: String = ctx.machine().env.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
    ctx.out(&text);
    0
}

fn export(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    if args.len() == 1 {
        let text: String = ctx.machine().env.iter().map(|(k, v)| format!("declare -x {k}=\"{v}\"\n")).collect();
        ctx.out(&text);
        return 0;
    }
    for arg in &args[1..] {
        if let Some((name, value)) = arg.split_once('=') {
            ctx.machine_mut().env.insert(name.to_owned(), value.to_owned());
        }
    }
    0
}

fn unset(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    for name in &args[1..] {
        ctx.machine_mut().env.remove(name);
    }
    0
}

fn exit(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    // Leaving a guest shell (`virsh console`, `ssh`) comes back to where it was opened.
    if let Some((back, bye)) = ctx.world.return_to.pop() {
        ctx.out(&bye);
        ctx.world.current = back;
        return 0;
    }
    ctx.world.exited = true;
    match args.get(1) {
        None => ctx.machine().status,
        Some(n) => match n.parse::<i64>() {
            Ok(n) => (n & 0xff) as i32,
            Err(_) => {
                ctx.err(&format!("bash: exit: {n}: numeric argument required\n"));
                2
            }
        },
    }
}

fn history(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let lines = ctx.machine().history.clone();
    let skip = match args.get(1).map(|n| n.parse::<usize>()) {
        None => 0,
        Some(Ok(n)) => lines.len().saturating_sub(n),
        Some(Err(_)) => {
            ctx.err(&format!("bash: history: {}: numeric argument required\n", args[1]));
            return 1;
        }
    };
    let text: String = lines.iter().enumerate().skip(skip).map(|(i, l)| format!("{:>5}  {l}\n", i + 1)).collect();
    ctx.out(&text);
    0
}

fn help(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    if let Some(name) = args.get(1) {
        return match find(name) {
            Some(info) => {
                ctx.out(info.usage);
                0
            }
            None => {
                ctx.err(&format!(
                    "bash: help: no help topics match `{name}'.  Try `help help' or `man -k {name}' or `info {name}'.\n"
                ));
                1
            }
        };
    }
    let mut text = String::from(
        "GuestLab shell: a simulated bash on a Debian 12 host. These commands are available\n(`CMD --help` or `man CMD` shows how to use one):\n\n",
    );
    for info in super::all() {
        text.push_str(&format!("  {:<28}{}\n", info.name, info.summary));
    }
    ctx.out(&text);
    0
}

fn man(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let Some(name) = args.get(1) else {
        ctx.err("What manual page do you want?\nFor example, try 'man man'.\n");
        return 1;
    };
    let Some(info) = find(name) else {
        ctx.err(&format!("No manual entry for {name}\n"));
        return 16;
    };
    let title = format!("{}(1)", info.name.to_uppercase());
    let mut text = format!(
        "{title:<39}{:>39}\n\nNAME\n       {} - {}\n\nSYNOPSIS AND OPTIONS\n",
        "User Commands", info.name, info.summary
    );
    for line in info.usage.lines() {
        text.push_str(&format!("       {line}\n"));
    }
    text.push_str(&format!("\nGuestLab                                                                    {title}\n"));
    ctx.out(&text);
    0
}

fn sudo(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let rest: Vec<String> =
        args[1..].iter().skip_while(|a| matches!(a.as_str(), "-E" | "-H" | "-n")).cloned().collect();
    if rest.is_empty() {
        ctx.err("usage: sudo -h | -K | -k | -V\nusage: sudo -v [-ABkNnS] [-g group] [-h host] [-p prompt] [-u user]\nusage: sudo -l [-ABkNnS] [-g group] [-h host] [-p prompt] [-U user]\n            [-u user] [command [arg ...]]\nusage: sudo [-ABbEHkNnPS] [-r role] [-t type] [-C num] [-D directory]\n            [-g group] [-h host] [-p prompt] [-R directory] [-T timeout]\n            [-u user] [VAR=value] [-i | -s] [command [arg ...]]\nusage: sudo -e [-ABkNnS] [-r role] [-t type] [-C num] [-D directory]\n            [-g group] [-h host] [-p prompt] [-R directory] [-T timeout]\n            [-u user] file ...\n");
        return 1;
    }
    if rest[0] == "-i" || rest[0] == "-s" || rest[0] == "su" {
        return 0;
    }
    if find(&rest[0]).is_none() && !rest[0].contains('/') {
        ctx.err(&format!("sudo: {}: command not found\n", rest[0]));
        return 1;
    }
    dispatch(ctx, &rest)
}

fn type_(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let mut status = 0;
    for name in &args[1..] {
        if SHELL_BUILTINS.contains(&name.as_str()) {
            ctx.out(&format!("{name} is a shell builtin\n"));
        } else if find(name).is_some() {
            ctx.out(&format!("{name} is /usr/bin/{name}\n"));
        } else {
            ctx.err(&format!("bash: type: {name}: not found\n"));
            status = 1;
        }
    }
    status
}

fn hostname(ctx: &mut Ctx<'_>, _args: &[String]) -> i32 {
    let name = ctx.machine().hostname();
    ctx.out(&format!("{name}\n"));
    0
}

fn whoami(ctx: &mut Ctx<'_>, _args: &[String]) -> i32 {
    let user = ctx.var("USER").unwrap_or("root").to_owned();
    ctx.out(&format!("{user}\n"));
    0
}

fn uname(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, operands) = split_options(&args[1..], &[]);
    if let Some(extra) = operands.first() {
        return super::usage_error(ctx, "uname", &format!("extra operand '{extra}'"));
    }
    let host = ctx.machine().hostname();
    let mut fields = Vec::new();
    let all = options.iter().any(|o| o == "-a" || o == "--all");
    for (flag, value) in [
        ("-s", "Linux".to_owned()),
        ("-n", host),
        ("-r", KERNEL_RELEASE.to_owned()),
        ("-v", KERNEL_VERSION.to_owned()),
        ("-m", "x86_64".to_owned()),
        ("-o", "GNU/Linux".to_owned()),
    ] {
        if all || options.iter().any(|o| o == flag) {
            fields.push(value);
        }
    }
    if let Some(bad) =
        options.iter().find(|o| !matches!(o.as_str(), "-a" | "--all" | "-s" | "-n" | "-r" | "-v" | "-m" | "-o"))
    {
        return super::usage_error(ctx, "uname", &unknown_option(bad));
    }
    if fields.is_empty() {
        fields.push("Linux".to_owned());
    }
    ctx.out(&format!("{}\n", fields.join(" ")));
    0
}
