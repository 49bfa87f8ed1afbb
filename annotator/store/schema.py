"""The database's tables, triggers, indices and views, as numbered migrations: ``PRAGMA
user_version`` holds how many ran, :data:`MIGRATIONS` bring an older file up to date
without losing data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # sqlite-utils is imported where migrations need it (Connection.db)
    import sqlite_utils


def _migration_1(db: sqlite_utils.Database) -> None:
    db["outlets"].create(
        {"id": str, "name": str, "country": str, "state_affiliation": str, "data": str, "updated": str},
        pk="id",
    )
    db["articles"].create(
        {
            "id": str,
            "publisher": str,
            "original_source": str,
            "title": str,
            "url": str,
            "published": str,
            "published_approximate": int,
            "language": str,
            "story": str,
            "text": str,
            "text_sha256": str,
            "raw_text": str,
            "removed": str,
            "source_file": str,
            "source_key": str,
            "version": int,
            "supersedes": str,
            "current": int,
            "imported_at": str,
            "unverified": str,
            "word_count": int,
        },
        pk="id",
        foreign_keys=[("publisher", "outlets", "id"), ("original_source", "outlets", "id")],
        not_null={"title", "text", "text_sha256", "raw_text", "source_key"},
    )
    db["articles"].create_index(["text_sha256"], unique=True)
    db["articles"].create_index(["source_key", "current"])
    db["articles"].create_index(["current", "publisher"])
    db["articles"].create_index(["story"])
    db["articles"].enable_fts(["title", "text"], create_triggers=True, tokenize="unicode61")
    db["annotations"].create(
        {
            "uuid": str,
            "article_id": str,
            "text_sha256": str,
            "annotator": str,
            "codebook_id": str,
            "codebook_version": str,
            "category": str,
            "label": str,
            "start": int,
            "end": int,
            "quote": str,
            "prefix": str,
            "suffix": str,
            "attributes": str,
            "note": str,
            "origin": str,
            "created": str,
            "updated": str,
            "deleted": int,
        },
        pk="uuid",
        foreign_keys=[("article_id", "articles", "id")],
        not_null={"article_id", "annotator", "category", "label", "origin"},
        defaults={"deleted": 0, "origin": "human"},
    )
    db["annotations"].create_index(["article_id", "annotator", "deleted"])
    db["annotations"].create_index(["annotator", "deleted"])
    db["annotations"].create_index(["label", "deleted"])


def _migration_2(db: sqlite_utils.Database) -> None:
    """Per-annotator article status (done) and rejected suggestions."""
    db["article_status"].create(
        {"article_id": str, "annotator": str, "status": str, "updated": str},
        pk=("article_id", "annotator"),
        foreign_keys=[("article_id", "articles", "id")],
    )
    db["rejected_suggestions"].create(
        {"article_id": str, "annotator": str, "start": int, "end": int, "concept": str, "variant": str, "created": str},
        pk=("article_id", "annotator", "start", "end", "variant"),
        foreign_keys=[("article_id", "articles", "id")],
    )


def _migration_3(db: sqlite_utils.Database) -> None:
    """Indices for paging the article list in order and for per-codebook label counts."""
    db["articles"].create_index(["current"])
    db["article_status"].create_index(["annotator", "status", "article_id"])
    db["annotations"].create_index(["annotator", "deleted", "article_id"])  # covers the status filters
    db["annotations"].create_index(["codebook_id", "deleted", "category", "label"])


# Views for people who explore the database with sqlite-utils, Datasette or pandas
# (README "SQL views"). `annotator stats` computes the same numbers with filters.
VIEWS = {
    "tags": """
        SELECT n.uuid AS id, n.article_id, n.annotator, n.codebook_id AS codebook, n.codebook_version,
               n.category, n.label, n.start, n."end", n.quote, n.origin, n.created AS created_at,
               n.voice, n.concept, n.variant,
               a.publisher AS outlet, a.original_source, a.story, a.published, a.word_count
        FROM annotations n JOIN articles a ON a.id = n.article_id
        WHERE n.deleted = 0 AND n.category NOT LIKE '\\_%' ESCAPE '\\'""",
    "annotated_articles": """
        SELECT n.codebook_id AS codebook, n.article_id, n.annotator, a.publisher AS outlet, a.story,
               a.published, a.word_count, count(*) AS tags
        FROM annotations n JOIN articles a ON a.id = n.article_id
        WHERE n.deleted = 0 GROUP BY n.codebook_id, n.article_id, n.annotator""",
    "outlet_words": """
        SELECT codebook, outlet, count(*) AS annotated_articles, sum(word_count) AS words
        FROM annotated_articles GROUP BY codebook, outlet""",
    "outlet_label_stats": """
        SELECT t.codebook, t.outlet, t.category, t.label, count(*) AS tags,
               sum(t.voice = 'own') AS own_voice, sum(t.voice = 'quoted') AS quoted,
               sum(t.voice = 'scare-quoted') AS scare_quoted,
               count(DISTINCT t.article_id || char(31) || t.annotator) AS articles_with_label,
               w.annotated_articles, w.words,
               round(count(*) * 1000.0 / w.words, 3) AS per_1000_words
        FROM tags t JOIN outlet_words w ON w.codebook = t.codebook AND w.outlet IS t.outlet
        WHERE t.start IS NOT NULL
        GROUP BY t.codebook, t.outlet, t.category, t.label""",
    "concept_variant_shares": """
        SELECT codebook, outlet, concept, variant, coalesce(voice, '') AS voice, count(*) AS tags,
               round(count(*) * 1.0 / sum(count(*)) OVER (PARTITION BY codebook, outlet, concept, coalesce(voice, '')), 4)
                   AS share_in_concept
        FROM tags WHERE concept IS NOT NULL
        GROUP BY codebook, outlet, concept, variant, coalesce(voice, '')""",
    "annotator_progress": """
        SELECT u.annotator, count(*) AS annotated_articles,
               (SELECT count(*) FROM article_status s WHERE s.annotator = u.annotator AND s.status = 'done')
                   AS done_articles,
               sum(u.tags) AS annotations
        FROM (SELECT article_id, annotator, count(*) AS tags FROM annotations WHERE deleted = 0
              GROUP BY article_id, annotator) u
        GROUP BY u.annotator""",
}


# The span attributes statistics group by, copied out of the attributes JSON by triggers
# (so every writer fills them) into columns an index can cover.
STAT_ATTRIBUTES = ("voice", "concept", "variant")


def _migration_4(db: sqlite_utils.Database) -> None:
    """Statistics: attribute columns kept by triggers, covering indices, SQL views."""
    conn = db.conn
    copy = ", ".join(f"{name} = json_extract(attributes, '$.{name}')" for name in STAT_ATTRIBUTES)
    for name in STAT_ATTRIBUTES:
        conn.execute(f"ALTER TABLE annotations ADD COLUMN {name} TEXT")
    conn.execute(f"UPDATE annotations SET {copy} WHERE attributes IS NOT NULL AND attributes != '{{}}'")
    conn.execute(f"""CREATE TRIGGER annotations_stat_attributes_insert AFTER INSERT ON annotations
                     BEGIN UPDATE annotations SET {copy} WHERE rowid = NEW.rowid; END""")
    conn.execute(f"""CREATE TRIGGER annotations_stat_attributes_update AFTER UPDATE OF attributes ON annotations
                     BEGIN UPDATE annotations SET {copy} WHERE rowid = NEW.rowid; END""")
    # statistics read articles in outlet order and each article's tags from one covering index
    db["articles"].create_index(["publisher", "id", "original_source", "story", "published", "word_count"],
                                index_name="articles_statistics")
    db["annotations"].create_index(["article_id", "deleted", "codebook_id", "annotator", "category", "label",
                                    *STAT_ATTRIBUTES], index_name="annotations_statistics")
    for name, sql in VIEWS.items():
        db.conn.execute(f"DROP VIEW IF EXISTS {name}")
        db.conn.execute(f"CREATE VIEW {name} AS {sql}")


def _migration_5(db: sqlite_utils.Database) -> None:
    """Statistics by outlet without reading the articles: each annotation keeps its article's
    publisher (kept by triggers, so every writer fills it), and one covering index holds the
    live tags in the order the per-outlet tables group them (outlet, category, label, then
    annotator and article, so each annotator's reading of an article is one run of rows)."""
    conn = db.conn
    conn.execute("ALTER TABLE annotations ADD COLUMN publisher TEXT")
    conn.execute("UPDATE annotations SET publisher = (SELECT a.publisher FROM articles a WHERE a.id = annotations.article_id)")
    for event in ("INSERT", "UPDATE OF article_id"):
        name = "annotations_publisher_" + event.split()[0].lower()
        conn.execute(f"""CREATE TRIGGER {name} AFTER {event} ON annotations
                         BEGIN UPDATE annotations SET publisher = (SELECT a.publisher FROM articles a
                                                                   WHERE a.id = NEW.article_id)
                               WHERE rowid = NEW.rowid; END""")
    conn.execute("""CREATE TRIGGER articles_publisher_update AFTER UPDATE OF publisher ON articles
                    BEGIN UPDATE annotations SET publisher = NEW.publisher WHERE article_id = NEW.id; END""")
    db["annotations"].create_index(list(OUTLET_STATISTICS_COLUMNS), index_name="annotations_by_outlet")


def _migration_6(db: sqlite_utils.Database) -> None:
    """Where each annotator left off: the article they opened last (the TUI reopens it)."""
    db.conn.execute("CREATE TABLE IF NOT EXISTS reading_places (annotator TEXT PRIMARY KEY, article_id TEXT NOT NULL, "
                    "opened TEXT NOT NULL)")


# The fields of an annotation a history row keeps (its ``before`` and ``after`` JSON objects).
HISTORY_FIELDS = ("uuid", "article_id", "text_sha256", "annotator", "codebook_id", "codebook_version", "category",
                  "label", "start", "end", "quote", "prefix", "suffix", "attributes", "note", "origin", "created",
                  "updated", "deleted")
NOW_SQL = "strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')"


def _row_json(row: str) -> str:
    """SQL building the JSON object of trigger row ``row`` (``NEW`` or ``OLD``)."""
    return "json_object(" + ", ".join(f"'{name}', {row}.\"{name}\"" for name in HISTORY_FIELDS) + ")"


def _migration_7(db: sqlite_utils.Database) -> None:
    """Every change to an annotation kept: ``annotation_history`` gets a row from triggers
    (so plain-SQL writers are recorded too) on each insert, change and delete, with the
    row before and after as JSON, and who and from where as the writer put them in
    ``history_context`` inside the same transaction. ``conflict`` rows hold a merged
    version that was not applied. Written to run again harmlessly (IF NOT EXISTS)."""
    conn = db.conn
    conn.execute("""CREATE TABLE IF NOT EXISTS annotation_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL, article_id TEXT NOT NULL,
        change TEXT NOT NULL, before TEXT, after TEXT, who TEXT, source TEXT, at TEXT NOT NULL, settled TEXT)""")
    conn.execute("CREATE INDEX IF NOT EXISTS annotation_history_uuid ON annotation_history (uuid, id)")
    conn.execute("CREATE INDEX IF NOT EXISTS annotation_history_article ON annotation_history (article_id, id)")
    conn.execute("CREATE INDEX IF NOT EXISTS annotation_history_open ON annotation_history (change, settled)")
    conn.execute("CREATE TABLE IF NOT EXISTS history_context (id INTEGER PRIMARY KEY CHECK (id = 1), who TEXT, "
                 "source TEXT)")
    record = ("INSERT INTO annotation_history (uuid, article_id, change, before, after, who, source, at) "
              "VALUES ({row}.uuid, {row}.article_id, '{change}', {before}, {after}, "
              "(SELECT who FROM history_context WHERE id = 1), (SELECT source FROM history_context WHERE id = 1), "
              f"{NOW_SQL});")
    fields = ", ".join(f'"{name}"' for name in HISTORY_FIELDS)
    differs = " OR ".join(f'OLD."{name}" IS NOT NEW."{name}"' for name in HISTORY_FIELDS)
    conn.execute(f"""CREATE TRIGGER IF NOT EXISTS annotation_history_insert AFTER INSERT ON annotations BEGIN
        {record.format(row="NEW", change="created", before="NULL", after=_row_json("NEW"))} END""")
    conn.execute(f"""CREATE TRIGGER IF NOT EXISTS annotation_history_update AFTER UPDATE OF {fields} ON annotations
        WHEN {differs} BEGIN
        {record.format(row="NEW", change="changed", before=_row_json("OLD"), after=_row_json("NEW"))} END""")
    conn.execute(f"""CREATE TRIGGER IF NOT EXISTS annotation_history_delete AFTER DELETE ON annotations BEGIN
        {record.format(row="OLD", change="removed", before=_row_json("OLD"), after="NULL")} END""")


def _migration_8(db: sqlite_utils.Database) -> None:
    """Imports in short transactions (README "Storage"): each file's articles are staged,
    stored but hidden from every reader while their import is listed in ``imports``, and
    shown together when that row is deleted. ``import_state.commits`` counts committed
    imports (an import decides versions again at its commit only if another committed
    meanwhile). The full-text index follows changes of the title and text only, not of
    ``current``."""
    conn = db.conn
    conn.execute("CREATE TABLE IF NOT EXISTS imports (id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, "
                 "pid INTEGER, host TEXT, started TEXT NOT NULL, heartbeat TEXT NOT NULL, commits_seen INTEGER)")
    conn.execute("CREATE TABLE IF NOT EXISTS staged_articles (article_rowid INTEGER PRIMARY KEY, "
                 "import_id INTEGER NOT NULL, article_id TEXT NOT NULL, source_key TEXT NOT NULL, supersedes TEXT, "
                 "version INTEGER NOT NULL)")
    conn.execute("CREATE INDEX IF NOT EXISTS staged_articles_by_import ON staged_articles (import_id, supersedes)")
    conn.execute("CREATE TABLE IF NOT EXISTS import_state (id INTEGER PRIMARY KEY CHECK (id = 1), commits INTEGER NOT NULL)")
    conn.execute("INSERT OR IGNORE INTO import_state (id, commits) VALUES (1, 0)")
    conn.execute("DROP TRIGGER IF EXISTS articles_au")
    conn.execute("""CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES('delete', old.rowid, old.title, old.text);
  INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
END""")


def _migration_9(db: sqlite_utils.Database) -> None:
    """The outlet registry's history: every change of an outlet (who, when, from where, the
    outlet before and after, and the date from which a changed fact holds), which fields a
    user set (``outlets.edited``, a JSON list; ``["*"]``: the whole outlet is the user's), and
    the fingerprint of the shipped registry last merged in. Outlets already stored are taken
    as the user's (an older shipped version cannot be told from a team's own registry); the
    merge of the shipped registry gives back to it those equal to its own. Written to run
    again harmlessly."""
    conn = db.conn
    if "edited" not in {row[1] for row in conn.execute("PRAGMA table_info(outlets)")}:
        conn.execute("ALTER TABLE outlets ADD COLUMN edited TEXT")
    conn.execute("""CREATE TABLE IF NOT EXISTS outlet_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT, outlet_id TEXT NOT NULL, change TEXT NOT NULL, before TEXT,
        after TEXT, fields TEXT NOT NULL, effective TEXT, who TEXT, source TEXT, at TEXT NOT NULL)""")
    conn.execute("CREATE INDEX IF NOT EXISTS outlet_history_outlet ON outlet_history (outlet_id, id)")
    conn.execute("CREATE TABLE IF NOT EXISTS outlet_registry_state (id INTEGER PRIMARY KEY CHECK (id = 1), "
                 "shipped_sha256 TEXT)")
    conn.execute("""UPDATE outlets SET edited = '["*"]' WHERE edited IS NULL""")
    conn.execute(f"""INSERT INTO outlet_history (outlet_id, change, before, after, fields, who, source, at)
        SELECT id, 'recorded', NULL, data, '[]', NULL, 'database upgrade (the outlet as it was stored)', {NOW_SQL}
        FROM outlets o WHERE NOT EXISTS (SELECT 1 FROM outlet_history h WHERE h.outlet_id = o.id) ORDER BY id""")


def _migration_10(db: sqlite_utils.Database) -> None:
    """Assignments (``annotator assign``): which annotators are to read which article, who
    planned it, when, and the plan's settings (overlap, seed, scope)."""
    db.conn.execute("""CREATE TABLE IF NOT EXISTS assignments (
        article_id TEXT NOT NULL, annotator TEXT NOT NULL, assigned_by TEXT, at TEXT NOT NULL, plan TEXT,
        PRIMARY KEY (article_id, annotator))""")
    db.conn.execute("CREATE INDEX IF NOT EXISTS assignments_annotator ON assignments (annotator, article_id)")


def _migration_11(db: sqlite_utils.Database) -> None:
    """Time on task: the active seconds each annotator spent on each article (summed over visits)."""
    db.conn.execute("""CREATE TABLE IF NOT EXISTS active_time (
        article_id TEXT NOT NULL, annotator TEXT NOT NULL, seconds REAL NOT NULL, visits INTEGER NOT NULL,
        updated TEXT NOT NULL, PRIMARY KEY (article_id, annotator))""")


def _migration_12(db: sqlite_utils.Database) -> None:
    """The gold layer's records (``annotator review``): each gold tag's sources (the annotators'
    tags it was taken from; a row without a source: the reviewer made it), the reviewer's
    decision on each disputed place of an article, and each article's review status."""
    conn = db.conn
    conn.execute("""CREATE TABLE IF NOT EXISTS gold_sources (
        gold_uuid TEXT NOT NULL, source_uuid TEXT, source_annotator TEXT, reviewer TEXT NOT NULL, at TEXT NOT NULL,
        UNIQUE (gold_uuid, source_uuid))""")
    conn.execute("""CREATE TABLE IF NOT EXISTS review_decisions (
        article_id TEXT NOT NULL, item_key TEXT NOT NULL, decision TEXT NOT NULL, reason TEXT, reviewer TEXT NOT NULL,
        at TEXT NOT NULL, PRIMARY KEY (article_id, item_key))""")
    conn.execute("""CREATE TABLE IF NOT EXISTS review_status (
        article_id TEXT PRIMARY KEY, status TEXT NOT NULL, reviewer TEXT NOT NULL, updated TEXT NOT NULL)""")


def _migration_13(db: sqlite_utils.Database) -> None:
    """Corrections of an article's facts and tags carried to a corrected text:
    ``article_edits`` keeps one row per changed field of an article (``before`` and ``after``
    as written, who, from where, when); ``tag_moves`` one row per tag a new version of its
    article was imported for: ``moved`` (with the method that found its quote again and the
    span before and after) or ``stranded`` (its quote could not be found unambiguously: the
    tag stays on the old version, listed by ``annotator stranded``). Written to run again
    harmlessly."""
    conn = db.conn
    conn.execute("""CREATE TABLE IF NOT EXISTS article_edits (
        id INTEGER PRIMARY KEY AUTOINCREMENT, article_id TEXT NOT NULL, field TEXT NOT NULL, before TEXT,
        after TEXT, who TEXT, source TEXT, at TEXT NOT NULL)""")
    conn.execute("CREATE INDEX IF NOT EXISTS article_edits_article ON article_edits (article_id, id)")
    conn.execute("""CREATE TABLE IF NOT EXISTS tag_moves (
        id INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL, from_article TEXT NOT NULL,
        to_article TEXT NOT NULL, outcome TEXT NOT NULL, method TEXT, old_start INTEGER, old_end INTEGER,
        new_start INTEGER, new_end INTEGER, reason TEXT, who TEXT, at TEXT NOT NULL)""")
    conn.execute("CREATE INDEX IF NOT EXISTS tag_moves_uuid ON tag_moves (uuid, id)")
    conn.execute("CREATE INDEX IF NOT EXISTS tag_moves_outcome ON tag_moves (outcome, to_article)")


def _migration_14(db: sqlite_utils.Database) -> None:
    """What a merge of two databases needs to carry an undo: a rejected suggestion offered
    again is kept, marked ``withdrawn``, with the time of its last change (``updated``), as
    an article marked not done keeps its status row (``not done``). Articles are indexed by
    the article they supersede (a merge finds an article's later versions). Written to run
    again harmlessly."""
    conn = db.conn
    conn.execute("CREATE INDEX IF NOT EXISTS articles_supersedes ON articles (supersedes)")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(rejected_suggestions)")}
    if "updated" not in columns:
        conn.execute("ALTER TABLE rejected_suggestions ADD COLUMN updated TEXT")
        conn.execute("UPDATE rejected_suggestions SET updated = created")
    if "withdrawn" not in columns:
        conn.execute("ALTER TABLE rejected_suggestions ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0")


# Columns of annotations kept by triggers (copies of attributes, the article's publisher), not part of the model.
DERIVED_COLUMNS = frozenset({*STAT_ATTRIBUTES, "publisher"})
# The covering index of schema 5, in the order per-outlet statistics group and count.
OUTLET_STATISTICS_COLUMNS = ("codebook_id", "deleted", "publisher", "category", "label", "annotator", "article_id",
                             *STAT_ATTRIBUTES)


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_migration_1, _migration_2, _migration_3, _migration_4, _migration_5,
                                                            _migration_6, _migration_7, _migration_8, _migration_9,
                                                            _migration_10, _migration_11, _migration_12,
                                                            _migration_13, _migration_14]
SCHEMA_VERSION = len(MIGRATIONS)
