//! The shell parser alone (fast, so it covers many more inputs than `shell`): any text is a
//! script or bash's syntax error, and a script's lines are all in the text.
#![no_main]

use guestlab_content::sim::shell::parse::{ParseError, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    match parse(&text) {
        Ok(script) => {
            for (index, line) in &script.lines {
                assert!(*index <= script.items.len());
                assert!(text.contains(line.trim_end_matches('\n')), "{line:?}");
            }
        }
        Err(ParseError::Incomplete(_) | ParseError::Unexpected(_)) => {}
    }
});
