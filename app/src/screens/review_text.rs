//! The texts of the Review screen in English and German.

pub use super::disk_images_text::T2;

pub const INTRO: T2 = T2 {
    en: "Spaced repetition: questions come back just before you would forget them (FSRS scheduler). Answer each one; if you got it right, say how it felt — that sets when it comes back.",
    de: "Verteilte Wiederholung: Fragen kommen kurz vor dem Vergessen wieder (FSRS-Verfahren). Beantworten Sie jede Frage; war die Antwort richtig, geben Sie an, wie sicher Sie waren – davon hängt ab, wann sie wiederkommt.",
};
pub const DUE_TODAY: T2 = T2 { en: "Due today:", de: "Heute fällig:" };
pub const NOTHING_DUE: T2 = T2 {
    en: "Nothing is due. Questions you answer in Practice or in an exam are scheduled here.",
    de: "Nichts ist fällig. Fragen, die Sie beim Üben oder in einer Prüfung beantworten, werden hier eingeplant.",
};
pub const NEXT_DUE: T2 = T2 { en: "Next review:", de: "Nächste Wiederholung:" };
pub const HOW_WAS_IT: T2 = T2 { en: "Right! How did it feel?", de: "Richtig! Wie sicher waren Sie?" };
pub const HARD: T2 = T2 { en: "Hard", de: "Schwer" };
pub const GOOD: T2 = T2 { en: "Good", de: "Gut" };
pub const EASY: T2 = T2 { en: "Easy", de: "Leicht" };
pub const AGAIN_NOTE: T2 =
    T2 { en: "Rated Again: it comes back tomorrow.", de: "Als „Nochmal“ bewertet: Die Frage kommt morgen wieder." };
pub const CONTINUE: T2 = T2 { en: "Continue", de: "Weiter" };
pub const DAYS: T2 = T2 { en: "days", de: "Tage" };
pub const DAY: T2 = T2 { en: "day", de: "Tag" };
pub const EXAM_DATE: T2 = T2 { en: "Exam date", de: "Prüfungstermin" };
pub const EXAM_DATE_HINT: T2 = T2 {
    en: "YYYY-MM-DD. Reviews are pulled forward so that everything comes round again before the exam.",
    de: "JJJJ-MM-TT. Wiederholungen werden vorgezogen, sodass alles vor der Prüfung noch einmal drankommt.",
};
pub const SET: T2 = T2 { en: "Set", de: "Festlegen" };
pub const CLEAR: T2 = T2 { en: "Clear", de: "Entfernen" };
pub const BAD_DATE: T2 =
    T2 { en: "Not a date: write it as 2027-03-15.", de: "Kein gültiges Datum: Schreiben Sie es als 2027-03-15." };
pub const EXAM_IN: T2 = T2 { en: "Your exam is in", de: "Ihre Prüfung ist in" };
pub const DONE_FOR_TODAY: T2 = T2 {
    en: "Done for today. Come back tomorrow, or practise more.",
    de: "Für heute geschafft. Kommen Sie morgen wieder – oder üben Sie weiter.",
};

/// The due count on Home.
pub const HOME_DUE: T2 = T2 { en: "Reviews due today:", de: "Heute fällige Wiederholungen:" };
pub const HOME_REVIEW: T2 = T2 { en: "Start the review", de: "Wiederholung starten" };
