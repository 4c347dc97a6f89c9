//! The fonts GuestLab draws with: subsets of egui's default fonts (see
//! `assets/fonts/make_subsets.py`), which keep the web app small. Ubuntu Light for text, Hack
//! for code and the terminal, each falling back to the other.
//!
//! The desktop build embeds them. The web build fetches them beside the `.wasm` (`fonts/`,
//! copied by `web/build.sh`, cached by the service worker) and hands them over with [`provide`]
//! before the app starts: 150 KB less to compile and download as part of the `.wasm`.

use std::sync::Arc;

/// The file names of the two fonts, in `assets/fonts/` and in the web site's `fonts/`.
pub const FILES: [&str; 2] = ["UbuntuLight-derivative-GuestLab.ttf", "Hack-derivative-GuestLab.ttf"];

#[cfg(target_arch = "wasm32")]
static PROVIDED: std::sync::OnceLock<[&'static [u8]; 2]> = std::sync::OnceLock::new();

/// Hands over the fetched font files (web), in the order of [`FILES`]. They are kept for the life
/// of the page, as embedded fonts are.
#[cfg(target_arch = "wasm32")]
pub fn provide(ubuntu_light: Vec<u8>, hack: Vec<u8>) {
    let _ = PROVIDED.set([Box::leak(ubuntu_light.into_boxed_slice()), Box::leak(hack.into_boxed_slice())]);
}

/// The bytes of the two fonts: embedded on the desktop, provided on the web (empty before).
fn bytes() -> [&'static [u8]; 2] {
    #[cfg(not(target_arch = "wasm32"))]
    {
        [
            include_bytes!("../../assets/fonts/UbuntuLight-derivative-GuestLab.ttf"),
            include_bytes!("../../assets/fonts/Hack-derivative-GuestLab.ttf"),
        ]
    }
    #[cfg(target_arch = "wasm32")]
    {
        PROVIDED.get().copied().unwrap_or([&[], &[]])
    }
}

/// Installs GuestLab's fonts into a context (before the first frame).
pub fn install(ctx: &egui::Context) {
    let [ubuntu_light, hack] = bytes();
    if ubuntu_light.is_empty() || hack.is_empty() {
        // The web page did not provide them: keep what the context has rather than no font.
        log::error!("GuestLab's fonts are missing");
        return;
    }
    let mut fonts = egui::FontDefinitions::empty();
    fonts.font_data.insert("ubuntu-light".to_owned(), Arc::new(egui::FontData::from_static(ubuntu_light)));
    fonts.font_data.insert("hack".to_owned(), Arc::new(egui::FontData::from_static(hack)));
    fonts.families.insert(egui::FontFamily::Proportional, vec!["ubuntu-light".to_owned(), "hack".to_owned()]);
    fonts.families.insert(egui::FontFamily::Monospace, vec!["hack".to_owned(), "ubuntu-light".to_owned()]);
    ctx.set_fonts(fonts);
}
