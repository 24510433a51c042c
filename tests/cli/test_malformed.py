"""No input, however malformed, gets a traceback: only a message and exit 2 (or a result and exit 0 or 1)."""

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from neuron_cli.cli.app import make_app

app = make_app()

runner = CliRunner()
pieces = st.sampled_from(
    [
        "1",
        "-1",
        ".5",
        "2.",
        "1e-3",
        "1e999",
        "nan",
        "inf",
        "-inf",
        "abc",
        "",
        " ",
        ",",
        ";",
        ",,",
        "1_0",
        "0x1",
        "\u00a0",
        "\u0661",
        "[1]",
        "{}",
        "@",
        "@/nonexistent",
        "1e",
        "--",
        "-",
        ":",
        "=",
        "\x00",
        "é",
        "𝟙",
    ]
)
field = st.lists(pieces, max_size=6).map("".join)
spec = st.one_of(
    st.sampled_from(["relu", "softmax", "glu", "step", "threshold", "sparsemax", "leaky_relu", "gelu", "nope"]),
    st.tuples(st.sampled_from(["relu", "step", "gelu", "celu", "squareplus", "threshold"]), field).map(":".join),
    st.tuples(
        st.sampled_from(
            [
                "relu:max_value",
                "step:threshold",
                "gelu:approximate",
                "celu:alpha",
                "squareplus:b",
                "threshold:threshold",
            ]
        ),
        field,
    ).map("=".join),
)


def check_clean(args, stdin=""):
    result = runner.invoke(app, args, input=stdin)
    assert result.exit_code in (0, 1, 2), (args, result.output)
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in result.output
    return result


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field, field, field, spec, st.sampled_from(["plain", "json", "csv", "table"]), st.booleans())
def test_compute_never_crashes(x, w, b, activation, fmt, grad):
    args = ["compute", "-x", x, "-w", w, "-b", b, "-a", activation, "--format", fmt]
    result = check_clean(args + (["--grad"] if grad else []))
    if result.exit_code == 0 and fmt == "json":
        for line in result.stdout.splitlines():
            json.loads(line)  # strict JSON, whatever the numbers


@settings(max_examples=150, deadline=None)
@given(st.lists(field, max_size=8).map("\n".join), spec)
def test_streams_never_crash(text, activation):
    check_clean(["compute", "-w", "1,2", "-a", activation], stdin=text)


@settings(max_examples=150, deadline=None)
@given(field, field, field, st.sampled_from(["check", "truth-table", "diagram"]))
def test_other_commands_never_crash(x, w, expect, command):
    args = {
        "check": ["check", "-x", x, "-w", w, "--expect", expect],
        "truth-table": ["truth-table", "-w", w, "-b", x],
        "diagram": ["diagram", "-x", x, "-w", w],
    }[command]
    check_clean(args)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=5),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(st.sampled_from(["layers", "weights", "kernel", "bias", "activation"]), inner, max_size=4)
        ),
        max_leaves=12,
    )
)
def test_model_files_never_crash(tmp_path_factory, document):
    path = tmp_path_factory.mktemp("m") / "model.json"
    path.write_text(json.dumps(document))
    check_clean(["compute", "--model", str(path), "-x", "1,2"])
    if isinstance(document, dict):
        path.write_text(json.dumps({"layers": [document]}))
        check_clean(["compute", "--model", str(path), "-x", "1"])


def test_huge_and_tiny_numbers_stay_finite_or_inf_without_warnings():
    result = check_clean(
        ["compute", "-x", "1e308,1e308", "-w", "1e308,1e308", "-a", "sigmoid", "--format", "json", "--grad"]
    )
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["outputs"] in ([1.0], ["nan"])
    assert np.isfinite(doc["layers"][0]["neurons"][0]["weights"]).all()
