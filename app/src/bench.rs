//! `guestlab bench`: the speed and size targets, measured on this machine. The figures in the
//! README come from its output.

#![expect(clippy::print_stdout, reason = "the benchmark prints its results")]
#![expect(clippy::disallowed_methods, reason = "a benchmark measures wall-clock time on the desktop")]

use std::time::{Duration, Instant};

use guestlab_content::sim::World;
use guestlab_content::sim::disk::qcow2::{CreateOptions, Data, Qcow2};
use guestlab_content::sim::disk::view::{self, GuestKind, HostKind};
use guestlab_content::sim::vfs::diff::{Snapshot, diff};
use guestlab_content::sim::vfs::{Node, ROOT, RegularFile};
use rand::{Rng as _, SeedableRng as _};

mod external;
mod report;
mod screens;
mod sim;

pub use report::Options;

/// The resident memory of this process in bytes (Linux), for memory figures.
fn rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn percentile(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i.min(v.len() - 1)]
}

/// A 16 TiB qcow2 image after `writes` random 4 KiB writes.
fn big_image(writes: usize) -> (RegularFile, Duration, Duration) {
    let mut f = RegularFile::default();
    let started = Instant::now();
    let mut q = Qcow2::create(&mut f, &CreateOptions { size: 16 << 40, ..CreateOptions::default() });
    let create = started.elapsed();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let started = Instant::now();
    for _ in 0..writes {
        let offset = rng.random_range(0..(16u64 << 40) / 4096) * 4096;
        q.write(&mut f, None, offset, 4096, Data::Fill(0xab));
    }
    let write = started.elapsed();
    f.qcow2 = Some(Box::new(q));
    (f, create, write)
}

/// A script of 1,000 commands a disk-image lesson would type.
fn script_1000() -> String {
    let mut s = String::from("cd /var/lib/libvirt/images\nqemu-img create -f qcow2 base.qcow2 20G > /dev/null\n");
    let mut i = 2;
    let mut n = 0;
    while i < 1000 {
        let line = match n % 10 {
            0 => format!("qemu-io -c 'write -P {} {}M 1M' base.qcow2 > /dev/null", n % 256, (n * 37) % 20000),
            1 => "qemu-img map --output=json base.qcow2 > /dev/null".to_owned(),
            2 => "qemu-img check base.qcow2 > /dev/null".to_owned(),
            3 => format!("qemu-img create -f qcow2 -b base.qcow2 -F qcow2 ov{n}.qcow2 > /dev/null"),
            4 => format!("qemu-io -c 'write -z {}M 64k' ov{}.qcow2 > /dev/null", (n * 13) % 20000, n - 1),
            5 => "ls -ls > /dev/null".to_owned(),
            6 => "stat -c '%s %b' base.qcow2".to_owned(),
            7 => format!("qemu-io -c 'discard {}M 1M' base.qcow2 > /dev/null", (n * 37) % 20000),
            8 => "qemu-img info base.qcow2 > /dev/null".to_owned(),
            _ => format!("rm -f ov{}.qcow2", n - 6),
        };
        s.push_str(&line);
        s.push('\n');
        i += 1;
        n += 1;
    }
    s
}

/// Draws the cluster map of an image `frames` times in a headless egui context; returns the
/// CPU time per frame (layout and tessellation).
fn cluster_map_frames(view: &view::ImageView, frames: usize) -> Vec<Duration> {
    let ctx = egui::Context::default();
    let mut times = Vec::with_capacity(frames);
    for i in 0..frames {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
            time: Some(i as f64 / 60.0),
            ..Default::default()
        };
        let started = Instant::now();
        let mut output = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                let dark = ui.visuals().dark_mode;
                let _ = crate::widgets::cluster_map_ui::strip_ui(
                    ui,
                    &view.guest_cells,
                    view.guest_clusters(),
                    GuestKind::Unallocated,
                    |k| crate::widgets::cluster_map_ui::guest_color(k, dark),
                    14.0,
                );
                let _ = crate::widgets::cluster_map_ui::strip_ui(
                    ui,
                    &view.host_cells,
                    view.host_clusters(),
                    HostKind::Hole,
                    |k| crate::widgets::cluster_map_ui::host_color(k, dark),
                    10.0,
                );
            });
        });
        // Nothing paints here: the font texture's updates are dropped on purpose.
        output.textures_delta.clear();
        let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
        times.push(started.elapsed());
    }
    times
}

/// A host with `count` extra files in one directory (for the file tree).
fn host_with_files(count: usize) -> World {
    let mut world = World::new(1);
    let now = world.clock;
    let fs = &mut world.machine_mut().fs;
    if let Ok(dir) = fs.mkdir_p("/var/lib/libvirt/images/many", 0o755, now) {
        for i in 0..count {
            let _ =
                fs.create(dir, &format!("disk-{i:05}.qcow2"), Node::file(RegularFile::with_bytes(b"x"), 0o644, now));
        }
    }
    world
}

/// Draws the file tree of `world`'s host `frames` times, scrolled into the middle of the big
/// directory; `rebuild` bumps the world version every frame (the display model is rebuilt).
fn file_tree_frames(world: &World, frames: usize, rebuild: bool) -> Vec<Duration> {
    let ctx = egui::Context::default();
    crate::fonts::install(&ctx);
    let mut tree = crate::widgets::file_tree_ui::FileTree::new(&["/etc/libvirt", "/var/lib/libvirt/images/many"]);
    tree.select("/var/lib/libvirt/images/many/disk-05000.qcow2");
    let fs = &world.machines[0].fs;
    let mut times = Vec::with_capacity(frames);
    for i in 0..frames {
        let input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
            time: Some(i as f64 / 60.0),
            ..Default::default()
        };
        let version = if rebuild { i as u64 } else { 0 };
        let started = Instant::now();
        let mut output = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default().show(ui, |ui| {
                let _ = tree.ui(ui, fs, version);
            });
        });
        // Nothing paints here: the font texture's updates are dropped on purpose.
        output.textures_delta.clear();
        let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
        times.push(started.elapsed());
    }
    times
}

/// The sample host with 50 defined VMs (49 beside bookworm), and a 500-line virsh script over
/// them: listing, information, XML, starting and stopping, autostart, snapshots.
fn fifty_vms() -> (World, String) {
    let mut world = World::with_sample_vm(1);
    let mut setup = String::from("virsh net-start default > /dev/null\n");
    for i in 1..50 {
        setup.push_str(&format!(
            "qemu-img create -f qcow2 /var/lib/libvirt/images/vm{i}.qcow2 10G > /dev/null\ncat > /root/vm{i}.xml <<'EOF'\n<domain type='kvm'><name>vm{i}</name><memory unit='MiB'>1024</memory><vcpu>1</vcpu><os><type arch='x86_64' machine='q35'>hvm</type></os><devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='/var/lib/libvirt/images/vm{i}.qcow2'/><target dev='vda' bus='virtio'/></disk><interface type='network'><source network='default'/><model type='virtio'/></interface></devices></domain>\nEOF\nvirsh define /root/vm{i}.xml > /dev/null\n"
        ));
    }
    let _ = world.run(&setup);
    let mut script = String::new();
    for n in 0..500 {
        let vm = format!("vm{}", 1 + n % 49);
        let line = match n % 10 {
            0 => "virsh list --all".to_owned(),
            1 => format!("virsh dominfo {vm}"),
            2 => format!("virsh start {vm}"),
            3 => format!("virsh dumpxml {vm}"),
            4 => format!("virsh autostart {vm}"),
            5 => format!("virsh domblklist {vm} --details"),
            6 => format!("virsh snapshot-create-as {vm} s{n}"),
            7 => format!("virsh destroy {vm}"),
            8 => format!("virsh snapshot-delete {vm} s{}", n - 2),
            _ => "virsh net-dhcp-leases default".to_owned(),
        };
        script.push_str(&line);
        script.push_str(" > /dev/null\n");
    }
    (world, script)
}

/// A 1,000-line `#cloud-config` with users, files, packages and commands, and one mistake
/// (a `permissions` given as an octal number).
fn user_data_1000() -> String {
    let mut s = String::from("#cloud-config\nhostname: web1\ntimezone: Europe/Berlin\npackage_update: true\n");
    s.push_str("users:\n  - default\n");
    for i in 0..60 {
        s.push_str(&format!(
            "  - name: user{i}\n    groups: [adm, sudo]\n    shell: /bin/bash\n    lock_passwd: true\n    ssh_authorized_keys:\n      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{i:04} user{i}@ws\n"
        ));
    }
    s.push_str("write_files:\n");
    for i in 0..60 {
        let permissions = if i == 30 { "0644".to_owned() } else { "'0644'".to_owned() };
        s.push_str(&format!(
            "  - path: /etc/app/{i}.conf\n    owner: root:root\n    permissions: {permissions}\n    content: |\n      key{i}=value\n      other=1\n"
        ));
    }
    s.push_str("packages:\n");
    let mut lines = s.lines().count();
    let mut i = 0;
    while lines < 900 {
        s.push_str(&format!("  - package{i}\n"));
        lines += 1;
        i += 1;
    }
    s.push_str("runcmd:\n");
    lines += 1;
    while lines < 1000 {
        s.push_str(&format!("  - [sh, -c, \"echo step {lines}\"]\n"));
        lines += 1;
    }
    s
}

/// Frames of the cloud-init editor showing `text`; with `typing`, every frame gets a keystroke
/// (the first frame clicks into the editor). Returns the CPU time per frame.
fn editor_frames(text: &str, frames: usize, typing: bool) -> Vec<Duration> {
    let ctx = egui::Context::default();
    crate::fonts::install(&ctx);
    let mut editor = crate::screens::cloud_init::EditorBench::new(text);
    let mut times = Vec::with_capacity(frames);
    for i in 0..frames + 3 {
        let mut input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1280.0, 800.0))),
            time: Some(i as f64 / 60.0),
            ..Default::default()
        };
        if typing && i == 1 {
            // A click right of the second line (`hostname: web1`) puts the cursor at its end:
            // the keystrokes lengthen the host name, and the text stays a valid cloud-config
            // with its one mistake, so every frame validates the whole text.
            let pos = egui::pos2(1000.0, 36.0);
            input.events.push(egui::Event::PointerMoved(pos));
            for pressed in [true, false] {
                input.events.push(egui::Event::PointerButton {
                    pos,
                    button: egui::PointerButton::Primary,
                    pressed,
                    modifiers: egui::Modifiers::NONE,
                });
            }
        } else if typing && i > 2 {
            input.events.push(egui::Event::Text("x".to_owned()));
        }
        let started = Instant::now();
        let mut output = ctx.run_ui(input, |ui| {
            egui::CentralPanel::default().show(ui, |ui| editor.ui(ui));
        });
        // Nothing paints here: the font texture's updates are dropped on purpose.
        output.textures_delta.clear();
        let _ = ctx.tessellate(output.shapes, output.pixels_per_point);
        if i >= 3 {
            times.push(started.elapsed());
        }
    }
    if typing && !editor.typed_into_hostname() {
        eprintln!("guestlab bench: the keystrokes did not lengthen the host name");
    }
    times
}

/// Runs the benchmarks (`guestlab bench`); a non-zero status when a target is missed.
pub fn run(options: Options) -> std::process::ExitCode {
    let plain = !options.json && !options.markdown;
    if plain {
        println!(
            "GuestLab benchmarks ({} build; the figures in the README come from cargo run --release -- bench --all)\n",
            if cfg!(debug_assertions) { "debug" } else { "release" }
        );
    }
    let mut rep = report::Report::new(options);
    if rep.wants("core") {
        core(&mut rep);
    }
    if std::env::var_os("GUESTLAB_BENCH_WRITES").is_some() {
        return std::process::ExitCode::SUCCESS;
    }
    if rep.wants("sim") {
        sim::run(&mut rep);
    }
    if rep.wants("screens") {
        screens::run(&mut rep);
    }
    if rep.options().all && rep.wants("external") {
        external::run(&mut rep);
    }
    let failures: Vec<String> = rep.failures().iter().map(|r| format!("{} ({})", r.what, r.measured)).collect();
    if plain {
        println!(
            "\n{} rows, {} over budget{}",
            rep.rows.len(),
            failures.len(),
            if failures.is_empty() { "" } else { ":" }
        );
        for failure in &failures {
            println!("  {failure}");
        }
    }
    if rep.ok() { std::process::ExitCode::SUCCESS } else { std::process::ExitCode::FAILURE }
}

/// The simulator's disk, libvirt and cloning figures, the lessons, and the cloud-init editor.
fn core(rep: &mut report::Report) {
    // 1. A 16 TiB qcow2 image: creation, and 10^6 random 4 KiB writes.
    // (GUESTLAB_BENCH_WRITES changes the count, for profiling a shorter run.)
    let writes = std::env::var("GUESTLAB_BENCH_WRITES").ok().and_then(|v| v.parse().ok()).unwrap_or(1_000_000);
    let before = rss().unwrap_or(0);
    let (file, create, write) = big_image(writes);
    if std::env::var_os("GUESTLAB_BENCH_WRITES").is_some() {
        println!("{writes} writes: {:.0} ms", write.as_secs_f64() * 1e3);
        return;
    }
    let after = rss().unwrap_or(0);
    let q = file.qcow2.as_deref();
    let (allocated, _, _) = q.map(Qcow2::cluster_stats).unwrap_or_default();
    rep.row(
        "qcow2 16 TiB: create",
        format!("{:.3} ms", create.as_secs_f64() * 1e3),
        "instant",
        create < Duration::from_millis(50),
    );
    rep.row(
        "qcow2 16 TiB: 1,000,000 random 4 KiB writes",
        format!("{:.0} ms", write.as_secs_f64() * 1e3),
        "< 1 s",
        write < Duration::from_secs(1),
    );
    let per_cluster = after.saturating_sub(before) as f64 / allocated.max(1) as f64;
    rep.row("  memory growth per allocated cluster", format!("{per_cluster:.0} B"), "~constant", per_cluster < 400.0);
    rep.note(&format!(
        "{allocated} clusters allocated, file length {} bytes, memory +{} MiB",
        file.len,
        after.saturating_sub(before) >> 20
    ));

    // 2. The cluster map of that image (10^6 allocated clusters).
    let mut world = World::new(1);
    let now = world.clock;
    let fs = &mut world.machine_mut().fs;
    let _ = fs.create(ROOT, "big.qcow2", Node::file(file, 0o644, now));
    let started = Instant::now();
    let view = view::image_view(&world, "/big.qcow2");
    let build = started.elapsed();
    rep.row(
        "cluster map model of 10^6 clusters (once per change)",
        format!("{:.1} ms", build.as_secs_f64() * 1e3),
        "-",
        true,
    );
    if let Some(view) = view {
        let times = cluster_map_frames(&view, 100);
        let med = median(times.clone());
        rep.row(
            "cluster map frame, 10^6 clusters (median)",
            format!("{:.2} ms", med.as_secs_f64() * 1e3),
            "< 4 ms",
            med < Duration::from_millis(4),
        );
        let p99 = percentile(times, 0.99);
        rep.row("cluster map frame, 10^6 clusters (p99)", format!("{:.2} ms", p99.as_secs_f64() * 1e3), "-", true);
    }

    // 3. guestlab run of a 1,000-line script.
    let script = script_1000();
    let mut times = Vec::new();
    for seed in 0..5 {
        let mut world = World::new(seed);
        let started = Instant::now();
        let _ = world.run(&script);
        times.push(started.elapsed());
    }
    let med = median(times);
    rep.row(
        "guestlab run, 1,000-line disk-image script (median of 5)",
        format!("{:.1} ms", med.as_secs_f64() * 1e3),
        "< 100 ms",
        med < Duration::from_millis(100),
    );

    // 4. The libvirt host's file tree with 10,000 more files, all in an open directory.
    let world = host_with_files(10_000);
    let times = file_tree_frames(&world, 200, false);
    // The first frames lay out the text once (egui caches the galleys afterwards).
    let steady = times[10..].to_vec();
    let med = median(steady.clone());
    rep.row(
        "file tree frame, 10,000 files on the host (median)",
        format!("{:.2} ms", med.as_secs_f64() * 1e3),
        "< 4 ms",
        med < Duration::from_millis(4),
    );
    let p99 = percentile(steady, 0.99);
    rep.row(
        "file tree frame, 10,000 files on the host (p99)",
        format!("{:.2} ms", p99.as_secs_f64() * 1e3),
        "< 4 ms",
        p99 < Duration::from_millis(4),
    );
    let times = file_tree_frames(&world, 50, true);
    let med = median(times[5..].to_vec());
    let mut tree = crate::widgets::file_tree_ui::FileTree::new(&["/etc/libvirt", "/var/lib/libvirt/images/many"]);
    let started = Instant::now();
    for version in 0..20 {
        tree.refresh(&world.machines[0].fs, version);
    }
    rep.note(&format!(
        "display model of {} rows: {:.2} ms",
        tree.rows().len(),
        started.elapsed().as_secs_f64() * 1e3 / 20.0
    ));
    rep.row("  frame after a change (model rebuilt, median)", format!("{:.2} ms", med.as_secs_f64() * 1e3), "-", true);
    let fs = &world.machines[0].fs;
    let started = Instant::now();
    let before = Snapshot::take(fs, "/");
    let after = Snapshot::take(fs, "/");
    let changes = match (&before, &after) {
        (Ok(a), Ok(b)) => diff(a, b).len(),
        _ => 0,
    };
    let elapsed = started.elapsed();
    rep.row(
        "  what changed: 2 host snapshots + diff (per command)",
        format!("{:.1} ms", elapsed.as_secs_f64() * 1e3),
        "-",
        changes == 0,
    );

    // 5. The libvirt host with 50 defined VMs: a 500-line virsh script.
    let (world, script) = fifty_vms();
    let mut times = Vec::new();
    for _ in 0..5 {
        let mut w = world.clone();
        let started = Instant::now();
        let out = w.run(&script);
        times.push(started.elapsed());
        if out.status != 0 {
            rep.note(&format!("the virsh script failed: {}", out.stderr().lines().next().unwrap_or_default()));
        }
    }
    let med = median(times);
    rep.row(
        "guestlab run, 500-line virsh script, 50 VMs (median of 5)",
        format!("{:.1} ms", med.as_secs_f64() * 1e3),
        "< 200 ms",
        med < Duration::from_millis(200),
    );

    // 6. 20 clones of the sample VM booting and taking DHCP leases.
    let base = World::with_sample_vm(1);
    let mut clone_script = String::from("virsh net-start default > /dev/null\n");
    for i in 0..20 {
        clone_script.push_str(&format!("virt-clone --original bookworm --name clone{i} --auto-clone > /dev/null\n"));
    }
    let mut boot_script = String::new();
    for i in 0..20 {
        boot_script.push_str(&format!("virsh start clone{i} > /dev/null\n"));
    }
    boot_script.push_str("virsh net-dhcp-leases default > /dev/null\n");
    let mut clone_times = Vec::new();
    let mut boot_times = Vec::new();
    for _ in 0..5 {
        let mut w = base.clone();
        let started = Instant::now();
        let _ = w.run(&clone_script);
        clone_times.push(started.elapsed());
        let started = Instant::now();
        let out = w.run(&boot_script);
        boot_times.push(started.elapsed());
        if out.status != 0 || w.libvirt.networks["default"].leases.is_empty() {
            rep.note(&format!("the boot script failed: {}", out.stderr().lines().next().unwrap_or_default()));
        }
    }
    let med = median(boot_times);
    rep.row(
        "guestlab run, 20 clones booting and taking leases (median)",
        format!("{:.1} ms", med.as_secs_f64() * 1e3),
        "< 100 ms",
        med < Duration::from_millis(100),
    );
    rep.row(
        "  virt-clone of the sample VM 20 times before that (median)",
        format!("{:.1} ms", median(clone_times).as_secs_f64() * 1e3),
        "-",
        true,
    );

    // 7. cloud-init schema on a 1,000-line user-data (the editor validates on every keystroke).
    let user_data = user_data_1000();
    let started = Instant::now();
    let first = guestlab_content::sim::cloud_init::schema::validate("user-data", &user_data);
    let first_time = started.elapsed();
    let mut times = Vec::new();
    for _ in 0..20 {
        let started = Instant::now();
        let outcome = guestlab_content::sim::cloud_init::schema::validate("user-data", &user_data);
        times.push(started.elapsed());
        std::hint::black_box(outcome);
    }
    let med = median(times);
    rep.row(
        "cloud-init schema, 1,000-line user-data (median of 20)",
        format!("{:.2} ms", med.as_secs_f64() * 1e3),
        "< 10 ms",
        med < Duration::from_millis(10) && first.problems.len() == 1,
    );
    rep.row(
        "  first validation (parses the embedded schema once)",
        format!("{:.2} ms", first_time.as_secs_f64() * 1e3),
        "-",
        true,
    );

    // 7. Parsing and checking every lesson of both languages (what `guestlab lessons check`
    //    and the app's start do).
    let files = &*guestlab_content::lesson::EMBEDDED_LESSONS;
    let mut times = Vec::new();
    let mut questions = 0;
    for _ in 0..21 {
        let started = Instant::now();
        let report = guestlab_content::lesson::check::check_folder(files);
        times.push(started.elapsed());
        questions = report.questions.iter().map(|(_, n)| n).sum::<usize>();
    }
    let med = median(times);
    rep.row(
        &format!("lessons: parse + check en and de ({questions} questions)"),
        format!("{:.1} ms", med.as_secs_f64() * 1e3),
        "< 50 ms",
        med < Duration::from_millis(50),
    );

    // 8. The cloud-init editor with the 1,000-line user-data: a frame without a change, and a
    //    frame with a keystroke (the text checked again, coloured, laid out, its messages
    //    placed), both with tessellation.
    let idle = editor_frames(&user_data, 40, false);
    let typing = editor_frames(&user_data, 40, true);
    rep.row(
        "cloud-init editor, 1,000 lines: frame without a change (median)",
        format!("{:.2} ms", median(idle.clone()).as_secs_f64() * 1e3),
        "< 16 ms",
        median(idle) < Duration::from_millis(16),
    );
    let (med, p95) = (median(typing.clone()), percentile(typing, 0.95));
    rep.row(
        "cloud-init editor, 1,000 lines: frame with a keystroke (median)",
        format!("{:.2} ms", med.as_secs_f64() * 1e3),
        "< 16 ms",
        med < Duration::from_millis(16),
    );
    rep.row("  the same, 95th percentile", format!("{:.2} ms", p95.as_secs_f64() * 1e3), "-", true);
}
