//! The admin workstation's side of SSH keys: `ssh-keygen` makes a pair (compared with the real
//! ssh-keygen where it is installed), `ssh-copy-id` installs it with the password, `ssh` then
//! logs in with the key; sshd's rules (PasswordAuthentication, PermitRootLogin, StrictModes)
//! decide.

use std::process::Command;

use guestlab_content::sim::World;

fn run(w: &mut World, line: &str) -> (String, String, i32) {
    let out = w.run(line);
    (out.stdout(), out.stderr(), out.status)
}

/// The sample VM running, with its address.
fn running_guest() -> (World, String) {
    let mut w = World::with_sample_vm(3);
    for line in ["virsh net-start default", "virsh start bookworm"] {
        assert_eq!(w.run(line).status, 0, "{line}");
    }
    let ip = w.machines.iter().find_map(|m| m.guest.as_ref().and_then(|g| g.ip.clone())).expect("an address");
    (w, ip)
}

#[test]
fn ssh_keygen_prints_what_openssh_prints() {
    let mut w = World::new(1);
    let (out, err, status) = run(&mut w, "ssh-keygen -t ed25519 -f ./k1 -N '' -C root@vm");
    assert_eq!(status, 0, "{err}");
    assert_eq!(err, "");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[..4],
        [
            "Generating public/private ed25519 key pair.",
            "Your identification has been saved in ./k1",
            "Your public key has been saved in ./k1.pub",
            "The key fingerprint is:"
        ]
    );
    assert!(lines[4].starts_with("SHA256:") && lines[4].ends_with(" root@vm"), "{}", lines[4]);
    assert_eq!(lines[4].len(), "SHA256: root@vm".len() + 43);
    assert_eq!(lines[5], "The key's randomart image is:");
    assert_eq!(lines[6], "+--[ED25519 256]--+");
    assert_eq!(lines[16], "+----[SHA256]-----+");
    assert_eq!(lines.len(), 17);
    let (ls, _, _) = run(&mut w, "stat -c '%a %s %n' k1 k1.pub");
    assert_eq!(ls, "600 399 k1\n644 89 k1.pub\n");
    // The file exists now: ssh-keygen asks, GuestLab answers no in the terminal.
    let (out, _, status) = run(&mut w, "ssh-keygen -t ed25519 -f ./k1 -N ''");
    assert_eq!(
        (out.as_str(), status),
        ("Generating public/private ed25519 key pair.\n./k1 already exists.\nOverwrite (y/n)? n\n", 1)
    );
    let (_, err, status) = run(&mut w, "ssh-keygen -t foo -f k2 -N ''");
    assert_eq!((err.as_str(), status), ("unknown key type foo\n", 255));
}

#[test]
fn ssh_keygen_without_options_asks_and_takes_the_defaults() {
    let mut w = World::new(1);
    let (out, err, status) = run(&mut w, "ssh-keygen");
    assert_eq!(status, 0);
    assert!(out.starts_with("Generating public/private rsa key pair.\nEnter file in which to save the key (/root/.ssh/id_rsa): \nYour identification has been saved in /root/.ssh/id_rsa\n"), "{out}");
    assert!(out.contains("\n+---[RSA 3072]----+\n"), "{out}");
    assert_eq!(
        err,
        "Created directory '/root/.ssh'.\nEnter passphrase (empty for no passphrase): \nEnter same passphrase again: \n"
    );
    assert_eq!(run(&mut w, "stat -c %a /root/.ssh").0, "700\n");
    // From a pipe the answers are read as the real tool reads them.
    let (out, err, status) = run(&mut w, "printf '/root/k3\\nsecret\\nsecret\\n' | ssh-keygen -t ed25519 -q");
    assert_eq!(
        (out.as_str(), err.as_str(), status),
        (
            "Enter file in which to save the key (/root/.ssh/id_ed25519): ",
            "Enter passphrase (empty for no passphrase): Enter same passphrase again: ",
            0
        )
    );
    assert!(run(&mut w, "head -1 /root/k3").0.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"));
}

#[test]
fn the_real_ssh_keygen_reads_the_simulated_public_keys() {
    let Ok(probe) = Command::new("ssh-keygen").arg("-?").output() else {
        eprintln!("skipped: tool missing (ssh-keygen)");
        return;
    };
    let _ = probe;
    let mut w = World::new(9);
    let dir = std::env::temp_dir().join(format!("guestlab-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (kind, file) in [("ed25519", "ked"), ("rsa", "krsa")] {
        let (out, _, status) = run(&mut w, &format!("ssh-keygen -t {kind} -f {file} -N '' -C anna@laptop"));
        assert_eq!(status, 0);
        let public = w.run(&format!("cat {file}.pub")).stdout();
        let path = dir.join(format!("{file}.pub"));
        std::fs::write(&path, &public).unwrap();
        let real = Command::new("ssh-keygen").arg("-lv").arg("-f").arg(&path).output().unwrap();
        let real = String::from_utf8_lossy(&real.stdout).into_owned();
        // The real tool: "BITS SHA256:... comment (TYPE)" and the same randomart.
        let sim_fp = out.lines().nth(4).unwrap().split(' ').next().unwrap().to_owned();
        let sim_art: Vec<&str> = out.lines().skip(6).collect();
        let real_lines: Vec<&str> = real.lines().collect();
        assert_eq!(real_lines[0].split(' ').nth(1), Some(sim_fp.as_str()), "{real}");
        assert_eq!(real_lines[1..], sim_art[..], "randomart of {kind}");
        let sim_l = w.run(&format!("ssh-keygen -lf {file}.pub")).stdout();
        assert_eq!(sim_l.trim_end(), real_lines[0]);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_key_installed_with_ssh_copy_id_logs_in() {
    let (mut w, ip) = running_guest();
    run(&mut w, "ssh-keygen -t ed25519 -f /root/.ssh/id_ed25519 -N '' -q");
    let (out, err, status) = run(&mut w, &format!("ssh-copy-id -i /root/.ssh/id_ed25519.pub debian@{ip}"));
    assert_eq!(status, 0, "{err}");
    let expected_err = format!(
        "/usr/bin/ssh-copy-id: INFO: Source of key(s) to be installed: \"/root/.ssh/id_ed25519.pub\"\nThe authenticity of host '{ip} ({ip})' can't be established.\n"
    );
    assert!(err.starts_with(&expected_err), "{err}");
    assert!(err.ends_with(&format!("/usr/bin/ssh-copy-id: INFO: attempting to log in with the new key(s), to filter out any that are already installed\n/usr/bin/ssh-copy-id: INFO: 1 key(s) remain to be installed -- if you are prompted now it is to install the new keys\ndebian@{ip}'s password: \n")), "{err}");
    assert_eq!(
        out,
        format!(
            "\nNumber of key(s) added: 1\n\nNow try logging into the machine, with:   \"ssh 'debian@{ip}'\"\nand check to make sure that only the key(s) you wanted were added.\n\n"
        )
    );
    let public = w.run("cat /root/.ssh/id_ed25519.pub").stdout();
    let (keys, _, _) = run(&mut w, &format!("ssh debian@{ip} cat .ssh/authorized_keys"));
    assert_eq!(keys, public);
    let (modes, err, _) = run(&mut w, &format!("ssh debian@{ip} stat -c \"'%a %U %n'\" .ssh .ssh/authorized_keys"));
    assert_eq!(modes, "700 debian .ssh\n600 debian .ssh/authorized_keys\n");
    assert_eq!(err, "", "the key logs in: no password question");
    // Again: nothing to add.
    let (_, err, status) = run(&mut w, &format!("ssh-copy-id -i /root/.ssh/id_ed25519 debian@{ip}"));
    assert_eq!(status, 0);
    assert!(err.contains("WARNING: All keys were skipped because they already exist on the remote system."), "{err}");
    // Interactive login as debian, then back.
    let (out, _, _) = run(&mut w, &format!("ssh debian@{ip}"));
    assert!(out.starts_with("Linux bookworm 6.1.0"), "{out}");
    assert_eq!(w.machine().prompt(), "debian@bookworm:~$ ");
    assert_eq!(run(&mut w, "whoami").0, "debian\n");
    assert_eq!(run(&mut w, "exit").0, format!("logout\nConnection to {ip} closed.\n"));
}

#[test]
fn sshd_refuses_what_its_configuration_forbids() {
    let (mut w, ip) = running_guest();
    // Root may not log in with a password (PermitRootLogin prohibit-password).
    let (_, err, status) = run(&mut w, &format!("ssh -o StrictHostKeyChecking=no root@{ip} true"));
    assert_eq!(status, 255);
    assert!(err.ends_with(&format!("root@{ip}'s password: \nPermission denied, please try again.\nroot@{ip}'s password: \nPermission denied, please try again.\nroot@{ip}'s password: \nroot@{ip}: Permission denied (publickey,password).\n")), "{err}");
    // No password logins at all.
    run(&mut w, "virsh console bookworm; echo 'PasswordAuthentication no' > /etc/ssh/sshd_config.d/50-nopw.conf; exit");
    let (_, err, status) = run(&mut w, &format!("ssh debian@{ip} true"));
    assert_eq!((err.as_str(), status), (format!("debian@{ip}: Permission denied (publickey).\n").as_str(), 255));
    // A key makes it work; a group-writable authorized_keys does not (StrictModes).
    run(&mut w, "ssh-keygen -t ed25519 -f /root/.ssh/id_ed25519 -N '' -q");
    let public = w.run("cat /root/.ssh/id_ed25519.pub").stdout();
    let setup = format!(
        "virsh console bookworm; mkdir -p /home/debian/.ssh; echo '{}' > /home/debian/.ssh/authorized_keys; chown -R debian:debian /home/debian/.ssh; chmod 700 /home/debian/.ssh; chmod 664 /home/debian/.ssh/authorized_keys; exit",
        public.trim()
    );
    run(&mut w, &setup);
    assert_eq!(run(&mut w, &format!("ssh debian@{ip} true")).2, 255);
    run(&mut w, "virsh console bookworm; chmod 600 /home/debian/.ssh/authorized_keys; exit");
    assert_eq!(run(&mut w, &format!("ssh debian@{ip} hostname")), ("bookworm\n".to_owned(), String::new(), 0));
    // ssh-copy-id of another key now fails without a password to fall back on... unless the
    // first key logs in, which it does: it installs the second one.
    run(&mut w, "ssh-keygen -t rsa -f /root/second -N '' -q");
    let (out, _, status) = run(&mut w, &format!("ssh-copy-id -i /root/second debian@{ip}"));
    assert_eq!(status, 0);
    assert!(out.contains("Number of key(s) added: 1"));
    run(&mut w, "rm /root/.ssh/id_ed25519");
    let (out, _, status) = run(&mut w, &format!("ssh-copy-id -i /root/.ssh/id_ed25519.pub debian@{ip}"));
    assert_eq!(status, 1);
    assert_eq!(
        out,
        "\n/usr/bin/ssh-copy-id: ERROR: failed to open ID file '/root/.ssh/id_ed25519': No such file\n\t(to install the contents of '/root/.ssh/id_ed25519.pub' anyway, look at the -f option)\n"
    );
}
