//! Cleanup on a plain Distribution registry: which tags a policy selects, which
//! digests can go (only those whose every tag is selected and that no kept image
//! needs), which tags are untagged instead, and what the next garbage collection
//! frees. The decisions are pure functions over [`Inventory`]s; `apply` carries them out.

mod apply;
mod attachments;
mod freed;
mod policy;
mod read;
#[cfg(test)]
mod tests;

pub use apply::{
    Outcome, apply, check_deletion, counts, describe, freed_by, inventory_of, outcomes,
    remove_attachments, settled,
};
pub use attachments::{
    Attachment, AttachmentKind, Listed, attachments_note, for_deletions, is_attachment_tag,
};
pub use freed::{Freed, freed};
pub use policy::{Action, Policy, RepoPlan, plan, plan_with};
pub use read::{api_referrers, read_registry};
