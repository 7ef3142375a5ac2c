//! The JSON API under `/api/`: each answer the same bytes as the command line's `--json` for
//! the same question (the same library calls and the same encoder, `output::json_bytes`).

use super::log::{pairs, value};
use super::search_page::Asked;
use super::state::{Shared, Snapshot};
use crate::output::{self, LintJson, ListRow, ShowJson};
use crate::{query, render, DecisionIndex, Status};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// The API's routes.
pub fn routes() -> Router<Shared> {
    Router::new()
        .route("/api/decisions", get(decisions))
        .route("/api/decisions/{*id}", get(show))
        .route("/api/search", get(search))
        .route("/api/impact/{*id}", get(|s, p, q| walk(s, p, q, true)))
        .route("/api/deps/{*id}", get(|s, p, q| walk(s, p, q, false)))
        .route("/api/chain/{*id}", get(chain))
        .route("/api/graph.json", get(graph))
        .route("/api/lint", get(lint))
        .route("/api/{*rest}", get(|| async { error(StatusCode::NOT_FOUND, "no such API answer") }))
}

/// A JSON answer (made on the async worker, as pages are; a panic is a 500 answer).
async fn json<F>(shared: Shared, f: F) -> Response
where
    F: FnOnce(&Snapshot) -> Result<Vec<u8>, (StatusCode, String)> + Send + 'static,
{
    let snap = shared.get();
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(&snap).and_then(|b| at(&snap, b)))) {
        Ok(Ok(bytes)) => ([(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Ok(Err((code, why))) => error(code, &why),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "the answer could not be made"),
    }
}

/// At a past revision, the answer as `--at` gives it: `{"at": the commit, "result": ...}`.
fn at(snap: &Snapshot, bytes: Vec<u8>) -> Result<Vec<u8>, (StatusCode, String)> {
    let Some(r) = &snap.revision else { return Ok(bytes) };
    let result: serde_json::Value =
        serde_json::from_slice(&bytes).map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    encode(&serde_json::json!({ "at": r.json, "result": result }))
}

/// `{"error": "..."}` with a status code.
fn error(code: StatusCode, why: &str) -> Response {
    let body = output::json_bytes(&serde_json::json!({ "error": why })).unwrap_or_default();
    (code, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn encode<T: serde::Serialize + ?Sized>(v: &T) -> Result<Vec<u8>, (StatusCode, String)> {
    output::json_bytes(v).map_err(|e| (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))
}

fn find(snap: &Snapshot, id: &str) -> Result<DecisionIndex, (StatusCode, String)> {
    snap.decision(id).ok_or_else(|| (StatusCode::NOT_FOUND, format!("no decision has the id `{id}`")))
}

/// `list --json [--status S]...`.
async fn decisions(State(s): State<Shared>, RawQuery(q): RawQuery) -> Response {
    let statuses: Vec<Status> = pairs(q.as_deref())
        .iter()
        .filter(|(k, _)| k == "status")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    json(s, move |snap| {
        let rows: Vec<ListRow<'_>> = snap
            .corpus
            .adrs
            .iter()
            .filter(|a| statuses.is_empty() || statuses.contains(&a.status))
            .map(ListRow::from)
            .collect();
        encode(&rows)
    })
    .await
}

/// `show ID --json`.
async fn show(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    json(s, move |snap| {
        let i = find(snap, &id)?;
        let edges = query::edges_of(&snap.graph, &snap.corpus.adrs, i);
        encode(&ShowJson::new(&snap.corpus.adrs[i], &edges))
    })
    .await
}

/// `search Q --json` with the same filters (`status`, `since`, `until`, `decider`, `tag`,
/// `folder`, `limit`); a query that does not read is a 400 with the reason.
async fn search(State(s): State<Shared>, RawQuery(q): RawQuery) -> Response {
    let asked = Asked::parse(q.as_deref());
    json(s, move |snap| {
        if asked.q.is_empty() {
            return Err((StatusCode::BAD_REQUEST, "give a query: /api/search?q=words".into()));
        }
        let r = asked.run(snap).map_err(|e| (StatusCode::BAD_REQUEST, e))?;
        encode(&r)
    })
    .await
}

/// `impact ID --json [--depth N]` and `deps`.
async fn walk(
    State(s): State<Shared>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    impact: bool,
) -> Response {
    let depth = value(&pairs(q.as_deref()), "depth").and_then(|d| d.parse().ok());
    json(s, move |snap| {
        let i = find(snap, &id)?;
        let (g, adrs) = (&snap.graph, &snap.corpus.adrs);
        let w = if impact { query::impact(g, adrs, i, depth) } else { query::deps(g, adrs, i, depth) };
        encode(&w)
    })
    .await
}

/// `chain ID --json`.
async fn chain(State(s): State<Shared>, Path(id): Path<String>) -> Response {
    json(s, move |snap| {
        let i = find(snap, &id)?;
        encode(&query::chain(&snap.graph, &snap.corpus.adrs, i))
    })
    .await
}

/// `graph --json`: the whole graph as node-link JSON.
async fn graph(State(s): State<Shared>) -> Response {
    json(s, move |snap| {
        let opts = render::RenderOptions { depth: Some(1), ..render::RenderOptions::default() };
        encode(&render::to_json(&render::select(&snap.graph, &snap.corpus.adrs, &opts)))
    })
    .await
}

/// `lint --json`.
async fn lint(State(s): State<Shared>) -> Response {
    json(s, move |snap| encode(&LintJson::new(&snap.findings))).await
}
