//! What a command sees while it runs: the world, its standard input, and where it writes.

use crate::sim::vfs::{FsError, Ino, Node, ROOT, Vfs};
use crate::sim::world::{MAX_OUTPUT, Machine, World};

/// Standard output or standard error of a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fd {
    Out,
    Err,
}

/// The context of one running command.
pub struct Ctx<'w> {
    pub world: &'w mut World,
    pub stdin: Vec<u8>,
    /// Whether standard output goes into a pipe (for commands that, like `yes`, are ended by
    /// the reader going away rather than by themselves).
    pub stdout_is_pipe: bool,
    chunks: Vec<(Fd, Vec<u8>)>,
    written: usize,
    truncated: bool,
    clear: bool,
}

impl<'w> Ctx<'w> {
    pub fn new(world: &'w mut World, stdin: Vec<u8>) -> Self {
        Self { world, stdin, stdout_is_pipe: false, chunks: Vec::new(), written: 0, truncated: false, clear: false }
    }

    fn write(&mut self, fd: Fd, bytes: &[u8]) {
        if self.truncated || bytes.is_empty() {
            return;
        }
        let room = MAX_OUTPUT.saturating_sub(self.written);
        let (bytes, cut) = if bytes.len() > room { (&bytes[..room], true) } else { (bytes, false) };
        self.written += bytes.len();
        match self.chunks.last_mut() {
            Some((f, buf)) if *f == fd => buf.extend_from_slice(bytes),
            _ => self.chunks.push((fd, bytes.to_vec())),
        }
        if cut {
            self.truncated = true;
            let note = format!("\n[GuestLab: output cut off after {} MiB]\n", MAX_OUTPUT >> 20);
            self.chunks.push((Fd::Err, note.into_bytes()));
        }
    }

    /// Writes to standard output.
    pub fn out(&mut self, text: &str) {
        self.write(Fd::Out, text.as_bytes());
    }

    /// Writes bytes to standard output.
    pub fn out_bytes(&mut self, bytes: &[u8]) {
        self.write(Fd::Out, bytes);
    }

    /// Writes to standard error.
    pub fn err(&mut self, text: &str) {
        self.write(Fd::Err, text.as_bytes());
    }

    /// Whether the output limit was reached (long-running commands stop early).
    pub fn output_full(&self) -> bool {
        self.truncated
    }

    /// Asks the terminal to clear the screen.
    pub fn clear_screen(&mut self) {
        self.clear = true;
        self.chunks.clear();
    }

    /// What the command wrote, and whether it cleared the screen.
    pub fn finish(self) -> (Vec<(Fd, Vec<u8>)>, bool) {
        (self.chunks, self.clear)
    }

    /// The current time of the world, seconds since the epoch.
    pub fn now(&self) -> i64 {
        self.world.clock
    }

    pub fn machine(&self) -> &Machine {
        self.world.machine()
    }

    pub fn machine_mut(&mut self) -> &mut Machine {
        self.world.machine_mut()
    }

    pub fn fs(&self) -> &Vfs {
        &self.world.machine().fs
    }

    pub fn fs_mut(&mut self) -> &mut Vfs {
        &mut self.world.machine_mut().fs
    }

    /// The working directory's inode.
    pub fn cwd(&self) -> Ino {
        let m = self.machine();
        m.fs.resolve(ROOT, &m.cwd, true).unwrap_or(ROOT)
    }

    /// Resolves a path relative to the working directory.
    pub fn resolve(&self, path: &str, follow: bool) -> Result<Ino, FsError> {
        self.fs().resolve(self.cwd(), path, follow)
    }

    /// The node at a path.
    /// The text of a file (relative to the working directory), at most `limit` bytes.
    pub fn read_text(&self, path: &str, limit: usize) -> Option<String> {
        self.fs().read_text(self.cwd(), path, limit)
    }

    pub fn node(&self, path: &str, follow: bool) -> Result<&Node, FsError> {
        let ino = self.resolve(path, follow)?;
        self.fs().node(ino).ok_or(FsError::NotFound)
    }

    /// An environment variable of the shell.
    pub fn var(&self, name: &str) -> Option<&str> {
        self.machine().env.get(name).map(String::as_str)
    }

    /// The name of a user id, from `/etc/passwd`.
    pub fn user_name(&self, uid: u32) -> String {
        self.id_name("/etc/passwd", uid)
    }

    /// The name of a group id, from `/etc/group`.
    pub fn group_name(&self, gid: u32) -> String {
        self.id_name("/etc/group", gid)
    }

    fn id_name(&self, file: &str, id: u32) -> String {
        let text = self
            .fs()
            .resolve(ROOT, file, true)
            .and_then(|i| self.fs().file(i).map(|f| f.read_all(1 << 20)))
            .unwrap_or_default();
        String::from_utf8_lossy(&text)
            .lines()
            .find_map(|line| {
                let mut fields = line.split(':');
                let name = fields.next()?;
                fields.next()?;
                (fields.next()?.parse::<u32>().ok()? == id).then(|| name.to_owned())
            })
            .unwrap_or_else(|| id.to_string())
    }

    /// Looks a user up by name in `/etc/passwd`: (uid, gid, home).
    pub fn user(&self, name: &str) -> Option<(u32, u32, String)> {
        let text = self
            .fs()
            .resolve(ROOT, "/etc/passwd", true)
            .and_then(|i| self.fs().file(i).map(|f| f.read_all(1 << 20)))
            .ok()?;
        String::from_utf8_lossy(&text).lines().find_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            (f.len() >= 6 && f[0] == name)
                .then(|| (f[2].parse().unwrap_or(0), f[3].parse().unwrap_or(0), f[5].to_owned()))
        })
    }
}
