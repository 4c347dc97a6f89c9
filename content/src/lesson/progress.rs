//! What a learner has done: every answer, keyed by the stable question id (never by position,
//! so lessons can be reordered and extended), with its FSRS review card; the days they
//! practised, an exam date and the finished exams. Exported and imported as a RON file with a
//! `format_version`, so a learner can move between the desktop and the browser.
//!
//! Time comes from the caller as day numbers (days since 1970-01-01) and seconds.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::LessonSet;
use super::review::{Card, Rating, Scheduler, is_due};

/// The version of the progress format this build writes.
pub const FORMAT_VERSION: u32 = 1;
/// Seconds at most counted for one answer (a learner who walks away is not studying).
pub const MAX_SECONDS_PER_ANSWER: u32 = 300;
/// Finished exams kept.
const MAX_EXAMS: usize = 50;

/// Everything recorded about one question.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionRecord {
    /// How often it was answered, and how often right.
    pub answered: u32,
    pub correct: u32,
    /// Whether the latest answer was right.
    pub last_correct: bool,
    /// Day of the latest answer.
    pub last_day: i64,
    /// Time spent answering, in seconds.
    pub seconds: u32,
    /// The FSRS memory state, once the question was scheduled for review.
    pub card: Option<Card>,
}

/// A finished exam.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ExamRecord {
    pub day: i64,
    pub seed: u64,
    pub questions: u32,
    pub right: u32,
    pub score: u32,
}

/// A learner's progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    pub format_version: u32,
    /// By question id.
    pub questions: BTreeMap<String, QuestionRecord>,
    /// Days with at least one answer.
    pub active_days: BTreeSet<i64>,
    /// The day of the learner's exam, which pulls reviews forward.
    pub exam_date: Option<i64>,
    /// Finished exams, oldest first.
    pub exams: Vec<ExamRecord>,
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            format_version: FORMAT_VERSION,
            questions: BTreeMap::new(),
            active_days: BTreeSet::new(),
            exam_date: None,
            exams: Vec::new(),
        }
    }
}

/// Counts for one lesson or objective.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Lesson id or objective.
    pub key: String,
    /// Lesson title, or the objective again.
    pub title: String,
    /// Questions in the bank.
    pub questions: usize,
    /// Questions answered at least once.
    pub answered: usize,
    /// Questions whose latest answer was right.
    pub correct: usize,
    /// Questions due for review today.
    pub due: usize,
    pub seconds: u32,
}

/// Why an imported progress file was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProgressError {
    #[error("{line}:{column}: {message}")]
    Ron { line: usize, column: usize, message: String },
    #[error(
        "this progress file has format_version {0}, newer than this GuestLab understands ({FORMAT_VERSION}); update GuestLab"
    )]
    Newer(u32),
}

impl Progress {
    /// Records an answer given on `day` after `seconds`. With `rating` the question is also
    /// reviewed (scheduled) by FSRS; `None` only counts the answer.
    pub fn record(&mut self, question_id: &str, correct: bool, rating: Option<Rating>, day: i64, seconds: u32) {
        let record = self.questions.entry(question_id.to_owned()).or_default();
        record.answered += 1;
        record.correct += u32::from(correct);
        record.last_correct = correct;
        record.last_day = day;
        record.seconds = record.seconds.saturating_add(seconds.min(MAX_SECONDS_PER_ANSWER));
        if let Some(rating) = rating {
            record.card = Some(Scheduler::default().review(record.card.as_ref(), rating, day));
        }
        self.active_days.insert(day);
    }

    /// Records a finished exam (its answers are recorded one by one with [`Self::record`]).
    pub fn record_exam(&mut self, exam: ExamRecord) {
        self.exams.push(exam);
        if self.exams.len() > MAX_EXAMS {
            let extra = self.exams.len() - MAX_EXAMS;
            self.exams.drain(..extra);
        }
    }

    /// The ids of the questions of `set` due for review on `today`, most overdue first (ties in
    /// course order).
    pub fn due<'a>(&self, set: &'a LessonSet, today: i64) -> Vec<&'a str> {
        let mut due: Vec<(i64, usize, &str)> = set
            .questions()
            .enumerate()
            .filter_map(|(i, (_, q))| {
                let card = self.questions.get(&q.id)?.card.as_ref()?;
                is_due(card, today, self.exam_date)
                    .then(|| (super::review::due_day(card, self.exam_date), i, q.id.as_str()))
            })
            .collect();
        crate::order::sort(&mut due);
        due.into_iter().map(|(_, _, id)| id).collect()
    }

    /// Consecutive days with answers, up to today (or up to yesterday, when today has none yet).
    pub fn streak(&self, today: i64) -> u32 {
        let mut day = if self.active_days.contains(&today) { today } else { today - 1 };
        let mut streak = 0;
        while self.active_days.contains(&day) {
            streak += 1;
            day -= 1;
        }
        streak
    }

    /// Time spent answering, in seconds.
    pub fn seconds(&self) -> u32 {
        self.questions.values().fold(0, |sum, r| sum.saturating_add(r.seconds))
    }

    /// Counts per lesson of `set`, in course order.
    pub fn by_lesson(&self, set: &LessonSet, today: i64) -> Vec<Stats> {
        set.lessons
            .iter()
            .map(|lesson| {
                let mut stats =
                    Stats { key: lesson.meta.id.clone(), title: lesson.meta.title.clone(), ..Stats::default() };
                for q in &lesson.questions {
                    self.count(&mut stats, &q.id, today);
                }
                stats
            })
            .collect()
    }

    /// Counts per LPI objective (a question's own, else its lesson's first), sorted.
    pub fn by_objective(&self, set: &LessonSet, today: i64) -> Vec<Stats> {
        let mut groups: BTreeMap<String, Stats> = BTreeMap::new();
        for (lesson, q) in set.questions() {
            let Some(objective) = q.objective.clone().or_else(|| lesson.meta.objectives.first().cloned()) else {
                continue;
            };
            let stats = groups.entry(objective.clone()).or_insert_with(|| Stats {
                key: objective.clone(),
                title: objective,
                ..Stats::default()
            });
            self.count(stats, &q.id, today);
        }
        groups.into_values().collect()
    }

    fn count(&self, stats: &mut Stats, id: &str, today: i64) {
        stats.questions += 1;
        if let Some(record) = self.questions.get(id) {
            stats.answered += usize::from(record.answered > 0);
            stats.correct += usize::from(record.answered > 0 && record.last_correct);
            stats.due += usize::from(record.card.as_ref().is_some_and(|c| is_due(c, today, self.exam_date)));
            stats.seconds = stats.seconds.saturating_add(record.seconds);
        }
    }

    /// The progress as a RON file.
    pub fn to_ron(&self) -> String {
        let config = ron::ser::PrettyConfig::default().depth_limit(3);
        // Plain data always serialises; an empty string would be refused on import.
        ron::ser::to_string_pretty(self, config).unwrap_or_default()
    }

    /// Reads a progress file written by [`Self::to_ron`] (this or an older version).
    pub fn from_ron(text: &str) -> Result<Self, ProgressError> {
        let progress: Self = ron::Options::default().from_str(text).map_err(|err| ProgressError::Ron {
            line: err.span.start.line,
            column: err.span.start.col,
            message: err.code.to_string(),
        })?;
        if progress.format_version > FORMAT_VERSION {
            return Err(ProgressError::Newer(progress.format_version));
        }
        Ok(Self { format_version: FORMAT_VERSION, ..progress })
    }
}

/// The day number (days since 1970-01-01, UTC) of a Unix time in seconds.
pub fn day_of(unix_seconds: f64) -> i64 {
    (unix_seconds / 86_400.0).floor() as i64
}

/// The day number of a calendar date (proleptic Gregorian), `None` for a date that does not
/// exist. (H. Hinnant's `days_from_civil`.)
pub fn day_of_date(year: i64, month: u32, day: u32) -> Option<i64> {
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > days_in_month {
        return None;
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The calendar date of a day number: (year, month, day). (H. Hinnant's `civil_from_days`.)
pub fn date_of_day(day: i64) -> (i64, u32, u32) {
    let z = day + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `YYYY-MM-DD` → day number.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let year = parts.next()?.parse().ok()?;
    let month = parts.next()?.parse().ok()?;
    let day = parts.next()?.parse().ok()?;
    day_of_date(year, month, day)
}

/// Day number → `YYYY-MM-DD`.
pub fn format_date(day: i64) -> String {
    let (y, m, d) = date_of_day(day);
    format!("{y:04}-{m:02}-{d:02}")
}

#[cfg(test)]
mod tests;
