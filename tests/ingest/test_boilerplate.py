from hypothesis import given, strategies as st

from annotator.ingest.boilerplate import restore, strip_boilerplate
from annotator.normalize import normalize_text

from tests.conftest import CORPUS, SEED_FILES


def canonical(seed: str) -> tuple[str, str, list]:
    full = normalize_text((CORPUS / SEED_FILES[seed]).read_text(encoding="utf-8"))
    text, removed = strip_boilerplate(full)
    return full, text, removed


def test_yahoo_error_widget_removed():
    _, text, removed = canonical("yahoo")
    assert "Oops" not in text and "Something went wrong" not in text
    assert text.startswith("Kremlin: 'No significant progress'")
    assert {r.rule for r in removed} >= {"error-widget"}


def test_press_tv_mirror_notice_and_share_buttons_removed():
    _, text, _ = canonical("press_tv")
    assert "alternate addresses" not in text and "presstv.co.uk" not in text
    assert "SHARE THIS ARTICLE" not in text and "Roku" not in text
    assert not text.startswith("News")  # breadcrumb
    assert text.rstrip().endswith("to use it against Russia.")


def test_kyiv_independent_navigation_headlines_removed():
    _, text, _ = canonical("kyiv_independent")
    for headline in ("Negotiations in Istanbul: will expectations meet reality?",
                     "Kolomoisky embezzlement case", "Putin grants Belarusians",
                     "Georgian-Ukrainian electronic music festival"):
        assert headline not in text
    assert text.startswith("Kremlin indicates Putin-Zelensky meeting unlikely before August")
    assert "6,000 bodies of soldiers who died in the war." in text


def test_telesur_strip_captions_and_comments_removed():
    _, text, _ = canonical("telesur")
    for chrome in ("Audio Only", "google plus", "| Photo:", "Post with no comments", "News > Russia"):
        assert chrome not in text
    assert text.startswith("Open to Talks With Ukraine")


def test_article_without_chrome_is_unchanged():
    full, text, removed = canonical("daily_herald")
    assert text == full.strip()


def test_removed_ranges_rebuild_the_canonical_text():
    for seed in SEED_FILES:
        full, text, removed = canonical(seed)
        assert restore(full, removed) == text
        assert all(full[r.start:r.end] for r in removed)


def test_paragraphs_keep_one_blank_line():
    text, _ = strip_boilerplate("\n\n  \nFirst para.  \n\n\n\n\nSecond para.\nsame para\n\n")
    assert text == "First para.\n\nSecond para.\nsame para"


def test_two_megabyte_single_line_is_kept_whole():
    line = "word " * 400_000
    text, removed = strip_boilerplate(line)
    assert text == line.rstrip()


PIECES = list("ab -•\n\t") + ["Oops!", "SHARE", "News / X", "Post with no comments.", "-\n", "\n\n"]


@given(st.lists(st.sampled_from(PIECES)))
def test_restore_property(pieces):
    full = normalize_text("".join(pieces))
    text, removed = strip_boilerplate(full)
    assert restore(full, removed) == text
    spans = sorted((r.start, r.end) for r in removed)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_a_live_blog_with_separator_lines_is_kept_whole():
    updates = [
        "10:02 Russia said the special military operation would continue.",
        "10:15 Kyiv said air defences shot down 19 drones overnight.",
        "10:40 The Kremlin declined to comment on the talks in Istanbul, saying there was nothing to add.",
        "11:05 Officials in Kharkiv reported two people injured in a strike on a residential building.",
    ]
    text = "Live: the war, day 900\n-\n" + "\n-\n".join(updates) + "\n"
    canonical, removed = strip_boilerplate(text)
    assert not [r for r in removed if r.rule == "navigation-headlines"]
    for update in updates:
        assert update in canonical
