//! The texts of the classroom and browser features in English and German: presenter mode, the
//! Share button, the update notice, the accessibility settings and the keyboard hints.

use guestlab_content::Lang;

/// A text in both languages.
pub struct T2 {
    pub en: &'static str,
    pub de: &'static str,
}

impl T2 {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::De => self.de,
        }
    }
}

// Top bar
pub const PRESENTER: T2 = T2 { en: "Presenter (F5)", de: "Präsentation (F5)" };
pub const PRESENTER_HINT: T2 = T2 {
    en: "Presenter mode: a larger UI for a projector, answers hidden until revealed, and the simulator's guided scenario one step per key press",
    de: "Präsentationsmodus: größere Oberfläche für den Beamer, Antworten verborgen bis zum Aufdecken, und das geführte Szenario des Simulators Schritt für Schritt per Taste",
};
pub const SHARE: T2 = T2 { en: "Share link", de: "Link teilen" };
pub const SHARE_HINT: T2 = T2 {
    en: "Copies a link to this view; in a simulator the link also carries the commands run so far",
    de: "Kopiert einen Link auf diese Ansicht; in einem Simulator enthält der Link auch die bisher ausgeführten Befehle",
};
pub const LINK_COPIED: T2 = T2 { en: "Link copied:", de: "Link kopiert:" };
pub const LINK_COPIED_COMMANDS: T2 = T2 { en: "commands of the lab in the link:", de: "Befehle des Labors im Link:" };
pub const DISMISS: T2 = T2 { en: "Dismiss", de: "Schließen" };
pub const UPDATED: T2 =
    T2 { en: "GuestLab was updated to a new version.", de: "GuestLab wurde auf eine neue Version aktualisiert." };
pub const UPDATE_READY: T2 = T2 {
    en: "A new version of GuestLab is ready: it is used from the next load.",
    de: "Eine neue Version von GuestLab steht bereit: Sie wird ab dem nächsten Laden verwendet.",
};
pub const RELOAD_NOW: T2 = T2 { en: "Reload now", de: "Jetzt neu laden" };
pub const LINK_NOT_OPENED: T2 =
    T2 { en: "This link could not be opened:", de: "Dieser Link ließ sich nicht öffnen:" };
pub const REPLAYED: T2 = T2 { en: "Replayed the commands of the link:", de: "Befehle aus dem Link nachgespielt:" };

// Presenter panel
pub const STEP: T2 = T2 { en: "Step", de: "Schritt" };
pub const READY: T2 = T2 {
    en: "Press → or Space to start. The simulator starts over from a fresh host.",
    de: "→ oder Leertaste startet. Der Simulator fängt mit einem frischen Host neu an.",
};
pub const NEXT: T2 = T2 { en: "Next ▶", de: "Weiter ▶" };
pub const BACK: T2 = T2 { en: "◀ Back", de: "◀ Zurück" };
pub const RESTART: T2 = T2 { en: "Start over", de: "Von vorn" };
pub const RAN: T2 = T2 { en: "Ran in the terminal:", de: "Im Terminal ausgeführt:" };
pub const FINISHED: T2 = T2 { en: "The end of the scenario.", de: "Ende des Szenarios." };
pub const KEYS: T2 = T2 {
    en: "→ Space PageDown: next · ← PageUp: back · F5: leave presenter mode",
    de: "→ Leertaste Bild↓: weiter · ← Bild↑: zurück · F5: Präsentation beenden",
};
pub const NO_SCENARIO: T2 = T2 {
    en: "Presenter mode: the simulators libvirt host, Disk images and Machine ID & cloning have a guided scenario to play here.",
    de: "Präsentationsmodus: Die Simulatoren libvirt-Host, Plattenabbilder und Machine-ID & Klonen haben ein geführtes Szenario, das hier abgespielt wird.",
};

// Settings
pub const ACCESSIBILITY: T2 = T2 { en: "Accessibility", de: "Barrierefreiheit" };
pub const HIGH_CONTRAST: T2 = T2 { en: "High contrast", de: "Hoher Kontrast" };
pub const REDUCE_MOTION: T2 = T2 { en: "Reduce motion", de: "Bewegung reduzieren" };
pub const ACCESSIBILITY_HINT: T2 = T2 {
    en: "High contrast: black and white with strong outlines. Reduce motion: no animations, no fading highlights. Tab moves between controls, Space or Enter presses the focused one, T puts the cursor in a simulator's terminal, Esc leaves it.",
    de: "Hoher Kontrast: Schwarz und Weiß mit kräftigen Umrissen. Bewegung reduzieren: keine Animationen, keine verblassenden Markierungen. Tab wechselt zwischen Bedienelementen, Leertaste oder Eingabe betätigt das markierte, T setzt den Cursor ins Terminal eines Simulators, Esc verlässt es.",
};
pub const ANSWER: T2 = T2 { en: "Answer", de: "Antwort" };
pub const CORRECT: T2 = T2 { en: "correct.", de: "richtig." };
pub const WRONG: T2 = T2 { en: "not correct.", de: "nicht richtig." };
pub const TERMINAL_NAME: T2 = T2 { en: "Terminal input", de: "Terminal-Eingabe" };
pub const TERMINAL_KEY: T2 = T2 { en: "T: type here · Esc: leave", de: "T: hier tippen · Esc: verlassen" };

pub const TERMINAL_ON: T2 = T2 { en: "Terminal on:", de: "Terminal auf:" };
pub const HOST_TAB: T2 = T2 { en: "host", de: "Host" };
