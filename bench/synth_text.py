"""The synthetic corpus of ``bench/synth.py``: English news prose from a Zipf-weighted
vocabulary with the default codebook's term variants mixed in, following each outlet's side
(see ``synth.py``'s docstring for what the articles hold). Deterministic for a seed."""

from __future__ import annotations

import bisect
import itertools
import json
import math
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REGISTRY = ROOT / "annotator" / "data" / "outlets.yaml"
CODEBOOK = "ru-ua-framing"
STORY_SIZE = 4  # articles per story, for a tenth of the corpus

# Ordered by how common they are in news prose (a Zipf weight by rank is given below).
FUNCTION_WORDS = """the of and to a in that said is for on was with as it by at from his be has have are an not
he which but were had after this who their its they been also will would more than about over two into one other
last year people when there new she or up all some could her we can only first time three out against since while
before them no what during most years him our you such because if between where under any those now still told
may these both many did should even very so says just however including another through four told further""".split()

CONTENT_WORDS = """government president minister officials forces military troops talks meeting statement week
country countries security sanctions agreement ceasefire negotiations peace border region city attack attacks
drone drones missile missiles strike strikes energy gas oil grain exports prices economy support aid weapons
defence defense spokesman ministry foreign leaders leader summit delegation proposal plan deal called added
according report reported reports news agency sources state national international western european eastern
southern northern front line lines soldiers civilians killed wounded damaged buildings infrastructure power
plant nuclear station water supply residents refugees children families humanitarian corridor evacuation
shelling artillery tanks air defence systems bank banks currency inflation budget billion million percent
election elections parliament vote votes law laws court courts investigation prosecutors charges crimes
journalists media television interview press conference video footage images satellite analysts experts
observers mission monitors diplomats ambassador embassy relations cooperation partners allies alliance
membership accession bid treaty guarantees demands conditions terms position positions response warned
warning threat threats risk risks escalation tensions pressure control territory territories areas villages
towns settlement settlements operation operations offensive counteroffensive advance advances withdrawal
retreat positions unit units brigade battalion commander commanders general generals staff headquarters
service services intelligence officer officers authorities local regional federal governor mayor council
administration policy policies decision decisions measures steps process stage round rounds progress result
results end beginning month months day days hours morning evening night today yesterday monday tuesday
wednesday thursday friday saturday sunday january february march april june july august september october
november december spring summer autumn winter earlier later recent recently currently already again never
always often large small major minor important key main significant serious heavy long short high low
strong weak possible likely unclear full partial direct indirect official unofficial public private open
closed joint separate further additional previous next final several few many much little own same different
make made take took give gave say see saw come came go went know knew think thought want wanted use used find
found tell asked ask work worked seem seemed feel felt try tried leave left call keep kept let begin began
show showed hear heard play run move live believe bring brought happen happened write provide sit stand lose
lost pay paid meet include included continue continued set learn change changed lead led understand watch
follow followed stop stopped create speak read allow allowed add spend grow open walk win offer offered remember
consider considered appear buy wait serve die send sent expect expected build built stay fall cut reach
kill remain remained suggest suggested raise pass sell require required decide decided return returned
explain explained hope hoped develop carry break receive received agree agreed""".split()

NAMES = """Putin Peskov Lavrov Shoigu Zakharova Medvedev Ushakov Dmitriev Kuleba Yermak Podolyak Sybiha Umerov
Stoltenberg Rutte Biden Trump Blinken Rubio Witkoff Macron Scholz Merz Starmer Sunak Erdoğan Guterres Borrell
Kallas Orbán Lukashenko Kadyrov Gerasimov Zaluzhnyi Syrskyi Reznikov Grossi Xi Modi Lula Ramaphosa""".split()

PLACES = """Moscow Washington Brussels Berlin Paris London Ankara Istanbul Geneva Riyadh Minsk Warsaw Vilnius Crimea
Donetsk Kherson Mariupol Belgorod Kursk Sumy Chernihiv Poltava Vinnytsia Pokrovsk Avdiivka Sevastopol Europe
Russia Ukraine NATO EU UN Beijing Tehran Caracas Doha Alaska""".split()

POSSESSIVES = ["Russia’s", "Ukraine’s", "Kremlin’s", "Moscow’s", "Europe’s", "NATO’s", "Washington’s", "country’s",
               "government’s", "president’s", "army’s", "ministry’s"]
SAY = ["said", "told reporters", "said in a statement", "wrote on Telegram", "told a news conference", "added",
       "said on Monday", "said on Friday", "told state television", "said in an interview"]
SECTIONS = ["News", "World", "Europe", "Politics", "Russia", "Ukraine", "Opinion", "Analysis"]

# How much more often than the rest an outlet publishes, and the side its wording takes
# (the probability that a placed variant is the Kremlin form; the rest Ukraine/West,
# with a neutral form now and then).
OUTLET_WEIGHTS = {"reuters": 9, "ap": 9, "tass": 8, "ria-novosti": 6, "rt": 6, "yahoo-news": 6, "bbc": 5,
                  "interfax": 4, "sputnik": 4, "al-jazeera": 4, "kyiv-independent": 4, "ukrainska-pravda": 3,
                  "the-hill": 3, "press-tv": 3, "telesur": 2, "daily-herald": 1}
KREMLIN_SHARE_BY_COUNTRY = {"Russia": 0.85, "Iran": 0.7, "Venezuela": 0.6, "Ukraine": 0.05}
KREMLIN_SHARE_DEFAULT = 0.2


def zipf_cumulative(count: int, s: float = 1.0, shift: float = 2.7) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + shift) ** s for rank in range(count)))


class Generator:
    """Articles, one after another, from one seeded random source."""

    def __init__(self, seed: int):
        from annotator.codebook import Kind, find_codebook
        from annotator.lexicon import Matcher
        from annotator.outlets.registry import load_registry

        self.rng = random.Random(seed)
        self.codebook = find_codebook(CODEBOOK)
        matcher = Matcher(self.codebook)
        # filler words never make a lexicon match by themselves ("the war" is one)
        vocabulary = [w for w in dict.fromkeys(FUNCTION_WORDS + CONTENT_WORDS + NAMES + PLACES + POSSESSIVES)
                      if not matcher.find(f"the {w} x") and not matcher.find(f"x {w} the")]
        function = [w for w in vocabulary if w in set(FUNCTION_WORDS)]
        other = [w for w in vocabulary if w not in set(FUNCTION_WORDS)]
        self.rng.shuffle(other)  # content words get Zipf ranks after the function words, at random
        self.vocabulary = function + other
        self.cumulative = zipf_cumulative(len(self.vocabulary))
        self.outlets = load_registry(REGISTRY)
        self.outlet_ids = [o.id for o in self.outlets]
        self.outlet_cumulative = list(itertools.accumulate(OUTLET_WEIGHTS.get(o.id, 2) for o in self.outlets))
        self.kremlin_share = {o.id: KREMLIN_SHARE_BY_COUNTRY.get(o.country or "", KREMLIN_SHARE_DEFAULT)
                              for o in self.outlets}
        self.by_id = {o.id: o for o in self.outlets}
        # lexicon: concept -> alignment -> [(variant, terms)]; concepts weighted as news uses them
        self.concepts: list[tuple[str, dict[str, list[list[str]]]]] = []
        for category in self.codebook.categories:
            if category.kind is not Kind.span:
                continue
            for concept in category.lexicon:
                sides: dict[str, list[list[str]]] = {}
                for variant in concept.variants:
                    if variant.terms:
                        sides.setdefault(variant.alignment, []).append(list(variant.terms))
                self.concepts.append((concept.concept, sides))
        heavy = {"capital": 6, "the-war": 6, "cities": 3, "region": 2, "outcome": 2, "occupied-areas": 2}
        self.concept_cumulative = list(itertools.accumulate(heavy.get(name, 1) for name, _ in self.concepts))

    # -- pieces -------------------------------------------------------------------

    def _words(self, n: int) -> list[str]:
        return self.rng.choices(self.vocabulary, cum_weights=self.cumulative, k=n)

    def _term(self, kremlin_share: float) -> str:
        rng = self.rng
        _, sides = self.concepts[bisect.bisect_right(self.concept_cumulative, rng.random() * self.concept_cumulative[-1])]
        roll = rng.random()
        side = "kremlin" if roll < kremlin_share else ("neutral" if roll > 0.93 else "ukraine-west")
        options = sides.get(side) or sides.get("neutral") or next(iter(sides.values()))
        terms = rng.choice(options)
        return rng.choice(terms)

    def _sentence(self, n: int, terms_left: list[int], kremlin_share: float) -> tuple[str, bool]:
        """A sentence of ``n`` words (a lexicon term replacing one word now and then)."""
        rng = self.rng
        words = self._words(n)
        if terms_left[0] > 0 and n > 4 and rng.random() < 0.5:
            at = rng.randrange(1, n - 1)
            term = self._term(kremlin_share)
            framing = rng.random()
            if framing < 0.08:
                term = f"“{term}”"
            elif framing < 0.12:
                term = f"so-called {term}"
            words[at] = term
            terms_left[0] -= 1
        if rng.random() < 0.06:
            words[rng.randrange(1, n)] = str(rng.choice((rng.randrange(2, 100), rng.randrange(100, 5000))))
        if n > 12 and rng.random() < 0.08:
            words.insert(rng.randrange(4, n - 3), "—")
        if n > 8 and rng.random() < 0.3:
            words[rng.randrange(2, n - 2)] += ","
        text = " ".join(words)
        text = text[0].upper() + text[1:]
        if rng.random() < 0.14:  # a quotation, attributed
            return f"“{text},” {rng.choice(NAMES)} {rng.choice(SAY)}.", True
        return text + ".", False

    def article(self, number: int) -> dict:
        """The record of article ``number`` (a dict as in a JSONL line)."""
        rng = self.rng
        words = int(min(3000, max(200, rng.lognormvariate(math.log(700), 0.6))))
        publisher = self.outlet_ids[bisect.bisect_right(self.outlet_cumulative, rng.random() * self.outlet_cumulative[-1])]
        share = self.kremlin_share[publisher]
        terms_left = [max(0, round(words / 110 * rng.uniform(0.3, 1.7)))]
        paragraphs: list[str] = []
        left = words
        while left > 0:
            sentences = []
            for _ in range(1 if not paragraphs else rng.randint(1, 4)):
                n = min(left, max(4, int(rng.gauss(21, 8))))
                if left - n < 4:
                    n = left
                sentence, _ = self._sentence(n, terms_left, share)
                sentences.append(sentence)
                left -= n
                if left <= 0:
                    break
            paragraphs.append(" ".join(sentences))
        paragraphs = self._chrome(publisher, paragraphs)
        text = "\n\n".join(paragraphs)
        if rng.random() < 0.1:
            text = text.replace("\n", "\r\n")
        if rng.random() < 0.03:
            text += "\n\nTalks in Ankara were hosted by Erdog\u0306an."  # decomposed: NFC makes one letter
        title_words = self._words(rng.randint(6, 13))
        if rng.random() < 0.4:
            title_words[rng.randrange(1, len(title_words))] = self._term(share)
        title = " ".join(title_words)
        title = title[0].upper() + title[1:]
        record: dict = {"title": title, "text": text}
        outlet = self.by_id[publisher]
        domain = outlet.domains[0] if outlet.domains else "example.org"
        record["url"] = f"https://{domain}/news/{number:06d}-{'-'.join(w.lower() for w in title_words[:4])}"
        named = rng.random()
        if named < 0.88:
            record["publisher"] = publisher
        elif named < 0.93 and outlet.name:
            record["publisher"] = outlet.name
        # else: only the url's domain tells the outlet
        if publisher in ("yahoo-news", "daily-herald") and rng.random() < 0.6:
            record["original_source"] = rng.choice(["ap", "reuters", "the-hill"])
        year = rng.choices(range(2014, 2026), weights=[1, 1, 1, 1, 1, 1, 1, 2, 10, 8, 6, 6])[0]
        day = datetime(year, 1, 1) + timedelta(days=rng.randrange(365))
        roll = rng.random()
        record["published"] = ("unknown" if roll < 0.02 else f"~{day:%Y-%m}" if roll < 0.05 else f"{day:%Y-%m-%d}")
        record["language"] = "en"
        if (number // STORY_SIZE) % 10 == 0:  # a tenth of the articles report one event in fours
            record["story"] = f"event-{number // STORY_SIZE:05d}"
        return record

    def _chrome(self, publisher: str, paragraphs: list[str]) -> list[str]:
        """Page chrome as scrapers leave it, for the boilerplate rules to remove (15% of articles)."""
        rng = self.rng
        if rng.random() >= 0.15:
            return paragraphs
        if publisher == "yahoo-news":
            return paragraphs[:1] + ["• Oops!\n• Something went wrong.\n• Please try again later."] + paragraphs[1:]
        if publisher == "telesur":
            return ["• Live\n• Audio Only\n• facebook\n• twitter\n• google plus"] + paragraphs
        if publisher == "press-tv":
            return paragraphs + ["Press TV’s website can also be accessed at the following alternate addresses:",
                                 "www.presstv.ir", "www.presstv.co.uk"]
        kind = rng.randrange(4)
        if kind == 0:
            return [f"{rng.choice(SECTIONS)} / {rng.choice(SECTIONS)}"] + paragraphs
        if kind == 1:
            return paragraphs + ["SHARE THIS ARTICLE\nPrint"]
        if kind == 2:
            return paragraphs + [f"{rng.choice(PLACES)} {rng.choice(PLACES)}\n{rng.randrange(2, 90)} comments"]
        caption = " ".join(self._words(8))
        return paragraphs[:2] + [f"{caption.capitalize()} | Photo: {rng.choice(['Reuters', 'AFP', 'Twitter/@mod'])}"] \
            + paragraphs[2:]


def write_corpus(out: Path, articles: int, seed: int = 1) -> int:
    """A JSONL corpus of ``articles`` articles plus 0.5% repeated texts; returns the records written."""
    generator = Generator(seed)
    kept: list[dict] = []  # a sample of texts to repeat under another url
    written = 0
    with out.open("w", encoding="utf-8", newline="\n") as fh:
        for number in range(articles):
            record = generator.article(number)
            if number % 200 == 7:
                kept.append(record)
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
        for copy, record in enumerate(kept):  # syndicated copies: the same text elsewhere (duplicates)
            other = dict(record, url=f"https://www.yahoo.com/news/copy-{copy:06d}", publisher="yahoo-news")
            fh.write(json.dumps(other, ensure_ascii=False) + "\n")
            written += 1
    return written

