"""Review: what annotators disagree on in one article, and settling it into the gold layer.

The gold layer holds the reviewed tags of an article: tags stored under the reserved
annotator :data:`GOLD`, each with the annotators' tags it came from (or none: the reviewer
made it) and who reviewed when (the store's ``gold_sources`` and ``review_decisions``).

An article's tags are grouped into *items*: each run of overlapping span tags (of any
annotator) is one item, and each article question is one. An item is *agreed* when every
annotator of the article has the same tags there (same spans, labels and voice; the same
answers), else it is a disagreement, with what differs. An item is *settled* when the
reviewer took a decision on it (accepted a version, made their own tags, or rejected it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..codebook import Codebook
    from ..models import Annotation
    from ..store import Store
    from ..tagging import Change

GOLD = "gold"  # the gold layer's name among annotators (stats --count adjudicated counts it)
VOICE = "voice"

# review status of an article, as stored and filtered
NOT_STARTED, IN_PROGRESS, SETTLED = "not started", "in progress", "settled"
REVIEW_STATUSES = (NOT_STARTED, IN_PROGRESS, SETTLED)


@dataclass(frozen=True)
class Version:
    """One annotator's tags at an item (none: they tagged nothing there)."""

    annotator: str
    tags: tuple[Annotation, ...]

    def signature(self) -> tuple:
        """What must be equal for two versions to agree: spans, labels, voice (answers: labels)."""
        return tuple(sorted((t.start if t.start is not None else -1, t.end if t.end is not None else -1,
                             t.category, t.label, t.attributes.get(VOICE, "")) for t in self.tags))


@dataclass
class Item:
    """A place of the article (a run of overlapping spans, or a question) and every annotator's version of it."""

    key: str  # stable while the tags stay: "span:START-END" or "question:CATEGORY"
    kind: str  # "span" | "question"
    start: int | None
    end: int | None
    category: str | None  # a question's category
    versions: tuple[Version, ...]
    problem: str | None  # None: agreed; else what differs
    gold: tuple[Annotation, ...] = ()  # the gold tags here
    decision: str | None = None  # accepted / own / rejected (None: not settled)
    reason: str | None = None

    @property
    def agreed(self) -> bool:
        return self.problem is None

    @property
    def settled(self) -> bool:
        return self.decision is not None

    def version(self, annotator: str) -> Version | None:
        return next((v for v in self.versions if v.annotator == annotator), None)


@dataclass
class Review:
    """The items of one article for a reviewer."""

    article_id: str
    annotators: tuple[str, ...]
    items: list[Item] = field(default_factory=list)

    @property
    def disagreements(self) -> list[Item]:
        return [i for i in self.items if not i.agreed]

    @property
    def left(self) -> list[Item]:
        """Disagreements not settled yet."""
        return [i for i in self.items if not i.agreed and not i.settled]

    @property
    def status(self) -> str:
        if not any(i.settled for i in self.items):
            return NOT_STARTED
        return SETTLED if not self.left else IN_PROGRESS


def review_items(article_id: str, tags: Iterable[Annotation], codebook: Codebook | None,
                 decisions: dict[str, tuple[str, str | None]] | None = None) -> Review:
    """The items of an article from every live tag on it (gold ones included, as the reviewer's
    decisions): ``decisions`` maps item key → (decision, reason) as stored."""
    from ..models import ARTICLE_NOTE_CATEGORY

    tags = [t for t in tags if not t.deleted and t.category != ARTICLE_NOTE_CATEGORY]
    gold = [t for t in tags if t.annotator == GOLD]
    coded = [t for t in tags if t.annotator != GOLD]
    annotators = tuple(sorted({t.annotator for t in coded}))
    review = Review(article_id, annotators)
    decisions = decisions or {}
    for start, end, group in _span_runs([t for t in coded if t.start is not None]):
        key = f"span:{start}-{end}"
        versions = tuple(Version(a, tuple(t for t in group if t.annotator == a)) for a in annotators)
        here = tuple(t for t in gold if t.start is not None and t.start < end and start < t.end)  # type: ignore[operator]
        decision, reason = decisions.get(key, (None, None))
        review.items.append(Item(key, "span", start, end, None, versions, _span_problem(versions), here,
                                 decision, reason))
    answers: dict[tuple[str, str], list[Annotation]] = {}  # (category, annotator) → answers, in creation order
    for t in coded:
        if t.start is None:
            answers.setdefault((t.category, t.annotator), []).append(t)
    for category in sorted({c for c, _ in answers}, key=lambda c: _category_rank(codebook, c)):
        key = f"question:{category}"
        versions = tuple(Version(a, tuple(answers.get((category, a), ()))) for a in annotators)
        here = tuple(t for t in gold if t.start is None and t.category == category)
        decision, reason = decisions.get(key, (None, None))
        problem = None if len({v.signature() for v in versions}) == 1 else "answers differ"
        review.items.append(Item(key, "question", None, None, category, versions, problem, here, decision, reason))
    return review


REVIEW_BATCH = 200  # articles whose tags and decisions are read in one go


def read_review(store: Store, codebook: Codebook | None, article_id: str) -> Review:
    """An article's review as stored now."""
    decisions = {k: (d, r) for k, (d, r, _, _) in store.review_decisions(article_id).items()}
    return review_items(article_id, store.annotations(article_id), codebook, decisions)


def read_reviews(store: Store, codebook: Codebook | None, article_ids: Sequence[str]) -> Iterator[Review]:
    """The reviews of many articles, in the order given (two queries per batch of articles)."""
    for at in range(0, len(article_ids), REVIEW_BATCH):
        batch = list(article_ids[at:at + REVIEW_BATCH])
        tags, decisions = store.live_annotations_of(batch), store.review_decisions_of(batch)
        for article_id in batch:
            yield review_items(article_id, tags[article_id], codebook, decisions[article_id])


def review_statuses(reviews: Iterable[Review]) -> dict[str, tuple[int, str]]:
    """Article id → (disagreements left, review status), in the reviews' order."""
    return {r.article_id: (len(r.left), r.status) for r in reviews}


def review_order(statuses: dict[str, tuple[int, str]]) -> list[str]:
    """The articles to review: those with disagreements left first, then the others, each in the order given."""
    return sorted(statuses, key=lambda a: statuses[a][0] == 0)


def _category_rank(codebook: Codebook | None, category: str) -> tuple[int, str]:
    ids = [c.id for c in codebook.categories] if codebook is not None else []
    return (ids.index(category) if category in ids else len(ids), category)


def _span_runs(spans: Sequence[Annotation]) -> Iterable[tuple[int, int, list[Annotation]]]:
    """Runs of overlapping spans (any annotator), in text order: (start, end, tags)."""
    run: list[Annotation] = []
    run_start = run_end = 0
    for tag in sorted(spans, key=lambda t: (t.start, t.end)):
        if run and tag.start < run_end:  # type: ignore[operator]
            run.append(tag)
            run_end = max(run_end, tag.end)  # type: ignore[type-var]
            continue
        if run:
            yield run_start, run_end, run
        run, run_start, run_end = [tag], tag.start, tag.end  # type: ignore[assignment]
    if run:
        yield run_start, run_end, run


def _span_problem(versions: Sequence[Version]) -> str | None:
    """What differs between the versions of a run of spans (None: they agree)."""
    if len({v.signature() for v in versions}) == 1:
        return None
    missing = [v.annotator for v in versions if not v.tags]
    if missing:
        return "not tagged by " + ", ".join(missing)
    spans = {tuple(sorted((t.start, t.end) for t in v.tags)) for v in versions}
    labels = {tuple(sorted((t.category, t.label) for t in v.tags)) for v in versions}
    if len(labels) > 1:
        return "labels differ" + ("" if len(spans) == 1 else " (and spans)")
    if len(spans) > 1:
        return "spans differ"
    return "voices differ"


def gold_copies(tags: Iterable[Annotation], article_text_sha256: str) -> list[Annotation]:
    """Gold copies of annotators' tags (new ids, signed :data:`GOLD`, same spans, labels, voice and notes)."""
    import uuid as uuid_module

    from ..models import utc_now

    now = utc_now()
    return [t.model_copy(update={"uuid": str(uuid_module.uuid4()), "annotator": GOLD, "created": now, "updated": now,
                                 "text_sha256": article_text_sha256, "deleted": False}) for t in tags]


# -- settling: each step is one undoable change (annotator.tagging.Change) ------------------

ACCEPTED, AGREED, OWN, REJECTED = "accepted", "agreed", "own", "rejected"


def _status_after(review: Review, keys: set[str], decided: bool) -> str:
    """The article's review status once the items ``keys`` are decided (or undecided)."""
    settled = [(i.key in keys and decided) or (i.key not in keys and i.settled) for i in review.items]
    new_place = decided and bool(keys - {i.key for i in review.items})  # the reviewer's own tag elsewhere
    if not any(settled) and not new_place:
        return NOT_STARTED
    left = [i for i, done in zip(review.items, settled) if not i.agreed and not done]
    return SETTLED if not left else IN_PROGRESS


def _step(store: Store, review: Review, item_key: str, decision: str, reason: str | None, reviewer: str,
          add: list[Annotation], sources: dict[str, list[tuple[str, str]]], retire: list[str],
          before: tuple[str | None, str | None], description: str) -> Change:
    from ..tagging import Change

    article_id = review.article_id
    done, undone = _status_after(review, {item_key}, True), review.status
    added = [t.uuid for t in add]
    first = True

    def apply() -> None:
        nonlocal first
        if first:
            store.settle(article_id, item_key, decision, reason, reviewer, add=add, sources=sources, delete=retire,
                         status=done)
            first = False
        else:  # redo: the same gold tags come back
            store.settle(article_id, item_key, decision, reason, reviewer, delete=retire, undelete=added, status=done)

    def revert() -> None:
        store.settle(article_id, item_key, before[0], before[1], reviewer, delete=added, undelete=retire,
                     status=undone)

    return Change(description, apply, revert, added[0] if added else None, article_id)


def accept(store: Store, review: Review, item: Item, annotator: str, reviewer: str, text_sha256: str) -> Change:
    """Take ``annotator``'s version of ``item`` into gold (in place of any gold tags there)."""
    version = item.version(annotator)
    if version is None:
        raise ValueError(f"{annotator!r} has no version here")
    copies = gold_copies(version.tags, text_sha256)
    sources = {c.uuid: [(t.uuid, annotator)] for c, t in zip(copies, version.tags)}
    what = "nothing" if not copies else ", ".join(sorted({t.label for t in version.tags}))
    decision = ACCEPTED if copies else REJECTED  # taking a version that tagged nothing: nothing is gold here
    return _step(store, review, item.key, decision, item.reason, reviewer, copies, sources,
                 [t.uuid for t in item.gold], (item.decision, item.reason), f"accept {annotator}'s {what}")


def accept_agreed(store: Store, review: Review, reviewer: str, text_sha256: str) -> Change | None:
    """Take every agreed item not settled yet into gold (one undoable step; None: nothing to take)."""
    from ..tagging import Change

    items = [i for i in review.items if i.agreed and not i.settled]
    if not items:
        return None
    steps = []
    for item in items:
        first = item.versions[0]
        copies = gold_copies(first.tags, text_sha256)
        sources = {c.uuid: [(v.tags[k].uuid, v.annotator) for v in item.versions]
                   for k, c in enumerate(copies)}  # agreed: every version has the same tags in the same order
        steps.append(_step(store, review, item.key, AGREED, None, reviewer, copies, sources,
                           [t.uuid for t in item.gold], (item.decision, item.reason), ""))
        review = _with_decision(review, item.key, AGREED)

    def apply() -> None:
        for step in steps:
            step.apply()

    def revert() -> None:
        for step in reversed(steps):
            step.revert()

    return Change(f"accept {len(items)} agreed item(s)", apply, revert, None, review.article_id)


def reject(store: Store, review: Review, item: Item, reviewer: str) -> Change:
    """Decide that nothing at ``item`` is gold (its gold tags, if any, go)."""
    return _step(store, review, item.key, REJECTED, item.reason, reviewer, [], {}, [t.uuid for t in item.gold],
                 (item.decision, item.reason), "reject")


def own_tag(store: Store, review: Review, tag: Annotation, reviewer: str) -> Change:
    """The reviewer's own gold tag (``tag`` signed :data:`GOLD`), settling the item it falls in
    (or a new place of its own) in place of the gold tags there: how a reviewer corrects a
    span or a label."""
    item = next((i for i in review.items if i.kind == "span" and tag.start is not None
                 and i.start < tag.end and tag.start < i.end), None)  # type: ignore[operator]
    key = item.key if item is not None else f"span:{tag.start}-{tag.end}"
    before = (item.decision, item.reason) if item is not None else (None, None)
    retire = [t.uuid for t in item.gold] if item is not None else []
    return _step(store, review, key, OWN, item.reason if item else None, reviewer, [tag], {}, retire, before,
                 f"own {tag.label}")


def give_reason(store: Store, review: Review, item: Item, reason: str | None, reviewer: str) -> Change:
    """Write why the item was decided so (an undecided item is rejected with it)."""
    from ..tagging import Change

    decision = item.decision or REJECTED
    status = _status_after(review, {item.key}, True)
    return Change("reason", lambda: store.settle(review.article_id, item.key, decision, reason, reviewer, status=status),
                  lambda: store.settle(review.article_id, item.key, item.decision, item.reason, reviewer,
                                       status=review.status), None, review.article_id)


def _with_decision(review: Review, key: str, decision: str) -> Review:
    items = [Item(**{**i.__dict__, "decision": decision}) if i.key == key else i for i in review.items]
    return Review(review.article_id, review.annotators, items)
