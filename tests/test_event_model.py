"""The event model: loading the bundled directory, and how the events stage uses its probabilities.

A small stand-in classifier with fixed probabilities shows each decision on real sentences (a veto,
a proposal where no trigger phrase matched, a retyping, the ablations); the bundled model is then
checked on sentences written for these tests, never taken from an evaluation set.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from frontlines.acled import SubEventType
from frontlines.errors import ModelError
from frontlines.events.learned import (
    MODEL_DIR, SUB_TYPES, Decision, EventClassifier, bundled_classifier, model_input,
)
from frontlines.models import Document
from frontlines.pipeline import analyze


class FixedClassifier(EventClassifier):
    """Gives every sentence the same probabilities; `anchor_words` speak for every sub-type."""

    def __init__(self, probabilities: dict[str, float], anchor_words: set[str] = frozenset(),
                 decision: Decision = Decision(veto=0.1, propose=0.6, retype_margin=0.3)) -> None:
        self.row = np.array([probabilities.get(t.value, 0.0) for t in SUB_TYPES])
        self.anchor_words = anchor_words
        self.decision = decision
        self.meta = {}

    def probabilities(self, inputs):
        return np.tile(self.row, (len(inputs), 1))

    def word_weight(self, word, sub_type):
        return 1.0 if word.lower() in self.anchor_words else 0.0


def _events(text: str, classifier: EventClassifier, published: date = date(2025, 3, 4)):
    document = Document(id="t", text=text, published=published, language="en")
    return analyze(document, event_model=classifier).events


CAPTURE = "Rebels captured the town of Saraqib on Monday after a day of fighting, residents said."
PROSE = "Soldiers pounded the outskirts of Kidal through Monday night with mortars, a local official said."


def test_a_sentence_the_model_rules_out_yields_no_event_even_with_a_trigger():
    assert _events(CAPTURE, FixedClassifier({}, decision=Decision(0.0, 1.01, 0.3))), "the lexicon finds it"
    assert _events(CAPTURE, FixedClassifier({})) == []


def test_the_rules_ablation_keeps_lexicon_events_whatever_the_model_says():
    model = FixedClassifier({})
    model.decision = model.decision.ablated("rules")
    assert [e.sub_event_type for e in _events(CAPTURE, model)] == ["Non-state actor overtakes territory"]


def test_a_takeover_trigger_stands_for_all_three_territory_types():
    model = FixedClassifier({"Non-violent transfer of territory": 0.4})
    assert [e.location for e in _events(CAPTURE, model)] == ["Saraqib"]


def test_the_model_proposes_an_event_no_trigger_names_and_the_rules_give_it_its_place_and_day():
    text = "Relentless sorties by jets flattened homes in Saraqib on Monday, residents said."
    assert _events(text, FixedClassifier({}, decision=Decision(0.0, 1.01, 0.3))) == []
    events = _events(text, FixedClassifier({"Air/drone strike": 0.9}, anchor_words={"sorties"}))
    assert [(e.sub_event_type, e.location, e.event_date) for e in events] == [
        ("Air/drone strike", "Saraqib", date(2025, 3, 3))]
    assert events[0].confidence <= 0.9


def test_a_trigger_takes_the_sub_type_the_model_prefers_within_its_event_type():
    rules_only = FixedClassifier({}, decision=Decision(0.0, 1.01, 0.3))
    assert [e.sub_event_type for e in _events(PROSE, rules_only)] == ["Shelling/artillery/missile attack"]
    retyped = FixedClassifier({"Shelling/artillery/missile attack": 0.2, "Air/drone strike": 0.95})
    assert [e.sub_event_type for e in _events(PROSE, retyped)] == ["Air/drone strike"]


def test_model_input_carries_the_sentence_and_its_trigger_types():
    item = model_input("Troops shelled the town.", ["Shelling/artillery/missile attack", "territory"])
    assert item.split("\x1f") == ["Troops shelled the town.", "Shelling/artillery/missile_attack territory"]


# --- the bundled model ---------------------------------------------------------------------------


def test_the_bundled_model_loads_with_its_metadata():
    model = bundled_classifier()
    assert model.meta["name"] == "frontlines-events"
    assert model.meta["sub_event_types"] == [t.value for t in SUB_TYPES]
    assert model.meta["corpus"]["train"]["snippets"] >= 4000
    assert 0 < model.decision.veto < model.decision.propose <= 1
    assert sum(p.stat().st_size for p in MODEL_DIR.iterdir()) <= 60 * 2 ** 20


def test_a_model_directory_from_another_scikit_learn_is_refused(tmp_path: Path):
    shutil.copytree(MODEL_DIR, tmp_path / "model")
    meta = json.loads((tmp_path / "model" / "meta.json").read_text())
    meta["scikit_learn"] = "0.1"
    (tmp_path / "model" / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="retrain"):
        EventClassifier.load(tmp_path / "model")
    with pytest.raises(ModelError, match="no event model"):
        EventClassifier.load(tmp_path / "missing")


@pytest.mark.parametrize("sentence, sub_type", [
    ("Warplanes pounded the village of Kafr Nabl on Tuesday, killing six civilians, rescuers said.",
     "Air/drone strike"),
    ("Security forces fired live rounds at demonstrators in Kassala on Sunday, killing three, "
     "a doctors' committee said.", "Excessive force against protesters"),
    ("Gunmen on motorbikes seized 14 passengers from a bus near Kaduna on Friday and took them "
     "into the forest, police said.", "Abduction/forced disappearance"),
    ("Hundreds of teachers marched peacefully through Nairobi on Monday to demand unpaid wages.",
     "Peaceful protest"),
])
def test_the_bundled_model_reads_sentences_written_for_this_test(sentence, sub_type):
    row = bundled_classifier().probabilities([model_input(sentence, [])])[0]
    assert SUB_TYPES[int(row.argmax())] == SubEventType(sub_type)


@pytest.mark.parametrize("sentence", [
    "A magnitude 6.1 earthquake struck the mountains north of Herat on Sunday, killing 12 people.",
    "The champions launched a fierce attack in the second half but the battle for the title goes on.",
    "The minister warned that the army would launch an offensive on the rebel town if talks failed.",
])
def test_the_bundled_model_gives_non_events_no_sub_type(sentence):
    assert bundled_classifier().probabilities([model_input(sentence, [])])[0].max() < 0.5
