"""stderr is never lost when two threads hide MediaPipe's native start-up chatter at once."""

import subprocess
import sys
import textwrap

# Thread A enters, thread B enters, A leaves, B leaves: the interleaving that lost stderr for good
# when each thread saved and restored descriptor 2 on its own (B saved /dev/null, restored it last).
SCRIPT = textwrap.dedent(
    """
    import os, threading
    from kinechain.pose.mediapipe_backend import _native_stderr_silenced

    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()

    def a():
        with _native_stderr_silenced():
            a_in.set()
            b_in.wait()
            os.write(2, b"hidden-a\\n")
        a_out.set()

    def b():
        a_in.wait()
        with _native_stderr_silenced():
            b_in.set()
            a_out.wait()
            os.write(2, b"hidden-b\\n")

    threads = [threading.Thread(target=a), threading.Thread(target=b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    os.write(2, b"visible-after\\n")
    """
)


def test_overlapping_threads_restore_stderr():
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], check=False, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "visible-after" in proc.stderr
    assert "hidden" not in proc.stderr


def test_nested_use_in_one_thread_restores_stderr():
    script = (
        "import os\nfrom kinechain.pose.mediapipe_backend import _native_stderr_silenced as q\n"
        "with q():\n    with q():\n        os.write(2, b'hidden')\n    os.write(2, b'hidden')\n"
        "os.write(2, b'shown')\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], check=False, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0 and proc.stderr == "shown"
