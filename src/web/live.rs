//! The live refresh: the roots watched with notify (events debounced by
//! notify-debouncer-mini), the store refreshed as the command line refreshes it, and the new
//! snapshot put in place only when a decision file was added, changed or removed.

use super::state::{Shared, Snapshot, Source};
use notify::RecursiveMode;
use notify_debouncer_mini::new_debouncer;
use std::time::Duration;

/// How long the tree must be quiet before it is read again (an editor's save is several
/// events).
pub const QUIET: Duration = Duration::from_millis(150);

/// What keeps the watch running; dropping it stops it.
pub struct Watch {
    _debouncer: notify_debouncer_mini::Debouncer<notify::RecommendedWatcher>,
}

/// Watch every root; on each quiet change, read the tree again and replace the snapshot when
/// a decision changed. `on_change` hears each outcome.
pub fn watch(source: &Source, shared: Shared, on_change: fn(Result<usize, String>)) -> crate::Result<Watch> {
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer =
        new_debouncer(QUIET, tx).map_err(|e| crate::Error::Serve(format!("cannot watch the tree: {e}")))?;
    for root in &source.ingest.roots {
        debouncer
            .watcher()
            .watch(root, RecursiveMode::Recursive)
            .map_err(|e| crate::Error::Serve(format!("cannot watch {}: {e}", root.display())))?;
    }
    let source = source.clone();
    std::thread::Builder::new()
        .name("adrgraph-watch".into())
        .spawn(move || {
            // Every batch of events reads the tree once; batches that came meanwhile are folded in.
            while rx.recv().is_ok() {
                while rx.try_recv().is_ok() {}
                let now = shared.get();
                // Replaced when the records differ from those served, whoever refreshed the
                // store: this process, or a command line run meanwhile.
                match Snapshot::read_if_changed(&source, now.generation + 1, Some(now.content)) {
                    Ok(Some(next)) => {
                        let n = next.corpus.adrs.len();
                        shared.replace(next);
                        on_change(Ok(n));
                    }
                    Ok(None) => {}
                    Err(e) => on_change(Err(e.to_string())),
                }
            }
        })
        .map_err(|e| crate::Error::Serve(format!("cannot start the watcher: {e}")))?;
    Ok(Watch { _debouncer: debouncer })
}
