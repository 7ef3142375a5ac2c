//! SVG, PNG and PDF: the DOT text rendered by Graphviz's `dot` through graphviz-rust, the one
//! place that spawns a process.

use super::*;

pub use crate::error::RenderError;

/// Render DOT text to SVG, PNG or PDF with Graphviz's `dot` (through graphviz-rust), using
/// `layout`.
pub fn render_graphviz(dot: &str, format: Format, layout: Layout) -> Result<Vec<u8>, RenderError> {
    let gv_format = match format {
        Format::Svg => GvFormat::Svg,
        Format::Png => GvFormat::Png,
        Format::Pdf => GvFormat::Pdf,
        other => return Err(RenderError::Graphviz(format!("{other:?} is not rendered by Graphviz"))),
    };
    let gv_layout = match layout {
        Layout::Dot => GvLayout::Dot,
        Layout::Neato => GvLayout::Neato,
        Layout::Fdp => GvLayout::Fdp,
        Layout::Sfdp => GvLayout::Sfdp,
    };
    graphviz_rust::exec_dot(
        dot.to_string(),
        vec![CommandArg::Format(gv_format), CommandArg::Layout(gv_layout)],
    )
    .map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            RenderError::NoGraphviz
        } else {
            RenderError::Graphviz(e.to_string())
        }
    })
}
