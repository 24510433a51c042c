"""Every screen a person reads, in one file: each command's --help, tables, explanations, reports and errors, in
English or Korean, at a terminal's width (default 80). For a reader's read-through, not run by pytest:

    python tests/screens.py --lang ko --width 40 > screens-ko-40.txt

Each screen is the command line, then what a terminal of that width shows (stdout, then stderr).
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent))

FILES = {
    "and.csv": "x1,x2,t1\n0,0,0\n0,1,0\n1,0,0\n1,1,1\n",
    "net.json": '{"layers": [{"weights": [[0.5, -0.2], [0.3, 0.8]], "bias": [0.1, -0.1], "activation": "relu"},'
    ' {"weights": [[1.0, -1.0]], "activation": "sigmoid"}]}',
    "class.csv": 'student,x1,x2,x3,y1\nalice,1,2,3,0.6225\nbob,1,2,3,0.62\n"Kim, Minji",1,2,3,\ndan,1,2,3,abc\n',
    "hw1.toml": 'seed = "s"\n[[question]]\nid = "q1"\ntext = "뉴런 하나"\nx = [1, 2]\nw = [0.5, -0.5]\n'
    'activation = "sigmoid"\ntarget = [1]\nask = ["y1", "loss", "w1_1"]\nvary = {x = [-2, 2], decimals = 1}\n',
    "answers.csv": "student,q1.y1,q1.loss,q1.w1_1\nalice,0.5,0.1,0.5\nbob,1\n",
    "bad.json": '{"layers": [{"weights": [[1, 2]], "colour": "red"}]}',
}
COMMANDS = [
    "neuron --help",
    *(
        f"neuron {c} --help"
        for c in ("compute", "check", "quiz", "truth-table", "plot", "diagram", "activations", "train", "inspect")
    ),
    "neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid --format table",
    "neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid --explain",
    "neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid --explain --format plain",
    "neuron compute -x 1,2 --model net.json --target 1 --grad --format table",
    "neuron compute -x 1,2 --model net.json --target 1 --explain",
    "neuron compute -x 1,2,3 -w 0.5,-0.2,0.1 -a softmax:axis=-1 --format table",
    "neuron check -x 1,2,3 -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid --expect 0.62 --format table",
    "neuron check --answers class.csv -w 0.5,-0.2,0.1 -b 0.1 -a sigmoid --format table",
    "neuron quiz hw1.toml --student alice --format table",
    "neuron check --answers answers.csv --questions hw1.toml --format table",
    "neuron truth-table -w 1,1 -b -1.5 -a step --gate and --format table",
    "neuron truth-table -w 1,1 -b -0.5 -a step --gate xor --format table",
    "neuron plot sigmoid --at 0.5",
    "neuron activations --format table",
    "neuron activations gelu --format table",
    "neuron diagram -w 0.5,-0.2 -b 0.1 --index-base 0",
    "neuron train --data and.csv -w 0,0 -b 0 -a step --lr 0.1 --epochs 20 --format table",
    "neuron train --data and.csv -w 0.1,0.2 -b 0 -a sigmoid --loss mse --lr 0.5 --epochs 200 --plot --format table",
    "neuron compute -x 1,,2 -w 1,2,3",
    "neuron compute -x 1,2 -w 1,2,3",
    "neuron compute -x 1 -w 1 --digits 30",
    "neuron compute -x 1 -w 1 --index-base 5",
    "neuron compute -x 1 -w 1 --bogus",
    "neuron compute -x 1 -w 1 extra",
    "neuron compute --model nofile.keras -x 1",
    "neuron compute --model bad.json -x 1",
    "neuron inspect class.csv",
    "neuron check -x 1 -w 1 --expect abc",
    "neuron activations nosuch",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="ko")
    parser.add_argument("--width", type=int, default=80)
    options = parser.parse_args()
    from tests.conftest import run_here

    folder = Path(tempfile.mkdtemp())
    for name, text in FILES.items():
        (folder / name).write_text(text)
    os.chdir(folder)
    env = {"COLUMNS": str(options.width), "NEURON_LANG": options.lang}
    for command in COMMANDS:
        run = run_here(*shlex.split(command)[1:], env=env)
        print(f"$ {command}   [exit {run.code}]")
        print((run.out + run.err).rstrip())
        print()


if __name__ == "__main__":
    main()
