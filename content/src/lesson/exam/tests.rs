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
