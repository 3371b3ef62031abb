//! Internationalised domain names: U-labels to A-labels (UTS #46, as URLs process them).
//!
//! With the `idna` feature (on by default) the `idna` crate does the work. Without it the crate
//! carries no Unicode tables (about 50 KB of gzip in a browser bundle): the program registers a
//! converter with [`set_to_ascii`] — the web app uses the browser's own URL parser — and until it
//! does, a name with non-ASCII characters is not accepted.

/// Converts a domain name that may hold U-labels to A-labels; `None` when it is not valid.
pub type ToAscii = fn(&str) -> Option<String>;

#[cfg(not(feature = "idna"))]
static CONVERTER: std::sync::OnceLock<ToAscii> = std::sync::OnceLock::new();

/// Registers the converter used for names with non-ASCII characters. Only the first call counts.
/// With the `idna` feature the `idna` crate is always used and this does nothing.
pub fn set_to_ascii(convert: ToAscii) {
    #[cfg(not(feature = "idna"))]
    let _ = CONVERTER.set(convert);
    #[cfg(feature = "idna")]
    let _ = convert;
}

/// `name` in A-labels (not lower-cased or checked further); `None` when it cannot be converted.
pub(crate) fn to_ascii(name: &str) -> Option<String> {
    #[cfg(feature = "idna")]
    {
        idna::domain_to_ascii(name).ok()
    }
    #[cfg(not(feature = "idna"))]
    {
        CONVERTER.get().and_then(|convert| convert(name))
    }
}

/// What the tests without the `idna` feature register: the one IDN the tables use (`bücher`),
/// standing in for the browser's converter.
#[cfg(all(test, not(feature = "idna")))]
pub(crate) fn for_tests() {
    set_to_ascii(|s| {
        let lower = s.to_lowercase();
        lower
            .contains("bücher")
            .then(|| lower.replace("bücher", "xn--bcher-kva"))
            .filter(|a| a.is_ascii())
    });
}

/// With the `idna` feature the tests need nothing registered.
#[cfg(all(test, feature = "idna"))]
pub(crate) fn for_tests() {}

#[cfg(test)]
mod tests {
    #[cfg(feature = "idna")]
    #[test]
    fn idna_crate() {
        assert_eq!(
            super::to_ascii("bücher.de").as_deref(),
            Some("xn--bcher-kva.de")
        );
        assert_eq!(
            super::to_ascii("BÜCHER.de").as_deref(),
            Some("xn--bcher-kva.de")
        );
    }

    #[cfg(not(feature = "idna"))]
    #[test]
    fn registered_converter() {
        super::for_tests();
        assert_eq!(
            super::to_ascii("Bücher.de").as_deref(),
            Some("xn--bcher-kva.de")
        );
        assert_eq!(super::to_ascii("ß.de"), None);
    }
}
