//! Deep links: every screen, lesson section, simulator scenario and exam seed as a URL hash
//! (`#/lesson/disk-images#writes`, `#/sim/disk?scenario=sandbox`, `#/exam?seed=42`), and the
//! bookkeeping that keeps the browser's address bar and history in step with the app
//! ([`RouteSync`]). Pure functions: the web glue in `main.rs` only reads and writes the hash.
//!
//! A simulator link may carry the commands run so far in the lab (`cmds=`: deflated, base64url),
//! so that a teacher can send a prepared state; opening it replays them into a fresh lab.

use thiserror::Error;

use crate::screens::ScreenId;

/// The most bytes the commands of a link may inflate to (a guard against hostile links).
const MAX_COMMANDS_BYTES: usize = 256 * 1024;

/// A place in the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// A screen without parameters: Home, the lesson list, Practice, Review, Progress, Settings.
    Screen(ScreenId),
    /// A lesson, optionally at a heading's anchor.
    Lesson { id: String, anchor: Option<String> },
    /// A simulator screen, optionally in a named scenario, with commands to replay.
    Sim { screen: ScreenId, scenario: Option<String>, commands: Vec<String> },
    /// The exam, optionally with the seed that assembles it.
    Exam { seed: Option<u64> },
}

/// Why a hash is not a route.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RouteError {
    #[error("unknown place `{0}`")]
    UnknownPath(String),
    #[error("unknown simulator `{0}` (known: hypervisors, libvirt, disk, cloning, cloud-init)")]
    UnknownSim(String),
    #[error("`{0}` is not an exam seed")]
    BadSeed(String),
    #[error("the commands in the link cannot be read")]
    BadCommands,
    #[error("unknown parameter `{0}`")]
    UnknownParameter(String),
}

/// The simulator screens and their names in links (the names of `sim:` links in lessons).
const SIMS: [(ScreenId, &str); 5] = [
    (ScreenId::Hypervisors, "hypervisors"),
    (ScreenId::LibvirtHost, "libvirt"),
    (ScreenId::DiskImages, "disk"),
    (ScreenId::MachineId, "cloning"),
    (ScreenId::CloudInit, "cloud-init"),
];

/// The screens without parameters and their paths.
const PLAIN: [(ScreenId, &str); 6] = [
    (ScreenId::Home, ""),
    (ScreenId::Lessons, "lessons"),
    (ScreenId::Practice, "practice"),
    (ScreenId::Review, "review"),
    (ScreenId::Progress, "progress"),
    (ScreenId::Settings, "settings"),
];

/// A simulator's name in links (`disk`), if `screen` is a simulator.
pub fn sim_name(screen: ScreenId) -> Option<&'static str> {
    SIMS.iter().find(|(id, _)| *id == screen).map(|(_, name)| *name)
}

impl Route {
    /// The route of a screen as the navigation opens it.
    pub fn for_screen(screen: ScreenId) -> Self {
        if sim_name(screen).is_some() {
            Self::Sim { screen, scenario: None, commands: Vec::new() }
        } else if screen == ScreenId::Exam {
            Self::Exam { seed: None }
        } else {
            Self::Screen(screen)
        }
    }

    /// The screen the route shows.
    pub fn screen(&self) -> ScreenId {
        match self {
            Self::Screen(id) | Self::Sim { screen: id, .. } => *id,
            Self::Lesson { .. } => ScreenId::Lessons,
            Self::Exam { .. } => ScreenId::Exam,
        }
    }

    /// The same route without commands to replay (what the address bar shows).
    pub fn without_commands(&self) -> Self {
        match self {
            Self::Sim { screen, scenario, .. } => {
                Self::Sim { screen: *screen, scenario: scenario.clone(), commands: Vec::new() }
            }
            other => other.clone(),
        }
    }

    /// Parses a lesson's `sim:` link (`sim:disk?scenario=cow-vs-raw`).
    pub fn from_sim_link(link: &str) -> Result<Self, RouteError> {
        let rest = link.strip_prefix("sim:").ok_or_else(|| RouteError::UnknownPath(link.to_owned()))?;
        Self::parse(&format!("#/sim/{rest}"))
    }

    /// Parses a URL hash (with or without the leading `#`; percent-encoding is decoded).
    pub fn parse(hash: &str) -> Result<Self, RouteError> {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let path = hash.strip_prefix('/').unwrap_or(hash);
        // `lesson/ID#ANCHOR`: the second `#` belongs to the route.
        let (path, anchor) = match path.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (path, None),
        };
        let (path, query) = match path.split_once('?') {
            Some((p, q)) => (p, q),
            None => (path, ""),
        };
        let params: Vec<(String, String)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (percent_decode(k), percent_decode(v))
            })
            .collect();
        let path = path.trim_end_matches('/');
        let unknown = || RouteError::UnknownPath(hash.to_owned());
        let only = |allowed: &[&str]| -> Result<(), RouteError> {
            match params.iter().find(|(k, _)| !allowed.contains(&k.as_str())) {
                Some((k, _)) => Err(RouteError::UnknownParameter(k.clone())),
                None => Ok(()),
            }
        };
        let param = |key: &str| params.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone());

        if let Some(id) = path.strip_prefix("lesson/") {
            only(&[])?;
            let id = percent_decode(id);
            if id.is_empty() || id.contains('/') {
                return Err(unknown());
            }
            let anchor = anchor.map(percent_decode).filter(|a| !a.is_empty());
            return Ok(Self::Lesson { id, anchor });
        }
        if anchor.is_some() {
            return Err(unknown());
        }
        if let Some(name) = path.strip_prefix("sim/") {
            only(&["scenario", "cmds"])?;
            let screen = SIMS
                .iter()
                .find(|(_, n)| *n == name)
                .map(|(id, _)| *id)
                .ok_or_else(|| RouteError::UnknownSim(name.to_owned()))?;
            let commands = match param("cmds") {
                Some(encoded) => decode_commands(&encoded)?,
                None => Vec::new(),
            };
            let scenario = param("scenario").filter(|s| !s.is_empty());
            return Ok(Self::Sim { screen, scenario, commands });
        }
        if path == "exam" {
            only(&["seed"])?;
            let seed = match param("seed") {
                Some(s) => Some(s.parse::<u64>().map_err(|_| RouteError::BadSeed(s.clone()))?),
                None => None,
            };
            return Ok(Self::Exam { seed });
        }
        only(&[])?;
        let path = if path == "home" { "" } else { path };
        PLAIN.iter().find(|(_, p)| *p == path).map(|(id, _)| Self::Screen(*id)).ok_or_else(unknown)
    }

    /// The URL hash of the route, starting with `#/`.
    pub fn format(&self) -> String {
        match self {
            Self::Screen(id) => {
                let path = PLAIN.iter().find(|(s, _)| s == id).map_or("", |(_, p)| *p);
                format!("#/{path}")
            }
            Self::Lesson { id, anchor } => {
                let mut out = format!("#/lesson/{}", percent_encode(id));
                if let Some(anchor) = anchor {
                    out.push('#');
                    out.push_str(&percent_encode(anchor));
                }
                out
            }
            Self::Sim { screen, scenario, commands } => {
                let mut out = format!("#/sim/{}", sim_name(*screen).unwrap_or_default());
                let mut params = Vec::new();
                if let Some(scenario) = scenario {
                    params.push(format!("scenario={}", percent_encode(scenario)));
                }
                if !commands.is_empty() {
                    params.push(format!("cmds={}", encode_commands(commands)));
                }
                if !params.is_empty() {
                    out.push('?');
                    out.push_str(&params.join("&"));
                }
                out
            }
            Self::Exam { seed: Some(seed) } => format!("#/exam?seed={seed}"),
            Self::Exam { seed: None } => "#/exam".to_owned(),
        }
    }
}

/// Commands in a link: joined with NUL (a command never holds one), deflated, base64url.
pub fn encode_commands(commands: &[String]) -> String {
    let joined = commands.join("\0");
    base64url_encode(&miniz_oxide::deflate::compress_to_vec(joined.as_bytes(), 9))
}

/// The commands of a link's `cmds=` value.
pub fn decode_commands(encoded: &str) -> Result<Vec<String>, RouteError> {
    let deflated = base64url_decode(encoded).ok_or(RouteError::BadCommands)?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_COMMANDS_BYTES)
        .map_err(|_| RouteError::BadCommands)?;
    let text = String::from_utf8(bytes).map_err(|_| RouteError::BadCommands)?;
    if text.is_empty() {
        return Ok(Vec::new());
    }
    Ok(text.split('\0').map(str::to_owned).collect())
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// RFC 4648 base64url without padding.
fn base64url_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(BASE64URL[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut bits, mut nbits) = (0u32, 0);
    for c in text.bytes() {
        let v = BASE64URL.iter().position(|&a| a == c)?;
        bits = (bits << 6) | v as u32;
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    // A lone 6-bit group cannot end a valid encoding.
    (nbits < 6).then_some(out)
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` sequences (invalid ones stay as they are; bytes that are not UTF-8 become U+FFFD).
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (bytes.get(i + 1).and_then(|b| hex(*b)), bytes.get(i + 2).and_then(|b| hex(*b)))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// How the address bar should change after a frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryUpdate {
    /// A new history entry (the learner went somewhere).
    Push(String),
    /// The same entry, rewritten (the start, or a link put in its normal form).
    Replace(String),
}

/// Keeps the address bar and the app in step: a hash changed from outside (a link, typing, the
/// back and forward buttons) opens its route; a place the app went to becomes a history entry.
#[derive(Clone, Debug, Default)]
pub struct RouteSync {
    /// The hash the address bar shows, as last read or written.
    shown: Option<String>,
    /// The next update rewrites the entry instead of adding one.
    replace_next: bool,
}

impl RouteSync {
    /// Call at the start of a frame with the address bar's hash. Returns the route to open when
    /// the hash changed since the last call (at the start: when there is one).
    pub fn incoming(&mut self, hash: &str) -> Option<Result<Route, RouteError>> {
        let first = self.shown.is_none();
        if self.shown.as_deref() == Some(hash) {
            return None;
        }
        self.shown = Some(hash.to_owned());
        self.replace_next = true;
        if first && hash.trim_start_matches('#').is_empty() {
            return None;
        }
        Some(Route::parse(hash))
    }

    /// Call at the end of a frame with the place the app shows. Returns how the address bar
    /// must change, if it must.
    pub fn outgoing(&mut self, current: &Route) -> Option<HistoryUpdate> {
        let replace = std::mem::take(&mut self.replace_next);
        // A link with commands stays as it is while the app is at its place, so that reloading
        // it replays them again.
        let shown =
            self.shown.as_deref().filter(|h| !h.trim_start_matches('#').is_empty()).and_then(|h| Route::parse(h).ok());
        if shown.is_some_and(|r| r.without_commands() == current.without_commands()) {
            return None;
        }
        let hash = current.without_commands().format();
        // The address bar is read back percent-decoded.
        self.shown = Some(percent_decode(&hash));
        Some(if replace { HistoryUpdate::Replace(hash) } else { HistoryUpdate::Push(hash) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sim(screen: ScreenId, scenario: Option<&str>, commands: &[&str]) -> Route {
        Route::Sim {
            screen,
            scenario: scenario.map(str::to_owned),
            commands: commands.iter().map(|c| (*c).to_owned()).collect(),
        }
    }

    #[test]
    fn every_screen_has_a_route_that_round_trips() {
        for id in ScreenId::all() {
            let route = Route::for_screen(id);
            assert_eq!(route.screen(), id);
            assert_eq!(Route::parse(&route.format()), Ok(route.clone()), "{id:?} as {}", route.format());
        }
        assert_eq!(Route::for_screen(ScreenId::Home).format(), "#/");
        assert_eq!(Route::for_screen(ScreenId::MachineId).format(), "#/sim/cloning");
        assert_eq!(Route::for_screen(ScreenId::Exam).format(), "#/exam");
    }

    #[test]
    fn hashes_parse_to_places() {
        assert_eq!(Route::parse(""), Ok(Route::Screen(ScreenId::Home)));
        assert_eq!(Route::parse("#/home"), Ok(Route::Screen(ScreenId::Home)));
        assert_eq!(Route::parse("#/settings/"), Ok(Route::Screen(ScreenId::Settings)));
        assert_eq!(
            Route::parse("#/lesson/disk-images#writes"),
            Ok(Route::Lesson { id: "disk-images".into(), anchor: Some("writes".into()) })
        );
        assert_eq!(Route::parse("#/lesson/cloud-init"), Ok(Route::Lesson { id: "cloud-init".into(), anchor: None }));
        assert_eq!(
            Route::parse("#/lesson/disk-images#gr%C3%B6%C3%9Fe"),
            Ok(Route::Lesson { id: "disk-images".into(), anchor: Some("größe".into()) })
        );
        assert_eq!(Route::parse("#/sim/disk?scenario=sandbox"), Ok(sim(ScreenId::DiskImages, Some("sandbox"), &[])));
        assert_eq!(Route::parse("#/sim/libvirt"), Ok(sim(ScreenId::LibvirtHost, None, &[])));
        assert_eq!(Route::parse("#/exam?seed=42"), Ok(Route::Exam { seed: Some(42) }));
        assert_eq!(
            Route::from_sim_link("sim:disk?scenario=cow-vs-raw"),
            Ok(sim(ScreenId::DiskImages, Some("cow-vs-raw"), &[]))
        );
        assert_eq!(Route::from_sim_link("sim:cloning"), Ok(sim(ScreenId::MachineId, None, &[])));
        // Every sim: link the lessons may use is a route.
        for link in guestlab_content::lesson::links::SIM_LINKS {
            assert!(Route::from_sim_link(link).is_ok(), "{link}");
        }
    }

    #[test]
    fn bad_hashes_are_errors_that_say_why() {
        let err = |h: &str| Route::parse(h).expect_err(h).to_string();
        assert_eq!(err("#/nowhere"), "unknown place `/nowhere`");
        assert_eq!(
            err("#/sim/moon"),
            "unknown simulator `moon` (known: hypervisors, libvirt, disk, cloning, cloud-init)"
        );
        assert_eq!(err("#/exam?seed=abc"), "`abc` is not an exam seed");
        assert_eq!(err("#/exam?colour=red"), "unknown parameter `colour`");
        assert_eq!(err("#/sim/disk?cmds=!!"), "the commands in the link cannot be read");
        assert_eq!(err("#/sim/disk?cmds=AAAA"), "the commands in the link cannot be read");
        assert_eq!(err("#/lesson/"), "unknown place `/lesson/`");
        assert_eq!(err("#/settings#x"), "unknown place `/settings#x`");
    }

    #[test]
    fn commands_travel_compressed_and_come_back_exactly() {
        let commands = [
            "cd /var/lib/libvirt/images",
            "qemu-img create -f qcow2 t.qcow2 1G",
            "cat > f <<'EOF'\nümlaut & spaces ? # = \nEOF",
        ];
        let route = sim(ScreenId::DiskImages, Some("sandbox"), &commands);
        let hash = route.format();
        assert!(hash.starts_with("#/sim/disk?scenario=sandbox&cmds="), "{hash}");
        let encoded = hash.rsplit('=').next().unwrap_or_default();
        assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{encoded}");
        assert_eq!(Route::parse(&hash), Ok(route));
        // Repetitive commands compress well.
        let many: Vec<String> =
            (0..200).map(|i| format!("qemu-io -f qcow2 -c 'write -P 0x55 {i}M 1M' disk.qcow2")).collect();
        let encoded = encode_commands(&many);
        assert!(encoded.len() < 2000, "{} characters", encoded.len());
        assert_eq!(decode_commands(&encoded), Ok(many));
    }

    #[test]
    fn base64url_matches_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64url_encode(plain.as_bytes()), encoded);
            assert_eq!(base64url_decode(encoded).as_deref(), Some(plain.as_bytes()));
        }
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("Z"), None);
    }

    #[test]
    fn the_address_bar_follows_the_app_and_the_app_follows_the_address_bar() {
        let mut sync = RouteSync::default();
        // Start without a hash: nothing to open; the start entry is rewritten.
        assert_eq!(sync.incoming(""), None);
        let home = Route::Screen(ScreenId::Home);
        assert_eq!(sync.outgoing(&home), Some(HistoryUpdate::Replace("#/".into())));
        assert_eq!(sync.incoming("#/"), None);
        assert_eq!(sync.outgoing(&home), None, "nothing changed");

        // The learner navigates: a new history entry.
        let lessons = Route::Screen(ScreenId::Lessons);
        assert_eq!(sync.outgoing(&lessons), Some(HistoryUpdate::Push("#/lessons".into())));
        assert_eq!(sync.incoming("#/lessons"), None, "our own change is not news");

        // Back button: the hash changes from outside and is opened; no new entry after it.
        assert_eq!(sync.incoming("#/"), Some(Ok(home.clone())));
        assert_eq!(sync.outgoing(&home), None);

        // A link with commands stays in the address bar while the app is there.
        let link = "#/sim/disk?scenario=sandbox&cmds=".to_owned() + &encode_commands(&["ls".into()]);
        let Some(Ok(route)) = sync.incoming(&link) else { panic!("a route") };
        assert_eq!(sync.outgoing(&route.without_commands()), None);
        // An unknown place is reported, and the address bar is put right (rewritten).
        assert!(matches!(sync.incoming("#/nowhere"), Some(Err(RouteError::UnknownPath(_)))));
        let disk = sim(ScreenId::DiskImages, Some("sandbox"), &[]);
        assert_eq!(sync.outgoing(&disk), Some(HistoryUpdate::Replace("#/sim/disk?scenario=sandbox".into())));
    }

    #[test]
    fn a_deep_link_at_start_is_opened() {
        let mut sync = RouteSync::default();
        let route = Route::Lesson { id: "disk-images".into(), anchor: Some("writes".into()) };
        assert_eq!(sync.incoming("#/lesson/disk-images#writes"), Some(Ok(route.clone())));
        assert_eq!(sync.outgoing(&route), None);
    }
}
