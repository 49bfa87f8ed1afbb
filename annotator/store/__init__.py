"""SQLite storage: the only package that speaks SQL.

One :class:`Store` holds every query, grouped by tables in the modules of this package:

* :mod:`.connection`: opening a database (modes create/write/read), WAL, one connection
  per thread, the write transaction (``BEGIN IMMEDIATE``, waiting for the write lock), errors;
* :mod:`.schema`: the migrations (``PRAGMA user_version``) and the SQL views;
* :mod:`.articles`: articles and their versions, the filtered article list;
* :mod:`.article_edits`: corrections of an article's facts and their history;
* :mod:`.outlets`: the outlet registry, its history and the merge of the shipped registry;
* :mod:`.staged_imports`: imports in short transactions (staged articles);
* :mod:`.annotations`: annotations, per-annotator status, rejected suggestions, reading places;
* :mod:`.history`: the history of annotations and its conflicts;
* :mod:`.lookups`: what an imported annotation names (an article by url or title, tags by id);
* :mod:`.tag_moves`: tags carried to a corrected text of their article, and the stranded ones;
* :mod:`.merging`: ``annotator merge``: reading another database, writing what the merge decided;
* :mod:`.stats_queries`: the counts of statistics and agreement;
* :mod:`.agreement_queries`: spans, readers and article lengths for span agreement;
* :mod:`.export_queries`: the annotations of an export, and the fast CSV export's cells;
* :mod:`.assignments`: which annotators are to read which article;
* :mod:`.review`: the gold layer's sources, review decisions and review status;
* :mod:`.stories`: the stories (articles about one event) and their articles;
* :mod:`.sql`: small pieces of SQL the groups share.
"""

from __future__ import annotations

from .article_edits import ArticleEdit, ArticleEditQueries
from .agreement_queries import AgreementQueries
from .articles import Added, ArticleQueries, ArticleRow
from .assignments import AssignmentQueries
from .connection import Connection, DatabaseError, SQLiteError, StoreError, database_error_line
from .export_queries import (
    CSV_ARTICLE_CELLS, CSV_ATTRIBUTE_COLUMNS, CSV_COLUMNS, CSV_HEAD_CELLS, CSV_SEPARATOR, CSV_TAIL_CELLS,
    EXPORT_ARTICLES, EXPORT_FIELDS, ExportQueries,
)
from .history import HistoryEntry, HistoryQueries
from .lookups import LookupQueries
from .merging import MergeQueries, OtherDatabase
from .merging_team import TeamMergeQueries
from .outlets import OutletQueries
from .review import ReviewQueries
from .schema import MIGRATIONS, SCHEMA_VERSION
from .sql import STATUSES
from .staged_imports import StagedImports
from .stats_queries import StatsQueries, TagScope
from .stories import StorylessArticle, StoryQueries, StoryRow
from .tag_moves import PlannedMove, TagMove, TagMoveQueries

# What callers use. The timing constants (BUSY_TIMEOUT_MS, WRITE_WAIT_S, STALE_IMPORT_S) are
# read from annotator.store.connection when used: change them there, not here.
__all__ = [
    "CSV_ARTICLE_CELLS", "CSV_ATTRIBUTE_COLUMNS", "CSV_COLUMNS", "CSV_HEAD_CELLS", "CSV_SEPARATOR", "CSV_TAIL_CELLS",
    "EXPORT_ARTICLES", "EXPORT_FIELDS", "MIGRATIONS", "SCHEMA_VERSION", "STATUSES", "Added", "ArticleEdit", "ArticleRow",
    "DatabaseError", "HistoryEntry", "OtherDatabase", "PlannedMove", "SQLiteError", "Store", "StoreError", "StoryRow",
    "StorylessArticle", "TagMove", "TagScope", "database_error_line",
]


class Store(ArticleQueries, ArticleEditQueries, OutletQueries, StagedImports, MergeQueries, HistoryQueries, TagMoveQueries,
            StatsQueries, ExportQueries, StoryQueries, AgreementQueries, AssignmentQueries, ReviewQueries, LookupQueries,
            TeamMergeQueries, Connection):
    """A handle on one annotations database (see :class:`Connection` for ``path`` and
    ``mode``), with every group of queries. Safe to share between threads."""
