//! The saved state on disk: written atomically, migrated from older versions, kept aside when it
//! cannot be read, and never lost to an interrupted write; and any text is decoded without a
//! panic (proptest).

use std::path::PathBuf;

use guestlab::persist::native::FileStore;
use guestlab::persist::{
    LoadResult, Loaded, STATE_VERSION, Settings, State, Store as _, ThemeChoice, Unusable, decode, encode, load,
};
use guestlab::screens::ScreenId;
use guestlab_content::Lang;
use proptest::prelude::*;

/// A fresh folder for one test.
fn folder(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("guestlab-persistence-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp folder");
    dir
}

/// The state file as GuestLab 0.1 with state version 1 wrote it (`ron::ser::to_string_pretty`).
const VERSION_1_FILE: &str = "(
    version: 1,
    settings: (
        language: De,
        theme: Dark,
        zoom: 1.25,
    ),
    language_chosen: true,
    last_screen: LibvirtHost,
    last_lesson: Some(\"disk-images\"),
)";

#[test]
fn a_version_1_file_is_migrated_and_saved_back_as_the_current_version() {
    let dir = folder("v1");
    let path = dir.join("state.ron");
    std::fs::write(&path, VERSION_1_FILE).expect("write");
    let mut store = FileStore::new(path.clone(), 1);
    let LoadResult { state, notice, writable } = load(&mut store);
    assert_eq!((notice, writable), (None, true));
    let state = state.expect("restored");
    let expected = State {
        version: STATE_VERSION,
        settings: Settings { language: Lang::De, theme: ThemeChoice::Dark, zoom: 1.25, ..Settings::default() },
        language_chosen: true,
        last_screen: ScreenId::LibvirtHost,
        last_lesson: Some("disk-images".into()),
        ..State::default()
    };
    assert_eq!(state, expected);
    // Saved again, the file is the current version and reads back the same.
    store.save(&encode(&state)).expect("save");
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains(&format!("version: {STATE_VERSION},")), "{text}");
    assert_eq!(load(&mut store).state, Some(expected));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_temporary_file_left_by_an_interrupted_write_changes_nothing() {
    let dir = folder("interrupted");
    let path = dir.join("state.ron");
    let saved = State { language_chosen: true, last_screen: ScreenId::Exam, ..State::default() };
    std::fs::write(&path, encode(&saved)).expect("write");
    // A crash after the temporary file was begun, before the rename.
    std::fs::write(dir.join("state.ron.tmp"), &encode(&saved)[..20]).expect("write");
    let mut store = FileStore::new(path.clone(), 2);
    assert_eq!(load(&mut store), LoadResult { state: Some(saved.clone()), notice: None, writable: true });
    // The next save replaces both; no temporary file stays behind.
    let next = State { last_screen: ScreenId::Review, ..saved };
    store.save(&encode(&next)).expect("save");
    assert!(!dir.join("state.ron.tmp").exists());
    assert_eq!(load(&mut store).state, Some(next));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_file_cut_off_in_the_middle_is_kept_aside_and_reported() {
    let dir = folder("cut");
    let path = dir.join("state.ron");
    let mut state = State { language_chosen: true, ..State::default() };
    state.progress.record("kvm-device", true, None, 20_000, 12);
    let text = encode(&state);
    let cut = &text[..text.len() / 2];
    std::fs::write(&path, cut).expect("write");
    let mut store = FileStore::new(path.clone(), 77);
    let LoadResult { state: loaded, notice, writable } = load(&mut store);
    assert_eq!((loaded, writable), (None, true));
    let notice = notice.expect("reported");
    assert!(matches!(notice.reason, Unusable::Unreadable(_)), "{notice:?}");
    let aside = dir.join("state.ron.unreadable-77");
    assert_eq!(notice.kept_at, aside.display().to_string());
    assert_eq!(std::fs::read_to_string(&aside).expect("kept"), cut);
    assert!(!path.exists());
    // A fresh state can be saved again in its place.
    store.save(&encode(&State::default())).expect("save");
    assert_eq!(load(&mut store).state, Some(State::default()));
    std::fs::remove_dir_all(&dir).ok();
}

/// A saved state with some progress, cut and mutated.
fn mutated_state() -> impl Strategy<Value = String> {
    let mut state = State { language_chosen: true, last_lesson: Some("cloud-init".into()), ..State::default() };
    state.progress.record("kvm-device", true, None, 20_000, 12);
    state.progress.record("virt-clone-mac", false, None, 20_001, 40);
    let text = encode(&state);
    (any::<prop::sample::Index>(), 0..30usize, "\\PC{0,8}").prop_map(move |(at, len, insert)| {
        let mut at = at.index(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let mut to = (at + len).min(text.len());
        while !text.is_char_boundary(to) {
            to += 1;
        }
        format!("{}{insert}{}", &text[..at], &text[to..])
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// Any stored text is restored, or reported as unusable: never a panic. What is restored
    /// saves and restores to itself.
    #[test]
    fn any_stored_text_decodes_without_a_panic(text in prop_oneof![mutated_state(), "\\PC{0,200}"]) {
        match decode(Some(&text)) {
            Loaded::Restored(state) => {
                prop_assert_eq!(state.version, STATE_VERSION);
                prop_assert_eq!(decode(Some(&encode(&state))), Loaded::Restored(state));
            }
            Loaded::Unusable { raw, .. } => prop_assert_eq!(raw, text),
            Loaded::Fresh => prop_assert!(false, "text is not nothing"),
        }
    }
}
