use super::*;

const GOOD: &str = "+++\n(\n    id: \"cow-vs-raw\",\n    title: \"Disk images\",\n    order: 3,\n    objectives: [\"102.6\"],\n    minutes: 15,\n)\n+++\n# Disk images {#images}\n\nText with *emphasis*, **strong** and `qemu-img`.\n";

#[test]
fn parses_front_matter_and_body() {
    let lesson = parse_lesson("en/03-cow-vs-raw.md", Lang::En, GOOD).expect("valid lesson");
    assert_eq!(lesson.meta.id, "cow-vs-raw");
    assert_eq!(lesson.meta.title, "Disk images");
    assert_eq!(lesson.meta.order, 3);
    assert_eq!(lesson.meta.objectives, vec!["102.6".to_owned()]);
    assert_eq!(lesson.meta.minutes, 15);
    assert_eq!(lesson.meta.format_version, FORMAT_VERSION);
    assert_eq!(lesson.doc.blocks.len(), 2);
    let headings: Vec<_> = lesson.doc.headings().collect();
    assert_eq!(headings, vec![(1, "images", "Disk images".to_owned())]);
}

#[test]
fn missing_front_matter_is_reported_at_the_start() {
    let err = parse_lesson("en/01-x.md", Lang::En, "# Hello\n").expect_err("no front matter");
    assert_eq!(
        err.to_string(),
        "en/01-x.md:1:1: a lesson file must begin with a RON front-matter block between two \"+++\" lines"
    );
}

#[test]
fn unclosed_front_matter_is_reported() {
    let err = parse_lesson("en/01-x.md", Lang::En, "+++\n(id: \"x\")\n# Hi\n").expect_err("unclosed");
    assert_eq!(err.to_string(), "en/01-x.md:1:1: the front-matter block opened here is not closed by a \"+++\" line");
}

#[test]
fn ron_errors_carry_the_file_line_and_column() {
    // Line 4 of the file (line 3 of the RON) lacks the comma after the title.
    let text = "+++\n(\n    id: \"x\",\n    title: \"T\"\n    order: 1,\n)\n+++\nbody\n";
    let err = parse_lesson("de/01-x.md", Lang::De, text).expect_err("bad RON");
    assert_eq!(err.file, "de/01-x.md");
    assert_eq!(err.position, Position { line: 5, column: 5 });
    assert!(err.message.starts_with("front matter: "), "{}", err.message);
}

#[test]
fn unknown_fields_and_missing_fields_are_errors() {
    let text = "+++\n(id: \"x\", title: \"T\", order: 1, colour: \"red\")\n+++\n";
    let err = parse_lesson("en/01-x.md", Lang::En, text).expect_err("unknown field");
    assert!(err.message.contains("colour"), "{}", err.message);
    let text = "+++\n(id: \"x\", order: 1)\n+++\n";
    let err = parse_lesson("en/01-x.md", Lang::En, text).expect_err("missing title");
    assert!(err.message.contains("title"), "{}", err.message);
}

#[test]
fn id_must_match_file_name_and_be_kebab_case() {
    let err = parse_lesson("en/03-other.md", Lang::En, GOOD).expect_err("mismatch");
    assert_eq!(
        err.to_string(),
        "en/03-other.md:2:1: id \"cow-vs-raw\" does not match the file name, which names \"other\""
    );
    let text = "+++\n(id: \"Cow_Raw\", title: \"T\", order: 1)\n+++\n";
    let err = parse_lesson("x.md", Lang::En, text).expect_err("not kebab");
    assert!(err.message.contains("kebab-case"), "{}", err.message);
}

#[test]
fn newer_format_is_refused() {
    let text = "+++\n(format_version: 99, id: \"x\", title: \"T\", order: 1)\n+++\n";
    let err = parse_lesson("en/01-x.md", Lang::En, text).expect_err("newer");
    assert!(err.message.contains("format_version 99"), "{}", err.message);
}

#[test]
fn a_broken_file_does_not_stop_the_others() {
    let files = [
        ("en/01-a.md", "+++\n(id: \"a\", title: \"A\", order: 1)\n+++\n# A\n"),
        ("en/02-b.md", "no front matter"),
        ("en/03-c.md", "+++\n(id: \"c\", title: \"C\", order: 3)\n+++\n# C\n"),
        ("de/01-a.md", "+++\n(id: \"a\", title: \"A auf Deutsch\", order: 1)\n+++\n"),
    ];
    let set = LessonSet::load(Lang::En, files);
    let ids: Vec<_> = set.lessons.iter().map(|l| l.meta.id.as_str()).collect();
    assert_eq!(ids, vec!["a", "c"]);
    assert_eq!(set.errors.len(), 1);
    assert_eq!(set.errors[0].file, "en/02-b.md");
    let de = LessonSet::load(Lang::De, files);
    assert_eq!(de.lessons.len(), 1);
    assert_eq!(de.lessons[0].meta.title, "A auf Deutsch");
}

#[test]
fn lessons_are_sorted_by_order_and_duplicates_rejected() {
    let files = [
        ("en/02-b.md", "+++\n(id: \"b\", title: \"B\", order: 2)\n+++\n"),
        ("en/01-a.md", "+++\n(id: \"a\", title: \"A\", order: 1)\n+++\n"),
        ("en/09-b.md", "+++\n(id: \"b\", title: \"B again\", order: 9)\n+++\n"),
    ];
    let set = LessonSet::load(Lang::En, files);
    let ids: Vec<_> = set.lessons.iter().map(|l| l.meta.id.as_str()).collect();
    assert_eq!(ids, vec!["a", "b"]);
    assert_eq!(set.errors[0].to_string(), "en/09-b.md:2:1: duplicate lesson id \"b\", already used by en/02-b.md");
}

#[test]
fn embedded_lessons_load_in_both_languages_with_the_same_ids() {
    let en = LessonSet::embedded(Lang::En);
    let de = LessonSet::embedded(Lang::De);
    assert!(en.errors.is_empty(), "{:?}", en.errors);
    assert!(de.errors.is_empty(), "{:?}", de.errors);
    assert!(!en.lessons.is_empty());
    let en_ids: Vec<_> = en.lessons.iter().map(|l| &l.meta.id).collect();
    let de_ids: Vec<_> = de.lessons.iter().map(|l| &l.meta.id).collect();
    assert_eq!(en_ids, de_ids);
}

mod markdown_model {
    use crate::lesson::markdown::{Align, Block, Span, parse, slug};

    fn text(s: &str) -> Span {
        Span { text: s.to_owned(), ..Span::default() }
    }

    #[test]
    fn inline_styles_and_links() {
        let doc = parse("A *b* **c** `d` ~~e~~ [f](sim:disk?scenario=x).\n");
        let Block::Paragraph(spans) = &doc.blocks[0] else { panic!("{doc:?}") };
        assert_eq!(spans[0], text("A "));
        assert_eq!(spans[1], Span { text: "b".into(), emphasis: true, ..Span::default() });
        assert_eq!(spans[3], Span { text: "c".into(), strong: true, ..Span::default() });
        assert_eq!(spans[5], Span { text: "d".into(), code: true, ..Span::default() });
        assert_eq!(spans[7], Span { text: "e".into(), strike: true, ..Span::default() });
        assert_eq!(spans[9], Span { text: "f".into(), link: Some("sim:disk?scenario=x".into()), ..Span::default() });
        assert_eq!(spans[10], text("."));
    }

    #[test]
    fn soft_breaks_join_lines_into_one_span() {
        let doc = parse("one\ntwo\n");
        assert_eq!(doc.blocks, vec![Block::Paragraph(vec![text("one two")])]);
    }

    #[test]
    fn code_lists_quotes_tables_rules() {
        let md = "```sh\nvirsh list --all\n```\n\n- a\n- b\n\n3. x\n4. y\n\n> quoted\n\n| k | v |\n|:--|--:|\n| 1 | 2 |\n\n---\n";
        let doc = parse(md);
        assert_eq!(doc.blocks[0], Block::Code { lang: "sh".into(), text: "virsh list --all\n".into() });
        assert_eq!(
            doc.blocks[1],
            Block::List {
                start: None,
                items: vec![vec![Block::Paragraph(vec![text("a")])], vec![Block::Paragraph(vec![text("b")])]]
            }
        );
        let Block::List { start, items } = &doc.blocks[2] else { panic!() };
        assert_eq!((*start, items.len()), (Some(3), 2));
        assert_eq!(doc.blocks[3], Block::Quote(vec![Block::Paragraph(vec![text("quoted")])]));
        assert_eq!(
            doc.blocks[4],
            Block::Table {
                align: vec![Align::Left, Align::Right],
                head: vec![vec![text("k")], vec![text("v")]],
                rows: vec![vec![vec![text("1")], vec![text("2")]]],
            }
        );
        assert_eq!(doc.blocks[5], Block::Rule);
        assert_eq!(doc.blocks.len(), 6);
    }

    #[test]
    fn nested_lists_stay_inside_their_item() {
        let doc = parse("- a\n  - b\n- c\n");
        let Block::List { items, .. } = &doc.blocks[0] else { panic!() };
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].len(), 2, "{:?}", items[0]);
        assert!(matches!(items[0][1], Block::List { .. }));
    }

    #[test]
    fn heading_anchors() {
        let doc = parse("## The D-Bus machine ID!\n\n## Custom {#custom-id}\n");
        let anchors: Vec<_> = doc.headings().map(|(l, a, _)| (l, a.to_owned())).collect();
        assert_eq!(anchors, vec![(2, "the-d-bus-machine-id".to_owned()), (2, "custom-id".to_owned())]);
        assert_eq!(slug("  Überblick: KVM & Xen "), "überblick-kvm-xen");
    }
}
