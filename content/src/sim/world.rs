//! The simulated world: a host machine (and, later, its guests), a seeded random generator and
//! a simulated clock. Every change to the world goes through [`World::run`], the shell.

use std::collections::BTreeMap;

use rand::SeedableRng as _;
use rand_chacha::ChaCha8Rng;

use crate::sim::shell;
use crate::sim::vfs::Vfs;

/// The seconds since the Unix epoch at which every world starts: Monday, 2 June 2025,
/// 09:00:00 UTC (a weekday while Debian 12 was the stable release).
pub const EPOCH: i64 = 1_748_854_800;

/// The largest output one command may produce before it is cut off.
pub const MAX_OUTPUT: usize = 4 << 20;

/// The most one run of shell input (a script, or a line typed into the terminal) prints: past
/// it the rest is dropped with one note (the commands still run), so that a runaway script
/// cannot fill the memory of a browser tab.
pub const MAX_SCRIPT_OUTPUT: usize = 2 * MAX_OUTPUT;

/// Which machine of the world.
pub type MachineId = usize;

/// What kind of machine this is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MachineKind {
    /// The Debian 12 KVM host.
    Host,
    /// A guest VM (running under the host's libvirt).
    Guest,
}

/// One simulated computer: its file system and the state of its shell.
#[derive(Clone, Debug, PartialEq)]
pub struct Machine {
    pub name: String,
    pub kind: MachineKind,
    pub fs: Vfs,
    /// The shell's working directory, as the logical path `pwd` prints.
    pub cwd: String,
    pub env: BTreeMap<String, String>,
    /// `$?`.
    pub status: i32,
    /// The lines typed into this machine's shell, for `history`.
    pub history: Vec<String>,
    /// What a guest has while it runs (None for the host).
    pub guest: Option<crate::sim::guest::GuestState>,
}

impl Machine {
    /// The host name from `/etc/hostname`.
    pub fn hostname(&self) -> String {
        self.fs
            .read_text(crate::sim::vfs::ROOT, "/etc/hostname", 256)
            .map_or_else(|| self.name.clone(), |h| h.trim().to_owned())
    }

    /// The prompt bash shows: `root@host:~#`.
    pub fn prompt(&self) -> String {
        let home = self.env.get("HOME").map_or("/root", String::as_str);
        let dir = if self.cwd == home {
            "~".to_owned()
        } else if let Some(rest) = self.cwd.strip_prefix(home).filter(|r| r.starts_with('/')) {
            format!("~{rest}")
        } else {
            self.cwd.clone()
        };
        let user = self.env.get("USER").map_or("root", String::as_str);
        let sign = if user == "root" { '#' } else { '$' };
        format!("{user}@{}:{dir}{sign} ", self.hostname())
    }
}

/// Standard output or standard error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

/// What running shell input printed, in the order it was printed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    pub chunks: Vec<(Stream, String)>,
    /// The exit status of the last command.
    pub status: i32,
    /// `clear` was run: the terminal should be emptied before showing the chunks.
    pub clear: bool,
    /// The input ended inside a quote or a here-document: an interactive shell waits for more.
    pub incomplete: bool,
    /// Bytes pushed so far, against [`MAX_SCRIPT_OUTPUT`].
    printed: usize,
}

impl Output {
    /// Everything printed to standard output.
    pub fn stdout(&self) -> String {
        self.stream(Stream::Out)
    }

    /// Everything printed to standard error.
    pub fn stderr(&self) -> String {
        self.stream(Stream::Err)
    }

    fn stream(&self, stream: Stream) -> String {
        self.chunks.iter().filter(|(s, _)| *s == stream).map(|(_, t)| t.as_str()).collect()
    }

    /// Appends text to a stream, joining it with the previous chunk of the same stream.
    pub fn push(&mut self, stream: Stream, text: &str) {
        if text.is_empty() || self.printed > MAX_SCRIPT_OUTPUT {
            return;
        }
        let room = MAX_SCRIPT_OUTPUT - self.printed;
        if text.len() > room {
            let mut end = room;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            self.push(stream, &text[..end]);
            self.printed = MAX_SCRIPT_OUTPUT + 1;
            let note =
                format!("\n[GuestLab: the rest of the output is cut off after {} MiB]\n", MAX_SCRIPT_OUTPUT >> 20);
            self.chunks.push((Stream::Err, note));
            return;
        }
        self.printed += text.len();
        match self.chunks.last_mut() {
            Some((s, t)) if *s == stream => t.push_str(text),
            _ => self.chunks.push((stream, text.to_owned())),
        }
    }

    /// Appends another output.
    pub fn extend(&mut self, other: Self) {
        if other.clear {
            self.chunks.clear();
            self.clear = true;
        }
        for (stream, text) in other.chunks {
            self.push(stream, &text);
        }
        self.status = other.status;
        self.incomplete = other.incomplete;
    }
}

/// The simulated world.
#[derive(Clone, Debug)]
pub struct World {
    pub machines: Vec<Machine>,
    /// The machine the learner's shell is on.
    pub current: MachineId,
    /// Seconds since the Unix epoch.
    pub clock: i64,
    pub rng: ChaCha8Rng,
    pub seed: u64,
    /// The host's libvirt daemon: its domains, networks and pools.
    pub libvirt: crate::sim::libvirt::Libvirt,
    /// The machines to go back to when the shell on the current one ends (`virsh console`,
    /// `ssh`; `exit` returns), with what ending that session prints.
    pub return_to: Vec<(MachineId, String)>,
    /// Set by `exit` on the outermost shell: the rest of the script is not run (as bash ends a
    /// script there).
    pub exited: bool,
    /// The second KVM host `virsh migrate` moves domains to (made on first use).
    pub host2: Option<Box<crate::sim::hypervisor::host2::Host2>>,
}

impl World {
    /// A fresh world: the Debian 12 host, shell in `/root`, clock at [`EPOCH`].
    pub fn new(seed: u64) -> Self {
        let host = crate::sim::host::debian_host(EPOCH);
        let mut world = Self {
            machines: vec![host],
            current: 0,
            clock: EPOCH,
            rng: ChaCha8Rng::seed_from_u64(seed),
            seed,
            libvirt: crate::sim::libvirt::Libvirt::default(),
            return_to: Vec::new(),
            exited: false,
            host2: None,
        };
        crate::sim::libvirt::setup::install(&mut world);
        world
    }

    /// The world the libvirt lessons start from: [`World::new`] plus the sample VM `bookworm`
    /// (defined, shut off) and the storage pool `default`.
    pub fn with_sample_vm(seed: u64) -> Self {
        let mut world = Self::new(seed);
        crate::sim::libvirt::setup::add_sample_vm(&mut world);
        world
    }

    /// The world of the cloud-init lessons: [`World::new`] plus the Debian 12 genericcloud image
    /// in `/var/lib/libvirt/images` (cloud-init installed, never run) and the pool `default`.
    pub fn with_cloud_image(seed: u64) -> Self {
        let mut world = Self::new(seed);
        crate::sim::guest::cloud_image::add_cloud_image(&mut world);
        world
    }

    /// A world by scenario name: `bare` (the host, libvirt installed, no VM), `bookworm`, or `cloud`.
    pub fn scenario(name: &str, seed: u64) -> Option<Self> {
        match name {
            "bare" => Some(Self::new(seed)),
            "bookworm" => Some(Self::with_sample_vm(seed)),
            "cloud" => Some(Self::with_cloud_image(seed)),
            _ => None,
        }
    }

    /// The machine the shell is on.
    pub fn machine(&self) -> &Machine {
        &self.machines[self.current]
    }

    pub fn machine_mut(&mut self) -> &mut Machine {
        &mut self.machines[self.current]
    }

    /// Runs shell input (one or more lines) on the current machine.
    pub fn run(&mut self, input: &str) -> Output {
        shell::run(self, input)
    }

    /// Advances the simulated clock.
    pub fn tick(&mut self, seconds: i64) {
        self.clock += seconds;
    }
}

/// A world with undo: every command line can be taken back, and the whole scenario started
/// over. The history is bounded so that a long session does not grow without limit.
#[derive(Clone, Debug)]
pub struct Session {
    pub world: World,
    initial: World,
    undo: Vec<World>,
}

/// How many steps can be undone.
pub const UNDO_DEPTH: usize = 100;

impl Session {
    pub fn new(world: World) -> Self {
        Self { initial: world.clone(), world, undo: Vec::new() }
    }

    /// Runs input and remembers the world before it, for [`Session::undo`].
    pub fn run(&mut self, input: &str) -> Output {
        let before = self.world.clone();
        let output = self.world.run(input);
        if self.undo.len() == UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.undo.push(before);
        output
    }

    /// Goes back one step; `false` when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(world) => {
                self.world = world;
                true
            }
            None => false,
        }
    }

    /// How many steps can be undone.
    pub fn undo_steps(&self) -> usize {
        self.undo.len()
    }

    /// Starts the scenario over.
    pub fn reset(&mut self) {
        self.world = self.initial.clone();
        self.undo.clear();
    }
}
