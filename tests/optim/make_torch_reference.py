"""Regenerate ``torch_reference.json``: what torch.optim computes on fixed gradient sequences.

optlib does not depend on PyTorch. This script, run once with an environment
that has ``torch==2.13.0`` and NumPy installed, records in float64:

- the iterates of every optimizer configuration in ``CONFIGS`` on two
  parameter tensors (shapes (3,) and (2, 2)) fed the same fixed gradients,
  some with a learning-rate schedule (``LambdaLR``), and ASGD's averages;
- ``CosineAnnealingWarmRestarts`` and ``CosineAnnealingLR`` values at integer
  epochs, stepping the scheduler as a training loop does;
- ``torch.nn.utils.clip_grad_norm_`` on a few gradient lists.

Usage::

    python tests/optim/make_torch_reference.py

The tests in ``tests/optim`` compare optlib with the stored numbers at 1e-10
relative error. Floats are written with ``repr`` so they are read back exactly.
"""
import json
import pathlib

import numpy as np
import torch

torch.set_default_dtype(torch.float64)

OUT = pathlib.Path(__file__).with_name("torch_reference.json")
STEPS = 12

# (class name, keyword arguments shared by torch and optlib, schedule or None).
# A schedule {"kind": "exponential", "gamma": g} means lr_t = lr * g**t
# (torch: LambdaLR stepped after every update); {"kind": "step", "step_size": s,
# "gamma": g} means lr_t = lr * g**(t // s).
EXP = {"kind": "exponential", "gamma": 0.8}
STEP = {"kind": "step", "step_size": 4, "gamma": 0.5}
CONFIGS = [
    ("SGD", {"lr": 0.1}, None),
    ("SGD", {}, None),
    ("SGD", {"lr": 0.1, "momentum": 0.9}, None),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.5}, None),
    ("SGD", {"lr": 0.1, "momentum": 0.9, "nesterov": True}, None),
    ("SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True, "weight_decay": 0.1}, None),
    ("SGD", {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.3, "dampening": 0.1}, None),
    ("SGD", {"lr": 0.1, "momentum": 0.9}, EXP),
    ("Adagrad", {}, None),
    ("Adagrad", {"lr": 0.3, "lr_decay": 0.1}, None),
    ("Adagrad", {"lr": 0.3, "weight_decay": 0.2, "initial_accumulator_value": 0.5}, None),
    ("Adagrad", {"lr": 0.3, "eps": 1e-3}, None),
    ("Adagrad", {"lr": 0.3, "lr_decay": 0.05}, EXP),
    ("Adadelta", {}, None),
    ("Adadelta", {"lr": 0.5, "rho": 0.5, "eps": 1e-3, "weight_decay": 0.1}, None),
    ("Adadelta", {"rho": 0.0}, None),
    ("Adadelta", {"lr": 2.0}, STEP),
    ("RMSprop", {}, None),
    ("RMSprop", {"lr": 0.05, "momentum": 0.9}, None),
    ("RMSprop", {"lr": 0.05, "centered": True}, None),
    ("RMSprop", {"lr": 0.05, "centered": True, "momentum": 0.5, "weight_decay": 0.1}, None),
    ("RMSprop", {"lr": 0.05, "alpha": 0.5, "eps": 1e-3}, None),
    ("RMSprop", {"lr": 0.05, "momentum": 0.9, "centered": True}, EXP),
    ("Adam", {}, None),
    ("Adam", {"lr": 0.1}, None),
    ("Adam", {"lr": 0.1, "amsgrad": True}, None),
    ("Adam", {"lr": 0.1, "weight_decay": 0.1}, None),
    ("Adam", {"lr": 0.1, "betas": [0.5, 0.9], "eps": 1e-3}, None),
    ("Adam", {"lr": 0.1, "betas": [0.0, 0.0]}, None),
    ("Adam", {"lr": 0.1, "amsgrad": True, "weight_decay": 0.2}, None),
    ("Adam", {"lr": 0.1, "amsgrad": True}, STEP),
    ("AdamW", {}, None),
    ("AdamW", {"lr": 0.1}, None),
    ("AdamW", {"lr": 0.1, "weight_decay": 0.5, "amsgrad": True}, None),
    ("AdamW", {"lr": 0.1, "weight_decay": 0.0}, None),
    ("AdamW", {"lr": 0.1, "weight_decay": 0.5}, EXP),
    ("ASGD", {}, None),
    ("ASGD", {"lr": 0.1, "t0": 3.0}, None),
    ("ASGD", {"lr": 0.1, "lambd": 0.1, "alpha": 0.5, "t0": 0.0}, None),
    ("ASGD", {"lr": 0.2, "lambd": 0.5, "alpha": 1.0, "t0": 5.0, "weight_decay": 0.1}, None),
]


def fixed_problem():
    """Starting parameters and a gradient sequence with changing scales, signs and a few zeros."""
    rng = np.random.default_rng(20240601)
    params = [rng.normal(size=3), rng.normal(size=(2, 2))]
    grads = []
    for k in range(STEPS):
        scale = 10.0 ** rng.uniform(-2, 1)
        step = [scale * rng.normal(size=3), scale * rng.normal(size=(2, 2))]
        if k % 5 == 2:
            step[0][1] = 0.0  # a coordinate without gradient
        grads.append(step)
    return params, grads


def lr_lambda(schedule):
    if schedule is None:
        return None
    if schedule["kind"] == "exponential":
        return lambda k: schedule["gamma"] ** k
    return lambda k: schedule["gamma"] ** (k // schedule["step_size"])


def run_optimizer(name, kwargs, schedule, params0, grads):
    params = [torch.tensor(p, requires_grad=True) for p in params0]
    torch_kwargs = {k: tuple(v) if k == "betas" else v for k, v in kwargs.items()}
    torch_kwargs["foreach"] = False  # the single-tensor implementation, the documented algorithm
    opt = getattr(torch.optim, name)(params, **torch_kwargs)
    scheduler = None
    if schedule is not None:
        scheduler = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda(schedule))
    iterates, averaged = [], []
    for step in grads:
        for p, g in zip(params, step):
            p.grad = torch.tensor(g)
        opt.step()
        if scheduler is not None:
            scheduler.step()
        iterates.append([p.detach().numpy().tolist() for p in params])
        if name == "ASGD":
            averaged.append([opt.state[p]["ax"].numpy().tolist() for p in params])
    record = {"class": name, "kwargs": kwargs, "schedule": schedule, "iterates": iterates}
    if name == "ASGD":
        record["averaged"] = averaged
    return record


def warm_restart_values(max_lr, min_lr, t_0, t_mult, epochs):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=max_lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=t_0, T_mult=t_mult, eta_min=min_lr)
    values = []
    for _ in range(epochs):
        values.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return {"max_lr": max_lr, "min_lr": min_lr, "t_0": t_0, "t_mult": t_mult, "values": values}


def cosine_annealing_values(max_lr, min_lr, t_max):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=max_lr)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=t_max, eta_min=min_lr)
    values = []
    for _ in range(t_max + 1):
        values.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return {"max_lr": max_lr, "min_lr": min_lr, "t_max": t_max, "values": values}


def clip_case(grads, max_norm):
    params = [torch.nn.Parameter(torch.zeros(np.shape(g))) for g in grads]
    for p, g in zip(params, grads):
        p.grad = torch.tensor(np.asarray(g, dtype=np.float64))
    total = torch.nn.utils.clip_grad_norm_(params, max_norm, foreach=False)
    return {
        "grads": [np.asarray(g).tolist() for g in grads],
        "max_norm": max_norm,
        "total_norm": float(total),
        "clipped": [p.grad.numpy().tolist() for p in params],
    }


def main():
    params0, grads = fixed_problem()
    rng = np.random.default_rng(7)
    big = [rng.normal(size=4) * 3, rng.normal(size=(2, 3))]
    reference = {
        "torch_version": torch.__version__,
        "params0": [p.tolist() for p in params0],
        "grads": [[g.tolist() for g in step] for step in grads],
        "optimizers": [run_optimizer(name, kw, sch, params0, grads) for name, kw, sch in CONFIGS],
        "cosine_warm_restarts": [
            warm_restart_values(0.1, 0.001, 5, 1, 23),
            warm_restart_values(1.0, 0.0, 3, 2, 50),
            warm_restart_values(0.5, 0.05, 1, 3, 45),
            warm_restart_values(0.2, 0.0, 2, 1, 9),
        ],
        "cosine_annealing": [cosine_annealing_values(0.1, 0.001, 10), cosine_annealing_values(1.0, 0.0, 7)],
        "clip_grad_norm": [
            clip_case(big, 1.0),
            clip_case(big, 100.0),
            clip_case(big, 0.0),
            clip_case([np.zeros(3), np.zeros(2)], 1.0),
            clip_case([np.array([3.0, 4.0])], 5.0),
            clip_case([np.array([1e-3, -2e-3]), np.array([[5.0]])], 0.5),
        ],
    }
    OUT.write_text(json.dumps(reference, indent=None, separators=(",", ":")) + "\n")
    print(f"wrote {OUT.name}: {len(CONFIGS)} optimizer configurations, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    main()
