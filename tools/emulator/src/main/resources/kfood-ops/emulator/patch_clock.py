"""An RDS and ECS clock that tests can move. moto stamps snapshots and ECS deployments with its own
   clock and its API cannot set it; the tests need snapshots of different ages, and the demo
   deployments that started minutes ago. The offset (seconds, may be negative) is read
   from KFOOD_MOTO_CLOCK_FILE each time RDS asks for the time.
"""
import datetime
import os

import moto.core.utils as utils
import moto.ecs.models as ecs
import moto.rds.models as rds

_real_utcnow = utils.utcnow


def _shifted_utcnow():
    seconds = 0.0
    offset_file = os.environ.get("KFOOD_MOTO_CLOCK_FILE")
    if offset_file:
        try:
            with open(offset_file, encoding="ascii") as f:
                seconds = float(f.read().strip() or 0)
        except (OSError, ValueError):
            seconds = 0.0
    return _real_utcnow() + datetime.timedelta(seconds=seconds)


def apply():
    rds.utcnow = _shifted_utcnow
    ecs.utcnow = _shifted_utcnow
