//! The texts of the quiz widget in English and German.

use guestlab_content::Lang;

/// One text in both languages.
#[derive(Clone, Copy, Debug)]
pub struct Txt {
    pub en: &'static str,
    pub de: &'static str,
}

impl Txt {
    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::De => self.de,
        }
    }
}

pub const SUBMIT: Txt = Txt { en: "Check answer", de: "Antwort prüfen" };
pub const RETRY: Txt = Txt { en: "Try again", de: "Noch einmal" };
pub const NEXT: Txt = Txt { en: "Next question", de: "Nächste Frage" };
pub const RIGHT: Txt = Txt { en: "√ Right", de: "√ Richtig" };
pub const WRONG: Txt = Txt { en: "× Not right", de: "× Leider falsch" };
pub const UNANSWERED: Txt = Txt { en: "× Not answered", de: "× Nicht beantwortet" };
pub const YOUR_ANSWER: Txt = Txt { en: "Your answer", de: "Ihre Antwort" };
pub const TYPE_HERE: Txt = Txt { en: "type your answer, then Enter", de: "Antwort eingeben, dann Enter" };
pub const ACCEPTED: Txt = Txt { en: "Accepted answers:", de: "Richtig wäre:" };
pub const RIGHT_ORDER: Txt = Txt { en: "The right order:", de: "Die richtige Reihenfolge:" };
pub const CHOOSE: Txt = Txt { en: "Choose", de: "Wählen Sie" };
pub const CHOSEN: Txt = Txt { en: "chosen", de: "gewählt" };
pub const MOVE_UP: Txt = Txt { en: "Move up", de: "Nach oben" };
pub const MOVE_DOWN: Txt = Txt { en: "Move down", de: "Nach unten" };
pub const ORDER_HINT: Txt = Txt {
    en: "Drag the steps into order, or use the arrow buttons.",
    de: "Ziehen Sie die Schritte in die richtige Reihenfolge oder verschieben Sie sie mit den Pfeil-Schaltflächen.",
};
pub const OPEN_SIM: Txt = Txt { en: "Open the simulator", de: "Simulator öffnen" };
pub const CHECK_WORLD: Txt = Txt { en: "Check", de: "Prüfen" };
pub const TASK_HINT: Txt = Txt {
    en: "Do the task in the simulator, then come back and press Check: GuestLab looks at the simulated machines, not at what you typed.",
    de: "Erledigen Sie die Aufgabe im Simulator, kommen Sie hierher zurück und klicken Sie auf „Prüfen“: GuestLab schaut sich die simulierten Maschinen an, nicht das, was Sie getippt haben.",
};
pub const TASK_DONE: Txt =
    Txt { en: "√ Done: the simulated world shows it.", de: "√ Geschafft: Die simulierte Welt zeigt es." };
pub const TASK_NOT_YET: Txt = Txt {
    en: "× Not yet: the simulated world does not show it.",
    de: "× Noch nicht: In der simulierten Welt ist davon nichts zu sehen.",
};
pub const TASK_CHECKED: Txt =
    Txt { en: "Checked: the result is recorded.", de: "Geprüft: Das Ergebnis ist festgehalten." };
pub const TASK_PENDING: Txt = Txt {
    en: "This task's simulator is not built yet, so it cannot be graded.",
    de: "Der Simulator für diese Aufgabe ist noch nicht fertig; sie kann noch nicht bewertet werden.",
};
pub const TASK_UNTOUCHED: Txt = Txt {
    en: "Nothing has been typed in the simulator yet: open it, do the task, then check (this did not count).",
    de: "Im Simulator wurde noch nichts eingegeben: Öffnen Sie ihn, lösen Sie die Aufgabe und prüfen Sie dann (das zählte nicht).",
};
pub const READ_MORE: Txt = Txt { en: "Read in the lesson:", de: "In der Lektion nachlesen:" };
pub const KEYS: Txt = Txt {
    en: "Keys: 1–9 pick an answer · Enter checks · N goes on",
    de: "Tasten: 1–9 wählen eine Antwort · Enter prüft · N geht weiter",
};
pub const EXAM_KEYS: Txt = Txt { en: "Keys: 1–9 pick an answer", de: "Tasten: 1–9 wählen eine Antwort" };
/// The keys of a question without numbered options (fill in, order, simulator task).
pub const KEYS_NO_OPTIONS: Txt =
    Txt { en: "Keys: Enter checks · N goes on", de: "Tasten: Enter prüft · N geht weiter" };
