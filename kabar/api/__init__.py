"""HTTP layer: a thin JSON API and server-rendered pages over :mod:`kabar.store`."""

from __future__ import annotations

from kabar.api.app import create_app
from kabar.api.security import SECURITY_HEADERS

__all__ = ["SECURITY_HEADERS", "create_app"]
