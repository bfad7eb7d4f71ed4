"""The blind event corpus: its splits go by writer, the final split is frozen, and it holds what the
datasheet says it holds (frontlines/corpus/events/DATASHEET.md)."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pytest

from frontlines.acled import SubEventType
from frontlines.evaluate import find_gold

CORPUS = Path(__file__).resolve().parents[1] / "frontlines" / "corpus"
SPLITS = ("train", "dev", "final")
# The final splits are measured, never tuned on: any change to them shows here.
FINAL_SNIPPETS_SHA256 = "ae4ed04cc3b832b1e3cde38f2904218ad00cfc0b0a06f25af5940559969c365e"
FINAL_ARTICLES_SHA256 = "253a25bcf5c53213250654f9883512913f84e98ff1bbd12c9c1478d93c991bf9"


def _snippets(split: str) -> list[dict]:
    path = CORPUS / "events" / f"{split}.jsonl"
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _folder_sha256(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def test_the_final_splits_are_frozen():
    final = (CORPUS / "events" / "final.jsonl").read_bytes()
    assert hashlib.sha256(final).hexdigest() == FINAL_SNIPPETS_SHA256
    assert _folder_sha256(CORPUS / "articles" / "final") == FINAL_ARTICLES_SHA256


def test_splits_go_by_writer():
    writers = {split: {s["writer"] for s in _snippets(split)} for split in SPLITS}
    assert all(writers.values())
    assert not writers["train"] & writers["dev"]
    assert not (writers["train"] | writers["dev"]) & writers["final"]
    ids = [s["id"] for split in SPLITS for s in _snippets(split)]
    assert len(ids) == len(set(ids))


def test_the_corpus_is_as_large_and_varied_as_the_issue_asks():
    everything = [s for split in SPLITS for s in _snippets(split)]
    labels = Counter(s["label"] for s in everything)
    assert len(everything) >= 6000
    assert labels["none"] >= 1500
    assert {t.value for t in SubEventType} <= set(labels)
    assert min(labels[t.value] for t in SubEventType) >= 160
    assert len({s["country"] for s in everything}) >= 80
    assert len({s["region"] for s in everything}) >= 12
    assert sum(len(s["events"]) > 1 for s in everything) >= 600


@pytest.mark.parametrize("split", SPLITS)
def test_every_label_is_acled_and_stated_in_the_text(split):
    for snippet in _snippets(split):
        events = snippet["events"]
        assert (snippet["label"] == "none") == (not events), snippet["id"]
        for event in events:
            sub_type = SubEventType(event["sub_event_type"])
            assert event["event_type"] == sub_type.event_type, snippet["id"]
            assert event["words"] in snippet["text"], snippet["id"]
        if events:
            assert events[0]["sub_event_type"] == snippet["label"], snippet["id"]


def test_the_counts_the_datasheet_quotes_are_the_corpus_counts():
    counts = json.loads((CORPUS / "events" / "counts.json").read_text("utf-8"))
    for split in SPLITS:
        snippets = _snippets(split)
        assert counts[split]["snippets"] == len(snippets)
        assert counts[split]["labels"] == dict(sorted(Counter(s["label"] for s in snippets).items()))


@pytest.mark.parametrize("split", SPLITS)
def test_each_article_split_pairs_texts_with_gold(split):
    gold_files = find_gold(CORPUS / "articles" / split)
    assert len(gold_files) >= 10
    for gold_file in gold_files:
        gold = gold_file.gold
        text = gold_file.text_path.read_text("utf-8")
        assert gold["events"], gold["id"]
        for event in gold["events"]:
            SubEventType(event["sub_event_type"])
            assert event["evidence"] in text, (gold["id"], event["evidence"][:60])
