//! The learner's lab: one simulated world (with undo) shared by every simulator screen, and
//! the transcript its terminal shows.

use guestlab_content::sim::shell::parse::{ParseError, parse};
use guestlab_content::sim::{Output, Session, Stream, World};

/// One entry of the terminal transcript.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Line {
    /// A command as typed, with the prompt it was typed at.
    Input {
        prompt: String,
        text: String,
    },
    Stdout(String),
    Stderr(String),
    /// A note from GuestLab (not shell output).
    Note(String),
}

/// The world, its undo history, and the terminal transcript.
pub struct Lab {
    pub session: Session,
    pub transcript: Vec<Line>,
    /// Lines typed so far of a command that is not complete yet (open quote, here-document).
    pending: String,
    /// Transcript length before each step, for undo.
    marks: Vec<usize>,
    /// Increases with every change of the world (views cache on it).
    pub version: u64,
    /// The last complete command run.
    last: Option<String>,
    /// The commands run since the scenario started (undone ones taken out), for a link that
    /// replays them.
    inputs: Vec<String>,
    seed: u64,
}

/// The most transcript lines kept.
const MAX_TRANSCRIPT: usize = 5000;

impl Default for Lab {
    fn default() -> Self {
        Self::new(1)
    }
}

impl Lab {
    /// The commands that attach the shell to `target` (`None`: the host), from wherever it is:
    /// `exit` out of each console opened, then `virsh console NAME`.
    pub fn attach_commands(&self, target: Option<&str>) -> Vec<String> {
        let world = self.world();
        let here = world.machine().guest.as_ref().map(|g| g.domain.clone());
        if here.as_deref() == target {
            return Vec::new();
        }
        let mut out = vec!["exit".to_owned(); world.return_to.len()];
        if let Some(name) = target {
            out.push(format!("virsh console {name}"));
        }
        out
    }

    pub fn new(seed: u64) -> Self {
        Self {
            // The host with libvirt and the sample VM `bookworm`, as every screen expects it.
            session: Session::new(World::with_sample_vm(seed)),
            transcript: Vec::new(),
            pending: String::new(),
            marks: Vec::new(),
            version: 0,
            last: None,
            inputs: Vec::new(),
            seed,
        }
    }

    pub fn world(&self) -> &World {
        &self.session.world
    }

    /// The prompt for the next line: bash's, or `> ` while a command continues.
    pub fn prompt(&self) -> String {
        if self.pending.is_empty() { self.world().machine().prompt() } else { "> ".to_owned() }
    }

    /// Takes one line typed in the terminal. Returns the output once the command is complete.
    pub fn submit(&mut self, line: &str) -> Option<Output> {
        let prompt = self.prompt();
        self.transcript.push(Line::Input { prompt, text: line.to_owned() });
        self.pending.push_str(line);
        self.pending.push('\n');
        if matches!(parse(&self.pending), Err(ParseError::Incomplete(_))) {
            return None;
        }
        let input = std::mem::take(&mut self.pending);
        Some(self.execute(&input))
    }

    /// Runs a whole command (as a button does), showing it in the transcript.
    pub fn run(&mut self, command: &str) -> Output {
        self.pending.clear();
        let mut first = true;
        for line in command.lines() {
            let prompt = if first { self.world().machine().prompt() } else { "> ".to_owned() };
            first = false;
            self.transcript.push(Line::Input { prompt, text: line.to_owned() });
        }
        self.execute(command)
    }

    fn execute(&mut self, input: &str) -> Output {
        let mark = self.transcript.len().saturating_sub(input.lines().count().max(1));
        self.marks.push(mark);
        let output = self.session.run(input);
        self.last = Some(input.trim_end().to_owned());
        self.inputs.push(input.trim_end_matches('\n').to_owned());
        if output.clear {
            self.transcript.clear();
            self.marks.clear();
        }
        for (stream, text) in &output.chunks {
            for piece in text.split_inclusive('\n') {
                let piece = piece.strip_suffix('\n').unwrap_or(piece).to_owned();
                self.transcript.push(match stream {
                    Stream::Out => Line::Stdout(piece),
                    Stream::Err => Line::Stderr(piece),
                });
            }
        }
        if self.transcript.len() > MAX_TRANSCRIPT {
            let cut = self.transcript.len() - MAX_TRANSCRIPT;
            self.transcript.drain(..cut);
            self.marks.iter_mut().for_each(|m| *m = m.saturating_sub(cut));
        }
        self.version += 1;
        output
    }

    /// The last complete command that ran.
    pub fn last_command(&self) -> Option<String> {
        self.last.clone()
    }

    /// Adds a note to the transcript.
    pub fn note(&mut self, text: &str) {
        self.transcript.push(Line::Note(text.to_owned()));
    }

    /// Takes the last step back; `false` when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        if !self.session.undo() {
            return false;
        }
        if let Some(mark) = self.marks.pop() {
            self.transcript.truncate(mark);
        }
        self.inputs.pop();
        self.pending.clear();
        self.version += 1;
        true
    }

    pub fn can_undo(&self) -> bool {
        self.session.undo_steps() > 0
    }

    /// Starts over with a fresh host (with the sample VM).
    pub fn reset(&mut self) {
        *self = Self { version: self.version + 1, ..Self::new(self.seed) };
    }

    /// Starts over with `world` (a scenario script's world).
    pub fn reset_to(&mut self, world: World) {
        self.reset();
        self.session = Session::new(world);
    }

    /// The seed of the world's random generator.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The commands run since the scenario started, oldest first (a link replays them).
    pub fn inputs(&self) -> &[String] {
        &self.inputs
    }

    /// Makes the current state the starting point (after a scenario's setup): undo and reset
    /// go back to here.
    pub fn settle(&mut self) {
        self.session = Session::new(self.session.world.clone());
        self.marks.clear();
        self.inputs.clear();
        self.version += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submit_collects_here_documents_and_undo_takes_a_step_back() {
        let mut lab = Lab::new(1);
        assert!(lab.submit("cat > f <<EOF").is_none());
        assert_eq!(lab.prompt(), "> ");
        assert!(lab.submit("hello").is_none());
        let out = lab.submit("EOF").expect("complete");
        assert_eq!(out.status, 0);
        let out = lab.run("cat f");
        assert_eq!(out.stdout(), "hello\n");
        assert!(lab.transcript.contains(&Line::Stdout("hello".into())));
        assert_eq!(lab.inputs(), ["cat > f <<EOF\nhello\nEOF", "cat f"]);
        assert!(lab.undo());
        assert!(!lab.transcript.contains(&Line::Stdout("hello".into())));
        assert!(lab.undo());
        assert!(lab.inputs().is_empty());
        assert_eq!(lab.run("cat f").stderr(), "cat: f: No such file or directory\n");
        lab.settle();
        assert!(lab.inputs().is_empty(), "the scenario starts here");
    }
}
