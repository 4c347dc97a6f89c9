//! `cloud-init schema` texts for small configs, as cloud-init 22.4.2 printed them (the
//! differential test `tests/cloud_init_schema_diff.rs` compares many more with the real tool).

use super::*;

#[test]
fn the_embedded_schema_loads() {
    let s = schema();
    assert!(s.get("$defs").and_then(|d| d.get("cc_users_groups")).is_some());
    assert_eq!(s.get("allOf").and_then(Node::as_seq).map(<[Node]>::len), Some(56));
}

#[test]
fn valid_config() {
    let r = validate("ok.yaml", "#cloud-config\nhostname: web1\npackages: [nginx]\n");
    assert_eq!((r.stdout.as_str(), r.stderr.as_str(), r.status), ("Valid cloud-config: ok.yaml\n", "", 0));
    assert!(r.problems.is_empty());
}

#[test]
fn missing_header() {
    let r = validate("bad1.yaml", "hostname: a\n");
    assert_eq!(r.stdout, "");
    assert_eq!(
        r.stderr,
        "Error:\nCloud config schema errors: format-l1.c1: File bad1.yaml needs to begin with \"#cloud-config\"\n"
    );
    assert_eq!(r.status, 1);
}

#[test]
fn type_errors_and_deprecations_with_positions() {
    let r = validate("b.yaml", "#cloud-config\nssh_pwauth: maybe\npackages: vim\n");
    let dep = "Cloud config schema deprecations: ssh_pwauth: DEPRECATED: Use of non-boolean values for this field is DEPRECATED and will result in an error in a future version of cloud-init.";
    assert_eq!(r.stdout, format!("{dep}\n"));
    assert_eq!(
        r.stderr,
        format!("Error:\nCloud config schema errors: packages: 'vim' is not of type 'array'\n\n{dep}\n")
    );
    assert_eq!(r.status, 1);
    assert_eq!(r.problems[0].kind, ProblemKind::Error);
    assert_eq!((r.problems[0].line, r.problems[0].column), (3, 11));
    assert_eq!(r.problems[1].kind, ProblemKind::Deprecation);
    assert_eq!((r.problems[1].line, r.problems[1].column), (2, 13));
}

#[test]
fn errors_without_deprecations_still_print_the_empty_deprecation_line() {
    let r = validate("p.yaml", "#cloud-config\npackages: vim\n");
    assert_eq!(r.stdout, "Cloud config schema deprecations: \n");
    assert_eq!(r.stderr, "Error:\nCloud config schema errors: packages: 'vim' is not of type 'array'\n");
}

#[test]
fn not_a_mapping() {
    let r = validate("h.yaml", "#cloud-config\n");
    assert_eq!((r.stderr.as_str(), r.status), ("Error:\nCloud-config is not a YAML dict.\n", 1));
}
