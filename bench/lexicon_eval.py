"""How well the default lexicon's suggestions match a trained coder's tags on unseen articles.

    python bench/lexicon_eval.py [--set dev|test|final|all] [--codebook ID|FILE] [--json] [--misses]
    python bench/lexicon_eval.py --check FILE...

The evaluation set (``tests/data/lexicon-eval/<set>/<group>.yaml``) holds sentences written
for it in the house styles of outlets on every side, each with the spans a coder tags
(concept, label, voice), written by three separate writers: ``dev`` is the part the lexicon
was tuned on; ``test`` was held out until its first measurement (bench/results.md gives
that figure), then tuned on too; ``final`` was written after all tuning and measured once.
Printed per concept and per outlet group:

* recall: gold spans overlapped by a suggestion with the same label;
* precision: suggestions overlapping a gold span with the same label;
* wrong side: suggestions overlapping a gold span of another label (kremlin-form where the
  coder saw ukraine-west-form or neutral-form, and so on);
* voice: of the suggestions counted right, those with the coder's voice;
* dated: gold spans noted ``dated-usage`` whose suggestion carries that note.

``--check`` only reads the files and names every format problem (exit 1 if any).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

EVAL_DIR = ROOT / "tests" / "data" / "lexicon-eval"
SETS = ("dev", "test", "final")  # tuned on; held out, then tuned on; written last, measured once
GROUPS = ("russian-state", "ukrainian", "wire", "western", "gulf", "chinese-state")
LABELS = ("kremlin-form", "ukraine-west-form", "neutral-form")
VOICES = ("own", "quoted", "scare-quoted")
NOTES = ("dated-usage",)


@dataclass(frozen=True)
class GoldTag:
    start: int
    end: int
    concept: str
    label: str
    voice: str
    note: str | None = None


@dataclass
class Sentence:
    id: str
    group: str
    outlet: str
    published: date
    text: str
    tags: list[GoldTag] = field(default_factory=list)


def _concepts() -> set[str]:
    from annotator.codebook import find_codebook

    book = find_codebook("ru-ua-framing")
    found = {concept.concept for category in book.categories for concept in category.lexicon}
    return found | {"russian-leader"}


def read_file(path: Path, concepts: set[str], problems: list[str]) -> list[Sentence]:
    """The sentences of one evaluation file; every problem found is appended as one line."""
    from annotator.errors import InputError
    from annotator.yaml_files import load_yaml  # the project's reader: duplicate keys, sizes, one-line errors

    try:
        data = load_yaml(path)
    except InputError as exc:
        problems.append(str(exc))
        return []
    if not isinstance(data, dict) or not isinstance(data.get("sentences"), list):
        problems.append(f"{path}: expected a mapping with `group` and a list `sentences`")
        return []
    group = data.get("group")
    if group not in GROUPS or path.stem != group:
        problems.append(f"{path}: group {group!r} must be one of {', '.join(GROUPS)} and match the file name")
    out: list[Sentence] = []
    for number, item in enumerate(data["sentences"], start=1):
        where = f"{path}: sentence {number}"
        if not isinstance(item, dict):
            problems.append(f"{where}: not a mapping")
            continue
        where = f"{path}: {item.get('id', f'sentence {number}')}"
        text, published = item.get("text"), item.get("date")
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{where}: text missing")
            continue
        if isinstance(published, str):
            try:
                published = date.fromisoformat(published)
            except ValueError:
                published = None
        if not isinstance(published, date):
            problems.append(f"{where}: date must be YYYY-MM-DD")
            continue
        if not isinstance(item.get("outlet"), str) or not isinstance(item.get("id"), str):
            problems.append(f"{where}: id and outlet are required")
            continue
        sentence = Sentence(item["id"], str(group), item["outlet"], published, text)
        tags = item.get("tags")
        if not isinstance(tags, list):
            problems.append(f"{where}: tags must be a list (empty when nothing is tagged)")
            continue
        for tag in tags:
            gold = _read_tag(tag, text, concepts, where, problems)
            if gold is not None:
                sentence.tags.append(gold)
        spans = sorted((t.start, t.end) for t in sentence.tags)
        if any(b[0] < a[1] for a, b in zip(spans, spans[1:])):
            problems.append(f"{where}: two tags overlap")
        out.append(sentence)
    return out


def _read_tag(tag: object, text: str, concepts: set[str], where: str, problems: list[str]) -> GoldTag | None:
    if not isinstance(tag, dict) or not isinstance(tag.get("quote"), str) or not tag["quote"]:
        problems.append(f"{where}: a tag without a quote: {tag!r}")
        return None
    quote, n = tag["quote"], tag.get("n", 1)
    start = -1
    for _ in range(n if isinstance(n, int) and n >= 1 else 1):
        start = text.find(quote, start + 1)
        if start < 0:
            break
    if start < 0:
        problems.append(f"{where}: quote {quote!r} (occurrence {n}) is not in the text")
        return None
    if n == 1 and text.find(quote, start + 1) >= 0 and "n" not in tag:
        problems.append(f"{where}: quote {quote!r} occurs more than once: say which with n")
    bad = [f"{key} {tag.get(key)!r}" for key, allowed in
           (("concept", concepts), ("label", LABELS), ("voice", VOICES)) if tag.get(key) not in allowed]
    if tag.get("note") is not None and tag["note"] not in NOTES:
        bad.append(f"note {tag['note']!r}")
    if bad:
        problems.append(f"{where}: {quote!r}: unknown {', '.join(bad)}")
        return None
    return GoldTag(start, start + len(quote), tag["concept"], tag["label"], tag["voice"], tag.get("note"))


def load(sets: list[str]) -> tuple[list[Sentence], list[str]]:
    concepts, problems, sentences = _concepts(), [], []
    for name in sets:
        for path in sorted((EVAL_DIR / name).glob("*.yaml")):
            sentences.extend(read_file(path, concepts, problems))
    ids = Counter(s.id for s in sentences)
    problems.extend(f"id {i!r} is used {n} times" for i, n in ids.items() if n > 1)
    return sentences, problems


@dataclass
class Tally:
    gold: int = 0
    found: int = 0
    suggested: int = 0
    right: int = 0
    wrong_side: int = 0
    voice_right: int = 0
    dated: int = 0
    dated_noted: int = 0

    def row(self) -> dict:
        return {"gold": self.gold, "recall": _ratio(self.found, self.gold), "suggested": self.suggested,
                "precision": _ratio(self.right, self.suggested), "wrong_side": self.wrong_side,
                "voice": _ratio(self.voice_right, self.right), "dated_noted": f"{self.dated_noted}/{self.dated}"}


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def score(sentences: list[Sentence], find) -> tuple[dict[str, Tally], dict[str, Tally], Tally, list[str]]:
    """Tallies per concept, per group and overall, and one line per miss or wrong suggestion."""
    by_concept: dict[str, Tally] = defaultdict(Tally)
    by_group: dict[str, Tally] = defaultdict(Tally)
    total, misses = Tally(), []
    for sentence in sentences:
        suggestions = [s for s in find(sentence) if s.category == "term"]
        for gold in sentence.tags:
            hits = [s for s in suggestions if _overlaps(s.start, s.end, gold.start, gold.end)]
            same = [s for s in hits if s.label == gold.label]
            for tally in (by_concept[gold.concept], by_group[sentence.group], total):
                tally.gold += 1
                tally.found += bool(same)
                if gold.note == "dated-usage":
                    tally.dated += 1
                    tally.dated_noted += any("dated-usage" in (getattr(s, "notes", ()) or ()) for s in same)
            if not same:
                got = ", ".join(f"{s.text!r} {s.label}" for s in hits) or "nothing"
                misses.append(f"MISS  {sentence.id}: {sentence.text[gold.start:gold.end]!r} {gold.label} ({gold.concept}); got {got}")
        for suggestion in suggestions:
            overlapping = [g for g in sentence.tags if _overlaps(suggestion.start, suggestion.end, g.start, g.end)]
            right = [g for g in overlapping if g.label == suggestion.label]
            concept = right[0].concept if right else (overlapping[0].concept if overlapping else suggestion.concept)
            for tally in (by_concept[concept], by_group[sentence.group], total):
                tally.suggested += 1
                tally.right += bool(right)
                tally.wrong_side += bool(overlapping) and not right
                tally.voice_right += bool(right) and right[0].voice == suggestion.voice
            if not right:
                kind = "WRONG" if overlapping else "EXTRA"
                misses.append(f"{kind} {sentence.id}: {suggestion.text!r} {suggestion.label}"
                              + (f" (gold {overlapping[0].label})" if overlapping else ""))
            elif right[0].voice != suggestion.voice:
                misses.append(f"VOICE {sentence.id}: {suggestion.text!r} {suggestion.voice} (gold {right[0].voice})")
    return by_concept, by_group, total, misses


def _finder(codebook: str):
    from annotator.codebook import find_codebook
    from annotator.lexicon import Matcher
    from annotator.outlets.registry import SHIPPED_REGISTRY, load_registry

    matcher = Matcher(find_codebook(codebook), outlets=load_registry(SHIPPED_REGISTRY))
    return lambda sentence: matcher.find(sentence.text, published=sentence.published.isoformat())


def _table(title: str, rows: dict[str, Tally]) -> str:
    lines = [f"\n{title}", f"{'':24} {'gold':>5} {'recall':>7} {'sugg.':>6} {'precision':>9} {'wrong side':>10} {'voice':>6} {'dated':>6}"]
    for name, tally in sorted(rows.items()):
        r = tally.row()
        lines.append(f"{name:24} {r['gold']:>5} {_pct(r['recall']):>7} {r['suggested']:>6} {_pct(r['precision']):>9} "
                     f"{r['wrong_side']:>10} {_pct(r['voice']):>6} {r['dated_noted']:>6}")
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default="all", choices=[*SETS, "all"])
    parser.add_argument("--codebook", default="ru-ua-framing")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list every miss, wrong and extra suggestion")
    parser.add_argument("--check", nargs="+", type=Path, metavar="FILE")
    args = parser.parse_args()
    if args.check:
        problems: list[str] = []
        sentences = [s for path in args.check for s in read_file(path, _concepts(), problems)]
        ids = Counter(s.id for s in sentences)
        problems.extend(f"id {i!r} is used {n} times" for i, n in ids.items() if n > 1)
        print("\n".join(problems) if problems else f"ok: {len(sentences)} sentences, {sum(len(s.tags) for s in sentences)} tags")
        return 1 if problems else 0
    sets = [name for name in SETS if (EVAL_DIR / name).is_dir()] if args.set == "all" else [args.set]
    sentences, problems = load(sets)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    by_concept, by_group, total, misses = score(sentences, _finder(args.codebook))
    if args.json:
        print(json.dumps({"set": args.set, "sentences": len(sentences), "total": total.row(),
                          "by_concept": {k: v.row() for k, v in by_concept.items()},
                          "by_group": {k: v.row() for k, v in by_group.items()}}, indent=2))
        return 0
    outlets = len({s.outlet for s in sentences})
    print(f"set {args.set}: {len(sentences)} sentences from {outlets} outlets, {total.gold} gold spans")
    print(_table("per concept", by_concept))
    print(_table("per outlet group", by_group))
    print(_table("all", {"all": total}))
    if args.misses:
        print("\n" + "\n".join(misses))
    return 0


if __name__ == "__main__":
    sys.exit(main())
