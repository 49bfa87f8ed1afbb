"""The data model: outlets, articles and annotations (pydantic v2).

Everything here is plain data; storage lives in :mod:`annotator.store`.
"Unverified" is always expressible: a field whose value we could not confirm
is named in the record's ``unverified`` list, and a value we do not know at
all is ``None`` (shown as "unknown"), never a guess.
"""

from __future__ import annotations

import re
import uuid as uuid_module
from datetime import date as calendar_date, datetime, timezone
from enum import Enum
from typing import Annotated, Literal

from pydantic import (AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator,
                      model_validator)

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
PARTIAL_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


# The longest text each field may hold, in characters (README "Bad input"): longer values
# are refused with the field's name, never stored (a 20 MB title would slow every list).
FIELD_LIMITS = {
    "title": 1_000,
    "url": 2_048,
    "story": 200,
    "language": 35,
    "outlet": 300,  # an outlet id, name, alias, domain or country, and a publisher named in a record
    "outlet_text": 2_000,  # an outlet's owner, funding, a sanction's or rating's wording
    "notes": 10_000,  # an outlet's notes, a tag's or an article's note
    "name": 300,  # an annotator, a codebook id or version, a category or label id; a codebook's names and terms
    "pattern": 1_000,  # a codebook's lexicon pattern
    "guidelines": 100_000,  # a codebook's guidelines
}
LIST_LIMIT = 1_000
DATE_LIMIT = 40  # characters of a date as written ("~2022-08-08", "2022-08-08T10:00:00+03:00")  # items in an outlet's lists (aliases, domains, sources, sanctions, ratings)


STORED = {"stored": True}  # validation context for what a database already holds: limits are not checked


def at_most(limit: int):  # type: ignore[no-untyped-def]
    """A validator refusing text longer than ``limit`` characters (not for stored data: :data:`STORED`)."""

    def check(value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and len(value) > limit and not (info.context or {}).get("stored"):
            raise ValueError(f"is {len(value):,} characters long; at most {limit:,} are accepted")
        return value

    return check


def limited(kind: str):  # type: ignore[no-untyped-def]
    """A text type of at most ``FIELD_LIMITS[kind]`` characters."""
    limit = FIELD_LIMITS[kind]
    return Annotated[str, AfterValidator(at_most(limit)), Field(json_schema_extra={"maxLength": limit})]


Title, Url, Story, Language = limited("title"), limited("url"), limited("story"), limited("language")
OutletText, OutletLine, NoteText, Name = limited("outlet_text"), limited("outlet"), limited("notes"), limited("name")
Guidelines = limited("guidelines")


class ArticleFacts(BaseModel):
    """The facts about an article that a record (JSON, JSONL, CSV) or a manifest entry may give,
    declared once: the readers and the manifest add their own fields and rules."""

    title: Title | None = None
    url: Url | None = None
    publisher: OutletLine | None = None
    original_source: OutletLine | None = None
    published: str | None = None  # checked (and its length) where it is read as a date
    language: Language | None = None
    story: Story | None = None
    unverified: list[OutletLine] = Field([], max_length=LIST_LIMIT)


# The article facts by name, in the order a record or manifest gives them ("unverified" names some of them)
ARTICLE_FIELDS = tuple(name for name in ArticleFacts.model_fields if name != "unverified")


def utc_now() -> str:
    """The current time as an ISO 8601 UTC string (seconds precision)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class StateAffiliation(str, Enum):
    """How an outlet relates to a state."""

    state_owned = "state-owned"
    state_funded_public_broadcaster = "state-funded public broadcaster"
    multi_state = "multi-state"
    private = "private"
    nonprofit_cooperative = "nonprofit cooperative"
    reader_funded = "reader-funded"
    unknown = "unknown"


class PartialDate(_Model):
    """A date that may be known only to the year or month, or be approximate.

    ``value`` is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``None`` means unknown.
    """

    value: str | None = None
    approximate: bool = False

    @field_validator("value")
    @classmethod
    def _check_value(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not PARTIAL_DATE_RE.match(value):
            raise ValueError(f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        parts = [int(p) for p in value.split("-")]
        if len(parts) >= 2 and not 1 <= parts[1] <= 12:
            raise ValueError(f"{value!r} has no month {parts[1]}")
        if len(parts) == 3:
            datetime(parts[0], parts[1], parts[2])  # raises ValueError on 2022-02-30
        return value

    @classmethod
    def parse(cls, text: object) -> "PartialDate":
        """Read ``2022-08-08``, ``2025-07``, ``~2025-07`` (approximate) or ``unknown``."""
        if text is None:
            return cls()
        if isinstance(text, PartialDate):
            return text
        if isinstance(text, dict):
            return cls.model_validate(text)
        if isinstance(text, bool) or not isinstance(text, (str, int, calendar_date)):  # checked before str(): a list may be huge
            raise ValueError(f"must be a date written YYYY, YYYY-MM or YYYY-MM-DD, not {type(text).__name__}")
        raw = str(text).strip()
        if len(raw) > DATE_LIMIT:
            raise ValueError(f"is {len(raw):,} characters long; a date is at most {DATE_LIMIT}")
        if raw.lower() in {"", "unknown", "none", "null", "?"}:
            return cls()
        approximate = False
        if raw.startswith("~") or raw.lower().startswith("c."):
            approximate = True
            raw = raw.lstrip("~").removeprefix("c.").removeprefix("C.").strip()
        if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", raw):  # a full timestamp: keep the date
            raw = raw[:10]
        try:
            return cls(value=raw, approximate=approximate)
        except ValidationError as exc:  # said as one date's problem, not as the model's field "value"
            why = exc.errors()[0]["msg"].removeprefix("Value error, ")
            raise ValueError(f"{raw[:40]!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD): {why}") from None

    def __str__(self) -> str:
        if self.value is None:
            return "unknown"
        return ("~" if self.approximate else "") + self.value


class SanctionAction(_Model):
    """A sanction, ban or licence action against an outlet."""

    authority: OutletText
    action: OutletText
    date: PartialDate = Field(default_factory=PartialDate)
    source: OutletText | None = None
    verified: bool = True

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: object) -> PartialDate:
        return PartialDate.parse(value)


class Rating(_Model):
    """One rater's rating of an outlet at a date. Never stored without rater and date."""

    rater: OutletText
    scale: OutletText
    value: OutletText
    as_of: PartialDate
    source: OutletText | None = None
    verified: bool = True

    @field_validator("as_of", mode="before")
    @classmethod
    def _date(cls, value: object) -> PartialDate:
        return PartialDate.parse(value)

    @model_validator(mode="after")
    def _dated(self) -> "Rating":
        if self.as_of.value is None:
            raise ValueError("a rating needs the date it was given (as_of)")
        return self


class Outlet(_Model):
    """A news outlet and what is known about it, with sources."""

    id: OutletLine
    name: OutletLine
    aliases: list[OutletLine] = Field(default_factory=list, max_length=LIST_LIMIT)
    domains: list[OutletLine] = Field(default_factory=list, max_length=LIST_LIMIT)
    country: OutletLine | None = None
    languages: list[Language] = Field(default_factory=list, max_length=LIST_LIMIT)
    owner: OutletText | None = None
    funding: OutletText | None = None
    state_affiliation: StateAffiliation = StateAffiliation.unknown
    founded: PartialDate = Field(default_factory=PartialDate)
    sanctions: list[SanctionAction] = Field(default_factory=list, max_length=LIST_LIMIT)
    ratings: list[Rating] = Field(default_factory=list, max_length=LIST_LIMIT)
    notes: NoteText | None = None
    sources: list[Url] = Field(default_factory=list, max_length=LIST_LIMIT)
    unverified: list[OutletLine] = Field(
        default_factory=list, max_length=LIST_LIMIT,
        description="Names of fields whose value could not be verified (e.g. 'sanctions', 'ratings').",
    )

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG_RE.match(value):
            raise ValueError(f"{value!r} is not a slug (lower-case letters, digits and hyphens)")
        return value

    @field_validator("founded", mode="before")
    @classmethod
    def _founded(cls, value: object) -> PartialDate:
        return PartialDate.parse(value)

    @field_validator("domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        return [normalize_domain(d) for d in value]

    @model_validator(mode="after")
    def _known_fields(self) -> "Outlet":
        unknown = sorted(set(self.unverified) - set(type(self).model_fields))
        if unknown:
            raise ValueError(f"unverified names fields that do not exist: {', '.join(unknown)}")
        return self


def normalize_domain(value: str) -> str:
    """``https://www.Example.com/x`` -> ``example.com``."""
    value = value.strip().lower()
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", value)
    value = value.split("/", 1)[0].split(":", 1)[0]
    return value.removeprefix("www.")


class RemovedRange(_Model):
    """A range of the normalized full text left out of the canonical text, and why."""

    start: int
    end: int
    rule: str


class Article(_Model):
    """One version of one article. ``text`` is the canonical (normalized) text."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    id: str
    publisher: OutletLine | None = Field(None, description="Outlet id of the outlet where it was read; None = unknown")
    original_source: OutletLine | None = Field(None, description="Outlet id of the outlet that wrote it (syndication)")
    title: Title
    url: Url | None = None
    published: PartialDate = Field(default_factory=PartialDate)
    language: Language | None = None
    story: Story | None = Field(None, description="Groups articles about the same event")
    text: str
    text_sha256: str
    raw_text: str = Field(description="The text as read from the file, before normalization")
    removed: list[RemovedRange] = Field(default_factory=list)
    source_file: str | None = None
    source_key: str = Field(description="url, or file (and record) the article came from; versions share it")
    version: int = 1
    supersedes: str | None = None
    imported_at: str = Field(default_factory=utc_now)
    unverified: list[str] = Field(default_factory=list)

    @field_validator("published", mode="before")
    @classmethod
    def _published(cls, value: object) -> PartialDate:
        return PartialDate.parse(value)


class Origin(str, Enum):
    """Who made an annotation."""

    human = "human"
    suggestion = "suggestion"
    imported = "imported"  # a pre-annotation or another tool's tag, made by ``import-annotations``


class Annotation(_Model):
    """One tag by one annotator. Span offsets are code-point offsets into the canonical text."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)  # quotes stay exact

    uuid: str = Field(default_factory=lambda: str(uuid_module.uuid4()))
    article_id: str
    text_sha256: str
    annotator: Name
    codebook_id: Name
    codebook_version: Name
    category: Name
    label: Name
    start: int | None = None
    end: int | None = None
    quote: str | None = None
    prefix: str | None = None
    suffix: str | None = None
    attributes: dict[str, str] = Field(default_factory=dict)
    note: NoteText | None = None
    origin: Origin = Origin.human
    created: str = Field(default_factory=utc_now)
    updated: str = Field(default_factory=utc_now)
    deleted: bool = False

    @model_validator(mode="after")
    def _span(self) -> "Annotation":
        if (self.start is None) != (self.end is None):
            raise ValueError("a span needs both start and end")
        if self.start is not None:
            if self.start < 0 or self.end < self.start:  # type: ignore[operator]
                raise ValueError(f"bad span {self.start}..{self.end}")
            if self.quote is None:
                raise ValueError("a span annotation keeps its quoted text")
        return self


CONTEXT_CHARS = 32

# Notes on a whole article are stored as annotations of this reserved category
# (a leading "_" cannot be a codebook id, so it never clashes with one).
ARTICLE_NOTE_CATEGORY, ARTICLE_NOTE_LABEL = "_article", "note"


def quote_selector(text: str, start: int, end: int) -> dict[str, str]:
    """The W3C TextQuoteSelector parts of ``text[start:end]``: quote, prefix and suffix."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span {start}..{end} is outside a text of {len(text)} characters")
    return {
        "quote": text[start:end],
        "prefix": text[max(0, start - CONTEXT_CHARS) : start],
        "suffix": text[end : end + CONTEXT_CHARS],
    }


SCHEMA_MODELS: dict[str, type[BaseModel]] = {
    "outlet": Outlet,
    "article": Article,
    "annotation": Annotation,
}

Kind = Literal["outlet", "article", "annotation"]
