//! The app's edges to the outside for the training modes: teachers' own lesson files (folders
//! on the desktop, files opened or dropped in the browser), the progress file (saved by path on
//! the desktop, downloaded and picked in the browser), and the wall clock.

use guestlab_content::Lang;
use guestlab_content::lesson::{LessonError, Position};

/// The wall-clock time in seconds since 1970 (UTC); `web-time` reads `Date.now()` in the
/// browser, where `std`'s clock panics.
pub fn system_now() -> f64 {
    web_time::SystemTime::now().duration_since(web_time::UNIX_EPOCH).map_or(0.0, |d| d.as_secs_f64())
}

fn folder_error(dir: &str, message: String) -> LessonError {
    LessonError { file: dir.to_owned(), position: Position { line: 1, column: 1 }, message }
}

/// The lesson files of a teacher's folder (`DIR/en/*.md`, `DIR/de/*.md`, without README.md)
/// as `(DIR/LANG/NAME, text)`, sorted. A folder without lessons, or a file that cannot be read,
/// is an error entry; the rest still loads.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_lesson_dir(dir: &str) -> (Vec<(String, String)>, Vec<LessonError>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let base = std::path::Path::new(dir);
    if !base.is_dir() {
        return (files, vec![folder_error(dir, "cannot open this lesson folder: it does not exist".to_owned())]);
    }
    for lang in Lang::ALL {
        let Ok(entries) = std::fs::read_dir(base.join(lang.code())) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if !name.ends_with(".md") || name == "README.md" {
                continue;
            }
            let shown = format!("{}/{}/{name}", dir.trim_end_matches('/'), lang.code());
            match std::fs::read(&path).map(String::from_utf8) {
                Ok(Ok(text)) => files.push((shown, text)),
                Ok(Err(_)) => errors.push(folder_error(&shown, "the file is not UTF-8 text".to_owned())),
                Err(err) => errors.push(folder_error(&shown, format!("cannot read the file: {err}"))),
            }
        }
    }
    if files.is_empty() && errors.is_empty() {
        errors.push(folder_error(dir, format!("no lesson files in {dir}/en or {dir}/de")));
    }
    guestlab_content::order::sort(&mut files);
    (files, errors)
}

/// The browser has no folders to read.
#[cfg(target_arch = "wasm32")]
pub fn read_lesson_dir(dir: &str) -> (Vec<(String, String)>, Vec<LessonError>) {
    (Vec::new(), vec![folder_error(dir, "the web app cannot read folders; open the lesson files instead".to_owned())])
}

/// The path a lesson file opened by name only (web, drag and drop) is loaded under: its
/// language folder from the name's own `en/`/`de/` part, else the learner's language.
pub fn opened_lesson_path(name: &str, lang: Lang) -> String {
    let name = name.replace('\\', "/");
    if let Some(folder) = name.rsplit('/').nth(1)
        && Lang::from_code(folder).is_some()
    {
        let file = name.rsplit('/').next().unwrap_or_default();
        return format!("{folder}/{file}");
    }
    let file = name.rsplit('/').next().unwrap_or_default();
    format!("{}/{file}", lang.code())
}

/// Text files dropped on the window, as `(name or path, text)`: on the desktop those of this
/// frame; in the browser, where files are read asynchronously, those that finished reading
/// since the last call. Files that are not UTF-8 text are skipped (and logged).
pub fn dropped_files(ctx: &egui::Context) -> Vec<(String, String)> {
    let dropped = ctx.input(|i| i.raw.dropped_files.clone());
    #[cfg(not(target_arch = "wasm32"))]
    {
        let mut out = Vec::new();
        for file in dropped {
            let name = file.path().display().to_string();
            match file.bytes().map(String::from_utf8) {
                Ok(Ok(text)) => out.push((name, text)),
                _ => log::warn!("{name}: not a readable text file"),
            }
        }
        out
    }
    #[cfg(target_arch = "wasm32")]
    {
        thread_local! {
            static DROPPED: web::Inbox = web::Inbox::default();
        }
        DROPPED.with(|inbox| {
            for file in dropped {
                let inbox = inbox.clone();
                let ctx = ctx.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let name = file.path().display().to_string();
                    match file.bytes_async().await.map(String::from_utf8) {
                        Ok(Ok(text)) => {
                            inbox.push(name, text);
                            ctx.request_repaint();
                        }
                        _ => log::warn!("{name}: not a readable text file"),
                    }
                });
            }
            inbox.take()
        })
    }
}

/// The browser side: a file picker whose results arrive in an inbox, and downloads.
#[cfg(target_arch = "wasm32")]
pub mod web {
    use std::cell::RefCell;
    use std::rc::Rc;

    use eframe::wasm_bindgen::JsCast;
    use eframe::wasm_bindgen::closure::Closure;

    /// Files the learner picked: (name, text), collected by the next frames.
    #[derive(Clone, Default)]
    pub struct Inbox(Rc<RefCell<Vec<(String, String)>>>);

    impl Inbox {
        /// Takes what arrived since the last call.
        pub fn take(&self) -> Vec<(String, String)> {
            std::mem::take(&mut *self.0.borrow_mut())
        }

        pub fn push(&self, name: String, text: String) {
            self.0.borrow_mut().push((name, text));
        }
    }

    /// Opens the browser's file picker for files matching `accept` (e.g. `.md`); their text
    /// arrives in `inbox`, and `ctx` is asked to repaint.
    pub fn pick_files(accept: &str, multiple: bool, inbox: &Inbox, ctx: &egui::Context) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Ok(input) = document.create_element("input").map(JsCast::unchecked_into::<web_sys::HtmlInputElement>)
        else {
            return;
        };
        input.set_type("file");
        input.set_accept(accept);
        input.set_multiple(multiple);
        let inbox = inbox.clone();
        let ctx = ctx.clone();
        let target = input.clone();
        let on_change = Closure::once_into_js(move || {
            let Some(files) = target.files() else {
                return;
            };
            for i in 0..files.length() {
                let Some(file) = files.get(i) else {
                    continue;
                };
                let inbox = inbox.clone();
                let ctx = ctx.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let name = file.name();
                    match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                        Ok(text) => {
                            inbox.push(name, text.as_string().unwrap_or_default());
                            ctx.request_repaint();
                        }
                        Err(err) => log::warn!("{name}: {err:?}"),
                    }
                });
            }
        });
        input.set_onchange(Some(on_change.unchecked_ref()));
        input.click();
    }

    /// Offers `text` as a download named `name`.
    pub fn download(name: &str, text: &str) -> Result<(), String> {
        let error = |e: eframe::wasm_bindgen::JsValue| format!("{e:?}");
        let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
        let parts = js_sys::Array::of1(&eframe::wasm_bindgen::JsValue::from_str(text));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("application/ron");
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(error)?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(error)?;
        let anchor = document.create_element("a").map_err(error)?.unchecked_into::<web_sys::HtmlAnchorElement>();
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
        web_sys::Url::revoke_object_url(&url).map_err(error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opened_files_go_to_their_language_folder() {
        assert_eq!(opened_lesson_path("09-my-topic.md", Lang::De), "de/09-my-topic.md");
        assert_eq!(opened_lesson_path("course/en/09-my-topic.md", Lang::De), "en/09-my-topic.md");
        assert_eq!(opened_lesson_path("C:\\x\\de\\09-a.md", Lang::En), "de/09-a.md");
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn a_folder_is_read_with_its_language_folders() {
        let dir = std::env::temp_dir().join(format!("guestlab-teacher-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("en")).expect("mkdir");
        std::fs::write(dir.join("en/09-extra.md"), "x").expect("write");
        std::fs::write(dir.join("en/README.md"), "x").expect("write");
        std::fs::write(dir.join("en/notes.txt"), "x").expect("write");
        std::fs::write(dir.join("en/10-bad.md"), [0xff, 0xfe]).expect("write");
        let shown = dir.display().to_string();
        let (files, errors) = read_lesson_dir(&shown);
        assert_eq!(files, vec![(format!("{shown}/en/09-extra.md"), "x".to_owned())]);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].to_string(), format!("{shown}/en/10-bad.md:1:1: the file is not UTF-8 text"));
        let (files, errors) = read_lesson_dir(&format!("{shown}/nothing"));
        assert!(files.is_empty());
        assert_eq!(errors[0].message, "cannot open this lesson folder: it does not exist");
        std::fs::remove_dir_all(&dir).ok();
    }
}
