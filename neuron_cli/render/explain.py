"""The arithmetic written out step by step, with the numbers put into the formulas: plain text, no Rich."""

from __future__ import annotations

import re

import numpy as np

from ..i18n import message, plural
from ..nn.activations import ActivationSpec, format_value
from ..nn.activations.functions import softmax_steps, sparsemax_threshold
from ..nn.layers import LayerPass, NetworkPass
from ..nn.learning import TrainingStep
from .numbers import format_number
from .view import TABLE_DIGITS, View


class Writer:
    """Numbers as the explanation shows them: `digits` significant digits, negatives in parentheses in formulas."""

    def __init__(self, view: View) -> None:
        self.digits = view.digits or TABLE_DIGITS
        self.base = view.index_base  # x1.. or x0..: how a person numbers inputs, weights and neurons
        self.lang = view.lang

    def i(self, index: int) -> int:
        """The number a person reads for the 0-based position `index`."""
        return index + self.base

    def say(self, text: str, **values: object) -> str:
        return message(text, self.lang, **values)

    def n(self, value: float) -> str:
        return format_number(value, self.digits)

    def term(self, value: float) -> str:
        text = self.n(value)
        return f"({text})" if text.startswith("-") else text


def substitute(formula: str, z: float, spec: ActivationSpec, write: Writer) -> str:
    """The activation's formula with z and its parameters replaced by their values."""
    values = {name: format_value(value) for name, value in spec.values}
    values["z"] = write.term(z)

    def replace(match: re.Match[str]) -> str:
        return values.get(match.group(0), match.group(0))

    return re.sub(r"\b[a-z_]+\b", replace, formula)


def explain_layer(layer_pass: LayerPass, write: Writer, title: str) -> list[str]:
    layer = layer_pass.layer
    spec = layer.activation
    lines = [
        title
        + (f"{layer.label}: " if layer.label else "")
        + write.say(
            "{neurons}, activation {activation}",
            neurons=plural(layer.neurons, "neuron", write.lang),
            activation=spec.label,
        )
    ]
    for j in range(layer.neurons):
        name = write.say("neuron {number}", number=write.i(j))
        products = [
            f"x{write.i(i)} * w{write.i(i)} = {write.term(layer_pass.inputs[i])} * {write.term(layer.weights[j, i])} "
            f"= {write.n(layer_pass.products[j, i])}"
            for i in range(layer.input_size)
        ]
        lines.append(f"  {name}:")
        lines += [f"    {line}" for line in products]
        terms = " + ".join(write.term(p) for p in layer_pass.products[j])
        lines.append("    " + write.say("sum of x*w") + f" = {terms} = {write.n(layer_pass.weighted_sums[j])}")
        lines.append(
            f"    {write.say('z = sum + b')} = {write.n(layer_pass.weighted_sums[j])} + {write.term(layer.bias[j])} "
            f"= {write.n(layer_pass.z[j])}"
        )
        if not spec.layerwise:
            formula = substitute(spec.formula, layer_pass.z[j], spec, write)
            lines.append(f"    f(z) = {write.say(spec.formula)}")
            lines.append(f"         = {formula} = {write.n(layer_pass.values[j])}")
    if spec.layerwise:
        lines += explain_layerwise(layer_pass, write)
    return lines


def explain_layerwise(layer_pass: LayerPass, write: Writer) -> list[str]:
    spec = layer_pass.layer.activation
    z = layer_pass.z
    names = ", ".join(f"z{write.i(j)} = {write.n(v)}" for j, v in enumerate(z))
    lines = ["  " + write.say("{name} acts on the whole layer: {names}", name=spec.name, names=names)]
    lines.append(f"    f(z)_i = {write.say(spec.formula)}")
    worked = spec.activation.worked
    if worked in ("exponentials", "log_exponentials"):
        with np.errstate(all="ignore"):
            largest, exps, sums = softmax_steps(z)
        shift, total = float(largest[0]), float(sums[0])
        lines.append(
            "    "
            + write.say(
                "subtract the largest z ({shift}) first, which changes nothing but avoids overflow:",
                shift=write.n(shift),
            )
        )
        lines += [f"    exp(z{write.i(j)} - {write.term(shift)}) = {write.n(e)}" for j, e in enumerate(exps)]
        lines.append(f"    sum = {' + '.join(write.n(e) for e in exps)} = {write.n(total)}")
        for j, e in enumerate(exps):
            if worked == "exponentials":
                lines.append(
                    f"    out{write.i(j)} = {write.n(e)} / {write.n(total)} = {write.n(layer_pass.outputs[j])}"
                )
            else:
                lines.append(
                    f"    out{write.i(j)} = z{write.i(j)} - {write.term(shift)} - log({write.n(total)}) "
                    f"= {write.n(layer_pass.outputs[j])}"
                )
    elif worked == "gate":
        half = len(z) // 2
        for j in range(half):
            lines.append(
                f"    out{write.i(j)} = z{write.i(j)} * sigmoid(z{write.i(j + half)}) = {write.term(z[j])} * "
                f"{write.n(layer_pass.values[j + half])} = {write.n(layer_pass.outputs[j])}"
            )
    else:  # sparsemax
        outputs = layer_pass.outputs
        tau = float(sparsemax_threshold(z)[0])
        lines.append("    " + write.say("tau = (sum of the z in the support - 1) / its size = {tau}", tau=write.n(tau)))
        lines += [f"    out{write.i(j)} = max(z{write.i(j)} - tau, 0) = {write.n(v)}" for j, v in enumerate(outputs)]
    return lines


def explain_step(result: NetworkPass, step: TrainingStep, write: Writer) -> list[str]:
    outputs, targets = result.outputs, step.targets
    lines = [
        write.say("One step of the perceptron rule, learning rate r = {rate}:", rate=write.n(step.rate))
        if step.perceptron
        else write.say("One step of gradient descent, learning rate r = {rate}:", rate=write.n(step.rate))
    ]
    lines.append(
        "  "
        + write.say(
            "loss {loss}: {formula}", loss=step.loss_function.name, formula=write.say(step.loss_function.formula)
        )
    )
    pairs = ", ".join(
        f"y{write.i(k)} = {write.n(y)}, t{write.i(k)} = {write.n(t)}" for k, (y, t) in enumerate(zip(outputs, targets))
    )
    lines.append("    " + write.say("with {pairs}", pairs=pairs))
    lines.append(f"    L = {write.n(float(step.loss))}")
    if step.perceptron:
        lines.append("  " + write.say("step's derivative is 0, so the perceptron rule moves by the error instead:"))
        lines.append("    w_i <- w_i + r * (t - y) * x_i,  b <- b + r * (t - y)")
    else:
        lines.append(f"  {step.loss_function.slope}")
        lines += [f"    dL/dy{write.i(k)} = {write.n(g)}" for k, g in enumerate(step.output_gradient)]
    count = len(result.passes)
    for index in range(count - 1, -1, -1):
        lines += _explain_update(result, step, index, write)
    return lines


def _explain_update(result: NetworkPass, step: TrainingStep, index: int, write: Writer) -> list[str]:
    layer_pass, update = result.passes[index], step.updates[index]
    layer = layer_pass.layer
    where = write.say("layer {number}", number=index + 1) if len(result.passes) > 1 else write.say("the layer")
    lines = [f"  {where} ({layer.activation.label}):"]
    for j in range(layer.neurons):
        lines.append("    " + write.say("neuron {number}", number=write.i(j)) + ":")
        lines.append("      " + _dz_text(result, step, index, j, write))
        for i in range(layer.input_size):
            lines.append(
                f"      dL/dw{write.i(i)} = dL/dz * x{write.i(i)} = {write.term(update.dz[j])} * "
                f"{write.term(layer_pass.inputs[i])} = {write.n(update.dw[j, i])};  "
                f"w{write.i(i)} = {write.n(layer.weights[j, i])} - {write.n(step.rate)} * "
                f"{write.term(update.dw[j, i])} = {write.n(update.weights[j, i])}"
            )
        if layer.use_bias:
            lines.append(
                f"      dL/db = dL/dz = {write.n(update.db[j])};  "
                f"b = {write.n(layer.bias[j])} - {write.n(step.rate)} * {write.term(update.db[j])} "
                f"= {write.n(update.bias[j])}"
            )
        else:
            lines.append("      " + write.say("no bias (use_bias: false): nothing to update"))
    return lines


def _dz_text(result: NetworkPass, step: TrainingStep, index: int, j: int, write: Writer) -> str:
    """How dL/dz of neuron j of layer `index` comes about: the chain rule with its numbers."""
    dz = step.updates[index].dz[j]
    layer_pass = result.passes[index]
    spec = layer_pass.layer.activation
    last = index == len(result.passes) - 1
    if last and step.perceptron:
        return f"dL/dz := y - t = {write.n(result.outputs[j])} - {write.term(step.targets[j])} = {write.n(dz)}"
    if spec.layerwise:
        couples = write.say("{name} couples the whole layer", name=spec.name)
        return f"dL/dz = sum_i dL/dout_i * d out_i/dz ({couples}) = {write.n(dz)}"
    slope = float(spec.derivative(layer_pass.z[j : j + 1])[0])
    if last:
        upstream, value, before = f"dL/dy{write.i(j)}", float(step.output_gradient[j]), ""
    else:
        following, after = result.passes[index + 1].layer, step.updates[index + 1]
        value = float(step.updates[index].da[j])
        terms = " + ".join(
            f"{write.term(after.dz[k])} * {write.term(following.weights[k, j])}" for k in range(following.neurons)
        )
        upstream = f"dL/da{write.i(j)}"
        before = f"{upstream} = sum_k dL/dz_k * w_k{write.i(j)} = {terms} = {write.n(value)};  "
    return f"{before}dL/dz = {upstream} * f'(z) = {write.term(value)} * {write.term(slope)} = {write.n(dz)}"


def explanation(result: NetworkPass, view: View) -> str:
    write = Writer(view)
    step = view.step
    inputs = ", ".join(f"x{write.i(i)} = {write.n(v)}" for i, v in enumerate(result.inputs))
    lines = [write.say("inputs: {inputs}", inputs=inputs)]
    many = len(result.passes) > 1
    for number, layer_pass in enumerate(result.passes, start=1):
        if many and number > 1:
            lines.append(
                write.say(
                    "layer {number} takes the outputs of layer {before} as its inputs x",
                    number=number,
                    before=number - 1,
                )
            )
        lines += explain_layer(layer_pass, write, write.say("layer {number}: ", number=number) if many else "")
    lines.append(write.say("outputs: {values}", values=", ".join(write.n(v) for v in result.outputs)))
    if step is not None:
        lines += explain_step(result, step, write)
    return "\n".join(lines) + "\n"


def folded(line: str, width: int) -> list[str]:
    """A line of the explanation within `width` columns where its arithmetic allows: cut into its clauses (at
    ";  ") and then before an " = ", each later piece indented four columns further ("= 0.5")."""
    from rich.cells import cell_len

    if cell_len(line) <= width:
        return [line]
    indent = " " * (len(line) - len(line.lstrip(" ")))
    clauses = line.strip().split(";  ")
    if len(clauses) > 1:
        return [piece for clause in clauses for piece in folded(indent + clause, width)]
    first, *rest = line.strip().split(" = ")
    lines, current = [], indent + first
    more = indent if first.startswith("= ") else indent + "    "  # a line that continues one: its = stay in line
    for piece in rest:
        if cell_len(current + " = " + piece) <= width:
            current += " = " + piece
        else:
            lines.append(current)
            current = more + "= " + piece
    return [*lines, current]
