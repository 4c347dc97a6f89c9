//! The command line of the `guestlab` binary. Subcommands print to stdout and stderr, which is
//! why this is the one module allowed to.

#![expect(clippy::print_stdout, reason = "the command line prints its results")]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use guestlab_content::Lang;
use guestlab_content::lesson::LessonSet;

/// GuestLab: a simulator and exam trainer for Linux as a virtualization guest (LPI 102.6).
///
/// Without a subcommand, the desktop app opens.
#[derive(Debug, Parser)]
#[command(name = "guestlab", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Work with lesson files.
    #[command(subcommand)]
    Lessons(LessonsCommand),
}

#[derive(Debug, Subcommand)]
pub enum LessonsCommand {
    /// Check lesson files for errors (front matter, ids); prints file:line:column: message.
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
    }
}

/// Reads every `*.md` file (except README.md) of `dir/LANG/` as (path relative to dir, text).
fn read_lesson_files(dir: &Path) -> std::io::Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    for lang in Lang::ALL {
        let lang_dir = dir.join(lang.code());
        let Ok(entries) = std::fs::read_dir(&lang_dir) else {
            continue;
        };
        for entry in entries {
            let path = entry?.path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if name.ends_with(".md") && name != "README.md" {
                files.push((format!("{}/{name}", lang.code()), std::fs::read_to_string(&path)?));
            }
        }
    }
    files.sort();
    Ok(files)
}

fn lessons_check(dir: &Path) -> ExitCode {
    let files = match read_lesson_files(dir) {
        Ok(files) => files,
        Err(err) => {
            eprintln!("guestlab: cannot read {}: {err}", dir.display());
            return ExitCode::from(2);
        }
    };
    if files.is_empty() {
        eprintln!("guestlab: no lesson files in {}/en or {}/de", dir.display(), dir.display());
        return ExitCode::from(2);
    }
    let mut errors = 0;
    let mut lessons = 0;
    for lang in Lang::ALL {
        let set = LessonSet::load(lang, files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
        lessons += set.lessons.len();
        for err in &set.errors {
            eprintln!("{}/{err}", dir.display());
            errors += 1;
        }
    }
    if errors == 0 {
        println!("{lessons} lessons checked, no errors");
        ExitCode::SUCCESS
    } else {
        println!("{lessons} lessons loaded, {errors} files with errors");
        ExitCode::FAILURE
    }
}
