//! Threads started on a core other than the one starting them.
//!
//! Linux places a new thread on the core of the thread that starts it, and an idle core takes
//! it over only at its next balancing, up to a few milliseconds later: meanwhile the new thread
//! waits for its parent to sleep. On 2 cores, a thread started while its parent kept working
//! began 0.8 ms later on average (20 runs; 7 of them waited over 1 ms), and the walk that checks
//! a tree of 1,000 decisions for changes, started as `list` opens the store, waited 1.9 ms of an
//! 8.7 ms command for a core while the other sat idle. [`spawn`] asks for another core for the
//! thread's start (0.12 ms on average), then gives it back every core the process may use, so
//! that it runs where the scheduler likes afterwards.
//!
//! rayon's pool starts its threads as it always has: built at start-up with [`spawn`] it cost
//! 0.2 to 0.6 ms to commands that never use it, and built so by the walk, at its first use, it
//! gained nothing in paired runs (the two cores are busy either way once the pool works).

use std::thread::JoinHandle;

/// Start `f` on a new thread named `name`, on another core than this thread's when the process
/// may use more than one. Panics when the system refuses a thread, as `std::thread::spawn`
/// does.
pub fn spawn<T, F>(name: &str, f: F) -> JoinHandle<T>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    spawn_with(std::thread::Builder::new().name(name.to_string()), f).expect("failed to spawn thread")
}

/// How many threads this process can run at once (the cores it may use, as
/// [`std::thread::available_parallelism`] counts them, which reads the process's cgroup
/// limits: asked once), at least 1.
pub fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// [`spawn`] with a thread builder of the caller's (name, stack size).
pub fn spawn_with<T, F>(builder: std::thread::Builder, f: F) -> std::io::Result<JoinHandle<T>>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    place::spawn(builder, f)
}

#[cfg(target_os = "linux")]
mod place {
    use std::os::unix::thread::JoinHandleExt;
    use std::sync::atomic::{AtomicU8, Ordering};
    use std::sync::Arc;
    use std::thread::JoinHandle;

    /// The new thread began before its parent moved it: it stays where it is.
    const STARTED: u8 = 1;
    /// The parent is moving the new thread.
    const MOVING: u8 = 2;
    /// The parent has moved the new thread (or could not): it may take every core back.
    const MOVED: u8 = 3;

    /// The cores this thread may run on, when there are two or more.
    fn allowed() -> Option<libc::cpu_set_t> {
        // SAFETY: a zeroed cpu_set_t is an empty set, filled by the call of its size.
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        let size = std::mem::size_of::<libc::cpu_set_t>();
        // SAFETY: `set` is a valid cpu_set_t of `size` bytes.
        let ok = unsafe { libc::sched_getaffinity(0, size, &mut set) } == 0;
        // SAFETY: `set` is initialised.
        (ok && unsafe { libc::CPU_COUNT(&set) } > 1).then_some(set)
    }

    pub(super) fn spawn<T, F>(builder: std::thread::Builder, f: F) -> std::io::Result<JoinHandle<T>>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let Some(all) = allowed() else { return builder.spawn(f) };
        let state = Arc::new(AtomicU8::new(0));
        let theirs = state.clone();
        let handle = builder.spawn(move || {
            if theirs.compare_exchange(0, STARTED, Ordering::AcqRel, Ordering::Acquire).is_err() {
                // Moved (or being moved): every core back once the parent is done.
                while theirs.load(Ordering::Acquire) != MOVED {
                    std::thread::yield_now();
                }
                // SAFETY: `all` is a valid cpu_set_t of its size; 0 is this thread.
                unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &all) };
            }
            f()
        })?;
        if state.compare_exchange(0, MOVING, Ordering::AcqRel, Ordering::Acquire).is_ok() {
            // SAFETY: plain calls on valid sets and on a thread that has not been joined.
            unsafe {
                let here = libc::sched_getcpu();
                let mut elsewhere = all;
                if here >= 0 {
                    libc::CPU_CLR(here as usize, &mut elsewhere);
                }
                if libc::CPU_COUNT(&elsewhere) > 0 {
                    libc::pthread_setaffinity_np(
                        handle.as_pthread_t(),
                        std::mem::size_of::<libc::cpu_set_t>(),
                        &elsewhere,
                    );
                }
            }
            state.store(MOVED, Ordering::Release);
        }
        Ok(handle)
    }
}

#[cfg(not(target_os = "linux"))]
mod place {
    use std::thread::JoinHandle;

    pub(super) fn spawn<T, F>(builder: std::thread::Builder, f: F) -> std::io::Result<JoinHandle<T>>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        builder.spawn(f)
    }
}

#[cfg(test)]
mod tests {
    /// A placed thread runs its work, returns its value, and ends with every core the process
    /// may use (its move undone), whichever of it and its parent goes first.
    #[test]
    fn a_placed_thread_answers_and_gets_every_core_back() {
        #[cfg(target_os = "linux")]
        let cores = || {
            // SAFETY: as in `allowed`.
            let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
            unsafe { libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) };
            unsafe { libc::CPU_COUNT(&set) }
        };
        #[cfg(not(target_os = "linux"))]
        let cores = || 1;
        let mine = cores();
        for i in 0..200 {
            let h = super::spawn("placed", move || (i * 2, cores()));
            if i % 2 == 0 {
                std::thread::yield_now();
            }
            let (twice, theirs) = h.join().unwrap();
            assert_eq!(twice, i * 2);
            // The thread read its cores after taking them back.
            assert_eq!(theirs, mine, "run {i}");
        }
    }
}
