//! Differential test: the same command lines run through the real GNU tools (bash in a
//! temporary directory on this machine) and through the simulated shell, and their standard
//! output, standard error and exit status are compared after normalising what legitimately
//! differs (file times, dd's measured speed).
//!
//! The scripts only use files they create first, so they do not depend on the machine. Sizes
//! in blocks (`du`, `ls -s`, `stat -c %b`) are compared only where the temporary directory is
//! on ext4 with 4 KiB blocks, as the simulated host's disk.

use std::path::{Path, PathBuf};
use std::process::Command;

use guestlab_content::sim::World;

/// Lines that set up the files the checks look at (run in both worlds, output compared too).
const SETUP: &[&str] = &[
    "printf 'hello\\nworld\\n' > a.txt",
    "mkdir -p d/sub",
    "echo x > d/sub/f",
    "ln -s a.txt link",
    "printf 'b 10\\na 2\\nB 1\\nc 2\\na 2\\n10 x\\n9 y\\n' > s.txt",
    "printf 'flags : fpu vmx sse\\nmodel name : Intel\\nflags : fpu svm\\n' > cpu",
    "printf 'l1\\nl2\\nmatch\\nl4\\nl5\\nl6\\nl7\\nmatch\\nl9\\n' > ctx.txt",
    "printf 'root:x:0:0:root:/root:/bin/bash\\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\\n' > pw",
];

/// Checks that do not depend on block allocation.
const CHECKS: &[&str] = &[
    "ls -l",
    "ls -la d",
    "ls -lR d",
    "ls -ld d link a.txt",
    "ls -l nosuch a.txt",
    "ls nosuch; echo $?",
    "ls -1 d a.txt",
    "ls -C -T 0 -A",
    "ls -C -T 0 -w 20 d d/sub .",
    "ls -x -T 0 -w 30",
    "ls -lS",
    "ls -lr",
    "ls -l link/",
    "ls -lL link",
    "ls -d d/",
    "ls -lh a.txt d",
    "stat -c '%s %a %A %U %G %u %g %F %N %h %n' a.txt d link",
    "stat -c %s nosuch a.txt",
    "stat --printf '%s\\n%n\\t%F\\n' a.txt",
    "stat -L -c '%s %F' link",
    "du -b a.txt d",
    "du --apparent-size a.txt d",
    "printf '%s-%d|%5d|%-5d|%05d|%x|%X|%o|%c|%%|%08x|%.3s|%10.2s|\\n' abc 42 7 7 7 255 255 8 xyz 255 abcdef abcdef",
    "printf '%s %s\\n' a b c",
    "printf '%d %d\\n' 0x1f 010 \"'A\"",
    "printf '%i %u %x\\n' -5 -1 -1",
    "printf 'a\\tb\\\\n\\101\\x41\\n'",
    "printf '%b|%q\\n' 'a\\tb' 'a b'",
    "printf '%5.1f|%e|%g|%g\\n' 3.14159 1.5 0.0001 123456789",
    "printf '%+d % d %-+5d|%#x %#o\\n' 5 5 5 255 8",
    "printf '%*d|%-*d|\\n' 5 1 4 2",
    "sort s.txt",
    "sort -r s.txt",
    "sort -n s.txt",
    "sort -u s.txt",
    "sort -k2 s.txt",
    "sort -k2 -n s.txt",
    "sort -k 2,2n -k1,1 s.txt",
    "sort -nr s.txt",
    "sort -un -k2 s.txt",
    "sort -f s.txt",
    "sort -t: -k3 -n pw",
    "sort -c s.txt",
    "sort nosuch",
    "sort -k0 s.txt",
    "printf 'b\\nB\\na\\nA\\n' | sort -fu",
    "printf '1.5\\n-2\\n10\\n 3\\nabc\\n1e3\\n' | sort -n",
    "printf 'x10\\nx9\\nx1.2\\n' | sort -V",
    "printf '1K\\n2M\\n512\\n1G\\n' | sort -h",
    "yes | head -3",
    "yes a 'b  c' | head -2",
    "yes -- -x | head -1",
    "yes -x; echo $?",
    "yes --bogus; echo $?",
    "yes --help",
    "yes --version | head -1",
    "wc a.txt s.txt",
    "wc -l a.txt",
    "wc -w < a.txt",
    "wc -c a.txt s.txt",
    "wc -lc s.txt",
    "wc nosuch",
    "wc -l nosuch a.txt",
    "echo hi | wc",
    "wc d",
    "wc -L a.txt",
    "printf '' | wc",
    "grep -E 'vmx|svm' cpu",
    "grep -c -E 'vmx|svm' cpu a.txt",
    "grep -o -E 'vmx|svm|fpu' cpu",
    "grep -n hello a.txt cpu",
    "grep x nosuch",
    "grep -s x nosuch",
    "grep x d",
    "grep -r x d",
    "grep -rn o d a.txt",
    "grep -q hello a.txt",
    "grep -q nomatch a.txt",
    "grep -v o a.txt",
    "grep -i HELLO a.txt",
    "grep 'a\\|w' a.txt",
    "grep -E 'l{2}' a.txt",
    "grep 'l\\{2\\}' a.txt",
    "grep -E '(' a.txt",
    "grep '[' a.txt",
    "grep '[[:foo:]]' a.txt",
    "grep 'x\\' a.txt",
    "grep -E 'a{2,1}' a.txt",
    "grep '\\(l\\)\\1' a.txt",
    "grep -o 'l*' a.txt",
    "grep -l o a.txt cpu",
    "grep -h o a.txt cpu",
    "grep -w fpu cpu",
    "grep -x hello a.txt",
    "grep -e hello -e world a.txt",
    "grep -F '.' a.txt",
    "grep '^\\(h\\|w\\)' a.txt",
    "grep -E '\\bworld\\b' a.txt",
    "grep -E '[[:digit:]]+|[[:upper:]]' cpu",
    "grep -C1 match ctx.txt",
    "grep -A1 -n match ctx.txt",
    "grep -B2 match ctx.txt a.txt",
    "grep -c -A1 match ctx.txt",
    "grep -A1 -m1 match ctx.txt",
    "echo abc | grep -o ''",
    "head -3 ctx.txt",
    "head -n 2 ctx.txt a.txt",
    "head -c 5 a.txt",
    "head -n -7 ctx.txt",
    "head -c -3 a.txt",
    "tail -n 2 ctx.txt",
    "tail -3 ctx.txt a.txt",
    "tail -n +8 ctx.txt",
    "tail -c 4 a.txt",
    "tail -c +8 a.txt",
    "head nosuch",
    "tail nosuch",
    "head -n x ctx.txt",
    "head d",
    "printf 'a\\nb' | tail -1",
    "tail -v a.txt",
    "cut -d: -f1,3 pw",
    "cut -d: -f2- pw",
    "echo 'a b c' | cut -d' ' -f2",
    "echo abc | cut -c2-",
    "echo abc | cut -s -d: -f2",
    "cut a.txt",
    "cut -f0 a.txt",
    "cut -d ab -f1 a.txt",
    "cut -f3-1 a.txt",
    "cut -c 2,4-5 a.txt",
    "cut -d: --output-delimiter=' | ' -f1,3 pw",
    "printf 'a\\na\\nb\\na\\n' | uniq",
    "printf 'a\\na\\nb\\na\\n' | uniq -c",
    "printf 'a\\na\\nb\\na\\n' | uniq -d",
    "printf 'a\\na\\nb\\na\\n' | uniq -u",
    "printf 'x a\\ny a\\nz b\\n' | uniq -f1 -c",
    "echo hi | tee t1 t2; cat t1 t2",
    "echo x | tee nodir/x",
    "basename /a/b/c.txt .txt; basename /a/b/; basename /; basename -a x/y z/w; basename -s .c a.c b.c",
    "basename",
    "dirname /a/b/c a / a/ /a",
    "readlink link; readlink a.txt; echo $?",
    "readlink -f nosuch/x; echo $?",
    "readlink -v a.txt",
    "realpath -e nosuch",
    "rm nosuch",
    "rm d",
    "rm -f nosuch; echo $?",
    "rm",
    "rm -r .",
    "rm a.txt/",
    "mkdir d",
    "mkdir x/y/z",
    "mkdir -p a.txt/x",
    "mkdir -p a.txt",
    "rmdir d",
    "rmdir nosuch",
    "rmdir a.txt",
    "mkdir -v x1 && mkdir -pv x2/y/z && rm -rv x1 x2",
    "mkdir -m 700 m7 && stat -c %a m7 && rmdir -v m7",
    "ln -s a.txt link",
    "ln -sf a.txt link && ls -l link",
    "ln -s",
    "ln nosuch x",
    "ln d dl",
    "touch nodir/x",
    "touch -t 202001011200 old && ls -l old",
    "touch -d '2020-01-01 10:00' old2 && ls -l old2 && touch -d xyz old2",
    "mv nosuch x",
    "mv a.txt",
    "mv d a.txt",
    "mv d d/sub",
    "mv a.txt a.txt",
    "mv -v s.txt s2.txt && mv s2.txt s.txt",
    "cp nosuch x",
    "cp d x",
    "cp",
    "cp a.txt",
    "cp -v a.txt b.txt && rm -v b.txt",
    "cp a.txt a.txt",
    "cp a.txt s.txt nosuchdir",
    "cp --sparse=bogus a.txt x",
    "cp -r d d/sub; rm -rf d/sub/d",
    "cp -rv d d3 && ls -lR d3 && rm -r d3",
    "cp -r link l2 && ls -l l2 && rm l2",
    "chmod 600 nosuch",
    "chmod xyz a.txt",
    "chmod",
    "chmod 644",
    "chmod -v 600 a.txt; chmod -c 644 a.txt; chmod u+x,g-r,o=w a.txt; stat -c %A a.txt; chmod a=rX a.txt; stat -c %A a.txt; chmod 4755 a.txt; stat -c %A a.txt; chmod 644 a.txt",
    "chmod -v u=rw,go=r a.txt",
    "chmod g+s,o+t d; stat -c %A d; chmod 755 d; stat -c %A d; chmod g-s d",
    "chown nosuchuser a.txt",
    "chown root:nosuchgrp a.txt",
    "chown -v root:root a.txt",
    "chown",
    "truncate -s 1K t1; truncate -s +1M t1; stat -c %s t1; truncate -s -100 t1; stat -c %s t1; truncate -s 1KB t1; stat -c %s t1; rm t1",
    "truncate -s 17T t2",
    "truncate -s 9E t2",
    "truncate -s abc x",
    "truncate x",
    "truncate -s 1 nosuchdir/x",
    "fallocate fa",
    "fallocate -l abc fa",
    "fallocate -l 1M nosuchdir/x",
    "fallocate -n -l 1M fan",
    "dd if=/dev/zero of=z1 bs=1M count=1",
    "dd if=a.txt of=z2 bs=5",
    "dd if=a.txt of=z2 bs=5 skip=1 count=1; cat z2",
    "dd if=nosuch of=z3",
    "dd if=/dev/zero of=nodir/x count=1",
    "dd if=/dev/zero of=z1 bs=1x count=1",
    "dd foo=bar",
    "dd if=/dev/zero of=z1 bs=0 count=1",
    "dd if=/dev/zero of=z1 count=2",
    "dd if=/dev/zero of=z1 bs=1k count=1 status=none",
    "dd if=/dev/zero of=z1 bs=1M count=3 status=noxfer",
    "dd if=a.txt bs=3 count=1",
    "dd if=a.txt of=z4 bs=4 skip=9",
    "dd if=/dev/zero of=z1 bs=1 count=1",
    "dd if=/dev/zero of=z1 bs=1000 count=1",
    "find d",
    "find d -type d",
    "find d -name f",
    "find nosuch",
    "find . -typo f",
    "find . -type x",
    "find . -maxdepth",
    "find . -maxdepth -1",
    "find d/ -name f",
    "find d -name sub -type d",
    "find d -name f -exec cat {} \\;",
    "id; id -u; id -un; id -G",
    "id nosuch",
    "groups",
    "date -d @1748854800",
    "date -d @1748854800 '+%Y-%m-%d %H:%M:%S %a %A %b %B %d %e %j %u %w %s %Z %z %F %T %D %R %y %p %I %n%t%% %h %c %x %X %k %l %C %G %V %U %N %:z'",
    "date -d @1748854800 -R; date -d @1748854800 -I; date -d @1748854800 -Iseconds",
    "date -d '2024-02-29 13:45' '+%s %-d %_m %05d %^a %-j'",
    "date foo",
    "ls -F -C -T 0",
    "ls -p -1 d",
    "find . -name '*.txt' | sort",
    "find . -maxdepth 1 -type f | sort",
    "find . -type l",
    "find . -empty | sort",
    "find . -mindepth 2 | sort",
    "find . -name '*.txt' -o -name cpu | sort",
    "find . -not -name '*.txt' -maxdepth 1 -type f | sort",
    "find d -print -name f",
    "find . -iname A.TXT",
    "grep -r hello . | sort",
    "grep -rl o . | sort",
    "grep -c '' a.txt",
    "grep -E 'o{,1}r' a.txt",
    "grep -E ')' a.txt",
    "grep '\\)' a.txt",
    "grep -in WORLD a.txt cpu",
    "grep -E 'x{99999}' a.txt",
    "grep -e",
    "grep -E '\\w+' -o a.txt",
    "grep 'l**' a.txt",
    "grep '*a' a.txt",
    "grep",
    "sort -t ab s.txt",
    "sort d",
    "sort -k x s.txt",
    "printf 'b\\na\\n' | sort - a.txt",
    "printf ' b\\na\\n' | sort -b",
    "sort -o out s.txt && cat out && rm out",
    "head -1 -2 a.txt",
    "tail -n 0 a.txt",
    "head -q a.txt a.txt",
    "wc -m a.txt",
    "printf 'a\\tb\\n' | wc -L",
    "cut -f1 -c1 a.txt",
    "cut -d: --complement -f1 pw",
    "uniq nosuch",
    "printf 'A\\na\\n' | uniq -i",
    "which ls cat nosuch; echo $?",
    "which -a ls",
    "du -d 1",
    "du -s d a.txt",
    "chmod +x a.txt; ls -l a.txt; chmod -x a.txt",
    "chmod -R go-r d && ls -lR d && chmod -R go+r d",
    "mkdir -p x/y && mv x/y . && rmdir x y",
    "ln -s a.txt d && ls -l d && rm d/a.txt",
    "ln a.txt hl && ls -l a.txt hl && rm hl",
    "mv nosuch1 nosuch2 d",
    "mv a.txt s.txt d2x",
    "touch -c nosuch; ls nosuch",
    "stat",
    "mkdir -p p/q/r && rmdir -pv p/q/r",
];

/// Checks of block counts, for ext4 with 4 KiB blocks.
const BLOCK_CHECKS: &[&str] = &[
    "truncate -s 1G sparse.img",
    "dd if=/dev/zero of=zero.img bs=1M count=3 status=none",
    "ls -s -C -T 0",
    "ls -sh -1",
    "ls -s -C -w 40 -T 0 d . d/sub",
    "ls -lh",
    "ls -ls d",
    "stat -c '%n %s %b %B' a.txt d link sparse.img zero.img",
    "du",
    "du -a d",
    "du -s",
    "du -sh .",
    "du -h",
    "du -b a.txt d sparse.img",
    "du --apparent-size a.txt d sparse.img",
    "du -c a.txt zero.img",
    "du -k zero.img",
    "du -m zero.img a.txt",
    "du -sh zero.img sparse.img",
    "du -ah d",
    "du nosuch",
    "fallocate -l 1M fa; stat -c '%s %b' fa; fallocate -l 10M fa; du -k fa; fallocate -o 20M -l 4K fa; stat -c '%s %b' fa",
    "cp fa fb; stat -c '%n %s %b' fa fb; cp --sparse=never fa fc; stat -c '%n %s %b' fc",
    "cp zero.img zc; stat -c '%n %s %b' zc; cp --sparse=always zero.img zd; stat -c '%n %s %b' zd",
    "printf x > m; truncate -s 100K m; printf y >> m; stat -c '%s %b' m; cp m m1; cp --sparse=always m m2; cp --sparse=never m m3; stat -c '%n %s %b' m1 m2 m3",
    "dd if=/dev/zero of=m4 bs=1 count=5000 status=none; printf z >> m4; cp --sparse=always m4 m5; stat -c '%n %s %b' m4 m5",
    "dd if=/dev/zero of=z5 bs=4096 count=0 seek=100; stat -c '%s %b' z5",
    "dd if=/dev/zero of=z5 bs=1 count=10 seek=5 conv=notrunc; stat -c '%s %b' z5",
    "dd if=/dev/zero of=z6 bs=1M count=1 seek=20; stat -c '%s %b' z6; du -h z6",
    "dd if=/dev/zero of=hl1 bs=1M count=1 status=none; ln hl1 hl2; mkdir hd; ln hl1 hd/c; du -s hl1 hl2; du -s hd .; du -s hd hl1",
    "rm -rf fa fb fc zc zd m m1 m2 m3 m4 m5 z5 z6 sparse.img zero.img hl1 hl2 hd",
];

/// Replaces `ls -l` times (`Jun  2 09:00`, `Jan  1  2024`) and dd's measured time and speed.
fn normalize(text: &str) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let mut out = String::new();
    for line in text.split_inclusive('\n') {
        let mut line = line.to_owned();
        if let Some(i) = line.find(" copied, ") {
            let end = line.ends_with('\n');
            line.truncate(i + " copied, ".len());
            line.push_str("TIME");
            if end {
                line.push('\n');
            }
        }
        for month in MONTHS {
            let pattern = format!(" {month} ");
            while let Some(i) = line.find(&pattern) {
                // " Mon DD HH:MM" or " Mon DD  YYYY": 13 bytes after the leading space.
                let start = i + 1;
                let end = (start + 12).min(line.len());
                line.replace_range(start..end, "<time>");
            }
        }
        out.push_str(&line);
    }
    out
}

fn bash_available() -> bool {
    Command::new("bash").arg("-c").arg("true").status().is_ok_and(|s| s.success())
}

fn real(dir: &Path, line: &str) -> (String, String, i32) {
    let output = Command::new("bash")
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .env_clear()
        .env("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
        .env("LC_ALL", "C.UTF-8")
        .env("TZ", "UTC")
        .env("HOME", "/root")
        .env("USER", "root")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("bash runs");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).replace("bash: line 1: ", "bash: "),
        output.status.code().unwrap_or(-1),
    )
}

fn simulated(world: &mut World, line: &str) -> (String, String, i32) {
    let out = world.run(line);
    (out.stdout(), out.stderr(), out.status)
}

fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch directory");
    dir
}

/// Runs the lines in both worlds; returns the differences.
fn compare(dir: &Path, world: &mut World, lines: &[&str]) -> Vec<String> {
    let mut failures = Vec::new();
    for line in lines {
        let (real_out, real_err, real_status) = real(dir, line);
        let (sim_out, sim_err, sim_status) = simulated(world, line);
        let real_text = format!("{}--stderr--\n{}--status {real_status}\n", normalize(&real_out), normalize(&real_err));
        let sim_text = format!("{}--stderr--\n{}--status {sim_status}\n", normalize(&sim_out), normalize(&sim_err));
        if real_text != sim_text {
            failures.push(format!("$ {line}\n--- real\n{real_text}--- simulated\n{sim_text}"));
        }
    }
    failures
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn coreutils_match_the_real_tools() {
    if !bash_available() {
        println!("skipped: bash not installed");
        return;
    }
    if !is_root() {
        println!("skipped: not root (file owners would differ)");
        return;
    }
    let dir = scratch_dir("coreutils-diff");
    let mut world = World::new(1);
    world.run("mkdir -p /tmp/coreutils-diff && cd /tmp/coreutils-diff");
    let mut failures = compare(&dir, &mut world, SETUP);
    failures.extend(compare(&dir, &mut world, CHECKS));
    let fs_type = Command::new("stat").args(["-f", "-c", "%T %S"]).arg(&dir).output();
    let on_ext4 = fs_type.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "ext2/ext3 4096");
    if on_ext4 {
        failures.extend(compare(&dir, &mut world, BLOCK_CHECKS));
    } else {
        println!("skipped block checks: the scratch directory is not on ext4 with 4 KiB blocks");
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(failures.is_empty(), "{} differences:\n\n{}", failures.len(), failures.join("\n"));
}
