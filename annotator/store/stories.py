"""Stories: the groups of current articles that report the same event (an article's ``story``)."""

from __future__ import annotations

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


class StoryQueries(Connection):
    """The stories and their articles."""

    def stories(self) -> list[StoryRow]:
        """Every story of the current articles, by id."""
        rows = self.conn.execute(
            "SELECT a.story, count(*), group_concat(coalesce(a.publisher, ''), char(31)), "
            "min(a.published), max(a.published) "
            f"FROM (SELECT story, publisher, published FROM articles a WHERE a.current = 1 AND a.story IS NOT NULL "
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
