"""HTML import (README "Importing", `.html`): the page's date and language come from its
metadata, its paragraphs stay apart, a manifest's values win, and hostile metadata is
ignored rather than stored or shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.ingest.html import page_date, page_language
from annotator.ingest.importer import import_paths
from annotator.store import Store

BODY = """<article><h1>Talks end without a deal</h1>
<p>Negotiators left Istanbul on Monday without an agreement, officials from both delegations said in statements.</p>
<p>The next round has not been scheduled, and both sides blamed each other for the lack of progress on prisoners.</p>
<ul><li>Prisoner exchanges were discussed at length</li><li>Grain shipments were not</li></ul>
<p>Both delegations are expected to report to their capitals later this week, diplomats said.</p>
</article>"""


def page(head: str = "", lang: str | None = None, body: str = BODY) -> str:
    lang_attribute = "" if lang is None else f' lang="{lang}"'
    return f"<!doctype html><html{lang_attribute}><head>{head}</head><body>{body}</body></html>"


def imported(folder: Path, html: str, manifest: str | None = None):
    (folder / "page.html").write_text(html, encoding="utf-8")
    if manifest is not None:
        (folder / "manifest.yaml").write_text(manifest, encoding="utf-8")
    store = Store(folder / "t.db")
    report = import_paths(store, [folder])
    assert report.ok, report.rejected
    [article] = list(store.iter_current_articles())
    return article


def test_date_language_and_title_come_from_the_page_metadata(workdir):
    head = ('<title>Talks end without a deal</title>'
            '<meta property="article:published_time" content="2024-05-17T10:20:00+00:00">')
    article = imported(workdir, page(head, lang="en-GB"))
    assert str(article.published) == "2024-05-17"
    assert article.language == "en"
    assert article.title == "Talks end without a deal"
    assert not article.text.startswith("Talks end")  # the <h1> repeats the title: shown once


def test_other_standard_date_markup_is_read(workdir):
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2023-02-24"}</script>'
    assert str(imported(workdir, page(head, lang="uk")).published) == "2023-02-24"


def test_paragraphs_are_kept_apart_by_a_blank_line(workdir):
    text = imported(workdir, page("<title>Talks end without a deal</title>")).text
    assert "in statements.\n\nThe next round" in text
    assert "on prisoners.\n\n- Prisoner exchanges were discussed at length\n- Grain shipments were not\n\nBoth" in text


def test_the_manifest_wins_over_the_page_metadata(workdir):
    head = '<meta property="article:published_time" content="2024-05-17">'
    manifest = "files:\n  - {file: page.html, published: '~2024-05', language: ru}\n"
    article = imported(workdir, page(head, lang="en"), manifest)
    assert (str(article.published), article.language) == ("~2024-05", "ru")


def test_a_page_without_metadata_is_imported_without_date_or_language(workdir):
    article = imported(workdir, page())
    assert article.published is None or str(article.published) in ("", "unknown")
    assert article.language is None
    assert article.text.startswith("Negotiators left Istanbul")  # the <h1> became the title
    assert article.title == "Talks end without a deal"


@pytest.mark.parametrize("date", ["2024-13-45", "yesterday", "0000-00-00", "<script>x</script>", "99999-01-01"])
def test_a_bad_date_string_is_ignored_and_the_article_kept(workdir, date):
    head = f'<meta property="article:published_time" content="{date}"><meta name="date" content="{date}">'
    article = imported(workdir, page(head))
    assert article.published is None or str(article.published) in ("", "unknown")


@pytest.mark.parametrize(("date", "stored"), [("\x1b[31m2024-05-17\x1b[0m", "2024-05-17"),
                                             ("17/05/2024 <b>", "2024-05"), ("2024-02-30", "2024-02")])
def test_a_date_is_stored_only_as_far_as_the_page_gives_it(workdir, date, stored):
    head = f'<meta property="article:published_time" content="{date}">'
    assert str(imported(workdir, page(head)).published) == stored  # never a day the page did not write


@pytest.mark.parametrize("lang", ["&lt;b&gt;en&lt;/b&gt;", "en\x1b[31m", "\x1b]0;pwned\x07", "english", "e n", ""])
def test_a_lang_attribute_that_is_no_language_tag_is_ignored(workdir, lang):
    assert imported(workdir, page(lang=lang)).language is None


def test_page_language_and_date_read_only_well_formed_values():
    assert [page_language(v) for v in ("en-GB", "EN", "uk", "zh-Hant-TW", "ru_RU", " de ")] == \
        ["en", "en", "uk", "zh", "ru", "de"]
    assert [page_language(v) for v in (None, "", "<b>en</b>", "en\x1b[31m", "x", "english", "en-")] == [None] * 7
    assert page_date("2024-05-17", "<meta content='2024-05-17T10:00'>") == "2024-05-17"
    assert page_date("2024-05-17", "<meta content='17 May 2024'>") == "2024-05"
    assert [page_date(v, "") for v in (None, "", "2024-02-30", "2024-05", "2024-05-17T10:00", "17.05.2024")] == [None] * 6
