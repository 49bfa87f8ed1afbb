"""A deterministic synthetic project at the scale the tool is designed for (for the benchmarks, not the tests).

    python bench/synth.py corpus OUT.jsonl [--articles N] [--seed S]
    python bench/synth.py database OUT.db [--articles N] [--tags M] [--annotators K] [--seed S]
                          [--corpus CORPUS.jsonl] [--prefix NAME]

The same parameters and seed give the same corpus file byte for byte and the same
database content (:func:`fingerprint` is equal; the file's bytes may differ, as
SQLite's may). What it makes:

* **Articles**: lengths log-normal around 700 words (mean about 850 words, 5 KB),
  clipped to 200-3,000 words; English news prose drawn from a Zipf-weighted
  vocabulary, with quotations ("..., Peskov said."), curly apostrophes, em dashes
  and numbers. About one term variant of the default codebook's lexicon
  (``annotator/data/codebooks/ru-ua-framing.yaml``) per 110 words is mixed in, its side following
  the outlet's (Russian state outlets write "Kiev" and "special military
  operation", Ukrainian ones "Kyiv" and "full-scale invasion"), some scare-quoted
  or "so-called". Some articles carry page chrome the boilerplate rules remove
  (Yahoo's error widget, teleSUR's social strip, Press TV's mirror notice, share
  buttons, breadcrumbs, comment counters, photo credits), ``\\r\\n`` line ends or
  decomposed accents; 0.5% more records repeat an earlier text under another url
  (duplicates the import must skip). A tenth of the articles come in stories of four
  (``story``: ``event-NNNNN``), for the story screen and the filtered statistics.
* **Outlets**: the shipped registry ``annotator/data/outlets.yaml``, skewed (agencies and big
  outlets publish more); the publisher named by id, by name, or only through the
  url's domain; syndicated copies name their original source.
* **Annotations**: K annotators work through the list in batches of 50 articles
  (a third double-coded, some triple-coded, 1% by five, for agreement and review) until M tags exist. Per
  (article, annotator) unit: the lexicon's matches tagged as term variants
  (attributes voice, concept, variant; origin ``suggestion`` or ``human``; a few
  given another label), persuasion-technique spans, and an answer to every
  article question (generic frames, primary frame, tone, portrayals, leaning,
  source reliability) leaning with the outlet; 3% soft-deleted, some notes,
  "done" marks and rejected suggestions. Every span's quote is
  ``text[start:end]`` of the stored text, with its 32-character prefix and suffix.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import random
import re
import sqlite3
import sys
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# the articles' text; REGISTRY and write_corpus are also this module's API (bench/run.py, team.py, writes.py)
from synth_text import (CODEBOOK, KREMLIN_SHARE_BY_COUNTRY, KREMLIN_SHARE_DEFAULT, REGISTRY,  # noqa: E402
                        zipf_cumulative, write_corpus)

GENERATOR_VERSION = 4  # part of the benchmark cache key: bump when the output changes
BATCH = 50  # articles an annotator is assigned at a time
EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
IMPORTED_AT = "2026-01-04T12:00:00+00:00"
SOURCE_FILE = "synthetic.jsonl"


def import_corpus(store, corpus: Path) -> int:
    """The corpus through the importer's own steps (read, normalize, strip chrome, hash,
    store), with a fixed import time and source file so the content is reproducible."""
    from annotator.ingest.importer import build_article
    from annotator.ingest.readers import read_file
    from annotator.ingest.records import Record
    from annotator.outlets.registry import OutletIndex, load_registry

    store.upsert_outlets(load_registry(REGISTRY))
    index = OutletIndex(store.outlets())
    batch, stored = [], 0
    for item in read_file(corpus):
        if not isinstance(item, Record):
            raise SystemExit(f"synthetic record rejected: {item.where}: {item.message}")
        article = build_article(item, None, index)
        article.imported_at = IMPORTED_AT
        article.source_file = SOURCE_FILE
        batch.append(article)
        if len(batch) == 2000:
            stored += sum(a.outcome == "new" for a in store.add_articles(batch))
            batch = []
    if batch:
        stored += sum(a.outcome == "new" for a in store.add_articles(batch))
    return stored


def _iso(seconds: int) -> str:
    return (EPOCH + timedelta(seconds=seconds)).isoformat()


_INSERT = ("INSERT INTO annotations (uuid, article_id, text_sha256, annotator, codebook_id, codebook_version, "
           "category, label, start, \"end\", quote, prefix, suffix, attributes, note, origin, created, updated, "
           "deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")

# Answers lean with the outlet: (kremlin-leaning outlet weights, other outlet weights) per label.
LEANING_ANSWERS = {
    "tone": {"pro": (6, 1), "neutral": (3, 5), "anti": (1, 5)},
    "leaning": {"pro-kremlin": (7, 1), "balanced": (2, 4), "pro-ukraine-west": (1, 5)},
    "portrayal-russian-government": {"positive": (6, 1), "neutral": (3, 4), "negative": (1, 5)},
    "portrayal-ukrainian-government": {"positive": (1, 5), "neutral": (3, 4), "negative": (6, 1)},
    "portrayal-western-governments": {"positive": (1, 3), "neutral": (3, 5), "negative": (6, 2)},
}


def add_annotations(store, tags: int, annotators: int, seed: int, prefix: str = "annotator") -> dict[str, int]:
    """``tags`` annotations by ``annotators`` people, in large transactions (the store's API
    commits one by one, as the TUI needs). Returns counts of what was made."""
    from annotator.codebook import Cardinality, Kind
    from annotator.lexicon import Matcher, guess_voice
    from annotator.models import quote_selector

    from annotator.codebook import find_codebook
    from annotator.outlets.registry import load_registry

    rng = random.Random(seed * 7919 + 11)
    codebook = find_codebook(CODEBOOK)
    matcher = Matcher(codebook)
    names = [f"{prefix}{i:02d}" for i in range(annotators)]
    term_labels = [label.id for label in codebook.category("term").labels]
    persuasion = codebook.category("persuasion")
    persuasion_labels = [label.id for label in persuasion.labels] if persuasion else []
    persuasion_cumulative = zipf_cumulative(len(persuasion_labels), s=1.2, shift=1.0) if persuasion else []
    questions = [c for c in codebook.categories if c.kind is Kind.article]
    kremlin = {outlet.id: KREMLIN_SHARE_BY_COUNTRY.get(outlet.country or "", KREMLIN_SHARE_DEFAULT) > 0.5
               for outlet in load_registry(REGISTRY)}
    conn = store.db.conn
    rows: list[tuple] = []
    status: list[tuple] = []
    rejected: list[tuple] = []
    counts = {"annotations": 0, "units": 0, "annotated_articles": 0, "deleted": 0, "done": 0, "rejected": 0}
    version = codebook.version
    clock = 0

    def flush() -> None:
        conn.execute("BEGIN")
        conn.executemany(_INSERT, rows)
        conn.executemany("INSERT INTO article_status (article_id, annotator, status, updated) VALUES (?,?,?,?)", status)
        conn.executemany("INSERT OR IGNORE INTO rejected_suggestions (article_id, annotator, start, \"end\", concept, "
                         "variant, created) VALUES (?,?,?,?,?,?,?)", rejected)
        conn.execute("COMMIT")
        rows.clear()
        status.clear()
        rejected.clear()

    def current_articles():
        """The current articles in import order, a page at a time: no read stays open across
        the commits (else the WAL could not be checkpointed and grew to tens of GB at 3M tags)."""
        last = 0
        while page := store.db.conn.execute(
                "SELECT rowid, id, text_sha256, text, publisher FROM articles WHERE current = 1 AND rowid > ? "
                "ORDER BY rowid LIMIT 500", [last]).fetchall():
            last = page[-1][0]
            yield from (row[1:] for row in page)

    made = 0
    for position, (article_id, sha, text, publisher) in enumerate(current_articles()):
        if made >= tags:
            break
        owner = (position // BATCH) % annotators
        coders = [names[owner]]
        roll = rng.random()
        extra = 4 if roll < 0.01 else 2 if roll < 0.05 else 1 if roll < 0.33 else 0  # 1% coded by five
        while len(coders) < min(annotators, 1 + extra):
            other = names[rng.randrange(annotators)]
            if other not in coders:
                coders.append(other)
        suggestions = matcher.find(text)
        side_kremlin = kremlin.get(publisher, False)
        counts["annotated_articles"] += 1
        for coder in coders:
            if made >= tags:
                break
            counts["units"] += 1
            unit: list[tuple] = []

            def tag(category: str, label: str, start: int | None, end: int | None, attributes: dict, origin: str,
                    note: str | None = None) -> None:
                nonlocal clock
                clock += rng.randrange(2, 40)
                quote = quote_selector(text, start, end) if start is not None else {"quote": None, "prefix": None,
                                                                                     "suffix": None}
                deleted = 1 if rng.random() < 0.03 else 0
                created = _iso(clock)
                unit.append((str(uuid.UUID(int=rng.getrandbits(128), version=4)), article_id, sha, coder, codebook.id,
                             version, category, label, start, end, quote["quote"], quote["prefix"], quote["suffix"],
                             json.dumps(attributes), note, origin, created, _iso(clock + 60) if deleted else created,
                             deleted))

            for s in suggestions:  # term variants: most accepted, some missed or rejected, a few relabelled
                roll = rng.random()
                if roll < 0.80:
                    label, origin = s.label, ("suggestion" if rng.random() < 0.6 else "human")
                    if rng.random() < 0.05:
                        label, origin = rng.choice(term_labels), "human"
                    voice = s.voice if rng.random() < 0.9 else rng.choice(["own", "quoted", "scare-quoted"])
                    tag("term", label, s.start, s.end, {"voice": voice, "concept": s.concept, "variant": s.variant},
                        origin, "house style" if rng.random() < 0.01 else None)
                elif roll < 0.90:
                    rejected.append((article_id, coder, s.start, s.end, s.concept, s.variant, _iso(clock)))
            for _ in range(rng.choice((0, 1, 1, 2, 2, 3, 4)) if persuasion_labels else 0):
                span = _phrase(text, rng)
                if span is None:
                    continue
                start, end = span
                label = persuasion_labels[bisect.bisect_right(persuasion_cumulative,
                                                              rng.random() * persuasion_cumulative[-1])]
                tag(persuasion.id, label, start, end, {"voice": guess_voice(text, start, end)}, "human")
            frames: list[str] = []
            for question in questions:
                if rng.random() > 0.92 and question.id != "generic-frames":
                    continue  # left unanswered
                ids = [label.id for label in question.labels]
                if question.id in LEANING_ANSWERS:
                    weights = [LEANING_ANSWERS[question.id].get(i, (1, 1))[0 if side_kremlin else 1] for i in ids]
                    answers = rng.choices(ids, weights=weights)
                elif question.id == "primary-frame" and frames:
                    answers = [rng.choice(frames)]
                elif question.cardinality is Cardinality.multi:
                    answers = rng.sample(ids, k=min(len(ids), rng.choice((1, 2, 2, 3))))
                    if question.id == "generic-frames":
                        frames = answers
                else:
                    answers = [rng.choice(ids)]
                for answer in answers:
                    tag(question.id, answer, None, None, {}, "human")
            unit = unit[: tags - made]
            rows.extend(unit)
            made += len(unit)
            counts["deleted"] += sum(r[-1] for r in unit)
            if rng.random() < 0.85:
                status.append((article_id, coder, "done", _iso(clock)))
                counts["done"] += 1
            if len(rows) >= 50_000:
                counts["rejected"] += len(rejected)
                flush()
    counts["rejected"] += len(rejected)
    flush()
    counts["annotations"] = made
    return counts


def _phrase(text: str, rng: random.Random) -> tuple[int, int] | None:
    """A run of 3-25 words inside one paragraph, at a random place."""
    p = rng.randrange(len(text))
    while p > 0 and not text[p - 1].isspace():
        p -= 1
    line_end = text.find("\n", p)
    window = text[p : min(len(text), p + 220, line_end if line_end != -1 else len(text))]
    spans = [(m.start(), m.end()) for m in _WORD_RUN.finditer(window)]
    if len(spans) < 3:
        return None
    n = rng.randint(3, min(25, len(spans)))
    start, end = p + spans[0][0], p + spans[n - 1][1]
    while end > start and text[end - 1] in ",;:":
        end -= 1
    return start, end


_WORD_RUN = re.compile(r"\S+")


def build_database(out: Path, articles: int, tags: int, annotators: int, seed: int = 1, prefix: str = "annotator",
                   corpus: Path | None = None, log=None) -> dict:
    """Write the corpus (unless given), import it and add the annotations. Returns a summary
    with the database's :func:`fingerprint`."""
    from annotator.store import Store

    log = log or (lambda message: print(message, file=sys.stderr))
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    corpus = corpus or out.with_suffix(".jsonl")
    if not corpus.exists():
        started = time.perf_counter()
        records = write_corpus(corpus, articles, seed)
        log(f"{corpus}: {records} records in {time.perf_counter() - started:.1f} s")
    store = Store(out)
    started = time.perf_counter()
    stored = import_corpus(store, corpus)
    log(f"{out}: {stored} articles imported in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    counts = add_annotations(store, tags, annotators, seed, prefix)
    log(f"{out}: {counts['annotations']} annotations ({counts['units']} units on {counts['annotated_articles']} articles) "
        f"in {time.perf_counter() - started:.1f} s")
    store.optimize()
    store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    summary = {"articles": stored, **counts, "annotators": annotators, "seed": seed,
               "generator_version": GENERATOR_VERSION, "fingerprint": fingerprint(out)}
    return summary


def fingerprint(db: Path) -> str:
    """A digest of the database's content (articles, annotations, statuses, rejections):
    the same seed and parameters give the same digest."""
    digest = hashlib.sha256()
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    queries = [
        "SELECT id, publisher, original_source, title, url, published, published_approximate, text_sha256, "
        "removed, source_key, version, current, imported_at, word_count FROM articles ORDER BY id",
        "SELECT * FROM annotations ORDER BY uuid",
        "SELECT * FROM article_status ORDER BY article_id, annotator",
        "SELECT * FROM rejected_suggestions ORDER BY article_id, annotator, start, \"end\", variant",
    ]
    for sql in queries:
        for row in conn.execute(sql):
            digest.update(repr(row).encode("utf-8", "surrogatepass"))
    conn.close()
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["corpus", "database"])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--tags", type=int, default=1_000_000)
    parser.add_argument("--annotators", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--prefix", default="annotator", help="annotator names: PREFIX00, PREFIX01, ...")
    parser.add_argument("--corpus", type=Path, help="database: the corpus file to use (written first when missing)")
    args = parser.parse_args()
    if args.what == "corpus":
        write_corpus(args.out, args.articles, args.seed)
    else:
        summary = build_database(args.out, args.articles, args.tags, args.annotators, args.seed, args.prefix,
                                 corpus=args.corpus)
        print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
