import json

import pytest

from annotator.models import Annotation, Outlet, PartialDate, Rating
from annotator.json_schemas import SCHEMA_DIR, render_schema, schema_models


@pytest.mark.parametrize("name", sorted(schema_models()))
def test_schema_files_are_up_to_date(name):
    path = SCHEMA_DIR / f"{name}.schema.json"
    assert path.exists(), f"{path} missing: run python -m annotator.json_schemas"
    assert path.read_text(encoding="utf-8") == render_schema(schema_models()[name]), (
        f"{path.name} is stale: run python -m annotator.json_schemas"
    )
    json.loads(path.read_text(encoding="utf-8"))


def test_partial_dates():
    assert str(PartialDate.parse("2022-08-08")) == "2022-08-08"
    assert PartialDate.parse("~2025-07").approximate
    assert PartialDate.parse("unknown").value is None
    for bad in ("2022-13", "2022-02-30", "yesterday"):
        with pytest.raises(ValueError):
            PartialDate.parse(bad)


def test_rating_needs_rater_and_date():
    with pytest.raises(ValueError, match="as_of"):
        Rating(rater="MBFC", scale="factual", value="Low", as_of="unknown")


def test_unverified_must_name_real_fields():
    Outlet(id="x", name="X", unverified=["ratings", "sanctions"])
    with pytest.raises(ValueError, match="do not exist"):
        Outlet(id="x", name="X", unverified=["ratingz"])


def test_span_annotation_keeps_its_quote():
    with pytest.raises(ValueError):
        Annotation(article_id="a", text_sha256="s", annotator="n", codebook_id="c", codebook_version="1",
                   category="c", label="l", start=0, end=3)
