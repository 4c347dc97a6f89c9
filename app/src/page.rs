//! What the web page around the canvas says about the app: the document title and language,
//! the current route, and an off-screen mirror of the text on screen for assistive technology
//! (eframe 0.37 draws into one canvas and does not forward its AccessKit tree on the web).
//!
//! The mirror holds the open lesson (headings, paragraphs, lists, code, and its questions with
//! their options), a polite live region with the last terminal command and its output, one with
//! the latest notice or answer result, and one naming the control that has keyboard focus.
//! [`Page`] is the plain model; `web::write` puts it into the DOM elements `index.html` provides
//! (`#a11y-main`, `#a11y-terminal`, `#a11y-status`, `#a11y-focus`).

use guestlab_content::Lang;
use guestlab_content::lesson::Lesson;
use guestlab_content::lesson::markdown::{Block as MdBlock, plain_text};
use guestlab_content::lesson::quiz::QuestionKind;

use crate::lab::{Lab, Line};

/// The most characters of terminal output the live region announces.
const MAX_TERMINAL_CHARS: usize = 2000;

/// One block of mirrored text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Heading { level: u8, text: String },
    Paragraph(String),
    Code(String),
    List(Vec<String>),
}

/// The page's view of the app.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    /// `document.title`.
    pub title: String,
    /// `<html lang>`.
    pub lang: &'static str,
    /// The route's hash, also in `<html data-route>` (the browser tests read it).
    pub route: String,
    /// The text of the current view (the open lesson).
    pub main: Vec<Block>,
    /// The last command and what it printed.
    pub terminal: String,
    /// The latest notice (link copied, version updated, an answer's result).
    pub status: String,
    /// The control that has keyboard focus, named as egui describes it ("Deutsch: radio button").
    pub focus: String,
}

/// A lesson as mirrored text: its title, body and questions (without their answers).
pub fn lesson_blocks(lesson: &Lesson, lang: Lang) -> Vec<Block> {
    let mut out = vec![Block::Heading { level: 1, text: lesson.meta.title.clone() }];
    for block in &lesson.doc.blocks {
        md_block(block, lesson, lang, &mut out);
    }
    out
}

fn md_block(block: &MdBlock, lesson: &Lesson, lang: Lang, out: &mut Vec<Block>) {
    match block {
        MdBlock::Heading { level, spans, .. } => {
            // The lesson title is the page's level 1; the body's headings go one level down.
            out.push(Block::Heading { level: (*level + 1).min(6), text: plain_text(spans) });
        }
        MdBlock::Paragraph(spans) => out.push(Block::Paragraph(plain_text(spans))),
        MdBlock::Code { text, .. } => out.push(Block::Code(text.trim_end_matches('\n').to_owned())),
        MdBlock::List { items, .. } => {
            let items = items.iter().map(|item| blocks_text(item)).collect();
            out.push(Block::List(items));
        }
        MdBlock::Quote(blocks) => {
            for b in blocks {
                md_block(b, lesson, lang, out);
            }
        }
        MdBlock::Table { head, rows, .. } => {
            let row_text = |cells: &Vec<Vec<_>>| cells.iter().map(|c| plain_text(c)).collect::<Vec<_>>().join(" | ");
            let mut items = vec![row_text(head)];
            items.extend(rows.iter().map(row_text));
            out.push(Block::List(items));
        }
        MdBlock::Rule => {}
        MdBlock::Quiz { ids } => {
            for id in ids {
                let Some(q) = lesson.questions.iter().find(|q| &q.id == id) else { continue };
                let label = match lang {
                    Lang::En => "Question",
                    Lang::De => "Frage",
                };
                out.push(Block::Heading { level: 3, text: format!("{label}: {}", q.text) });
                match &q.kind {
                    QuestionKind::Single { options, .. } | QuestionKind::Multiple { options, .. } => {
                        let numbered = options.iter().enumerate().map(|(i, o)| format!("{}. {o}", i + 1)).collect();
                        out.push(Block::List(numbered));
                    }
                    QuestionKind::Blank { .. } | QuestionKind::Order { .. } | QuestionKind::SimTask { .. } => {}
                }
            }
        }
    }
}

/// The plain text of nested blocks (a list item).
fn blocks_text(blocks: &[MdBlock]) -> String {
    let mut parts = Vec::new();
    for block in blocks {
        match block {
            MdBlock::Heading { spans, .. } | MdBlock::Paragraph(spans) => parts.push(plain_text(spans)),
            MdBlock::Code { text, .. } => parts.push(text.trim_end().to_owned()),
            MdBlock::List { items, .. } => parts.extend(items.iter().map(|i| blocks_text(i))),
            MdBlock::Quote(inner) => parts.push(blocks_text(inner)),
            MdBlock::Table { .. } | MdBlock::Rule | MdBlock::Quiz { .. } => {}
        }
    }
    parts.join(" ")
}

/// The last command of the lab's transcript and what it printed, as lines.
pub fn terminal_text(lab: &Lab) -> String {
    // The first line of the last command (continuation lines have the prompt `> `).
    let start =
        lab.transcript.iter().rposition(|l| matches!(l, Line::Input { prompt, .. } if prompt != "> ")).unwrap_or(0);
    let mut out = String::new();
    for line in &lab.transcript[start..] {
        let text = match line {
            Line::Input { prompt, text } => format!("{prompt}{text}"),
            Line::Stdout(t) | Line::Stderr(t) | Line::Note(t) => t.clone(),
        };
        out.push_str(&text);
        out.push('\n');
        if out.len() > MAX_TERMINAL_CHARS {
            let cut = (0..=MAX_TERMINAL_CHARS).rev().find(|&i| out.is_char_boundary(i)).unwrap_or(0);
            out.truncate(cut);
            out.push('…');
            break;
        }
    }
    out.trim_end_matches('\n').to_owned()
}

/// Writes the page model into the DOM: only what changed since `old`.
#[cfg(target_arch = "wasm32")]
pub mod web {
    use super::{Block, Page};

    pub fn write(new: &Page, old: &Page) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        if new.title != old.title {
            document.set_title(&new.title);
        }
        if let Some(html) = document.document_element() {
            if new.lang != old.lang {
                html.set_attribute("lang", new.lang).ok();
            }
            if new.route != old.route {
                html.set_attribute("data-route", &new.route).ok();
            }
        }
        if new.terminal != old.terminal
            && let Some(el) = document.get_element_by_id("a11y-terminal")
        {
            el.set_text_content(Some(&new.terminal));
        }
        if new.status != old.status
            && let Some(el) = document.get_element_by_id("a11y-status")
        {
            el.set_text_content(Some(&new.status));
        }
        if new.focus != old.focus
            && let Some(el) = document.get_element_by_id("a11y-focus")
        {
            el.set_text_content(Some(&new.focus));
        }
        if new.main != old.main
            && let Some(main) = document.get_element_by_id("a11y-main")
        {
            main.set_text_content(None);
            for block in &new.main {
                if let Some(el) = element(&document, block) {
                    main.append_child(&el).ok();
                }
            }
        }
    }

    /// One block as a DOM element; text is set as text, never parsed as HTML.
    fn element(document: &web_sys::Document, block: &Block) -> Option<web_sys::Element> {
        let (tag, text) = match block {
            Block::Heading { level, text } => (format!("h{level}"), Some(text)),
            Block::Paragraph(text) => ("p".to_owned(), Some(text)),
            Block::Code(text) => ("pre".to_owned(), Some(text)),
            Block::List(items) => {
                let list = document.create_element("ul").ok()?;
                for item in items {
                    let li = document.create_element("li").ok()?;
                    li.set_text_content(Some(item));
                    list.append_child(&li).ok()?;
                }
                return Some(list);
            }
        };
        let el = document.create_element(&tag).ok()?;
        el.set_text_content(text.map(String::as_str));
        Some(el)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use guestlab_content::lesson::LessonSet;

    #[test]
    fn a_lesson_is_mirrored_as_headings_paragraphs_and_questions_without_answers() {
        let files = [(
            "en/01-demo.md",
            "+++\n(id: \"demo\", title: \"Demo lesson\", order: 1)\n+++\n# Disk images {#images}\n\nA *raw* image is `sparse`.\n\n- one\n- two\n\n```sh\nls -ls\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```quiz\n[Single(id: \"pick\", question: \"Which is sparse?\", options: [\"raw\", \"qcow2\"], answer: 1, explanation: \"Because.\")]\n```\n",
        )];
        let set = LessonSet::load(Lang::En, files);
        assert!(set.errors.is_empty(), "{:?}", set.errors);
        let lesson = set.lesson("demo").expect("demo");
        assert_eq!(
            lesson_blocks(lesson, Lang::En),
            vec![
                Block::Heading { level: 1, text: "Demo lesson".into() },
                Block::Heading { level: 2, text: "Disk images".into() },
                Block::Paragraph("A raw image is sparse.".into()),
                Block::List(vec!["one".into(), "two".into()]),
                Block::Code("ls -ls".into()),
                Block::List(vec!["a | b".into(), "1 | 2".into()]),
                Block::Heading { level: 3, text: "Question: Which is sparse?".into() },
                Block::List(vec!["1. raw".into(), "2. qcow2".into()]),
            ]
        );
    }

    #[test]
    fn the_terminal_region_holds_the_last_command_and_its_output() {
        let mut lab = Lab::new(1);
        assert_eq!(terminal_text(&lab), "");
        lab.run("echo one");
        lab.run("echo two; echo three >&2");
        assert_eq!(terminal_text(&lab), "root@host:~# echo two; echo three >&2\ntwo\nthree");
        lab.run("cat <<EOF\nhere\nEOF");
        assert_eq!(terminal_text(&lab), "root@host:~# cat <<EOF\n> here\n> EOF\nhere");
    }
}
