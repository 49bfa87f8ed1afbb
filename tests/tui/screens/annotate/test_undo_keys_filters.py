"""Undo and redo across kinds of change and articles, keys from annotator.toml (punctuation
and any letter as label keys), and the list's filters by status, outlet and search."""

from __future__ import annotations

from textual.widgets import Input, Select

from annotator.codebook import load_codebook
from annotator.config import load_config, resolve_annotator
from annotator.tui.app import AnnotatorApp
from annotator.tui.widgets.article_list import ArticleList
from annotator.tui.widgets.article_view import ArticleView

from ...conftest import (MINI, SIZE, live, make_app, notices, press, screen_text, select_text, settle, tag_span,
                         widget_text)


async def test_undo_and_redo_relabel_voice_and_a_change_on_another_article(demo_store):
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = app.annotate.article.id
        await tag_span(pilot, "Kiev", "1")
        await pilot.press("L")
        await pilot.pause()
        await press(pilot, *"ukr", "enter")
        assert live(demo_store)[0].label == "ukraine-west-form"
        await press(pilot, "ctrl+z")
        assert live(demo_store)[0].label == "kremlin-form"
        await press(pilot, "ctrl+y")
        assert live(demo_store)[0].label == "ukraine-west-form"
        voice = live(demo_store)[0].attributes["voice"]
        await press(pilot, "V")
        assert live(demo_store)[0].attributes["voice"] != voice
        await press(pilot, "ctrl+z")
        assert live(demo_store)[0].attributes["voice"] == voice
        await press(pilot, "]")
        assert app.annotate.article.id != first
        await pilot.press("ctrl+z")  # undoes the relabel, made on the first article: it opens again
        await settle(app, pilot)
        assert app.annotate.article.id == first and live(demo_store)[0].label == "kremlin-form"
        await pilot.press("ctrl+z")  # the tag itself: soft-deleted, still in the database
        await settle(app, pilot)
        assert live(demo_store) == [] and demo_store.annotations(include_deleted=True)[0].deleted
        await press(pilot, "ctrl+y", "ctrl+y")
        assert [t.label for t in live(demo_store)] == ["ukraine-west-form"]
        # tagging from the searchable list of labels
        await select_text(app, pilot, "Moscow")
        await pilot.press("T")
        await pilot.pause()
        await press(pilot, *"krem", "enter")
        assert sorted((t.quote, t.label) for t in live(demo_store)) == [("Kiev", "ukraine-west-form"),
                                                                         ("Moscow", "kremlin-form")]


async def test_keys_from_annotator_toml(demo_store, workdir):
    (workdir / "annotator.toml").write_text(
        'annotator = "toml-user"\n[keys]\nnext_article = "n"\ntoggle_done = "ctrl+d"\nundo = "ctrl+u"\n'
        'no_such_action = "x"\n', encoding="utf-8")
    config = load_config()
    app = make_app(demo_store, annotator=resolve_annotator(None, config), keymap=config.keys)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "toml-user" in widget_text(app.query_one("#topbar-info"))
        assert any("no_such_action" in n for n in notices(app))
        first = app.annotate.article.id
        await pilot.press("]")  # replaced: does nothing now
        await settle(app, pilot)
        assert app.annotate.article.id == first
        await press(pilot, "n")
        assert app.annotate.article.id != first
        await pilot.press("ctrl+d")  # a key the text view would otherwise keep for itself
        await settle(app, pilot)
        assert demo_store.status(app.annotate.article.id, "toml-user") == "done"
        await press(pilot, "ctrl+u")
        assert demo_store.status(app.annotate.article.id, "toml-user") == "new"
        assert "n Next article" in screen_text(app).splitlines()[-1]
        await pilot.press("question_mark")
        await pilot.pause()
        assert "n open the next article" in widget_text(app.screen.query_one("#help-keys"))


async def _choose(pilot, app, select_id: str, label: str) -> None:
    """Open a filter drop-down with the keyboard and choose an entry by its text."""
    select = app.query_one(select_id, Select)
    select.focus()
    await pilot.press("enter")
    await pilot.pause()
    options = select.query_one("SelectOverlay")
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    steps = prompts.index(label) - (options.highlighted or 0)
    await press(pilot, *(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")


async def _select_first_word(app, pilot) -> None:
    app.query_one(ArticleView).select_range(0, 0)
    await pilot.press("ctrl+shift+right")


async def test_filters_by_status_outlet_and_search(demo_store):
    app = make_app(demo_store)
    articles = None
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        articles = app.query_one(ArticleList)
        await pilot.press("D")  # Press TV: done
        await settle(app, pilot)
        await press(pilot, "]")
        await select_text(app, pilot, "Kremlin")
        await pilot.press("1")  # Yahoo: in progress
        await settle(app, pilot)
        await _choose(pilot, app, "#status-filter", "done")
        assert articles.total == 1 and articles.row_at(0).outlet == "Press TV"
        app.query_one("#status-filter", Select).value = "in progress"  # (the keyboard way is shown above)
        await settle(app, pilot)
        assert articles.total == 1 and articles.row_at(0).outlet == "Yahoo News"
        app.query_one("#status-filter", Select).value = "new"
        await settle(app, pilot)
        assert articles.total == 3
        # working through "new": a tagged article leaves the list, and ] opens the one after it
        new = [r.id for r in demo_store.list_articles(annotator="maria", status="new")]
        articles.focus()
        await press(pilot, "home", "down", "enter")
        assert app.annotate.article.id == new[1] and app.annotate.position == 1
        await _select_first_word(app, pilot)
        await press(pilot, "1")
        assert articles.total == 2 and app.annotate.status == "in progress"
        assert "not in the filtered list" in widget_text(app.query_one("#topbar-info"))
        await press(pilot, "]")
        assert app.annotate.article.id == new[2] and app.annotate.status == "new" and app.annotate.position == 1
        await _choose(pilot, app, "#status-filter", "any status")
        await _choose(pilot, app, "#outlet-filter", "teleSUR")
        assert articles.total == 1 and articles.row_at(0).outlet == "teleSUR"
        app.query_one("#outlet-filter", Select).clear()
        await settle(app, pilot)
        assert articles.total == 5
        await pilot.press("slash", *"soon")  # a word only teleSUR's article has
        await settle(app, pilot)
        assert articles.total == 1 and app.query_one("#search", Input).has_focus
        await press(pilot, "enter", "enter")
        assert app.annotate.article.publisher == "telesur" and app.query_one(ArticleView).has_focus


async def test_label_keys_may_be_punctuation_or_any_letter(demo_store, workdir):
    import yaml

    data = yaml.safe_load(MINI.read_text(encoding="utf-8"))
    data["categories"][0]["labels"][0]["key"] = "#"
    data["categories"][0]["labels"][1]["key"] = "é"
    (workdir / "keys.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    app = AnnotatorApp(demo_store, "maria", load_codebook(workdir / "keys.yaml"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await tag_span(pilot, "Kiev", "#")
        await tag_span(pilot, "Moscow", "é")
        assert "#" in widget_text(app.query_one("#tag-keys"))
    assert sorted((t.quote, t.label) for t in live(demo_store)) == [("Kiev", "kremlin-form"), ("Moscow", "ukraine-west-form")]
