"""The outlet registry: a YAML file of outlets (``outlets:`` list) and lookups in it."""

from __future__ import annotations

import difflib
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, pydantic_error_line
from ..models import Outlet, normalize_domain
from ..paths import display_path
from ..yaml_files import load_yaml

REGISTRY_NAMES = ("outlets.yaml", "outlets.yml")
# The outlet registry shipped with the package: used when an import names no registry.
SHIPPED_REGISTRY = Path(__file__).resolve().parent.parent / "data" / "outlets.yaml"


def load_registry(path: Path) -> list[Outlet]:
    """Read and validate an outlet registry; raises :class:`InputError` naming the bad place."""
    data = load_yaml(path)
    name = display_path(path)
    if not isinstance(data, dict) or not isinstance(data.get("outlets"), list):
        raise InputError(f"{name}: must be a mapping with an 'outlets' list")
    outlets: list[Outlet] = []
    seen: dict[str, int] = {}
    for number, raw in enumerate(data["outlets"]):
        try:
            outlet = Outlet.model_validate(raw)
        except ValidationError as exc:
            raise InputError(pydantic_error_line(name, exc, f"outlets[{number}]")) from None
        if outlet.id in seen:
            raise InputError(f"{name}: outlets[{number}].id: {outlet.id!r} is already used by outlets[{seen[outlet.id]}]")
        seen[outlet.id] = number
        outlets.append(outlet)
    return outlets


# The facts of an outlet made at import from a name alone: none of them is known yet.
FACT_FIELDS = ("country", "languages", "owner", "funding", "state_affiliation", "founded", "sanctions", "ratings")
# How alike (difflib's ratio, 0 to 1) an unknown name must be to a known one to be named as "did you mean".
SIMILAR_NAME_RATIO = 0.85


def slugify(name: str) -> str:
    """An outlet id made from a name: ``Made-Up Times!`` -> ``made-up-times``; a name with no
    Latin letters or digits (``Медуза``) -> ``outlet-`` and 8 hex digits of its hash."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].strip("-")
    return slug or "outlet-" + hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def comparable_name(name: str) -> str:
    """A name as compared for likeness: case, punctuation and a leading "the" ignored."""
    words = re.sub(r"[\W_]+", " ", name.casefold()).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


class OutletIndex:
    """Find an outlet by id, name, alias or web domain (case-insensitive); make an outlet
    from a name the registry does not know; name the known outlet an unknown name is like."""

    def __init__(self, outlets: Iterable[Outlet]):
        self._by_key: dict[str, str] = {}
        self._by_domain: dict[str, str] = {}
        self._names: dict[str, str] = {}  # comparable name -> outlet id
        self._display: dict[str, str] = {}  # outlet id -> name
        self.made: list[Outlet] = []  # outlets made from unknown names, not yet taken by the importer
        for outlet in outlets:
            self._add(outlet)

    def _add(self, outlet: Outlet) -> None:
        for key in [outlet.id, outlet.name, *outlet.aliases]:
            self._by_key.setdefault(key.casefold(), outlet.id)
            self._names.setdefault(comparable_name(key), outlet.id)
        for domain in outlet.domains:
            self._by_domain.setdefault(domain, outlet.id)
        self._display.setdefault(outlet.id, outlet.name)

    def _forget(self, outlet: Outlet) -> None:
        for table in (self._by_key, self._names, self._by_domain):
            for key in [k for k, v in table.items() if v == outlet.id]:
                del table[key]
        self._display.pop(outlet.id, None)

    def make_outlet(self, name: str, url: str | None) -> Outlet:
        """A new outlet for an unknown ``name`` (id slugified, the url's domain as its domain
        when no outlet has it, every fact unverified), added to this index and to :attr:`made`."""
        base = slugify(name)
        outlet_id, number = base, 1
        while outlet_id in self._display:
            number += 1
            outlet_id = f"{base}-{number}"
        domain = normalize_domain(url) if url else ""
        outlet = Outlet(id=outlet_id, name=name, domains=[domain] if domain and not self.find_by_url(domain) else [],
                        unverified=list(FACT_FIELDS),
                        notes="Made at import from a name the outlet registry did not know; no fact is checked yet.")
        self._add(outlet)
        self.made.append(outlet)
        return outlet

    def take_made(self) -> list[Outlet]:
        """The outlets made since the last call (for the importer to store)."""
        made, self.made = self.made, []
        return made

    def forget_made(self) -> None:
        """Drop the outlets made since the last :meth:`take_made` (their record was rejected)."""
        for outlet in self.take_made():
            self._forget(outlet)

    def name(self, outlet_id: str) -> str:
        """The name of a known outlet (its id when unknown)."""
        return self._display.get(outlet_id, outlet_id)

    def similar(self, name: str, leave_out: str | None = None) -> str | None:
        """The id of the known outlet whose id, name or alias is most like ``name`` (ignoring
        case and punctuation; :data:`SIMILAR_NAME_RATIO`), other than ``leave_out``; else None."""
        wanted = comparable_name(name)
        candidates = [key for key, outlet_id in self._names.items() if outlet_id != leave_out]
        found = difflib.get_close_matches(wanted, candidates, n=1, cutoff=SIMILAR_NAME_RATIO) if wanted else []
        return self._names[found[0]] if found else None

    def find(self, value: str) -> str | None:
        """The id of the outlet named by ``value`` (id, name, alias or domain), or None."""
        key = value.strip().casefold()
        if key in self._by_key:
            return self._by_key[key]
        return self.find_by_url(value) if "." in key else None

    def find_by_url(self, url: str) -> str | None:
        """The outlet whose domain (or a parent domain of it) hosts ``url``."""
        host = normalize_domain(url)
        while host:
            if host in self._by_domain:
                return self._by_domain[host]
            if "." not in host:
                return None
            host = host.split(".", 1)[1]
        return None
