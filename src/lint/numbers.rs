//! The rules on numbering within each folder: duplicates and gaps.

use super::*;
use std::collections::BTreeSet;

/// The numbered decisions of each folder (keyed by root and folder), by number.
fn by_folder(cx: &Ctx<'_>) -> BTreeMap<String, BTreeMap<u32, Vec<usize>>> {
    let mut by_folder: BTreeMap<String, BTreeMap<u32, Vec<usize>>> = BTreeMap::new();
    for (i, a) in cx.adrs.iter().enumerate() {
        if let Some(n) = a.number {
            let root = cx.corpus.adr_roots.get(i).copied().unwrap_or(0);
            by_folder.entry(format!("{root}:{}", a.folder())).or_default().entry(n).or_default().push(i);
        }
    }
    by_folder
}

/// `duplicate-number`: one finding per file after the first, each naming the first and how
/// many others share the number: N files give N-1 findings of bounded length, not N^2 names.
pub(super) fn duplicate_number(cx: &Ctx<'_>, out: &mut Out) {
    let adrs = cx.adrs;
    for numbers in by_folder(cx).values() {
        for (n, idxs) in numbers.iter().filter(|(_, idxs)| idxs.len() > 1) {
            let first = adrs[idxs[0]].id.as_str();
            let also = match idxs.len() - 2 {
                0 => String::new(),
                1 => " and 1 other file".to_string(),
                k => format!(" and {k} other files"),
            };
            for &i in &idxs[1..] {
                out.push(
                    &adrs[i],
                    title_line_of(&adrs[i]),
                    format!("number {n} is also used by {first}{also}"),
                    None,
                    None,
                );
            }
        }
    }
}

/// `numbering-gap`: up to 20 numbers missing between a folder's lowest and highest, reported
/// on the highest.
pub(super) fn numbering_gap(cx: &Ctx<'_>, out: &mut Out) {
    for numbers in by_folder(cx).values() {
        let present: BTreeSet<u32> = numbers.keys().copied().collect();
        let (Some(&lo), Some(&hi)) = (present.first(), present.last()) else { continue };
        let missing: Vec<u32> = (lo..=hi).filter(|n| !present.contains(n)).collect();
        if !missing.is_empty() && missing.len() <= 20 {
            let last = numbers[&hi][0];
            let shown: Vec<String> = missing.iter().map(u32::to_string).collect();
            out.push(
                &cx.adrs[last],
                1,
                format!("number(s) {} missing in this folder", shown.join(", ")),
                None,
                None,
            );
        }
    }
}
