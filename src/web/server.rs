//! `adrgraph serve`: the routes, the headers every answer carries, the live refresh (the tree
//! watched with notify, open pages told by server-sent events), and binding to loopback.
//!
//! There is no write endpoint: every route is a GET, and a route names a decision only by its
//! id (looked up in the snapshot), so no request is ever read as a path on disk.

use super::state::{Shared, Snapshot, Source};
use super::{api, decision, graph_page, log, pages, search_page, Links};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::Markup;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// The Content-Security-Policy of every answer: only the server's own styles and script, no
/// inline script, no framing, no form posting elsewhere.
pub const CSP: &str = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// How to serve.
#[derive(Clone)]
pub struct ServeOptions {
    /// The address to bind (loopback unless the user says otherwise).
    pub bind: IpAddr,
    /// The port; `None`: 8080, or the next free one up to 8099. `Some(0)`: any free port.
    pub port: Option<u16>,
    /// What to read.
    pub source: Source,
    /// Watch the tree and refresh on every change.
    pub watch: bool,
    /// Host names answered besides loopback ones, when bound to loopback (`--allow-host`).
    pub allowed_hosts: Vec<String>,
    /// How to read the tree at a past git revision, for pages and API answers asked with
    /// `?at=REV` (served under `/at/COMMIT/`); `None`: they are refused.
    pub past: Option<PastReader>,
}

/// How the server reads the tree at a past git revision: the revision as asked (a commit id,
/// tag, branch, `HEAD~3`, `main@{2024-01-01}` or a date) to the source that reads it (its
/// [`Source::revision`] set), or why it cannot (no such revision, not a git repository).
pub type PastReader = std::sync::Arc<dyn Fn(&str) -> Result<Source, String> + Send + Sync>;

/// How many past revisions' readings a server keeps (each is a snapshot of its own).
pub const PAST_KEPT: usize = 4;

/// The longest revision a request may name.
const MAX_REVISION: usize = 256;

/// Which `Host` headers a server answers: bound to loopback, only loopback names and addresses
/// (`localhost`, `127.0.0.1`, `[::1]`, with any port) and the names allowed, so that a page of
/// another site cannot read the log through DNS rebinding; bound elsewhere (the user's
/// choice), any.
#[derive(Debug, Clone, Default)]
pub struct HostPolicy {
    /// Only loopback names and `allowed` are answered.
    pub loopback_only: bool,
    /// Names answered besides loopback ones (lower case, no port).
    pub allowed: Vec<String>,
}

impl HostPolicy {
    /// The policy of a server bound to `bind`, with the names the user allowed.
    pub fn for_bind(bind: IpAddr, allowed: &[String]) -> HostPolicy {
        HostPolicy {
            loopback_only: bind.is_loopback(),
            allowed: allowed.iter().map(|h| host_name(h).to_string()).collect(),
        }
    }

    /// Whether a request with this `Host` header is answered (no header: yes, as no browser
    /// sends one without it).
    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(host) = host else { return true };
        if !self.loopback_only {
            return true;
        }
        let name = host_name(host);
        name == "localhost"
            || name.ends_with(".localhost")
            || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
            || self.allowed.contains(&name)
    }
}

/// A `Host` header's name: lower case, without its port, brackets or final dot.
fn host_name(host: &str) -> String {
    let h = host.trim();
    let name = if let Some(rest) = h.strip_prefix('[') {
        rest.split(']').next().unwrap_or(rest)
    } else {
        match h.rsplit_once(':') {
            Some((n, port)) if port.chars().all(|c| c.is_ascii_digit()) && !n.contains(':') => n,
            _ => h,
        }
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// Refuse a request whose `Host` the policy does not answer.
async fn host_guard(
    State(policy): State<std::sync::Arc<HostPolicy>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let host = req.headers().get(header::HOST).map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned());
    if policy.allows(host.as_deref()) {
        return next.run(req).await;
    }
    let shown = crate::output::clean(host.as_deref().unwrap_or_default(), false);
    let text = format!(
        "This server answers only to localhost, not to `{shown}`: start it with `--allow-host {}` to answer that name.\n",
        host_name(&shown)
    );
    (StatusCode::MISDIRECTED_REQUEST, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text)
        .into_response()
}

/// Every route.
pub fn router(shared: Shared) -> Router {
    Router::new()
        .route("/", get(log_page))
        .route("/decisions/{*id}", get(decision_page))
        .route("/source/{*id}", get(source_file))
        .route("/search", get(search))
        .route("/graph", get(graph))
        .route(
            "/timeline",
            get(|State(s): State<Shared>| render(s, |snap, links| ok(log::timeline(snap, links)))),
        )
        .route("/lint", get(|State(s): State<Shared>| render(s, |snap, links| ok(pages::lint(snap, links)))))
        .route("/assets/style.css", get(|| async { asset(super::STYLE, "text/css; charset=utf-8") }))
        .route("/assets/app.js", get(|| async { asset(super::SCRIPT, "text/javascript; charset=utf-8") }))
        .route("/events", get(events))
        .merge(api::routes())
        .fallback(|State(s): State<Shared>| {
            render(s, |snap, links| (StatusCode::NOT_FOUND, pages::not_found(snap, links, "that address")))
        })
        .layer(axum::middleware::from_fn_with_state(shared.clone(), kept))
        .layer(axum::middleware::map_response(headers))
        .with_state(shared)
}

/// Answer from the answers kept for the snapshot in place, or make the answer and keep it.
/// The event stream and the record files are never kept.
async fn kept(
    State(s): State<Shared>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use super::state::Answer;
    let path = req.uri().path();
    if req.method() != axum::http::Method::GET || path == "/events" || path.starts_with("/source/") {
        return next.run(req).await;
    }
    let key = req.uri().to_string();
    let generation = s.get().generation;
    if let Some(a) = lock(&s.answers).get(generation, &key) {
        let mut r = Response::new(axum::body::Body::from(a.body));
        *r.status_mut() = a.status;
        *r.headers_mut() = a.headers;
        return r;
    }
    let (parts, body) = next.run(req).await.into_parts();
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "the answer could not be made").into_response();
    };
    if parts.status != StatusCode::INTERNAL_SERVER_ERROR {
        let answer = Answer { status: parts.status, headers: parts.headers.clone(), body: body.clone() };
        lock(&s.answers).put(generation, key, answer);
    }
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// A mutex's guard, also after a panic while it was held (the answers stay usable).
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The headers of every answer: the CSP, no sniffing, no referrer.
async fn headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-cache"));
    r
}

fn ok(m: Markup) -> (StatusCode, Markup) {
    (StatusCode::OK, m)
}

/// Render a page. Pages cost well under a millisecond, so they are made on the async worker
/// (handing 50 of them to the blocking pool at once cost more in switching than the pages
/// did); a page that panics is a 500 answer and the server goes on.
pub(super) async fn render<F>(shared: Shared, f: F) -> Response
where
    F: FnOnce(&Snapshot, &Links) -> (StatusCode, Markup) + Send + 'static,
{
    let snap = shared.get();
    let links = &shared.links;
    html_answer(std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&snap, links))).ok())
}

/// Render a page that may wait on Graphviz, on the blocking pool.
async fn render_blocking<F>(shared: Shared, f: F) -> Response
where
    F: FnOnce(&Snapshot, &Links) -> (StatusCode, Markup) + Send + 'static,
{
    let snap = shared.get();
    let links = shared.links.clone();
    html_answer(tokio::task::spawn_blocking(move || f(&snap, &links)).await.ok())
}

fn html_answer(made: Option<(StatusCode, Markup)>) -> Response {
    match made {
        Some((code, m)) => (code, Html(m.into_string())).into_response(),
        None => (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be made").into_response(),
    }
}

fn asset(body: &'static str, kind: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "max-age=300")], body).into_response()
}

async fn log_page(State(s): State<Shared>, RawQuery(q): RawQuery) -> Response {
    let f = log::LogFilter::parse(q.as_deref());
    render(s, move |snap, links| ok(log::log(snap, links, &f))).await
}

async fn decision_page(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    render(s, move |snap, links| match snap.decision(&id) {
        Some(i) => ok(decision::page(snap, links, i)),
        None => (StatusCode::NOT_FOUND, pages::not_found(snap, links, &id)),
    })
    .await
}

/// The record's own file as text, read through the guarded reader (no symlinks, size cap).
async fn source_file(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    let snap = s.get();
    let Some(i) = snap.decision(&id) else {
        return render(s, move |snap, links| (StatusCode::NOT_FOUND, pages::not_found(snap, links, &id)))
            .await;
    };
    let (held, max) = (snap.clone(), snap.max_file_size);
    let read = move || match held.corpus.file_within_root(i) {
        Some(file) => crate::ingest::read_guarded(&file, max),
        None => Err(std::io::Error::other("the file is no longer inside the tree")),
    };
    match tokio::task::spawn_blocking(read).await {
        Ok(Ok(bytes)) => {
            let text = crate::output::clean(&String::from_utf8_lossy(&bytes), true).into_owned();
            ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
        }
        _ => (StatusCode::NOT_FOUND, "the file cannot be read now").into_response(),
    }
}

async fn search(State(s): State<Shared>, RawQuery(q): RawQuery) -> Response {
    let part = log::value(&log::pairs(q.as_deref()), "part") == Some("hits");
    let asked = search_page::Asked::parse(q.as_deref());
    render(s, move |snap, links| {
        if part {
            let result = if asked.q.is_empty() { Err(String::new()) } else { asked.run(snap) };
            ok(search_page::hits(links, &asked, &result))
        } else {
            ok(search_page::page(snap, links, &asked))
        }
    })
    .await
}

async fn graph(State(s): State<Shared>, RawQuery(q): RawQuery) -> Response {
    let asked = graph_page::GraphAsked::parse(q.as_deref());
    render_blocking(s, move |snap, links| ok(graph_page::page(snap, links, &asked))).await
}

/// Server-sent events: `reload` with the new generation whenever the snapshot is replaced.
async fn events(State(s): State<Shared>) -> impl IntoResponse {
    use tokio_stream::StreamExt;
    let stream = tokio_stream::wrappers::BroadcastStream::new(s.changed.subscribe())
        .filter_map(|g| g.ok())
        .map(|g| Ok::<_, std::convert::Infallible>(Event::default().event("reload").data(g.to_string())));
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// Bind the listener: the port asked, or 8080 and the next free ones.
async fn bind(opts: &ServeOptions) -> std::io::Result<tokio::net::TcpListener> {
    if let Some(port) = opts.port {
        return tokio::net::TcpListener::bind(SocketAddr::new(opts.bind, port)).await;
    }
    let mut last = None;
    for port in 8080..=8099 {
        match tokio::net::TcpListener::bind(SocketAddr::new(opts.bind, port)).await {
            Ok(l) => return Ok(l),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free port")))
}

/// Read the tree, bind, call `ready` with the address and the first snapshot, and serve until
/// Ctrl-C. With `watch`, a change under the roots is read within a second and open pages
/// reload; `on_change` hears what each refresh gave (`Ok(decisions)` or the error, after which
/// the last good snapshot stays in place).
pub fn serve(
    opts: &ServeOptions,
    ready: impl FnOnce(SocketAddr, &Snapshot),
    on_change: fn(Result<usize, String>),
) -> crate::Result<()> {
    let first = Snapshot::read(&opts.source, 1)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::Error::Serve(format!("cannot start the server's runtime: {e}")))?;
    rt.block_on(async {
        let listener = bind(opts)
            .await
            .map_err(|e| crate::Error::Serve(format!("cannot listen on {}: {e}", opts.bind)))?;
        let addr = listener.local_addr().map_err(|e| crate::Error::Serve(e.to_string()))?;
        ready(addr, &first);
        let shared = Shared::new(first);
        let _watcher = if opts.watch {
            Some(super::live::watch(&opts.source, shared.clone(), on_change)?)
        } else {
            None
        };
        let policy = std::sync::Arc::new(HostPolicy::for_bind(opts.bind, &opts.allowed_hosts));
        let app = router(shared)
            .merge(past_routes(opts.past.clone()))
            .layer(axum::middleware::from_fn_with_state(policy, host_guard));
        // `?at=REV` is read before routing: the request goes to `/at/REV/...`.
        let app = tower::Layer::layer(&tower::util::MapRequestLayer::new(at_query), app);
        axum::serve(listener, axum::ServiceExt::<axum::extract::Request>::into_make_service(app))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| crate::Error::Serve(e.to_string()))
    })
}

/// `/x?at=REV&...` as `/at/REV/x?...`: any page or API answer asked at a past revision is
/// answered by that revision's router (see [`past_routes`]).
fn at_query(mut req: axum::extract::Request) -> axum::extract::Request {
    let uri = req.uri();
    let path = uri.path();
    if path.starts_with("/at/") || path.starts_with("/assets/") {
        return req;
    }
    let pairs = super::log::pairs(uri.query());
    let Some(rev) = super::log::value(&pairs, "at").filter(|r| !r.is_empty()) else { return req };
    let rest: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k != "at")
        .map(|(k, v)| format!("{}={}", crate::render::percent_encode(k), crate::render::percent_encode(v)))
        .collect();
    let query = if rest.is_empty() { String::new() } else { format!("?{}", rest.join("&")) };
    let to = format!("/at/{}{path}{query}", crate::render::percent_encode(rev));
    if let Ok(u) = to.parse() {
        *req.uri_mut() = u;
    }
    req
}

/// The readings of past revisions kept, by commit, the most recent last.
#[derive(Clone)]
struct Past {
    reader: Option<PastReader>,
    kept: std::sync::Arc<std::sync::Mutex<Vec<(String, Router)>>>,
}

/// `/at/{rev}/...`: every page and API answer as of a past revision, from a snapshot of its own
/// (read through the revision's store, kept for the [`PAST_KEPT`] revisions asked last), its
/// pages linking under `/at/COMMIT/`.
fn past_routes(reader: Option<PastReader>) -> Router {
    let past = Past { reader, kept: Default::default() };
    Router::new()
        .route("/at/{rev}", get(past_answer))
        .route("/at/{rev}/", get(past_answer))
        .route("/at/{rev}/{*rest}", get(past_answer))
        .layer(axum::middleware::map_response(headers))
        .with_state(past)
}

/// A plain-text refusal of a revision that cannot be read.
fn no_revision(code: StatusCode, why: &str) -> Response {
    let text = format!("{}\n", crate::output::clean(why, false));
    (code, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

async fn past_answer(
    State(past): State<Past>,
    Path(params): Path<std::collections::HashMap<String, String>>,
    req: axum::extract::Request,
) -> Response {
    use tower::ServiceExt;
    let rev = params.get("rev").cloned().unwrap_or_default();
    if rev.len() > MAX_REVISION {
        return no_revision(StatusCode::BAD_REQUEST, &format!("a revision of at most {MAX_REVISION} bytes"));
    }
    let Some(reader) = past.reader.clone() else {
        return no_revision(StatusCode::NOT_FOUND, "this server does not read past revisions");
    };
    // A full commit id asked again (every link of a past page) is answered from what is kept.
    let kept = past.kept.clone();
    let held = move |commit: &str| lock(&kept).iter().find(|(c, _)| c == commit).map(|(_, r)| r.clone());
    let router = match held(&rev) {
        Some(r) => r,
        None => {
            let kept = past.kept.clone();
            let read = tokio::task::spawn_blocking(move || -> Result<Router, String> {
                let source = reader(&rev)?;
                let commit = source.revision.as_ref().map(|r| r.commit.clone()).unwrap_or_default();
                if let Some(r) = held(&commit) {
                    return Ok(r);
                }
                let snap = Snapshot::read(&source, 1).map_err(|e| e.to_string())?;
                let router = router(Shared::new(snap));
                let mut kept = lock(&kept);
                kept.retain(|(c, _)| c != &commit);
                kept.push((commit, router.clone()));
                if kept.len() > PAST_KEPT {
                    drop(kept.remove(0));
                }
                Ok(router)
            })
            .await;
            match read {
                Ok(Ok(router)) => router,
                Ok(Err(why)) => return no_revision(StatusCode::NOT_FOUND, &why),
                Err(_) => {
                    return no_revision(StatusCode::INTERNAL_SERVER_ERROR, "the revision could not be read")
                }
            }
        }
    };
    // The rest of the address as sent (still percent-encoded), for the revision's own routes.
    let (mut parts, body) = req.into_parts();
    let raw = parts.uri.path().strip_prefix("/at/").unwrap_or_default();
    let rest = raw.find('/').map_or("/", |k| &raw[k..]);
    let query = parts.uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    // The outer route's captures are not the revision router's.
    parts.extensions = Default::default();
    match format!("{rest}{query}").parse() {
        Ok(uri) => parts.uri = uri,
        Err(_) => return no_revision(StatusCode::BAD_REQUEST, "that address cannot be read"),
    }
    match router.oneshot(axum::extract::Request::from_parts(parts, body)).await {
        Ok(r) => r,
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_servers_answer_loopback_hosts_and_the_names_allowed() {
        let p = HostPolicy::for_bind("127.0.0.1".parse().unwrap(), &["Docs.Example:8080".into()]);
        for ok in [
            "localhost:8080",
            "127.0.0.1",
            "127.1.2.3:9",
            "[::1]:8080",
            "LOCALHOST.",
            "a.localhost",
            "docs.example",
        ] {
            assert!(p.allows(Some(ok)), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "127.0.0.1.evil.example",
            "[::2]",
            "",
        ] {
            assert!(!p.allows(Some(bad)), "{bad}");
        }
        assert!(p.allows(None));
        let open = HostPolicy::for_bind("0.0.0.0".parse().unwrap(), &[]);
        assert!(open.allows(Some("evil.example")));
    }
}
