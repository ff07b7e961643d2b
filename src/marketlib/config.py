"""The one place for paths and settings.

Settings come from `marketlib.toml` at the project root, then `MARKETLIB_<KEY>` environment variables
(e.g. MARKETLIB_MIRROR_DIRS, MARKETLIB_USER_AGENT, MARKETLIB_OFFLINE, MARKETLIB_MIN_INTERVAL_SECONDS).
Every value is typed by its default: a bad one (MARKETLIB_OFFLINE=ture, MARKETLIB_MAX_RETRIES=abc) stops with
one sentence naming the variable and the values allowed, instead of silently meaning something else.
The root is `MARKETLIB_ROOT`, else the nearest parent of the working directory holding `marketlib.toml`,
else the working directory.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path

from marketlib.errors import UserError

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
    lock_timeout_seconds: float = 600.0
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


class SettingsError(UserError):
    """A setting in marketlib.toml or a MARKETLIB_* variable has a value of the wrong type."""


_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off", "")


def _typed(value, kind: type, where: str):
    """`value` (a TOML value or an environment string) as `kind`, or one sentence naming `where`."""
    text = value.strip() if isinstance(value, str) else value
    if kind is bool:
        if isinstance(text, bool):
            return text
        if isinstance(text, str) and text.lower() in _TRUE + _FALSE:
            return text.lower() in _TRUE
        raise SettingsError(f"{where} must be one of {', '.join(_TRUE + _FALSE[:-1])} (got {value!r}).")
    if kind in (int, float):
        try:
            number = kind(text) if not isinstance(text, bool) else None
        except (TypeError, ValueError):
            number = None
        if number is None or (kind is int and isinstance(text, float) and text != number):
            noun = "a whole number" if kind is int else "a number"
            raise SettingsError(f"{where} must be {noun} of 0 or more (got {value!r}).")
        if number < 0 or number != number:  # negative or NaN
            raise SettingsError(f"{where} must be 0 or more (got {value!r}).")
        return number
    if not isinstance(text, str):
        raise SettingsError(f"{where} must be text (got {value!r}).")
    return text


def _setting(key: str, section: dict, section_name: str, default):
    """One setting: MARKETLIB_<KEY> beats marketlib.toml beats the default; the type is the default's."""
    env_name = f"MARKETLIB_{key.upper()}"
    raw = os.environ.get(env_name)
    if raw is not None:
        value, where = raw, env_name
    elif key in section:
        value, where = section[key], f"{CONFIG_FILE} [{section_name}] {key}"
    else:
        return default
    if isinstance(default, list | tuple):
        items = [part for part in value.split(os.pathsep) if part] if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise SettingsError(f"{where} must be a list (got {value!r}).")
        return [_typed(item, str, where) for item in items]
    return _typed(value, type(default), where)


# Scalar settings read from the [http] and [run] sections (and their MARKETLIB_* variables).
_SCALAR_SECTIONS = ("http", "run")
_NOT_SCALAR = {"root", "raw_dir", "processed_dir", "reports_dir", "mirror_dirs", "fixtures_dirs", "http_cache",
               "host_min_interval_seconds", "min_count", "soc_codes", "soc_sets", "soc_sets_alternative"}


def load_settings(root: Path | None = None) -> Settings:
    root = (root or find_root()).resolve()
    data: dict = {}
    config_path = root / CONFIG_FILE
    if config_path.is_file():
        try:
            with config_path.open("rb") as fh:
                data = tomllib.load(fh)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{config_path} is not valid TOML: {exc}.") from None
    paths = data.get("paths", {})
    http = dict(data.get("http", {}))
    host_intervals = {str(k): _typed(v, float, f"{CONFIG_FILE} [http.host_min_interval_seconds] {k}")
                      for k, v in http.pop("host_min_interval_seconds", {}).items()}
    metrics = data.get("metrics", {})

    def path_list(key: str, default: list[str]) -> tuple[Path, ...]:
        values = _setting(key, paths, "paths", default)
        return tuple((root / v).resolve() if not Path(v).is_absolute() else Path(v) for v in values)

    def one_path(key: str, default: str) -> Path:
        value = Path(_setting(key, paths, "paths", default))
        return value if value.is_absolute() else root / value

    scalar = {}
    for f in fields(Settings):
        if f.name in _NOT_SCALAR:
            continue
        section_name = next((s for s in _SCALAR_SECTIONS if f.name in data.get(s, {})), "http")
        scalar[f.name] = _setting(f.name, data.get(section_name, {}), section_name, f.default)
    return Settings(
        root=root,
        raw_dir=one_path("raw_dir", "data/raw"),
        processed_dir=one_path("processed_dir", "data/processed"),
        reports_dir=one_path("reports_dir", "reports"),
        mirror_dirs=path_list("mirror_dirs", ["../shared/data"]),
        fixtures_dirs=path_list("fixtures_dirs", ["../shared/fixtures"]),
        http_cache=one_path("http_cache", "data/raw/.http_cache.sqlite"),
        host_min_interval_seconds=host_intervals,
        min_count=_setting("min_count", metrics, "metrics", 30),
        soc_codes=tuple(_setting("soc_codes", metrics, "metrics", ["15-2051", "15-1221"])),
        soc_sets={k: tuple(v) for k, v in metrics.get("soc_sets", {}).items()},
        soc_sets_alternative={k: tuple(v) for k, v in metrics.get("soc_sets_alternative", {}).items()},
        **scalar,
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings for this process (cached; tests call `get_settings.cache_clear()` after changing env)."""
    return load_settings()
