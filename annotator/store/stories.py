"""Stories: the groups of current articles that report the same event (an article's ``story``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .connection import Connection
from .sql import NOT_STAGED


@dataclass(frozen=True)
class StoryRow:
    """A story as the list of stories shows it."""

    id: str
    articles: int
    outlets: tuple[str, ...]  # outlet ids of the articles' publishers, by first article
    first: str | None  # the earliest and latest published date given (YYYY[-MM[-DD]])
    last: str | None


@dataclass(frozen=True, slots=True)
class StorylessArticle:
    """What suggesting stories reads of a current article without a story."""

    id: str
    publisher: str | None
    title: str
    published: str | None
    published_approximate: bool
    text: str


class StoryQueries(Connection):
    """The stories and their articles."""

    def stories(self) -> list[StoryRow]:
        """Every story of the current articles, by id."""
        rows = self.conn.execute(
            "SELECT a.story, count(*), group_concat(coalesce(a.publisher, ''), char(31)), "
            "min(a.published), max(a.published) "
            # (the story index named: SQLite would walk every current article by the index of
            # `current`, reading the whole articles table with its texts; bench/notes.md,
            # "Measured choices")
            f"FROM (SELECT story, publisher, published FROM articles a INDEXED BY idx_articles_story "
            f"WHERE a.current = 1 AND a.story IS NOT NULL "
            f"AND {NOT_STAGED} ORDER BY a.rowid) a GROUP BY a.story ORDER BY a.story"
        ).fetchall()
        result = []
        for story, count, publishers, first, last in rows:
            outlets = tuple(dict.fromkeys(p for p in (publishers or "").split("\x1f") if p))
            result.append(StoryRow(story, count, outlets, first, last))
        return result

    def story_article_ids(self, story: str) -> list[str]:
        """The current articles of a story, by published date (undated last), then import order."""
        rows = self.conn.execute(
            f"SELECT a.id FROM articles a WHERE a.current = 1 AND a.story = ? AND {NOT_STAGED} "
            "ORDER BY a.published IS NULL, a.published, a.rowid", [story]
        ).fetchall()
        return [r[0] for r in rows]

    def storyless_articles(self, ids: Sequence[str] | None = None, batch: int = 500) -> Iterator[StorylessArticle]:
        """The current articles without a story (those of ``ids`` only, when given), in import
        order, fetched in batches (never all texts in memory)."""
        if ids is not None:
            for start in range(0, len(ids), batch):
                chunk = list(ids[start:start + batch])
                marks = ",".join("?" * len(chunk))
                rows = self.conn.execute(
                    "SELECT a.id, a.publisher, a.title, a.published, a.published_approximate, a.text FROM articles a "
                    f"WHERE a.id IN ({marks}) AND a.current = 1 AND a.story IS NULL AND {NOT_STAGED} ORDER BY a.rowid",
                    chunk).fetchall()
                yield from (StorylessArticle(r[0], r[1], r[2] or "", r[3], bool(r[4]), r[5]) for r in rows)
            return
        last = -1
        while True:
            rows = self.conn.execute(
                "SELECT a.rowid, a.id, a.publisher, a.title, a.published, a.published_approximate, a.text "
                f"FROM articles a WHERE a.current = 1 AND a.story IS NULL AND a.rowid > ? AND {NOT_STAGED} "
                "ORDER BY a.rowid LIMIT ?",
                [last, batch]).fetchall()
            if not rows:
                return
            yield from (StorylessArticle(r[1], r[2], r[3] or "", r[4], bool(r[5]), r[6]) for r in rows)
            last = rows[-1][0]

    def assign_story(self, article_ids: Sequence[str], story: str) -> None:
        """Give ``story`` to the articles, all or none: a ``ValueError`` naming them when
        any is not a current article or already has a story (nothing is changed then)."""
        with self._write() as conn:
            marks = ",".join("?" * len(article_ids))
            rows = conn.execute(f"SELECT a.id, a.story FROM articles a WHERE a.id IN ({marks}) AND a.current = 1 "
                                f"AND {NOT_STAGED}", list(article_ids)).fetchall()
            found = {r[0]: r[1] for r in rows}
            gone = [i for i in article_ids if i not in found]
            given = [f"{i} ({found[i]})" for i in article_ids if found.get(i) is not None]
            if gone or given:
                problems = ([f"not current articles: {', '.join(gone)}"] if gone else []) + \
                    ([f"already in a story: {', '.join(given)}"] if given else [])
                raise ValueError("; ".join(problems))
            conn.execute(f"UPDATE articles SET story = ? WHERE id IN ({marks}) AND current = 1", [story, *article_ids])
