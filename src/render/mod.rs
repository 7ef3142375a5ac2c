//! Drawing the knowledge graph: DOT text, SVG, PNG and PDF (rendered from that text by Graphviz's
//! `dot` through graphviz-rust), Mermaid, node-link JSON and GraphML.
//!
//! Every format draws the same [`View`]: [`select`] picks the decisions (all, one status, or the
//! neighbourhood of one decision), the edge kinds, and optionally the option nodes, once. Each
//! writer then only formats it, escaping every text that comes from a file for its own syntax,
//! so no title can break the output.
//!
//! Only [`render_graphviz`] spawns a process.

use crate::graph::{DecisionGraph, EdgeKind, Node};
use crate::model::{Adr, DecisionIndex, Status};
use graphviz_rust::cmd::{CommandArg, Format as GvFormat, Layout as GvLayout};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write as _;

mod dot;
mod formats;
mod graphviz;
mod select;

use dot::*;
pub use dot::{flat_name, percent_encode, status_look, to_dot};
pub use formats::{mermaid_text, to_graphml, to_json, to_mermaid, xml_escape};
pub use graphviz::{render_graphviz, RenderError};
pub use select::{most_linked, select};

/// Output formats of `adrgraph graph`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Format {
    /// Graphviz DOT text.
    #[cfg_attr(feature = "cli", value(help = "Graphviz DOT"))]
    Dot,
    /// SVG, rendered by Graphviz.
    #[cfg_attr(feature = "cli", value(help = "SVG (needs Graphviz)"))]
    Svg,
    /// PNG, rendered by Graphviz.
    #[cfg_attr(feature = "cli", value(help = "PNG (needs Graphviz)"))]
    Png,
    /// PDF, rendered by Graphviz.
    #[cfg_attr(feature = "cli", value(help = "PDF (needs Graphviz)"))]
    Pdf,
    /// Mermaid `flowchart` text.
    #[cfg_attr(feature = "cli", value(help = "Mermaid flowchart"))]
    Mermaid,
    /// Node-link JSON (d3, networkx `node_link_graph(data, edges="links")`).
    #[cfg_attr(feature = "cli", value(help = "Node-link JSON (d3, networkx)"))]
    Json,
    /// GraphML XML with typed attributes (Gephi, yEd, networkx).
    #[cfg_attr(feature = "cli", value(help = "GraphML (Gephi, yEd, networkx)"))]
    Graphml,
}

impl Format {
    /// The format a file name implies (`graph.svg`, `x.gv`, `x.mmd`, `x.graphml`).
    pub fn from_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_lowercase();
        Some(match ext.as_str() {
            "dot" | "gv" => Format::Dot,
            "svg" => Format::Svg,
            "png" => Format::Png,
            "pdf" => Format::Pdf,
            "mmd" | "mermaid" | "md" => Format::Mermaid,
            "json" => Format::Json,
            "graphml" | "xml" => Format::Graphml,
            _ => return None,
        })
    }

    /// Whether the output is binary (not for a terminal).
    pub fn is_binary(self) -> bool {
        matches!(self, Format::Png | Format::Pdf)
    }

    /// Whether Graphviz must run to produce it.
    pub fn needs_graphviz(self) -> bool {
        matches!(self, Format::Svg | Format::Png | Format::Pdf)
    }
}

/// Graphviz layout engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum Layout {
    /// Hierarchical: the clearest for small graphs, very slow for large ones.
    #[cfg_attr(feature = "cli", value(help = "Hierarchical (small graphs)"))]
    Dot,
    /// Spring model.
    #[cfg_attr(feature = "cli", value(help = "Spring model"))]
    Neato,
    /// Force-directed.
    #[cfg_attr(feature = "cli", value(help = "Force-directed"))]
    Fdp,
    /// Multiscale force-directed: for large graphs.
    #[cfg_attr(feature = "cli", value(help = "Multiscale force-directed (large graphs)"))]
    Sfdp,
}

impl Layout {
    /// The engine name.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Dot => "dot",
            Layout::Neato => "neato",
            Layout::Fdp => "fdp",
            Layout::Sfdp => "sfdp",
        }
    }

    /// The layout chosen by size when none is given: `dot` up to [`DOT_LIMIT`] nodes, `sfdp`
    /// above (dot does not finish a 1,000-decision graph in 5 minutes on a 2-core machine).
    pub fn for_size(nodes: usize) -> Layout {
        if nodes <= DOT_LIMIT {
            Layout::Dot
        } else {
            Layout::Sfdp
        }
    }
}

/// Largest number of nodes laid out with `dot` when no layout is given.
pub const DOT_LIMIT: usize = 300;

/// How decisions are ordered inside their folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
pub enum RankBy {
    /// By date (undated last), then number.
    #[default]
    #[cfg_attr(feature = "cli", value(help = "By date"))]
    Date,
    /// By number, then date.
    #[cfg_attr(feature = "cli", value(help = "By number"))]
    Number,
    /// No ordering constraint.
    #[cfg_attr(feature = "cli", value(help = "No ordering"))]
    None,
}

/// What to draw.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Draw only the neighbourhood of this decision (index), both directions.
    pub focus: Option<DecisionIndex>,
    /// Without a focus, draw only these decisions (see [`most_linked`]); `None` draws all.
    pub among: Option<Vec<DecisionIndex>>,
    /// Links away from the focus (default 1).
    pub depth: Option<usize>,
    /// Only decisions with one of these statuses (empty: all).
    pub statuses: Vec<Status>,
    /// Edge kinds to draw (empty: supersedes, amends, custom, references; plus considers and
    /// chooses with `options`).
    pub edges: Vec<EdgeKind>,
    /// Add option nodes with considered/chosen edges.
    pub options: bool,
    /// Ordering inside folders.
    pub rank_by: RankBy,
    /// Folder of the output file, to make SVG links to decision files relative to it; `None`
    /// keeps paths as displayed.
    pub link_base: Option<std::path::PathBuf>,
    /// The folder that relative decision paths and a relative `link_base` are relative to
    /// (the caller's current folder); empty when both are relative to the same folder.
    pub working_dir: std::path::PathBuf,
    /// Link each decision node to a page about it instead of its file: the URL is `prefix`,
    /// the id (percent-encoded, or as [`PageLinks::flat`] says), then `suffix` (the web view's
    /// `/decisions/ID`, or a static site's `decisions/ID.html`).
    pub page_links: Option<PageLinks>,
}

/// Where decision nodes link when they link to pages (see [`RenderOptions::page_links`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageLinks {
    /// Put before the id.
    pub prefix: String,
    /// Put after the id.
    pub suffix: String,
    /// Write the id as a flat file name (every byte but letters, digits, `-`, `_` and `.` as
    /// `~XX`), as a static site names its pages.
    pub flat: bool,
}

/// A node of the view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewNode {
    /// Stable id: the decision id, or `option:KEY`, `person:NAME`, `tag:NAME` (lower case).
    pub id: String,
    /// `decision`, `option`, `person` or `tag`.
    pub kind: String,
    /// Label text (decision: number and title; option: title).
    pub label: String,
    /// Decision title (or option title).
    pub title: String,
    /// Decision status (`null` for options).
    pub status: Option<Status>,
    /// ISO date.
    pub date: Option<crate::model::Date>,
    /// Decision number.
    pub number: Option<u32>,
    /// Path of the decision file.
    pub path: Option<String>,
    /// Folder relative to its root (the cluster).
    pub folder: Option<String>,
}

/// An edge of the view (indexes into the nodes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ViewEdge {
    /// Source node index.
    pub from: usize,
    /// Target node index.
    pub to: usize,
    /// Kind.
    pub kind: EdgeKind,
    /// Custom verb.
    pub label: Option<String>,
    /// Qualifier (`in part`).
    pub qualifier: Option<String>,
}

/// The selected part of the graph, ready to be written in any format.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct View {
    /// Nodes: decisions in record order, then options in key order.
    pub nodes: Vec<ViewNode>,
    /// Edges, in a stable order.
    pub edges: Vec<ViewEdge>,
}

impl View {
    /// Number of decision nodes.
    pub fn decisions(&self) -> usize {
        self.nodes.iter().filter(|n| n.kind == "decision").count()
    }
}

#[cfg(test)]
mod tests;
