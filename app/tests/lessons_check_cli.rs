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

/// A teacher's folder is checked as the app loads it, beside the built-in lessons: a link to a
/// built-in lesson is fine, a question id a built-in lesson uses already is an error.
#[test]
fn a_teachers_folder_is_checked_beside_the_built_in_lessons() {
    let dir = std::env::temp_dir().join(format!("guestlab-teacher-check-{}", std::process::id()));
    for (lang, title, question) in [("en", "My course", "Which file?"), ("de", "Mein Kurs", "Welche Datei?")] {
        std::fs::create_dir_all(dir.join(lang)).unwrap();
        let lesson = format!(
            r#"+++
(id: "my-course", title: "{title}", order: 20, objectives: ["102.6"])
+++
# Start {{#start}}

[Machine ID](lesson:machine-id-and-cloning#machine-id)

```quiz
[
    Single(id: "my-question", question: "{question}", options: ["/etc/machine-id", "/etc/hostid"], answer: 1, explanation: "-"),
    Single(id: "machine-id-format", question: "{question}", options: ["a", "b"], answer: 1, explanation: "-"),
]
```
"#
        );
        std::fs::write(dir.join(lang).join("20-my-course.md"), lesson).unwrap();
    }
    let out = Command::new(env!("CARGO_BIN_EXE_guestlab"))
        .args(["lessons", "check"])
        .arg(&dir)
        .output()
        .expect("the guestlab binary runs");
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert_eq!(stdout, "en: 1 lesson, 1 question; de: 1 lesson, 1 question; 2 errors\n");
    for lang in ["en", "de"] {
        let file = format!("{}/{lang}/20-my-course.md", dir.display());
        let line =
            stderr.lines().find(|l| l.starts_with(&file)).unwrap_or_else(|| panic!("no error in {file}: {stderr}"));
        assert!(line.contains("machine-id-format"), "{line}");
    }
    assert!(!stderr.contains("lesson:machine-id-and-cloning"), "a link to a built-in lesson was flagged: {stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
