//! Nothing a learner types may panic, hang or produce unbounded output.

use super::world;
use crate::sim::world::MAX_OUTPUT;

const COMMANDS: &[&str] = &[
    "basename",
    "chgrp",
    "chmod",
    "chown",
    "cp",
    "cut",
    "date",
    "dd",
    "dirname",
    "du",
    "egrep",
    "fallocate",
    "find",
    "grep",
    "groups",
    "head",
    "id",
    "ln",
    "ls",
    "mkdir",
    "mv",
    "printf",
    "readlink",
    "realpath",
    "rm",
    "rmdir",
    "sleep",
    "sort",
    "stat",
    "tail",
    "tee",
    "touch",
    "truncate",
    "uniq",
    "wc",
    "which",
];

const ARGUMENTS: &[&str] = &[
    "",
    "-",
    "--",
    "-z",
    "--nosuch",
    "/",
    "/dev/zero",
    "/dev/null /dev/kvm",
    "''",
    "'' ''",
    "-n 99999999999999999999",
    "-c -1",
    "-k 0",
    "-k 1.0",
    "-k 9,1",
    "-t",
    "-d",
    "-f",
    "-s",
    "-e",
    "-l",
    "-w 0",
    "-d 99999999999999999999999",
    "'%' '%*d' '%.*s' '%99999999999d'",
    "'\\' '\\x' '\\u' '\\0' '[' '(' ')' '{' '\\{1' 'a**' '(((((' '\\(\\)\\1'",
    "'[[:' '[[:alpha' '[a-' '[z-a]' 'x{1,0}' 'x{,}' '^*$' '$^'",
    "bs=0 count=-1",
    "bs=1 count=99999999999999999999",
    "if=/dev/zero of=/dev/null bs=1M count=999999",
    "of=/dev/kvm",
    "if=/ of=x",
    "seek=99999999999999999 bs=99999999",
    "-s 9999999999999999999999T x",
    "-s +-1 x",
    "-l 1E x",
    "-o -1 -l 1 x",
    "-r / /",
    "-R 999 /",
    "-name",
    ". -maxdepth 99999999999999999999",
    "/ -name '*' -exec true {} +",
    "-exec",
    "/etc -exec ls {} ;",
    "u+ /tmp",
    "=,+,- /tmp",
    ":: /tmp",
    "a/../.. ../../..",
    "-pv a/b/../../c",
    ". .",
    "/tmp /tmp/t",
    "-rfv /",
    "-a -b -c -d -e -f -g -h -i -j -k -l -m -n -o -p -q -r -s -t -u -v -w -x -y -z",
];

#[test]
fn odd_arguments_never_panic_and_output_stays_bounded() {
    for command in COMMANDS {
        let mut w = world();
        w.run("echo x > x; mkdir -p d/e; ln -s x l; ln -s loop loop");
        for args in ARGUMENTS {
            let line = format!("{command} {args}");
            let out = w.run(&line);
            assert!(out.stdout().len() <= MAX_OUTPUT && out.stderr().len() <= MAX_OUTPUT, "{line}");
            assert!((0..=2).contains(&out.status) || out.status == 16, "{line}: status {}", out.status);
            // Piped, with input, too.
            let out = w.run(&format!("printf 'b\\na\\n\\0z\\n' | {line} | head -c 100"));
            assert!(out.stdout().len() <= 100, "{line} in a pipe");
        }
    }
}

#[test]
fn symlink_loops_and_deep_trees_end() {
    let mut w = world();
    w.run("ln -s a b; ln -s b a; mkdir -p x");
    for line in ["ls -L a", "stat -L a", "readlink -f a", "realpath a", "find -L .", "cat a", "cp a c", "du -L"] {
        let out = w.run(line);
        assert!(out.stdout().len() < 10_000, "{line}");
    }
    let deep = "d/".repeat(300);
    w.run(&format!("mkdir -p {deep}"));
    for line in ["find . | wc -l", "du -s", "ls -R | wc -l", "cp -r d e", "rm -r d", "chmod -R 700 e", "grep -r x e"] {
        let out = w.run(line);
        assert!(out.stdout().len() < MAX_OUTPUT, "{line}");
    }
}
