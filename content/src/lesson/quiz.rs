//! Quiz questions: fenced ```` ```quiz ```` blocks of RON inside a lesson, turned into typed
//! [`Question`]s once, at load time, and graded by plain functions.
//!
//! A block holds one question or a list of questions:
//!
//! ```text
//! Single(
//!     id: "kvm-device",
//!     question: "Through which device does QEMU use KVM?",
//!     options: ["/dev/kvm", "/dev/vhost-net", "/proc/kvm"],
//!     answer: 1,
//!     explanation: "QEMU opens /dev/kvm and drives KVM with ioctl() calls.",
//! )
//! ```
//!
//! Answers are numbered from 1, as a learner counts the options. Everything that can be wrong
//! with a question (an answer that does not exist, `choose: 2` with three answers, an unknown
//! `sim:` link) is a [`CheckError`] at the `file:line:column` of the field.

use serde::Deserialize;

use super::Position;
use super::links;

/// A question, ready to be asked and graded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// Stable kebab-case id; progress and reviews are keyed by it, and it is the same in every
    /// language.
    pub id: String,
    /// The anchor of the heading the question sits under.
    pub section: String,
    /// Where the question starts in its lesson file.
    pub position: Position,
    /// The LPI objective it tests (`"102.6"`), if the author named one.
    pub objective: Option<String>,
    /// The question (or, for a simulator task, the task); Markdown inline syntax.
    pub text: String,
    /// Why the right answer is right; shown after answering.
    pub explanation: String,
    pub kind: QuestionKind,
}

/// The kinds of question and what each needs for grading. Option and step numbers here are
/// 0-based indices into the lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QuestionKind {
    /// Exactly one option is right.
    Single { options: Vec<String>, correct: usize },
    /// "Choose N": the learner must pick exactly the `correct` options (sorted, at least two).
    Multiple { options: Vec<String>, correct: Vec<usize> },
    /// Fill in the blank; any of `accept` is right after whitespace is normalised, and case is
    /// ignored unless `case_sensitive`.
    Blank { accept: Vec<String>, case_sensitive: bool },
    /// Put the steps in order; `steps` is the right order (the app shuffles them).
    Order { steps: Vec<String> },
    /// Do something in a simulator; `check` names the test of the simulated world that grades it.
    SimTask { sim: String, check: String },
}

impl QuestionKind {
    /// The name used in quiz blocks (`Single`, `Multiple`, …).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Single { .. } => "Single",
            Self::Multiple { .. } => "Multiple",
            Self::Blank { .. } => "Blank",
            Self::Order { .. } => "Order",
            Self::SimTask { .. } => "SimTask",
        }
    }
}

/// A learner's answer. Option and step numbers are 0-based indices into the question's lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Single(usize),
    Multiple(Vec<usize>),
    Blank(String),
    /// The steps in the order the learner put them, as indices into the question's `steps`.
    Order(Vec<usize>),
    /// The result of the simulator's check of the world.
    SimTask {
        passed: bool,
    },
}

impl Question {
    /// Whether `answer` is right. An answer of another kind is wrong.
    pub fn grade(&self, answer: &Answer) -> bool {
        match (&self.kind, answer) {
            (QuestionKind::Single { correct, .. }, Answer::Single(chosen)) => chosen == correct,
            (QuestionKind::Multiple { correct, .. }, Answer::Multiple(chosen)) => {
                let mut chosen = chosen.clone();
                crate::order::sort(&mut chosen);
                chosen.dedup();
                &chosen == correct
            }
            (QuestionKind::Blank { accept, case_sensitive }, Answer::Blank(typed)) => {
                let typed = normalize(typed, *case_sensitive);
                accept.iter().any(|a| normalize(a, *case_sensitive) == typed)
            }
            (QuestionKind::Order { steps }, Answer::Order(order)) => {
                order.len() == steps.len() && order.iter().enumerate().all(|(i, &step)| i == step)
            }
            (QuestionKind::SimTask { .. }, Answer::SimTask { passed }) => *passed,
            _ => false,
        }
    }
}

/// Trims, joins runs of whitespace into one space and, unless `case_sensitive`, lowercases.
pub fn normalize(text: &str, case_sensitive: bool) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if case_sensitive { joined } else { joined.to_lowercase() }
}

/// Everything that can be wrong with a quiz block, a question or a link, in the author's terms
/// (the front matter has its own messages in [`super::parse_lesson`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    #[error("quiz: {0}")]
    Ron(String),
    #[error("empty quiz block: write a question such as Single(id: \"…\", …)")]
    Empty,
    #[error("a quiz block must come after a heading: each question belongs to a section")]
    NoSection,
    #[error("question id \"{0}\" must be kebab-case: lowercase letters, digits and single hyphens")]
    IdNotKebab(String),
    #[error("duplicate question id \"{id}\", already used at {first}")]
    DuplicateId { id: String, first: String },
    #[error("{field} is empty")]
    EmptyText { field: &'static str },
    #[error("a choice question needs at least 2 options, this one has {0}")]
    TooFewOptions(usize),
    #[error("option {second} repeats option {first}")]
    DuplicateOption { first: usize, second: usize },
    #[error("answer {answer} does not exist: the options are numbered 1 to {options}")]
    AnswerOutOfRange { answer: usize, options: usize },
    #[error("answer {0} is listed twice")]
    DuplicateAnswer(usize),
    #[error("choose: {choose} does not match the {given} answers given")]
    ChooseMismatch { choose: usize, given: usize },
    #[error("a Multiple question has at least 2 answers; use Single for one")]
    MultipleNeedsTwo,
    #[error("every option is an answer: leave at least one wrong option")]
    AllOptionsCorrect,
    #[error("a Blank question needs at least one accepted answer in accept: [...]")]
    NoAcceptedAnswer,
    #[error("an Order question needs at least 2 steps, this one has {0}")]
    TooFewSteps(usize),
    #[error("step {second} repeats step {first}")]
    DuplicateStep { first: usize, second: usize },
    #[error("unknown simulator link \"{link}\"; known links: {known}")]
    UnknownSimLink { link: String, known: String },
    #[error("check \"{0}\" must be kebab-case: lowercase letters, digits and single hyphens")]
    CheckNotKebab(String),
    #[error("unknown check \"{check}\" (known: {known})")]
    UnknownCheck { check: String, known: String },
    #[error("link to \"{link}\": {lesson} has no heading with the anchor \"{anchor}\"")]
    UnknownAnchor { link: String, lesson: String, anchor: String },
    #[error("link to \"{link}\": there is no lesson with the id \"{id}\"")]
    UnknownLesson { link: String, id: String },
    #[error("lesson \"{id}\" has no {lang} version")]
    MissingLesson { id: String, lang: &'static str },
    #[error("question \"{id}\" has no {lang} version: {other} has no question with this id")]
    MissingTranslation { id: String, lang: &'static str, other: String },
    #[error("question \"{id}\" is {kind} here but {other_kind} in {other}")]
    KindMismatch { id: String, kind: &'static str, other_kind: &'static str, other: String },
    #[error("question \"{id}\" is in section \"{section}\" here but in \"{other_section}\" in {other}")]
    SectionMismatch { id: String, section: String, other_section: String, other: String },
}

/// A question as written in a quiz block: the shape a teacher types.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
enum Source {
    Single {
        id: String,
        #[serde(default)]
        objective: Option<String>,
        question: String,
        options: Vec<String>,
        answer: usize,
        explanation: String,
    },
    Multiple {
        id: String,
        #[serde(default)]
        objective: Option<String>,
        question: String,
        choose: usize,
        options: Vec<String>,
        answer: Vec<usize>,
        explanation: String,
    },
    Blank {
        id: String,
        #[serde(default)]
        objective: Option<String>,
        question: String,
        accept: Vec<String>,
        #[serde(default = "yes")]
        case_sensitive: bool,
        explanation: String,
    },
    Order {
        id: String,
        #[serde(default)]
        objective: Option<String>,
        question: String,
        steps: Vec<String>,
        explanation: String,
    },
    SimTask {
        id: String,
        #[serde(default)]
        objective: Option<String>,
        question: String,
        sim: String,
        check: String,
        explanation: String,
    },
}

fn yes() -> bool {
    true
}

/// A quiz block's RON text with where it starts in the file, as found by the Markdown walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawQuiz {
    /// The RON text.
    pub text: String,
    /// Byte offset of `text` in the lesson body.
    pub offset: usize,
    /// Anchor of the heading above the block, if any.
    pub section: Option<String>,
}

/// Translates byte offsets inside a quiz block into file positions.
pub struct BlockPlace<'a> {
    /// The whole lesson file.
    pub file_text: &'a str,
    /// Byte offset of the block's RON text in the file.
    pub offset: usize,
}

impl BlockPlace<'_> {
    fn at(&self, offset_in_block: usize) -> Position {
        Position::of_offset(self.file_text, self.offset + offset_in_block)
    }

    /// RON reports 1-based lines and columns inside the block.
    fn at_ron(&self, line: usize, col: usize) -> Position {
        let start = self.at(0);
        if line <= 1 {
            Position { line: start.line, column: start.column + col.max(1) - 1 }
        } else {
            Position { line: start.line + line - 1, column: col.max(1) }
        }
    }
}

/// Parses one quiz block. Questions with errors are left out; each error comes with its place.
pub fn parse_block(raw: &RawQuiz, place: &BlockPlace<'_>) -> (Vec<Question>, Vec<(Position, CheckError)>) {
    let mut errors = Vec::new();
    if raw.text.trim().is_empty() {
        errors.push((place.at(0), CheckError::Empty));
        return (Vec::new(), errors);
    }
    let Some(section) = raw.section.clone() else {
        errors.push((place.at(0), CheckError::NoSection));
        return (Vec::new(), errors);
    };
    let sources = match parse_sources(&raw.text) {
        Ok(sources) => sources,
        Err(err) => {
            let position = place.at_ron(err.span.start.line, err.span.start.col);
            errors.push((position, CheckError::Ron(err.code.to_string())));
            return (Vec::new(), errors);
        }
    };
    let outlines = outline(&raw.text);
    let mut questions = Vec::new();
    for (i, source) in sources.into_iter().enumerate() {
        let outline = outlines.get(i);
        let start = outline.map_or(0, |o| o.start);
        let field_at = |name: &str| place.at(outline.and_then(|o| o.field(name)).unwrap_or(start));
        match build(source, &section, place.at(start)) {
            Ok(question) => questions.push(question),
            Err((field, err)) => errors.push((field_at(field), err)),
        }
    }
    (questions, errors)
}

/// RON first as a list, then as a single question; the error shown is the one for the shape
/// the author evidently meant (a block starting with `[` is a list).
fn parse_sources(text: &str) -> Result<Vec<Source>, ron::error::SpannedError> {
    // `objective: "102.6"` rather than `objective: Some("102.6")`: teachers write plain values.
    let options = ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    if text.trim_start().starts_with('[') {
        options.from_str::<Vec<Source>>(text)
    } else {
        options.from_str::<Source>(text).map(|one| vec![one])
    }
}

/// Checks a question as written and turns it into a [`Question`]; an error names the field it
/// is about.
fn build(source: Source, section: &str, position: Position) -> Result<Question, (&'static str, CheckError)> {
    let (id, objective, text, explanation, kind) = match source {
        Source::Single { id, objective, question, options, answer, explanation } => {
            check_options(&options)?;
            let correct = check_answer(answer, options.len())?;
            (id, objective, question, explanation, QuestionKind::Single { options, correct })
        }
        Source::Multiple { id, objective, question, choose, options, answer, explanation } => {
            check_options(&options)?;
            let mut correct = Vec::with_capacity(answer.len());
            for &a in &answer {
                let index = check_answer(a, options.len())?;
                if correct.contains(&index) {
                    return Err(("answer", CheckError::DuplicateAnswer(a)));
                }
                correct.push(index);
            }
            if correct.len() < 2 {
                return Err(("answer", CheckError::MultipleNeedsTwo));
            }
            if choose != correct.len() {
                return Err(("choose", CheckError::ChooseMismatch { choose, given: correct.len() }));
            }
            if correct.len() == options.len() {
                return Err(("answer", CheckError::AllOptionsCorrect));
            }
            crate::order::sort(&mut correct);
            (id, objective, question, explanation, QuestionKind::Multiple { options, correct })
        }
        Source::Blank { id, objective, question, accept, case_sensitive, explanation } => {
            if accept.iter().all(|a| a.trim().is_empty()) {
                return Err(("accept", CheckError::NoAcceptedAnswer));
            }
            (id, objective, question, explanation, QuestionKind::Blank { accept, case_sensitive })
        }
        Source::Order { id, objective, question, steps, explanation } => {
            if steps.len() < 2 {
                return Err(("steps", CheckError::TooFewSteps(steps.len())));
            }
            if let Some((first, second)) = first_repeat(&steps) {
                return Err(("steps", CheckError::DuplicateStep { first, second }));
            }
            (id, objective, question, explanation, QuestionKind::Order { steps })
        }
        Source::SimTask { id, objective, question, sim, check, explanation } => {
            if !links::is_known_sim_link(&sim) {
                return Err(("sim", CheckError::UnknownSimLink { link: sim, known: links::SIM_LINKS.join(", ") }));
            }
            if !super::is_kebab_case(&check) {
                return Err(("check", CheckError::CheckNotKebab(check)));
            }
            if !crate::sim::tasks::is_known(&check) {
                let known = [crate::sim::tasks::CHECKS, crate::sim::tasks::PENDING_CHECKS].concat().join(", ");
                return Err(("check", CheckError::UnknownCheck { check, known }));
            }
            (id, objective, question, explanation, QuestionKind::SimTask { sim, check })
        }
    };
    if !super::is_kebab_case(&id) {
        return Err(("id", CheckError::IdNotKebab(id)));
    }
    if text.trim().is_empty() {
        return Err(("question", CheckError::EmptyText { field: "question" }));
    }
    if explanation.trim().is_empty() {
        return Err(("explanation", CheckError::EmptyText { field: "explanation" }));
    }
    Ok(Question { id, section: section.to_owned(), position, objective, text, explanation, kind })
}

fn check_options(options: &[String]) -> Result<(), (&'static str, CheckError)> {
    if options.len() < 2 {
        return Err(("options", CheckError::TooFewOptions(options.len())));
    }
    if let Some((first, second)) = first_repeat(options) {
        return Err(("options", CheckError::DuplicateOption { first, second }));
    }
    if options.iter().any(|o| o.trim().is_empty()) {
        return Err(("options", CheckError::EmptyText { field: "an option" }));
    }
    Ok(())
}

/// A 1-based answer number → a 0-based index, if the option exists.
fn check_answer(answer: usize, options: usize) -> Result<usize, (&'static str, CheckError)> {
    if (1..=options).contains(&answer) {
        Ok(answer - 1)
    } else {
        Err(("answer", CheckError::AnswerOutOfRange { answer, options }))
    }
}

/// The 1-based numbers of the first item that repeats an earlier one (whitespace normalised).
fn first_repeat(items: &[String]) -> Option<(usize, usize)> {
    for (j, item) in items.iter().enumerate() {
        let item = normalize(item, true);
        if let Some(i) = items[..j].iter().position(|earlier| normalize(earlier, true) == item) {
            return Some((i + 1, j + 1));
        }
    }
    None
}

/// Where a question and its fields start inside a block's RON text.
#[derive(Debug, Default)]
struct Outline {
    start: usize,
    fields: Vec<(String, usize)>,
}

impl Outline {
    fn field(&self, name: &str) -> Option<usize> {
        self.fields.iter().find(|(n, _)| n == name).map(|&(_, offset)| offset)
    }
}

/// Finds the questions (`Name(` at the top level, or inside the top-level list) and their
/// fields (`name:` one level deeper) without parsing the values, skipping strings and comments.
/// RON's own errors carry positions; this gives positions for the checks that come after.
fn outline(text: &str) -> Vec<Outline> {
    let bytes = text.as_bytes();
    let question_depth = usize::from(text.trim_start().starts_with('['));
    let mut outlines: Vec<Outline> = Vec::new();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = skip_string(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 2;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b if b.is_ascii_alphabetic() || b == b'_' => {
                let start = i;
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                    i += 1;
                }
                let name = &text[start..i];
                let mut next = i;
                while next < bytes.len() && bytes[next].is_ascii_whitespace() {
                    next += 1;
                }
                match bytes.get(next) {
                    Some(b'(') if depth == question_depth => {
                        outlines.push(Outline { start, fields: Vec::new() });
                    }
                    Some(b':') if depth == question_depth + 1 => {
                        if let Some(current) = outlines.last_mut() {
                            current.fields.push((name.to_owned(), start));
                        }
                    }
                    _ => {}
                }
            }
            _ => i += 1,
        }
    }
    outlines
}

/// The index just after the string literal that starts at `start` (a `"`).
fn skip_string(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests;
