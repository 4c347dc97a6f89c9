//! A terminal onto the lab's shell: the transcript, a prompt and an input line with history.

use egui::{Color32, RichText, Ui};
use guestlab_content::Lang;

use crate::classroom_text::{HOST_TAB, TERMINAL_KEY, TERMINAL_NAME, TERMINAL_ON};
use crate::lab::{Lab, Line};

/// How many transcript lines are drawn (older ones scroll out).
const SHOWN_LINES: usize = 400;
/// The least width of the input line beside the prompt (else the prompt gets its own row).
const MIN_INPUT_WIDTH: f32 = 180.0;
/// Room for the key hint at the end of the input line.
const KEY_HINT_WIDTH: f32 = 170.0;

/// The input line of a terminal and its command history.
#[derive(Default)]
pub struct Terminal {
    input: String,
    history: Vec<String>,
    /// Position while browsing the history with ↑/↓ (`None`: editing a new line).
    browsing: Option<usize>,
    /// Scroll to the end on the next frame.
    scroll_to_end: bool,
    /// The transcript's length when last drawn: new lines (from a button, presenter mode, a
    /// replayed link) scroll to the end as in a real terminal.
    seen_lines: usize,
    /// `virsh edit NAME` typed without a here-document opens the domain's XML here, as virsh
    /// opens it in `$EDITOR`: (domain, text being edited).
    editing: Option<(String, String)>,
}

/// The domain of a plain `virsh edit NAME` line (no here-document, no redirection).
fn virsh_edit_target(line: &str) -> Option<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    match words.as_slice() {
        ["virsh", "edit", name] | ["sudo", "virsh", "edit", name] | ["virsh", "edit", "--domain", name] => {
            Some((*name).to_owned())
        }
        _ => None,
    }
}

impl Terminal {
    /// Asks for the transcript to be scrolled to its end (after a button ran a command).
    pub fn follow(&mut self) {
        self.scroll_to_end = true;
    }

    /// Draws the terminal; a line typed and submitted is run in the lab.
    pub fn ui(&mut self, ui: &mut Ui, lab: &mut Lab, lang: Lang, label: &str) {
        if self.editing.is_some() {
            self.editor_ui(ui, lab, lang);
            return;
        }
        // T puts the cursor into the terminal (when no text field has it); Esc leaves it.
        let focus_key = !ui.ctx().text_edit_focused()
            && ui.input_mut(|i| {
                let pressed = i.consume_key(egui::Modifiers::NONE, egui::Key::T);
                if pressed {
                    // The key's text must not land in the terminal it focuses.
                    i.events.retain(|e| !matches!(e, egui::Event::Text(t) if t.eq_ignore_ascii_case("t")));
                }
                pressed
            });
        let dark = ui.visuals().dark_mode;
        let bg = if dark { Color32::from_rgb(18, 20, 24) } else { Color32::from_rgb(250, 250, 247) };
        let text_color = if dark { Color32::from_rgb(220, 220, 215) } else { Color32::from_rgb(30, 30, 30) };
        let prompt_color = if dark { Color32::from_rgb(120, 210, 120) } else { Color32::from_rgb(20, 120, 40) };
        let err_color = if dark { Color32::from_rgb(255, 140, 120) } else { Color32::from_rgb(180, 40, 20) };
        let note_color = ui.visuals().weak_text_color();

        egui::Frame::new().fill(bg).corner_radius(4.0).inner_margin(6.0).show(ui, |ui| {
            ui.set_min_size(ui.available_size());
            ui.set_max_width(ui.available_width());
            // A long prompt in a narrow terminal gets a row of its own, so that the input line
            // keeps room to type in.
            let prompt = lab.prompt();
            let font = egui::TextStyle::Monospace.resolve(ui.style());
            let prompt_width =
                ui.painter().layout_no_wrap(prompt.clone(), font, prompt_color).size().x + ui.spacing().item_spacing.x;
            let own_row = ui.available_width() - prompt_width < MIN_INPUT_WIDTH;
            let rows = if own_row { 2.0 } else { 1.0 };
            let input_height = rows * ui.text_style_height(&egui::TextStyle::Monospace) + 12.0;
            let scroll_height = (ui.available_height() - input_height).max(40.0);
            let scroll = egui::ScrollArea::vertical()
                .id_salt(("terminal", label))
                .max_height(scroll_height)
                .min_scrolled_height(scroll_height)
                .auto_shrink(false)
                .stick_to_bottom(true);
            let grew = lab.transcript.len() != self.seen_lines;
            self.seen_lines = lab.transcript.len();
            let follow = std::mem::take(&mut self.scroll_to_end) || grew;
            scroll.show(ui, |ui| {
                ui.spacing_mut().item_spacing.y = 1.0;
                let skip = lab.transcript.len().saturating_sub(SHOWN_LINES);
                if skip > 0 {
                    ui.label(RichText::new(format!("… {skip} …")).monospace().color(note_color));
                }
                for line in &lab.transcript[skip..] {
                    let text = match line {
                        Line::Input { prompt, text } => {
                            let mut job = egui::text::LayoutJob::default();
                            let font = egui::TextStyle::Monospace.resolve(ui.style());
                            job.append(prompt, 0.0, egui::TextFormat::simple(font.clone(), prompt_color));
                            job.append(text, 0.0, egui::TextFormat::simple(font, text_color));
                            ui.add(egui::Label::new(job).wrap());
                            continue;
                        }
                        Line::Stdout(t) => RichText::new(t).monospace().color(text_color),
                        Line::Stderr(t) => RichText::new(t).monospace().color(err_color),
                        Line::Note(t) => RichText::new(t).monospace().italics().color(note_color),
                    };
                    ui.add(egui::Label::new(text).wrap());
                }
                if follow {
                    ui.scroll_to_cursor(Some(egui::Align::BOTTOM));
                }
            });
            if own_row {
                ui.label(RichText::new(&prompt).monospace().color(prompt_color));
            }
            ui.horizontal(|ui| {
                if !own_row {
                    ui.label(RichText::new(&prompt).monospace().color(prompt_color));
                }
                let input_id = ui.make_persistent_id(("terminal-input", label));
                if focus_key {
                    // Focused before it is drawn, so that it reports gaining focus this frame.
                    ui.memory_mut(|m| m.request_focus(input_id));
                }
                let edit = egui::TextEdit::singleline(&mut self.input)
                    .font(egui::TextStyle::Monospace)
                    .text_color(text_color)
                    .frame(egui::Frame::NONE)
                    .desired_width(f32::INFINITY)
                    .hint_text(RichText::new(label).color(note_color))
                    .id(input_id);
                // The key that reaches the terminal, at the right end of the input line when
                // there is room for it.
                let show_key = ui.available_width() > MIN_INPUT_WIDTH + KEY_HINT_WIDTH;
                let response = ui
                    .with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                        if show_key {
                            ui.label(RichText::new(TERMINAL_KEY.get(lang)).small().color(note_color));
                        }
                        ui.add(edit)
                    })
                    .inner;
                // The accessible name of the input line (its hint is only a placeholder).
                ui.ctx().accesskit_node_builder(response.id, |node| node.set_label(TERMINAL_NAME.get(lang)));
                if response.has_focus() {
                    self.history_keys(ui);
                }
                if response.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                    let line = std::mem::take(&mut self.input);
                    if !line.trim().is_empty() && self.history.last() != Some(&line) {
                        self.history.push(line.clone());
                    }
                    self.browsing = None;
                    let domain = virsh_edit_target(&line).and_then(|d| {
                        lab.world().libvirt.lookup(&d).map(|dom| (dom.def.name.clone(), dom.def.to_xml(None)))
                    });
                    match domain {
                        Some(edit) if lab.world().current == 0 => self.editing = Some(edit),
                        _ => {
                            lab.submit(&line);
                        }
                    }
                    self.scroll_to_end = true;
                    response.request_focus();
                }
            });
        });
    }

    /// The editor `virsh edit` opens: the domain's persistent XML; saving hands it to
    /// `virsh edit` as a here-document, so the terminal shows what was run.
    fn editor_ui(&mut self, ui: &mut Ui, lab: &mut Lab, lang: Lang) {
        let Some((domain, text)) = self.editing.as_mut() else { return };
        let (title, save, cancel) = match lang {
            Lang::De => ("virsh edit – die XML-Definition von", "Speichern und schließen", "Abbrechen"),
            Lang::En => ("virsh edit – the XML definition of", "Save and close", "Cancel"),
        };
        let mut action = None;
        let mut title_id = None;
        ui.horizontal(|ui| {
            title_id = Some(ui.label(RichText::new(format!("{title} {domain}")).strong()).id);
            if ui.button(save).clicked() {
                action = Some(true);
            }
            if ui.button(cancel).clicked() {
                action = Some(false);
            }
        });
        egui::ScrollArea::vertical().id_salt("virsh-edit").show(ui, |ui| {
            let editor = ui.add(
                egui::TextEdit::multiline(text)
                    .font(egui::TextStyle::Monospace)
                    .code_editor()
                    .desired_width(f32::INFINITY)
                    .desired_rows(12),
            );
            if let Some(id) = title_id {
                editor.labelled_by(id);
            }
        });
        match action {
            Some(true) => {
                let command = format!("virsh edit {domain} <<'EOF'\n{}\nEOF", text.trim_end());
                self.editing = None;
                lab.run(&command);
                self.scroll_to_end = true;
            }
            Some(false) => {
                let command = format!("virsh edit {domain}");
                self.editing = None;
                lab.note(&format!(
                    "$ {command}: {}",
                    match lang {
                        Lang::De => "abgebrochen, nichts geändert",
                        Lang::En => "cancelled, nothing changed",
                    }
                ));
            }
            None => {}
        }
    }

    /// ↑ and ↓ walk through the lines typed before.
    fn history_keys(&mut self, ui: &Ui) {
        let (up, down) = ui.input(|i| (i.key_pressed(egui::Key::ArrowUp), i.key_pressed(egui::Key::ArrowDown)));
        if up && !self.history.is_empty() {
            let i = self.browsing.map_or(self.history.len() - 1, |i| i.saturating_sub(1));
            self.browsing = Some(i);
            self.input.clone_from(&self.history[i]);
        } else if down && let Some(i) = self.browsing {
            if i + 1 < self.history.len() {
                self.browsing = Some(i + 1);
                self.input.clone_from(&self.history[i + 1]);
            } else {
                self.browsing = None;
                self.input.clear();
            }
        }
    }
}

/// Tabs above a terminal that attach it to the host or to a running guest; the commands that
/// do it when the learner picked another machine (they run visibly in the terminal).
pub fn machine_tabs_ui(ui: &mut Ui, lab: &Lab, lang: Lang) -> Option<Vec<String>> {
    let world = lab.world();
    let guests: Vec<&str> = world
        .machines
        .iter()
        .filter_map(|m| m.guest.as_ref().filter(|g| g.running).map(|g| g.domain.as_str()))
        .collect();
    let here = world.machine().guest.as_ref().map(|g| g.domain.as_str());
    let mut target: Option<Option<&str>> = None;
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(TERMINAL_ON.get(lang)).weak());
        if ui.selectable_label(here.is_none(), HOST_TAB.get(lang)).clicked() {
            target = Some(None);
        }
        for &name in &guests {
            if ui.selectable_label(here == Some(name), name).clicked() {
                target = Some(Some(name));
            }
        }
    });
    target.map(|target| lab.attach_commands(target))
}
