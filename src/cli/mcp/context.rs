//! `context` and the two prompts: what an agent should read before a change, built from the
//! answers of `governs`, `search`, `show`, `new --dry-run` and `lint` run in-process.

use super::super::GlobalArgs;
use super::params::{ContextParams, DraftParams};
use super::{answer, flags};
use serde_json::{json, Value};

/// The `draft-decision` prompt's text: the template `new` would write (path and number
/// included) and the related decisions in force (`context` for the title and problem).
pub(super) fn draft_of(global: &GlobalArgs, p: &DraftParams) -> std::result::Result<String, String> {
    let mut argv = vec!["new".to_string(), "--dry-run".to_string()];
    flags(&mut argv, "--folder", &p.folder);
    argv.extend(["--".to_string(), p.title.clone()]);
    let draft = answer(global.clone(), argv)?;
    let task = format!("{} {}", p.title, p.problem);
    let ask = ContextParams { paths: Vec::new(), task: Some(task), budget: Some(CONTEXT_BUDGET) };
    let (_, related) = context_of(global, &ask)?;
    Ok(format!(
        "Draft an architecture decision record titled \"{}\", to be written as `{}` (number {}).\n\n\
         The problem:\n{}\n\n\
         Fill in this template, the folder's own, keeping its headings and metadata labels; replace \
         every placeholder, and leave out what does not apply:\n\n```markdown\n{}```\n\n\
         Decisions in force that bear on it (link the ones it builds on, and say which it supersedes, if any):\n\n{}",
        p.title,
        draft["path"].as_str().unwrap_or_default(),
        draft["number"],
        p.problem.trim(),
        draft["text"].as_str().unwrap_or_default(),
        related
    ))
}

/// The `review-change` prompt's text: `governs` for the files, and the lint findings on the
/// decision records among them.
pub(super) fn review_of(global: &GlobalArgs, paths: &[String]) -> std::result::Result<String, String> {
    let mut out = String::from("Review this change against the decision log.\n\n");
    let ask = ContextParams { paths: paths.to_vec(), task: None, budget: Some(CONTEXT_BUDGET) };
    let (_, governing) = context_of(global, &ask)?;
    out.push_str("Decisions in force that govern the files it touches (check the change keeps to them):\n\n");
    out.push_str(&governing);
    let lint = answer(global.clone(), vec!["lint".to_string()])?;
    let touched = |f: &Value| {
        let path = f["path"].as_str().unwrap_or_default();
        paths.iter().any(|p| {
            let p = p.trim_start_matches("./").trim_end_matches('/');
            path == p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/'))
        })
    };
    let findings: Vec<&Value> = lint["findings"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter(|f| touched(f))
        .collect();
    if findings.is_empty() {
        out.push_str("\nNo lint finding on the decision records it touches.\n");
    } else {
        out.push_str("\nLint findings on the decision records it touches (fix the errors):\n\n");
        for f in findings {
            out.push_str(&format!(
                "- {}:{} {} [{}]: {}\n",
                f["path"].as_str().unwrap_or_default(),
                f["line"],
                f["level"].as_str().unwrap_or_default(),
                f["code"].as_str().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default()
            ));
        }
    }
    Ok(out)
}

/// Default budget of `context`, in characters.
const CONTEXT_BUDGET: usize = 4_000;

/// A decision `context` gives: its id, why it applies (strongest first) and its rank.
struct Candidate {
    id: String,
    why: Vec<String>,
    strength: u64,
}

/// The decisions in force that govern `paths` (governs' reasons, strongest first) and then
/// those matching `task` (search rank; a superseded hit gives the decisions now in force).
fn candidates(global: &GlobalArgs, p: &ContextParams) -> std::result::Result<Vec<Candidate>, String> {
    let mut found: Vec<Candidate> = Vec::new();
    let mut add = |id: &str, why: String, strength: u64| match found.iter_mut().find(|c| c.id == id) {
        Some(c) => {
            if !c.why.contains(&why) {
                c.why.push(why);
            }
            c.strength = c.strength.max(strength);
        }
        None => found.push(Candidate { id: id.to_string(), why: vec![why], strength }),
    };
    if !p.paths.is_empty() {
        let mut argv = vec!["governs".to_string(), "--".to_string()];
        argv.extend(p.paths.iter().cloned());
        for file in answer(global.clone(), argv)?.as_array().map(Vec::as_slice).unwrap_or_default() {
            let name = file["file"].as_str().unwrap_or_default();
            for d in file["decisions"].as_array().map(Vec::as_slice).unwrap_or_default() {
                if d["in_force"] != true {
                    continue;
                }
                let r = &d["reasons"][0];
                let why = format!("{name}: {}", r["detail"].as_str().unwrap_or_default());
                add(d["id"].as_str().unwrap_or_default(), why, 1_000 + r["strength"].as_u64().unwrap_or(0));
            }
        }
    }
    if let Some(task) = p.task.as_deref().filter(|t| !t.trim().is_empty()) {
        // Any of the task's words (the command line's search wants them all).
        let words: Vec<String> = task
            .split_whitespace()
            .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            return Ok(found);
        }
        let query = words.join(" OR ");
        let v =
            answer(global.clone(), vec!["search".into(), "--limit".into(), "20".into(), "--".into(), query])?;
        for (rank, hit) in v["hits"].as_array().map(Vec::as_slice).unwrap_or_default().iter().enumerate() {
            let strength = 999 - rank as u64;
            let id = hit["id"].as_str().unwrap_or_default();
            let successors = hit["in_force"].as_array().map(Vec::as_slice).unwrap_or_default();
            if !successors.is_empty() {
                for s in successors.iter().filter_map(Value::as_str) {
                    add(s, format!("in force after `{id}`, which matches the task"), strength);
                }
            } else if hit["status"] == "accepted" {
                add(id, format!("matches the task (search rank {})", rank + 1), strength);
            }
        }
    }
    found.sort_by_key(|c| std::cmp::Reverse(c.strength));
    Ok(found)
}

/// What a decision decided, in a few lines: its Decision section, else its chosen option and
/// the reason given.
fn decided(a: &adrgraph::Adr) -> String {
    if let Some(d) = a.decision.as_deref().filter(|d| !d.trim().is_empty()) {
        return d.trim().to_string();
    }
    let o = a.outcome.as_ref();
    match (o.and_then(|o| o.chosen.as_deref()), o.and_then(|o| o.rationale.as_deref())) {
        (Some(c), Some(r)) => format!("Chosen: {c}, because {r}."),
        (Some(c), None) => format!("Chosen: {c}."),
        _ => String::new(),
    }
}

/// The title, status and what it decided of each decision `ids` names, read from the records
/// as `show` reads them (in the server, the records it keeps: one reading for all of them).
fn summaries(global: &GlobalArgs, ids: &[String]) -> Result<Vec<(String, String, String)>, String> {
    use super::super::{context, load, Cli};
    let mut cli =
        <Cli as clap::Parser>::try_parse_from(["adrgraph", "show", "-"]).map_err(|e| e.to_string())?;
    cli.global = GlobalArgs { quiet: true, ..global.clone() };
    let read = || -> anyhow::Result<Vec<(String, String, String)>> {
        context::new_command();
        let mut session = context::Session::open(&cli)?;
        let records = load::records(&mut session)?;
        let (corpus, cwd) = (records.corpus(), std::env::current_dir()?);
        // The ids come from answers: each is found in one pass over the records (the first
        // record of that id, as `find_index` finds it), not one pass each.
        let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (i, a) in corpus.adrs.iter().enumerate() {
            if wanted.contains(a.id.as_str()) {
                at.entry(a.id.as_str()).or_insert(i);
            }
        }
        let mut out = Vec::new();
        for id in ids {
            let i = match at.get(id.as_str()) {
                Some(&i) => i,
                None => corpus.find_index(id, &cwd)?.get(),
            };
            let a = &corpus.adrs[i];
            out.push((a.title.clone().unwrap_or_default(), a.status.as_str().to_string(), decided(a)));
        }
        Ok(out)
    };
    read().map_err(|e| e.to_string())
}

/// `context`'s answer: the decisions to read, trimmed to the budget, and the same as text.
pub(super) fn context_of(
    global: &GlobalArgs,
    p: &ContextParams,
) -> std::result::Result<(Value, String), String> {
    let budget = p.budget.unwrap_or(CONTEXT_BUDGET).max(200);
    let mut used = 0;
    let (mut decisions, mut more, mut text) = (Vec::new(), Vec::new(), String::new());
    let found = candidates(global, p)?;
    let ids: Vec<String> = found.iter().map(|c| c.id.clone()).collect();
    for (c, (title, status, what)) in found.into_iter().zip(summaries(global, &ids)?) {
        let uri = format!("adr://{}", c.id);
        if used >= budget {
            more.push(Value::String(uri));
            continue;
        }
        let mut what = what;
        let head = format!("## {} ({status}): {title}\n{uri}\nWhy: {}\n", c.id, c.why.join("; "));
        let head_chars = head.chars().count();
        if head_chars > budget.saturating_sub(used) {
            more.push(Value::String(uri));
            used = budget;
            continue;
        }
        let room = budget.saturating_sub(used + head_chars + 1);
        if what.chars().count() > room {
            what = what.chars().take(room.saturating_sub(1)).collect::<String>() + "…";
        }
        let entry = format!("{head}{what}\n");
        used += entry.chars().count();
        text.push_str(&entry);
        text.push('\n');
        decisions.push(json!({
            "id": c.id, "title": title, "status": status, "uri": uri, "why": c.why, "decided": what,
        }));
    }
    if decisions.is_empty() && more.is_empty() {
        text = "No decision in force governs these paths or matches this task.".to_string();
    }
    if !more.is_empty() {
        let list: Vec<&str> = more.iter().filter_map(Value::as_str).collect();
        text.push_str(&format!("Also relevant, past the budget: {}\n", list.join(", ")));
    }
    Ok((json!({ "decisions": decisions, "more": more, "budget": budget }), text))
}
