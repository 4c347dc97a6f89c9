//! The two languages GuestLab speaks. The language selects both the UI strings and the lesson set.

use serde::{Deserialize, Serialize};

/// A language of the UI and of the lesson set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lang {
    /// English, the fallback for every locale that is not German.
    #[default]
    En,
    /// German.
    De,
}

impl Lang {
    /// Every language, in the order the language switch shows them.
    pub const ALL: [Self; 2] = [Self::En, Self::De];

    /// The lesson folder and ISO 639-1 code: `en`, `de`.
    pub fn code(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::De => "de",
        }
    }

    /// The language's own name, as shown in the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Self::En => "English",
            Self::De => "Deutsch",
        }
    }

    /// Parses a lesson folder name (`en`, `de`).
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The language for a system or browser locale such as `de_DE.UTF-8`, `de-AT` or `en-US`:
    /// German for every `de*` locale, English for everything else.
    pub fn from_locale(locale: &str) -> Self {
        if locale.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("de")) { Self::De } else { Self::En }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_map_to_languages() {
        assert_eq!(Lang::from_locale("de_DE.UTF-8"), Lang::De);
        assert_eq!(Lang::from_locale("de-AT"), Lang::De);
        assert_eq!(Lang::from_locale("DE"), Lang::De);
        assert_eq!(Lang::from_locale("en-US"), Lang::En);
        assert_eq!(Lang::from_locale("C"), Lang::En);
        assert_eq!(Lang::from_locale(""), Lang::En);
        assert_eq!(Lang::from_locale("fr_FR"), Lang::En);
    }

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("fr"), None);
    }
}
