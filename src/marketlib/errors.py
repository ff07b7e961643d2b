"""Errors a user can cause. The CLI prints their message as one sentence and exits 2."""

import os


class MarketlibError(Exception):
    """Base class for errors with a message meant for the user.

    In a notebook IPython shows `_render_traceback_()` instead of the traceback: the sentence alone, so a bad
    parameter reads as one line. With MARKETLIB_DEBUG=1 in the kernel's environment the attribute is absent
    and IPython prints the full traceback.
    """

    @property
    def _render_traceback_(self):
        if os.environ.get("MARKETLIB_DEBUG"):
            raise AttributeError("_render_traceback_")  # hasattr() is False: IPython's own traceback
        return lambda: [f"{type(self).__name__}: {self}"]


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
