"""First-order optimizers and what goes with them: running, clipping, averaging, early stopping.

Every optimizer is configured once and used functionally::

    opt = optlib.optim.Adam(lr=1e-3)            # hyper-parameters only
    state = opt.init(params)                    # a pytree of arrays plus the step count
    params, state = opt.update(params, grads, state)

``params``, ``grads`` and ``state`` are pytrees (see :mod:`optlib.tree`); the
state can be saved with :func:`optlib.tree.save` (or pickled) and a run resumed
bit for bit, and ``opt.next_lr(state)`` is the learning rate of the next update. Names, defaults and update rules follow ``torch.optim``. Each
optimizer lives in its own short module, whose ``update`` is the algorithm box
of its chapter.
"""
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamw import AdamW
from .asgd import ASGD
from .averaging import ExponentialMovingAverage, PolyakAverage
from .clip import clip_by_norm, clip_by_value, global_norm
from .early_stopping import EarlyStopping
from .epochs import EpochHistory, run_epochs
from .natural_gradient import NaturalGradient
from .range_test import lr_range_test, smooth_losses
from .rmsprop import RMSprop
from .run import History, run
from .sgd import SGD

__all__ = [
    "SGD",
    "Adagrad",
    "Adadelta",
    "RMSprop",
    "Adam",
    "AdamW",
    "ASGD",
    "NaturalGradient",
    "run",
    "History",
    "clip_by_value",
    "clip_by_norm",
    "global_norm",
    "PolyakAverage",
    "ExponentialMovingAverage",
    "EarlyStopping",
    "run_epochs",
    "EpochHistory",
    "lr_range_test",
    "smooth_losses",
]
