//! Differential test: `cloud-init schema --config-file FILE` of the installed cloud-init
//! (22.4.2 on Debian 12) and of GuestLab's simulated shell, on every config in
//! `tests/fixtures/cloud-config/` (valid and broken ones: every supported key, wrong types,
//! YAML 1.1 surprises, YAML syntax errors, deprecated forms), plus the command's usage errors.
//! Standard output, standard error and exit status must agree byte for byte.
//!
//! The real tool runs in a temporary directory holding a copy of the file under the same name
//! (it prints the name as given); the simulation writes the file into `/root` of a fresh world
//! and types the same command.
//!
//! Starting `cloud-init` costs about 0.3 s, so by default one `/usr/bin/python3` runs every
//! command through the very entry point `/usr/bin/cloud-init` calls (`cloudinit.cmd.main.main`,
//! with `sys.argv` set as the script sees it and stdout/stderr captured), and a few commands
//! are also run through the real `/usr/bin/cloud-init` to check that both ways print the same.
//! `GUESTLAB_CI_CLI=1` runs every command through `/usr/bin/cloud-init` instead (slower).
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

/// Runs every command (its words after `cloud-init`) in one Python process, through
/// cloud-init's `main()`; answers `STATUS LEN_OUT LEN_ERR\n` + the bytes, per command.
const RUNNER: &str = r#"
import io, sys
from cloudinit.cmd import main as ci_main
out_stream = sys.stdout.buffer
for line in sys.stdin.read().split("\n"):
    if not line:
        continue
    args = line.split(" ")[1:]
    out, err = io.StringIO(), io.StringIO()
    sys.argv = ["/usr/bin/cloud-init"] + args
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        code = ci_main.main()
    except SystemExit as e:
        code = e.code
    finally:
        sys.stdout, sys.stderr = saved
    if code is None:
        code = 0
    elif not isinstance(code, int):
        err.write(str(code) + "\n")
        code = 1
    o, e = out.getvalue().encode(), err.getvalue().encode()
    out_stream.write(b"%d %d %d\n" % (code, len(o), len(e)) + o + e)
"#;

fn real_in_process(dir: &Path, commands: &[String]) -> Vec<Observed> {
    use std::io::Write as _;
    let mut child = Command::new("/usr/bin/python3")
        .args(["-c", RUNNER])
        .current_dir(dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("python3 runs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(commands.join("\n").as_bytes()).expect("commands sent");
    drop(stdin);
    let output = child.wait_with_output().expect("python3 ends");
    let mut results = Vec::new();
    let mut rest = &output.stdout[..];
    while let Some(newline) = rest.iter().position(|&b| b == b'\n') {
        let header = String::from_utf8_lossy(&rest[..newline]).into_owned();
        let numbers: Vec<usize> = header.split(' ').map(|n| n.parse().expect("a number")).collect();
        let (status, out_len, err_len) = (numbers[0], numbers[1], numbers[2]);
        let body = &rest[newline + 1..];
        results.push(Observed {
            stdout: String::from_utf8_lossy(&body[..out_len]).into_owned(),
            stderr: String::from_utf8_lossy(&body[out_len..out_len + err_len]).into_owned(),
            status: i32::try_from(status).expect("a status"),
        });
        rest = &body[out_len + err_len..];
    }
    assert_eq!(results.len(), commands.len(), "python3 answered every command");
    results
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
    let every_via_cli = std::env::var_os("GUESTLAB_CI_CLI").is_some();
    let real_results: Vec<Observed> = if every_via_cli {
        // The real tool, four at a time.
        let chunk = jobs.len().div_ceil(4);
        std::thread::scope(|s| {
            let handles: Vec<_> = jobs
                .chunks(chunk)
                .map(|part| s.spawn(|| part.iter().map(|c| real(&dir, c)).collect::<Vec<_>>()))
                .collect();
            handles.into_iter().flat_map(|h| h.join().expect("thread")).collect()
        })
    } else {
        let results = real_in_process(&dir, &jobs);
        // Both ways must print the same: check a valid file, a schema error, a YAML error,
        // a usage error and the help through /usr/bin/cloud-init itself.
        let samples: Vec<usize> =
            [0, jobs.len() / 3, jobs.len() / 2, jobs.len() - 3, jobs.len() - 7].into_iter().collect();
        let (dir, jobs) = (&dir, &jobs);
        std::thread::scope(|s| {
            let handles: Vec<_> = samples.iter().map(|&i| (i, s.spawn(move || real(dir, &jobs[i])))).collect();
            for (i, h) in handles {
                let cli = h.join().expect("thread");
                assert_eq!(cli, results[i], "/usr/bin/cloud-init and cloud-init's main() differ on {}", jobs[i]);
            }
        });
        results
    };
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
