//! cloud-init end to end in the `cloud` world: a NoCloud seed made with `cloud-localds`, a VM
//! from the Debian 12 genericcloud image with `virt-install --import`, the boot's stages and
//! modules and what they did to the guest, a reboot with the same instance-id, a new
//! instance-id, `cloud-init clean`, and the SSH key flow against the new instance. Where the
//! real tools are installed (cloud-localds/genisoimage, isoinfo, python3 with cloudinit), their
//! output is compared with the simulation's.

use std::process::Command;

use guestlab_content::sim::World;
use guestlab_content::sim::cloud_init::trace::{self, AccountChange, CloudInitBoot, Frequency, Outcome, Stage};
use guestlab_content::sim::tasks;
use guestlab_content::sim::vfs::diff::ChangeKind;

fn run(w: &mut World, line: &str) -> String {
    let out = w.run(line);
    assert_eq!(out.status, 0, "{line}: {}{}", out.stdout(), out.stderr());
    out.stdout()
}

/// Runs a command in the guest (over its console) and returns (stdout, stderr, status).
fn guest(w: &mut World, domain: &str, line: &str) -> (String, String, i32) {
    let out = w.run(&format!("virsh console {domain} > /dev/null; {line}; echo \"[$?]\"; exit"));
    let stdout = out.stdout();
    let (text, status) = stdout.trim_end().rsplit_once('[').unwrap_or(("", "0]"));
    (text.to_owned(), out.stderr(), status.trim_end_matches(']').parse().unwrap_or(-1))
}

fn cat(w: &mut World, domain: &str, path: &str) -> String {
    guest(w, domain, &format!("cat {path}")).0
}

fn boot(w: &World, domain: &str) -> CloudInitBoot {
    trace::last_boot(w, domain).cloned().expect("a cloud-init trace")
}

const USER_DATA: &str = r#"#cloud-config
users:
  - default
  - name: anna
    gecos: Anna Admin
    groups: sudo
    shell: /bin/bash
    sudo: "ALL=(ALL) NOPASSWD:ALL"
    ssh_authorized_keys:
      - KEY
ssh_authorized_keys:
  - KEY
ssh_pwauth: false
manage_etc_hosts: true
timezone: Europe/Berlin
locale: de_DE.UTF-8
package_update: true
packages:
  - nginx
write_files:
  - path: /etc/motd
    content: |
      Welcome to web1
  - path: /var/www/html/index.html
    owner: www-data:www-data
    permissions: '0640'
    content: |
      <h1>Hello from cloud-init</h1>
    defer: true
bootcmd:
  - echo "boot $INSTANCE_ID" >> /root/boots
runcmd:
  - echo hello from runcmd
  - [touch, /root/runcmd-ran]
  - [sh, -c, "echo $(hostname) > /root/name"]
"#;

/// The cloud world with a key pair, a seed for web1 and the VM vm1 booted from it.
fn booted() -> (World, String, String) {
    let mut w = World::with_cloud_image(5);
    run(&mut w, "virsh net-start default");
    run(&mut w, "ssh-keygen -t ed25519 -f /root/.ssh/id_ed25519 -N '' -q");
    let key = run(&mut w, "cat /root/.ssh/id_ed25519.pub").trim().to_owned();
    let user_data = USER_DATA.replace("KEY", &key);
    run(&mut w, &format!("cat > user-data <<'EOF'\n{user_data}EOF"));
    run(&mut w, "printf 'instance-id: web1-001\\nlocal-hostname: web1\\n' > meta-data");
    assert_eq!(run(&mut w, "cloud-localds seed.iso user-data meta-data"), "");
    run(
        &mut w,
        "qemu-img create -f qcow2 -b debian-12-genericcloud-amd64.qcow2 -F qcow2 /var/lib/libvirt/images/vm1.qcow2 10G",
    );
    let out = run(
        &mut w,
        "virt-install --name vm1 --memory 1024 --vcpus 1 --import --disk path=/var/lib/libvirt/images/vm1.qcow2 --disk path=/root/seed.iso,device=cdrom --os-variant debian12 --graphics none --noautoconsole",
    );
    assert_eq!(out, "\nStarting install...\nCreating domain...\nDomain creation completed.\n");
    let ip =
        w.machines.iter().find_map(|m| m.guest.as_ref().filter(|g| g.domain == "vm1")?.ip.clone()).expect("an address");
    (w, key, ip)
}

#[test]
fn the_seed_is_an_iso9660_image_labelled_cidata() {
    let mut w = World::with_cloud_image(1);
    run(&mut w, "printf '#cloud-config\\n' > user-data; printf 'instance-id: a\\n' > meta-data");
    run(&mut w, "cloud-localds seed.iso user-data meta-data");
    assert_eq!(run(&mut w, "stat -c '%s %a' seed.iso"), "374784 644\n");
    // The usage and its errors, as cloud-localds prints them.
    let out = w.run("cloud-localds seed.iso");
    assert_eq!((out.status, out.stdout()), (1, String::new()));
    assert!(out.stderr().starts_with("Usage: cloud-localds [ options ] output user-data [meta-data]\n"));
    assert!(out.stderr().ends_with("    * ssh -p 2222 ubuntu@localhost\nmust provide output, userdata\n"));
    let out = w.run("cloud-localds s.iso nofile meta-data");
    assert_eq!(out.stderr(), "cp: cannot stat 'nofile': No such file or directory\nnofile: failed to copy\n");
    let out = w.run("cloud-localds -H web1 s.iso user-data meta-data");
    assert_eq!(out.stderr(), "metadata is incompatible with: --interfaces, --hostname, --dsmode\n");
    // Compared with the real tool: the same text, the same size, and isoinfo reads our image.
    let Ok(real) = Command::new("cloud-localds").arg("--help").output() else {
        eprintln!("skipped: tool missing (cloud-localds)");
        return;
    };
    assert_eq!(String::from_utf8_lossy(&real.stdout), guestlab_content::sim::cloud_init::nocloud::USAGE);
    let dir = std::env::temp_dir().join(format!("guestlab-seed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let user = "#cloud-config\nhostname: web1\n".repeat(100);
    std::fs::write(dir.join("user-data"), &user).unwrap();
    std::fs::write(dir.join("meta-data"), "instance-id: a\n").unwrap();
    let status =
        Command::new("cloud-localds").current_dir(&dir).args(["real.iso", "user-data", "meta-data"]).status().unwrap();
    assert!(status.success());
    run(&mut w, &format!("cat > user-data <<'EOF'\n{user}EOF"));
    run(&mut w, "cloud-localds sim.iso user-data meta-data");
    let ino = w.machine().fs.resolve(0, "/root/sim.iso", true).unwrap();
    let sim = w.machine().fs.file(ino).unwrap().read_all(1 << 20);
    assert_eq!(sim.len() as u64, std::fs::metadata(dir.join("real.iso")).unwrap().len());
    std::fs::write(dir.join("sim.iso"), &sim).unwrap();
    if let Ok(info) = Command::new("isoinfo").args(["-d", "-i"]).arg(dir.join("sim.iso")).output() {
        let text = String::from_utf8_lossy(&info.stdout).into_owned();
        assert!(text.contains("Volume id: cidata\n"), "{text}");
        assert!(text.contains("Volume size is: 184\n"), "{text}");
        assert!(text.contains("Rock Ridge signatures version 1 found"), "{text}");
        assert!(text.contains("Joliet with UCS level 3 found"), "{text}");
        let listing = Command::new("isoinfo").args(["-R", "-l", "-i"]).arg(dir.join("sim.iso")).output().unwrap();
        let listing = String::from_utf8_lossy(&listing.stdout).into_owned();
        assert!(listing.contains(" meta-data \n") && listing.contains(" user-data \n"), "{listing}");
        for flag in ["-R", "-J"] {
            let x = Command::new("isoinfo")
                .args([flag, "-x", "/user-data", "-i"])
                .arg(dir.join("sim.iso"))
                .output()
                .unwrap();
            assert_eq!(String::from_utf8_lossy(&x.stdout), user, "{flag}");
        }
    } else {
        eprintln!("skipped: tool missing (isoinfo)");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_first_boot_runs_every_stage_and_configures_the_instance() {
    let (mut w, key, _) = booted();
    let b = boot(&w, "vm1");
    assert!(b.enabled && b.new_instance);
    assert_eq!(b.stages.iter().map(|s| s.stage).collect::<Vec<_>>(), Stage::ALL);
    assert_eq!(b.instance_id.as_deref(), Some("web1-001"));
    assert_eq!(b.previous_instance_id.as_deref(), Some("NO_PREVIOUS_INSTANCE_ID"));
    assert_eq!(b.datasource.as_deref(), Some("DataSourceNoCloud [seed=/dev/sr0][dsmode=net]"));
    assert!(b.errors().is_empty(), "{:?}", b.errors());
    // Debian's module lists, in their stages, with their frequencies.
    let names = |stage: Stage| {
        b.stages.iter().find(|s| s.stage == stage).unwrap().modules.iter().map(|m| m.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        names(Stage::Network).join(" "),
        "migrator seed_random bootcmd write-files growpart resizefs disk_setup mounts set_hostname update_hostname update_etc_hosts ca-certs rsyslog users-groups ssh"
    );
    assert_eq!(
        names(Stage::Config).join(" "),
        "snap ssh-import-id keyboard locale set-passwords grub-dpkg apt-pipelining apt-configure ntp timezone disable-ec2-metadata runcmd byobu"
    );
    assert_eq!(names(Stage::Final).len(), 23);
    let m = |name: &str| b.module(name).unwrap().clone();
    assert_eq!(
        (m("bootcmd").frequency, m("users-groups").frequency, m("scripts-per-once").frequency),
        (Frequency::Always, Frequency::PerInstance, Frequency::Once)
    );
    assert_eq!(m("disk_setup").outcome, Outcome::NoConfig);
    // snap is not verified on Debian, but first it is inactive: no `snap` key.
    assert_eq!(m("snap").outcome, Outcome::NoConfig);
    assert_eq!(m("fan").outcome, Outcome::NoConfig);
    assert_eq!(m("update_etc_hosts").outcome, Outcome::Ran);
    // Users, groups and passwords (useradd as Debian's: user group, /etc/skel, locked).
    let accounts = m("users-groups").accounts;
    for change in [
        AccountChange::GroupAdded { name: "debian".into(), gid: 1000 },
        AccountChange::UserAdded {
            name: "debian".into(),
            uid: 1000,
            gid: 1000,
            home: "/home/debian".into(),
            shell: "/bin/bash".into(),
        },
        AccountChange::UserAdded {
            name: "anna".into(),
            uid: 1001,
            gid: 1001,
            home: "/home/anna".into(),
            shell: "/bin/bash".into(),
        },
        AccountChange::MemberAdded { group: "sudo".into(), user: "anna".into() },
    ] {
        assert!(accounts.contains(&change), "{change:?} in {accounts:?}");
    }
    let debian_groups =
        accounts.iter().filter(|c| matches!(c, AccountChange::MemberAdded { user, .. } if user == "debian")).count();
    assert_eq!(debian_groups, 10, "adm audio cdrom dialout dip floppy netdev plugdev sudo video");
    let passwd = cat(&mut w, "vm1", "/etc/passwd");
    assert!(
        passwd.ends_with(
            "debian:x:1000:1000:Debian:/home/debian:/bin/bash\nanna:x:1001:1001:Anna Admin:/home/anna:/bin/bash\n"
        ),
        "{passwd}"
    );
    assert_eq!(
        guest(&mut w, "vm1", "grep -E '^(sudo|anna|adm):' /etc/group").0,
        "adm:x:4:debian\nsudo:x:27:debian,anna\nanna:x:1001:\n"
    );
    assert_eq!(guest(&mut w, "vm1", "grep -E '^(debian|anna):' /etc/shadow | cut -d: -f1,2").0, "debian:!\nanna:!\n");
    assert_eq!(guest(&mut w, "vm1", "ls -1a /home/anna").0, ".\n..\n.bash_logout\n.bashrc\n.profile\n.ssh\n");
    let sudoers = cat(&mut w, "vm1", "/etc/sudoers.d/90-cloud-init-users");
    assert!(sudoers.ends_with("\n# User rules for debian\ndebian ALL=(ALL) NOPASSWD:ALL\n\n# User rules for anna\nanna ALL=(ALL) NOPASSWD:ALL\n"), "{sudoers}");
    assert!(sudoers.starts_with("# Created by cloud-init v. 22.4.2 on Mon, 02 Jun 2025 09:00:"), "{sudoers}");
    // authorized_keys: the user's, root's with disable_root's forced command.
    assert_eq!(cat(&mut w, "vm1", "/home/debian/.ssh/authorized_keys"), format!("{key}\n"));
    assert_eq!(
        guest(&mut w, "vm1", "stat -c '%a %U:%G %n' /home/anna/.ssh /home/anna/.ssh/authorized_keys").0,
        "700 anna:anna /home/anna/.ssh\n600 anna:anna /home/anna/.ssh/authorized_keys\n"
    );
    assert_eq!(
        cat(&mut w, "vm1", "/root/.ssh/authorized_keys"),
        format!(
            "no-port-forwarding,no-agent-forwarding,no-X11-forwarding,command=\"echo 'Please login as the user \\\"debian\\\" rather than the user \\\"root\\\".';echo;sleep 10;exit 142\" {key}\n"
        )
    );
    // Host keys: the image's deleted, four new ones (DSA too, cloud-init's default types).
    let ssh = m("ssh");
    let added: Vec<&str> =
        ssh.changes.iter().filter(|c| c.kind == ChangeKind::Added).map(|c| c.path.as_str()).collect();
    assert_eq!(
        added,
        [
            "/etc/ssh/ssh_host_dsa_key",
            "/etc/ssh/ssh_host_dsa_key.pub",
            "/home/debian/.ssh",
            "/home/debian/.ssh/authorized_keys",
            "/root/.ssh",
            "/root/.ssh/authorized_keys",
            "/var/lib/cloud/instances/web1-001/sem/config_ssh"
        ],
        "the image had no DSA key"
    );
    let replaced = ssh
        .changes
        .iter()
        .filter(|c| matches!(c.kind, ChangeKind::Changed(k) if k.contents) && c.path.starts_with("/etc/ssh/ssh_host_"))
        .count();
    assert_eq!(replaced, 6, "RSA, ECDSA and ED25519: deleted and made anew");
    assert_eq!(ssh.log_lines.iter().filter(|l| l.contains("Attempting to remove /etc/ssh/ssh_host_")).count(), 6);
    assert_eq!(
        guest(&mut w, "vm1", "ls -1 /etc/ssh/ | grep host").0,
        "ssh_host_dsa_key\nssh_host_dsa_key.pub\nssh_host_ecdsa_key\nssh_host_ecdsa_key.pub\nssh_host_ed25519_key\nssh_host_ed25519_key.pub\nssh_host_rsa_key\nssh_host_rsa_key.pub\n"
    );
    assert!(ssh.output_lines.iter().any(|l| l == "Generating public/private ed25519 key pair."));
    // Host name (set in the Local stage, before DHCP: the lease carries it), hosts, time, locale.
    assert_eq!(cat(&mut w, "vm1", "/etc/hostname"), "web1\n");
    assert!(b.stages[1].changes.iter().any(|c| c.path == "/etc/hostname" && c.after.as_deref() == Some("web1\n")));
    assert!(run(&mut w, "virsh net-dhcp-leases default").contains(" web1 "));
    assert_eq!(
        cat(&mut w, "vm1", "/etc/hosts"),
        "# Your system has configured 'manage_etc_hosts' as True.\n# As a result, if you wish for changes to this file to persist\n# then you will need to either\n# a.) make changes to the master file in /etc/cloud/templates/hosts.debian.tmpl\n# b.) change or remove the value of 'manage_etc_hosts' in\n#     /etc/cloud/cloud.cfg or cloud-config from user-data\n#\n127.0.1.1 web1 web1\n127.0.0.1 localhost\n\n# The following lines are desirable for IPv6 capable hosts\n::1 localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n\n"
    );
    assert_eq!(cat(&mut w, "vm1", "/etc/timezone"), "Europe/Berlin\n");
    assert_eq!(guest(&mut w, "vm1", "readlink /etc/localtime").0, "/usr/share/zoneinfo/Europe/Berlin\n");
    assert_eq!(cat(&mut w, "vm1", "/etc/default/locale"), "#  File generated by update-locale\nLANG=de_DE.UTF-8\n");
    assert_eq!(guest(&mut w, "vm1", "tail -1 /etc/ssh/sshd_config").0, "PasswordAuthentication no\n");
    // Files: /etc/motd at once (Network stage), index.html deferred to Final, with its owner.
    assert!(
        m("write-files")
            .changes
            .iter()
            .any(|c| c.path == "/etc/motd" && c.after.as_deref() == Some("Welcome to web1\n"))
    );
    let deferred = m("write-files-deferred");
    let index = deferred.changes.iter().find(|c| c.path == "/var/www/html/index.html").expect("index.html in Final");
    assert_eq!((index.mode, index.uid, index.gid), (0o640, 33, 33));
    // Packages: apt-get update and install, recorded in dpkg's status file.
    assert!(
        guest(&mut w, "vm1", "dpkg -l nginx")
            .0
            .ends_with("ii  nginx 1.22.1-9+deb12u1 amd64        small, powerful, scalable web/proxy server\n")
    );
    // runcmd writes the script in Config; scripts-user runs it in Final.
    let runcmd = m("runcmd");
    let script = runcmd.changes.iter().find(|c| c.path == "/var/lib/cloud/instances/web1-001/scripts/runcmd").unwrap();
    assert_eq!(
        script.after.as_deref(),
        Some(
            "#!/bin/sh\necho hello from runcmd\n'touch' '/root/runcmd-ran'\n'sh' '-c' 'echo $(hostname) > /root/name'\n"
        )
    );
    assert_eq!(script.mode, 0o700);
    let user = m("scripts-user");
    assert_eq!(user.output_lines, ["hello from runcmd"]);
    assert!(user.changes.iter().any(|c| c.path == "/root/runcmd-ran" && c.kind == ChangeKind::Added));
    assert_eq!(cat(&mut w, "vm1", "/root/boots"), "boot web1-001\n");
    assert_eq!(cat(&mut w, "vm1", "/root/name"), "web1\n");
    // State: the instance link, the records, the semaphores.
    assert_eq!(guest(&mut w, "vm1", "readlink /var/lib/cloud/instance").0, "/var/lib/cloud/instances/web1-001\n");
    assert_eq!(cat(&mut w, "vm1", "/var/lib/cloud/data/instance-id"), "web1-001\n");
    assert_eq!(cat(&mut w, "vm1", "/var/lib/cloud/data/previous-instance-id"), "NO_PREVIOUS_INSTANCE_ID\n");
    assert_eq!(guest(&mut w, "vm1", "ls -1 /var/lib/cloud/instance/sem | wc -l").0, "26\n");
    assert_eq!(guest(&mut w, "vm1", "ls /var/lib/cloud/sem").0, "config_scripts_per_once.once\n");
    // Logs.
    let log = cat(&mut w, "vm1", "/var/log/cloud-init.log");
    let banners: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(" running '"))
        .map(|l| l.split(" running '").nth(1).unwrap().split('\'').next().unwrap())
        .collect();
    assert_eq!(banners, ["init-local", "init", "modules:config", "modules:final"]);
    assert!(log.contains(" - modules.py[DEBUG]: Running module users-groups (<module 'cloudinit.config.cc_users_groups' from '/usr/lib/python3/dist-packages/cloudinit/config/cc_users_groups.py'>) with frequency once-per-instance\n"));
    assert!(log.contains(" - modules.py[INFO]: Skipping modules 'disk_setup,ca-certs,rsyslog' because no applicable config is provided.\n"), "{log}");
    let output = cat(&mut w, "vm1", "/var/log/cloud-init-output.log");
    assert!(output.starts_with("Cloud-init v. 22.4.2 running 'init-local' at Mon, 02 Jun 2025 09:00:"), "{output}");
    let last = output.lines().last().unwrap();
    assert!(
        last.starts_with("Cloud-init v. 22.4.2 finished at Mon, 02 Jun 2025 09:00:")
            && last.contains(" +0000. Datasource DataSourceNoCloud [seed=/dev/sr0][dsmode=net].  Up ")
            && last.ends_with(" seconds"),
        "{last}"
    );
    assert!(output.contains("\nhello from runcmd\n"));
    let (status, _, code) = guest(&mut w, "vm1", "cloud-init status --long");
    assert_eq!(code, 0);
    let lines: Vec<&str> = status.lines().collect();
    assert_eq!(lines[..2], ["status: done", "boot_status_code: enabled-by-generator"]);
    assert!(lines[2].starts_with("last_update: Mon, 02 Jun 2025 09:00:"));
    assert_eq!(lines[3..], ["detail:", "DataSourceNoCloud [seed=/dev/sr0][dsmode=net]"]);
    assert_eq!(guest(&mut w, "vm1", "cloud-init query instance-id").0, "web1-001\n");
    assert_eq!(guest(&mut w, "vm1", "cloud-init query v1.local_hostname").0, "web1\n");
    assert_eq!(tasks::check(&w, "instance-hostname-web1"), Some(true));
}

#[test]
fn reboot_new_instance_id_and_clean_show_the_frequencies() {
    let (mut w, _, _) = booted();
    let keys_before = cat(&mut w, "vm1", "/etc/ssh/ssh_host_ed25519_key.pub");
    // The same instance-id: per-instance modules say "already ran", bootcmd runs again.
    run(&mut w, "virsh reboot vm1");
    let b = boot(&w, "vm1");
    assert!(!b.new_instance);
    assert_eq!(b.module("users-groups").unwrap().outcome, Outcome::AlreadyRan);
    assert_eq!(b.module("scripts-user").unwrap().outcome, Outcome::AlreadyRan);
    assert_eq!(b.module("bootcmd").unwrap().outcome, Outcome::Ran);
    assert!(
        b.module("users-groups")
            .unwrap()
            .log_lines
            .iter()
            .any(|l| l.ends_with(" - helpers.py[DEBUG]: config-users-groups already ran (freq=once-per-instance)"))
    );
    assert_eq!(cat(&mut w, "vm1", "/root/boots"), "boot web1-001\nboot web1-001\n");
    assert_eq!(cat(&mut w, "vm1", "/etc/ssh/ssh_host_ed25519_key.pub"), keys_before);
    // A new instance-id in a new seed: a new instance, new host keys, users left as they are.
    run(&mut w, "virsh shutdown vm1");
    run(
        &mut w,
        "printf 'instance-id: web1-002\\nlocal-hostname: web1\\n' > meta-data; cloud-localds seed.iso user-data meta-data",
    );
    run(&mut w, "virsh start vm1");
    let b = boot(&w, "vm1");
    assert!(b.new_instance);
    assert_eq!(b.previous_instance_id.as_deref(), Some("web1-001"));
    assert_eq!(b.module("ssh").unwrap().outcome, Outcome::Ran);
    assert!(
        b.module("users-groups")
            .unwrap()
            .log_lines
            .iter()
            .any(|l| l.ends_with("[INFO]: User debian already exists, skipping."))
    );
    assert_ne!(cat(&mut w, "vm1", "/etc/ssh/ssh_host_ed25519_key.pub"), keys_before);
    assert_eq!(cat(&mut w, "vm1", "/var/lib/cloud/data/previous-instance-id"), "web1-001\n");
    assert_eq!(guest(&mut w, "vm1", "ls -1 /var/lib/cloud/instances").0, "web1-001\nweb1-002\n");
    assert_eq!(cat(&mut w, "vm1", "/root/boots"), "boot web1-001\nboot web1-001\nboot web1-002\n");
    // cloud-init clean: the state goes (not the seed directory), the next boot is a first one.
    let (out, err, code) = guest(&mut w, "vm1", "cloud-init clean --logs");
    assert_eq!((out.as_str(), err.as_str(), code), ("", "", 0));
    assert_eq!(guest(&mut w, "vm1", "ls /var/lib/cloud; ls /var/log").0, "seed\njournal\n");
    assert_eq!(guest(&mut w, "vm1", "cloud-init status").0, "status: not run\n");
    run(&mut w, "virsh reboot vm1");
    let b = boot(&w, "vm1");
    assert!(b.new_instance);
    assert_eq!(b.previous_instance_id.as_deref(), Some("NO_PREVIOUS_INSTANCE_ID"));
    assert_eq!(b.module("scripts-user").unwrap().outcome, Outcome::Ran);
    // --machine-id removes /etc/machine-id (22.4), and systemd makes a new one at boot.
    let id = cat(&mut w, "vm1", "/etc/machine-id");
    guest(&mut w, "vm1", "cloud-init clean --machine-id");
    assert_eq!(
        guest(&mut w, "vm1", "ls /etc/machine-id").1,
        "ls: cannot access '/etc/machine-id': No such file or directory\n"
    );
    run(&mut w, "virsh reboot vm1");
    assert_eq!(cat(&mut w, "vm1", "/etc/machine-id"), id, "systemd takes the VM's UUID again");
}

#[test]
fn ssh_logs_in_with_the_key_from_user_data() {
    let (mut w, _, ip) = booted();
    let out = w.run(&format!("ssh debian@{ip} hostname"));
    assert_eq!((out.stdout().as_str(), out.status), ("web1\n", 0));
    assert!(out.stderr().contains("Warning: Permanently added"), "{}", out.stderr());
    // Another key: ssh_pwauth false leaves only public keys.
    run(&mut w, "ssh-keygen -t rsa -f /root/other -N '' -q");
    let out = w.run(&format!("ssh -o IdentitiesOnly=yes -i /root/other debian@{ip} hostname"));
    assert_eq!((out.stderr(), out.status), (format!("debian@{ip}: Permission denied (publickey).\n"), 255));
    // root: disable_root's forced command answers.
    let out = w.run(&format!("ssh root@{ip}"));
    assert_eq!(out.stdout(), "Please login as the user \"debian\" rather than the user \"root\".\n\n");
    assert_eq!((out.stderr(), out.status), (format!("Connection to {ip} closed.\n"), 142));
    // A second instance of the same image: its own name and host keys.
    run(
        &mut w,
        "printf 'instance-id: web2-001\\nlocal-hostname: web2\\n' > meta-data; cloud-localds seed2.iso user-data meta-data",
    );
    run(
        &mut w,
        "qemu-img create -f qcow2 -b debian-12-genericcloud-amd64.qcow2 -F qcow2 /var/lib/libvirt/images/vm2.qcow2 10G",
    );
    assert_eq!(tasks::check(&w, "instances-are-unique"), Some(false));
    run(
        &mut w,
        "virt-install --name vm2 --memory 1024 --import --disk path=/var/lib/libvirt/images/vm2.qcow2 --disk path=/root/seed2.iso,device=cdrom --noautoconsole",
    );
    assert_eq!(tasks::check(&w, "instances-are-unique"), Some(true));
}

#[test]
fn a_guest_without_a_seed_has_cloud_init_disabled_until_one_is_attached() {
    let mut w = World::with_cloud_image(2);
    run(&mut w, "virsh net-start default");
    run(
        &mut w,
        "qemu-img create -f qcow2 -b debian-12-genericcloud-amd64.qcow2 -F qcow2 /var/lib/libvirt/images/vm3.qcow2 10G",
    );
    run(
        &mut w,
        "virt-install --name vm3 --memory 1024 --import --disk path=/var/lib/libvirt/images/vm3.qcow2 --noautoconsole",
    );
    let b = boot(&w, "vm3");
    assert!(!b.enabled);
    assert_eq!(b.stages.len(), 1);
    assert_eq!(
        guest(&mut w, "vm3", "cloud-init status --long").0,
        "status: disabled\nboot_status_code: disabled-by-generator\ndetail:\nCloud-init disabled by cloud-init-generator\n"
    );
    assert_eq!(guest(&mut w, "vm3", "cat /etc/hostname").0, "localhost\n");
    run(
        &mut w,
        "printf '#cloud-config\\nhostname: web3\\n' > ud; printf 'instance-id: i-3\\n' > md; cloud-localds seed3.iso ud md",
    );
    let out = w.run("virsh attach-disk vm3 /root/seed3.iso sdb --type cdrom --targetbus sata");
    assert_eq!(
        (out.stderr(), out.status),
        (
            "error: Failed to attach disk\nerror: Operation not supported: disk bus 'sata' cannot be hotplugged.\n"
                .to_owned(),
            1
        )
    );
    assert_eq!(
        run(&mut w, "virsh attach-disk vm3 /root/seed3.iso sdb --type cdrom --targetbus sata --config"),
        "Disk attached successfully\n\n"
    );
    run(&mut w, "virsh destroy vm3; virsh start vm3");
    let b = boot(&w, "vm3");
    assert!(b.enabled);
    assert_eq!(guest(&mut w, "vm3", "hostname").0, "web3\n");
    assert_eq!(b.datasource.as_deref(), Some("DataSourceNoCloud [seed=/dev/sr0][dsmode=net]"));
}

#[test]
fn a_broken_user_data_is_logged_and_the_defaults_apply() {
    let mut w = World::with_cloud_image(4);
    run(&mut w, "virsh net-start default");
    run(
        &mut w,
        "printf '#cloud-config\\nhostname: web4\\n runcmd:\\n  - echo a\\n' > ud; printf 'instance-id: i-4\\n' > md; cloud-localds s.iso ud md",
    );
    run(
        &mut w,
        "qemu-img create -f qcow2 -b debian-12-genericcloud-amd64.qcow2 -F qcow2 /var/lib/libvirt/images/vm4.qcow2 10G",
    );
    run(
        &mut w,
        "virt-install --name vm4 --memory 1024 --import --disk path=/var/lib/libvirt/images/vm4.qcow2 --disk path=/root/s.iso,device=cdrom --noautoconsole",
    );
    let b = boot(&w, "vm4");
    let warning = b.stages[2].log_lines.iter().find(|l| l.contains("[WARNING]")).expect("a warning");
    assert!(warning.ends_with("util.py[WARNING]: Failed loading yaml blob. Invalid format at line 3 column 8: \"mapping values are not allowed here\n  in \"<unicode string>\", line 3, column 8:\n     runcmd:\n           ^\""), "{warning}");
    assert_eq!(b.module("runcmd").unwrap().outcome, Outcome::NoConfig);
    assert!(guest(&mut w, "vm4", "id debian").0.starts_with("uid=1000(debian)"));
    // A failing runcmd makes the status an error.
    run(&mut w, "virsh destroy vm4");
    run(
        &mut w,
        "printf '#cloud-config\\nruncmd:\\n  - [ls, /nonexistent]\\n' > ud; printf 'instance-id: i-5\\n' > md; cloud-localds s.iso ud md; virsh start vm4",
    );
    let (out, _, code) = guest(&mut w, "vm4", "cloud-init status");
    assert_eq!((out.as_str(), code), ("status: error\n", 1));
    assert_eq!(
        boot(&w, "vm4").errors(),
        ["('scripts-user', RuntimeError('Runparts: 1 failures (runcmd) in 1 attempted commands'))"]
    );
}

#[test]
fn the_network_tables_are_python_simpletable_output() {
    let (mut w, _, ip) = booted();
    let output = cat(&mut w, "vm1", "/var/log/cloud-init-output.log");
    let ours: Vec<&str> = output.lines().filter(|l| l.starts_with("ci-info:")).collect();
    let mac =
        w.machines.iter().find_map(|m| m.guest.as_ref().filter(|g| g.domain == "vm1").map(|g| g.mac.clone())).unwrap();
    let link = ours[5].split('|').nth(3).unwrap().trim().to_owned();
    let script = format!(
        "from cloudinit.simpletable import SimpleTable\nfrom cloudinit import util\nt=SimpleTable(['Device','Up','Address','Mask','Scope','Hw-Address'])\nfor r in [('enp1s0','True','{ip}','255.255.255.0','global','{mac}'),('enp1s0','True','{link}','.','link','{mac}'),('lo','True','127.0.0.1','255.0.0.0','host','.'),('lo','True','::1/128','.','host','.')]: t.add_row(r)\ns=t.get_string(); m=len(max(s.splitlines(),key=len))\nlines=[util.center('Net device info','+',m)]+s.splitlines()\nprefix='{}'\nt=SimpleTable(['Route','Destination','Gateway','Genmask','Interface','Flags'])\nt.add_row(['0','0.0.0.0',prefix+'.1','0.0.0.0','enp1s0','UG']); t.add_row(['1',prefix+'.0','0.0.0.0','255.255.255.0','enp1s0','U'])\ns=t.get_string(); m=len(max(s.splitlines(),key=len))\nlines+=[util.center('Route IPv4 info','+',m)]+s.splitlines()\nprint('\\n'.join('ci-info: '+l for l in lines))\n",
        ip.rsplit_once('.').unwrap().0
    );
    let Ok(out) = Command::new("/usr/bin/python3").args(["-c", &script]).output() else {
        eprintln!("skipped: tool missing (python3)");
        return;
    };
    if !out.status.success() {
        eprintln!("skipped: tool missing (cloudinit python package): {}", String::from_utf8_lossy(&out.stderr));
        return;
    }
    let theirs = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(ours, theirs.lines().collect::<Vec<_>>());
}

#[test]
fn a_boot_with_a_1000_line_user_data_stays_fast() {
    let mut ud = String::from("#cloud-config\nusers:\n  - default\n");
    for i in 0..60 {
        ud.push_str(&format!("  - name: user{i}\n    groups: [adm, sudo]\n    shell: /bin/bash\n    ssh_authorized_keys:\n      - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{i:04} user{i}@ws\n"));
    }
    ud.push_str("write_files:\n");
    for i in 0..60 {
        ud.push_str(&format!(
            "  - path: /etc/app/{i}.conf\n    permissions: '0644'\n    content: |\n      key{i}=value\n"
        ));
    }
    ud.push_str("runcmd:\n");
    while ud.lines().count() < 1000 {
        ud.push_str("  - echo step\n");
    }
    assert_eq!(ud.lines().count(), 1000);
    let mut w = World::with_cloud_image(6);
    run(&mut w, "virsh net-start default");
    run(&mut w, &format!("cat > ud <<'EOF'\n{ud}EOF"));
    run(&mut w, "printf 'instance-id: big\\n' > md; cloud-localds s.iso ud md");
    run(
        &mut w,
        "qemu-img create -f qcow2 -b debian-12-genericcloud-amd64.qcow2 -F qcow2 /var/lib/libvirt/images/big.qcow2 10G",
    );
    #[expect(clippy::disallowed_methods, reason = "the test measures the boot's wall-clock time")]
    let started = std::time::Instant::now();
    run(
        &mut w,
        "virt-install --name big --memory 1024 --import --disk path=/var/lib/libvirt/images/big.qcow2 --noautoconsole --disk path=/root/s.iso,device=cdrom",
    );
    let elapsed = started.elapsed();
    let b = boot(&w, "big");
    assert_eq!(b.module("scripts-user").unwrap().outcome, Outcome::Ran);
    assert_eq!(b.module("scripts-user").unwrap().output_lines.len(), 1000 - 3 - 60 * 5 - 1 - 60 * 4 - 1);
    assert_eq!(guest(&mut w, "big", "grep -c '^user' /etc/passwd").0, "60\n");
    eprintln!("boot with 1000-line user-data: {elapsed:?}");
    // Generous in a debug build; the release figure is in the README.
    assert!(elapsed.as_millis() < 2_000, "{elapsed:?}");
}

#[test]
fn a_reboot_from_runcmd_is_refused_while_cloud_init_runs() {
    let mut w = World::with_cloud_image(8);
    run(&mut w, "virsh net-start default");
    run(
        &mut w,
        "printf '#cloud-config\\nruncmd:\\n  - cloud-init status\\n  - reboot\\n' > ud; printf 'instance-id: i-8\\n' > md; cloud-localds s.iso ud md",
    );
    run(
        &mut w,
        "qemu-img create -f qcow2 -b debian-12-genericcloud-amd64.qcow2 -F qcow2 /var/lib/libvirt/images/vm8.qcow2 10G",
    );
    run(
        &mut w,
        "virt-install --name vm8 --memory 1024 --import --disk path=/var/lib/libvirt/images/vm8.qcow2 --disk path=/root/s.iso,device=cdrom --noautoconsole",
    );
    let b = boot(&w, "vm8");
    let user = b.module("scripts-user").unwrap();
    assert_eq!(user.output_lines[0], "status: running", "the command sees cloud-init in its final stage");
    assert!(
        user.output_lines[1].starts_with("GuestLab: this guest is in the middle of its cloud-init boot"),
        "{:?}",
        user.output_lines
    );
    assert_eq!(w.machines.iter().filter(|m| m.name == "vm8").count(), 1);
    assert_eq!(guest(&mut w, "vm8", "cloud-init status").0, "status: error\n");
}
