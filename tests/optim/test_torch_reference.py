"""optlib agrees with torch.optim (float64) to 1e-10 relative error, on the stored reference runs.

The reference numbers come from ``make_torch_reference.py`` (torch 2.13.0); see that script
for the configurations and for how to regenerate them.
"""
import json
import pathlib

import numpy as np
import pytest

from optlib import optim, schedules

REFERENCE = json.loads(pathlib.Path(__file__).with_name("torch_reference.json").read_text())
RTOL = 1e-10


def build(record):
    cls = getattr(optim, record["class"])
    kwargs = dict(record["kwargs"])
    schedule = record["schedule"]
    if schedule is not None:
        lr0 = kwargs.get("lr", cls.__dataclass_fields__["lr"].default)
        if schedule["kind"] == "exponential":
            kwargs["lr"] = schedules.exponential_decay(lr0, schedule["gamma"])
        else:
            kwargs["lr"] = schedules.step_decay(lr0, schedule["step_size"], schedule["gamma"])
    return cls(**kwargs)


def record_id(record):
    args = ",".join(f"{k}={v}" for k, v in record["kwargs"].items())
    sched = f"+{record['schedule']['kind']}_schedule" if record["schedule"] else ""
    return f"{record['class']}({args}){sched}"


def test_reference_covers_every_optimizer():
    classes = {record["class"] for record in REFERENCE["optimizers"]}
    assert classes == {"SGD", "Adagrad", "Adadelta", "RMSprop", "Adam", "AdamW", "ASGD"}


@pytest.mark.parametrize("record", REFERENCE["optimizers"], ids=record_id)
def test_iterates_match_torch(record):
    opt = build(record)
    params = [np.array(p) for p in REFERENCE["params0"]]
    state = opt.init(params)
    for k, step in enumerate(REFERENCE["grads"]):
        params, state = opt.update(params, [np.array(g) for g in step], state)
        for ours, theirs in zip(params, record["iterates"][k]):
            np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=0, err_msg=f"update {k + 1}")
        if "averaged" in record:
            for ours, theirs in zip(opt.averaged(state), record["averaged"][k]):
                np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=0, err_msg=f"average {k + 1}")


@pytest.mark.parametrize("case", REFERENCE["cosine_warm_restarts"],
                         ids=lambda c: f"t_0={c['t_0']},t_mult={c['t_mult']}")
def test_cosine_warm_restarts_match_torch(case):
    schedule = schedules.cosine_warm_restarts(case["max_lr"], case["min_lr"], case["t_0"], case["t_mult"])
    epochs = np.arange(len(case["values"]))
    np.testing.assert_allclose(schedule(epochs), case["values"], rtol=RTOL, atol=1e-15)
    for t in epochs:  # the scalar path gives the same numbers
        assert schedule(int(t)) == pytest.approx(case["values"][t], rel=RTOL, abs=1e-15)


@pytest.mark.parametrize("case", REFERENCE["cosine_annealing"], ids=lambda c: f"t_max={c['t_max']}")
def test_cosine_annealing_matches_torch_up_to_t_max(case):
    schedule = schedules.cosine_annealing(case["max_lr"], case["min_lr"], case["t_max"])
    np.testing.assert_allclose(schedule(np.arange(case["t_max"] + 1)), case["values"], rtol=RTOL, atol=1e-15)


@pytest.mark.parametrize("case", REFERENCE["clip_grad_norm"], ids=lambda c: f"max_norm={c['max_norm']}")
def test_clip_by_norm_matches_clip_grad_norm_(case):
    grads = [np.array(g) for g in case["grads"]]
    clipped, total_norm = optim.clip_by_norm(grads, case["max_norm"])
    assert total_norm == pytest.approx(case["total_norm"], rel=RTOL)
    for ours, theirs in zip(clipped, case["clipped"]):
        np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=0)
