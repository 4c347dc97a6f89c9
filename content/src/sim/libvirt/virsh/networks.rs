//! virsh's network commands: the NAT network, its bridge, dnsmasq files and leases.

use super::*;

pub(super) fn network_name(ctx: &Ctx<'_>, key: &str) -> Result<String, Vec<String>> {
    if ctx.world.libvirt.networks.contains_key(key) {
        return Ok(key.to_owned());
    }
    ctx.world.libvirt.networks.values().find(|n| n.uuid == key).map(|n| n.name.clone()).ok_or_else(|| {
        vec![
            format!("failed to get network '{key}'"),
            format!("Network not found: no network with matching name '{key}'"),
        ]
    })
}

pub(super) fn net_list(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let rows: Vec<_> = ctx
        .world
        .libvirt
        .networks
        .values()
        .filter(|n| if a.has("inactive") { !n.active } else { a.has("all") || n.active })
        .filter(|n| !a.has("autostart") || n.autostart)
        .filter(|n| !a.has("no-autostart") || !n.autostart)
        .collect();
    if a.has("name") || a.has("uuid") {
        return Ok(rows.iter().map(|n| format!("{}\n", if a.has("uuid") { &n.uuid } else { &n.name })).collect());
    }
    let mut t = Table::new(&["Name", "State", "Autostart", "Persistent"]);
    for n in rows {
        t.row(vec![
            n.name.clone(),
            if n.active { "active" } else { "inactive" }.to_owned(),
            if n.autostart { "yes" } else { "no" }.to_owned(),
            "yes".to_owned(),
        ]);
    }
    Ok(t.render())
}

pub(super) fn net_start(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = network_name(ctx, a.req("network"))?;
    let now = ctx.now();
    let Some(n) = ctx.world.libvirt.networks.get_mut(&name) else { return Err(Vec::new()) };
    if n.active {
        return Err(vec![
            format!("Failed to start network {name}"),
            format!("Requested operation is not valid: network is already active"),
        ]);
    }
    n.active = true;
    let n = n.clone();
    let fs = host_fs(ctx);
    files::write(
        fs,
        &format!("{RUN_NETWORK_DIR}/{name}.xml"),
        &format!(
            "<networkstatus>\n  <class_id bitmap='0-2'/>\n  <floor sum='0'/>\n{}</networkstatus>\n",
            indent(&n.to_xml(true))
        ),
        0o600,
        now,
    );
    files::write(fs, &format!("{RUN_NETWORK_DIR}/{name}.pid"), "1207\n", 0o644, now);
    let conf = format!(
        "##WARNING:  THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\n##OVERWRITTEN AND LOST.  Changes to this configuration should be made using:\n##    virsh net-edit {name}\n## or other application using the libvirt API.\n##\n## dnsmasq conf file created by libvirt\nstrict-order\npid-file=/run/libvirt/network/{name}.pid\nexcept-interface=lo\nbind-dynamic\ninterface={}\ndhcp-range={},{},{}\ndhcp-no-override\ndhcp-authoritative\ndhcp-lease-max=253\ndhcp-hostsfile=/var/lib/libvirt/dnsmasq/{name}.hostsfile\naddn-hosts=/var/lib/libvirt/dnsmasq/{name}.addnhosts\n",
        n.bridge, n.range_start, n.range_end, n.netmask
    );
    files::write(fs, &format!("/var/lib/libvirt/dnsmasq/{name}.conf"), &conf, 0o600, now);
    files::write(fs, &format!("/var/lib/libvirt/dnsmasq/{name}.hostsfile"), "", 0o600, now);
    files::write(fs, &format!("/var/lib/libvirt/dnsmasq/{name}.addnhosts"), "", 0o600, now);
    files::write(fs, &format!("/var/lib/libvirt/dnsmasq/{}.status", n.bridge), "", 0o644, now);
    Ok(format!("Network {name} started\n"))
}

pub(super) fn net_destroy(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = network_name(ctx, a.req("network"))?;
    let now = ctx.now();
    let Some(n) = ctx.world.libvirt.networks.get_mut(&name) else { return Err(Vec::new()) };
    if !n.active {
        return Err(vec![
            format!("Failed to destroy network {name}"),
            "Requested operation is not valid: network is not active".to_owned(),
        ]);
    }
    n.active = false;
    n.leases.clear();
    let fs = host_fs(ctx);
    files::remove(fs, &format!("{RUN_NETWORK_DIR}/{name}.xml"), now);
    files::remove(fs, &format!("{RUN_NETWORK_DIR}/{name}.pid"), now);
    Ok(format!("Network {name} destroyed\n"))
}

pub(super) fn net_autostart(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = network_name(ctx, a.req("network"))?;
    let now = ctx.now();
    let disable = a.has("disable");
    if let Some(n) = ctx.world.libvirt.networks.get_mut(&name) {
        n.autostart = !disable;
    }
    let link = format!("{NETWORK_CONFIG_DIR}/autostart/{name}.xml");
    if disable {
        files::remove(host_fs(ctx), &link, now);
        Ok(format!("Network {name} unmarked as autostarted\n"))
    } else {
        files::symlink(host_fs(ctx), &link, &format!("{NETWORK_CONFIG_DIR}/{name}.xml"), now);
        Ok(format!("Network {name} marked as autostarted\n"))
    }
}

pub(super) fn net_dumpxml(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = network_name(ctx, a.req("network"))?;
    let n = &ctx.world.libvirt.networks[&name];
    Ok(n.to_xml(n.active && !a.has("inactive")))
}

pub(super) fn net_info(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = network_name(ctx, a.req("network"))?;
    let n = &ctx.world.libvirt.networks[&name];
    let mut s = String::new();
    for (k, v) in [
        ("Name", n.name.as_str()),
        ("UUID", n.uuid.as_str()),
        ("Active", if n.active { "yes" } else { "no" }),
        ("Persistent", "yes"),
        ("Autostart", if n.autostart { "yes" } else { "no" }),
        ("Bridge", n.bridge.as_str()),
    ] {
        s.push_str(&format!("{:<16}{v}\n", format!("{k}:")));
    }
    Ok(s)
}

pub(super) fn net_dhcp_leases(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = network_name(ctx, a.req("network"))?;
    let n = &ctx.world.libvirt.networks[&name];
    let mut t = Table::new(&["Expiry Time", "MAC address", "Protocol", "IP address", "Hostname", "Client ID or DUID"]);
    for l in n.leases.iter().filter(|l| a.get("mac").is_none_or(|m| m.eq_ignore_ascii_case(&l.mac))) {
        t.row(vec![
            time::format_datetime(l.expiry),
            l.mac.clone(),
            "ipv4".to_owned(),
            format!("{}/24", l.ip),
            l.hostname.clone().unwrap_or_else(|| "-".to_owned()),
            l.client_id.clone().unwrap_or_else(|| "-".to_owned()),
        ]);
    }
    Ok(t.render())
}

pub(super) fn net_define(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let file = a.req("file").to_owned();
    let text = read_input(ctx, &file)?;
    let fail = |m: String| vec![format!("Failed to define network from {file}"), m];
    let taken: Vec<String> = ctx.world.libvirt.networks.values().map(|n| n.bridge.clone()).collect();
    let mut net =
        super::super::network::Network::parse(&text, &taken, &mut ctx.world.rng).map_err(|e| fail(e.to_string()))?;
    let name = net.name.clone();
    if let Some(old) = ctx.world.libvirt.networks.get(&name) {
        if old.uuid != net.uuid {
            return Err(fail(format!("operation failed: network '{name}' already exists with uuid {}", old.uuid)));
        }
        net.active = old.active;
        net.autostart = old.autostart;
        net.leases.clone_from(&old.leases);
    }
    let now = ctx.now();
    let saved = saved_file(&net.to_xml(false), &format!("virsh net-edit {name}"));
    files::write(host_fs(ctx), &format!("{NETWORK_CONFIG_DIR}/{name}.xml"), &saved, 0o600, now);
    ctx.world.libvirt.networks.insert(name.clone(), net);
    Ok(format!("Network {name} defined from {file}\n"))
}

pub(super) fn net_undefine(ctx: &mut Ctx<'_>, a: &Args) -> Result<String, Vec<String>> {
    let name = network_name(ctx, a.req("network"))?;
    if ctx.world.libvirt.networks[&name].active {
        return Err(vec![
            format!("Failed to undefine network {name}"),
            format!("Requested operation is not valid: Network '{name}' is still running"),
        ]);
    }
    ctx.world.libvirt.networks.remove(&name);
    let now = ctx.now();
    let fs = host_fs(ctx);
    files::remove(fs, &format!("{NETWORK_CONFIG_DIR}/{name}.xml"), now);
    files::remove(fs, &format!("{NETWORK_CONFIG_DIR}/autostart/{name}.xml"), now);
    Ok(format!("Network {name} has been undefined\n"))
}
