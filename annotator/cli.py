"""The ``annotator`` command line (click). Thin: it parses arguments, calls the
library and prints. Textual is imported only when the TUI is opened. The helpers every
command shares are in :mod:`annotator.commands.common`; stats, agreement and export in
:mod:`annotator.commands.stats_export`."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.text import Text

from .commands.common import (AnnotatorGroup, annotator_option, make_console, codebook_names,
                         codebook_option, creating_store_command, database_exists, db_option, fail, find_article,
                         holds_nothing, inherited, load_codebook_or_fail, print_json, resolve_db, store_command, store_in_use)
from .commands.annotations_in import import_annotations_command
from .commands.articles import article, stranded
from .commands.assign import assign
from .commands.history import history
from .commands.agreement import agreement
from .commands.merge import merge
from .commands.outlets import outlets
from .commands.report import report as report_command
from .commands.review import review
from .commands.stats_export import export_command, stats
from .commands.serve import serve, serve_session
from .commands.stories import compare, stories, story
from .normalize import json_escape_hidden, printable
from .paths import display_path

if TYPE_CHECKING:  # the store (pydantic models) is imported when used
    from .store import Store

DEMO_CORPUS = Path("corpus")


@click.group(cls=AnnotatorGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@db_option(use="group")
@annotator_option
@codebook_option
@click.pass_context
def main(ctx: click.Context, db_path: Path | None, annotator_name: str | None, codebook_ref: str | None) -> None:
    """Tag how news articles frame events, beside what is known about their outlet.

    With no command: when the database has no articles yet, imports ./corpus into it
    (creating it); then opens the TUI, or lists the articles when not run in a terminal.
    """
    if ctx.invoked_subcommand is not None:
        return
    db_path = resolve_db(db_path)
    existed = database_exists(db_path)
    what_to_do = (f"run `annotator` in the repository folder (it has {DEMO_CORPUS}/), import articles first with "
                  "`annotator import PATH`, or name another database with --db FILE")
    if not existed and not DEMO_CORPUS.is_dir():
        fail(f"no database {db_path} here and no ./{DEMO_CORPUS} folder to build it from: {what_to_do}")
    # an existing file must be an annotator database
    with store_in_use(db_path, "write" if existed else "create", existed) as store:
        _first_run(store, db_path, what_to_do, annotator_name, codebook_ref)


def _first_run(store: Store, db_path: Path, what_to_do: str, annotator_name: str | None,
               codebook_ref: str | None) -> None:
    """``annotator`` with no command: import ./corpus into a database without articles, then
    open the TUI (or list the articles when not in a terminal)."""
    if store.count_articles() == 0:
        if not DEMO_CORPUS.is_dir():
            fail(f"{db_path} has no articles and there is no ./{DEMO_CORPUS} folder: {what_to_do}")
        if not _run_import(store, [DEMO_CORPUS], None, None, None, 5) and store.count_articles() == 0:
            sys.exit(1)
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        make_console(stderr=True).print(Text("not a terminal: listing the articles instead of opening the TUI"))
        _print_articles(store, as_json=False, all_versions=False)
        return
    _open_tui(store, annotator_name, codebook_ref)


def _open_tui(store: Store | Path, annotator_name: str | None, codebook_ref: str | None, story: str | None = None,
              review: bool = False) -> None:
    """Open the TUI on ``store`` (an open store, or the database's path: created when missing);
    with ``story``, on the story screen of that story; with ``review``, on the review screen.

    The TUI draws its layout first and then reads the configuration and the codebook and
    opens the database in a worker (``annotator.tui.opening``), so its first frame does not
    wait for sqlite-utils, pydantic or the codebook. What goes wrong there (a bad
    configuration, an unknown codebook, a database that cannot be used) closes the TUI and
    is one error line here, with exit status 1."""
    from .tui.app import AnnotatorApp  # Textual is imported only here
    from .tui.opening import OpenRequest

    opened = not isinstance(store, Path)
    request = OpenRequest(
        db_path=store.path if opened else store,  # type: ignore[union-attr]
        annotator_name=inherited("annotator_name", annotator_name),
        codebook_ref=codebook_ref or inherited("codebook_ref", None),
        store=store if opened else None,
        story=story,
        review=review,
    )
    app = AnnotatorApp(request=request)
    app.run()
    app.close_store()
    if app.open_error is not None:
        fail(app.open_error)


@main.command()
@annotator_option
@codebook_option
@db_option(use="creates")
def tui(db_path: Path | None, annotator_name: str | None, codebook_ref: str | None) -> None:
    """Open the annotation TUI."""
    _open_tui(resolve_db(db_path), annotator_name, codebook_ref)


def _run_import(store: Store, paths: list[Path], manifest: Path | None, registry: Path | None,
                encoding: str | None, max_mb: float) -> bool:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from .ingest.importer import import_paths

    if store.actor is None:  # who made the outlets an import adds (outlet history)
        store.actor = _importing_annotator()
    err = make_console(stderr=True)
    out = make_console()
    with Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("import", total=None)

        def on_file(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        report = import_paths(store, paths, manifest, registry, encoding, int(max_mb * 1048576), on_file)
    for where, reason in report.rejected:
        err.print(Text("rejected: ", style="bold red") + Text(f"{where}: {reason}"))
    for where, existing in report.duplicates:
        out.print(Text("duplicate: ", style="yellow") + Text(f"{where}: same text as article {existing}, skipped"))
    for where, note in report.notes:
        out.print(Text("note: ", style="cyan") + Text(f"{where}: {note}"))
    for where, new, old in report.new_versions:
        out.print(Text("new version: ", style="green") + Text(f"{where}: {new} replaces {old}"))
    summary = Text.assemble(
        ("Imported ", "bold"), (str(len(report.imported)), "bold green"), " new article(s), ",
        (str(len(report.new_versions)), "bold green"), " new version(s); ",
        (str(len(report.duplicates)), "bold yellow"), " duplicate(s) skipped; ",
        (str(len(report.rejected)), "bold red" if report.rejected else "bold"), " rejected",
    )
    if report.skipped:
        summary.append(f"; {len(report.skipped)} non-article file(s) ignored")
    if report.tags_moved or report.tags_stranded:
        summary.append(f"; {report.tags_moved} tag(s) carried to the new versions")
    if report.tags_stranded:
        summary.append(f", {report.tags_stranded} stranded on the old ones (`annotator stranded` lists them)",
                       style="bold yellow")
    nothing_kept = click.get_current_context().meta.get("new_database") and not (report.imported or report.new_versions)
    if report.outlets_updated and not nothing_kept:  # (a new database nothing went into is not kept: see below)
        summary.append(f"; {report.outlets_updated} outlet(s) added or updated")
    out.print(summary)
    return report.ok


def _importing_annotator() -> str:
    """The name recorded for what an import changes: as for tags, but a configuration file
    that cannot be read does not stop an import (the other sources are used)."""
    from .config import Config, load_config, resolve_annotator
    from .errors import InputError

    try:
        config = load_config()
    except InputError:
        config = Config()
    return resolve_annotator(inherited("annotator_name", None), config)


MAX_MB = 1024  # --max-mb: a larger article would not fit in memory many times over


def _max_mb(value: float) -> float:
    if not (math.isfinite(value) and 0.001 <= value <= MAX_MB):
        fail(f"--max-mb {value}: must be a number of MB from 0.001 to {MAX_MB}", 2)
    return value


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--manifest", type=click.Path(path_type=Path), help="YAML or CSV manifest of per-file facts.")
@click.option("--registry", type=click.Path(path_type=Path), help="Outlet registry YAML (default: outlets.yaml in a given folder, else the shipped registry).")
@click.option("--encoding", help="Decode every file with this encoding instead of detecting it.")
@click.option("--max-mb", type=float, default=5, show_default=True, callback=lambda _c, _p, v: _max_mb(v),
              help=f"Largest article text accepted, in MB (0.001 to {MAX_MB}).")
@creating_store_command
def import_command(store: Store, paths: tuple[Path, ...], manifest: Path | None, registry: Path | None,
                   encoding: str | None, max_mb: float) -> None:
    """Import articles from files and folders (.txt .md .html .json .jsonl .csv)."""
    from .files import file_problem

    for option, path in (("--manifest", manifest), ("--registry", registry)):
        if path is not None and (problem := file_problem(path)):
            fail(f"{option} {display_path(path)}: {problem}", 2)
    if encoding:
        import codecs

        try:
            known = codecs.lookup(encoding)
        except LookupError:
            fail(f"--encoding {encoding!r}: unknown encoding", 2)
        if not getattr(known, "_is_text_encoding", True):  # rot13, base64, zlib: not a text encoding
            fail(f"--encoding {encoding!r}: not a text encoding", 2)
    ok = _run_import(store, list(paths), manifest, registry, encoding, max_mb)
    if click.get_current_context().meta.get("new_database") and holds_nothing(store):
        make_console().print(Text("note: ", style="cyan") + Text(f"no article was imported, so {display_path(store.path)} "
                                                            "was not created"))
    sys.exit(0 if ok else 1)


def _outlet_names(store: Store) -> dict[str, str]:
    return store.outlet_names()


TABLE_LIMIT = 300  # longer lists are streamed as plain lines, page by page


def _print_articles(store: Store, as_json: bool, all_versions: bool) -> None:
    current_only = not all_versions
    if as_json:
        print_json([r.__dict__ for r in store.list_articles(current_only=current_only)])
        return
    total = store.count_articles(current_only=current_only)
    names = _outlet_names(store)
    if total <= TABLE_LIMIT:
        from .readouts.render import articles_table

        console = make_console()
        rows = store.list_articles(current_only=current_only)
        console.print(articles_table(rows, names, len(rows), console.width), soft_wrap=False)
        return
    click.echo(f"{total} articles (id, date, words, tags, publisher: title)")
    for offset in range(0, total, 1000):
        for r in store.list_articles(offset=offset, limit=1000, current_only=current_only):
            publisher = names.get(r.publisher or "", r.publisher or "unknown outlet")
            click.echo(f"{r.id}  {str(r.published_date):<11} {r.word_count:>6} {r.annotations:>5}  "
                       f"{printable(publisher)}: {printable(r.title)}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.option("--all-versions", is_flag=True, help="Include older versions of re-imported articles.")
@store_command
def articles(store: Store, as_json: bool, all_versions: bool) -> None:
    """List the current articles (every version with --all-versions): id, outlets, title, date, words, tags."""
    _print_articles(store, as_json, all_versions)


@main.command()
@click.argument("article")
@click.option("--json", "as_json", is_flag=True, help="Print the whole record as JSON.")
@click.option("--history", "with_history", is_flag=True,
              help="Also every recorded correction of its facts (who, when, before and after) and where its tags were carried.")
@store_command
def show(store: Store, article: str, as_json: bool, with_history: bool = False) -> None:
    """Show one article (id, or a unique id prefix of 4+ characters) beside its outlet card(s), then its tags."""
    found = find_article(store, article)
    day = found.published  # the outlets' dated facts as they stood when it was published
    publisher, original = store.outlet_as_of(found.publisher, day), store.outlet_as_of(found.original_source, day)
    tags = store.annotations(found.id)  # live ones
    if as_json:
        data = found.model_dump(mode="json")
        data["publisher_outlet"] = publisher.model_dump(mode="json") if publisher else None
        data["original_source_outlet"] = original.model_dump(mode="json") if original else None
        data["tags"] = [a.model_dump(mode="json") for a in tags]
        if with_history:
            from .commands.articles import article_history

            data["history"] = article_history(store, found)
        print_json(data)
        return
    from .readouts.render import article_view, tags_table

    console = make_console()
    console.print(article_view(found, publisher, original, console.width), soft_wrap=False)
    console.print()
    console.print(tags_table(tags, codebook_names(), console.width), soft_wrap=False)
    if with_history:
        from .commands.articles import print_article_history

        console.print()
        print_article_history(store, found)


@main.group()
def codebook() -> None:
    """Check and show codebooks."""


@codebook.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
def codebook_check(files: tuple[Path, ...]) -> None:
    """Validate codebook files; every problem is printed as file: place: what."""
    from .codebook import load_codebook
    from .errors import InputError

    err, out, bad = make_console(stderr=True), make_console(), 0
    for file in files:
        try:
            book = load_codebook(file)
        except InputError as exc:
            bad += 1
            for line in str(exc).splitlines():
                err.print(Text("error: ", style="bold red") + Text(printable(line)))
            continue
        labels = sum(len(c.labels) for c in book.categories)
        variants = sum(len(x.variants) for c in book.categories for x in c.lexicon)
        out.print(Text(f"ok: {display_path(file)}: {book.id} {printable(book.version)}, {len(book.categories)} categories, "
                       f"{labels} labels, {variants} lexicon variants"))
    sys.exit(1 if bad else 0)


@codebook.command("show")
@click.argument("ref", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the codebook as JSON.")
@click.option("--label-studio", "label_studio", is_flag=True,
              help="Print a Label Studio labeling config (XML) for `export --format label-studio`.")
def codebook_show(ref: str | None, as_json: bool, label_studio: bool) -> None:
    """Print a codebook (id or file; default: the configured one) readably."""
    book = load_codebook_or_fail(ref)
    if label_studio:
        from .exchange.label_studio_out import label_studio_config

        click.echo(label_studio_config(book), nl=False)
        return
    if as_json:
        print_json(book.model_dump(mode="json"))
        return
    from .readouts.render import codebook_view

    make_console().print(codebook_view(book), soft_wrap=False)


@codebook.command("list")
def codebook_list() -> None:
    """List the shipped codebooks."""
    from .codebook import codebook_files, load_codebook
    from .errors import InputError

    for file in codebook_files():
        try:
            book = load_codebook(file)
        except InputError as exc:
            make_console(stderr=True).print(Text(printable(f"broken: {exc}")))
            continue
        make_console().print(Text("\t".join(printable(v) for v in (book.id, book.version, book.title, f"({file.name})"))))


@codebook.command("orphans")
@click.argument("ref", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@store_command
def codebook_orphans(store: Store, ref: str | None, as_json: bool) -> None:
    """Count tags whose label the codebook (id or file; default: the configured one) no longer has; they are kept."""
    from .orphans import find_orphans, orphan_summary

    book = load_codebook_or_fail(ref)
    orphans = find_orphans(book, store.label_usage(book.id))
    if as_json:
        print_json([{"category": o.category, "label": o.label, "codebook_versions": list(o.versions), "count": o.count}
                    for o in orphans])
        return
    out = make_console()
    if not orphans:
        out.print(Text(f"Every tag made with {book.id} uses a label of version {book.version}."))
        return
    for o in orphans:
        out.print(Text(printable(f"{o.category}/{o.label}") + f"\t{o.count} tag(s)\tmade with version(s) "
                       + printable(", ".join(o.versions))))
    out.print(Text(printable(orphan_summary(book, orphans))))


@main.command()
@click.argument("article", required=False)
@click.option("--all", "all_articles", is_flag=True, help="Every current article, as JSON lines.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@codebook_option
@store_command
def suggest(store: Store, article: str | None, all_articles: bool, as_json: bool, codebook_ref: str | None) -> None:
    """List lexicon suggestions (term variants) in one ARTICLE (id or prefix), or in every article with --all."""
    from .lexicon import Matcher

    if all_articles == (article is not None):
        fail("give one ARTICLE or --all", 2)
    matcher = Matcher(load_codebook_or_fail(codebook_ref), outlets=store.outlets())
    if all_articles:
        for found in store.iter_current_articles():
            for s in matcher.find(found.text, published=found.published):
                click.echo(json_escape_hidden(json.dumps({"article": found.id, **s.as_dict()}, ensure_ascii=False)))
        return
    found = find_article(store, article)
    suggestions = matcher.find(found.text, published=found.published)
    if as_json:
        print_json([s.as_dict() for s in suggestions])
        return
    from .readouts.render import suggestions_table

    console = make_console()
    console.print(suggestions_table(suggestions, found.title, console.width), soft_wrap=False)


main.add_command(stats)
main.add_command(agreement)
main.add_command(export_command)
main.add_command(stories)
main.add_command(compare)
main.add_command(story)
main.add_command(history)
main.add_command(outlets)
main.add_command(article)
main.add_command(stranded)
main.add_command(assign)
main.add_command(report_command)
main.add_command(review)
main.add_command(import_annotations_command)
main.add_command(merge)
main.add_command(serve)
main.add_command(serve_session)


if __name__ == "__main__":
    main()
