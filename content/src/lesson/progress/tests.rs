use super::*;
use crate::Lang;

const LESSON_A: &str = "+++\n(id: \"a\", title: \"Lesson A\", order: 1, objectives: [\"102.6\"])\n+++\n# A {#a}\n\n```quiz\n[\n  Single(id: \"a-one\", question: \"Q?\", options: [\"x\", \"y\"], answer: 1, explanation: \"E.\"),\n  Blank(id: \"a-two\", objective: \"101.1\", question: \"___\", accept: [\"z\"], explanation: \"E.\"),\n]\n```\n";
const LESSON_B: &str = "+++\n(id: \"b\", title: \"Lesson B\", order: 2, objectives: [\"102.6\"])\n+++\n# B {#b}\n\n```quiz\nSingle(id: \"b-one\", question: \"Q?\", options: [\"x\", \"y\"], answer: 2, explanation: \"E.\")\n```\n";

fn set() -> LessonSet {
    let set = LessonSet::load(Lang::En, [("en/01-a.md", LESSON_A), ("en/02-b.md", LESSON_B)]);
    assert_eq!(set.errors, vec![]);
    set
}

#[test]
fn answers_are_counted_per_lesson_and_objective() {
    let set = set();
    let mut p = Progress::default();
    p.record("a-one", false, Some(Rating::Again), 100, 20);
    p.record("a-one", true, Some(Rating::Good), 100, 10);
    p.record("b-one", false, Some(Rating::Again), 101, 999);
    let lessons = p.by_lesson(&set, 101);
    assert_eq!(
        lessons,
        vec![
            // a-one: Good on day 100 after an Again the same day is due on day 101.
            Stats {
                key: "a".into(),
                title: "Lesson A".into(),
                questions: 2,
                answered: 1,
                correct: 1,
                due: 1,
                seconds: 30
            },
            // b-one: Again on day 101 is due on day 102; its 999 s count as 300.
            Stats {
                key: "b".into(),
                title: "Lesson B".into(),
                questions: 1,
                answered: 1,
                correct: 0,
                due: 0,
                seconds: 300
            },
        ]
    );
    let objectives = p.by_objective(&set, 102);
    assert_eq!(
        objectives,
        vec![
            Stats { key: "101.1".into(), title: "101.1".into(), questions: 1, ..Stats::default() },
            Stats {
                key: "102.6".into(),
                title: "102.6".into(),
                questions: 2,
                answered: 2,
                correct: 1,
                due: 2,
                seconds: 330
            },
        ]
    );
    assert_eq!(p.seconds(), 330);
    let record = &p.questions["a-one"];
    assert_eq!((record.answered, record.correct, record.last_correct, record.last_day), (2, 1, true, 100));
    assert_eq!(record.card.as_ref().map(|c| (c.reps, c.due)), Some((2, 101)));
}

#[test]
fn due_questions_come_most_overdue_first_and_the_exam_date_pulls_them_forward() {
    let set = set();
    let mut p = Progress::default();
    p.record("b-one", true, Some(Rating::Good), 100, 5); // due 102
    p.record("a-one", true, Some(Rating::Easy), 100, 5); // due 108
    p.record("a-two", true, None, 100, 5); // counted, not scheduled
    assert_eq!(p.due(&set, 101), Vec::<&str>::new());
    assert_eq!(p.due(&set, 102), vec!["b-one"]);
    assert_eq!(p.due(&set, 108), vec!["b-one", "a-one"]);
    p.exam_date = Some(106);
    // Halfway to the exam: day 103 for both.
    assert_eq!(p.due(&set, 103), vec!["b-one", "a-one"]);
    // A question no longer in the lessons is not due.
    p.record("gone", true, Some(Rating::Good), 90, 5);
    assert_eq!(p.due(&set, 103), vec!["b-one", "a-one"]);
}

#[test]
fn the_streak_counts_consecutive_days() {
    let mut p = Progress::default();
    assert_eq!(p.streak(10), 0);
    for day in [3, 5, 6, 7] {
        p.active_days.insert(day);
    }
    assert_eq!(p.streak(7), 3);
    assert_eq!(p.streak(8), 3, "today has no answer yet: the streak still stands");
    assert_eq!(p.streak(9), 0);
    assert_eq!(p.streak(5), 1);
}

#[test]
fn export_and_import_round_trip() {
    let mut p = Progress::default();
    p.record("a-one", true, Some(Rating::Good), 20_000, 12);
    p.record("b-one", false, Some(Rating::Again), 20_001, 40);
    p.exam_date = Some(20_030);
    p.record_exam(ExamRecord { day: 20_001, seed: 42, questions: 20, right: 14, score: 543 });
    let text = p.to_ron();
    assert!(text.starts_with("(\n    format_version: 1,\n"), "{text}");
    assert_eq!(Progress::from_ron(&text), Ok(p));
}

#[test]
fn import_errors_are_reported() {
    assert_eq!(
        Progress::from_ron("(format_version: 1, questions: {\"x\": (answered: 1,)} exam_date: None)"),
        Err(ProgressError::Ron { line: 1, column: 54, message: "Expected comma".into() })
    );
    assert_eq!(Progress::from_ron("(format_version: 9)"), Err(ProgressError::Newer(9)));
    assert_eq!(
        Progress::from_ron("(format_version: 9)").map_err(|e| e.to_string()),
        Err("this progress file has format_version 9, newer than this GuestLab understands (1); update GuestLab".into())
    );
    // An older file without a version reads as the current one.
    assert_eq!(Progress::from_ron("()").map(|p| p.format_version), Ok(1));
}

#[test]
fn day_numbers() {
    assert_eq!(day_of(0.0), 0);
    assert_eq!(day_of(86_399.9), 0);
    assert_eq!(day_of(86_400.0), 1);
    // 2026-12-05 00:00 UTC
    assert_eq!(day_of(1_796_428_800.0), 20_792);
    assert_eq!(day_of(-1.0), -1);
}

#[test]
fn calendar_dates() {
    assert_eq!(day_of_date(1970, 1, 1), Some(0));
    assert_eq!(day_of_date(2026, 12, 5), Some(20_792));
    assert_eq!(day_of_date(2000, 2, 29), Some(11_016));
    assert_eq!(day_of_date(1900, 2, 29), None);
    assert_eq!(day_of_date(2026, 4, 31), None);
    assert_eq!(day_of_date(2026, 13, 1), None);
    assert_eq!(date_of_day(20_792), (2026, 12, 5));
    assert_eq!(date_of_day(11_016), (2000, 2, 29));
    assert_eq!(date_of_day(-1), (1969, 12, 31));
    assert_eq!(parse_date(" 2027-01-15 "), Some(20_833));
    assert_eq!(parse_date("15.01.2027"), None);
    assert_eq!(format_date(20_833), "2027-01-15");
    for day in (-800_000..800_000).step_by(997) {
        let (y, m, d) = date_of_day(day);
        assert_eq!(day_of_date(y, m, d), Some(day));
    }
}
