//! The small persisted state of the app (settings, last screen, later progress), stored as RON
//! in a [`Store`]: a file on the desktop (written atomically), `localStorage` in the browser.
//!
//! The state carries a `version`. State that cannot be read, or that a newer GuestLab wrote, is
//! never thrown away silently: it is kept aside (desktop: the file is renamed next to itself;
//! web: the value moves to a second key) and the user is told once.

use guestlab_content::Lang;
use serde::{Deserialize, Serialize};

use crate::screens::ScreenId;

/// The `localStorage` key of GuestLab's state on the web.
pub const STATE_KEY: &str = "guestlab";
/// Where an unreadable state is kept on the web (a second `localStorage` key).
pub const UNREADABLE_KEY: &str = "guestlab-unreadable";
/// The version of [`State`] this build writes.
/// Version 2 added `progress` and `lesson_dirs`.
pub const STATE_VERSION: u32 = 2;

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
    /// Black and white with strong outlines (both themes).
    pub high_contrast: bool,
    /// No animations and no fading highlights.
    pub reduce_motion: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self { language: Lang::En, theme: ThemeChoice::System, zoom: 1.0, high_contrast: false, reduce_motion: false }
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
    /// Answers, review cards, streak and exams, by question id.
    pub progress: guestlab_content::lesson::progress::Progress,
    /// Teachers' extra lesson folders (desktop), each with `en/` and `de/` inside.
    pub lesson_dirs: Vec<String>,
}

impl Default for State {
    fn default() -> Self {
        Self {
            version: STATE_VERSION,
            settings: Settings::default(),
            language_chosen: false,
            last_screen: ScreenId::Home,
            last_lesson: None,
            progress: guestlab_content::lesson::progress::Progress::default(),
            lesson_dirs: Vec::new(),
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
    // Version 0 is a state written before versions were recorded: same fields as version 1.
    // Version 1 had no progress and no lesson folders: they start empty (serde defaults).
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

/// Where the state lives between runs.
pub trait Store {
    /// The stored text, if any.
    fn load(&mut self) -> Option<String>;
    /// Replaces the stored text.
    fn save(&mut self, text: &str) -> Result<(), String>;
    /// Moves the stored text out of the way (it could not be used) and says where it went.
    fn keep_aside(&mut self, raw: &str) -> Result<String, String>;
    /// Where the state is saved, for the Settings screen.
    fn location(&self) -> String;
}

/// What [`load`] found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoadResult {
    pub state: Option<State>,
    /// Set when stored data was unusable.
    pub notice: Option<Notice>,
    /// `false` when unusable data could not be moved aside: then it must not be overwritten.
    pub writable: bool,
}

/// Loads the state from `store`. An unusable state is kept aside and reported in the notice.
pub fn load(store: &mut dyn Store) -> LoadResult {
    match decode(store.load().as_deref()) {
        Loaded::Fresh => LoadResult { state: None, notice: None, writable: true },
        Loaded::Restored(state) => LoadResult { state: Some(state), notice: None, writable: true },
        Loaded::Unusable { raw, reason } => match store.keep_aside(&raw) {
            Ok(kept_at) => LoadResult { state: None, notice: Some(Notice { reason, kept_at }), writable: true },
            Err(err) => {
                // Not kept aside: start fresh, but never overwrite what is there.
                log::error!("could not keep the unreadable state aside: {err}");
                LoadResult { state: None, notice: Some(Notice { reason, kept_at: store.location() }), writable: false }
            }
        },
    }
}

/// A store in memory: for tests, and where no other store is available.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    pub text: Option<String>,
    pub aside: Option<String>,
}

impl Store for MemoryStore {
    fn load(&mut self) -> Option<String> {
        self.text.clone()
    }

    fn save(&mut self, text: &str) -> Result<(), String> {
        self.text = Some(text.to_owned());
        Ok(())
    }

    fn keep_aside(&mut self, raw: &str) -> Result<String, String> {
        self.aside = Some(raw.to_owned());
        self.text = None;
        Ok("memory".to_owned())
    }

    fn location(&self) -> String {
        "memory".to_owned()
    }
}

/// The desktop store: one RON file, written atomically (a temporary file, then a rename).
#[cfg(not(target_arch = "wasm32"))]
pub mod native {
    use std::io::Write as _;
    use std::path::{Path, PathBuf};

    use super::Store;

    /// The folder for GuestLab's data: `$XDG_DATA_HOME/guestlab` or `~/.local/share/guestlab` on
    /// Linux, the usual application-data folders elsewhere.
    pub fn data_dir() -> Option<PathBuf> {
        let home = std::env::home_dir();
        if cfg!(target_os = "macos") {
            return home.map(|h| h.join("Library/Application Support/GuestLab"));
        }
        if cfg!(windows) {
            return std::env::var_os("APPDATA").map(|d| PathBuf::from(d).join("GuestLab"));
        }
        std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| home.map(|h| h.join(".local/share")))
            .map(|d| d.join("guestlab"))
    }

    pub struct FileStore {
        path: PathBuf,
        /// Seconds since the Unix epoch, for the name of a file kept aside.
        now_unix_secs: u64,
    }

    impl FileStore {
        pub fn new(path: PathBuf, now_unix_secs: u64) -> Self {
            Self { path, now_unix_secs }
        }

        /// The state file in the default folder (`state.ron`).
        pub fn in_data_dir(now_unix_secs: u64) -> Option<Self> {
            data_dir().map(|dir| Self::new(dir.join("state.ron"), now_unix_secs))
        }

        pub fn path(&self) -> &Path {
            &self.path
        }
    }

    impl Store for FileStore {
        fn load(&mut self) -> Option<String> {
            match std::fs::read(&self.path) {
                // Bytes that are not UTF-8 are still kept aside as unreadable, not lost.
                Ok(bytes) => Some(
                    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
                ),
                Err(_) => None,
            }
        }

        fn save(&mut self, text: &str) -> Result<(), String> {
            let dir = self.path.parent().ok_or("the state file has no folder")?;
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            let mut tmp = self.path.as_os_str().to_owned();
            tmp.push(".tmp");
            let tmp = PathBuf::from(tmp);
            let write = || -> std::io::Result<()> {
                let mut file = std::fs::File::create(&tmp)?;
                file.write_all(text.as_bytes())?;
                file.sync_all()?;
                std::fs::rename(&tmp, &self.path)?;
                // The rename is on disk once the folder is synced too (a folder cannot be
                // opened as a file on Windows: nothing to do there).
                if let Ok(folder) = std::fs::File::open(dir) {
                    let _ = folder.sync_all();
                }
                Ok(())
            };
            write().map_err(|e| format!("{}: {e}", self.path.display()))
        }

        fn keep_aside(&mut self, _raw: &str) -> Result<String, String> {
            let mut aside = self.path.as_os_str().to_owned();
            aside.push(format!(".unreadable-{}", self.now_unix_secs));
            let aside = PathBuf::from(aside);
            std::fs::rename(&self.path, &aside).map_err(|e| format!("{}: {e}", self.path.display()))?;
            Ok(aside.display().to_string())
        }

        fn location(&self) -> String {
            self.path.display().to_string()
        }
    }
}

/// The browser store: `localStorage`.
#[cfg(target_arch = "wasm32")]
pub mod web {
    use super::{STATE_KEY, Store, UNREADABLE_KEY};

    pub struct LocalStore {
        storage: web_sys::Storage,
    }

    impl LocalStore {
        pub fn new() -> Option<Self> {
            let storage = web_sys::window()?.local_storage().ok()??;
            Some(Self { storage })
        }
    }

    impl Store for LocalStore {
        fn load(&mut self) -> Option<String> {
            self.storage.get_item(STATE_KEY).ok().flatten()
        }

        fn save(&mut self, text: &str) -> Result<(), String> {
            self.storage.set_item(STATE_KEY, text).map_err(|e| format!("localStorage: {e:?}"))
        }

        fn keep_aside(&mut self, raw: &str) -> Result<String, String> {
            self.storage.set_item(UNREADABLE_KEY, raw).map_err(|e| format!("localStorage: {e:?}"))?;
            self.storage.remove_item(STATE_KEY).map_err(|e| format!("localStorage: {e:?}"))?;
            Ok(format!("localStorage[\"{UNREADABLE_KEY}\"]"))
        }

        fn location(&self) -> String {
            format!("localStorage[\"{STATE_KEY}\"]")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let state = State {
            settings: Settings {
                language: Lang::De,
                theme: ThemeChoice::Dark,
                zoom: 1.5,
                high_contrast: true,
                reduce_motion: true,
            },
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

    #[test]
    fn a_version_1_state_is_migrated_with_empty_progress() {
        let v1 = "(version: 1, settings: (language: De, theme: Dark, zoom: 1.25), language_chosen: true, last_screen: Exam, last_lesson: Some(\"disk-images\"))";
        let Loaded::Restored(state) = decode(Some(v1)) else {
            panic!("expected restored");
        };
        assert_eq!(state.version, 2);
        assert_eq!(state.last_screen, ScreenId::Exam);
        assert_eq!(state.last_lesson.as_deref(), Some("disk-images"));
        assert_eq!(state.progress, guestlab_content::lesson::progress::Progress::default());
        assert_eq!(state.lesson_dirs, Vec::<String>::new());
    }

    #[test]
    fn progress_survives_encoding() {
        let mut state = State::default();
        state.progress.record("kvm-device", true, Some(guestlab_content::lesson::review::Rating::Good), 20_000, 30);
        state.progress.exam_date = Some(20_050);
        state.lesson_dirs.push("/srv/lessons".into());
        assert_eq!(decode(Some(&encode(&state))), Loaded::Restored(state));
    }

    #[test]
    fn load_keeps_an_unusable_state_aside() {
        let mut store = MemoryStore { text: Some("broken(".into()), aside: None };
        let LoadResult { state, notice, writable } = load(&mut store);
        assert_eq!(state, None);
        assert!(writable);
        let notice = notice.expect("notice");
        assert!(matches!(notice.reason, Unusable::Unreadable(_)));
        assert_eq!(notice.kept_at, "memory");
        assert_eq!(store.aside.as_deref(), Some("broken("));
        assert_eq!(store.text, None);
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn the_file_store_writes_atomically_and_renames_an_unreadable_file() {
        use native::FileStore;
        let dir = std::env::temp_dir().join(format!("guestlab-persist-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        let file = dir.join("sub").join("state.ron");
        let mut store = FileStore::new(file.clone(), 1234);

        // Nothing yet; saving creates the folder and leaves no temporary file behind.
        assert_eq!(load(&mut store), LoadResult { state: None, notice: None, writable: true });
        let state = State { language_chosen: true, ..State::default() };
        store.save(&encode(&state)).expect("save");
        assert!(!dir.join("sub").join("state.ron.tmp").exists());
        assert_eq!(load(&mut store), LoadResult { state: Some(state), notice: None, writable: true });

        // A file that is not RON is renamed next to itself.
        std::fs::write(&file, "this is not ron").expect("write");
        let LoadResult { state, notice, .. } = load(&mut store);
        assert_eq!(state, None);
        let aside = dir.join("sub").join("state.ron.unreadable-1234");
        assert_eq!(notice.expect("notice").kept_at, aside.display().to_string());
        assert!(!file.exists());
        assert_eq!(std::fs::read_to_string(&aside).expect("kept"), "this is not ron");

        // Bytes that are not UTF-8 are unreadable too, and kept.
        std::fs::write(&file, [0xff, 0xfe, 0x00]).expect("write");
        let mut store = FileStore::new(file.clone(), 99);
        assert!(load(&mut store).notice.is_some());
        assert!(dir.join("sub").join("state.ron.unreadable-99").exists());
        std::fs::remove_dir_all(&dir).ok();
    }
}
