"""Inter-annotator agreement.

* :mod:`.coding`: Krippendorff's alpha per article question (nominal, ordinal, interval,
  ratio) and per label present/absent, Cohen's kappa per pair of annotators;
* :mod:`.unitizing`: Krippendorff's unitizing alpha (u-alpha, cu-alpha) over the
  characters of articles;
* :mod:`.span_match`: pairwise span F1 (exact and overlap match) and voice agreement;
* :mod:`.spans`: the span figures of a codebook read from the store;
* :mod:`.kappas`: Fleiss' kappa and weighted Cohen's kappa;
* :mod:`.bootstrap`: confidence intervals by resampling units;
* :mod:`.disagreements`: the articles where annotators disagree most;
* :mod:`.report`: all of it as result tables.
"""

from .coding import (AlphaResult, Item, KappaResult, agreement_tables, cohen_kappa, item_kappas, items,
                     krippendorff_alpha, matrix_alpha)

__all__ = ["AlphaResult", "Item", "KappaResult", "agreement_tables", "cohen_kappa", "item_kappas", "items",
           "krippendorff_alpha", "matrix_alpha"]
