"""Runs `python -m moto.server` with a single request thread.

moto's IAM backend is not thread-safe: its threaded server serializes GetAccountAuthorizationDetails
while another request thread creates an entity, and answers HTTP 500 ("RuntimeError: dictionary
changed size during iteration"). The provider's bulk refresh reads exactly that call while parallel
acceptance tests create users, so one request at a time is what makes the emulator deterministic.
Set MOTO_THREADED=1 to get moto's own threaded server back.
"""
import os
import sys

import moto.server

if os.environ.get("MOTO_THREADED") != "1":
    _run_simple = moto.server.run_simple

    def _single_threaded(*args, **kwargs):
        kwargs["threaded"] = False
        return _run_simple(*args, **kwargs)

    moto.server.run_simple = _single_threaded

moto.server.main(sys.argv[1:])
