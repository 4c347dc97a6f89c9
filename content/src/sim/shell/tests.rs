use crate::sim::world::World;

fn world() -> World {
    World::new(1)
}

fn run(w: &mut World, input: &str) -> (String, String, i32) {
    let out = w.run(input);
    (out.stdout(), out.stderr(), out.status)
}

#[test]
fn echo_quotes_and_variables() {
    let mut w = world();
    assert_eq!(
        run(&mut w, "echo hello   'a  b' \"$HOME\" ~ ~/x"),
        ("hello a  b /root /root /root/x\n".into(), String::new(), 0)
    );
    assert_eq!(run(&mut w, "X=1; echo $X${X}\"$X\"").0, "111\n");
    assert_eq!(run(&mut w, "echo -n a; echo -e 'b\\tc'").0, "ab\tc\n");
    assert_eq!(run(&mut w, "echo '$HOME' \\$HOME").0, "$HOME $HOME\n");
}

#[test]
fn status_and_lists() {
    let mut w = world();
    assert_eq!(run(&mut w, "false; echo $?").0, "1\n");
    assert_eq!(run(&mut w, "true && echo yes || echo no").0, "yes\n");
    assert_eq!(run(&mut w, "false && echo yes || echo no").0, "no\n");
    assert_eq!(run(&mut w, "nosuch; echo $?"), ("127\n".into(), "bash: nosuch: command not found\n".into(), 0));
    assert_eq!(run(&mut w, "! true; echo $?").0, "1\n");
}

#[test]
fn syntax_errors_print_bash_messages() {
    let mut w = world();
    assert_eq!(run(&mut w, "echo a ;;"), (String::new(), "bash: syntax error near unexpected token `;;'\n".into(), 2));
    let out = w.run("echo 'open");
    assert!(out.incomplete);
    assert_eq!(out.status, 2);
}

#[test]
fn redirections_and_pipes() {
    let mut w = world();
    assert_eq!(run(&mut w, "echo one > f; echo two >> f; cat f"), ("one\ntwo\n".into(), String::new(), 0));
    assert_eq!(run(&mut w, "cat nosuch 2> err; cat err").0, "cat: nosuch: No such file or directory\n");
    assert_eq!(run(&mut w, "cat nosuch > both 2>&1; cat both").0, "cat: nosuch: No such file or directory\n");
    assert_eq!(run(&mut w, "cat nosuch 2>/dev/null; echo $?").0, "1\n");
    assert_eq!(run(&mut w, "echo piped | cat | cat").0, "piped\n");
    assert_eq!(run(&mut w, "cat < f").0, "one\ntwo\n");
    assert_eq!(
        run(&mut w, "echo x > /nosuch/f"),
        (String::new(), "bash: /nosuch/f: No such file or directory\n".into(), 1)
    );
    assert_eq!(run(&mut w, "echo x > /tmp"), (String::new(), "bash: /tmp: Is a directory\n".into(), 1));
    // The output file is truncated before the command runs, as in bash.
    assert_eq!(run(&mut w, "cat f > f; cat f").0, "");
}

#[test]
fn here_documents_feed_standard_input() {
    let mut w = world();
    let script =
        "cat > user-data <<'EOF'\n#cloud-config\nhostname: $HOME\nEOF\ncat user-data\ncat <<EOF\nhome is $HOME\nEOF\n";
    assert_eq!(run(&mut w, script).0, "#cloud-config\nhostname: $HOME\nhome is /root\n");
}

#[test]
fn cd_pwd_and_the_prompt() {
    let mut w = world();
    assert_eq!(w.machine().prompt(), "root@host:~# ");
    assert_eq!(run(&mut w, "cd /var/lib/libvirt/images && pwd").0, "/var/lib/libvirt/images\n");
    assert_eq!(w.machine().prompt(), "root@host:/var/lib/libvirt/images# ");
    assert_eq!(run(&mut w, "cd ..; pwd; cd -").0, "/var/lib/libvirt\n/var/lib/libvirt/images\n");
    assert_eq!(run(&mut w, "cd /nosuch"), (String::new(), "bash: cd: /nosuch: No such file or directory\n".into(), 1));
    assert_eq!(run(&mut w, "cd /etc/hostname").1, "bash: cd: /etc/hostname: Not a directory\n");
    assert_eq!(run(&mut w, "cd; pwd").0, "/root\n");
}

#[test]
fn globbing_expands_sorted_paths_or_keeps_the_pattern() {
    let mut w = world();
    assert_eq!(run(&mut w, "cd /etc; echo host*").0, "hostname hosts\n");
    assert_eq!(run(&mut w, "echo /etc/pass?d /etc/nomatch*").0, "/etc/passwd /etc/nomatch*\n");
    assert_eq!(run(&mut w, "echo '/etc/host*'").0, "/etc/host*\n");
}

#[test]
fn command_substitution() {
    let mut w = world();
    assert_eq!(run(&mut w, "echo \"[$(cat /etc/hostname)]\"").0, "[host]\n");
}

#[test]
fn history_sudo_help_and_man() {
    let mut w = world();
    run(&mut w, "echo a");
    run(&mut w, "sudo echo b");
    assert_eq!(run(&mut w, "history").0, "    1  echo a\n    2  sudo echo b\n    3  history\n");
    assert_eq!(run(&mut w, "sudo nosuch").1, "sudo: nosuch: command not found\n");
    assert!(run(&mut w, "help").0.contains("history"));
    assert!(run(&mut w, "man cat").0.starts_with("CAT(1)"));
    assert_eq!(run(&mut w, "man nosuch"), (String::new(), "No manual entry for nosuch\n".into(), 16));
    assert!(run(&mut w, "cat --help").0.starts_with("Usage: cat"));
}

#[test]
fn the_host_looks_like_debian() {
    let mut w = world();
    assert_eq!(
        run(&mut w, "cat /etc/os-release").0.lines().next(),
        Some("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"")
    );
    assert_eq!(run(&mut w, "hostname; whoami; uname -r").0, "host\nroot\n6.1.0-28-amd64\n");
}

#[test]
fn output_is_bounded() {
    let mut w = world();
    let out = w.run("cat /dev/zero");
    assert!(out.stdout().len() <= crate::sim::world::MAX_OUTPUT);
}
