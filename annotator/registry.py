"""The outlet registry: a YAML file of outlets (``outlets:`` list) and lookups in it."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from .errors import InputError, pydantic_error_line
from .models import Outlet, normalize_domain
from .paths import display_path
from .yaml_files import load_yaml

REGISTRY_NAMES = ("outlets.yaml", "outlets.yml")
# The outlet registry shipped with the package: used when an import names no registry.
SHIPPED_REGISTRY = Path(__file__).resolve().parent / "data" / "outlets.yaml"


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


class OutletIndex:
    """Find an outlet by id, name, alias or web domain (case-insensitive)."""

    def __init__(self, outlets: Iterable[Outlet]):
        self._by_key: dict[str, str] = {}
        self._by_domain: dict[str, str] = {}
        for outlet in outlets:
            for key in [outlet.id, outlet.name, *outlet.aliases]:
                self._by_key.setdefault(key.casefold(), outlet.id)
            for domain in outlet.domains:
                self._by_domain.setdefault(domain, outlet.id)

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
