use super::*;
use crate::Lang;
use crate::lesson::{Block, parse_lesson};

const FRONT: &str = "+++\n(id: \"q\", title: \"Q\", order: 1)\n+++\n";

/// A lesson with one section and `quiz` as its only quiz block; the block's RON starts on line 8.
fn lesson_with(quiz: &str) -> String {
    let newline = if quiz.ends_with('\n') { "" } else { "\n" };
    format!("{FRONT}# Q {{#sec}}\n\nText.\n```quiz\n{quiz}{newline}```\n")
}

fn problems(quiz: &str) -> Vec<String> {
    let lesson = parse_lesson("en/01-q.md", Lang::En, &lesson_with(quiz)).expect("front matter is fine");
    lesson.problems.iter().map(ToString::to_string).collect()
}

fn one(quiz: &str) -> Question {
    let lesson = parse_lesson("en/01-q.md", Lang::En, &lesson_with(quiz)).expect("front matter is fine");
    assert_eq!(lesson.problems, vec![], "no problems expected");
    assert_eq!(lesson.questions.len(), 1);
    lesson.questions[0].clone()
}

const SINGLE: &str = r#"Single(
    id: "kvm-device",
    objective: "102.6",
    question: "Through which device does QEMU use KVM?",
    options: ["/dev/kvm", "/dev/vhost-net", "/proc/kvm"],
    answer: 1,
    explanation: "QEMU opens /dev/kvm.",
)
"#;

#[test]
fn single_choice_parses_and_grades() {
    let q = one(SINGLE);
    assert_eq!(q.id, "kvm-device");
    assert_eq!(q.section, "sec");
    assert_eq!(q.position, Position { line: 8, column: 1 });
    assert_eq!(q.objective.as_deref(), Some("102.6"));
    assert_eq!(q.text, "Through which device does QEMU use KVM?");
    assert_eq!(q.explanation, "QEMU opens /dev/kvm.");
    assert_eq!(
        q.kind,
        QuestionKind::Single {
            options: vec!["/dev/kvm".into(), "/dev/vhost-net".into(), "/proc/kvm".into()],
            correct: 0
        }
    );
    assert!(q.grade(&Answer::Single(0)));
    assert!(!q.grade(&Answer::Single(1)));
    assert!(!q.grade(&Answer::Single(7)));
    assert!(!q.grade(&Answer::Multiple(vec![0])), "an answer of another kind is wrong");
}

#[test]
fn multiple_choice_needs_exactly_the_right_set() {
    let q = one(
        r#"Multiple(id: "m", question: "Which two?", choose: 2, options: ["a", "b", "c", "d"], answer: [3, 1], explanation: "e")"#,
    );
    assert_eq!(
        q.kind,
        QuestionKind::Multiple { options: vec!["a".into(), "b".into(), "c".into(), "d".into()], correct: vec![0, 2] }
    );
    assert!(q.grade(&Answer::Multiple(vec![2, 0])));
    assert!(q.grade(&Answer::Multiple(vec![0, 2, 2])), "a repeated click counts once");
    assert!(!q.grade(&Answer::Multiple(vec![0])));
    assert!(!q.grade(&Answer::Multiple(vec![0, 2, 3])));
    assert!(!q.grade(&Answer::Multiple(vec![1, 3])));
}

#[test]
fn blanks_normalise_whitespace_and_respect_case() {
    let q = one(
        r#"Blank(id: "b", question: "Create the file if missing: ___", accept: ["dbus-uuidgen --ensure", "dbus-uuidgen --ensure=/var/lib/dbus/machine-id"], explanation: "e")"#,
    );
    assert_eq!(
        q.kind,
        QuestionKind::Blank {
            accept: vec!["dbus-uuidgen --ensure".into(), "dbus-uuidgen --ensure=/var/lib/dbus/machine-id".into()],
            case_sensitive: true
        }
    );
    assert!(q.grade(&Answer::Blank("  dbus-uuidgen\t  --ensure \n".into())));
    assert!(q.grade(&Answer::Blank("dbus-uuidgen --ensure=/var/lib/dbus/machine-id".into())));
    assert!(!q.grade(&Answer::Blank("DBUS-UUIDGEN --ensure".into())), "case-sensitive by default");
    assert!(!q.grade(&Answer::Blank("dbus-uuidgen--ensure".into())));
    assert!(!q.grade(&Answer::Blank(String::new())));

    let q = one(
        r#"Blank(id: "b", question: "The type 1 hypervisor of the Linux Foundation: ___", accept: ["Xen"], case_sensitive: false, explanation: "e")"#,
    );
    assert!(q.grade(&Answer::Blank("xen".into())));
    assert!(q.grade(&Answer::Blank(" XEN ".into())));
    assert!(!q.grade(&Answer::Blank("KVM".into())));
}

#[test]
fn order_questions_need_every_step_in_place() {
    let q = one(r#"Order(id: "o", question: "Order", steps: ["define", "start", "shutdown"], explanation: "e")"#);
    assert_eq!(q.kind, QuestionKind::Order { steps: vec!["define".into(), "start".into(), "shutdown".into()] });
    assert!(q.grade(&Answer::Order(vec![0, 1, 2])));
    assert!(!q.grade(&Answer::Order(vec![1, 0, 2])));
    assert!(!q.grade(&Answer::Order(vec![0, 1])));
}

#[test]
fn simulator_tasks_keep_their_link_and_check() {
    let q = one(
        r#"SimTask(id: "s", question: "Make the clones get different addresses.", sim: "sim:cloning", check: "clones-have-distinct-ips", explanation: "e")"#,
    );
    assert_eq!(q.kind, QuestionKind::SimTask { sim: "sim:cloning".into(), check: "clones-have-distinct-ips".into() });
    assert!(q.grade(&Answer::SimTask { passed: true }));
    assert!(!q.grade(&Answer::SimTask { passed: false }));
}

#[test]
fn a_simulator_task_must_name_a_check_the_world_knows() {
    let found =
        problems(r#"SimTask(id: "s", question: "Q", sim: "sim:cloning", check: "clones-are-happy", explanation: "e")"#);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains("unknown check \"clones-are-happy\" (known: domain-autostart-link, "), "{found:?}");
}

#[test]
fn a_block_may_hold_a_list_and_the_doc_marks_it() {
    let quiz = r#"[
    Order(id: "a", question: "q", steps: ["1", "2"], explanation: "e"),
    Order(id: "b", question: "q", steps: ["1", "2"], explanation: "e"),
]
"#;
    let lesson = parse_lesson("en/01-q.md", Lang::En, &lesson_with(quiz)).unwrap();
    let ids: Vec<_> = lesson.questions.iter().map(|q| (q.id.as_str(), q.position)).collect();
    assert_eq!(ids, vec![("a", Position { line: 9, column: 5 }), ("b", Position { line: 10, column: 5 })]);
    // Heading, paragraph, and the quiz marker instead of a code block.
    assert_eq!(lesson.doc.blocks.len(), 3);
    assert_eq!(lesson.doc.blocks[2], Block::Quiz { ids: vec!["a".into(), "b".into()] });
}

#[test]
fn ron_errors_point_into_the_file() {
    // Line 8 is `Single(`, line 9 the id, line 10 lacks its comma.
    let quiz = "Single(\n    id: \"x\",\n    question: \"q\"\n    options: [\"a\", \"b\"],\n)\n";
    assert_eq!(problems(quiz), vec!["en/01-q.md:11:5: quiz: Expected comma".to_owned()]);
    let quiz =
        "Single(id: \"x\", question: \"q\", options: [\"a\", \"b\"], answer: 1, explanation: \"e\", hint: \"h\")\n";
    let found = problems(quiz);
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("en/01-q.md:8:"), "{found:?}");
    assert!(found[0].contains("hint"), "{found:?}");
    let quiz = "Choice(id: \"x\")\n";
    let found = problems(quiz);
    assert!(found[0].starts_with("en/01-q.md:8:1: quiz: "), "{found:?}");
    assert!(found[0].contains("Choice"), "{found:?}");
}

#[test]
fn answers_that_do_not_exist_are_reported_at_their_field() {
    let quiz = "Single(\n    id: \"x\",\n    question: \"q\",\n    options: [\"a\", \"b\"],\n    answer: 3,\n    explanation: \"e\",\n)\n";
    assert_eq!(
        problems(quiz),
        vec!["en/01-q.md:12:5: answer 3 does not exist: the options are numbered 1 to 2".to_owned()]
    );
    let quiz = "Single(id: \"x\", question: \"q\", options: [\"a\", \"b\"], answer: 0, explanation: \"e\")\n";
    assert_eq!(
        problems(quiz),
        vec!["en/01-q.md:8:53: answer 0 does not exist: the options are numbered 1 to 2".to_owned()]
    );
}

#[test]
fn multiple_choice_errors() {
    let base = |choose: &str, answer: &str| {
        format!(
            "Multiple(id: \"m\", question: \"q\", {choose}, options: [\"a\", \"b\", \"c\"], {answer}, explanation: \"e\")\n"
        )
    };
    assert_eq!(
        problems(&base("choose: 3", "answer: [1, 2]")),
        vec!["en/01-q.md:8:34: choose: 3 does not match the 2 answers given".to_owned()]
    );
    assert_eq!(
        problems(&base("choose: 1", "answer: [1]")),
        vec!["en/01-q.md:8:71: a Multiple question has at least 2 answers; use Single for one".to_owned()]
    );
    assert_eq!(
        problems(&base("choose: 2", "answer: [2, 2]")),
        vec!["en/01-q.md:8:71: answer 2 is listed twice".to_owned()]
    );
    assert_eq!(
        problems(&base("choose: 3", "answer: [1, 2, 3]")),
        vec!["en/01-q.md:8:71: every option is an answer: leave at least one wrong option".to_owned()]
    );
    assert_eq!(
        problems(&base("choose: 2", "answer: [1, 4]")),
        vec!["en/01-q.md:8:71: answer 4 does not exist: the options are numbered 1 to 3".to_owned()]
    );
}

#[test]
fn other_question_errors() {
    assert_eq!(
        problems("Single(id: \"Bad_Id\", question: \"q\", options: [\"a\", \"b\"], answer: 1, explanation: \"e\")\n"),
        vec![
            "en/01-q.md:8:8: question id \"Bad_Id\" must be kebab-case: lowercase letters, digits and single hyphens"
                .to_owned()
        ]
    );
    assert_eq!(
        problems("Single(id: \"x\", question: \"q\", options: [\"a\"], answer: 1, explanation: \"e\")\n"),
        vec!["en/01-q.md:8:32: a choice question needs at least 2 options, this one has 1".to_owned()]
    );
    assert_eq!(
        problems(
            "Single(id: \"x\", question: \"q\", options: [\"a\", \"b\", \" a\"], answer: 1, explanation: \"e\")\n"
        ),
        vec!["en/01-q.md:8:32: option 3 repeats option 1".to_owned()]
    );
    assert_eq!(
        problems("Single(id: \"x\", question: \"q\", options: [\"a\", \"b\"], answer: 1, explanation: \" \")\n"),
        vec!["en/01-q.md:8:64: explanation is empty".to_owned()]
    );
    assert_eq!(
        problems("Blank(id: \"x\", question: \"q\", accept: [], explanation: \"e\")\n"),
        vec!["en/01-q.md:8:31: a Blank question needs at least one accepted answer in accept: [...]".to_owned()]
    );
    assert_eq!(
        problems("Order(id: \"x\", question: \"q\", steps: [\"a\"], explanation: \"e\")\n"),
        vec!["en/01-q.md:8:31: an Order question needs at least 2 steps, this one has 1".to_owned()]
    );
    assert_eq!(
        problems("SimTask(id: \"x\", question: \"q\", sim: \"sim:disk\", check: \"c\", explanation: \"e\")\n"),
        vec![format!(
            "en/01-q.md:8:33: unknown simulator link \"sim:disk\"; known links: {}",
            links::SIM_LINKS.join(", ")
        )]
    );
    assert_eq!(
        problems("SimTask(id: \"x\", question: \"q\", sim: \"sim:cloning\", check: \"Two IPs\", explanation: \"e\")\n"),
        vec![
            "en/01-q.md:8:53: check \"Two IPs\" must be kebab-case: lowercase letters, digits and single hyphens"
                .to_owned()
        ]
    );
    assert_eq!(
        problems("  \n"),
        vec!["en/01-q.md:8:1: empty quiz block: write a question such as Single(id: \"…\", …)".to_owned()]
    );
}

#[test]
fn a_quiz_before_any_heading_has_no_section() {
    let text = format!("{FRONT}Intro.\n\n```quiz\n{SINGLE}```\n");
    let lesson = parse_lesson("en/01-q.md", Lang::En, &text).unwrap();
    let found: Vec<_> = lesson.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        found,
        vec!["en/01-q.md:7:1: a quiz block must come after a heading: each question belongs to a section".to_owned()]
    );
}

#[test]
fn the_section_is_the_nearest_heading_above() {
    let text = format!("{FRONT}# Top\n\n## Second part {{#second}}\n\n### Derived Anchor\n\n```quiz\n{SINGLE}```\n");
    let lesson = parse_lesson("en/01-q.md", Lang::En, &text).unwrap();
    assert_eq!(lesson.questions[0].section, "derived-anchor");
}

#[test]
fn normalize_joins_whitespace() {
    assert_eq!(normalize("  a \t b\n\nc ", true), "a b c");
    assert_eq!(normalize("/ETC/Machine-ID", false), "/etc/machine-id");
    assert_eq!(normalize("/ETC/Machine-ID", true), "/ETC/Machine-ID");
}

#[test]
fn outline_skips_strings_and_comments() {
    let text = "[\n  // Single(x: 1)\n  Single(id: \"a: (b\", /* answer: */ answer: 1),\n  Order(steps: [\"x\"]),\n]";
    let found = outline(text);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].field("id"), Some(text.find("id:").unwrap()));
    assert_eq!(found[0].field("answer"), Some(text.rfind("answer: 1").unwrap()));
    assert_eq!(found[1].field("steps"), Some(text.find("steps").unwrap()));
}
