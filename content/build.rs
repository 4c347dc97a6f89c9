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
    // The web build fetches the lessons as a bundle instead (lesson::bundle), which keeps them
    // out of the .wasm; GUESTLAB_EMBED_LESSONS=1 embeds them there too.
    println!("cargo:rerun-if-env-changed=GUESTLAB_EMBED_LESSONS");
    let web = std::env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32")
        && std::env::var_os("GUESTLAB_EMBED_LESSONS").is_none();
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
        "/// Lesson files embedded at build time: (path relative to `lessons/`, contents).\nstatic COMPILED_LESSONS: &[(&str, &str)] = &[\n",
    );
    for file in files.iter().filter(|_| !web) {
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
