//! Which memory pages the process asks for: small ones first, huge ones for a large tree.
//!
//! mimalloc reserves its arena with transparent huge pages allowed (`MADV_HUGEPAGE`), so the
//! first touch of each 2 MiB of it has the kernel clear a whole 2 MiB page. A command on 1,000
//! decisions touches a few MiB spread over some ten such regions: clearing them was a fifth
//! of its time (perf: `clear_page_erms` under `do_huge_pmd_anonymous_page`), where 4 KiB pages
//! cost only what is touched. A command that reads 10,000 decisions touches most of each
//! region, and huge pages are then the cheaper (fewer faults, fewer TLB misses). So the
//! process starts on small pages ([`small_first`], from a constructor in `main.rs` that runs
//! before the first allocation) and asks for huge ones again once it knows the store it opened
//! is large ([`fit`]). Linux only; elsewhere, and when whoever started the process had turned
//! huge pages off already, nothing is changed.

use std::sync::atomic::{AtomicBool, Ordering};

/// From this many decisions, a command's memory is on huge pages again.
pub const LARGE_TREE: usize = 4096;

/// Whether [`small_first`] turned huge pages off (and so may turn them on again).
static TURNED_OFF: AtomicBool = AtomicBool::new(false);

/// Turn transparent huge pages off for this process, unless they are off already.
pub fn small_first() {
    #[cfg(target_os = "linux")]
    // SAFETY: these prctl calls read and set a flag of this process's memory map; they take no
    // pointers.
    unsafe {
        if libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) == 0
            && libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) == 0
        {
            TURNED_OFF.store(true, Ordering::Relaxed);
        }
    }
}

/// Turn huge pages on again when the store holds at least [`LARGE_TREE`] decisions (and
/// [`small_first`] turned them off).
pub fn fit(decisions: Option<usize>) {
    if decisions.is_some_and(|n| n >= LARGE_TREE) && TURNED_OFF.swap(false, Ordering::Relaxed) {
        #[cfg(target_os = "linux")]
        // SAFETY: as in `small_first`.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 0, 0, 0, 0);
        }
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    fn off() -> bool {
        // SAFETY: as in `small_first`.
        unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) == 1 }
    }

    #[test]
    fn small_pages_until_a_large_tree_is_known() {
        small_first();
        assert!(off(), "huge pages are off from the start");
        fit(None);
        fit(Some(LARGE_TREE - 1));
        assert!(off(), "a store of unknown or small size keeps small pages");
        fit(Some(LARGE_TREE));
        assert!(!off(), "a large store's command has huge pages again");
        // Whoever starts the process with huge pages off keeps them off.
        // SAFETY: as in `small_first`.
        unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
        small_first();
        fit(Some(LARGE_TREE));
        assert!(off(), "huge pages turned off by the parent are left off");
        // SAFETY: as in `small_first`.
        unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 0, 0, 0, 0) };
    }
}
