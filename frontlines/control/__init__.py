"""Who controls a place on a date, on whose word (issue 6).

    changes = changes_from_store(store)          # territory events + statements of control
    for state in control_at(changes, date(2024, 11, 30)):
        state.place.label, state.status, state.holder, state.since, state.evidence
    area_by_holder(control_at(changes, day)).by_holder   # km² per holder, roughly

Pure functions over stored events and documents; nothing here writes to the store.
"""

from frontlines.control.areas import AreaEstimate, Boundary, PlaceArea, area_by_holder, bundled_boundaries
from frontlines.control.changes import (
    change_from_event, changes_from_events, changes_from_store, date_window, handover_recipient,
)
from frontlines.control.model import ControlChange, ControlState, PlaceKey, holder_side
from frontlines.control.statements import find_statements, statements_in_analysis, statements_in_document
from frontlines.control.timeline import (
    control_at, control_timeline, is_restated, place_state, select_changes,
)

__all__ = [
    "AreaEstimate", "Boundary", "ControlChange", "ControlState", "PlaceArea", "PlaceKey",
    "area_by_holder", "bundled_boundaries", "change_from_event", "changes_from_events",
    "changes_from_store", "control_at", "control_timeline", "date_window", "find_statements",
    "handover_recipient", "holder_side", "is_restated", "place_state", "select_changes", "statements_in_analysis",
    "statements_in_document",
]
