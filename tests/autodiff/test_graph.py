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


# ---- counting operations and building graphs of units ------------------------------------------

import itertools  # noqa: E402

import pytest  # noqa: E402

from optlib.autodiff import (dense_graph, graph_from_edges, operations,  # noqa: E402
                             pass_costs)


def test_operations_counts_computing_nodes_and_leaves_out_inputs_and_rearranging():
    g = trace(lambda x, W: np.sum(np.tanh(np.reshape(x, (3,)) @ W.T)[:1]),
              np.ones((1, 3)), np.ones((2, 3)))
    ops = [n.op for n in g.nodes]
    assert "reshape" in ops and "transpose" in ops and "getitem" in ops
    assert operations(g) == 3                  # matmul, tanh, sum


def test_operations_rejects_what_is_not_a_graph():
    with pytest.raises(TypeError, match="graph must be"):
        operations([1, 2])


def test_pass_costs_of_a_linear_map_are_one_product_per_pass():
    W = np.arange(6.0).reshape(2, 3)
    # evaluation: W x; JVP: W x and W t; VJP: W x and the product with u
    assert pass_costs(lambda x: W @ x, np.ones(3)) == (1, 2, 2)


def test_pass_costs_of_a_tanh_layer_count_the_derivative_rule_once_per_mode():
    W, b = np.ones((4, 3)), np.zeros(4)
    # evaluation: product, sum, tanh; a pass adds one product and the three
    # operations of (1 - tanh^2) * seed
    assert pass_costs(lambda x: np.tanh(W @ x + b), np.ones(3)) == (3, 7, 7)


def test_pass_costs_do_not_depend_on_the_sizes_and_accept_pytrees():
    def f(p):
        return np.sum(np.tanh(p["W"] @ p["x"]))
    small = pass_costs(f, {"W": np.ones((2, 3)), "x": np.ones(3)})
    large = pass_costs(f, {"W": np.ones((40, 30)), "x": np.ones(30)})
    assert small == large and small[0] == 3 and small[1] > small[0]


def test_graph_from_edges_drops_local_derivatives_and_counts_paths_like_enumeration():
    edges = [(0, 1, 0.5), (0, 2, -1.0), (1, 3, 2.0), (2, 3, 1.0), (0, 3, 3.0), (3, 4, 1.0)]
    g = graph_from_edges(edges, inputs=[0], outputs=[4])
    assert g.edges == [(i, j) for i, j, _ in edges]
    assert [n.op for n in g.nodes] == ["input", "unit", "unit", "unit", "unit"]

    def paths(node):                            # enumerate by recursion
        return 1 if node == 4 else sum(paths(j) for i, j in g.edges if i == node)
    assert count_paths(g) == paths(0) == 3 and count_edges(g) == 6


def test_graph_from_edges_refuses_edges_that_point_backwards():
    with pytest.raises(ValueError, match=r"earlier node .* got \(2, 1\)"):
        graph_from_edges([(0, 2), (2, 1)], [0], [1])
    with pytest.raises(ValueError, match="edge source"):
        graph_from_edges([(-1, 2)], [0], [2])


@pytest.mark.parametrize("sizes", [(2, 3), (2, 3, 3, 2), (1, 4, 4, 4, 1), (784, 100, 100, 10)])
def test_dense_graph_has_the_product_of_the_widths_as_paths(sizes):
    g = dense_graph(sizes)
    assert count_paths(g) == np.prod(sizes)
    assert count_edges(g) == sum(a * b for a, b in zip(sizes, sizes[1:]))
    assert len(g.inputs) == sizes[0] and len(g.outputs) == sizes[-1]
    assert len(g.nodes) == sum(sizes)


def test_dense_graph_paths_are_every_choice_of_one_unit_per_layer():
    sizes = (2, 3, 2)
    g = dense_graph(sizes)
    layers = [[0, 1], [2, 3, 4], [5, 6]]
    edges = set(g.edges)
    chosen = [p for p in itertools.product(*layers)
              if all((a, b) in edges for a, b in zip(p, p[1:]))]
    assert len(chosen) == count_paths(g) == 12


@pytest.mark.parametrize("sizes, error, message", [
    ((3,), ValueError, "at least two"),
    ((3, 0), ValueError, "layer width"),
    ((3, 2.5), TypeError, "layer width"),
])
def test_dense_graph_checks_its_widths(sizes, error, message):
    with pytest.raises(error, match=message):
        dense_graph(sizes)
