"""Pure computation on NumPy arrays: activations and losses (registries), layers and networks, one
backpropagation, the learning rules, optimizers, training, truth tables and grading. Never prints, never reads
files."""
