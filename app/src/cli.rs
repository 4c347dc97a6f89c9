//! The command line of the `guestlab` binary. Subcommands print to stdout (through this
//! module's own `println!`/`print!`, which stop quietly at a closed pipe) and stderr, which is
//! why this is the one module allowed to.

/// `println!` and `print!` for this module: when standard output is a pipe that was closed
/// (`guestlab run x | head -1`), the program ends quietly with the status a shell reports for a
/// process ended by SIGPIPE (141), instead of panicking as the standard macros do.
macro_rules! println {
    () => { println!("") };
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        if writeln!(out, $($arg)*).is_err() { closed_pipe() }
    }};
}

macro_rules! print {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if write!(std::io::stdout().lock(), $($arg)*).is_err() { closed_pipe() }
    }};
}

/// Standard output cannot be written (a closed pipe): stop here.
fn closed_pipe() -> ! {
    std::process::exit(141)
}

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use guestlab_content::Lang;
use guestlab_content::lesson::check::{check_folder, check_folder_beside};
use guestlab_content::sim::scenario::parse_scenario;
use guestlab_content::sim::{Output, Stream, World};

/// GuestLab: a simulator and exam trainer for Linux as a virtualization guest (LPI 102.6).
///
/// Without a subcommand, the desktop app opens.
#[derive(Debug, Parser)]
#[command(name = "guestlab", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// A folder of your own lessons (with `en/` and `de/` inside) to show beside the built-in
    /// ones in the app; may be given more than once.
    #[arg(long = "lessons", value_name = "DIR")]
    pub lesson_dirs: Vec<PathBuf>,
    /// A link to open at start, as the web app's address shows it after `#`: `#/lesson/ID#SECTION`,
    /// `#/sim/disk?scenario=sandbox`, `#/exam?seed=42` (Share copies such links).
    #[arg(long, value_name = "LINK")]
    pub open: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work with lesson files.
    #[command(subcommand)]
    Lessons(LessonsCommand),
    /// Run a shell script in a fresh simulated host (Debian 12, /root) and print what the
    /// simulated commands print; the exit status is that of the last command.
    Run {
        /// The script file (`-` reads standard input).
        script: PathBuf,
        /// The seed of the world's random generator (same seed, same output).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The world to start from: `bookworm` (libvirt with the sample VM bookworm, shut off),
        /// `bare` (libvirt installed, no VM) or `cloud` (a Debian 12 cloud image beside the
        /// sample VM). Default: the script's `#@ world:` line, else bookworm.
        #[arg(long)]
        scenario: Option<String>,
        /// Play a scenario script step by step: its narration, then each command with the
        /// prompt and its output; waits for Enter between steps when standard input is a
        /// terminal.
        #[arg(long)]
        present: bool,
        /// The language of the narration with --present (`en` or `de`).
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Measure the speed and size targets on this machine and check their budgets (a non-zero
    /// status when one is missed): simulator throughput, parsing, UI frame cost, idle frames.
    Bench {
        /// One JSON object per line instead of the table.
        #[arg(long)]
        json: bool,
        /// Rows of the README's table (`| what | target | measured |`).
        #[arg(long)]
        markdown: bool,
        /// Also start other programs: real qemu-io, the app under Xvfb, the browser test
        /// (needs a web build in dist/).
        #[arg(long)]
        all: bool,
        /// Multiply time budgets by this before failing (CI on a shared machine, debug builds).
        #[arg(long, default_value_t = 1.0)]
        tolerance: f64,
        /// Only the sections whose name contains this: core, sim, screens, external.
        #[arg(long)]
        only: Option<String>,
    },
    /// The simulated shell, interactively on this terminal.
    Shell {
        /// The seed of the world's random generator.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The world to start from (`bookworm` or `bare`).
        #[arg(long, default_value = "bookworm")]
        scenario: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum LessonsCommand {
    /// Check lesson files for errors (front matter, quiz blocks, ids, links, the two languages
    /// against each other); prints file:line:column: message.
    Check {
        /// The lesson folder with `en/` and `de/` subfolders.
        #[arg(default_value = "lessons")]
        dir: PathBuf,
    },
}

/// Runs a subcommand and returns the process exit status.
pub fn run(command: Command) -> ExitCode {
    match command {
        Command::Lessons(LessonsCommand::Check { dir }) => lessons_check(&dir),
        Command::Run { script, seed, scenario, present: false, .. } => run_script(&script, seed, scenario.as_deref()),
        Command::Run { script, seed, scenario, present: true, lang } => {
            present_script(&script, seed, scenario.as_deref(), &lang)
        }
        Command::Shell { seed, scenario } => shell(seed, &scenario),
        Command::Bench { json, markdown, all, tolerance, only } => {
            crate::bench::run(crate::bench::Options { json, markdown, all, tolerance, only })
        }
    }
}

/// Prints an output's chunks to stdout and stderr in the order they were produced.
fn print_output(output: &Output) {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    for (stream, text) in &output.chunks {
        // A closed pipe (`guestlab run x | head`) is not an error worth reporting: stop quietly.
        let written = match stream {
            Stream::Out => stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()),
            Stream::Err => stderr.write_all(text.as_bytes()).and_then(|()| stderr.flush()),
        };
        if written.is_err() && *stream == Stream::Out {
            closed_pipe();
        }
    }
}

/// Reads a script file (`-`: standard input); the error is printed.
fn read_script(path: &Path) -> Option<String> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        if let Err(err) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut text) {
            eprintln!("guestlab: cannot read standard input: {err}");
            return None;
        }
        Some(text)
    } else {
        match std::fs::read_to_string(path) {
            Ok(text) => Some(text),
            Err(err) => {
                eprintln!("guestlab: cannot read {}: {err}", path.display());
                None
            }
        }
    }
}

fn run_script(path: &Path, seed: u64, scenario: Option<&str>) -> ExitCode {
    let Some(text) = read_script(path) else {
        return ExitCode::from(2);
    };
    // A scenario script names the world it starts from (`#@ world: cloud`).
    let declared = text.lines().find_map(|l| l.strip_prefix("#@ world:")).map(str::trim);
    let scenario = scenario.or(declared).unwrap_or("bookworm");
    let Some(mut world) = World::scenario(scenario, seed) else {
        eprintln!("guestlab: unknown scenario '{scenario}' (known: bookworm, bare, cloud)");
        return ExitCode::from(2);
    };
    let output = world.run(&text);
    print_output(&output);
    ExitCode::from(u8::try_from(output.status & 0xff).unwrap_or(1))
}

/// `guestlab run --present`: a scenario script step by step, narration first.
fn present_script(path: &Path, seed: u64, world_name: Option<&str>, lang: &str) -> ExitCode {
    use std::io::{BufRead as _, IsTerminal as _, Write as _};
    let Some(lang) = Lang::from_code(lang) else {
        eprintln!("guestlab: unknown language '{lang}' (known: en, de)");
        return ExitCode::from(2);
    };
    let Some(text) = read_script(path) else {
        return ExitCode::from(2);
    };
    let scenario = match parse_scenario(&path.display().to_string(), &text) {
        Ok(scenario) => scenario,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let world_name = world_name.unwrap_or(&scenario.world);
    let Some(mut world) = World::scenario(world_name, seed) else {
        eprintln!("guestlab: unknown scenario '{world_name}' (known: bookworm, bare, cloud)");
        return ExitCode::from(2);
    };
    let colour = std::io::stdout().is_terminal();
    let pause = std::io::stdin().is_terminal();
    let (on, off) = if colour { ("\x1b[1;36m", "\x1b[0m") } else { ("", "") };
    if !scenario.title.is_empty() {
        println!("{on}== {} =={off}", scenario.title(lang));
    }
    let mut status = 0;
    let steps = scenario.steps.len();
    for (i, step) in scenario.steps.iter().enumerate() {
        if pause && i > 0 {
            eprint!("(Enter: step {}/{steps}) ", i + 1);
            let mut line = String::new();
            if std::io::stdin().lock().read_line(&mut line).unwrap_or(0) == 0 {
                println!();
                break;
            }
        }
        println!();
        println!("{on}-- {}/{steps} --{off}", i + 1);
        for line in step.narration(lang).lines() {
            println!("{on}{line}{off}");
        }
        for command in &step.commands {
            let mut prompt = world.machine().prompt();
            for line in command.text.lines() {
                println!("{prompt}{line}");
                prompt = "> ".to_owned();
            }
            let _ = std::io::stdout().flush();
            let output = world.run(&command.text);
            print_output(&output);
            status = output.status;
        }
    }
    ExitCode::from(u8::try_from(status & 0xff).unwrap_or(1))
}

fn shell(seed: u64, scenario: &str) -> ExitCode {
    use std::io::{BufRead as _, Write as _};
    let Some(mut world) = World::scenario(scenario, seed) else {
        eprintln!("guestlab: unknown scenario '{scenario}' (known: bookworm, bare, cloud)");
        return ExitCode::from(2);
    };
    let stdin = std::io::stdin();
    let mut pending = String::new();
    loop {
        let prompt = if pending.is_empty() { world.machine().prompt() } else { "> ".to_owned() };
        print!("{prompt}");
        let _ = std::io::stdout().flush();
        let mut line = String::new();
        match stdin.lock().read_line(&mut line) {
            Ok(0) | Err(_) => {
                println!();
                return ExitCode::from(u8::try_from(world.machine().status & 0xff).unwrap_or(1));
            }
            Ok(_) => {}
        }
        pending.push_str(&line);
        if pending.trim() == "exit" {
            return ExitCode::SUCCESS;
        }
        // Ask for more lines while a quote or a here-document is open.
        if matches!(
            guestlab_content::sim::shell::parse::parse(&pending),
            Err(guestlab_content::sim::shell::parse::ParseError::Incomplete(_))
        ) {
            continue;
        }
        let output = world.run(&std::mem::take(&mut pending));
        if output.clear {
            print!("\x1b[2J\x1b[H");
        }
        print_output(&output);
    }
}

fn lessons_check(dir: &Path) -> ExitCode {
    // The files as the app reads a teacher's folder: (DIR/LANG/NAME, text), sorted.
    let shown = dir.display().to_string();
    let (files, problems) = crate::teacher::read_lesson_dir(&shown);
    if !problems.is_empty() {
        // A folder that cannot be read or holds no lessons: nothing to check.
        for problem in &problems {
            if problem.file == shown {
                eprintln!("guestlab: {}", problem.message);
            } else {
                eprintln!("guestlab: {}: {}", problem.file, problem.message);
            }
        }
        return ExitCode::from(2);
    }
    let files: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    // The lessons folder this program was built from is checked on its own; any other folder is
    // a teacher's, which the app loads beside the built-in lessons.
    let built_from = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../lessons")).canonicalize().ok();
    let report = if built_from.is_some() && dir.canonicalize().ok() == built_from {
        check_folder(&files)
    } else {
        check_folder_beside(&guestlab_content::lesson::EMBEDDED_LESSONS, &files)
    };
    for err in &report.errors {
        eprintln!("{err}");
    }
    let counts: Vec<String> = report
        .lessons
        .iter()
        .zip(&report.questions)
        .map(|((lang, lessons), (_, questions))| {
            let plural = |n: &usize, word: &str| if *n == 1 { format!("1 {word}") } else { format!("{n} {word}s") };
            format!("{}: {}, {}", lang.code(), plural(lessons, "lesson"), plural(questions, "question"))
        })
        .collect();
    let counts = counts.join("; ");
    if report.errors.is_empty() {
        println!("{counts}; no errors");
        ExitCode::SUCCESS
    } else {
        println!("{counts}; {} errors", report.errors.len());
        ExitCode::FAILURE
    }
}
