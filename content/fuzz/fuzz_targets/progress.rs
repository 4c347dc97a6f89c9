//! The learner's progress as the persisted state and the progress file hold it (RON): any text
//! imports as progress or gives an error with its line, never a panic; what imports exports
//! and imports again as itself. (The app's whole state adds settings around it; its decoder is
//! checked by the proptest in app/tests/persistence.rs, which needs no window toolkit here.)
#![no_main]

use guestlab_content::lesson::progress::Progress;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(progress) = Progress::from_ron(&text) {
        let again = Progress::from_ron(&progress.to_ron());
        // NaN is not equal to itself: compare the texts then.
        match again {
            Ok(again) if again == progress => {}
            Ok(again) => assert_eq!(again.to_ron(), progress.to_ron()),
            Err(err) => panic!("exported progress does not import: {err}"),
        }
    }
});
