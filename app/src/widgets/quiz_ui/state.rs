//! The learner's work on one question ([`QuestionState`]) and what happened to it in a frame
//! ([`QuizResponse`]).

use guestlab_content::lesson::exam::{fnv1a, stable_presentation};
use guestlab_content::lesson::markdown::{self, Block, Doc, Span};
use guestlab_content::lesson::{Answer, Question, QuestionKind};

/// What happened to a question this frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct QuizResponse {
    /// Set in the frame the learner checked an answer (Practice) or a simulator task: right or
    /// wrong.
    pub graded: Option<bool>,
    /// The learner asked for the next question (N, or the "Next question" button).
    pub next: bool,
    /// The answer changed (a pick, a keystroke, a move).
    pub changed: bool,
}

/// The learner's work on one question, kept by the caller between frames.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionState {
    /// The question this state belongs to.
    pub question_id: String,
    /// Display order of options (Single/Multiple) or the current arrangement of steps (Order).
    pub(super) order: Vec<usize>,
    /// Picked options, by option index.
    pub(super) picked: Vec<bool>,
    /// The typed answer (Blank).
    pub(super) typed: String,
    /// The last simulator check: `Some(None)` when the check cannot be evaluated yet.
    pub(super) sim: Option<Option<bool>>,
    /// The result once checked (Practice) or graded (Result).
    pub(super) graded: Option<bool>,
    /// Whether the steps of an Order question were moved at all.
    pub(super) moved: bool,
    /// A simulator task was checked before anything was typed in the simulator (not graded).
    pub(super) untouched: bool,
    /// "Try again" was pressed after the feedback (which shows the right answer).
    pub(super) retried: bool,
    pub(super) model: Model,
    /// A hash of the texts `model` was made from: when the language changes, the same question
    /// id comes with other texts, and the model is made again (the answer stays).
    pub(super) texts: u64,
}

/// Parsed Markdown of a question, made once.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Model {
    pub(super) text: Doc,
    /// Options or steps as inline spans.
    pub(super) items: Vec<Vec<Span>>,
    pub(super) explanation: Doc,
}

/// The options or steps of a question (none for the other kinds).
fn items(question: &Question) -> &[String] {
    match &question.kind {
        QuestionKind::Single { options, .. } | QuestionKind::Multiple { options, .. } => options,
        QuestionKind::Order { steps } => steps,
        _ => &[],
    }
}

/// A hash of every text of a question that the model is made from.
fn texts_hash(question: &Question) -> u64 {
    let mut bytes = Vec::new();
    for text in std::iter::once(&question.text).chain(items(question)).chain([&question.explanation]) {
        bytes.extend_from_slice(text.as_bytes());
        bytes.push(0);
    }
    fnv1a(&bytes)
}

impl Model {
    fn of(question: &Question) -> Self {
        Self {
            text: markdown::parse(&question.text),
            items: items(question).iter().map(|s| inline(s)).collect(),
            explanation: markdown::parse(&question.explanation),
        }
    }
}

fn inline(text: &str) -> Vec<Span> {
    let doc = markdown::parse(text);
    let mut spans = Vec::new();
    for block in doc.blocks {
        if let Block::Paragraph(mut s) = block {
            if !spans.is_empty() {
                spans.push(Span { text: " ".into(), ..Span::default() });
            }
            spans.append(&mut s);
        }
    }
    if spans.is_empty() {
        spans.push(Span { text: text.to_owned(), ..Span::default() });
    }
    spans
}

impl QuestionState {
    /// A fresh state with the options of a choice question and the steps of an Order question
    /// in a shuffled order that is the same each time for this question (seeded from its id),
    /// so the right answer is not always where the lesson file wrote it.
    pub fn new(question: &Question) -> Self {
        Self::with_order(question, stable_presentation(question, true))
    }

    /// A fresh state with a given display order (from an [`Exam`] item), see
    /// [`guestlab_content::lesson::exam::ExamItem::order`].
    ///
    /// [`Exam`]: guestlab_content::lesson::exam::Exam
    pub fn with_order(question: &Question, order: Vec<usize>) -> Self {
        let count = items(question).len();
        let order = if order.len() == count { order } else { (0..count).collect() };
        Self {
            question_id: question.id.clone(),
            order,
            picked: vec![false; count],
            typed: String::new(),
            sim: None,
            graded: None,
            moved: false,
            untouched: false,
            retried: false,
            model: Model::of(question),
            texts: texts_hash(question),
        }
    }

    /// Makes the parsed texts again if the question's texts changed (another language).
    pub(super) fn refresh_texts(&mut self, question: &Question) {
        let texts = texts_hash(question);
        if texts != self.texts {
            self.model = Model::of(question);
            self.texts = texts;
        }
    }

    /// The answer as it stands, or `None` while nothing is answered.
    pub fn answer(&self, question: &Question) -> Option<Answer> {
        match &question.kind {
            QuestionKind::Single { .. } => self.picked.iter().position(|&p| p).map(Answer::Single),
            QuestionKind::Multiple { .. } => {
                let chosen: Vec<usize> = (0..self.picked.len()).filter(|&i| self.picked[i]).collect();
                (!chosen.is_empty()).then_some(Answer::Multiple(chosen))
            }
            QuestionKind::Blank { .. } => (!self.typed.trim().is_empty()).then(|| Answer::Blank(self.typed.clone())),
            QuestionKind::Order { .. } => Some(Answer::Order(self.order.clone())),
            QuestionKind::SimTask { .. } => self.sim.flatten().map(|passed| Answer::SimTask { passed }),
        }
    }

    /// Whether the learner has touched the question (an Order question counts once moved).
    pub fn answered(&self, question: &Question) -> bool {
        match &question.kind {
            QuestionKind::Order { .. } => self.moved,
            _ => self.answer(question).is_some(),
        }
    }

    /// The result once checked.
    pub fn graded(&self) -> Option<bool> {
        self.graded
    }

    /// Grades the answer as it stands (an exam at its end); no answer is wrong.
    pub fn grade(&mut self, question: &Question) -> bool {
        let right = self.answer(question).is_some_and(|a| question.grade(&a));
        self.graded = Some(right);
        right
    }

    /// Clears the answer for another try (the order of options stays).
    pub fn retry(&mut self) {
        self.retried = true;
        self.picked.iter_mut().for_each(|p| *p = false);
        self.typed.clear();
        self.sim = None;
        self.graded = None;
    }

    /// Sets the picks of a Single or Multiple question by option index (tests, restoring).
    pub fn pick(&mut self, option: usize, single: bool) {
        if single {
            self.picked.iter_mut().for_each(|p| *p = false);
        }
        if let Some(p) = self.picked.get_mut(option) {
            *p = if single { true } else { !*p };
        }
    }

    pub(super) fn move_step(&mut self, from: usize, to: usize) {
        if from < self.order.len() && to < self.order.len() && from != to {
            let step = self.order.remove(from);
            self.order.insert(to, step);
            self.moved = true;
        }
    }
}
