//! Reference values from py-fsrs 6.3.2, the reference implementation of FSRS-6:
//! `Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)`, reviews at noon
//! UTC on the given days (the script is `fsrs_ref.py` beside this file).

use super::*;

/// (day, rating, stability, difficulty, interval in days) after each review.
type Step = (i64, Rating, f64, f64, u32);

fn assert_steps(steps: &[Step]) {
    let s = Scheduler::default();
    let mut card: Option<Card> = None;
    for &(day, rating, stability, difficulty, interval) in steps {
        let next = s.review(card.as_ref(), rating, day);
        assert!((next.stability - stability).abs() < 1e-9, "day {day}: stability {} != {stability}", next.stability);
        assert!(
            (next.difficulty - difficulty).abs() < 1e-9,
            "day {day}: difficulty {} != {difficulty}",
            next.difficulty
        );
        assert_eq!(next.due - day, i64::from(interval), "day {day}: interval");
        card = Some(next);
    }
}

#[test]
fn first_reviews_match_py_fsrs() {
    assert_steps(&[(0, Rating::Again, 0.212, 6.4133, 1)]);
    assert_steps(&[(0, Rating::Hard, 1.2931, 5.112170705601056, 1)]);
    assert_steps(&[(0, Rating::Good, 2.3065, 2.118103970459016, 2)]);
    assert_steps(&[(0, Rating::Easy, 8.2956, 1.0, 8)]);
}

#[test]
fn a_chain_of_good_reviews_on_the_due_days_matches_py_fsrs() {
    use Rating::Good;
    assert_steps(&[
        (0, Good, 2.3065, 2.118103970459016, 2),
        (2, Good, 10.964332335820698, 2.111214235785395, 11),
        (13, Good, 46.28021728755693, 2.1043313908464483, 46),
        (59, Good, 162.86220163874916, 2.0974554287524403, 163),
        (222, Good, 497.4471936002745, 2.0905863426205262, 497),
        (719, Good, 1345.52877754259, 2.083724125574744, 1346),
    ]);
}

#[test]
fn a_lapse_and_mixed_ratings_match_py_fsrs() {
    use Rating::{Again, Easy, Good, Hard};
    assert_steps(&[
        (0, Good, 2.3065, 2.118103970459016, 2),
        (2, Good, 10.964332335820698, 2.111214235785395, 11),
        (13, Again, 1.5383372358832694, 7.392238132342694, 2),
        (15, Good, 4.8762601340710345, 7.38007426350719, 5),
        (20, Hard, 9.347924991129831, 8.24599957687359, 9),
        (29, Easy, 26.76785968026755, 7.6451227411813, 27),
    ]);
}

#[test]
fn reviews_on_the_same_day_use_short_term_stability() {
    use Rating::{Again, Good};
    assert_steps(&[
        (0, Good, 2.3065, 2.118103970459016, 2),
        (0, Good, 2.3065, 2.111214235785395, 2),
        (0, Again, 0.7750839828558984, 7.392238132342694, 1),
    ]);
    // A late review (30 days instead of 2).
    assert_steps(&[(0, Good, 2.3065, 2.118103970459016, 2), (30, Good, 37.42063838925624, 2.111214235785395, 37)]);
}

#[test]
fn retrievability_follows_the_forgetting_curve() {
    let s = Scheduler::default();
    let card = s.review(None, Rating::Good, 100);
    for (days, expected) in
        [(0, 1.0), (1, 0.9468474993825461), (2, 0.9094932559773545), (5, 0.8388614268145294), (10, 0.7743669167614039)]
    {
        let r = s.retrievability(&card, 100 + days);
        assert!((r - expected).abs() < 1e-12, "{days} days: {r} != {expected}");
    }
}

#[test]
fn counts_of_reviews_and_lapses() {
    let s = Scheduler::default();
    let a = s.review(None, Rating::Again, 0);
    assert_eq!((a.reps, a.lapses), (1, 0), "a first Again is learning, not a lapse");
    let b = s.review(Some(&a), Rating::Again, 1);
    assert_eq!((b.reps, b.lapses), (2, 1));
}

#[test]
fn an_exam_date_pulls_reviews_forward() {
    let card = Card { stability: 46.0, difficulty: 2.1, last_review: 100, due: 146, reps: 3, lapses: 0 };
    assert_eq!(due_day(&card, None), 146);
    // Exam in 20 days: due halfway, on day 110.
    assert_eq!(due_day(&card, Some(120)), 110);
    // Exam tomorrow: due tomorrow at the latest.
    assert_eq!(due_day(&card, Some(101)), 101);
    // Exam after the due day: no change.
    assert_eq!(due_day(&card, Some(400)), 146);
    // Exam already past: no change.
    assert_eq!(due_day(&card, Some(90)), 146);
    assert!(is_due(&card, 110, Some(120)));
    assert!(!is_due(&card, 109, Some(120)));
    assert_eq!(Rating::from_correct(true), Rating::Good);
    assert_eq!(Rating::from_correct(false), Rating::Again);
}
