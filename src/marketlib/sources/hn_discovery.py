"""Which "Who is hiring?" / "Who wants to be hired?" threads to fetch: the monthly threads of the `whoishiring`
account, listed by Algolia search (Firebase's user record as fallback), the latest `months` kept. Every
response body is a raw snapshot. `ThreadDiscovery` is the part of hn_fetch's fetcher that lists threads."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from marketlib.sources import FetchStatus
from marketlib.sources import hn_parse as hp
from marketlib.sources.hn_comments import NAME, json_or_none

ACCOUNT = "whoishiring"


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



class ThreadDiscovery:
    """Lists the threads; the fetcher that inherits it gives `session`, `snapshot`, `algolia`, `firebase` and
    `months`."""

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
