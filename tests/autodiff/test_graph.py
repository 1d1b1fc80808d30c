"""trace: the computation graph as plain data; edges and input-to-output paths."""
import dataclasses

import numpy as np

from optlib.autodiff import Graph, count_edges, count_paths, trace


def test_trace_lists_nodes_with_op_names_and_shapes_and_edges():
    g = trace(lambda x, W: np.sum(np.tanh(x @ W)), np.ones(3), np.ones((3, 2)))
    assert isinstance(g, Graph) and dataclasses.is_dataclass(g)
    assert [(n.op, n.shape) for n in g.nodes] == [("input", (3,)), ("input", (3, 2)),
                                                  ("matmul", (2,)), ("tanh", (2,)), ("sum", ())]
    assert g.edges == [(0, 2), (1, 2), (2, 3), (3, 4)]
    assert g.inputs == [0, 1] and g.outputs == [4]


def test_value_used_twice_gives_two_edges_and_two_paths():
    g = trace(lambda x: x * x, 2.0)
    assert count_edges(g) == 2 and g.num_edges() == 2
    assert count_paths(g) == 2 and g.num_paths() == 2


def test_paths_grow_exponentially_while_edges_grow_linearly():
    def chain(x, depth):
        for _ in range(depth):
            x = np.sin(x) * np.cos(x)      # a diamond: two paths through each stage
        return x
    for depth in (1, 5, 20):
        g = trace(lambda x: chain(x, depth), 0.5)
        assert count_paths(g) == 2 ** depth
        assert count_edges(g) == 4 * depth


def test_constants_are_not_nodes_and_pytree_arguments_give_one_input_per_leaf():
    g = trace(lambda p: np.sum(p["w"] * 3.0) + p["b"], {"w": np.ones(2), "b": 1.0})
    assert [n.op for n in g.nodes] == ["input", "input", "multiply", "sum", "add"]
    assert len(g.inputs) == 2
    assert count_paths(g) == 2


def test_output_independent_of_inputs_has_no_paths():
    g = trace(lambda x: np.ones(2), np.ones(2))
    assert g.outputs == [] and count_paths(g) == 0
