"""Post the check's markdown report as one pull-request comment, or update the one an earlier
run posted (found by the `<!-- adrgraph check -->` line the report starts with).

Reads GITHUB_EVENT_PATH (the pull request's number), GITHUB_REPOSITORY, GITHUB_API_URL and
INPUT_TOKEN, as a runner sets them; only the standard library. Not a pull request: nothing.
"""

import json
import os
import sys
import urllib.request

MARK = "<!-- adrgraph check -->"


def call(method, url, token, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Authorization", f"Bearer {token}")
    req.add_header("Accept", "application/vnd.github+json")
    req.add_header("X-GitHub-Api-Version", "2022-11-28")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(req, timeout=30) as r:
        text = r.read().decode() or "null"
        return json.loads(text)


def main():
    report = open(sys.argv[1], encoding="utf-8").read()
    with open(os.environ["GITHUB_EVENT_PATH"], encoding="utf-8") as f:
        event = json.load(f)
    number = (event.get("pull_request") or {}).get("number")
    if not number:
        print("not a pull request: no comment posted")
        return
    api = os.environ.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    repo = os.environ["GITHUB_REPOSITORY"]
    token = os.environ["INPUT_TOKEN"]
    existing = None
    page = 1
    while existing is None:
        comments = call("GET", f"{api}/repos/{repo}/issues/{number}/comments?per_page=100&page={page}", token)
        if not comments:
            break
        existing = next((c for c in comments if (c.get("body") or "").startswith(MARK)), None)
        page += 1
    if existing is not None:
        call("PATCH", f"{api}/repos/{repo}/issues/comments/{existing['id']}", token, {"body": report})
        print(f"updated comment {existing['id']} on #{number}")
    else:
        call("POST", f"{api}/repos/{repo}/issues/{number}/comments", token, {"body": report})
        print(f"posted a comment on #{number}")


if __name__ == "__main__":
    main()
