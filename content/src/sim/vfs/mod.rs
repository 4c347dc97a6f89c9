//! A simulated Linux file system: directories, regular files with an apparent size and
//! allocated blocks, symbolic links and character devices, with modes, owners and mtimes.
//!
//! Nodes live in an arena indexed by inode number. Files are behind `Arc`, so cloning the whole
//! file system (for undo) shares every file that is not changed afterwards.

pub mod data;
pub mod diff;
pub mod usage;

use std::collections::BTreeMap;
use std::sync::Arc;

pub use data::{BLOCK_SIZE, BlockState, Blocks, Contents, Fill};
pub use usage::MAX_FILE_DATA;

use crate::sim::disk::qcow2::Qcow2;

/// An inode number.
pub type Ino = usize;

/// The longest chain of symbolic links followed, as Linux (`ELOOP`).
const MAX_SYMLINKS: usize = 40;

/// Errors of file system calls, named after their errno; [`FsError::message`] gives the
/// `strerror` text the real tools print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FsError {
    #[error("No such file or directory")]
    NotFound,
    #[error("Not a directory")]
    NotDir,
    #[error("Is a directory")]
    IsDir,
    #[error("File exists")]
    Exists,
    #[error("Directory not empty")]
    NotEmpty,
    #[error("Too many levels of symbolic links")]
    Loop,
    #[error("Invalid argument")]
    Invalid,
    #[error("File too large")]
    TooBig,
    #[error("No space left on device")]
    NoSpace,
    #[error("Device or resource busy")]
    Busy,
}

impl FsError {
    /// The `strerror` text.
    pub fn message(self) -> String {
        self.to_string()
    }
}

/// A regular file: its length, its contents, its blocks, and (for disk images written by
/// qemu-img) the image structure that gives the bytes their meaning.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RegularFile {
    /// The apparent size (`ls -l`, `stat -c %s`).
    pub len: u64,
    pub contents: Contents,
    pub blocks: Blocks,
    /// The structure of a qcow2 image, kept beside its bytes (the bytes of its data clusters
    /// are in `contents`, at their host offsets).
    pub qcow2: Option<Box<Qcow2>>,
    /// The root file system of the guest OS installed on this disk image, when it holds one
    /// (GuestLab keeps a guest's files as a file system of their own, not as blocks).
    pub guest: Option<Box<Vfs>>,
}

impl RegularFile {
    /// A file holding `bytes`, fully written.
    pub fn with_bytes(bytes: &[u8]) -> Self {
        let mut blocks = Blocks::default();
        blocks.write(0, bytes.len() as u64);
        Self { len: bytes.len() as u64, contents: Contents::from_bytes(bytes), blocks, qcow2: None, guest: None }
    }

    /// Writes bytes at `offset`, growing the file if needed.
    pub fn write(&mut self, offset: u64, bytes: &[u8]) {
        self.contents.write_bytes(offset, bytes);
        self.blocks.write(offset, bytes.len() as u64);
        self.len = self.len.max(offset + bytes.len() as u64);
    }

    /// Writes `len` copies of `byte` at `offset` (as `dd` and `qemu-io write -P` do).
    pub fn write_fill(&mut self, offset: u64, len: u64, byte: u8) {
        self.contents.fill(offset, len, byte);
        self.blocks.write(offset, len);
        self.len = self.len.max(offset + len);
    }

    /// Sets the apparent size; shrinking drops contents and blocks past the end.
    pub fn truncate(&mut self, len: u64) {
        if len < self.len {
            self.contents.truncate(len);
            self.blocks.truncate(len);
        }
        self.len = len;
    }

    /// Reads up to `limit` bytes from the start.
    pub fn read_all(&self, limit: usize) -> Vec<u8> {
        let len = usize::try_from(self.len).unwrap_or(usize::MAX).min(limit);
        self.contents.read(0, len)
    }

    /// `stat -c %b`: allocated 512-byte units.
    pub fn stat_blocks(&self) -> u64 {
        self.blocks.allocated() * (BLOCK_SIZE / 512)
    }
}

/// What a node is.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    Dir(BTreeMap<String, Ino>),
    File(Arc<RegularFile>),
    Symlink(String),
    /// A character device with its major and minor numbers (`/dev/null`, `/dev/kvm`).
    CharDev {
        major: u32,
        minor: u32,
    },
}

/// A file system object with its metadata.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub kind: NodeKind,
    /// Permission bits (`0o644`); the file type comes from `kind`.
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Modification time, seconds since the Unix epoch.
    pub mtime: i64,
    /// Number of hard links (directories: 2 + subdirectories).
    pub nlink: u32,
}

impl Node {
    pub fn is_dir(&self) -> bool {
        matches!(self.kind, NodeKind::Dir(_))
    }

    /// The type letter of `ls -l`: `d`, `-`, `l`, `c`.
    pub fn type_char(&self) -> char {
        match self.kind {
            NodeKind::Dir(_) => 'd',
            NodeKind::File(_) => '-',
            NodeKind::Symlink(_) => 'l',
            NodeKind::CharDev { .. } => 'c',
        }
    }

    /// `-rw-r--r--` and friends.
    pub fn mode_string(&self) -> String {
        let mut s = String::with_capacity(10);
        s.push(self.type_char());
        for shift in [6, 3, 0] {
            let bits = (self.mode >> shift) & 7;
            s.push(if bits & 4 != 0 { 'r' } else { '-' });
            s.push(if bits & 2 != 0 { 'w' } else { '-' });
            s.push(if bits & 1 != 0 { 'x' } else { '-' });
        }
        if self.mode & 0o1000 != 0 {
            s.pop();
            s.push(if self.mode & 1 != 0 { 't' } else { 'T' });
        }
        s
    }

    /// The apparent size: file length, symlink target length, 4096 for directories.
    pub fn size(&self) -> u64 {
        match &self.kind {
            NodeKind::Dir(_) => BLOCK_SIZE,
            NodeKind::File(f) => f.len,
            NodeKind::Symlink(target) => target.len() as u64,
            NodeKind::CharDev { .. } => 0,
        }
    }

    /// Allocated 512-byte units (`stat -c %b`). Short symlinks live in the inode (ext4 fast
    /// symlinks) and take no block.
    pub fn stat_blocks(&self) -> u64 {
        match &self.kind {
            NodeKind::Dir(_) => BLOCK_SIZE / 512,
            NodeKind::File(f) => f.stat_blocks(),
            NodeKind::Symlink(target) if target.len() >= 60 => BLOCK_SIZE / 512,
            NodeKind::Symlink(_) | NodeKind::CharDev { .. } => 0,
        }
    }

    /// `stat -c %F`.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            NodeKind::Dir(_) => "directory",
            NodeKind::File(f) if f.len == 0 => "regular empty file",
            NodeKind::File(_) => "regular file",
            NodeKind::Symlink(_) => "symbolic link",
            NodeKind::CharDev { .. } => "character special file",
        }
    }
}

/// Limits that keep a runaway script from eating the learner's memory.
pub const MAX_NODES: usize = 200_000;

/// A file system.
#[derive(Clone, Debug, PartialEq)]
pub struct Vfs {
    nodes: Vec<Option<Node>>,
    free: Vec<Ino>,
    /// The parent of each directory, for `..`.
    parents: BTreeMap<Ino, Ino>,
}

/// The root directory's inode.
pub const ROOT: Ino = 0;

impl Default for Vfs {
    fn default() -> Self {
        Self::new(0)
    }
}

impl Vfs {
    /// An empty file system with a root directory owned by root.
    pub fn new(now: i64) -> Self {
        let root = Node { kind: NodeKind::Dir(BTreeMap::new()), mode: 0o755, uid: 0, gid: 0, mtime: now, nlink: 2 };
        Self { nodes: vec![Some(root)], free: Vec::new(), parents: BTreeMap::from([(ROOT, ROOT)]) }
    }

    pub fn node(&self, ino: Ino) -> Option<&Node> {
        self.nodes.get(ino).and_then(Option::as_ref)
    }

    pub fn node_mut(&mut self, ino: Ino) -> Option<&mut Node> {
        self.nodes.get_mut(ino).and_then(Option::as_mut)
    }

    /// The number of nodes in use.
    pub fn len(&self) -> usize {
        self.nodes.len() - self.free.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries of a directory.
    pub fn entries(&self, dir: Ino) -> Result<&BTreeMap<String, Ino>, FsError> {
        match self.node(dir).map(|n| &n.kind) {
            Some(NodeKind::Dir(entries)) => Ok(entries),
            Some(_) => Err(FsError::NotDir),
            None => Err(FsError::NotFound),
        }
    }

    pub fn parent(&self, dir: Ino) -> Ino {
        self.parents.get(&dir).copied().unwrap_or(ROOT)
    }

    fn alloc(&mut self, node: Node) -> Result<Ino, FsError> {
        if self.len() >= MAX_NODES {
            return Err(FsError::NoSpace);
        }
        Ok(if let Some(ino) = self.free.pop() {
            self.nodes[ino] = Some(node);
            ino
        } else {
            self.nodes.push(Some(node));
            self.nodes.len() - 1
        })
    }

    /// Resolves `path` (absolute, or relative to `cwd`). With `follow` the last component is
    /// followed if it is a symlink; inner symlinks are always followed.
    pub fn resolve(&self, cwd: Ino, path: &str, follow: bool) -> Result<Ino, FsError> {
        self.resolve_depth(cwd, path, follow, 0)
    }

    fn resolve_depth(&self, cwd: Ino, path: &str, follow: bool, depth: usize) -> Result<Ino, FsError> {
        if path.is_empty() {
            return Err(FsError::NotFound);
        }
        let mut cur = if path.starts_with('/') { ROOT } else { cwd };
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        let trailing_slash = path.ends_with('/') && path.len() > 1;
        for (i, part) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            let node = self.node(cur).ok_or(FsError::NotFound)?;
            let NodeKind::Dir(entries) = &node.kind else {
                return Err(FsError::NotDir);
            };
            let dir = cur;
            cur = match *part {
                "." => cur,
                ".." => self.parent(cur),
                name => *entries.get(name).ok_or(FsError::NotFound)?,
            };
            if let Some(Node { kind: NodeKind::Symlink(target), .. }) = self.node(cur)
                && (!last || follow || trailing_slash)
            {
                if depth >= MAX_SYMLINKS {
                    return Err(FsError::Loop);
                }
                cur = self.resolve_depth(dir, target, true, depth + 1)?;
            }
        }
        if trailing_slash && !self.node(cur).is_some_and(Node::is_dir) {
            return Err(FsError::NotDir);
        }
        Ok(cur)
    }

    /// Splits `path` into its parent directory (resolved) and the last name.
    pub fn resolve_parent<'p>(&self, cwd: Ino, path: &'p str) -> Result<(Ino, &'p str), FsError> {
        let trimmed = path.trim_end_matches('/');
        if trimmed.is_empty() {
            return Err(FsError::Busy);
        }
        let (dir, name) = match trimmed.rfind('/') {
            Some(0) => ("/", &trimmed[1..]),
            Some(i) => (&trimmed[..i], &trimmed[i + 1..]),
            None => (".", trimmed),
        };
        let dir = self.resolve(cwd, dir, true)?;
        if !self.node(dir).is_some_and(Node::is_dir) {
            return Err(FsError::NotDir);
        }
        Ok((dir, name))
    }

    /// Looks up `name` in directory `dir` without following symlinks.
    pub fn lookup(&self, dir: Ino, name: &str) -> Option<Ino> {
        match name {
            "." => Some(dir),
            ".." => Some(self.parent(dir)),
            _ => self.entries(dir).ok()?.get(name).copied(),
        }
    }

    /// Creates a node named `name` in `dir`.
    pub fn create(&mut self, dir: Ino, name: &str, node: Node) -> Result<Ino, FsError> {
        if name.is_empty() || name == "." || name == ".." {
            return Err(FsError::Exists);
        }
        if self.lookup(dir, name).is_some() {
            return Err(FsError::Exists);
        }
        let is_dir = node.is_dir();
        let mtime = node.mtime;
        let ino = self.alloc(node)?;
        let Some(Node { kind: NodeKind::Dir(entries), nlink, mtime: dir_mtime, .. }) = self.node_mut(dir) else {
            return Err(FsError::NotDir);
        };
        entries.insert(name.to_owned(), ino);
        *dir_mtime = mtime;
        if is_dir {
            *nlink += 1;
            self.parents.insert(ino, dir);
        }
        Ok(ino)
    }

    /// Removes the entry `name` from `dir`; the node is freed if nothing else links to it.
    /// Directories must be empty.
    pub fn unlink(&mut self, dir: Ino, name: &str, now: i64) -> Result<(), FsError> {
        let ino = self.lookup(dir, name).ok_or(FsError::NotFound)?;
        if name == "." || name == ".." {
            return Err(FsError::Invalid);
        }
        let is_dir = match self.node(ino).map(|n| &n.kind) {
            Some(NodeKind::Dir(entries)) => {
                if !entries.is_empty() {
                    return Err(FsError::NotEmpty);
                }
                true
            }
            _ => false,
        };
        if let Some(Node { kind: NodeKind::Dir(entries), nlink, mtime, .. }) = self.node_mut(dir) {
            entries.remove(name);
            *mtime = now;
            if is_dir {
                *nlink -= 1;
            }
        }
        let remaining = match self.node_mut(ino) {
            Some(node) => {
                node.nlink = node.nlink.saturating_sub(if is_dir { 2 } else { 1 });
                node.nlink
            }
            None => 0,
        };
        if is_dir || remaining == 0 {
            self.nodes[ino] = None;
            self.free.push(ino);
            self.parents.remove(&ino);
        }
        Ok(())
    }

    /// Moves the entry `name` of `dir` to `new_name` in `new_dir` (replacing a non-directory
    /// there), as `rename(2)`.
    pub fn rename(&mut self, dir: Ino, name: &str, new_dir: Ino, new_name: &str, now: i64) -> Result<(), FsError> {
        let ino = self.lookup(dir, name).ok_or(FsError::NotFound)?;
        if let Some(existing) = self.lookup(new_dir, new_name) {
            if existing == ino {
                return Ok(());
            }
            if self.node(existing).is_some_and(Node::is_dir) {
                if !self.node(ino).is_some_and(Node::is_dir) {
                    return Err(FsError::IsDir);
                }
                if !self.entries(existing)?.is_empty() {
                    return Err(FsError::NotEmpty);
                }
            } else if self.node(ino).is_some_and(Node::is_dir) {
                return Err(FsError::NotDir);
            }
            self.unlink(new_dir, new_name, now)?;
        }
        // A directory cannot move into itself.
        if self.node(ino).is_some_and(Node::is_dir) {
            let mut d = new_dir;
            loop {
                if d == ino {
                    return Err(FsError::Invalid);
                }
                if d == ROOT {
                    break;
                }
                d = self.parent(d);
            }
        }
        let is_dir = self.node(ino).is_some_and(Node::is_dir);
        if let Some(Node { kind: NodeKind::Dir(entries), nlink, mtime, .. }) = self.node_mut(dir) {
            entries.remove(name);
            *mtime = now;
            if is_dir {
                *nlink -= 1;
            }
        }
        if let Some(Node { kind: NodeKind::Dir(entries), nlink, mtime, .. }) = self.node_mut(new_dir) {
            entries.insert(new_name.to_owned(), ino);
            *mtime = now;
            if is_dir {
                *nlink += 1;
            }
        }
        if is_dir {
            self.parents.insert(ino, new_dir);
        }
        Ok(())
    }

    /// The absolute path of a directory (by walking up through `..`).
    pub fn dir_path(&self, dir: Ino) -> String {
        let mut parts = Vec::new();
        let mut cur = dir;
        while cur != ROOT {
            let parent = self.parent(cur);
            let name = self
                .entries(parent)
                .ok()
                .and_then(|e| e.iter().find(|(_, i)| **i == cur).map(|(n, _)| n.clone()))
                .unwrap_or_default();
            parts.push(name);
            if parent == cur {
                break;
            }
            cur = parent;
        }
        parts.reverse();
        format!("/{}", parts.join("/"))
    }

    /// The text of the file at `path` (relative to `cwd`, symlinks followed), at most `limit`
    /// bytes; `None` when there is no readable regular file there.
    pub fn read_text(&self, cwd: Ino, path: &str, limit: usize) -> Option<String> {
        let ino = self.resolve(cwd, path, true).ok()?;
        self.file(ino).ok().map(|f| String::from_utf8_lossy(&f.read_all(limit)).into_owned())
    }

    /// The regular file at `ino`, for reading.
    pub fn file(&self, ino: Ino) -> Result<&RegularFile, FsError> {
        match self.node(ino).map(|n| &n.kind) {
            Some(NodeKind::File(f)) => Ok(f),
            Some(NodeKind::Dir(_)) => Err(FsError::IsDir),
            Some(_) => Err(FsError::Invalid),
            None => Err(FsError::NotFound),
        }
    }

    /// The regular file at `ino`, for writing (copied first if an undo snapshot shares it).
    /// Sets the mtime.
    pub fn file_mut(&mut self, ino: Ino, now: i64) -> Result<&mut RegularFile, FsError> {
        match self.node_mut(ino) {
            Some(Node { kind: NodeKind::File(f), mtime, .. }) => {
                *mtime = now;
                Ok(Arc::make_mut(f))
            }
            Some(Node { kind: NodeKind::Dir(_), .. }) => Err(FsError::IsDir),
            Some(_) => Err(FsError::Invalid),
            None => Err(FsError::NotFound),
        }
    }

    /// Creates every missing directory of an absolute path (as `mkdir -p`), owned by root.
    pub fn mkdir_p(&mut self, path: &str, mode: u32, now: i64) -> Result<Ino, FsError> {
        let mut cur = ROOT;
        for part in path.split('/').filter(|p| !p.is_empty()) {
            cur = match self.lookup(cur, part) {
                Some(ino) => match self.node(ino).map(|n| &n.kind) {
                    Some(NodeKind::Dir(_)) => ino,
                    Some(NodeKind::Symlink(_)) => self.resolve(cur, part, true)?,
                    _ => return Err(FsError::NotDir),
                },
                None => self.create(cur, part, Node::dir(mode, now))?,
            };
        }
        Ok(cur)
    }

    /// Writes a whole file at an absolute path (creating it, or replacing its contents), for
    /// setting up machines.
    pub fn put_file(&mut self, path: &str, bytes: &[u8], mode: u32, now: i64) -> Result<Ino, FsError> {
        let (dir, name) = self.resolve_parent(ROOT, path)?;
        let name = name.to_owned();
        match self.lookup(dir, &name) {
            Some(ino) => {
                *self.file_mut(ino, now)? = RegularFile::with_bytes(bytes);
                Ok(ino)
            }
            None => self.create(dir, &name, Node::file(RegularFile::with_bytes(bytes), mode, now)),
        }
    }

    /// Creates a symbolic link at an absolute path.
    pub fn put_symlink(&mut self, path: &str, target: &str, now: i64) -> Result<Ino, FsError> {
        let (dir, name) = self.resolve_parent(ROOT, path)?;
        let name = name.to_owned();
        self.create(dir, &name, Node::symlink(target, now))
    }

    /// The canonical absolute path of `path` with every symlink resolved (`readlink -f`,
    /// `realpath`). Only the last component may be missing.
    pub fn canonicalize(&self, cwd: Ino, path: &str) -> Result<String, FsError> {
        self.canonicalize_depth(cwd, path, 0)
    }

    fn canonicalize_depth(&self, cwd: Ino, path: &str, depth: usize) -> Result<String, FsError> {
        if depth > MAX_SYMLINKS {
            return Err(FsError::Loop);
        }
        let mut dir = if path.starts_with('/') { ROOT } else { cwd };
        let parts: Vec<&str> = path.split('/').filter(|p| !p.is_empty()).collect();
        for (i, part) in parts.iter().enumerate() {
            let last = i + 1 == parts.len();
            match *part {
                "." => continue,
                ".." => {
                    dir = self.parent(dir);
                    continue;
                }
                _ => {}
            }
            let Some(ino) = self.lookup(dir, part) else {
                if last {
                    let base = self.dir_path(dir);
                    return Ok(if base == "/" { format!("/{part}") } else { format!("{base}/{part}") });
                }
                return Err(FsError::NotFound);
            };
            match self.node(ino).map(|n| &n.kind) {
                Some(NodeKind::Dir(_)) => dir = ino,
                Some(NodeKind::Symlink(target)) => {
                    let resolved = self.canonicalize_depth(dir, target, depth + 1)?;
                    if last {
                        return Ok(resolved);
                    }
                    dir = self.resolve(ROOT, &resolved, true)?;
                    if !self.node(dir).is_some_and(Node::is_dir) {
                        return Err(FsError::NotDir);
                    }
                }
                Some(_) if last => {
                    let base = self.dir_path(dir);
                    return Ok(if base == "/" { format!("/{part}") } else { format!("{base}/{part}") });
                }
                _ => return Err(FsError::NotDir),
            }
        }
        Ok(self.dir_path(dir))
    }
}

impl Node {
    /// A directory node.
    pub fn dir(mode: u32, now: i64) -> Self {
        Self { kind: NodeKind::Dir(BTreeMap::new()), mode, uid: 0, gid: 0, mtime: now, nlink: 2 }
    }

    /// A regular file node.
    pub fn file(file: RegularFile, mode: u32, now: i64) -> Self {
        Self { kind: NodeKind::File(Arc::new(file)), mode, uid: 0, gid: 0, mtime: now, nlink: 1 }
    }

    /// A symbolic link node (mode 0777, as on Linux).
    pub fn symlink(target: &str, now: i64) -> Self {
        Self { kind: NodeKind::Symlink(target.to_owned()), mode: 0o777, uid: 0, gid: 0, mtime: now, nlink: 1 }
    }
}

#[cfg(test)]
mod tests;
