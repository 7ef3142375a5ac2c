//! Answering ahead of the walk. On an unchanged tree, opening a store is mostly waiting for the
//! walk that proves nothing changed (a few milliseconds at 1,000 files, the longest part of a
//! short command), while the core that asked waits. [`Store::ahead`] gives the store as the
//! walk will most likely confirm it (the summary's word: the same store as [`Store::open`]
//! gives when nothing changed) with the walk begun on its own thread; the caller answers from
//! it without showing the answer, then asks [`Ahead::confirm`]. When the tree is the one the
//! store holds, the answer stands; otherwise it is thrown away and the store opened again from
//! the walk just made ([`Store::open_after`]), so a change is never answered from the old
//! records and the tree is walked once either way.

use super::*;
use std::sync::Arc;
use std::thread::JoinHandle;

/// The walk that checks a store opened ahead of it ([`Store::ahead`]).
pub struct Ahead {
    walker: JoinHandle<Result<ingest::Walked>>,
    /// The walk's batches of files, whose metadata [`Ahead::confirm`] helps read.
    queue: Arc<ingest::StatQueue>,
    summary: Summary,
    key: u64,
    ingest: IngestOptions,
}

/// What the walk of an [`Ahead`] found.
#[derive(Debug)]
pub enum Checked {
    /// The tree is the one the store holds: the store given ahead is the one [`Store::open`]
    /// gives, and what was answered from it stands.
    Same,
    /// The tree changed, or the walk failed: the store given ahead is stale. Open again with
    /// [`Store::open_after`] and this walk (when there is one: a failed walk is walked again,
    /// and fails as [`Store::open`] fails).
    Changed(Option<Box<ingest::Walked>>),
}

impl Ahead {
    pub(super) fn new(
        walker: JoinHandle<Result<ingest::Walked>>,
        queue: Arc<ingest::StatQueue>,
        summary: Summary,
        key: u64,
        ingest: IngestOptions,
    ) -> Ahead {
        Ahead { walker, queue, summary, key, ingest }
    }

    /// Wait for the walk (reading files' metadata for it meanwhile) and compare it with the
    /// store's summary, as [`Store::open`] does before it trusts a store without reading its
    /// manifest.
    pub fn confirm(self) -> Checked {
        self.queue.help();
        let walked = match self.walker.join() {
            Ok(Ok(w)) => w,
            _ => return Checked::Changed(None),
        };
        let settings = settings_of(walked.roots(), self.key, &self.ingest);
        let same = tree_fingerprint(settings, walked.print()) == self.summary.tree
            && settled(walked.print(), self.summary.written_at);
        if same {
            super::free_aside(walked.print().count, walked);
            Checked::Same
        } else {
            Checked::Changed(Some(Box::new(walked)))
        }
    }
}

impl Store {
    /// The store as [`Store::open`] gives it when the tree did not change, given before the walk
    /// that checks so has finished, with that walk ([`Ahead::confirm`]). `None` when the
    /// store is not refreshed, is rebuilt, has no folder or no summary yet: open it as usual.
    pub fn ahead(ingest_opts: &IngestOptions, opts: &StoreOptions) -> Result<Option<(Store, Ahead)>> {
        if !opts.refresh || opts.rebuild {
            return Ok(None);
        }
        Ok(Store::opening(ingest_opts, opts)?.ok().and_then(|o| o.ahead()))
    }

    /// [`Store::open`] with the tree's walk made already (by an [`Ahead`] whose tree changed).
    pub fn open_after(
        ingest_opts: &IngestOptions,
        opts: &StoreOptions,
        progress: &(dyn Fn(usize) + Sync),
        walked: Box<ingest::Walked>,
    ) -> Result<Store> {
        match Store::opening(ingest_opts, opts)? {
            Ok(opening) => opening.walked(walked).open(progress),
            Err(warnings) => refresh::unstored(ingest_opts, opts, warnings, progress),
        }
    }
}
