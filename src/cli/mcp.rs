//! `adrgraph mcp`: the decision log for coding agents, over the Model Context Protocol (stdio),
//! built on the official Rust SDK (`rmcp`).
//!
//! Each tool runs the command of the same name in-process, with `--json`, its standard output
//! kept ([`captured`]): the tool's `structuredContent` is that command's JSON (an array comes
//! inside an object, under the name the tool gives it), so an agent and a person asking the
//! same question get the same answer. Each call opens the store afresh, with its quick
//! no-change check, so an edited, added or removed record is seen by the next call. A command
//! that fails gives a tool error with its message; a panic is caught, and the server keeps
//! serving.

use super::context::captured;
use super::{Cli, GlobalArgs, McpArgs};
use anyhow::Result;
use clap::Parser;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{tool, tool_handler, tool_router, ErrorData, ServerHandler, ServiceExt};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};

/// What the server tells an agent when it connects.
const INSTRUCTIONS: &str = "adrgraph answers questions about this repository's Architecture \
Decision Records (ADRs): which decisions exist and which are in force, what a decision says, \
what depends on it, what replaced it, and which decisions govern a file of code. Before \
changing code, call `governs` with the files you will touch; before proposing a design, \
`search` for earlier decisions. Ids are what `list` and `search` return (a number such as \
`12` or `ADR-12` also works).";

/// Serve MCP on stdio until the client closes it.
pub fn run(cli: &Cli, _args: &McpArgs) -> Result<super::Exit> {
    // The tree is read once now: a folder that cannot be read is said before serving.
    drop(super::context::Session::open(cli)?);
    let server = Decisions { global: cli.global.clone(), tool_router: Decisions::tool_router() };
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async move {
        let service = server.serve(rmcp::transport::stdio()).await?;
        service.waiting().await?;
        anyhow::Ok(())
    })?;
    Ok(super::Exit::Ok)
}

/// The MCP server: the global options it was started with, and its tools.
#[derive(Clone)]
pub struct Decisions {
    global: GlobalArgs,
    tool_router: ToolRouter<Self>,
}

/// Arguments of `search`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct SearchParams {
    /// Words to find. Phrases in double quotes, `+must`, `-not`, `word*` prefixes and
    /// `field:value` work. Example: `event bus kafka`.
    pub query: String,
    /// Only decisions with one of these statuses: proposed, accepted, rejected, deprecated,
    /// superseded, draft, unknown.
    #[serde(default)]
    pub status: Vec<String>,
    /// Only decisions with this tag.
    pub tag: Option<String>,
    /// Only decisions in this folder (relative to its root) or below it.
    pub folder: Option<String>,
    /// Only decisions dated on or after this day (YYYY-MM-DD).
    pub since: Option<String>,
    /// Only decisions dated on or before this day (YYYY-MM-DD).
    pub until: Option<String>,
    /// Only decisions whose deciders include a person with these words in their name.
    pub decider: Option<String>,
    /// At most this many hits (default 10).
    pub limit: Option<usize>,
}

/// Arguments of `list`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ListParams {
    /// Only decisions with one of these statuses (see `search`).
    #[serde(default)]
    pub status: Vec<String>,
    /// Order: path (default), date, number or id.
    pub sort: Option<String>,
}

/// A decision named by id.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct IdParams {
    /// The decision: an id from `list` or `search`, a number (`12`, `ADR-12`), a path or a slug.
    pub id: String,
}

/// Arguments of `show`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ShowParams {
    /// The decision: an id from `list` or `search`, a number (`12`, `ADR-12`), a path or a slug.
    pub id: String,
    /// Only these fields of the answer (for example `["title", "status", "decision"]`); all
    /// when empty.
    #[serde(default)]
    pub fields: Vec<String>,
}

/// Arguments of `impact` and `deps`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct WalkParams {
    /// The decision: an id from `list` or `search`, a number (`12`, `ADR-12`), a path or a slug.
    pub id: String,
    /// How many links away to go (all when absent).
    pub depth: Option<usize>,
}

/// Arguments of `path`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct PathParams {
    /// The first decision.
    pub from: String,
    /// The second decision.
    pub to: String,
}

/// Arguments of `governs`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GovernsParams {
    /// Files or folders of code, relative to the folder the server runs in (a folder stands
    /// for every file below it).
    pub paths: Vec<String>,
    /// Also deprecated and rejected decisions.
    #[serde(default)]
    pub all: bool,
}

/// Arguments of `lint`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct LintParams {
    /// Only the findings on this record file (its path as `list` gives it) or below this folder.
    pub path: Option<String>,
}

/// No arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct NoParams {}

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
        self.ask(argv, "", |v| {
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
        description = "Every decision: id, title, status, date, path, one row each (in path order unless sorted). Use it to see what the log holds or to find an id. Example: {\"status\": [\"accepted\", \"proposed\"], \"sort\": \"date\"}."
    )]
    async fn list(&self, Parameters(p): Parameters<ListParams>) -> Result<CallToolResult, ErrorData> {
        let mut argv = vec!["list".to_string()];
        flags(&mut argv, "--status", &p.status);
        flags(&mut argv, "--sort", &p.sort);
        self.ask(argv, "decisions", |v| format!("{} decisions", v.as_array().map_or(0, Vec::len))).await
    }

    #[tool(
        description = "One decision in full: status, date, deciders, context, the decision, options with pros and cons, consequences, and its typed links in both directions. Use it to read a decision before relying on it. Example: {\"id\": \"12\", \"fields\": [\"title\", \"status\", \"decision\"]}."
    )]
    async fn show(&self, Parameters(p): Parameters<ShowParams>) -> Result<CallToolResult, ErrorData> {
        let fields = p.fields;
        let argv = vec!["show".to_string(), "--".to_string(), p.id];
        let mut result = self.ask(argv, "", summary_of_one).await?;
        if !fields.is_empty() {
            if let Some(Value::Object(all)) = result.structured_content.take() {
                let kept: serde_json::Map<String, Value> =
                    all.into_iter().filter(|(k, _)| fields.iter().any(|f| f == k)).collect();
                result.structured_content = Some(Value::Object(kept));
            }
        }
        Ok(result)
    }

    #[tool(
        description = "What changing or dropping a decision would affect: every decision that references, amends or supersedes it, transitively, each with the chain of links that explains it (accepted ones first). Use it before editing or superseding a decision. Example: {\"id\": \"ADR-7\", \"depth\": 2}."
    )]
    async fn impact(&self, Parameters(p): Parameters<WalkParams>) -> Result<CallToolResult, ErrorData> {
        let mut argv = vec!["impact".to_string()];
        flags(&mut argv, "--depth", p.depth);
        argv.extend(["--".to_string(), p.id]);
        self.ask(argv, "", summary_of_walk).await
    }

    #[tool(
        description = "What a decision rests on: every decision it references, amends or supersedes, transitively, with the chain of links for each. Use it to understand the premises of a decision. Example: {\"id\": \"12\"}."
    )]
    async fn deps(&self, Parameters(p): Parameters<WalkParams>) -> Result<CallToolResult, ErrorData> {
        let mut argv = vec!["deps".to_string()];
        flags(&mut argv, "--depth", p.depth);
        argv.extend(["--".to_string(), p.id]);
        self.ask(argv, "", summary_of_walk).await
    }

    #[tool(
        description = "A decision's supersession chain, oldest first, and which decisions of it are in force now. Use it when a decision may have been replaced. Example: {\"id\": \"3\"}."
    )]
    async fn chain(&self, Parameters(p): Parameters<IdParams>) -> Result<CallToolResult, ErrorData> {
        let argv = vec!["chain".to_string(), "--".to_string(), p.id];
        self.ask(argv, "", |v| {
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
        self.ask(argv, "steps", |v| match v.as_array() {
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
        self.ask(argv, "files", |v| {
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
        let mut result = self.ask(vec!["lint".to_string()], "", summary_of_lint).await?;
        if let (Some(path), Some(Value::Object(v))) = (p.path, result.structured_content.as_mut()) {
            let path = path.trim_end_matches('/').to_string();
            if let Some(Value::Array(findings)) = v.get_mut("findings") {
                findings.retain(|f| {
                    let p = f["path"].as_str().unwrap_or_default();
                    p == path || p.strip_prefix(path.as_str()).is_some_and(|r| r.starts_with('/'))
                });
            }
            result.content = vec![ContentBlock::text(summary_of_lint(&Value::Object(v.clone())))];
        }
        Ok(result)
    }

    #[tool(
        description = "Figures about the log: files seen and skipped, decisions per status and dialect, how many have each field, links per kind, broken links, diagnostics. Use it to size up an unfamiliar log. Example: {}."
    )]
    async fn stats(&self, Parameters(_): Parameters<NoParams>) -> Result<CallToolResult, ErrorData> {
        self.ask(vec!["stats".to_string()], "", |v| format!("{} decisions", v["decisions"])).await
    }
}

impl Decisions {
    /// Run the command `argv` (without the program name) with `--json`, and answer with its
    /// JSON (under `wrap` when it is an array) and `summary` of it; a failure is a tool error.
    async fn ask(
        &self,
        argv: Vec<String>,
        wrap: &'static str,
        summary: fn(&Value) -> String,
    ) -> Result<CallToolResult, ErrorData> {
        let global = self.global.clone();
        let done = tokio::task::spawn_blocking(move || answer(global, argv)).await;
        let error = |m: String| Ok(CallToolResult::error(vec![ContentBlock::text(m)]));
        match done {
            Ok(Ok(value)) => {
                let text = summary(&value);
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
    let parsed = Cli::try_parse_from(std::iter::once("adrgraph".to_string()).chain(argv))
        .map_err(|e| e.render().to_string().trim().to_string())?;
    let cli = Cli {
        global: GlobalArgs {
            json: true,
            quiet: true,
            verbose: false,
            color: super::ColorWhen::Never,
            ..global
        },
        command: parsed.command,
    };
    let (result, bytes) = captured(|| super::run(&cli));
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
        Ok(Ok(_)) => {
            serde_json::from_slice(&bytes).map_err(|e| format!("the command gave no JSON answer: {e}"))
        }
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
    format!("{n} decisions reached from {}", v["start"].as_str().unwrap_or_default())
}

fn summary_of_lint(v: &Value) -> String {
    let findings = v["findings"].as_array().map(Vec::as_slice).unwrap_or_default();
    let errors = findings.iter().filter(|f| f["level"] == "error").count();
    format!("{} findings, {errors} at error level", findings.len())
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Decisions {
    fn get_info(&self) -> ServerConfig {
        let mut info = ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_instructions(INSTRUCTIONS);
        info.server_info = Implementation::new("adrgraph", env!("CARGO_PKG_VERSION"));
        info
    }
}
