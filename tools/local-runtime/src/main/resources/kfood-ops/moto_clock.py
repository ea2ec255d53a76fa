"""The moto server, with an RDS clock that tests can move.

moto stamps snapshots with its own clock and its API cannot set it; the tests need snapshots of
different ages. The offset (seconds, may be negative) is read from KFOOD_MOTO_CLOCK_FILE each time
RDS asks for the time. Nothing else in moto is touched.
"""
import datetime
import os
import sys

import moto.core.utils as utils
import moto.rds.models as rds

_real_utcnow = utils.utcnow
_offset_file = os.environ.get("KFOOD_MOTO_CLOCK_FILE")


def _shifted_utcnow():
    seconds = 0.0
    if _offset_file:
        try:
            with open(_offset_file, encoding="ascii") as f:
                seconds = float(f.read().strip() or 0)
        except (OSError, ValueError):
            seconds = 0.0
    return _real_utcnow() + datetime.timedelta(seconds=seconds)


rds.utcnow = _shifted_utcnow

from moto.server import main  # noqa: E402  (after the patch, by design)

sys.exit(main(sys.argv[1:]))
