"""Codebooks: the shipped ones are valid and complete; broken ones are reported as
one ``file: place: what`` line per problem, never a traceback."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from annotator.cli import main
from annotator.codebook import CODEBOOK_DIR, Cardinality, Kind, Order, codebook_files, find_codebook, load_codebook

MINI = Path(__file__).parent / "data" / "mini-codebook.yaml"
WIDE = {"COLUMNS": "400"}  # rich wraps at 80 columns when not writing to a terminal


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


# -- the shipped codebooks ------------------------------------------------------------------


def test_shipped_codebooks_validate():
    books = {load_codebook(file).id: file.name for file in codebook_files()}
    assert books["ru-ua-framing"] == "ru-ua-framing.yaml"
    assert books["policy-frames"] == "policy-frames.yaml"


def test_codebook_check_accepts_the_shipped_codebooks():
    files = [str(f) for f in codebook_files()]
    result = run("codebook", "check", *files, env=WIDE)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert len(result.stdout.splitlines()) == len(files)
    assert all(line.startswith("ok: ") for line in result.stdout.splitlines())


def test_codebook_list_lists_both():
    result = run("codebook", "list", env=WIDE)
    assert result.exit_code == 0, result.output
    ids = [line.split()[0] for line in result.stdout.splitlines()]
    assert {"ru-ua-framing", "policy-frames"} <= set(ids)
    assert result.stderr == ""  # nothing shipped is broken


def test_codebook_show_by_id():
    result = run("codebook", "show", "ru-ua-framing", env=WIDE)
    assert result.exit_code == 0, result.output
    out = result.stdout
    for expected in ["Framing of the Russia-Ukraine war", "Term variants", "Kremlin form", "Persuasion techniques",
                     "Whataboutism", "Generic frames", "Portrayal of the Russian government", "Overall leaning",
                     "Claims attributed to named sources?", "capital: kremlin Kiev | ukraine-west Kyiv"]:
        assert expected in out, expected
    as_json = json.loads(run("codebook", "show", "ru-ua-framing", "--json").stdout)
    assert as_json["id"] == "ru-ua-framing" and as_json["version"] == "1"


def test_codebook_show_defaults_to_ru_ua_framing(workdir):
    result = run("codebook", "show", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["id"] == "ru-ua-framing"


def test_codebook_show_unknown_id_is_one_line():
    result = run("codebook", "show", "no-such-book", env=WIDE)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: no codebook 'no-such-book' (shipped: policy-frames, ru-ua-framing; or give a .yaml path)"]


@pytest.fixture(scope="module")
def book():
    return find_codebook("ru-ua-framing")


def test_default_codebook_has_the_six_layers(book):
    kinds = {c.id: (c.kind, c.cardinality, c.order) for c in book.categories}
    assert kinds["term"][0] is Kind.span
    assert kinds["persuasion"][0] is Kind.span
    assert kinds["generic-frames"] == (Kind.article, Cardinality.multi, Order.nominal)
    assert kinds["primary-frame"] == (Kind.article, Cardinality.single, Order.nominal)
    assert kinds["tone"] == (Kind.article, Cardinality.single, Order.ordinal)
    for actor in ("russian", "ukrainian", "western"):
        category = book.category(f"portrayal-{actor}-government" if actor != "western" else "portrayal-western-governments")
        assert (category.kind, category.cardinality, category.order) == (Kind.article, Cardinality.single, Order.ordinal)
        assert [l.id for l in category.labels] == ["positive", "neutral", "negative"]
    assert [l.id for l in book.category("leaning").labels] == ["pro-kremlin", "balanced", "pro-ukraine-west"]
    assert [l.id for l in book.category("tone").labels] == ["pro", "neutral", "anti"]
    for question in ("named-sources", "uncaveated-claims", "opinion-separated", "headline-consistent"):
        category = book.category(question)
        assert (category.kind, category.cardinality, category.order) == (Kind.article, Cardinality.single, Order.ordinal)
        assert {l.id for l in category.labels} == {"yes", "partly", "no"}


def test_voice_is_an_attribute_of_the_span_layers(book):
    voice = book.attribute("voice")
    assert [v.id for v in voice.values] == ["own", "quoted", "scare-quoted"] and voice.default == "own"
    assert book.category("term").attributes == ["voice"]
    assert book.category("persuasion").attributes == ["voice"]


def test_persuasion_techniques_semeval_2023(book):
    labels = book.category("persuasion").labels
    assert len(labels) == 23
    assert {"appeal-to-authority", "flag-waving", "false-dilemma", "whataboutism", "slogans", "conversation-killer",
            "loaded-language", "repetition", "name-calling-labeling", "appeal-to-hypocrisy",
            "questioning-the-reputation"} <= {l.id for l in labels}


def test_policy_frames(book):
    fifteen = ["economic", "capacity-and-resources", "morality", "fairness-and-equality", "legality",
               "policy-prescription", "crime-and-punishment", "security-and-defense", "health-and-safety",
               "quality-of-life", "cultural-identity", "public-opinion", "political",
               "external-regulation-and-reputation", "other"]
    assert [l.id for l in book.category("generic-frames").labels] == fifteen
    assert [l.id for l in book.category("primary-frame").labels] == fifteen
    generic = find_codebook("policy-frames")
    assert [l.id for l in generic.category("frames").labels] == fifteen
    assert [l.id for l in generic.category("primary-frame").labels] == fifteen
    assert [l.id for l in generic.category("tone").labels] == ["pro", "neutral", "anti"]
    assert all(c.kind is Kind.article for c in generic.categories) and generic.span_keys() == {}


@pytest.mark.parametrize("codebook_id", ["ru-ua-framing", "policy-frames"])
def test_every_label_is_described_with_an_example(codebook_id):
    for category in find_codebook(codebook_id).categories:
        assert category.description and category.guideline, category.id
        for label in category.labels:
            assert label.description and label.example, f"{category.id}.{label.id}"


def test_every_span_label_has_a_key_the_tui_can_bind(book):
    from annotator.tui.app import ACTIONS

    app_keys = {key for _, key, _, _, _ in ACTIONS}
    reserved = set("ADJKLMNQRSTVX][}/?,")  # the TUI's keys; Textual cannot bind ","
    span_labels = [(c.id, l) for c in book.categories if c.kind is Kind.span for l in c.labels]
    keys = [l.key for _, l in span_labels]
    assert None not in keys, [f"{c}.{l.id}" for c, l in span_labels if l.key is None]
    assert len(set(keys)) == len(keys) == 26
    assert not (set(keys) & (reserved | app_keys))
    assert [l.key for l in book.category("term").labels] == ["1", "2", "3"]


def test_lexicon_covers_every_term_variant_concept(book):
    lexicon = {c.concept: c for c in book.category("term").lexicon}
    assert set(lexicon) == {"capital", "cities", "region", "bakhmut", "the-war", "war-aims", "ukraine-government",
                            "occupied-areas", "votes-2022", "outcome", "russian-leader", "president-name"}
    assert book.alignments == ["kremlin", "ukraine-west", "neutral"]
    for concept in lexicon.values():
        sides = {v.alignment for v in concept.variants}
        if concept.concept != "russian-leader":  # state media name him by his office: no Kremlin variant
            assert "kremlin" in sides, concept.concept
        if concept.concept != "war-aims":  # the West writes the same words, scare-quoted (voice)
            assert "ukraine-west" in sides, concept.concept
    cities = {v.id for v in lexicon["cities"].variants}
    assert cities == {"kharkov", "kharkiv", "odessa", "odesa", "lvov", "lviv", "lugansk", "luhansk", "zaporozhye",
                      "zaporizhzhia", "nikolaev", "mykolaiv", "dnepropetrovsk", "dnipro"}
    labels = {"kremlin": "kremlin-form", "ukraine-west": "ukraine-west-form", "neutral": "neutral-form"}
    for concept in lexicon.values():
        for variant in concept.variants:
            assert variant.label == labels[variant.alignment], variant.id


def test_no_term_is_listed_for_two_variants(book):
    seen: dict[str, str] = {}
    for concept in book.category("term").lexicon:
        for variant in concept.variants:
            for term in variant.terms:
                key = " ".join(term.replace("’", "'").replace("-", " ").split()).casefold()
                assert key not in seen, f"{term!r} is in {seen[key]} and {concept.concept}.{variant.id}"
                seen[key] = f"{concept.concept}.{variant.id}"


def test_case_sensitive_variants_are_the_abbreviations(book):
    sensitive = {v.id for c in book.category("term").lexicon for v in c.variants if v.case.value == "sensitive"}
    assert sensitive == {"smo", "dpr-lpr"}


# -- broken codebooks -------------------------------------------------------------------------


def _mini() -> dict:
    return yaml.safe_load(MINI.read_text(encoding="utf-8"))


def _write(folder: Path, name: str, data: object) -> str:
    (folder / name).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return name


def _broken(mutate) -> dict:
    data = copy.deepcopy(_mini())
    mutate(data)
    return data


def _duplicate_ids(d):
    d["categories"][0]["labels"].append(dict(d["categories"][0]["labels"][0], key="9"))
    d["categories"].append(copy.deepcopy(d["categories"][1]))
    d["categories"][0]["lexicon"][1]["variants"].append(dict(d["categories"][0]["lexicon"][1]["variants"][0]))


def _clashing_keys(d):
    d["categories"][0]["labels"][1]["key"] = "1"
    d["categories"].append({"id": "other-spans", "name": "Other spans", "kind": "span",
                            "labels": [{"id": "x", "name": "X", "description": "x", "key": "1"}]})


BROKEN = {
    "duplicate ids": (_duplicate_ids, [
        "categories[2].id: 'tone' is already used by categories[1]",
        "categories[0].labels[2].id: 'kremlin-form' is already used by categories[0].labels[0]",
        "categories[0].lexicon[1].variants[2].id: 'smo' is already used by categories[0].lexicon[1].variants[0]",
    ]),
    "clashing keys": (_clashing_keys, [
        "categories[0].labels[1].key: key '1' is already used by categories[0].labels[0] (kremlin-form)",
        "categories[2].labels[0].key: key '1' is already used by categories[0].labels[0] (kremlin-form)",
    ]),
    "bad key": (lambda d: d["categories"][0]["labels"][0].update(key="ab"), [
        "categories[0].labels[0].key: 'ab' is not a key: use one printable character (letters, digits, punctuation)",
    ]),
    "unknown attribute": (lambda d: d["categories"][0].update(attributes=["voice", "certainty"]), [
        "categories[0].attributes[1]: unknown attribute 'certainty' (declared: voice)",
    ]),
    "bad regex patterns": (lambda d: d["categories"][0]["lexicon"][0]["variants"][0].update(
        patterns=["Kiev(", "ok", "x*", "(?i)kyiv"]), [
        "categories[0].lexicon[0].variants[0].patterns[0]: 'Kiev(' is not a valid regular expression "
        "(missing ), unterminated subpattern at position 4)",
        "categories[0].lexicon[0].variants[0].patterns[2]: 'x*' matches empty text",
        "categories[0].lexicon[0].variants[0].patterns[3]: '(?i)kyiv' cannot be used inside the lexicon "
        "(global flags not at the start of the expression at position 3); set case with the variant's `case`, "
        "or scope flags as (?i:...)",
    ]),
    "empty lexicon entry": (lambda d: d["categories"][0]["lexicon"][0]["variants"][1].update(terms=[]), [
        "categories[0].lexicon[0].variants[1]: the variant has no terms or patterns (an empty lexicon entry)",
    ]),
    "blank term": (lambda d: d["categories"][0]["lexicon"][0]["variants"][1].update(terms=["Kyiv", "  "]), [
        "categories[0].lexicon[0].variants[1].terms[1]: is empty",
    ]),
    "alignment not declared": (lambda d: d["categories"][0]["lexicon"][1]["variants"][0].update(alignment="russia"), [
        "categories[0].lexicon[1].variants[0].alignment: 'russia' is not a declared alignment "
        "(kremlin, ukraine-west, neutral)",
    ]),
    "label not in category": (lambda d: d["categories"][0]["lexicon"][0]["variants"][0].update(label="kremlin"), [
        "categories[0].lexicon[0].variants[0].label: 'kremlin' is not a label of term",
    ]),
    "missing field and wrong type": (lambda d: (d.pop("title"), d["categories"][1].update(kind="spam")), [
        "title: is missing",
        "categories[1].kind: Input should be 'span' or 'article'",
    ]),
    "unknown field": (lambda d: d["categories"][0]["labels"][0].update(colour="red"), [
        "categories[0].labels[0].colour: Extra inputs are not permitted",
    ]),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_codebook_check_reports_each_problem_on_one_line(case, workdir):
    mutate, problems = BROKEN[case]
    name = _write(workdir, "broken.yaml", _broken(mutate))
    result = run("codebook", "check", name, env=WIDE)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"error: broken.yaml: {problem}" for problem in problems]


UNREADABLE = {
    "invalid YAML": (b"id: x\ncategories: [\n  - a: b\n",
                     "invalid YAML at line 3 column 3: expected the node content, but found '-'"),
    "a list instead of a mapping": (b"- id: x\n- id: y\n",
                                    "top level: must be a mapping (id, version, title, categories, ...), not a list"),
    "a scalar": (b"just words\n", "top level: must be a mapping (id, version, title, categories, ...), not a str"),
    "empty file": (b"", "is empty (a codebook is a mapping: id, version, title, categories, ...)"),
    "binary file": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "is not UTF-8 text (invalid byte at offset 0)"),
    "NUL bytes": (b"id: x\x00\n", "invalid YAML: unacceptable character #x0000: special characters are not allowed"),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_codebook_check_unreadable_files(case, workdir):
    content, problem = UNREADABLE[case]
    (workdir / "bad.yaml").write_bytes(content)
    result = run("codebook", "check", "bad.yaml", env=WIDE)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr.splitlines() == [f"error: bad.yaml: {problem}"]


def test_codebook_check_missing_file_and_folder(workdir):
    (workdir / "folder.yaml").mkdir()
    result = run("codebook", "check", "missing.yaml", "folder.yaml", env=WIDE)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr.splitlines() == ["error: missing.yaml: no such file",
                                          "error: folder.yaml: is a folder, not a file"]


def test_codebook_check_goes_on_after_a_bad_file(workdir):
    (workdir / "bad.yaml").write_text("- a list\n", encoding="utf-8")
    result = run("codebook", "check", "bad.yaml", str(MINI), str(CODEBOOK_DIR / "ru-ua-framing.yaml"), env=WIDE)
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == ["ok", "ok"]


def test_codebook_show_of_a_broken_file_fails_cleanly(workdir):
    name = _write(workdir, "broken.yaml", _broken(lambda d: d["categories"][0]["labels"][1].update(key="1")))
    result = run("codebook", "show", name, env=WIDE)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.stderr.startswith("error: broken.yaml: categories[0].labels[1].key: ")


def test_codebook_check_lines_are_not_wrapped_on_a_pipe(workdir):
    mutate, problems = BROKEN["bad regex patterns"]
    name = _write(workdir, "broken.yaml", _broken(mutate))
    result = run("codebook", "check", name)  # default width: not a terminal
    assert result.stderr.splitlines() == [f"error: broken.yaml: {problem}" for problem in problems]


def test_codebook_check_never_prints_escape_sequences_from_the_file(workdir):
    (workdir / "evil.yaml").write_text('id: evil\nversion: "1"\ntitle: t\n"\\e]0;PWNED\\a\\e[2Jx": 1\n'
                                       'categories: [{id: c, name: "[bold]C[/]", kind: span, labels: []}]\n')
    result = CliRunner().invoke(main, ["codebook", "check", "evil.yaml"])
    assert result.exit_code == 1
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "\\x1b]0;PWNED" in result.stderr  # shown, escaped, so the user can find it
