"""Writes examples/demo-annotations.jsonl: two annotators' tags on the demo corpus, for the
README's worked example of statistics and agreement (and a test that it still imports).

    python examples/make_demo_annotations.py   # from the repository folder

alice accepts every lexicon suggestion with the voice the lexicon guesses; bob accepts most,
misses some and judges some voices differently; both answer tone and overall leaning.
Deterministic: the same corpus gives the same file (fixed ids and times).
"""

from __future__ import annotations

import sys
import tempfile
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from annotator.codebook import find_codebook  # noqa: E402
from annotator.exchange.export import write_jsonl  # noqa: E402
from annotator.ingest.importer import import_paths  # noqa: E402
from annotator.lexicon import Matcher  # noqa: E402
from annotator.models import Annotation, quote_selector  # noqa: E402
from annotator.store import Store  # noqa: E402

# (tone, leaning) per publisher, as each annotator answered
ANSWERS = {
    "press-tv": {"alice": ("anti", "pro-kremlin"), "bob": ("anti", "pro-kremlin")},
    "telesur": {"alice": ("anti", "pro-kremlin"), "bob": ("neutral", "pro-kremlin")},
    "yahoo-news": {"alice": ("neutral", "balanced"), "bob": ("neutral", "balanced")},
    "daily-herald": {"alice": ("neutral", "balanced"), "bob": ("neutral", "pro-ukraine-west")},
    "kyiv-independent": {"alice": ("pro", "pro-ukraine-west"), "bob": ("pro", "pro-ukraine-west")},
}
OTHER_VOICE = {"own": "quoted", "quoted": "own", "scare-quoted": "own"}
TIME = "2026-11-23T09:00:00+00:00"


def main() -> None:
    book = find_codebook(None)
    matcher = Matcher(book)
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "demo.db")
        assert import_paths(store, [REPO / "corpus"]).ok
        tags: list[Annotation] = []
        serial = 0

        def add(**fields) -> None:
            nonlocal serial
            serial += 1
            tags.append(Annotation(uuid=str(uuid.UUID(int=serial)), codebook_id=book.id,
                                   codebook_version=book.version, created=TIME, updated=TIME, **fields))

        for article in sorted(store.iter_current_articles(), key=lambda a: a.id):
            common = {"article_id": article.id, "text_sha256": article.text_sha256}
            for n, s in enumerate(matcher.find(article.text)):
                span = {**common, "category": s.category, "label": s.label, "start": s.start, "end": s.end,
                        "origin": "suggestion", **quote_selector(article.text, s.start, s.end)}
                add(annotator="alice", attributes={"voice": s.voice, "concept": s.concept, "variant": s.variant}, **span)
                if n % 4 == 3:
                    continue  # bob missed it
                voice = OTHER_VOICE[s.voice] if n % 5 == 2 else s.voice
                add(annotator="bob", attributes={"voice": voice, "concept": s.concept, "variant": s.variant}, **span)
            for who, (tone, leaning) in ANSWERS[article.publisher].items():
                add(annotator=who, category="tone", label=tone, **common)
                add(annotator=who, category="leaning", label=leaning, **common)
        records = store_records(store, tags)
        with (REPO / "examples" / "demo-annotations.jsonl").open("w", encoding="utf-8", newline="\n") as out:
            count = write_jsonl(records, out)
        print(f"wrote {count} annotations", file=sys.stderr)


def store_records(store: Store, tags: list[Annotation]):
    store.upsert_annotations(tags)
    return store.iter_annotation_exports()


if __name__ == "__main__":
    main()
