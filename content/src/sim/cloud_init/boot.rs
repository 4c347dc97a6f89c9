//! A cloud-init boot of a guest, stage by stage, as Debian 12's cloud-init 22.4.2 runs it:
//! Detect (the systemd generator and `ds-identify`), Local (`init --local`: the NoCloud seed,
//! the instance link, the host name before the network comes up), Network (`init`:
//! `cloud_init_modules`), Config (`cloud_config_modules`), Final (`cloud_final_modules`).
//!
//! [`guest::boot::power_on`](crate::sim::guest::boot::power_on) calls [`before_network`] once the
//! guest's machine exists and [`after_network`] once it has its DHCP lease; the result is the
//! [`CloudInitBoot`] trace on the guest's state. Each module runs through [`run_module`]: its
//! semaphore decides whether it runs, a snapshot of the file system before and after gives its
//! file changes, and its log and output lines are cut out of the stage's.

use super::modules::{self, ModuleMeta};
use super::nocloud::{self, Seed};
use super::state::{self, Config, Json, Log};
use super::trace::{AccountChange, CloudInitBoot, FileChange, ModuleRun, Outcome, Stage, StageRun, TEXT_LIMIT};
use super::yaml;
use crate::sim::libvirt::files;
use crate::sim::vfs::diff::{self, ChangeKind, EntryKind, Snapshot};
use crate::sim::vfs::{ROOT, Vfs};
use crate::sim::{MachineId, World};

/// What a boot carries from one stage to the next.
pub struct Run<'w> {
    pub world: &'w mut World,
    pub m: MachineId,
    /// Milliseconds of uptime now.
    pub t: u64,
    pub log: Log,
    /// Lines of cloud-init-output.log not yet written.
    pub out: Vec<String>,
    pub cfg: Config,
    pub iid: String,
    /// `DataSourceNoCloud [seed=/dev/sr0][dsmode=net]`.
    pub datasource: String,
    pub seed: Seed,
    /// The run name prefix of the stage (`init-network`, `modules-config`, ...).
    pub event: &'static str,
    pub new_instance: bool,
    /// What `util.load_yaml` warns about the user-data, if it does not load.
    pub yaml_warning: Option<String>,
}

/// The state between [`before_network`] and [`after_network`].
pub struct Pending {
    trace: CloudInitBoot,
    log: Log,
    out: Vec<String>,
    t: u64,
    cfg: Config,
    iid: String,
    datasource: String,
    seed: Seed,
    yaml_warning: Option<String>,
}

impl Run<'_> {
    pub fn fs(&self) -> &Vfs {
        &self.world.machines[self.m].fs
    }

    pub fn fs_mut(&mut self) -> &mut Vfs {
        &mut self.world.machines[self.m].fs
    }

    /// The Unix time now.
    pub fn now(&self) -> i64 {
        self.log.boot_epoch + (self.t / 1000) as i64
    }

    /// Lets `ms` milliseconds pass.
    pub fn tick(&mut self, ms: u64) {
        self.t += ms;
    }

    pub fn debug(&mut self, file: &str, message: &str) {
        self.t += 1;
        let t = self.t;
        self.log.line(t, file, "DEBUG", message);
    }

    pub fn info(&mut self, file: &str, message: &str) {
        self.t += 1;
        let t = self.t;
        self.log.line(t, file, "INFO", message);
    }

    pub fn warning(&mut self, file: &str, message: &str) {
        self.t += 1;
        let t = self.t;
        self.log.line(t, file, "WARNING", message);
    }

    /// Text for cloud-init-output.log (the stages' stdout and stderr).
    pub fn output(&mut self, text: &str) {
        self.out.extend(text.lines().map(str::to_owned));
    }

    /// `util.write_file`: creates the directories, writes, sets the mode; logs as it does.
    pub fn write_file(&mut self, path: &str, content: &[u8], mode: u32) {
        self.debug("util.py", &format!("Writing to {path} - wb: [{mode:o}] {} bytes", content.len()));
        let now = self.now();
        let fs = self.fs_mut();
        if let Some((dir, _)) = path.rsplit_once('/')
            && !dir.is_empty()
        {
            let _ = fs.mkdir_p(dir, 0o755, now);
        }
        if let Ok(ino) = fs.put_file(path, content, mode, now)
            && let Some(node) = fs.node_mut(ino)
        {
            node.mode = mode;
        }
    }

    /// Appends (`util.append_file`), creating the file with mode 0644.
    pub fn append_file(&mut self, path: &str, content: &[u8]) {
        let mut bytes = self.read(path).map(String::into_bytes).unwrap_or_default();
        self.debug("util.py", &format!("Writing to {path} - ab: [None] {} bytes", content.len()));
        bytes.extend_from_slice(content);
        let now = self.now();
        let fs = self.fs_mut();
        let _ = fs.put_file(path, &bytes, 0o644, now);
    }

    /// `util.del_file`.
    pub fn del_file(&mut self, path: &str) {
        self.debug("util.py", &format!("Attempting to remove {path}"));
        let now = self.now();
        files::remove(self.fs_mut(), path, now);
    }

    /// `util.ensure_dir`.
    pub fn ensure_dir(&mut self, path: &str, mode: u32) {
        let now = self.now();
        if self.fs().resolve(ROOT, path, true).is_err()
            && let Ok(ino) = self.fs_mut().mkdir_p(path, 0o755, now)
            && let Some(node) = self.fs_mut().node_mut(ino)
        {
            node.mode = mode;
        }
    }

    pub fn read(&self, path: &str) -> Option<String> {
        self.fs().read_text(ROOT, path, 16 << 20)
    }

    pub fn exists(&self, path: &str) -> bool {
        self.fs().resolve(ROOT, path, false).is_ok()
    }

    /// Sets owner and group of a path.
    pub fn chown(&mut self, path: &str, uid: u32, gid: u32) {
        if let Ok(ino) = self.fs().resolve(ROOT, path, true)
            && let Some(node) = self.fs_mut().node_mut(ino)
        {
            (node.uid, node.gid) = (uid, gid);
        }
    }

    /// `subp.subp`'s log line for a command.
    pub fn subp_log(&mut self, args: &[&str], capture: bool) {
        let list: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        self.debug(
            "subp.py",
            &format!(
                "Running command [{}] with allowed return codes [0] (shell=False, capture={})",
                list.join(", "),
                if capture { "True" } else { "False" }
            ),
        );
    }

    /// Runs shell input in the guest as root (cwd `/`), as cloud-init's subprocesses run;
    /// returns what it printed and its status. The commands do not go into root's history.
    pub fn shell(&mut self, script: &str) -> (String, i32) {
        let saved = self.world.current;
        let saved_return = std::mem::take(&mut self.world.return_to);
        self.world.current = self.m;
        let machine = &mut self.world.machines[self.m];
        let history = std::mem::take(&mut machine.history);
        let env = machine.env.clone();
        let cwd = std::mem::replace(&mut machine.cwd, "/".to_owned());
        for (k, v) in [("USER", "root"), ("LOGNAME", "root"), ("HOME", "/root")] {
            machine.env.insert(k.to_owned(), v.to_owned());
        }
        let clock = self.world.clock;
        self.world.clock = self.now();
        let out = self.world.run(script);
        let spent = (self.world.clock - self.now()).max(0) as u64;
        self.world.clock = clock;
        self.t += spent * 1000 / 20 + 40;
        let machine = &mut self.world.machines[self.m];
        machine.history = history;
        machine.env = env;
        machine.cwd = cwd;
        self.world.current = saved;
        self.world.return_to = saved_return;
        let text: String = out.chunks.iter().map(|(_, t)| t.as_str()).collect();
        (text, out.status)
    }
}

/// The seed NoCloud finds: the seed directories in the guest, then a device whose file system
/// is labelled `cidata` among the domain's disks. Returns the seed, the `seed=` value and the
/// devices ds-identify saw.
fn find_seed(world: &World, m: MachineId, domain: &str) -> Option<(Seed, String)> {
    let fs = &world.machines[m].fs;
    let mut found: Vec<String> = Vec::new();
    let mut seed: Option<Seed> = None;
    for dir in ["/var/lib/cloud/seed/nocloud", "/var/lib/cloud/seed/nocloud-net"] {
        let read = |n: &str| fs.read_text(ROOT, &format!("{dir}/{n}"), 16 << 20);
        if let (Some(meta_data), Some(user_data)) = (read("meta-data"), read("user-data")) {
            seed = Some(Seed {
                meta_data,
                user_data,
                network_config: read("network-config"),
                vendor_data: read("vendor-data"),
            });
            found.push(dir.to_owned());
            break;
        }
    }
    let def = world.libvirt.domains.get(domain).map(|d| d.def.clone())?;
    let mut cdroms = 0;
    for disk in &def.disks {
        let device = if disk.device == "cdrom" {
            cdroms += 1;
            format!("/dev/sr{}", cdroms - 1)
        } else {
            format!("/dev/{}", disk.target)
        };
        let Some(src) = &disk.source else { continue };
        let host = &world.machines[0].fs;
        let Some(file) = host.resolve(ROOT, src, true).ok().and_then(|i| host.file(i).ok()) else { continue };
        if let Some(s) = nocloud::read_seed(file) {
            seed = Some(match seed {
                // `_merge_new_seed`: meta-data merged (earlier wins), the rest from the device.
                Some(old) => Seed { meta_data: format!("{}\n{}", s.meta_data, old.meta_data), ..s },
                None => s,
            });
            found.push(device);
            break;
        }
    }
    seed.map(|s| (s, found.join(",")))
}

/// The meta-data as NoCloud reads it (YAML or JSON), with its defaults.
fn meta(seed: &Seed) -> (String, Option<String>) {
    let doc = yaml::parse(&seed.meta_data).ok();
    let get = |k: &str| doc.as_ref().and_then(|d| d.get(k)).and_then(yaml::Node::to_plain_string);
    (get("instance-id").unwrap_or_else(|| "nocloud".to_owned()), get("local-hostname"))
}

/// meta-data's `local-hostname`, if it has one.
pub fn meta_hostname(run: &Run<'_>) -> Option<String> {
    meta(&run.seed).1
}

/// Runs Detect and Local for the guest on machine `m` (its file system is the booting one).
/// `None` when the image has no cloud-init.
pub fn before_network(world: &mut World, m: MachineId) -> Option<Pending> {
    let fs = &world.machines[m].fs;
    if fs.resolve(ROOT, "/etc/cloud/cloud.cfg", true).is_err() {
        return None;
    }
    let domain = world.machines[m].guest.as_ref().map(|g| g.domain.clone()).unwrap_or_default();
    let epoch = world.clock;
    let mut trace = CloudInitBoot { domain: domain.clone(), started: epoch, ..CloudInitBoot::default() };
    let now = epoch;
    // /run is a tmpfs: nothing of the last boot is left there.
    files::remove(&mut world.machines[m].fs, state::RUN_DIR, now);
    let mut log = Log { boot_epoch: epoch, lines: Vec::new() };
    let before = snapshot(&world.machines[m].fs);
    // Detect: the generator and ds-identify.
    let disabled = world.machines[m].fs.resolve(ROOT, state::DISABLED_FILE, false).is_ok();
    let seed = if disabled { None } else { find_seed(world, m, &domain) };
    let mut detect_log = vec![
        format!("[up 2.05s] ds-identify "),
        "policy loaded: mode=search report=false found=all maybe=all notfound=disabled".to_owned(),
    ];
    let fs = &mut world.machines[m].fs;
    let _ = fs.mkdir_p(state::RUN_DIR, 0o755, now);
    let enabled = seed.is_some();
    if disabled {
        detect_log.push(format!("cloud-init is disabled by {}", state::DISABLED_FILE));
    }
    match &seed {
        Some((_, found)) => {
            detect_log.push(format!("DSLIST=NoCloud (seed {found})"));
            detect_log.push("Found single datasource: NoCloud".to_owned());
            detect_log.push("[up 2.09s] returning 0".to_owned());
            let _ = fs.put_file(
                &format!("{}/cloud.cfg", state::RUN_DIR),
                b"datasource_list: [ NoCloud, None ]\n",
                0o644,
                now,
            );
            let _ = fs.put_file(&format!("{}/enabled", state::RUN_DIR), b"", 0o644, now);
        }
        None => {
            detect_log.push("No ds found [mode=search, notfound=disabled]. Disabled cloud-init [1]".to_owned());
            detect_log.push("[up 2.09s] returning 1".to_owned());
            let _ = fs.put_file(&format!("{}/disabled", state::RUN_DIR), b"", 0o644, now);
        }
    }
    let ds_log: String = detect_log.iter().map(|l| format!("{l}\n")).collect();
    let _ = fs.put_file(&format!("{}/ds-identify.log", state::RUN_DIR), ds_log.as_bytes(), 0o644, now);
    let changes = file_changes(&before, &snapshot(&world.machines[m].fs));
    trace.enabled = enabled;
    trace.stages.push(StageRun {
        stage: Stage::Detect,
        start_ms: 2_050,
        end_ms: 2_090,
        log_lines: detect_log,
        output_lines: Vec::new(),
        changes,
        modules: Vec::new(),
        errors: Vec::new(),
    });
    let Some((seed, found)) = seed else {
        store(world, m, trace);
        return None;
    };
    let (iid, _) = meta(&seed);
    let datasource = format!("DataSourceNoCloud [seed={found}][dsmode=net]");
    trace.datasource = Some(datasource.clone());
    trace.instance_id = Some(iid.clone());
    let mut cfg = Config::system(&world.machines[m].fs);
    let (user, yaml_warning) = user_config(&seed.user_data);
    cfg.user = user;
    let mut run = Run {
        world,
        m,
        t: 3_400,
        log,
        out: Vec::new(),
        cfg,
        iid,
        datasource,
        seed,
        event: "init-local",
        new_instance: false,
        yaml_warning,
    };
    let stage = super::stages::local(&mut run, &mut trace);
    trace.stages.push(stage);
    log = std::mem::take(&mut run.log);
    Some(Pending {
        t: run.t,
        out: std::mem::take(&mut run.out),
        cfg: std::mem::take(&mut run.cfg),
        iid: run.iid.clone(),
        datasource: run.datasource.clone(),
        seed: std::mem::take(&mut run.seed),
        yaml_warning: run.yaml_warning.take(),
        trace,
        log,
    })
}

/// The cloud-config of user-data (None for other kinds), and the warning cloud-init logs when
/// the YAML does not load.
pub fn user_config(user_data: &str) -> (Option<yaml::Node>, Option<String>) {
    if !user_data.starts_with("#cloud-config") {
        return (None, None);
    }
    match yaml::parse(user_data) {
        Ok(node) if node.as_map().is_some() => (Some(node), None),
        Ok(node) if node.is_null() => (None, None),
        Ok(_) => (
            None,
            Some(
                "Failed loading yaml blob. Yaml load allows (<class 'dict'>,) root types, but got list instead"
                    .to_owned(),
            ),
        ),
        Err(e) => (
            None,
            Some(format!(
                "Failed loading yaml blob. Invalid format at line {} column {}: \"{}\"",
                // util.load_yaml decodes the blob first: PyYAML names a str "<unicode string>".
                e.line,
                e.column,
                e.message.replace("\"<byte string>\"", "\"<unicode string>\"")
            )),
        ),
    }
}

/// Runs Network, Config and Final, and keeps the trace on the guest's state.
pub fn after_network(world: &mut World, m: MachineId, pending: Pending) {
    let Pending { mut trace, log, out, t, cfg, iid, datasource, seed, yaml_warning } = pending;
    let mut run = Run {
        world,
        m,
        t: t.max(5_100),
        log,
        out,
        cfg,
        iid,
        datasource,
        seed,
        event: "init-network",
        new_instance: trace.new_instance,
        yaml_warning,
    };
    for stage in [Stage::Network, Stage::Config, Stage::Final] {
        let s = super::stages::modules_stage(&mut run, stage);
        trace.stages.push(s);
    }
    trace.finished_ms = run.t;
    let end = run.now();
    drop(run);
    if world.clock < end {
        world.clock = end;
    }
    store(world, m, trace);
}

/// Appends the boot's pending log lines to the two log files.
pub fn flush_logs(run: &mut Run<'_>, from: usize) {
    let lines: String = run.log.lines[from..].iter().map(|l| format!("{l}\n")).collect();
    let out: String = run.out.drain(..).map(|l| format!("{l}\n")).collect();
    let now = run.now();
    let fs = run.fs_mut();
    for (path, text, mode) in [(state::LOG_FILE, lines, 0o640), (state::OUTPUT_LOG, out, 0o644)] {
        if text.is_empty() && fs.resolve(ROOT, path, true).is_ok() {
            continue;
        }
        let mut bytes = fs.read_text(ROOT, path, 64 << 20).unwrap_or_default();
        bytes.push_str(&text);
        let existed = fs.resolve(ROOT, path, true).is_ok();
        if let Ok(ino) = fs.put_file(path, bytes.as_bytes(), mode, now)
            && !existed
            && let Some(node) = fs.node_mut(ino)
        {
            node.gid = if path == state::LOG_FILE { 4 } else { 0 };
        }
    }
}

fn store(world: &mut World, m: MachineId, trace: CloudInitBoot) {
    if let Some(g) = world.machines[m].guest.as_mut() {
        g.cloud_init = Some(Box::new(trace));
    }
}

/// Runs one module of a stage: the "already ran" check against its semaphore, the semaphore,
/// the module's handler, and the record of what it did.
/// `before` is a snapshot of the file system as the module starts; the snapshot after it is
/// returned with the run (the next module's `before`).
pub fn run_module(run: &mut Run<'_>, name: &str, meta: &ModuleMeta, before: &Snapshot) -> (ModuleRun, Snapshot) {
    let start_ms = run.t;
    let log_from = run.log.lines.len();
    let out_from = run.out.len();
    let run_name = format!("config-{name}");
    let freq = meta.frequency;
    let module_repr = format!(
        "<module 'cloudinit.config.{m}' from '/usr/lib/python3/dist-packages/cloudinit/config/{m}.py'>",
        m = meta.module
    );
    run.debug("modules.py", &format!("Running module {name} ({module_repr}) with frequency {}", freq.as_str()));
    let event = run.event;
    run.debug(
        "handlers.py",
        &format!("start: {event}/{run_name}: running {run_name} with frequency {}", freq.as_str()),
    );
    let sem = state::semaphore(&run.iid, &run_name, freq);
    let outcome = if sem.as_ref().is_some_and(|s| run.exists(s)) {
        run.debug("helpers.py", &format!("{run_name} already ran (freq={})", freq.as_str()));
        run.debug("handlers.py", &format!("finish: {event}/{run_name}: SUCCESS: {run_name} previously ran"));
        Outcome::AlreadyRan
    } else {
        match &sem {
            Some(path) => {
                let pid = 900 + run.log.lines.len() % 97;
                let stamp = state::py_float(run.log.boot_epoch as f64 + run.t as f64 / 1000.0);
                run.write_file(path, format!("{pid}: {stamp}\n").as_bytes(), 0o644);
                run.debug("helpers.py", &format!("Running {run_name} using lock (<FileLock using file '{path}'>)"));
            }
            None => run.debug(
                "helpers.py",
                &format!(
                    "Running {run_name} using lock (<cloudinit.helpers.DummyLock object at 0x7f3c5e8b{:04x}>)",
                    run.t % 0xffff
                ),
            ),
        }
        let result = meta.handler.map_or(Ok(()), |h| h(run, name));
        match result {
            Ok(()) => {
                run.debug("handlers.py", &format!("finish: {event}/{run_name}: SUCCESS: {run_name} ran successfully"));
                Outcome::Ran
            }
            Err(e) => {
                run.warning("util.py", &format!("Running module {name} ({module_repr}) failed"));
                run.debug(
                    "handlers.py",
                    &format!("finish: {event}/{run_name}: FAIL: running {run_name} with frequency {}", freq.as_str()),
                );
                Outcome::Failed(format!("('{name}', {e})"))
            }
        }
    };
    run.tick(3);
    let after = snapshot(run.fs());
    let changes = file_changes(before, &after);
    let accounts = if changes.iter().any(|c| ACCOUNT_FILES.contains(&c.path.as_str())) {
        account_changes(before, &after)
    } else {
        Vec::new()
    };
    let record = ModuleRun {
        name: name.to_owned(),
        module: meta.module.to_owned(),
        frequency: freq,
        outcome,
        start_ms,
        end_ms: run.t,
        changes,
        accounts,
        log_lines: run.log.lines[log_from..].to_vec(),
        output_lines: run.out[out_from..].to_vec(),
    };
    (record, after)
}

/// The files whose changes are account changes.
const ACCOUNT_FILES: [&str; 3] = ["/etc/passwd", "/etc/group", "/etc/shadow"];

/// A snapshot of the whole file system (contents shared, not copied).
pub fn snapshot(fs: &Vfs) -> Snapshot {
    Snapshot::take(fs, "/").unwrap_or_default()
}

/// The text of a regular file in a snapshot (small UTF-8 files only).
fn snapshot_text(snap: &Snapshot, path: &str) -> Option<String> {
    let file = snap.get(path)?.file()?;
    (file.len <= TEXT_LIMIT as u64).then(|| String::from_utf8(file.read_all(TEXT_LIMIT)).ok()).flatten()
}

/// The file changes between two snapshots (directories whose only change is an added or
/// removed entry left out, and time stamps alone).
pub fn file_changes(before: &Snapshot, after: &Snapshot) -> Vec<FileChange> {
    diff::diff(before, after)
        .into_iter()
        .filter(|c| !c.is_dir_listing_only())
        .filter(|c| !matches!(c.kind, ChangeKind::Changed(k) if k.only_mtime()))
        .map(|c| {
            let entry = c.after.as_ref().or(c.before.as_ref());
            FileChange {
                kind: c.kind,
                entry: c.entry_kind().unwrap_or(EntryKind::File),
                mode: entry.map_or(0, |e| e.mode),
                uid: entry.map_or(0, |e| e.uid),
                gid: entry.map_or(0, |e| e.gid),
                target: c.after.as_ref().and_then(|e| e.target.clone()),
                before: c.before.as_ref().and_then(|_| snapshot_text(before, &c.path)),
                after: c.after.as_ref().and_then(|_| snapshot_text(after, &c.path)),
                path: c.path,
            }
        })
        .collect()
}

/// The account changes between two states of a file system.
pub fn account_changes(before: &Snapshot, after: &Snapshot) -> Vec<AccountChange> {
    let mut out = Vec::new();
    let text = |snap: &Snapshot, path: &str| snapshot_text(snap, path).unwrap_or_default();
    let (pa, pb) =
        (state::passwd_parse(&text(before, "/etc/passwd")), state::passwd_parse(&text(after, "/etc/passwd")));
    for (name, uid, gid, _, home, shell) in &pb {
        if !pa.iter().any(|p| &p.0 == name) {
            out.push(AccountChange::UserAdded {
                name: name.clone(),
                uid: *uid,
                gid: *gid,
                home: home.clone(),
                shell: shell.clone(),
            });
        }
    }
    for p in &pa {
        if !pb.iter().any(|q| q.0 == p.0) {
            out.push(AccountChange::UserRemoved { name: p.0.clone() });
        }
    }
    let (ga, gb) = (state::group_parse(&text(before, "/etc/group")), state::group_parse(&text(after, "/etc/group")));
    for (name, gid, members) in &gb {
        let old = ga.iter().find(|g| &g.0 == name);
        if old.is_none() {
            out.push(AccountChange::GroupAdded { name: name.clone(), gid: *gid });
        }
        for user in members {
            if !old.is_some_and(|g| g.2.contains(user)) {
                out.push(AccountChange::MemberAdded { group: name.clone(), user: user.clone() });
            }
        }
    }
    let (sa, sb) =
        (state::shadow_parse(&text(before, "/etc/shadow")), state::shadow_parse(&text(after, "/etc/shadow")));
    for (user, field) in &sb {
        let old = sa.iter().find(|s| &s.0 == user).map(|s| s.1.as_str());
        if old.is_some_and(|o| o != field) {
            out.push(AccountChange::PasswordChanged {
                user: user.clone(),
                locked: !crate::sim::guest::crypt::usable(field),
            });
        }
    }
    out
}

/// The `v1` status of `status.json` after a stage, as `status_wrapper` writes it.
pub fn status_json(run: &mut Run<'_>, trace_stages: &[StageRun], current: Option<Stage>) -> Json {
    let t = |ms: u64| Json::Float(run.log.boot_epoch as f64 + ms as f64 / 1000.0);
    let mut v1 = vec![
        ("datasource".to_owned(), Json::str(&run.datasource)),
        ("stage".to_owned(), current.and_then(Stage::mode).map_or(Json::Null, Json::str)),
    ];
    for mode in ["init", "init-local", "modules-init", "modules-config", "modules-final"] {
        let s = trace_stages.iter().find(|s| s.stage.mode() == Some(mode));
        let entry = match s {
            Some(s) => Json::Object(vec![
                ("errors".to_owned(), Json::List(s.errors.iter().map(|e| Json::str(e)).collect())),
                // A stage that has started and not finished (end 0) has no finish time yet.
                ("finished".to_owned(), if s.end_ms == 0 { Json::Null } else { t(s.end_ms) }),
                ("start".to_owned(), t(s.start_ms)),
            ]),
            None => Json::Object(vec![
                ("errors".to_owned(), Json::List(Vec::new())),
                ("finished".to_owned(), Json::Null),
                ("start".to_owned(), Json::Null),
            ]),
        };
        v1.push((mode.to_owned(), entry));
    }
    Json::Object(vec![("v1".to_owned(), Json::Object(v1))])
}

/// The modules of a section of cloud.cfg, by name.
pub fn section_modules(cfg: &Config, section: &str) -> Vec<String> {
    cfg.get(section).map(state::string_list).unwrap_or_default()
}

/// The metadata of a module name in cloud.cfg, if cloud-init has such a module.
pub fn meta_of(name: &str) -> Option<&'static ModuleMeta> {
    modules::find(&format!("cc_{}", name.replace('-', "_")))
}
