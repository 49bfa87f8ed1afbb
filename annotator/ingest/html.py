"""Reading one HTML page: its main text (with trafilatura), and what its metadata says.

The text keeps the page's blocks apart (a blank line between paragraphs, headings,
lists and tables, as in a ``.txt`` file). Title, canonical url, publication date
and language (``<html lang="en-GB">`` -> ``en``) come from the page's
metadata (the date as the page writes it, ``YYYY-MM-DD``, else its year and month);
they are inferred, so a manifest entry's values win over them.
"""

from __future__ import annotations

import codecs
import datetime
import re
from pathlib import Path
from typing import Any

from .boilerplate import MAX_TITLE
from ..normalize import printable
from .records import Record, RecordError

# Dates only from the page's markup (meta tags, JSON-LD, <time>, the url), never guessed from its prose.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}
_LANGUAGE = re.compile(r"([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]{1,8})*")


_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_PRESCAN_BYTES = 4096


def declared_charset(data: bytes) -> str | None:
    """The encoding a page declares in its first 4 KB (``<meta charset="windows-1251">`` or
    ``<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">``), as a Python
    codec name; None when it declares none, or one Python does not know as a text encoding.
    As browsers do, ``iso-8859-1`` and ``us-ascii`` mean Windows-1252, and a UTF-16 label
    in bytes that could hold it means nothing."""
    found = _CHARSET.search(data[:_PRESCAN_BYTES])
    if not found:
        return None
    try:
        codec = codecs.lookup(found.group(1).decode("ascii"))
    except (LookupError, UnicodeDecodeError):
        return None
    if not getattr(codec, "_is_text_encoding", True) or codec.name.startswith(("utf-16", "utf-32")):
        return None
    return "cp1252" if codec.name in ("iso8859-1", "latin-1", "ascii") else codec.name


def read_html(path: Path, html: str, encoding: str) -> Record | RecordError:
    """The page's article as a record (``inferred`` holds what its metadata says)."""
    import trafilatura  # imported here: only HTML imports pay for it
    from trafilatura.utils import load_html
    from trafilatura.xml import xmltotxt

    try:
        tree = load_html(html)
        language = page_language(tree.get("lang") if tree is not None else None)
        document = trafilatura.bare_extraction(
            tree if tree is not None else html, include_comments=False, include_tables=True, include_images=False,
            with_metadata=True, date_extraction_params=_DATE_PARAMS,
        )
        blocks = [xmltotxt(block, include_formatting=False).strip() for block in document.body] if document else []
    except Exception as exc:  # trafilatura/lxml raise many types on broken markup
        return RecordError(path, "", f"HTML could not be parsed ({type(exc).__name__}: {printable(str(exc))[:200]})")
    text = "\n\n".join(block for block in blocks if block)
    if not text.strip():
        return RecordError(path, "", "no main text found in the HTML")
    inferred: dict[str, Any] = {}
    if document.title:
        inferred["title"] = document.title[:MAX_TITLE]  # inferred, as a title from the text's first line
    if document.url:
        inferred["url"] = document.url
    published = page_date(document.date, html)
    if published:
        inferred["published"] = published
    language = language or page_language(document.language)
    if language:
        inferred["language"] = language
    return Record(path, "", {"text": text}, "html", encoding, inferred)


def page_date(value: str | None, html: str) -> str | None:
    """The date the metadata gives (``value``, ``YYYY-MM-DD``), or None when it is not a
    calendar date. When the page does not write that very date (``YYYY-MM-DD``), only
    its year and month are kept: the date library reads "2024-02-30" or "17/05/2024" as
    the first of the month, a day the page never gave."""
    try:
        date = datetime.date.fromisoformat(value).isoformat() if value and len(value) == 10 else None
    except ValueError:
        return None
    if date is None or date in html:
        return date
    return date[:7]


def page_language(value: str | None) -> str | None:
    """The primary language subtag of an ``lang`` attribute (``en-GB`` -> ``en``), or None
    when it is not a language tag."""
    if not value:
        return None
    match = _LANGUAGE.fullmatch(value.strip())
    return match.group(1).lower() if match else None
