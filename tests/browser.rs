//! The web view in a real browser: Debian's Chromium driven through chromedriver over WebDriver
//! (fantoccini). Open the log, filter by status, type a query and see the hits appear, open a
//! decision, follow a supersession to the decision in force, open the graph and click a node,
//! and find a decision by search in the static site opened from `file://`. Each page is
//! screenshotted into `$CARGO_TARGET_TMPDIR/browser/` (and, with `ADRGRAPH_SCREENSHOTS=1`,
//! the decision page and the graph into `docs/screenshots/` for the README).
//!
//! Without chromium and chromedriver the tests are skipped, unless `CI` is set: then they
//! fail (the test command installs both).

use crate::util::{adrgraph, manifest_dir, stdout_of};
use crate::web::Server;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A chromedriver process, stopped when dropped.
struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chromedriver on a free port, or `None` (skipped) when it or chromium is missing outside CI.
fn driver() -> Option<Driver> {
    let present = |p: &str| Path::new(p).exists();
    if !present("/usr/bin/chromedriver") || !present("/usr/bin/chromium") {
        if std::env::var_os("CI").is_some() {
            panic!("chromium and chromedriver are missing; the test command installs them (apt-get install -y chromium chromium-driver)");
        }
        eprintln!("skipping: chromium or chromedriver not installed");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new("/usr/bin/chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < Duration::from_secs(20), "chromedriver did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Driver { child, port, _profile: tempfile::tempdir().unwrap() })
}

/// A headless Chromium session, started as these machines need (no background networking).
async fn browser(d: &Driver) -> Client {
    let caps = serde_json::json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1280,1000",
                     format!("--user-data-dir={}", d._profile.path().display())]
        }
    });
    let caps = caps.as_object().unwrap().clone();
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", d.port))
        .await
        .expect("a browser session")
}

/// Where the screenshots go.
fn shots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Screenshot the page as `name.png`; the README's own pictures are kept when asked.
async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000, "{name}: no real screenshot");
    std::fs::write(shots().join(format!("{name}.png")), &png).unwrap();
    if std::env::var_os("ADRGRAPH_SCREENSHOTS").is_some() && matches!(name, "decision" | "graph") {
        let docs = manifest_dir().join("docs/screenshots");
        std::fs::create_dir_all(&docs).unwrap();
        std::fs::write(docs.join(format!("{name}.png")), &png).unwrap();
    }
}

/// Wait (up to 15 s) until `f` gives `Some`.
async fn until<T, F, Fut>(what: &str, mut f: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(start.elapsed() < Duration::from_secs(15), "{what}: not seen within 15 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// The statuses of the rows the log shows.
async fn shown_statuses(c: &Client) -> Vec<String> {
    let mut out = Vec::new();
    for row in c.find_all(Locator::Css("#log tbody tr")).await.unwrap() {
        if row.is_displayed().await.unwrap_or(false) {
            out.push(row.attr("data-status").await.unwrap().unwrap_or_default());
        }
    }
    out
}

#[test]
fn a_reader_filters_searches_follows_a_supersession_and_clicks_the_graph() {
    let Some(d) = driver() else { return };
    let server = Server::start(&manifest_dir(), "data");
    let base = server.base.clone();
    runtime().block_on(async move {
        let c = browser(&d).await;
        // The log, then a status filter applied as it is ticked (app.js submits the form).
        c.goto(&format!("{base}/")).await.unwrap();
        let all = shown_statuses(&c).await;
        assert!(all.len() >= 20 && all.iter().any(|s| s != "accepted"), "{all:?}");
        c.find(Locator::Css("input[name=status][value=accepted]")).await.unwrap().click().await.unwrap();
        until("the filtered log", || async {
            c.current_url().await.ok().filter(|u| u.query().unwrap_or_default().contains("status=accepted"))
        })
        .await;
        let accepted = shown_statuses(&c).await;
        assert!(!accepted.is_empty() && accepted.iter().all(|s| s == "accepted"), "{accepted:?}");
        assert!(accepted.len() < all.len());
        shot(&c, "log").await;

        // Search as you type: no submit, the hits appear.
        c.goto(&format!("{base}/search")).await.unwrap();
        c.find(Locator::Id("q")).await.unwrap().send_keys("schema registry").await.unwrap();
        let first = until("hits as you type", || async {
            c.find(Locator::Css("#hits ol.hits li a.hit-title")).await.ok()
        })
        .await;
        let marks = c.find_all(Locator::Css("#hits mark")).await.unwrap();
        assert!(!marks.is_empty(), "the matched words are highlighted");
        shot(&c, "search").await;

        // Open a decision from the hits.
        let title = first.text().await.unwrap();
        first.click().await.unwrap();
        until("the decision page", || async {
            c.current_url().await.ok().filter(|u| u.path().starts_with("/decisions/"))
        })
        .await;
        let h1 = c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
        assert!(h1.contains(&title), "{h1:?} is not {title:?}");

        // A superseded decision names the one in force; follow it.
        c.goto(&format!("{base}/decisions/ADR-007-avro-events-with-schema-registry")).await.unwrap();
        shot(&c, "decision").await;
        c.find(Locator::Css(".callout a")).await.unwrap().click().await.unwrap();
        until("the decision in force", || async {
            c.current_url()
                .await
                .ok()
                .filter(|u| u.path() == "/decisions/ADR-010-protobuf-event-contracts-with-buf")
        })
        .await;
        let badge = c.find(Locator::Css("header.record .badge")).await.unwrap().text().await.unwrap();
        assert_eq!(badge, "accepted");
        assert!(c.find(Locator::Css("header.record .in-force")).await.is_ok(), "marked in force");

        // The graph: a node is a link to its page.
        c.goto(&format!("{base}/graph")).await.unwrap();
        let nodes = c.find_all(Locator::Css("#graph svg g.node a")).await.unwrap();
        assert!(nodes.len() >= 20, "{} nodes drawn", nodes.len());
        shot(&c, "graph").await;
        let node = c
            .find(Locator::Css(
                "#graph svg g.node a[*|href='/decisions/ADR-001-use-nats-for-event-bus'] text",
            ))
            .await;
        let node = node.expect("the NATS node's label");
        node.click().await.unwrap();
        until("the clicked node's page", || async {
            c.current_url().await.ok().filter(|u| u.path() == "/decisions/ADR-001-use-nats-for-event-bus")
        })
        .await;
        c.close().await.unwrap();
    });
}

#[test]
fn the_static_site_from_file_urls_finds_a_decision_by_search() {
    let Some(d) = driver() else { return };
    let out = tempfile::tempdir().unwrap();
    let store = tempfile::tempdir().unwrap();
    stdout_of(
        adrgraph(&manifest_dir())
            .args(["--root", "data", "--store"])
            .arg(store.path())
            .arg("site")
            .arg("-o")
            .arg(out.path()),
    );
    let search = format!("file://{}", out.path().join("search.html").display());
    runtime().block_on(async move {
        let c = browser(&d).await;
        c.goto(&search).await.unwrap();
        c.find(Locator::Id("q")).await.unwrap().send_keys("terraform state").await.unwrap();
        let hit = until("hits from the site's own index", || async {
            c.find(Locator::Css("#hits ol.hits li a.hit-title")).await.ok()
        })
        .await;
        assert_eq!(hit.text().await.unwrap(), "Terraform state in S3 with locking");
        shot(&c, "site-search").await;
        hit.click().await.unwrap();
        until("the decision page from file://", || async {
            c.current_url()
                .await
                .ok()
                .filter(|u| u.path().ends_with("/decisions/0007-terraform-state-in-s3-with-locking.html"))
        })
        .await;
        let h1 = c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap();
        assert!(h1.contains("Terraform state in S3"), "{h1:?}");
        // Its stylesheet loaded (relative links work from file://).
        let font = c.find(Locator::Css(".badge")).await.unwrap().css_value("border-radius").await.unwrap();
        assert_ne!(font, "0px", "the site's stylesheet did not load");
        // The log's filters work without a server.
        c.goto(&format!("file://{}", out.path().join("index.html").display())).await.unwrap();
        c.find(Locator::Css("input[name=status][value=superseded]")).await.unwrap().click().await.unwrap();
        let rows = until("the log filtered in the page", || async {
            let s = shown_statuses(&c).await;
            (!s.is_empty() && s.iter().all(|x| x == "superseded")).then_some(s)
        })
        .await;
        assert!(rows.len() >= 3, "{rows:?}");
        shot(&c, "site-log").await;
        c.close().await.unwrap();
    });
}
