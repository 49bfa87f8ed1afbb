"""Offsets hold as a user selects with keys and the mouse: CRLF files, emoji, combining marks, right-to-left text."""

from __future__ import annotations

from annotator.ingest.importer import import_paths
from annotator.store import Store
from annotator.tui.app import AnnotatorApp
from annotator.tui.widgets.article_view import ArticleView

from ...conftest import SIZE, live, make_app, select_text, settle


async def mouse_select(app: AnnotatorApp, pilot, start: int, end: int) -> None:
    """Drag the mouse from the character at ``start`` to the one at ``end``, as a user would."""
    view = app.query_one(ArticleView)

    def screen_xy(offset: int) -> tuple[int, int]:
        x, y = view.wrapped_document.location_to_offset(view.location_of(offset))
        region = view.content_region
        return region.x + x - view.scroll_offset.x, region.y + y - view.scroll_offset.y

    view.select_range(start, start)  # scroll it into view
    await pilot.pause()
    await pilot.mouse_down(offset=screen_xy(start))
    await pilot.hover(offset=screen_xy(end))
    await pilot.mouse_up(offset=screen_xy(end))
    await pilot.pause()


HARD_LINES = [
    "The title line (shown in the head, not in the text)",
    "",
    "Kiev in the first line",
    "Flags 🇺🇦🇷🇺, a family 👩\u200d👩\u200d👧, a thumb 👍🏽, then Kiev once.",
    "Combining: Cafe\u0301, q\u0307 and e\u0323\u0302 then Kyiv twice.",
    "RTL: \u200fשלום עולם\u200f and مرحبا بالعالم then Kiev thrice.",
    "ZWJ flag 🏳\ufe0f\u200d🌈 then Kyiv at the end.",
]


async def test_offsets_hold_in_a_crlf_file_with_emoji_combining_marks_and_rtl(workdir):
    (workdir / "hard.txt").write_bytes("\r\n".join(HARD_LINES).encode("utf-8") + b"\r\n")
    store = Store(workdir / "annotations.db")
    assert import_paths(store, [workdir / "hard.txt"]).ok
    article = store.article(store.list_articles()[0].id)
    assert "\r" not in article.text and "Café" in article.text  # NFC, LF: the canonical text
    app = make_app(store)
    wanted = []
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        text = app.annotate.article.text
        # keyboard: the cursor before the word, then shift+right once per character
        for needle, occurrence in [("Kiev", 1), ("q\u0307 and ệ", 0), ("שלום עולם", 0), ("Kyiv", 1)]:
            wanted.append(await select_text(app, pilot, needle, occurrence, by="char"))
            await pilot.press("1")
        # the mouse: drag over an emoji sequence, Arabic, and across a line break
        for needle in ["👩\u200d👩\u200d👧", "مرحبا", "twice.\nRTL"]:
            start = text.index(needle)
            await mouse_select(app, pilot, start, start + len(needle))
            assert app.query_one(ArticleView).selected_range == (start, start + len(needle)), needle
            await pilot.press("2")
            wanted.append((start, start + len(needle)))
        # word by word: ctrl+shift+right from the start of "Kiev thrice"
        start = text.index("Kiev thrice")
        app.query_one(ArticleView).select_range(start, start)
        await pilot.press("ctrl+shift+right")
        await pilot.press("1")
        wanted.append((start, start + 4))
        await settle(app, pilot)
    tags = live(store)
    assert sorted((t.start, t.end) for t in tags) == sorted(wanted)
    for tag in tags:
        assert tag.quote == article.text[tag.start:tag.end]
        assert tag.prefix == article.text[max(0, tag.start - 32):tag.start]
        assert tag.suffix == article.text[tag.end:tag.end + 32]
        assert tag.text_sha256 == article.text_sha256
    assert {t.quote for t in tags} >= {"Kiev", "q\u0307 and ệ", "שלום עולם", "Kyiv", "👩\u200d👩\u200d👧", "مرحبا",
                                       "twice.\nRTL"}
