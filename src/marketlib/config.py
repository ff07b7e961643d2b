"""The one place for paths and settings.

Settings come from `marketlib.toml` at the project root, then `MARKETLIB_<KEY>` environment variables
(e.g. MARKETLIB_MIRROR_DIRS, MARKETLIB_USER_AGENT, MARKETLIB_OFFLINE, MARKETLIB_MIN_INTERVAL_SECONDS).
The root is `MARKETLIB_ROOT`, else the nearest parent of the working directory holding `marketlib.toml`,
else the working directory.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

CONFIG_FILE = "marketlib.toml"


def find_root(start: Path | None = None) -> Path:
    env = os.environ.get("MARKETLIB_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / CONFIG_FILE).is_file():
            return candidate
    return here


@dataclass(frozen=True)
class Settings:
    root: Path
    raw_dir: Path
    processed_dir: Path
    reports_dir: Path
    mirror_dirs: tuple[Path, ...]
    fixtures_dirs: tuple[Path, ...]
    http_cache: Path
    user_agent: str = "marketlib/0.1"
    connect_timeout_seconds: float = 10.0
    read_timeout_seconds: float = 30.0
    max_retries: int = 4
    backoff_base_seconds: float = 1.0
    backoff_max_seconds: float = 60.0
    min_interval_seconds: float = 1.0
    cache_expire_seconds: int = 86400
    max_response_bytes: int = 200 * 1024 * 1024
    max_request_seconds: float = 300.0
    max_concurrency: int = 4
    offline: bool = False
    max_redirects: int = 5
    allow_private_redirects: bool = False
    host_min_interval_seconds: dict[str, float] = field(default_factory=dict)
    min_count: int = 30
    soc_codes: tuple[str, ...] = ("15-2051", "15-1221")
    # [metrics.soc_sets] / [metrics.soc_sets_alternative]: SOC codes per role family (README "Professionals")
    soc_sets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    soc_sets_alternative: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def reference_dir(self) -> Path:
        """Committed tables of published figures, with a citation per row."""
        return self.raw_dir / "reference"

    def existing_mirror_dirs(self) -> list[Path]:
        return [d for d in self.mirror_dirs if d.is_dir()]

    def existing_fixtures_dirs(self) -> list[Path]:
        return [d for d in self.fixtures_dirs if d.is_dir()]

    def host_interval(self, host: str) -> float:
        return self.host_min_interval_seconds.get(host, self.min_interval_seconds)

    def with_overrides(self, **changes) -> Settings:
        return replace(self, **changes)


def _env_value(key: str, default):
    raw = os.environ.get(f"MARKETLIB_{key.upper()}")
    if raw is None:
        return default
    if isinstance(default, bool):
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    if isinstance(default, list | tuple):
        return [part for part in raw.split(os.pathsep) if part]
    return raw


def load_settings(root: Path | None = None) -> Settings:
    root = (root or find_root()).resolve()
    data: dict = {}
    config_path = root / CONFIG_FILE
    if config_path.is_file():
        with config_path.open("rb") as fh:
            data = tomllib.load(fh)
    paths = data.get("paths", {})
    http = dict(data.get("http", {}))
    host_intervals = {str(k): float(v) for k, v in http.pop("host_min_interval_seconds", {}).items()}
    metrics = data.get("metrics", {})

    def path_list(key: str, default: list[str]) -> tuple[Path, ...]:
        values = _env_value(key, paths.get(key, default))
        return tuple((root / v).resolve() if not Path(v).is_absolute() else Path(v) for v in values)

    def one_path(key: str, default: str) -> Path:
        value = Path(_env_value(key, paths.get(key, default)))
        return value if value.is_absolute() else root / value

    defaults = Settings(root=root, raw_dir=root, processed_dir=root, reports_dir=root, mirror_dirs=(),
                        fixtures_dirs=(), http_cache=root)
    scalar = {}
    for key in ("user_agent", "connect_timeout_seconds", "read_timeout_seconds", "max_retries",
                "backoff_base_seconds", "backoff_max_seconds", "min_interval_seconds", "cache_expire_seconds",
                "max_response_bytes", "max_request_seconds", "max_concurrency", "offline", "max_redirects",
                "allow_private_redirects"):
        default = getattr(defaults, key)
        value = http.get(key, default)
        scalar[key] = type(default)(_env_value(key, type(default)(value)))
    return Settings(
        root=root,
        raw_dir=one_path("raw_dir", "data/raw"),
        processed_dir=one_path("processed_dir", "data/processed"),
        reports_dir=one_path("reports_dir", "reports"),
        mirror_dirs=path_list("mirror_dirs", ["../shared/data"]),
        fixtures_dirs=path_list("fixtures_dirs", ["../shared/fixtures"]),
        http_cache=one_path("http_cache", "data/raw/.http_cache.sqlite"),
        host_min_interval_seconds=host_intervals,
        min_count=int(_env_value("min_count", metrics.get("min_count", 30))),
        soc_codes=tuple(_env_value("soc_codes", metrics.get("soc_codes", ["15-2051", "15-1221"]))),
        soc_sets={k: tuple(v) for k, v in metrics.get("soc_sets", {}).items()},
        soc_sets_alternative={k: tuple(v) for k, v in metrics.get("soc_sets_alternative", {}).items()},
        **scalar,
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for this process (cached; tests call `get_settings.cache_clear()` after changing env)."""
    return load_settings()
