//! `cloud-init schema --config-file FILE` of cloud-init 22.4.2 (Debian 12): the header check,
//! PyYAML's loading, and jsonschema validation against the schema cloud-init ships
//! (`schema-cloud-config-v1.json`, every module's keys, trimmed by `trim.py` to the keywords
//! that validate), with the texts, streams and exit status of the real command.
//!
//! [`validate`] gives both what the command prints and each problem with its line and column,
//! so that an editor can show it at its line.

mod validator;

use std::sync::OnceLock;

use super::yaml::{self, Node, Value};
pub use validator::{PathPart, Problem, py_eq};
use validator::{Validator, sort_by_path};

/// The schema of cloud-init 22.4.2, as Debian 12 ships it (descriptions dropped except the
/// deprecation texts).
const SCHEMA_JSON: &str = include_str!("schema-cloud-config-v1.json");

fn schema() -> &'static Node {
    static SCHEMA: OnceLock<Node> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        // JSON is YAML; the embedded file is checked by a test, so this cannot fail at run time.
        yaml::parse(SCHEMA_JSON).unwrap_or(Node { value: Value::Null, line: 1, column: 1 })
    })
}

/// What kind of problem a [`SchemaProblem`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The file does not start with `#cloud-config`.
    Header,
    /// PyYAML could not load it.
    Yaml,
    /// It loaded, but not as a mapping (`Cloud-config is not a YAML dict.`).
    NotAMapping,
    /// A schema error (makes the command fail).
    Error,
    /// A deprecation (printed, but the config is still valid).
    Deprecation,
}

/// One problem, with where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaProblem {
    pub kind: ProblemKind,
    /// The dotted path cloud-init prints (`users.0`), or `format-l5.c2` for header and YAML
    /// problems; empty when there is none.
    pub path: String,
    /// The message after the path.
    pub message: String,
    /// 1-based line and column of the value (for YAML errors: of the problem itself).
    pub line: usize,
    pub column: usize,
}

/// The outcome of `cloud-init schema --config-file FILE`.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaReport {
    pub stdout: String,
    pub stderr: String,
    pub status: i32,
    /// Errors first, then deprecations, each in the order cloud-init prints them.
    pub problems: Vec<SchemaProblem>,
}

impl SchemaReport {
    /// Whether cloud-init calls the file valid (deprecations allowed).
    pub fn valid(&self) -> bool {
        self.status == 0
    }

    fn failed(message: &str, problems: Vec<SchemaProblem>) -> Self {
        Self { stdout: String::new(), stderr: format!("Error:\n{message}\n"), status: 1, problems }
    }
}

fn format_problems(problems: &[&SchemaProblem]) -> String {
    let parts: Vec<String> = problems.iter().map(|p| format!("{}: {}", p.path, p.message)).collect();
    parts.join(", ")
}

/// Validates a user-data text as `cloud-init schema --config-file FILE_NAME` does.
pub fn validate(file_name: &str, text: &str) -> SchemaReport {
    validate_bytes(file_name, text.as_bytes())
}

/// As [`validate`], for the file's bytes (which need not be UTF-8).
pub fn validate_bytes(file_name: &str, content: &[u8]) -> SchemaReport {
    if !content.starts_with(b"#cloud-config") {
        let problem = SchemaProblem {
            kind: ProblemKind::Header,
            path: "format-l1.c1".to_owned(),
            message: format!("File {file_name} needs to begin with \"#cloud-config\""),
            line: 1,
            column: 1,
        };
        let message = format!("Cloud config schema errors: {}", format_problems(&[&problem]));
        return SchemaReport::failed(&message, vec![problem]);
    }
    let loaded = match std::str::from_utf8(content) {
        Ok(text) => yaml::parse(text),
        Err(e) => Err(utf8_error(content, &e)),
    };
    let doc = match loaded {
        Ok(doc) => doc,
        Err(e) => {
            let (line, column) = e.problem_at.unwrap_or((e.line, e.column));
            let problem = SchemaProblem {
                kind: ProblemKind::Yaml,
                path: format!("format-l{}.c{}", e.line, e.column),
                message: format!("File {file_name} is not valid yaml. {}", e.message),
                line,
                column,
            };
            let message = format!("Cloud config schema errors: {}", format_problems(&[&problem]));
            return SchemaReport::failed(&message, vec![problem]);
        }
    };
    if doc.as_map().is_none() {
        let problem = SchemaProblem {
            kind: ProblemKind::NotAMapping,
            path: String::new(),
            message: "Cloud-config is not a YAML dict.".to_owned(),
            line: doc.line,
            column: doc.column,
        };
        return SchemaReport::failed("Cloud-config is not a YAML dict.", vec![problem]);
    }
    let validator = Validator { root: schema() };
    let mut found = validator.errors(&doc, schema());
    sort_by_path(&mut found);
    let to_problem = |p: &Problem| SchemaProblem {
        kind: if p.deprecation { ProblemKind::Deprecation } else { ProblemKind::Error },
        path: p.dotted_path(),
        message: p.message.clone(),
        line: p.line,
        column: p.column,
    };
    let errors: Vec<SchemaProblem> = found.iter().filter(|p| !p.deprecation).map(to_problem).collect();
    let deprecations: Vec<SchemaProblem> = found.iter().filter(|p| p.deprecation).map(to_problem).collect();
    let mut report = SchemaReport { stdout: String::new(), stderr: String::new(), status: 0, problems: Vec::new() };
    let deprecation_line =
        format!("Cloud config schema deprecations: {}", format_problems(&deprecations.iter().collect::<Vec<_>>()));
    if !errors.is_empty() || !deprecations.is_empty() {
        // Printed whenever validation raised, even with no deprecations in it.
        report.stdout.push_str(&deprecation_line);
        report.stdout.push('\n');
    }
    if errors.is_empty() {
        report.stdout.push_str(&format!("Valid cloud-config: {file_name}\n"));
    } else {
        let mut message =
            format!("Cloud config schema errors: {}", format_problems(&errors.iter().collect::<Vec<_>>()));
        if !deprecations.is_empty() {
            message.push_str("\n\n");
            message.push_str(&deprecation_line);
        }
        report.stderr = format!("Error:\n{message}\n");
        report.status = 1;
    }
    report.problems = errors.into_iter().chain(deprecations).collect();
    report
}

/// PyYAML's reader error for bytes that are not UTF-8: Python's codec reason, printed (as
/// PyYAML 6.0 does for byte strings) in the unacceptable-character form.
fn utf8_error(content: &[u8], e: &std::str::Utf8Error) -> yaml::YamlError {
    let position = e.valid_up_to();
    let byte = content[position];
    let reason = match e.error_len() {
        None => "unexpected end of data",
        Some(_) if (0x80..=0xc1).contains(&byte) || byte >= 0xf5 => "invalid start byte",
        Some(_) => "invalid continuation byte",
    };
    yaml::YamlError {
        message: format!("unacceptable character #x{byte:04x}: {reason}\n  in \"<byte string>\", position {position}"),
        line: 1,
        column: 1,
        problem_at: None,
    }
}

#[cfg(test)]
mod tests;
