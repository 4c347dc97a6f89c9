//! LPI-style exams assembled from the question bank, and their scores.
//!
//! An exam is drawn with a seeded generator: the same seed and the same lessons give the same
//! questions in the same order with the same answer orders, so a teacher can hand a class one
//! exam by its seed. Simulator tasks are left out (the LPI exam has choice and fill-in
//! questions only); they are practised in the Practice mode.
//!
//! ## The score
//!
//! LPI reports a scaled score from 200 to 800 with 500 to pass, and does not publish how raw
//! results map onto it. GuestLab uses a piecewise linear scale with the pass mark at 65 % of
//! the questions right (the share LPI's exam-prep material usually quotes):
//!
//! - `r ≤ 0.65`: score = 200 + 300 · r / 0.65 (0 right → 200, 65 % → 500);
//! - `r > 0.65`: score = 500 + 300 · (r − 0.65) / 0.35 (all right → 800),
//!
//! where `r` is the share of questions answered right, rounded to the nearest whole point
//! (halves up). Every question weighs the same and a Multiple question counts only when
//! exactly the right options are chosen, as in the real exam.

use rand::seq::SliceRandom as _;
use rand::{Rng as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;

use super::{Answer, LessonSet, Question, QuestionKind};

/// Questions in the default exam for this topic.
pub const DEFAULT_QUESTIONS: usize = 20;
/// Questions in a full LPI exam (101 or 102).
pub const FULL_QUESTIONS: usize = 60;
/// LPI's pace: 90 minutes for 60 questions.
pub const SECONDS_PER_QUESTION: u32 = 90;
/// The lowest and highest scaled scores, and the pass mark.
pub const MIN_SCORE: u32 = 200;
pub const MAX_SCORE: u32 = 800;
pub const PASS_SCORE: u32 = 500;
/// The share of right answers that scores [`PASS_SCORE`], as a fraction `PASS_NUM / PASS_DEN`.
const PASS_NUM: u64 = 13;
const PASS_DEN: u64 = 20;

/// The two exam lengths GuestLab offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ExamFormat {
    /// 20 questions on this topic, 30 minutes.
    #[default]
    Topic,
    /// 60 questions in 90 minutes, the length of a real LPI exam.
    Full,
}

impl ExamFormat {
    pub const ALL: [Self; 2] = [Self::Topic, Self::Full];

    /// How many questions the exam has.
    pub fn questions(self) -> usize {
        match self {
            Self::Topic => DEFAULT_QUESTIONS,
            Self::Full => FULL_QUESTIONS,
        }
    }

    /// The time limit in seconds at LPI pace.
    pub fn time_limit_secs(self) -> u32 {
        self.questions() as u32 * SECONDS_PER_QUESTION
    }

    /// Whether a bank of `eligible` exam questions can fill this format without repeats.
    pub fn available(self, eligible: usize) -> bool {
        eligible >= self.questions()
    }
}

/// One question of an exam, with the order its options are shown in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExamItem {
    pub question_id: String,
    /// The lesson the question comes from.
    pub lesson_id: String,
    /// The display order: for Single and Multiple the option indices top to bottom, for Order
    /// the steps as first shown; empty for Blank.
    pub order: Vec<usize>,
}

/// An assembled exam.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exam {
    pub seed: u64,
    pub items: Vec<ExamItem>,
    pub time_limit_secs: u32,
}

/// Whether a question can appear in an exam (everything but simulator tasks).
pub fn eligible(question: &Question) -> bool {
    !matches!(question.kind, QuestionKind::SimTask { .. })
}

/// Draws an exam of `count` questions (fewer if the bank is smaller) from `set` with `seed`.
///
/// The questions are spread over the lessons in proportion to the questions each lesson has
/// (largest remainders get the extra places, ties to the earlier lesson), drawn at random
/// within each lesson, then shuffled together; each gets its own answer order.
pub fn assemble(set: &LessonSet, seed: u64, count: usize) -> Exam {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let pools: Vec<(&str, Vec<&Question>)> = set
        .lessons
        .iter()
        .map(|l| (l.meta.id.as_str(), l.questions.iter().filter(|q| eligible(q)).collect::<Vec<_>>()))
        .filter(|(_, qs)| !qs.is_empty())
        .collect();
    let total: usize = pools.iter().map(|(_, qs)| qs.len()).sum();
    let count = count.min(total);
    let sizes: Vec<usize> = pools.iter().map(|(_, qs)| qs.len()).collect();
    let quotas = apportion(&sizes, count);

    let mut picked: Vec<(&str, &Question)> = Vec::with_capacity(count);
    for ((lesson, pool), quota) in pools.iter().zip(quotas) {
        let mut pool = pool.clone();
        pool.shuffle(&mut rng);
        picked.extend(pool.into_iter().take(quota).map(|q| (*lesson, q)));
    }
    picked.shuffle(&mut rng);

    let items = picked
        .into_iter()
        .map(|(lesson, q)| ExamItem {
            question_id: q.id.clone(),
            lesson_id: lesson.to_owned(),
            order: presentation(q, &mut rng, true),
        })
        .collect::<Vec<_>>();
    let time_limit_secs = items.len() as u32 * SECONDS_PER_QUESTION;
    Exam { seed, items, time_limit_secs }
}

/// Splits `count` places over groups of the given sizes in proportion (largest remainder).
fn apportion(sizes: &[usize], count: usize) -> Vec<usize> {
    let total: usize = sizes.iter().sum();
    if total == 0 {
        return vec![0; sizes.len()];
    }
    let mut quotas: Vec<usize> = sizes.iter().map(|&s| s * count / total).collect();
    let mut remainders: Vec<(usize, usize)> = sizes.iter().enumerate().map(|(i, &s)| (s * count % total, i)).collect();
    // Largest remainder first; on a tie the earlier group.
    crate::order::sort_by(&mut remainders, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut left = count - quotas.iter().sum::<usize>();
    for (_, i) in remainders {
        if left == 0 {
            break;
        }
        if quotas[i] < sizes[i] {
            quotas[i] += 1;
            left -= 1;
        }
    }
    quotas
}

/// The order a question's options or steps are shown in. Options are shuffled only when
/// `shuffle_options` (exams); the steps of an Order question always start shuffled, and never
/// already in the right order.
pub fn presentation(question: &Question, rng: &mut ChaCha8Rng, shuffle_options: bool) -> Vec<usize> {
    match &question.kind {
        QuestionKind::Single { options, .. } | QuestionKind::Multiple { options, .. } => {
            let mut order: Vec<usize> = (0..options.len()).collect();
            if shuffle_options {
                order.shuffle(rng);
            }
            order
        }
        QuestionKind::Order { steps } => {
            let mut order: Vec<usize> = (0..steps.len()).collect();
            order.shuffle(rng);
            if order.iter().enumerate().all(|(i, &s)| i == s) && order.len() > 1 {
                // Already solved: rotate by a random amount instead.
                let by = rng.random_range(1..order.len());
                order.rotate_left(by);
            }
            order
        }
        QuestionKind::Blank { .. } | QuestionKind::SimTask { .. } => Vec::new(),
    }
}

/// The presentation of a question outside an exam, the same every time for the same question
/// (its generator is seeded from the question id).
pub fn stable_presentation(question: &Question, shuffle_options: bool) -> Vec<usize> {
    let mut rng = ChaCha8Rng::seed_from_u64(fnv1a(question.id.as_bytes()));
    presentation(question, &mut rng, shuffle_options)
}

/// FNV-1a, a small stable hash for seeding from ids.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The scaled score for `correct` of `total` right (see the module documentation).
pub fn scaled_score(correct: usize, total: usize) -> u32 {
    if total == 0 {
        return MIN_SCORE;
    }
    let (c, n) = (correct.min(total) as u64, total as u64);
    // r ≤ 13/20 ⇔ 20c ≤ 13n.
    let points = if PASS_DEN * c <= PASS_NUM * n {
        // 300 · (c/n) / (13/20) = 300·20·c / (13·n)
        u64::from(MIN_SCORE) + div_round(300 * PASS_DEN * c, PASS_NUM * n)
    } else {
        // 300 · (c/n − 13/20) / (7/20) = 300 · (20c − 13n) / (7n)
        u64::from(PASS_SCORE) + div_round(300 * (PASS_DEN * c - PASS_NUM * n), (PASS_DEN - PASS_NUM) * n)
    };
    points as u32
}

/// `a / b` rounded to the nearest integer, halves up.
fn div_round(a: u64, b: u64) -> u64 {
    (2 * a + b) / (2 * b)
}

/// Right and total for one group (a lesson or an objective).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupResult {
    pub key: String,
    pub correct: usize,
    pub total: usize,
}

/// The outcome of a finished exam.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExamResult {
    /// For each item: whether it was answered right (an unanswered item is wrong).
    pub correct: Vec<bool>,
    pub right: usize,
    pub total: usize,
    pub score: u32,
    pub passed: bool,
    /// Per lesson, in the order the lessons come in the course.
    pub by_lesson: Vec<GroupResult>,
    /// Per LPI objective (the question's, else its lesson's first), sorted by objective.
    pub by_objective: Vec<GroupResult>,
}

/// Grades an exam: `answers[i]` is the answer given to item `i` (`None`: unanswered).
pub fn grade(exam: &Exam, set: &LessonSet, answers: &[Option<Answer>]) -> ExamResult {
    let mut correct = Vec::with_capacity(exam.items.len());
    let mut by_lesson: Vec<GroupResult> = Vec::new();
    let mut by_objective: Vec<GroupResult> = Vec::new();
    for (i, item) in exam.items.iter().enumerate() {
        let lesson = set.lesson(&item.lesson_id);
        let question = lesson.and_then(|l| l.question(&item.question_id));
        let right = match (question, answers.get(i).and_then(Option::as_ref)) {
            (Some(q), Some(a)) => q.grade(a),
            _ => false,
        };
        correct.push(right);
        let objective = question
            .and_then(|q| q.objective.clone())
            .or_else(|| lesson.and_then(|l| l.meta.objectives.first().cloned()))
            .unwrap_or_default();
        for (groups, key) in [(&mut by_lesson, item.lesson_id.clone()), (&mut by_objective, objective)] {
            match groups.iter_mut().find(|g| g.key == key) {
                Some(g) => {
                    g.total += 1;
                    g.correct += usize::from(right);
                }
                None => groups.push(GroupResult { key, correct: usize::from(right), total: 1 }),
            }
        }
    }
    let course_position = |id: &str| set.lessons.iter().position(|l| l.meta.id == id).unwrap_or(usize::MAX);
    crate::order::sort_by_key(&mut by_lesson, |g| course_position(&g.key));
    crate::order::sort_by(&mut by_objective, |a, b| a.key.cmp(&b.key));
    let right = correct.iter().filter(|&&c| c).count();
    let total = exam.items.len();
    let score = scaled_score(right, total);
    ExamResult { correct, right, total, score, passed: score >= PASS_SCORE, by_lesson, by_objective }
}

#[cfg(test)]
mod tests;
