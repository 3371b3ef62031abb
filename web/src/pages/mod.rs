//! One module a page; a build carries the pages its features name (Cargo.toml).

#[cfg(feature = "pages-rest")]
mod bulk;
#[cfg(feature = "page-checker")]
mod checker;
#[cfg(feature = "pages-rest")]
mod codes;
#[cfg(feature = "page-embed")]
mod embed;
#[cfg(feature = "pages-rest")]
mod generate;
#[cfg(any(feature = "page-checker", feature = "checker-shell"))]
pub(crate) mod hero;
#[cfg(feature = "pages-rest")]
pub(crate) mod lint;
#[cfg(feature = "pages-rest")]
mod not_found;
#[cfg(feature = "pages-rest")]
mod reports;
#[cfg(feature = "checker-shell")]
mod shell;
#[cfg(feature = "pages-rest")]
mod widget;

#[cfg(feature = "pages-rest")]
pub(crate) use bulk::BulkPage;
#[cfg(feature = "page-checker")]
pub(crate) use checker::CheckerPage;
#[cfg(feature = "pages-rest")]
pub(crate) use codes::{CodePage, CodesIndex};
#[cfg(feature = "page-embed")]
pub(crate) use embed::EmbedPage;
#[cfg(feature = "pages-rest")]
pub(crate) use generate::GeneratePage;
#[cfg(feature = "pages-rest")]
pub(crate) use lint::LintPage;
#[cfg(feature = "pages-rest")]
pub(crate) use not_found::NotFound;
#[cfg(feature = "pages-rest")]
pub(crate) use reports::ReportsPage;
#[cfg(feature = "checker-shell")]
pub(crate) use shell::ShellPage;
#[cfg(feature = "pages-rest")]
pub(crate) use widget::WidgetPage;
