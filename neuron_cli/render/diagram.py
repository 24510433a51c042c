"""A neuron, layer or network drawn as text for Mermaid or Graphviz: inputs, neurons, weighted connections."""

from __future__ import annotations

from dataclasses import dataclass

from ..nn.layers import Network, NetworkPass
from .numbers import format_number


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    kind: str  # "input" or "neuron"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str


def graph(
    network: Network, result: NetworkPass | None, digits: int | None, index_base: int = 1
) -> tuple[list[Node], list[Edge]]:
    """The nodes and the weighted edges: one edge per connection (3 inputs x 2 neurons: 6 edges). Labels number
    inputs and neurons from `index_base`; node keys always from 1."""

    def n(value: float) -> str:
        return format_number(value, digits or 6)

    nodes = [
        Node(f"x{i + 1}", f"x{i + index_base}" + (f" = {n(result.inputs[i])}" if result else ""), "input")
        for i in range(network.input_size)
    ]
    sources = [node.key for node in nodes]
    edges: list[Edge] = []
    many = len(network.layers) > 1
    for number, layer in enumerate(network.layers, start=1):
        keys = [f"L{number}N{j + 1}" for j in range(layer.neurons)]
        for j, key in enumerate(keys):
            name = f"layer {number}, n{j + index_base}" if many else f"n{j + index_base}"
            lines = [name, layer.activation.label, f"b = {n(layer.bias[j])}"]
            if result is not None:
                lines.append(f"out = {n(result.passes[number - 1].values[j])}")
            nodes.append(Node(key, "\n".join(lines), "neuron"))
            edges += [Edge(source, key, n(layer.weights[j, i])) for i, source in enumerate(sources)]
        sources = keys[: layer.output_size]  # glu passes on only its first half
    return nodes, edges


def _quoted(text: str, newline: str) -> str:
    return text.replace("\\", "\\\\").replace('"', "'").replace("\n", newline)


def mermaid(nodes: list[Node], edges: list[Edge]) -> str:
    lines = ["flowchart LR"]
    for node in nodes:
        label = _quoted(node.label, "<br/>")
        lines.append(f'    {node.key}(["{label}"])' if node.kind == "input" else f'    {node.key}(("{label}"))')
    lines += [f'    {edge.source} -->|"{_quoted(edge.label, " ")}"| {edge.target}' for edge in edges]
    return "\n".join(lines) + "\n"


def dot(nodes: list[Node], edges: list[Edge]) -> str:
    lines = ["digraph neuron {", "    rankdir=LR;", "    node [fontname=Helvetica];"]
    for node in nodes:
        shape = "box" if node.kind == "input" else "circle"
        lines.append(f'    {node.key} [label="{_quoted(node.label, chr(92) + "n")}", shape={shape}];')
    lines += [f'    {edge.source} -> {edge.target} [label="{_quoted(edge.label, " ")}"];' for edge in edges]
    lines.append("}")
    return "\n".join(lines) + "\n"
