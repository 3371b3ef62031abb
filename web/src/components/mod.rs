//! Pieces the pages share.

mod copy;
#[cfg(any(feature = "page-reports", feature = "page-monitor"))]
mod daily;
mod findings;
mod history;
mod numbered;
mod open;
mod outcome;
mod planner;
mod report;
mod rich;
mod senders;
mod verdict;

pub(crate) use copy::CopyButton;
#[cfg(any(feature = "page-reports", feature = "page-monitor"))]
pub(crate) use daily::{daily_chart, table};
pub(crate) use findings::{policy_marks, severity_label as severity_label_pub, FindingList};
pub(crate) use history::{SavedChecks, SinceLast};
pub(crate) use numbered::NumberedText;
#[cfg(feature = "checker-shell")]
pub(crate) use open::hand_over;
#[cfg(feature = "page-checker")]
pub(crate) use open::{read as read_evidence, take_handed_over};
pub(crate) use open::{EvidenceOpener, Opened};
pub(crate) use outcome::{Checking, CouldNotCheck};
pub(crate) use planner::Planner;
pub(crate) use report::{CoverageTable, ReportView};
pub(crate) use rich::rich;
pub(crate) use senders::SendersTable;
pub(crate) use verdict::VerdictBanner;
