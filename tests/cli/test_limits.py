"""Every limit neuron keeps (README, "Limits"), hit by a real process under `ulimit -v 3000000` (about 2.9 GiB of
address space): each is refused with exit 2 and one line that names it, never a MemoryError or a traceback.
The files are small; what they claim or hold would take far more than the limit."""

import resource
import subprocess

import numpy as np
import pytest

from ..conftest import environment, neuron_command

ADDRESS_SPACE = 3_000_000 * 1024


def limited(args, stdin=b"", cwd=None):
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    return subprocess.run(
        [*neuron_command(), *args],
        input=stdin,
        capture_output=True,
        env=environment(),
        preexec_fn=limit,
        cwd=cwd,
        timeout=120,
    )


def npy_claiming(shape):
    header = repr({"descr": "<f8", "fortran_order": False, "shape": shape}).encode()
    header += b" " * (127 - 10 - len(header)) + b"\n"
    return b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + bytes(64)


def files(folder):
    """What each case reads, written to `folder`."""
    (folder / "and.csv").write_text("x1,x2,t1\n0,0,0\n1,1,1\n")
    (folder / "net.json").write_text('{"layers": [{"weights": [[1, 2], [3, 4]]}]}')
    (folder / "units.json").write_text('{"layers": [{"units": 20000}, {"units": 20000}, {"units": 1}]}')
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (folder / "huge.npy").write_bytes(npy_claiming((1_000_000, 1_000_000)))
    (folder / "long.csv").write_text("x1,y1\n" + "1," * (1 << 20) + "0.5\n")
    question = '[[question]]\nid = "q1"\nx = [1]\nw = [1]\nask = ["y1"]\n'
    (folder / "points.toml").write_text(question + "points = 1e300\n")
    (folder / "vary.toml").write_text('seed = "s"\n' + question + "vary = {x = [0, 1e300]}\n")


CASES = {
    "a stream's line over 1 MiB": (["compute", "-w", "1"], b"1" * (2 << 20), "is longer than"),
    "an answer sheet's line over 1 MiB": (["check", "--answers", "long.csv", "-w", "1"], b"", "longer than"),
    "a network past --max-params": (["train", "--data", "and.csv", "--model", "units.json"], b"", "--max-params"),
    "--max-params set low": (["compute", "-x", "1,2", "--model", "net.json", "--max-params", "3"], b"", "--max-params"),
    "a model nested 100,000 deep": (["compute", "--model", "deep.json", "-x", "1"], b"", "nested too deeply"),
    "a .npy claiming 10^12 values": (["compute", "-w", "@huge.npy", "-x", "1"], b"", "claims (1000000, 1000000)"),
    "a truth table of 17 inputs": (["truth-table", "-w", ",".join(["1"] * 17), "-a", "step"], b"", "1 to 16 inputs"),
    "over 10,000,000 epochs": (["train", "--data", "and.csv", "-w", "0,0", "--epochs", "10000001"], b"", "--epochs"),
    "a question's points past 10^6": (["quiz", "points.toml", "--student", "a"], b"", "points should be"),
    "a drawn range past 10^12": (["quiz", "vary.toml", "--student", "a"], b"", "vary's"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_limit_is_refused_in_bounded_memory(tmp_path, case):
    files(tmp_path)
    args, stdin, named = CASES[case]
    done = limited(args, stdin, cwd=tmp_path)
    err = done.stderr.decode()
    assert done.returncode == 2 and done.stdout == b"", err
    assert named in err and err.startswith("error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and "MemoryError" not in err


def test_under_the_limit_a_wide_stream_still_runs(tmp_path):
    """Rows of 100,000 values once took 1.3 GB a chunk (256 rows at least, read by polars column by column)."""
    weights = tmp_path / "w.npy"
    np.save(weights, np.full((1, 100_000), 0.5))
    rows = (",".join(["1"] * 100_000) + "\n").encode() * 40
    done = limited(["compute", "-w", f"@{weights}"], rows)
    assert done.returncode == 0 and done.stdout == b"50000.0\n" * 40, done.stderr
