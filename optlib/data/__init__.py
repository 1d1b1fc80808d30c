"""optlib.data: the data sets the chapters train on, and how to feed them to a model.

- synthetic sets (:mod:`~optlib.data.synthetic`): :func:`two_moons`,
  :func:`spirals`, :func:`linear_regression` (feature scale and correlation
  under control), :func:`polynomial_regression` (for over-fitting),
  :func:`sparse_classification` (rare features, for AdaGrad);
- sequence tasks (:mod:`~optlib.data.sequences`): :func:`adding_problem` and
  :func:`copy_task`, with a long-range dependency of chosen length
  (:func:`copy_task_spanning` sets its span, :func:`recall_accuracy` scores it);
- a small real data set that ships with the package: :func:`load_digits`,
  the 8x8 handwritten digits (UCI, CC BY 4.0);
- :func:`train_val_test_split` and :func:`minibatches` (one epoch);
- curriculum learning (:mod:`~optlib.data.curriculum`): :func:`curriculum_order`,
  :func:`pacing`, :func:`curriculum_batches`.

Every random draw comes from the ``rng`` argument (a ``np.random.Generator`` or
an int seed)::

    X, y = load_digits()
    (X_tr, y_tr), (X_val, y_val), (X_te, y_te) = train_val_test_split(X, y, rng=0)
    for X_batch, y_batch in minibatches(X_tr, y_tr, 64, rng):
        ...
"""
from optlib.data.batching import minibatches, n_batches, train_val_test_split
from optlib.data.curriculum import PACINGS, curriculum_batches, curriculum_order, pacing
from optlib.data.digits import load_digits
from optlib.data.labels import corrupt_labels
from optlib.data.sequences import (adding_problem, copy_task, copy_task_spanning, recall_accuracy,
                                   writing_mask)
from optlib.data.synthetic import (linear_regression, polynomial_features, polynomial_regression,
                                   sparse_classification, spirals, two_moons)

__all__ = ["two_moons", "spirals", "linear_regression", "polynomial_regression",
           "polynomial_features", "sparse_classification", "adding_problem", "copy_task",
           "copy_task_spanning", "writing_mask", "recall_accuracy",
           "load_digits", "train_val_test_split", "minibatches", "n_batches",
           "curriculum_order", "pacing", "curriculum_batches", "PACINGS"]
__all__ += ["corrupt_labels"]
