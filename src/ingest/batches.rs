//! The metadata of a walk's files, read in batches: by the walk's thread once it has listed
//! them, and meanwhile by the threads that wait for the walk ([`StatQueue::help`]).
//!
//! A command that answers ahead of its walk (see [`crate::store::Ahead`]) waits for it on its
//! own thread once it has answered: that thread reads batches instead of sleeping. Batches had
//! been sent to rayon's pool from the walk's thread, not one of the pool's: marks in 41 `search`
//! runs of 1,000 decisions showed the 7 batches (0.22 ms each) read one after another by one
//! worker from 6.45 to 8.02 ms after the start while the other slept and `main` waited; the pool
//! itself was two threads more to start for an unchanged tree.

use super::walk::{Found, Listed};
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// Files of one walk from which their metadata is read in batches that other threads may take
/// (from 256 rather than 1,024: `list` on 1,000 generated decisions, 31 paired runs twice, 9.2
/// -> 8.8 ms and 9.4 -> 9.1 ms on the rich profile).
pub(super) const PARALLEL_STATS: usize = 256;

/// How many files' metadata one batch holds.
pub(super) const STAT_BATCH: usize = 128;

/// What reads the metadata of a batch of listed files.
type Stat = Arc<dyn Fn(Vec<Listed>) -> Vec<Found> + Send + Sync>;

/// A batch waiting: its place in its root's listing, its files, and what reads them.
type Job = (usize, Vec<Listed>, Stat);

/// The batches of one walk waiting for their metadata, shared by the walk's thread and the
/// threads that help it ([`StatQueue::help`]).
#[derive(Default)]
pub struct StatQueue {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    /// Batches not taken yet.
    waiting: VecDeque<Job>,
    /// Batches taken and being read.
    taken: usize,
    /// Batches read, each with its place, since the walk last collected them.
    done: Vec<(usize, Vec<Found>)>,
    /// The walk has ended: no batch will come.
    finished: bool,
    /// A batch's reading panicked on a helping thread: the walk's thread panics with it.
    panicked: Option<Box<dyn std::any::Any + Send>>,
    /// Helper threads started for this walk (for all its roots): they read until it ends.
    helpers: usize,
}

impl StatQueue {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn wait<'a>(&self, s: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.changed.wait(s).unwrap_or_else(|p| p.into_inner())
    }

    /// Read the walk's batches as they come until the walk ends: what a thread that is about to
    /// wait for the walk does instead. Returns at once when the walk has ended.
    pub fn help(&self) {
        loop {
            let job = {
                let mut s = self.lock();
                loop {
                    if let Some(job) = s.waiting.pop_front() {
                        s.taken += 1;
                        break job;
                    }
                    if s.finished {
                        return;
                    }
                    s = self.wait(s);
                }
            };
            self.read(job);
        }
    }

    fn read(&self, (k, batch, stat): Job) {
        // A panic while reading is the walk's: kept for its thread to raise, never a batch
        // quietly empty (files the store would take for deleted).
        let found = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| stat(batch)));
        let mut s = self.lock();
        match found {
            Ok(found) => s.done.push((k, found)),
            Err(panic) => s.panicked = Some(panic),
        }
        s.taken -= 1;
        drop(s);
        self.changed.notify_all();
    }

    fn push(&self, job: Job) {
        self.lock().waiting.push_back(job);
        self.changed.notify_all();
    }

    /// One helper thread more, unless the walk has `at_most` already (counted over all its
    /// roots: each helper reads until the walk ends).
    fn start_helper(self: &Arc<Self>, at_most: usize) {
        let mut s = self.lock();
        if s.helpers >= at_most {
            return;
        }
        let q = self.clone();
        if std::thread::Builder::new().name("stat".into()).spawn(move || q.help()).is_ok() {
            s.helpers += 1;
        }
    }

    /// The walk has ended (or failed): helpers return.
    pub(super) fn finish(&self) {
        self.lock().finished = true;
        self.changed.notify_all();
    }

    /// The walk's thread: read the batches still waiting, wait for those others are reading,
    /// and take every batch read.
    fn drain(&self) -> Vec<(usize, Vec<Found>)> {
        loop {
            let mut s = self.lock();
            if let Some(job) = s.waiting.pop_front() {
                s.taken += 1;
                drop(s);
                self.read(job);
                continue;
            }
            while s.taken > 0 {
                s = self.wait(s);
            }
            if let Some(panic) = s.panicked.take() {
                drop(s);
                std::panic::resume_unwind(panic);
            }
            return std::mem::take(&mut s.done);
        }
    }
}

/// Ends a walk's queue when the walk ends, however it ends.
pub(super) struct Finish<'a>(pub(super) &'a StatQueue);

impl Drop for Finish<'_> {
    fn drop(&mut self) {
        self.0.finish();
    }
}

/// Every file of `listed` with its metadata (read by `stat`, a batch at a time), in `listed`'s
/// order. Once there are enough files, each batch is put on `queue` as soon as it is listed,
/// for the threads that help the walk (`helped`: one that waits for the walk will, such as the
/// thread of a command answering ahead) and for helper threads started here for the other
/// cores; this thread lists the next, then reads what is left.
pub(super) fn stat_as_listed<S>(
    mut listed: impl Iterator<Item = Listed>,
    stat: S,
    queue: &Arc<StatQueue>,
    helped: bool,
) -> Vec<Found>
where
    S: Fn(Vec<Listed>) -> Vec<Found> + Send + Sync + 'static,
{
    let mut first: Vec<Listed> = listed.by_ref().take(PARALLEL_STATS).collect();
    if first.len() < PARALLEL_STATS {
        return stat(first);
    }
    // Threads of our own for the cores nobody else helps on: none on two cores when the thread
    // waiting for the walk helps. Unplaced (see `crate::threads`): they start on this core and
    // take another as it frees up, so that they never slow down a command still answering.
    let others = crate::threads::cores().saturating_sub(if helped { 2 } else { 1 });
    let stat: Stat = Arc::new(stat);
    let mut sent = 0;
    let mut send = |batch: Vec<Listed>| {
        queue.push((sent, batch, stat.clone()));
        sent += 1;
        queue.start_helper(others);
    };
    while first.len() >= STAT_BATCH {
        let tail = first.split_off(STAT_BATCH);
        send(std::mem::replace(&mut first, tail));
    }
    let mut rest = first;
    for l in listed {
        rest.push(l);
        if rest.len() == STAT_BATCH {
            send(std::mem::take(&mut rest));
        }
    }
    // The last files on this thread, then what the helpers have not taken.
    let last = stat(rest);
    let mut done = queue.drain();
    done.push((sent, last));
    done.sort_unstable_by_key(|(k, _)| *k);
    let mut found: Vec<Found> = Vec::with_capacity(done.iter().map(|(_, f)| f.len()).sum());
    found.extend(done.into_iter().flat_map(|(_, f)| f));
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn stat(batch: Vec<Listed>) -> Vec<Found> {
        batch
            .into_iter()
            .map(|(abs, rel, regular)| Found {
                root: 0,
                abs,
                size: rel.len() as u64,
                rel,
                regular,
                mtime: 0,
                modified: 0,
                hash: 0,
            })
            .collect()
    }

    /// Read in batches on this thread alone, with helper threads, and with a thread helping
    /// as a waiting command's does, the files come back whole and in the order listed, at every
    /// size around the batch boundaries; the helper returns once the walk is finished.
    #[test]
    fn files_are_stated_in_the_order_listed_at_every_size() {
        let sizes = [0, 1, STAT_BATCH, PARALLEL_STATS - 1, PARALLEL_STATS, PARALLEL_STATS + 1];
        let sizes: Vec<usize> = sizes
            .into_iter()
            .chain([PARALLEL_STATS + STAT_BATCH - 1, PARALLEL_STATS + STAT_BATCH, 1_001, 10_000])
            .collect();
        for helped in [false, true] {
            let queue = Arc::new(StatQueue::default());
            let helper = helped.then(|| {
                let q = queue.clone();
                std::thread::spawn(move || q.help())
            });
            for &n in &sizes {
                let names: Vec<String> = (0..n).map(|i| format!("{i:05}.md")).collect();
                let listed = names.iter().map(|r| (PathBuf::from(r), r.clone(), true));
                let found = stat_as_listed(listed, stat, &queue, helped);
                let got: Vec<String> = found.iter().map(|f| f.rel.clone()).collect();
                assert_eq!(got, names, "{n} files (helped {helped})");
            }
            queue.finish();
            if let Some(h) = helper {
                h.join().unwrap();
            }
            assert!(queue.lock().waiting.is_empty() && queue.lock().taken == 0);
        }
    }

    /// A batch whose reading panics on a helping thread makes the walk's thread panic: its
    /// files are never left out quietly.
    #[test]
    fn a_panic_while_helping_is_the_walks() {
        let queue = Arc::new(StatQueue::default());
        let q = queue.clone();
        let helper = std::thread::spawn(move || q.help());
        let names: Vec<String> = (0..1_000).map(|i| format!("{i:05}.md")).collect();
        let listed = names.iter().map(|r| (PathBuf::from(r), r.clone(), true));
        let on = std::thread::current().id();
        let stat = move |batch: Vec<Listed>| {
            if std::thread::current().id() != on {
                panic!("a helper's batch");
            }
            // The walk's own batches slowly: the helper surely takes one of the others.
            std::thread::sleep(std::time::Duration::from_millis(50));
            stat(batch)
        };
        let walk = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            stat_as_listed(listed, stat, &queue, true)
        }));
        queue.finish();
        helper.join().unwrap();
        let panic = walk.expect_err("a helper's panic is the walk's");
        assert_eq!(panic.downcast_ref::<&str>(), Some(&"a helper's batch"));
    }

    /// A walk of many roots starts no more helper threads than there are other cores, however
    /// many roots it lists.
    #[test]
    fn helpers_are_counted_over_the_whole_walk() {
        let queue = Arc::new(StatQueue::default());
        for root in 0..20 {
            let names: Vec<String> = (0..600).map(|i| format!("{root}/{i:05}.md")).collect();
            let listed = names.iter().map(|r| (PathBuf::from(r), r.clone(), true));
            assert_eq!(stat_as_listed(listed, stat, &queue, false).len(), names.len());
        }
        let helpers = queue.lock().helpers;
        queue.finish();
        assert!(helpers <= crate::threads::cores().saturating_sub(1), "{helpers} helpers");
    }

    /// A thread that comes to help after the walk has ended returns at once.
    #[test]
    fn helping_a_finished_walk_returns() {
        let queue = StatQueue::default();
        {
            let _finish = Finish(&queue);
        }
        queue.help();
    }
}
