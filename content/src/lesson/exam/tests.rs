use super::*;
use crate::Lang;

#[test]
fn scaled_scores_on_the_documented_scale() {
    assert_eq!(scaled_score(0, 20), 200);
    assert_eq!(scaled_score(13, 20), 500);
    assert_eq!(scaled_score(20, 20), 800);
    // 200 + 6000·10/260 = 430.77
    assert_eq!(scaled_score(10, 20), 431);
    // 500 + 300·(340 − 260)/140 = 671.43
    assert_eq!(scaled_score(17, 20), 671);
    // 12/20: 200 + 72000/260 = 476.92, a fail
    assert_eq!(scaled_score(12, 20), 477);
    // 14/20: 500 + 300·20/140 = 542.86
    assert_eq!(scaled_score(14, 20), 543);
    // 39/60 is exactly the pass mark; 38/60 is not.
    assert_eq!(scaled_score(39, 60), 500);
    assert_eq!(scaled_score(38, 60), 492);
    assert_eq!(scaled_score(0, 0), 200);
}

#[test]
fn apportion_is_proportional_with_largest_remainders() {
    assert_eq!(apportion(&[10, 10, 10], 20), vec![7, 7, 6]);
    assert_eq!(apportion(&[1, 2, 30], 5), vec![0, 0, 5]);
    assert_eq!(apportion(&[3, 3], 6), vec![3, 3]);
    assert_eq!(apportion(&[], 6), Vec::<usize>::new());
}

#[test]
fn the_same_seed_gives_the_same_exam() {
    let set = LessonSet::embedded(Lang::En);
    let a = assemble(&set, 42, DEFAULT_QUESTIONS);
    let b = assemble(&set, 42, DEFAULT_QUESTIONS);
    assert_eq!(a, b);
    assert_eq!(a.items.len(), 20);
    assert_eq!(a.time_limit_secs, 1800);
    let c = assemble(&set, 43, DEFAULT_QUESTIONS);
    assert_ne!(a.items, c.items);
}

/// Three lessons with 4, 2 and 3 questions (one simulator task, which exams leave out).
fn bank() -> LessonSet {
    let lesson = |id: &str, order: u32, questions: &[&str]| {
        let mut text = format!(
            "+++\n(id: \"{id}\", title: \"{id}\", order: {order}, objectives: [\"102.6\"])\n+++\n# {id} {{#s}}\n\n```quiz\n[\n"
        );
        for q in questions {
            text.push_str(q);
            text.push_str(",\n");
        }
        text.push_str("]\n```\n");
        (format!("en/0{order}-{id}.md"), text)
    };
    let single = |id: &str| {
        format!(
            "Single(id: \"{id}\", question: \"Q\", options: [\"a\", \"b\", \"c\", \"d\"], answer: 2, explanation: \"E\")"
        )
    };
    let order =
        |id: &str| format!("Order(id: \"{id}\", question: \"Q\", steps: [\"1\", \"2\", \"3\"], explanation: \"E\")");
    let blank = |id: &str| {
        format!("Blank(id: \"{id}\", objective: \"101.1\", question: \"Q\", accept: [\"x\"], explanation: \"E\")")
    };
    let task =
        "SimTask(id: \"t\", question: \"Q\", sim: \"sim:cloning\", check: \"domain-cloned\", explanation: \"E\")"
            .to_owned();
    let files = [
        lesson("one", 1, &[&single("a1"), &single("a2"), &order("a3"), &blank("a4")]),
        lesson("two", 2, &[&single("b1"), &task]),
        lesson("three", 3, &[&single("c1"), &single("c2"), &blank("c3")]),
    ];
    let set = LessonSet::load(Lang::En, files.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    assert_eq!(set.errors, vec![]);
    set
}

#[test]
fn a_seed_gives_exactly_these_questions_and_orders() {
    let set = bank();
    let exam = assemble(&set, 42, 5);
    let items: Vec<(&str, &str, Vec<usize>)> =
        exam.items.iter().map(|i| (i.question_id.as_str(), i.lesson_id.as_str(), i.order.clone())).collect();
    // Quotas by largest remainder over 4, 1 and 3 eligible questions: 2, 1, 2.
    assert_eq!(
        items,
        vec![
            ("c2", "three", vec![1, 0, 3, 2]),
            ("b1", "two", vec![1, 3, 0, 2]),
            ("a3", "one", vec![1, 2, 0]),
            ("a2", "one", vec![3, 1, 2, 0]),
            ("c1", "three", vec![2, 1, 0, 3]),
        ]
    );
    assert_eq!(exam.time_limit_secs, 450);
    // More questions than the bank has: every eligible one, never the simulator task.
    let all = assemble(&set, 42, 60);
    assert_eq!(all.items.len(), 8);
    assert!(all.items.iter().all(|i| i.question_id != "t"));
}

#[test]
fn grading_counts_by_lesson_and_objective() {
    let set = bank();
    let exam = assemble(&set, 42, 5);
    // c2 right (option index 1), b1 wrong, a3 right order, a2 unanswered, c1 right.
    let answers = vec![
        Some(Answer::Single(1)),
        Some(Answer::Single(0)),
        Some(Answer::Order(vec![0, 1, 2])),
        None,
        Some(Answer::Single(1)),
    ];
    let result = grade(&exam, &set, &answers);
    assert_eq!(result.correct, vec![true, false, true, false, true]);
    assert_eq!((result.right, result.total), (3, 5));
    // 3/5 = 0.6 ≤ 0.65: 200 + 300·0.6/0.65 = 476.92
    assert_eq!(result.score, 477);
    assert!(!result.passed);
    let g = |key: &str, correct, total| GroupResult { key: key.into(), correct, total };
    assert_eq!(result.by_lesson, vec![g("one", 1, 2), g("two", 0, 1), g("three", 2, 2)]);
    assert_eq!(result.by_objective, vec![g("102.6", 3, 5)]);
}
