"""Codebooks: what annotators can tag (categories, labels, keys, attributes, lexicon).

A codebook is a YAML file validated by :class:`Codebook`. Every problem found
is reported as ``file: place: what`` with ``place`` like
``categories[2].labels[5].key``, never as a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date as calendar_date
from enum import Enum
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import InputError
from .models import FIELD_LIMITS, Guidelines, Name, NoteText, at_most
from .paths import display_path
from .pattern_safety import backtracking_risk
from .yaml_files import load_yaml

ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
CODEBOOK_DIR = Path(__file__).resolve().parent / "data" / "codebooks"  # shipped inside the package
DEFAULT_CODEBOOK_ID = "ru-ua-framing"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _check_id(value: str) -> str:
    if not ID_RE.match(value):
        raise ValueError(f"{value!r} is not an id (lower-case letters, digits, '-' and '_')")
    return value


def _check_key(value: str | None) -> str | None:
    if value is None:
        return None
    if len(value) != 1 or not value.isprintable() or value.isspace():
        raise ValueError(f"{value!r} is not a key: use one printable character (letters, digits, punctuation)")
    return value


def _check_color(value: str) -> str:
    from rich.color import Color, ColorParseError

    try:
        Color.parse(value)
    except ColorParseError:
        raise ValueError(f"{value!r} is not a colour (use a name like 'red' or '#rrggbb')") from None
    return value


class Kind(str, Enum):
    span = "span"
    article = "article"


class Cardinality(str, Enum):
    single = "single"
    multi = "multi"


class Order(str, Enum):
    """An article question's level of measurement (for agreement): nominal (labels are
    names), ordinal (ranked in the order written), interval or ratio (each label has a
    numeric ``value``; ratio values have a true zero, so they may not be negative)."""

    nominal = "nominal"
    ordinal = "ordinal"
    interval = "interval"
    ratio = "ratio"


class Case(str, Enum):
    insensitive = "insensitive"
    sensitive = "sensitive"


class AttributeValue(_Model):
    id: Name
    name: Name
    description: NoteText | None = None

    _id = field_validator("id")(_check_id)


class Attribute(_Model):
    """A property a span tag can carry, e.g. voice: own / quoted / scare-quoted."""

    id: Name
    name: Name
    description: NoteText | None = None
    values: list[AttributeValue] = Field(min_length=1)
    default: Name | None = None

    _id = field_validator("id")(_check_id)

    @model_validator(mode="after")
    def _default_known(self) -> "Attribute":
        ids = [v.id for v in self.values]
        for number, value_id in enumerate(ids):
            if ids.index(value_id) != number:
                raise ValueError(f"values[{number}].id {value_id!r} is used twice")
        if self.default is not None and self.default not in ids:
            raise ValueError(f"default {self.default!r} is not one of the values ({', '.join(ids)})")
        return self


class Label(_Model):
    id: Name
    name: Name
    description: NoteText
    example: NoteText | None = None
    key: str | None = None
    color: str = "yellow"
    value: float | None = Field(default=None, description="the label's number, for questions with order interval or ratio")

    _id = field_validator("id")(_check_id)
    _key = field_validator("key")(_check_key)
    _color = field_validator("color")(_check_color)


def _check_pattern(pattern: str) -> str:
    # Compiled the way the lexicon Matcher uses it (inside a group), so a pattern that
    # only works at the top level (global flags like "(?i)") is refused here, not in the TUI.
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{pattern!r} is not a valid regular expression ({exc})") from None
    try:
        re.compile(f"(?:{pattern})")
    except re.error as exc:
        raise ValueError(f"{pattern!r} cannot be used inside the lexicon ({exc}); "
                         "set case with the variant's `case`, or scope flags as (?i:...)") from None
    if compiled.match(""):
        raise ValueError(f"{pattern!r} matches empty text")
    risk = backtracking_risk(pattern)
    if risk:
        raise ValueError(f"{pattern!r} may take exponential time on some texts ({risk}); "
                         "write it so that no repeated part can match the same text in two ways")
    return pattern


def _check_term(term: str) -> str:
    if not term.strip():
        raise ValueError("is empty")
    from .lexicon.terms import TermSyntaxError, check_term

    try:
        check_term(term)
    except TermSyntaxError as exc:
        raise ValueError(f"{term!r}: {exc}") from None
    return term


Pattern = Annotated[str, AfterValidator(at_most(FIELD_LIMITS["pattern"])), AfterValidator(_check_pattern)]
Term = Annotated[Name, AfterValidator(_check_term)]


def _iso_date(value: str) -> str:
    try:
        calendar_date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date written YYYY-MM-DD") from None
    return value


class ContextRule(_Model):
    """What a match of a variant becomes when the words around it, in its sentence, say so.

    Rules are tried in order and the first that applies decides; a rule with neither
    ``before`` nor ``after`` always applies (a last rule for "otherwise")."""

    before: Pattern | None = Field(default=None, description="searched (any case) in the sentence before the match")
    after: Pattern | None = Field(default=None, description="searched (any case) in the sentence after the match")
    published_before: Name | None = Field(default=None, description="YYYY-MM-DD: the rule applies only to articles published before it")
    then: Literal["keep", "relabel", "skip"] = Field(
        description="keep the variant's side; relabel it (with label and alignment); skip: no suggestion")
    label: Name | None = Field(default=None, description="with then: relabel, the label suggested instead")
    alignment: Name | None = Field(default=None, description="with then: relabel, the side suggested instead")
    why: NoteText = Field(description="shown with the suggestion: what in the context decided it")

    @field_validator("published_before")
    @classmethod
    def _iso_date(cls, value: str | None) -> str | None:
        return None if value is None else _iso_date(value)

    @model_validator(mode="after")
    def _relabel_says_to_what(self) -> "ContextRule":
        if (self.then == "relabel") != (self.label is not None and self.alignment is not None):
            raise ValueError("a rule relabels exactly when it gives both label and alignment (then: relabel)")
        return self


class DatedUsage(_Model):
    """Before this date the variant was ordinary usage, not a side taken (a house style of its time)."""

    before: Name = Field(description="YYYY-MM-DD: articles published before it get the note")
    why: NoteText = Field(description="shown with the suggestion, with a public source")

    _before = field_validator("before")(_iso_date)


class Variant(_Model):
    """One way of naming a concept, the side it signals, and the terms that match it."""

    id: Name
    name: Name | None = None
    alignment: Name
    label: Name = Field(description="id of the category label a match is tagged with")
    terms: list[Term] = []
    patterns: list[Pattern] = Field(default=[], description="regular expressions, for forms terms cannot express")
    case: Case = Case.insensitive
    context: list[ContextRule] = Field(default=[], description="rules that keep, relabel or skip a match by its sentence")
    dated: list[DatedUsage] = Field(default=[], description="dates before which the variant was ordinary usage")

    _id = field_validator("id")(_check_id)

    @model_validator(mode="after")
    def _has_terms(self) -> "Variant":
        if not self.terms and not self.patterns:
            raise ValueError("the variant has no terms or patterns (an empty lexicon entry)")
        return self


class Concept(_Model):
    concept: Name
    description: NoteText | None = None
    variants: list[Variant] = Field(min_length=1)

    _id = field_validator("concept")(_check_id)


class Category(_Model):
    id: Name
    name: Name
    kind: Kind
    cardinality: Cardinality = Cardinality.multi
    order: Order = Order.nominal
    description: NoteText | None = None
    guideline: NoteText | None = None
    attributes: list[Name] = Field(default=[], description="ids of codebook attributes span tags of this category carry")
    labels: list[Label] = Field(min_length=1)
    lexicon: list[Concept] = []

    _id = field_validator("id")(_check_id)

    def label(self, label_id: str) -> Label | None:
        return next((l for l in self.labels if l.id == label_id), None)


def _order_problems(here: str, category: Category) -> Iterator[str]:
    """An interval or ratio question needs a number on every label (ratio: not negative)."""
    if category.order in (Order.nominal, Order.ordinal):
        return
    if category.kind is not Kind.article or category.cardinality is not Cardinality.single:
        yield f"{here}.order: {category.order.value} is for article questions with cardinality single"
    for li, label in enumerate(category.labels):
        if label.value is None:
            yield f"{here}.labels[{li}].value: order {category.order.value} needs a number on every label"
        elif category.order is Order.ratio and label.value < 0:
            yield f"{here}.labels[{li}].value: order ratio needs values of 0 or more, not {label.value:g}"
        elif label.value != label.value or label.value in (float("inf"), float("-inf")):
            yield f"{here}.labels[{li}].value: must be a finite number"


class Codebook(_Model):
    """A versioned tag schema."""

    id: Name
    version: Name
    title: Name
    guidelines: Guidelines = ""
    alignments: list[Name] = Field(default=[], description="the sides a lexicon variant may signal")
    attributes: list[Attribute] = []
    categories: list[Category] = Field(min_length=1)
    proper_names: list[Term] = Field(default=[], description="names no match inside of is suggested (Dynamo Kiev)")

    _id = field_validator("id")(_check_id)

    @field_validator("version", mode="before")
    @classmethod
    def _version(cls, value: object) -> object:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # `version: 3` or `version: 1.2`
        return value  # text stays text; anything else is refused as not a string

    @model_validator(mode="after")
    def _consistent(self) -> "Codebook":
        problems = list(self._problems())
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _problems(self) -> Iterator[str]:
        yield from _duplicates("attributes", [a.id for a in self.attributes])
        yield from _duplicates("categories", [c.id for c in self.categories])
        yield from _duplicates("alignments", self.alignments, field="")
        attribute_ids = {a.id for a in self.attributes}
        span_keys: dict[str, str] = {}
        for ci, category in enumerate(self.categories):
            here = f"categories[{ci}]"
            yield from _duplicates(f"{here}.labels", [l.id for l in category.labels])
            for ai, attribute in enumerate(category.attributes):
                if attribute not in attribute_ids:
                    yield f"{here}.attributes[{ai}]: unknown attribute {attribute!r} (declared: {', '.join(sorted(attribute_ids)) or 'none'})"
            if category.kind is Kind.article and category.attributes:
                yield f"{here}.attributes: article-level categories cannot carry span attributes"
            own_keys: dict[str, str] = {}
            for li, label in enumerate(category.labels):
                if label.key is None:
                    continue
                place = f"{here}.labels[{li}].key"
                keys = span_keys if category.kind is Kind.span else own_keys
                if label.key in keys:
                    yield f"{place}: key {label.key!r} is already used by {keys[label.key]}"
                else:
                    keys[label.key] = f"{here}.labels[{category.labels.index(label)}] ({label.id})"
            yield from _order_problems(here, category)
            if category.lexicon and category.kind is not Kind.span:
                yield f"{here}.lexicon: only span categories can have a lexicon"
            yield from _duplicates(f"{here}.lexicon", [c.concept for c in category.lexicon], field="concept")
            label_ids = {l.id for l in category.labels}
            for xi, concept in enumerate(category.lexicon):
                yield from _duplicates(f"{here}.lexicon[{xi}].variants", [v.id for v in concept.variants])
                for vi, variant in enumerate(concept.variants):
                    place = f"{here}.lexicon[{xi}].variants[{vi}]"
                    if variant.alignment not in self.alignments:
                        yield f"{place}.alignment: {variant.alignment!r} is not a declared alignment ({', '.join(self.alignments) or 'none declared'})"
                    if variant.label not in label_ids:
                        yield f"{place}.label: {variant.label!r} is not a label of {category.id}"
                    for ri, rule in enumerate(variant.context):
                        if rule.label is not None and rule.label not in label_ids:
                            yield f"{place}.context[{ri}].label: {rule.label!r} is not a label of {category.id}"
                        if rule.alignment is not None and rule.alignment not in self.alignments:
                            yield f"{place}.context[{ri}].alignment: {rule.alignment!r} is not a declared alignment"

    # -- lookups -------------------------------------------------------------------

    def category(self, category_id: str) -> Category | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def label(self, category_id: str, label_id: str) -> Label | None:
        category = self.category(category_id)
        return category.label(label_id) if category else None

    def attribute(self, attribute_id: str) -> Attribute | None:
        return next((a for a in self.attributes if a.id == attribute_id), None)

    def variant(self, category_id: str, concept: str, variant_id: str) -> Variant | None:
        """A lexicon variant of a concept (its ``name`` is what people read)."""
        category = self.category(category_id)
        entry = next((c for c in category.lexicon if c.concept == concept), None) if category else None
        return next((v for v in entry.variants if v.id == variant_id), None) if entry else None

    def span_keys(self) -> dict[str, tuple[Category, Label]]:
        """Key -> (category, label) for every keyed span label."""
        return {
            label.key: (category, label)
            for category in self.categories
            if category.kind is Kind.span
            for label in category.labels
            if label.key
        }

    def label_ids(self) -> set[tuple[str, str]]:
        return {(c.id, l.id) for c in self.categories for l in c.labels}


def _duplicates(place: str, ids: list[str], field: str = "id") -> Iterator[str]:
    seen: dict[str, int] = {}
    for number, value in enumerate(ids):
        if value in seen:
            suffix = f".{field}" if field else ""
            yield f"{place}[{number}]{suffix}: {value!r} is already used by {place}[{seen[value]}]"
        else:
            seen[value] = number


def load_codebook(path: Path) -> Codebook:
    """Read and validate a codebook file; :class:`InputError` lists every problem, one per line."""
    return _validate(load_yaml(path), path)


def _validate(data: object, path: Path) -> Codebook:
    name = display_path(path)
    if data is None:
        raise InputError(f"{name}: is empty (a codebook is a mapping: id, version, title, categories, ...)")
    if not isinstance(data, dict):
        found = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise InputError(f"{name}: top level: must be a mapping (id, version, title, categories, ...), not {found}")
    try:
        return Codebook.model_validate(data)
    except ValidationError as exc:
        raise InputError(codebook_error_lines(name, exc)) from None


def codebook_error_lines(name: str, exc: ValidationError) -> str:
    """Every validation problem as ``file: place: what``, one per line."""
    lines: list[str] = []
    for err in exc.errors():
        message = err["msg"].removeprefix("Value error, ")
        place = ""
        for part in err["loc"]:
            place += f"[{part}]" if isinstance(part, int) else (f".{part}" if place else str(part))
        if "\n" in message or message.startswith(("categories[", "attributes[", "alignments[")):
            lines.extend(f"{name}: {line}" for line in message.splitlines())
        elif err["type"] == "missing":
            lines.append(f"{name}: {place}: is missing")
        else:
            lines.append(f"{name}: {place or 'top level'}: {message}")
    return "\n".join(lines)


def codebook_files(directory: Path = CODEBOOK_DIR) -> list[Path]:
    """The codebook YAML files shipped with the package (``annotator/data/codebooks/``)."""
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


def find_codebook(ref: str | None, directory: Path = CODEBOOK_DIR) -> Codebook:
    """A codebook by file path or by id among the shipped ones (default: the configured default)."""
    ref = ref or DEFAULT_CODEBOOK_ID
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return load_codebook(path)
    files = codebook_files(directory)
    files.sort(key=lambda f: f.stem != ref)  # by convention a codebook's file is named after its id
    for file in files:
        try:
            data = load_yaml(file)
        except InputError:
            continue
        if isinstance(data, dict) and data.get("id") == ref:
            return _validate(data, file)
    known = ", ".join(sorted(_ids(directory))) or "none"
    raise InputError(f"no codebook {ref!r} (shipped: {known}; or give a .yaml path)")


def _ids(directory: Path) -> Iterator[str]:
    for file in codebook_files(directory):
        try:
            data = load_yaml(file)
        except InputError:
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            yield data["id"]
