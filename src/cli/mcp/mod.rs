//! `adrgraph mcp`: the decision log for coding agents, over the Model Context Protocol (stdio),
//! built on the official Rust SDK (`rmcp`).
//!
//! Each tool runs the command of the same name in-process, with `--json`, its answer kept
//! ([`captured_json`]: the value the command gave [`write_json`](super::context::write_json),
//! not printed): the tool's `structuredContent` is that command's JSON (an array comes
//! inside an object, under the name the tool gives it), so an agent and a person asking the
//! same question get the same answer. Each call opens the store afresh, with its quick
//! no-change check, so an edited, added or removed record is seen by the next call. A command
//! that fails gives a tool error with its message; a panic is caught, and the server keeps
//! serving.

use super::context::{captured, captured_json, Answered};
use super::{Cli, GlobalArgs, McpArgs};
use anyhow::Result;
use clap::Parser;
use rmcp::handler::server::router::prompt::PromptRouter;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResult, ContentBlock, Implementation, ListResourceTemplatesResult, ListResourcesResult,
    PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource,
    ResourceContents, ResourceTemplate, ServerCapabilities, ServerConfig,
};
use rmcp::model::{PromptMessage, Role};
use rmcp::service::{RequestContext, RoleServer};
use rmcp::{
    prompt, prompt_handler, prompt_router, tool, tool_handler, tool_router, ErrorData, ServerHandler,
    ServiceExt,
};
use serde_json::{json, Value};

mod context;
mod params;

use context::{context_of, draft_of, review_of};
use params::*;

/// The longest argument a tool reads, in characters (a query, an id, a path): a longer one is a
/// tool error, not a search whose answer repeats megabytes.
const MAX_ARGUMENT: usize = 10_000;

/// How many of the decisions reached `impact` and `deps` list unless asked for another number.
const DEFAULT_WALK: usize = 50;

/// How many decisions `list` gives unless asked for another number.
const DEFAULT_LIST: usize = 50;

/// The keys of a `list` row unless others are asked for: what tells decisions apart, without
/// every link as written (most of a row's size in a log whose records link a lot).
const DEFAULT_LIST_FIELDS: [&str; 8] =
    ["id", "path", "title", "number", "status", "date", "deciders", "tags"];

/// The largest request body `--http` reads (larger ones get 413).
const MAX_HTTP_REQUEST: usize = 16 << 20;

/// What the server tells an agent when it connects.
const INSTRUCTIONS: &str = "adrgraph answers questions about this repository's Architecture \
Decision Records (ADRs): which decisions exist and which are in force, what a decision says, \
what depends on it, what replaced it, and which decisions govern a file of code. Before \
changing code, call `governs` with the files you will touch; before proposing a design, \
`search` for earlier decisions. Ids are what `list` and `search` return (a number such as \
`12` or `ADR-12` also works).";

/// Serve MCP on stdio until the client closes it, or over Streamable HTTP (`--http`) until
/// Ctrl-C.
pub fn run(cli: &Cli, args: &McpArgs) -> Result<super::Exit> {
    // From here on, what the commands read is kept between calls, and the tree is walked again
    // only when the kernel says something under the roots changed (see `held`).
    let opts = super::context::ingest_options(cli)?;
    if let Some(note) = super::held::serve(&opts.roots, opts.follow_links) {
        if !cli.global.quiet {
            eprintln!("note: {note}");
        }
    }
    // The tree is read once now: a folder that cannot be read is said before serving.
    drop(super::context::Session::open(cli)?);
    let mut tools = Decisions::tool_router();
    if args.allow_write {
        tools += Decisions::write_router();
    }
    let server = Decisions {
        global: cli.global.clone(),
        tool_router: tools,
        prompt_router: Decisions::prompt_router(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    match args.http {
        None => runtime.block_on(async move {
            let service = server.serve(rmcp::transport::stdio()).await?;
            service.waiting().await?;
            anyhow::Ok(())
        })?,
        Some(addr) => runtime.block_on(serve_http(cli, args, addr, server))?,
    }
    Ok(super::Exit::Ok)
}

/// The Streamable HTTP transport at `addr`, under `/mcp`: rmcp's own service (sessions, SSE,
/// the `Host` check against DNS rebinding) mounted on axum, until Ctrl-C.
async fn serve_http(cli: &Cli, args: &McpArgs, addr: std::net::SocketAddr, server: Decisions) -> Result<()> {
    use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
    use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
    if !addr.ip().is_loopback() && !cli.global.quiet {
        eprintln!("warning: listening on {addr}: every decision is visible to your network");
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let bound = listener.local_addr()?;
    let mut hosts: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    if !bound.ip().is_unspecified() {
        hosts.push(bound.ip().to_string());
    }
    hosts.extend(args.allow_host.iter().cloned());
    let mut config = StreamableHttpServerConfig::default().with_allowed_hosts(hosts);
    // A request up to 16 MiB is read and answered (a 10 MB argument is a tool error, as over
    // stdio); rmcp's 4 MiB default cut such a request off mid-body, and the client lost its
    // session.
    config.max_request_body_bytes = MAX_HTTP_REQUEST;
    let service = StreamableHttpService::new(
        move || Ok(server.clone()),
        std::sync::Arc::new(LocalSessionManager::default()),
        config,
    );
    let router = axum::Router::new().nest_service("/mcp", service);
    let host = match bound.ip() {
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    // The address, for whoever started the server (the first line of standard output).
    {
        use std::io::Write as _;
        let mut out = std::io::stdout().lock();
        writeln!(out, "http://{host}:{}/mcp", bound.port())?;
        out.flush()?;
    }
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(())
}

/// The MCP server: the global options it was started with, and its tools.
#[derive(Clone)]
pub struct Decisions {
    global: GlobalArgs,
    tool_router: ToolRouter<Self>,
    prompt_router: PromptRouter<Self>,
}

/// The tool error for an argument longer than [`MAX_ARGUMENT`], if one is.
fn too_long<'a>(args: impl IntoIterator<Item = &'a String>) -> Option<String> {
    let n = args.into_iter().map(|a| a.chars().count()).find(|&n| n > MAX_ARGUMENT)?;
    Some(format!("an argument of {n} characters; at most {MAX_ARGUMENT} are read"))
}

/// `--flag value` for each value.
fn flags(argv: &mut Vec<String>, flag: &str, values: impl IntoIterator<Item = impl ToString>) {
    for v in values {
        argv.push(flag.to_string());
        argv.push(v.to_string());
    }
}

#[tool_router(router = tool_router)]
impl Decisions {
    #[tool(
        description = "Full-text search over every decision record (title, every section, options, people, tags), best match first, with a snippet and, for a superseded decision, the decisions now in force. Use it before proposing a design or a dependency, to find what was decided before. Example: {\"query\": \"message broker\", \"status\": [\"accepted\"]}."
    )]
    async fn search(&self, Parameters(p): Parameters<SearchParams>) -> Result<CallToolResult, ErrorData> {
        let mut argv = vec!["search".to_string()];
        flags(&mut argv, "--status", &p.status);
        flags(&mut argv, "--tag", &p.tag);
        flags(&mut argv, "--folder", &p.folder);
        flags(&mut argv, "--since", &p.since);
        flags(&mut argv, "--until", &p.until);
        flags(&mut argv, "--decider", &p.decider);
        flags(&mut argv, "--limit", p.limit);
        argv.extend(["--".to_string(), p.query]);
        self.ask(argv, p.at, "", |v| {
            let hits = v["hits"].as_array().map_or(0, Vec::len);
            format!(
                "{hits} of {} matching decisions for `{}`",
                v["total"],
                v["query"].as_str().unwrap_or_default()
            )
        })
        .await
    }

    #[tool(
        description = "The decisions, one row each: id, path, title, number, status, date, deciders, tags (other keys with `fields`), in path order unless sorted, 50 at a time unless a limit is given; `next_offset` asks for the next ones. Use it to see what the log holds or to find an id (`search` finds by content). Example: {\"status\": [\"accepted\", \"proposed\"], \"sort\": \"date\", \"limit\": 20}."
    )]
    async fn list(&self, Parameters(p): Parameters<ListParams>) -> Result<CallToolResult, ErrorData> {
        let (limit, offset) = (p.limit.unwrap_or(DEFAULT_LIST), p.offset.unwrap_or(0));
        let mut argv = vec!["list".to_string()];
        flags(&mut argv, "--status", &p.status);
        flags(&mut argv, "--sort", &p.sort);
        // One row more than asked says whether there are more.
        flags(&mut argv, "--limit", [limit.saturating_add(1)]);
        flags(&mut argv, "--offset", [offset]);
        let fields = if p.fields.is_empty() { DEFAULT_LIST_FIELDS.join(",") } else { p.fields.join(",") };
        flags(&mut argv, "--fields", [fields]);
        let at = p.at.is_some();
        let mut result = self.ask(argv, p.at, "decisions", |_| String::new()).await?;
        if let Some(top) = result.structured_content.as_mut() {
            let rows = if at { &mut top["result"] } else { &mut top["decisions"] };
            let (shown, more) = match rows.as_array_mut() {
                Some(rows) => {
                    let more = rows.len() > limit;
                    rows.truncate(limit);
                    (rows.len(), more)
                }
                None => (0, false),
            };
            let next = more.then_some(offset + shown);
            top["next_offset"] = json!(next);
            let page = match next {
                Some(n) => format!("decisions {} to {n}; more with offset {n}", offset + 1),
                None if shown == 0 => "no decisions".to_string(),
                None => format!("decisions {} to {}, the last", offset + 1, offset + shown),
            };
            // With `at`, the summary begins with the revision ("as of ...: ").
            let lead =
                result.content.first().and_then(|c| c.as_text()).map(|t| t.text.clone()).unwrap_or_default();
            result.content = vec![ContentBlock::text(format!("{lead}{page}"))];
        }
        Ok(result)
    }

    #[tool(
        description = "One decision in full: status, date, deciders, context, the decision, options with pros and cons, consequences, and its typed links in both directions. Use it to read a decision before relying on it. Example: {\"id\": \"12\", \"fields\": [\"title\", \"status\", \"decision\"]}."
    )]
    async fn show(&self, Parameters(p): Parameters<ShowParams>) -> Result<CallToolResult, ErrorData> {
        let fields = p.fields;
        let argv = vec!["show".to_string(), "--".to_string(), p.id];
        let at = p.at.is_some();
        let mut result = self.ask(argv, p.at, "", summary_of_one).await?;
        if !fields.is_empty() {
            let answer = result.structured_content.as_mut().map(|v| if at { &mut v["result"] } else { v });
            if let Some(Value::Object(all)) = answer {
                all.retain(|k, _| fields.iter().any(|f| f == k));
            }
        }
        Ok(result)
    }

    #[tool(
        description = "What changing or dropping a decision would affect: every decision that references, amends or supersedes it, transitively, each with the chain of links that explains it (accepted ones first, then the nearest; 50 unless a limit is given, `total` counts them all). Use it before editing or superseding a decision. Example: {\"id\": \"ADR-7\", \"depth\": 2}."
    )]
    async fn impact(&self, Parameters(p): Parameters<WalkParams>) -> Result<CallToolResult, ErrorData> {
        let mut argv = vec!["impact".to_string()];
        flags(&mut argv, "--depth", p.depth);
        flags(&mut argv, "--limit", [p.limit.unwrap_or(DEFAULT_WALK)]);
        argv.extend(["--".to_string(), p.id]);
        self.ask(argv, p.at, "", summary_of_walk).await
    }

    #[tool(
        description = "What a decision rests on: every decision it references, amends or supersedes, transitively, with the chain of links for each (accepted ones first, then the nearest; 50 unless a limit is given, `total` counts them all). Use it to understand the premises of a decision. Example: {\"id\": \"12\"}."
    )]
    async fn deps(&self, Parameters(p): Parameters<WalkParams>) -> Result<CallToolResult, ErrorData> {
        let mut argv = vec!["deps".to_string()];
        flags(&mut argv, "--depth", p.depth);
        flags(&mut argv, "--limit", [p.limit.unwrap_or(DEFAULT_WALK)]);
        argv.extend(["--".to_string(), p.id]);
        self.ask(argv, p.at, "", summary_of_walk).await
    }

    #[tool(
        description = "A decision's supersession chain, oldest first, and which decisions of it are in force now. Use it when a decision may have been replaced. Example: {\"id\": \"3\"}."
    )]
    async fn chain(&self, Parameters(p): Parameters<IdParams>) -> Result<CallToolResult, ErrorData> {
        let argv = vec!["chain".to_string(), "--".to_string(), p.id];
        self.ask(argv, p.at, "", |v| {
            let n = v["members"].as_array().map_or(0, Vec::len);
            format!("a chain of {n} decisions; in force: {}", v["in_force"])
        })
        .await
    }

    #[tool(
        description = "The shortest chain of typed links between two decisions, if any. Use it to explain how two decisions relate. Example: {\"from\": \"2\", \"to\": \"9\"}."
    )]
    async fn path(&self, Parameters(p): Parameters<PathParams>) -> Result<CallToolResult, ErrorData> {
        let argv = vec!["path".to_string(), "--".to_string(), p.from, p.to];
        self.ask(argv, p.at, "steps", |v| match v.as_array() {
            Some(steps) => format!("linked in {} steps", steps.len()),
            None => "not linked".to_string(),
        })
        .await
    }

    #[tool(
        description = "Which decisions govern files of code, strongest reason first: a scope declared in a record's front matter or adrgraph.toml, a marker in the file (`// ADR-12`), or a record naming the file, its folder or its module. Superseded decisions pass their reasons to the decisions in force. Call it with the files you are about to change. Example: {\"paths\": [\"src/billing/invoice.rs\"]}."
    )]
    async fn governs(&self, Parameters(p): Parameters<GovernsParams>) -> Result<CallToolResult, ErrorData> {
        let mut argv = vec!["governs".to_string()];
        if p.all {
            argv.push("--all".to_string());
        }
        argv.push("--".to_string());
        argv.extend(p.paths);
        self.ask(argv, None, "files", |v| {
            let files = v.as_array().map(Vec::as_slice).unwrap_or_default();
            let governed =
                files.iter().filter(|f| f["decisions"].as_array().is_some_and(|d| !d.is_empty())).count();
            format!("{governed} of {} files governed by at least one decision", files.len())
        })
        .await
    }

    #[tool(
        description = "Problems in the decision records: broken or one-sided links, missing fields, supersession cycles, accepted decisions resting on superseded ones, each with file, line and rule. Use it after editing a record. Example: {\"path\": \"docs/adr/0012-use-kafka.md\"}."
    )]
    async fn lint(&self, Parameters(p): Parameters<LintParams>) -> Result<CallToolResult, ErrorData> {
        // `lint PATH`: the findings on that file, or on the files below that folder.
        let mut argv = vec!["lint".to_string(), "--".to_string()];
        argv.extend(p.path);
        self.ask(argv, p.at, "", summary_of_lint).await
    }

    #[tool(
        description = "The decisions to read before changing these files or doing this task, in force only, strongest reason first (a scope, marker or mention governing a path; then the search rank for the task), each with its title, status, why it applies and what it decided, trimmed to a budget of characters; the rest as adr:// links. Call it first, before changing code. Example: {\"paths\": [\"src/billing/invoice.rs\"], \"task\": \"add a refund endpoint\", \"budget\": 4000}."
    )]
    async fn context(&self, Parameters(p): Parameters<ContextParams>) -> Result<CallToolResult, ErrorData> {
        if p.paths.is_empty() && p.task.as_deref().is_none_or(|t| t.trim().is_empty()) {
            return Ok(CallToolResult::error(vec![ContentBlock::text("give paths, a task, or both")]));
        }
        if let Some(m) = too_long(p.paths.iter().chain(&p.task)) {
            return Ok(CallToolResult::error(vec![ContentBlock::text(m)]));
        }
        let global = self.global.clone();
        let done = tokio::task::spawn_blocking(move || context_of(&global, &p)).await;
        Ok(match done {
            Ok(Ok((value, text))) => {
                let mut result = CallToolResult::structured(value);
                result.content = vec![ContentBlock::text(text)];
                result
            }
            Ok(Err(m)) => CallToolResult::error(vec![ContentBlock::text(m)]),
            Err(e) => CallToolResult::error(vec![ContentBlock::text(format!(
                "the command stopped unexpectedly: {e}"
            ))]),
        })
    }

    #[tool(
        description = "Figures about the log: files seen and skipped, decisions per status and dialect, how many have each field, links per kind, broken links, diagnostics. Use it to size up an unfamiliar log. Example: {}."
    )]
    async fn stats(&self, Parameters(p): Parameters<StatsParams>) -> Result<CallToolResult, ErrorData> {
        self.ask(vec!["stats".to_string()], p.at, "", |v| format!("{} decisions", v["decisions"])).await
    }
}

#[prompt_router]
impl Decisions {
    /// Draft a new decision: the folder's own template for its next number, with the related
    /// decisions search finds and the decisions in force they touch.
    #[prompt(
        name = "draft-decision",
        description = "Draft a new architecture decision record: the folder's own template for the next number, the problem, and the related decisions in force to take into account."
    )]
    async fn draft_decision(
        &self,
        Parameters(p): Parameters<DraftParams>,
    ) -> Result<Vec<PromptMessage>, ErrorData> {
        let global = self.global.clone();
        let done = tokio::task::spawn_blocking(move || draft_of(&global, &p)).await;
        let text = done
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))?
            .map_err(|m| ErrorData::invalid_params(m, None))?;
        Ok(vec![PromptMessage::new_text(Role::User, text)])
    }

    /// Review a change: the decisions that govern the files it touches, and the lint findings
    /// on the records it touches.
    #[prompt(
        name = "review-change",
        description = "Review a change against the decision log: the decisions in force that govern the files it touches, with their reasons, and the lint findings on the decision records it touches."
    )]
    async fn review_change(
        &self,
        Parameters(p): Parameters<ReviewParams>,
    ) -> Result<Vec<PromptMessage>, ErrorData> {
        let paths: Vec<String> =
            p.paths.split([' ', ',', '\n', '\t']).filter(|s| !s.is_empty()).map(str::to_string).collect();
        if paths.is_empty() {
            return Err(ErrorData::invalid_params("name the files the change touches", None));
        }
        let global = self.global.clone();
        let done = tokio::task::spawn_blocking(move || review_of(&global, &paths)).await;
        let text = done
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))?
            .map_err(|m| ErrorData::invalid_params(m, None))?;
        Ok(vec![PromptMessage::new_text(Role::User, text)])
    }
}

#[tool_router(router = write_router)]
impl Decisions {
    #[tool(
        description = "Write a new decision record, numbered and named as its folder's records are, from the folder's template. Returns the diff first (dry_run defaults to true); call again with dry_run false to write it. Example: {\"title\": \"Use gRPC between services\", \"supersedes\": \"ADR-7\", \"dry_run\": true}."
    )]
    async fn new(&self, Parameters(p): Parameters<NewParams>) -> Result<CallToolResult, ErrorData> {
        let mut argv = vec!["new".to_string()];
        flags(&mut argv, "--status", &p.status);
        flags(&mut argv, "--folder", &p.folder);
        flags(&mut argv, "--supersedes", &p.supersedes);
        flags(&mut argv, "--amends", &p.amends);
        argv.extend(["--".to_string(), p.title]);
        self.write(argv, p.dry_run.unwrap_or(true)).await
    }

    #[tool(
        description = "Record that one decision supersedes another, on both records, each written the way its file writes status and links. Refuses a cycle. Returns the diff first (dry_run defaults to true); call again with dry_run false to write. Example: {\"old\": \"ADR-3\", \"new\": \"ADR-7\"}."
    )]
    async fn supersede(
        &self,
        Parameters(p): Parameters<SupersedeParams>,
    ) -> Result<CallToolResult, ErrorData> {
        let mut argv = vec!["supersede".to_string()];
        if p.force {
            argv.push("--force".to_string());
        }
        argv.extend(["--".to_string(), p.old, p.new]);
        self.write(argv, p.dry_run.unwrap_or(true)).await
    }

    #[tool(
        description = "Link two decisions with a relation, as adr-tools' `adr link` does: the verb on the source record and, when given, the reverse on the target. Returns the diff first (dry_run defaults to true). Example: {\"source\": \"12\", \"verb\": \"Amends\", \"target\": \"9\", \"reverse\": \"Amended by\"}."
    )]
    async fn link(&self, Parameters(p): Parameters<LinkParams>) -> Result<CallToolResult, ErrorData> {
        let mut argv = vec!["link".to_string(), "--".to_string(), p.source, p.verb, p.target];
        argv.extend(p.reverse);
        self.write(argv, p.dry_run.unwrap_or(true)).await
    }

    #[tool(
        description = "Change a decision's status where its file states it (a status line, section, bullet, table cell or front matter). Returns the diff first (dry_run defaults to true). Example: {\"id\": \"ADR-9\", \"status\": \"accepted\"}."
    )]
    async fn status(&self, Parameters(p): Parameters<StatusParams>) -> Result<CallToolResult, ErrorData> {
        let argv = vec!["status".to_string(), "--".to_string(), p.id, p.status];
        self.write(argv, p.dry_run.unwrap_or(true)).await
    }
}

impl Decisions {
    /// Run the writing command `argv`: with `--dry-run`, its diff (nothing written); else for
    /// real, its `--json`. Both through the command line's one audited writer.
    async fn write(&self, mut argv: Vec<String>, dry_run: bool) -> Result<CallToolResult, ErrorData> {
        let error = |m: String| Ok(CallToolResult::error(vec![ContentBlock::text(m)]));
        if let Some(m) = too_long(&argv) {
            return error(m);
        }
        if dry_run {
            argv.insert(1, "--dry-run".to_string());
        }
        let global = self.global.clone();
        let done = tokio::task::spawn_blocking(move || {
            if dry_run {
                let diff = match run_captured(global, argv, false)? {
                    Answered::Bytes(diff) => String::from_utf8_lossy(&diff).into_owned(),
                    Answered::Value(v) => v.to_string(),
                };
                Ok(json!({ "dry_run": true, "diff": diff }))
            } else {
                answer(global, argv).map(|v| json!({ "dry_run": false, "written": v }))
            }
        })
        .await;
        match done {
            Ok(Ok(value)) => {
                let text = if dry_run {
                    format!(
                        "Nothing written yet. Call again with dry_run false to write this:\n{}",
                        value["diff"].as_str().unwrap_or_default()
                    )
                } else {
                    "Written.".to_string()
                };
                let mut result = CallToolResult::structured(value);
                result.content = vec![ContentBlock::text(text)];
                Ok(result)
            }
            Ok(Err(message)) => error(message),
            Err(e) => error(format!("the command stopped unexpectedly: {e}")),
        }
    }

    /// Run the command `argv` (without the program name) with `--json`, and answer with its
    /// JSON (under `wrap` when it is an array) and `summary` of it; a failure is a tool error.
    /// With `at`, the command answers as of that git revision (`--at`): its JSON is then
    /// `{"at", "result"}`, and the summary starts with the commit.
    async fn ask(
        &self,
        argv: Vec<String>,
        at: Option<String>,
        wrap: &'static str,
        summary: fn(&Value) -> String,
    ) -> Result<CallToolResult, ErrorData> {
        let error = |m: String| Ok(CallToolResult::error(vec![ContentBlock::text(m)]));
        if let Some(m) =
            too_long(&argv).or_else(|| at.as_ref().and_then(|a| too_long(std::slice::from_ref(a))))
        {
            return error(m);
        }
        let global = GlobalArgs { at: at.clone(), ..self.global.clone() };
        let done = tokio::task::spawn_blocking(move || answer(global, argv)).await;
        match done {
            Ok(Ok(value)) => {
                let text = match at {
                    Some(_) => format!(
                        "as of {} ({}, \"{}\"): {}",
                        value["at"]["commit"]
                            .as_str()
                            .unwrap_or_default()
                            .chars()
                            .take(10)
                            .collect::<String>(),
                        value["at"]["date"].as_str().unwrap_or_default(),
                        value["at"]["subject"].as_str().unwrap_or_default(),
                        summary(&value["result"])
                    ),
                    None => summary(&value),
                };
                let value = if value.is_object() { value } else { json!({ wrap: value }) };
                let mut result = CallToolResult::structured(value);
                result.content = vec![ContentBlock::text(text)];
                Ok(result)
            }
            Ok(Err(message)) => error(message),
            Err(e) => error(format!("the command stopped unexpectedly: {e}")),
        }
    }
}

/// The JSON of `adrgraph --json ARGV` run in this process with the server's global options, or
/// the message it failed with.
fn answer(global: GlobalArgs, argv: Vec<String>) -> std::result::Result<Value, String> {
    match run_captured(global, argv, true)? {
        Answered::Value(v) => Ok(v),
        Answered::Bytes(bytes) => {
            serde_json::from_slice(&bytes).map_err(|e| format!("the command gave no JSON answer: {e}"))
        }
    }
}

/// What `adrgraph ARGV` (with `--json` when `json`; never colours) answers, run in this process
/// with the server's global options, or the message it failed with: its JSON answer as a value
/// when it gave one, else what it printed.
fn run_captured(global: GlobalArgs, argv: Vec<String>, json: bool) -> std::result::Result<Answered, String> {
    let parsed = Cli::try_parse_from(std::iter::once("adrgraph".to_string()).chain(argv))
        .map_err(|e| e.render().to_string().trim().to_string())?;
    if matches!(&parsed.command, super::Command::New(a) if a.edit) {
        return Err("`--edit` opens an editor: not from here".to_string());
    }
    let cli = Cli {
        global: GlobalArgs { json, quiet: true, verbose: false, color: super::ColorWhen::Never, ..global },
        command: parsed.command,
    };
    let (result, answered) = match json {
        true => captured_json(|| super::run(&cli)),
        false => {
            let (result, bytes) = captured(|| super::run(&cli));
            (result, Answered::Bytes(bytes))
        }
    };
    match result {
        Err(_) => Err("the command failed unexpectedly (a bug in adrgraph: please report it)".to_string()),
        Ok(Err(e)) => {
            let mut message = e.to_string();
            for cause in e.chain().skip(1).map(|c| c.to_string()) {
                if !message.contains(&cause) {
                    message = format!("{message}: {cause}");
                }
            }
            Err(message)
        }
        Ok(Ok(_)) => Ok(answered),
    }
}

fn summary_of_one(v: &Value) -> String {
    format!(
        "{}: {} ({})",
        v["id"].as_str().unwrap_or_default(),
        v["title"].as_str().unwrap_or_default(),
        v["status"].as_str().unwrap_or_default()
    )
}

fn summary_of_walk(v: &Value) -> String {
    let n = v["reached"].as_array().map_or(0, Vec::len);
    let total = v["total"].as_u64().unwrap_or(n as u64);
    let start = v["start"].as_str().unwrap_or_default();
    if (n as u64) < total {
        format!(
            "{total} decisions reached from {start}; the first {n} listed (ask with a larger limit for more)"
        )
    } else {
        format!("{total} decisions reached from {start}")
    }
}

fn summary_of_lint(v: &Value) -> String {
    let findings = v["findings"].as_array().map(Vec::as_slice).unwrap_or_default();
    let errors = findings.iter().filter(|f| f["level"] == "error").count();
    format!("{} findings, {errors} at error level", findings.len())
}

/// The URI of the graph resource.
const GRAPH_URI: &str = "adr://graph";

/// The markdown of the record `id` names, read as the web view's `/source` reads it: through
/// the guarded reader, only while the file, resolved, is still inside its root.
fn source_of(global: &GlobalArgs, id: &str) -> std::result::Result<String, String> {
    let mut cli = Cli::try_parse_from(["adrgraph", "list"]).map_err(|e| e.to_string())?;
    cli.global = GlobalArgs { quiet: true, ..global.clone() };
    let read = || -> Result<Option<Vec<u8>>> {
        // A request of its own: the configuration is read again, as for a command.
        super::context::new_command();
        let mut session = super::context::Session::open(&cli)?;
        let outline = super::load::outline(&mut session)?;
        let corpus = outline.as_corpus();
        let i = corpus.find_index(id, &std::env::current_dir()?)?;
        let max = super::context::ingest_options(&cli)?.max_file_size;
        Ok(match corpus.file_within_root(i) {
            Some(file) => Some(adrgraph::ingest::read_guarded(&file, max)?),
            None => None,
        })
    };
    match read() {
        Ok(Some(bytes)) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Ok(None) => Err(format!("`{id}` is no longer inside its folder of decisions")),
        Err(e) => Err(e.to_string()),
    }
}

#[tool_handler(router = self.tool_router)]
#[prompt_handler(router = self.prompt_router)]
impl ServerHandler for Decisions {
    fn get_info(&self) -> ServerConfig {
        let capabilities =
            ServerCapabilities::builder().enable_tools().enable_resources().enable_prompts().build();
        let mut info = ServerConfig::new(capabilities).with_instructions(INSTRUCTIONS);
        info.server_info = Implementation::new("adrgraph", env!("CARGO_PKG_VERSION"));
        info
    }

    /// Every decision as `adr://{id}` (its markdown; title, status and date in the listing),
    /// and `adr://graph`.
    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let global = self.global.clone();
        let listed = tokio::task::spawn_blocking(move || answer(global, vec!["list".to_string()]))
            .await
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))?
            .map_err(|m| ErrorData::internal_error(m, None))?;
        let mut resources: Vec<Resource> = listed
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|d| {
                let id = d["id"].as_str().unwrap_or_default();
                let date = d["date"].as_str().map(|d| format!(", {d}")).unwrap_or_default();
                Resource::new(format!("adr://{id}"), id)
                    .with_title(d["title"].as_str().unwrap_or(id))
                    .with_description(format!("{}{date}", d["status"].as_str().unwrap_or_default()))
                    .with_mime_type("text/markdown")
            })
            .collect();
        resources.push(
            Resource::new(GRAPH_URI, "graph")
                .with_title("The decision graph")
                .with_description("every decision and typed link, as `adrgraph graph -f json` gives it")
                .with_mime_type("application/json"),
        );
        Ok(ListResourcesResult::with_all_items(resources))
    }

    /// `adr://{id}`: any decision by id (or number, path or slug).
    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        let t = ResourceTemplate::new("adr://{id}", "decision")
            .with_title("A decision record")
            .with_description("the markdown of the decision with this id (or number, path or slug)");
        Ok(ListResourceTemplatesResult::with_all_items(vec![t.with_mime_type("text/markdown")]))
    }

    /// The markdown of `adr://{id}`, or the graph's JSON for `adr://graph`.
    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let uri = request.uri;
        let Some(id) = uri.strip_prefix("adr://").filter(|id| !id.is_empty()).map(str::to_string) else {
            return Err(ErrorData::invalid_params(format!("`{uri}` is not an adr:// resource"), None));
        };
        let global = self.global.clone();
        let graph = uri == GRAPH_URI;
        let read = tokio::task::spawn_blocking(move || {
            if graph {
                answer(global, vec!["graph".into(), "--format".into(), "json".into()])
                    .map(|v| (serde_json::to_string_pretty(&v).unwrap_or_default(), "application/json"))
            } else {
                source_of(&global, &id).map(|text| (text, "text/markdown"))
            }
        })
        .await
        .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
        match read {
            Ok((text, mime)) => {
                let contents = ResourceContents::text(text, uri).with_mime_type(mime);
                Ok(ReadResourceResult::new(vec![contents]).into())
            }
            Err(m) => Err(ErrorData::resource_not_found(m, Some(json!({ "uri": uri })))),
        }
    }
}
