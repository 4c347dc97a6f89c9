//! `dbus-uuidgen` of dbus 1.14: a new ID (24 random hex digits and the Unix time), or the ID of
//! a file (`--get`), or a file made sure to exist (`--ensure`, which creates a missing file but
//! never repairs an invalid one).

use rand::Rng as _;

use super::{Id128, ReadError, create_file, read_file, to_hex};
use crate::sim::shell::Ctx;

/// Where D-Bus keeps its machine ID.
pub const DBUS_MACHINE_ID: &str = "/var/lib/dbus/machine-id";

/// What dbus-uuidgen prints for `--help` (on standard error) and for bad arguments.
pub const USAGE: &str = "Usage: dbus-uuidgen [--ensure[=FILENAME]] [--get[=FILENAME]]\n";

const VERSION: &str = "D-Bus UUID Generator 1.14.10\nCopyright (C) 2006 Red Hat, Inc.\nThis is free software; see the source for copying conditions.\nThere is NO warranty; not even for MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.\n";

/// An error of libdbus: its message, and whether it is `InvalidFileContent` (a file that
/// exists but holds no ID, which `--ensure` reports instead of replacing the file).
struct DbusError {
    message: String,
    invalid_content: bool,
}

impl DbusError {
    fn failed(message: String) -> Self {
        Self { message, invalid_content: false }
    }

    fn content(message: String) -> Self {
        Self { message, invalid_content: true }
    }
}

pub fn dbus_uuidgen(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let name = args.first().map_or("dbus-uuidgen", String::as_str);
    let mut filename: Option<String> = None;
    let mut ensure = false;
    let mut get = false;
    for arg in &args[1..] {
        // As dbus-uuidgen.c: a prefix match, then `=` or a space may follow.
        let option = if arg.starts_with("--ensure") {
            ensure = true;
            "--ensure"
        } else if arg.starts_with("--get") {
            get = true;
            "--get"
        } else if arg == "--help" {
            ctx.err(&USAGE.replace("dbus-uuidgen", name));
            return 0;
        } else if arg == "--version" {
            ctx.out(VERSION);
            return 0;
        } else {
            ctx.err(&USAGE.replace("dbus-uuidgen", name));
            return 1;
        };
        let rest = &arg[option.len()..];
        if !(rest.is_empty() || rest.starts_with('=') || rest.starts_with(' ')) {
            ctx.err(USAGE);
            return 1;
        }
        let value = rest.strip_prefix('=').unwrap_or(rest).trim_start_matches(' ');
        if !value.is_empty() {
            filename = Some(value.to_owned());
        }
    }
    if get && ensure {
        ctx.err("Can't specify both --get and --ensure\n");
        return 1;
    }
    let result = if get || ensure {
        let result = match &filename {
            Some(file) => read_uuid_file(ctx, file, ensure),
            None => read_local_machine_uuid(ctx, ensure),
        };
        result.map(|id| {
            if get {
                ctx.out(&format!("{}\n", to_hex(&id)));
            }
        })
    } else {
        let id = generate(ctx);
        ctx.out(&format!("{}\n", to_hex(&id)));
        Ok(())
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            ctx.err(&format!("{}\n", e.message));
            1
        }
    }
}

/// `_dbus_generate_uuid`: 12 random bytes and the Unix time, big-endian.
fn generate(ctx: &mut Ctx<'_>) -> Id128 {
    let mut id: Id128 = ctx.world.rng.random();
    let now = u32::try_from(ctx.now().max(0)).unwrap_or(u32::MAX);
    id[12..].copy_from_slice(&now.to_be_bytes());
    id
}

/// `_dbus_read_uuid_file_without_creating`: the file's contents without surrounding blanks
/// must be 32 characters long; they are then hex-decoded up to the first non-hex character.
fn read_uuid_file_without_creating(ctx: &Ctx<'_>, path: &str) -> Result<Id128, DbusError> {
    let bytes = match read_file(ctx, path) {
        Ok(bytes) => bytes,
        Err(ReadError::Open(e)) => return Err(DbusError::failed(format!("Failed to open \"{path}\": {e}"))),
        Err(ReadError::NotRegular { .. }) => {
            return Err(DbusError::failed(format!("\"{path}\" is not a regular file")));
        }
    };
    let white = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let start = bytes.iter().position(|b| !white(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|b| !white(b)).map_or(start, |i| i + 1);
    let text = &bytes[start..end];
    if text.len() != 32 {
        return Err(DbusError::content(format!(
            "UUID file '{path}' should contain a hex string of length 32, not length {}, with no other text",
            text.len()
        )));
    }
    // _dbus_string_hex_decode stops at the first non-hex character; an odd digit at the end
    // makes a byte of its own (its low nibble 0).
    let digits: Vec<u8> = text.iter().map_while(|b| char::from(*b).to_digit(16)).map(|d| d as u8).collect();
    if digits.is_empty() {
        return Err(DbusError::content(format!("UUID file '{path}' contains invalid hex data")));
    }
    let decoded: Vec<u8> = digits.chunks(2).map(|pair| (pair[0] << 4) | pair.get(1).copied().unwrap_or(0)).collect();
    if decoded.len() != 16 {
        return Err(DbusError::content(format!(
            "UUID file '{path}' contains {} bytes of hex-encoded data instead of 16",
            decoded.len()
        )));
    }
    let mut id = [0u8; 16];
    id.copy_from_slice(&decoded);
    Ok(id)
}

/// `_dbus_read_uuid_file`: with `create`, a file that cannot be read (but not one with bad
/// contents) is replaced by a new ID.
fn read_uuid_file(ctx: &mut Ctx<'_>, path: &str, create: bool) -> Result<Id128, DbusError> {
    match read_uuid_file_without_creating(ctx, path) {
        Ok(id) => Ok(id),
        Err(e) if !create || e.invalid_content => Err(e),
        Err(_) => {
            let id = generate(ctx);
            write_uuid_file(ctx, path, &id)?;
            Ok(id)
        }
    }
}

/// `_dbus_read_local_machine_uuid`: D-Bus's file, then systemd's; with `create`, a valid
/// /etc/machine-id is copied to D-Bus's file (errors ignored), and if neither file holds an ID
/// a new one is written to D-Bus's file.
fn read_local_machine_uuid(ctx: &mut Ctx<'_>, create: bool) -> Result<Id128, DbusError> {
    let ours = match read_uuid_file_without_creating(ctx, DBUS_MACHINE_ID) {
        Ok(id) => return Ok(id),
        Err(e) => e,
    };
    match read_uuid_file_without_creating(ctx, "/etc/machine-id") {
        Ok(id) => {
            if create {
                let _ = write_uuid_file(ctx, DBUS_MACHINE_ID, &id);
            }
            Ok(id)
        }
        Err(etc) if !create => Err(DbusError::failed(format!(
            "D-Bus library appears to be incorrectly set up: see the manual page for dbus-uuidgen to correct this issue. ({}; {})",
            ours.message, etc.message
        ))),
        Err(_) => {
            let id = generate(ctx);
            write_uuid_file(ctx, DBUS_MACHINE_ID, &id)?;
            Ok(id)
        }
    }
}

/// `_dbus_write_uuid_file`: the ID and a newline, saved as `_dbus_string_save_to_file` does —
/// into `PATH.XXXXXXXX` (mode 0644 whatever the umask), then renamed over `PATH`.
fn write_uuid_file(ctx: &mut Ctx<'_>, path: &str, id: &Id128) -> Result<(), DbusError> {
    const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let suffix: String = (0..8).map(|_| char::from(LETTERS[ctx.world.rng.random_range(0..LETTERS.len())])).collect();
    let tmp = format!("{path}.{suffix}");
    let contents = format!("{}\n", to_hex(id));
    create_file(ctx, &tmp, contents.as_bytes(), 0o644)
        .map_err(|e| DbusError::failed(format!("Could not create {tmp}: {e}")))?;
    let cwd = ctx.cwd();
    let now = ctx.now();
    let fs = ctx.fs_mut();
    let Ok((tmp_dir, tmp_name)) = fs.resolve_parent(cwd, &tmp).map(|(d, n)| (d, n.to_owned())) else {
        return Err(DbusError::failed(format!("Could not create {tmp}: No such file or directory")));
    };
    let renamed = fs.resolve_parent(cwd, path).and_then(|(dir, name)| {
        let name = name.to_owned();
        fs.rename(tmp_dir, &tmp_name, dir, &name, now)
    });
    if let Err(e) = renamed {
        // As dbus: the temporary file is removed again.
        let _ = fs.unlink(tmp_dir, &tmp_name, now);
        return Err(DbusError::failed(format!("Could not rename {tmp} to {path}: {e}")));
    }
    Ok(())
}
