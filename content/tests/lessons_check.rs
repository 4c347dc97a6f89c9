//! `guestlab lessons check` on a folder of broken lessons: every kind of error, with its exact
//! text and place.

use guestlab_content::Lang;
use guestlab_content::lesson::check::check_folder;

const FILES: &[(&str, &str)] = &[
    ("en/01-alpha.md", include_str!("fixtures/broken/en/01-alpha.md")),
    ("en/02-beta.md", include_str!("fixtures/broken/en/02-beta.md")),
    ("de/01-alpha.md", include_str!("fixtures/broken/de/01-alpha.md")),
];

#[test]
fn every_kind_of_error_is_reported_with_its_place() {
    let report = check_folder(FILES);
    let errors: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    let known = guestlab_content::lesson::links::SIM_LINKS.join(", ");
    let expected = vec![
        "de/01-alpha.md:8:5: question \"a-one\" is Order here but Single in en/01-alpha.md".to_owned(),
        "de/01-alpha.md:9:5: question \"a-three\" has no English version: en/01-alpha.md has no question with this id"
            .to_owned(),
        "de/01-alpha.md:10:5: question \"a-four\" is in section \"alpha\" here but in \"second\" in en/01-alpha.md"
            .to_owned(),
        format!("en/01-alpha.md:6:5: unknown simulator link \"sim:nowhere\"; known links: {known}"),
        "en/01-alpha.md:6:35: link to \"#missing\": en/01-alpha.md has no heading with the anchor \"missing\""
            .to_owned(),
        "en/01-alpha.md:7:5: link to \"lesson:nosuch\": there is no lesson with the id \"nosuch\"".to_owned(),
        "en/01-alpha.md:12:5: question \"a-two\" has no German version: de/01-alpha.md has no question with this id"
            .to_owned(),
        "en/02-beta.md:2:1: lesson \"beta\" has no German version".to_owned(),
        "en/02-beta.md:7:1: duplicate question id \"a-one\", already used at en/01-alpha.md:11:5".to_owned(),
        "en/02-beta.md:15:5: quiz: Expected comma".to_owned(),
        "en/02-beta.md:20:64: answer 4 does not exist: the options are numbered 1 to 3".to_owned(),
        "en/02-beta.md:27:5: choose: 2 does not match the 3 answers given".to_owned(),
        format!("en/02-beta.md:35:37: unknown simulator link \"sim:clone\"; known links: {known}"),
    ];
    assert_eq!(errors, expected);
}

#[test]
fn the_report_counts_lessons_and_questions() {
    let report = check_folder(FILES);
    assert_eq!(report.lessons, vec![(Lang::En, 2), (Lang::De, 1)]);
    // en: the three of alpha (beta's a-one is a duplicate and dropped, its others are broken);
    // de: all three.
    assert_eq!(report.questions, vec![(Lang::En, 3), (Lang::De, 3)]);
}

#[test]
fn the_shipped_lessons_pass() {
    let report = check_folder(&guestlab_content::lesson::EMBEDDED_LESSONS);
    let errors: Vec<String> = report.errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors, Vec::<String>::new());
    assert_eq!(report.lessons[0].1, report.lessons[1].1);
    assert_eq!(report.questions[0].1, report.questions[1].1);
}

#[test]
fn the_example_in_the_teachers_readme_is_valid() {
    let readme = include_str!("../../lessons/README.md");
    let start = readme.find("```quiz\n").expect("the README shows a quiz block");
    let end = start + readme[start..].find("\n```\n").expect("closed") + 5;
    let lesson = format!("+++\n(id: \"x\", title: \"X\", order: 1)\n+++\n# X\n\n{}", &readme[start..end]);
    let parsed = guestlab_content::lesson::parse_lesson("en/01-x.md", Lang::En, &lesson).expect("front matter");
    assert_eq!(parsed.problems, vec![]);
    let kinds: Vec<_> = parsed.questions.iter().map(|q| q.kind.name()).collect();
    assert_eq!(kinds, vec!["Single", "Multiple", "Blank", "Order", "SimTask"]);
}
