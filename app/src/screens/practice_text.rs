//! The texts of the Practice screen in English and German.

pub use super::disk_images_text::T2;

pub const SCOPE: T2 = T2 { en: "What to practise", de: "Was Sie üben" };
pub const ALL_LESSONS: T2 = T2 { en: "All lessons", de: "Alle Lektionen" };
pub const ONLY_OPEN: T2 =
    T2 { en: "Only questions not yet answered right", de: "Nur Fragen, die noch nicht richtig beantwortet sind" };
pub const PREVIOUS: T2 = T2 { en: "← Previous", de: "← Zurück" };
pub const SKIP: T2 = T2 { en: "Skip →", de: "Überspringen →" };
pub const NONE_LEFT: T2 = T2 {
    en: "Every question here is answered right. Well done! Switch off the filter to practise them all again.",
    de: "Alle Fragen hier sind richtig beantwortet – sehr gut! Schalten Sie den Filter aus, um alle noch einmal zu üben.",
};
pub const NO_QUESTIONS: T2 = T2 { en: "This lesson has no questions.", de: "Diese Lektion hat keine Fragen." };
pub const SESSION: T2 = T2 { en: "This session:", de: "In dieser Sitzung:" };
pub const RIGHT_OF: T2 = T2 { en: "right of", de: "richtig von" };
pub const INTRO: T2 = T2 {
    en: "Answer, check, read the explanation, and follow the link into the lesson when something is unclear. Each answer you check counts towards your progress and your review schedule; a try after \"Try again\" is practice only.",
    de: "Antworten, prüfen, Erklärung lesen – und bei Unklarheiten dem Link in die Lektion folgen. Jede geprüfte Antwort zählt für Ihren Fortschritt und Ihren Wiederholungsplan; ein Versuch nach „Noch einmal“ ist nur Übung.",
};
