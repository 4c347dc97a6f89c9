//! The browser glue around [`GuestLabApp`]: the URL hash and the history (deep links, back and
//! forward), the page's title, language and accessibility mirror, and the service worker's news
//! of a new version. eframe repaints on `hashchange` and `popstate`, so a hash changed from
//! outside wakes the app; it is read once per frame, which costs nothing while the app is idle.

use eframe::wasm_bindgen::JsValue;

use crate::GuestLabApp;
use crate::app::Update;
use crate::page::{self, Page};
use crate::route::HistoryUpdate;

/// The `localStorage` key of the version the app last ran as.
const VERSION_KEY: &str = "guestlab-version";

pub struct WebApp {
    app: GuestLabApp,
    /// The page as last written to the DOM.
    written: Page,
    update_ready_shown: bool,
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The version `web/build.sh` wrote into `<meta name="guestlab-version">`.
fn page_version() -> Option<String> {
    let meta = document()?.query_selector("meta[name=guestlab-version]").ok()??;
    meta.get_attribute("content").filter(|v| !v.starts_with("__"))
}

impl WebApp {
    pub fn new(mut app: GuestLabApp) -> Self {
        if let Some(window) = web_sys::window() {
            let location = window.location();
            let base = format!(
                "{}{}{}",
                location.origin().unwrap_or_default(),
                location.pathname().unwrap_or_default(),
                location.search().unwrap_or_default()
            );
            app.set_link_base(&base);
            // A version newer than the last one seen here: say so once.
            if let (Some(version), Ok(Some(storage))) = (page_version(), window.local_storage()) {
                let seen = storage.get_item(VERSION_KEY).ok().flatten();
                if seen.as_deref().is_some_and(|s| s != version) {
                    app.notify_update(Update::Installed);
                }
                storage.set_item(VERSION_KEY, &version).ok();
            }
        }
        Self { app, written: Page::default(), update_ready_shown: false }
    }
}

impl eframe::App for WebApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let Some(window) = web_sys::window() else {
            self.app.ui_main(ui);
            return;
        };
        let hash = window.location().hash().unwrap_or_default();
        self.app.incoming_hash(&hash);
        // index.html marks the page when the service worker installed a newer version.
        if !self.update_ready_shown
            && document()
                .and_then(|d| d.document_element())
                .and_then(|html| html.get_attribute("data-update"))
                .is_some_and(|v| v == "ready")
        {
            self.update_ready_shown = true;
            self.app.notify_update(Update::Ready);
        }

        self.app.ui_main(ui);

        if let Some(update) = self.app.outgoing_hash()
            && let Ok(history) = window.history()
        {
            let result = match &update {
                HistoryUpdate::Push(h) => history.push_state_with_url(&JsValue::NULL, "", Some(h)),
                HistoryUpdate::Replace(h) => history.replace_state_with_url(&JsValue::NULL, "", Some(h)),
            };
            if let Err(err) = result {
                log::warn!("could not update the address bar: {err:?}");
            }
        }
        if self.app.page() != &self.written {
            page::web::write(self.app.page(), &self.written);
            self.written = self.app.page().clone();
        }
    }
}
