use super::{out, run, world};

const CPUINFO: &str = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU\nflags\t\t: fpu vme de pse tsc msr vmx ssse3\n\nprocessor\t: 1\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU\nflags\t\t: fpu vme de pse tsc msr vmx ssse3\n";

#[test]
fn printf_formats_like_bash() {
    let mut w = world();
    assert_eq!(out(&mut w, "printf '%s|%5s|%-5s|%.2s|\\n' abc ab ab abc"), "abc|   ab|ab   |ab|\n");
    assert_eq!(
        out(&mut w, "printf '%d %i %5d %-5d| %05d %+d %x %X %o %#x %08x\\n' 42 -7 3 3 -42 5 255 255 8 255 3054"),
        "42 -7     3 3    | -0042 +5 ff FF 10 0xff 00000bee\n"
    );
    assert_eq!(out(&mut w, "printf '%s=%s\\n' a 1 b 2 c"), "a=1\nb=2\nc=\n");
    assert_eq!(out(&mut w, "printf 'no conversions\\n' extra args"), "no conversions\n");
    assert_eq!(out(&mut w, "printf '%c%c\\n' hello world"), "hw\n");
    assert_eq!(out(&mut w, "printf '%%|%b|%q\\n' 'a\\tb\\0101' \"it's\""), "%|a\tbA|it\\'s\n");
    assert_eq!(out(&mut w, "printf '\\x41\\101\\u00e9\\t\\\\\\n'"), "AAé\t\\\n");
    assert_eq!(out(&mut w, "printf '%.2f %e %g %g\\n' 3.14159 1500 0.0001 1e-5"), "3.14 1.500000e+03 0.0001 1e-05\n");
    assert_eq!(out(&mut w, "printf '%*d|%-*s|\\n' 4 7 3 x"), "   7|x  |\n");
    assert_eq!(out(&mut w, "printf -v greeting 'hi %s' you; echo $greeting"), "hi you\n");
    assert_eq!(run(&mut w, "printf '%d\\n' 12abc"), ("12\n".into(), "bash: printf: 12abc: invalid number\n".into(), 1));
    assert_eq!(
        run(&mut w, "printf '%d\\n' 99999999999999999999"),
        (
            "9223372036854775807\n".into(),
            "bash: printf: warning: 99999999999999999999: Numerical result out of range\n".into(),
            0
        )
    );
    assert_eq!(run(&mut w, "printf 'a%y'"), ("a".into(), "bash: printf: `y': invalid format character\n".into(), 1));
    assert_eq!(run(&mut w, "printf 'a%'"), ("a".into(), "bash: printf: `%': missing format character\n".into(), 1));
    assert_eq!(run(&mut w, "printf"), (String::new(), "printf: usage: printf [-v var] format [arguments]\n".into(), 2));
}

#[test]
fn date_and_sleep_use_the_simulated_clock() {
    let mut w = world();
    assert_eq!(out(&mut w, "date"), "Mon Jun  2 09:00:03 UTC 2025\n");
    assert_eq!(
        out(&mut w, "date +%F_%T; date -u '+%A %d %B %Y, %H:%M (%Z %z) %s'"),
        "2025-06-02_09:00:04\nMonday 02 June 2025, 09:00 (UTC +0000) 1748854805\n"
    );
    assert_eq!(out(&mut w, "sleep 1m; date +%T"), "09:01:07\n");
    assert_eq!(out(&mut w, "sleep 0.5 2h; date +%T"), "11:01:10\n");
    assert_eq!(
        out(&mut w, "date -d '2 days ago' +%F; date -d tomorrow +%a; date -d '2025-12-24 18:30' -R"),
        "2025-05-31\nTue\nWed, 24 Dec 2025 18:30:00 +0000\n"
    );
    assert_eq!(
        out(&mut w, "date -d @0 -Iseconds; date -d @86399 --rfc-3339=seconds"),
        "1970-01-01T00:00:00+00:00\n1970-01-01 23:59:59+00:00\n"
    );
    assert_eq!(run(&mut w, "date -d nonsense"), (String::new(), "date: invalid date ‘nonsense’\n".into(), 1));
    assert_eq!(
        run(&mut w, "sleep"),
        (String::new(), "sleep: missing operand\nTry 'sleep --help' for more information.\n".into(), 1)
    );
    assert_eq!(
        run(&mut w, "sleep 1x").1,
        "sleep: invalid time interval ‘1x’\nTry 'sleep --help' for more information.\n"
    );
}

#[test]
fn grep_finds_the_virtualization_flags() {
    let mut w = world();
    w.machine_mut().fs.put_file("/proc/cpuinfo", CPUINFO.as_bytes(), 0o444, 0).unwrap();
    assert_eq!(
        out(&mut w, "grep -E 'vmx|svm' /proc/cpuinfo"),
        "flags\t\t: fpu vme de pse tsc msr vmx ssse3\nflags\t\t: fpu vme de pse tsc msr vmx ssse3\n"
    );
    assert_eq!(out(&mut w, "grep -c -E 'vmx|svm' /proc/cpuinfo"), "2\n");
    assert_eq!(out(&mut w, "grep -o -w -E 'vmx|svm' /proc/cpuinfo | uniq -c"), "      2 vmx\n");
    assert_eq!(
        run(&mut w, "egrep -q 'svm|vmx' /proc/cpuinfo && echo KVM possible"),
        ("KVM possible\n".into(), "egrep: warning: egrep is obsolescent; using grep -E\n".into(), 0)
    );
    assert_eq!(run(&mut w, "grep -w svm /proc/cpuinfo"), (String::new(), String::new(), 1));
    assert_eq!(
        out(&mut w, "grep -n '^model' /proc/cpuinfo | cut -d: -f1,3"),
        "3: Intel(R) Xeon(R) CPU\n8: Intel(R) Xeon(R) CPU\n"
    );
    assert_eq!(out(&mut w, "grep -i 'GENUINE' /proc/cpuinfo | sort -u"), "vendor_id\t: GenuineIntel\n");
    assert_eq!(out(&mut w, "grep -v -e processor -e '^$' -e flags -e vendor /proc/cpuinfo | wc -l"), "2\n");
}

#[test]
fn grep_searches_trees_and_reports_errors() {
    let mut w = world();
    assert_eq!(out(&mut w, "grep -r 127.0 /etc"), "/etc/hosts:127.0.0.1\tlocalhost\n/etc/hosts:127.0.1.1\thost\n");
    assert_eq!(out(&mut w, "grep -rl root /etc"), "/etc/group\n/etc/passwd\n");
    // Symbolic links met while recursing are not followed (/etc/os-release is one).
    assert_eq!(run(&mut w, "grep -rh '^ID=' /etc"), (String::new(), String::new(), 1));
    assert_eq!(out(&mut w, "grep -h '^ID=' /etc/os-release"), "ID=debian\n");
    assert_eq!(out(&mut w, "cd /etc; grep -r -c localhost hosts hostname"), "hosts:2\nhostname:0\n");
    assert_eq!(
        out(&mut w, "grep -E '^(root|daemon):' /etc/passwd | cut -d: -f1,7"),
        "root:/bin/bash\ndaemon:/usr/sbin/nologin\n"
    );
    assert_eq!(
        out(&mut w, "grep 'libvirt\\(-qemu\\)\\?:' /etc/group"),
        "libvirt:x:108:\nlibvirt-qemu:x:64055:libvirt-qemu\n"
    );
    assert_eq!(out(&mut w, "grep -x -F 'ff02::1 ip6-allnodes' /etc/hosts"), "ff02::1 ip6-allnodes\n");
    assert_eq!(out(&mut w, "echo 'aXbXc' | grep -o '[a-c]'"), "a\nb\nc\n");
    assert_eq!(out(&mut w, "echo abcabc | grep -E -o '(abc){2}'"), "abcabc\n");
    assert_eq!(
        run(&mut w, "grep root /etc/passwd /nosuch"),
        (
            "/etc/passwd:root:x:0:0:root:/root:/bin/bash\n".into(),
            "grep: /nosuch: No such file or directory\n".into(),
            2
        )
    );
    assert_eq!(run(&mut w, "grep -q root /etc/passwd /nosuch"), (String::new(), String::new(), 0));
    assert_eq!(run(&mut w, "grep x /etc"), (String::new(), "grep: /etc: Is a directory\n".into(), 2));
    assert_eq!(run(&mut w, "grep -E 'a(' /etc/hosts"), (String::new(), "grep: Unmatched ( or \\(\n".into(), 2));
    assert_eq!(
        run(&mut w, "grep --bogus x").1,
        "grep: unrecognized option '--bogus'\nUsage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information.\n"
    );
    assert_eq!(
        run(&mut w, "printf 'a\\0b\\n' > bin; grep a bin"),
        (String::new(), "grep: bin: binary file matches\n".into(), 0)
    );
}

#[test]
fn sort_uniq_cut_and_friends() {
    let mut w = world();
    out(&mut w, "printf 'vm3 4096\\nvm1 512\\nvm2 2048\\nvm1 512\\n' > sizes");
    assert_eq!(out(&mut w, "sort sizes"), "vm1 512\nvm1 512\nvm2 2048\nvm3 4096\n");
    assert_eq!(out(&mut w, "sort -k2 -n -r sizes"), "vm3 4096\nvm2 2048\nvm1 512\nvm1 512\n");
    assert_eq!(out(&mut w, "sort -u sizes | wc -l"), "3\n");
    assert_eq!(out(&mut w, "sort sizes | uniq -c | sort -rn | head -1"), "      2 vm1 512\n");
    assert_eq!(out(&mut w, "sort -t: -k3,3n /etc/group | tail -2 | cut -d: -f1"), "libvirt-qemu\nnogroup\n");
    assert_eq!(out(&mut w, "printf '10G\\n512M\\n2T\\n' | sort -h"), "512M\n10G\n2T\n");
    assert_eq!(out(&mut w, "printf 'b\\na\\n' | sort -o sorted; cat sorted"), "a\nb\n");
    assert_eq!(run(&mut w, "sort -c sizes"), (String::new(), "sort: sizes:2: disorder: vm1 512\n".into(), 1));
    assert_eq!(out(&mut w, "cut -d' ' -f2 sizes | sort -n | uniq -d"), "512\n");
    assert_eq!(out(&mut w, "cut -c1-3 sizes | uniq"), "vm3\nvm1\nvm2\nvm1\n");
    assert_eq!(
        out(&mut w, "head -n 2 sizes; tail -n 1 sizes; head -c 3 sizes; echo"),
        "vm3 4096\nvm1 512\nvm1 512\nvm3\n"
    );
    assert_eq!(
        out(&mut w, "head -2 /etc/hosts /etc/hostname"),
        "==> /etc/hosts <==\n127.0.0.1\tlocalhost\n127.0.1.1\thost\n\n==> /etc/hostname <==\nhost\n"
    );
    assert_eq!(out(&mut w, "tail -n +3 sizes"), "vm2 2048\nvm1 512\n");
    assert_eq!(out(&mut w, "wc sizes /etc/hostname"), " 4  8 34 sizes\n 1  1  5 /etc/hostname\n 5  9 39 total\n");
    assert_eq!(out(&mut w, "cat sizes | wc -l; wc -c < sizes"), "4\n34\n");
    assert_eq!(
        out(&mut w, "echo one two | tee copy | wc -w; cat copy; echo three | tee -a copy >/dev/null; cat copy"),
        "2\none two\none two\nthree\n"
    );
    assert_eq!(out(&mut w, "basename -a /a/b.qcow2 c/d; dirname /var/lib/x.img"), "b.qcow2\nd\n/var/lib\n");
}

#[test]
fn new_commands_have_help_and_man_pages() {
    let mut w = world();
    let names = [
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
    let help = out(&mut w, "help");
    for name in names {
        let info = super::super::find(name).unwrap_or_else(|| panic!("{name} is registered"));
        assert!(!info.summary.is_empty() && info.usage.lines().count() >= 2, "{name}");
        assert!(help.contains(&format!("  {name} ")), "help lists {name}");
        let (usage, _, status) = run(&mut w, &format!("{name} --help"));
        assert_eq!((usage, status), (info.usage.to_owned(), 0), "{name} --help");
        assert!(out(&mut w, &format!("man {name}")).contains(info.summary), "man {name}");
    }
}
