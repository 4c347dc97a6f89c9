//! The keyboard-only flow (issue 8): a learner who cannot use a mouse moves with Tab, activates
//! with Enter or Space and answers with the number keys — through a lesson's question and
//! through a whole exam to its score. Nothing here clicks.

use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use guestlab::GuestLabApp;
use guestlab::persist::State;
use guestlab::screens::ScreenId;
use guestlab_content::Lang;
use guestlab_content::lesson::LessonSet;

const FIXTURE: &str = r#"+++
(id: "fixture", title: "Fixture lesson", order: 1, objectives: ["102.6"])
+++
# Machine IDs {#ids}

Text.

```quiz
[
    Single(id: "fx-single", question: "Which file holds the machine ID?", options: ["/etc/machine-id", "/etc/hostid"], answer: 1, explanation: "systemd reads it."),
]
```
"#;

fn harness(app: GuestLabApp) -> Harness<'static, GuestLabApp> {
    Harness::builder().with_size([1280.0, 900.0]).build_ui_state(|ui, app: &mut GuestLabApp| app.ui_main(ui), app)
}

fn app_on(screen: ScreenId) -> GuestLabApp {
    let state = State { language_chosen: true, last_screen: screen, ..State::default() };
    let mut app = GuestLabApp::with_state(state, Lang::En, None);
    app.set_now(Some(1_796_472_000.0));
    app
}

fn press(h: &mut Harness<'_, GuestLabApp>, key: Key) {
    h.key_press(key);
    h.run();
}

/// Presses Tab until a widget with this role and label has the keyboard focus; the number of
/// presses it took. Panics when `max` presses do not get there.
fn tab_to(h: &mut Harness<'_, GuestLabApp>, role: Role, label: &str, max: usize) -> usize {
    for presses in 1..=max {
        press(h, Key::Tab);
        if h.query_all_by_role_and_label(role, label).any(|node| node.is_focused()) {
            return presses;
        }
    }
    panic!("{max} presses of Tab did not reach the {role:?} {label:?}");
}

fn record(h: &Harness<'_, GuestLabApp>, id: &str) -> (u32, u32) {
    h.state().state().progress.questions.get(id).map_or((0, 0), |r| (r.answered, r.correct))
}

#[test]
fn a_lesson_question_is_answered_with_the_keyboard_alone() {
    let mut app = app_on(ScreenId::Home);
    app.set_lessons(Lang::En, LessonSet::load(Lang::En, [("en/01-fixture.md", FIXTURE)]));
    let mut h = harness(app);
    h.run();

    tab_to(&mut h, Role::Button, "Lessons", 40);
    press(&mut h, Key::Enter);
    assert_eq!(h.state().state().last_screen, ScreenId::Lessons);
    tab_to(&mut h, Role::Button, "1. Fixture lesson", 60);
    press(&mut h, Key::Enter);
    assert!(h.query_by_label("Which file holds the machine ID?").is_some(), "the lesson opened");

    tab_to(&mut h, Role::RadioButton, "1. /etc/machine-id", 80);
    press(&mut h, Key::Space);
    tab_to(&mut h, Role::Button, "Check answer", 20);
    press(&mut h, Key::Enter);
    assert!(h.query_by_label("√ Right").is_some(), "the result is shown");
    assert_eq!(record(&h, "fx-single"), (1, 1), "and recorded");
}

#[test]
fn an_exam_runs_to_its_score_with_the_keyboard_alone() {
    let mut h = harness(app_on(ScreenId::Home));
    h.run();

    tab_to(&mut h, Role::Button, "Exam", 40);
    press(&mut h, Key::Enter);
    assert_eq!(h.state().state().last_screen, ScreenId::Exam);
    tab_to(&mut h, Role::Button, "Start exam", 40);
    press(&mut h, Key::Enter);
    assert!(h.query_by_label("Question 1 of 20").is_some(), "the exam started");

    // Every question: the first answer by its number key (a choice question takes it; the
    // others stay unanswered), then N for the next one.
    let mut answered = 0;
    for n in 1..=20 {
        assert!(h.query_by_label(&format!("Question {n} of 20")).is_some(), "question {n} is shown");
        press(&mut h, Key::Num1);
        if h.query_by_role_and_label(Role::Button, &format!("Question {n}, answered")).is_some() {
            answered += 1;
        }
        press(&mut h, Key::N);
    }
    assert!(answered >= 10, "the bank's choice questions took the number key ({answered} of 20)");

    tab_to(&mut h, Role::Button, "Finish exam", 80);
    press(&mut h, Key::Enter);
    let unanswered = 20 - answered;
    if unanswered > 0 {
        assert!(h.query_by_label_contains(&format!("{unanswered} unanswered")).is_some(), "the dialog counts them");
    }
    tab_to(&mut h, Role::Button, "Yes, finish", 20);
    press(&mut h, Key::Enter);

    let exams = &h.state().state().progress.exams;
    assert_eq!(exams.len(), 1, "the exam is recorded");
    let score = exams[0].score;
    assert!((200..=800).contains(&score));
    assert!(h.query_by_label(&format!("Score {score}")).is_some(), "the score is shown");
}
