"""The one exception a user ever sees."""


class NeuronError(Exception):
    """A mistake in what the user gave: the message says what was expected, what came, and the fix."""
