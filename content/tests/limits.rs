//! Resource limits of the simulated world: a runaway script stops at each with a clear message
//! instead of filling the memory of a browser tab.

use guestlab_content::sim::libvirt::MAX_RUNNING_GUESTS;
use guestlab_content::sim::vfs::{MAX_FILE_DATA, MAX_NODES};
use guestlab_content::sim::world::{MAX_OUTPUT, MAX_SCRIPT_OUTPUT};
use guestlab_content::sim::{Stream, World};

#[test]
fn the_output_of_one_run_is_cut_off_with_a_note() {
    let mut world = World::new(1);
    // Each line prints 4 MiB (a command's own limit); three of them pass the limit of a run.
    let line = "dd if=/dev/zero bs=1M count=4 status=none\n";
    let out = world.run(&line.repeat(3));
    assert_eq!(out.stdout().len(), MAX_SCRIPT_OUTPUT);
    assert_eq!(
        out.chunks.last(),
        Some(&(Stream::Err, "\n[GuestLab: the rest of the output is cut off after 8 MiB]\n".to_owned()))
    );
    // The commands after the cut still run.
    let out = world.run(&format!("{}touch after-the-cut", line.repeat(3)));
    assert_eq!(out.status, 0);
    assert_eq!(world.run("ls after-the-cut").stdout(), "after-the-cut\n");
    // yes never ends by itself: here it stops at a command's limit, with the note.
    let out = world.run("yes > /dev/null; echo $?");
    assert_eq!(
        (out.stdout(), out.stderr()),
        ("0\n".to_owned(), "\n[GuestLab: output cut off after 4 MiB]\n".to_owned())
    );
    // Into a pipe it stops quietly, as if the reader had gone (whole lines up to the limit).
    let out = world.run("yes | wc -c");
    assert_eq!((out.stdout(), out.stderr()), (format!("{MAX_OUTPUT}\n"), String::new()));
    // One command alone stops at its own limit.
    let out = world.run("dd if=/dev/zero bs=1M count=5 status=none");
    assert_eq!(out.stdout().len(), MAX_OUTPUT);
    assert_eq!(out.stderr(), "\n[GuestLab: output cut off after 4 MiB]\n");
}

#[test]
fn random_data_in_files_stops_at_the_memory_limit() {
    let mut world = World::new(1);
    let mut last = None;
    for i in 0..5 {
        last = Some(world.run(&format!("dd if=/dev/urandom of=r{i} bs=1M count=64 status=none")));
    }
    let last = last.expect("ran");
    assert_eq!(last.status, 1);
    assert_eq!(
        last.stderr(),
        "dd: error writing 'r4': No space left on device (GuestLab keeps at most 256 MiB of written \
         file data in memory; remove files to make room)\n"
    );
    assert!(world.file_data_bytes() <= MAX_FILE_DATA, "{}", world.file_data_bytes());
    // Appending to a file through the shell stops there too.
    let out = world.run("dd if=/dev/urandom bs=1M count=4 status=none >> r0");
    assert_eq!(
        (out.stderr(), out.status),
        (
            "bash: /root/r0: No space left on device (GuestLab keeps at most 256 MiB of written file data \
             in memory; remove files to make room)\n"
                .to_owned(),
            1
        )
    );
    // Removing files makes room again; copies share their data and cost nothing.
    assert_eq!(world.run("rm r1 r2 && cp r0 copy && echo hello > small && cat small").stdout(), "hello\n");
    // Zeros are runs of one byte, not literal data: they never count.
    let out = world.run("dd if=/dev/zero of=zeros bs=1M count=1024 status=none && stat -c %s zeros");
    assert_eq!(out.stdout(), "1073741824\n");
}

#[test]
fn the_number_of_files_is_limited() {
    let mut world = World::new(1);
    let names: Vec<String> = (0..50_000).map(|i| format!("f{i}")).collect();
    let mut round = 0;
    let (out, before) = loop {
        let before = world.machine().fs.len();
        let out = world.run(&format!("mkdir /r{round} && cd /r{round} && touch {}", names.join(" ")));
        if out.status != 0 {
            break (out, before);
        }
        round += 1;
        assert!(round < 5, "no limit after {round} rounds");
    };
    // The directory takes one node; the first file that does not fit is named.
    let first = MAX_NODES - before - 1;
    assert_eq!(
        out.stderr().lines().next(),
        Some(format!("touch: cannot touch 'f{first}': No space left on device").as_str())
    );
    assert_eq!(world.machine().fs.len(), MAX_NODES);
    // Removing files makes room again.
    assert_eq!(world.run("rm -r /r0 && touch /root/again && ls /root/again").stdout(), "/root/again\n");
}

#[test]
fn the_number_of_running_guests_is_limited() {
    let mut world = World::with_sample_vm(1);
    let mut script = String::from("virsh net-start default > /dev/null\n");
    for i in 0..MAX_RUNNING_GUESTS {
        script.push_str(&format!("virt-clone --original bookworm --name c{i} --auto-clone > /dev/null\n"));
        script.push_str(&format!("virsh start c{i} > /dev/null\n"));
    }
    let out = world.run(&script);
    assert_eq!(out.status, 0, "{}", out.stderr());
    let out = world.run("virsh start bookworm");
    assert_eq!(
        (out.stderr(), out.status),
        (
            "error: Failed to start domain 'bookworm'\nerror: internal error: GuestLab runs at most 32 guests at \
             once; shut one down first\n"
                .to_owned(),
            1
        )
    );
    // One less, and it starts.
    world.run("virsh destroy c0");
    assert_eq!(world.run("virsh start bookworm").stdout(), "Domain 'bookworm' started\n\n");
}

#[test]
fn nesting_and_long_lines_end() {
    let mut world = World::new(1);
    let nested = format!("echo {}x{}", "$(echo ".repeat(40), ")".repeat(40));
    let out = world.run(&nested);
    assert_eq!(out.status, 2);
    assert!(out.stderr().starts_with("bash: "), "{}", out.stderr());
    // A line of a million words runs and prints them all.
    let words = "w ".repeat(1_000_000);
    let out = world.run(&format!("echo {words} | wc -w"));
    assert_eq!(out.stdout(), "1000000\n");
}
