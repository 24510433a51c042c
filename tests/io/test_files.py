"""Files neuron replaces (--save-model, --save-svg): a regular file atomically, anything else written through."""

import os
import signal
import socket
import time

import pytest

from neuron_cli.errors import NeuronError
from neuron_cli.io import interrupt
from neuron_cli.io.files import replace_file


def test_a_regular_file_is_replaced_whole_and_keeps_its_permissions(tmp_path):
    target = tmp_path / "model.json"
    target.write_text("old")
    target.chmod(0o640)
    replace_file(str(target), "new", "--save-model")
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o640
    assert os.listdir(tmp_path) == ["model.json"]  # no temporary file left behind


def test_a_link_is_written_through_to_its_file_and_a_dangling_one_refused(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    replace_file(str(link), "new", "--save-model")
    assert link.is_symlink() and real.read_text() == "new"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    with pytest.raises(NeuronError, match=r"--save-model: .*dangling\.json is a symbolic link to .*nowhere\.json"):
        replace_file(str(dangling), "new", "--save-model")
    assert not (tmp_path / "nowhere.json").exists()


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (os.mkfifo, "a named pipe"),
        (os.mkdir, "a directory"),
        (lambda path: socket.socket(socket.AF_UNIX).bind(str(path)), "a socket"),
    ],
)
def test_what_is_not_a_regular_file_is_refused_and_left_as_it_is(tmp_path, make, kind):
    # renaming a new file over /dev/null (a device) would put a file in the device's place
    target = tmp_path / "target"
    make(target)
    before = target.stat()
    with pytest.raises(NeuronError, match=f"--save-svg: .*target is {kind}, not a regular file"):
        replace_file(str(target), "new", "--save-svg")
    assert target.stat().st_mode == before.st_mode and target.stat().st_ino == before.st_ino


def test_a_device_is_refused(tmp_path):
    with pytest.raises(NeuronError, match="/dev/null is a device, not a regular file"):
        replace_file(os.devnull, "new", "--save-model")
    assert not os.path.isfile(os.devnull)


def test_a_failure_names_the_option_and_leaves_the_old_file(tmp_path):
    target = tmp_path / "kept.json"
    target.write_text("old")
    with pytest.raises(NeuronError, match="--save-model: cannot write"):
        replace_file(str(tmp_path / "missing" / "x.json"), "new", "--save-model")
    assert target.read_text() == "old"


def test_ctrl_c_while_writing_waits_until_the_file_is_whole(tmp_path, monkeypatch):
    # The command ends at once on Ctrl-C; during a replacement the signal waits, so the user is left with the
    # new file whole and no temporary beside it.
    target = tmp_path / "net.json"
    target.write_text("old")
    seen = []
    real_fsync = os.fsync

    def fsync_while_ctrl_c(descriptor):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.05)  # time enough for Python to run the handler, had it not waited
        seen.append(("during write", target.read_text()))
        real_fsync(descriptor)

    monkeypatch.setattr(os, "fsync", fsync_while_ctrl_c)
    monkeypatch.setattr(
        interrupt, "_end", lambda: seen.append(("end", target.read_text(), sorted(p.name for p in tmp_path.iterdir())))
    )
    before = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        interrupt.install()
        replace_file(str(target), "new", "--save-model")
    finally:
        signal.signal(signal.SIGINT, before)
    assert seen == [("during write", "old"), ("end", "new", ["net.json"])]
