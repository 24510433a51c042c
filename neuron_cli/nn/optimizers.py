"""Keras 3's optimizers, each a small class with one update rule (keras/src/optimizers/sgd.py, adam.py,
rmsprop.py): `build` makes the slots for the variables, `update` applies one step to each variable in place.
The training loop knows none of them by name."""

from __future__ import annotations

import numpy as np

from ..errors import NeuronError

Array = np.ndarray


class Optimizer:
    """One step of an update rule for a list of variables (NumPy arrays, changed in place)."""

    name = ""
    default_rate = 0.01

    def __init__(self, rate: float | None = None) -> None:
        self.rate = self.default_rate if rate is None else rate
        self.iterations = 0  # steps taken, as Keras's `optimizer.iterations`

    def build(self, variables: list[Array]) -> None:
        """Make the optimizer's slots (momentums, velocities) for these variables, as Keras's `build`."""

    def update_step(self, gradient: Array, index: int, variable: Array) -> None:
        raise NotImplementedError  # pragma: no cover - each optimizer below has its rule

    def apply(self, gradients: list[Array], variables: list[Array]) -> None:
        """One step for every variable, then count it (Keras's `apply_gradients`)."""
        for index, (gradient, variable) in enumerate(zip(gradients, variables)):
            self.update_step(gradient, index, variable)
        self.iterations += 1


class SGD(Optimizer):
    """w -= lr * g; with momentum m = momentum * m - lr * g, then w += m (nesterov: w += momentum * m - lr * g)."""

    name = "sgd"
    default_rate = 0.01

    def __init__(self, rate: float | None = None, momentum: float = 0.0, nesterov: bool = False) -> None:
        super().__init__(rate)
        if not 0.0 <= momentum <= 1.0:
            raise NeuronError("--momentum must be from 0 to 1, got {momentum}", momentum=momentum)
        self.momentum, self.nesterov = momentum, nesterov
        self.momentums: list[Array] = []

    def build(self, variables: list[Array]) -> None:
        self.momentums = [np.zeros_like(v) for v in variables]

    def update_step(self, gradient: Array, index: int, variable: Array) -> None:
        if self.momentum == 0:
            variable -= gradient * self.rate
            return
        m = self.momentums[index]
        m[...] = m * self.momentum - gradient * self.rate
        if self.nesterov:
            variable += m * self.momentum - gradient * self.rate
        else:
            variable += m


class Adam(Optimizer):
    """m += (g - m)(1 - beta_1); v += (g^2 - v)(1 - beta_2); w -= m * alpha / (sqrt(v) + epsilon), where
    alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)."""

    name = "adam"
    default_rate = 0.001

    def __init__(
        self, rate: float | None = None, beta_1: float = 0.9, beta_2: float = 0.999, epsilon: float = 1e-7
    ) -> None:
        super().__init__(rate)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.momentums: list[Array] = []
        self.velocities: list[Array] = []
        self._alpha: tuple[int, float] = (0, 0.0)  # (step, its alpha)

    def build(self, variables: list[Array]) -> None:
        self.momentums = [np.zeros_like(v) for v in variables]
        self.velocities = [np.zeros_like(v) for v in variables]

    def update_step(self, gradient: Array, index: int, variable: Array) -> None:
        step = self.iterations + 1
        if self._alpha[0] != step:  # the same for every variable of a step: worked out once
            self._alpha = (step, self.rate * np.sqrt(1 - self.beta_2**step) / (1 - self.beta_1**step))
        alpha = self._alpha[1]
        m, v = self.momentums[index], self.velocities[index]
        m += (gradient - m) * (1 - self.beta_1)
        v += (np.square(gradient) - v) * (1 - self.beta_2)
        variable -= (m * alpha) / (np.sqrt(v) + self.epsilon)


class RMSprop(Optimizer):
    """v = rho v + (1 - rho) g^2; w -= lr * g / sqrt(v + epsilon)."""

    name = "rmsprop"
    default_rate = 0.001

    def __init__(self, rate: float | None = None, rho: float = 0.9, epsilon: float = 1e-7) -> None:
        super().__init__(rate)
        self.rho, self.epsilon = rho, epsilon
        self.velocities: list[Array] = []

    def build(self, variables: list[Array]) -> None:
        self.velocities = [np.zeros_like(v) for v in variables]

    def update_step(self, gradient: Array, index: int, variable: Array) -> None:
        velocity = self.velocities[index]
        velocity[...] = self.rho * velocity + (1 - self.rho) * np.square(gradient)
        variable -= (self.rate * gradient) / np.sqrt(velocity + self.epsilon)


OPTIMIZERS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (SGD, Adam, RMSprop)}


def make_optimizer(name: str, rate: float | None = None, momentum: float = 0.0, nesterov: bool = False) -> Optimizer:
    """An optimizer by its Keras name, with Keras's defaults; momentum and nesterov belong to sgd alone."""
    if name not in OPTIMIZERS:
        raise NeuronError("unknown optimizer {name!r}; choose one of {items}", name=name, items=", ".join(OPTIMIZERS))
    if name != "sgd" and (momentum or nesterov):
        raise NeuronError("--momentum and --nesterov belong to --optimizer sgd")
    if name == "sgd":
        return SGD(rate, momentum, nesterov)
    return OPTIMIZERS[name](rate)
