"""Floors of the team commands, each in a process of its own (started by ``bench/run.py``).

Each prints one JSON object on its last line of stdout.

    python bench/team_probes.py parquet-floor DB OUT
    python bench/team_probes.py filtered-stats-floor DB (--story ID | --since DATE --until DATE)
    python bench/team_probes.py agreement-floor DB
    python bench/team_probes.py merge-floor DB OTHER

``parquet-floor``: every live tag with its article's outlet, read by plain SQL, written
with pyarrow in row groups of 50,000 (no cells made, no checks). ``filtered-stats-floor``:
the statistics floor's GROUP BY over the tags of one story's (or one period's) articles.
``agreement-floor``: the coded units (article, annotator, category, label) of every
question and span category by plain SQL, and one nominal Krippendorff's alpha per category
from the ``krippendorff`` package over them. ``merge-floor``: the other database's
annotation rows copied into this one (ATTACH, INSERT OR IGNORE ... SELECT) in one
transaction: what SQLite alone costs to bring the tags over.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from probes import emit, peak_rss_kb  # noqa: E402

EXPORT_SQL = (
    "SELECT n.uuid, n.article_id, a.publisher, a.original_source, n.annotator, n.codebook_id, "
    "n.codebook_version, n.category, n.label, n.start, n.\"end\", n.quote, n.prefix, n.suffix, "
    "n.attributes, n.note, n.origin, n.created, n.updated FROM annotations n "
    "JOIN articles a ON a.id = n.article_id WHERE n.deleted = 0")


def _read_only(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def parquet_floor(args: argparse.Namespace) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    conn = _read_only(args.db)
    started = time.perf_counter()
    cursor = conn.execute(EXPORT_SQL)
    names = [d[0] for d in cursor.description]
    schema = pa.schema([(n, pa.int64() if n in ("start", "end") else pa.string()) for n in names])
    count = 0
    with pq.ParquetWriter(str(args.out), schema) as writer:
        while rows := cursor.fetchmany(50_000):
            columns = list(zip(*rows))
            writer.write_table(pa.Table.from_arrays([pa.array(c, type=f.type) for c, f in zip(columns, schema)],
                                                    schema=schema))
            count += len(rows)
    emit({"seconds": time.perf_counter() - started, "rows": count, "peak_rss_kb": peak_rss_kb()})


def filtered_stats_floor(args: argparse.Namespace) -> None:
    conn = _read_only(args.db)
    if args.story:
        where, params = "a.story = ?", [args.story]
    else:
        where, params = "a.published >= ? AND a.published <= ?", [args.since, args.until + "~"]
    started = time.perf_counter()
    rows = conn.execute(
        "SELECT a.publisher, n.category, n.label, n.voice, count(*) FROM articles a "
        f"JOIN annotations n ON n.article_id = a.id WHERE a.current = 1 AND {where} AND n.deleted = 0 "
        "GROUP BY a.publisher, n.category, n.label, n.voice", params).fetchall()
    emit({"seconds": time.perf_counter() - started, "rows": len(rows), "tags": sum(r[-1] for r in rows)})


def agreement_floor(args: argparse.Namespace) -> None:
    import krippendorff
    import numpy as np

    conn = _read_only(args.db)
    started = time.perf_counter()
    units: dict[str, dict[tuple[str, int | None], dict[str, str]]] = defaultdict(lambda: defaultdict(dict))
    for article, annotator, category, label, start in conn.execute(
            "SELECT article_id, annotator, category, label, start FROM annotations WHERE deleted = 0"):
        units[category][(article, start)][annotator] = label
    alphas = {}
    for category, coded in units.items():
        annotators = sorted({a for codes in coded.values() for a in codes})
        values = sorted({v for codes in coded.values() for v in codes.values()})
        if len(values) < 2 or len(annotators) < 2:
            continue
        index = {v: i for i, v in enumerate(values)}
        counts = np.zeros((len(coded), len(values)), dtype=int)
        for row, codes in enumerate(coded.values()):
            if len(codes) < 2:
                continue
            for value in codes.values():
                counts[row, index[value]] += 1
        counts = counts[counts.sum(axis=1) >= 2]
        if len(counts):
            alphas[category] = float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal"))
    emit({"seconds": time.perf_counter() - started, "categories": len(alphas), "peak_rss_kb": peak_rss_kb()})


def merge_floor(args: argparse.Namespace) -> None:
    conn = sqlite3.connect(str(args.db), isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("ATTACH DATABASE ? AS other", [f"file:{args.other}?mode=ro"])
    columns = [d[0] for d in conn.execute("SELECT * FROM other.annotations LIMIT 0").description]
    names = ", ".join(f'"{c}"' for c in columns)
    started = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    copied = conn.execute(f"INSERT OR IGNORE INTO main.annotations ({names}) SELECT {names} FROM other.annotations"
                          ).rowcount
    conn.execute("COMMIT")
    emit({"seconds": time.perf_counter() - started, "rows": copied})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="probe", required=True)
    p = sub.add_parser("parquet-floor")
    p.add_argument("db", type=Path)
    p.add_argument("out", type=Path)
    p = sub.add_parser("filtered-stats-floor")
    p.add_argument("db", type=Path)
    p.add_argument("--story")
    p.add_argument("--since")
    p.add_argument("--until")
    p = sub.add_parser("agreement-floor")
    p.add_argument("db", type=Path)
    p = sub.add_parser("merge-floor")
    p.add_argument("db", type=Path)
    p.add_argument("other", type=Path)
    args = parser.parse_args()
    {"parquet-floor": parquet_floor, "filtered-stats-floor": filtered_stats_floor, "agreement-floor": agreement_floor,
     "merge-floor": merge_floor}[args.probe](args)


if __name__ == "__main__":
    main()
