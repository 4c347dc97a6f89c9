//! Turns lesson Markdown into a display model ([`Doc`]) once, at load time, so that the UI only
//! draws blocks and spans and never re-parses text per frame.
//!
//! One function, [`options`], owns the pulldown-cmark options; everything that reads lesson
//! Markdown goes through it.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The Markdown dialect of lesson files: CommonMark plus tables, strikethrough and `{#id}`
/// heading anchors.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES
}

/// A lesson body as blocks, ready to be drawn.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Doc {
    pub blocks: Vec<Block>,
}

/// A block-level element.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// `#` … `######`; `anchor` is the `{#id}` given in the file or one derived from the text.
    Heading {
        level: u8,
        anchor: String,
        spans: Vec<Span>,
    },
    Paragraph(Vec<Span>),
    /// A fenced or indented code block; `lang` is the info string (`sh`, `xml`, …), maybe empty.
    Code {
        lang: String,
        text: String,
    },
    /// `start` is the first number of an ordered list, `None` for a bullet list.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Span>>,
        rows: Vec<Vec<Vec<Span>>>,
    },
    Rule,
    /// A ```` ```quiz ```` block: the ids of the questions it holds (the questions themselves are
    /// in [`super::Lesson::questions`]). It is never drawn as code.
    Quiz {
        ids: Vec<String>,
    },
}

/// Column alignment of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    None,
    Left,
    Center,
    Right,
}

/// A run of inline text with one style.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub strong: bool,
    pub emphasis: bool,
    pub strike: bool,
    /// Inline `code`.
    pub code: bool,
    /// The target of the link this span belongs to (`https://…`, `sim:…`, `glossary:…`, `#anchor`).
    pub link: Option<String>,
}

impl Doc {
    /// Every heading as (level, anchor, plain text), for the table of contents.
    pub fn headings(&self) -> impl Iterator<Item = (u8, &str, String)> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Heading { level, anchor, spans } => Some((*level, anchor.as_str(), plain_text(spans))),
            _ => None,
        })
    }
}

/// The text of spans without their styles.
pub fn plain_text(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// A heading anchor in the GitHub style: lowercase, spaces to `-`, punctuation dropped.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c == ' ' || c == '-' || c == '_') && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_owned()
}

#[derive(Default)]
struct InlineStyle {
    strong: u32,
    emphasis: u32,
    strike: u32,
    link: Vec<String>,
}

/// A container being filled while walking the event stream.
enum Frame {
    Root(Vec<Block>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
    Inline {
        kind: InlineKind,
        spans: Vec<Span>,
    },
    Code {
        lang: String,
        text: String,
    },
    /// A quiz block: its RON text and the body offset where that text starts.
    Quiz {
        text: String,
        offset: Option<usize>,
        fence: usize,
    },
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Span>>,
        rows: Vec<Vec<Vec<Span>>>,
        row: Vec<Vec<Span>>,
        in_head: bool,
    },
}

enum InlineKind {
    Paragraph,
    Heading { level: u8, anchor: Option<String> },
    Cell,
}

/// A lesson body: the display model plus what the lesson checks need (quiz blocks and links,
/// with their offsets in the body).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Body {
    pub doc: Doc,
    pub quizzes: Vec<super::quiz::RawQuiz>,
    pub links: Vec<super::links::RawLink>,
}

/// Parses a lesson body into its display model. Markdown itself has no syntax errors; anything
/// unusual (raw HTML, images) is kept as plain text so that nothing a teacher writes disappears
/// silently.
pub fn parse(markdown: &str) -> Doc {
    parse_body(markdown).doc
}

/// Parses a lesson body: the display model, the quiz blocks (left out of the display model but
/// for a [`Block::Quiz`] marker) and the links.
pub fn parse_body(markdown: &str) -> Body {
    let mut stack: Vec<Frame> = vec![Frame::Root(Vec::new())];
    let mut style = InlineStyle::default();
    let mut body = Body::default();
    let mut section: Option<String> = None;

    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info)))
                if info.split_whitespace().next() == Some("quiz") =>
            {
                stack.push(Frame::Quiz { text: String::new(), offset: None, fence: range.start });
            }
            Event::Start(tag) => {
                if let Tag::Link { dest_url, .. } = &tag {
                    body.links.push(super::links::RawLink { target: dest_url.to_string(), offset: range.start });
                }
                start_tag(&mut stack, &mut style, tag);
            }
            Event::End(TagEnd::CodeBlock) if matches!(stack.last(), Some(Frame::Quiz { .. })) => {
                if let Some(Frame::Quiz { text, offset, fence }) = stack.pop() {
                    // An empty block has no text: point at the line after the fence.
                    let offset = offset
                        .unwrap_or_else(|| markdown[fence..].find('\n').map_or(markdown.len(), |nl| fence + nl + 1));
                    body.quizzes.push(super::quiz::RawQuiz { text, offset, section: section.clone() });
                    push_block(&mut stack, Block::Quiz { ids: Vec::new() });
                }
            }
            Event::End(end) => {
                if let (TagEnd::Heading(_), Some(Frame::Inline { kind: InlineKind::Heading { anchor, .. }, spans })) =
                    (&end, stack.last())
                {
                    section = Some(anchor.clone().unwrap_or_else(|| slug(&plain_text(spans))));
                }
                end_tag(&mut stack, &mut style, end);
            }
            Event::Text(text) => match stack.last_mut() {
                Some(Frame::Code { text: code, .. }) => code.push_str(&text),
                Some(Frame::Quiz { text: quiz, offset, .. }) => {
                    offset.get_or_insert(range.start);
                    quiz.push_str(&text);
                }
                _ => push_span(&mut stack, &style, &text, false),
            },
            Event::Code(text) => push_span(&mut stack, &style, &text, true),
            Event::Html(text) | Event::InlineHtml(text) => push_span(&mut stack, &style, &text, false),
            Event::SoftBreak => push_span(&mut stack, &style, " ", false),
            Event::HardBreak => push_span(&mut stack, &style, "\n", false),
            Event::Rule => push_block(&mut stack, Block::Rule),
            Event::FootnoteReference(label) => push_span(&mut stack, &style, &format!("[{label}]"), false),
            Event::TaskListMarker(done) => push_span(&mut stack, &style, if done { "[x] " } else { "[ ] " }, false),
            Event::InlineMath(text) | Event::DisplayMath(text) => push_span(&mut stack, &style, &text, true),
        }
    }
    // Close anything left open (pulldown-cmark balances tags, so this is only the root).
    while stack.len() > 1 {
        let Some(frame) = stack.pop() else { break };
        if let Some(block) = finish(frame) {
            push_block(&mut stack, block);
        }
    }
    if let Some(Frame::Root(blocks)) = stack.pop() {
        body.doc = Doc { blocks };
    }
    body
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn start_tag(stack: &mut Vec<Frame>, style: &mut InlineStyle, tag: Tag<'_>) {
    match tag {
        Tag::Paragraph => {
            stack.push(Frame::Inline { kind: InlineKind::Paragraph, spans: Vec::new() });
        }
        Tag::Heading { level, id, .. } => stack.push(Frame::Inline {
            kind: InlineKind::Heading { level: heading_level(level), anchor: id.map(|s| s.to_string()) },
            spans: Vec::new(),
        }),
        Tag::BlockQuote(_) => stack.push(Frame::Quote(Vec::new())),
        Tag::CodeBlock(kind) => {
            let lang = match kind {
                CodeBlockKind::Fenced(info) => info.split_whitespace().next().unwrap_or_default().to_owned(),
                CodeBlockKind::Indented => String::new(),
            };
            stack.push(Frame::Code { lang, text: String::new() });
        }
        Tag::List(start) => stack.push(Frame::List { start, items: Vec::new() }),
        Tag::Item => stack.push(Frame::Item(Vec::new())),
        Tag::Table(align) => stack.push(Frame::Table {
            align: align
                .into_iter()
                .map(|a| match a {
                    Alignment::None => Align::None,
                    Alignment::Left => Align::Left,
                    Alignment::Center => Align::Center,
                    Alignment::Right => Align::Right,
                })
                .collect(),
            head: Vec::new(),
            rows: Vec::new(),
            row: Vec::new(),
            in_head: false,
        }),
        Tag::TableHead => {
            if let Some(Frame::Table { in_head, .. }) = stack.last_mut() {
                *in_head = true;
            }
        }
        Tag::TableCell => stack.push(Frame::Inline { kind: InlineKind::Cell, spans: Vec::new() }),
        Tag::Emphasis => style.emphasis += 1,
        Tag::Strong => style.strong += 1,
        Tag::Strikethrough => style.strike += 1,
        Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } => style.link.push(dest_url.to_string()),
        Tag::HtmlBlock
        | Tag::TableRow
        | Tag::FootnoteDefinition(_)
        | Tag::DefinitionList
        | Tag::DefinitionListTitle
        | Tag::DefinitionListDefinition
        | Tag::Superscript
        | Tag::Subscript
        | Tag::MetadataBlock(_) => {}
    }
}

fn end_tag(stack: &mut Vec<Frame>, style: &mut InlineStyle, end: TagEnd) {
    match end {
        TagEnd::Emphasis => style.emphasis = style.emphasis.saturating_sub(1),
        TagEnd::Strong => style.strong = style.strong.saturating_sub(1),
        TagEnd::Strikethrough => style.strike = style.strike.saturating_sub(1),
        TagEnd::Link | TagEnd::Image => {
            style.link.pop();
        }
        TagEnd::TableHead => {
            if let Some(Frame::Table { in_head, row, head, .. }) = stack.last_mut() {
                *in_head = false;
                *head = std::mem::take(row);
            }
        }
        TagEnd::TableRow => {
            if let Some(Frame::Table { row, rows, .. }) = stack.last_mut() {
                rows.push(std::mem::take(row));
            }
        }
        TagEnd::TableCell => {
            if let Some(Frame::Inline { spans, .. }) = stack.pop()
                && let Some(Frame::Table { row, .. }) = stack.last_mut()
            {
                row.push(spans);
            }
        }
        TagEnd::Item => {
            // Items are not blocks of their own: a closed item goes into its list.
            if let Some(Frame::Item(blocks)) = stack.pop()
                && let Some(Frame::List { items, .. }) = stack.last_mut()
            {
                items.push(blocks);
            }
        }
        TagEnd::Paragraph
        | TagEnd::Heading(_)
        | TagEnd::BlockQuote(_)
        | TagEnd::CodeBlock
        | TagEnd::List(_)
        | TagEnd::Table => {
            if stack.len() > 1
                && let Some(block) = stack.pop().and_then(finish)
            {
                push_block(stack, block);
            }
        }
        _ => {}
    }
}

fn finish(frame: Frame) -> Option<Block> {
    match frame {
        Frame::Inline { kind: InlineKind::Paragraph, spans } => Some(Block::Paragraph(spans)),
        Frame::Inline { kind: InlineKind::Heading { level, anchor }, spans } => {
            let anchor = anchor.unwrap_or_else(|| slug(&plain_text(&spans)));
            Some(Block::Heading { level, anchor, spans })
        }
        Frame::Inline { kind: InlineKind::Cell, spans } => Some(Block::Paragraph(spans)),
        Frame::Quote(blocks) => Some(Block::Quote(blocks)),
        Frame::List { start, items } => Some(Block::List { start, items }),
        Frame::Code { lang, text } => Some(Block::Code { lang, text }),
        Frame::Quiz { .. } => Some(Block::Quiz { ids: Vec::new() }),
        Frame::Table { align, head, rows, .. } => Some(Block::Table { align, head, rows }),
        Frame::Item(blocks) => Some(Block::List { start: None, items: vec![blocks] }),
        Frame::Root(blocks) => Some(Block::Quote(blocks)),
    }
}

fn push_block(stack: &mut [Frame], block: Block) {
    match stack.last_mut() {
        Some(Frame::Root(blocks) | Frame::Quote(blocks) | Frame::Item(blocks)) => blocks.push(block),
        Some(Frame::List { items, .. }) => items.push(vec![block]),
        Some(Frame::Inline { .. } | Frame::Code { .. } | Frame::Quiz { .. } | Frame::Table { .. }) | None => {}
    }
}

fn push_span(stack: &mut [Frame], style: &InlineStyle, text: &str, code: bool) {
    let span = Span {
        text: text.to_owned(),
        strong: style.strong > 0,
        emphasis: style.emphasis > 0,
        strike: style.strike > 0,
        code,
        link: style.link.last().cloned(),
    };
    match stack.last_mut() {
        Some(Frame::Inline { spans, .. }) => {
            // Merge with the previous span when the style is the same: fewer widgets to draw.
            if let Some(last) = spans.last_mut()
                && last.strong == span.strong
                && last.emphasis == span.emphasis
                && last.strike == span.strike
                && last.code == span.code
                && last.link == span.link
            {
                last.text.push_str(&span.text);
            } else {
                spans.push(span);
            }
        }
        // Tight list items hold text without a paragraph: wrap it in one.
        Some(Frame::Item(blocks)) => {
            if let Some(Block::Paragraph(spans)) = blocks.last_mut() {
                spans.push(span);
            } else {
                blocks.push(Block::Paragraph(vec![span]));
            }
        }
        Some(Frame::Code { text: code_text, .. } | Frame::Quiz { text: code_text, .. }) => code_text.push_str(text),
        Some(Frame::Root(blocks) | Frame::Quote(blocks)) => blocks.push(Block::Paragraph(vec![span])),
        Some(Frame::List { .. } | Frame::Table { .. }) | None => {}
    }
}
