//! The last pass over a record: template text left in, the title, number and dates settled
//! from every source, and the dialect chosen from the signals collected on the way.

use super::*;

impl Extractor {
    /// Report the first template placeholder left in (`[Describe the context ...]`, `{title}`,
    /// `YYYY-MM-DD`), with its line: in the front matter or in any line of text, never inside
    /// code (a fenced or indented block, or a code span), where a placeholder is an example.
    pub(super) fn template_text(&mut self, doc: &blocks::Doc) {
        let mut found: Option<(u32, String)> = None;
        let mut count = 0usize;
        if let Some((yaml, line)) = &doc.front_matter {
            for (k, l) in yaml.lines().enumerate() {
                if let Some(m) = TEMPLATE_TEXT.find(l) {
                    count += 1;
                    found.get_or_insert((line + k as u32, m.as_str().to_string()));
                }
            }
        }
        for l in all_lines(&doc.blocks) {
            for link in l.links.iter().filter(|k| crate::names::is_placeholder_target(&k.href)) {
                count += 1;
                if found.as_ref().is_none_or(|(line, _)| l.line < *line) {
                    found = Some((l.line, format!("[{}]({})", link.text, link.href)));
                }
            }
            for m in TEMPLATE_TEXT.find_iter(&l.text) {
                let in_code = l.code.iter().any(|&(s, e)| m.start() < e && s < m.end());
                if !in_code {
                    count += 1;
                    if found.as_ref().is_none_or(|(line, _)| l.line < *line) {
                        found = Some((l.line, m.as_str().to_string()));
                    }
                }
            }
        }
        if let Some((line, text)) = found {
            let more = match count {
                0 | 1 => String::new(),
                n => format!(" ({} more placeholder(s) in the file)", n - 1),
            };
            self.diag(
                line,
                Severity::Note,
                "template-text",
                format!("template text `{text}` is left in{more}"),
            );
        }
    }

    /// Links to code and other files of the repository (see [`Adr::code_links`]), each once,
    /// in document order.
    pub(super) fn code_links(&mut self, doc: &blocks::Doc) {
        let mut seen = std::collections::HashSet::new();
        for l in all_lines(&doc.blocks) {
            for link in &l.links {
                let h = link.href.trim();
                if is_code_link(h) && seen.insert(h) {
                    self.adr.code_links.push(h.to_string());
                }
            }
        }
    }

    pub(super) fn finish(&mut self) {
        // A plain reference on the same line as a typed link to the same target says nothing more.
        let typed: std::collections::HashSet<(u32, &str)> = self
            .adr
            .links
            .iter()
            .filter(|l| l.kind != LinkKind::References)
            .map(|l| (l.line, l.target.as_str()))
            .collect();
        let plain_repeats: Vec<bool> = self
            .adr
            .links
            .iter()
            .map(|l| l.kind == LinkKind::References && typed.contains(&(l.line, l.target.as_str())))
            .collect();
        let mut k = 0;
        self.adr.links.retain(|_| {
            k += 1;
            !plain_repeats[k - 1]
        });
        // Superseded-by links imply the superseded status when none was stated.
        if self.adr.status == Status::Unknown
            && self.adr.status_raw.is_none()
            && self
                .adr
                .links
                .iter()
                .any(|l| l.kind == LinkKind::SupersededBy && l.source != LinkSource::Prose)
        {
            self.adr.status = Status::Superseded;
        }
        let s = &self.signals;
        self.adr.dialect = if s.front_matter_meta || (s.front_matter && s.madr_headings) {
            Dialect::MadrFrontMatter
        } else if s.madr1 {
            Dialect::Madr2
        } else if s.bold_meta || s.seed_headings {
            Dialect::Seed
        } else if s.dash_meta
            && (s.tags
                || text::date_from_name(&self.adr.slug)
                    .is_some_and(|_| self.adr.slug.len() > 9 && self.adr.slug.as_bytes()[8] == b'-'))
        {
            Dialect::Log4brains
        } else if s.list_meta || (s.madr_headings && !s.status_section) {
            Dialect::Madr2
        } else if s.status_section || s.nygard_title || s.plain_meta {
            Dialect::Nygard
        } else {
            Dialect::Generic
        };
        self.diags.sort();
        self.diags.dedup();
    }
}

/// A link to a file or folder of the repository that is not a record: a relative path that
/// does not end in `.md`, or a repository URL to a file (`/blob/REF/path`, `/tree/REF/path`).
fn is_code_link(h: &str) -> bool {
    if h.is_empty() || h.starts_with(['#', '@']) || h.starts_with("mailto:") {
        return false;
    }
    let path = h.split(['#', '?']).next().unwrap_or(h);
    let md = {
        let p = path.to_ascii_lowercase();
        p.ends_with(".md") || p.ends_with(".markdown")
    };
    if let Some((scheme, rest)) = path.split_once("://") {
        return matches!(scheme, "http" | "https")
            && !md
            && rest.split('/').any(|s| s == "blob" || s == "tree")
            && !path.trim_end_matches('/').ends_with("/blob")
            && !path.trim_end_matches('/').ends_with("/tree");
    }
    !md && !path.contains(':') && path.contains(['/', '.']) && !path.is_empty()
}
