//! Cleanup on a plain Distribution registry: which tags a policy selects, which
//! digests can go (only those whose every tag is selected and that no kept image
//! needs), which tags are untagged instead, and what the next garbage collection
//! frees. Pure functions over [`Inventory`]s: the commands read, these decide.

mod freed;
mod policy;
mod read;
#[cfg(test)]
mod tests;

pub use freed::{Freed, freed};
pub use policy::{Action, Policy, RepoPlan, natural_cmp, parse_age, plan};
pub use read::read_registry;
