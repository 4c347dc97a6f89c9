//! `guestlab lessons check DIR`: the shipped lessons pass, a folder of broken lessons fails with
//! every problem as `DIR/file:line:column: message` on stderr.

use std::process::Command;

fn check(dir: &str) -> (String, String, i32) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../").to_owned() + dir;
    let out = Command::new(env!("CARGO_BIN_EXE_guestlab"))
        .args(["lessons", "check", &dir])
        .output()
        .expect("the guestlab binary runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn the_shipped_lessons_pass() {
    let (out, err, status) = check("lessons");
    assert_eq!((status, err.as_str()), (0, ""));
    assert!(out.starts_with("en: "), "{out}");
    assert!(out.ends_with("; no errors\n"), "{out}");
}

#[test]
fn broken_lessons_fail_with_file_line_column() {
    let (out, err, status) = check("content/tests/fixtures/broken");
    assert_eq!(status, 1);
    assert_eq!(out, "en: 2 lessons, 3 questions; de: 1 lesson, 3 questions; 13 errors\n");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 13, "{err}");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../content/tests/fixtures/broken");
    assert_eq!(lines[9], format!("{dir}/en/02-beta.md:15:5: quiz: Expected comma"));
    assert_eq!(
        lines[10],
        format!("{dir}/en/02-beta.md:20:64: answer 4 does not exist: the options are numbered 1 to 3")
    );
}

#[test]
fn a_folder_without_lessons_is_an_error() {
    let (out, err, status) = check("assets");
    assert_eq!((status, out.as_str()), (2, ""));
    assert!(err.starts_with("guestlab: no lesson files in "), "{err}");
}
