"""How every stand-in ends: promptly on SIGTERM and SIGINT, with its parent when asked, and without
leaving its temporary state behind. Python 3 stdlib only.

  * add_arguments(parser): --exit-with-parent (a test process that starts a stand-in for itself passes
    it, so a killed test run takes the stand-in with it) and the help text of --state-dir's default.
  * running(args): a context manager around serve_forever(): installs the signal handlers (unblocking
    the signals first: a parent may have left them blocked), watches the parent, makes a temporary
    state folder when --state-dir was not given, and removes that folder on the way out.
"""
import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading

PARENT_POLL_SECONDS = 0.2
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def add_arguments(parser):
    """The lifecycle options every stand-in takes."""
    parser.add_argument("--exit-with-parent", action="store_true",
                        help="exit (and clean up) as soon as the process that started this one is gone")


class Stopped(BaseException):
    """Raised in the main thread by SIGTERM/SIGINT (a BaseException, so no handler swallows it)."""


def _stop(signum, frame):
    # One stop is enough: a second signal (the parent watch, a pdeathsig) must not cut the clean-up short.
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    raise Stopped(signum)


def _watch_parent(parent):
    """Signals this process once it has been re-parented (its starter died, however it died)."""
    while True:
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGTERM)
            return
        threading.Event().wait(PARENT_POLL_SECONDS)


@contextlib.contextmanager
def running(args, name):
    """Run a stand-in: stop on SIGTERM/SIGINT, with its parent (--exit-with-parent), and remove the
    state folder it made for itself (args.state_dir None -> a fresh one under the temp folder)."""
    made_state = False
    if getattr(args, "state_dir", "") is None:
        args.state_dir = tempfile.mkdtemp(prefix="presign-%s-" % name)
        made_state = True
    for number in STOP_SIGNALS:
        signal.signal(number, _stop)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, set(STOP_SIGNALS))
    if getattr(args, "exit_with_parent", False):
        threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    try:
        yield
    except (Stopped, KeyboardInterrupt):
        pass
    finally:
        if made_state:
            shutil.rmtree(args.state_dir, ignore_errors=True)
        sys.stdout.flush()
