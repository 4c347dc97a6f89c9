//! The lesson and quiz parser: any file text gives a lesson or an error with a position, never
//! a panic; a set of such files loads (duplicate ids, links) without a panic.
#![no_main]

use guestlab_content::Lang;
use guestlab_content::lesson::{LessonSet, parse_lesson};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(lesson) = parse_lesson("en/01-fuzz.md", Lang::En, &text) {
        // Every question parsed from the file can be looked up by its id.
        for question in &lesson.questions {
            assert!(lesson.question(&question.id).is_some());
        }
    }
    // The same text twice and beside itself in German: duplicate ids and cross-checks.
    let files = [("en/01-fuzz.md", &*text), ("en/02-fuzz.md", &*text), ("de/01-fuzz.md", &*text)];
    let _ = LessonSet::load(Lang::En, files.iter().copied());
    let _ = guestlab_content::lesson::check::check_folder(&files);
});
