//! Where pages link: absolute paths under the server (`/decisions/ID`), or relative files in a
//! static site (`../decisions/ID.html`), so that one set of page functions serves both.

use crate::render::percent_encode;

/// How a page names the other pages.
#[derive(Debug, Clone)]
pub struct Links {
    /// The way from this page to the site's top: `/` on the server, `./` or `../` in a site.
    pub top: String,
    /// `true` for a static site: pages are files ending in `.html`, and search runs in the
    /// browser.
    pub static_site: bool,
}

impl Links {
    /// Links of the server.
    pub fn server() -> Links {
        Links { top: "/".into(), static_site: false }
    }

    /// Links of the server's pages at a past revision: under `/at/COMMIT/`.
    pub fn at(commit: &str) -> Links {
        Links { top: format!("/at/{}/", percent_encode(commit)), static_site: false }
    }

    /// Links of a static site page `depth` folders below the top.
    pub fn site(depth: usize) -> Links {
        Links { top: if depth == 0 { "./".into() } else { "../".repeat(depth) }, static_site: true }
    }

    /// The page of decision `id`.
    pub fn decision(&self, id: &str) -> String {
        if self.static_site {
            format!("{}decisions/{}.html", self.top, file_name(id))
        } else {
            format!("{}decisions/{}", self.top, percent_encode(id))
        }
    }

    /// The source file of decision `id` (the server only).
    pub fn source(&self, id: &str) -> String {
        format!("{}source/{}", self.top, percent_encode(id))
    }

    /// A top-level page: `""` (the log), `search`, `graph`, `timeline`, `lint`.
    pub fn page(&self, name: &str) -> String {
        match (self.static_site, name) {
            (true, "") => format!("{}index.html", self.top),
            (true, n) => format!("{}{n}.html", self.top),
            (false, n) => format!("{}{n}", self.top),
        }
    }

    /// An embedded asset (`style.css`, `app.js`).
    pub fn asset(&self, name: &str) -> String {
        format!("{}assets/{name}", self.top)
    }
}

/// The file name (without `.html`) a static site gives decision `id`.
pub use crate::render::flat_name as file_name;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_flat_and_distinct() {
        assert_eq!(file_name("platform/0001-x"), "platform~2F0001-x");
        assert_eq!(file_name("a~2Fb"), "a~7E2Fb");
        assert_ne!(file_name("a/b"), file_name("a~2Fb"));
        assert_eq!(file_name(".."), "~2E.");
        assert!(!file_name("../../etc").contains('/'));
    }

    #[test]
    fn server_and_site_links() {
        let s = Links::server();
        assert_eq!(s.decision("platform/ADR-001 x"), "/decisions/platform/ADR-001%20x");
        assert_eq!(s.page("graph"), "/graph");
        let site = Links::site(1);
        assert_eq!(site.decision("a/b"), "../decisions/a~2Fb.html");
        assert_eq!(site.page(""), "../index.html");
        assert_eq!(Links::site(0).asset("app.js"), "./assets/app.js");
    }
}
