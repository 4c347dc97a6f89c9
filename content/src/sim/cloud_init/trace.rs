//! The trace of one cloud-init boot: what the cloud-init screen plays as a timeline.
//!
//! Every boot of a guest whose image has cloud-init produces a [`CloudInitBoot`], kept on the
//! guest's state ([`crate::sim::guest::GuestState::cloud_init`], the last boot) and obtainable
//! after `virsh start`, `virsh reboot` or `reboot` in the guest with [`last_boot`]. It lists the
//! five stages in the order they ran ([`StageRun`]); each stage lists the modules of its section
//! of `/etc/cloud/cloud.cfg` in order ([`ModuleRun`]) with
//!
//! - what became of it ([`Outcome`]: ran, skipped because it already ran for this instance,
//!   skipped for want of configuration, not verified on Debian, failed),
//! - what it changed in the guest: files ([`FileChange`], from a before/after snapshot of the
//!   whole file system, with the text before and after for small text files) and accounts
//!   ([`AccountChange`], from `/etc/passwd`, `/etc/group` and `/etc/shadow`),
//! - the lines it wrote to `/var/log/cloud-init.log` and to `/var/log/cloud-init-output.log`.
//!
//! Times are milliseconds of the guest's uptime (`at_ms`), as cloud-init's "Up N seconds"
//! counts them; [`CloudInitBoot::started`] is the world clock (Unix seconds) at power-on.
//! Nothing in a trace refers back into the world: it is a plain value the screen can keep.

use crate::sim::World;
use crate::sim::vfs::diff::{ChangeKind, EntryKind};

/// One boot of a guest with cloud-init installed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CloudInitBoot {
    /// The libvirt domain of the guest.
    pub domain: String,
    /// The world clock (Unix seconds) when the guest was powered on.
    pub started: i64,
    /// Whether the systemd generator enabled cloud-init (ds-identify found a datasource and
    /// nothing disabled it). When false, only the Detect stage is in [`Self::stages`].
    pub enabled: bool,
    /// The instance-id of the datasource (`None` without one).
    pub instance_id: Option<String>,
    /// The instance-id recorded by the boot before (`NO_PREVIOUS_INSTANCE_ID` on a first boot).
    pub previous_instance_id: Option<String>,
    /// Whether cloud-init treated this boot as a new instance (the per-instance modules run).
    pub new_instance: bool,
    /// `DataSourceNoCloud [seed=/dev/sr0][dsmode=net]`, as `cloud-init status --long` shows it.
    pub datasource: Option<String>,
    pub stages: Vec<StageRun>,
    /// When the last stage ended, in milliseconds of uptime.
    pub finished_ms: u64,
}

impl CloudInitBoot {
    /// Every module run of the boot, in order, with its stage.
    pub fn modules(&self) -> impl Iterator<Item = (Stage, &ModuleRun)> {
        self.stages.iter().flat_map(|s| s.modules.iter().map(move |m| (s.stage, m)))
    }

    /// The run of a module by its name in cloud.cfg (`write-files`) or its Python name
    /// (`cc_write_files`); the first one if a name is listed twice.
    pub fn module(&self, name: &str) -> Option<&ModuleRun> {
        self.modules().map(|(_, m)| m).find(|m| m.name == name || m.module == name)
    }

    /// The errors cloud-init recorded for the boot (what makes `cloud-init status` say
    /// `error`).
    pub fn errors(&self) -> Vec<String> {
        self.stages.iter().flat_map(|s| s.errors.iter().cloned()).collect()
    }
}

/// The stages of a cloud-init boot on Debian 12, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// The systemd generator `cloud-init-generator` runs `ds-identify`.
    Detect,
    /// `cloud-init-local.service`: `cloud-init init --local`.
    Local,
    /// `cloud-init.service`: `cloud-init init`, the `cloud_init_modules`.
    Network,
    /// `cloud-config.service`: `cloud-init modules --mode=config`, the `cloud_config_modules`.
    Config,
    /// `cloud-final.service`: `cloud-init modules --mode=final`, the `cloud_final_modules`.
    Final,
}

impl Stage {
    pub const ALL: [Self; 5] = [Self::Detect, Self::Local, Self::Network, Self::Config, Self::Final];

    /// The name used in lessons and on the screen.
    pub fn label(self) -> &'static str {
        match self {
            Self::Detect => "Detect",
            Self::Local => "Local",
            Self::Network => "Network",
            Self::Config => "Config",
            Self::Final => "Final",
        }
    }

    /// The systemd unit that runs it.
    pub fn unit(self) -> &'static str {
        match self {
            Self::Detect => "cloud-init-generator",
            Self::Local => "cloud-init-local.service",
            Self::Network => "cloud-init.service",
            Self::Config => "cloud-config.service",
            Self::Final => "cloud-final.service",
        }
    }

    /// The command line of the stage.
    pub fn command(self) -> &'static str {
        match self {
            Self::Detect => "/usr/lib/cloud-init/ds-identify",
            Self::Local => "cloud-init init --local",
            Self::Network => "cloud-init init",
            Self::Config => "cloud-init modules --mode=config",
            Self::Final => "cloud-init modules --mode=final",
        }
    }

    /// The section of cloud.cfg whose modules it runs.
    pub fn section(self) -> Option<&'static str> {
        match self {
            Self::Network => Some("cloud_init_modules"),
            Self::Config => Some("cloud_config_modules"),
            Self::Final => Some("cloud_final_modules"),
            Self::Detect | Self::Local => None,
        }
    }

    /// The mode in `status.json` (`init-local`, `init`, `modules-config`, `modules-final`).
    pub fn mode(self) -> Option<&'static str> {
        match self {
            Self::Local => Some("init-local"),
            Self::Network => Some("init"),
            Self::Config => Some("modules-config"),
            Self::Final => Some("modules-final"),
            Self::Detect => None,
        }
    }
}

/// One stage as it ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageRun {
    pub stage: Stage,
    /// Milliseconds of uptime when it started and ended.
    pub start_ms: u64,
    pub end_ms: u64,
    /// The stage's own lines in `/var/log/cloud-init.log` (banner, datasource search, instance
    /// link, summaries), outside of its modules.
    pub log_lines: Vec<String>,
    /// The stage's own lines in `/var/log/cloud-init-output.log` (the banner, the network
    /// tables).
    pub output_lines: Vec<String>,
    /// What the stage changed outside of its modules (the instance directory, status files).
    pub changes: Vec<FileChange>,
    pub modules: Vec<ModuleRun>,
    /// The errors `status.json` records for the stage.
    pub errors: Vec<String>,
}

/// How often a module runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frequency {
    /// `always`: at every boot.
    Always,
    /// `once-per-instance`: once for each instance-id.
    PerInstance,
    /// `once`: once in the life of the image.
    Once,
}

impl Frequency {
    /// cloud-init's name (`once-per-instance`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Always => "always",
            Self::PerInstance => "once-per-instance",
            Self::Once => "once",
        }
    }
}

/// What became of a module in a boot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// It ran (its semaphore was written, if it has one).
    Ran,
    /// Its semaphore says it already ran (for this instance, or ever): "already ran".
    AlreadyRan,
    /// None of the keys that activate it is in the configuration ("no applicable config").
    NoConfig,
    /// It is not verified on Debian and not in `unverified_modules`.
    NotVerified,
    /// It ran and raised an error (the message `status.json` keeps).
    Failed(String),
}

impl Outcome {
    /// Whether the module did its work in this boot (ran, successfully or not).
    pub fn ran(&self) -> bool {
        matches!(self, Self::Ran | Self::Failed(_))
    }
}

/// One module in a stage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleRun {
    /// The name as cloud.cfg lists it (`write-files`, `users-groups`).
    pub name: String,
    /// The Python module (`cc_write_files`).
    pub module: String,
    pub frequency: Frequency,
    pub outcome: Outcome,
    /// Milliseconds of uptime when it started and ended.
    pub start_ms: u64,
    pub end_ms: u64,
    /// Files it added, removed or changed (directories whose only change is a new or removed
    /// entry are left out: the entry itself tells).
    pub changes: Vec<FileChange>,
    /// Users, groups and passwords it added or changed.
    pub accounts: Vec<AccountChange>,
    /// Its lines in `/var/log/cloud-init.log` (from "Running module ..." to "finish: ...").
    pub log_lines: Vec<String>,
    /// What it (and the commands it ran) printed into `/var/log/cloud-init-output.log`.
    pub output_lines: Vec<String>,
}

/// A file system object a module or stage added, removed or changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    pub kind: ChangeKind,
    /// File, directory, symlink (after the change; before it for a removal).
    pub entry: EntryKind,
    /// Permission bits and owner after the change (before it for a removal).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// A symlink's target after the change.
    pub target: Option<String>,
    /// The text before and after, for regular files of at most [`TEXT_LIMIT`] bytes that are
    /// UTF-8 (`None` otherwise, or when the file did not exist on that side).
    pub before: Option<String>,
    pub after: Option<String>,
}

/// The largest file whose text a [`FileChange`] carries.
pub const TEXT_LIMIT: usize = 64 << 10;

/// A change to the accounts of the guest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AccountChange {
    UserAdded {
        name: String,
        uid: u32,
        gid: u32,
        home: String,
        shell: String,
    },
    UserRemoved {
        name: String,
    },
    GroupAdded {
        name: String,
        gid: u32,
    },
    /// A user became a member of a (supplementary) group.
    MemberAdded {
        group: String,
        user: String,
    },
    /// The password field in `/etc/shadow` changed: now locked (`!`…) or set (a hash).
    PasswordChanged {
        user: String,
        locked: bool,
    },
}

/// The trace of the last cloud-init boot of a domain's guest, if it has one.
pub fn last_boot<'w>(world: &'w World, domain: &str) -> Option<&'w CloudInitBoot> {
    world
        .machines
        .iter()
        .filter_map(|m| m.guest.as_ref())
        .find(|g| g.domain == domain)
        .and_then(|g| g.cloud_init.as_deref())
}
