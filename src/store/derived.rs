//! Results worked out from the records (lint's findings, the governance table), kept beside
//! them in the store folder (`derived-NAME.bin`) for as long as the store holds the same
//! records: a command that asks again of an unchanged tree reads its answer instead of working
//! it out again.

use super::*;

/// A derived file: the generation and salt it was made for, and the value.
#[derive(Serialize, Deserialize)]
struct Kept<T> {
    generation: u64,
    salt: u64,
    value: T,
}

fn file_name(name: &str) -> String {
    format!("derived-{name}.bin")
}

impl Store {
    /// The value kept under `name` for the records the store holds now and `salt` (whatever
    /// else the value depends on: settings, a date, the folder its paths are written from, the
    /// program that made it). `None` when none is kept for these, when there is no store folder,
    /// or when the file is damaged (its checksum fails): then work it out again and
    /// [`Store::keep_derived`] it.
    pub fn derived<T: serde::de::DeserializeOwned>(&self, name: &str, salt: u64) -> Option<T> {
        let dir = self.dir.as_ref()?;
        let kept: Kept<T> = read_file(&dir.join(file_name(name))).ok()??;
        (kept.generation == self.generation && kept.salt == salt).then_some(kept.value)
    }

    /// Keep `value` under `name` for the records the store holds now and `salt` (see
    /// [`Store::derived`]), when no other process is writing the store and it still holds these
    /// records. A cache, not a commit: nothing is reported when it cannot be written.
    pub fn keep_derived<T: Serialize>(&self, name: &str, salt: u64, value: &T) {
        let Some(dir) = &self.dir else { return };
        let Ok(f) = File::options().create(true).truncate(false).write(true).open(dir.join("lock")) else {
            return;
        };
        if f.try_lock().is_err() || read_file::<u64>(&dir.join("generation.bin")) != Ok(Some(self.generation))
        {
            return;
        }
        let kept = Kept { generation: self.generation, salt, value };
        let _ = write_replacing(dir, &file_name(name), &kept, false);
    }
}
