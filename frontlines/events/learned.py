"""Which of ACLED's sub-event types a sentence reports: the learned half of the events stage.

A linear model over the sentence's word and character n-grams, with the trigger lexicon's hits as
extra features, gives each of the 25 sub-event types a probability (one binary logistic regression
per type, so a sentence can report two events). It is trained by `frontlines train events` on the
team's blind corpus (`frontlines/corpus/events/`) and ships as a model directory inside the package
(`model/`: the fitted scikit-learn pipeline and `meta.json`, spaCy's habit), so analysis needs
neither a download nor torch.

The model decides whether a sentence tells an event and of which type; `coding` decides the
event's structure. `Decision` holds the thresholds that join the two, chosen on the dev split.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import joblib
import numpy as np
import sklearn

from frontlines.acled import SubEventType
from frontlines.errors import ModelError

MODEL_DIR = Path(str(resources.files("frontlines").joinpath("events/model")))
MODEL_FILE = "pipeline.joblib"
META_FILE = "meta.json"
# Joins a sentence's text and its trigger hits into one string, the model's input.
FEATURE_SEPARATOR = "\x1f"
SUB_TYPES: tuple[SubEventType, ...] = tuple(SubEventType)


@dataclass(frozen=True, slots=True)
class Decision:
    """How the model's probabilities and the trigger lexicon's hits make events (see coding)."""

    veto: float = 0.05
    propose: float = 0.7
    retype_margin: float = 0.3

    def ablated(self, mode: str) -> Decision:
        """`rules`: the lexicon alone decides (no veto, no proposal, no retyping); `model`: the
        model alone (every lexicon hit vetoed, so events come from its proposals); `both`: as is."""
        never = 1.01  # above any probability
        return {"rules": Decision(0.0, never, self.retype_margin),
                "model": Decision(never, self.propose, self.retype_margin),
                "both": self}[mode]


def model_input(sentence: str, trigger_types: Iterable[str]) -> str:
    """The model's input for one sentence: its text and the sub-types its triggers name."""
    return sentence + FEATURE_SEPARATOR + " ".join(sorted({t.replace(" ", "_") for t in trigger_types}))


# The two functions below are named in the pickled pipeline: keep their names and module.
def sentence_part(item: str) -> str:
    return item.split(FEATURE_SEPARATOR, 1)[0].lower()


def trigger_part(item: str) -> list[str]:
    _, _, triggers = item.partition(FEATURE_SEPARATOR)
    return triggers.split()


class EventClassifier:
    """A fitted model: `probabilities` of each sub-event type for a batch of model inputs."""

    def __init__(self, pipeline, meta: dict) -> None:
        self.pipeline = pipeline
        self.meta = meta
        self.decision = Decision(**meta.get("decision", {}))
        word_vectorizer = pipeline.named_steps["features"].transformer_list[0][1]
        self._vocabulary: dict[str, int] = word_vectorizer.vocabulary_
        coefficients = np.vstack([e.coef_ for e in pipeline.named_steps["classify"].estimators_])
        self._word_weights = coefficients[:, :len(self._vocabulary)]

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> EventClassifier:
        meta_path, model_path = directory / META_FILE, directory / MODEL_FILE
        if not meta_path.exists() or not model_path.exists():
            raise ModelError(f"no event model in {directory}: run `frontlines train events`")
        meta = json.loads(meta_path.read_text("utf-8"))
        if meta.get("scikit_learn") != sklearn.__version__:
            raise ModelError(f"the event model in {directory} was trained with scikit-learn "
                             f"{meta.get('scikit_learn')}, this is {sklearn.__version__}: "
                             "retrain it with `frontlines train events`")
        return cls(joblib.load(model_path), meta)

    def probabilities(self, inputs: Sequence[str]) -> np.ndarray:
        """One row per input, one column per sub-event type in `SUB_TYPES` order."""
        if not inputs:
            return np.zeros((0, len(SUB_TYPES)))
        return self.pipeline.predict_proba(list(inputs))

    def word_weight(self, word: str, sub_type: SubEventType) -> float:
        """How much one word says for a sub-type: where a proposed event's clause is anchored."""
        column = self._vocabulary.get(word.lower())
        return 0.0 if column is None else float(self._word_weights[SUB_TYPES.index(sub_type), column])


@cache
def bundled_classifier() -> EventClassifier:
    """The model shipped in the package, loaded once per process (about a second)."""
    return EventClassifier.load()
