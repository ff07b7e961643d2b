"""Errors a user can cause. The CLI prints their message as one sentence and exits 2."""


class MarketlibError(Exception):
    """Base class for errors with a message meant for the user."""


class UserError(MarketlibError):
    """Bad parameter, unknown source, unreadable file: the user can fix it."""


class UnsafeNameError(UserError):
    """A name or path that would escape its directory."""


class CorruptSnapshotError(MarketlibError):
    """A snapshot whose bytes no longer match the sha256 in its sidecar."""


class SchemaError(MarketlibError):
    """A table that does not match its schema."""


class OfflineError(MarketlibError):
    """The network is needed but not available (and no mirror holds the file)."""
