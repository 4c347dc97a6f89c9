//! Lessons: Markdown files with a RON front-matter block, loaded from strings (the embedded
//! `lessons/` folder, or files a teacher opens), parsed once into typed values.
//!
//! A lesson file looks like this:
//!
//! ```text
//! +++
//! (
//!     id: "cow-vs-raw",
//!     title: "Disk images: copy-on-write and RAW",
//!     order: 3,
//!     objectives: ["102.6"],
//!     minutes: 15,
//! )
//! +++
//! # Disk images
//! …Markdown…
//! ```

pub mod bundle;
pub mod check;
pub mod exam;
pub mod links;
pub mod markdown;
mod position;
pub mod progress;
pub mod quiz;
pub mod review;

use serde::Deserialize;

pub use markdown::{Block, Doc, Span};
pub use position::Position;
pub use quiz::{Answer, CheckError, Question, QuestionKind};

use crate::Lang;

/// The version of the front-matter format this build reads.
pub const FORMAT_VERSION: u32 = 1;

/// The line that opens and closes the front-matter block.
const FENCE: &str = "+++";

/// The front matter of a lesson, as written in the file.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonMeta {
    /// The front-matter format; absent means [`FORMAT_VERSION`].
    #[serde(default = "current_format")]
    pub format_version: u32,
    /// Stable kebab-case id, the same in every language.
    pub id: String,
    pub title: String,
    /// Position in the course.
    pub order: u32,
    /// LPI objectives, e.g. `"102.6"`.
    #[serde(default)]
    pub objectives: Vec<String>,
    /// Key-knowledge areas of the objectives that the lesson covers.
    #[serde(default)]
    pub knowledge: Vec<String>,
    /// Estimated minutes to work through the lesson.
    #[serde(default)]
    pub minutes: u32,
    /// Ids of lessons to read first.
    #[serde(default)]
    pub prerequisites: Vec<String>,
}

fn current_format() -> u32 {
    FORMAT_VERSION
}

/// A parsed lesson.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    /// The path it was loaded from, relative to the lesson folder (`en/01-welcome.md`).
    pub file: String,
    pub lang: Lang,
    pub meta: LessonMeta,
    pub doc: Doc,
    /// The questions of the quiz blocks, in the order they appear.
    pub questions: Vec<Question>,
    /// Every link target of the body, with its place in the file.
    pub links: Vec<(String, Position)>,
    /// Problems in the body (quiz blocks, `sim:` links) that do not stop the lesson from being
    /// shown; [`LessonSet::load`] moves them to its errors.
    pub problems: Vec<LessonError>,
}

impl Lesson {
    /// The anchors of the lesson's headings.
    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        self.doc.headings().map(|(_, anchor, _)| anchor)
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// A lesson file that could not be loaded, with the place of the problem.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{position}: {message}")]
pub struct LessonError {
    pub file: String,
    pub position: Position,
    pub message: String,
}

impl LessonError {
    pub(crate) fn new(file: &str, position: Position, message: impl Into<String>) -> Self {
        Self { file: file.to_owned(), position, message: message.into() }
    }
}

/// Parses one lesson file. `file` is the name used in error messages and must have the form
/// `LANG/NN-id.md` (or just `NN-id.md` when `lang` is given by the caller's folder).
pub fn parse_lesson(file: &str, lang: Lang, text: &str) -> Result<Lesson, LessonError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or_default();
    if first.trim_end() != FENCE {
        return Err(LessonError::new(
            file,
            Position::START,
            format!("a lesson file must begin with a RON front-matter block between two \"{FENCE}\" lines"),
        ));
    }
    let ron_start = first.len();
    let mut offset = ron_start;
    let mut ron_end = None;
    for line in lines {
        if line.trim_end() == FENCE {
            ron_end = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((ron_end, body_start)) = ron_end else {
        return Err(LessonError::new(
            file,
            Position::START,
            format!("the front-matter block opened here is not closed by a \"{FENCE}\" line"),
        ));
    };

    let ron_text = &text[ron_start..ron_end];
    let meta: LessonMeta = ron::Options::default().from_str(ron_text).map_err(|err| {
        // RON positions count from the front matter; the file has one fence line before it.
        let position = Position { line: err.span.start.line + 1, column: err.span.start.col.max(1) };
        LessonError::new(file, position, format!("front matter: {}", err.code))
    })?;

    let front_position = Position { line: 2, column: 1 };
    if meta.format_version > FORMAT_VERSION {
        return Err(LessonError::new(
            file,
            front_position,
            format!(
                "format_version {} is newer than this GuestLab understands ({FORMAT_VERSION}); update GuestLab",
                meta.format_version
            ),
        ));
    }
    if !is_kebab_case(&meta.id) {
        return Err(LessonError::new(
            file,
            front_position,
            format!("id \"{}\" must be kebab-case: lowercase letters, digits and single hyphens", meta.id),
        ));
    }
    if let Some(name_id) = id_from_file_name(file)
        && name_id != meta.id
    {
        return Err(LessonError::new(
            file,
            front_position,
            format!("id \"{}\" does not match the file name, which names \"{name_id}\"", meta.id),
        ));
    }

    Ok(parse_body(file, lang, meta, text, body_start))
}

/// The body of a lesson: display model, questions and links.
fn parse_body(file: &str, lang: Lang, meta: LessonMeta, text: &str, body_start: usize) -> Lesson {
    let body = markdown::parse_body(&text[body_start..]);
    let mut doc = body.doc;
    let mut questions = Vec::new();
    let mut problems = Vec::new();
    let mut block_ids = Vec::with_capacity(body.quizzes.len());
    for raw in &body.quizzes {
        let place = quiz::BlockPlace { file_text: text, offset: body_start + raw.offset };
        let (found, errors) = quiz::parse_block(raw, &place);
        block_ids.push(found.iter().map(|q| q.id.clone()).collect::<Vec<_>>());
        questions.extend(found);
        problems.extend(errors.into_iter().map(|(position, err)| LessonError::new(file, position, err.to_string())));
    }
    fill_quiz_ids(&mut doc.blocks, &mut block_ids.into_iter());

    let mut links = Vec::with_capacity(body.links.len());
    for link in body.links {
        let position = Position::of_offset(text, body_start + link.offset);
        if link.target.starts_with("sim:") && !links::is_known_sim_link(&link.target) {
            let known = links::SIM_LINKS.join(", ");
            let err = CheckError::UnknownSimLink { link: link.target.clone(), known };
            problems.push(LessonError::new(file, position, err.to_string()));
        }
        links.push((link.target, position));
    }
    Lesson { file: file.to_owned(), lang, meta, doc, questions, links, problems }
}

/// Gives each [`Block::Quiz`] marker the ids of its questions, in document order.
fn fill_quiz_ids(blocks: &mut [Block], ids: &mut impl Iterator<Item = Vec<String>>) {
    for block in blocks {
        match block {
            Block::Quiz { ids: slot } => *slot = ids.next().unwrap_or_default(),
            Block::Quote(inner) => fill_quiz_ids(inner, ids),
            Block::List { items, .. } => {
                for item in items {
                    fill_quiz_ids(item, ids);
                }
            }
            _ => {}
        }
    }
}

/// `en/03-cow-vs-raw.md` → `cow-vs-raw`; `None` when the name is not `NN-id.md`.
fn id_from_file_name(file: &str) -> Option<&str> {
    let name = file.rsplit('/').next()?.strip_suffix(".md")?;
    let (order, id) = name.split_once('-')?;
    (!order.is_empty() && order.bytes().all(|b| b.is_ascii_digit())).then_some(id)
}

/// Lowercase ASCII letters and digits in groups joined by single hyphens.
pub fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id
            .split('-')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}

/// The lessons of one language, in course order, with the files that failed to load.
#[derive(Clone, Debug, Default)]
pub struct LessonSet {
    pub lessons: Vec<Lesson>,
    pub errors: Vec<LessonError>,
}

impl LessonSet {
    /// Loads the lessons of `lang` from `(path, text)` pairs whose files lie in the language
    /// folder (`en/NN-id.md`, or `…/en/NN-id.md` for a teacher's folder given by its full path);
    /// files of other languages are ignored.
    pub fn load<'a>(lang: Lang, files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut set = Self::default();
        for (path, text) in files {
            // The folder the file lies in names the language.
            if path.rsplit('/').nth(1) != Some(lang.code()) {
                continue;
            }
            match parse_lesson(path, lang, text) {
                Ok(mut lesson) => {
                    set.errors.append(&mut lesson.problems);
                    set.lessons.push(lesson);
                }
                Err(err) => set.errors.push(err),
            }
        }
        set.check_duplicates();
        crate::order::sort_by(&mut set.lessons, |a, b| {
            a.meta.order.cmp(&b.meta.order).then_with(|| a.meta.id.cmp(&b.meta.id))
        });
        set.errors.extend(check::duplicate_questions(&mut set.lessons));
        set.errors.extend(check::lesson_links(&set.lessons));
        crate::order::sort_by(&mut set.errors, |a, b| a.file.cmp(&b.file).then(a.position.cmp(&b.position)));
        set
    }

    /// Every question of every lesson, in course order.
    pub fn questions(&self) -> impl Iterator<Item = (&Lesson, &Question)> {
        self.lessons.iter().flat_map(|l| l.questions.iter().map(move |q| (l, q)))
    }

    /// The lessons embedded into this build from the `lessons/` folder.
    pub fn embedded(lang: Lang) -> Self {
        Self::load(lang, EMBEDDED_LESSONS.iter().copied())
    }

    /// A second file with an id already taken is an error and is not loaded.
    fn check_duplicates(&mut self) {
        let mut seen = std::collections::HashMap::new();
        let mut keep = Vec::with_capacity(self.lessons.len());
        for lesson in std::mem::take(&mut self.lessons) {
            if let Some(first) = seen.get(&lesson.meta.id) {
                self.errors.push(LessonError::new(
                    &lesson.file,
                    Position { line: 2, column: 1 },
                    format!("duplicate lesson id \"{}\", already used by {first}", lesson.meta.id),
                ));
            } else {
                seen.insert(lesson.meta.id.clone(), lesson.file.clone());
                keep.push(lesson);
            }
        }
        self.lessons = keep;
    }

    /// The lesson with this id.
    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.meta.id == id)
    }
}

pub use bundle::EMBEDDED_LESSONS;

#[cfg(test)]
mod tests;
