//! SSH key pairs as OpenSSH 9.2 writes them, and `ssh-keygen`'s key generation: the
//! `openssh-key-v1` private key file (its public half readable without the passphrase, as in
//! the real format), the public key line, the SHA256 fingerprint and the "drunken bishop"
//! randomart, the prompts for a file name and a passphrase, `~/.ssh` created on the way.
//!
//! The key material is random bytes in the right places and lengths (GuestLab does no
//! elliptic-curve or RSA arithmetic): an ED25519 or RSA public key line parses with the real
//! `ssh-keygen -l`, and its fingerprint and randomart are the real tool's (see the tests).

use rand::Rng;
use sha2::{Digest as _, Sha256};

use super::ids::{base64, base64_decode, fingerprint};
use super::os::KeyType;
use crate::sim::shell::Ctx;
use crate::sim::vfs::ROOT;

/// A new key pair as ssh-keygen writes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyPair {
    pub kind: KeyType,
    pub bits: u32,
    /// The public key blob (the base64 field of the public key line, decoded).
    pub blob: Vec<u8>,
    /// The private key file's text (`-----BEGIN OPENSSH PRIVATE KEY-----` ...).
    pub private: String,
    /// The public key line, with its newline.
    pub public: String,
}

fn ssh_string(out: &mut Vec<u8>, data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(data);
}

/// A positive multiple-precision integer of `bits` bits in SSH's `mpint` encoding.
fn mpint(rng: &mut impl Rng, bits: u32) -> Vec<u8> {
    let bytes = bits.div_ceil(8) as usize;
    let mut n: Vec<u8> = (0..bytes).map(|_| rng.random()).collect();
    let top = bits - (bytes as u32 - 1) * 8;
    n[0] &= (0xffu16 >> (8 - top)) as u8;
    n[0] |= 1 << (top - 1);
    if let Some(last) = n.last_mut() {
        *last |= 1;
    }
    if n[0] & 0x80 != 0 {
        n.insert(0, 0);
    }
    n
}

fn curve(bits: u32) -> (&'static str, &'static str, usize) {
    match bits {
        384 => ("ecdsa-sha2-nistp384", "nistp384", 48),
        521 => ("ecdsa-sha2-nistp521", "nistp521", 66),
        _ => ("ecdsa-sha2-nistp256", "nistp256", 32),
    }
}

/// The algorithm name in the public key line (ECDSA depends on the curve).
pub fn algorithm(kind: KeyType, bits: u32) -> &'static str {
    match kind {
        KeyType::Ecdsa => curve(bits).0,
        other => other.algorithm(),
    }
}

/// Generates a key pair of `bits` bits (ignored for ED25519; RSA 1024–16384, ECDSA 256, 384 or
/// 521, DSA 1024). `passphrase`: a non-empty one makes an encrypted private key (aes256-ctr,
/// bcrypt), as ssh-keygen does.
pub fn generate(kind: KeyType, bits: u32, comment: &str, passphrase: &str, rng: &mut impl Rng) -> KeyPair {
    let mut blob = Vec::new();
    let mut secret = Vec::new();
    ssh_string(&mut blob, algorithm(kind, bits).as_bytes());
    let bits = match kind {
        KeyType::Ed25519 => {
            let public: [u8; 32] = rng.random();
            ssh_string(&mut blob, &public);
            let seed: [u8; 32] = rng.random();
            ssh_string(&mut secret, &public);
            ssh_string(&mut secret, &[seed.as_slice(), &public].concat());
            256
        }
        KeyType::Ecdsa => {
            let (_, name, len) = curve(bits);
            ssh_string(&mut blob, name.as_bytes());
            let mut point = vec![0x04];
            point.extend((0..2 * len).map(|_| rng.random::<u8>()));
            ssh_string(&mut blob, &point);
            ssh_string(&mut secret, name.as_bytes());
            ssh_string(&mut secret, &point);
            ssh_string(&mut secret, &mpint(rng, (len * 8) as u32 - 1));
            bits
        }
        KeyType::Rsa => {
            let e = [0x01, 0x00, 0x01];
            let n = mpint(rng, bits);
            ssh_string(&mut blob, &e);
            ssh_string(&mut blob, &n);
            for part in [n.clone(), e.to_vec(), mpint(rng, bits - 1), mpint(rng, bits / 2 - 1)] {
                ssh_string(&mut secret, &part);
            }
            ssh_string(&mut secret, &mpint(rng, bits / 2));
            ssh_string(&mut secret, &mpint(rng, bits / 2));
            bits
        }
        KeyType::Dsa => {
            let parts = [mpint(rng, 1024), mpint(rng, 160), mpint(rng, 1023), mpint(rng, 1023)];
            for part in &parts {
                ssh_string(&mut blob, part);
                ssh_string(&mut secret, part);
            }
            ssh_string(&mut secret, &mpint(rng, 159));
            1024
        }
    };
    let private = private_key_file(&blob, kind, bits, &secret, comment, passphrase, rng);
    let comment_part = if comment.is_empty() { String::new() } else { format!(" {comment}") };
    let public = format!("{} {}{comment_part}\n", algorithm(kind, bits), base64(&blob));
    KeyPair { kind, bits, blob, private, public }
}

/// The `openssh-key-v1` file: magic, cipher, KDF, one public key in the clear, and the private
/// section (check integers, the key, the comment, padding) — encrypted when there is a
/// passphrase.
fn private_key_file(
    blob: &[u8],
    kind: KeyType,
    bits: u32,
    secret: &[u8],
    comment: &str,
    passphrase: &str,
    rng: &mut impl Rng,
) -> String {
    let encrypted = !passphrase.is_empty();
    let mut data = b"openssh-key-v1\0".to_vec();
    let (cipher, kdf, block) = if encrypted { ("aes256-ctr", "bcrypt", 16) } else { ("none", "none", 8) };
    ssh_string(&mut data, cipher.as_bytes());
    ssh_string(&mut data, kdf.as_bytes());
    let mut kdf_options = Vec::new();
    if encrypted {
        let salt: [u8; 16] = rng.random();
        ssh_string(&mut kdf_options, &salt);
        kdf_options.extend_from_slice(&16u32.to_be_bytes());
    }
    ssh_string(&mut data, &kdf_options);
    data.extend_from_slice(&1u32.to_be_bytes());
    ssh_string(&mut data, blob);
    let check: u32 = rng.random();
    let mut section = Vec::new();
    section.extend_from_slice(&check.to_be_bytes());
    section.extend_from_slice(&check.to_be_bytes());
    ssh_string(&mut section, algorithm(kind, bits).as_bytes());
    section.extend_from_slice(secret);
    ssh_string(&mut section, comment.as_bytes());
    let mut pad = 1u8;
    while section.len() % block != 0 {
        section.push(pad);
        pad += 1;
    }
    if encrypted {
        // What GuestLab stores for an encrypted section: bytes as unreadable as AES output.
        section = (0..section.len() + 16).map(|_| rng.random()).collect();
    }
    ssh_string(&mut data, &section);
    let body = base64(&data);
    let mut text = String::from("-----BEGIN OPENSSH PRIVATE KEY-----\n");
    for line in body.as_bytes().chunks(70) {
        text.push_str(&String::from_utf8_lossy(line));
        text.push('\n');
    }
    text.push_str("-----END OPENSSH PRIVATE KEY-----\n");
    text
}

fn read_string<'a>(data: &mut &'a [u8]) -> Option<&'a [u8]> {
    let len = u32::from_be_bytes(data.get(..4)?.try_into().ok()?) as usize;
    let value = data.get(4..4 + len)?;
    *data = &data[4 + len..];
    Some(value)
}

/// What the header of a private key file says: its public key blob and whether a passphrase
/// protects it. `None` if the text is not an OpenSSH private key.
pub fn private_key_info(text: &str) -> Option<(Vec<u8>, bool)> {
    let body: String = text
        .lines()
        .skip_while(|l| l.trim() != "-----BEGIN OPENSSH PRIVATE KEY-----")
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    let data = base64_decode(&body)?;
    let mut rest = data.strip_prefix(b"openssh-key-v1\0")?;
    let cipher = read_string(&mut rest)?.to_vec();
    read_string(&mut rest)?;
    read_string(&mut rest)?;
    rest = rest.get(4..)?;
    let blob = read_string(&mut rest)?.to_vec();
    Some((blob, cipher != b"none"))
}

/// The type and size of a public key blob (`ssh-keygen -l`'s first column).
pub fn key_info(blob: &[u8]) -> Option<(KeyType, u32)> {
    let mut rest = blob;
    let alg = std::str::from_utf8(read_string(&mut rest)?).ok()?;
    let (kind, bits) = match alg {
        "ssh-ed25519" => (KeyType::Ed25519, 256),
        "ecdsa-sha2-nistp256" => (KeyType::Ecdsa, 256),
        "ecdsa-sha2-nistp384" => (KeyType::Ecdsa, 384),
        "ecdsa-sha2-nistp521" => (KeyType::Ecdsa, 521),
        "ssh-dss" => (KeyType::Dsa, 1024),
        "ssh-rsa" => {
            read_string(&mut rest)?;
            let n = read_string(&mut rest)?;
            let n: Vec<u8> = n.iter().copied().skip_while(|b| *b == 0).collect();
            let top = n.first().map_or(0, |b| 8 - b.leading_zeros());
            (KeyType::Rsa, (n.len() as u32).saturating_sub(1) * 8 + top)
        }
        _ => return None,
    };
    Some((kind, bits))
}

/// The size of the field the bishop walks on.
const FIELD_X: usize = 17;
const FIELD_Y: usize = 9;

/// OpenSSH's randomart of a key (`fingerprint_randart` in sshkey.c): the SHA256 digest drives
/// a walk over a 17×9 field; the title names the type and size, the bottom the hash.
pub fn randomart(blob: &[u8]) -> String {
    const SYMBOLS: &[u8] = b" .o+=*BOX@%&#/^SE";
    let len = SYMBOLS.len() - 1;
    let digest = Sha256::digest(blob);
    let mut field = [[0usize; FIELD_Y]; FIELD_X];
    let (mut x, mut y) = (FIELD_X / 2, FIELD_Y / 2);
    for byte in digest {
        let mut input = byte;
        for _ in 0..4 {
            x = if input & 1 != 0 { (x + 1).min(FIELD_X - 1) } else { x.saturating_sub(1) };
            y = if input & 2 != 0 { (y + 1).min(FIELD_Y - 1) } else { y.saturating_sub(1) };
            if field[x][y] < len - 2 {
                field[x][y] += 1;
            }
            input >>= 2;
        }
    }
    field[FIELD_X / 2][FIELD_Y / 2] = len - 1;
    field[x][y] = len;
    let (kind, bits) = key_info(blob).unwrap_or((KeyType::Rsa, 0));
    let border = |label: &str| {
        let left = (FIELD_X - label.len()) / 2;
        format!("+{}{label}{}+", "-".repeat(left), "-".repeat(FIELD_X - left - label.len()))
    };
    let mut out = border(&format!("[{} {bits}]", kind.label()));
    out.push('\n');
    for row in 0..FIELD_Y {
        out.push('|');
        for column in &field {
            out.push(char::from(SYMBOLS[column[row].min(len)]));
        }
        out.push_str("|\n");
    }
    out.push_str(&border("[SHA256]"));
    out
}

/// The options of `ssh-keygen` (OpenSSH 9.2's getopt string) that take a value.
const WITH_VALUE: &str = "CDEFIMNOPRVYZabfgjmnrstwz";

/// `ssh-keygen`'s arguments, split as getopt(3) splits them.
pub fn getopt(args: &[String]) -> (Vec<(char, Option<String>)>, Vec<String>) {
    let mut options = Vec::new();
    let mut operands = Vec::new();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if word == "--" {
            operands.extend(words.cloned());
            break;
        }
        let Some(letters) = word.strip_prefix('-').filter(|l| !l.is_empty()) else {
            operands.push(word.clone());
            continue;
        };
        for (i, c) in letters.char_indices() {
            if WITH_VALUE.contains(c) {
                let rest = &letters[i + c.len_utf8()..];
                let value = if rest.is_empty() { words.next().cloned() } else { Some(rest.to_owned()) };
                options.push((c, value));
                break;
            }
            options.push((c, None));
        }
    }
    (options, operands)
}

/// One line of standard input, or — in the interactive terminal, where nothing is piped in —
/// the Enter key GuestLab presses for the learner (shown as the empty answer).
fn answer(ctx: &mut Ctx<'_>, interactive: bool) -> Option<String> {
    if interactive {
        return Some(String::new());
    }
    if ctx.stdin.is_empty() {
        return None;
    }
    let text = String::from_utf8_lossy(&ctx.stdin).into_owned();
    let (line, rest) = text.split_once('\n').unwrap_or((&text, ""));
    let line = line.to_owned();
    ctx.stdin = rest.as_bytes().to_vec();
    Some(line)
}

/// The account running the command: (name, uid, gid, home) from `/etc/passwd` and `$USER`.
pub fn current_account(ctx: &Ctx<'_>) -> (String, u32, u32, String) {
    let name = ctx.var("USER").unwrap_or("root").to_owned();
    let (uid, gid, home) = ctx.user(&name).unwrap_or((0, 0, "/root".to_owned()));
    (name, uid, gid, home)
}

/// An absolute path for `path` as the shell's working directory sees it.
pub fn absolute(ctx: &Ctx<'_>, path: &str) -> String {
    if path.starts_with('/') {
        path.to_owned()
    } else {
        let cwd = &ctx.machine().cwd;
        if cwd == "/" { format!("/{path}") } else { format!("{cwd}/{path}") }
    }
}

/// Writes a file owned by `uid:gid` with `mode` (replacing what was there).
pub fn write_owned(ctx: &mut Ctx<'_>, path: &str, text: &str, mode: u32, owner: (u32, u32)) -> bool {
    let now = ctx.now();
    let path = absolute(ctx, path);
    let fs = ctx.fs_mut();
    match fs.put_file(&path, text.as_bytes(), mode, now) {
        Ok(ino) => {
            if let Some(node) = fs.node_mut(ino) {
                node.mode = mode;
                (node.uid, node.gid) = owner;
            }
            true
        }
        Err(_) => false,
    }
}

/// `ssh-keygen [-t TYPE] [-b BITS] [-f FILE] [-N PASSPHRASE] [-C COMMENT] [-q]`: makes a key
/// pair. Without `-f` it asks for the file, without `-N` for a passphrase twice; in the terminal
/// GuestLab presses Enter for the learner (the default file, no passphrase), from a pipe it
/// reads the answers as the real tool does when standard input is not a terminal.
pub fn ssh_keygen_generate(ctx: &mut Ctx<'_>, args: &[String]) -> i32 {
    let (options, _) = getopt(&args[1..]);
    let value = |c: char| options.iter().rev().find(|(o, _)| *o == c).and_then(|(_, v)| v.clone());
    let quiet = options.iter().any(|(o, _)| *o == 'q');
    let interactive = ctx.stdin.is_empty();
    let type_name = value('t').unwrap_or_else(|| "rsa".to_owned());
    let kind = match type_name.to_lowercase().as_str() {
        "rsa" => KeyType::Rsa,
        "ed25519" => KeyType::Ed25519,
        "ecdsa" => KeyType::Ecdsa,
        "dsa" => KeyType::Dsa,
        _ => {
            ctx.err(&format!("unknown key type {type_name}\n"));
            return 255;
        }
    };
    let bits = match value('b').map(|b| b.parse::<u32>()) {
        None => match kind {
            KeyType::Rsa => 3072,
            KeyType::Dsa => 1024,
            _ => 256,
        },
        Some(Ok(b)) => b,
        Some(Err(_)) => {
            ctx.err(&format!("Bits has bad value {} (invalid)\n", value('b').unwrap_or_default()));
            return 255;
        }
    };
    let bad_length = match kind {
        KeyType::Rsa if bits < 1024 => Some("Invalid RSA key length: minimum is 1024 bits"),
        KeyType::Rsa if bits > 16384 => Some("Invalid RSA key length: maximum is 16384 bits"),
        KeyType::Ecdsa if ![256, 384, 521].contains(&bits) => {
            Some("Invalid ECDSA key length: valid lengths are 256, 384 or 521 bits")
        }
        KeyType::Dsa if bits != 1024 => Some("Invalid DSS key length: must be 1024 bits"),
        _ => None,
    };
    if let Some(message) = bad_length {
        ctx.err(&format!("{message}\n"));
        return 255;
    }
    let name = match kind {
        KeyType::Rsa => "rsa",
        KeyType::Ed25519 => "ed25519",
        KeyType::Ecdsa => "ecdsa",
        KeyType::Dsa => "dsa",
    };
    if !quiet {
        ctx.out(&format!("Generating public/private {name} key pair.\n"));
    }
    let (user, uid, gid, home) = current_account(ctx);
    let file = match value('f') {
        Some(f) => f,
        None => {
            let default = format!("{home}/.ssh/id_{name}");
            ctx.out(&format!("Enter file in which to save the key ({default}): "));
            let Some(typed) = answer(ctx, interactive) else { return 1 };
            if interactive {
                ctx.out("\n");
            }
            if typed.is_empty() { default } else { typed }
        }
    };
    // hostfile_create_user_ssh_dir: the user's ~/.ssh, when the key goes there.
    let ssh_dir = format!("{home}/.ssh");
    if absolute(ctx, &file).starts_with(&format!("{ssh_dir}/")) && ctx.resolve(&ssh_dir, true).is_err() {
        let now = ctx.now();
        if let Ok(ino) = ctx.fs_mut().mkdir_p(&ssh_dir, 0o700, now)
            && let Some(node) = ctx.fs_mut().node_mut(ino)
        {
            (node.uid, node.gid) = (uid, gid);
        }
        if !quiet {
            ctx.err(&format!("Created directory '{ssh_dir}'.\n"));
        }
    }
    if ctx.resolve(&file, true).is_ok() {
        ctx.out(&format!("{file} already exists.\nOverwrite (y/n)? "));
        // In the terminal GuestLab answers "n": it never destroys a key on its own.
        let yes = if interactive {
            ctx.out("n\n");
            false
        } else {
            answer(ctx, false).is_some_and(|a| a.starts_with(['y', 'Y']))
        };
        if !yes {
            return 1;
        }
    }
    let passphrase = match value('N') {
        Some(p) => p,
        None => loop {
            ctx.err("Enter passphrase (empty for no passphrase): ");
            let Some(first) = answer(ctx, interactive) else {
                return 1;
            };
            if interactive {
                ctx.err("\n");
            }
            ctx.err("Enter same passphrase again: ");
            let Some(second) = answer(ctx, interactive) else {
                return 1;
            };
            if interactive {
                ctx.err("\n");
            }
            if first == second {
                break first;
            }
            ctx.err("Passphrases do not match.  Try again.\n");
        },
    };
    let hostname = ctx.read_text("/etc/hostname", 256).map_or_else(|| "localhost".to_owned(), |h| h.trim().to_owned());
    let comment = value('C').unwrap_or_else(|| format!("{user}@{hostname}"));
    let pair = generate(kind, bits, &comment, &passphrase, &mut ctx.world.rng);
    if !write_owned(ctx, &file, &pair.private, 0o600, (uid, gid)) {
        ctx.err(&format!("Saving key \"{file}\" failed: No such file or directory\n"));
        return 255;
    }
    if !quiet {
        ctx.out(&format!("Your identification has been saved in {file}\n"));
    }
    let public_file = format!("{file}.pub");
    if !write_owned(ctx, &public_file, &pair.public, 0o644, (uid, gid)) {
        ctx.err(&format!("Unable to save public key to {public_file}: No such file or directory\n"));
        return 255;
    }
    if !quiet {
        ctx.out(&format!(
            "Your public key has been saved in {public_file}\nThe key fingerprint is:\n{} {comment}\nThe key's randomart image is:\n{}\n",
            fingerprint(&pair.blob),
            randomart(&pair.blob)
        ));
    }
    let _ = ROOT;
    0
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng as _;

    fn rng() -> rand_chacha::ChaCha8Rng {
        rand_chacha::ChaCha8Rng::seed_from_u64(7)
    }

    #[test]
    fn an_ed25519_private_key_file_has_the_real_length_and_its_public_half_in_the_clear() {
        let pair = generate(KeyType::Ed25519, 256, "root@vm", "", &mut rng());
        // ssh-keygen -t ed25519 -C root@vm -N '' writes 399 bytes.
        assert_eq!(pair.private.len(), 399);
        assert_eq!(private_key_info(&pair.private), Some((pair.blob.clone(), false)));
        assert!(pair.public.starts_with("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI"));
        assert!(pair.public.ends_with(" root@vm\n"));
        assert_eq!(key_info(&pair.blob), Some((KeyType::Ed25519, 256)));
        let locked = generate(KeyType::Ed25519, 256, "a", "secret", &mut rng());
        assert_eq!(private_key_info(&locked.private).map(|(_, e)| e), Some(true));
    }

    #[test]
    fn key_sizes_are_read_back_from_the_blob() {
        for (kind, bits) in [(KeyType::Rsa, 3072), (KeyType::Rsa, 4096), (KeyType::Ecdsa, 384), (KeyType::Dsa, 1024)] {
            let pair = generate(kind, bits, "", "", &mut rng());
            assert_eq!(key_info(&pair.blob), Some((kind, bits)), "{kind:?} {bits}");
        }
        let rsa = generate(KeyType::Rsa, 3072, "x", "", &mut rng());
        assert!(rsa.public.starts_with("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQ"), "{}", rsa.public);
    }

    #[test]
    fn randomart_has_openssh_frame() {
        let pair = generate(KeyType::Ed25519, 256, "", "", &mut rng());
        let art = randomart(&pair.blob);
        let lines: Vec<&str> = art.lines().collect();
        assert_eq!(lines.len(), 11);
        assert_eq!(lines[0], "+--[ED25519 256]--+");
        assert_eq!(lines[10], "+----[SHA256]-----+");
        assert!(lines[1..10].iter().all(|l| l.len() == 19 && l.starts_with('|') && l.ends_with('|')));
        assert_eq!(art.matches('S').count() - 1, 1, "one start mark besides the frame's SHA256");
        let rsa = generate(KeyType::Rsa, 3072, "", "", &mut rng());
        assert!(randomart(&rsa.blob).starts_with("+---[RSA 3072]----+\n"));
    }

    #[test]
    fn getopt_splits_as_ssh_keygen_reads_its_arguments() {
        let args: Vec<String> =
            ["-qt", "ed25519", "-f./k", "-N", "", "-C", "a b"].iter().map(ToString::to_string).collect();
        let (options, operands) = getopt(&args);
        assert_eq!(
            options,
            [
                ('q', None),
                ('t', Some("ed25519".to_owned())),
                ('f', Some("./k".to_owned())),
                ('N', Some(String::new())),
                ('C', Some("a b".to_owned()))
            ]
        );
        assert!(operands.is_empty());
    }
}
