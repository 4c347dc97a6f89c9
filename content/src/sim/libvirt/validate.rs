//! `virt-xml-validate FILE [TYPE]`: checks a file against libvirt's RNG schema. GuestLab models
//! the schema rules a learner runs into — the root element, `<name>`, the domain's `type`
//! attribute, memory values and units — and answers with xmllint's messages (all on standard
//! error) and exit statuses: 0 valid, 1 not well-formed, 2 missing file, 3 invalid. The schema
//! is looser than `virsh define`: a domain without `<memory>` or `<os>` validates, but libvirt
//! refuses to define it.

use super::xml::{self, child};
use crate::sim::shell::Ctx;

pub const USAGE: &str = "Usage:
    virt-xml-validate XML-FILE [SCHEMA-NAME]

    SCHEMA-NAME is one of domain, network, storagepool, storagevol, domainsnapshot
    (GuestLab's subset); without it the root element decides.
";

const UNITS: &[&str] =
    &["b", "bytes", "KB", "k", "K", "KiB", "MB", "M", "m", "MiB", "GB", "G", "g", "GiB", "TB", "T", "t", "TiB"];

pub fn virt_xml_validate(ctx: &mut Ctx<'_>, argv: &[String]) -> i32 {
    let Some(file) = argv.get(1) else {
        ctx.err(USAGE);
        return 1;
    };
    if file == "--help" || file == "-h" {
        ctx.out(USAGE);
        return 0;
    }
    let Ok(ino) = ctx.resolve(file, true) else {
        ctx.err(&format!("/usr/bin/virt-xml-validate: document {file} does not exist\n"));
        return 2;
    };
    let Ok(f) = ctx.fs().file(ino) else {
        ctx.err(&format!("/usr/bin/virt-xml-validate: document {file} does not exist\n"));
        return 2;
    };
    let text = String::from_utf8_lossy(&f.read_all(1 << 20)).into_owned();
    let (messages, status) = validate(file, &text, argv.get(2).map(String::as_str));
    ctx.err(&messages);
    status
}

/// The messages and exit status of validating `text` (from `file`).
pub fn validate(file: &str, text: &str, schema: Option<&str>) -> (String, i32) {
    let doc = match xml::parse(text, "x") {
        Ok(d) => d,
        Err(m) => {
            // xml::parse words it for libvirt: "(x):LINE: MESSAGE".
            let rest = m.trim_end().trim_start_matches("(x):");
            let (line, msg) = rest.split_once(": ").unwrap_or(("1", rest));
            return (format!("{file}:{line}: parser error : {msg}\n\n^\n"), 1);
        }
    };
    let root = doc.root_element();
    let kind = match schema {
        Some(s) => s.to_owned(),
        None => match root.tag_name().name() {
            "pool" => "storagepool".to_owned(),
            "volume" => "storagevol".to_owned(),
            r @ ("domain" | "network" | "domainsnapshot") => r.to_owned(),
            _ => return (format!("/usr/bin/virt-xml-validate: cannot determine schema type for {file}\n"), 3),
        },
    };
    let line = |n: roxmltree::Node<'_, '_>| doc.text_pos_at(n.range().start).row;
    let root_name = root.tag_name().name();
    let mut errors: Vec<String> = Vec::new();
    let element_of = |n: roxmltree::Node<'_, '_>| {
        format!("{file}:{}: element {}: Relax-NG validity error : ", line(n), n.tag_name().name())
    };
    if kind == "domain" {
        if root.attribute("type").is_none() {
            // xmllint names the first child node; whitespace before it makes that the domain.
            let first = root.first_child().filter(roxmltree::Node::is_element).unwrap_or(root);
            errors.push(format!("{}Element domain failed to validate content", element_of(first)));
        } else if let Some(memory) = child(root, "memory") {
            let bad_unit = memory.attribute("unit").filter(|u| !UNITS.contains(u));
            let value = memory.text().unwrap_or_default().trim();
            if bad_unit.is_some() {
                errors.push(format!("{}Invalid attribute unit for element memory", element_of(memory)));
            } else if value.parse::<u64>().is_err() {
                errors.push(format!("{}Type unsignedLong doesn't allow value '{value}'", element_of(memory)));
            }
            if !errors.is_empty() {
                errors.push("Relax-NG validity error : Extra element memory in interleave".to_owned());
                errors.push(format!("{}Invalid sequence in interleave", element_of(root)));
                errors.push(format!("{}Element domain failed to validate content", element_of(root)));
            }
        }
    }
    if errors.is_empty()
        && matches!(kind.as_str(), "domain" | "network" | "storagepool" | "storagevol" | "domainsnapshot")
    {
        let named = child(root, "name").is_some_and(|n| !n.text().unwrap_or_default().trim().is_empty());
        if !named && kind != "domainsnapshot" {
            errors.push(format!("{}Expecting an element name, got nothing", element_of(root)));
            errors.push(format!("{}Invalid sequence in interleave", element_of(root)));
            if kind == "domain" {
                errors.push(format!("{}Invalid sequence in interleave", element_of(root)));
            }
            errors.push(format!("{}Element {root_name} failed to validate content", element_of(root)));
        }
    }
    if errors.is_empty() {
        (format!("{file} validates\n"), 0)
    } else {
        (format!("{}\n{file} fails to validate\n", errors.join("\n")), 3)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The expected texts are what virt-xml-validate (libvirt 9.0, xmllint 2.9) printed for these
    // files on Debian 12.
    #[test]
    fn messages_match_the_real_tool() {
        assert_eq!(
            validate("ok.xml", "<domain type='kvm'>\n  <name>x</name>\n  <memory>1024</memory>\n</domain>\n", None),
            ("ok.xml validates\n".to_owned(), 0)
        );
        assert_eq!(
            validate(
                "nn2.xml",
                "<domain type='kvm'>\n  <memory>1024</memory>\n  <os><type>hvm</type></os>\n</domain>\n",
                None
            )
            .0,
            "nn2.xml:1: element domain: Relax-NG validity error : Expecting an element name, got nothing\nnn2.xml:1: element domain: Relax-NG validity error : Invalid sequence in interleave\nnn2.xml:1: element domain: Relax-NG validity error : Invalid sequence in interleave\nnn2.xml:1: element domain: Relax-NG validity error : Element domain failed to validate content\nnn2.xml fails to validate\n"
        );
        assert_eq!(
            validate("bu2.xml", "<domain type='kvm'>\n  <name>a</name>\n  <memory unit='MiX'>1024</memory>\n  <os><type>hvm</type></os>\n</domain>\n", None).0,
            "bu2.xml:3: element memory: Relax-NG validity error : Invalid attribute unit for element memory\nRelax-NG validity error : Extra element memory in interleave\nbu2.xml:1: element domain: Relax-NG validity error : Invalid sequence in interleave\nbu2.xml:1: element domain: Relax-NG validity error : Element domain failed to validate content\nbu2.xml fails to validate\n"
        );
        assert_eq!(
            validate(
                "notype.xml",
                "<domain><name>c</name><memory>1024</memory><os><type>hvm</type></os></domain>\n",
                None
            )
            .0,
            "notype.xml:1: element name: Relax-NG validity error : Element domain failed to validate content\nnotype.xml fails to validate\n"
        );
        assert_eq!(
            validate(
                "malformed.xml",
                "<domain type='kvm'><name>a</name><memory>1024</memory><os><type>hvm</type></os>\n",
                None
            ),
            ("malformed.xml:2: parser error : Premature end of data in tag domain line 1\n\n^\n".to_owned(), 1)
        );
        assert_eq!(
            validate("nomem.xml", "<domain type='kvm'><name>b</name><os><type>hvm</type></os></domain>\n", None).1,
            0
        );
        assert_eq!(
            validate("foo.xml", "<foo/>\n", None),
            ("/usr/bin/virt-xml-validate: cannot determine schema type for foo.xml\n".to_owned(), 3)
        );
        assert_eq!(
            validate("n2.xml", "<network></network>\n", None).0,
            "n2.xml:1: element network: Relax-NG validity error : Expecting an element name, got nothing\nn2.xml:1: element network: Relax-NG validity error : Invalid sequence in interleave\nn2.xml:1: element network: Relax-NG validity error : Element network failed to validate content\nn2.xml fails to validate\n"
        );
    }
}
