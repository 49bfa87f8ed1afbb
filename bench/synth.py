"""Synthetic corpora and databases at the scale of BRIEF §8 (for the benchmarks, not the tests).

    python bench/synth.py corpus OUT.jsonl [--articles N]
    python bench/synth.py database OUT.db [--articles N] [--tags M] [--annotators K]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = ("the kremlin said talks between the presidents would need preparation and that officials in kiev kyiv "
         "moscow had discussed a meeting after the special military operation invasion referendums annexation "
         "accession donbass donbas zelensky zelenskyy ministers agreed sources reported on monday that the "
         "negotiations were stalled while the war continued across the region").split()
OUTLETS = ("press-tv", "yahoo-news", "daily-herald", "telesur", "kyiv-independent", "rt", "tass", "bbc")


def article_text(rng: random.Random, words: int = 850) -> str:
    """About 5 KB of paragraphs made of framing-heavy words."""
    paragraphs = []
    left = words
    while left > 0:
        n = min(left, rng.randint(40, 90))
        sentence = " ".join(rng.choice(WORDS) for _ in range(n))
        paragraphs.append(sentence[0].upper() + sentence[1:] + ".")
        left -= n
    return "\n\n".join(paragraphs)


def write_corpus(out: Path, articles: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with out.open("w", encoding="utf-8") as fh:
        for i in range(articles):
            record = {"title": f"Synthetic report {i}: talks and the war", "text": article_text(rng),
                      "url": f"https://example.org/news/{i}", "publisher": OUTLETS[i % len(OUTLETS)],
                      "published": f"2022-{1 + i % 12:02d}-{1 + i % 28:02d}"}
            fh.write(json.dumps(record) + "\n")


def build_database(out: Path, articles: int, tags: int, annotators: int, seed: int = 1) -> None:
    """Import a synthetic corpus (with the demo registry) and add ``tags`` span tags spread over it."""
    from annotator.importer import import_paths
    from annotator.store import Store

    corpus = out.with_suffix(".jsonl")
    write_corpus(corpus, articles, seed)
    store = Store(out)
    started = time.perf_counter()
    report = import_paths(store, [corpus], registry_path=Path(__file__).resolve().parent.parent / "corpus" / "outlets.yaml")
    print(f"imported {len(report.imported)} articles in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    _add_tags(store, tags, annotators, seed)
    print(f"{out}: {articles} articles, {tags} tags", file=sys.stderr)


def _add_tags(store, tags: int, annotators: int, seed: int) -> None:
    """Tags straight through SQL in large transactions (the store API commits one by one, as the TUI needs)."""
    import uuid

    rng = random.Random(seed)
    conn = store.db.conn
    rows = conn.execute("SELECT id, text_sha256, length(text) FROM articles WHERE current = 1").fetchall()
    labels = [("term", "kremlin-form"), ("term", "ukraine-west-form"), ("term", "neutral-form"), ("tone", "neutral")]
    batch = []
    for n in range(tags):
        article_id, sha, length = rows[rng.randrange(len(rows))]
        category, label = rng.choice(labels)
        start = rng.randrange(max(1, length - 20))
        batch.append((str(uuid.UUID(int=rng.getrandbits(128))), article_id, sha, f"annotator{rng.randrange(annotators)}",
                      "ru-ua-framing", "1", category, label, start, start + 8, "x" * 8, "", "", "{}", None, "human",
                      "2026-01-01T00:00:00Z", "2026-01-01T00:00:00Z", 0))
        if len(batch) == 50_000 or n == tags - 1:
            conn.execute("BEGIN")
            conn.executemany(
                "INSERT INTO annotations (uuid, article_id, text_sha256, annotator, codebook_id, codebook_version, "
                "category, label, start, \"end\", quote, prefix, suffix, attributes, note, origin, created, updated, "
                "deleted) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch)
            conn.execute("COMMIT")
            batch = []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["corpus", "database"])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--tags", type=int, default=1_000_000)
    parser.add_argument("--annotators", type=int, default=20)
    args = parser.parse_args()
    if args.what == "corpus":
        write_corpus(args.out, args.articles)
    else:
        build_database(args.out, args.articles, args.tags, args.annotators)


if __name__ == "__main__":
    main()
