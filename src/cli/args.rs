//! The command line as clap sees it: every command, option and help text. Nothing outside
//! `src/cli/` knows about clap.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// adrgraph reads a tree of Architecture Decision Records (adr-tools/Nygard, MADR 1-4,
/// log4brains, the rich seed template, and mixes of them) into structured decisions.
///
/// With no --root, adrgraph looks for `.adr-dir`, `.log4brains.yml`, then `doc/adr`,
/// `docs/adr`, `docs/decisions`, `docs/architecture/decisions`, ... in the current directory and
/// its parents. It writes into the ADR tree only when that is the command's job (`new`, `init`,
/// `lint --fix`), and `--dry-run` shows the diff first.
///
/// Exit codes: 0 ok (an empty answer, such as a search without hits, is still 0); 1 lint
/// findings at error level, or files that could not be read fully (the output is still complete
/// for everything else); 2 usage error, I/O error, or nothing to read.
#[derive(Debug, Parser)]
#[command(name = "adrgraph", version, about, long_about, max_term_width = 100)]
#[command(
    after_help = "Examples:\n  adrgraph --root docs/adr list\n  adrgraph list --status accepted --json\n  adrgraph show 12\n  adrgraph impact 12 --depth 2\n  adrgraph chain 12\n  adrgraph option kafka\n  adrgraph stats"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted before or after the command name.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Folder of ADRs to read; repeat for several (numbers may restart in each).
    #[arg(long, short = 'r', global = true, help_heading = "Global options", value_name = "PATH")]
    pub root: Vec<PathBuf>,
    /// Print JSON instead of text (stable field names, see docs/json.md).
    #[arg(long, global = true, help_heading = "Global options")]
    pub json: bool,
    /// When to use colours; `auto` honours NO_COLOR and is off when output is not a terminal.
    #[arg(long, global = true, help_heading = "Global options", value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    /// Print every diagnostic (warnings and notes too), not only errors.
    #[arg(long, short = 'v', global = true, help_heading = "Global options")]
    pub verbose: bool,
    /// Print no diagnostics summary on stderr.
    #[arg(long, short = 'q', global = true, help_heading = "Global options", conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also read files that .gitignore excludes.
    #[arg(long, global = true, help_heading = "Global options")]
    pub no_ignore: bool,
    /// Keep the store (parsed records and full-text index) in DIR instead of the user's cache
    /// directory (an empty ADRGRAPH_STORE means none is set).
    #[arg(long, global = true, help_heading = "Global options", value_name = "DIR", env = "ADRGRAPH_STORE")]
    pub store: Option<PathBuf>,
    /// Trust the store as it is: do not look at the tree for changes (for scripts that just ran
    /// `adrgraph index`).
    #[arg(long, global = true, help_heading = "Global options")]
    pub no_refresh: bool,
    /// Answer as of a git revision, read from the repository's objects (nothing checked out):
    /// a commit id, tag, branch, `HEAD~3`, a date `YYYY-MM-DD` (the last commit on or before
    /// that day, UTC, first parent from HEAD) or `REV@{YYYY-MM-DD}`. For list, show, stats,
    /// search, impact, deps, chain, path, option, graph, lint and governs (the code as it was
    /// too); the answer names the commit.
    #[arg(long, global = true, help_heading = "Global options", value_name = "REV")]
    pub at: Option<String>,
    /// Configuration file (default: adrgraph.toml here or in a parent folder): roots, exclude
    /// globs, extra status words and link phrases, lint levels.
    #[arg(long, global = true, help_heading = "Global options", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// When to colour output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colours on a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List decisions: one row each with id, status, date and title.
    ///
    /// Rows are in root order, then path order. Filter with --status (repeatable).
    List(ListArgs),
    /// Show one decision in full: every field, options with pros and cons, links.
    ///
    /// ID is an id, a path (relative to here or to a root), a number (`12`, `0012`, `ADR-12`,
    /// or `folder/12` where numbers restart per folder) or a slug or unique part of one.
    Show(ShowArgs),
    /// Figures: files seen and skipped (with reasons), decisions per dialect and status, how
    /// many decisions have each field, links per kind, graph nodes and edges, broken links,
    /// supersession cycles, components, diagnostics.
    Stats(StatsArgs),
    /// What would be affected by changing a decision: every decision that references, amends or
    /// supersedes it, transitively, with the chain of links that explains each one.
    ///
    /// Accepted decisions are listed first, then by distance.
    Impact(WalkArgs),
    /// What a decision rests on: every decision it references, amends or supersedes,
    /// transitively.
    Deps(WalkArgs),
    /// The supersession chain through a decision, oldest to newest, and the decision in force
    /// now. A supersession cycle is reported, not followed forever.
    ///
    /// With --on DATE, the chain as it stood on that date, from the records' own dates, dated
    /// status histories and supersessions (no git needed); the answer says which dates it used.
    Chain(ChainArgs),
    /// The shortest chain of links between two decisions (links followed in either direction).
    Path(PathArgs),
    /// Full-text search: "what did we decide about Kafka?".
    ///
    /// BM25 over titles (boosted), every section, options, people and tags, with English
    /// stemming and accent folding. Query syntax: words (all must match), "exact phrases",
    /// +must, -not, field:value (title, body, options, people, tags), prefix*. Quote a query
    /// that holds a -term: `adrgraph search "nats -jetstream"`. Superseded hits name the
    /// decision in force.
    Search(SearchArgs),
    /// Bring the store up to date (parse what changed, update the full-text index) and report.
    ///
    /// Every command refreshes the store first; `index` does it explicitly, for example before
    /// scripts that then use --no-refresh. --rebuild starts over.
    Index(IndexArgs),
    /// Check the decision log: broken links, inconsistent supersession, duplicate numbers,
    /// stale reviews, template text left in, and more (`--explain` lists every rule).
    ///
    /// Findings print as `path:line:col: level[code]: message` with the source line marked.
    /// Levels come from each rule's default, changed or switched off in `adrgraph.toml`
    /// (`[lint.rules] numbering-gap = "off"`). Exit code 1 when an error-level finding
    /// remains, 0 otherwise, 2 on usage or I/O errors.
    Lint(LintArgs),
    /// Draw the decision graph: DOT, SVG, PNG, PDF, Mermaid, JSON (node-link) or GraphML.
    ///
    /// Decisions are coloured and shaped by status, grouped in one cluster per folder and
    /// ordered by date; edges are styled by kind. SVG nodes link to their files and carry a
    /// tooltip. The format follows the extension of -o when --format is not given; text formats
    /// go to stdout without -o. SVG, PNG and PDF need Graphviz (`dot`); without --layout, graphs
    /// of more than 300 decisions are laid out with sfdp, since dot does not finish on them.
    Graph(GraphArgs),
    /// Every decision that considered an option, and whether it chose it.
    ///
    /// NAME matches option titles word by word, case-insensitively, with common aliases merged
    /// (`postgres` finds `PostgreSQL`): `adrgraph option kafka`.
    Option(OptionArgs),
    /// Write a new decision record, in the dialect its folder already uses, numbered after the
    /// highest number there and named as its neighbours are (`0012-use-kafka.md`,
    /// `ADR-012-use-kafka.md`, `20240131-use-kafka.md`). Prints the path of the new file.
    ///
    /// The title is every word after `new` (`adrgraph new Use Kafka for telemetry`); `--` ends
    /// the options (`adrgraph new -- -Bar-`). The text is the folder's own template
    /// (`templates/template.md`, `template.md` or `adr-template.md`) when it has one, else the
    /// built-in template of its dialect (the seed template for a folder with no record yet).
    /// Two `new` at once never take the same number.
    New(NewArgs),
    /// Start a decision log: make the folder (default `doc/adr`, as adr-tools does) and its
    /// first record, "Record architecture decisions", in the dialect asked for (the seed
    /// template by default). Writes nothing else; refuses a folder that holds decisions.
    Init(InitArgs),
    /// Record that NEW supersedes OLD, on both sides: OLD's status becomes "Superseded by
    /// [NEW](..)" and NEW gains "Supersedes [OLD](..)", each written the way its own file writes
    /// status and links (a `## Status` section as adr-tools writes it, a metadata bullet, a bold
    /// label, front matter; links in the status section or the `## Links` section).
    ///
    /// Refuses a supersession cycle, and an OLD superseded already (unless --force). Nothing
    /// else in either file changes; if either file cannot be written, neither is.
    Supersede(SupersedeArgs),
    /// Link two decisions as `adr link` does: VERB on SOURCE, and REVERSE on TARGET when given:
    /// `adrgraph link 3 Amends 1 "Amended by"`.
    Link(LinkArgs),
    /// Change a decision's status where its file writes it: `adrgraph status 12 Deprecated`.
    Status(StatusArgs),
    /// A table of contents of a folder's decisions, as `adr generate toc` writes it, on stdout
    /// (or into -o FILE).
    Toc(TocArgs),
    /// Move a decision to the next free number of its folder (two branches gave two records
    /// one number): its file renamed, the number in its heading changed, every markdown link
    /// to it across the tree pointed at the new file.
    Renumber(RenumberArgs),
    /// Which decisions govern these files (folders: every file below them), each with why,
    /// strongest reason first: a declared scope (front matter `affects:`, `appliesTo:`,
    /// `applies-to:`, `scope:` or `paths:`, or the `[governs]` table of adrgraph.toml), a marker
    /// in the file (`// ADR-0012`, `# adr: 12`, `@adr 12`, a record's file name), then mentions
    /// (the decision's text names the file, a folder of it or its module).
    ///
    /// A superseded decision is never the answer: its reasons pass to the decision in force,
    /// and the reason says so. Deprecated and rejected decisions only with --all. The tree's
    /// own ADR files are not code (`adrgraph lint` checks them).
    ///
    /// With --diff or --staged, answers for the files a change touched, read from git.
    #[command(
        after_help = "Examples:\n  adrgraph governs src/billing\n  adrgraph governs --diff origin/main\n  adrgraph governs --diff v1.0..v2.0 --json\n  adrgraph governs --staged"
    )]
    Governs(GovernsArgs),
    /// What changed in the decisions between two git revisions (`A..B`), or from a revision
    /// to the work tree (`A`): records added, removed and renamed, statuses and titles changed,
    /// supersessions and amendments written or taken out, and the words of the decision,
    /// outcome and consequences that changed. Read from git objects; nothing checked out.
    #[command(
        after_help = "Examples:\n  adrgraph diff v1.0..v2.0\n  adrgraph diff v1.0..v2.0 --in-force\n  adrgraph diff HEAD~10 --format markdown\n  adrgraph diff 2024-01-01..2024-06-30 --json"
    )]
    Diff(DiffArgs),
    /// Each commit that changed a decision's record, oldest first: commit, date, author,
    /// subject, and what it changed (status, links, sections, the words of the decision, a
    /// rename). Renames are followed; read from git on the first-parent history of HEAD.
    #[command(after_help = "Examples:\n  adrgraph history 12\n  adrgraph history ADR-004 --json")]
    History(HistoryArgs),
    /// The pull-request check: for a change read from git, the decisions in force governing
    /// each changed file of code (with why), the lint findings on the records the change
    /// touches (only those: an old tree's debt does not fail a new change), and what the change
    /// does to the decisions (records added, statuses changed, supersessions written).
    ///
    /// Exit 1 only for errors: lint errors on touched records, and with
    /// --fail-on-superseded-marker or --require-decision their findings. Being governed is
    /// information, not failure.
    #[command(
        after_help = "Examples:\n  adrgraph check --diff origin/main\n  adrgraph check --staged\n  adrgraph check --diff origin/main --format markdown > comment.md\n  adrgraph check --diff \"$BASE_SHA\" --format github --fail-on-superseded-marker\n  adrgraph check --diff main --require-decision 'src/billing/**'"
    )]
    Check(CheckArgs),
    /// Serve the decision log to coding agents over the Model Context Protocol, on stdio.
    ///
    /// Tools: search, list, show, impact, deps, chain, path, governs, lint, stats. Each answers
    /// with the same JSON as the command of the same name with --json (as structuredContent; a
    /// list comes as an object holding it), and a one-line summary first. Every call reads the
    /// tree as it is then (the store's quick no-change check), so edits are seen at once.
    /// Standard output carries the protocol only; notes go to stderr.
    ///
    /// Register it with an agent, for example: `claude mcp add adrgraph -- adrgraph --root
    /// docs/adr mcp`. With --http it serves the Streamable HTTP transport on loopback instead.
    Mcp(McpArgs),
    /// Serve the decision log in a browser for the team: the log with filters, every
    /// decision's page (options, chain, impact, lint), search as you type, the graph and a
    /// timeline, and a JSON API under /api/ with the same answers as --json.
    ///
    /// Read-only (no page or API writes anything). Binds 127.0.0.1:8080, or the next free port
    /// up to 8099, unless --bind/--port say otherwise; prints the address. The tree is watched:
    /// an edited, added or removed record is on every page within a second, and open pages
    /// reload themselves. Any page or API address with `?at=REV` (a tag, commit, branch,
    /// `HEAD~3` or a date) answers as of that git revision, as --at does. Ctrl-C stops it.
    Serve(ServeArgs),
    /// Write the web view as static files into a folder (-o DIR): relative links, so it works
    /// from file://, GitHub Pages or any static host, and a search that runs in the browser from
    /// an index written beside the pages. The same tree gives the same bytes.
    Site(SiteArgs),
    /// Print a shell completion script: `adrgraph completions bash > /etc/bash_completion.d/adrgraph`.
    ///
    /// For zsh, write it to a folder of $fpath as `_adrgraph`; for fish, to
    /// ~/.config/fish/completions/adrgraph.fish. Reads no tree.
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `adrgraph man > ~/.local/share/man/man1/adrgraph.1`.
    ///
    /// Reads no tree.
    Man,
}

/// `adrgraph new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The title, as words: `adrgraph new Use Kafka for telemetry`.
    #[arg(required_unless_present = "renumber", num_args = 1.., value_name = "TITLE")]
    pub title: Vec<String>,
    /// Write no new record: move the record ID, whose number another took (parallel
    /// branches), to the next free number, as `adrgraph renumber ID` does.
    #[arg(long, value_name = "ID", conflicts_with_all = [
        "title", "status", "date", "dialect", "folder", "template", "supersedes", "amends", "link", "edit",
    ])]
    pub renumber: Option<String>,
    /// The status (default: Accepted in an adr-tools folder, draft in log4brains, else Proposed).
    #[arg(long, value_name = "S")]
    pub status: Option<String>,
    /// The date (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<chrono::NaiveDate>,
    /// The dialect, instead of the one the folder's records use.
    #[arg(long, value_enum)]
    pub dialect: Option<adrgraph::Dialect>,
    /// The folder to write in (needed when there are several roots; default: the one root).
    #[arg(long, value_name = "DIR")]
    pub folder: Option<PathBuf>,
    /// A template file to fill instead of the folder's own or the built-in one (placeholders
    /// NUMBER, TITLE, DATE, STATUS, as adr-tools fills them).
    #[arg(long, value_name = "FILE")]
    pub template: Option<PathBuf>,
    /// A decision the new one supersedes (repeatable): its status and the new record's links
    /// say so, as `adrgraph supersede` writes them.
    #[arg(long, value_name = "ID")]
    pub supersedes: Vec<String>,
    /// A decision the new one amends (repeatable): it gains "Amended by" the new one.
    #[arg(long, value_name = "ID")]
    pub amends: Vec<String>,
    /// Another relation, as `adr new -l` takes it: VERB:ID[:REVERSE]
    /// (`--link "Clarifies:2:Clarified by"`).
    #[arg(long, value_name = "VERB:ID[:REVERSE]")]
    pub link: Vec<String>,
    /// Open $VISUAL (else $EDITOR) on the new file once it is written.
    #[arg(long)]
    pub edit: bool,
    /// Print the diff of the file that would be created, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `adrgraph supersede`.
#[derive(Debug, Args)]
pub struct SupersedeArgs {
    /// The decision superseded: id, path, number or slug.
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The decision that supersedes it.
    #[arg(value_name = "NEW")]
    pub new: String,
    /// Supersede OLD even though another decision supersedes it already.
    #[arg(long)]
    pub force: bool,
    /// NEW supersedes only this part of OLD (`--in-part "the storage layer"`): OLD keeps its
    /// status and stays in force for the rest; both gain a `Partly supersedes` line.
    #[arg(long, value_name = "TEXT")]
    pub in_part: Option<String>,
    /// Print the diff of every file that would change, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `adrgraph link`.
#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The decision the link is written on.
    #[arg(value_name = "SOURCE")]
    pub source: String,
    /// The relation, as it reads on SOURCE (`Amends`, `Clarifies`).
    #[arg(value_name = "VERB")]
    pub verb: String,
    /// The decision linked to.
    #[arg(value_name = "TARGET")]
    pub target: String,
    /// The relation as it reads on TARGET (`Amended by`); none: TARGET is left as it is.
    #[arg(value_name = "REVERSE")]
    pub reverse: Option<String>,
    /// Print the diff of every file that would change, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `adrgraph status`.
#[derive(Debug, Args)]
pub struct StatusArgs {
    /// The decision.
    #[arg(value_name = "ID")]
    pub id: String,
    /// The new status, as words (`Deprecated`, `Superseded by ADR-12`).
    #[arg(required = true, num_args = 1.., value_name = "STATUS")]
    pub status: Vec<String>,
    /// The date of the change in the record's changelog, when it keeps one (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub date: Option<chrono::NaiveDate>,
    /// Print the diff of the file that would change, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `adrgraph renumber`.
#[derive(Debug, Args)]
pub struct RenumberArgs {
    /// The decision to move: id, path or slug (its number is shared, so not the number alone).
    #[arg(value_name = "ID")]
    pub id: String,
    /// Print what would change, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `adrgraph mcp`.
#[derive(Debug, Args)]
pub struct McpArgs {
    /// Serve the Streamable HTTP transport at ADDR instead of stdio (default 127.0.0.1 and a
    /// free port; the address is printed). The endpoint is /mcp. A non-loopback address serves
    /// your network: only when named.
    #[arg(long, value_name = "ADDR", num_args = 0..=1, default_missing_value = "127.0.0.1:0")]
    pub http: Option<std::net::SocketAddr>,
    /// With --http: also answer requests whose Host header is NAME (repeatable). Only
    /// loopback names and addresses (and the address bound) are answered otherwise, so that a
    /// page of another site cannot reach the server through DNS rebinding.
    #[arg(long, value_name = "NAME", requires = "http")]
    pub allow_host: Vec<String>,
    /// Also offer the writing tools `new`, `supersede`, `link` and `status`, through the same
    /// audited writer as the commands. Each shows the diff (`dry_run`, the default) until
    /// called again with `dry_run: false`. Without this flag they are not listed at all.
    #[arg(long)]
    pub allow_write: bool,
}

/// `adrgraph governs`.
#[derive(Debug, Args)]
pub struct GovernsArgs {
    /// Files or folders of code (relative to here). With --diff or --staged: only the changed
    /// files below these.
    #[arg(required_unless_present_any = ["diff", "staged"], value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Answer for the files a change touched, read from git: `BASE` (from the merge base of
    /// BASE and HEAD to the work tree, uncommitted changes included, as a pull request shows
    /// it), `A..B` (between two revisions) or `A...B` (from their merge base to B). Renamed and
    /// deleted files are included; markers on changed lines say "added here" or "removed here".
    #[arg(long, value_name = "BASE|A..B", conflicts_with = "staged")]
    pub diff: Option<String>,
    /// Answer for the files staged for the next commit (the pre-commit case).
    #[arg(long)]
    pub staged: bool,
    /// Also deprecated and rejected decisions.
    #[arg(long)]
    pub all: bool,
}

/// `adrgraph serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The port (default 8080, or the next free one up to 8099; 0 takes any free port).
    #[arg(long, short = 'p', value_name = "N")]
    pub port: Option<u16>,
    /// The address to listen on. Anything but loopback shows the decisions to your network.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the log in the default browser once serving.
    #[arg(long)]
    pub open: bool,
    /// Do not watch the tree (pages show the tree as it was at start).
    #[arg(long)]
    pub no_watch: bool,
    /// Also answer requests for this host name (repeatable). Bound to loopback, the server
    /// answers only `localhost` and loopback addresses, so no other site's page can read the log
    /// through DNS rebinding; name here the host a proxy or tunnel uses.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
}

/// `adrgraph site`.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The folder to write (made when missing; its files of an earlier build are replaced).
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: PathBuf,
}

/// `adrgraph toc`.
#[derive(Debug, Args)]
pub struct TocArgs {
    /// The folder (needed when there are several roots; default: the one root).
    #[arg(long, value_name = "DIR")]
    pub folder: Option<PathBuf>,
    /// Put before each link, as `adr generate toc -p` does (`docs/adr/`).
    #[arg(long, short = 'p', value_name = "PREFIX", default_value = "")]
    pub prefix: String,
    /// A markdown file put after the heading.
    #[arg(long, short = 'i', value_name = "FILE")]
    pub intro: Option<PathBuf>,
    /// A markdown file put after the list.
    #[arg(long, value_name = "FILE")]
    pub outro: Option<PathBuf>,
    /// Write the table into FILE instead of stdout (a new file, or one adrgraph may replace).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `adrgraph init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to make (default: the one --root names, else the dialect's own: `doc/adr`
    /// for the seed template and Nygard, `docs/decisions` for MADR 3/4, `docs/adr` for MADR 2
    /// and log4brains).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The dialect of the first record (default: the seed template).
    #[arg(long, value_enum)]
    pub dialect: Option<adrgraph::Dialect>,
    /// Print the diff of the file that would be created, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// `adrgraph completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// `adrgraph impact` / `adrgraph deps`.
#[derive(Debug, Args)]
pub struct WalkArgs {
    /// The decision: id, path, number or slug.
    #[arg(value_name = "ID")]
    pub id: String,
    /// Follow at most N links (default: no limit).
    #[arg(long, short = 'd', value_name = "N")]
    pub depth: Option<usize>,
    /// List at most N of the decisions reached, accepted first, then the nearest (the JSON's
    /// `total` still counts them all).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

/// `adrgraph path`.
#[derive(Debug, Args)]
pub struct PathArgs {
    /// First decision.
    #[arg(value_name = "A")]
    pub from: String,
    /// Second decision.
    #[arg(value_name = "B")]
    pub to: String,
}

/// `adrgraph option`.
#[derive(Debug, Args)]
pub struct OptionArgs {
    /// The option's name, or words of it.
    #[arg(value_name = "NAME", required = true, num_args = 1..)]
    pub name: Vec<String>,
}

/// `adrgraph list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only decisions with this status (proposed, accepted, rejected, deprecated, superseded,
    /// draft, unknown); repeat for several.
    #[arg(long, short = 's', value_name = "STATUS")]
    pub status: Vec<adrgraph::Status>,
    /// Sort order.
    #[arg(long, value_enum, default_value_t = SortBy::Path)]
    pub sort: SortBy,
    /// Only the decisions in force: accepted and not wholly superseded by a decision that took
    /// their place (in force in part when superseded `in part`).
    #[arg(long)]
    pub in_force: bool,
    /// With --in-force: in force on this date, from the records' own dates, dated status
    /// histories and supersessions (no git needed); undated records are listed apart.
    #[arg(long, value_name = "YYYY-MM-DD", requires = "in_force")]
    pub on: Option<chrono::NaiveDate>,
    /// At most N decisions, after filtering and sorting (a page, with --offset).
    #[arg(long, value_name = "N", conflicts_with = "in_force")]
    pub limit: Option<usize>,
    /// Leave out the first N decisions, after filtering and sorting.
    #[arg(long, value_name = "N", default_value_t = 0, conflicts_with = "in_force")]
    pub offset: usize,
    /// With --json: only these keys of each row, comma-separated (id, path, title, number,
    /// status, status_raw, date, deciders, tags, dialect, links); every key when not given.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "FIELD", conflicts_with = "in_force")]
    pub fields: Vec<ListField>,
}

/// A key of a `list --json` row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum ListField {
    /// The id.
    Id,
    /// The path.
    Path,
    /// The title.
    Title,
    /// The number.
    Number,
    /// The normalised status.
    Status,
    /// The status as written.
    StatusRaw,
    /// The date.
    Date,
    /// The deciders.
    Deciders,
    /// The tags.
    Tags,
    /// The dialect.
    Dialect,
    /// The links as written.
    Links,
}

impl ListField {
    /// The row's key.
    pub fn key(self) -> &'static str {
        match self {
            ListField::Id => "id",
            ListField::Path => "path",
            ListField::Title => "title",
            ListField::Number => "number",
            ListField::Status => "status",
            ListField::StatusRaw => "status_raw",
            ListField::Date => "date",
            ListField::Deciders => "deciders",
            ListField::Tags => "tags",
            ListField::Dialect => "dialect",
            ListField::Links => "links",
        }
    }
}

/// Sort order for `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortBy {
    /// Root, then path.
    Path,
    /// Date (undated last), then path.
    Date,
    /// Number (unnumbered last), then path.
    Number,
    /// Id.
    Id,
}

/// `adrgraph chain`.
#[derive(Debug, Args)]
pub struct ChainArgs {
    /// The decision: id, path, number or slug.
    #[arg(value_name = "ID")]
    pub id: String,
    /// As it stood on this date, from the records' own dates (not from git: see --at).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub on: Option<chrono::NaiveDate>,
}

/// `adrgraph show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The decision: id, path, number or slug.
    #[arg(value_name = "ID")]
    pub id: String,
}

/// `adrgraph stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Also list every diagnostic.
    #[arg(long)]
    pub diagnostics: bool,
}

/// `adrgraph graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Output format (default: from the -o extension, else dot).
    #[arg(long, short = 'f', value_enum, value_name = "FORMAT")]
    pub format: Option<adrgraph::render::Format>,
    /// Write to FILE instead of stdout (`-` for stdout).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<String>,
    /// Graphviz layout engine (default: dot up to 300 decisions, sfdp above).
    #[arg(long, value_enum, value_name = "ENGINE")]
    pub layout: Option<adrgraph::render::Layout>,
    /// Draw only the neighbourhood of this decision (links in both directions).
    #[arg(long, value_name = "ID")]
    pub focus: Option<String>,
    /// With --focus: how many links away to go.
    #[arg(long, short = 'd', value_name = "N", default_value_t = 1, requires = "focus")]
    pub depth: usize,
    /// Only decisions with this status; repeat for several.
    #[arg(long, short = 's', value_name = "STATUS")]
    pub status: Vec<adrgraph::Status>,
    /// Edge kinds to draw, comma-separated (supersedes, amends, custom, references, considers,
    /// chooses).
    #[arg(long, value_delimiter = ',', value_name = "KIND,...")]
    pub edges: Vec<adrgraph::EdgeKind>,
    /// Add the considered options as nodes, with considered and chosen edges.
    #[arg(long)]
    pub options: bool,
    /// Order decisions inside each folder by date or number.
    #[arg(long, value_enum, default_value_t = adrgraph::render::RankBy::Date)]
    pub rank: adrgraph::render::RankBy,
}

/// `adrgraph search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// The query.
    #[arg(value_name = "QUERY", required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// Only decisions with this status; repeat for several.
    #[arg(long, short = 's', value_name = "STATUS")]
    pub status: Vec<adrgraph::Status>,
    /// Only decisions dated on or after DATE (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub since: Option<adrgraph::Date>,
    /// Only decisions dated on or before DATE (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<adrgraph::Date>,
    /// Only decisions whose deciders (or consulted, informed) include this name.
    #[arg(long, value_name = "NAME")]
    pub decider: Option<String>,
    /// Only decisions with this tag.
    #[arg(long, value_name = "TAG")]
    pub tag: Option<String>,
    /// Only decisions in this folder or below (relative to its root, or as displayed).
    #[arg(long, value_name = "PATH")]
    pub folder: Option<String>,
    /// At most N hits (1 or more; a larger N than there are decisions gives them all).
    #[arg(long, short = 'n', default_value_t = 10, value_name = "N",
        value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub limit: usize,
}

/// `adrgraph index`.
#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Throw the store away and build it again.
    #[arg(long)]
    pub rebuild: bool,
}

/// `adrgraph lint`.
#[derive(Debug, Args)]
pub struct LintArgs {
    /// Report only the findings on these files, or on the files below these folders (the whole
    /// tree is still read, so links and supersessions are checked against it); files outside
    /// the tree are ignored. What a pre-commit hook passes.
    #[arg(value_name = "PATH")]
    pub files: Vec<PathBuf>,
    /// Output format (`--json` is the same as `--format json`).
    #[arg(long, short = 'f', value_enum, default_value_t = LintFormat::Human)]
    pub format: LintFormat,
    /// Explain a rule (or, without CODE, list every rule with its default level).
    #[arg(long, value_name = "CODE", num_args = 0..=1, default_missing_value = "")]
    pub explain: Option<String>,
    /// Measure review dates and open proposals against DATE instead of today (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub today: Option<adrgraph::Date>,
    /// Repair what is mechanical and safe: the status of a decision another one supersedes.
    /// Prints a diff of each change first; writes through the audited writer (atomic; symbolic
    /// links, hard-linked, read-only and foreign files refused; checked and rolled back if the
    /// record would lose a field); touches nothing else.
    #[arg(long)]
    pub fix: bool,
    /// With --fix: print the diff of every change and write nothing.
    #[arg(long, requires = "fix")]
    pub dry_run: bool,
    /// Also read the git history (the first-parent history of HEAD): `changed-after-acceptance`
    /// for each commit that rewrote an accepted record's decision, outcome or consequences with
    /// no status change or amendment recorded in it (edits under `[lint] editorial_distance`
    /// characters, 6 by default, are editorial). Each finding names the commit, author and date.
    #[arg(long)]
    pub history: bool,
}

/// `adrgraph check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The change: `BASE` (from the merge base of BASE and HEAD to the work tree, as a pull
    /// request shows it), `A..B` or `A...B`.
    #[arg(long, value_name = "BASE|A..B", required_unless_present = "staged", conflicts_with = "staged")]
    pub diff: Option<String>,
    /// The change staged for the next commit (the pre-commit case).
    #[arg(long)]
    pub staged: bool,
    /// How to write the report.
    #[arg(long, short = 'f', value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,
    /// A marker on a changed line naming a superseded, deprecated or rejected decision is an
    /// error naming the decision in force instead (also `[check] fail_on_superseded_marker`).
    #[arg(long)]
    pub fail_on_superseded_marker: bool,
    /// A changed file matching GLOB (from the repository's top) that no decision in force
    /// governs is an error (repeatable; also `[check] require_decision` in adrgraph.toml).
    #[arg(long, value_name = "GLOB")]
    pub require_decision: Vec<String>,
}

/// `adrgraph history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// The decision: id, number, path or slug.
    #[arg(value_name = "ID")]
    pub id: String,
}

/// `adrgraph diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// `A..B` (A's decisions against B's: commits, tags, branches, `HEAD~3`, dates
    /// `YYYY-MM-DD`), or `A` (A's against the work tree).
    #[arg(value_name = "A..B|A")]
    pub range: String,
    /// How to write the answer: human, markdown (release notes, a pull-request comment) or json.
    #[arg(long, short = 'f', value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Only the change in what is in force: the decisions that came into force and went out.
    #[arg(long)]
    pub in_force: bool,
}

/// `diff --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// One sentence per change.
    Human,
    /// A markdown section.
    Markdown,
    /// JSON (as --json).
    Json,
}

/// `check --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Sections for a terminal.
    Human,
    /// A pull-request comment body: a table of changed files and their decisions, the
    /// decision changes, the findings.
    Markdown,
    /// GitHub Actions workflow commands: notices on the changed files and marker lines,
    /// findings as errors and warnings on their lines.
    Github,
    /// The whole report as JSON (as --json).
    Json,
    /// SARIF 2.1.0: the findings, for code scanning.
    Sarif,
}

/// `lint --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    /// `path:line:col: level[code]: message`, with the source line marked.
    Human,
    /// A JSON object with the findings and their counts.
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
}
