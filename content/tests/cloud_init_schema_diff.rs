//! Differential test: `cloud-init schema --config-file FILE` of the installed cloud-init
//! (22.4.2 on Debian 12) and of GuestLab's simulated shell, on every config in
//! `tests/fixtures/cloud-config/` (valid and broken ones: every supported key, wrong types,
//! YAML 1.1 surprises, YAML syntax errors, deprecated forms), plus the command's usage errors.
//! Standard output, standard error and exit status must agree byte for byte.
//!
//! The real tool runs in a temporary directory holding a copy of the file under the same name
//! (it prints the name as given); the simulation writes the file into `/root` of a fresh world
//! and types the same command. The real runs (about 0.3 s each) go in parallel threads.
//! `GUESTLAB_CI_SHOW=1` prints what the real tool said for every file.

use std::path::{Path, PathBuf};
use std::process::Command;

use guestlab_content::sim::World;

/// Commands that are not about one fixture: usage errors, help, version, a missing file.
const STANDALONE: &[&str] = &[
    "cloud-init schema",
    "cloud-init schema --config-file",
    "cloud-init schema -c nothere.yaml",
    "cloud-init schema --config-file=nothere.yaml",
    "cloud-init schema --help",
    "cloud-init schema -c ok.yaml extra",
    "cloud-init schema -x",
    "cloud-init --version",
    "cloud-init --help",
    "cloud-init",
    "cloud-init bogus",
];

/// The file the standalone commands can name.
const OK_YAML: &str = "#cloud-config\nhostname: ok\n";

#[derive(Debug, PartialEq, Eq)]
struct Observed {
    stdout: String,
    stderr: String,
    status: i32,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cloud-config")
}

fn installed() -> bool {
    Command::new("cloud-init").arg("--version").output().is_ok_and(|o| o.status.success())
}

fn real(dir: &Path, command: &str) -> Observed {
    let words: Vec<&str> = command.split(' ').collect();
    let out = Command::new(words[0]).args(&words[1..]).current_dir(dir).output().expect("cloud-init runs");
    Observed {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        status: out.status.code().unwrap_or(-1),
    }
}

fn sim(files: &[(&str, &[u8])], command: &str) -> Observed {
    let mut world = World::new(1);
    let now = world.clock;
    for (name, bytes) in files {
        world.machine_mut().fs.put_file(&format!("/root/{name}"), bytes, 0o644, now).expect("the file is written");
    }
    let out = world.run(command);
    Observed { stdout: out.stdout(), stderr: out.stderr(), status: out.status }
}

fn differs(what: &str, real: &Observed, sim: &Observed) -> Option<String> {
    (real != sim).then(|| {
        format!(
            "{what}\n--- real (status {}):\n[stdout]\n{}[stderr]\n{}--- guestlab (status {}):\n[stdout]\n{}[stderr]\n{}",
            real.status, real.stdout, real.stderr, sim.status, sim.stdout, sim.stderr
        )
    })
}

#[test]
fn cloud_init_schema_and_guestlab_agree() {
    let mut names: Vec<String> = std::fs::read_dir(fixtures())
        .expect("the fixtures exist")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 40, "the corpus has {} configs", names.len());
    if !installed() {
        println!("skipped: cloud-init missing");
        return;
    }
    let dir = std::env::temp_dir().join(format!("guestlab-cloud-init-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for name in &names {
        std::fs::copy(fixtures().join(name), dir.join(name)).expect("copied");
    }
    std::fs::write(dir.join("ok.yaml"), OK_YAML).expect("written");

    let mut jobs: Vec<String> = names.iter().map(|n| format!("cloud-init schema --config-file {n}")).collect();
    jobs.extend(STANDALONE.iter().map(|c| (*c).to_owned()));
    // The real tool, four at a time.
    let chunk = jobs.len().div_ceil(4);
    let real_results: Vec<Observed> = std::thread::scope(|s| {
        let handles: Vec<_> =
            jobs.chunks(chunk).map(|part| s.spawn(|| part.iter().map(|c| real(&dir, c)).collect::<Vec<_>>())).collect();
        handles.into_iter().flat_map(|h| h.join().expect("thread")).collect()
    });
    let _ = std::fs::remove_dir_all(&dir);

    let mut failures = Vec::new();
    let show = std::env::var_os("GUESTLAB_CI_SHOW").is_some();
    let mut valid = 0;
    for (command, real) in jobs.iter().zip(&real_results) {
        let name = command.rsplit(' ').next().unwrap_or_default();
        let bytes = if names.iter().any(|n| n == name) {
            std::fs::read(fixtures().join(name)).expect("fixture")
        } else {
            Vec::new()
        };
        let files: Vec<(&str, &[u8])> = if bytes.is_empty() {
            vec![("ok.yaml", OK_YAML.as_bytes())]
        } else {
            vec![(name, &bytes[..]), ("ok.yaml", OK_YAML.as_bytes())]
        };
        let simulated = sim(&files, command);
        if show {
            println!("=== {command} (status {})\n{}{}", real.status, real.stdout, real.stderr);
        }
        if real.status == 0 {
            valid += 1;
        }
        if let Some(d) = differs(command, real, &simulated) {
            failures.push(d);
        }
    }
    println!(
        "cloud-init schema: {} configs ({valid} runs with status 0) and {} usage commands compared, {} differ",
        names.len(),
        STANDALONE.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{} of {} runs differ:\n\n{}", failures.len(), jobs.len(), failures.join("\n\n"));
}
