//! The texts of the Progress screen in English and German.

use guestlab_content::Lang;

pub use super::disk_images_text::T2;

pub const STREAK: T2 = T2 { en: "Streak", de: "Serie" };
pub const DAYS: T2 = T2 { en: "days in a row", de: "Tage in Folge" };
pub const DAY: T2 = T2 { en: "day in a row", de: "Tag in Folge" };
pub const TIME_SPENT: T2 = T2 { en: "Time answering", de: "Zeit mit Fragen" };
pub const ANSWERED: T2 = T2 { en: "Answered", de: "Beantwortet" };
pub const RIGHT: T2 = T2 { en: "Right", de: "Richtig" };
pub const DUE: T2 = T2 { en: "Due", de: "Fällig" };
pub const TIME: T2 = T2 { en: "Time", de: "Zeit" };
pub const LESSON: T2 = T2 { en: "Lesson", de: "Lektion" };
pub const OBJECTIVE: T2 = T2 { en: "Objective", de: "Lernziel" };
pub const BY_LESSON: T2 = T2 { en: "By lesson", de: "Nach Lektion" };
pub const BY_OBJECTIVE: T2 = T2 { en: "By LPI objective", de: "Nach LPI-Lernziel" };
pub const EXAMS: T2 = T2 { en: "Exams", de: "Prüfungen" };
pub const NO_EXAMS: T2 = T2 { en: "No exam taken yet.", de: "Noch keine Prüfung abgelegt." };
pub const DATE: T2 = T2 { en: "Date", de: "Datum" };
pub const SCORE: T2 = T2 { en: "Score", de: "Ergebnis" };
pub const SEED: T2 = T2 { en: "Seed", de: "Seed" };
pub const REVIEW_NOW: T2 = T2 { en: "Review now", de: "Jetzt wiederholen" };
pub const MOVE: T2 = T2 { en: "Move your progress", de: "Fortschritt mitnehmen" };
pub const MOVE_HINT: T2 = T2 {
    en: "Save your progress as a file and load it on another computer or in the browser (the file is plain RON text).",
    de: "Speichern Sie Ihren Fortschritt als Datei und laden Sie ihn auf einem anderen Rechner oder im Browser wieder (die Datei ist einfacher RON-Text).",
};
#[cfg_attr(target_arch = "wasm32", expect(dead_code, reason = "the desktop build uses it"))]
pub const FILE: T2 = T2 { en: "File", de: "Datei" };
#[cfg_attr(target_arch = "wasm32", expect(dead_code, reason = "the desktop build uses it"))]
pub const SAVE: T2 = T2 { en: "Save progress to file", de: "Fortschritt in Datei speichern" };
#[cfg_attr(target_arch = "wasm32", expect(dead_code, reason = "the desktop build uses it"))]
pub const LOAD: T2 = T2 { en: "Load progress from file", de: "Fortschritt aus Datei laden" };
#[cfg_attr(not(target_arch = "wasm32"), expect(dead_code, reason = "the web build uses it"))]
pub const DOWNLOAD: T2 = T2 { en: "Download progress file", de: "Fortschrittsdatei herunterladen" };
#[cfg_attr(not(target_arch = "wasm32"), expect(dead_code, reason = "the web build uses it"))]
pub const IMPORT: T2 = T2 { en: "Import progress file…", de: "Fortschrittsdatei importieren …" };
pub const REPLACES: T2 = T2 {
    en: "Loading replaces the progress on this device.",
    de: "Beim Laden wird der Fortschritt auf diesem Gerät ersetzt.",
};
#[cfg_attr(target_arch = "wasm32", expect(dead_code, reason = "the desktop build uses it"))]
pub const SAVED: T2 = T2 { en: "Saved to", de: "Gespeichert in" };
pub const REPLACE: T2 = T2 { en: "Replace", de: "Ersetzen" };
pub const KEEP: T2 = T2 { en: "Keep this device's progress", de: "Fortschritt auf diesem Gerät behalten" };
pub const KEPT: T2 = T2 {
    en: "Nothing loaded: this device's progress is kept.",
    de: "Nichts geladen: Der Fortschritt auf diesem Gerät bleibt.",
};

/// The question before a file's progress replaces this device's: (questions, exams) of each.
pub fn replace_question(lang: Lang, name: &str, file: (usize, usize), here: (usize, usize)) -> String {
    match lang {
        Lang::En => format!(
            "Replace the progress on this device (questions: {}, exams: {}) with the one in {name} (questions: {}, exams: {})?",
            here.0, here.1, file.0, file.1
        ),
        Lang::De => format!(
            "Den Fortschritt auf diesem Gerät (Fragen: {}, Prüfungen: {}) durch den aus {name} (Fragen: {}, Prüfungen: {}) ersetzen?",
            here.0, here.1, file.0, file.1
        ),
    }
}
pub const LOADED: T2 = T2 { en: "Progress loaded from", de: "Fortschritt geladen aus" };
#[cfg_attr(target_arch = "wasm32", expect(dead_code, reason = "the desktop build uses it"))]
pub const CANNOT_READ: T2 = T2 { en: "Cannot read", de: "Lesen nicht möglich:" };
pub const CANNOT_WRITE: T2 = T2 { en: "Cannot write", de: "Schreiben nicht möglich:" };
pub const NOT_PROGRESS: T2 =
    T2 { en: "This is not a GuestLab progress file:", de: "Das ist keine GuestLab-Fortschrittsdatei:" };
