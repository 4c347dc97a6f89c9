//! Embeds every lesson file under `lessons/` into the crate at compile time, so the web build
//! needs no fetch. The generated list is sorted by path, which keeps builds reproducible.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "md") && path.file_name().is_some_and(|n| n != "README.md") {
            out.push(path);
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let root = manifest.join("..").join("lessons");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for lang in ["en", "de"] {
        let dir = root.join(lang);
        println!("cargo:rerun-if-changed={}", dir.display());
        collect(&dir, &mut files);
    }
    files.sort();
    let mut code = String::from(
        "/// Lesson files embedded at build time: (path relative to `lessons/`, contents).\npub static EMBEDDED_LESSONS: &[(&str, &str)] = &[\n",
    );
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let rel = file.strip_prefix(&root).expect("file lies under lessons/");
        let rel = rel.to_string_lossy().replace('\\', "/");
        let abs = file.canonicalize().expect("lesson file exists");
        writeln!(code, "    ({rel:?}, include_str!({:?})),", abs.display().to_string()).expect("writing to a String");
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_lessons.rs");
    std::fs::write(out, code).expect("OUT_DIR is writable");
}
