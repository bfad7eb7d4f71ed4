"""The map and timeline page and its JSON API, served by FastAPI (`frontlines serve`)."""

from frontlines.web.app import create_app

__all__ = ["create_app"]
