//! Spaced repetition with FSRS-6, the Free Spaced Repetition Scheduler (open-spaced-repetition),
//! implemented from its published formulas with its published default parameters.
//!
//! GuestLab schedules in whole days and without (re)learning steps: a question answered today
//! comes back on a later day, never within minutes. That is FSRS's long-term scheduler, the
//! same as `fsrs.Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)` of
//! the reference implementation py-fsrs 6.3.2, whose numbers the tests reproduce.
//!
//! No crate is used: `rs-fsrs` implements FSRS-5 over `chrono` date-times, and `fsrs` brings a
//! machine-learning stack; the scheduler itself is a few formulas.
//!
//! Time is a plain day number from the caller (days since 1970-01-01); this module has no clock.

use serde::{Deserialize, Serialize};

/// FSRS-6's default parameters w0…w20 (py-fsrs 6.3.2 `DEFAULT_PARAMETERS`).
pub const DEFAULT_PARAMETERS: [f64; 21] = [
    0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796, 1.4835, 0.0614, 0.2629,
    1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
];
/// The share of cards the schedule aims to have remembered when they come due.
pub const DESIRED_RETENTION: f64 = 0.9;
/// The longest interval in days (100 years, as py-fsrs).
pub const MAXIMUM_INTERVAL: u32 = 36_500;
const STABILITY_MIN: f64 = 0.001;
const MIN_DIFFICULTY: f64 = 1.0;
const MAX_DIFFICULTY: f64 = 10.0;

/// How well the learner remembered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    pub const ALL: [Self; 4] = [Self::Again, Self::Hard, Self::Good, Self::Easy];

    fn value(self) -> f64 {
        f64::from(self as u8)
    }

    /// The rating of a graded answer when the learner does not pick one: a wrong answer was
    /// forgotten (Again), a right one remembered (Good).
    pub fn from_correct(correct: bool) -> Self {
        if correct { Self::Good } else { Self::Again }
    }
}

/// The memory state of one question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// Days until retrievability falls to 90 %.
    pub stability: f64,
    /// 1 (easy) … 10 (hard).
    pub difficulty: f64,
    /// Day of the last review.
    pub last_review: i64,
    /// Day the card is due again (without an exam date).
    pub due: i64,
    /// Reviews so far, and how many of them were Again.
    pub reps: u32,
    pub lapses: u32,
}

/// FSRS-6 with a set of parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Scheduler {
    pub w: [f64; 21],
    pub desired_retention: f64,
    pub maximum_interval: u32,
}

impl Default for Scheduler {
    fn default() -> Self {
        Self { w: DEFAULT_PARAMETERS, desired_retention: DESIRED_RETENTION, maximum_interval: MAXIMUM_INTERVAL }
    }
}

impl Scheduler {
    fn decay(&self) -> f64 {
        -self.w[20]
    }

    /// `0.9^(1/decay) − 1`, so that retrievability is 90 % after `stability` days.
    fn factor(&self) -> f64 {
        0.9f64.powf(1.0 / self.decay()) - 1.0
    }

    /// The probability of recalling `card` on `day` (the forgetting curve).
    pub fn retrievability(&self, card: &Card, day: i64) -> f64 {
        let elapsed = (day - card.last_review).max(0) as f64;
        (1.0 + self.factor() * elapsed / card.stability).powf(self.decay())
    }

    /// The interval in whole days after which retrievability falls to the desired retention.
    pub fn interval(&self, stability: f64) -> u32 {
        let days = stability / self.factor() * (self.desired_retention.powf(1.0 / self.decay()) - 1.0);
        (days.round().max(1.0) as u32).min(self.maximum_interval)
    }

    /// Reviews `card` (`None`: a question never reviewed) with `rating` on `day`.
    pub fn review(&self, card: Option<&Card>, rating: Rating, day: i64) -> Card {
        let (stability, difficulty, reps, lapses) = match card {
            None => (
                self.initial_stability(rating),
                self.initial_difficulty(rating).clamp(MIN_DIFFICULTY, MAX_DIFFICULTY),
                0,
                0,
            ),
            Some(card) => {
                let stability = if day - card.last_review < 1 {
                    self.short_term_stability(card.stability, rating)
                } else {
                    let r = self.retrievability(card, day);
                    let next = match rating {
                        Rating::Again => self.forget_stability(card.difficulty, card.stability, r),
                        _ => self.recall_stability(card.difficulty, card.stability, r, rating),
                    };
                    next.max(STABILITY_MIN)
                };
                (stability, self.next_difficulty(card.difficulty, rating), card.reps, card.lapses)
            }
        };
        let interval = i64::from(self.interval(stability));
        Card {
            stability,
            difficulty,
            last_review: day,
            due: day + interval,
            reps: reps + 1,
            lapses: lapses + u32::from(rating == Rating::Again && card.is_some()),
        }
    }

    fn initial_stability(&self, rating: Rating) -> f64 {
        self.w[rating as usize - 1].max(STABILITY_MIN)
    }

    fn initial_difficulty(&self, rating: Rating) -> f64 {
        self.w[4] - (self.w[5] * (rating.value() - 1.0)).exp() + 1.0
    }

    fn short_term_stability(&self, stability: f64, rating: Rating) -> f64 {
        let mut increase = (self.w[17] * (rating.value() - 3.0 + self.w[18])).exp() * stability.powf(-self.w[19]);
        if rating != Rating::Again {
            increase = increase.max(1.0);
        }
        (stability * increase).max(STABILITY_MIN)
    }

    fn next_difficulty(&self, difficulty: f64, rating: Rating) -> f64 {
        let delta = -(self.w[6] * (rating.value() - 3.0));
        let damped = difficulty + (10.0 - difficulty) * delta / 9.0;
        let reverted = self.w[7] * self.initial_difficulty(Rating::Easy) + (1.0 - self.w[7]) * damped;
        reverted.clamp(MIN_DIFFICULTY, MAX_DIFFICULTY)
    }

    fn forget_stability(&self, difficulty: f64, stability: f64, r: f64) -> f64 {
        let long_term = self.w[11]
            * difficulty.powf(-self.w[12])
            * ((stability + 1.0).powf(self.w[13]) - 1.0)
            * ((1.0 - r) * self.w[14]).exp();
        let short_term = stability / (self.w[17] * self.w[18]).exp();
        long_term.min(short_term)
    }

    fn recall_stability(&self, difficulty: f64, stability: f64, r: f64, rating: Rating) -> f64 {
        let hard_penalty = if rating == Rating::Hard { self.w[15] } else { 1.0 };
        let easy_bonus = if rating == Rating::Easy { self.w[16] } else { 1.0 };
        stability
            * (1.0
                + self.w[8].exp()
                    * (11.0 - difficulty)
                    * stability.powf(-self.w[9])
                    * (((1.0 - r) * self.w[10]).exp() - 1.0)
                    * hard_penalty
                    * easy_bonus)
    }
}

/// The day `card` is due, with an exam on `exam_day` pulling it forward.
///
/// Without an exam date this is [`Card::due`]. With one (still ahead at the last review), no
/// interval reaches past the exam: the card comes due at the latest halfway between its last
/// review and the exam (at least one day after the review), so everything comes round again
/// before the exam and again closer to it.
pub fn due_day(card: &Card, exam_day: Option<i64>) -> i64 {
    match exam_day {
        Some(exam) if exam > card.last_review => {
            let halfway = card.last_review + ((exam - card.last_review) / 2).max(1);
            card.due.min(halfway)
        }
        _ => card.due,
    }
}

/// Whether `card` is due on `today`.
pub fn is_due(card: &Card, today: i64, exam_day: Option<i64>) -> bool {
    due_day(card, exam_day) <= today
}

#[cfg(test)]
mod tests;
