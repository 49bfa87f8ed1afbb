"""The store's stories: the stories of the current articles with their counts, outlets and
dates; a story's articles by date (undated last); the articles without a story."""

from __future__ import annotations


def test_the_demo_story_lists_its_articles_outlets_and_dates(demo_store):
    (story,) = demo_store.stories()
    rows = demo_store.list_articles(limit=10)
    assert story.id == "kremlin-putin-zelensky-meeting"
    assert story.articles == len(rows) == 5
    assert set(story.outlets) == {r.publisher for r in rows} and len(story.outlets) == 5
    dates = sorted(demo_store.article(r.id).published.value for r in rows)
    assert (story.first, story.last) == (dates[0], dates[-1])


def test_a_storys_articles_come_by_date_and_undated_last(demo_store):
    ids = demo_store.story_article_ids("kremlin-putin-zelensky-meeting")
    dated = [demo_store.article(i).published.value for i in ids]
    assert dated == sorted(dated)
    undated = ids[0]
    demo_store.set_article_facts([(undated, "published", None)])
    assert demo_store.story_article_ids("kremlin-putin-zelensky-meeting")[-1] == undated


def test_moving_articles_between_stories_and_out_of_every_story(demo_store):
    first, second, *rest = demo_store.story_article_ids("kremlin-putin-zelensky-meeting")
    demo_store.set_article_facts([(first, "story", "istanbul-talks"), (second, "story", None)])
    stories = {s.id: s for s in demo_store.stories()}
    assert sorted(stories) == ["istanbul-talks", "kremlin-putin-zelensky-meeting"]  # by id
    assert stories["istanbul-talks"].articles == 1 and stories["kremlin-putin-zelensky-meeting"].articles == 3
    assert [a.id for a in demo_store.storyless_articles()] == [second]
    assert [a.id for a in demo_store.storyless_articles(ids=[first, second])] == [second]
    assert demo_store.story_article_ids("no-such-story") == []
