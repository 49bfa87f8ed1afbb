"""Inter-annotator agreement.

* :mod:`.coding`: Krippendorff's alpha per article question (nominal, ordinal, interval,
  ratio) and per label present/absent, Cohen's kappa per pair of annotators;
* :mod:`.unitizing`: Krippendorff's unitizing alpha (u-alpha, cu-alpha) over the
  characters of articles;
* :mod:`.span_match`: pairwise span matching (exact and overlap) and its counts;
* :mod:`.spans`: the span figures of a codebook read from the store (unitizing alpha,
  span F1, voice agreement);
* :mod:`.kappas`: Fleiss' kappa and weighted Cohen's kappa;
* :mod:`.bootstrap`: confidence intervals by resampling units;
* :mod:`.disagreements`: the articles where annotators disagree most;
* :mod:`.report`: all of it as result tables (what ``annotator agreement`` prints).
"""

from .coding import (MIN_UNITS, AlphaResult, Item, KappaResult, agreement_tables, cohen_kappa, item_kappas, items,
                     krippendorff_alpha, matrix_alpha)
from .disagreements import ArticleDisagreement, article_disagreements, disagreement_table
from .report import Options, report_tables, span_tables
from .spans import read_studies

__all__ = ["MIN_UNITS", "AlphaResult", "ArticleDisagreement", "Item", "KappaResult", "Options", "agreement_tables",
           "article_disagreements", "cohen_kappa", "disagreement_table", "item_kappas", "items", "krippendorff_alpha",
           "matrix_alpha", "read_studies", "report_tables", "span_tables"]
