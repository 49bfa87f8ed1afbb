"""``annotator export --format label-studio``: a Label Studio JSON task list.

One task per article: ``data`` holds the canonical text and the article's fields, and
``annotations`` one annotation per annotator (``completed_by`` is the annotator's name).
In its ``result``:

* a span tag is a ``labels`` region: ``from_name`` the category id, ``to_name`` "text",
  ``value`` ``{start, end, text, labels: [label id]}``; its id is the tag's UUID, its note
  the region's ``meta.text``; each span attribute (voice, concept, variant) is a per-region
  ``choices`` result with the same id, ``from_name`` the attribute id;
* the answers to one article-level question are one ``choices`` result (``from_name`` the
  category id, ``value.choices`` the label ids);
* a note on the whole article is a ``textarea`` result, ``from_name`` ``_article``.

Offsets are code points, as Python counts them: Label Studio's Text tag counts code points
(its own test "Should calculate offsets by code points in text" expects 21..25 for "test" in
"🐱 Warning: This is a test text", web/libs/editor/tests/integration/e2e/ner/emoji.cy.ts
in github.com/HumanSignal/label-studio), and the canonical text has no ``\\r``.

Tasks are written one per line as the articles come (:func:`iter_article_tags`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from ..codebook import Codebook, Kind
from .json_out import dumps
from ..normalize import HIDDEN_RE
from .documents_out import ArticleTags, Written, is_note, is_span

TO_NAME = "text"
NOTE_FROM_NAME = "_article"


def _span_results(tag: dict[str, Any]) -> list[dict[str, Any]]:
    value = {"start": tag["start"], "end": tag["end"], "text": tag["quote"], "labels": [tag["label"]]}
    region: dict[str, Any] = {"id": tag["id"], "from_name": tag["category"], "to_name": TO_NAME, "type": "labels",
                              "origin": "manual", "value": value}
    if tag["note"] is not None:
        region["meta"] = {"text": [tag["note"]]}
    results = [region]
    for name, choice in sorted(tag["attributes"].items()):
        results.append({"id": tag["id"], "from_name": name, "to_name": TO_NAME, "type": "choices", "origin": "manual",
                        "value": {"start": tag["start"], "end": tag["end"], "text": tag["quote"], "choices": [choice]}})
    return results


def annotation_results(tags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ``result`` list of one annotator's tags on one article."""
    results: list[dict[str, Any]] = []
    answers: dict[str, dict[str, Any]] = {}  # category -> its choices result
    for tag in tags:
        if is_span(tag):
            results.extend(_span_results(tag))
        elif is_note(tag):
            if tag["note"] is not None:
                results.append({"id": tag["id"], "from_name": NOTE_FROM_NAME, "to_name": TO_NAME, "type": "textarea",
                                "origin": "manual", "value": {"text": [tag["note"]]}})
        elif tag["category"] in answers:
            answers[tag["category"]]["value"]["choices"].append(tag["label"])
        else:
            answers[tag["category"]] = {"id": tag["id"], "from_name": tag["category"], "to_name": TO_NAME,
                                        "type": "choices", "origin": "manual", "value": {"choices": [tag["label"]]}}
            results.append(answers[tag["category"]])
    return results


def label_studio_task(article: ArticleTags) -> dict[str, Any]:
    """One article as a Label Studio task with one annotation per annotator."""
    annotations = []
    for name, tags in article.by_annotator():
        annotations.append({
            "completed_by": name,
            "result": annotation_results(tags),
            "created_at": min(tag["created_at"] for tag in tags),
            "updated_at": max(tag["updated_at"] for tag in tags),
            "was_cancelled": False,
            "ground_truth": False,
        })
    data = {"text": article.text, **article.metadata()}
    return {"data": data, "annotations": annotations}


def write_label_studio(articles: Iterable[ArticleTags], out: IO[str], written: Written) -> Written:
    """A JSON list of tasks, one per line; ``written`` counts the tags."""
    out.write("[")
    first = True
    for article in articles:
        out.write(("\n" if first else ",\n") + dumps(label_studio_task(article)))
        written.count += len(article.tags)
        first = False
    out.write("\n]\n")
    return written


def label_studio_config(book: Codebook) -> str:
    """A Label Studio labeling config (XML) that shows what :func:`write_label_studio`
    writes for tags of ``book``: a ``Labels`` per span category, a per-region ``Choices``
    per span attribute, a ``Choices`` per article-level question, a ``TextArea`` for notes
    on the article. Values are the codebook's ids; its names are the hints."""
    def tag(element: str, /, **attributes: str) -> str:
        return f"<{element} " + " ".join(f"{key}={quoteattr(value)}" for key, value in attributes.items())

    lines = ["<View>", f"  {tag('Header', value=book.title)}/>"]
    for category in book.categories:
        if category.kind is Kind.span:
            lines.append(f"  {tag('Labels', name=category.id, toName=TO_NAME)}>")
            lines += [f"    {tag('Label', value=label.id, hint=label.name)}/>" for label in category.labels]
            lines.append("  </Labels>")
    lines.append(f"  {tag('Text', name=TO_NAME, value='$text')}/>")
    for attribute in book.attributes:
        lines.append(f"  {tag('Choices', name=attribute.id, toName=TO_NAME, perRegion='true', choice='single')}>")
        lines += [f"    {tag('Choice', value=value.id, hint=value.name)}/>" for value in attribute.values]
        lines.append("  </Choices>")
    for category in book.categories:
        if category.kind is Kind.article:
            choice = "single" if category.cardinality.value == "single" else "multiple"
            lines.append(f"  {tag('Header', value=category.name)}/>")
            lines.append(f"  {tag('Choices', name=category.id, toName=TO_NAME, choice=choice)}>")
            lines += [f"    {tag('Choice', value=label.id, hint=label.name)}/>" for label in category.labels]
            lines.append("  </Choices>")
    lines.append(f"  {tag('TextArea', name=NOTE_FROM_NAME, toName=TO_NAME, placeholder='Note on the article')}/>")
    lines.append("</View>")
    return HIDDEN_RE.sub(lambda m: f"&#x{ord(m.group()):x};", "\n".join(lines) + "\n")  # as character references
