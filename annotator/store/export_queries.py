"""Reading annotations out for ``annotator export``: records with their article's and
outlets' context, and the fast CSV export's cells joined by SQLite."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .connection import Connection
from .schema import STAT_ATTRIBUTES


# The fields of an export, in order: annotator.exchange.export's records (its JSON schema's model
# lists the same), and its CSV columns (:data:`CSV_COLUMNS`). Each with the SQL that reads it
# (annotations n, articles a, outlets p and o) and how the fast CSV export joins it (see
# _joined_cells). The annotation's fields come first, then its article's and outlets' (from
# ``publisher`` on). ``published`` is the stored partial date as written ("~2025-07").
_EXPORT_SQL: dict[str, tuple[str, str]] = {
    "id": ("n.uuid", "p"), "article_id": ("n.article_id", "p"), "annotator": ("n.annotator", "c"),
    "codebook": ("n.codebook_id", "c"), "codebook_version": ("n.codebook_version", "c"),
    "category": ("n.category", "c"), "label": ("n.label", "c"), "start": ("n.start", "p"), "end": ('n."end"', "p"),
    "quote": ("n.quote", "p"), "prefix": ("n.prefix", "p"), "suffix": ("n.suffix", "p"),
    "text_sha256": ("n.text_sha256", "p"), "attributes": ("n.attributes", ""), "note": ("n.note", "n"),
    "origin": ("n.origin", "p"), "created_at": ("n.created", "p"), "updated_at": ("n.updated", "p"),
    "publisher": ("a.publisher", "n"), "publisher_name": ("p.name", "n"), "original_source": ("a.original_source", "n"),
    "original_source_name": ("o.name", "n"), "title": ("a.title", "n"), "url": ("a.url", "n"),
    "published": ("a.published", "n"), "language": ("a.language", "n"), "story": ("a.story", "n"),
}
EXPORT_FIELDS = tuple(_EXPORT_SQL)
# The CSV has a column for each attribute statistics group by (copied out of ``attributes``), before it.
CSV_ATTRIBUTE_COLUMNS = STAT_ATTRIBUTES
CSV_COLUMNS = tuple(column for field in EXPORT_FIELDS
                    for column in ((*CSV_ATTRIBUTE_COLUMNS, "attributes") if field == "attributes" else (field,)))


def _export_filter(annotators: Iterable[str] | None, codebook: str | None) -> tuple[list[str], list[Any]]:
    """The WHERE clauses (on ``annotations n``) and parameters of an export."""
    clauses, params = ["n.deleted = 0"], []
    if annotators is not None:
        names = list(annotators)
        clauses.append(f"n.annotator IN ({','.join('?' * len(names))})" if names else "0")
        params.extend(names)
    if codebook is not None:
        clauses.append("n.codebook_id = ?")
        params.append(codebook)
    return clauses, params


def _export_query(annotators: Iterable[str] | None, codebook: str | None,
                  rowid: int | None = None) -> tuple[str, list[Any]]:
    """The SQL of :meth:`Store.iter_annotation_exports` (``rowid``: only that annotation).
    ``CROSS JOIN`` keeps the articles as the outer loop (rowid order) so only each
    article's annotations are sorted."""
    clauses, params = _export_filter(annotators, codebook)
    join = "articles a CROSS JOIN annotations n ON n.article_id = a.id"
    if rowid is not None:
        join = "annotations n JOIN articles a ON a.id = n.article_id"  # one row: found by its rowid
        clauses.append("n.rowid = ?")
        params.append(rowid)
    sql = (
        f"SELECT {', '.join(sql for sql, _ in _EXPORT_SQL.values())}, a.published_approximate, "
        f"{', '.join('n.' + name for name in CSV_ATTRIBUTE_COLUMNS)} "
        f"FROM {join} "
        "LEFT JOIN outlets p ON p.id = a.publisher LEFT JOIN outlets o ON o.id = a.original_source "
        f"WHERE {' AND '.join(clauses)} ORDER BY a.rowid, n.start, n.created, n.rowid"
    )
    return sql, params


# The fast JSON-lines export (annotator.exchange.export.write_jsonl_fast): SQLite writes each record's
# JSON text around its attributes, with json_quote() (the same escapes as Python's json.dumps
# with ensure_ascii=False: the export checks it on this SQLite before using it) and the
# separators ", " and ": "; Python adds the attributes, written once per distinct value.
_JSON_ATTRIBUTES = EXPORT_FIELDS.index("attributes")
_JSON_PUBLISHED = "CASE WHEN a.published_approximate AND a.published IS NOT NULL THEN '~' || a.published ELSE a.published END"


def _json_members(fields: Sequence[str]) -> str:
    return " || ', ' || ".join(
        f"'\"{field}\": ' || json_quote({_JSON_PUBLISHED if field == 'published' else _EXPORT_SQL[field][0]})"
        for field in fields)


def _export_json_queries(annotators: Iterable[str] | None,
                         codebook: str | None) -> tuple[str, str, str, list[Any]]:
    """The SQL of :meth:`ExportQueries.iter_annotation_json_parts` (by
    :func:`_export_parts_queries`: the same listing of articles, the same order): each
    article's JSON members from ``publisher`` on (closing the object), and each annotation's
    JSON text before its attributes and from them to ``publisher``."""
    first_article = EXPORT_FIELDS.index("publisher")
    head = f"'{{' || {_json_members(EXPORT_FIELDS[:_JSON_ATTRIBUTES])} || ', \"attributes\": '"
    middle = f"', ' || {_json_members(EXPORT_FIELDS[_JSON_ATTRIBUTES + 1:first_article])} || ', '"
    return _export_parts_queries(annotators, codebook, f"{_json_members(EXPORT_FIELDS[first_article:])} || '}}'",
                                 f"{head}, n.attributes, {middle}, n.rowid")


def _w3c_queries(annotators: Iterable[str] | None, codebook: str | None,
                 note_category: str) -> tuple[str, str, str, list[Any]]:
    """The SQL of :meth:`ExportQueries.iter_annotation_w3c_parts` (annotator.exchange.export's
    w3c_annotation written by SQLite, shaped as :func:`_export_json_queries`): each article's
    target source (its URL, else its URN), and each annotation's JSON text before the
    source, from it to the attributes, and after them."""
    note = "n.category = " + "'" + note_category.replace("'", "''") + "'"
    motivation = f"CASE WHEN {note} THEN 'commenting' WHEN n.start IS NOT NULL THEN 'tagging' ELSE 'classifying' END"
    label_body = (f"CASE WHEN {note} THEN '' ELSE '{{\"type\": \"TextualBody\", \"purpose\": \"' || {motivation} "
                  "|| '\", \"value\": ' || json_quote(n.label) || '}' END")
    note_body = (f"CASE WHEN n.note IS NULL THEN '' ELSE (CASE WHEN {note} THEN '' ELSE ', ' END) || "
                 "'{\"type\": \"TextualBody\", \"purpose\": \"commenting\", \"value\": ' || json_quote(n.note) "
                 "|| ', \"format\": \"text/plain\"}' END")
    optional = " || ".join(f"CASE WHEN n.{k} IS NOT NULL AND n.{k} != '' THEN ', \"{k}\": ' || json_quote(n.{k}) ELSE '' END"
                           for k in ("prefix", "suffix"))
    selector = ("CASE WHEN n.start IS NULL THEN '' ELSE ', \"selector\": [{\"type\": \"TextQuoteSelector\", "
                f"\"exact\": ' || json_quote(n.quote) || {optional} || '}}, {{\"type\": \"TextPositionSelector\", "
                "\"start\": ' || n.start || ', \"end\": ' || json_quote(n.\"end\") || '}]' END")
    before_source = (
        "'{\"id\": ' || json_quote('urn:uuid:' || n.uuid) || ', \"type\": \"Annotation\", \"motivation\": \"' || "
        f"{motivation} || '\", \"creator\": {{\"type\": \"Person\", \"name\": ' || json_quote(n.annotator) || "
        "'}, \"created\": ' || json_quote(n.created) || ', \"modified\": ' || json_quote(n.updated) || "
        "', \"generator\": {\"type\": \"Software\", \"name\": \"annotator\"}, \"body\": [' || "
        f"{label_body} || {note_body} || '], \"target\": {{\"source\": '")
    members = [("annotator:article", "n.article_id"), ("annotator:textSha256", "n.text_sha256"),
               ("annotator:codebook", "n.codebook_id"), ("annotator:codebookVersion", "n.codebook_version"),
               ("annotator:category", "n.category"), ("annotator:label", "n.label")]
    to_attributes = (f"{selector} || '}}, ' || " + " || ', ' || ".join(f"'\"{k}\": ' || json_quote({v})" for k, v in members)
                     + " || ', \"annotator:attributes\": '")
    after = "', \"annotator:origin\": ' || json_quote(n.origin) || '}'"
    source = "json_quote(CASE WHEN a.url IS NOT NULL AND a.url != '' THEN a.url ELSE 'urn:annotator:article:' || a.id END)"
    return _export_parts_queries(annotators, codebook, source,
                                 f"{before_source}, {to_attributes}, n.attributes, {after}, n.rowid", outlets=False)


def _export_record(row: tuple) -> dict[str, Any]:
    record = dict(zip(EXPORT_FIELDS, row))
    record["attributes"] = json.loads(record["attributes"] or "{}")
    if record["published"] is not None and row[len(EXPORT_FIELDS)]:
        record["published"] = "~" + record["published"]
    return record


# The fast CSV export (annotator.exchange.export.write_csv_fast): SQLite joins the cells of each
# row, separated by CSV_SEPARATOR, into UTF-8 bytes, so Python handles three values per
# row instead of 31 and only checks them for CSV quoting and the spreadsheet guard (most
# rows need neither). The separator is the byte 0xFF, which no UTF-8 text holds (and the
# sqlite3 module only stores UTF-8 text), so no cell can be taken for two. printf()
# writes NULL as '' but ends a value at a NUL character, so
# it only takes cells that cannot hold one: ids and hashes, offsets, times, the origin,
# and quote, prefix and suffix (cut from the article's text, which import keeps free of
# control characters). Free text (names, labels, notes, the article's fields) is joined
# with || (a NUL kept; a NULL where none is expected makes the whole part NULL, and that
# row is exported from its cells instead). Attribute columns come from the attributes.
CSV_SEPARATOR = b"\xff"
_SQL_SEPARATOR = f"CAST(x'{CSV_SEPARATOR.hex()}' AS TEXT)"
_ATTRIBUTES, _ARTICLE = EXPORT_FIELDS.index("attributes"), EXPORT_FIELDS.index("publisher")
# the CSV's partial date carries its "~" (a record gets it in Python: _export_record)
_CSV_PUBLISHED = "CASE WHEN a.published_approximate AND a.published IS NOT NULL THEN '~' || a.published ELSE a.published END"


def _cells(fields: Sequence[str]) -> tuple[str, ...]:
    """The cells (``"EXPR KIND"``) of some export fields, for :func:`_joined_cells`."""
    return tuple(f"{_CSV_PUBLISHED if field == 'published' else _EXPORT_SQL[field][0]} {_EXPORT_SQL[field][1]}"
                 for field in fields)


# The three parts of a CSV row that SQLite joins: the annotation's cells up to ``text_sha256``
# (then the attribute columns and ``attributes``: see Store.attribute_columns), the
# annotation's from ``note``, and its article's and outlets' (read once per article).
CSV_HEAD_CELLS = _cells(EXPORT_FIELDS[:_ATTRIBUTES])
CSV_TAIL_CELLS = _cells(EXPORT_FIELDS[_ATTRIBUTES + 1:_ARTICLE])
CSV_ARTICLE_CELLS = _cells(EXPORT_FIELDS[_ARTICLE:])


def _joined_cells(cells: Sequence[str]) -> str:
    """SQL of one BLOB: the cells (``"EXPR KIND"``; kind ``p``: by printf, ``c``: by ||,
    ``n``: by || with NULL as '') joined by :data:`CSV_SEPARATOR`."""
    parts: list[str] = []
    formats: list[bytes] = []
    values: list[str] = []

    def printf() -> str:  # the format as a BLOB literal made TEXT: it holds the separator byte
        return f"printf(CAST(x'{b''.join(formats).hex()}' AS TEXT), {', '.join(values)})"

    for i, cell in enumerate(cells):
        expr, kind = cell.rsplit(" ", 1)
        last = i == len(cells) - 1
        if kind == "p":
            formats.append(b"%s" if last else b"%s" + CSV_SEPARATOR)
            values.append(expr)
            continue
        if formats:
            parts.append(printf())
            formats, values = [], []
        parts.append(f"ifnull({expr}, '')" if kind == "n" else expr)
        if not last:
            parts.append(_SQL_SEPARATOR)
    if formats:
        parts.append(printf())
    return f"CAST({' || '.join(parts)} AS BLOB)"


# The articles with exported tags (rowid, id), listed by the fast CSV export: scanned in
# rowid order it gives the export's order without reading the articles table (its rows are
# on the pages of the articles' texts: some 400 MB for 100,000 articles).
EXPORT_ARTICLES = "temp.annotator_export_articles"


def _export_parts_queries(annotators: Iterable[str] | None, codebook: str | None, article_cells: str,
                          annotation_cells: str, outlets: bool = True) -> tuple[str, str, str, list[Any]]:
    """The three statements every fast export runs (:meth:`ExportQueries._iter_export_parts`):
    the statement that lists the articles with exported annotations in :data:`EXPORT_ARTICLES`
    (a scan of the index of article ids, each probing the annotations' index; ``params``),
    the query of ``article_cells`` of those articles in rowid order (``outlets``: with the
    publisher ``p`` and original source ``o`` joined), and the query of ``annotation_cells``
    (over ``annotations n``; ``params``) in the order of :func:`_export_query`, which needs only
    each article's annotations sorted. None reads an article's text."""
    clauses, params = _export_filter(annotators, codebook)
    where = " AND ".join(clauses)
    fill = (f"INSERT INTO {EXPORT_ARTICLES} SELECT a.rowid, a.id FROM articles a "
            f"WHERE EXISTS (SELECT 1 FROM annotations n WHERE n.article_id = a.id AND {where})")
    joins = ("LEFT JOIN outlets p ON p.id = a.publisher LEFT JOIN outlets o ON o.id = a.original_source "
             if outlets else "")
    articles = (f"SELECT t.rowid, {article_cells} FROM {EXPORT_ARTICLES} t "
                f"CROSS JOIN articles a ON a.rowid = t.rowid {joins}ORDER BY t.rowid")
    annotations = (f"SELECT t.rowid, {annotation_cells} FROM {EXPORT_ARTICLES} t "
                   f"CROSS JOIN annotations n ON n.article_id = t.id WHERE {where} "
                   "ORDER BY t.rowid, n.start, n.created, n.rowid")
    return fill, articles, annotations, params


def _export_csv_queries(annotators: Iterable[str] | None,
                        codebook: str | None) -> tuple[str, str, str, list[Any]]:
    """The SQL of :meth:`Store.iter_annotation_csv_parts`: each article's cells, and each
    annotation's cells before and after its attributes (see :func:`_joined_cells`)."""
    return _export_parts_queries(
        annotators, codebook, _joined_cells(CSV_ARTICLE_CELLS),
        f"{_joined_cells(CSV_HEAD_CELLS)}, n.attributes, {_joined_cells(CSV_TAIL_CELLS)}, n.rowid")


def _export_row_queries(annotators: Iterable[str] | None,
                        codebook: str | None) -> tuple[str, str, str, list[Any]]:
    """The SQL of :meth:`Store.iter_annotation_export_rows_fast`: the plain values of
    :func:`_export_query` instead of joined cells: each article's fields once (then
    ``published_approximate``), each annotation's fields (then the attribute columns)."""
    fields = [sql for sql, _ in _EXPORT_SQL.values()]
    return _export_parts_queries(
        annotators, codebook, f"{', '.join(fields[_ARTICLE:])}, a.published_approximate",
        f"{', '.join(fields[:_ARTICLE])}, {', '.join('n.' + c for c in CSV_ATTRIBUTE_COLUMNS)}")


class ExportQueries(Connection):
    """Streaming the annotations of an export (memory stays flat)."""

    def iter_annotation_exports(
        self, annotators: Iterable[str] | None = None, codebook: str | None = None, batch: int = 1000,
    ) -> Iterator[dict[str, Any]]:
        """Every live annotation with its article's and outlets' context, as plain dicts keyed
        by :data:`EXPORT_FIELDS`, ordered by article (import order), then start (article-level
        tags first), then creation. Optionally only some annotators' or one codebook's.

        A generator over one cursor read ``batch`` rows at a time (one consistent read
        snapshot): memory stays flat however many annotations there are. The join is driven
        by the articles table so the order needs no sort of the whole result, only of each
        article's annotations."""
        for row in self.iter_annotation_export_rows(annotators, codebook, batch):
            yield _export_record(row)

    def iter_annotation_export_rows(
        self, annotators: Iterable[str] | None = None, codebook: str | None = None, batch: int = 1000,
        rowid: int | None = None,
    ) -> Iterator[tuple]:
        """The rows behind :meth:`iter_annotation_exports` as tuples: :data:`EXPORT_FIELDS`
        (``attributes`` as stored JSON, ``published`` without its ``~``), then
        ``published_approximate``, ``voice``, ``concept``, ``variant`` (for CSV). ``rowid``:
        only the annotation with that rowid."""
        sql, params = _export_query(annotators, codebook, rowid)
        cursor = self.conn.execute(sql, params)
        try:
            while rows := cursor.fetchmany(batch):
                yield from rows
        finally:
            cursor.close()

    def iter_annotation_export_rows_fast(
        self, annotators: Iterable[str] | None = None, codebook: str | None = None, batch: int = 2000,
    ) -> Iterator[tuple]:
        """The rows of :meth:`iter_annotation_export_rows`, the same tuples in the same order,
        each article's fields read once (not once per tag: its row shares pages with its text)."""
        split, known = 1 + _ARTICLE, {}
        for articles, rows in self._iter_export_parts(_export_row_queries(annotators, codebook), batch, True):
            known.update(articles)  # (a batch may go on with the article the one before started)
            for row in rows:
                yield row[1:split] + known[row[0]] + row[split:]
            known = {rowid: part for rowid, part in known.items() if rowid >= rows[-1][0]}  # (read ahead)

    def iter_annotation_w3c_parts(
        self, note_category: str, annotators: Iterable[str] | None = None, codebook: str | None = None,
        batch: int = 2000,
    ) -> Iterator[tuple[dict[int, str], list[tuple]]]:
        """The W3C Web Annotations of :meth:`iter_annotation_exports`' records, in the same
        order, written by SQLite (:func:`_w3c_queries`): ``(articles, rows)`` per ``batch``
        rows; a row is ``(article rowid, head, middle, attributes, tail, annotation rowid)``,
        its annotation ``head + articles[article rowid] + middle + attributes as JSON + tail``."""
        return self._iter_export_parts(_w3c_queries(annotators, codebook, note_category), batch)

    def json_quote(self, text: str) -> str:
        """SQLite's JSON string literal of ``text`` (the fast export checks it writes Python's)."""
        return self.conn.execute("SELECT json_quote(?)", [text]).fetchone()[0]

    def export_article_text(self, article_id: str) -> str | None:
        """The canonical text of one article (any version), for exports that carry the
        text with its tags (other tools' formats); None when there is no such article."""
        row = self.conn.execute("SELECT text FROM articles WHERE id = ?", [article_id]).fetchone()
        return None if row is None else row[0]

    def attribute_columns(self, attributes: str | None) -> tuple[str | None, ...]:
        """The ``voice``, ``concept`` and ``variant`` columns that an annotation with these
        stored ``attributes`` holds: what the triggers of schema 4 copy out of them (the
        same SQL), so the fast CSV export reads them once per distinct attributes value."""
        copy = ", ".join(f"CAST(json_extract(?1, '$.{name}') AS TEXT)" for name in STAT_ATTRIBUTES)
        return tuple(self.conn.execute(f"SELECT {copy}", [attributes]).fetchone())

    def iter_annotation_csv_parts(
        self, annotators: Iterable[str] | None = None, codebook: str | None = None, batch: int = 500,
    ) -> Iterator[tuple[dict[int, bytes | None], list[tuple]]]:
        """The rows of :meth:`iter_annotation_export_rows`, in the same order, with their
        cells joined by SQLite (see :data:`CSV_SEPARATOR`), for the fast CSV export. Yields
        ``(articles, rows)`` per ``batch`` rows; a row is ``(article rowid, head, attributes,
        tail, annotation rowid)``: ``head`` the cells up to ``text_sha256``, ``attributes`` as
        stored (``voice``, ``concept``, ``variant`` follow from it: :meth:`attribute_columns`), ``tail`` the cells from ``note`` to ``updated_at``. ``articles`` maps the
        articles whose rows start in this batch to their cells (``publisher`` to ``story``),
        read once per article. One read snapshot (a transaction of its own unless one is
        open); the articles with exported tags are listed, in rowid order, in a temporary
        table (:data:`EXPORT_ARTICLES`) of this connection. Memory stays flat."""
        return self._iter_export_parts(_export_csv_queries(annotators, codebook), batch)

    def iter_annotation_json_parts(
        self, annotators: Iterable[str] | None = None, codebook: str | None = None, batch: int = 2000,
    ) -> Iterator[tuple[dict[int, str], list[tuple]]]:
        """The records of :meth:`iter_annotation_exports`, in the same order, as JSON text
        written by SQLite (:func:`_export_json_queries`), read as
        :meth:`iter_annotation_csv_parts` reads its cells: ``(articles, rows)`` per ``batch``
        rows; a row is ``(article rowid, head, attributes, middle, annotation rowid)``, its
        record ``head + attributes as JSON + middle + articles[article rowid]``."""
        return self._iter_export_parts(_export_json_queries(annotators, codebook), batch)

    def _iter_export_parts(self, queries: tuple[str, str, str, list[Any]], batch: int,
                           fields: bool = False) -> Iterator[tuple[dict, list]]:
        """Rows of the annotations query with the cells of the articles they start in this batch
        (``fields``: each article's columns after its rowid as a tuple, else its one cell)."""
        fill_sql, articles_sql, annotations_sql, params = queries
        conn = self.conn
        own = not conn.in_transaction
        if own:
            conn.execute("BEGIN")
        try:
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {EXPORT_ARTICLES.split('.')[1]} "
                         "(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL)")
            conn.execute(f"DELETE FROM {EXPORT_ARTICLES}")
            conn.execute(fill_sql, params)
            annotations = conn.execute(annotations_sql, params)
            articles = conn.execute(articles_sql)
            try:
                while rows := annotations.fetchmany(batch):
                    last = rows[-1][0]
                    parts: dict[int, bytes | None] = {}
                    for article in articles:
                        rowid = article[0]
                        parts[rowid] = article[1:] if fields else article[1]
                        if rowid >= last:
                            break
                    yield parts, rows
            finally:
                annotations.close()
                articles.close()
            conn.execute(f"DELETE FROM {EXPORT_ARTICLES}")
        finally:
            if own and conn.in_transaction:
                conn.execute("COMMIT")  # it only read (and wrote the temporary table)
