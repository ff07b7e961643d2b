"""robots.txt rules for one host, parsed by protego (RFC 9309 matching, wildcards, fractional Crawl-delay)."""

from __future__ import annotations

from dataclasses import dataclass

from protego import Protego


@dataclass(frozen=True)
class RobotsRules:
    """What one host's robots.txt allows our User-Agent; `allow_all()` when it has none or cannot be read."""

    parser: Protego
    user_agent: str

    @classmethod
    def parse(cls, text: str, user_agent: str) -> RobotsRules:
        return cls(Protego.parse(text), user_agent)

    @classmethod
    def allow_all(cls, user_agent: str) -> RobotsRules:
        return cls.parse("", user_agent)

    def can_fetch(self, url: str) -> bool:
        return self.parser.can_fetch(url, self.user_agent)

    @property
    def crawl_delay(self) -> float:
        """Seconds between requests the host asks of us (0 when it asks nothing)."""
        return float(self.parser.crawl_delay(self.user_agent) or 0.0)
