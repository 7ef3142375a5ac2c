//! Reading commands answer ahead of the walk (see [`adrgraph::store::Ahead`]): the store is
//! opened on its summary's word, the command answers from it while the walk checks the tree
//! on the other core, and what it writes to standard output and standard error is held, in
//! order, until the walk says the tree is the one the store holds. Then it is written out as
//! it was written; otherwise it is thrown away and the command answers again from the store
//! refreshed with that walk. Only commands that write nothing but their answer answer ahead
//! (not `lint --fix`, not `graph -o` or through Graphviz, not the authoring commands or the
//! servers), and only from the command line: a server has its own way to skip the walk
//! ([`super::held`]). The warnings the store gives while answering ahead (a damaged file
//! repaired) are said whatever becomes of the answer ([`carry`]).

use super::context::{self, Exit};
use super::{Cli, Command};
use adrgraph::ingest::Walked;
use adrgraph::store::{Checked, Store};
use anyhow::Result;
use std::io::Write;
use std::sync::{Mutex, MutexGuard};

/// What [`super::context::Session::open`] takes instead of opening the store itself.
pub enum Ready {
    /// The store opened ahead of the walk.
    Store(Box<Store>),
    /// The walk that found the tree changed, for the store to be refreshed from.
    Walked(Box<Walked>),
}

/// Which stream a held piece of output was written to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Stream {
    /// Standard output.
    Out,
    /// Standard error.
    Err,
}

/// Output held: pieces in the order they were written, each joined with the one before it when
/// both went to the same stream.
type Pieces = Vec<(Stream, Vec<u8>)>;

/// Output held while a command answers ahead: `None` when not holding.
static HELD: Mutex<Option<Pieces>> = Mutex::new(None);

/// The store or walk for the next [`take`].
static READY: Mutex<Option<Ready>> = Mutex::new(None);

/// The warnings the store gave while a command answered ahead (see [`carry`]).
static CARRIED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The store (or the walk) prepared for this command's session, if any.
pub fn take() -> Option<Ready> {
    lock(&READY).take()
}

/// Keep the warnings the store gave while answering ahead (a damaged store file found and
/// repaired): they tell what happened to the store, whatever becomes of the answer, and a
/// repair made is not met again by the second answer.
pub fn carry(warnings: &[String]) {
    lock(&CARRIED).extend_from_slice(warnings);
}

/// The warnings [`carry`] kept, for the store the command answers from after all.
pub fn carried() -> Vec<String> {
    std::mem::take(&mut *lock(&CARRIED))
}

/// Whether output is held now (see [`Held`]).
pub fn holding() -> bool {
    lock(&HELD).is_some()
}

/// A writer that holds what is written to `stream` while a command answers ahead.
pub struct Held(pub Stream);

impl Write for Held {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // Pieces of 64 KB or more, each filled and never grown: a held answer of 381 KB grown
        // by doubling was copied again and again into fresh memory (half of a `lint` into a
        // pipe).
        const PIECE: usize = 64 << 10;
        if let Some(pieces) = lock(&HELD).as_mut() {
            match pieces.last_mut() {
                Some((s, bytes)) if *s == self.0 && bytes.capacity() - bytes.len() >= buf.len() => {
                    bytes.extend_from_slice(buf)
                }
                _ => {
                    let mut bytes = Vec::with_capacity(buf.len().max(PIECE));
                    bytes.extend_from_slice(buf);
                    pieces.push((self.0, bytes));
                }
            }
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether `cli`'s command writes nothing but its answer, so that it can answer ahead.
fn answers_only(cli: &Cli) -> bool {
    match &cli.command {
        Command::List(_)
        | Command::Show(_)
        | Command::Stats(_)
        | Command::Impact(_)
        | Command::Deps(_)
        | Command::Chain(_)
        | Command::Path(_)
        | Command::Option(_)
        | Command::Search(_)
        | Command::Governs(_) => true,
        Command::Lint(args) => !args.fix,
        // Not what Graphviz renders: it says it is rendering as it starts.
        Command::Graph(args) => {
            use adrgraph::render::Format;
            args.output.as_deref().is_none_or(|o| o == "-")
                && !matches!(args.format, Some(Format::Svg | Format::Png | Format::Pdf))
        }
        _ => false,
    }
}

/// Run `answer` (which opens the session and answers) ahead of the walk when it can, else
/// as it is.
pub fn run(cli: &Cli, answer: impl Fn() -> Result<Exit>) -> Result<Exit> {
    let Some(walk) = begin(cli) else { return answer() };
    *lock(&HELD) = Some(Vec::new());
    let out = std::panic::catch_unwind(std::panic::AssertUnwindSafe(&answer));
    let held = lock(&HELD).take().unwrap_or_default();
    // A store the command did not take (it failed before opening one).
    drop(take());
    match walk.confirm() {
        Checked::Same => {
            // Said with the answer already, if the command said them.
            drop(carried());
            replay(held)?;
            out.unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        }
        Checked::Changed(walked) => {
            if let Some(w) = walked {
                *lock(&READY) = Some(Ready::Walked(w));
            }
            answer()
        }
    }
}

/// Open the store ahead of its walk for `cli`, when its command answers only and the store
/// can be: the walk to confirm it, with the store ready for [`take`].
fn begin(cli: &Cli) -> Option<adrgraph::store::Ahead> {
    if cli.global.no_refresh
        || cli.global.at.is_some()
        || context::at_source().is_some()
        || super::held::serving()
        || context::capturing()
        || !answers_only(cli)
    {
        return None;
    }
    let opts = context::ingest_options(cli).ok()?;
    let (store, walk) = Store::ahead(&opts, &context::store_options(cli, false)).ok()??;
    // Sized by the summary now, not after the walk: the walk's memory is a large tree's too.
    super::pages::fit(store.known_decisions());
    *lock(&READY) = Some(Ready::Store(Box::new(store)));
    Some(walk)
}

/// Write the held output out, in the order it was written.
fn replay(held: Pieces) -> std::io::Result<()> {
    for (stream, bytes) in held {
        match stream {
            Stream::Out => {
                let mut out = std::io::stdout().lock();
                out.write_all(&bytes)?;
                out.flush()?;
            }
            Stream::Err => {
                let _ = std::io::stderr().lock().write_all(&bytes);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn held_pieces_keep_their_order_and_join_on_one_stream() {
        *lock(&HELD) = Some(Vec::new());
        for (s, text) in [(Stream::Err, "a"), (Stream::Out, "b"), (Stream::Out, "c"), (Stream::Err, "d")] {
            Held(s).write_all(text.as_bytes()).unwrap();
        }
        let held = lock(&HELD).take().unwrap();
        assert_eq!(
            held,
            vec![(Stream::Err, b"a".to_vec()), (Stream::Out, b"bc".to_vec()), (Stream::Err, b"d".to_vec())]
        );
        // Not holding: nothing is kept.
        Held(Stream::Out).write_all(b"e").unwrap();
        assert!(lock(&HELD).is_none());
    }
}
