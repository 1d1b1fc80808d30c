"""Optimizer configurations shared by the optimizer tests (one per code path of each update rule)."""
import numpy as np

from optlib import optim, schedules

#: Every optimizer with settings that exercise each branch of its rule.
CONFIGURED = [
    optim.SGD(lr=0.1),
    optim.SGD(lr=0.1, momentum=0.9, dampening=0.2, weight_decay=0.1),
    optim.SGD(lr=0.1, momentum=0.9, nesterov=True),
    optim.SGD(lr=schedules.exponential_decay(0.1, 0.9), momentum=0.5),
    optim.Adagrad(lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.1),
    optim.Adagrad(lr=schedules.step_decay(0.1, 2, 0.5), lr_decay=0.1),
    optim.Adadelta(weight_decay=0.1),
    optim.RMSprop(),
    optim.RMSprop(lr=0.01, momentum=0.9, centered=True, weight_decay=0.1),
    optim.Adam(lr=0.01),
    optim.Adam(lr=0.01, amsgrad=True, weight_decay=0.1),
    optim.AdamW(lr=schedules.cosine_annealing(0.01, 0.001, 5)),
    optim.AdamW(lr=0.01, amsgrad=True),
    optim.ASGD(lr=0.05, t0=2),
    optim.ASGD(lr=0.05, lambd=0.1, weight_decay=0.1, t0=0),
]


def config_id(opt):
    return repr(opt).replace(" ", "")


def example_params():
    """A nested pytree with arrays of several shapes, a Python float and a None."""
    rng = np.random.default_rng(0)
    return {
        "layers": [{"W": rng.normal(size=(3, 2)), "b": rng.normal(size=2)},
                   {"W": rng.normal(size=(2, 1)), "b": rng.normal(size=1)}],
        "scale": 0.7,
        "frozen": None,
        "pair": (rng.normal(size=()), rng.normal(size=4)),
    }


def example_grads(k, params=None):
    """The gradient of update k: a fixed function of k (and of the parameters if given)."""
    rng = np.random.default_rng(100 + k)
    template = example_params()

    def leaf(p):
        return rng.normal(size=np.shape(p)) * 10.0 ** rng.uniform(-1, 1)

    from optlib.tree import tree_map

    noise = tree_map(leaf, template)
    noise["scale"] = float(noise["scale"])
    if params is None:
        return noise
    return tree_map(lambda g, p: g + 0.5 * np.asarray(p) if isinstance(g, np.ndarray) else g + 0.5 * p,
                    noise, params)
