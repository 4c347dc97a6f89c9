//! Scenario scripts: the guided demos a teacher plays step by step, in class (the app's presenter
//! mode) or on a terminal (`guestlab run --present`).
//!
//! A scenario script is a plain bash script that `guestlab run` also runs as it is; its special
//! comments give it steps and words:
//!
//! ```text
//! #@ title: The libvirt host, step by step      (header lines come before the first step)
//! #@ title.de: Der libvirt-Host Schritt für Schritt
//! #@ sim: libvirt                               (the simulator that presents it)
//! #@ world: bookworm                            (the world it starts from: bookworm, bare, cloud)
//!
//! #: A VM is an XML file plus a disk image.     (narration: starts a step)
//! #:de: Eine VM ist eine XML-Datei plus ein Plattenabbild.
//! ls -l /etc/libvirt/qemu                       (the step's commands, up to the next narration)
//! virsh list --all
//! ```
//!
//! Consecutive `#:` lines form one narration (an empty `#:` line starts a new paragraph); a
//! narration that follows commands starts the next step. `#:de:` lines give the German words of
//! the same step. Other `#` comments and blank lines are for readers of the file and are left out.
//! A command that spans lines (a here-document, an open quote) is one command; lines inside it are
//! never narration.

use thiserror::Error;

use crate::Lang;
use crate::sim::shell::parse::{ParseError, parse};

/// The scripts that come with GuestLab (`assets/scripts/`), as (file name, text).
pub const BUILTIN: &[(&str, &str)] = &[
    ("libvirt-tour.sh", include_str!("../../../assets/scripts/libvirt-tour.sh")),
    ("disk-tour.sh", include_str!("../../../assets/scripts/disk-tour.sh")),
    ("cloning-lab.sh", include_str!("../../../assets/scripts/cloning-lab.sh")),
    ("cloud-init-lab.sh", include_str!("../../../assets/scripts/cloud-init-lab.sh")),
];

/// The worlds a scenario may start from (`World::scenario` knows them).
pub const WORLDS: &[&str] = &["bookworm", "bare", "cloud"];

/// A parsed scenario script.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    /// The title in the script's own language (`#@ title:`), maybe empty.
    pub title: String,
    /// The German title (`#@ title.de:`).
    pub title_de: Option<String>,
    /// The simulator that presents it (`#@ sim:`), e.g. `disk?scenario=sandbox`.
    pub sim: Option<String>,
    /// The world it starts from (`#@ world:`, default `bookworm`).
    pub world: String,
    pub steps: Vec<Step>,
}

/// One step: words, then the commands that show them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The line of the step's first narration line (1-based).
    pub line: usize,
    pub narration: String,
    pub narration_de: Option<String>,
    pub commands: Vec<Command>,
}

/// One complete command of a step (several lines for a here-document).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The line the command starts at (1-based).
    pub line: usize,
    /// The command's text, without the final newline.
    pub text: String,
}

impl Scenario {
    /// The title in `lang` (falling back to the script's own).
    pub fn title(&self, lang: Lang) -> &str {
        match (lang, &self.title_de) {
            (Lang::De, Some(de)) => de,
            _ => &self.title,
        }
    }
}

impl Step {
    /// The narration in `lang` (falling back to the script's own).
    pub fn narration(&self, lang: Lang) -> &str {
        match (lang, &self.narration_de) {
            (Lang::De, Some(de)) => de,
            _ => &self.narration,
        }
    }
}

/// What is wrong with a scenario script, at `file:line`.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[error("{file}:{line}: {kind}")]
pub struct ScenarioError {
    pub file: String,
    pub line: usize,
    pub kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ErrorKind {
    #[error("a command before the first narration line (`#: …`)")]
    CommandBeforeNarration,
    #[error("a header line (`#@ …`) after the first step")]
    HeaderAfterSteps,
    #[error("unknown header `{0}` (known: title, title.de, sim, world)")]
    UnknownHeader(String),
    #[error("header `{0}` given twice")]
    DuplicateHeader(String),
    #[error("a header line needs `key: value`")]
    MalformedHeader,
    #[error("unknown world `{0}` (known: bookworm, bare, cloud)")]
    UnknownWorld(String),
    #[error("unknown narration language `{0}` (known: de)")]
    UnknownLanguage(String),
    #[error("German narration (`#:de:`) without narration in the script's own language (`#: …`)")]
    TranslationWithoutNarration,
    #[error("bash: {0}")]
    Syntax(String),
    #[error("the command is not finished at the end of the file ({0})")]
    Unfinished(String),
    #[error("no steps: a step starts with a narration line `#: …`")]
    NoSteps,
}

/// Which kind of line a line outside a command is.
enum LineKind<'a> {
    Blank,
    Comment,
    Header(&'a str),
    /// Narration: (language tag, text); the tag is empty for the script's own language.
    Narration(&'a str, &'a str),
    Command,
}

fn classify(line: &str) -> LineKind<'_> {
    let trimmed = line.trim_start();
    if trimmed.is_empty() {
        return LineKind::Blank;
    }
    if let Some(rest) = trimmed.strip_prefix("#@") {
        return LineKind::Header(rest.trim());
    }
    if let Some(rest) = trimmed.strip_prefix("#:") {
        if rest.is_empty() {
            return LineKind::Narration("", "");
        }
        if let Some(text) = rest.strip_prefix(' ') {
            return LineKind::Narration("", text.trim_end());
        }
        // `#:de: text`
        if let Some((tag, text)) = rest.split_once(':')
            && !tag.is_empty()
            && tag.chars().all(|c| c.is_ascii_alphabetic())
        {
            return LineKind::Narration(tag, text.strip_prefix(' ').unwrap_or(text).trim_end());
        }
        return LineKind::Comment;
    }
    if trimmed.starts_with('#') {
        return LineKind::Comment;
    }
    LineKind::Command
}

/// Adds a narration line to a paragraph text: lines join with a space, an empty line starts a
/// new paragraph.
fn push_narration(into: &mut String, text: &str) {
    if text.is_empty() {
        if !into.is_empty() && !into.ends_with("\n\n") {
            into.push_str("\n\n");
        }
    } else {
        if !into.is_empty() && !into.ends_with('\n') {
            into.push(' ');
        }
        into.push_str(text);
    }
}

/// Parses a scenario script; `file` names it in errors.
pub fn parse_scenario(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
    let err = |line: usize, kind: ErrorKind| ScenarioError { file: file.to_owned(), line, kind };
    let mut scenario =
        Scenario { title: String::new(), title_de: None, sim: None, world: "bookworm".to_owned(), steps: Vec::new() };
    let mut seen_headers: Vec<String> = Vec::new();
    // The command being collected: (first line, text so far).
    let mut pending: Option<(usize, String)> = None;

    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if let Some((start, command)) = &mut pending {
            command.push('\n');
            command.push_str(line);
            let start = *start;
            match parse(command) {
                Err(ParseError::Incomplete(_)) => {}
                Err(e @ ParseError::Unexpected(_)) => return Err(err(start, ErrorKind::Syntax(e.message()))),
                Ok(_) => {
                    if let (Some((_, command)), Some(step)) = (pending.take(), scenario.steps.last_mut()) {
                        step.commands.push(Command { line: start, text: command });
                    }
                }
            }
            continue;
        }
        match classify(line) {
            LineKind::Blank | LineKind::Comment => {}
            LineKind::Header(rest) => {
                if !scenario.steps.is_empty() {
                    return Err(err(number, ErrorKind::HeaderAfterSteps));
                }
                let Some((key, value)) = rest.split_once(':') else {
                    return Err(err(number, ErrorKind::MalformedHeader));
                };
                let (key, value) = (key.trim(), value.trim().to_owned());
                if seen_headers.iter().any(|k| k == key) {
                    return Err(err(number, ErrorKind::DuplicateHeader(key.to_owned())));
                }
                match key {
                    "title" => scenario.title = value,
                    "title.de" => scenario.title_de = Some(value),
                    "sim" => scenario.sim = Some(value),
                    "world" if WORLDS.contains(&value.as_str()) => scenario.world = value,
                    "world" => return Err(err(number, ErrorKind::UnknownWorld(value))),
                    _ => return Err(err(number, ErrorKind::UnknownHeader(key.to_owned()))),
                }
                seen_headers.push(key.to_owned());
            }
            LineKind::Narration(tag, words) => {
                let starts_step = scenario.steps.last().is_none_or(|s| !s.commands.is_empty());
                match tag {
                    "" => {
                        if starts_step {
                            scenario.steps.push(Step {
                                line: number,
                                narration: String::new(),
                                narration_de: None,
                                commands: Vec::new(),
                            });
                        }
                        if let Some(step) = scenario.steps.last_mut() {
                            push_narration(&mut step.narration, words);
                        }
                    }
                    "de" => {
                        let Some(step) = scenario.steps.last_mut().filter(|_| !starts_step) else {
                            return Err(err(number, ErrorKind::TranslationWithoutNarration));
                        };
                        push_narration(step.narration_de.get_or_insert_with(String::new), words);
                    }
                    other => return Err(err(number, ErrorKind::UnknownLanguage(other.to_owned()))),
                }
            }
            LineKind::Command => {
                if scenario.steps.is_empty() {
                    return Err(err(number, ErrorKind::CommandBeforeNarration));
                }
                match parse(line) {
                    Err(ParseError::Incomplete(_)) => pending = Some((number, line.to_owned())),
                    Err(e @ ParseError::Unexpected(_)) => return Err(err(number, ErrorKind::Syntax(e.message()))),
                    Ok(_) => {
                        if let Some(step) = scenario.steps.last_mut() {
                            step.commands.push(Command { line: number, text: line.to_owned() });
                        }
                    }
                }
            }
        }
    }
    if let Some((start, command)) = pending {
        let what = match parse(&command) {
            Err(e) => e.message(),
            Ok(_) => String::new(),
        };
        return Err(err(start, ErrorKind::Unfinished(what)));
    }
    if scenario.steps.is_empty() {
        return Err(err(text.lines().count().max(1), ErrorKind::NoSteps));
    }
    for step in &mut scenario.steps {
        step.narration = step.narration.trim_end().to_owned();
        if let Some(de) = &mut step.narration_de {
            *de = de.trim_end().to_owned();
        }
    }
    Ok(scenario)
}

/// The built-in scenario a simulator presents (`sim` is the part of its `#@ sim:` header before
/// any `?`, e.g. `disk`), parsed.
pub fn builtin_for(sim: &str) -> Option<Scenario> {
    BUILTIN.iter().find_map(|(file, text)| {
        let scenario = parse_scenario(file, text).ok()?;
        let name = scenario.sim.as_deref()?.split('?').next()?;
        (name == sim).then_some(scenario)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::World;

    fn error(text: &str) -> String {
        parse_scenario("demo.sh", text).expect_err("an error").to_string()
    }

    #[test]
    fn steps_narration_and_commands() {
        let text = "\
# A comment for readers.
#@ title: Demo
#@ title.de: Vorführung
#@ sim: disk?scenario=sandbox
#@ world: bare

#: First we look.
#: Then we see.
#:de: Erst schauen wir.
ls /
echo 'a
b'

#: Second step,
#:
#: new paragraph.
cat > f <<EOF
#: not narration: inside a here-document
EOF
# a comment between commands
cat f
#: The end.
";
        let s = parse_scenario("demo.sh", text).expect("parses");
        assert_eq!(s.title, "Demo");
        assert_eq!(s.title(Lang::De), "Vorführung");
        assert_eq!(s.sim.as_deref(), Some("disk?scenario=sandbox"));
        assert_eq!(s.world, "bare");
        assert_eq!(s.steps.len(), 3);
        let first = &s.steps[0];
        assert_eq!(first.line, 7);
        assert_eq!(first.narration, "First we look. Then we see.");
        assert_eq!(first.narration(Lang::De), "Erst schauen wir.");
        assert_eq!(
            first.commands,
            vec![Command { line: 10, text: "ls /".into() }, Command { line: 11, text: "echo 'a\nb'".into() }]
        );
        let second = &s.steps[1];
        assert_eq!(second.narration, "Second step,\n\nnew paragraph.");
        assert_eq!(second.narration(Lang::De), "Second step,\n\nnew paragraph.", "falls back to the script's words");
        assert_eq!(
            second.commands,
            vec![
                Command { line: 17, text: "cat > f <<EOF\n#: not narration: inside a here-document\nEOF".into() },
                Command { line: 21, text: "cat f".into() },
            ]
        );
        assert_eq!(s.steps[2], Step { line: 22, narration: "The end.".into(), narration_de: None, commands: vec![] });
    }

    #[test]
    fn errors_name_file_and_line() {
        assert_eq!(error("ls\n#: words\n"), "demo.sh:1: a command before the first narration line (`#: …`)");
        assert_eq!(error("#: a\nls\n#@ title: late\n"), "demo.sh:3: a header line (`#@ …`) after the first step");
        assert_eq!(
            error("#@ colour: red\n"),
            "demo.sh:1: unknown header `colour` (known: title, title.de, sim, world)"
        );
        assert_eq!(error("#@ title: a\n#@ title: b\n"), "demo.sh:2: header `title` given twice");
        assert_eq!(error("#@ title\n"), "demo.sh:1: a header line needs `key: value`");
        assert_eq!(error("#@ world: mars\n"), "demo.sh:1: unknown world `mars` (known: bookworm, bare, cloud)");
        assert_eq!(error("#: a\n#:fr: b\n"), "demo.sh:2: unknown narration language `fr` (known: de)");
        assert_eq!(
            error("#:de: nur deutsch\n"),
            "demo.sh:1: German narration (`#:de:`) without narration in the script's own language (`#: …`)"
        );
        assert_eq!(error("#: a\nls\n\nls )\n"), "demo.sh:4: bash: syntax error near unexpected token `)'");
        assert_eq!(
            error("#: a\ncat <<EOF\nhello\n"),
            "demo.sh:2: the command is not finished at the end of the file (here-document delimited by end-of-file (wanted `EOF'))"
        );
        assert_eq!(error("# only comments\n\n"), "demo.sh:2: no steps: a step starts with a narration line `#: …`");
    }

    #[test]
    fn every_builtin_script_parses_and_runs_in_its_world() {
        for (file, text) in BUILTIN {
            let scenario = parse_scenario(file, text).unwrap_or_else(|e| panic!("{e}"));
            assert!(scenario.steps.len() >= 5, "{file} has {} steps", scenario.steps.len());
            assert!(scenario.sim.is_some(), "{file} names its simulator");
            assert!(scenario.title_de.is_some(), "{file} has a German title");
            let mut world = World::scenario(&scenario.world, 1).expect("known world");
            for step in &scenario.steps {
                assert!(step.narration_de.is_some(), "{file}:{}: German narration", step.line);
                for command in &step.commands {
                    world.run(&command.text);
                }
            }
            // Run step by step, the script ends where running it whole ends.
            let mut whole = World::scenario(&scenario.world, 1).expect("known world");
            let output = whole.run(text);
            assert_eq!(output.status, 0, "{file}: {}", output.stderr());
            assert_eq!(world.machine().cwd, whole.machine().cwd, "{file}");
        }
        assert_eq!(builtin_for("disk").map(|s| s.world), Some("bookworm".to_owned()));
        assert!(builtin_for("libvirt").is_some() && builtin_for("cloning").is_some());
        assert_eq!(builtin_for("nowhere"), None);
    }
}
