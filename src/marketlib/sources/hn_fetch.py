"""Live fetch of the Hacker News "Ask HN: Who is hiring?" and "Who wants to be hired?" threads.

Find the monthly threads of the `whoishiring` account (hn_discovery: Algolia search, Firebase user as fallback),
then fetch
each thread in one request from Algolia `items/<id>`; when Algolia fails, Firebase (`item/<id>` then its kids,
concurrently under the per-host limit), then the HTML item pages. Every response body is a raw snapshot whose
sidecar names the thread (id, kind, month) and how it was fetched.

Options (ctx.options): months (int, default 3: the most recent months with a hiring thread), via ("auto",
"algolia", "firebase", "html"), algolia_base / firebase_base / hn_base (base URLs, for tests and mirrors).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

from marketlib.errors import UserError
from marketlib.snapshots import Snapshot, write_snapshot
from marketlib.sources import FetchContext, FetchStatus
from marketlib.sources import hn_parse as hp
from marketlib.sources.hn_comments import (
    HN_BASE,
    LICENSE,
    NAME,
    SKIP_REASONS,
    count_comments,
    firebase_bundle_comments,
)
from marketlib.sources.hn_discovery import (  # noqa: F401 - sources/hackernews.py imports them from here
    Thread,
    ThreadDiscovery,
    select_threads,
    threads_from_titles,
)

ALGOLIA_BASE = "https://hn.algolia.com/api/v1"
FIREBASE_BASE = "https://hacker-news.firebaseio.com/v0"
MAX_HTML_PAGES = 30  # a hiring thread is ~5 pages of ~200 comments; stop a runaway "More" chain
VIAS = ("auto", "algolia", "firebase", "html")


# ---------------------------------------------------------------------------------------------- fetch


class _Fetcher(ThreadDiscovery):
    def __init__(self, ctx: FetchContext):
        self.ctx = ctx
        opts = ctx.options
        self.algolia = str(opts.get("algolia_base", ALGOLIA_BASE)).rstrip("/")
        self.firebase = str(opts.get("firebase_base", FIREBASE_BASE)).rstrip("/")
        self.hn = str(opts.get("hn_base", HN_BASE)).rstrip("/")
        self.via = str(opts.get("via", "auto"))
        if self.via not in VIAS:
            raise UserError(f"Option via={self.via!r} is not one of {', '.join(VIAS)}.")
        try:
            self.months = int(opts.get("months", 3))
        except (TypeError, ValueError) as exc:
            raise UserError(f"Option months={opts.get('months')!r} is not a whole number.") from exc
        if not 1 <= self.months <= 120:
            raise UserError(f"Option months={self.months} must be between 1 and 120.")
        self.session = ctx.session

    def snapshot(
        self, name: str, data: bytes, url: str, params: dict | None, http_status: int | None, extra: dict
    ) -> Snapshot:
        return write_snapshot(
            NAME,
            name,
            data=data,
            url=url,
            license=LICENSE,
            params=params,
            http_status=http_status,
            extra=extra,
            raw_dir=self.ctx.raw_dir,
        )

    # -------------------------------------------------------------------- threads

    def fetch_thread(self, thread: Thread) -> FetchStatus:
        status = FetchStatus(
            NAME, f"{thread.kind} {thread.month_date:%Y-%m} (thread {thread.thread_id})", "error"
        )
        start = self.session.requests_made
        extra = {
            "hn_kind": "thread",
            "hn_thread_id": thread.thread_id,
            "hn_thread_kind": thread.kind,
            "hn_month_date": thread.month_date.isoformat(),
            "hn_thread_title": thread.title,
        }
        methods = {
            "algolia": self._thread_algolia,
            "firebase": self._thread_firebase,
            "html": self._thread_html,
        }
        order = list(methods) if self.via == "auto" else [self.via]
        errors = []
        for via in order:
            try:
                comments, snaps, note = methods[via](thread, {**extra, "hn_via": via})
            except Exception as exc:  # noqa: BLE001 - try the next way of fetching the thread
                from marketlib.http import describe_fetch_error

                errors.append((via, *describe_fetch_error(exc)))
                continue
            status.snapshots = [s.snapshot_id for s in snaps]
            counts = count_comments(comments)
            status.items = counts["posts"]
            status.status = "ok" if counts["posts"] else "empty"
            status.http_status = 200
            status.message = (
                f"via {via}: {counts['posts']} top-level posts; skipped "
                + ", ".join(f"{counts[r]} {r}" for r in SKIP_REASONS)
                + note
            )
            if errors:
                status.message += " (" + "; ".join(f"{v} failed: {m}" for v, _, m, _ in errors) + ")"
            status.requests = self.session.requests_made - start
            return status
        status.status = "blocked" if errors and all(e[1] == "blocked" for e in errors) else "error"
        status.message = "; ".join(f"{v}: {m}" for v, _, m, _ in errors)
        status.http_status = next((e[3] for e in errors if e[3]), None)
        status.requests = self.session.requests_made - start
        return status

    def _thread_algolia(self, thread: Thread, extra: dict):
        url = f"{self.algolia}/items/{thread.thread_id}"
        obj, response = self.session.get_json(url)
        if not isinstance(obj, dict) or str(obj.get("id")) != thread.thread_id:
            raise ValueError(f"{url} did not return item {thread.thread_id}")
        snap = self.snapshot(
            f"thread-{thread.thread_id}-algolia.json",
            response.content,
            url,
            None,
            response.status_code,
            extra,
        )
        return hp.comments_from_algolia(obj), [snap], ""

    def _thread_firebase(self, thread: Thread, extra: dict):
        url = f"{self.firebase}/item/{thread.thread_id}.json"
        story, response = self.session.get_json(url)
        if not isinstance(story, dict):
            raise ValueError(f"{url} returned no item")
        story_snap = self.snapshot(
            f"thread-{thread.thread_id}-firebase-story.json",
            response.content,
            url,
            None,
            response.status_code,
            extra,
        )
        kids = list(story.get("kids") or [])
        bodies = self.session.map(self._firebase_item, kids)
        # One bundle snapshot for all kids (each body verbatim on its own line): writing 500+ separate
        # snapshots would make every write rescan the source's directory.
        bundle = "\n".join(json.dumps(b) for b in bodies).encode()
        kids_snap = self.snapshot(
            f"thread-{thread.thread_id}-firebase-kids.jsonl",
            bundle,
            f"{self.firebase}/item/",
            {"kids": len(kids)},
            None,
            {**extra, "hn_bundle": "firebase item bodies"},
        )
        failed = sum(1 for b in bodies if b.get("error"))
        if kids and failed == len(kids):
            raise ValueError(f"all {failed} comment requests failed ({bodies[0].get('error')})")
        note = f"; {failed} of {len(kids)} comment requests failed" if failed else ""
        return firebase_bundle_comments(bundle), [story_snap, kids_snap], note

    def _thread_html(self, thread: Thread, extra: dict):
        url = f"{self.hn}/item"
        snaps, comments, page = [], [], 1
        while page <= MAX_HTML_PAGES:
            params = {"id": thread.thread_id} if page == 1 else {"id": thread.thread_id, "p": page}
            response = self.session.get(url, params=params)
            snap = self.snapshot(
                f"thread-{thread.thread_id}-p{page}.html",
                response.content,
                url,
                params,
                response.status_code,
                {**extra, "hn_page": page},
            )
            snaps.append(snap)
            page_comments, more = hp.comments_from_hn_html(response.content.decode("utf-8", errors="replace"))
            comments += page_comments
            next_page = _page_number(more)
            if next_page is None or next_page <= page:
                break
            page = next_page
        return comments, snaps, f"; {len(snaps)} page(s)"



def _page_number(href: str | None) -> int | None:
    if not href:
        return None
    values = parse_qs(urlsplit(href).query).get("p")
    return int(values[0]) if values and values[0].isdigit() else None




def fetch_live(ctx: FetchContext) -> list[FetchStatus]:
    fetcher = _Fetcher(ctx)
    threads, discovery = fetcher.discover()
    statuses = [discovery]
    for thread in threads:
        ctx.say(f"hackernews: {thread.title}")
        statuses.append(fetcher.fetch_thread(thread))
    return statuses

