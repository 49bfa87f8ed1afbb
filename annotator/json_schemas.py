"""JSON Schema files for the data model, generated into ``schemas/``.

Run ``python -m annotator.json_schemas`` after changing a model; a test fails while
the files are stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def schema_models() -> dict[str, type[BaseModel]]:
    """Every model with a schema file, by file stem."""
    from .models import SCHEMA_MODELS

    models = dict(SCHEMA_MODELS)
    try:
        from .codebook import Codebook
    except ImportError:  # pragma: no cover - codebooks arrive in a later module
        pass
    else:
        models["codebook"] = Codebook
    return models


def render_schema(model: type[BaseModel]) -> str:
    """The JSON Schema text for ``model`` (stable: sorted keys, trailing newline)."""
    return json.dumps(model.model_json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write ``<name>.schema.json`` for every model; returns the files written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in schema_models().items():
        path = directory / f"{name}.schema.json"
        path.write_text(render_schema(model), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_schemas():
        print(path)
