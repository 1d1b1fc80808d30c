"""The functional optimizer API: pytrees, no mutation, state as data (exact resume), validation."""
import copy
import io
import pickle

import numpy as np
import pytest
from optim_cases import CONFIGURED, config_id, example_grads, example_params

from optlib import optim, schedules
from optlib import tree as T


def assert_trees_identical(a, b):
    """Same structure, same leaf types, same bits."""
    assert T.tree_flatten(a)[1] == T.tree_flatten(b)[1]
    for x, y in zip(T.tree_leaves(a), T.tree_leaves(b)):
        assert type(x) is type(y)
        assert np.asarray(x).dtype == np.asarray(y).dtype
        assert np.asarray(x).tobytes() == np.asarray(y).tobytes()


def run_steps(opt, params, state, start, stop):
    for k in range(start, stop):
        params, state = opt.update(params, example_grads(k, params), state)
    return params, state


# --------------------------------------------------------------------------- pytrees


@pytest.mark.parametrize("opt", CONFIGURED, ids=config_id)
def test_pytree_update_equals_the_update_of_the_raveled_vector(opt):
    params = example_params()
    flat, unravel = T.ravel(params)
    state, flat_state = opt.init(params), opt.init(flat)
    for k in range(4):
        grads = example_grads(k, params)
        params, state = opt.update(params, grads, state)
        flat, flat_state = opt.update(flat, T.ravel(grads)[0], flat_state)
    np.testing.assert_allclose(T.ravel(params)[0], flat, rtol=1e-14, atol=1e-300)


@pytest.mark.parametrize("opt", CONFIGURED, ids=config_id)
def test_structure_is_kept(opt):
    params = example_params()
    new, state = opt.update(params, example_grads(0), opt.init(params))
    assert T.tree_flatten(new)[1] == T.tree_flatten(params)[1]
    assert list(new) == list(params)  # dict key order
    assert isinstance(new["layers"], list) and isinstance(new["pair"], tuple)
    assert new["frozen"] is None
    assert type(new["scale"]) is float
    assert new["layers"][0]["W"].shape == (3, 2) and new["layers"][0]["W"].dtype == np.float64
    assert isinstance(state["step"], int) and state["step"] == 1


@pytest.mark.parametrize("opt", CONFIGURED, ids=config_id)
def test_inputs_are_not_mutated(opt):
    params = example_params()
    state = opt.init(params)
    params, state = run_steps(opt, params, state, 0, 2)
    grads = example_grads(2, params)
    before = copy.deepcopy((params, grads, state))
    new_params, new_state = opt.update(params, grads, state)
    assert_trees_identical((params, grads, state), before)
    # and the results share no memory with the inputs
    for leaf in T.tree_leaves(new_params) + T.tree_leaves(new_state):
        if isinstance(leaf, np.ndarray):
            for old in T.tree_leaves((params, grads, state)):
                if isinstance(old, np.ndarray):
                    assert not np.shares_memory(leaf, old)


def test_params_may_be_a_python_float():
    opt = optim.SGD(lr=0.25, momentum=0.5)
    theta, state = 1.0, opt.init(1.0)
    theta, state = opt.update(theta, 2.0, state)
    assert theta == 0.5 and type(theta) is float


# --------------------------------------------------------------------------- state is data


def save_and_load(state, tmp_path):
    path = tmp_path / "state.npz"
    T.save(path, state)
    return T.load(path)


@pytest.mark.parametrize("opt", CONFIGURED, ids=config_id)
def test_resume_after_save_and_load_is_bit_identical(opt, tmp_path):
    params0 = example_params()
    straight = run_steps(opt, params0, opt.init(params0), 0, 6)
    params, state = run_steps(opt, params0, opt.init(params0), 0, 3)
    T.save(tmp_path / "params.npz", params)
    params, state = T.load(tmp_path / "params.npz"), save_and_load(state, tmp_path)
    resumed = run_steps(opt, params, state, 3, 6)
    assert_trees_identical(resumed, straight)


@pytest.mark.parametrize("opt", CONFIGURED, ids=config_id)
def test_resume_after_pickle_is_bit_identical(opt):
    params0 = example_params()
    straight = run_steps(opt, params0, opt.init(params0), 0, 6)
    checkpoint = pickle.dumps(run_steps(opt, params0, opt.init(params0), 0, 3))
    params, state = pickle.loads(checkpoint)
    assert_trees_identical(run_steps(opt, params, state, 3, 6), straight)


@pytest.mark.parametrize("opt", CONFIGURED, ids=config_id)
def test_state_holds_only_arrays_and_ints(opt):
    params = example_params()
    for state in (opt.init(params), run_steps(opt, params, opt.init(params), 0, 2)[1]):
        assert isinstance(state["step"], int)
        for leaf in T.tree_leaves(state):
            assert isinstance(leaf, (np.ndarray, int)), type(leaf)
    buffer = io.BytesIO()
    T.save(buffer, state)  # savable without pickle


# --------------------------------------------------------------------------- validation


BAD_ARGUMENTS = [
    (optim.SGD, {"lr": -0.1}, r"lr must be a non-negative finite number, got -0\.1"),
    (optim.SGD, {"lr": float("nan")}, "lr must be a non-negative finite number, got nan"),
    (optim.SGD, {"lr": float("inf")}, "lr must be a non-negative finite number, got inf"),
    (optim.SGD, {"momentum": -0.5}, r"momentum must be a non-negative finite number, got -0\.5"),
    (optim.SGD, {"dampening": 1.5, "momentum": 0.9}, r"dampening must lie in \[0, 1\], got 1\.5"),
    (optim.SGD, {"weight_decay": -1e-4}, r"weight_decay must be a non-negative finite number, got -0\.0001"),
    (optim.SGD, {"nesterov": True}, "nesterov=True needs momentum > 0 and dampening = 0, got momentum=0"),
    (optim.SGD, {"nesterov": True, "momentum": 0.9, "dampening": 0.1}, r"nesterov.*dampening=0\.1"),
    (optim.Adagrad, {"lr_decay": -1.0}, r"lr_decay must be a non-negative finite number, got -1\.0"),
    (optim.Adagrad, {"initial_accumulator_value": -0.1}, "initial_accumulator_value must be"),
    (optim.Adagrad, {"eps": -1e-10}, r"eps must be a non-negative finite number, got -1e-10"),
    (optim.Adadelta, {"rho": 1.0}, r"rho must lie in \[0, 1\), got 1\.0"),
    (optim.Adadelta, {"rho": -0.1}, r"rho must lie in \[0, 1\), got -0\.1"),
    (optim.RMSprop, {"alpha": 1.0}, r"alpha must lie in \[0, 1\), got 1\.0"),
    (optim.RMSprop, {"momentum": -0.9}, "momentum must be a non-negative finite number, got -0.9"),
    (optim.Adam, {"betas": (0.9, 1.0)}, r"betas\[1\] must lie in \[0, 1\), got 1\.0"),
    (optim.Adam, {"betas": (-0.1, 0.999)}, r"betas\[0\] must lie in \[0, 1\), got -0\.1"),
    (optim.Adam, {"betas": (0.9,)}, r"betas must be a pair \(beta1, beta2\), got \(0\.9,\)"),
    (optim.Adam, {"eps": -1e-8}, "eps must be a non-negative finite number, got -1e-08"),
    (optim.AdamW, {"weight_decay": -0.01}, r"weight_decay must be a non-negative finite number, got -0\.01"),
    (optim.AdamW, {"betas": (1.5, 0.9)}, r"betas\[0\] must lie in \[0, 1\), got 1\.5"),
    (optim.ASGD, {"alpha": -0.75}, r"alpha must be a non-negative finite number, got -0\.75"),
    (optim.ASGD, {"lambd": -1e-4}, r"lambd must be a non-negative finite number, got -0\.0001"),
    (optim.ASGD, {"t0": -1.0}, r"t0 must be a non-negative finite number, got -1\.0"),
    (optim.ASGD, {"lr": -1.0}, r"lr must be a non-negative finite number, got -1\.0"),
]


@pytest.mark.parametrize("cls, kwargs, message", BAD_ARGUMENTS,
                         ids=[f"{c.__name__}-{'-'.join(k)}" for c, k, _ in BAD_ARGUMENTS])
def test_bad_hyper_parameters_raise_naming_argument_and_value(cls, kwargs, message):
    with pytest.raises(ValueError, match=message):
        cls(**kwargs)


def test_a_non_numeric_hyper_parameter_is_a_type_error():
    with pytest.raises(TypeError, match="momentum must be a real number, got '0.9'"):
        optim.SGD(momentum="0.9")
    with pytest.raises(TypeError, match="nesterov must be True or False"):
        optim.SGD(momentum=0.9, nesterov="yes")


@pytest.mark.parametrize("make", [lambda: optim.SGD(lr="0.1"), lambda: schedules.constant("0.1"),
                                  lambda: optim.Adam(lr="0.1"), lambda: optim.NaturalGradient("0.1", 0.0),
                                  lambda: schedules.step_decay("0.1", 2, 0.5)],
                         ids=["SGD", "constant", "Adam", "NaturalGradient", "step_decay"])
def test_a_learning_rate_given_as_a_string_is_a_type_error_for_optimizers_and_schedules_alike(make):
    with pytest.raises(TypeError, match=r"lr must be a real number, got '0\.1' \(str\)"):
        make()


@pytest.mark.parametrize("cls, kwargs, error, message", [
    (optim.Adam, {"betas": 0.9}, TypeError, r"betas must be a pair \(beta1, beta2\), got 0\.9"),
    (optim.Adam, {"betas": ("0.9", 0.999)}, TypeError, r"betas\[0\] must be a real number"),
    (optim.Adagrad, {"eps": None}, TypeError, "eps must be a real number, got None"),
    (optim.RMSprop, {"centered": 1}, TypeError, "centered must be True or False, got 1"),
    (optim.ASGD, {"check_finite": "no"}, TypeError, "check_finite must be True or False"),
    (optim.NaturalGradient, {"lr": 0.1, "damping": 0.0, "cg_maxiter": 2.5}, TypeError,
     r"cg_maxiter must be an integer, got 2\.5"),
    (optim.NaturalGradient, {"lr": 0.1, "damping": 0.0, "cg_maxiter": 0}, ValueError,
     "cg_maxiter must be an integer >= 1, got 0"),
])
def test_wrong_types_are_type_errors_and_bad_values_value_errors(cls, kwargs, error, message):
    with pytest.raises(error, match=message):
        cls(**kwargs)


def test_a_schedule_returning_a_bad_lr_raises_at_that_step():
    opt = optim.SGD(lr=lambda t: 0.1 if t < 2 else -0.1)
    theta, state = np.zeros(1), opt.init(np.zeros(1))
    for _ in range(2):
        theta, state = opt.update(theta, np.ones(1), state)
    with pytest.raises(ValueError, match=r"schedule returned -0\.1 at step 2"):
        opt.update(theta, np.ones(1), state)
    wrong_type = optim.SGD(lr=lambda t: "0.1")
    with pytest.raises(TypeError, match=r"schedule returned '0\.1' at step 0"):
        wrong_type.update(theta, np.ones(1), wrong_type.init(theta))


@pytest.mark.parametrize("opt", CONFIGURED, ids=config_id)
def test_next_lr_is_the_learning_rate_of_the_next_update(opt):
    params = example_params()
    state = opt.init(params)
    for k in range(4):
        expected = opt.lr(k) if callable(opt.lr) else opt.lr
        assert opt.next_lr(state) == expected
        params, state = opt.update(params, example_grads(k, params), state)


def test_next_lr_of_sgd_gives_the_size_of_the_next_step():
    opt = optim.SGD(lr=schedules.step_decay(0.5, 2, 0.1))
    theta, state = np.zeros(1), opt.init(np.zeros(1))
    for _ in range(4):
        lr = opt.next_lr(state)
        new, state = opt.update(theta, np.ones(1), state)
        assert theta[0] - new[0] == pytest.approx(lr, rel=1e-15)
        theta = new
    assert lr == pytest.approx(0.05)


@pytest.mark.parametrize("opt", CONFIGURED, ids=config_id)
def test_shape_mismatch_between_params_and_grads_names_the_leaf(opt):
    params = example_params()
    grads = example_grads(0)
    grads["layers"][1]["W"] = np.zeros((1, 2))
    with pytest.raises(ValueError, match=r"grads\['layers'\]\[1\]\['W'\] has shape \(1, 2\), "
                                         r"but params\['layers'\]\[1\]\['W'\] has shape \(2, 1\)"):
        opt.update(params, grads, opt.init(params))


def test_structure_mismatch_between_params_and_grads_names_the_path():
    opt = optim.Adam()
    params = {"w": np.zeros(2), "b": [np.zeros(1), np.zeros(1)]}
    with pytest.raises(ValueError, match=r"grads must have the structure of params.*\['b'\]"):
        opt.update(params, {"w": np.zeros(2), "b": [np.zeros(1)]}, opt.init(params))
    with pytest.raises(ValueError, match="grads must have the structure of params"):
        opt.update(params, {"w": np.zeros(2)}, opt.init(params))


def test_integer_parameters_are_rejected():
    with pytest.raises(TypeError, match=r"params\['w'\] has dtype int64"):
        optim.SGD().init({"w": np.arange(3)})


def complex_leaf(tree, path, value):
    """``tree`` with the leaf ``tree[path[0]][path[1]]...`` replaced by ``value``."""
    tree = copy.deepcopy(tree)
    node = tree
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return tree


@pytest.mark.parametrize("opt", CONFIGURED, ids=config_id)
def test_complex_gradients_raise_naming_the_leaf(opt):
    params = example_params()
    grads = complex_leaf(example_grads(0), ("layers", 1, "b"), np.array([1.0 + 2.0j]))
    with pytest.raises(ValueError, match=r"grads\['layers'\]\[1\]\['b'\] has dtype complex128"):
        opt.update(params, grads, opt.init(params))
    grads = complex_leaf(example_grads(0), ("scale",), 0.5j)
    with pytest.raises(ValueError, match=r"grads\['scale'\] is 0\.5j \(complex\)"):
        opt.update(params, grads, opt.init(params))


@pytest.mark.parametrize("opt", CONFIGURED + [optim.NaturalGradient(0.1, 0.0)], ids=config_id)
def test_complex_parameters_raise_naming_the_leaf(opt):
    params = complex_leaf(example_params(), ("layers", 0, "W"), np.ones((3, 2), dtype=complex))
    with pytest.raises(ValueError, match=r"params\['layers'\]\[0\]\['W'\] has dtype complex128"):
        opt.init(params)
    real = example_params()   # complex params given to update, after a real init
    state = opt.init(real)
    with pytest.raises(ValueError, match=r"params\['layers'\]\[0\]\['W'\] has dtype complex128"):
        if isinstance(opt, optim.NaturalGradient):
            opt.update(params, example_grads(0), state, np.eye(T.ravel(real)[0].size))
        else:
            opt.update(params, example_grads(0), state)


def test_complex_gradients_to_natural_gradient_raise_naming_the_leaf():
    ng = optim.NaturalGradient(lr=0.1, damping=0.0)
    params = {"w": np.zeros(2)}
    with pytest.raises(ValueError, match=r"grads\['w'\] has dtype complex128"):
        ng.update(params, {"w": np.array([1j, 0.0])}, ng.init(params), np.eye(2))


WITH_BUFFERS = [opt for opt in CONFIGURED if set(opt.init(np.zeros(1))) != {"step"}]


@pytest.mark.parametrize("opt", WITH_BUFFERS, ids=config_id)
def test_a_state_shaped_unlike_the_params_raises_naming_the_leaf_and_both_shapes(opt):
    params = example_params()
    state = opt.init(params)
    name = sorted(set(state) - {"step"})[0]
    # shape (1,) against (2,) would broadcast: the update would go through, silently wrong
    state[name] = complex_leaf(state[name], ("layers", 0, "b"), np.zeros(1))
    with pytest.raises(ValueError, match=rf"state\['{name}'\]\['layers'\]\[0\]\['b'\] has shape \(1,\), "
                                         r"but params\['layers'\]\[0\]\['b'\] has shape \(2,\)"):
        opt.update(params, example_grads(0), state)


@pytest.mark.parametrize("opt", WITH_BUFFERS, ids=config_id)
def test_a_state_made_for_other_params_raises(opt):
    state = opt.init({"w": np.zeros(3)})
    with pytest.raises(ValueError, match=r"has shape \(3,\), but params\['w'\] has shape \(2, 3\)"):
        opt.update({"w": np.zeros((2, 3))}, {"w": np.ones((2, 3))}, state)
    with pytest.raises(ValueError, match=r"must have the structure of params"):
        opt.update({"v": np.zeros(3)}, {"v": np.ones(3)}, state)


def test_a_state_with_a_bad_step_count_is_rejected():
    params = np.zeros(2)
    with pytest.raises(TypeError, match=r"state\['step'\] must be an integer, got 1\.5"):
        optim.Adam().update(params, params, {**optim.Adam().init(params), "step": 1.5})
    with pytest.raises(ValueError, match=r"state\['step'\] must be an integer >= 0, got -1"):
        optim.Adam().update(params, params, {**optim.Adam().init(params), "step": -1})
    with pytest.raises(TypeError, match="state must be the dict that Adam.init returns"):
        optim.Adam().update(params, params, [0])


def test_a_state_from_another_optimizer_is_rejected():
    params = np.zeros(2)
    with pytest.raises(ValueError, match=r"state must come from Adam\.init"):
        optim.Adam().update(params, params, optim.SGD().init(params))


@pytest.mark.parametrize("opt_class", [optim.SGD, optim.Adagrad, optim.Adadelta, optim.RMSprop, optim.Adam,
                                       optim.AdamW, optim.ASGD])
def test_check_finite_names_the_step_and_the_leaf(opt_class):
    opt = opt_class(check_finite=True)
    params = {"layers": [{"W": np.zeros(2)}, {"W": np.zeros(3)}]}
    state = opt.init(params)
    good = {"layers": [{"W": np.ones(2)}, {"W": np.ones(3)}]}
    params, state = opt.update(params, good, state)
    bad = {"layers": [{"W": np.ones(2)}, {"W": np.array([1.0, np.inf, 0.0])}]}
    with pytest.raises(ValueError, match=r"step 1 .*grads\['layers'\]\[1\]\['W'\] contains nan or inf"):
        opt.update(params, bad, state)


def test_optimizers_are_immutable_and_comparable():
    opt = optim.Adam(lr=0.1, betas=[0.8, 0.9])
    assert opt.betas == (0.8, 0.9)
    assert opt == optim.Adam(lr=0.1, betas=(0.8, 0.9))
    with pytest.raises(AttributeError):
        opt.lr = 1.0
    assert "Adam(lr=0.1" in repr(opt)


def test_defaults_follow_torch():
    assert optim.SGD().lr == 1e-3 and optim.SGD().momentum == 0
    assert (optim.Adagrad().lr, optim.Adagrad().eps) == (1e-2, 1e-10)
    assert (optim.Adadelta().lr, optim.Adadelta().rho, optim.Adadelta().eps) == (1.0, 0.9, 1e-6)
    assert (optim.RMSprop().lr, optim.RMSprop().alpha, optim.RMSprop().eps) == (1e-2, 0.99, 1e-8)
    assert (optim.Adam().lr, optim.Adam().betas, optim.Adam().eps) == (1e-3, (0.9, 0.999), 1e-8)
    assert optim.AdamW().weight_decay == 1e-2 and optim.Adam().weight_decay == 0
    asgd = optim.ASGD()
    assert (asgd.lr, asgd.lambd, asgd.alpha, asgd.t0) == (1e-2, 1e-4, 0.75, 1e6)


def test_schedules_pickle_with_the_optimizer():
    opt = optim.SGD(lr=schedules.linear_warmup(schedules.cosine_annealing(0.1, 0.0, 10), 3))
    again = pickle.loads(pickle.dumps(opt))
    assert [again.lr(t) for t in range(15)] == [opt.lr(t) for t in range(15)]


def test_adamw_is_adam_with_decoupled_weight_decay():
    params = {"w": np.array([1.0, -2.0, 0.5]), "b": np.array(0.3)}
    grads = {"w": np.array([0.1, 0.4, -0.2]), "b": np.array(-1.0)}
    adamw = optim.AdamW(lr=0.05, weight_decay=0.2, amsgrad=True)
    adam = optim.Adam(lr=0.05, weight_decay=0.2, amsgrad=True, decoupled_weight_decay=True)
    p1, s1 = params, adamw.init(params)
    p2, s2 = params, adam.init(params)
    for _ in range(3):
        p1, s1 = adamw.update(p1, grads, s1)
        p2, s2 = adam.update(p2, grads, s2)
    assert all(np.array_equal(p1[k], p2[k]) for k in params)
    coupled = optim.Adam(lr=0.05, weight_decay=0.2)
    p3, _ = coupled.update(params, grads, coupled.init(params))
    assert not np.allclose(p3["w"], adamw.update(params, grads, adamw.init(params))[0]["w"])
    with pytest.raises(TypeError):
        optim.AdamW(decoupled_weight_decay=False)
