#!/usr/bin/env python
"""Assemble the blind event corpus from its writers' folders (run once per new batch of writers).

    .venv/bin/python scripts/build_event_corpus.py WRITERS_DIR

WRITERS_DIR holds one folder per writer (`w1/snippets.jsonl` ...) for snippets and per article
writer (`a1/NAME.txt`, `a1/NAME.gold.json` ...). Splits go by writer, never by shuffling sentences
(SPLITS below), so dev and final measure text whose writer the model never saw. Snippets are
checked (labels in ACLED's vocabulary, the primary label first, every event's words a substring
of its text, ids unique), written to frontlines/corpus/events/{train,dev,final}.jsonl, and their
counts to frontlines/corpus/events/counts.json, which the datasheet quotes. Articles are copied to
frontlines/corpus/articles/{train,dev,final}/.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from frontlines.acled import SubEventType  # noqa: E402

SPLITS = {
    "train": ("w1", "w2", "w3", "w4", "w5"),
    "dev": ("w6",),
    "final": ("w7",),
}
ARTICLE_SPLITS = {"train": ("a1",), "dev": ("a2",), "final": ("a3",)}
SNIPPET_DIR = ROOT / "frontlines" / "corpus" / "events"
ARTICLE_DIR = ROOT / "frontlines" / "corpus" / "articles"
LABELS = {t.value for t in SubEventType}


def problems(snippet: dict) -> list[str]:
    found = []
    events = snippet.get("events", [])
    if snippet.get("label") == "none":
        if events:
            found.append("a negative with events")
    elif snippet.get("label") not in LABELS:
        found.append(f"label {snippet.get('label')!r}")
    elif not events or events[0].get("sub_event_type") != snippet["label"]:
        found.append("the primary label is not the first event")
    for event in events:
        sub_type = event.get("sub_event_type")
        if sub_type not in LABELS:
            found.append(f"sub-event type {sub_type!r}")
        elif event.get("event_type") != SubEventType(sub_type).event_type.value:
            found.append(f"event type {event.get('event_type')!r} for {sub_type}")
        if event.get("words") and event["words"] not in snippet["text"]:
            found.append(f"words not in text: {event['words']!r}")
    return found


def read_writer(folder: Path) -> list[dict]:
    snippets = []
    for number, line in enumerate((folder / "snippets.jsonl").read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        snippet = json.loads(line)
        issues = problems(snippet)
        if issues:
            print(f"{folder.name}:{number} {snippet.get('id')}: dropped: {'; '.join(issues)}", file=sys.stderr)
            continue
        snippets.append(snippet)
    return snippets


def counts(snippets: list[dict]) -> dict:
    return {
        "snippets": len(snippets),
        "writers": dict(sorted(Counter(s["writer"] for s in snippets).items())),
        "labels": dict(sorted(Counter(s["label"] for s in snippets).items())),
        "events": sum(len(s["events"]) for s in snippets),
        "multi_event_snippets": sum(len(s["events"]) > 1 for s in snippets),
        "negative_kinds": dict(sorted(Counter(s.get("negative_kind") for s in snippets if s["label"] == "none").items())),
        "countries": len({s["country"] for s in snippets}),
        "regions": dict(sorted(Counter(s.get("region") for s in snippets).items())),
        "registers": dict(sorted(Counter(s.get("register") for s in snippets).items())),
    }


def main(writers_dir: Path) -> None:
    SNIPPET_DIR.mkdir(parents=True, exist_ok=True)
    summary = {}
    seen: set[str] = set()
    everything = []
    for split, writers in SPLITS.items():
        snippets = [s for w in writers for s in read_writer(writers_dir / w)]
        duplicated = {s["id"] for s in snippets} & seen
        if duplicated:
            raise SystemExit(f"ids in two splits: {sorted(duplicated)[:5]}")
        seen |= {s["id"] for s in snippets}
        snippets.sort(key=lambda s: s["id"])
        with (SNIPPET_DIR / f"{split}.jsonl").open("w", encoding="utf-8") as f:
            for snippet in snippets:
                f.write(json.dumps(snippet, ensure_ascii=False, sort_keys=True) + "\n")
        summary[split] = counts(snippets)
        everything += snippets
    summary["all"] = counts(everything)
    (SNIPPET_DIR / "counts.json").write_text(json.dumps(summary, indent=1) + "\n", "utf-8")
    for split, writers in ARTICLE_SPLITS.items():
        target = ARTICLE_DIR / split
        target.mkdir(parents=True, exist_ok=True)
        for writer in writers:
            for path in sorted((writers_dir / writer).glob("*.gold.json")):
                text = path.with_name(path.name.removesuffix(".gold.json") + ".txt")
                shutil.copy(path, target / path.name)
                shutil.copy(text, target / text.name)
    print(json.dumps({k: {"snippets": v["snippets"], "countries": v["countries"]} for k, v in summary.items()}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
