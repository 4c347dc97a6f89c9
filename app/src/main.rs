//! The `guestlab` binary: the desktop app and the command line (native), or the web app (wasm).

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    use clap::Parser as _;

    let cli = guestlab::cli::Cli::parse();
    match cli.command {
        Some(command) => guestlab::cli::run(command),
        None => match native::run_window(cli.lesson_dirs.iter().map(|d| d.display().to_string()).collect(), cli.open) {
            Ok(()) => std::process::ExitCode::SUCCESS,
            Err(err) => {
                eprintln!("guestlab: could not open the window: {err}");
                std::process::ExitCode::FAILURE
            }
        },
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use guestlab::GuestLabApp;
    use guestlab::app::MIN_WINDOW_SIZE;
    use guestlab::persist::native::FileStore;
    use guestlab::persist::{MemoryStore, Store};
    use guestlab_content::Lang;

    /// The system language from the usual locale variables, in POSIX precedence.
    fn system_language() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|var| std::env::var(var).ok())
            .find(|value| !value.is_empty())
            .map_or(Lang::En, |locale| Lang::from_locale(&locale))
    }

    /// Opens the window; `lesson_dirs` are teachers' lesson folders from `--lessons`.
    /// `open` is a link to open at start (`--open '#/lesson/…'`).
    pub fn run_window(lesson_dirs: Vec<String>, open: Option<String>) -> eframe::Result {
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
        let started = std::time::SystemTime::now();
        let now = started.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let store: Box<dyn Store> = match FileStore::in_data_dir(now) {
            Some(store) => Box::new(store),
            None => {
                log::warn!("no home folder: settings and progress are kept only while GuestLab runs");
                Box::new(MemoryStore::default())
            }
        };

        let icon = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon-256.png")).ok();
        let mut viewport = egui::ViewportBuilder::default()
            .with_title("GuestLab")
            .with_app_id("guestlab")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size(MIN_WINDOW_SIZE);
        if let Some(icon) = icon {
            viewport = viewport.with_icon(icon);
        }
        let options = eframe::NativeOptions { viewport, ..Default::default() };
        eframe::run_native(
            "GuestLab",
            options,
            Box::new(move |cc| {
                guestlab::fonts::install(&cc.egui_ctx);
                let mut app = GuestLabApp::new(store, system_language()).with_lesson_dirs(lesson_dirs);
                if let Some(link) = &open {
                    app.open_link(link);
                }
                if std::env::var_os("GUESTLAB_FRAME_LOG").is_some() {
                    log_frames(&cc.egui_ctx, started);
                }
                Ok(Box::new(app))
            }),
        )
    }

    /// Prints one line per frame with the time since process start, for the startup and idle
    /// measurements in the README (`GUESTLAB_FRAME_LOG=1 guestlab`).
    fn log_frames(ctx: &egui::Context, started: std::time::SystemTime) {
        let frames = std::sync::atomic::AtomicU64::new(0);
        ctx.on_end_pass(
            "frame-log",
            std::sync::Arc::new(move |_ctx| {
                let n = frames.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
                let ms = started.elapsed().map_or(0, |d| d.as_millis());
                eprintln!("guestlab: frame {n} at {ms} ms");
            }),
        );
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    web::start();
}

#[cfg(target_arch = "wasm32")]
mod web {
    use eframe::wasm_bindgen::JsCast as _;
    use guestlab::GuestLabApp;
    use guestlab::persist::web::LocalStore;
    use guestlab::persist::{MemoryStore, Store};
    use guestlab_content::Lang;

    /// Replaces the canvas with a readable message, for a crash after start.
    fn show_crash(message: &str) {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        if let Some(loading) = document.get_element_by_id("loading") {
            loading.remove();
        }
        if let Some(el) = document.get_element_by_id("crash") {
            el.set_class_name("centered visible");
            if let Some(detail) = document.get_element_by_id("crash_detail") {
                detail.set_text_content(Some(message));
            }
        }
    }

    /// The response to a fetch started with `window.fetch`, if it succeeded.
    async fn response(promise: js_sys::Promise, url: &str) -> Result<web_sys::Response, String> {
        let value = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|e| format!("{url}: {e:?}"))?;
        let response: web_sys::Response = value.dyn_into().map_err(|_| format!("{url}: not a response"))?;
        if !response.ok() {
            return Err(format!("{url}: HTTP {}", response.status()));
        }
        Ok(response)
    }

    /// Fetches the lessons bundle and the fonts (kept out of the .wasm; the service worker
    /// caches them for offline use) and hands them to the app's modules.
    async fn fetch_lessons_and_fonts(window: &web_sys::Window) -> Result<(), String> {
        let lessons_url = "lessons.txt";
        let font_urls = guestlab::fonts::FILES.map(|name| format!("fonts/{name}"));
        // All three requests at once (index.html preloads them already).
        let lessons = window.fetch_with_str(lessons_url);
        let fonts = font_urls.clone().map(|url| window.fetch_with_str(&url));
        let text = response(lessons, lessons_url).await?.text().map_err(|e| format!("{lessons_url}: {e:?}"))?;
        let text = wasm_bindgen_futures::JsFuture::from(text).await.map_err(|e| format!("{lessons_url}: {e:?}"))?;
        let count = guestlab_content::lesson::bundle::install(text.as_string().unwrap_or_default())
            .map_err(|e| format!("{lessons_url}: {e}"))?;
        log::info!("{count} lesson files loaded");
        let mut bytes = Vec::new();
        for (promise, url) in fonts.into_iter().zip(&font_urls) {
            let buffer = response(promise, url).await?.array_buffer().map_err(|e| format!("{url}: {e:?}"))?;
            let buffer = wasm_bindgen_futures::JsFuture::from(buffer).await.map_err(|e| format!("{url}: {e:?}"))?;
            bytes.push(js_sys::Uint8Array::new(&buffer).to_vec());
        }
        let [ubuntu_light, hack]: [Vec<u8>; 2] = bytes.try_into().map_err(|_| "the fonts".to_owned())?;
        guestlab::fonts::provide(ubuntu_light, hack);
        Ok(())
    }

    pub fn start() {
        eframe::WebLogger::init(log::LevelFilter::Info).ok();
        let previous_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            previous_hook(info);
            show_crash(&info.to_string());
        }));

        let Some(window) = web_sys::window() else {
            return;
        };
        let language = window.navigator().language().map_or(Lang::En, |l| Lang::from_locale(&l));
        let store: Box<dyn Store> = match LocalStore::new() {
            Some(store) => Box::new(store),
            None => Box::new(MemoryStore::default()),
        };

        wasm_bindgen_futures::spawn_local(async move {
            let Some(document) = window.document() else {
                return;
            };
            let Some(canvas) = document
                .get_element_by_id("the_canvas_id")
                .and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok())
            else {
                show_crash("the page has no <canvas id=\"the_canvas_id\">");
                return;
            };
            if let Err(err) = fetch_lessons_and_fonts(&window).await {
                show_crash(&format!("GuestLab could not load {err}"));
                return;
            }
            let result = eframe::WebRunner::new()
                .start(
                    canvas,
                    eframe::WebOptions::default(),
                    Box::new(move |cc| {
                        guestlab::fonts::install(&cc.egui_ctx);
                        Ok(Box::new(guestlab::web::WebApp::new(GuestLabApp::new(store, language))))
                    }),
                )
                .await;
            match result {
                Ok(()) => {
                    if let Some(loading) = document.get_element_by_id("loading") {
                        loading.remove();
                    }
                    log::info!("GuestLab started");
                }
                Err(err) => show_crash(&format!("GuestLab could not start: {err:?}")),
            }
        });
    }
}
