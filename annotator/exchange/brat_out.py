"""``annotator export --format brat --out FILE.zip``: a zip of brat standoff files.

Inside, a folder per annotator (a brat collection) holds ``ARTICLE_ID.txt`` (the canonical
text, UTF-8) and ``ARTICLE_ID.ann``::

    T1	term__kremlin-form 870 874	Kiev
    A1	voice T1 own
    #1	AnnotatorNotes T1	why: the framing

and the top holds ``annotation.conf`` (the entity types and attribute values used; overlaps
allowed) and ``annotators.json`` (folder name -> annotator name; a folder is the name when
it is made only of letters, digits, '.', '-' and '_', else that with the rest as '_' and 8
hex digits of the name's SHA-256 after a '-').

A type is ``category__label``: brat keeps only letters, digits, '-' and '_' in type names
(``normalize_to_storage_form`` in server/src/projectconfig.py of github.com/nlplab/brat).
Offsets are code points into the ``.txt`` (brat reads it as UTF-8 and indexes it as a
Python string); a span that crosses line ends is written as brat writes one, as fragments
(``0 5;6 10``) between the line ends, its text the fragments joined by a space. A note's
line ends become spaces. brat has no labels for a whole document: article-level answers
and article notes are left out (and counted).
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from .documents_out import ArticleTags, ExportRefused, Written, brat_name, brat_type, is_span

ANSWERS_LEFT_OUT = "article-level answers and notes (brat has no document labels)"
_SAFE_FOLDER = re.compile(r"[A-Za-z0-9._-]+")


def annotator_folder(name: str) -> str:
    """The folder (brat collection) of an annotator's files: see the module docstring."""
    if _SAFE_FOLDER.fullmatch(name) and name not in (".", ".."):
        return name
    digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    return f"{re.sub(r'[^A-Za-z0-9._-]', '_', name).strip('.')[:40]}-{digest}"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``start..end`` cut at line ends into the non-empty pieces between them."""
    pieces, at = [], start
    for match in re.finditer("\n", text[start:end]):
        cut = start + match.start()
        if cut > at:
            pieces.append((at, cut))
        at = cut + 1
    if end > at:
        pieces.append((at, end))
    return pieces


def ann_text(article: ArticleTags, tags: list[dict[str, Any]], types: set[str],
             attributes: dict[str, set[str]], written: Written) -> str:
    """The ``.ann`` file of one annotator's tags on one article."""
    lines: list[str] = []
    number = attribute_number = note_number = 0
    for tag in tags:
        if not is_span(tag):
            written.leave_out(ANSWERS_LEFT_OUT)
            continue
        pieces = fragments(article.text, tag["start"], tag["end"])
        if not pieces:
            written.leave_out("spans of line ends only (brat cannot show them)")
            continue
        number += 1
        kind = brat_type(tag["category"], tag["label"])
        types.add(kind)
        where = ";".join(f"{a} {b}" for a, b in pieces)
        quote = " ".join(article.text[a:b] for a, b in pieces)
        lines.append(f"T{number}\t{kind} {where}\t{quote}")
        for name, value in sorted(tag["attributes"].items()):
            if brat_name(name) and brat_name(value):
                attributes.setdefault(name, set()).add(value)
                attribute_number += 1
                lines.append(f"A{attribute_number}\t{name} T{number} {value}")
        if tag["note"] is not None:
            note_number += 1
            lines.append(f"#{note_number}\tAnnotatorNotes T{number}\t{' '.join(tag['note'].split())}")
        written.count += 1
    return "".join(line + "\n" for line in lines)


def annotation_conf(types: set[str], attributes: dict[str, set[str]]) -> str:
    """brat's ``annotation.conf``: the types and attribute values used, overlaps allowed."""
    lines = ["[entities]", *sorted(types), "", "[relations]",
             "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>", "", "[events]", "", "[attributes]"]
    lines += [f"{name}\tArg:<ENTITY>, Value:{'|'.join(sorted(values))}" for name, values in sorted(attributes.items())]
    return "\n".join(lines) + "\n"


def write_brat(articles: Iterable[ArticleTags], out: IO[bytes], written: Written) -> Written:
    """The zip archive (see the module docstring), written as the articles come."""
    types: set[str] = set()
    attributes: dict[str, set[str]] = {}
    folders: dict[str, str] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for article in articles:
            for name, tags in article.by_annotator():
                folder = annotator_folder(name)
                if folders.setdefault(folder, name) != name:
                    raise ExportRefused(f"annotators {folders[folder]!r} and {name!r} would share the folder {folder!r}")
                ann = ann_text(article, tags, types, attributes, written)
                if not ann:
                    continue
                base = f"{folder}/{article.article_id}"
                archive.writestr(f"{base}.txt", article.text)
                archive.writestr(f"{base}.ann", ann)
        archive.writestr("annotation.conf", annotation_conf(types, attributes))
        archive.writestr("annotators.json", json.dumps(folders, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return written
