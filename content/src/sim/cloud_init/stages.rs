//! The stages after Detect: what `cloud-init init --local`, `cloud-init init` and
//! `cloud-init modules --mode=config|final` do around their modules (cloudinit/cmd/main.py,
//! stages.py): the banner, the datasource and the instance directory, user-data stored and
//! consumed, the module sections, `status.json` and `result.json`.

use super::boot::{Run, file_changes, flush_logs, meta_of, run_module, section_modules, snapshot, status_json};
use super::state::{self, Json};
use super::trace::{CloudInitBoot, ModuleRun, Outcome, Stage, StageRun};
use crate::sim::vfs::ROOT;

/// The banner every stage writes to the log and to stderr (the output log).
fn welcome(run: &mut Run<'_>, action: &str) {
    let text = format!(
        "Cloud-init v. {} running '{action}' at {}. Up {} seconds.",
        state::VERSION,
        state::rfc2822(run.now()),
        state::uptime(run.t)
    );
    run.output(&text);
    run.debug("util.py", &text);
}

fn stage_end(run: &mut Run<'_>, action: &str, started: u64, done: &str) {
    run.debug("util.py", "Reading from /proc/uptime (quiet=False)");
    run.debug("util.py", "Read 12 bytes from /proc/uptime");
    let took = run.t.saturating_sub(started);
    run.debug(
        "util.py",
        &format!(
            "cloud-init mode '{action}' took {}.{:03} seconds ({}.{:02})",
            took / 1000,
            took % 1000,
            took / 1000,
            (took % 1000) / 10
        ),
    );
    run.debug("handlers.py", done);
}

/// Writes `status.json` (in /var/lib/cloud/data, linked from /run/cloud-init).
fn write_status(run: &mut Run<'_>, stages: &[StageRun], current: Option<Stage>) {
    let json = status_json(run, stages, current).dumps();
    let path = format!("{}/data/status.json", state::CLOUD_DIR);
    run.debug(
        "atomic_helper.py",
        &format!(
            "Atomically writing to file {path} (via temporary file {}/data/tmpk3d9x1_q) - w: [644] {} bytes/chars",
            state::CLOUD_DIR,
            json.len()
        ),
    );
    let now = run.now();
    let fs = run.fs_mut();
    let _ = fs.mkdir_p(&format!("{}/data", state::CLOUD_DIR), 0o755, now);
    let _ = fs.put_file(&path, json.as_bytes(), 0o644, now);
    let link = format!("{}/status.json", state::RUN_DIR);
    if fs.resolve(ROOT, &link, false).is_err() {
        let _ = fs.put_symlink(&link, "../../var/lib/cloud/data/status.json", now);
    }
}

/// The instance data cloud-init publishes in /run/cloud-init (redacted and root-only copies).
fn instance_data(run: &Run<'_>, hostname: &str) -> Json {
    let meta = super::yaml::parse(&run.seed.meta_data).ok();
    let meta_json = meta.as_ref().filter(|m| m.as_map().is_some()).map_or(Json::Object(Vec::new()), Json::from_node);
    let mut meta_json = match meta_json {
        Json::Object(v) => v,
        _ => Vec::new(),
    };
    if !meta_json.iter().any(|(k, _)| k == "instance-id") {
        meta_json.push(("instance-id".to_owned(), Json::str(&run.iid)));
    }
    if !meta_json.iter().any(|(k, _)| k == "dsmode") {
        meta_json.push(("dsmode".to_owned(), Json::str("net")));
    }
    let seed = run.datasource.split("[seed=").nth(1).and_then(|s| s.split(']').next()).unwrap_or_default().to_owned();
    let subplatform =
        if seed.starts_with("/dev") { format!("config-disk ({seed})") } else { format!("seed-dir ({seed})") };
    let s = |v: &str| Json::str(v);
    let keys: Vec<Json> = run
        .cfg
        .get("ssh_authorized_keys")
        .map(state::string_list)
        .unwrap_or_default()
        .iter()
        .map(|k| Json::str(k))
        .collect();
    let _ = keys;
    let v1 = vec![
        ("_beta_keys".to_owned(), Json::List(vec![s("subplatform")])),
        ("availability-zone".to_owned(), Json::Null),
        ("availability_zone".to_owned(), Json::Null),
        ("cloud-name".to_owned(), s("unknown")),
        ("cloud_id".to_owned(), s("nocloud")),
        ("cloud_name".to_owned(), s("unknown")),
        ("distro".to_owned(), s("debian")),
        ("distro_release".to_owned(), s("bookworm")),
        ("distro_version".to_owned(), s("12")),
        ("instance-id".to_owned(), s(&run.iid)),
        ("instance_id".to_owned(), s(&run.iid)),
        ("kernel_release".to_owned(), s("6.1.0-28-amd64")),
        ("local-hostname".to_owned(), s(hostname)),
        ("local_hostname".to_owned(), s(hostname)),
        ("machine".to_owned(), s("x86_64")),
        ("platform".to_owned(), s("nocloud")),
        ("public_ssh_keys".to_owned(), Json::List(Vec::new())),
        ("python_version".to_owned(), s("3.11.2")),
        ("region".to_owned(), Json::Null),
        ("subplatform".to_owned(), s(&subplatform)),
        ("system_platform".to_owned(), s("Linux-6.1.0-28-amd64-x86_64-with-glibc2.36")),
        ("variant".to_owned(), s("debian")),
    ];
    Json::Object(vec![
        ("_beta_keys".to_owned(), Json::List(vec![s("subplatform")])),
        ("base64_encoded_keys".to_owned(), Json::List(Vec::new())),
        (
            "ds".to_owned(),
            Json::Object(vec![
                (
                    "_doc".to_owned(),
                    s(
                        "EXPERIMENTAL: The structure and format of content scoped under the 'ds' key may change in subsequent releases of cloud-init.",
                    ),
                ),
                ("meta_data".to_owned(), Json::Object(meta_json)),
            ]),
        ),
        ("sensitive_keys".to_owned(), Json::List(vec![s("merged_cfg"), s("security-credentials")])),
        (
            "sys_info".to_owned(),
            Json::Object(vec![
                ("dist".to_owned(), Json::List(vec![s("debian"), s("12"), s("bookworm")])),
                ("python".to_owned(), s("3.11.2")),
                ("variant".to_owned(), s("debian")),
            ]),
        ),
        ("v1".to_owned(), Json::Object(v1)),
    ])
}

/// `cloud-init init --local`.
pub fn local(run: &mut Run<'_>, trace: &mut CloudInitBoot) -> StageRun {
    let start = run.t;
    let log_from = run.log.lines.len();
    let before = snapshot(run.fs());
    welcome(run, "init-local");
    run.debug("main.py", "No kernel command line url found.");
    run.debug("main.py", "Closing stdin.");
    run.debug("stages.py", "Using distro class <class 'cloudinit.distros.debian.Distro'>");
    for dir in [
        "",
        "/scripts",
        "/scripts/per-instance",
        "/scripts/per-once",
        "/scripts/per-boot",
        "/scripts/vendor",
        "/seed",
        "/instances",
        "/handlers",
        "/sem",
        "/data",
    ] {
        run.ensure_dir(&format!("{}{dir}", state::CLOUD_DIR), 0o755);
    }
    run.ensure_dir(&format!("{}/sem", state::RUN_DIR), 0o755);
    let ds = run.datasource.clone();
    run.debug("handlers.py", "start: init-local/check-cache: attempting to read from cache [check]");
    let cached = run.exists(&format!("{}/obj.pkl", state::INSTANCE_LINK));
    run.debug(
        "stages.py",
        &if cached { format!("cache invalid in datasource: {ds}") } else { "no cache found".to_owned() },
    );
    run.debug(
        "handlers.py",
        &format!(
            "finish: init-local/check-cache: SUCCESS: {}",
            if cached { format!("cache invalid in datasource: {ds}") } else { "no cache found".to_owned() }
        ),
    );
    run.debug("__init__.py", "Looking for data source in: ['NoCloud', 'None'], via packages ['', 'cloudinit.sources'] that matches dependencies ['FILESYSTEM']");
    run.debug("__init__.py", "Searching for local data source in: ['DataSourceNoCloud']");
    run.debug("handlers.py", "start: init-local/search-NoCloud: searching for local data from DataSourceNoCloud");
    run.debug(
        "__init__.py",
        "Seeing if we can get any data from <class 'cloudinit.sources.DataSourceNoCloud.DataSourceNoCloud'>",
    );
    let seed = ds.split("[seed=").nth(1).and_then(|s| s.split(']').next()).unwrap_or_default().to_owned();
    for part in seed.split(',') {
        if part.starts_with("/dev") {
            run.debug("DataSourceNoCloud.py", &format!("Attempting to use data from {part}"));
            run.tick(40);
            run.debug("DataSourceNoCloud.py", &format!("Using data from {part}"));
        } else {
            run.debug("DataSourceNoCloud.py", &format!("Using seeded data from {part}"));
        }
    }
    run.debug("handlers.py", "finish: init-local/search-NoCloud: SUCCESS: found local data from DataSourceNoCloud");
    run.info("stages.py", &format!("Loaded datasource DataSourceNoCloud - {ds}"));
    let hostname = super::modules::hostname_fqdn(run).0;
    let data = instance_data(run, &hostname);
    let sensitive = data.dumps();
    run.write_file(&format!("{}/instance-data-sensitive.json", state::RUN_DIR), sensitive.as_bytes(), 0o600);
    run.write_file(&format!("{}/instance-data.json", state::RUN_DIR), sensitive.as_bytes(), 0o644);
    // instancify: the instance directory and the records of the instance-id.
    let iid = run.iid.clone();
    let idir = state::instance_dir(&iid);
    run.del_file(state::INSTANCE_LINK);
    let now = run.now();
    let _ = run.fs_mut().put_symlink(state::INSTANCE_LINK, &idir, now);
    for sub in ["handlers", "scripts", "sem"] {
        run.ensure_dir(&format!("{idir}/{sub}"), 0o755);
    }
    let dsline = format!("DataSourceNoCloud: {ds}");
    let previous_ds = run.read(&format!("{idir}/datasource")).map_or_else(|| dsline.clone(), |t| t.trim().to_owned());
    run.write_file(&format!("{idir}/datasource"), format!("{dsline}\n").as_bytes(), 0o644);
    run.write_file(
        &format!("{}/data/previous-datasource", state::CLOUD_DIR),
        format!("{previous_ds}\n").as_bytes(),
        0o644,
    );
    let previous = run
        .read(&format!("{}/data/instance-id", state::CLOUD_DIR))
        .map_or_else(|| state::NO_PREVIOUS_INSTANCE_ID.to_owned(), |t| t.trim().to_owned());
    run.debug("stages.py", &format!("previous iid found to be {previous}"));
    run.write_file(&format!("{}/data/instance-id", state::CLOUD_DIR), format!("{iid}\n").as_bytes(), 0o644);
    run.write_file(&format!("{}/.instance-id", state::RUN_DIR), format!("{iid}\n").as_bytes(), 0o644);
    run.write_file(
        &format!("{}/data/previous-instance-id", state::CLOUD_DIR),
        format!("{previous}\n").as_bytes(),
        0o644,
    );
    let pickle: Vec<u8> = [b"\x80\x04\x95".as_slice(), ds.as_bytes(), b"\x94."].concat();
    run.write_file(&format!("{idir}/obj.pkl"), &pickle, 0o400);
    let new = previous != iid;
    run.new_instance = new;
    trace.new_instance = new;
    trace.previous_instance_id = Some(previous);
    run.debug(
        "main.py",
        &format!("[local] init will now be targeting instance id: {iid}. new={}", if new { "True" } else { "False" }),
    );
    // _maybe_set_hostname: the host name before the network comes up (for DHCP).
    let (host, _) = super::modules::hostname_fqdn_metadata(run);
    if host.is_some() {
        super::modules::set_hostname_now(run);
    }
    run.debug("main.py", &format!("[local] Exiting. datasource {ds} not in local mode."));
    let mut stage = StageRun {
        stage: Stage::Local,
        start_ms: start,
        end_ms: run.t,
        log_lines: Vec::new(),
        output_lines: Vec::new(),
        changes: Vec::new(),
        modules: Vec::new(),
        errors: Vec::new(),
    };
    write_status(run, std::slice::from_ref(&stage), None);
    stage_end(run, "init", start, "finish: init-local: SUCCESS: searching for local datasources");
    stage.end_ms = run.t;
    stage.log_lines = run.log.lines[log_from..].to_vec();
    stage.output_lines = run.out.clone();
    flush_logs(run, log_from);
    stage.changes = file_changes(&before, &snapshot(run.fs()));
    stage
}

/// The tables of `netinfo.debug_info()` cloud-init prints at the start of the network stage.
fn net_tables(run: &Run<'_>) -> Vec<String> {
    let g = run.world.machines[run.m].guest.clone();
    let (iface, mac, ip) = g.map_or_else(Default::default, |g| (g.iface, g.mac, g.ip.unwrap_or_default()));
    let center = |text: &str, fill: char, width: usize| {
        let pad = width.saturating_sub(text.len());
        format!("{}{text}{}", fill.to_string().repeat(pad / 2), fill.to_string().repeat(pad - pad / 2))
    };
    let table = |fields: &[&str], rows: &[Vec<String>]| {
        let mut widths: Vec<usize> = fields.iter().map(|f| f.len()).collect();
        for r in rows {
            for (i, c) in r.iter().enumerate() {
                widths[i] = widths[i].max(c.len());
            }
        }
        // Python's str.center: the odd space goes left when the width is odd.
        let cell = |s: &str, w: usize| {
            let w = w + 2;
            let marg = w.saturating_sub(s.len());
            let left = marg / 2 + (marg & w & 1);
            format!("{}{s}{}", " ".repeat(left), " ".repeat(marg - left))
        };
        let hdiv = format!("+{}+", widths.iter().map(|w| "-".repeat(w + 2)).collect::<Vec<_>>().join("+"));
        let row = |r: &[String]| {
            format!("|{}|", r.iter().enumerate().map(|(i, c)| cell(c, widths[i])).collect::<Vec<_>>().join("|"))
        };
        let mut lines =
            vec![hdiv.clone(), row(&fields.iter().map(|f| (*f).to_owned()).collect::<Vec<_>>()), hdiv.clone()];
        lines.extend(rows.iter().map(|r| row(r)));
        lines.push(hdiv);
        lines
    };
    let link6 = crate::sim::guest::commands::link_local_of(&mac);
    let dev_rows = vec![
        vec![iface.clone(), "True".into(), ip.clone(), "255.255.255.0".into(), "global".into(), mac.clone()],
        vec![iface.clone(), "True".into(), link6, ".".into(), "link".into(), mac.clone()],
        vec!["lo".into(), "True".into(), "127.0.0.1".into(), "255.0.0.0".into(), "host".into(), ".".into()],
        vec!["lo".into(), "True".into(), "::1/128".into(), ".".into(), "host".into(), ".".into()],
    ];
    let dev = table(&["Device", "Up", "Address", "Mask", "Scope", "Hw-Address"], &dev_rows);
    let width = dev.iter().map(String::len).max().unwrap_or(0);
    let mut out = vec![center("Net device info", '+', width)];
    out.extend(dev);
    let prefix = ip.rsplit_once('.').map_or("192.168.122", |(p, _)| p);
    let route_rows = vec![
        vec!["0".into(), "0.0.0.0".into(), format!("{prefix}.1"), "0.0.0.0".into(), iface.clone(), "UG".into()],
        vec!["1".into(), format!("{prefix}.0"), "0.0.0.0".into(), "255.255.255.0".into(), iface, "U".into()],
    ];
    let routes = table(&["Route", "Destination", "Gateway", "Genmask", "Interface", "Flags"], &route_rows);
    let width = routes.iter().map(String::len).max().unwrap_or(0);
    out.push(center("Route IPv4 info", '+', width));
    out.extend(routes);
    out.into_iter().map(|l| format!("ci-info: {l}")).collect()
}

/// The user-data cloud-init keeps for the instance, as it stores it and its MIME form.
fn store_user_data(run: &mut Run<'_>) {
    let idir = state::instance_dir(&run.iid);
    let ud = run.seed.user_data.clone();
    run.write_file(&format!("{idir}/user-data.txt"), ud.as_bytes(), 0o600);
    let boundary = "===============2784518471626946937==";
    let (ctype, name) = if ud.starts_with("#cloud-config") {
        ("text/cloud-config", "part-001")
    } else if ud.starts_with("#!") {
        ("text/x-shellscript", "part-001")
    } else {
        ("text/x-not-multipart", "part-001")
    };
    let mime = if ud.is_empty() {
        format!(
            "Content-Type: multipart/mixed; boundary=\"{boundary}\"\nMIME-Version: 1.0\nNumber-Attachments: 0\n\n--{boundary}--\n"
        )
    } else {
        format!(
            "Content-Type: multipart/mixed; boundary=\"{boundary}\"\nMIME-Version: 1.0\nNumber-Attachments: 1\n\n--{boundary}\nContent-Type: {ctype}\nMIME-Version: 1.0\nContent-Disposition: attachment; filename=\"{name}\"\n\n{ud}\n--{boundary}--\n"
        )
    };
    run.write_file(&format!("{idir}/user-data.txt.i"), mime.as_bytes(), 0o600);
    let vd = run.seed.vendor_data.clone().unwrap_or_default();
    run.write_file(&format!("{idir}/vendor-data.txt"), vd.as_bytes(), 0o600);
    run.write_file(&format!("{idir}/vendor-data.txt.i"), format!("Content-Type: multipart/mixed; boundary=\"{boundary}\"\nMIME-Version: 1.0\nNumber-Attachments: 0\n\n--{boundary}--\n").as_bytes(), 0o600);
}

/// `consume_data` (once per instance): the user-data handlers write what they hand on.
fn consume(run: &mut Run<'_>) {
    let idir = state::instance_dir(&run.iid);
    let sem = format!("{idir}/sem/consume_data");
    if run.exists(&sem) {
        run.debug("helpers.py", "consume_data already ran (freq=once-per-instance)");
        return;
    }
    let stamp = state::py_float(run.log.boot_epoch as f64 + run.t as f64 / 1000.0);
    run.write_file(&sem, format!("914: {stamp}\n").as_bytes(), 0o644);
    run.debug("helpers.py", &format!("Running consume_data using lock (<FileLock using file '{sem}'>)"));
    run.debug("handlers.py", "start: init-network/consume-user-data: reading and applying user-data");
    let ud = run.seed.user_data.clone();
    if let Some(body) = ud.strip_prefix("#cloud-config") {
        run.debug("__init__.py", "Calling handler CloudConfigPartHandler: [['text/cloud-config', 'text/cloud-config-jsonp']] (text/cloud-config, part-001, 3) with frequency once-per-instance");
        let text = format!(
            "#cloud-config\n# from 1 files\n# part-001\n\n---\n{}\n...\n",
            body.trim_start_matches('\n').trim_end()
        );
        run.write_file(&format!("{idir}/cloud-config.txt"), text.as_bytes(), 0o600);
    } else if ud.starts_with("#!") {
        run.debug("__init__.py", "Calling handler ShellScriptPartHandler: [['text/x-shellscript']] (text/x-shellscript, part-001, 2) with frequency once-per-instance");
        run.write_file(&format!("{idir}/scripts/part-001"), ud.as_bytes(), 0o700);
    } else if !ud.trim().is_empty() {
        let head: String = ud.chars().take(24).collect();
        run.warning(
            "__init__.py",
            &format!("Unhandled non-multipart (text/x-not-multipart) userdata: 'b'{}'...'", head.escape_default()),
        );
    }
    run.debug("handlers.py", "finish: init-network/consume-user-data: SUCCESS: reading and applying user-data");
}

/// `cloud-init init` (Network) or `cloud-init modules --mode=config|final`.
pub fn modules_stage(run: &mut Run<'_>, stage: Stage) -> StageRun {
    let start = run.t.max(match stage {
        Stage::Network => 5_100,
        Stage::Config => 9_600,
        _ => 10_800,
    });
    run.t = start;
    let log_from = run.log.lines.len();
    let out_from = run.out.len();
    let before = snapshot(run.fs());
    let (action, event) = match stage {
        Stage::Network => ("init", "init-network"),
        Stage::Config => ("modules:config", "modules-config"),
        _ => ("modules:final", "modules-final"),
    };
    run.event = event;
    // status_wrapper: the stage is recorded as running before it starts.
    let mut so_far = previous_stages(run);
    so_far.push(StageRun {
        stage,
        start_ms: start,
        end_ms: 0,
        log_lines: Vec::new(),
        output_lines: Vec::new(),
        changes: Vec::new(),
        modules: Vec::new(),
        errors: Vec::new(),
    });
    write_status(run, &so_far, Some(stage));
    welcome(run, action);
    let ds = run.datasource.clone();
    if stage == Stage::Network {
        let tables = net_tables(run);
        run.out.extend(tables);
        run.debug("handlers.py", "start: init-network/check-cache: attempting to read from cache [trust]");
        run.debug("stages.py", &format!("restored from cache with run check: {ds}"));
        run.debug(
            "handlers.py",
            &format!("finish: init-network/check-cache: SUCCESS: restored from cache with run check: {ds}"),
        );
        let iid = run.iid.clone();
        run.debug("stages.py", &format!("previous iid found to be {iid}"));
        run.debug("main.py", &format!("[net] init will now be targeting instance id: {iid}. new=False"));
        store_user_data(run);
        consume(run);
        if let Some(warning) = run.yaml_warning.clone() {
            run.warning("util.py", &warning);
        }
        if let Some(doc) = run.cfg.user.clone() {
            let report = super::schema::validate("user-data", &run.seed.user_data);
            let _ = doc;
            let deprecations: Vec<String> = report
                .problems
                .iter()
                .filter(|p| p.kind == super::schema::ProblemKind::Deprecation)
                .map(|p| format!("{}: {}", p.path, p.message))
                .collect();
            if !deprecations.is_empty() {
                run.warning("schema.py", &format!("Deprecated cloud-config provided:\n{}", deprecations.join("\n")));
            }
            if report.problems.iter().any(|p| p.kind == super::schema::ProblemKind::Error) {
                run.warning("schema.py", "Invalid cloud-config provided: Please run 'sudo cloud-init schema --system' to see the schema errors.");
            }
        } else if run.seed.user_data.trim().is_empty() {
            run.debug("main.py", "Skipping user-data validation. No user-data found.");
        }
    } else {
        run.debug("main.py", "Closing stdin.");
        let _ = ds;
    }
    let modules = run_section(run, stage);
    let errors: Vec<String> = modules
        .iter()
        .filter_map(|m| match &m.outcome {
            Outcome::Failed(e) => Some(e.clone()),
            _ => None,
        })
        .collect();
    let ran = modules.iter().filter(|m| m.outcome.ran()).count();
    run.debug("main.py", &format!("Ran {ran} modules with {} failures", errors.len()));
    let mut run_stage = StageRun {
        stage,
        start_ms: start,
        end_ms: run.t,
        log_lines: Vec::new(),
        output_lines: Vec::new(),
        changes: Vec::new(),
        modules,
        errors,
    };
    // status.json with every stage so far (read back from the trace of this boot).
    let mut stages = previous_stages(run);
    stages.push(run_stage.clone());
    write_status(run, &stages, None);
    if stage == Stage::Final {
        let all: Vec<Json> = stages.iter().flat_map(|s| s.errors.iter().map(|e| Json::str(e))).collect();
        let result = Json::Object(vec![(
            "v1".to_owned(),
            Json::Object(vec![("datasource".to_owned(), Json::str(&ds)), ("errors".to_owned(), Json::List(all))]),
        )])
        .dumps();
        let path = format!("{}/data/result.json", state::CLOUD_DIR);
        run.write_file(&path, result.as_bytes(), 0o644);
        let now = run.now();
        let link = format!("{}/result.json", state::RUN_DIR);
        if !run.exists(&link) {
            let _ = run.fs_mut().put_symlink(&link, "../../var/lib/cloud/data/result.json", now);
        }
    }
    let mode = if stage == Stage::Network { "init" } else { "modules" };
    let label = match stage {
        Stage::Network => "finish: init-network: SUCCESS: searching for network datasources",
        Stage::Config => "finish: modules-config: SUCCESS: running modules for config",
        _ => "finish: modules-final: SUCCESS: running modules for final",
    };
    stage_end(run, mode, start, label);
    run_stage.end_ms = run.t;
    // The stage's own lines: everything it logged that no module logged.
    let module_lines: std::collections::HashSet<&String> =
        run_stage.modules.iter().flat_map(|m| m.log_lines.iter()).collect();
    run_stage.log_lines = run.log.lines[log_from..].iter().filter(|l| !module_lines.contains(l)).cloned().collect();
    let module_out: usize = run_stage.modules.iter().map(|m| m.output_lines.len()).sum();
    let stage_out: Vec<String> = run.out[out_from..].to_vec();
    run_stage.output_lines = stage_out.into_iter().take(run.out.len() - out_from - module_out).collect();
    flush_logs(run, log_from);
    let mut changes = file_changes(&before, &snapshot(run.fs()));
    let module_paths: std::collections::HashSet<&str> =
        run_stage.modules.iter().flat_map(|m| m.changes.iter().map(|c| c.path.as_str())).collect();
    changes.retain(|c| {
        !module_paths.contains(c.path.as_str()) && c.path != state::LOG_FILE && c.path != state::OUTPUT_LOG
    });
    run_stage.changes = changes;
    run_stage
}

/// The stages of this boot that already ran, from the guest's status file (so that
/// `status.json` lists them as the real wrapper does).
fn previous_stages(run: &Run<'_>) -> Vec<StageRun> {
    let text = run.read(&format!("{}/data/status.json", state::CLOUD_DIR)).unwrap_or_default();
    let doc = super::yaml::parse(&text).ok();
    let mut out = Vec::new();
    for stage in [Stage::Local, Stage::Network, Stage::Config] {
        let Some(mode) = stage.mode() else { continue };
        let entry = doc.as_ref().and_then(|d| d.get("v1")).and_then(|v| v.get(mode));
        let time = |k: &str| {
            entry.and_then(|e| e.get(k)).and_then(|n| match n.value {
                super::yaml::Value::Float(f) => {
                    Some(((f - run.log.boot_epoch as f64) * 1000.0).round().max(0.0) as u64)
                }
                super::yaml::Value::Int(i) => Some(((i as i64 - run.log.boot_epoch) * 1000).max(0) as u64),
                _ => None,
            })
        };
        if let (Some(s), Some(f)) = (time("start"), time("finished")) {
            let errors = entry.and_then(|e| e.get("errors")).map(state::string_list).unwrap_or_default();
            out.push(StageRun {
                stage,
                start_ms: s,
                end_ms: f,
                log_lines: Vec::new(),
                output_lines: Vec::new(),
                changes: Vec::new(),
                modules: Vec::new(),
                errors,
            });
        }
    }
    out
}

/// `Modules.run_section`: which modules apply, the INFO lines about the others, then each
/// module in order.
fn run_section(run: &mut Run<'_>, stage: Stage) -> Vec<ModuleRun> {
    let Some(section) = stage.section() else { return Vec::new() };
    let names = section_modules(&run.cfg, section);
    let keys = run.cfg.keys();
    let unverified = run.cfg.get("unverified_modules").map(state::string_list).unwrap_or_default();
    let mut plan = Vec::new();
    let (mut inapplicable, mut skipped) = (Vec::new(), Vec::new());
    for name in &names {
        let Some(meta) = meta_of(name) else {
            let module = format!("cc_{}", name.replace('-', "_"));
            run.warning(
                "modules.py",
                &format!("Could not find module named {module} (searched ['{module}', 'cloudinit.config.{module}'])"),
            );
            continue;
        };
        let outcome = if !meta.activate.is_empty() && !meta.activate.iter().any(|k| keys.iter().any(|x| x == k)) {
            inapplicable.push(name.clone());
            Some(Outcome::NoConfig)
        } else if !meta.debian && !unverified.contains(name) {
            skipped.push(name.clone());
            Some(Outcome::NotVerified)
        } else {
            None
        };
        plan.push((name.clone(), meta, outcome));
    }
    if !inapplicable.is_empty() {
        run.info(
            "modules.py",
            &format!("Skipping modules '{}' because no applicable config is provided.", inapplicable.join(",")),
        );
    }
    if !skipped.is_empty() {
        run.info(
            "modules.py",
            &format!("Skipping modules '{}' because they are not verified on distro 'debian'.  To run anyway, add them to 'unverified_modules' in config.", skipped.join(",")),
        );
    }
    let mut out = Vec::new();
    let mut snap = snapshot(run.fs());
    for (name, meta, outcome) in plan {
        match outcome {
            Some(outcome) => out.push(ModuleRun {
                name,
                module: meta.module.to_owned(),
                frequency: meta.frequency,
                outcome,
                start_ms: run.t,
                end_ms: run.t,
                changes: Vec::new(),
                accounts: Vec::new(),
                log_lines: Vec::new(),
                output_lines: Vec::new(),
            }),
            None => {
                let (record, after) = run_module(run, &name, meta, &snap);
                snap = after;
                out.push(record);
            }
        }
    }
    out
}
