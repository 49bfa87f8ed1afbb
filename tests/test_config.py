"""The configuration file: who you are, which codebook, which keys; bad files get one clear line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from annotator.cli import main
from annotator.config import load_config, resolve_annotator
from annotator.errors import InputError


@pytest.fixture(autouse=True)
def no_user_config(monkeypatch, tmp_path):
    monkeypatch.delenv("ANNOTATOR_CONFIG", raising=False)
    monkeypatch.delenv("ANNOTATOR_NAME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-such-config-home"))


def test_project_file_in_the_working_folder_is_read(workdir):
    (workdir / "annotator.toml").write_text('annotator = "maria"\ncodebook = "policy-frames"\n[keys]\nnext_article = "ctrl+n"\n')
    config = load_config()
    assert (config.annotator, config.codebook, config.keys) == ("maria", "policy-frames", {"next_article": "ctrl+n"})


def test_annotator_name_precedence(workdir, monkeypatch):
    (workdir / "annotator.toml").write_text('annotator = "from-file"\n')
    config = load_config()
    monkeypatch.setenv("ANNOTATOR_NAME", "from-env")
    assert resolve_annotator("from-flag", config) == "from-flag"
    assert resolve_annotator(None, config) == "from-file"
    (workdir / "annotator.toml").write_text("")
    assert resolve_annotator(None, load_config()) == "from-env"


def test_annotator_name_loses_escape_sequences_and_newlines(workdir):
    assert resolve_annotator("ma\x1b[31mria\nx", load_config()) == "maria x"


@pytest.mark.parametrize(
    "content, message",
    [
        ("annotator = ", "invalid TOML"),
        ('colour = "red"\n', "unknown setting(s) colour"),
        ("annotator = 5\n", "annotator: must be a non-empty string"),
        ('codebook = ""\n', "codebook: must be a non-empty string"),
        ('keys = "x"\n', "keys: must be a table"),
        (b"\xff\xfe\x00bad", "is not UTF-8 text"),
    ],
)
def test_bad_configuration_is_one_line_naming_the_file_and_setting(demo_dir, content, message):
    path = demo_dir / "annotator.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(InputError, match="annotator.toml"):
        load_config()
    result = CliRunner().invoke(main, ["tui"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    [line] = result.stderr.splitlines()
    assert line.startswith("error: annotator.toml: ") and message in line


def test_unknown_codebook_in_configuration_is_one_line(demo_dir):
    (demo_dir / "annotator.toml").write_text('codebook = "nope"\n')
    result = CliRunner().invoke(main, ["tui"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: no codebook 'nope' (shipped: policy-frames, ru-ua-framing; or give a .yaml path)"]


@pytest.mark.parametrize("before", [
    "",
    'codebook = "ru-ua-framing"\n\n[keys]\nnext_article = "ctrl+n"\n',
    '# mine\nannotator = "old"\ncodebook = "policy-frames"\n',
    '[keys]\ntoggle_done = "ctrl+d"\n',
])
def test_the_remembered_name_is_written_and_every_other_setting_kept(workdir, before):
    from annotator.config import annotator_and_source, remember_annotator, user_config_path

    path = user_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(before, encoding="utf-8")
    old = load_config(path)
    remember_annotator('Nadia "N" \\ Ó')
    new = load_config(path)
    assert new.annotator == 'Nadia "N" \\ Ó'
    assert (new.codebook, new.keys) == (old.codebook, old.keys)
    assert annotator_and_source(None, load_config()) == ('Nadia "N" \\ Ó', False)


def test_without_any_name_the_login_name_is_only_a_proposal(workdir):
    from annotator.config import annotator_and_source

    name, from_login = annotator_and_source(None, load_config())
    assert from_login and name
