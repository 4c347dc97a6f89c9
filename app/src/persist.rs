//! The small persisted state of the app (settings, last screen, later progress), stored as RON
//! through eframe's storage: a file on the desktop, `localStorage` in the browser.
//!
//! The state carries a `version`. State that cannot be read, or that a newer GuestLab wrote, is
//! never thrown away silently: it is kept aside (desktop: the storage file is renamed next to
//! itself; web: the value moves to a second key) and the user is told once.

use guestlab_content::Lang;
use serde::{Deserialize, Serialize};

use crate::screens::ScreenId;

/// The storage key of GuestLab's state (on the web, the `localStorage` key).
pub const STATE_KEY: &str = "guestlab";
/// Where an unreadable state is kept on the web (a second `localStorage` key).
pub const UNREADABLE_KEY: &str = "guestlab-unreadable";
/// The version of [`State`] this build writes.
pub const STATE_VERSION: u32 = 1;

/// Light, dark, or whatever the system prefers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [Self; 3] = [Self::System, Self::Light, Self::Dark];

    pub fn preference(self) -> egui::ThemePreference {
        match self {
            Self::System => egui::ThemePreference::System,
            Self::Light => egui::ThemePreference::Light,
            Self::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// User settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub language: Lang,
    pub theme: ThemeChoice,
    /// egui's zoom factor (1.0 = 100 %).
    pub zoom: f32,
}

impl Default for Settings {
    fn default() -> Self {
        Self { language: Lang::En, theme: ThemeChoice::System, zoom: 1.0 }
    }
}

/// Everything GuestLab remembers between runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct State {
    pub version: u32,
    pub settings: Settings,
    /// `false` until the learner has confirmed the language on the first start.
    pub language_chosen: bool,
    pub last_screen: ScreenId,
    /// The id of the lesson open in the Lessons screen.
    pub last_lesson: Option<String>,
}

impl Default for State {
    fn default() -> Self {
        Self {
            version: STATE_VERSION,
            settings: Settings::default(),
            language_chosen: false,
            last_screen: ScreenId::Home,
            last_lesson: None,
        }
    }
}

/// The result of reading the stored state.
#[derive(Clone, Debug, PartialEq)]
pub enum Loaded {
    /// Nothing stored: a first start.
    Fresh,
    /// A state that this build understands (migrated if it was older).
    Restored(State),
    /// Stored text that cannot be used; it must be kept aside and the user told.
    Unusable { raw: String, reason: Unusable },
}

/// Why a stored state cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unusable {
    /// Not RON of the expected shape; the parser's message.
    Unreadable(String),
    /// Written by a newer GuestLab.
    Newer(u32),
}

/// Only the version, read first so that a newer or older layout can be recognised.
#[derive(Deserialize)]
struct VersionProbe {
    #[serde(default)]
    version: u32,
}

/// Decodes a stored state string.
pub fn decode(raw: Option<&str>) -> Loaded {
    let Some(raw) = raw else {
        return Loaded::Fresh;
    };
    let unusable = |reason| Loaded::Unusable { raw: raw.to_owned(), reason };
    let version = match ron::from_str::<VersionProbe>(raw) {
        Ok(probe) => probe.version,
        Err(err) => return unusable(Unusable::Unreadable(err.to_string())),
    };
    if version > STATE_VERSION {
        return unusable(Unusable::Newer(version));
    }
    match ron::from_str::<State>(raw) {
        Ok(state) => Loaded::Restored(migrate(state, version)),
        Err(err) => unusable(Unusable::Unreadable(err.to_string())),
    }
}

/// Brings a state written by an older version up to [`STATE_VERSION`].
fn migrate(mut state: State, from: u32) -> State {
    // Version 0 is a state written before versions were recorded: same fields.
    if from < STATE_VERSION {
        state.version = STATE_VERSION;
    }
    state
}

/// Encodes the state for storage.
pub fn encode(state: &State) -> String {
    ron::ser::to_string_pretty(state, ron::ser::PrettyConfig::default()).unwrap_or_else(|err| {
        log::error!("could not encode the state: {err}");
        String::new()
    })
}

/// A message for the user about stored data that was kept aside.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub reason: Unusable,
    /// Where the old data now is: a file path, or a `localStorage` key.
    pub kept_at: String,
}

/// Keeps an unusable state aside inside the storage itself (the web's second key).
pub fn keep_aside_in_storage(storage: &mut dyn eframe::Storage, raw: String, reason: Unusable) -> Notice {
    storage.set_string(UNREADABLE_KEY, raw);
    storage.remove_string(STATE_KEY);
    storage.flush();
    Notice { reason, kept_at: format!("localStorage[\"{UNREADABLE_KEY}\"]") }
}

/// The desktop side: the storage file is checked before eframe opens it, because eframe would
/// silently replace a file it cannot parse.
#[cfg(not(target_arch = "wasm32"))]
pub mod native {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};

    use super::{Loaded, Notice, STATE_KEY, Unusable, decode};

    /// The app id; eframe derives the storage folder from it.
    pub const APP_ID: &str = "guestlab";

    /// The file eframe keeps its key-value store in (`~/.local/share/guestlab/app.ron`).
    pub fn storage_file() -> Option<PathBuf> {
        eframe::storage_dir(APP_ID).map(|dir| dir.join("app.ron"))
    }

    /// Checks the storage file; if it or GuestLab's state in it cannot be used, renames it to
    /// `app.ron.unreadable-SECONDS` next to itself and says so.
    pub fn rescue(file: &Path, now_unix_secs: u64) -> Option<Notice> {
        let text = std::fs::read_to_string(file).ok()?;
        let reason = match ron::from_str::<HashMap<String, String>>(&text) {
            Err(err) => Unusable::Unreadable(err.to_string()),
            Ok(map) => match decode(map.get(STATE_KEY).map(String::as_str)) {
                Loaded::Unusable { reason, .. } => reason,
                Loaded::Fresh | Loaded::Restored(_) => return None,
            },
        };
        let mut aside = file.as_os_str().to_owned();
        aside.push(format!(".unreadable-{now_unix_secs}"));
        let aside = PathBuf::from(aside);
        match std::fs::rename(file, &aside) {
            Ok(()) => Some(Notice { reason, kept_at: aside.display().to_string() }),
            Err(err) => {
                log::error!("could not keep the unreadable state file aside: {err}");
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let state = State {
            settings: Settings { language: Lang::De, theme: ThemeChoice::Dark, zoom: 1.5 },
            language_chosen: true,
            last_screen: ScreenId::Settings,
            last_lesson: Some("guests-and-hypervisors".into()),
            ..State::default()
        };
        assert_eq!(decode(Some(&encode(&state))), Loaded::Restored(state));
    }

    #[test]
    fn nothing_stored_is_a_first_start() {
        assert_eq!(decode(None), Loaded::Fresh);
    }

    #[test]
    fn garbage_is_unreadable_and_kept() {
        let Loaded::Unusable { raw, reason: Unusable::Unreadable(msg) } = decode(Some("(version: 1, settings: ("))
        else {
            panic!("expected unreadable");
        };
        assert_eq!(raw, "(version: 1, settings: (");
        assert!(!msg.is_empty());
    }

    #[test]
    fn wrong_shape_is_unreadable() {
        let loaded = decode(Some("(version: 1, last_screen: NoSuchScreen)"));
        assert!(matches!(loaded, Loaded::Unusable { reason: Unusable::Unreadable(_), .. }), "{loaded:?}");
    }

    #[test]
    fn newer_version_is_kept_not_used() {
        assert_eq!(
            decode(Some("(version: 7, future_field: 3)")),
            Loaded::Unusable { raw: "(version: 7, future_field: 3)".into(), reason: Unusable::Newer(7) }
        );
    }

    #[test]
    fn older_state_without_version_is_migrated() {
        let Loaded::Restored(state) = decode(Some("(settings: (language: De), language_chosen: true)")) else {
            panic!("expected restored");
        };
        assert_eq!(state.version, STATE_VERSION);
        assert_eq!(state.settings.language, Lang::De);
        assert_eq!(state.settings.zoom, 1.0);
    }

    #[derive(Default)]
    struct MemStorage(std::collections::HashMap<String, String>);
    impl eframe::Storage for MemStorage {
        fn get_string(&self, key: &str) -> Option<String> {
            self.0.get(key).cloned()
        }
        fn set_string(&mut self, key: &str, value: String) {
            self.0.insert(key.to_owned(), value);
        }
        fn remove_string(&mut self, key: &str) {
            self.0.remove(key);
        }
        fn flush(&mut self) {}
    }

    #[test]
    fn web_keeps_unreadable_state_under_a_second_key() {
        let mut storage = MemStorage::default();
        storage.0.insert(STATE_KEY.into(), "broken(".into());
        let notice = keep_aside_in_storage(&mut storage, "broken(".into(), Unusable::Unreadable("x".into()));
        assert_eq!(storage.0.get(UNREADABLE_KEY).map(String::as_str), Some("broken("));
        assert_eq!(storage.0.get(STATE_KEY), None);
        assert_eq!(notice.kept_at, "localStorage[\"guestlab-unreadable\"]");
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn desktop_renames_an_unreadable_file_next_to_itself() {
        let dir = std::env::temp_dir().join(format!("guestlab-persist-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("app.ron");

        // A good file is left alone.
        let good =
            ron::to_string(&std::collections::HashMap::from([(STATE_KEY.to_owned(), encode(&State::default()))]))
                .expect("encode map");
        std::fs::write(&file, &good).expect("write");
        assert_eq!(native::rescue(&file, 1), None);
        assert!(file.exists());

        // A file that is not RON at all is renamed.
        std::fs::write(&file, "this is not ron").expect("write");
        let notice = native::rescue(&file, 1234).expect("renamed");
        let aside = dir.join("app.ron.unreadable-1234");
        assert_eq!(notice.kept_at, aside.display().to_string());
        assert!(!file.exists());
        assert_eq!(std::fs::read_to_string(&aside).expect("kept"), "this is not ron");

        // A readable file whose GuestLab entry is broken is renamed too.
        let bad_entry = ron::to_string(&std::collections::HashMap::from([(
            STATE_KEY.to_owned(),
            "(version: 1, settings: 5)".to_owned(),
        )]))
        .expect("encode map");
        std::fs::write(&file, &bad_entry).expect("write");
        assert!(native::rescue(&file, 99).is_some());
        assert!(dir.join("app.ron.unreadable-99").exists());

        // No file: nothing to do.
        assert_eq!(native::rescue(&dir.join("missing.ron"), 1), None);
        std::fs::remove_dir_all(&dir).ok();
    }
}
