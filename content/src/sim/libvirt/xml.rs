//! Reading and writing XML the way libvirt does: two-space indentation, single-quoted
//! attributes, the "auto-generated file" header on saved configs, and parse errors in the words
//! of libxml2 (`(domain_definition):LINE: ...`).

use std::fmt::Write as _;

/// Escapes text for an attribute value or element content.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&apos;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// An indented XML writer.
#[derive(Default)]
pub struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn open_tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            let _ = write!(self.out, " {k}='{}'", escape(v));
        }
    }

    /// `<name attrs>` on its own line; children follow until [`Writer::close`].
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.open_tag(name, attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    pub fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        let _ = writeln!(self.out, "</{name}>");
    }

    /// `<name attrs/>`.
    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.open_tag(name, attrs);
        self.out.push_str("/>\n");
    }

    /// `<name attrs>text</name>`.
    pub fn text(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open_tag(name, attrs);
        let _ = writeln!(self.out, ">{}</{name}>", escape(text));
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// The comment libvirt puts at the top of every config file it saves.
pub fn saved_file(xml: &str, edit_command: &str) -> String {
    format!(
        "<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE. CHANGES TO IT ARE LIKELY TO BE\nOVERWRITTEN AND LOST. Changes to this xml configuration should be made using:\n  {edit_command}\nor other application using the libvirt API.\n-->\n\n{xml}"
    )
}

/// Parses XML; an error is worded as libxml2 words it for libvirt, for `what` (e.g.
/// `domain_definition`).
pub fn parse<'a>(text: &'a str, what: &str) -> Result<roxmltree::Document<'a>, String> {
    roxmltree::Document::parse(text).map_err(|e| {
        let pos = e.pos();
        let message = match &e {
            roxmltree::Error::UnexpectedEndOfStream | roxmltree::Error::UnclosedRootNode => {
                // libxml2 reports where the data ended and the tag that is still open.
                let open = open_tag_at_end(text).unwrap_or_default();
                let line = text.lines().count() + usize::from(text.ends_with('\n'));
                return format!("({what}):{line}: Premature end of data in tag {} line {}\n", open.0, open.1);
            }
            roxmltree::Error::UnexpectedCloseTag(expected, actual, _) => {
                format!("Opening and ending tag mismatch: {expected} and {actual}")
            }
            roxmltree::Error::NoRootNode => {
                return format!("({what}):1: Document is empty\n");
            }
            other => {
                let text = other.to_string();
                text.split(" at ").next().unwrap_or(&text).to_owned()
            }
        };
        format!("({what}):{}: {message}\n", pos.row)
    })
}

/// The innermost element still open at the end of `text`, with its line (for libxml2's
/// "Premature end of data" message).
fn open_tag_at_end(text: &str) -> Option<(String, usize)> {
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut rest = text;
    let mut consumed = 0;
    while let Some(start) = rest.find('<') {
        let tag_start = consumed + start;
        let after = &rest[start + 1..];
        let end = after.find('>')?;
        let inner = &after[..end];
        let line = text[..tag_start].matches('\n').count() + 1;
        if let Some(name) = inner.strip_prefix('/') {
            if stack.last().is_some_and(|(n, _)| n == name.trim()) {
                stack.pop();
            }
        } else if !inner.starts_with('?') && !inner.starts_with('!') && !inner.ends_with('/') {
            let name = inner.split_whitespace().next().unwrap_or_default();
            stack.push((name.to_owned(), line));
        }
        consumed = tag_start + 1 + end + 1;
        rest = &text[consumed..];
    }
    stack.pop()
}

/// The text of the first child element called `name`.
pub fn child_text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<&'a str> {
    child(node, name).map(|c| c.text().unwrap_or_default())
}

/// The first child element called `name`.
pub fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    node.children().find(|c| c.is_element() && c.tag_name().name() == name)
}

/// Every child element called `name`.
pub fn children<'a>(node: roxmltree::Node<'a, 'a>, name: &'a str) -> impl Iterator<Item = roxmltree::Node<'a, 'a>> {
    node.children().filter(move |c| c.is_element() && c.tag_name().name() == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncated_document_is_reported_as_libxml2_does() {
        let err = parse(
            "<domain type='kvm'><name>a</name><memory>1024</memory><os><type>hvm</type></os>\n",
            "domain_definition",
        )
        .unwrap_err();
        assert_eq!(err, "(domain_definition):2: Premature end of data in tag domain line 1\n");
    }

    #[test]
    fn the_writer_indents_and_quotes() {
        let mut w = Writer::default();
        w.open("network", &[]);
        w.text("name", &[], "a&b");
        w.empty("bridge", &[("name", "virbr0")]);
        w.close("network");
        assert_eq!(w.finish(), "<network>\n  <name>a&amp;b</name>\n  <bridge name='virbr0'/>\n</network>\n");
    }
}
