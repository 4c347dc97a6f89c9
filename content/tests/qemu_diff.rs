//! Differential test: seeded random disk-image scenarios run through the real qemu-img/qemu-io
//! (in a temporary directory) and through GuestLab's simulation; after every step the outputs
//! of `qemu-img info/map/check --output=json` and the image file's length and allocated blocks
//! must be the same.
//!
//! `GUESTLAB_QEMU_SCENARIOS=N` changes the number of scenarios (default 200);
//! `GUESTLAB_QEMU_SEED=S` runs only scenario S (for debugging a failure).

#![expect(clippy::print_stdout, reason = "the differential test reports what it compared and skipped")]

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use guestlab_content::sim::World;
use guestlab_content::sim::vfs::ROOT;
use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

fn qemu_available() -> bool {
    ["qemu-img", "qemu-io"]
        .iter()
        .all(|tool| Command::new(tool).arg("--version").output().is_ok_and(|o| o.status.success()))
}

/// One step: a command line, and the image to look at afterwards.
struct Step {
    command: String,
    image: String,
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;
const GIB: u64 = 1024 * MIB;

fn pick<T: Copy>(rng: &mut ChaCha8Rng, items: &[T]) -> T {
    items[rng.random_range(0..items.len())]
}

/// An offset/length pair inside `size`, aligned to one of several granularities.
fn range(rng: &mut ChaCha8Rng, size: u64, max_len: u64) -> (u64, u64) {
    let align = pick(rng, &[1, 512, 4096, 65536, 65536, 1 << 20]);
    let len = (rng.random_range(1..=max_len.min(size)) / align * align).max(align.min(size));
    let off_max = size.saturating_sub(len);
    let off = rng.random_range(0..=off_max) / align * align;
    (off, len.min(size - off))
}

fn scenario(seed: u64) -> Vec<Step> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut steps = Vec::new();
    let qcow2 = rng.random_bool(0.75);
    let mut size = pick(&mut rng, &[MIB, 10 * MIB, 100 * MIB, GIB, 3 * GIB, 5 * GIB + 7 * 512, 64 * GIB]);
    let mut cluster = if qcow2 { pick(&mut rng, &[512, 4096, 65536, 65536, 65536, 131072, 2 * MIB]) } else { 0 };
    // Small clusters on huge images make the real qemu-img scan millions of L2 entries for
    // every map and check: keep those images small.
    if qcow2 && cluster < 65536 && size > 3 * GIB {
        size = 3 * GIB;
    }
    let prealloc = if size <= 100 * MIB && rng.random_bool(0.3) {
        pick(&mut rng, if qcow2 { &["metadata", "falloc", "full"][..] } else { &["falloc", "full"][..] })
    } else {
        "off"
    };
    let mut image = "img0".to_owned();
    let mut options = Vec::new();
    if qcow2 && cluster != 65536 {
        options.push(format!("cluster_size={cluster}"));
    }
    if prealloc != "off" {
        options.push(format!("preallocation={prealloc}"));
    }
    let o = if options.is_empty() { String::new() } else { format!(" -o {}", options.join(",")) };
    let fmt = if qcow2 { "qcow2" } else { "raw" };
    steps.push(Step { command: format!("qemu-img create -f {fmt}{o} {image} {size}"), image: image.clone() });
    let mut current_fmt = fmt;
    let mut depth = 0;
    let mut names = 1;
    let ops = rng.random_range(3..12);
    for _ in 0..ops {
        let f = format!("-f {current_fmt}");
        let choice = rng.random_range(0..100);
        let max_len = pick(&mut rng, &[4 * KIB, 64 * KIB, 300 * KIB, 2 * MIB]);
        let command = if choice < 40 {
            let (off, len) = range(&mut rng, size, max_len);
            let pattern = rng.random_range(0..256);
            format!("qemu-io {f} -c 'write -P {pattern} {off} {len}' {image}")
        } else if choice < 55 && current_fmt == "qcow2" {
            // Zero writes on raw images are left out: ext4 turns some of them into written
            // zeros ("zeroout" of small extents), which GuestLab does not model.
            let (off, len) = range(&mut rng, size, max_len);
            let unmap = if rng.random_bool(0.3) { " -u" } else { "" };
            format!("qemu-io {f} -c 'write -z{unmap} {off} {len}' {image}")
        } else if choice < 68 {
            let (off, len) = range(&mut rng, size, max_len * 2);
            format!("qemu-io {f} -c 'discard {off} {len}' {image}")
        } else if choice < 80 && depth < 2 && current_fmt == "qcow2" {
            let overlay = format!("img{names}");
            names += 1;
            depth += 1;
            let cmd = format!("qemu-img create -f qcow2 -b {image} -F {current_fmt} {overlay}");
            image = overlay;
            cmd
        } else if choice < 88 {
            let grow = rng.random_bool(0.7) || depth > 0;
            let delta = pick(&mut rng, &[64 * KIB, MIB, 3 * MIB, 512 * MIB]);
            if grow {
                size += delta;
                format!("qemu-img resize {f} {image} +{delta}")
            } else if size > delta * 2 {
                size -= delta;
                format!("qemu-img resize {f} --shrink {image} -- -{delta}")
            } else {
                continue;
            }
        } else {
            let target = format!("img{names}");
            names += 1;
            let out = pick(&mut rng, &["raw", "qcow2", "qcow2"]);
            let cs = if out == "qcow2" && rng.random_bool(0.3) {
                cluster = pick(&mut rng, &[4096, 65536, 131072]);
                format!(" -o cluster_size={cluster}")
            } else {
                String::new()
            };
            let cmd = format!("qemu-img convert {f} -O {out}{cs} {image} {target}");
            image = target;
            current_fmt = out;
            depth = 0;
            cmd
        };
        steps.push(Step { command, image: image.clone() });
    }
    let _ = cluster;
    steps
}

/// The observations after a step: the same commands for both sides.
fn observe(image: &str) -> String {
    format!(
        "qemu-img info --output=json {image}; qemu-img map --output=json {image}; qemu-img check --output=json {image}; echo rc=$?"
    )
}

/// Removes the timing line of qemu-io (it depends on the machine's speed) and the
/// `actual-size` values (they depend on how ext4 lays out its extent tree; the allocated blocks
/// are compared with a tolerance instead).
fn without_timings(text: &str) -> String {
    text.lines()
        .filter(|l| !l.contains(" ops; "))
        .map(|l| if l.contains("\"actual-size\"") { "actual-size".to_owned() } else { l.to_owned() })
        .map(|l| format!("{l}\n"))
        .collect()
}

fn real_run(dir: &Path, script: &str) -> String {
    let output = Command::new("bash").arg("-c").arg(script).current_dir(dir).output().expect("bash runs");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    text
}

fn sim_file(world: &World, image: &str) -> Option<(u64, u64)> {
    let fs = &world.machine().fs;
    let ino = fs.resolve(ROOT, &format!("/root/{image}"), true).ok()?;
    let f = fs.file(ino).ok()?;
    Some((f.len, f.stat_blocks()))
}

fn real_file(dir: &Path, image: &str) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt as _;
    let m = std::fs::metadata(dir.join(image)).ok()?;
    Some((m.len(), m.blocks()))
}

/// Runs one scenario; returns a description of the first difference.
fn run_scenario(seed: u64, dir: &Path) -> Result<usize, String> {
    let steps = scenario(seed);
    if std::env::var_os("GUESTLAB_QEMU_SHOW").is_some() {
        for step in &steps {
            println!("{}", step.command);
        }
    }
    let mut world = World::new(seed);
    let mut log = String::new();
    for (i, step) in steps.iter().enumerate() {
        // `info` only after the first and the last step (the file length, which is all that
        // changes in between, is compared directly).
        let with_info = i == 0 || i + 1 == steps.len();
        let observe = |image: &str| {
            if with_info {
                observe(image)
            } else {
                observe(image).replacen(&format!("qemu-img info --output=json {image}; "), "", 1)
            }
        };
        let script = format!("exec 2>&1; {}; {}", step.command, observe(&step.image));
        let real = without_timings(&real_run(dir, &script));
        let sim_out = world.run(&format!("{}; {}", step.command, observe(&step.image)));
        let mut sim = String::new();
        for (_, text) in &sim_out.chunks {
            sim.push_str(text);
        }
        let sim = without_timings(&sim);
        let _ = writeln!(log, "$ {}", step.command);
        if real != sim {
            let diff: Vec<String> = real
                .lines()
                .zip(sim.lines())
                .enumerate()
                .filter(|(_, (a, b))| a != b)
                .take(6)
                .map(|(n, (a, b))| format!("line {n}:\n  real: {a}\n  sim:  {b}"))
                .collect();
            return Err(format!(
                "scenario {seed}, step {i}: output differs\n{log}{}\n(real {} lines, sim {} lines)\nreal:\n{real}\nsim:\n{sim}",
                diff.join("\n"),
                real.lines().count(),
                sim.lines().count()
            ));
        }
        let (rf, sf) = (real_file(dir, &step.image), sim_file(&world, &step.image));
        if rf.map(|(len, _)| len) != sf.map(|(len, _)| len) {
            return Err(format!("scenario {seed}, step {i}: file length differs: real {rf:?}, sim {sf:?}\n{log}"));
        }
        if let (Some((_, rb)), Some((_, sb))) = (rf, sf)
            && rb.abs_diff(sb) > rb / 20 + 64
        {
            return Err(format!(
                "scenario {seed}, step {i}: allocated blocks differ a lot: real {rb}, sim {sb}\n{log}"
            ));
        }
    }
    Ok(steps.len())
}

#[test]
fn qemu_img_and_guestlab_agree() {
    if !qemu_available() {
        println!("skipped: qemu-img not installed");
        return;
    }
    let count: u64 = std::env::var("GUESTLAB_QEMU_SCENARIOS").ok().and_then(|v| v.parse().ok()).unwrap_or(200);
    let only: Option<u64> = std::env::var("GUESTLAB_QEMU_SEED").ok().and_then(|v| v.parse().ok());
    let base = std::env::temp_dir().join(format!("guestlab-qemu-diff-{}", std::process::id()));
    let mut failures = Vec::new();
    let mut steps = 0;
    let seeds: Vec<u64> = match only {
        Some(s) => vec![s],
        None => (0..count).collect(),
    };
    // Scenarios are independent: run them on every core.
    let threads = std::thread::available_parallelism().map_or(2, std::num::NonZero::get).max(2);
    let results: Vec<Result<usize, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let seeds: Vec<u64> = seeds.iter().copied().skip(t).step_by(threads).collect();
                let base = &base;
                scope.spawn(move || {
                    seeds
                        .into_iter()
                        .map(|seed| {
                            let dir = base.join(seed.to_string());
                            std::fs::create_dir_all(&dir).expect("temp dir");
                            let started = std::time::SystemTime::now();
                            let result = run_scenario(seed, &dir);
                            if std::env::var_os("GUESTLAB_QEMU_TIMING").is_some() {
                                let ms = started.elapsed().map_or(0, |d| d.as_millis());
                                println!("scenario {seed}: {ms} ms");
                            }
                            std::fs::remove_dir_all(&dir).ok();
                            result
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_default()).collect()
    });
    for result in results {
        match result {
            Ok(n) => steps += n,
            Err(e) => failures.push(e),
        }
    }
    std::fs::remove_dir_all(&base).ok();
    println!("{} scenarios, {steps} steps compared, {} failed", seeds.len(), failures.len());
    if std::env::var_os("GUESTLAB_QEMU_ALL").is_some() {
        for f in &failures {
            let mut lines = f.lines();
            let head = lines.next().unwrap_or_default();
            let step: Vec<&str> = f.lines().filter(|l| l.starts_with("$ ")).collect();
            let diff: Vec<&str> = f.lines().skip_while(|l| !l.starts_with("line ")).take(3).collect();
            println!("== {head}\n   {}\n   {}", step.last().unwrap_or(&""), diff.join(" | "));
        }
    }
    assert!(failures.is_empty(), "{} of {} scenarios differ; first:\n{}", failures.len(), seeds.len(), failures[0]);
}

/// Snapshots, commit, rebase, measure and human-readable outputs, on a fixed script.
#[test]
fn snapshots_commit_rebase_and_measure_agree() {
    if !qemu_available() {
        println!("skipped: qemu-img not installed");
        return;
    }
    let script = "\
qemu-img create -f qcow2 s.qcow2 1G >/dev/null
qemu-io -c 'write -P 1 0 128k' s.qcow2 > /dev/null
qemu-img snapshot -c snap1 s.qcow2
qemu-io -c 'write -P 2 0 64k' s.qcow2 > /dev/null
qemu-img snapshot -l s.qcow2 | cut -c1-33
qemu-img map --output=json s.qcow2
qemu-img check s.qcow2
stat -c '%s' s.qcow2
qemu-img snapshot -a snap1 s.qcow2
qemu-img map --output=json s.qcow2
qemu-img check --output=json s.qcow2
qemu-img snapshot -d snap1 s.qcow2
qemu-img check --output=json s.qcow2
stat -c '%s' s.qcow2
qemu-img snapshot -d nosuch s.qcow2; echo rc=$?
qemu-img measure -O qcow2 s.qcow2
qemu-img measure --size 10G -O qcow2
qemu-img create -f qcow2 b.qcow2 1G > /dev/null
qemu-io -c 'write -P 3 1M 1M' b.qcow2 > /dev/null
qemu-img create -f qcow2 -b b.qcow2 -F qcow2 o.qcow2 > /dev/null
qemu-img create -f qcow2 -b b.qcow2 o2.qcow2; echo rc=$?
qemu-io -c 'write -P 4 0 64k' -c 'write -P 5 1M 64k' o.qcow2 > /dev/null
qemu-img commit o.qcow2
qemu-img map --output=json b.qcow2
qemu-img map o.qcow2
stat -c '%s' o.qcow2 b.qcow2
qemu-img create -f qcow2 n.qcow2 1G > /dev/null
qemu-img rebase -b n.qcow2 -F qcow2 o.qcow2
qemu-img map --output=json o.qcow2
qemu-img info o.qcow2
qemu-img resize o.qcow2 -- -64k; echo rc=$?
qemu-img resize o.qcow2 +1G
qemu-img info --output=json --backing-chain o.qcow2
qemu-img check nosuch.qcow2; echo rc=$?
qemu-img create -f raw r.img 100M
qemu-img check r.img; echo rc=$?
qemu-img info r.img
";
    let dir = std::env::temp_dir().join(format!("guestlab-qemu-fixed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let real = without_timings(&real_run(&dir, &format!("exec 2>&1\n{script}")));
    std::fs::remove_dir_all(&dir).ok();
    let mut world = World::new(1);
    let out = world.run(script);
    let sim: String = out.chunks.iter().map(|(_, t)| t.as_str()).collect();
    let sim = without_timings(&sim);
    if real != sim {
        let diff: Vec<String> = real
            .lines()
            .zip(sim.lines())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .take(8)
            .map(|(n, (a, b))| format!("line {n}:\n  real: {a}\n  sim:  {b}"))
            .collect();
        panic!("outputs differ:\n{}\nreal:\n{real}\nsim:\n{sim}", diff.join("\n"));
    }
}
