"""``annotator export --format prodigy``: JSON lines of annotated Prodigy tasks.

One task per article and annotator, as ``prodigy db-out`` writes them and ``prodigy db-in``
reads them (task format: https://prodi.gy/docs/api-interfaces)::

    {"text": "...", "spans": [{"start": 870, "end": 874, "label": "term:kremlin-form", "text": "Kiev",
      "id": "<tag uuid>", "attributes": {"voice": "own"}}],
     "options": [{"id": "tone:negative", "text": "Tone: Negative"}, ...], "accept": ["tone:negative"],
     "meta": {"article_id": "...", "title": "...", "url": null, "publisher": "press-tv", "annotator": "maria"},
     "_annotator_id": "maria", "answer": "accept"}

Spans use character offsets as Python counts them (code points), the offsets Prodigy and
spaCy use; ``token_start``/``token_end`` are not written (Prodigy's ``add_tokens`` adds them
with your tokenizer). Labels are ``category:label``. The answers about the whole article are
a choice task's ``options`` (every label of each answered category, when its codebook is
shipped; else the chosen ones) and ``accept``. Notes are kept on the span (``note``) or, for
the whole article, in ``meta.notes``. Prodigy sets ``_input_hash``/``_task_hash`` itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

from .json_out import dumps
from .documents_out import ArticleTags, Codebooks, Written, flat_label, is_note, is_span


def _span(tag: dict[str, Any]) -> dict[str, Any]:
    span = {"start": tag["start"], "end": tag["end"], "label": flat_label(tag["category"], tag["label"]),
            "text": tag["quote"], "id": tag["id"]}
    if tag["attributes"]:
        span["attributes"] = tag["attributes"]
    if tag["note"] is not None:
        span["note"] = tag["note"]
    return span


def _options(tags: list[dict[str, Any]], books: Codebooks) -> list[dict[str, str]]:
    """The choice options of the categories answered in ``tags``."""
    options: dict[str, str] = {}
    for tag in tags:
        known = books.category_labels(tag["codebook"], tag["category"])
        book = books.get(tag["codebook"])
        category = book.category(tag["category"]) if book is not None else None
        prefix = category.name if category is not None else tag["category"]
        for label_id, name in known or [(tag["label"], tag["label"])]:
            options.setdefault(flat_label(tag["category"], label_id), f"{prefix}: {name}")
    return [{"id": option_id, "text": text} for option_id, text in options.items()]


def prodigy_tasks(article: ArticleTags, books: Codebooks, written: Written) -> Iterable[dict[str, Any]]:
    """One annotated Prodigy task per annotator of ``article``."""
    for name, tags in article.by_annotator():
        answers = [t for t in tags if not is_span(t) and not is_note(t)]
        task: dict[str, Any] = {"text": article.text, "spans": [_span(t) for t in tags if is_span(t)]}
        if answers:
            task["options"] = _options(answers, books)
            task["accept"] = [flat_label(t["category"], t["label"]) for t in answers]
        meta = {**article.metadata(), "annotator": name}
        notes = [t["note"] for t in tags if is_note(t) and t["note"] is not None]
        if notes:
            meta["notes"] = notes
        task.update({"meta": meta, "_annotator_id": name, "answer": "accept"})
        written.count += len(tags)
        yield task


def write_prodigy(articles: Iterable[ArticleTags], out: IO[str], written: Written) -> Written:
    books = Codebooks()
    for article in articles:
        for task in prodigy_tasks(article, books, written):
            out.write(dumps(task) + "\n")
    return written
