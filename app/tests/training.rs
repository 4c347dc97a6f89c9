//! Practice, Exam, Review and Progress driven like a learner, by accessible role and label:
//! a question of each kind (a simulator task after running its command in the lab), an exam
//! to its score, a review, the progress page, progress surviving a restart, and a teacher's
//! broken lesson file; and the keyboard-only flow (issue 8): Tab to move, Enter or Space to
//! activate, number keys to answer — through a lesson's question and a whole exam, nothing clicked.

use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use guestlab::GuestLabApp;
use guestlab::persist::{self, MemoryStore, State};
use guestlab::screens::ScreenId;
use guestlab_content::Lang;
use guestlab_content::lesson::exam::{ExamItem, assemble};
use guestlab_content::lesson::{LessonSet, QuestionKind};

/// 2026-12-05 12:00 UTC (day 20792).
const NOON: f64 = 1_796_428_800.0 + 43_200.0;
const DAY: f64 = 86_400.0;

const FIXTURE: &str = r#"+++
(id: "fixture", title: "Fixture lesson", order: 1, objectives: ["102.6"])
+++
# Machine IDs {#ids}

Text.

```quiz
[
    Single(id: "fx-single", question: "Which file holds the machine ID?", options: ["/etc/machine-id", "/etc/hostid"], answer: 1, explanation: "systemd reads it."),
    Multiple(id: "fx-multiple", question: "Pick the two Greek letters.", choose: 2, options: ["alpha", "bet", "gamma"], answer: [1, 3], explanation: "Bet is Hebrew."),
    Blank(id: "fx-blank", question: "Complete: `dbus-uuidgen ___`", accept: ["--ensure"], explanation: "It creates a missing ID."),
    Order(id: "fx-order", question: "Count.", steps: ["one", "two", "three"], explanation: "One, two, three."),
    SimTask(id: "fx-task", question: "Make bookworm start with the host.", sim: "sim:libvirt", check: "domain-autostart-link", explanation: "virsh autostart makes the link."),
]
```
"#;

fn harness(app: GuestLabApp) -> Harness<'static, GuestLabApp> {
    Harness::builder().with_size([1280.0, 900.0]).build_ui_state(|ui, app: &mut GuestLabApp| app.ui_main(ui), app)
}

fn app_on(screen: ScreenId) -> GuestLabApp {
    let state = State { language_chosen: true, last_screen: screen, ..State::default() };
    let mut app = GuestLabApp::with_state(state, Lang::En, None);
    app.set_now(Some(NOON));
    app
}

fn fixture_app(screen: ScreenId) -> GuestLabApp {
    let mut app = app_on(screen);
    app.set_lessons(Lang::En, LessonSet::load(Lang::En, [("en/01-fixture.md", FIXTURE)]));
    app
}

fn click(h: &mut Harness<'_, GuestLabApp>, role: Role, label: &str) {
    h.get_by_role_and_label(role, label).click();
    h.run();
}

/// Clicks the option with this text, at whatever place the shuffle put it ("2. alpha").
fn pick(h: &mut Harness<'_, GuestLabApp>, role: Role, text: &str) {
    let label = format!("{}. {text}", place(h, text));
    click(h, role, &label);
}

/// The place (from 1) at which the option with this text is shown.
fn place(h: &Harness<'_, GuestLabApp>, text: &str) -> usize {
    (1..=9)
        .find(|n| h.query_all_by_label(&format!("{n}. {text}")).next().is_some())
        .unwrap_or_else(|| panic!("no option {text:?} shown"))
}

/// Clicks the navigation entry (the first button with that label).
fn nav(h: &mut Harness<'_, GuestLabApp>, label: &str) {
    let button = h.get_all_by_role_and_label(Role::Button, label).next();
    button.unwrap_or_else(|| panic!("no navigation entry {label:?}")).click();
    h.run();
}

fn record(h: &Harness<'_, GuestLabApp>, id: &str) -> (u32, u32) {
    h.state().state().progress.questions.get(id).map_or((0, 0), |r| (r.answered, r.correct))
}

/// Puts the steps of the Order question in order with the Move up buttons.
fn solve_order(h: &mut Harness<'_, GuestLabApp>, steps: &[&str]) {
    for (target, step) in steps.iter().enumerate() {
        let place = (1..=steps.len())
            .find(|p| h.query_by_label(&format!("≡ {p}. {step}")).is_some())
            .unwrap_or_else(|| panic!("step {step} not shown"));
        for _ in target + 1..place {
            click(h, Role::Button, &format!("Move up: {step}"));
        }
    }
}

#[test]
fn practice_asks_and_grades_a_question_of_each_kind() {
    let mut h = harness(fixture_app(ScreenId::Practice));
    h.run();
    assert!(h.query_by_label("Question 1 of 5").is_some());

    // Single: a wrong pick first, then another try.
    pick(&mut h, Role::RadioButton, "/etc/hostid");
    click(&mut h, Role::Button, "Check answer");
    assert!(h.query_by_label("× Not right").is_some());
    assert!(h.query_by_label("systemd reads it.").is_some(), "the explanation is shown");
    assert!(h.query_by_role_and_label(Role::Link, "Fixture lesson › Machine IDs").is_some());
    assert_eq!(record(&h, "fx-single"), (1, 0));
    click(&mut h, Role::Button, "Try again");
    pick(&mut h, Role::RadioButton, "/etc/machine-id");
    click(&mut h, Role::Button, "Check answer");
    assert!(h.query_by_label("√ Right").is_some());
    // The learner had seen the right answer: the retry is practice, not a second answer.
    assert_eq!(record(&h, "fx-single"), (1, 0));
    click(&mut h, Role::Button, "Next question");

    // Multiple: choose 2, by clicking and by the number keys.
    assert!(h.query_by_label("Choose 2 · 0 chosen").is_some());
    pick(&mut h, Role::CheckBox, "alpha");
    // The key of the place "gamma" is shown at.
    let key = [egui::Key::Num1, egui::Key::Num2, egui::Key::Num3][place(&h, "gamma") - 1];
    h.key_press(key);
    h.run();
    assert!(h.query_by_label("Choose 2 · 2 chosen").is_some());
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.query_by_label("√ Right").is_some(), "Enter checks the answer");
    assert_eq!(record(&h, "fx-multiple"), (1, 1));
    h.key_press(egui::Key::N);
    h.run();

    // Blank: typed, Enter checks.
    assert!(h.query_by_label("Question 3 of 5").is_some(), "N goes on");
    let input = h.get_by_role(Role::TextInput);
    input.focus();
    input.type_text("--ensure");
    h.run();
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(h.query_by_label("√ Right").is_some());
    assert_eq!(record(&h, "fx-blank"), (1, 1));
    click(&mut h, Role::Button, "Next question");

    // Order: rearranged with the Move up buttons.
    solve_order(&mut h, &["one", "two", "three"]);
    click(&mut h, Role::Button, "Check answer");
    assert!(h.query_by_label("√ Right").is_some());
    assert_eq!(record(&h, "fx-order"), (1, 1));
    click(&mut h, Role::Button, "Next question");

    // Simulator task: a check before anything was typed does not count; then a wrong try
    // (something else typed), then the task done in the lab's terminal.
    click(&mut h, Role::Button, "Check");
    assert!(h.query_by_label_contains("Nothing has been typed in the simulator yet").is_some());
    assert_eq!(record(&h, "fx-task"), (0, 0));
    click(&mut h, Role::Button, "Open the simulator");
    assert_eq!(h.state().state().last_screen, ScreenId::LibvirtHost);
    let type_command = |h: &mut Harness<'_, GuestLabApp>, command: &str| {
        let input = h.get_by_role(Role::TextInput);
        input.focus();
        input.type_text(command);
        h.run();
        h.key_press(egui::Key::Enter);
        h.run();
    };
    type_command(&mut h, "virsh list --all");
    nav(&mut h, "Practice");
    click(&mut h, Role::Button, "Check");
    assert!(h.query_by_label("× Not yet: the simulated world does not show it.").is_some());
    assert_eq!(record(&h, "fx-task"), (1, 0));
    nav(&mut h, "libvirt host");
    type_command(&mut h, "virsh autostart bookworm");
    nav(&mut h, "Practice");
    assert!(h.query_by_label("Question 5 of 5").is_some(), "Practice kept its place");
    click(&mut h, Role::Button, "Try again");
    click(&mut h, Role::Button, "Check");
    assert!(h.query_by_label("√ Done: the simulated world shows it.").is_some());
    assert_eq!(record(&h, "fx-task"), (2, 1));
}

/// The first seed from 1 whose first exam question is a Single.
fn seed_with_single_first(set: &LessonSet) -> (u64, ExamItem) {
    (1..100)
        .map(|seed| (seed, assemble(set, seed, 20).items.remove(0)))
        .find(|(_, item)| {
            matches!(
                set.lesson(&item.lesson_id).and_then(|l| l.question(&item.question_id)).map(|q| &q.kind),
                Some(QuestionKind::Single { .. })
            )
        })
        .expect("a seed")
}

#[test]
fn an_exam_runs_to_its_score_and_its_review() {
    let set = LessonSet::embedded(Lang::En);
    let (seed, first) = seed_with_single_first(&set);
    let question = set.lesson(&first.lesson_id).and_then(|l| l.question(&first.question_id)).expect("question");
    let QuestionKind::Single { correct, .. } = question.kind else { unreachable!() };
    let place = first.order.iter().position(|&o| o == correct).expect("shown") + 1;

    let mut h = harness(app_on(ScreenId::Exam));
    h.run();
    let seed_field = h.get_by_role_and_label(Role::TextInput, "Seed");
    seed_field.focus();
    h.run();
    // Replace the proposed seed.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_role_and_label(Role::TextInput, "Seed").type_text(&seed.to_string());
    h.run();
    click(&mut h, Role::Button, "Start exam");
    assert!(h.query_by_label("Question 1 of 20").is_some());
    assert!(
        h.query_by_label_contains("Time left 30:00").is_some() || h.query_by_label_contains("Time left 29:").is_some()
    );
    assert!(h.query_by_label(&format!("Seed {seed}")).is_some());

    // The right answer by its number key, a flag on question 2, then hand in.
    let key = [egui::Key::Num1, egui::Key::Num2, egui::Key::Num3, egui::Key::Num4, egui::Key::Num5][place - 1];
    h.key_press(key);
    h.run();
    assert!(h.query_by_label("√ Right").is_none(), "no feedback during the exam");
    click(&mut h, Role::Button, "Next →");
    click(&mut h, Role::CheckBox, "Flag for review");
    // The overview tells a screen reader what it shows.
    assert!(h.query_by_role_and_label(Role::Button, "Question 1, answered").is_some());
    assert!(h.query_by_role_and_label(Role::Button, "Question 2, unanswered, flagged").is_some());
    click(&mut h, Role::Button, "Finish exam");
    assert!(h.query_by_label("19 unanswered · 1 flagged").is_some());
    click(&mut h, Role::Button, "Yes, finish");

    // 1 of 20: 200 + 300·(1/20)/0.65 = 223.
    assert!(h.query_by_label("Score 223").is_some());
    assert!(h.query_by_label("Not passed").is_some());
    let progress = &h.state().state().progress;
    assert_eq!(progress.exams.len(), 1);
    assert_eq!((progress.exams[0].seed, progress.exams[0].right, progress.exams[0].score), (seed, 1, 223));
    assert_eq!(record(&h, &first.question_id), (1, 1), "the answered question is recorded");
    // Review: only the flagged question.
    click(&mut h, Role::RadioButton, "Flagged");
    assert!(h.query_by_label("Question 2 of 20").is_some());
    assert!(h.query_by_label("Question 1 of 20").is_none());
    assert!(h.query_by_label("× Not answered").is_some());
}

#[test]
fn a_review_comes_due_and_is_rated() {
    let mut h = harness(fixture_app(ScreenId::Practice));
    h.run();
    pick(&mut h, Role::RadioButton, "/etc/machine-id");
    click(&mut h, Role::Button, "Check answer");
    // Good on the first answer: due in 2 days.
    let card = h.state().state().progress.questions["fx-single"].card.clone().expect("scheduled");
    assert_eq!(card.due, 20_794);

    nav(&mut h, "Home");
    assert!(h.query_by_label("Reviews due today: 0").is_some());
    h.state_mut().set_now(Some(NOON + 2.0 * DAY));
    h.run();
    assert!(h.query_by_label("Reviews due today: 1").is_some());
    click(&mut h, Role::Button, "Start the review");
    assert_eq!(h.state().state().last_screen, ScreenId::Review);
    assert!(h.query_by_label("Due today: 1").is_some());
    pick(&mut h, Role::RadioButton, "/etc/machine-id");
    click(&mut h, Role::Button, "Check answer");
    assert!(h.query_by_label("Right! How did it feel?").is_some());
    // FSRS-6: Good after 2 days gives stability 10.96, an 11-day interval.
    click(&mut h, Role::Button, "Good · 11 days");
    let card = h.state().state().progress.questions["fx-single"].card.clone().expect("scheduled");
    assert_eq!((card.reps, card.due), (2, 20_794 + 11));
    assert!(h.query_by_label("Due today: 0").is_some());
    assert!(h.query_by_label("Done for today. Come back tomorrow, or practise more.").is_some());

    // An exam date pulls the next review forward: halfway to the exam.
    let date = h.get_by_role_and_label(Role::TextInput, "Exam date");
    date.focus();
    date.type_text("2026-12-15");
    h.run();
    click(&mut h, Role::Button, "Set");
    assert_eq!(h.state().state().progress.exam_date, Some(20_802));
    assert!(h.query_by_label("Your exam is in 8 days").is_some());
    // Reviewed on day 20794 (Dec 7), exam on day 20802: due on day 20798.
    assert!(h.query_by_label("Next review: 2026-12-11").is_some());
}

#[test]
fn progress_is_shown_and_survives_a_restart() {
    let mut h = harness(fixture_app(ScreenId::Practice));
    h.run();
    pick(&mut h, Role::RadioButton, "/etc/hostid");
    click(&mut h, Role::Button, "Check answer");
    click(&mut h, Role::Button, "Next question");
    pick(&mut h, Role::CheckBox, "alpha");
    pick(&mut h, Role::CheckBox, "gamma");
    click(&mut h, Role::Button, "Check answer");
    nav(&mut h, "Progress");
    assert!(h.query_by_label("Streak 1 day in a row").is_some());
    assert!(h.query_by_label("Answered 2/5").is_some());
    assert!(h.query_by_label("Right 1").is_some());
    assert!(h.query_by_label("Fixture lesson").is_some());
    assert!(h.query_by_label("102.6").is_some());

    // A restart: the saved text read back by a new app.
    let saved = persist::encode(h.state().state());
    let store = MemoryStore { text: Some(saved), aside: None };
    let mut app = GuestLabApp::new(Box::new(store), Lang::En);
    app.set_now(Some(NOON));
    app.set_lessons(Lang::En, LessonSet::load(Lang::En, [("en/01-fixture.md", FIXTURE)]));
    assert_eq!(app.state().progress, h.state().state().progress);
    let mut h2 = harness(app);
    h2.run();
    assert_eq!(h2.state().state().last_screen, ScreenId::Progress);
    assert!(h2.query_by_label("Answered 2/5").is_some());
    assert_eq!(record(&h2, "fx-multiple"), (1, 1));
}

#[test]
fn loading_a_progress_file_asks_before_it_replaces_this_devices_progress() {
    let mut h = harness(fixture_app(ScreenId::Practice));
    h.run();
    pick(&mut h, Role::RadioButton, "/etc/hostid");
    click(&mut h, Role::Button, "Check answer");
    let mine = h.state().state().progress.clone();
    assert_eq!(mine.questions.len(), 1);
    // A file from another device, with nothing answered yet.
    let dir = std::env::temp_dir().join(format!("guestlab-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("other.ron");
    let other = guestlab_content::lesson::progress::Progress::default();
    std::fs::write(&file, other.to_ron()).unwrap();

    nav(&mut h, "Progress");
    let field = h.get_by_role_and_label(Role::TextInput, "File");
    field.focus();
    h.key_press_modifiers(egui::Modifiers::COMMAND, Key::A);
    h.get_by_role_and_label(Role::TextInput, "File").type_text(&file.display().to_string());
    h.run();
    click(&mut h, Role::Button, "Load progress from file");
    let question = format!(
        "Replace the progress on this device (questions: 1, exams: 0) with the one in {} (questions: 0, exams: 0)?",
        file.display()
    );
    assert!(h.query_by_label(&question).is_some(), "no question before replacing");
    assert_eq!(h.state().state().progress, mine, "replaced before the learner said so");

    click(&mut h, Role::Button, "Keep this device's progress");
    assert!(h.query_by_label("Nothing loaded: this device's progress is kept.").is_some());
    assert_eq!(h.state().state().progress, mine);

    click(&mut h, Role::Button, "Load progress from file");
    click(&mut h, Role::Button, "Replace");
    assert_eq!(h.state().state().progress, other);
    assert!(h.query_by_label(&format!("Progress loaded from {}", file.display())).is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_teachers_broken_lesson_shows_its_error_and_the_rest_loads() {
    let dir = std::env::temp_dir().join(format!("guestlab-training-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("en")).expect("mkdir");
    std::fs::write(
        dir.join("en/90-extra.md"),
        "+++\n(id: \"extra\", title: \"Extra lesson\", order: 90)\n+++\n# Extra\n",
    )
    .expect("write");
    std::fs::write(dir.join("en/91-broken.md"), "+++\n(id: \"broken\", title: \"Broken\" order: 91)\n+++\n# Oops\n")
        .expect("write");
    let shown = dir.display().to_string();
    let app = app_on(ScreenId::Lessons).with_lesson_dirs(vec![shown.clone()]);
    let mut h = harness(app);
    h.run();
    assert!(h.query_by_label("1. Guests, hypervisors and containers").is_some(), "the built-in lessons load");
    assert!(h.query_by_label("90. Extra lesson").is_some(), "the teacher's good lesson loads");
    let broken = format!("{shown}/en/91-broken.md");
    h.get_by_label(&broken).click();
    h.run();
    let message = h.get_by_label_contains(&format!("{broken}:2:")).value().unwrap_or_default();
    assert_eq!(message, format!("{broken}:2:32: front matter: Expected comma"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_lessons_questions_are_answered_in_place() {
    let mut app = fixture_app(ScreenId::Lessons);
    app.set_now(Some(NOON));
    let mut h = harness(app);
    h.run();
    h.get_by_label("1. Fixture lesson").click();
    h.run();
    assert!(h.query_by_label("Which file holds the machine ID?").is_some(), "the quiz block is drawn in the lesson");
    assert_eq!(h.get_all_by_role_and_label(Role::Button, "Check answer").count(), 4, "four checkable questions");
    pick(&mut h, Role::CheckBox, "alpha");
    pick(&mut h, Role::CheckBox, "gamma");
    let check = h.get_all_by_role_and_label(Role::Button, "Check answer").nth(1).expect("the Multiple's button");
    check.click();
    h.run();
    assert!(h.query_by_label("√ Right").is_some());
    assert_eq!(record(&h, "fx-multiple"), (1, 1));
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

#[test]
fn a_lesson_question_is_answered_with_the_keyboard_alone() {
    let mut h = harness(fixture_app(ScreenId::Home));
    h.run();

    tab_to(&mut h, Role::Button, "Lessons", 40);
    press(&mut h, Key::Enter);
    assert_eq!(h.state().state().last_screen, ScreenId::Lessons);
    tab_to(&mut h, Role::Button, "1. Fixture lesson", 60);
    press(&mut h, Key::Enter);
    assert!(h.query_by_label("Which file holds the machine ID?").is_some(), "the lesson opened");

    let label = format!("{}. /etc/machine-id", place(&h, "/etc/machine-id"));
    tab_to(&mut h, Role::RadioButton, &label, 80);
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
