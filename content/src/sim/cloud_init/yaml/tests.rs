//! The resolver, the constructor and PyYAML's error texts, checked against values and messages
//! PyYAML 6.0 gave for the same input.

use super::*;

fn value(text: &str) -> Value {
    parse(&format!("k: {text}\n")).expect("parses").get("k").expect("has k").value.clone()
}

fn repr_of(text: &str) -> String {
    parse(text).expect("parses").repr()
}

#[test]
fn yaml_1_1_booleans_and_nulls() {
    for t in ["yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"] {
        assert_eq!(value(t), Value::Bool(true), "{t}");
    }
    for t in ["no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"] {
        assert_eq!(value(t), Value::Bool(false), "{t}");
    }
    for t in ["yEs", "y", "n", "tRUE", "'yes'", "\"no\""] {
        assert!(matches!(value(t), Value::Str(_)), "{t}");
    }
    for t in ["~", "null", "Null", "NULL", ""] {
        assert_eq!(value(t), Value::Null, "{t}");
    }
    assert_eq!(value("nULL"), Value::Str("nULL".into()));
}

#[test]
fn yaml_1_1_numbers() {
    assert_eq!(value("0644"), Value::Int(420));
    assert_eq!(value("0o644"), Value::Str("0o644".into()));
    assert_eq!(value("0x1F"), Value::Int(31));
    assert_eq!(value("0b101"), Value::Int(5));
    assert_eq!(value("1_000"), Value::Int(1000));
    assert_eq!(value("-17"), Value::Int(-17));
    assert_eq!(value("+0"), Value::Int(0));
    assert_eq!(value("1:30"), Value::Int(90));
    assert_eq!(value("190:20:30"), Value::Int(685_230));
    assert_eq!(value("09"), Value::Str("09".into()));
    assert_eq!(value("1.5"), Value::Float(1.5));
    assert_eq!(value("1."), Value::Float(1.0));
    assert_eq!(value(".5"), Value::Float(0.5));
    assert_eq!(value("1.0e+3"), Value::Float(1000.0));
    assert_eq!(value("1e3"), Value::Str("1e3".into()));
    assert_eq!(value("1:30.5"), Value::Float(90.5));
    assert_eq!(value(".inf"), Value::Float(f64::INFINITY));
    assert_eq!(value("-.Inf"), Value::Float(f64::NEG_INFINITY));
    assert!(matches!(value(".NaN"), Value::Float(f) if f.is_nan()));
    assert_eq!(value("'0644'"), Value::Str("0644".into()));
}

#[test]
fn timestamps() {
    assert_eq!(value("2024-01-31"), Value::Date(Date { year: 2024, month: 1, day: 31 }));
    assert_eq!(value("2024-1-31"), Value::Str("2024-1-31".into()));
    assert_eq!(
        repr_of("a: 2001-12-14t21:59:43.10-05:00"),
        "{'a': datetime.datetime(2001, 12, 14, 21, 59, 43, 100000, tzinfo=datetime.timezone(datetime.timedelta(days=-1, seconds=68400)))}"
    );
    assert_eq!(
        repr_of("a: 2001-12-14 21:59:00Z"),
        "{'a': datetime.datetime(2001, 12, 14, 21, 59, tzinfo=datetime.timezone.utc)}"
    );
}

#[test]
fn mappings_keep_first_position_and_last_value() {
    assert_eq!(repr_of("a: 1\nb: 2\na: 3\n"), "{'a': 3, 'b': 2}");
    assert_eq!(repr_of("1: x\ntrue: y\n1.0: z\n"), "{1: 'z'}");
    assert_eq!(
        repr_of("base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n"),
        "{'base': {'x': 1, 'y': 2}, 'd': {'x': 1, 'y': 3}}"
    );
    assert_eq!(repr_of("- a\n- [b, {c: d}]\n- 'it''s'\n"), "['a', ['b', {'c': 'd'}], \"it's\"]");
    assert_eq!(repr_of("k: |\n  line1\n  line2\nf: >\n  a\n  b\n"), "{'k': 'line1\\nline2\\n', 'f': 'a b\\n'}");
    assert_eq!(repr_of(""), "None");
    assert_eq!(repr_of("# only a comment\n"), "None");
    assert_eq!(repr_of("!!binary aGk="), "b'hi'");
}

#[test]
fn positions_are_one_based() {
    let doc = parse("#cloud-config\nusers:\n  - name: bob\n    shell: /bin/sh\n").expect("parses");
    let users = doc.get("users").expect("users");
    assert_eq!((users.line, users.column), (3, 3));
    let bob = &users.as_seq().expect("a list")[0];
    assert_eq!((bob.line, bob.column), (3, 5));
    let shell = bob.get("shell").expect("shell");
    assert_eq!((shell.line, shell.column, shell.as_str()), (4, 12, Some("/bin/sh")));
}

#[test]
fn errors_are_pyyaml_texts() {
    let e = parse("#cloud-config\nhostname: a\npackages:\n  - vim\n runcmd:\n  - ls\n").expect_err("bad indentation");
    assert_eq!(
        e.message,
        "while parsing a block mapping\n  in \"<byte string>\", line 2, column 1:\n    hostname: a\n    ^\nexpected <block end>, but found '<block mapping start>'\n  in \"<byte string>\", line 5, column 2:\n     runcmd:\n     ^"
    );
    assert_eq!((e.line, e.column, e.problem_at), (2, 1, Some((5, 2))));

    let e = parse("a: 1\n\tb: 2\n").expect_err("tab");
    assert_eq!(
        e.message,
        "while scanning for the next token\nfound character '\\t' that cannot start any token\n  in \"<byte string>\", line 2, column 1:\n    \tb: 2\n    ^"
    );
    assert_eq!((e.line, e.column), (2, 1));

    let e = parse("a: \"abc\n").expect_err("unclosed quote");
    assert_eq!(
        e.message,
        "while scanning a quoted scalar\n  in \"<byte string>\", line 1, column 4:\n    a: \"abc\n       ^\nfound unexpected end of stream\n  in \"<byte string>\", line 2, column 1:\n    \n    ^"
    );

    let e = parse("a: b: c\n").expect_err("mapping value");
    assert_eq!(
        e.message,
        "mapping values are not allowed here\n  in \"<byte string>\", line 1, column 5:\n    a: b: c\n        ^"
    );

    let e = parse("a: *nothere\n").expect_err("alias");
    assert_eq!(
        e.message,
        "found undefined alias 'nothere'\n  in \"<byte string>\", line 1, column 4:\n    a: *nothere\n       ^"
    );

    let e = parse("a: [1, 2\n").expect_err("flow");
    assert_eq!(
        e.message,
        "while parsing a flow sequence\n  in \"<byte string>\", line 1, column 4:\n    a: [1, 2\n       ^\nexpected ',' or ']', but got '<stream end>'\n  in \"<byte string>\", line 2, column 1:\n    \n    ^"
    );
}
