//! The Settings section for teachers' own lessons: extra lesson folders on the desktop, lesson
//! files opened (or dropped on the window) in the browser. Files with errors appear in the
//! lesson list as error entries with `file:line:column`; nothing else is affected.

use super::disk_images_text::T2;
use super::{Command, ScreenCx};

const TITLE: T2 = T2 { en: "Your own lessons", de: "Eigene Lektionen" };
const ERRORS: T2 =
    T2 { en: "lesson files with errors: see the lesson list", de: "fehlerhafte Lektionsdateien: siehe Lektionsliste" };

/// Draws the section.
pub fn lesson_folders_ui(ui: &mut egui::Ui, cx: &mut ScreenCx<'_>) {
    let lang = cx.lang;
    ui.add_space(12.0);
    ui.label(egui::RichText::new(TITLE.get(lang)).strong().size(17.0));
    ui.add_space(2.0);
    #[cfg(not(target_arch = "wasm32"))]
    {
        const HINT_DESKTOP: T2 = T2 {
            en: "Add a folder that holds en/ and de/ with lesson files (see lessons/README.md). Its lessons appear after the built-in ones; files with errors are listed with their line and column.",
            de: "Fügen Sie einen Ordner mit den Unterordnern en/ und de/ voller Lektionsdateien hinzu (siehe lessons/README.md). Seine Lektionen erscheinen nach den mitgelieferten; fehlerhafte Dateien werden mit Zeile und Spalte aufgeführt.",
        };
        const FOLDER: T2 = T2 { en: "Lesson folder", de: "Lektionsordner" };
        const ADD: T2 = T2 { en: "Add folder", de: "Ordner hinzufügen" };
        const REMOVE: T2 = T2 { en: "Remove", de: "Entfernen" };
        const NONE: T2 = T2 { en: "No extra lesson folders.", de: "Keine zusätzlichen Lektionsordner." };
        ui.label(egui::RichText::new(HINT_DESKTOP.get(lang)).weak());
        if cx.state.lesson_dirs.is_empty() {
            ui.label(NONE.get(lang));
        }
        for dir in &cx.state.lesson_dirs {
            ui.horizontal(|ui| {
                ui.monospace(dir);
                if ui.button(REMOVE.get(lang)).on_hover_text(dir).clicked() {
                    cx.commands.push(Command::RemoveLessonDir(dir.clone()));
                }
            });
        }
        let id = egui::Id::unique("lesson_folder_input");
        let mut path = ui.data_mut(|d| d.get_temp::<String>(id)).unwrap_or_default();
        ui.horizontal(|ui| {
            let label = ui.label(FOLDER.get(lang));
            ui.add(egui::TextEdit::singleline(&mut path).desired_width(360.0).font(egui::TextStyle::Monospace))
                .labelled_by(label.id);
            if ui.add_enabled(!path.trim().is_empty(), egui::Button::new(ADD.get(lang))).clicked() {
                cx.commands.push(Command::AddLessonDir(path.trim().to_owned()));
                path.clear();
            }
        });
        ui.data_mut(|d| d.insert_temp(id, path));
    }
    #[cfg(target_arch = "wasm32")]
    {
        const HINT_WEB: T2 = T2 {
            en: "Open lesson files (NN-id.md), or drop them onto the window. They load in the current language until the page is reloaded; files with errors are listed with their line and column.",
            de: "Öffnen Sie Lektionsdateien (NN-id.md) oder ziehen Sie sie ins Fenster. Sie werden in der aktuellen Sprache geladen und bleiben bis zum Neuladen der Seite; fehlerhafte Dateien werden mit Zeile und Spalte aufgeführt.",
        };
        const OPEN_FILES: T2 = T2 { en: "Open lesson files…", de: "Lektionsdateien öffnen …" };
        thread_local! {
            static PICKED: crate::teacher::web::Inbox = crate::teacher::web::Inbox::default();
        }
        ui.label(egui::RichText::new(HINT_WEB.get(lang)).weak());
        let picked = PICKED.with(|inbox| {
            if ui.button(OPEN_FILES.get(lang)).clicked() {
                crate::teacher::web::pick_files(".md", true, inbox, ui.ctx());
            }
            inbox.take()
        });
        if !picked.is_empty() {
            let files = picked.into_iter().map(|(name, text)| (crate::teacher::opened_lesson_path(&name, lang), text));
            cx.commands.push(Command::OpenLessonFiles(files.collect()));
        }
    }
    if !cx.lessons.errors.is_empty() {
        ui.label(
            egui::RichText::new(format!("{} {}", cx.lessons.errors.len(), ERRORS.get(lang)))
                .color(ui.visuals().error_fg_color),
        );
    }
}
