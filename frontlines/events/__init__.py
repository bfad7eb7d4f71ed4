"""The events stage: sentences that report an event become ACLED-coded records, one per place.

`learned` says whether a sentence reports an event and of which sub-event type (a model trained on
the team's blind corpus by `frontlines train events`); `coding` gives each event its structure
(actors, place, date) and applies ACLED's conventions; `train` builds the model.
"""

from frontlines.events.coding import extract_events

__all__ = ["extract_events"]
