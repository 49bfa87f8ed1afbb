"""The store's articles: full-text search, filters, lookup by id prefix."""


def test_full_text_search_and_outlet_filter(demo_store):
    hits = demo_store.list_articles(search="Zaporozhie")
    assert len(hits) == 1 and hits[0].publisher == "telesur"
    assert demo_store.count_articles(search="Peskov") == 5
    assert {r.publisher for r in demo_store.list_articles(publisher="press-tv")} == {"press-tv"}


def test_article_lookup_by_prefix(demo_store):
    row = demo_store.list_articles()[0]
    assert demo_store.article(row.id[:6]).id == row.id
    assert demo_store.article("zzzzzz") is None
