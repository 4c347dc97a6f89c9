//! The modules of Debian's cloud.cfg: their metadata (frequency, distros, the keys that
//! activate them — read from cloud-init 22.4.2's `cc_*.py` `meta`), and what the simple ones do
//! to the guest: host name, `/etc/hosts`, time zone, locale, and the ones that only log.
//! Users, groups, passwords and SSH are in [`super::users`]; commands, files and packages in
//! [`super::scripts`].

use super::boot::Run;
use super::state;
use super::trace::Frequency;

/// A module's handler: `Err` is the exception cloud-init records (`RuntimeError('...')`).
pub type Handler = fn(&mut Run<'_>, &str) -> Result<(), String>;

/// What cloud-init knows about a module before running it.
pub struct ModuleMeta {
    /// The Python module (`cc_write_files`).
    pub module: &'static str,
    pub frequency: Frequency,
    /// Verified on Debian (its `distros` include debian or all).
    pub debian: bool,
    /// `activate_by_schema_keys`: it runs only if one of them is in the configuration.
    pub activate: &'static [&'static str],
    /// What it does (None: it runs and changes nothing GuestLab models).
    pub handler: Option<Handler>,
}

const fn meta(
    module: &'static str,
    frequency: Frequency,
    debian: bool,
    activate: &'static [&'static str],
    handler: Option<Handler>,
) -> ModuleMeta {
    ModuleMeta { module, frequency, debian, activate, handler }
}

use Frequency::{Always, Once, PerInstance};

/// The modules of Debian 12's cloud.cfg (and a few more a learner may list).
pub static MODULES: &[ModuleMeta] = &[
    meta("cc_migrator", Always, true, &[], Some(migrator)),
    meta("cc_seed_random", PerInstance, true, &[], Some(seed_random)),
    meta("cc_bootcmd", Always, true, &["bootcmd"], Some(super::scripts::bootcmd)),
    meta("cc_write_files", PerInstance, true, &["write_files"], Some(super::scripts::write_files)),
    meta("cc_growpart", Always, true, &[], Some(growpart)),
    meta("cc_resizefs", Always, true, &[], Some(resizefs)),
    meta("cc_disk_setup", PerInstance, true, &["disk_setup", "fs_setup"], None),
    meta("cc_mounts", PerInstance, true, &[], Some(mounts)),
    meta("cc_set_hostname", PerInstance, true, &[], Some(set_hostname)),
    meta("cc_update_hostname", Always, true, &[], Some(update_hostname)),
    meta("cc_update_etc_hosts", Always, true, &["manage_etc_hosts"], Some(update_etc_hosts)),
    meta("cc_ca_certs", PerInstance, true, &["ca_certs", "ca-certs"], None),
    meta("cc_rsyslog", PerInstance, true, &["rsyslog"], None),
    meta("cc_users_groups", PerInstance, true, &[], Some(super::users::users_groups)),
    meta("cc_ssh", PerInstance, true, &[], Some(super::users::ssh)),
    meta("cc_snap", PerInstance, false, &["snap"], None),
    meta("cc_ssh_import_id", PerInstance, true, &[], Some(ssh_import_id)),
    meta("cc_keyboard", PerInstance, true, &["keyboard"], None),
    meta("cc_locale", PerInstance, true, &[], Some(locale)),
    meta("cc_set_passwords", PerInstance, true, &[], Some(super::users::set_passwords)),
    meta("cc_grub_dpkg", PerInstance, true, &[], Some(grub_dpkg)),
    meta("cc_apt_pipelining", PerInstance, true, &["apt_pipelining"], None),
    meta("cc_apt_configure", PerInstance, true, &[], Some(apt_configure)),
    meta("cc_ntp", PerInstance, true, &["ntp"], Some(ntp)),
    meta("cc_timezone", PerInstance, true, &["timezone"], Some(timezone)),
    meta("cc_disable_ec2_metadata", Always, true, &["disable_ec2_metadata"], None),
    meta("cc_runcmd", PerInstance, true, &["runcmd"], Some(super::scripts::runcmd)),
    meta("cc_byobu", PerInstance, true, &[], Some(byobu)),
    meta(
        "cc_package_update_upgrade_install",
        PerInstance,
        true,
        &["apt_update", "package_update", "apt_upgrade", "package_upgrade", "packages"],
        Some(super::scripts::package_update_upgrade_install),
    ),
    meta("cc_fan", PerInstance, false, &["fan"], None),
    meta("cc_landscape", PerInstance, false, &["landscape"], None),
    meta("cc_lxd", PerInstance, false, &["lxd"], None),
    meta("cc_write_files_deferred", PerInstance, true, &["write_files"], Some(super::scripts::write_files_deferred)),
    meta("cc_puppet", PerInstance, true, &["puppet"], None),
    meta("cc_chef", Always, true, &["chef"], None),
    meta("cc_mcollective", PerInstance, true, &["mcollective"], None),
    meta("cc_salt_minion", PerInstance, true, &["salt_minion"], None),
    meta("cc_reset_rmc", PerInstance, true, &[], Some(reset_rmc)),
    meta("cc_refresh_rmc_and_interface", Always, true, &[], Some(refresh_rmc)),
    meta("cc_rightscale_userdata", PerInstance, true, &[], Some(rightscale)),
    meta("cc_scripts_vendor", PerInstance, true, &[], Some(super::scripts::scripts_vendor)),
    meta("cc_scripts_per_once", Once, true, &[], Some(super::scripts::scripts_per_once)),
    meta("cc_scripts_per_boot", Always, true, &[], Some(super::scripts::scripts_per_boot)),
    meta("cc_scripts_per_instance", PerInstance, true, &[], Some(super::scripts::scripts_per_instance)),
    meta("cc_scripts_user", PerInstance, true, &[], Some(super::scripts::scripts_user)),
    meta("cc_ssh_authkey_fingerprints", PerInstance, true, &[], Some(super::users::authkey_fingerprints)),
    meta("cc_keys_to_console", PerInstance, true, &[], Some(keys_to_console)),
    meta("cc_install_hotplug", PerInstance, true, &[], Some(install_hotplug)),
    meta("cc_phone_home", PerInstance, true, &["phone_home"], None),
    meta("cc_final_message", Always, true, &[], Some(super::scripts::final_message)),
    meta("cc_power_state_change", PerInstance, true, &["power_state"], Some(power_state)),
];

/// A module by its Python name.
pub fn find(module: &str) -> Option<&'static ModuleMeta> {
    MODULES.iter().find(|m| m.module == module)
}

fn migrator(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.debug("cc_migrator.py", "Migrated 0 semaphore files to there canonicalized names");
    Ok(())
}

fn seed_random(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.debug("cc_seed_random.py", "seed_random: adding 0 bytes of random seed entropy to /dev/urandom");
    run.debug("cc_seed_random.py", "no command provided");
    Ok(())
}

fn growpart(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.debug("cc_growpart.py", "No 'growpart' entry in cfg.  Using default: {'mode': 'auto', 'devices': ['/'], 'ignore_growroot_disabled': False}");
    run.subp_log(&["growpart", "--dry-run", "/dev/vda", "1"], true);
    run.debug("cc_growpart.py", "'/' NOCHANGE: no change necessary (/dev/vda, 1)");
    Ok(())
}

fn resizefs(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.debug("cc_resizefs.py", "resize_info: dev=/dev/vda1 mnt_point=/ path=/");
    run.debug("cc_resizefs.py", "Resizing / (ext4) using resize2fs /dev/vda1");
    run.subp_log(&["resize2fs", "/dev/vda1"], true);
    run.debug("cc_resizefs.py", "Resized root filesystem (type=ext4, val=True)");
    Ok(())
}

fn mounts(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.debug("cc_mounts.py", "mounts configuration is []");
    run.debug("cc_mounts.py", "Attempting to determine the real name of ephemeral0");
    run.debug("cc_mounts.py", "changed default device ephemeral0 => None");
    run.debug("cc_mounts.py", "Ignoring nonexistent default named mount ephemeral0");
    run.debug("cc_mounts.py", "No modifications to fstab needed");
    Ok(())
}

/// `util.get_hostname_fqdn(cfg, cloud)`: (hostname, fqdn, is_default).
pub fn hostname_fqdn(run: &Run<'_>) -> (String, String, bool) {
    let cfg = &run.cfg;
    if let Some(fqdn) = cfg.str("fqdn") {
        let host = cfg.str("hostname").unwrap_or_else(|| fqdn.split('.').next().unwrap_or_default().to_owned());
        return (host, fqdn, false);
    }
    if let Some(h) = cfg.str("hostname").filter(|h| h.find('.').is_some_and(|i| i > 0)) {
        let short = h.split('.').next().unwrap_or_default().to_owned();
        return (short, h, false);
    }
    let (ds_host, ds_fqdn, is_default) = datasource_hostname(run);
    match cfg.str("hostname") {
        Some(h) => (h, ds_fqdn, false),
        None => (ds_host, ds_fqdn, is_default),
    }
}

/// As [`hostname_fqdn`] with `metadata_only`: `None` without a host name in meta-data or
/// configuration.
pub fn hostname_fqdn_metadata(run: &Run<'_>) -> (Option<String>, Option<String>) {
    let has = run.cfg.has("fqdn") || run.cfg.has("hostname") || super::boot::meta_hostname(run).is_some();
    if !has {
        return (None, None);
    }
    let (h, f, _) = hostname_fqdn(run);
    (Some(h), Some(f))
}

/// `DataSource.get_hostname`: from meta-data's `local-hostname`, else the system's name.
fn datasource_hostname(run: &Run<'_>) -> (String, String, bool) {
    let (toks, is_default): (Vec<String>, bool) = match super::boot::meta_hostname(run) {
        Some(lhost) => (lhost.split('.').map(str::to_owned).collect(), false),
        None => {
            let current = run.read("/etc/hostname").map_or_else(|| "localhost".to_owned(), |h| h.trim().to_owned());
            let toks = if current.contains('.') {
                current.split('.').map(str::to_owned).collect()
            } else {
                vec![current.clone(), "localdomain".to_owned()]
            };
            (toks, current == "localhost")
        }
    };
    let host = toks.first().cloned().unwrap_or_else(|| "localhost".to_owned());
    let domain = if toks.len() > 1 { toks[1..].join(".") } else { "localdomain".to_owned() };
    let fqdn = if domain == "localdomain" { host.clone() } else { format!("{host}.{domain}") };
    (host, fqdn, is_default)
}

/// What `set_hostname` does, also called by the Local stage before the network comes up.
pub fn set_hostname_now(run: &mut Run<'_>) {
    if run.cfg.bool("preserve_hostname", false) {
        run.debug(
            "cc_set_hostname.py",
            "Configuration option 'preserve_hostname' is set, not setting the hostname in module set_hostname",
        );
        return;
    }
    let (host, fqdn, is_default) = hostname_fqdn(run);
    let prev_fn = format!("{}/data/set-hostname", state::CLOUD_DIR);
    let prev = run.read(&prev_fn).and_then(|t| super::yaml::parse(&t).ok());
    let same = prev.as_ref().is_some_and(|p| {
        p.get("hostname").and_then(|n| n.as_str()) == Some(host.as_str())
            && p.get("fqdn").and_then(|n| n.as_str()) == Some(fqdn.as_str())
    });
    if same {
        run.debug("cc_set_hostname.py", "No hostname changes. Skipping set-hostname");
        return;
    }
    if is_default && host == "localhost" {
        run.debug("cc_set_hostname.py", "Hostname is localhost. Let other services handle this.");
        return;
    }
    run.debug("cc_set_hostname.py", &format!("Setting the hostname to {fqdn} ({host})"));
    run.write_file("/etc/hostname", format!("{host}\n").as_bytes(), 0o644);
    run.subp_log(&["hostname", &host], true);
    let json = state::Json::Object(vec![
        ("fqdn".to_owned(), state::Json::str(&fqdn)),
        ("hostname".to_owned(), state::Json::str(&host)),
    ])
    .dumps();
    run.write_file(&prev_fn, json.as_bytes(), 0o644);
}

fn set_hostname(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    set_hostname_now(run);
    Ok(())
}

fn update_hostname(run: &mut Run<'_>, name: &str) -> Result<(), String> {
    if run.cfg.bool("preserve_hostname", false) {
        run.debug(
            "cc_update_hostname.py",
            &format!("Configuration option 'preserve_hostname' is set, not updating the hostname in module {name}"),
        );
        return Ok(());
    }
    let (host, fqdn, is_default) = hostname_fqdn(run);
    if is_default && host == "localhost" {
        run.debug("cc_update_hostname.py", "Hostname is localhost. Let other services handle this.");
        return Ok(());
    }
    run.debug("cc_update_hostname.py", &format!("Updating hostname to {fqdn} ({host})"));
    let prev_fn = format!("{}/data/previous-hostname", state::CLOUD_DIR);
    let current = run.read("/etc/hostname").map(|h| h.trim().to_owned()).unwrap_or_default();
    let prev = run.read(&prev_fn).map(|h| h.trim().to_owned());
    // distro.update_hostname: only a name nobody changed since cloud-init set it is updated.
    if prev.as_deref().is_some_and(|p| p != current) {
        run.debug("__init__.py", &format!("{prev_fn} differs from /etc/hostname, assuming user maintained hostname."));
        return Ok(());
    }
    if current != host {
        run.debug("__init__.py", &format!("Attempting to update hostname to {host} in 1 files"));
        run.write_file("/etc/hostname", format!("{host}\n").as_bytes(), 0o644);
    }
    run.write_file(&prev_fn, format!("{host}\n").as_bytes(), 0o644);
    Ok(())
}

fn update_etc_hosts(run: &mut Run<'_>, name: &str) -> Result<(), String> {
    let manage = run.cfg.get("manage_etc_hosts").cloned();
    let value = manage.as_ref().and_then(super::yaml::Node::to_plain_string).unwrap_or_default();
    let on = manage.as_ref().and_then(state::truthy).unwrap_or(false) || value == "template";
    if on {
        if value == "template" {
            run.warning(
                "cc_update_etc_hosts.py",
                "DEPRECATED: please use manage_etc_hosts: true instead of 'template'",
            );
        }
        let (host, fqdn, _) = hostname_fqdn(run);
        let template = run.read("/etc/cloud/templates/hosts.debian.tmpl").unwrap_or_default();
        run.debug("templater.py", "Rendering content of '/etc/cloud/templates/hosts.debian.tmpl' using renderer jinja");
        let text = render_hosts(&template, &host, &fqdn);
        run.write_file("/etc/hosts", text.as_bytes(), 0o644);
    } else if value == "localhost" {
        let (host, fqdn, _) = hostname_fqdn(run);
        run.debug("cc_update_etc_hosts.py", "Managing localhost in /etc/hosts");
        let text = run.read("/etc/hosts").unwrap_or_default();
        let line = format!("127.0.1.1 {fqdn} {host}");
        if !text
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == line.split_whitespace().collect::<Vec<_>>())
        {
            let mut kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("127.0.1.1")).collect();
            kept.push(&line);
            let new: String = kept.iter().map(|l| format!("{l}\n")).collect();
            run.write_file("/etc/hosts", new.as_bytes(), 0o644);
        }
    } else {
        run.debug(
            "cc_update_etc_hosts.py",
            &format!("Configuration option 'manage_etc_hosts' is not set, not managing /etc/hosts in module {name}"),
        );
    }
    Ok(())
}

/// The jinja template of /etc/hosts with its `{# #}` comments and `## template` line removed,
/// as cloud-init's templater renders it.
pub fn render_hosts(template: &str, host: &str, fqdn: &str) -> String {
    let mut out = String::new();
    let mut rest = template.split_once('\n').map_or("", |(_, r)| r);
    while let Some(start) = rest.find("{#") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find("#}") else { break };
        let trim = after[..end].ends_with('-');
        rest = &after[end + 2..];
        if trim {
            rest = rest.trim_start();
        }
    }
    out.push_str(rest);
    out.replace("{{fqdn}}", fqdn).replace("{{hostname}}", host)
}

fn ssh_import_id(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.debug("cc_ssh_import_id.py", "Skipping module named ssh-import-id, no 'ssh_import_id' directives found.");
    Ok(())
}

fn locale(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    let system = run
        .read("/etc/default/locale")
        .and_then(|t| t.lines().find_map(|l| l.strip_prefix("LANG=").map(|v| v.trim_matches('"').to_owned())))
        .unwrap_or_default();
    let wanted = run
        .cfg
        .str("locale")
        .unwrap_or_else(|| if system.is_empty() { "en_US.UTF-8".to_owned() } else { system.clone() });
    if matches!(wanted.to_lowercase().as_str(), "false" | "off" | "0" | "no") {
        run.debug("cc_locale.py", &format!("Skipping module named locale, disabled by config: {wanted}"));
        return Ok(());
    }
    run.debug("cc_locale.py", &format!("Setting locale to {wanted}"));
    let exists = run.exists("/etc/default/locale");
    let regen = wanted.to_lowercase() != system.to_lowercase() || !exists || system.is_empty();
    if !regen {
        run.debug("debian.py", &format!("System has 'LANG={system}' requested '{wanted}', skipping regeneration."));
        return Ok(());
    }
    // Debian's locale-gen ignores its argument: it builds what /etc/locale.gen lists.
    let listed: Vec<String> = run
        .read("/etc/locale.gen")
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect();
    if !matches!(wanted.to_lowercase().as_str(), "c" | "c.utf-8" | "posix") {
        run.debug("debian.py", &format!("Generating locales for {wanted}"));
        run.subp_log(&["locale-gen", &wanted], false);
        let mut out = String::from("Generating locales (this might take a while)...\n");
        for l in &listed {
            out.push_str(&format!("  {l}... done\n"));
        }
        out.push_str("Generation complete.\n");
        run.output(&out);
        run.tick(900);
    }
    run.debug("debian.py", &format!("Updating /etc/default/locale with locale setting LANG={wanted}"));
    run.subp_log(&["update-locale", "--locale-file=/etc/default/locale", &format!("LANG={wanted}")], false);
    let known = matches!(wanted.to_lowercase().as_str(), "c" | "c.utf-8" | "posix")
        || listed.iter().any(|l| l.eq_ignore_ascii_case(&wanted));
    if !known {
        run.output(&format!("*** update-locale: Error: invalid locale settings:  LANG={wanted}\n"));
        return Err(format!(
            "ProcessExecutionError('Unexpected error while running command.\\nCommand: [\\'update-locale\\', \\'--locale-file=/etc/default/locale\\', \\'LANG={wanted}\\']\\nExit code: 1\\nReason: -\\nStdout: \\nStderr: ')"
        ));
    }
    // update-locale: old assignments commented out, the new one replaces its commented line.
    let text = match run.read("/etc/default/locale") {
        Some(old) => {
            let mut lines: Vec<String> = old
                .lines()
                .map(|l| {
                    if l.trim_start().contains('=') && !l.trim_start().starts_with('#') {
                        format!("#{l}")
                    } else {
                        l.to_owned()
                    }
                })
                .collect();
            match lines.iter().position(|l| l.trim_start_matches('#').trim_start().starts_with("LANG=")) {
                Some(i) => lines[i] = format!("LANG={wanted}"),
                None => lines.push(format!("LANG={wanted}")),
            }
            lines.iter().map(|l| format!("{l}\n")).collect::<String>()
        }
        None => format!("#  File generated by update-locale\nLANG={wanted}\n"),
    };
    let now = run.now();
    let fs = run.fs_mut();
    let _ = fs.put_file("/etc/default/locale", text.as_bytes(), 0o644, now);
    Ok(())
}

fn grub_dpkg(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.debug("cc_grub_dpkg.py", "Setting grub debconf-set-selections with '/dev/vda','false'");
    run.subp_log(&["debconf-set-selections"], true);
    Ok(())
}

fn apt_configure(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.debug("cc_apt_configure.py", "handling apt config: {'preserve_sources_list': True}");
    run.debug("cc_apt_configure.py", "Nothing to do: No apt config and running on Debian");
    Ok(())
}

fn ntp(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.debug("cc_ntp.py", "Selected NTP client \"systemd-timesyncd\" via distro system config");
    let servers = run
        .cfg
        .get("ntp")
        .and_then(|n| n.get("servers").or_else(|| n.get("pools")))
        .map(state::string_list)
        .unwrap_or_default();
    let text = format!(
        "# cloud-init generated file\n# See timesyncd.conf(5) for details.\n\n[Time]\nNTP={}\n",
        servers.join(" ")
    );
    run.write_file("/etc/systemd/timesyncd.conf.d/cloud-init.conf", text.as_bytes(), 0o644);
    Ok(())
}

fn timezone(run: &mut Run<'_>, name: &str) -> Result<(), String> {
    let Some(tz) = run.cfg.str("timezone").filter(|t| !t.is_empty()) else {
        run.debug("cc_timezone.py", &format!("Skipping module named {name}, no 'timezone' specified"));
        return Ok(());
    };
    let file = format!("/usr/share/zoneinfo/{tz}");
    if run.fs().resolve(crate::sim::vfs::ROOT, &file, true).ok().and_then(|i| run.fs().file(i).ok()).is_none() {
        return Err(format!("OSError('Invalid timezone {tz}, no file found at {file}')"));
    }
    run.write_file("/etc/timezone", format!("{}\n", tz.trim_end()).as_bytes(), 0o644);
    let link = run
        .fs()
        .resolve(crate::sim::vfs::ROOT, "/etc/localtime", false)
        .ok()
        .and_then(|i| run.fs().node(i))
        .map(crate::sim::vfs::Node::type_char);
    if matches!(link, Some('l') | None) {
        if link.is_some() {
            run.del_file("/etc/localtime");
        }
        let now = run.now();
        let _ = run.fs_mut().put_symlink("/etc/localtime", &file, now);
    } else {
        let text = run.read(&file).unwrap_or_default();
        run.write_file("/etc/localtime", text.as_bytes(), 0o644);
    }
    Ok(())
}

fn byobu(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.debug("cc_byobu.py", "Skipping module named byobu, no 'byobu' values found");
    Ok(())
}

fn reset_rmc(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.debug("cc_reset_rmc.py", "module disabled, RSCT_PATH not present");
    Ok(())
}

fn refresh_rmc(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.debug("cc_refresh_rmc_and_interface.py", "No 'rmcctrl' in path, disabled");
    Ok(())
}

fn rightscale(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.debug(
        "cc_rightscale_userdata.py",
        "Skipping module rightscale_userdata, no user-data CLOUD_INIT_REMOTE_HOOK found",
    );
    Ok(())
}

fn keys_to_console(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.subp_log(&["/usr/lib/cloud-init/write-ssh-key-fingerprints", "", "ssh-dss"], true);
    Ok(())
}

fn install_hotplug(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    run.debug(
        "cc_install_hotplug.py",
        "Skipping hotplug install. Datasource DataSourceNoCloud does not support hotplug.",
    );
    Ok(())
}

fn power_state(run: &mut Run<'_>, _: &str) -> Result<(), String> {
    let mode = run
        .cfg
        .get("power_state")
        .and_then(|p| p.get("mode"))
        .and_then(super::yaml::Node::to_plain_string)
        .unwrap_or_default();
    run.debug(
        "cc_power_state_change.py",
        &format!("After pid 1 ends, will execute: shutdown -{} now", if mode == "reboot" { "r" } else { "P" }),
    );
    // GuestLab does not act on it: the guest keeps running (see the ARCHITECTURE notes).
    run.debug("cc_power_state_change.py", "GuestLab: power_state is recorded, the guest is not shut down or rebooted");
    Ok(())
}
