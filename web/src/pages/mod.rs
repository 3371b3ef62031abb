//! One module a page.

mod bulk;
mod checker;
mod codes;
mod embed;
mod generate;
pub(crate) mod lint;
mod not_found;
mod reports;
mod widget;

pub(crate) use bulk::BulkPage;
pub(crate) use checker::CheckerPage;
pub(crate) use codes::{CodePage, CodesIndex};
pub(crate) use embed::EmbedPage;
pub(crate) use generate::GeneratePage;
pub(crate) use lint::LintPage;
pub(crate) use not_found::NotFound;
pub(crate) use reports::ReportsPage;
pub(crate) use widget::WidgetPage;
