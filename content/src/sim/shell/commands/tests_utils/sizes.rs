use super::{out, run, world};
use crate::sim::vfs::{BlockState, ROOT};
use crate::sim::world::MAX_OUTPUT;

fn ranges(w: &crate::sim::world::World, path: &str) -> Vec<(u64, u64, BlockState)> {
    let fs = &w.machine().fs;
    let ino = fs.resolve(ROOT, path, true).unwrap();
    fs.file(ino).unwrap().blocks.ranges().collect()
}

#[test]
fn dd_prints_gnu_summaries() {
    let mut w = world();
    assert_eq!(
        run(&mut w, "dd if=/dev/zero of=z bs=1M count=1"),
        (
            String::new(),
            "1+0 records in\n1+0 records out\n1048576 bytes (1.0 MB, 1.0 MiB) copied, 0.000749051 s, 1.4 GB/s\n".into(),
            0
        )
    );
    assert_eq!(
        run(&mut w, "dd if=/dev/zero of=z bs=1M count=100").1,
        "100+0 records in\n100+0 records out\n104857600 bytes (105 MB, 100 MiB) copied, 0.0699551 s, 1.5 GB/s\n"
    );
    assert_eq!(
        run(&mut w, "dd if=/dev/zero of=z count=2").1,
        "2+0 records in\n2+0 records out\n1024 bytes (1.0 kB, 1.0 KiB) copied, 5.06827e-05 s, 20.2 MB/s\n"
    );
    out(&mut w, "printf 'hello\\nworld\\n' > a.txt");
    assert_eq!(
        run(&mut w, "dd if=a.txt of=b bs=5").1,
        "2+1 records in\n2+1 records out\n12 bytes copied, 5.0008e-05 s, 240 kB/s\n"
    );
    assert_eq!(run(&mut w, "dd if=a.txt bs=3 count=1 skip=2 status=none"), ("wor".into(), String::new(), 0));
    assert_eq!(
        run(&mut w, "dd if=a.txt of=b bs=5 count=1 status=noxfer; cat b"),
        ("hello".into(), "1+0 records in\n1+0 records out\n".into(), 0)
    );
    assert_eq!(run(&mut w, "echo hey | dd of=c status=none; cat c").0, "hey\n");
    assert_eq!(
        run(&mut w, "dd if=a.txt of=b skip=9 bs=4").1,
        "dd: a.txt: cannot skip to specified offset\n0+0 records in\n0+0 records out\n0 bytes copied, 5e-05 s, 0.0 kB/s\n"
    );
    assert_eq!(
        run(&mut w, "dd if=nosuch of=b"),
        (String::new(), "dd: failed to open 'nosuch': No such file or directory\n".into(), 1)
    );
    assert_eq!(run(&mut w, "dd if=/dev/zero of=b bs=1x"), (String::new(), "dd: invalid number: ‘1x’\n".into(), 1));
    assert_eq!(
        run(&mut w, "dd if=/dev/zero of=b conv=bogus").1,
        "dd: invalid conversion: ‘bogus’\nTry 'dd --help' for more information.\n"
    );
    assert_eq!(run(&mut w, "dd if=/tmp of=b").2, 1);
}

#[test]
fn dd_writes_real_zero_blocks_and_truncates_at_the_end_of_the_write() {
    let mut w = world();
    out(&mut w, "dd if=/dev/zero of=z bs=1M count=2 status=none; truncate -s 1G sparse");
    assert_eq!(out(&mut w, "stat -c '%s %b' z sparse"), "2097152 4096\n1073741824 0\n");
    assert_eq!(ranges(&w, "/tmp/t/z"), vec![(0, 2 << 20, BlockState::Written)]);
    // Without conv=notrunc the file ends where the write ends.
    out(&mut w, "dd if=/dev/zero of=z bs=4096 count=1 seek=2 status=none");
    assert_eq!(out(&mut w, "stat -c '%s %b' z"), "12288 24\n");
    out(&mut w, "dd if=/dev/zero of=sparse bs=1M count=1 seek=10 conv=notrunc status=none");
    assert_eq!(out(&mut w, "stat -c '%s %b' sparse; du -h sparse"), "1073741824 2048\n1.0M\tsparse\n");
    out(&mut w, "printf 'abc' > pat; dd if=pat of=sparse bs=1 seek=100 conv=notrunc status=none");
    assert_eq!(out(&mut w, "dd if=sparse bs=1 skip=99 count=5 status=none"), "\0abc\0");
    assert_eq!(out(&mut w, "dd if=sparse bs=1 skip=100 count=3 status=none"), "abc");
    // conv=sparse seeks over zero blocks instead of writing them.
    out(&mut w, "dd if=/dev/zero of=holes bs=1M count=4 conv=sparse status=none");
    assert_eq!(out(&mut w, "stat -c '%s %b' holes"), "4194304 0\n");
}

#[test]
fn dd_stops_when_the_host_disk_is_full() {
    let mut w = world();
    let (stdout, stderr, status) = run(&mut w, "dd if=/dev/zero of=big bs=1G count=300");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!((stdout.as_str(), status), ("", 1));
    assert_eq!(
        lines[..3],
        ["dd: error writing 'big': No space left on device", "256+0 records in", "255+0 records out"]
    );
    assert!(lines[3].ends_with(" bytes (275 GB, 256 GiB) copied, 183.252 s, 1.5 GB/s"), "{}", lines[3]);
    assert_eq!(out(&mut w, "du -h big; ls -lh big"), "256G\tbig\n-rw-r--r-- 1 root root 256G Jun  2 09:00 big\n");
    assert_eq!(
        run(&mut w, "fallocate -l 1M more"),
        (String::new(), "fallocate: fallocate failed: No space left on device\n".into(), 1)
    );
    assert_eq!(
        run(&mut w, "dd if=/dev/zero of=big2 bs=1M count=1").1.lines().next(),
        Some("dd: error writing 'big2': No space left on device")
    );
    assert_eq!(run(&mut w, "echo x > f; cp f g").1, "cp: error writing 'g': No space left on device\n");
    // Sparse files still fit: they take no blocks.
    assert_eq!(run(&mut w, "truncate -s 1T sparse; stat -c %b sparse"), ("0\n".into(), String::new(), 0));
    out(&mut w, "rm big big2");
    assert_eq!(
        run(&mut w, "dd if=/dev/zero of=z bs=1M count=1 status=none; stat -c %b z"),
        ("2048\n".into(), String::new(), 0)
    );
    // Endless input stops at the disk's end too.
    let (_, stderr, status) = run(&mut w, "dd if=/dev/zero of=endless bs=64M");
    assert_eq!((stderr.lines().next(), status), (Some("dd: error writing 'endless': No space left on device"), 1));
}

#[test]
fn sizes_are_bounded_by_ext4s_16_tib_limit() {
    let mut w = world();
    assert_eq!(
        run(&mut w, "truncate -s 16T f"),
        (String::new(), "truncate: failed to truncate 'f' at 17592186044416 bytes: File too large\n".into(), 1)
    );
    assert_eq!(out(&mut w, "truncate -s 17592186040320 f; stat -c '%s %b' f"), "17592186040320 0\n");
    assert_eq!(
        run(&mut w, "truncate -s +1M f").1,
        "truncate: failed to truncate 'f' at 17592187088896 bytes: File too large\n"
    );
    assert_eq!(
        run(&mut w, "truncate -s 9E f").1,
        "truncate: Invalid number: ‘9E’: Value too large for defined data type\n"
    );
    assert_eq!(
        run(&mut w, "dd if=/dev/zero of=g bs=1T seek=16 count=1"),
        (
            String::new(),
            "dd: failed to truncate to 17592186044416 bytes in output file 'g': File too large\n".into(),
            1
        )
    );
    assert_eq!(
        run(&mut w, "dd if=/dev/zero of=g bs=1M seek=16777215 count=2").1,
        "dd: error writing 'g': File too large\n1+0 records in\n0+0 records out\n1044480 bytes (1.0 MB, 1020 KiB) copied, 0.00074632 s, 1.4 GB/s\n"
    );
    assert_eq!(out(&mut w, "stat -c '%s %b' g"), "17592186040320 2040\n");
    assert_eq!(run(&mut w, "fallocate -o 16T -l 1 h").1, "fallocate: fallocate failed: File too large\n");
}

#[test]
fn truncate_and_fallocate_make_holes_and_unwritten_blocks() {
    let mut w = world();
    assert_eq!(
        out(&mut w, "truncate -s 1K t; truncate -s +1M t; stat -c %s t; truncate -s -100 t; stat -c %s t"),
        "1049600\n1049500\n"
    );
    assert_eq!(
        out(
            &mut w,
            "truncate -s 1KB t; stat -c %s t; truncate -s '>2000' t; stat -c %s t; truncate -s %4096 t; stat -c %s t"
        ),
        "1000\n2000\n4096\n"
    );
    assert_eq!(out(&mut w, "truncate -c -s 1 nosuch; ls"), "t\n");
    assert_eq!(
        run(&mut w, "truncate t").1,
        "truncate: you must specify either ‘--size’ or ‘--reference’\nTry 'truncate --help' for more information.\n"
    );
    out(&mut w, "fallocate -l 1M fa");
    assert_eq!(ranges(&w, "/tmp/t/fa"), vec![(0, 1 << 20, BlockState::Unwritten)]);
    assert_eq!(out(&mut w, "stat -c '%s %b' fa; du -k fa"), "1048576 2048\n1024\tfa\n");
    out(&mut w, "fallocate -n -o 2M -l 8K fa");
    assert_eq!(out(&mut w, "stat -c '%s %b' fa"), "1048576 2064\n");
    out(&mut w, "fallocate -p -o 0 -l 512K fa");
    assert_eq!(out(&mut w, "stat -c '%s %b' fa"), "1048576 1040\n");
    assert_eq!(out(&mut w, "fallocate -v -l 2M fv"), "fv: 2 MiB (2097152 bytes) allocated.\n");
    assert_eq!(run(&mut w, "fallocate -l 0 fa").1, "fallocate: invalid length value specified\n");
    assert_eq!(
        run(&mut w, "fallocate -l 1M /nosuch/x").1,
        "fallocate: cannot open /nosuch/x: No such file or directory\n"
    );
}

#[test]
fn output_to_the_terminal_is_bounded() {
    let mut w = world();
    let out = w.run("dd if=/dev/zero bs=1M count=100 status=none");
    assert!(out.stdout().len() <= MAX_OUTPUT);
    let out = w.run("dd if=/dev/urandom of=r bs=1M count=100");
    assert_eq!(out.stderr().lines().next(), Some("dd: GuestLab reads at most 64 MiB from /dev/urandom in one command"));
    assert_eq!(w.run("stat -c %s r").stdout(), "67108864\n");
    assert_eq!(w.run("printf '%0999999d' 1 | wc -c").stdout(), "999999\n");
    // Widths are capped at 1 MiB, and a command's output at 4 MiB.
    assert_eq!(w.run("printf '%099999999d' 1 | wc -c").stdout(), "1048576\n");
    let out = w.run("printf '%01000000d' 1 2 3 4 5");
    assert_eq!(
        (out.stdout().len(), out.stderr()),
        (MAX_OUTPUT, "\n[GuestLab: output cut off after 4 MiB]\n".to_owned())
    );
}
