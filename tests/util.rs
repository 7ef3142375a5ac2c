//! Small helpers shared by the integration tests.

use std::path::{Path, PathBuf};

/// The crate's folder.
pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared/corpora`, or `None` when it is missing and we are not in CI. In CI (the `CI`
/// variable set) a missing corpus fails the test instead of skipping it.
pub fn corpora() -> Option<PathBuf> {
    let dir = manifest_dir().join("../shared/corpora");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!("{} is missing; CI runs need ../shared/corpora beside the checkout", dir.display());
    }
    eprintln!("skipping: {} not found (set CI to make this an error)", dir.display());
    None
}

/// A cache folder for the whole test run, so that no test writes into the user's cache;
/// removed when the run ends (a static is never dropped: held as a `TempDir`, each run left
/// its stores, about 50 MB, in the system's temporary folder).
pub fn test_cache() -> &'static Path {
    static CACHE: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
    extern "C" fn remove_cache() {
        if let Some(dir) = CACHE.get() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
    CACHE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temporary cache folder").keep();
        // SAFETY: registers a plain function, run once as the test process exits (the test
        // harness ends with `exit`, passing or failing).
        unsafe { libc::atexit(remove_cache) };
        dir
    })
}

/// An `adrgraph` command run from `dir`, with its store in the test run's cache folder.
pub fn adrgraph(dir: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("adrgraph").expect("binary built");
    cmd.current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("ADRGRAPH_STORE")
        .env("XDG_CACHE_HOME", test_cache());
    cmd
}

/// Stdout of a successful run as a string.
pub fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    let out = cmd.output().expect("runs");
    assert!(
        out.status.success(),
        "exit {:?}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Copy the tree `from` into `to`.
pub fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Every file under `dir`, by path relative to it, with its bytes.
pub fn files_of(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// `git` in `dir` with a fixed identity, dates `when` (ISO 8601) and no user configuration: the
/// tests' repositories are made with the real git, the same way every time.
pub fn git_command(dir: &Path, when: &str) -> std::process::Command {
    let mut c = std::process::Command::new("git");
    c.current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ada")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", when)
        .env("GIT_COMMITTER_DATE", when);
    c
}

/// Run `git ARGS` as [`git_command`] sets it up; its stdout (it must succeed).
pub fn git_at_time(dir: &Path, when: &str, args: &[&str]) -> String {
    let out = git_command(dir, when).args(args).output().expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// What the official SARIF 2.1.0 JSON schema (`tests/fixtures/sarif-schema-2.1.0.json`, as OASIS
/// publishes it at `oasis-tcs/sarif-spec/Schemata/sarif-schema-2.1.0.json`) finds wrong in
/// `doc`, one line per problem, by the Python `jsonschema` package's Draft 7 validator (the MCP
/// SDK brings it; the test command installs it when missing). The schema is strict (no property
/// it does not name), so this checks more than a typed decoding would. `None`, said on stderr,
/// when the validator is missing outside CI; under CI a missing validator fails the test.
pub fn sarif_problems(doc: &str) -> Option<Vec<String>> {
    use std::io::Write;
    const CHECK: &str = "
import json, sys
try:
    import jsonschema
except ImportError:
    sys.exit(3)
schema = json.load(open(sys.argv[1]))
doc = json.load(sys.stdin)
found = jsonschema.Draft7Validator(schema).iter_errors(doc)
for e in sorted(found, key=lambda e: [str(p) for p in e.absolute_path]):
    print('/'.join(str(p) for p in e.absolute_path) + ': ' + e.message)
";
    let schema = manifest_dir().join("tests/fixtures/sarif-schema-2.1.0.json");
    let child = std::process::Command::new("python3")
        .args(["-c", CHECK])
        .arg(&schema)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let missing = |why: &str| {
        assert!(std::env::var_os("CI").is_none(), "cannot check SARIF against its schema: {why}");
        eprintln!("skipping the SARIF schema check: {why}");
        None
    };
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return missing(&format!("python3 does not run ({e})")),
    };
    child.stdin.take().expect("piped").write_all(doc.as_bytes()).expect("the validator reads the document");
    let out = child.wait_with_output().expect("the validator ends");
    match out.status.code() {
        Some(0) => Some(String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect()),
        Some(3) => missing("the Python package jsonschema is missing (pip install jsonschema)"),
        _ => panic!("the SARIF validator failed: {}", String::from_utf8_lossy(&out.stderr)),
    }
}

/// How a store test damages a store file on purpose.
#[derive(Clone, Copy)]
pub enum Damage {
    /// One bit flipped in the middle of the file.
    FlippedBit,
    /// 32 bytes zeroed a third of the way in.
    ZeroedThird,
    /// 16 bytes (or fewer at the end) zeroed from the middle.
    ZeroedMiddle,
}

/// Damage the file at `path` as `how` says, in place.
pub fn damage(path: &Path, how: Damage) {
    let mut b = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let n = b.len();
    match how {
        Damage::FlippedBit => b[n / 2] ^= 0x04,
        Damage::ZeroedThird => b[n / 3..n / 3 + 32].fill(0),
        Damage::ZeroedMiddle => b[n / 2..(n / 2 + 16).min(n)].fill(0),
    }
    std::fs::write(path, b).unwrap();
}

/// A record shard of the store at `store` (the first its folder lists).
pub fn a_record_shard(store: &Path) -> PathBuf {
    std::fs::read_dir(store.join("records")).unwrap().next().unwrap().unwrap().path()
}
