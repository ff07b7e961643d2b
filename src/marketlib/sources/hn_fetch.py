"""Live fetch of the Hacker News "Ask HN: Who is hiring?" and "Who wants to be hired?" threads.

Find the monthly threads of the `whoishiring` account (Algolia search, Firebase user as fallback), then fetch
each thread in one request from Algolia `items/<id>`; when Algolia fails, Firebase (`item/<id>` then its kids,
concurrently under the per-host limit), then the HTML item pages. Every response body is a raw snapshot whose
sidecar names the thread (id, kind, month) and how it was fetched.

Options (ctx.options): months (int, default 3: the most recent months with a hiring thread), via ("auto",
"algolia", "firebase", "html"), algolia_base / firebase_base / hn_base (base URLs, for tests and mirrors).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
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
    json_or_none,
)

ALGOLIA_BASE = "https://hn.algolia.com/api/v1"
FIREBASE_BASE = "https://hacker-news.firebaseio.com/v0"
ACCOUNT = "whoishiring"
MAX_HTML_PAGES = 30  # a hiring thread is ~5 pages of ~200 comments; stop a runaway "More" chain
VIAS = ("auto", "algolia", "firebase", "html")



@dataclass(frozen=True)
class Thread:
    thread_id: str
    title: str
    kind: str  # hiring | seekers | freelance
    month_date: dt.date


def threads_from_titles(items: list[tuple[str, str]]) -> list[Thread]:
    """(id, title) pairs -> threads whose title is exactly one of the monthly whoishiring titles."""
    found = []
    for thread_id, title in items:
        kind_month = hp.thread_kind_and_month(title)
        if kind_month:
            found.append(Thread(str(thread_id), title, kind_month[0], kind_month[1]))
    return found


def select_threads(threads: list[Thread], months: int) -> list[Thread]:
    """The hiring and seekers threads of the `months` most recent months that have a hiring thread."""
    hiring_months = sorted({t.month_date for t in threads if t.kind == "hiring"}, reverse=True)[:months]
    chosen = {}
    for t in threads:
        if t.kind in ("hiring", "seekers") and t.month_date in hiring_months:
            chosen.setdefault((t.kind, t.month_date), t)  # first seen = newest id for a repost
    return sorted(chosen.values(), key=lambda t: (t.month_date, t.kind), reverse=True)


# ---------------------------------------------------------------------------------------------- fetch


class _Fetcher:
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

    # -------------------------------------------------------------------- discovery

    def discover(self) -> tuple[list[Thread], FetchStatus]:
        status = FetchStatus(NAME, "discovery", "error")
        start = self.session.requests_made
        errors = []
        for method in (self._discover_algolia, self._discover_firebase):
            try:
                threads = method(status)
            except Exception as exc:  # noqa: BLE001 - fall back to the next way of listing threads
                from marketlib.http import describe_fetch_error

                errors.append(describe_fetch_error(exc))
                continue
            chosen = select_threads(threads, self.months)
            status.status = "ok" if chosen else "empty"
            status.items = len(chosen)
            status.message = f"{method.__name__.removeprefix('_discover_')}: " + ", ".join(
                f"{t.kind} {t.month_date:%Y-%m} ({t.thread_id})" for t in chosen
            )
            if errors:
                status.message += f" (after {errors[0][1]})"
            status.requests = self.session.requests_made - start
            return chosen, status
        status.status = "blocked" if all(e[0] == "blocked" for e in errors) else "error"
        status.message = "; ".join(e[1] for e in errors)
        status.http_status = next((e[2] for e in errors if e[2]), None)
        status.requests = self.session.requests_made - start
        return [], status

    def _discover_algolia(self, status: FetchStatus) -> list[Thread]:
        url = f"{self.algolia}/search_by_date"
        threads: list[Thread] = []
        page = 0
        while True:
            params = {"tags": f"story,author_{ACCOUNT}", "hitsPerPage": 100, "page": page}
            obj, response = self.session.get_json(url, params=params)
            snap = self.snapshot(
                f"discovery-algolia-p{page}.json",
                response.content,
                url,
                params,
                response.status_code,
                {"hn_kind": "discovery"},
            )
            status.snapshots.append(snap.snapshot_id)
            hits = obj.get("hits") or []
            threads += threads_from_titles(
                [(h.get("objectID") or h.get("story_id"), h.get("title", "")) for h in hits]
            )
            hiring_months = {t.month_date for t in threads if t.kind == "hiring"}
            page += 1
            if (
                len(hiring_months) > self.months
                or not hits
                or page >= int(obj.get("nbPages", 0))
                or page >= 20
            ):
                return threads

    def _discover_firebase(self, status: FetchStatus) -> list[Thread]:
        url = f"{self.firebase}/user/{ACCOUNT}.json"
        obj, response = self.session.get_json(url)
        snap = self.snapshot(
            "discovery-firebase-user.json",
            response.content,
            url,
            None,
            response.status_code,
            {"hn_kind": "discovery"},
        )
        status.snapshots.append(snap.snapshot_id)
        # Three threads a month (hiring, seekers, freelancer), newest first; a margin for extra posts.
        recent = list((obj or {}).get("submitted") or [])[: self.months * 3 + 6]
        bodies = self.session.map(self._firebase_item, recent)
        bundle = "\n".join(json.dumps(b) for b in bodies).encode()
        snap = self.snapshot(
            "discovery-firebase-items.jsonl",
            bundle,
            f"{self.firebase}/item/",
            None,
            None,
            {"hn_kind": "discovery", "hn_bundle": "firebase item bodies, one JSON line each"},
        )
        status.snapshots.append(snap.snapshot_id)
        items = []
        for body in bodies:
            item = json_or_none(body.get("body"))
            if item and item.get("type") == "story":
                items.append((item.get("id"), item.get("title", "")))
        return threads_from_titles(items)

    def _firebase_item(self, item_id) -> dict:
        """One Firebase item as a bundle line {id, url, http_status, body} (body verbatim, or an error)."""
        url = f"{self.firebase}/item/{item_id}.json"
        try:
            response = self.session.get(url)
        except Exception as exc:  # noqa: BLE001 - one kid's failure is counted, not fatal
            from marketlib.http import describe_fetch_error

            state, message, http_status = describe_fetch_error(exc)
            return {"id": item_id, "url": url, "http_status": http_status, "error": message, "body": None}
        return {
            "id": item_id,
            "url": url,
            "http_status": response.status_code,
            "body": response.content.decode("utf-8", errors="replace"),
        }

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

