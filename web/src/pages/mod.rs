//! One module a page; a build carries the pages its features name (Cargo.toml).

#[cfg(feature = "page-bulk")]
mod bulk;
#[cfg(feature = "page-checker")]
mod checker;
#[cfg(feature = "page-docs")]
mod codes;
#[cfg(feature = "page-embed")]
mod embed;
#[cfg(feature = "page-generate")]
mod generate;
#[cfg(any(feature = "page-checker", feature = "checker-shell"))]
pub(crate) mod hero;
#[cfg(feature = "page-lint")]
pub(crate) mod lint;
#[cfg(feature = "page-monitor")]
mod monitor;
#[cfg(feature = "page-docs")]
mod not_found;
#[cfg(feature = "page-reports")]
mod reports;
#[cfg(feature = "checker-shell")]
mod shell;
#[cfg(feature = "page-docs")]
mod widget;

#[cfg(feature = "page-bulk")]
pub(crate) use bulk::BulkPage;
#[cfg(feature = "page-checker")]
pub(crate) use checker::CheckerPage;
#[cfg(feature = "page-docs")]
pub(crate) use codes::{CodePage, CodesIndex};
#[cfg(feature = "page-embed")]
pub(crate) use embed::EmbedPage;
#[cfg(feature = "page-generate")]
pub(crate) use generate::GeneratePage;
#[cfg(feature = "page-lint")]
pub(crate) use lint::LintPage;
#[cfg(all(test, target_arch = "wasm32"))]
pub(crate) use monitor::shown_view as monitor_shown_view;
#[cfg(feature = "page-monitor")]
pub(crate) use monitor::MonitorPage;
#[cfg(feature = "page-docs")]
pub(crate) use not_found::NotFound;
#[cfg(feature = "page-reports")]
pub(crate) use reports::ReportsPage;
#[cfg(feature = "checker-shell")]
pub(crate) use shell::ShellPage;
#[cfg(feature = "page-docs")]
pub(crate) use widget::WidgetPage;
