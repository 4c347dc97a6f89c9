//! Properties that must hold for any input (proptest): a qcow2 image stays consistent after
//! any sequence of operations and reads back what was written; any command line either runs or
//! prints an error, within bounded output; lesson parsing never panics.

use guestlab_content::Lang;
use guestlab_content::lesson::{LessonSet, parse_lesson};
use guestlab_content::sim::World;
use guestlab_content::sim::disk::qcow2::{CreateOptions, Data, Prealloc, Qcow2};
use guestlab_content::sim::vfs::data::Contents;
use guestlab_content::sim::vfs::{NodeKind, RegularFile};
use guestlab_content::sim::world::{MAX_OUTPUT, MAX_SCRIPT_OUTPUT};
use proptest::prelude::*;

/// `n` cases, or `PROPTEST_CASES` for a longer run (`PROPTEST_CASES=20000 cargo test --test properties`).
fn cases(n: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(n);
    ProptestConfig { cases, ..ProptestConfig::default() }
}

// ----- qcow2 ---------------------------------------------------------------------------------

/// One operation on an image, in units of 512-byte sectors.
#[derive(Clone, Debug)]
enum Op {
    Write { sector: u64, sectors: u64, byte: u8 },
    WriteZeroes { sector: u64, sectors: u64, unmap: bool },
    Discard { sector: u64, sectors: u64 },
    Resize { sectors: u64 },
    SnapshotCreate,
    SnapshotGoto(usize),
    SnapshotDelete(usize),
}

/// The image is at most this many sectors (1 MiB): small, so that clusters are reused often.
const MAX_SECTORS: u64 = 2048;

fn op() -> impl Strategy<Value = Op> {
    let range = (0..MAX_SECTORS, 1..300u64);
    prop_oneof![
        6 => (range.clone(), any::<u8>()).prop_map(|((sector, sectors), byte)| Op::Write { sector, sectors, byte }),
        2 => (range.clone(), any::<bool>()).prop_map(|((sector, sectors), unmap)| Op::WriteZeroes { sector, sectors, unmap }),
        2 => range.prop_map(|(sector, sectors)| Op::Discard { sector, sectors }),
        1 => (1..=MAX_SECTORS).prop_map(|sectors| Op::Resize { sectors }),
        1 => Just(Op::SnapshotCreate),
        1 => (0..4usize).prop_map(Op::SnapshotGoto),
        1 => (0..4usize).prop_map(Op::SnapshotDelete),
    ]
}

/// The guest's view of the image: its bytes, sector by sector.
fn guest_bytes(q: &Qcow2, f: &RegularFile) -> Vec<u8> {
    let mut out = Contents::default();
    q.read_guest(f, None, 0, q.size, &mut out, 0);
    out.read(0, q.size as usize)
}

/// Runs `ops` on a fresh image and checks, after each one, the refcounts and the guest data
/// against a plain byte array.
fn check_ops(cluster_bits: u32, ops: &[Op]) -> Result<(), TestCaseError> {
    let mut f = RegularFile::default();
    let size = MAX_SECTORS * 512;
    let mut q = Qcow2::create(&mut f, &CreateOptions { size, cluster_bits, ..CreateOptions::default() });
    let mut model = vec![0u8; size as usize];
    // (name, guest data at the time) of each snapshot.
    let mut snapshots: Vec<(String, Vec<u8>)> = Vec::new();
    let mut next_snapshot = 0;
    for (step, op) in ops.iter().enumerate() {
        let end = |sector: u64, sectors: u64, size: u64| ((sector + sectors) * 512).min(size);
        match *op {
            Op::Write { sector, sectors, byte } => {
                let (from, to) = (sector * 512, end(sector, sectors, q.size));
                if from < to {
                    q.write(&mut f, None, from, to - from, Data::Fill(byte));
                    model[from as usize..to as usize].fill(byte);
                }
            }
            Op::WriteZeroes { sector, sectors, unmap } => {
                let (from, to) = (sector * 512, end(sector, sectors, q.size));
                if from < to {
                    q.write_zeroes(&mut f, None, from, to - from, unmap);
                    model[from as usize..to as usize].fill(0);
                }
            }
            Op::Discard { sector, sectors } => {
                let (from, to) = (sector * 512, end(sector, sectors, q.size));
                if from < to {
                    q.discard(&mut f, false, from, to - from);
                    // Only whole clusters are discarded; they read as zeros (no backing file).
                    let cs = q.cluster_size();
                    let first = from.div_ceil(cs) * cs;
                    let last = if to == q.size { to } else { to / cs * cs };
                    if first < last {
                        model[first as usize..last as usize].fill(0);
                    }
                }
            }
            Op::Resize { sectors } => {
                let (old, new) = (q.size, sectors * 512);
                q.truncate(&mut f, None, new, Prealloc::Off);
                model.resize(new as usize, 0);
                // Growing shows zeros, except in the rest of the old last cluster when the old
                // size was not a multiple of the cluster size: a shrink keeps that cluster, and
                // QEMU 10.0 shows its old bytes again (checked with qemu-img resize and qemu-io).
                let tail_end = old.div_ceil(q.cluster_size()) * q.cluster_size();
                if new > old && tail_end > old {
                    let to = tail_end.min(new);
                    let guest = guest_bytes(&q, &f);
                    model[old as usize..to as usize].copy_from_slice(&guest[old as usize..to as usize]);
                }
            }
            Op::SnapshotCreate => {
                let name = format!("s{next_snapshot}");
                next_snapshot += 1;
                q.snapshot_create(&mut f, &name, 0).map_err(|e| TestCaseError::fail(format!("create: {e}")))?;
                snapshots.push((name, model.clone()));
            }
            Op::SnapshotGoto(i) => {
                if let Some((name, data)) = snapshots.get(i % snapshots.len().max(1)) {
                    q.snapshot_goto(&mut f, name).map_err(|e| TestCaseError::fail(format!("goto: {e}")))?;
                    model.clone_from(data);
                }
            }
            Op::SnapshotDelete(i) => {
                if !snapshots.is_empty() {
                    let (name, _) = snapshots.remove(i % snapshots.len());
                    q.snapshot_delete(&mut f, &name).map_err(|e| TestCaseError::fail(format!("delete: {e}")))?;
                }
            }
        }
        let check = q.check_refcounts();
        prop_assert!(check.is_clean(), "after step {step} ({op:?}): {check:?}");
        prop_assert_eq!(q.size, model.len() as u64);
        let guest = guest_bytes(&q, &f);
        if guest != model {
            let at = guest.iter().zip(&model).position(|(a, b)| a != b).unwrap_or(0);
            return Err(TestCaseError::fail(format!(
                "after step {step} ({op:?}): guest byte {at} is {} but {} was written",
                guest[at], model[at]
            )));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn qcow2_refcounts_and_data_hold_after_any_operations(
        cluster_bits in prop_oneof![Just(9u32), Just(12), Just(16)],
        ops in prop::collection::vec(op(), 1..40),
    ) {
        check_ops(cluster_bits, &ops)?;
    }
}

/// Every qcow2 image anywhere on the host passes the refcount check.
fn all_images_consistent(world: &World) -> Result<(), String> {
    for machine in &world.machines {
        for ino in 0..machine.fs.len() {
            let Some(node) = machine.fs.node(ino) else { continue };
            if let NodeKind::File(file) = &node.kind
                && let Some(q) = file.qcow2.as_deref()
            {
                let check = q.check_refcounts();
                if !check.is_clean() {
                    return Err(format!("inode {ino}: {check:?}"));
                }
            }
        }
    }
    Ok(())
}

/// A qemu-img or qemu-io command line on the images a.qcow2, b.qcow2 (b over a) and c.qcow2.
fn image_command() -> impl Strategy<Value = String> {
    let image = prop_oneof![Just("a.qcow2"), Just("b.qcow2"), Just("c.qcow2")];
    let offset = (0..64u64).prop_map(|k| format!("{}k", k * 32));
    let len = prop_oneof![Just("512"), Just("4k"), Just("64k"), Just("100k"), Just("1M")];
    prop_oneof![
        4 => (any::<u8>(), offset.clone(), len.clone(), image.clone())
            .prop_map(|(p, o, l, i)| format!("qemu-io -c 'write -P {p} {o} {l}' {i}")),
        2 => (offset.clone(), len.clone(), image.clone(), any::<bool>())
            .prop_map(|(o, l, i, u)| format!("qemu-io -c 'write -z {}{o} {l}' {i}", if u { "-u " } else { "" })),
        2 => (offset, len, image.clone()).prop_map(|(o, l, i)| format!("qemu-io -c 'discard {o} {l}' {i}")),
        1 => (image.clone(), prop_oneof![Just("1M"), Just("2M"), Just("+512k"), Just("--shrink 1M")])
            .prop_map(|(i, s)| format!("qemu-img resize {i} {s}")),
        1 => (image.clone(), 0..3u8).prop_map(|(i, n)| format!("qemu-img snapshot -c s{n} {i}")),
        1 => (image.clone(), 0..3u8).prop_map(|(i, n)| format!("qemu-img snapshot -a s{n} {i}")),
        1 => (image.clone(), 0..3u8).prop_map(|(i, n)| format!("qemu-img snapshot -d s{n} {i}")),
        1 => Just("qemu-img commit b.qcow2".to_owned()),
        1 => Just("qemu-img convert -c -O qcow2 b.qcow2 c.qcow2".to_owned()),
        1 => Just("qemu-img convert -O qcow2 a.qcow2 c.qcow2".to_owned()),
        1 => Just("qemu-img rebase -u -b a.qcow2 -F qcow2 c.qcow2".to_owned()),
        1 => Just("qemu-img create -f qcow2 -b a.qcow2 -F qcow2 b.qcow2".to_owned()),
    ]
}

proptest! {
    #![proptest_config(cases(64))]

    #[test]
    fn qcow2_images_stay_consistent_under_qemu_commands(
        commands in prop::collection::vec(image_command(), 1..25),
    ) {
        let mut world = World::new(1);
        world.run("cd /tmp && qemu-img create -f qcow2 a.qcow2 2M && qemu-img create -f qcow2 -b a.qcow2 -F qcow2 b.qcow2 && qemu-img create -f qcow2 -o cluster_size=4k c.qcow2 2M");
        for (i, line) in commands.iter().enumerate() {
            let out = world.run(line);
            prop_assert!(!out.stderr().contains("panicked"), "{line}");
            if let Err(problem) = all_images_consistent(&world) {
                return Err(TestCaseError::fail(format!("after command {i} `{line}`: {problem}")));
            }
        }
    }
}

// ----- the shell -----------------------------------------------------------------------------

/// Words a learner might type: every command GuestLab knows, some it does not, and odd ones.
const WORDS: &[&str] = &[
    "ls",
    "cat",
    "echo",
    "printf",
    "dd",
    "truncate",
    "fallocate",
    "cp",
    "mv",
    "rm",
    "mkdir",
    "ln",
    "find",
    "grep",
    "sort",
    "uniq",
    "wc",
    "head",
    "tail",
    "tee",
    "cut",
    "stat",
    "du",
    "touch",
    "chmod",
    "date",
    "sleep",
    "env",
    "export",
    "unset",
    "cd",
    "pwd",
    "exit",
    "history",
    "type",
    "which",
    "qemu-img",
    "qemu-io",
    "virsh",
    "virt-install",
    "virt-clone",
    "virt-sysprep",
    "virt-xml-validate",
    "dbus-uuidgen",
    "systemd-machine-id-setup",
    "systemd-id128",
    "systemd-detect-virt",
    "hostnamectl",
    "ip",
    "ssh",
    "ssh-keygen",
    "reboot",
    "lscpu",
    "lsmod",
    "dmidecode",
    "yes",
    "seq",
    "xargs",
    "-",
    "--",
    "-r",
    "-f",
    "-n",
    "1",
    "0",
    "-1",
    "99999999999999999999",
    "1E",
    "1P",
    "/",
    ".",
    "..",
    "/dev/zero",
    "/dev/null",
    "/dev/kvm",
    "/etc/machine-id",
    "*",
    "?",
    "[",
    "~",
    "$HOME",
    "$?",
    "$(ls)",
    "\"$(cat /dev/zero)\"",
    "'x y'",
    "if=/dev/zero",
    "of=f",
    "bs=1M",
    "count=9999999",
    "seek=1E",
    "list",
    "--all",
    "define",
    "start",
    "destroy",
    "bookworm",
    "create",
    "-f",
    "qcow2",
    "x.qcow2",
    "16T",
    "info",
    "map",
    "check",
    "write",
    "-c",
];

const OPERATORS: &[&str] = &[" ", " ", " ", " | ", " && ", " || ", "; ", " > f", " >> f", " 2>&1", " < f", "\n"];

fn command_line() -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(WORDS), prop::sample::select(OPERATORS)), 1..16).prop_map(|parts| {
        let mut line = String::new();
        for (word, op) in parts {
            line.push_str(word);
            line.push_str(op);
        }
        line
    })
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn any_command_line_runs_or_prints_an_error(line in command_line()) {
        let mut world = World::with_sample_vm(1);
        let out = world.run(&line);
        prop_assert!((0..=255).contains(&out.status), "status {} for {line:?}", out.status);
        let printed: usize = out.chunks.iter().map(|(_, t)| t.len()).sum();
        prop_assert!(printed <= MAX_SCRIPT_OUTPUT + 256, "{printed} bytes for {line:?}");
    }

    #[test]
    fn arbitrary_text_in_the_shell_never_panics(text in "\\PC{0,200}") {
        let mut world = World::new(1);
        let out = world.run(&text);
        prop_assert!(out.stdout().len() <= MAX_SCRIPT_OUTPUT + 256);
        prop_assert!(out.stdout().len() <= MAX_OUTPUT || text.contains(';') || text.contains('\n') || text.contains('&') || text.contains('|'));
    }
}

// ----- lessons -------------------------------------------------------------------------------

/// A real lesson file, cut and mutated.
fn mutated_lesson() -> impl Strategy<Value = String> {
    let files: Vec<&'static str> = guestlab_content::lesson::EMBEDDED_LESSONS.iter().map(|(_, text)| *text).collect();
    (prop::sample::select(files), any::<prop::sample::Index>(), any::<prop::sample::Index>(), "\\PC{0,12}").prop_map(
        |(text, a, b, insert)| {
            let bytes = text.as_bytes();
            let mut at = a.index(bytes.len() + 1);
            let mut to = (at + b.index(40)).min(bytes.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            while !text.is_char_boundary(to) {
                to += 1;
            }
            format!("{}{insert}{}", &text[..at], &text[to..])
        },
    )
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn lesson_parsing_never_panics(text in mutated_lesson()) {
        if let Ok(lesson) = parse_lesson("en/01-mutated.md", Lang::En, &text) {
            for question in &lesson.questions {
                prop_assert!(lesson.question(&question.id).is_some());
            }
        }
        let _ = LessonSet::load(Lang::En, [("en/01-mutated.md", text.as_str()), ("en/02-mutated.md", text.as_str())]);
    }

    #[test]
    fn arbitrary_text_is_a_lesson_or_an_error(text in "(\\+\\+\\+\n)?\\PC{0,300}(\n\\+\\+\\+\n)?\\PC{0,100}") {
        match parse_lesson("en/01-x.md", Lang::En, &text) {
            Ok(_) => {}
            Err(err) => prop_assert!(err.position.line >= 1, "{err}"),
        }
    }
}

// ----- regressions found by the properties ---------------------------------------------------

/// `qemu-img convert -c` wrote a cluster that spans several map entries once per entry, leaving
/// a compressed cluster's host cluster with a refcount of two and one reference.
#[test]
fn convert_compressed_writes_each_cluster_once() {
    let mut world = World::new(1);
    let out = world.run(
        "cd /tmp && qemu-img create -q -f qcow2 a.qcow2 2M && qemu-img create -q -f qcow2 -b a.qcow2 -F qcow2 b.qcow2 \
         && qemu-io -c 'write -P 1 1952k 512' b.qcow2 >/dev/null && qemu-io -c 'write -P 1 1920k 512' b.qcow2 >/dev/null \
         && qemu-img snapshot -c s0 b.qcow2 && qemu-img convert -c -O qcow2 b.qcow2 c.qcow2 \
         && qemu-img map --output=json c.qcow2 && qemu-io -c 'read -P 1 1920k 512' -c 'read -P 1 1952k 512' c.qcow2",
    );
    assert_eq!(out.status, 0, "{}", out.stderr());
    assert!(out.stdout().contains(r#"{ "start": 1966080, "length": 65536, "depth": 0, "present": true, "zero": false, "data": true, "compressed": true}"#), "{}", out.stdout());
    assert_eq!(all_images_consistent(&world), Ok(()));
}

/// `qemu-io read -P` compared the read data with the expected pattern extent by extent, so data
/// read across several clusters never matched; and it named the first differing byte, where
/// QEMU names the request (both checked against qemu-io 10.0).
#[test]
fn qemu_io_read_pattern_verifies_data_across_clusters() {
    let mut world = World::new(1);
    let out = world.run(
        "qemu-img create -q -f qcow2 s.qcow2 3M && qemu-io -c 'write -P 7 100k 300k' s.qcow2 > /dev/null \
         && qemu-io -c 'read -P 7 100k 300k' -c 'read -P 7 96k 8k' -c 'read -P 0 96k 4k' -c 'read -P 0 96k 8k' s.qcow2",
    );
    let stdout = out.stdout();
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.contains("ops;")).collect();
    assert_eq!(
        lines,
        [
            "read 307200/307200 bytes at offset 102400",
            "Pattern verification failed at offset 98304, 8192 bytes",
            "read 8192/8192 bytes at offset 98304",
            "read 4096/4096 bytes at offset 98304",
            "Pattern verification failed at offset 98304, 8192 bytes",
            "read 8192/8192 bytes at offset 98304",
        ]
    );
}

// ----- progress export and import --------------------------------------------------------------

proptest! {
    #![proptest_config(cases(256))]

    /// Whatever a learner did — answers over any days with any ratings, exams, an exam date —
    /// the exported progress file imports as exactly the same progress.
    #[test]
    fn progress_export_and_import_round_trip(
        answers in prop::collection::vec(
            ("[a-z]{1,8}(-[a-z0-9]{1,6}){0,2}", any::<bool>(), prop::option::of(0..4usize), 19_000..21_000i64, 0..4000u32),
            0..60,
        ),
        exams in prop::collection::vec((19_000..21_000i64, any::<u64>(), 1..80u32, 0..80u32, 0..1000u32), 0..5),
        exam_date in prop::option::of(19_000..21_500i64),
    ) {
        use guestlab_content::lesson::progress::{ExamRecord, Progress};
        use guestlab_content::lesson::review::Rating;
        let mut progress = Progress::default();
        let mut answers = answers;
        answers.sort_by_key(|a| a.3);
        for (id, correct, rating, day, seconds) in answers {
            progress.record(&id, correct, rating.map(|r| Rating::ALL[r]), day, seconds);
        }
        for (day, seed, questions, right, score) in exams {
            progress.record_exam(ExamRecord { day, seed, questions, right: right.min(questions), score });
        }
        progress.exam_date = exam_date;
        let text = progress.to_ron();
        prop_assert_eq!(Progress::from_ron(&text), Ok(progress));
    }
}
