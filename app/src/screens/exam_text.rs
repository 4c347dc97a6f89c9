//! The texts of the Exam screen in English and German.

pub use super::disk_images_text::T2;

pub const INTRO: T2 = T2 {
    en: "An exam in the LPI format: multiple-choice, fill-in and ordering questions drawn from all lessons, 90 seconds per question, no feedback until you finish. Flag questions to come back to them. The same seed gives the same exam, so a class can sit the same one.",
    de: "Eine Prüfung im LPI-Format: Auswahl-, Lücken- und Reihenfolgefragen aus allen Lektionen, 90 Sekunden pro Frage, Rückmeldung erst am Ende. Markieren Sie Fragen, um später zu ihnen zurückzukehren. Derselbe Seed ergibt dieselbe Prüfung – so kann eine ganze Klasse dieselbe schreiben.",
};
pub const FORMAT: T2 = T2 { en: "Format", de: "Format" };
pub const TOPIC_FORMAT: T2 =
    T2 { en: "20 questions, 30 minutes (this topic)", de: "20 Fragen, 30 Minuten (dieses Thema)" };
pub const FULL_FORMAT: T2 =
    T2 { en: "60 questions, 90 minutes (full LPI length)", de: "60 Fragen, 90 Minuten (volle LPI-Länge)" };
pub const FULL_UNAVAILABLE: T2 =
    T2 { en: "(needs 60 exam questions in the lessons)", de: "(braucht 60 Prüfungsfragen in den Lektionen)" };
pub const SEED: T2 = T2 { en: "Seed", de: "Seed" };
pub const SEED_HINT: T2 = T2 {
    en: "a whole number; give it to your class for the same exam",
    de: "eine ganze Zahl; geben Sie sie Ihrer Klasse für dieselbe Prüfung",
};
pub const SEED_INVALID: T2 = T2 {
    en: "The seed must be a whole number (0 or more).",
    de: "Der Seed muss eine ganze Zahl sein (0 oder größer).",
};
pub const NEW_SEED: T2 = T2 { en: "New seed", de: "Neuer Seed" };
pub const START: T2 = T2 { en: "Start exam", de: "Prüfung beginnen" };
pub const TIME_LEFT: T2 = T2 { en: "Time left", de: "Verbleibende Zeit" };
pub const FLAG: T2 = T2 { en: "Flag for review", de: "Zum Nachprüfen markieren" };
pub const PREVIOUS: T2 = T2 { en: "← Previous", de: "← Zurück" };
pub const NEXT: T2 = T2 { en: "Next →", de: "Weiter →" };
pub const FINISH: T2 = T2 { en: "Finish exam", de: "Prüfung abgeben" };
pub const CONFIRM_FINISH: T2 = T2 { en: "Finish now?", de: "Jetzt abgeben?" };
pub const QUESTION: T2 = T2 { en: "Question", de: "Frage" };
pub const ANSWERED: T2 = T2 { en: "answered", de: "beantwortet" };
pub const UNANSWERED: T2 = T2 { en: "unanswered", de: "unbeantwortet" };
pub const FLAGGED: T2 = T2 { en: "flagged", de: "markiert" };
pub const YES_FINISH: T2 = T2 { en: "Yes, finish", de: "Ja, abgeben" };
pub const KEEP_GOING: T2 = T2 { en: "Keep going", de: "Weitermachen" };
pub const QUESTIONS: T2 = T2 { en: "Questions", de: "Fragen" };
pub const TIME_UP: T2 =
    T2 { en: "Time is up: the exam was handed in.", de: "Die Zeit ist um: Die Prüfung wurde abgegeben." };
pub const SCORE: T2 = T2 { en: "Score", de: "Ergebnis" };
pub const PASSED: T2 = T2 { en: "Passed", de: "Bestanden" };
pub const FAILED: T2 = T2 { en: "Not passed", de: "Nicht bestanden" };
pub const PASS_MARK: T2 = T2 {
    en: "Scale 200–800, pass at 500. LPI does not publish its scaling; GuestLab puts the pass mark at 65 % right.",
    de: "Skala 200–800, bestanden ab 500. LPI veröffentlicht seine Umrechnung nicht; GuestLab setzt die Grenze bei 65 % richtigen Antworten.",
};
pub const RIGHT_OF: T2 = T2 { en: "right of", de: "richtig von" };
pub const BY_LESSON: T2 = T2 { en: "By lesson", de: "Nach Lektion" };
pub const BY_OBJECTIVE: T2 = T2 { en: "By objective", de: "Nach Lernziel" };
pub const REVIEW_ANSWERS: T2 = T2 { en: "Your answers", de: "Ihre Antworten" };
pub const SHOW_ALL: T2 = T2 { en: "All", de: "Alle" };
pub const SHOW_WRONG: T2 = T2 { en: "Wrong", de: "Falsche" };
pub const SHOW_FLAGGED: T2 = T2 { en: "Flagged", de: "Markierte" };
pub const NOTHING_TO_SHOW: T2 = T2 { en: "No question in this list.", de: "Keine Frage in dieser Liste." };
pub const NEW_EXAM: T2 = T2 { en: "New exam", de: "Neue Prüfung" };
pub const TOOK: T2 = T2 { en: "Time taken", de: "Benötigte Zeit" };
