"""Storage: the `Store` interface and `open_store`, which picks the backend from the address."""

from frontlines.store.base import (
    DEFAULT_RADIUS_KM, ActorCount, DailyCount, EventQuery, PlaceCount, SaveResult, Store,
    StoredDocument, StoredEvent, parse_point,
)
from frontlines.store.sql import SqlStore, open_store

__all__ = ["DEFAULT_RADIUS_KM", "ActorCount", "DailyCount", "EventQuery", "PlaceCount", "SaveResult",
           "SqlStore", "Store", "StoredDocument", "StoredEvent", "open_store", "parse_point"]
