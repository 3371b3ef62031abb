//! Pure text helpers behind the views, one module a feature. No DOM here, so each is unit-tested
//! natively (`cargo test -p mtasts-web --lib`).

mod fixit;
mod inline;
mod input;
mod numbered;

pub(crate) use fixit::{has_trailing_space, textarea_offset, to_crlf, to_lf, trim_trailing};
pub(crate) use inline::{inlines, Inline};
pub(crate) use input::{capped, css_color, lines_of, txt_values, MAX_BOX_BYTES};
pub(crate) use numbered::{annotate, line_count, Mark, MAX_SHOWN_LINES};
