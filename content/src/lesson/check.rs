//! The checks that look at more than one lesson: duplicate question ids, links to other lessons
//! and headings, and the questions of the two languages against each other. `guestlab lessons
//! check` runs them through [`check_folder`]; [`super::LessonSet::load`] runs the ones that
//! concern a single language.

use std::collections::HashMap;

use super::{CheckError, Lesson, LessonError, LessonSet, Position};
use crate::Lang;

/// What `guestlab lessons check` found in a lesson folder.
#[derive(Clone, Debug, Default)]
pub struct Report {
    /// Lessons loaded, per language in [`Lang::ALL`] order.
    pub lessons: Vec<(Lang, usize)>,
    /// Questions loaded, per language in [`Lang::ALL`] order.
    pub questions: Vec<(Lang, usize)>,
    /// Every problem, sorted by file and position.
    pub errors: Vec<LessonError>,
}

/// Loads the lessons of every language from `(path relative to the folder, text)` pairs and
/// checks them, each on its own and against the other language.
pub fn check_folder(files: &[(&str, &str)]) -> Report {
    check(files, &|_| true)
}

/// Checks a teacher's lesson files as the app loads them: after the built-in lessons, so that
/// links to those resolve and an id the built-in lessons use already is an error. The report
/// counts and lists only `files`.
pub fn check_folder_beside(built_in: &[(&str, &str)], files: &[(&str, &str)]) -> Report {
    let all: Vec<(&str, &str)> = built_in.iter().chain(files).copied().collect();
    check(&all, &|file| files.iter().any(|(path, _)| *path == file))
}

/// Checks `files`; counts the lessons and reports the problems of the files `counted` accepts.
fn check(files: &[(&str, &str)], counted: &dyn Fn(&str) -> bool) -> Report {
    let sets: Vec<(Lang, LessonSet)> =
        Lang::ALL.into_iter().map(|lang| (lang, LessonSet::load(lang, files.iter().copied()))).collect();
    let mut report = Report::default();
    for (lang, set) in &sets {
        let own = || set.lessons.iter().filter(|l| counted(&l.file));
        report.lessons.push((*lang, own().count()));
        report.questions.push((*lang, own().map(|l| l.questions.len()).sum()));
        report.errors.extend(set.errors.iter().cloned());
    }
    if let [(first_lang, first), (second_lang, second)] = sets.as_slice() {
        report.errors.extend(compare_languages((*first_lang, first), (*second_lang, second)));
    }
    report.errors.retain(|e| counted(&e.file));
    crate::order::sort_by(&mut report.errors, |a, b| a.file.cmp(&b.file).then(a.position.cmp(&b.position)));
    report
}

/// The language's name in English, for messages.
fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "English",
        Lang::De => "German",
    }
}

/// Lessons and questions that exist in one language but not the other, and questions whose kind
/// or section differ (reported in the second language's file).
fn compare_languages(first: (Lang, &LessonSet), second: (Lang, &LessonSet)) -> Vec<LessonError> {
    let mut errors = Vec::new();
    for ((lang, set), (other_lang, other_set)) in [(first, second), (second, first)] {
        for lesson in &set.lessons {
            let Some(other) = other_set.lesson(&lesson.meta.id) else {
                let err = CheckError::MissingLesson { id: lesson.meta.id.clone(), lang: lang_name(other_lang) };
                errors.push(LessonError::new(&lesson.file, Position { line: 2, column: 1 }, err.to_string()));
                continue;
            };
            for question in &lesson.questions {
                let Some(counterpart) = other.question(&question.id) else {
                    let err = CheckError::MissingTranslation {
                        id: question.id.clone(),
                        lang: lang_name(other_lang),
                        other: other.file.clone(),
                    };
                    errors.push(LessonError::new(&lesson.file, question.position, err.to_string()));
                    continue;
                };
                // Differences are reported once, in the second language's file.
                if lang == first.0 {
                    continue;
                }
                if question.kind.name() != counterpart.kind.name() {
                    let err = CheckError::KindMismatch {
                        id: question.id.clone(),
                        kind: question.kind.name(),
                        other_kind: counterpart.kind.name(),
                        other: other.file.clone(),
                    };
                    errors.push(LessonError::new(&lesson.file, question.position, err.to_string()));
                } else if question.section != counterpart.section {
                    let err = CheckError::SectionMismatch {
                        id: question.id.clone(),
                        section: question.section.clone(),
                        other_section: counterpart.section.clone(),
                        other: other.file.clone(),
                    };
                    errors.push(LessonError::new(&lesson.file, question.position, err.to_string()));
                }
            }
        }
    }
    errors
}

/// A question id used a second time (in the same lesson or another one of the language) is an
/// error, and the later question is dropped: progress is keyed by question id.
pub(super) fn duplicate_questions(lessons: &mut [Lesson]) -> Vec<LessonError> {
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut errors = Vec::new();
    for lesson in lessons {
        let file = lesson.file.clone();
        lesson.questions.retain(|q| {
            if let Some(first) = seen.get(&q.id) {
                let err = CheckError::DuplicateId { id: q.id.clone(), first: first.clone() };
                errors.push(LessonError::new(&file, q.position, err.to_string()));
                false
            } else {
                seen.insert(q.id.clone(), format!("{file}:{}", q.position));
                true
            }
        });
    }
    errors
}

/// Links to headings (`#anchor`) and to other lessons (`lesson:id`, `lesson:id#anchor`) that
/// lead nowhere.
pub(super) fn lesson_links(lessons: &[Lesson]) -> Vec<LessonError> {
    let mut errors = Vec::new();
    for lesson in lessons {
        for (target, position) in &lesson.links {
            let (target_lesson, anchor) = if let Some(anchor) = target.strip_prefix('#') {
                (Some(lesson), Some(anchor))
            } else if let Some(rest) = target.strip_prefix("lesson:") {
                let (id, anchor) = match rest.split_once('#') {
                    Some((id, anchor)) => (id, Some(anchor)),
                    None => (rest, None),
                };
                let found = lessons.iter().find(|l| l.meta.id == id);
                if found.is_none() {
                    let err = CheckError::UnknownLesson { link: target.clone(), id: id.to_owned() };
                    errors.push(LessonError::new(&lesson.file, *position, err.to_string()));
                    continue;
                }
                (found, anchor)
            } else {
                continue;
            };
            if let (Some(target_lesson), Some(anchor)) = (target_lesson, anchor)
                && !target_lesson.anchors().any(|a| a == anchor)
            {
                let err = CheckError::UnknownAnchor {
                    link: target.clone(),
                    lesson: target_lesson.file.clone(),
                    anchor: anchor.to_owned(),
                };
                errors.push(LessonError::new(&lesson.file, *position, err.to_string()));
            }
        }
    }
    errors
}
