"""Parameter bookkeeping: which parameters differ between two snapshots of
``get_params`` (array-like values compared by content).

Pure numpy.
"""

import numpy as np


def same_value(a, b):
    """Whether two parameter values are equal (array-likes compared by content)."""
    if a is b:
        return True
    try:
        return bool(a == b)
    except (ValueError, TypeError):  # arrays: ambiguous truth value
        try:
            return bool(np.array_equal(np.asarray(a), np.asarray(b)))
        except (ValueError, TypeError):
            return False


def changed_params(before, after):
    """Sorted names of the parameters of ``before`` whose value in ``after`` differs."""
    return sorted(k for k in before if not same_value(before[k], after[k]))
