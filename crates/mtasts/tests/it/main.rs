//! Integration tests of the `mtasts` crate: one binary, one module per concern.

mod generate;
mod props;
mod reports;
mod snapshots;
